// Package engine is chipcheck's only user of OPA. It loads the Rego of
// policies/ and the data of rules/, refuses a policy that does not compile or
// whose firing rules lack metadata, prepares the queries once, and evaluates
// chips and orders concurrently, caching a chip's classification per regime.
package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/chipcheck/chipcheck/internal/rules"
)

// The documents the engine queries.
const (
	queryClassify = "data.chipcheck.classify.result"
	queryJudge    = "data.chipcheck.item.judged"
	queryPlace    = "data.chipcheck.place.facts"
	queryNotice   = "data.chipcheck.authorization.notice_problem"
)

// Options say where the policy and rule data come from.
type Options struct {
	PolicyDir string     // directory of .rego files, walked recursively
	Rules     *rules.Set // loaded rule data, exposed as data.rules
	// VerifyCache re-evaluates every stage cache hit and reports a
	// difference as an evaluation error. For tests: it removes the speed-up.
	VerifyCache bool
	// Naive evaluates as a first attempt would: no prepared queries (each
	// evaluation parses and plans its query), no caches, rule data converted
	// on every read. Only the benchmark's baseline uses it.
	Naive bool
}

// Rule is one rule's METADATA: the single source of rule ids and citations.
type Rule struct {
	ID          string `json:"id"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description"`
	Citation    string `json:"citation"`
	File        string `json:"file"`
	Line        int    `json:"line"`
}

// Engine evaluates records against one compiled policy and rule set. It is
// safe for concurrent use.
type Engine struct {
	revision string
	rules    []Rule
	modules  map[string]*ast.Module // policy modules, tests included (for the tester)
	compiler *ast.Compiler
	store    storage.Store
	data     map[string]any

	classify, judge, place, notice query
	stages                         map[string]*stage

	// Classifications and place facts are pure functions of their input and
	// the date, and the policies compare the date only with dates written in
	// rules/ (by <, <=, >=, >). Two dates that compare alike with every rule
	// date are therefore indistinguishable, and results are cached per such
	// interval (see interval).
	ruleDates   []string
	classCache  cache[*Classification] // interval + chip spec
	lineCache   cache[*line]           // interval + chip spec
	placeCache  sync.Map               // interval + country -> *ast.Term
	noticeCache sync.Map               // notice days -> problem text or nil
	classes     sync.Map               // view + canonical view -> *itemClass
	nextClass   atomic.Int64
	verify      bool
	naive       bool
	naiveStore  storage.Store
}

// New loads, compiles, checks and prepares. Any problem is an error: the
// caller keeps whatever engine it had before.
func New(ctx context.Context, opts Options) (*Engine, error) {
	if opts.Rules == nil {
		return nil, fmt.Errorf("engine: no rule data")
	}
	files, err := regoFiles(opts.PolicyDir)
	if err != nil {
		return nil, err
	}
	e := &Engine{modules: map[string]*ast.Module{}, data: map[string]any{"rules": opts.Rules.Data}, verify: opts.VerifyCache, naive: opts.Naive}
	h := sha256.New()
	policy := map[string]*ast.Module{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("engine: %w", err)
		}
		m, err := ast.ParseModuleWithOpts(f, string(b), ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
		if err != nil {
			return nil, fmt.Errorf("policy %w", err)
		}
		e.modules[f] = m
		if !isTest(f) {
			policy[f] = m
			rel, _ := filepath.Rel(opts.PolicyDir, f)
			fmt.Fprintf(h, "policies/%s\x00%d\x00", filepath.ToSlash(rel), len(b))
			h.Write(b)
		}
	}
	if len(policy) == 0 {
		return nil, fmt.Errorf("engine: no .rego files in %s", opts.PolicyDir)
	}
	names := make([]string, 0, len(opts.Rules.Files))
	for n := range opts.Rules.Files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		b := opts.Rules.Files[n]
		fmt.Fprintf(h, "rules/%s\x00%d\x00", n, len(b))
		h.Write(b)
	}
	e.revision = "sha256:" + hex.EncodeToString(h.Sum(nil))
	e.ruleDates = datesIn(opts.Rules.Data)

	e.compiler = ast.NewCompiler().
		WithStrict(true).
		WithCapabilities(capabilities()).
		WithEnablePrintStatements(false)
	if e.compiler.Compile(policy); e.compiler.Failed() {
		return nil, fmt.Errorf("policy does not compile:\n%w", e.compiler.Errors)
	}
	if e.rules, err = ruleIndex(e.compiler); err != nil {
		return nil, err
	}

	// Rule data is converted to AST once here, not on every read.
	e.store = inmem.NewFromObjectWithOpts(e.data, inmem.OptReturnASTValuesOnRead(true))
	e.naiveStore = inmem.NewFromObject(e.data)
	prep := func(q string) (query, error) {
		pq, err := rego.New(
			rego.Query(q),
			rego.Compiler(e.compiler),
			rego.Store(e.store),
			rego.StrictBuiltinErrors(true),
		).PrepareForEval(ctx)
		if err != nil {
			return query{}, fmt.Errorf("engine: prepare %s: %w", q, err)
		}
		return query{text: q, pq: pq}, nil
	}
	if e.classify, err = prep(queryClassify); err != nil {
		return nil, err
	}
	if e.judge, err = prep(queryJudge); err != nil {
		return nil, err
	}
	if e.place, err = prep(queryPlace); err != nil {
		return nil, err
	}
	if e.notice, err = prep(queryNotice); err != nil {
		return nil, err
	}
	if err := e.prepareStages(ctx, prep); err != nil {
		return nil, err
	}
	return e, nil
}

