package networks

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chipcheck/chipcheck/internal/record"
)

type vocab struct{}

func (vocab) Country(c string) bool { return c == "US" || c == "SG" || c == "CN" }

func read(t *testing.T, name, text string) ([]record.Record, record.Problems) {
	t.Helper()
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	recs, probs := record.Read(context.Background(), record.Options{Kinds: Kinds(vocab{})}, file)
	for i := range probs {
		probs[i].File = filepath.Base(probs[i].File)
	}
	return recs, probs
}

const good = `kind: account_activity
account_id: acct-1
org_id: org-1
created_at: 2026-11-01T10:00:00Z
window: {start: 2026-11-26T00:00:00Z, end: 2026-11-27T00:00:00Z}
requests: 26
output_tokens: 39000
identifiers: {payment_fingerprint: [hm:c4d0, hm:c4d1], device_id: hm:5e6f, phone: hm:0b11, ip_prefix: 203.0.113.0/24, asn: 64500, email_domain: example.sg}
countries: {declared: SG, billing: sg, ip_majority: US}
usage: {cot_elicitation_share: 0.31, template_concentration: 0.58, single_turn_share: 0.96, new_model_share_48h: 0.45}
prompt_minhash: [1, 4294967295, 3]
x_batch: nightly-7
`

func TestReadActivity(t *testing.T) {
	recs, probs := read(t, "a.yaml", good)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	a := ActivityOf(&recs[0])
	if a.AccountID != "acct-1" || recs[0].ID != "acct-1" || a.Days() != 1 || a.Requests != 26 {
		t.Errorf("activity = %+v", a)
	}
	if got := a.IDs[0]; len(got) != 2 || got[1] != "hm:c4d1" {
		t.Errorf("rotated payment fingerprints = %v", got)
	}
	if a.IDs[4][0] != "64500" || a.Countries.Billing != "SG" || a.Usage[2] != 0.96 || a.MinHash[1] != 4294967295 || a.Status != StatusActive {
		t.Errorf("activity = %+v", a)
	}
}

// Every problem names file, line and field; none lets the record through.
func TestReadActivityProblems(t *testing.T) {
	for _, tc := range []struct {
		name, edit, want string
	}{
		{"unknown field", "requests: 26\n", "requests: 26\nrequets: 3\n|a.yaml:7: requets: unknown field \"requets\"; did you mean \"requests\"?"},
		{"unknown identifier", "device_id: hm:5e6f", "device: hm:5e6f|a.yaml:8: identifiers.device: unknown field \"device\""},
		{"empty identifier", "phone: hm:0b11", "phone: \"\"|a.yaml:8: identifiers.phone: must not be empty (leave the identifier out instead)"},
		{"window backwards", "end: 2026-11-27T00:00:00Z", "end: 2026-11-25T00:00:00Z|a.yaml:5: window.end: must be after window.start"},
		{"not a time", "created_at: 2026-11-01T10:00:00Z", "created_at: yesterday|a.yaml:4: created_at: expected a time such as 2026-11-26T00:00:00Z, got \"yesterday\""},
		{"created after the window", "created_at: 2026-11-01T10:00:00Z", "created_at: 2026-12-01T10:00:00Z|a.yaml:4: created_at: the account was created after its window ends"},
		{"share above 1", "cot_elicitation_share: 0.31", "cot_elicitation_share: 31|a.yaml:10: usage.cot_elicitation_share: a share is between 0 and 1, got 31"},
		{"negative requests", "requests: 26", "requests: -1|a.yaml:6: requests: must not be negative, got -1"},
		{"fractional requests", "requests: 26", "requests: 2.5|a.yaml:6: requests: must be a whole number, got 2.5"},
		{"missing org", "org_id: org-1\n", "|a.yaml:1: org_id: required"},
		{"minhash too big", "4294967295", "4294967296|a.yaml:11: prompt_minhash.1: expected an unsigned 32-bit integer, got \"4294967296\""},
		{"minhash negative", "[1, ", "[-1, |a.yaml:11: prompt_minhash.0: expected an unsigned 32-bit integer, got \"-1\""},
		{"unknown country", "declared: SG", "declared: XX|a.yaml:9: countries.declared: unknown country code \"XX\""},
		{"unknown status", "x_batch", "status: banned\nx_batch|a.yaml:12: status: unknown status \"banned\" (want active or denied)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			repl, want, _ := strings.Cut(tc.want, "|")
			text := strings.Replace(good, tc.edit, repl, 1)
			if text == good && tc.edit != "" {
				t.Fatalf("edit %q changed nothing", tc.edit)
			}
			recs, probs := read(t, "a.yaml", text)
			if len(recs) != 0 {
				t.Errorf("an invalid record was read: %+v", recs)
			}
			if len(probs) != 1 || probs[0].Error() != want {
				t.Errorf("problems:\n%v\nwant:\n%s", probs, want)
			}
		})
	}
}

// One window per account in a batch: a second record of an account would
// leave one of the two decisions unanswerable.
func TestReadActivityDuplicateAccount(t *testing.T) {
	_, probs := read(t, "a.yaml", good+"---\n"+good)
	if len(probs) != 1 || !strings.Contains(probs[0].Error(), "acct-1") {
		t.Errorf("problems = %v", probs)
	}
}

func TestReadActivityEmptyMinHash(t *testing.T) {
	recs, probs := read(t, "a.yaml", strings.Replace(good, "[1, 4294967295, 3]", "[]", 1))
	if len(probs) > 0 || ActivityOf(&recs[0]).MinHash != nil {
		t.Errorf("an empty prompt_minhash: %v, %v", probs, ActivityOf(&recs[0]).MinHash)
	}
}

func TestReadActivityCSV(t *testing.T) {
	csv := "kind,account_id,org_id,created_at,window.start,window.end,requests,output_tokens,identifiers.payment_fingerprint,identifiers.asn,usage.cot_elicitation_share,prompt_minhash\n" +
		"account_activity,a1,o1,2026-11-01T10:00:00Z,2026-11-26T00:00:00Z,2026-11-27T00:00:00Z,26,39000,hm:1;hm:2,64500,0.3,7;8;9\n" +
		"account_activity,a2,o2,2026-11-01T10:00:00Z,2026-11-26T00:00:00Z,2026-11-27T00:00:00Z,26,39000,,,,\n"
	recs, probs := read(t, "a.csv", csv)
	if len(probs) > 0 || len(recs) != 2 {
		t.Fatal(probs)
	}
	a := ActivityOf(&recs[0])
	if len(a.IDs[0]) != 2 || a.IDs[4][0] != "64500" || len(a.MinHash) != 3 || a.MinHash[2] != 9 || a.Usage[0] != 0.3 {
		t.Errorf("from CSV: %+v", a)
	}
	if b := ActivityOf(&recs[1]); b.IDs[0] != nil || b.MinHash != nil || b.Usage[0] != -1 {
		t.Errorf("empty cells: %+v", b)
	}
}
