package networks

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/chipcheck/chipcheck/internal/rules"
)

// Analysis is what one batch of account activity says about networks: the
// clusters (connected components of accounts linked by strong
// identifiers, rare weak identifiers and near-duplicate prompts), each
// account's cluster facts, sign-up bursts and links to denied accounts.
// It is computed once per batch (Analyze) and read by every decision.
type Analysis struct {
	acts []*Activity
	// byID finds an account by id; built on first use (Index), since a
	// decision finds its account by position.
	byID     map[string]int32
	byIDOnce sync.Once
	params   rules.NetworkLinkage

	// holders[t].of(v) are the accounts holding value v of identifier t
	// (index of Identifiers), in input order.
	holders [6]*holderIndex
	strong  [6]bool
	weak    [6]bool

	cluster, strongComp, promptComp []int32 // each account's root
	clusters                        map[int32]*Cluster
	strongStats, promptStats        map[int32]compStats

	// nearDenied and nearHub mark the accounts that may have denied links
	// or strong hubs (markNear).
	nearDenied, nearHub []bool

	burst   []int32 // the largest sign-up cohort each account is in
	burstBy []int8  // the identifier of that cohort, -1 for none

	weakEdges, promptEdges int
}

// compStats are the size and distinct organisations of a component.
type compStats struct{ size, orgs int }

// Cluster is one connected component of linked accounts, with its combined
// figures. Members are in input order.
type Cluster struct {
	ID                 string     `json:"id"`
	Size               int        `json:"size"`
	DistinctOrgs       int        `json:"distinct_orgs"`
	Members            []string   `json:"members"`
	Evidence           []Evidence `json:"evidence"`
	EvidenceValues     int        `json:"evidence_values"` // shared values in all; Evidence holds the most shared
	PromptLinked       int        `json:"prompt_linked"`   // members linked to another by near-duplicate prompts
	StrongLinked       int        `json:"strong_linked"`   // members sharing a strong identifier with another
	Requests           float64    `json:"requests"`
	OutputTokens       float64    `json:"output_tokens"`
	RequestsPerDay     float64    `json:"requests_per_day"`
	OutputTokensPerDay float64    `json:"output_tokens_per_day"`
	MeanCoT            *float64   `json:"mean_cot_elicitation_share"`
	MeanTemplate       *float64   `json:"mean_template_concentration"`
	CreatedWithinMax   int        `json:"created_within_window_max"` // most members created within the burst window
	DeniedMembers      []string   `json:"denied_members"`

	members []int32
}

// Evidence is one identifier value members of a cluster share.
type Evidence struct {
	Identifier string `json:"identifier"`
	Strength   string `json:"strength"` // strong or weak
	Value      string `json:"value"`
	Accounts   int    `json:"accounts"` // members holding it
}

// Analyze links the accounts of acts with the linkage rules p. It is
// linear in the records and their identifiers, plus the pairs of accounts
// sharing a weak value (at most weak_hub squared per value) and the LSH
// buckets (bands per signature). ctx is checked between phases.
func Analyze(ctx context.Context, acts []*Activity, p rules.NetworkLinkage) (*Analysis, error) {
	if len(acts) > math.MaxInt32 {
		return nil, fmt.Errorf("networks: %d accounts is more than one batch can hold", len(acts))
	}
	a := &Analysis{acts: acts, params: p}
	for i, name := range Identifiers {
		a.strong[i] = slices.Contains(p.Strong, name)
		a.weak[i] = slices.Contains(p.Weak, name)
	}
	for i, act := range acts {
		act.pos = int32(i)
	}
	// Each identifier's holders are an index of their own, built at once.
	errs := make([]error, len(Identifiers))
	parallel(len(Identifiers), func(k int) { a.holders[k], errs[k] = newHolderIndex(acts, k) })
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	// Sign-up bursts and the accounts near a denied account or a hub
	// depend on the holders alone: found while the accounts are linked.
	var side sync.WaitGroup
	side.Go(func() {
		a.bursts()
		a.markNear()
	})
	defer side.Wait()
	n := len(acts)
	all, strong, prompt := newUnionFind(n), newUnionFind(n), newUnionFind(n)
	// Strong identifiers join every holder, unless the value is a hub.
	for t := range Identifiers {
		if !a.strong[t] {
			continue
		}
		for _, hs := range a.holders[t].all() {
			if len(hs) < 2 || len(hs) > p.StrongHub {
				continue
			}
			for _, h := range hs[1:] {
				strong.union(hs[0], h)
				all.union(hs[0], h)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	a.weakEdges = a.linkWeak(all)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	a.promptEdges = a.linkPrompts(all, prompt)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	a.cluster, a.strongComp, a.promptComp = all.roots(), strong.roots(), prompt.roots()
	a.strongStats = a.stats(a.strongComp, strong)
	a.promptStats = a.stats(a.promptComp, prompt)
	a.summarise(all)
	side.Wait()
	return a, nil
}

// parallel calls f(0) ... f(n-1), as many at once as there are CPUs, and
// returns when every call has.
func parallel(n int, f func(k int)) {
	next := make(chan int, n)
	for k := range n {
		next <- k
	}
	close(next)
	var wg sync.WaitGroup
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for k := range next {
				f(k)
			}
		})
	}
	wg.Wait()
}