// Revision is the sha256 of policies/ (tests excluded) and rules/, recorded
// on every decision so that it can be replayed.
func (e *Engine) Revision() string { return e.revision }

// Rules lists every rule that can fire, by id.
func (e *Engine) Rules() []Rule { return slices.Clone(e.rules) }

// Rule returns the metadata of the rule with this id.
func (e *Engine) Rule(id string) (Rule, bool) {
	i := slices.IndexFunc(e.rules, func(r Rule) bool { return r.ID == id })
	if i < 0 {
		return Rule{}, false
	}
	return e.rules[i], true
}

// datesIn lists, sorted and distinct, every YYYY-MM-DD string in the data.
func datesIn(v any) []string {
	seen := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		case string:
			if _, err := time.Parse(time.DateOnly, x); err == nil {
				seen[x] = true
			}
		}
	}
	walk(v)
	out := make([]string, 0, len(seen))
	for d := range seen {
		out = append(out, d)
	}
	slices.Sort(out)
	return out
}

// interval names the class of dates that compare alike with every rule
// date: each rule date is a class of its own (2i+1 for the i-th), and the
// days strictly between two rule dates (or before the first, after the
// last) another (2n for n rule dates before them). A rule date needs its
// own class because d > rd and d <= rd tell it from the day after.
func (e *Engine) interval(date string) string {
	n, found := slices.BinarySearch(e.ruleDates, date)
	if found {
		return strconv.Itoa(2*n + 1)
	}
	return strconv.Itoa(2 * n)
}

// query is a prepared query and its text (the text serves Options.Naive).
type query struct {
	text string
	pq   rego.PreparedEvalQuery
}

// eval evaluates q on input (an ast.Value, or a Go value to convert).
func (e *Engine) eval(ctx context.Context, q query, input any) (rego.ResultSet, error) {
	if e.naive {
		in := rego.Input(input)
		if v, ok := input.(ast.Value); ok {
			in = rego.ParsedInput(v)
		}
		return rego.New(rego.Query(q.text), rego.Compiler(e.compiler), rego.Store(e.naiveStore), in).Eval(ctx)
	}
	if v, ok := input.(ast.Value); ok {
		return q.pq.Eval(ctx, rego.EvalParsedInput(v))
	}
	return q.pq.Eval(ctx, rego.EvalInput(input))
}

func regoFiles(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".rego") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("engine: policies: %w", err)
	}
	sort.Strings(out)
	return out, nil
}

func isTest(path string) bool { return strings.HasSuffix(path, "_test.rego") }

// capabilities are OPA's minus the built-ins that would let a decision depend
// on anything but its input and rule data: network, clock, randomness.
func capabilities() *ast.Capabilities {
	c := ast.CapabilitiesForThisVersion()
	banned := map[string]bool{
		"http.send": true, "net.lookup_ip_addr": true, "opa.runtime": true,
		"time.now_ns": true, "rand.intn": true, "uuid.rfc4122": true, "uuid.parse": true,
		"trace": true,
	}
	c.Builtins = slices.DeleteFunc(slices.Clone(c.Builtins), func(b *ast.Builtin) bool { return banned[b.Name] })
	return c
}

// ruleIndex collects the METADATA of every rule that carries a custom.id and
// checks it is complete and unique. Rules named reasons or requirements must
// all carry one (or say which rule they forward).
func ruleIndex(c *ast.Compiler) ([]Rule, error) {
	var out []Rule
	var problems []string
	seen := map[string]Rule{}
	for _, name := range sortedKeys(c.Modules) {
		m := c.Modules[name]
		for _, r := range m.Rules {
			a := ruleAnnotation(r)
			head := r.Head.Name.String()
			if len(r.Head.Reference) > 0 {
				head = r.Head.Reference[0].String()
			}
			if a == nil || a.Custom["id"] == nil {
				if (head == "reasons" || head == "requirements") && (a == nil || a.Custom["forwards"] == nil) {
					problems = append(problems, fmt.Sprintf("%s:%d: rule %s has no METADATA custom.id", name, r.Location.Row, head))
				}
				continue
			}
			id, _ := a.Custom["id"].(string)
			cit, _ := a.Custom["citation"].(string)
			rule := Rule{ID: id, Title: a.Title, Description: a.Description, Citation: cit, File: name, Line: r.Location.Row}
			if rule.Description == "" {
				rule.Description = a.Title
			}
			switch {
			case id == "":
				problems = append(problems, fmt.Sprintf("%s:%d: custom.id must be a non-empty string", name, r.Location.Row))
			case cit == "":
				problems = append(problems, fmt.Sprintf("%s:%d: rule %s has no custom.citation", name, r.Location.Row, id))
			case rule.Description == "":
				problems = append(problems, fmt.Sprintf("%s:%d: rule %s has no description", name, r.Location.Row, id))
			}
			if prev, dup := seen[id]; dup {
				problems = append(problems, fmt.Sprintf("%s:%d: rule id %s is already used at %s:%d", name, r.Location.Row, id, prev.File, prev.Line))
				continue
			}
			seen[id] = rule
			out = append(out, rule)
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("policy metadata:\n  %s", strings.Join(problems, "\n  "))
	}
	slices.SortFunc(out, func(a, b Rule) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

func ruleAnnotation(r *ast.Rule) *ast.Annotations {
	for _, a := range r.Annotations {
		if a.Scope == "rule" {
			return a
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
