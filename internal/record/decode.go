package record

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xrash/smetrics"
)

// Decoder is what a Kind's Build turns a record's nodes into typed values
// with. Its methods check one field each and report what is wrong as a
// Problem naming the file, the line and the field's path; they record
// every problem rather than stopping at the first, so a user fixes a file
// in one round. Reading gives Build one Decoder per file at a time; it is
// not safe for concurrent use.
//
// The methods that read a member of a mapping take the mapping m, its path
// p (nil for the record itself) and the member's key; a missing or null
// member reads as absent.
type Decoder struct {
	file  string
	dates [2]string // Options.Dates
	probs []Problem
}

// Path is the dotted path of a field ("items.0.chip"), built lazily: the
// chain lives on the stack and is only turned into a string when a problem
// needs it. A nil *Path is the record itself.
type Path struct {
	up    *Path
	key   string // "" for a list element
	index int
}

// Key is the path of member key under p.
func (p *Path) Key(key string) Path { return Path{up: p, key: key} }

// At is the path of element i of the list at p.
func (p *Path) At(i int) Path { return Path{up: p, index: i} }

func (p *Path) String() string {
	if p == nil {
		return ""
	}
	var sb strings.Builder
	p.write(&sb)
	return sb.String()
}

// write is recursive rather than a loop over p.up: a loop makes the
// compiler think every path escapes, and paths are meant to stay on the
// stack.
func (p *Path) write(sb *strings.Builder) {
	if p.up != nil {
		p.up.write(sb)
		sb.WriteByte('.')
	}
	if p.key != "" {
		sb.WriteString(p.key)
	} else {
		sb.WriteString(strconv.Itoa(p.index))
	}
}

// Addf reports a problem with the field at f (nil: the record), found at
// line.
func (d *Decoder) Addf(line int, f *Path, format string, args ...any) {
	d.probs = append(d.probs, Problem{File: d.file, Line: line, Field: f.String(), Msg: fmt.Sprintf(format, args...)})
}

// Reported is the number of problems reported so far, for a builder to
// tell whether a part of a record was valid.
func (d *Decoder) Reported() int { return len(d.probs) }

// Only reports every member of mapping m whose key is not one of keys,
// with the nearest known key when one is close, so that a misspelt field
// is never dropped silently. Keys starting x_ or x- are the writer's own
// (an internal reference, say): allowed anywhere, never read.
func (d *Decoder) Only(m *Node, p *Path, keys []string) {
	for c := m.first; c != nil; c = c.next {
		if !slices.Contains(keys, c.key) && !strings.HasPrefix(c.key, "x_") && !strings.HasPrefix(c.key, "x-") {
			f := p.Key(c.key)
			d.Addf(c.line, &f, "unknown field %q%s", c.key, DidYouMean(c.key, keys))
		}
	}
}