// weight is a weak value's weight: ln(N / holders).
func (a *Analysis) weight(holders int) float64 {
	return math.Log(float64(len(a.acts)) / float64(holders))
}

// linkWeak adds an edge between two accounts whose shared weak values
// weigh at least weak_link_score together. Pairs are scored one account
// at a time in a scratch array, so memory stays linear.
func (a *Analysis) linkWeak(u *unionFind) int {
	n := len(a.acts)
	score := make([]float64, n)
	var touched []int32
	edges := 0
	for i, act := range a.acts {
		for t, vs := range act.IDs {
			if !a.weak[t] {
				continue
			}
			for _, v := range vs {
				hs := a.holders[t].of(v)
				if len(hs) < 2 || len(hs) > a.params.WeakHub {
					continue
				}
				w := a.weight(len(hs))
				for _, j := range hs {
					if int(j) <= i {
						continue // each pair once, from its first account
					}
					if score[j] == 0 {
						touched = append(touched, j)
					}
					score[j] += w
				}
			}
		}
		for _, j := range touched {
			if score[j] >= a.params.WeakLinkScore && u.union(int32(i), j) {
				edges++
			}
			score[j] = 0
		}
		touched = touched[:0]
	}
	return edges
}

// maxReps bounds the accounts of one LSH bucket a signature is compared
// with: a bucket every network account falls into costs a few
// comparisons per account, never the square of the bucket.
const maxReps = 4

// linkPrompts links accounts whose prompt_minhash signatures are near
// duplicates: LSH banding finds candidates (accounts agreeing on every
// value of some band), and the estimated Jaccard similarity over the
// whole signature confirms them.
//
// A band's pairs depend on no other band, so the bands are matched at
// once, one goroutine each; the pairs are then joined band after band, in
// the order a single pass would join them.
func (a *Analysis) linkPrompts(all, prompt *unionFind) int {
	mh := a.params.MinHash
	pairs := make([][][2]int32, mh.Bands)
	parallel(mh.Bands, func(b int) { pairs[b] = a.bandPairs(b) })
	edges := 0
	for _, ps := range pairs {
		for _, p := range ps {
			if prompt.union(p[0], p[1]) {
				edges++
			}
			all.union(p[0], p[1])
		}
	}
	return edges
}

// bandPairs matches the signatures on band b: each account with the first
// of the bucket's representatives (at most maxReps) whose whole signature
// is similar enough; an account matching none becomes a representative.
func (a *Analysis) bandPairs(b int) [][2]int32 {
	mh := a.params.MinHash
	need := mh.Bands * mh.Rows
	var out [][2]int32
	// A bucket's representatives are held in place (no slice per bucket):
	// most buckets hold one account.
	type bucket struct {
		n    int
		reps [maxReps]int32
	}
	buckets := make(map[uint64]bucket, len(a.acts))
	for i, act := range a.acts {
		if len(act.MinHash) < need {
			continue
		}
		key := bandKey(act.MinHash[b*mh.Rows : (b+1)*mh.Rows])
		bk := buckets[key]
		linked := false
		for _, r := range bk.reps[:bk.n] {
			if jaccard(act.MinHash, a.acts[r].MinHash) >= mh.MinJaccard {
				out = append(out, [2]int32{r, int32(i)})
				linked = true
				break
			}
		}
		if !linked && bk.n < maxReps {
			bk.reps[bk.n] = int32(i)
			bk.n++
			buckets[key] = bk
		}
	}
	return out
}

// bandKey hashes one band of a signature (FNV-1a over the values).
func bandKey(vs []uint32) uint64 {
	h := uint64(14695981039346656037)
	for _, v := range vs {
		for k := 0; k < 4; k++ {
			h ^= uint64(byte(v >> (8 * k)))
			h *= 1099511628211
		}
	}
	return h
}

