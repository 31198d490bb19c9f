// Package policy loads chipcheck's Rego policies and rule data: it parses
// and strictly compiles the policies, indexes every rule's METADATA with
// OPA's annotation set, computes the revision that decisions record, and
// runs the Rego unit tests with OPA's tester. It is the only package that
// compiles Rego; package engine evaluates what it compiled.
package policy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/chipcheck/chipcheck/internal/rules"
)

// BuiltIn is the origin of the policies and rules embedded in the binary.
const BuiltIn = "built-in"

// Source is a tree of .rego files and where it came from.
type Source struct {
	FS fs.FS
	// Origin names the source on decisions and in messages: BuiltIn, or
	// the directory the files were read from.
	Origin string
}

// Dir is the Source of a directory of .rego files.
func Dir(dir string) (Source, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return Source{}, fmt.Errorf("policies: %w", err)
	}
	if !fi.IsDir() {
		return Source{}, fmt.Errorf("policies: %s is not a directory", dir)
	}
	return Source{FS: os.DirFS(dir), Origin: dir}, nil
}

// Options say what to load.
type Options struct {
	Policies Source
	Rules    *rules.Set // exposed to the policies as data.rules
	// RulesOrigin names where the rule data came from (BuiltIn or its
	// directory); it is recorded on decisions.
	RulesOrigin string
	// DatesFrom, when set, are the packages (path prefixes such as
	// "data.chipcheck") whose cached results Interval serves: only the
	// dates of the rule files they read split the intervals, so that a
	// date in another domain's rules (onboarding, waivers) does not halve
	// their cache hits. Empty: every date in the rule data.
	DatesFrom []string
}

