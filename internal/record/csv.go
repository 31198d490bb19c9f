package record

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// streamCSV reads CSV from src, which has no byte order mark: the header
// names each column's field by its dotted path, and each row is a record
// or, where its kind's CSV.GroupBy says so, part of one (see CSV and
// docs/records.md#csv):
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
// reported once at the header line, and the column is ignored.
//
// Rows are read one at a time and records handed on in the order of their
// first row. The rows of a group need not be adjacent, so a record of
// several rows is handed on once its last row is read: again, if not nil,
// opens the input once more, and a first pass finds each group's last
// row; without it, or if the first pass fails, grouped records are held
// to the end. A CSV syntax error, invalid UTF-8 or a row past
// maxLine ends the input: records not handed on by then are dropped,
// since their later rows are unread.
func (r *reader) streamCSV(file string, src io.Reader, again func() (io.Reader, error)) {
	var last map[uint64]int
	if again != nil && r.csvGroups() {
		last = r.csvLastRows(src)
		var err error
		if src, err = again(); err != nil {
			r.problem(file, 0, "", "cannot read: "+pathErr(err))
			return
		}
	}
	in := newCSVInput(src)
	header, err := in.cr.Read()
	if err == io.EOF {
		return
	}
	if err != nil {
		r.csvError(file, err)
		return
	}
	headerLine, _ := in.cr.FieldPos(0)
	lay := r.csvLayout(file, headerLine, header)
	cols := lay.cols

	type groupKey struct {
		kind int
		id   string
	}
	var queue []*csvEntry // records not handed on yet, in the order of their first row
	groups := map[groupKey]*csvEntry{}
	for r.live() {
		row, line, err := in.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			r.csvError(file, err)
			return
		}
		if len(row) != len(cols) {
			r.problem(file, line, "", fmt.Sprintf("row has %d fields, the header %d", len(row), len(cols)))
			continue
		}
		k, id, size, ok := lay.key(row, r)
		if !ok {
			continue
		}
		layout := &r.opts.Kinds[k].CSV
		var e *csvEntry
		if id != "" {
			e = groups[groupKey{k, id}]
		}
		if e == nil {
			e = &csvEntry{tree: newCSVTree(line), line: line, done: id == ""}
			queue = append(queue, e)
			if id != "" {
				e.seen = make([]int, len(cols))
				groups[groupKey{k, id}] = e
			}
		}
		if id != "" && last != nil && last[csvGroupHash(k, id)] == line {
			e.done = true
			delete(groups, groupKey{k, id})
		}
		e.size += size
		// Past the limit the record is refused when handed on: its tree
		// is no longer built, so a hostile group cannot grow it, but its
		// cells are still checked against its earlier rows.
		build := e.size <= maxRecord
		var elem *csvTree
		for i := range cols {
			c := &cols[i]
			v := strings.TrimSpace(row[i])
			if v == "" || c.skip {
				continue
			}
			if c.rows != "" && c.rows == layout.Rows {
				if build {
					if elem == nil {
						elem = newCSVTree(line)
					}
					elem.place(&c.rel, c, v, line)
				}
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
			if build {
				e.tree.place(&c.full, c, v, line)
			}
		}
		if elem != nil {
			if e.rows == nil {
				e.rows = &Node{kind: ListNode, line: line, key: layout.Rows}
				e.tree.root.add(e.rows)
			}
			e.rows.add(elem.root)
		}
		for len(queue) > 0 && queue[0].done && r.live() {
			r.csvEmit(file, queue[0])
			queue[0], queue = nil, queue[1:]
		}
	}
	for _, e := range queue {
		if !r.live() {
			return
		}
		r.csvEmit(file, e)
	}
}

func (r *reader) csvEmit(file string, e *csvEntry) {
	if e.size > maxRecord {
		r.problem(file, e.line, "", fmt.Sprintf("record is larger than the %s limit", sizeName(maxRecord)))
		return
	}
	sortLists(e.tree.root)
	r.emit(file, e.tree.root, e.line)
}

// csvGroups reports whether rows of some kind are grouped into records.
func (r *reader) csvGroups() bool {
	for i := range r.opts.Kinds {
		if r.opts.Kinds[i].CSV.GroupBy != "" {
			return true
		}
	}
	return false
}

// csvLastRows is the first pass over a CSV input: the line of each
// group's last row, by csvGroupHash. Two groups sharing a hash share the
// later line, which only holds the earlier group longer. It reports no
// problems (the second pass does) and returns nil if the input cannot be
// read to its end.
func (r *reader) csvLastRows(src io.Reader) map[uint64]int {
	in := newCSVInput(src)
	header, err := in.cr.Read()
	if err != nil {
		return nil
	}
	headerLine, _ := in.cr.FieldPos(0)
	n := len(r.probs)
	lay := r.csvLayout("", headerLine, header)
	r.probs = r.probs[:n]
	last := map[uint64]int{}
	for r.live() {
		row, line, err := in.next()
		if err == io.EOF {
			return last
		}
		if err != nil {
			return nil
		}
		if len(row) != len(lay.cols) {
			continue
		}
		if k, id, _, ok := lay.key(row, r); ok && id != "" {
			last[csvGroupHash(k, id)] = line
		}
	}
	return nil
}

