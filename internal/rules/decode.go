package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// parse reads the one YAML document of a rule file. A syntax error, or a
// second document, is a problem; doc is nil for an empty file.
func parse(file string, b []byte) (doc *yaml.Node, probs Problems) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var first yaml.Node
	switch err := decodeNode(dec, &first); {
	case err == io.EOF:
		return nil, nil
	case err != nil:
		return nil, Problems{syntaxProblem(file, err)}
	}
	var next yaml.Node
	switch err := decodeNode(dec, &next); {
	case err == io.EOF:
	case err != nil:
		probs = append(probs, syntaxProblem(file, err))
	default:
		probs = append(probs, Problem{File: file, Line: max(next.Line, 1),
			Msg: "a second YAML document: a rule file holds one"})
	}
	return &first, probs
}

// decodeNode guards against a parser panic on malformed input: rule data
// that does not parse is a problem to report, not a crash.
func decodeNode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("yaml: parser failed: %v", p)
		}
	}()
	return dec.Decode(n)
}

// untyped decodes doc the way the policies see it: JSON-compatible values,
// dates as YYYY-MM-DD text. yaml.v3 reports duplicate keys here, and
// refuses documents that alias their way to too many values.
func untyped(file, stem string, doc *yaml.Node) (v any, probs Problems) {
	if probs = textKeys(file, doc, stem, probs); len(probs) > 0 {
		return nil, probs
	}
	err := func() (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("yaml: decoder failed: %v", p)
			}
		}()
		return doc.Decode(&v)
	}()
	var te *yaml.TypeError
	switch {
	case errors.As(err, &te):
		for _, e := range te.Errors {
			probs = append(probs, syntaxProblem(file, errors.New("yaml: "+e)))
		}
		return nil, probs
	case err != nil:
		return nil, Problems{syntaxProblem(file, err)}
	}
	if v, ok := jsonValue(v); ok {
		return v, nil
	}
	return nil, Problems{{File: file, Line: 1, Field: stem, Msg: "a map key that is not text"}}
}

// textKeys reports every mapping key that is not text: the policies'
// data is JSON, whose keys are. Aliases are not followed (what they name
// is checked where it is defined).
func textKeys(file string, n *yaml.Node, path string, probs Problems) Problems {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			probs = textKeys(file, c, path, probs)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			probs = textKeys(file, c, path+"."+strconv.Itoa(i), probs)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := deref(n.Content[i]), n.Content[i+1]
			switch {
			case k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge":
				probs = textKeys(file, v, path, probs)
			case k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str":
				probs = append(probs, Problem{File: file, Line: k.Line, Field: path,
					Msg: fmt.Sprintf("a key must be text, got %s (quote it)", describe(k))})
			default:
				probs = textKeys(file, v, path+"."+k.Value, probs)
			}
		}
	}
	return probs
}

var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// yamlParserErrors are the messages for which yaml.v3 gives a 0-based
// line (its parser's, rather than its scanner's): that of the construct
// the error is in, or no line if that is the first one.
var yamlParserErrors = []string{
	"did not find expected <stream-start>", "did not find expected <document start>",
	"found undefined tag handle", "did not find expected node content",
	"did not find expected '-' indicator", "did not find expected key",
	"did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"found duplicate %YAML directive", "found incompatible YAML document",
	"found duplicate %TAG directive",
}

// syntaxProblem turns a yaml.v3 error into a problem at the line it names
// (the first line when it names none).
func syntaxProblem(file string, err error) Problem {
	p := Problem{File: file, Line: 1, Msg: "invalid YAML: " + err.Error()}
	m := yamlLine.FindStringSubmatch(err.Error())
	if m == nil {
		return p
	}
	p.Msg = "invalid YAML: " + m[2]
	if m[1] != "" {
		p.Line, _ = strconv.Atoi(m[1])
		if slices.Contains(yamlParserErrors, m[2]) {
			p.Line++
		}
	}
	p.Line = max(p.Line, 1)
	return p
}

// jsonValue turns a decoded YAML tree into values OPA accepts: dates as
// the YYYY-MM-DD text they were written as. ok is false if a map key is
// not text (textKeys reports where).
func jsonValue(v any) (_ any, ok bool) {
	ok = true
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k], ok = jsonValue(e)
			if !ok {
				return nil, false
			}
		}
	case map[any]any:
		return nil, false
	case []any:
		for i, e := range x {
			x[i], ok = jsonValue(e)
			if !ok {
				return nil, false
			}
		}
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format(time.DateOnly), true
		}
		return x.Format(time.RFC3339), true
	}
	return v, true
}

