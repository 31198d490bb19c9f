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

// readCSV reads a CSV file: the header names each column's field by its
// dotted path, and each row is a record or, where its kind's CSV.GroupBy
// says so, part of one (see CSV and docs/records.md#csv):
//
//   - A numeric segment of a column name is a list index
//     (parties.intermediates.0.name); elements are ordered by index, which
//     need not be contiguous.
//   - A row's kind is its kind cell, else Options.Kind. A row of no known
//     kind is laid out as the first kind's rows are (its problem is then
//     reported once per record, not per row).
//   - An empty cell means "not given"; every other cell is plain text that
//     a number or boolean field may parse.
//
// Header problems (duplicate, malformed or conflicting columns) are
// reported once at the header line, and the column is ignored. A CSV
// syntax error ends the file, and none of its records are returned, since
// the records whose rows come later would be incomplete.
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
	kindCol := -1
	groupCols := make([]int, len(r.opts.Kinds)) // per kind: its GroupBy column, or -1
	for k := range groupCols {
		groupCols[k] = -1
	}
	for i, c := range cols {
		if c.skip {
			continue
		}
		if c.name == "kind" {
			kindCol = i
		}
		for k := range r.opts.Kinds {
			if g := r.opts.Kinds[k].CSV.GroupBy; g != "" && c.name == g {
				groupCols[k] = i
			}
		}
	}
	cell := func(row []string, i int) string {
		if i < 0 {
			return ""
		}
		return strings.TrimSpace(row[i])
	}

	type groupKey struct {
		kind int
		id   string
	}
	var entries []*csvEntry // records in the order of their first row
	groups := map[groupKey]*csvEntry{}
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
		k := max(r.kind(kind), 0) // a row of no known kind: laid out as the first kind's
		layout := &r.opts.Kinds[k].CSV
		var e *csvEntry
		id := ""
		if layout.GroupBy != "" {
			id = cell(row, groupCols[k])
			if id != "" {
				e = groups[groupKey{k, id}]
			}
		}
		if e == nil {
			e = &csvEntry{tree: newCSVTree(line), line: line}
			entries = append(entries, e)
			if id != "" {
				e.seen = make([]int, len(cols))
				groups[groupKey{k, id}] = e
			}
		}
		e.size += size
		var elem *csvTree
		for i := range cols {
			c := &cols[i]
			v := strings.TrimSpace(row[i])
			if v == "" || c.skip {
				continue
			}
			if c.rows != "" && c.rows == layout.Rows {
				if elem == nil {
					elem = newCSVTree(line)
				}
				elem.place(&c.rel, c, v, line)
				continue
			}
			if e.seen != nil {
				if first := e.seen[i]; first != 0 {
					// Values outside Rows may repeat on every row but must agree.
					if prev := e.first[i]; prev != v {
						r.problem(file, line, c.name, fmt.Sprintf("%q conflicts with %q on line %d for the same %s", v, prev, first, r.opts.Kinds[k].Name))
					}
					continue
				}
				if e.first == nil {
					e.first = make([]string, len(cols))
				}
				e.seen[i], e.first[i] = line, v
			}
			e.tree.place(&c.full, c, v, line)
		}
		if elem != nil {
			if e.rows == nil {
				e.rows = &Node{kind: ListNode, line: line, key: layout.Rows}
				e.tree.root.add(e.rows)
			}
			e.rows.add(elem.root)
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
	rows  *Node    // the list its rows add elements to, once it has one
	line  int      // of its first row
	size  int      // bytes of its rows, for the record limit
	seen  []int    // per column: line where a value was first given (nil: one row only)
	first []string // per column: that value
}

type csvColumn struct {
	name    string
	full    csvPath // from the record's root
	rel     csvPath // from the row's element, for a column of a Rows list; else full
	rows    string  // the Rows list the column belongs to (its first segment), or ""
	list    bool    // several values separated by ";"
	short   *Shorthand
	members []Member // short's members for this column
	skip    bool     // reported at the header and ignored
}

// csvPath is where a column's value goes: segs is the dotted name split
// (a shorthand column's ends in its list and "#"); prefixes[i] names the
// container holding segs[i+1], and kinds[i] is its kind. They are worked
// out once at the header so that placing a cell costs a few map lookups.
type csvPath struct {
	segs     []string
	prefixes []string
	kinds    []NodeKind
}

func newCSVPath(segs []string) csvPath {
	p := csvPath{segs: segs}
	for i := 0; i+1 < len(segs); i++ {
		p.prefixes = append(p.prefixes, strings.Join(segs[:i+1], "."))
		kind := MapNode
		if isIndex(segs[i+1]) || segs[i+1] == "#" {
			kind = ListNode
		}
		p.kinds = append(p.kinds, kind)
	}
	return p
}

