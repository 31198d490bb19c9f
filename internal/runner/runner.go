// Package runner is chipcheck's pipeline, written once: it loads the rule
// data, policies and lists, reads records, lets each domain compute its
// batch-level facts, decides every record concurrently, stamps each
// decision with its provenance and emits the decisions in input order. The
// CLI (and benchmarks) call it; nothing else wires the pipeline.
//
// Check streams (stream.go): records are read in chunks (record.Stream)
// while earlier chunks are being decided, so a run holds a few chunks in
// memory, never the input. The domains see it so:
//
//   - Prepare is called on one goroutine, chunk after chunk, in input
//     order, with the chunk's records of the domain's kinds, before any of
//     them is decided. Each run (one Check or Decide call) is one batch,
//     with its own record.Batch: Batch.Chunk is 0 when the batch starts,
//     and Batch.State carries what a domain keeps from chunk to chunk (a
//     running ledger). Records of earlier chunks may still be being
//     decided while a later chunk is prepared, so what Decide needs is
//     put in the records, never in the domain.
//   - A domain whose Prepare needs every record of its kinds at once
//     (networks of accounts) implements WholeBatch; Check then reads the
//     whole input before preparing and deciding anything, and one
//     Prepare call sees it all.
//   - Decide is called concurrently, on records in any order; the
//     decisions are emitted in input order.
//
// An input problem stops the deciding (reading goes on, to report every
// problem) unless CheckOptions.KeepGoing; the caller holds the output
// back until it knows there was none (internal/spool).
package runner

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	chipcheck "github.com/chipcheck/chipcheck"
	"github.com/chipcheck/chipcheck/internal/buildinfo"
	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/engine"
	"github.com/chipcheck/chipcheck/internal/licenses"
	"github.com/chipcheck/chipcheck/internal/lists"
	"github.com/chipcheck/chipcheck/internal/networks"
	"github.com/chipcheck/chipcheck/internal/onboarding"
	"github.com/chipcheck/chipcheck/internal/orders"
	"github.com/chipcheck/chipcheck/internal/policy"
	"github.com/chipcheck/chipcheck/internal/record"
	"github.com/chipcheck/chipcheck/internal/rules"
	"github.com/chipcheck/chipcheck/internal/screen"
	"github.com/chipcheck/chipcheck/internal/waivers"
)

// Options say what a run loads and how it decides.
type Options struct {
	PoliciesDir string   // "" for the built-in policies
	RulesDir    string   // "" for the built-in rule data
	ListsDir    string   // "" to decide without screening (the policy says so on every order)
	ListsOnly   []string // the list sets to use ("csl", "sdn", "nonsdn"); empty: all of them
	// MaxListAgeDays, when above 0, reviews every decision screened
	// against a list snapshot older than this (SCREEN-LIST-STALE).
	MaxListAgeDays int
	AsOf           string // YYYY-MM-DD: judge every record under the rules of this date
	Exporter       string // the exporter chipcheck works for (is-informed letters)
	// Licenses is the license register (a file or directory,
	// docs/licenses.md); "" for none, and every license claim is reviewed.
	Licenses string
	Workers  int // records decided in parallel; 0 means one per CPU
	// VerifyCache re-evaluates every cached result (slow; for tests).
	VerifyCache bool
	// NewEvaluator, when set, replaces the engine (prepared queries and
	// caches) the domains evaluate their queries with; the benchmarks
	// pass their naive evaluator.
	NewEvaluator func(*policy.Policy, []engine.Query) (engine.Evaluator, error)
	// WaiversFile is a file of waivers besides rules/waivers.yaml ("" for
	// none).
	WaiversFile string
	// Now is the clock (decision times, today's rules for chip records);
	// nil means time.Now.
	Now func() time.Time
	// ListsWhileReading lets Load return before the lists are loaded and
	// indexed: Check reads its first records meanwhile, and a list that
	// cannot be loaded is Check's error, before anything is decided.
	// Until Check or Decide returns, only they may be called, and the
	// Runner's Lists, CacheStats and Describe are not yet known.
	ListsWhileReading bool
}

