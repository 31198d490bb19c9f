package networks

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/chipcheck/chipcheck/internal/rules"
)

// linkage is the linkage of the shipped rules/networks.yaml, written out
// so that these tests say which numbers they rely on.
func linkage() rules.NetworkLinkage {
	return rules.NetworkLinkage{
		Strong: []string{IDPayment, IDDevice, IDPhone}, Weak: []string{IDPrefix, IDASN, IDEmail},
		StrongHub: 1000, WeakHub: 50, WeakLinkScore: 12,
		MinHash: rules.NetworkMinHash{Bands: 8, Rows: 4, MinJaccard: 0.5},
		Burst:   rules.NetworkBurst{WindowMinutes: 60, Identifiers: []string{IDASN, IDPrefix, IDPayment}, Hub: 5000},
	}
}

var t0 = time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)

// acct is an account of its own organisation with the given identifiers
// (name=value pairs).
func acct(id string, ids ...string) *Activity {
	a := &Activity{AccountID: id, OrgID: "org-" + id, CreatedAt: t0.Add(-100 * 24 * time.Hour),
		Start: t0, End: t0.Add(24 * time.Hour), Requests: 26, OutputTokens: 26_000, Status: StatusActive}
	for i := range a.Usage {
		a.Usage[i] = -1
	}
	for k := 0; k+1 < len(ids); k += 2 {
		t := slices.Index(Identifiers, ids[k])
		a.IDs[t] = append(a.IDs[t], ids[k+1])
	}
	return a
}

// filler is n accounts sharing nothing, so that weights ln(N/df) are
// those of a realistic batch.
func filler(n int) []*Activity {
	out := make([]*Activity, n)
	for i := range out {
		out[i] = acct(fmt.Sprintf("f%05d", i), IDPayment, fmt.Sprintf("fc%d", i))
	}
	return out
}

func analyze(t *testing.T, acts []*Activity) *Analysis {
	t.Helper()
	a, err := Analyze(context.Background(), acts, linkage())
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (a *Analysis) same(x, y string) bool { return a.cluster[a.at(x)] == a.cluster[a.at(y)] }

// at is the position of account id, which the test knows is in the batch.
func (a *Analysis) at(id string) int32 {
	i, _ := a.Index(id)
	return i
}

func TestStrongIdentifiersJoin(t *testing.T) {
	acts := append(filler(100),
		acct("a", IDPayment, "card1"),
		acct("b", IDPayment, "card1", IDDevice, "dev1"),
		acct("c", IDDevice, "dev1"),
		acct("d", IDPhone, "tel9"),
	)
	an := analyze(t, acts)
	if !an.same("a", "c") {
		t.Error("a and c are linked through b (card, then device)")
	}
	if an.same("a", "d") || an.same("a", "f00001") {
		t.Error("accounts sharing nothing were joined")
	}
	if s := an.Facts(an.at("c")).Strong; s.size != 3 || s.orgs != 3 {
		t.Errorf("strong component of c = %+v, want 3 accounts of 3 organisations", s)
	}
}

// An account that rotates its card within the window is linked by every
// card it used.
func TestRotationLinksEveryValue(t *testing.T) {
	a := acct("a", IDPayment, "card1", IDPayment, "card2", IDPayment, "card3")
	acts := append(filler(50), a, acct("b", IDPayment, "card3"), acct("c", IDPayment, "card1"))
	an := analyze(t, acts)
	if !an.same("b", "c") {
		t.Error("b and c share a rotating account's cards: one cluster")
	}
	links := an.Links(an.at("a"))
	if len(links) != 2 || links[0].Strength != "strong" || links[0].Accounts != 2 {
		t.Errorf("links of a = %+v, want card1 and card3, each held by 2", links)
	}
}

func TestWeakLinksWeighByRarity(t *testing.T) {
	acts := filler(20000)
	// A rare /24 with an uncommon ASN: ln(N/2) + ln(N/3) > 12.
	acts = append(acts,
		acct("h1", IDPrefix, "198.51.100.0/24", IDASN, "AS64500"),
		acct("h2", IDPrefix, "198.51.100.0/24", IDASN, "AS64500"),
		acct("h3", IDASN, "AS64500"))
	// A freemail domain held by 5,000 accounts links nothing, whatever
	// else is shared with it; a rare prefix alone (ln(N/2) < 12) neither.
	for i := range 5000 {
		acts[i].IDs[5] = []string{"gmail.example"}
	}
	acts = append(acts, acct("p1", IDPrefix, "203.0.113.0/24", IDEmail, "gmail.example"), acct("p2", IDPrefix, "203.0.113.0/24", IDEmail, "gmail.example"))
	an := analyze(t, acts)
	if !an.same("h1", "h2") {
		t.Error("a rare /24 and ASN shared: linked")
	}
	if an.same("h1", "h3") {
		t.Error("an ASN of three accounts alone links nothing")
	}
	if an.same("p1", "p2") {
		t.Error("a rare prefix plus a hub domain: the hub weighs nothing, the prefix alone is below the link score")
	}
	if an.same("f00001", "f00002") {
		t.Error("5,000 accounts on one freemail domain were joined")
	}
}

// A value shared by 50,000 accounts: a weak one links nothing, a strong
// one is not followed (it would join unrelated accounts) and each holder
// is told so; the batch stays cheap.
func TestHubValueOf50000Accounts(t *testing.T) {
	for _, id := range []string{IDASN, IDPayment} {
		t.Run(id, func(t *testing.T) {
			acts := filler(50_000)
			for _, a := range acts {
				a.IDs[slices.Index(Identifiers, id)] = append(a.IDs[slices.Index(Identifiers, id)], "hub")
			}
			start := time.Now()
			an := analyze(t, acts)
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("a hub of 50,000 took %v", d)
			}
			if len(an.clusters) != 0 {
				t.Errorf("%d clusters, want none", len(an.clusters))
			}
			hubs := an.Facts(7).Hubs
			if id == IDPayment && len(hubs) != 1 {
				t.Errorf("strong_hubs = %v, want the payment hub", hubs)
			}
			if id == IDASN && len(hubs) != 0 {
				t.Errorf("strong_hubs = %v for a weak hub", hubs)
			}
		})
	}
}

