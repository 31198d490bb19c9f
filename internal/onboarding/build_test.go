package onboarding

import (
	"context"
	"slices"
	"strings"
	"testing"

	chipcheck "github.com/chipcheck/chipcheck"
	"github.com/chipcheck/chipcheck/internal/record"
	"github.com/chipcheck/chipcheck/internal/rules"
)

func builtinRules(t testing.TB) *rules.Set {
	t.Helper()
	rs, err := rules.Load(chipcheck.Rules(), "rules")
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// baseApp is a valid application; each case edits it. Line numbers in the
// expectations refer to these lines.
const baseApp = `kind: onboarding
id: onb-1
received_at: 2026-07-01T09:30:00Z
requested_models: [frontier-a]
customer:
  type: legal_entity
  legal_name: Example Robotics Pte. Ltd.
  registration: {country: SG, number: "201912345K"}
ownership:
  status: verified
  edges:
    - {owner: holdco-1, owned: customer, pct: 80}
    - {owner: parent-1, owned: holdco-1, pct: 80}
  entities:
    holdco-1: {name: Example Holdings Ltd, hq_country: KY}
    parent-1: {name: Example Group Co., hq_country: CN}
users:
  - {user_id: u-1, nationality: [SG], us_person: false}
billing:
  address_country: SG
  instruments:
    - {kind: card, bin_country: HK}
`

func TestValidateApplication(t *testing.T) {
	rs := builtinRules(t)
	tests := []struct {
		name  string
		edits []string
		want  []string
		check func(t *testing.T, a *Application)
	}{
		{name: "valid", check: func(t *testing.T, a *Application) {
			if a.ID != "onb-1" || a.Date != "2026-07-01" || len(a.Ownership.Edges) != 2 || !a.Billing.Instruments[0].Primary || a.Users[0].USPerson {
				t.Errorf("application = %+v", a)
			}
		}},
		{name: "unknown top-level key", edits: []string{"id: onb-1", "id: onb-1\nrecord_typ: x"},
			want: []string{`<stdin>:3: record_typ: unknown field "record_typ"`}},
		{name: "misspelt nested key", edits: []string{"hq_country: KY", "hq_contry: KY"},
			want: []string{`<stdin>:15: ownership.entities.holdco-1.hq_contry: unknown field "hq_contry"; did you mean "hq_country"?`}},
		{name: "received_at not a time", edits: []string{"2026-07-01T09:30:00Z", "yesterday"},
			want: []string{`<stdin>:3: received_at: expected a date YYYY-MM-DD or an RFC 3339 time (2026-07-01T09:30:00Z), got "yesterday"`}},
		{name: "unknown model", edits: []string{"[frontier-a]", "[frontier-z]"},
			want: []string{`<stdin>:4: requested_models.0: unknown model code "frontier-z"`}},
		{name: "unknown customer type", edits: []string{"type: legal_entity", "type: company"},
			want: []string{`<stdin>:6: customer.type: must be one of individual, legal_entity, got "company"`}},
		{name: "edge to an unknown entity", edits: []string{"owner: parent-1", "owner: parent-2"},
			want: []string{`<stdin>:13: ownership.edges.1.owner: unknown entity "parent-2" (not in ownership.entities); did you mean "parent-1"?`}},
		{name: "stakes over 100%", edits: []string{"- {owner: parent-1, owned: holdco-1, pct: 80}", "- {owner: parent-1, owned: customer, pct: 30}"},
			want: []string{`<stdin>:13: ownership.edges.1.pct: the stakes in customer add up to more than 100%`}},
		{name: "a stake over 100", edits: []string{"pct: 80}\n    - {owner: parent-1", "pct: 180}\n    - {owner: parent-1"},
			want: []string{`<stdin>:12: ownership.edges.0.pct: a stake of more than 100%: 180`, `<stdin>:12: ownership.edges.0.pct: the stakes in customer add up to more than 100%`}},
		{name: "the customer owning", edits: []string{"owner: parent-1, owned: holdco-1", "owner: customer, owned: holdco-1"},
			want: []string{`<stdin>:13: ownership.edges.1.owner: the customer cannot own its owners: an edge runs from owner to owned`}},
		{name: "self-ownership", edits: []string{"owner: parent-1, owned: holdco-1", "owner: holdco-1, owned: holdco-1"},
			want: []string{`<stdin>:13: ownership.edges.1.owner: an entity cannot own itself`}},
		{name: "zero stake", edits: []string{"pct: 80}\n  entities", "pct: 0}\n  entities"},
			want: []string{`<stdin>:13: ownership.edges.1.pct: must be greater than 0, got 0`}},
		{name: "a legal entity without ownership", edits: []string{"ownership:\n  status: verified", "x_ownership:\n  status: verified"},
			want: []string{`<stdin>:1: ownership: required for a legal entity: give status (unknown if nothing is known) and the edges known`}},
		{name: "us_person missing", edits: []string{", us_person: false}", "}"},
			want: []string{`<stdin>:18: users.0.us_person: required: true or false (EAR 772.1 foreign-person test)`}},
		{name: "us_person not a boolean", edits: []string{"us_person: false", `us_person: "no"`},
			want: []string{`<stdin>:18: users.0.us_person: expected a boolean (true or false), got string "no"`}},
		{name: "no nationality", edits: []string{"nationality: [SG], ", ""},
			want: []string{`<stdin>:18: users.0.nationality: required: at least one nationality (the per-model licence gates read it)`}},
		{name: "no users", edits: []string{"  - {user_id: u-1, nationality: [SG], us_person: false}\n", ""},
			want: []string{`<stdin>:1: users: required: at least one user, every person who will use the models, with nationality and us_person`}},
		{name: "empty users", edits: []string{"users:\n  - {user_id: u-1, nationality: [SG], us_person: false}", "users: []"},
			want: []string{`<stdin>:1: users: required: at least one user, every person who will use the models, with nationality and us_person`}},
		{name: "unknown country", edits: []string{"bin_country: HK", "bin_country: XX"},
			want: []string{`<stdin>:22: billing.instruments.0.bin_country: unknown country code "XX"`}},
		{name: "unknown designation", edits: []string{"hq_country: CN}", "hq_country: CN, designations: [SDNN]}"},
			want: []string{`<stdin>:16: ownership.entities.parent-1.designations.0: unknown list code "SDNN"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := baseApp
			for i := 0; i+1 < len(tt.edits); i += 2 {
				if !strings.Contains(text, tt.edits[i]) {
					t.Fatalf("edit: %q not in the base record", tt.edits[i])
				}
				text = strings.Replace(text, tt.edits[i], tt.edits[i+1], 1)
			}
			recs, probs := record.Read(context.Background(), record.Options{Kinds: Kinds(rs), Stdin: strings.NewReader(text), Format: "yaml"}, "-")
			var got []string
			for _, p := range probs {
				got = append(got, p.Error())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("problems:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
			if len(tt.want) > 0 {
				if len(recs) != 0 {
					t.Errorf("an invalid record was returned")
				}
				return
			}
			if len(recs) != 1 || Of(&recs[0]) == nil {
				t.Fatalf("records = %+v", recs)
			}
			if tt.check != nil {
				tt.check(t, Of(&recs[0]))
			}
		})
	}
}