var csvSeed = maphash.MakeSeed()

func csvGroupHash(kind int, id string) uint64 {
	var h maphash.Hash
	h.SetSeed(csvSeed)
	h.WriteByte(byte(kind))
	h.WriteString(id)
	return h.Sum64()
}

// csvLayout is what the header says about the rows.
type csvLayout struct {
	cols      []csvColumn
	kindCol   int   // or -1
	groupCols []int // per kind: its GroupBy column, or -1
}

func (r *reader) csvLayout(file string, line int, header []string) csvLayout {
	lay := csvLayout{cols: r.csvHeader(file, line, header), kindCol: -1, groupCols: make([]int, len(r.opts.Kinds))}
	for k := range lay.groupCols {
		lay.groupCols[k] = -1
	}
	for i, c := range lay.cols {
		if c.skip {
			continue
		}
		if c.name == "kind" {
			lay.kindCol = i
		}
		for k := range r.opts.Kinds {
			if g := r.opts.Kinds[k].CSV.GroupBy; g != "" && c.name == g {
				lay.groupCols[k] = i
			}
		}
	}
	return lay
}

func (lay *csvLayout) cell(row []string, i int) string {
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(row[i])
}

// key returns the kind a row is laid out as (a row of no known kind as the
// first kind's), its group id ("" if it is a record of its own) and its
// size; ok is false for a row whose cells are all empty, which is skipped.
func (lay *csvLayout) key(row []string, r *reader) (k int, id string, size int, ok bool) {
	empty := true
	for _, c := range row {
		size += len(c) + 1
		if empty && strings.TrimSpace(c) != "" {
			empty = false
		}
	}
	if empty {
		return 0, "", 0, false
	}
	kind := strings.ToLower(lay.cell(row, lay.kindCol))
	if kind == "" {
		kind = strings.ToLower(strings.TrimSpace(r.opts.Kind))
	}
	k = max(r.kind(kind), 0)
	if r.opts.Kinds[k].CSV.GroupBy != "" {
		id = lay.cell(row, lay.groupCols[k])
	}
	return k, id, size, true
}

// csvInput reads CSV rows through a utf8Reader, refusing a row past
// maxLine so that no row is held whole however long it is.
type csvInput struct {
	cr   *csv.Reader
	u    *utf8Reader
	mark int64 // where the row being read starts
}

// csvTooLarge ends a CSV input at a row past maxLine.
type csvTooLarge struct{ line int }

func (e *csvTooLarge) Error() string {
	return fmt.Sprintf("row is larger than the %s limit; the rest of the input is not read", sizeName(maxLine))
}

func newCSVInput(src io.Reader) *csvInput {
	in := &csvInput{u: newUTF8Reader(src)}
	in.cr = csv.NewReader(in)
	in.cr.FieldsPerRecord = -1
	in.cr.ReuseRecord = true
	return in
}

// Read passes the utf8Reader on, failing once the row being read is past
// maxLine (with room for what csv.Reader reads ahead).
func (in *csvInput) Read(b []byte) (int, error) {
	if in.u.passed-in.mark > maxLine+csvReadAhead {
		return 0, &csvTooLarge{line: in.u.line}
	}
	return in.u.Read(b[:min(len(b), csvReadAhead)])
}

// csvReadAhead bounds a read by csv.Reader's buffer (its default size).
const csvReadAhead = 4096

// next returns the next row and its line.
func (in *csvInput) next() ([]string, int, error) {
	in.mark = in.cr.InputOffset()
	row, err := in.cr.Read()
	if err != nil {
		return nil, 0, err
	}
	line, _ := in.cr.FieldPos(0)
	return row, line, nil
}

// csvEntry is one record being assembled from rows.
type csvEntry struct {
	tree  *csvTree
	rows  *Node    // the list its rows add elements to, once it has one
	line  int      // of its first row
	size  int      // bytes of its rows, for the record limit
	seen  []int    // per column: line where a value was first given (nil: one row only)
	first []string // per column: that value
	done  bool     // its last row is read
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
	var big *csvTooLarge
	switch {
	case errors.As(err, &pe):
		r.problem(file, pe.Line, "", "invalid CSV: "+pe.Err.Error())
	case errors.As(err, &big):
		r.problem(file, big.line, "", big.Error())
	default: // invalid UTF-8, or the input could not be read
		r.readError(file, err)
	}
}