// csvHeader parses the header, reporting malformed, duplicate and
// conflicting columns. Every kind's Rows, Lists and Shorthands apply: the
// header comes before any row says its kind.
func (r *reader) csvHeader(file string, line int, header []string) []csvColumn {
	rows := map[string]string{} // Rows -> RowsHint
	lists := map[string]bool{}
	var shorts []*Shorthand
	for i := range r.opts.Kinds {
		l := &r.opts.Kinds[i].CSV
		if l.Rows != "" {
			if _, ok := rows[l.Rows]; !ok {
				rows[l.Rows] = l.RowsHint
			}
		}
		for _, c := range l.Lists {
			lists[c] = true
		}
		for j := range l.Shorthands {
			shorts = append(shorts, &l.Shorthands[j])
		}
	}
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
		kind NodeKind
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
		if hint, ok := rows[segs[0]]; ok {
			if len(segs) == 1 || isIndex(segs[1]) {
				bad(i, name, hint)
				continue
			}
			c.rows = segs[0]
		}
		c.list = lists[name]
		if sh, short := shorthand(shorts, segs[len(segs)-1]); sh != nil {
			members, err := sh.Members(short)
			if err != nil {
				bad(i, name, err.Error())
				continue
			}
			c.short, c.members = sh, members
			segs = append(segs[:len(segs)-1], sh.List, "#")
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
		if c.rows != "" {
			c.rel = newCSVPath(segs[1:])
		}
	}
	return cols
}

// shorthand returns the shorthand the column segment seg is, with the
// name after its prefix, or nil.
func shorthand(shorts []*Shorthand, seg string) (*Shorthand, string) {
	for _, sh := range shorts {
		if name, ok := strings.CutPrefix(seg, sh.Prefix); ok {
			return sh, name
		}
	}
	return nil, ""
}

// csvTree is a record (or a row's element) being built from cells, with its
// containers indexed by dotted path.
type csvTree struct {
	root       *Node
	containers map[string]*Node
}

func newCSVTree(line int) *csvTree {
	return &csvTree{root: &Node{kind: MapNode, line: line}, containers: map[string]*Node{}}
}

// place stores cell v of column c at path p. The header checks guarantee
// that p fits the containers other columns made.
func (t *csvTree) place(p *csvPath, c *csvColumn, v string, line int) {
	parent := t.root
	for i, prefix := range p.prefixes {
		n := t.containers[prefix]
		if n == nil {
			n = &Node{kind: p.kinds[i], line: line, key: p.segs[i]}
			parent.add(n)
			t.containers[prefix] = n
		}
		parent = n
	}
	var leaf *Node
	switch {
	case c.short != nil:
		leaf = &Node{kind: MapNode, line: line}
		for _, m := range c.members {
			kind := StringNode
			if m.Number {
				kind = NumberNode
			}
			leaf.add(&Node{kind: kind, line: line, key: m.Key, text: m.Text})
		}
		leaf.add(&Node{kind: StringNode, plain: true, line: line, key: c.short.Key, text: v})
	case c.list:
		leaf = &Node{kind: ListNode, line: line, key: p.segs[len(p.segs)-1]}
		for part := range strings.SplitSeq(v, ";") {
			if part = strings.TrimSpace(part); part != "" {
				leaf.add(&Node{kind: StringNode, plain: true, line: line, text: part})
			}
		}
	default:
		leaf = &Node{kind: StringNode, plain: true, line: line, key: p.segs[len(p.segs)-1], text: v}
	}
	parent.add(leaf)
}

// sortLists puts the elements of every list under n in index order
// (parties.intermediates.1 after .0, whatever the column order); elements
// without an index (a shorthand's) go last, in column order.
func sortLists(n *Node) {
	for c := n.first; c != nil; c = c.next {
		sortLists(c)
	}
	if n.kind != ListNode || n.first == nil {
		return
	}
	var elems []*Node
	for c := n.first; c != nil; c = c.next {
		elems = append(elems, c)
	}
	index := func(e *Node) int {
		if !isIndex(e.key) {
			return math.MaxInt
		}
		i, _ := strconv.Atoi(e.key)
		return i
	}
	slices.SortStableFunc(elems, func(a, b *Node) int { return cmp.Compare(index(a), index(b)) })
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

func (r *reader) csvError(file string, err error) {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		r.problem(file, pe.Line, "", "invalid CSV: "+pe.Err.Error())
		return
	}
	r.problem(file, 0, "", "invalid CSV: "+err.Error())
}