// Origin says where a decision's policies and rules came from.
type Origin struct {
	Policies string `json:"policies"`
	Rules    string `json:"rules"`
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

// Policy is a compiled, checked policy with its rule data. It is read-only
// and safe for concurrent use.
type Policy struct {
	revision string
	origin   Origin
	compiler *ast.Compiler
	store    storage.Store
	data     map[string]any
	modules  map[string]*ast.Module // policy modules by file name
	tests    map[string]*ast.Module // *_test.rego modules by file name
	rules    []Rule
	byID     map[string]Rule
	dates    []string // the YYYY-MM-DD of the rule data Interval compares with, sorted, distinct
	last     string   // the latest date anywhere in the rule data
}

// Load reads, parses and compiles the policies in strict mode, refusing
// network, clock and random built-ins, and checks their METADATA. Any
// problem is an error: a caller that already runs a policy keeps it.
func Load(ctx context.Context, opts Options) (*Policy, error) {
	if opts.Rules == nil {
		return nil, fmt.Errorf("policy: no rule data")
	}
	if opts.Policies.FS == nil {
		return nil, fmt.Errorf("policy: no policies")
	}
	p := &Policy{
		origin:  Origin{Policies: opts.Policies.Origin, Rules: opts.RulesOrigin},
		data:    map[string]any{"rules": opts.Rules.Data},
		modules: map[string]*ast.Module{},
		tests:   map[string]*ast.Module{},
	}
	h := sha256.New()
	files, err := regoFiles(opts.Policies.FS)
	if err != nil {
		return nil, fmt.Errorf("policies %s: %w", opts.Policies.Origin, err)
	}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := fs.ReadFile(opts.Policies.FS, f)
		if err != nil {
			return nil, fmt.Errorf("policies %s: %w", opts.Policies.Origin, err)
		}
		name := displayName(opts.Policies.Origin, "policies", f)
		m, err := ast.ParseModuleWithOpts(name, string(b), ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
		if err != nil {
			return nil, fmt.Errorf("policy %w", err)
		}
		if isTest(f) {
			p.tests[name] = m
			continue
		}
		p.modules[name] = m
		// The revision names files by their path inside the tree, so the
		// built-in policies and a copy of them on disk hash alike.
		fmt.Fprintf(h, "policies/%s\x00%d\x00", f, len(b))
		h.Write(b)
	}
	if len(p.modules) == 0 {
		return nil, fmt.Errorf("policies %s: no .rego files", opts.Policies.Origin)
	}
	for _, n := range sortedKeys(opts.Rules.Files) {
		b := opts.Rules.Files[n]
		fmt.Fprintf(h, "rules/%s\x00%d\x00", n, len(b))
		h.Write(b)
	}
	p.revision = "sha256:" + hex.EncodeToString(h.Sum(nil))
	all := datesIn(opts.Rules.Data)
	if len(all) > 0 {
		p.last = all[len(all)-1]
	}
	p.dates = all

	p.compiler = newCompiler()
	if p.compiler.Compile(p.modules); p.compiler.Failed() {
		return nil, fmt.Errorf("policy does not compile:\n%w", p.compiler.Errors)
	}
	if p.rules, err = ruleIndex(p.compiler); err != nil {
		return nil, err
	}
	p.byID = make(map[string]Rule, len(p.rules))
	for _, r := range p.rules {
		p.byID[r.ID] = r
	}
	if len(opts.DatesFrom) > 0 {
		p.dates = p.scopeDates(opts.Rules.Data, opts.DatesFrom)
	}
	// Rule data is converted to AST once here, not on every read.
	p.store = inmem.NewFromObjectWithOpts(p.data, inmem.OptReturnASTValuesOnRead(true))
	return p, nil
}

// newCompiler is the compiler every evaluation and test uses: strict, and
// with the capabilities below.
func newCompiler() *ast.Compiler {
	return ast.NewCompiler().
		WithStrict(true).
		WithCapabilities(capabilities()).
		WithEnablePrintStatements(false)
}

// Revision is the sha256 of the policies (tests excluded) and the rule
// data, recorded on every decision so that it can be replayed.
func (p *Policy) Revision() string { return p.revision }

// Origin says where the policies and rules were read from.
func (p *Policy) Origin() Origin { return p.origin }

// Compiler is the compiled policy, for preparing queries.
func (p *Policy) Compiler() *ast.Compiler { return p.compiler }

// Store holds the rule data (data.rules), for preparing queries.
func (p *Policy) Store() storage.Store { return p.store }

// Data is the data document the policies see: {"rules": ...}.
func (p *Policy) Data() map[string]any { return p.data }

// Rules lists every rule that can fire, by id.
func (p *Policy) Rules() []Rule { return slices.Clone(p.rules) }

// Rule returns the METADATA of the rule with this id.
func (p *Policy) Rule(id string) (Rule, bool) {
	r, ok := p.byID[id]
	return r, ok
}

// Defines reports whether the policy defines a rule at ref (for example
// "data.chipcheck.party.reasons").
func (p *Policy) Defines(ref string) bool {
	r, err := ast.ParseRef(ref)
	if err != nil {
		return false
	}
	return len(p.compiler.GetRulesExact(r)) > 0
}

// Interval names the class of dates that compare alike with every date in
// the rule data. The policies compare dates only with dates from rules/
// (by <, <=, >=, >), so results that depend on a date depend only on its
// interval: each rule date is a class of its own (2i+1 for the i-th), and
// the days strictly between two rule dates (or before the first, after the
// last) another (2n for n rule dates before them). A rule date needs its
// own class because d > rd and d <= rd tell it from the day after.
func (p *Policy) Interval(date string) string {
	n, found := slices.BinarySearch(p.dates, date)
	if found {
		return strconv.Itoa(2*n + 1)
	}
	return strconv.Itoa(2 * n)
}

// Representative is a string standing for every date of date's interval:
// a rule date stands for itself; a date between rule dates becomes the
// earlier rule date plus "~", which sorts after that rule date and before
// the next day, so it compares with every rule date (by <, <=, >=, >) as
// the date does. Policies that compare dates only with rule dates cannot
// tell a date and its representative apart.
func (p *Policy) Representative(date string) string {
	n, found := slices.BinarySearch(p.dates, date)
	if found {
		return date
	}
	if n == 0 {
		return "0000-01-01"
	}
	return p.dates[n-1] + "~"
}

// LastDate is the latest date written in the rule data ("" if none).
func (p *Policy) LastDate() string { return p.last }

// scopeDates keeps, of the rule data's dates, those of the rule files that
// the packages under prefixes read. A reference it cannot follow to a file
// (the whole of data.rules) keeps every date.
func (p *Policy) scopeDates(data map[string]any, prefixes []string) []string {
	files := map[string]bool{}
	for _, r := range p.DataRefs() {
		m := p.compiler.Modules[r.File]
		if m == nil {
			return datesIn(data)
		}
		pkg := m.Package.Path.String()
		if !slices.ContainsFunc(prefixes, func(pre string) bool { return pkg == pre || strings.HasPrefix(pkg, pre+".") }) {
			continue
		}
		if len(r.Path) == 0 {
			return datesIn(data)
		}
		files[r.Path[0]] = true
	}
	scoped := map[string]any{}
	for f := range files {
		scoped[f] = data[f]
	}
	return datesIn(scoped)
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
	return sortedKeys(seen)
}

// regoFiles lists the .rego files of fsys, sorted.
func regoFiles(fsys fs.FS) ([]string, error) {
	var out []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".rego") {
			out = append(out, p)
		}
		return nil
	})
	slices.Sort(out)
	return out, err
}

// displayName is how messages and coverage reports name a policy file:
// its path on disk, or policies/... for the built-in ones.
func displayName(origin, builtinDir, file string) string {
	if origin == BuiltIn {
		return path.Join(builtinDir, file)
	}
	return path.Join(strings.ReplaceAll(origin, `\`, "/"), file)
}

func isTest(path string) bool { return strings.HasSuffix(path, "_test.rego") }

// capabilities are OPA's minus the built-ins that would let a decision depend
// on anything but its input and rule data: every one OPA marks
// non-deterministic (network, clock, randomness, keys fetched at run
// time), the runtime's own facts, and tracing.
func capabilities() *ast.Capabilities {
	c := ast.CapabilitiesForThisVersion()
	banned := map[string]bool{"opa.runtime": true, "trace": true}
	c.Builtins = slices.DeleteFunc(slices.Clone(c.Builtins), func(b *ast.Builtin) bool { return b.Nondeterministic || banned[b.Name] })
	return c
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