func sig(seed uint32, n int) []uint32 {
	s := make([]uint32, n)
	for i := range s {
		s[i] = seed*2654435761 + uint32(i)*40503
	}
	return s
}

func TestNearDuplicatePrompts(t *testing.T) {
	base := sig(1, 32)
	near := func(id string, changed ...int) *Activity {
		a := acct(id)
		a.MinHash = slices.Clone(base)
		for _, i := range changed {
			a.MinHash[i] ^= uint32(id[0]) << 20 // each account its own prompts
		}
		return a
	}
	// Jaccard 28/32 and 24/32 with base, some band intact: linked; 8/32:
	// not. A difference in every band is LSH's miss: similar, never a
	// candidate (the probability banding trades for linear cost).
	far := near("x", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23)
	everyBand := near("m", 0, 4, 8, 12, 16, 20, 24, 28)
	acts := append(filler(100), near("a"), near("b", 1, 5, 9, 30), near("c", 0, 1, 2, 3, 4, 5, 6, 7), far, everyBand)
	// An empty or too short signature is not banded, and never matches.
	empty, short := acct("e"), acct("s")
	short.MinHash = base[:8]
	acts = append(acts, empty, short)
	an := analyze(t, acts)
	if !an.same("a", "b") || !an.same("a", "c") {
		t.Error("near-duplicate signatures were not linked")
	}
	for _, o := range []string{"x", "e", "s", "m"} {
		if an.same("a", o) {
			t.Errorf("%s was linked", o)
		}
	}
	if p := an.Facts(an.at("e")).Prompt; p.size != 1 {
		t.Errorf("prompt facts of an account without signature = %+v", p)
	}
}

// Many accounts on one LSH bucket cost a few comparisons each, and are
// all linked.
func TestPromptBucketOfManyAccounts(t *testing.T) {
	base := sig(7, 32)
	var acts []*Activity
	for i := range 20_000 {
		a := acct(fmt.Sprintf("n%05d", i))
		a.MinHash = base
		acts = append(acts, a)
	}
	an := analyze(t, acts)
	if len(an.clusters) != 1 {
		t.Fatalf("%d clusters, want 1", len(an.clusters))
	}
	for _, c := range an.clusters {
		if c.Size != 20_000 || c.PromptLinked != 20_000 {
			t.Errorf("cluster size %d, prompt-linked %d", c.Size, c.PromptLinked)
		}
	}
}

