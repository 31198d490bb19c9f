package networks

import (
	"cmp"
	"slices"
)

// How much evidence one decision carries: the account's shared values and,
// for each, a few of the accounts sharing it.
const (
	maxLinks      = 10
	maxLinkSample = 5
)

// Input is the Rego input of account i: its own status and usage, its
// cluster's combined facts, its strong-identifier and prompt components,
// its largest sign-up cohort, and its links to denied accounts
// (policies/access/network/network.rego documents each field).
func (a *Analysis) Input(i int32) map[string]any {
	act := a.acts[i]
	usage := map[string]any{}
	for k, name := range Usage {
		if act.Usage[k] >= 0 {
			usage[name] = act.Usage[k]
		}
	}
	days := act.Days()
	cl := map[string]any{
		"id": "", "size": 1, "distinct_orgs": 1,
		"requests_per_day": act.Requests / days, "output_tokens_per_day": act.OutputTokens / days,
		"created_within_window_max": 1, "denied_members": 0,
	}
	if v := act.Usage[0]; v >= 0 {
		cl["mean_cot_elicitation_share"] = v
	}
	if v := act.Usage[1]; v >= 0 {
		cl["mean_template_concentration"] = v
	}
	if c := a.clusters[a.cluster[i]]; c != nil {
		denied := len(c.DeniedMembers)
		if act.Status == StatusDenied {
			denied-- // the others
		}
		cl = map[string]any{
			"id": c.ID, "size": c.Size, "distinct_orgs": c.DistinctOrgs,
			"requests_per_day": c.RequestsPerDay, "output_tokens_per_day": c.OutputTokensPerDay,
			"created_within_window_max": c.CreatedWithinMax, "denied_members": denied,
			"prompt_linked": c.PromptLinked, "strong_linked": c.StrongLinked,
		}
		if c.MeanCoT != nil {
			cl["mean_cot_elicitation_share"] = *c.MeanCoT
		}
		if c.MeanTemplate != nil {
			cl["mean_template_concentration"] = *c.MeanTemplate
		}
	}
	st, pr := statsOf(a.strongStats, a.strongComp, int(i)), statsOf(a.promptStats, a.promptComp, int(i))
	in := map[string]any{
		"status":       act.Status,
		"usage":        usage,
		"window_days":  days,
		"cluster":      cl,
		"strong":       map[string]any{"size": st.size, "distinct_orgs": st.orgs},
		"prompt":       map[string]any{"size": pr.size, "distinct_orgs": pr.orgs, "signature": len(act.MinHash) >= a.params.MinHash.Bands*a.params.MinHash.Rows},
		"burst":        map[string]any{"organisations": max(int(a.burst[i]), 1), "identifier": a.burstIdentifier(i), "window_minutes": a.params.Burst.WindowMinutes},
		"denied_links": a.deniedLinks(i),
		"strong_hubs":  a.strongHubs(i),
	}
	return in
}

func (a *Analysis) burstIdentifier(i int32) string {
	if t := a.burstBy[i]; t >= 0 {
		return Identifiers[t]
	}
	return ""
}

// deniedLinks lists, per strong identifier of account i, the denied
// accounts (other than i) that hold one of its values.
func (a *Analysis) deniedLinks(i int32) []any {
	out := []any{}
	act := a.acts[i]
	for t, vs := range act.IDs {
		if !a.strong[t] {
			continue
		}
		var denied []string
		for _, v := range vs {
			hs := a.holders[t][v]
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
			out = append(out, map[string]any{"identifier": Identifiers[t], "count": len(denied), "accounts": anys(denied[:min(len(denied), maxLinkSample)])})
		}
	}
	return out
}

// strongHubs lists the strong identifiers of account i whose value so many
// accounts hold that it was not followed.
func (a *Analysis) strongHubs(i int32) []any {
	out := []any{}
	for t, vs := range a.acts[i].IDs {
		if !a.strong[t] {
			continue
		}
		for _, v := range vs {
			if n := len(a.holders[t][v]); n > a.params.StrongHub {
				out = append(out, map[string]any{"identifier": Identifiers[t], "accounts": n})
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
			hs := a.holders[t][v]
			if len(hs) < 2 {
				continue
			}
			l := Link{Identifier: Identifiers[t], Strength: strength, Value: v, Accounts: len(hs)}
			for _, h := range hs {
				if h != i && len(l.Sample) < maxLinkSample {
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
