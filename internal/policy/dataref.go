package policy

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// DataRef is a reference from a policy to the rule data: the path under
// data.rules as far as it is written with constant keys. Open is set when
// the reference goes on past Path with a variable key, or hands Path's
// whole value on (to a function, an iteration): everything under Path may
// be read.
type DataRef struct {
	Path []string
	Open bool
	File string
	Line int
}

func (r DataRef) String() string { return "data.rules." + strings.Join(r.Path, ".") }

// DataRefs walks the compiled policies (tests excluded) and returns every
// reference into data.rules, following the names it is bound to: a rule
// `cfg := data.rules.screening` and a local `g := data.rules.gp10`, so
// that `cfg.deny_threshold` counts as data.rules.screening.deny_threshold.
func (p *Policy) DataRefs() []DataRef {
	c := p.compiler
	// Package-level aliases: data.<pkg>.<rule> whose value is a ref into
	// data.rules.
	aliases := map[string][]string{}
	heads := map[*ast.Term]bool{} // alias values: followed through the alias
	for _, name := range sortedKeys(c.Modules) {
		m := c.Modules[name]
		for _, r := range m.Rules {
			if path, term := aliasOf(r); path != nil {
				aliases[m.Package.Path.String()+"."+r.Head.Ref().String()] = path
				heads[term] = true
			}
		}
	}
	var out []DataRef
	for _, name := range sortedKeys(c.Modules) {
		for _, r := range c.Modules[name].Rules {
			out = append(out, ruleRefs(name, r, aliases, heads)...)
		}
	}
	return out
}

// aliasOf reports whether r is `name := data.rules.a.b`: the compiler
// rewrites it to `name = x if { x = data.rules.a.b }`; both forms count.
// It returns the path and the term holding the reference.
func aliasOf(r *ast.Rule) ([]string, *ast.Term) {
	if r.Head.Value == nil || len(r.Head.Args) > 0 {
		return nil, nil
	}
	term := r.Head.Value
	if v, ok := term.Value.(ast.Var); ok && len(r.Body) == 1 && r.Body[0].IsEquality() {
		ops := r.Body[0].Operands()
		if len(ops) != 2 || ops[0].Value.Compare(v) != 0 {
			return nil, nil
		}
		term = ops[1]
	} else if !r.Body.Equal(ast.NewBody(ast.NewExpr(ast.BooleanTerm(true)))) {
		return nil, nil
	}
	ref, ok := term.Value.(ast.Ref)
	if !ok {
		return nil, nil
	}
	path, rest := rulesPath(ref)
	if path == nil || !allStrings(rest) {
		return nil, nil
	}
	for _, t := range rest {
		path = append(path, string(t.Value.(ast.String)))
	}
	return path, term
}

// ruleRefs lists the data.rules references of one rule.
func ruleRefs(file string, r *ast.Rule, aliases map[string][]string, heads map[*ast.Term]bool) []DataRef {
	locals := map[ast.Var][]string{}
	var out []DataRef
	add := func(ref ast.Ref, loc *ast.Location, bound bool) {
		base, rest := resolve(ref, aliases, locals)
		if base == nil {
			return
		}
		path := slices.Clone(base)
		open := false
		for _, t := range rest {
			s, ok := t.Value.(ast.String)
			if !ok {
				open = true
				break
			}
			path = append(path, string(s))
		}
		// A whole value bound to a name is followed through the name; any
		// other use of it (an argument, an iteration, a comparison) may
		// read all of it.
		if len(rest) == 0 && !bound {
			open = true
		}
		line := r.Location.Row
		if loc != nil && loc.Row > 0 {
			line = loc.Row
		}
		out = append(out, DataRef{Path: path, Open: open, File: file, Line: line})
	}
	// Locals first, in body order: `__local1__ = data.rules.gp10`.
	ast.WalkExprs(r, func(e *ast.Expr) bool {
		if !e.IsEquality() && !e.IsAssignment() {
			return false
		}
		ops := e.Operands()
		if len(ops) != 2 {
			return false
		}
		for i, o := range ops {
			v, ok := o.Value.(ast.Var)
			ref, isRef := ops[1-i].Value.(ast.Ref)
			if !ok || !isRef {
				continue
			}
			if base, rest := resolve(ref, aliases, locals); base != nil && allStrings(rest) {
				path := slices.Clone(base)
				for _, t := range rest {
					path = append(path, string(t.Value.(ast.String)))
				}
				locals[v] = path
			}
		}
		return false
	})
	// Terms are shared between places in compiled rules, so uses of a
	// local are counted, not marked: a local used other than where it is
	// bound and as the head of a reference (g.items) is used whole.
	bound := maps.Clone(heads)
	uses := map[ast.Var]int{}
	ast.WalkExprs(r, func(e *ast.Expr) bool {
		if e.IsEquality() || e.IsAssignment() {
			for _, o := range e.Operands() {
				switch v := o.Value.(type) {
				case ast.Ref:
					bound[o] = true
				case ast.Var:
					uses[v]--
				}
			}
		}
		return false
	})
	if p, _ := aliasOf(r); p != nil {
		if v, ok := r.Head.Value.Value.(ast.Var); ok {
			uses[v]--
		}
	}
	ast.WalkTerms(r, func(t *ast.Term) bool {
		switch x := t.Value.(type) {
		case ast.Var:
			uses[x]++
		case ast.Ref:
			if v, ok := x[0].Value.(ast.Var); ok {
				uses[v]--
			}
		}
		return false
	})
	for _, v := range slices.SortedFunc(maps.Keys(locals), func(a, b ast.Var) int { return a.Compare(b) }) {
		if uses[v] > 0 {
			out = append(out, DataRef{Path: slices.Clone(locals[v]), Open: true, File: file, Line: r.Location.Row})
		}
	}
	ast.WalkTerms(r, func(t *ast.Term) bool {
		ref, ok := t.Value.(ast.Ref)
		if !ok {
			return false
		}
		add(ref, t.Location, bound[t])
		// Refs nested in this one's keys are visited on their own.
		for _, k := range ref[1:] {
			ast.WalkTerms(k, func(t *ast.Term) bool {
				if ref, ok := t.Value.(ast.Ref); ok {
					add(ref, t.Location, false)
				}
				return false
			})
		}
		return true
	})
	return out
}

