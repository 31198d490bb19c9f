package cli

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/chipcheck/chipcheck/internal/decision"
)

// onboarding is a customer list as a CRM exports it: the name and country
// among columns of the caller's own.
const onboarding = "customer_id,name,country,segment\n" +
	"C-1,\"HUAWEI TECHNOLOGIES CO., LTD.\",CN,=HYPERLINK(x)\n" +
	"C-2,Acme Widgets GmbH,DE,smb\n" +
	"C-3,\"PUTIN, Vladimir\",RU,\n"

// TestListsSearchBatchColumnsAndExit: a batch search keeps every input
// column in csv, json and jsonl, gives each row the decision the screening
// rule would (an Entity List or SDN hit at or above the deny threshold
// denies), and exits as check does for --fail-on.
func TestListsSearchBatchColumnsAndExit(t *testing.T) {
	dir := listsFixtures(t)
	wantDecision := map[string]string{"C-1": "deny", "C-2": "allow", "C-3": "deny"}

	code, out, stderr := listsRun(t, strings.NewReader(onboarding), listsArgs(t, dir, "search", "--batch", "-", "-o", "csv")...)
	if code != 0 {
		t.Fatalf("exit %d (no --fail-on: none): %s", code, stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0][:5], ","); got != "customer_id,name,country,segment,decision" {
		t.Errorf("csv header starts %q, want the input's columns, then decision", got)
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want header + 3", len(rows))
	}
	for _, r := range rows[1:] {
		if r[4] != wantDecision[r[0]] {
			t.Errorf("%s: decision %s, want %s", r[0], r[4], wantDecision[r[0]])
		}
	}
	if rows[1][3] != "'=HYPERLINK(x)" {
		t.Errorf("formula cell = %q, want it defused", rows[1][3])
	}

	for _, format := range []string{"jsonl", "json"} {
		_, out, _ := listsRun(t, strings.NewReader(onboarding), listsArgs(t, dir, "search", "--batch", "-", "-o", format)...)
		var rs []struct {
			Decision string            `json:"decision"`
			Input    map[string]string `json:"input"`
		}
		if format == "json" {
			if err := json.Unmarshal([]byte(out), &rs); err != nil {
				t.Fatalf("json: %v", err)
			}
		} else {
			for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
				var r struct {
					Decision string            `json:"decision"`
					Input    map[string]string `json:"input"`
				}
				if err := json.Unmarshal([]byte(l), &r); err != nil {
					t.Fatalf("jsonl: %v", err)
				}
				rs = append(rs, r)
			}
		}
		if len(rs) != 3 || rs[1].Input["customer_id"] != "C-2" || rs[1].Input["segment"] != "smb" || rs[0].Decision != "deny" {
			t.Errorf("-o %s: %+v", format, rs)
		}
	}

	for _, tt := range []struct {
		csv, failOn string
		want        int
	}{
		{onboarding, "review", decision.ExitDeny},
		{onboarding, "deny", decision.ExitDeny},
		{onboarding, "none", decision.ExitOK},
		{"customer_id,name\nC-2,Acme Widgets GmbH\n", "review", decision.ExitOK},
		{"name,name\nx,y\n", "none", decision.ExitError}, // a column twice would be lost
	} {
		code, _, stderr := listsRun(t, strings.NewReader(tt.csv), listsArgs(t, dir, "search", "--batch", "-", "-o", "jsonl", "--fail-on", tt.failOn)...)
		if code != tt.want {
			t.Errorf("--fail-on %s on %q: exit %d, want %d (%s)", tt.failOn, tt.csv, code, tt.want, stderr)
		}
	}
	// A single name too.
	if code, _, _ := listsRun(t, nil, listsArgs(t, dir, "search", "PUTIN, Vladimir", "--fail-on", "review")...); code != decision.ExitDeny {
		t.Errorf("single search of an SDN name with --fail-on review: exit %d, want 1", code)
	}
	if code, _, _ := listsRun(t, nil, listsArgs(t, dir, "search", "Acme", "-o", "csv")...); code != decision.ExitError {
		t.Errorf("-o csv without --batch: exit %d, want 3", code)
	}
}