func TestCohorts(t *testing.T) {
	h := func(hs ...float64) []time.Time {
		out := make([]time.Time, len(hs))
		for i, x := range hs {
			out[i] = t0.Add(time.Duration(x * float64(time.Hour)))
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		times []time.Time
		keys  []string
		want  []int
	}{
		{"one", h(0), nil, []int{1}},
		{"all within the hour", h(0, 0.2, 0.5, 1), nil, []int{4, 4, 4, 4}},
		{"two bursts", h(0, 0.1, 0.2, 5, 5.5), nil, []int{3, 3, 3, 2, 2}},
		{"overlapping windows", h(0, 0.6, 1.2, 1.3), nil, []int{2, 3, 3, 3}},
		{"organisations counted once", h(0, 0.1, 0.2, 0.3), []string{"o1", "o1", "o2", "o1"}, []int{2, 2, 2, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var key func(int) string
			if tc.keys != nil {
				key = func(i int) string { return tc.keys[i] }
			}
			got := cohorts(len(tc.times), func(i int) time.Time { return tc.times[i] }, key, time.Hour)
			if !slices.Equal(got, tc.want) {
				t.Errorf("cohorts = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestBurstCountsOrganisations(t *testing.T) {
	acts := filler(100)
	for i := range 25 {
		a := acct(fmt.Sprintf("b%02d", i), IDPrefix, "proxy/24")
		a.CreatedAt = t0.Add(time.Duration(i) * time.Minute)
		acts = append(acts, a)
	}
	// A company signing up 30 seats at once from its office: one
	// organisation, no burst.
	for i := range 30 {
		a := acct(fmt.Sprintf("c%02d", i), IDPrefix, "office/24")
		a.OrgID, a.CreatedAt = "org-corp", t0
		acts = append(acts, a)
	}
	an := analyze(t, acts)
	if b := an.Facts(an.at("b07")); b.Burst != 25 || b.BurstBy != IDPrefix {
		t.Errorf("burst of b07 = %d on %q, want 25 organisations on ip_prefix", b.Burst, b.BurstBy)
	}
	if c := an.Facts(an.at("c07")); c.Burst != 1 {
		t.Errorf("burst of a company seat = %d, want 1 organisation", c.Burst)
	}
}

func TestDeniedLinksAndClusterFacts(t *testing.T) {
	d := acct("d", IDPayment, "card1", IDDevice, "dev1")
	d.Status = StatusDenied
	x := acct("x", IDPayment, "card1")
	y := acct("y", IDDevice, "dev1", IDPhone, "tel1")
	z := acct("z", IDPhone, "tel1")
	x.Usage[0], y.Usage[0] = 0.5, 0.1
	an := analyze(t, append(filler(10), d, x, y, z))
	dl := an.Facts(an.at("x")).DeniedLinks
	if len(dl) != 1 || dl[0].Identifier != IDPayment || !slices.Equal(dl[0].Accounts, []string{"d"}) {
		t.Errorf("denied links of x = %+v", dl)
	}
	if dl := an.Facts(an.at("z")).DeniedLinks; len(dl) != 0 {
		t.Errorf("z shares nothing with d directly: %+v", dl)
	}
	iz := an.at("z")
	fz := an.Facts(iz)
	cl := an.clusterFacts(iz, &fz)
	if cl["size"] != 4 || cl["denied_members"] != 1 || cl["id"] != "net-d" || cl["mean_cot_elicitation_share"] != json.Number("0.3") {
		t.Errorf("cluster of z = %v", cl)
	}
	if f := an.Facts(an.at("d")); f.DeniedMembers != 0 {
		t.Errorf("d's own cluster counts d among the other denied members: %d", f.DeniedMembers)
	}
	cs := an.Clusters(2, 10)
	if len(cs) != 1 || cs[0].Size != 4 || !slices.Equal(cs[0].DeniedMembers, []string{"d"}) || cs[0].EvidenceValues != 3 {
		t.Fatalf("clusters = %+v", cs)
	}
	if cs[0].RequestsPerDay != 4*26 {
		t.Errorf("requests per day = %v, want 104", cs[0].RequestsPerDay)
	}
}

func TestUnionFind(t *testing.T) {
	u := newUnionFind(6)
	if !u.union(0, 1) || !u.union(2, 3) || !u.union(1, 3) || u.union(0, 2) {
		t.Fatal("union reported wrongly whether the sets were apart")
	}
	r := u.roots()
	if r[0] != r[3] || r[0] == r[4] || r[4] == r[5] || u.size[r[0]] != 4 {
		t.Errorf("roots %v", r)
	}
}