// resolve maps ref to a path under data.rules and the terms after it:
// directly, through a package-level alias, or through a local.
func resolve(ref ast.Ref, aliases map[string][]string, locals map[ast.Var][]string) ([]string, ast.Ref) {
	if path, rest := rulesPath(ref); path != nil {
		return path, rest
	}
	if v, ok := ref[0].Value.(ast.Var); ok {
		if p, ok := locals[v]; ok {
			return p, ref[1:]
		}
		if !v.Equal(ast.DefaultRootDocument.Value) {
			return nil, nil
		}
	}
	// The longest prefix of ref that is an alias.
	for n := len(ref); n > 1; n-- {
		if p, ok := aliases[ref[:n].String()]; ok {
			return p, ref[n:]
		}
	}
	return nil, nil
}

// rulesPath splits data.rules.a.b[x].c into [a b] and [x c].
func rulesPath(ref ast.Ref) ([]string, ast.Ref) {
	if len(ref) < 2 || !ref[0].Equal(ast.DefaultRootDocument) || !ref[1].Equal(ast.StringTerm("rules")) {
		return nil, nil
	}
	path := []string{}
	i := 2
	for ; i < len(ref); i++ {
		s, ok := ref[i].Value.(ast.String)
		if !ok {
			break
		}
		path = append(path, string(s))
	}
	return path, ref[i:]
}

func allStrings(ref ast.Ref) bool {
	for _, t := range ref {
		if _, ok := t.Value.(ast.String); !ok {
			return false
		}
	}
	return true
}

// Undefined lists the references whose constant path the rule data does
// not hold ("data.rules.gp10.itemz"), as file:line: message.
func (p *Policy) Undefined(refs []DataRef) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range refs {
		var v any = p.data["rules"]
		for i, k := range r.Path {
			m, ok := v.(map[string]any)
			if !ok {
				break // a list or a value: the path goes past the data's shape at run time
			}
			if v, ok = m[k]; !ok {
				// Once per missing key, where it is first named (an
				// alias's uses name it again).
				missing := "data.rules." + strings.Join(r.Path[:i+1], ".")
				if !seen[missing] {
					seen[missing] = true
					out = append(out, fmt.Sprintf("%s:%d: %s: rules/ defines no %s", r.File, r.Line, r, missing))
				}
				break
			}
		}
	}
	return out
}

// Unread lists the rule-data keys at depth two (data.rules.<file>.<key>)
// that no reference reaches, skipping the files and keys in goReads (read
// by Go, not by the policies), as "rules/<file>.yaml: <key>: ...".
func (p *Policy) Unread(refs []DataRef, goReads []string) []string {
	read := map[string]bool{} // "file" (whole file read) or "file.key"
	for _, r := range refs {
		switch {
		case len(r.Path) == 0:
			return nil // data.rules as a whole
		case len(r.Path) == 1 && r.Open:
			read[r.Path[0]] = true
		case len(r.Path) >= 2:
			read[r.Path[0]+"."+r.Path[1]] = true
		}
	}
	for _, g := range goReads {
		read[g] = true
	}
	var out []string
	rules, _ := p.data["rules"].(map[string]any)
	for _, file := range sortedKeys(rules) {
		if read[file] {
			continue
		}
		m, ok := rules[file].(map[string]any)
		if !ok {
			continue
		}
		for _, k := range sortedKeys(m) {
			if !read[file+"."+k] {
				out = append(out, fmt.Sprintf("rules/%s.yaml: %s: no policy reads data.rules.%s.%s", file, k, file, k))
			}
		}
	}
	return out
}