// Domain judges the records of the kinds it is registered with
// (addDomain), which also say how to read them.
type Domain interface {
	// Prepare computes the facts that depend on other records of the
	// batch. It is called on one goroutine, chunk after chunk in input
	// order, with the records of its kinds in each chunk, before any of
	// them is decided; b.Chunk == 0 says a new batch starts, and b.State
	// carries the domain's state (a running ledger) to the next chunk.
	// Records of earlier chunks may still be being decided meanwhile, so
	// what Decide needs goes into the records given (their Value), not
	// into the domain. A domain that must see every record of the batch
	// at once implements WholeBatch.
	Prepare(ctx context.Context, b *record.Batch, recs []*record.Record) error
	// Decide judges one record; a record that cannot be judged gets a
	// CHIPCHECK-EVAL-ERROR reason, never an error.
	Decide(ctx context.Context, rec *record.Record) decision.Decision
}

// Runner holds everything a batch is decided with, loaded once.
type Runner struct {
	opts       Options
	Rules      *rules.Set
	Policy     *policy.Policy
	Evaluator  engine.Evaluator    // an *engine.Engine unless Options.NewEvaluator says otherwise
	Lists      *lists.Corpus       // nil without Options.ListsDir
	Licenses   *licenses.Register  // nil without Options.Licenses
	domains    map[string]Domain   // by kind
	kinds      []record.Kind       // every domain's, in registration order
	provenance decision.Provenance // what every decision's provenance shares
	waivers    *waivers.Set        // applied to every decision as it is stamped
	stats      []statter           // the caches CacheStats reports on
	// loaded is closed once the lists Load left loading are loaded and
	// the domains built, with loadErr (nil: Load waited for them).
	loaded  chan struct{}
	loadErr error
}

type statter interface{ Stats() []engine.Stat }

// CacheStats reports what each cache saved: every evaluator's, per query,
// and the order cache.
func (r *Runner) CacheStats() []engine.Stat {
	var out []engine.Stat
	for _, s := range r.stats {
		out = append(out, s.Stats()...)
	}
	return out
}

// Load loads the rule data, compiles the policies, loads and indexes the
// lists, and prepares the domains. Any problem is an error and nothing is
// decided. With Options.ListsWhileReading it returns before the lists
// are loaded, and a list problem is the error of the Check that follows.
func Load(ctx context.Context, opts Options) (*Runner, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	rs, err := LoadRules(opts)
	if err != nil {
		return nil, err
	}
	// The lists load while the policies compile (and, with
	// ListsWhileReading, while Check reads the first records).
	type listsLoaded struct {
		corpus *lists.Corpus
		index  *screen.Index
		min    float64
		err    error
	}
	listsDone := make(chan listsLoaded, 1)
	go func() {
		var l listsLoaded
		if opts.ListsDir != "" {
			if l.corpus, l.err = LoadLists(ctx, opts.ListsDir, rs, lists.Options{Only: opts.ListsOnly, Now: opts.Now}); l.err == nil {
				l.index, l.min, l.err = Index(rs, l.corpus)
			}
		}
		listsDone <- l
	}()
	// fail waits for the lists, so that no goroutine outlives a failed
	// Load.
	fail := func(err error) (*Runner, error) {
		<-listsDone
		return nil, err
	}
	pol, err := LoadPolicy(ctx, opts, rs)
	if err != nil {
		return fail(err)
	}
	newEval := opts.NewEvaluator
	if newEval == nil {
		newEval = func(pol *policy.Policy, qs []engine.Query) (engine.Evaluator, error) {
			return engine.New(ctx, engine.Options{Policy: pol, Queries: qs, VerifyCache: opts.VerifyCache})
		}
	}
	r := &Runner{opts: opts, Rules: rs, Policy: pol, domains: map[string]Domain{}}
	r.kinds = append(append(orders.Kinds(rs), onboarding.Kinds(rs)...), networks.Kinds(rs)...)
	var evs [3]engine.Evaluator
	for i, qs := range [][]engine.Query{orders.Queries(), onboarding.Queries(), networks.Queries()} {
		if evs[i], err = newEval(pol, qs); err != nil {
			return fail(err)
		}
	}
	r.Evaluator = evs[0]
	if opts.Licenses != "" {
		if r.Licenses, err = licenses.Load(opts.Licenses, licenses.Options{Country: rs.Country}); err != nil {
			return fail(err)
		}
	}
	if r.waivers, err = LoadWaivers(opts, rs, pol); err != nil {
		return fail(err)
	}
	finish := func() error {
		l := <-listsDone
		if l.err != nil {
			return l.err
		}
		return r.addDomains(l.corpus, l.index, l.min, evs)
	}
	if !opts.ListsWhileReading {
		if err := finish(); err != nil {
			return nil, err
		}
		return r, nil
	}
	r.loaded = make(chan struct{})
	go func() {
		r.loadErr = finish()
		close(r.loaded)
	}()
	return r, nil
}

