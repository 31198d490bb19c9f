package record

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// readCSV reads a CSV file of orders (one row per order line) or chips
// (one row per chip). The flattening, documented for users in CSV.md:
//
//   - The first row is the header; each column is the dotted path of a
//     field, e.g. parties.buyer.name. A numeric segment is a list index
//     (parties.intermediates.0.name); elements are ordered by index, which
//     need not be contiguous.
//   - A row's kind is its kind cell, else Options.Kind. Rows of kind chip
//     are one chip record each, its fields at the top level (name,
//     datacenter, die_area_mm2, tops_fp8, ...).
//   - Other rows are order lines. Rows with the same id form one order, in
//     the order of their first row, adjacent or not; a row without an id
//     is an order of its own (and fails validation).
//   - Columns starting with "items." describe the row's item
//     (items.sku, items.quantity, items.chip.name, items.contains.0.count);
//     they take no index: a row whose item cells are all empty adds no item.
//     All other columns are order-level: every row of an order may repeat
//     them, but non-empty values must agree.
//   - A column tops_<format> (at any level, e.g. items.chip.tops_fp8) adds a
//     performance entry {format, bits, tops} to the object it sits in; bits
//     are the trailing digits of the format name (fp8 -> 8, bf16 -> 16).
//   - end_use.codes and red_flags hold several codes separated by ";".
//   - An empty cell means "not given". Numbers and booleans
//     (true/false/yes/no) are parsed from the text.
//
// Header problems (duplicate, malformed or conflicting columns) are
// reported once at the header line, and the column is ignored. A CSV
// syntax error ends the file, and none of its records are returned, since
// the orders whose rows come later would be incomplete.
func (r *reader) readCSV(file string, data []byte) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return
	}
	if err != nil {
		r.csvError(file, err)
		return
	}
	headerLine, _ := cr.FieldPos(0)
	cols := r.csvHeader(file, headerLine, header)
	idCol, kindCol := -1, -1
	for i, c := range cols {
		switch {
		case c.skip:
		case c.name == "id":
			idCol = i
		case c.name == "kind":
			kindCol = i
		}
	}
	cell := func(row []string, i int) string {
		if i < 0 {
			return ""
		}
		return strings.TrimSpace(row[i])
	}

	var entries []*csvEntry // records in the order of their first row
	orders := map[string]*csvEntry{}
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			r.csvError(file, err)
			return
		}
		line, _ := cr.FieldPos(0)
		if len(row) != len(cols) {
			r.problem(file, line, "", fmt.Sprintf("row has %d fields, the header %d", len(row), len(cols)))
			continue
		}
		size, empty := 0, true
		for _, c := range row {
			size += len(c) + 1
			if strings.TrimSpace(c) != "" {
				empty = false
			}
		}
		if empty {
			continue
		}
		kind := strings.ToLower(cell(row, kindCol))
		if kind == "" {
			kind = strings.ToLower(strings.TrimSpace(r.opts.Kind))
		}
		if kind == KindChip {
			e := &csvEntry{tree: newCSVTree(line), line: line, size: size}
			for i := range cols {
				if v := strings.TrimSpace(row[i]); v != "" && !cols[i].skip {
					e.tree.place(&cols[i].full, cols[i], v, line)
				}
			}
			entries = append(entries, e)
			continue
		}
		id := cell(row, idCol)
		e := orders[id]
		if e == nil {
			e = &csvEntry{tree: newCSVTree(line), line: line, seen: make([]int, len(cols))}
			entries = append(entries, e)
			if id != "" {
				orders[id] = e
			}
		}
		e.size += size
		var item *csvTree
		for i := range cols {
			c := &cols[i]
			v := strings.TrimSpace(row[i])
			if v == "" || c.skip {
				continue
			}
			if c.item {
				if item == nil {
					item = newCSVTree(line)
				}
				item.place(&c.rel, *c, v, line)
				continue
			}
			if first := e.seen[i]; first != 0 {
				// Order-level values may repeat on every row but must agree.
				if prev := e.first[i]; prev != v {
					r.problem(file, line, c.name, fmt.Sprintf("%q conflicts with %q on line %d for the same order", v, prev, first))
				}
				continue
			}
			if e.first == nil {
				e.first = make([]string, len(cols))
			}
			e.seen[i], e.first[i] = line, v
			e.tree.place(&c.full, *c, v, line)
		}
		if item != nil {
			if e.items == nil {
				e.items = &node{kind: listNode, line: line, key: "items"}
				e.tree.root.add(e.items)
			}
			e.items.add(item.root)
		}
	}
	for _, e := range entries {
		if !r.live() {
			return
		}
		if e.size > maxRecord {
			r.problem(file, e.line, "", fmt.Sprintf("record is larger than the %s limit", sizeName(maxRecord)))
			continue
		}
		sortLists(e.tree.root)
		r.emit(file, e.tree.root, e.line)
	}
}