// jaccard estimates the Jaccard similarity of two prompt sets from their
// MinHash signatures: the share of positions that agree, over the
// positions both give.
func jaccard(x, y []uint32) float64 {
	n := min(len(x), len(y))
	if n == 0 {
		return 0
	}
	same := 0
	for i := range n {
		if x[i] == y[i] {
			same++
		}
	}
	return float64(same) / float64(n)
}

// stats counts each component's size and distinct organisations.
func (a *Analysis) stats(roots []int32, u *unionFind) map[int32]compStats {
	orgs := map[int32]map[string]struct{}{}
	for i, r := range roots {
		if u.size[r] < 2 {
			continue
		}
		m := orgs[r]
		if m == nil {
			m = map[string]struct{}{}
			orgs[r] = m
		}
		m[a.acts[i].OrgID] = struct{}{}
	}
	out := make(map[int32]compStats, len(orgs))
	for r, m := range orgs {
		out[r] = compStats{size: int(u.size[r]), orgs: len(m)}
	}
	return out
}

// statsOf is the component of account i in roots/stats; a singleton when
// it is in none.
func statsOf(stats map[int32]compStats, roots []int32, i int) compStats {
	if s, ok := stats[roots[i]]; ok {
		return s
	}
	return compStats{size: 1, orgs: 1}
}

// window is the burst window.
func (a *Analysis) window() time.Duration {
	return time.Duration(a.params.Burst.WindowMinutes) * time.Minute
}

// bursts finds, for every account, the largest cohort of accounts created
// within the burst window that it belongs to and that shares one value of
// a burst identifier, counted in distinct declared organisations (a
// company signing its staff up at once is one organisation).
func (a *Analysis) bursts() {
	n := len(a.acts)
	a.burst, a.burstBy = make([]int32, n), make([]int8, n)
	for i := range a.burstBy {
		a.burstBy[i] = -1
	}
	w := a.window()
	for t, name := range Identifiers {
		if !slices.Contains(a.params.Burst.Identifiers, name) {
			continue
		}
		for _, hs := range a.holders[t].all() {
			if len(hs) < 2 || len(hs) > a.params.Burst.Hub {
				continue
			}
			hs = slices.Clone(hs)
			slices.SortFunc(hs, func(x, y int32) int { return a.acts[x].CreatedAt.Compare(a.acts[y].CreatedAt) })
			at := func(i int) time.Time { return a.acts[hs[i]].CreatedAt }
			org := func(i int) string { return a.acts[hs[i]].OrgID }
			for i, c := range cohorts(len(hs), at, org, w) {
				if h := hs[i]; int32(c) > a.burst[h] {
					a.burst[h], a.burstBy[h] = int32(c), int8(t)
				}
			}
		}
	}
}

// cohorts returns, for each of n times sorted ascending, the largest
// number of distinct keys (organisations; nil key: accounts) among the
// times of one window of length w that contains it. Every window worth
// counting starts at a time: window l holds times l..r(l), r growing with
// l, so counts come from a sliding window and each time's best is a
// sliding maximum over the windows that hold it.
func cohorts(n int, at func(int) time.Time, key func(int) string, w time.Duration) []int {
	out, counts := make([]int, n), make([]int, n)
	ends := make([]int, n)
	seen := map[string]int{}
	distinct := 0
	inc := func(i int) {
		if key == nil {
			distinct++
			return
		}
		k := key(i)
		if seen[k] == 0 {
			distinct++
		}
		seen[k]++
	}
	dec := func(i int) {
		if key == nil {
			distinct--
			return
		}
		k := key(i)
		if seen[k]--; seen[k] == 0 {
			distinct--
			delete(seen, k)
		}
	}
	r := -1      // the window [l, r] is counted in distinct
	var dq []int // window starts, counts decreasing
	next := 0    // the next window start to add
	for i := range n {
		for ; next <= i; next++ {
			if next > 0 {
				dec(next - 1)
			}
			if r < next {
				r = next
				inc(r)
			}
			for r < n-1 && at(r+1).Sub(at(next)) <= w {
				r++
				inc(r)
			}
			counts[next], ends[next] = distinct, r
			for len(dq) > 0 && counts[dq[len(dq)-1]] <= counts[next] {
				dq = dq[:len(dq)-1]
			}
			dq = append(dq, next)
		}
		for len(dq) > 0 && ends[dq[0]] < i {
			dq = dq[1:]
		}
		out[i] = counts[dq[0]]
	}
	return out
}