// addDomains builds the domains with the lists loaded (corpus and index
// nil without them) and the evaluators of their queries (orders,
// onboarding, networks), and the provenance every decision shares.
func (r *Runner) addDomains(corpus *lists.Corpus, index *screen.Index, minScore float64, evs [3]engine.Evaluator) error {
	opts, rs, pol := r.opts, r.Rules, r.Policy
	r.Lists = corpus
	facts := orders.FactOptions{Catalog: orders.NewCatalog(rs), AsOf: opts.AsOf, Exporter: opts.Exporter, Letters: orders.LettersOf(rs)}
	if index != nil {
		facts.Screener = orders.NewIndexScreener(index, minScore)
		facts.MaxListAgeDays = opts.MaxListAgeDays
		for _, li := range corpus.Lists {
			facts.Lists = append(facts.Lists, orders.ListAge{ID: li.ID, Name: li.Name, Snapshot: li.Snapshot, AgeDays: li.AgeDays})
		}
	}
	od, err := orders.New(orders.Options{Policy: pol, Evaluator: evs[0], Facts: facts, Now: opts.Now, Licenses: r.Licenses, VerifyCache: opts.VerifyCache})
	if err != nil {
		return err
	}
	r.judge(od, orders.Kinds(rs))
	r.stats = append(r.stats, od)
	ob, err := onboarding.New(onboarding.Options{Policy: pol, Evaluator: evs[1], Rules: rs, Screener: facts.Screener,
		Lists: facts.Lists, MaxListAgeDays: facts.MaxListAgeDays, AsOf: opts.AsOf})
	if err != nil {
		return err
	}
	r.judge(ob, onboarding.Kinds(rs))
	nd, err := networks.New(networks.Options{Policy: pol, Evaluator: evs[2], Linkage: rs.Networks().Linkage})
	if err != nil {
		return err
	}
	r.judge(nd, networks.Kinds(rs))
	for _, ev := range evs {
		if s, ok := ev.(statter); ok {
			r.stats = append(r.stats, s)
		}
	}
	r.provenance = decision.Provenance{Exporter: opts.Exporter, Lists: []decision.ListSnapshot{}, Chipcheck: buildinfo.Read().String()}
	if corpus != nil {
		for _, li := range corpus.Lists {
			r.provenance.Lists = append(r.provenance.Lists, decision.ListSnapshot{ID: li.ID, Name: li.Name, Snapshot: li.Snapshot, SHA256: li.SHA256})
		}
	}
	return nil
}

// ready waits for what Load left loading (Options.ListsWhileReading) and
// reports its error.
func (r *Runner) ready() error {
	if r.loaded == nil {
		return nil
	}
	<-r.loaded
	return r.loadErr
}

// judge registers d as the judge of kinds (which Load has put in r.kinds
// for reading).
func (r *Runner) judge(d Domain, kinds []record.Kind) {
	for _, k := range kinds {
		r.domains[k.Name] = d
	}
}

// LoadRules loads the rule data of opts.RulesDir, or the built-in rules.
func LoadRules(opts Options) (*rules.Set, error) {
	if opts.RulesDir == "" {
		return rules.Load(chipcheck.Rules(), "rules")
	}
	return rules.LoadDir(opts.RulesDir)
}

// LoadPolicy compiles the policies of opts.PoliciesDir, or the built-in
// ones, with the rule data rs, and checks that they hold every stage the
// domains run.
func LoadPolicy(ctx context.Context, opts Options, rs *rules.Set) (*policy.Policy, error) {
	src := policy.Source{FS: chipcheck.Policies(), Origin: policy.BuiltIn}
	if opts.PoliciesDir != "" {
		var err error
		if src, err = policy.Dir(opts.PoliciesDir); err != nil {
			return nil, err
		}
	}
	rulesOrigin := policy.BuiltIn
	if opts.RulesDir != "" {
		rulesOrigin = opts.RulesDir
	}
	pol, err := policy.Load(ctx, policy.Options{Policies: src, Rules: rs, RulesOrigin: rulesOrigin, DatesFrom: []string{orders.Package}})
	if err != nil {
		return nil, err
	}
	if err := orders.CheckPolicy(pol); err != nil {
		return nil, err
	}
	if err := onboarding.CheckPolicy(pol); err != nil {
		return nil, err
	}
	if err := networks.CheckPolicy(pol); err != nil {
		return nil, err
	}
	return pol, nil
}

