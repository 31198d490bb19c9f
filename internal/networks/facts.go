package networks

import (
	"cmp"
	"encoding/binary"
	"encoding/json"
	"slices"
	"strconv"

	"github.com/chipcheck/chipcheck/internal/engine"
)

// How much evidence one decision carries: the account's shared values and,
// for each, a few of the accounts sharing it.
const (
	maxLinks      = 10
	maxLinkSample = 5
)

// Facts are what the network policy sees of one account: its status, its
// measures (usage shares, its cluster's mean shares and volumes, judged by
// the policy's above query for the whole batch) and its counts, but no
// identities, so that accounts alike share one evaluation
// (policies/access/network/network.rego documents the input).
type Facts struct {
	Denied bool
	// Measures are the account's usage shares, its cluster's mean
	// cot_elicitation_share and template_concentration, its cluster's
	// requests and output tokens per day (as measureNames); -1 when not
	// given.
	Measures      [nMeasures]float64
	Size, Orgs    int       // of the cluster; 1, 1 for an account in none
	DeniedMembers int       // denied accounts of the cluster, other than this one
	Strong        compStats // the strong-identifier component
	Prompt        compStats // the near-duplicate-prompt component
	Burst         int       // distinct organisations of the largest sign-up cohort
	BurstBy       string    // the identifier that cohort shares, "" for none
	WindowMinutes int
	DeniedLinks   []DeniedLink
	Hubs          []Hub
}

// DeniedLink is one strong identifier account shares with denied accounts.
type DeniedLink struct {
	Identifier string
	Count      int      // denied accounts holding one of its values
	Accounts   []string // a few of them, for the decision (not the policy)
}

// Hub is a strong identifier value of the account too widely held to follow.
type Hub struct {
	Identifier string
	Accounts   int
}

// The measures, by their bit in an account's over mask (Analysis.over):
// the four usage shares, the cluster's two mean shares, its two volumes.
const (
	measureMeans  = 4
	measurePerDay = 6
	nMeasures     = 8
)

// measureNames are the measures' group and name in the policy's
// measures, by bit.
var measureNames = [nMeasures][2]string{
	{"usage", Usage[0]}, {"usage", Usage[1]}, {"usage", Usage[2]}, {"usage", Usage[3]},
	{"cluster_mean", "cot_elicitation_share"}, {"cluster_mean", "template_concentration"},
	{"cluster_volume", "requests_per_day"}, {"cluster_volume", "output_tokens_per_day"},
}

// measure is measure m of the facts, and whether it was given.
func (f *Facts) measure(m int) (float64, bool) {
	v := f.Measures[m]
	return v, v >= 0
}

// measures are the measures of account i, as Facts.Measures.
func (a *Analysis) measures(i int32) [nMeasures]float64 {
	act := a.acts[i]
	var ms [nMeasures]float64
	copy(ms[:], act.Usage[:])
	if c := a.clusters[a.cluster[i]]; c != nil {
		ms[measureMeans], ms[measureMeans+1] = meanOr(c.MeanCoT), meanOr(c.MeanTemplate)
		ms[measurePerDay], ms[measurePerDay+1] = c.RequestsPerDay, c.OutputTokensPerDay
		return ms
	}
	days := act.Days()
	ms[measureMeans], ms[measureMeans+1] = act.Usage[0], act.Usage[1]
	ms[measurePerDay], ms[measurePerDay+1] = act.Requests/days, act.OutputTokens/days
	return ms
}

// Facts are the facts of account i.
func (a *Analysis) Facts(i int32) Facts {
	act := a.acts[i]
	f := Facts{
		Denied: act.Status == StatusDenied, Measures: a.measures(i), Size: 1, Orgs: 1,
		Strong: statsOf(a.strongStats, a.strongComp, int(i)), Prompt: statsOf(a.promptStats, a.promptComp, int(i)),
		Burst: max(int(a.burst[i]), 1), BurstBy: a.burstIdentifier(i), WindowMinutes: a.params.Burst.WindowMinutes,
	}
	if a.nearDenied[i] {
		f.DeniedLinks = a.deniedLinks(i)
	}
	if a.nearHub[i] {
		f.Hubs = a.strongHubs(i)
	}
	if c := a.clusters[a.cluster[i]]; c != nil {
		f.Size, f.Orgs, f.DeniedMembers = c.Size, c.DistinctOrgs, len(c.DeniedMembers)
		if f.Denied {
			f.DeniedMembers-- // the others
		}
	}
	return f
}

func meanOr(m *float64) float64 {
	if m == nil {
		return -1
	}
	return *m
}