// csvEntry is one record being assembled from rows.
type csvEntry struct {
	tree  *csvTree
	items *node    // the order's items list, once it has one
	line  int      // of its first row
	size  int      // bytes of its rows, for the record limit
	seen  []int    // per column: line where an order-level value was first given
	first []string // per column: that value
}

type csvColumn struct {
	name   string
	full   csvPath // from the record's root
	rel    csvPath // from the item's root, for an items.* column; else full
	item   bool    // an items.* column
	list   bool    // several codes separated by ";"
	format string  // tops_<format>: the number format
	bits   int     // its width
	skip   bool    // reported at the header and ignored
}

// csvPath is where a column's value goes: segs is the dotted name split
// (a tops_ column's ends in "performance", "#"); prefixes[i] names the
// container holding segs[i+1], and kinds[i] is its kind. They are worked
// out once at the header so that placing a cell costs a few map lookups.
type csvPath struct {
	segs     []string
	prefixes []string
	kinds    []nodeKind
}

func newCSVPath(segs []string) csvPath {
	p := csvPath{segs: segs}
	for i := 0; i+1 < len(segs); i++ {
		p.prefixes = append(p.prefixes, strings.Join(segs[:i+1], "."))
		kind := mapNode
		if isIndex(segs[i+1]) || segs[i+1] == "#" {
			kind = listNode
		}
		p.kinds = append(p.kinds, kind)
	}
	return p
}

// listColumns hold several codes in one cell.
var listColumns = map[string]bool{"end_use.codes": true, "red_flags": true}

// csvHeader parses the header, reporting malformed, duplicate and
// conflicting columns.
func (r *reader) csvHeader(file string, line int, header []string) []csvColumn {
	cols := make([]csvColumn, len(header))
	bad := func(i int, field, msg string) {
		r.problem(file, line, field, msg)
		cols[i].skip = true
	}
	// Every container and leaf the columns make, by dotted path: two
	// columns conflict if one is a field of the other, or one treats a value
	// as a list and the other as a mapping.
	type slot struct {
		col  int
		leaf bool
		kind nodeKind
	}
	slots := map[string]slot{}
	names := map[string]bool{}
	for i, h := range header {
		name := strings.TrimSpace(h)
		c := &cols[i]
		c.name = name
		if name == "" {
			bad(i, "", fmt.Sprintf("column %d has no name", i+1))
			continue
		}
		if names[name] {
			bad(i, name, "column given twice")
			continue
		}
		names[name] = true
		segs := strings.Split(name, ".")
		if slices.Contains(segs, "") {
			bad(i, name, "empty segment in column name")
			continue
		}
		if isIndex(segs[0]) {
			bad(i, name, "a column must start with a field name")
			continue
		}
		if segs[0] == "items" {
			if len(segs) == 1 || isIndex(segs[1]) {
				bad(i, name, "item columns name the item's field (items.sku, items.chip.name) and take no index: one row per item")
				continue
			}
			c.item = true
		}
		c.list = listColumns[name]
		last := segs[len(segs)-1]
		if format, ok := strings.CutPrefix(last, "tops_"); ok {
			bits := trailingDigits(format)
			if bits <= 0 {
				bad(i, name, fmt.Sprintf("cannot tell the bit width of number format %q: name it with its width, e.g. tops_fp8", format))
				continue
			}
			c.format, c.bits = format, bits
			segs = append(segs[:len(segs)-1], "performance", "#")
		}
		full := newCSVPath(segs)
		other := -1
		for k, prefix := range full.prefixes {
			if s, ok := slots[prefix]; ok && (s.leaf || s.kind != full.kinds[k]) {
				other = s.col
				break
			}
		}
		leaf := strings.Join(segs, ".")
		if s, ok := slots[leaf]; ok && other < 0 && segs[len(segs)-1] != "#" {
			other = s.col
		}
		if other >= 0 {
			bad(i, name, fmt.Sprintf("conflicts with column %q", cols[other].name))
			continue
		}
		for k, prefix := range full.prefixes {
			if _, ok := slots[prefix]; !ok {
				slots[prefix] = slot{col: i, kind: full.kinds[k]}
			}
		}
		if segs[len(segs)-1] != "#" {
			slots[leaf] = slot{col: i, leaf: true}
		}
		c.full, c.rel = full, full
		if c.item {
			c.rel = newCSVPath(segs[1:])
		}
	}
	return cols
}