// DidYouMean is `; did you mean "x"?` for the key nearest to key, when one
// is near enough to be a likely typo, else "".
func DidYouMean(key string, keys []string) string {
	// A likely typo: one edit in a short key, two in a longer one.
	best, dist := "", 2
	if len(key) >= 5 {
		dist = 3
	}
	for _, k := range keys {
		if d := smetrics.WagnerFischer(key, k, 1, 1, 1); d < dist {
			best, dist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// Field returns member key of mapping m, or nil when it is absent or null.
// A key given twice is a problem: which of the two was meant is
// unknowable.
func (d *Decoder) Field(m *Node, p *Path, key string) *Node {
	var found *Node
	for c := m.first; c != nil; c = c.next {
		if c.key != key {
			continue
		}
		if found == nil {
			found = c
			continue
		}
		f := p.Key(key)
		d.Addf(c.line, &f, "given twice (first on line %d)", found.line)
	}
	if found == nil || found.kind == NullNode {
		return nil
	}
	return found
}

// Required reports member key of m as missing, at m's line.
func (d *Decoder) Required(m *Node, p *Path, key string) {
	f := p.Key(key)
	d.Addf(m.line, &f, "required")
}

// fieldOrRequired is Field, reporting a missing member when required.
func (d *Decoder) fieldOrRequired(m *Node, p *Path, key string, required bool) *Node {
	n := d.Field(m, p, key)
	if n == nil && required {
		d.Required(m, p, key)
	}
	return n
}

// IsMap reports whether n is a mapping; anything else is a problem.
func (d *Decoder) IsMap(n *Node, p *Path) bool {
	if n.kind == MapNode {
		return true
	}
	d.Addf(n.line, p, "expected a mapping, got %s", describe(n))
	return false
}

// List returns member key of m if it is a list, nil if absent; anything
// else is a problem.
func (d *Decoder) List(m *Node, p *Path, key string) *Node {
	n := d.Field(m, p, key)
	if n == nil {
		return nil
	}
	if n.kind != ListNode {
		f := p.Key(key)
		d.Addf(n.line, &f, "expected a list, got %s", describe(n))
		return nil
	}
	return n
}

// Text reads scalar n, at f, as a string. Numbers and booleans are
// accepted by their literal text, so `number: 123` or an unquoted `NO`
// mean "123" and "NO"; surrounding space is never significant. A mapping
// or list is a problem.
func (d *Decoder) Text(n *Node, f *Path) string {
	switch n.kind {
	case StringNode, NumberNode, BoolNode:
		return strings.TrimSpace(n.text)
	case NullNode:
		return ""
	}
	d.Addf(n.line, f, "expected a string, got %s", describe(n))
	return ""
}

// Str reads an optional string.
func (d *Decoder) Str(m *Node, p *Path, key string) string {
	n := d.Field(m, p, key)
	if n == nil {
		return ""
	}
	f := p.Key(key)
	return d.Text(n, &f)
}

// ReqStr reads a string that must be given and not be empty.
func (d *Decoder) ReqStr(m *Node, p *Path, key string) string {
	n := d.fieldOrRequired(m, p, key, true)
	if n == nil {
		return ""
	}
	f := p.Key(key)
	s := d.Text(n, &f)
	if s == "" && n.kind.Scalar() {
		d.Addf(n.line, &f, "must not be empty")
	}
	return s
}

// NumberRule is a bound a number field must respect.
type NumberRule uint8

// The bounds of Decoder.Number.
const (
	Positive      NumberRule = iota // above 0
	PositiveWhole                   // a whole number above 0 (a count)
	NonNegative                     // 0 or more
)

// maxFigure bounds every number a record may give: no chip, count or price
// comes near it, and figures multiplied together (TPP = TOPS x bits x
// count) must stay finite.
const maxFigure = 1e12

// Number reads an optional number within rule and at most 1e12 in
// magnitude; nil means absent or invalid (reported). A string holds a
// number only where the syntax left its type open (a CSV cell, an
// unquoted YAML scalar): "8" in quotes is text.
func (d *Decoder) Number(m *Node, p *Path, key string, rule NumberRule) *float64 {
	n := d.Field(m, p, key)
	if n == nil {
		return nil
	}
	f := p.Key(key)
	var v float64
	switch {
	case n.kind == NumberNode || n.kind == StringNode && n.plain:
		var ok bool
		if v, ok = parseNumber(n.text); !ok {
			if n.kind == NumberNode {
				d.Addf(n.line, &f, "expected a finite number, got %s", quote(n.text))
			} else {
				d.Addf(n.line, &f, "expected a number, got %s", describe(n))
			}
			return nil
		}
	default:
		d.Addf(n.line, &f, "expected a number, got %s", describe(n))
		return nil
	}
	switch {
	case (rule == Positive || rule == PositiveWhole) && v <= 0:
		d.Addf(n.line, &f, "must be greater than 0, got %s", formatNum(v))
		return nil
	case rule == PositiveWhole && v != math.Trunc(v):
		d.Addf(n.line, &f, "must be a whole number, got %s", formatNum(v))
		return nil
	case rule == NonNegative && v < 0:
		d.Addf(n.line, &f, "must not be negative, got %s", formatNum(v))
		return nil
	case math.Abs(v) > maxFigure:
		d.Addf(n.line, &f, "%s is beyond any real figure (at most %g)", formatNum(v), maxFigure)
		return nil
	}
	return &v
}

// parseNumber parses a number the way YAML writes them too: underscores
// as digit separators and 0x/0o/0b prefixes are allowed; NaN and
// infinities are not, since every bound check would pass them.
func parseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if strings.IndexByte(s, '_') >= 0 {
		s = strings.ReplaceAll(s, "_", "")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		i, ierr := strconv.ParseInt(s, 0, 64)
		if ierr != nil {
			return 0, false
		}
		v = float64(i)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// Bool reads an optional boolean: true, false, yes or no, the last two
// only where the syntax left the type open; nil means absent or invalid
// (reported).
func (d *Decoder) Bool(m *Node, p *Path, key string) *bool {
	n := d.Field(m, p, key)
	if n == nil {
		return nil
	}
	if n.kind == BoolNode || n.kind == StringNode && n.plain {
		switch strings.ToLower(strings.TrimSpace(n.text)) {
		case "true", "yes":
			v := true
			return &v
		case "false", "no":
			v := false
			return &v
		}
	}
	f := p.Key(key)
	d.Addf(n.line, &f, "expected a boolean (true or false), got %s", describe(n))
	return nil
}

// Country reads a country code, upper-cased, and checks it with known.
func (d *Decoder) Country(m *Node, p *Path, key string, required bool, known func(code string) bool) string {
	return d.CountryHint(m, p, key, required, known, nil)
}

// CountryHint is Country whose message for an unknown code ends with
// hint(code) (the nearest known codes), when hint is not nil.
func (d *Decoder) CountryHint(m *Node, p *Path, key string, required bool, known func(code string) bool, hint func(code string) string) string {
	n := d.fieldOrRequired(m, p, key, required)
	if n == nil {
		return ""
	}
	f := p.Key(key)
	s := strings.ToUpper(d.Text(n, &f))
	switch {
	case s == "" && n.kind.Scalar():
		if required {
			d.Addf(n.line, &f, "required")
		}
	case s != "" && !known(s):
		more := ""
		if hint != nil {
			more = hint(s)
		}
		d.Addf(n.line, &f, "unknown country code %q%s", s, more)
	}
	return s
}

// Date reads a date YYYY-MM-DD within Options.Dates.
func (d *Decoder) Date(m *Node, p *Path, key string, required bool) string {
	return d.date(m, p, key, required, false)
}

// Codes reads a list of codes that known must accept; what names them in
// problems ("end-use": "unknown end-use code").
func (d *Decoder) Codes(m *Node, p *Path, key string, known func(code string) bool, what string) []string {
	l := d.List(m, p, key)
	if l == nil {
		return nil
	}
	lf := p.Key(key)
	out := make([]string, 0, l.Len())
	for i, e := 0, l.first; e != nil; i, e = i+1, e.next {
		f := lf.At(i)
		s := d.Text(e, &f)
		switch {
		case !e.kind.Scalar():
			// reported by Text
		case s == "":
			d.Addf(e.line, &f, "empty %s code", what)
		case !known(s):
			d.Addf(e.line, &f, "unknown %s code %q", what, s)
		default:
			out = append(out, s)
		}
	}
	return out
}

// describe names a node's type and, for a scalar, its value, for
// "expected X, got Y" messages.
func describe(n *Node) string {
	switch n.kind {
	case MapNode, ListNode, NullNode:
		return n.kind.String()
	}
	return n.kind.String() + " " + quote(n.text)
}

// quote quotes s for a message, cutting very long values short.
func quote(s string) string {
	const max = 60
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + "..."
	}
	return strconv.Quote(s)
}

func formatNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