// appendKey appends to b an encoding of everything input(over) holds:
// each field in a fixed order, numbers varint, strings length-prefixed,
// lists counted, so that two accounts share a key only when the policy
// sees the same input.
func (f *Facts) appendKey(b []byte, over uint8) []byte {
	var given uint8
	for m := range nMeasures {
		if _, ok := f.measure(m); ok {
			given |= 1 << m
		}
	}
	b = append(b, over&given, given)
	if f.Denied {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	for _, n := range []int{f.Size, f.Orgs, f.DeniedMembers, f.Strong.size, f.Strong.orgs, f.Prompt.size, f.Prompt.orgs, f.Burst, f.WindowMinutes, len(f.DeniedLinks), len(f.Hubs)} {
		b = binary.AppendVarint(b, int64(n))
	}
	b = engine.AppendString(b, f.BurstBy)
	for _, l := range f.DeniedLinks {
		b = binary.AppendVarint(engine.AppendString(b, l.Identifier), int64(l.Count))
	}
	for _, h := range f.Hubs {
		b = binary.AppendVarint(engine.AppendString(b, h.Identifier), int64(h.Accounts))
	}
	return b
}

// input is the policy's input for the facts: each measure given is true
// when its bit in over is set (the policy's above found it so).
func (f *Facts) input(over uint8) map[string]any {
	usage := map[string]any{}
	for k, name := range Usage {
		if _, ok := f.measure(k); ok {
			usage[name] = over&(1<<k) != 0
		}
	}
	cl := map[string]any{
		"size": f.Size, "distinct_orgs": f.Orgs, "denied_members": f.DeniedMembers,
		"requests_per_day": over&(1<<measurePerDay) != 0, "output_tokens_per_day": over&(1<<(measurePerDay+1)) != 0,
	}
	for k, name := range []string{"mean_cot_elicitation_share", "mean_template_concentration"} {
		if _, ok := f.measure(measureMeans + k); ok {
			cl[name] = over&(1<<(measureMeans+k)) != 0
		}
	}
	status := StatusActive
	if f.Denied {
		status = StatusDenied
	}
	denied := make([]any, len(f.DeniedLinks))
	for k, l := range f.DeniedLinks {
		denied[k] = map[string]any{"identifier": l.Identifier, "count": l.Count}
	}
	hubs := make([]any, len(f.Hubs))
	for k, h := range f.Hubs {
		hubs[k] = map[string]any{"identifier": h.Identifier, "accounts": h.Accounts}
	}
	return map[string]any{
		"status":       status,
		"usage":        usage,
		"cluster":      cl,
		"strong":       map[string]any{"size": f.Strong.size, "distinct_orgs": f.Strong.orgs},
		"prompt":       map[string]any{"size": f.Prompt.size, "distinct_orgs": f.Prompt.orgs},
		"burst":        map[string]any{"organisations": f.Burst, "identifier": f.BurstBy, "window_minutes": f.WindowMinutes},
		"denied_links": denied,
		"strong_hubs":  hubs,
	}
}

// number is a measure as the policy returns it when it echoes an input
// (ast.InterfaceToValue formats a float64 so), for facts Go adds.
func number(v float64) json.Number {
	return json.Number(strconv.FormatFloat(v, 'g', -1, 64))
}

// clusterFacts are the cluster figures a decision shows of account i.
func (a *Analysis) clusterFacts(i int32, f *Facts) map[string]any {
	id, created := "", 1
	if c := a.clusters[a.cluster[i]]; c != nil {
		id, created = c.ID, c.CreatedWithinMax
	}
	m := make(map[string]any, 9)
	m["id"], m["size"], m["distinct_orgs"], m["denied_members"] = id, f.Size, f.Orgs, f.DeniedMembers
	m["requests_per_day"], m["output_tokens_per_day"] = number(f.Measures[measurePerDay]), number(f.Measures[measurePerDay+1])
	m["created_within_window_max"] = created
	for k, name := range []string{"mean_cot_elicitation_share", "mean_template_concentration"} {
		if v, ok := f.measure(measureMeans + k); ok {
			m[name] = number(v)
		}
	}
	return m
}

// clusterID is the id of account i's cluster, "" for an account in none.
func (a *Analysis) clusterID(i int32) string {
	if c := a.clusters[a.cluster[i]]; c != nil {
		return c.ID
	}
	return ""
}

// usageFacts are the usage shares given, as a decision shows them.
func (f *Facts) usageFacts() map[string]any {
	m := map[string]any{}
	for k, name := range Usage {
		if v, ok := f.measure(k); ok {
			m[name] = number(v)
		}
	}
	return m
}

// deniedLinkFacts are the denied links as a decision shows them.
func (f *Facts) deniedLinkFacts() []any {
	out := make([]any, len(f.DeniedLinks))
	for k, l := range f.DeniedLinks {
		out[k] = map[string]any{"identifier": l.Identifier, "count": l.Count, "accounts": anys(l.Accounts)}
	}
	return out
}

func (a *Analysis) burstIdentifier(i int32) string {
	if t := a.burstBy[i]; t >= 0 {
		return Identifiers[t]
	}
	return ""
}

// markNear marks the accounts that hold a strong value with a denied
// account (nearDenied) or a strong value too widely held to follow
// (nearHub): the few whose deniedLinks and strongHubs can be other than
// empty.
func (a *Analysis) markNear() {
	a.nearDenied, a.nearHub = make([]bool, len(a.acts)), make([]bool, len(a.acts))
	for t, index := range a.holders {
		if !a.strong[t] {
			continue
		}
		for _, hs := range index.all() {
			hub := len(hs) > a.params.StrongHub
			denied := false
			for _, h := range hs {
				denied = denied || a.acts[h].Status == StatusDenied
			}
			for _, h := range hs {
				a.nearHub[h] = a.nearHub[h] || hub
				a.nearDenied[h] = a.nearDenied[h] || denied && !hub
			}
		}
	}
}

// deniedLinks lists, per strong identifier of account i, the denied
// accounts (other than i) that hold one of its values.
func (a *Analysis) deniedLinks(i int32) []DeniedLink {
	var out []DeniedLink
	act := a.acts[i]
	for t, vs := range act.IDs {
		if !a.strong[t] {
			continue
		}
		var denied []string
		for _, v := range vs {
			hs := a.holders[t].of(v)
			if len(hs) > a.params.StrongHub {
				continue // a hub is not followed (strong_hubs reports it)
			}
			for _, h := range hs {
				if h != i && a.acts[h].Status == StatusDenied && !contains(denied, a.acts[h].AccountID) {
					denied = append(denied, a.acts[h].AccountID)
				}
			}
		}
		if len(denied) > 0 {
			slices.Sort(denied)
			out = append(out, DeniedLink{Identifier: Identifiers[t], Count: len(denied), Accounts: denied[:min(len(denied), maxLinkSample)]})
		}
	}
	return out
}

// strongHubs lists the strong identifiers of account i whose value so many
// accounts hold that it was not followed.
func (a *Analysis) strongHubs(i int32) []Hub {
	var out []Hub
	for t, vs := range a.acts[i].IDs {
		if !a.strong[t] {
			continue
		}
		for _, v := range vs {
			if n := len(a.holders[t].of(v)); n > a.params.StrongHub {
				out = append(out, Hub{Identifier: Identifiers[t], Accounts: n})
			}
		}
	}
	return out
}

// Link is one identifier value account shares with others: the evidence a
// decision shows.
type Link struct {
	Identifier string   `json:"identifier"`
	Strength   string   `json:"strength"`
	Value      string   `json:"value"`
	Accounts   int      `json:"accounts"` // holders, the account included
	Sample     []string `json:"sample"`   // a few of the others
}

// Links are the identifier values account i shares with other accounts
// (strong and weak, hubs included, marked by their holder count), the
// most shared first, at most maxLinks.
func (a *Analysis) Links(i int32) []Link {
	var out []Link
	for t, vs := range a.acts[i].IDs {
		strength := ""
		switch {
		case a.strong[t]:
			strength = "strong"
		case a.weak[t]:
			strength = "weak"
		default:
			continue
		}
		for _, v := range vs {
			hs := a.holders[t].of(v)
			if len(hs) < 2 {
				continue
			}
			l := Link{Identifier: Identifiers[t], Strength: strength, Value: v, Accounts: len(hs)}
			for _, h := range hs {
				if len(l.Sample) == maxLinkSample {
					break // a hub's holders are many
				}
				if h != i {
					l.Sample = append(l.Sample, a.acts[h].AccountID)
				}
			}
			out = append(out, l)
		}
	}
	slices.SortFunc(out, func(x, y Link) int {
		return cmp.Or(cmp.Compare(x.Strength, y.Strength), cmp.Compare(x.Accounts, y.Accounts), cmp.Compare(x.Identifier, y.Identifier))
	})
	if len(out) > maxLinks {
		out = out[:maxLinks]
	}
	return out
}

// linkFacts is Links as decision facts.
func linkFacts(ls []Link) []any {
	out := make([]any, len(ls))
	for k, l := range ls {
		out[k] = map[string]any{"identifier": l.Identifier, "strength": l.Strength, "value": l.Value, "accounts": l.Accounts, "sample": anys(l.Sample)}
	}
	return out
}

// Index is the position of the account with this id in the batch.
func (a *Analysis) Index(accountID string) (int32, bool) {
	a.byIDOnce.Do(func() {
		a.byID = make(map[string]int32, len(a.acts))
		for i, act := range a.acts {
			a.byID[act.AccountID] = int32(i)
		}
	})
	i, ok := a.byID[accountID]
	return i, ok
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for k, s := range ss {
		out[k] = s
	}
	return out
}