// csvTree is a record (or item) being built from cells, with its
// containers indexed by dotted path.
type csvTree struct {
	root       *node
	containers map[string]*node
}

func newCSVTree(line int) *csvTree {
	return &csvTree{root: &node{kind: mapNode, line: line}, containers: map[string]*node{}}
}

// place stores cell v of column c at path p. The header checks guarantee
// that p fits the containers other columns made.
func (t *csvTree) place(p *csvPath, c csvColumn, v string, line int) {
	parent := t.root
	for i, prefix := range p.prefixes {
		n := t.containers[prefix]
		if n == nil {
			n = &node{kind: p.kinds[i], line: line, key: p.segs[i]}
			parent.add(n)
			t.containers[prefix] = n
		}
		parent = n
	}
	var leaf *node
	switch {
	case c.format != "":
		leaf = &node{kind: mapNode, line: line}
		leaf.add(&node{kind: stringNode, line: line, key: "format", text: c.format})
		leaf.add(&node{kind: numberNode, line: line, key: "bits", text: strconv.Itoa(c.bits)})
		leaf.add(&node{kind: stringNode, plain: true, line: line, key: "tops", text: v})
	case c.list:
		leaf = &node{kind: listNode, line: line, key: p.segs[len(p.segs)-1]}
		for part := range strings.SplitSeq(v, ";") {
			if part = strings.TrimSpace(part); part != "" {
				leaf.add(&node{kind: stringNode, plain: true, line: line, text: part})
			}
		}
	default:
		leaf = &node{kind: stringNode, plain: true, line: line, key: p.segs[len(p.segs)-1], text: v}
	}
	parent.add(leaf)
}

// sortLists puts the elements of every list under n in index order
// (parties.intermediates.1 after .0, whatever the column order); elements
// without an index (tops_ entries) go last, in column order.
func sortLists(n *node) {
	for c := n.first; c != nil; c = c.next {
		sortLists(c)
	}
	if n.kind != listNode || n.first == nil {
		return
	}
	var elems []*node
	for c := n.first; c != nil; c = c.next {
		elems = append(elems, c)
	}
	index := func(e *node) int {
		if !isIndex(e.key) {
			return math.MaxInt
		}
		i, _ := strconv.Atoi(e.key)
		return i
	}
	slices.SortStableFunc(elems, func(a, b *node) int { return cmp.Compare(index(a), index(b)) })
	n.first, n.last = nil, nil
	for _, e := range elems {
		e.next = nil
		n.add(e)
	}
}

func isIndex(s string) bool {
	if s == "" || len(s) > 9 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// trailingDigits returns the number at the end of s (fp8 -> 8), or 0.
func trailingDigits(s string) int {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	n, _ := strconv.Atoi(s[i:])
	return n
}

func (r *reader) csvError(file string, err error) {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		r.problem(file, pe.Line, "", "invalid CSV: "+pe.Err.Error())
		return
	}
	r.problem(file, 0, "", "invalid CSV: "+err.Error())
}