// LoadWaivers loads rules/waivers.yaml of rs and opts.WaiversFile, judging
// expiry on opts.Now's date (time.Now if unset); a waiver must name a rule
// the policy declares.
func LoadWaivers(opts Options, rs *rules.Set, pol *policy.Policy) (*waivers.Set, error) {
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	wo := waivers.Options{
		Rules: rs.Files[waivers.File], RulesName: filepath.Join(rs.Dir, waivers.File),
		Known: func(id string) bool { _, ok := pol.Rule(id); return ok },
		Today: now(),
	}
	if opts.WaiversFile != "" {
		b, err := os.ReadFile(opts.WaiversFile)
		if err != nil {
			return nil, fmt.Errorf("waivers: %w", err)
		}
		wo.Extra, wo.ExtraName = b, opts.WaiversFile
	}
	return waivers.Load(wo)
}

// Waivers is the waivers the runner applies (for reporting the unused).
func (r *Runner) Waivers() *waivers.Set { return r.waivers }

// LoadLists loads the lists of dir, naming countries as rs does.
func LoadLists(ctx context.Context, dir string, rs *rules.Set, opts lists.Options) (*lists.Corpus, error) {
	opts.CountryCode = rs.CountryCode
	return lists.LoadDir(ctx, dir, opts)
}

// UpdateLists fetches fresh list files into dir (from mirror, if given),
// atomically; see lists.Update.
func UpdateLists(ctx context.Context, dir, mirror string, rs *rules.Set) ([]lists.ListInfo, error) {
	return lists.Update(ctx, dir, lists.UpdateOptions{Mirror: mirror, Options: lists.Options{CountryCode: rs.CountryCode}})
}

// Index indexes the entries of c for screening with the matcher numbers of
// rs, and returns it with the review threshold (the least score a hit
// needs).
func Index(rs *rules.Set, c *lists.Corpus) (*screen.Index, float64, error) {
	opts, min, err := screen.FromRules(screen.DefaultOptions(), rs.Number)
	if err != nil {
		return nil, 0, err
	}
	ix, err := screen.NewIndex(c.Entries, opts)
	return ix, min, err
}

// ReadOptions say how to read records.
type ReadOptions struct {
	Kind   string    // the kind of records that carry none (--kind)
	Format string    // the format of stdin and of files without a known extension
	Stdin  io.Reader // read for "-"
}

// Read reads and validates the records of paths, of the kinds the domains
// read: the valid records in input order, and every problem found.
func (r *Runner) Read(ctx context.Context, ro ReadOptions, paths ...string) ([]record.Record, record.Problems) {
	opts := record.Options{Kinds: r.kinds, Kind: ro.Kind, Format: ro.Format, Stdin: ro.Stdin}
	if r.opts.AsOf == "" {
		opts.Dates = r.DateRange()
	}
	return record.Read(ctx, opts, paths...)
}

// DateRange is the earliest and latest dates a record may carry unless
// --as-of says which rules to judge it under: from 2000-01-01 (before the
// first advanced-computing rule) to five years past the latest date the
// rules know.
func (r *Runner) DateRange() [2]string {
	hi := "9999-12-31"
	if last, err := time.Parse(time.DateOnly, r.Policy.LastDate()); err == nil {
		hi = last.AddDate(5, 0, 0).Format(time.DateOnly)
	}
	return [2]string{"2000-01-01", hi}
}

// Describe says what the runner decides with, for the summary line:
// "policies built-in, rules built-in, lists /srv/lists (oldest snapshot
// 2026-11-30, 3 days old)" or "..., lists none (not screened)".
func (r *Runner) Describe() string {
	o := r.Policy.Origin()
	used := "lists none (not screened)"
	if r.Lists != nil {
		oldest, age := r.Lists.Oldest()
		stale := ""
		if age < 0 || age > lists.StaleAfterDays {
			stale = fmt.Sprintf(": older than %d days, run chipcheck lists update", lists.StaleAfterDays)
		}
		used = fmt.Sprintf("lists %s (oldest snapshot %s, %d days old%s)", r.opts.ListsDir, oldest.Snapshot, age, stale)
	}
	if r.Licenses != nil {
		used += fmt.Sprintf(", licenses %s (%d)", r.Licenses.Origin, r.Licenses.Len())
	}
	return fmt.Sprintf("policies %s, rules %s, %s", o.Policies, o.Rules, used)
}
