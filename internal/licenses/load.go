package licenses

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/chipcheck/chipcheck/internal/record"
)

// MaxFileBytes bounds one register file: a register is written by people.
const MaxFileBytes = 16 << 20

// Options configure Load.
type Options struct {
	// Country reports whether a code is a known ISO 3166-1 alpha-2 code
	// (rules/countries.yaml). Required.
	Country func(code string) bool
}

// Fields of a license, in the order docs list them; CSV columns have the
// same names, with lists separated by ";" and used.quantity,
// used.value_usd for the used block.
var fields = []string{"number", "type", "issued", "expires", "destinations", "consignee", "end_user",
	"eccns", "skus", "quantity", "value_usd", "used", "conditions"}

var usedFields = []string{"quantity", "value_usd"}

// Load reads the register at path: one .yaml/.yml/.csv file, or every such
// file under a directory. Every problem of every file is reported as
// record.Problems (file:line: field: message) and no register is returned:
// a license that could not be read must not silently be "unknown".
func Load(path string, opts Options) (*Register, error) {
	if opts.Country == nil {
		return nil, errors.New("licenses: a country vocabulary is required")
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("licenses: %w", err)
	}
	files := []string{path}
	if info.IsDir() {
		files = nil
		err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && format(p) != "" {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("licenses: %w", err)
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("licenses: %s holds no .yaml, .yml or .csv file", path)
		}
	} else if format(path) == "" {
		return nil, fmt.Errorf("licenses: %s: want a .yaml, .yml or .csv file", path)
	}
	slices.Sort(files)
	reg := &Register{Origin: path, licenses: map[string]*License{}}
	var probs record.Problems
	for _, f := range files {
		b, err := readFile(f)
		if err != nil {
			probs = append(probs, record.Problem{File: f, Msg: err.Error()})
			continue
		}
		var ls []*License
		var ps record.Problems
		if format(f) == "csv" {
			ls, ps = decodeCSV(f, b, opts)
		} else {
			ls, ps = decodeYAML(f, b, opts)
		}
		probs = append(probs, ps...)
		for _, l := range ls {
			k := Key(l.Number)
			if prev, dup := reg.licenses[k]; dup {
				probs = append(probs, record.Problem{File: l.File, Line: l.Line, Field: l.field + "number",
					Msg: fmt.Sprintf("license %q is also at %s:%d", l.Number, prev.File, prev.Line)})
				continue
			}
			reg.licenses[k] = l
		}
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return reg, nil
}

func format(p string) string {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".yaml", ".yml":
		return "yaml"
	case ".csv":
		return "csv"
	}
	return ""
}

func readFile(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxFileBytes {
		return nil, fmt.Errorf("larger than %d MiB", MaxFileBytes>>20)
	}
	return b, nil
}

// entry collects one license's fields as text, with the line of each, from
// either format; check turns it into a License.
type entry struct {
	file  string
	line  int
	path  string // "licenses.3" in YAML, "" in CSV
	text  map[string]string
	list  map[string][]string
	at    map[string]int // line of each field
	probs record.Problems
}

func (e *entry) add(field string, format string, args ...any) {
	line := e.line
	if l, ok := e.at[field]; ok {
		line = l
	}
	f := field
	if e.path != "" {
		f = e.path + "." + field
	}
	e.probs = append(e.probs, record.Problem{File: e.file, Line: line, Field: f, Msg: fmt.Sprintf(format, args...)})
}

// check validates an entry and builds its License.
func (e *entry) check(opts Options) *License {
	l := &License{File: e.file, Line: e.line}
	if e.path != "" {
		l.field = e.path + "."
	}
	req := func(k string) string {
		v := strings.TrimSpace(e.text[k])
		if v == "" {
			e.add(k, "required")
		}
		return v
	}
	l.Number = req("number")
	if l.Number != "" && Placeholder(l.Number) {
		e.add("number", "%q is a placeholder, not a license number", l.Number)
	}
	if t := req("type"); t != "" {
		if !slices.Contains(Types, strings.ToLower(t)) {
			e.add("type", "must be one of %s; got %q", strings.Join(Types, ", "), t)
		}
		l.Type = strings.ToLower(t)
	}
	l.Issued, l.Expires = e.date("issued"), e.date("expires")
	if l.Issued != "" && l.Expires != "" && l.Expires <= l.Issued {
		e.add("expires", "%s is not after issued %s", l.Expires, l.Issued)
	}
	l.Destinations = e.list["destinations"]
	if len(l.Destinations) == 0 {
		e.add("destinations", "required: at least one country code")
	}
	for _, c := range l.Destinations {
		if !opts.Country(c) {
			e.add("destinations", "unknown country code %q", c)
		}
	}
	l.Consignee = req("consignee")
	l.EndUser = strings.TrimSpace(e.text["end_user"])
	for _, p := range []struct{ k, v string }{{"consignee", l.Consignee}, {"end_user", l.EndUser}} {
		if p.v != "" && PartyKey(p.v) == "" {
			e.add(p.k, "%q holds no name to compare", p.v)
		}
	}
	l.ECCNs, l.SKUs = e.list["eccns"], e.list["skus"]
	if len(l.ECCNs)+len(l.SKUs) == 0 {
		e.add("eccns", "the license covers no item: give eccns, skus or both")
	}
	for _, c := range l.ECCNs {
		if !eccnPattern.MatchString(c) {
			e.add("eccns", "%q is not an ECCN (e.g. 3A090, 3A090.a, 4A090.b)", c)
		}
	}
	l.Quantity = e.number("quantity", true)
	l.ValueUSD = e.number("value_usd", false)
	if q := e.number("used.quantity", false); q != nil {
		l.UsedQuantity = *q
	}
	if v := e.number("used.value_usd", false); v != nil {
		l.UsedValueUSD = *v
	}
	l.Conditions = strings.TrimSpace(e.text["conditions"])
	return l
}