// summarise builds the clusters of two accounts or more (u's sets), with
// their combined figures.
func (a *Analysis) summarise(u *unionFind) {
	a.clusters = map[int32]*Cluster{}
	for i, r := range a.cluster {
		if u.size[r] < 2 {
			continue
		}
		c := a.clusters[r]
		if c == nil {
			c = &Cluster{members: make([]int32, 0, u.size[r])}
			a.clusters[r] = c
		}
		c.members = append(c.members, int32(i))
	}
	w := a.window()
	for _, c := range a.clusters {
		orgs := map[string]struct{}{}
		var cot, tpl sum
		times := make([]time.Time, 0, len(c.members))
		c.ID = a.acts[c.members[0]].AccountID
		for _, m := range c.members {
			act := a.acts[m]
			c.Members = append(c.Members, act.AccountID)
			c.ID = min(c.ID, act.AccountID)
			orgs[act.OrgID] = struct{}{}
			c.Requests += act.Requests
			c.OutputTokens += act.OutputTokens
			c.RequestsPerDay += act.Requests / act.Days()
			c.OutputTokensPerDay += act.OutputTokens / act.Days()
			cot.add(act.Usage[0])
			tpl.add(act.Usage[1])
			times = append(times, act.CreatedAt)
			if act.Status == StatusDenied {
				c.DeniedMembers = append(c.DeniedMembers, act.AccountID)
			}
			if a.promptStats[a.promptComp[m]].size >= 2 {
				c.PromptLinked++
			}
			if a.strongStats[a.strongComp[m]].size >= 2 {
				c.StrongLinked++
			}
		}
		c.ID = "net-" + c.ID
		c.Size, c.DistinctOrgs = len(c.members), len(orgs)
		c.MeanCoT, c.MeanTemplate = cot.mean(), tpl.mean()
		slices.SortFunc(times, func(x, y time.Time) int { return x.Compare(y) })
		c.CreatedWithinMax = slices.Max(cohorts(len(times), func(i int) time.Time { return times[i] }, nil, w))
		if c.DeniedMembers == nil {
			c.DeniedMembers = []string{}
		}
	}
}

// sum averages the usage shares that were given (-1: not given).
type sum struct {
	total float64
	n     int
}

func (s *sum) add(v float64) {
	if v >= 0 {
		s.total += v
		s.n++
	}
}

func (s *sum) mean() *float64 {
	if s.n == 0 {
		return nil
	}
	m := s.total / float64(s.n)
	return &m
}

// Clusters returns the clusters of at least minSize accounts, largest
// first (then by id), each with the identifier values its members share
// (at most maxEvidence of them, the most shared first).
func (a *Analysis) Clusters(minSize, maxEvidence int) []*Cluster {
	var out []*Cluster
	for _, c := range a.clusters {
		if c.Size >= max(minSize, 2) {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(x, y *Cluster) int {
		return cmp.Or(cmp.Compare(y.Size, x.Size), cmp.Compare(x.ID, y.ID))
	})
	want := map[int32]*Cluster{}
	for _, c := range out {
		want[a.cluster[c.members[0]]] = c
		c.Evidence, c.EvidenceValues = nil, 0
	}
	for t, name := range Identifiers {
		if !a.strong[t] && !a.weak[t] {
			continue
		}
		strength, hub := "weak", a.params.WeakHub
		if a.strong[t] {
			strength, hub = "strong", a.params.StrongHub
		}
		for v, hs := range a.holders[t].all() {
			if len(hs) < 2 || len(hs) > hub {
				continue
			}
			in := map[int32]int{}
			for _, h := range hs {
				in[a.cluster[h]]++
			}
			for r, k := range in {
				if c := want[r]; c != nil && k >= 2 {
					c.EvidenceValues++
					c.Evidence = append(c.Evidence, Evidence{Identifier: name, Strength: strength, Value: v, Accounts: k})
				}
			}
		}
	}
	for _, c := range out {
		slices.SortFunc(c.Evidence, func(x, y Evidence) int {
			return cmp.Or(cmp.Compare(y.Accounts, x.Accounts), cmp.Compare(x.Identifier, y.Identifier), cmp.Compare(x.Value, y.Value))
		})
		if len(c.Evidence) > maxEvidence {
			c.Evidence = c.Evidence[:maxEvidence]
		}
		if c.Evidence == nil {
			c.Evidence = []Evidence{}
		}
	}
	return out
}