// decoder fills the typed structures of schema.go from a yaml.Node tree,
// reporting every key it does not know, every required key missing and
// every value of the wrong type.
type decoder struct {
	file  string
	probs Problems
	lines map[string]int  // dotted path -> line of its key, or of the value for a scalar
	bad   map[string]bool // paths with a problem: later checks leave them alone
}

func newDecoder(file string) *decoder {
	return &decoder{file: file, lines: map[string]int{}, bad: map[string]bool{}}
}

func (d *decoder) add(line int, path, format string, args ...any) {
	d.bad[path] = true
	d.probs = append(d.probs, Problem{File: d.file, Line: line, Field: path, Msg: fmt.Sprintf(format, args...)})
}

// decodeRoot decodes the document doc (nil: an empty file) into v, a
// pointer, under the path stem.
func (d *decoder) decodeRoot(doc *yaml.Node, stem string, v any) {
	d.lines[stem] = 1
	if doc == nil || len(doc.Content) == 0 {
		d.add(1, stem, "the file holds no rule data")
		return
	}
	d.decode(doc.Content[0], 1, stem, reflect.ValueOf(v).Elem())
}

var dateType = reflect.TypeFor[Date]()

// decode fills v from n. keyLine is the line of the key n is the value of
// (n's own line for a list element).
func (d *decoder) decode(n *yaml.Node, keyLine int, path string, v reflect.Value) {
	n = deref(n)
	if v.Kind() == reflect.Pointer {
		if isNull(n) {
			v.SetZero()
			return
		}
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		v = v.Elem()
	}
	switch {
	case v.Kind() == reflect.Struct:
		d.lines[path] = keyLine
		d.decodeStruct(n, keyLine, path, v)
		return
	case v.Kind() == reflect.Map:
		d.lines[path] = keyLine
		if n.Kind != yaml.MappingNode {
			d.add(n.Line, path, "expected a mapping, got %s", describe(n))
			return
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		for _, p := range pairs(n) {
			key, ok := d.key(p.key, path)
			if !ok {
				continue
			}
			e := reflect.New(v.Type().Elem()).Elem()
			d.decode(p.value, p.key.Line, path+"."+key, e)
			v.SetMapIndex(reflect.ValueOf(key), e)
		}
		return
	case v.Kind() == reflect.Slice:
		d.lines[path] = keyLine
		if n.Kind != yaml.SequenceNode {
			d.add(n.Line, path, "expected a list, got %s", describe(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, e := range n.Content {
			d.decode(e, deref(e).Line, path+"."+strconv.Itoa(i), s.Index(i))
		}
		v.Set(s)
		return
	}
	d.lines[path] = n.Line
	if n.Kind != yaml.ScalarNode {
		d.add(n.Line, path, "expected %s, got %s", want(v.Type()), describe(n))
		return
	}
	d.scalar(n, path, v)
}

// scalar fills v, a string, Date, float64, int or bool, from scalar n.
// A value must be written as its type: a quoted "0.95" is text, not a
// number, and a number is not text.
func (d *decoder) scalar(n *yaml.Node, path string, v reflect.Value) {
	tag := n.ShortTag()
	switch {
	case v.Type() == dateType:
		if s, msg := date(n); msg != "" {
			d.add(n.Line, path, "%s", msg)
		} else {
			v.SetString(string(s))
		}
	case v.Kind() == reflect.String:
		if tag != "!!str" {
			d.add(n.Line, path, "expected a string, got %s (quote it if it is meant as text)", describe(n))
			return
		}
		v.SetString(n.Value)
	case v.Kind() == reflect.Float64:
		var f float64
		if (tag != "!!int" && tag != "!!float") || n.Decode(&f) != nil {
			d.add(n.Line, path, "expected a number, got %s", describe(n))
			return
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			d.add(n.Line, path, "expected a finite number, got %s", describe(n))
			return
		}
		v.SetFloat(f)
	case v.Kind() == reflect.Int:
		var i int
		if tag != "!!int" || n.Decode(&i) != nil {
			d.add(n.Line, path, "expected a whole number, got %s", describe(n))
			return
		}
		v.SetInt(int64(i))
	case v.Kind() == reflect.Bool:
		if tag != "!!bool" {
			d.add(n.Line, path, "expected true or false, got %s", describe(n))
			return
		}
		var b bool
		_ = n.Decode(&b) // a !!bool always decodes
		v.SetBool(b)
	default:
		panic("rules: no decoding for " + v.Type().String())
	}
}

var dateText = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

// date reads a date written YYYY-MM-DD, quoted or not (unquoted, YAML
// reads it as a timestamp); msg says why n is not one.
func date(n *yaml.Node) (Date, string) {
	tag := n.ShortTag()
	if tag != "!!str" && tag != "!!timestamp" {
		return "", fmt.Sprintf("expected a date YYYY-MM-DD, got %s", describe(n))
	}
	s := n.Value
	if !dateText.MatchString(s) {
		if len(s) > 10 && dateText.MatchString(s[:10]) {
			return "", fmt.Sprintf("expected a date YYYY-MM-DD without a time of day, got %q", s)
		}
		return "", fmt.Sprintf("expected a date YYYY-MM-DD, got %q", s)
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		why := err.Error()
		if i := strings.LastIndex(why, ": "); i >= 0 {
			why = why[i+2:]
		}
		return "", fmt.Sprintf("%q is not a calendar date (%s)", s, why)
	}
	return Date(s), ""
}

// field is one key of a struct's YAML shape.
type field struct {
	name     string
	index    []int
	required bool
}

// fieldsOf lists the keys of struct type t, those of ",inline" embedded
// structs included.
func fieldsOf(t reflect.Type) []field {
	var out []field
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if opts == "inline" {
			for _, sub := range fieldsOf(f.Type) {
				sub.index = append([]int{i}, sub.index...)
				out = append(out, sub)
			}
			continue
		}
		out = append(out, field{name: name, index: []int{i}, required: f.Tag.Get("rules") == "required"})
	}
	return out
}

func (d *decoder) decodeStruct(n *yaml.Node, keyLine int, path string, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		d.add(n.Line, path, "expected a mapping, got %s", describe(n))
		return
	}
	fields := fieldsOf(v.Type())
	given := map[string]bool{}
	for _, p := range pairs(n) {
		key, ok := d.key(p.key, path)
		if !ok {
			continue
		}
		i := slices.IndexFunc(fields, func(f field) bool { return f.name == key })
		if i < 0 {
			names := make([]string, len(fields))
			for j, f := range fields {
				names[j] = f.name
			}
			slices.Sort(names)
			d.add(p.key.Line, path+"."+key, "unknown key %q (known: %s)", key, strings.Join(names, ", "))
			continue
		}
		f := fields[i]
		if isNull(deref(p.value)) {
			continue // as if not given
		}
		given[key] = true
		fv := v.FieldByIndex(f.index)
		d.decode(p.value, p.key.Line, path+"."+key, fv)
		if f.required && fv.Kind() == reflect.String && fv.String() == "" && !d.bad[path+"."+key] {
			d.add(deref(p.value).Line, path+"."+key, "must not be empty")
		}
	}
	for _, f := range fields {
		if f.required && !given[f.name] {
			d.add(keyLine, path+"."+f.name, "required")
		}
	}
}

// key reads a mapping key, which must be text.
func (d *decoder) key(k *yaml.Node, path string) (string, bool) {
	k = deref(k)
	if k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str" {
		d.add(k.Line, path, "a key must be text, got %s (quote it)", describe(k))
		return "", false
	}
	return k.Value, true
}

type pair struct{ key, value *yaml.Node }

// pairs lists the members of mapping n with merge keys (<<) applied:
// explicit keys win over merged ones, and earlier merged mappings over
// later ones. untyped has already refused a merge of anything but
// mappings, and alias cycles.
func pairs(n *yaml.Node) []pair {
	var out, merged []pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			v = deref(v)
			srcs := []*yaml.Node{v}
			if v.Kind == yaml.SequenceNode {
				srcs = v.Content
			}
			for _, src := range srcs {
				if src = deref(src); src.Kind == yaml.MappingNode {
					merged = append(merged, pairs(src)...)
				}
			}
			continue
		}
		out = append(out, pair{k, v})
	}
	have := map[string]bool{}
	for _, p := range out {
		have[p.key.Value] = true
	}
	for _, p := range merged {
		if !have[p.key.Value] {
			have[p.key.Value] = true
			out = append(out, p)
		}
	}
	return out
}

func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// describe names a node's type and, for a scalar, its value, for
// "expected X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
	default:
		return "nothing"
	}
	v := n.Value
	if len(v) > 40 {
		v = v[:40] + "..."
	}
	switch n.ShortTag() {
	case "!!null":
		return "null"
	case "!!str":
		return "string " + strconv.Quote(v)
	case "!!int", "!!float":
		return "number " + v
	case "!!bool":
		return "boolean " + v
	case "!!timestamp":
		return "date " + v
	}
	return n.ShortTag() + " " + strconv.Quote(v)
}

// want names what a Go type expects, for messages.
func want(t reflect.Type) string {
	switch {
	case t == dateType:
		return "a date YYYY-MM-DD"
	case t.Kind() == reflect.String:
		return "a string"
	case t.Kind() == reflect.Float64:
		return "a number"
	case t.Kind() == reflect.Int:
		return "a whole number"
	case t.Kind() == reflect.Bool:
		return "true or false"
	}
	return t.Kind().String()
}