func (e *entry) date(k string) string {
	v := strings.TrimSpace(e.text[k])
	if v == "" {
		e.add(k, "required: a date YYYY-MM-DD")
		return ""
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		e.add(k, "not a date YYYY-MM-DD: %q", v)
		return ""
	}
	return v
}

func (e *entry) number(k string, whole bool) *float64 {
	v := strings.TrimSpace(e.text[k])
	if v == "" {
		return nil
	}
	n, err := strconv.ParseFloat(strings.ReplaceAll(v, "_", ""), 64)
	switch {
	case err != nil:
		e.add(k, "expected a number, got %q", v)
		return nil
	case n < 0:
		e.add(k, "must not be negative, got %v", n)
		return nil
	case whole && n != float64(int64(n)):
		e.add(k, "must be a whole number of units, got %v", n)
		return nil
	}
	return &n
}

// ---- YAML ----------------------------------------------------------------

// decodeYAML reads `licenses: [ {number: ..., ...}, ... ]`.
func decodeYAML(file string, b []byte, opts Options) ([]*License, record.Problems) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, record.Problems{{File: file, Msg: "empty register file"}}
		}
		return nil, record.Problems{{File: file, Msg: err.Error()}}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, record.Problems{{File: file, Line: extra.Line, Msg: "a register file holds one YAML document"}}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	bad := func(n *yaml.Node, field, msg string) record.Problems {
		return record.Problems{{File: file, Line: n.Line, Field: field, Msg: msg}}
	}
	if root.Kind != yaml.MappingNode {
		return nil, bad(root, "", "want a mapping with the key licenses")
	}
	var list *yaml.Node
	var probs record.Problems
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Value != "licenses" {
			probs = append(probs, bad(k, k.Value, "unknown key (want licenses)")...)
			continue
		}
		list = v
	}
	if list == nil {
		return nil, append(probs, bad(root, "licenses", "required")...)
	}
	if list.Kind != yaml.SequenceNode {
		return nil, append(probs, bad(list, "licenses", "want a list of licenses")...)
	}
	var out []*License
	for i, n := range list.Content {
		path := fmt.Sprintf("licenses.%d", i)
		e := &entry{file: file, line: n.Line, path: path, text: map[string]string{}, list: map[string][]string{}, at: map[string]int{}}
		if n.Kind != yaml.MappingNode {
			probs = append(probs, bad(n, path, "want a mapping")...)
			continue
		}
		e.mapping(n, "")
		l := e.check(opts)
		probs = append(probs, e.probs...)
		if len(e.probs) == 0 {
			out = append(out, l)
		}
	}
	return out, probs
}

// mapping reads a license's keys (prefix "used." for the used block).
func (e *entry) mapping(n *yaml.Node, prefix string) {
	known := fields
	if prefix != "" {
		known = usedFields
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := prefix + k.Value
		e.at[key] = k.Line
		if !slices.Contains(known, k.Value) {
			e.add(key, "unknown key (want one of %s)", strings.Join(known, ", "))
			continue
		}
		switch {
		case key == "used":
			if v.Kind != yaml.MappingNode {
				e.add(key, "want a mapping {quantity, value_usd}")
				continue
			}
			e.mapping(v, "used.")
		case key == "destinations" || key == "eccns" || key == "skus":
			if v.Kind != yaml.SequenceNode {
				e.add(key, "want a list")
				continue
			}
			for _, x := range v.Content {
				if x.Kind != yaml.ScalarNode || strings.TrimSpace(x.Value) == "" {
					e.add(key, "want non-empty text entries")
					continue
				}
				e.list[key] = append(e.list[key], strings.TrimSpace(x.Value))
			}
		case v.Kind != yaml.ScalarNode:
			e.add(key, "want a single value")
		case v.Tag == "!!null":
		default:
			e.text[key] = v.Value
		}
	}
}

// ---- CSV -----------------------------------------------------------------

// decodeCSV reads one license per row under a header of field names
// (used.quantity and used.value_usd for the used block); list fields are
// separated by ";".
func decodeCSV(file string, b []byte, opts Options) ([]*License, record.Problems) {
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return nil, record.Problems{{File: file, Line: 1, Msg: "no header row: " + err.Error()}}
	}
	var probs record.Problems
	known := append(slices.Clone(fields), "used.quantity", "used.value_usd")
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		header[i] = h
		if !slices.Contains(known, h) || h == "used" {
			probs = append(probs, record.Problem{File: file, Line: 1, Field: h, Msg: "unknown column (want " + strings.Join(known, ", ") + ")"})
		}
	}
	if len(probs) > 0 {
		return nil, probs
	}
	var out []*License
	for {
		line, _ := r.FieldPos(0)
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			probs = append(probs, record.Problem{File: file, Line: line, Msg: err.Error()})
			break
		}
		line, _ = r.FieldPos(0)
		if len(row) != len(header) {
			probs = append(probs, record.Problem{File: file, Line: line, Msg: fmt.Sprintf("%d fields, the header has %d", len(row), len(header))})
			continue
		}
		e := &entry{file: file, line: line, text: map[string]string{}, list: map[string][]string{}, at: map[string]int{}}
		for i, v := range row {
			switch h := header[i]; h {
			case "destinations", "eccns", "skus":
				for _, x := range strings.Split(v, ";") {
					if x = strings.TrimSpace(x); x != "" {
						e.list[h] = append(e.list[h], x)
					}
				}
			default:
				e.text[h] = v
			}
		}
		l := e.check(opts)
		probs = append(probs, e.probs...)
		if len(e.probs) == 0 {
			out = append(out, l)
		}
	}
	return out, probs
}
