package record

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxNodes bounds, beyond one per byte, the values a YAML document may
// expand to through aliases, so a "billion laughs" document is refused
// instead of eating memory and time.
const maxNodes = 1 << 20

// maxLine bounds one line of a YAML stream (and one CSV row), as
// blockSize does JSONL's: a record on one line may pass the record limit
// (and be reported as such) but a longer line is not held.
const maxLine = 2 * maxRecord

// streamYAML reads a YAML stream from src, split into documents: a "---"
// line starts one (directive, comment and blank lines before it stay
// with it), a "..." line ends one. Documents are split at their markers
// before parsing (the YAML spec forbids those markers at the start of a
// line inside any content), so a syntax error spoils only its own
// document, and a document's size is known before it is parsed. One
// document is held
// at a time: a stream of any length is read in bounded memory, as long
// as each document is a record (at most 1 MiB) or a list of records (at
// most 1 GiB).
func (r *reader) streamYAML(file string, src io.Reader) {
	in := bufio.NewReaderSize(src, 64<<10)
	var doc []byte
	startLine, line := 1, 0
	content := false  // the document has more than comments/directives
	skipping := false // the document is too large: its lines are dropped
	checked := false  // the document passed the record limit and was checked
	emit := func() {
		if !skipping {
			r.yamlChunk(file, doc, startLine-1)
		}
		doc, skipping, checked = doc[:0], false, false
	}
	for r.live() {
		l, too, err := readLine(in, &line, maxLine)
		if too {
			if !skipping {
				r.problem(file, line, "", fmt.Sprintf("line is larger than the %s limit", sizeName(maxLine)))
			}
			skipping, content, doc = true, true, doc[:0]
		}
		if len(l) == 0 && err != nil {
			if err != io.EOF {
				r.problem(file, line+1, "", "cannot read: "+pathErr(err))
			}
			break
		}
		if line == 1 {
			l = bytes.TrimPrefix(l, bom)
		}
		switch {
		case isMarker(l, "---"):
			if content {
				emit()
				startLine = line
			}
			content = true
		case isMarker(l, "..."):
			if !skipping {
				doc = append(doc, l...)
			}
			emit()
			startLine, content = line+1, false
			continue
		default:
			t := bytes.TrimSpace(l)
			if len(t) > 0 && t[0] != '#' && !(t[0] == '%' && l[0] == '%') {
				content = true
			}
		}
		if skipping {
			continue
		}
		doc = append(doc, l...)
		switch {
		case len(doc) > maxFile:
			r.problem(file, startLine-1+firstContentLine(doc), "", fmt.Sprintf("document is larger than the %s limit", sizeName(maxFile)))
			skipping, doc = true, doc[:0]
		case len(doc) > maxRecord && !checked:
			checked = true
			if !startsWithSequence(doc) {
				// Only a top-level list of records may exceed the
				// record limit; refuse anything else before holding it.
				r.problem(file, startLine-1+firstContentLine(doc), "", fmt.Sprintf("record is larger than the %s limit", sizeName(maxRecord)))
				skipping, doc = true, doc[:0]
			}
		}
	}
	if content {
		emit()
	}
}

// readLine reads one line of in, with its "\n", counting it in *line.
// A line longer than limit is read to its end but not kept: too is set
// and the line returned empty.
func readLine(in *bufio.Reader, line *int, limit int) (l []byte, too bool, err error) {
	l, err = in.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		long := append([]byte(nil), l...)
		for err == bufio.ErrBufferFull {
			l, err = in.ReadSlice('\n')
			if !too {
				long = append(long, l...)
				too = len(long) > limit
			}
		}
		l = long
		if too {
			l = nil
		}
	}
	if len(l) > 0 || too {
		*line++
	}
	return l, too, err
}

func isMarker(l []byte, m string) bool {
	if !bytes.HasPrefix(l, []byte(m)) {
		return false
	}
	return len(l) == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\r' || l[3] == '\n'
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlParserErrors are the messages of yaml.v3's parser (as opposed to its
// scanner). For them it reports a 0-based line: that of the construct the
// error is in (e.g. the unclosed "["), or none if that is the first line.
var yamlParserErrors = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"found undefined tag handle":             true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found duplicate %TAG directive":         true,
}

// yamlChunk parses one document; offset is the number of file lines
// before it.
func (r *reader) yamlChunk(file string, data []byte, offset int) {
	big := len(data) > maxRecord
	if big && !startsWithSequence(data) {
		// Only a top-level list of records may exceed the record limit;
		// refuse anything else before the parser spends memory on it.
		r.problem(file, offset+firstContentLine(data), "", fmt.Sprintf("record is larger than the %s limit", sizeName(maxRecord)))
		return
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := decodeYAML(dec, &doc)
		if err == io.EOF {
			return
		}
		if err != nil {
			line, msg := offset+firstContentLine(data), err.Error()
			if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
				n, _ := strconv.Atoi(m[1])
				line, msg = offset+n, m[2]
				if yamlParserErrors[msg] {
					line++
				}
			} else {
				msg = strings.TrimPrefix(msg, "yaml: ")
			}
			r.problem(file, line, "", "invalid YAML: "+msg)
			return
		}
		r.yamlDoc(file, &doc, data, offset)
	}
}

// decodeYAML guards against a parser panic on malformed input, which
// would otherwise take the whole batch down.
func decodeYAML(dec *yaml.Decoder, doc *yaml.Node) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("yaml: parser failed: %v", p)
		}
	}()
	return dec.Decode(doc)
}

func (r *reader) yamlDoc(file string, doc *yaml.Node, data []byte, offset int) {
	// One budget for the whole document: many records aliasing one big
	// anchor must not multiply the work either.
	c := &yamlConv{offset: offset, budget: len(data) + maxNodes}
	root := deref(doc)
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return
		}
		root = deref(root.Content[0])
	}
	switch {
	case root.Kind == yaml.MappingNode:
		r.yamlRecord(file, c, root)
	case root.Kind == yaml.SequenceNode:
		var starts []int // line offsets, built only for an oversized list
		for i, el := range root.Content {
			if !r.live() {
				return
			}
			el = deref(el)
			if el.Kind != yaml.MappingNode {
				r.problem(file, el.Line+offset, "", "expected a mapping (one record), got "+yamlKind(el))
				continue
			}
			if len(data) > maxRecord {
				if starts == nil {
					starts = lineStarts(data)
				}
				end := len(data)
				if i+1 < len(root.Content) {
					end = lineOffset(starts, root.Content[i+1].Line)
				}
				if end-lineOffset(starts, el.Line) > maxRecord {
					r.problem(file, el.Line+offset, "", fmt.Sprintf("record is larger than the %s limit", sizeName(maxRecord)))
					continue
				}
			}
			if !r.yamlRecord(file, c, el) {
				return
			}
		}
	case root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null":
		// an empty document
	default:
		r.problem(file, root.Line+offset, "", "expected a mapping (one record), got "+yamlKind(root))
	}
}

// yamlRecord converts and emits one record; false means the document's
// budget is spent and the rest of it is not worth reading.
func (r *reader) yamlRecord(file string, c *yamlConv, m *yaml.Node) bool {
	c.err = ""
	n := c.conv(m, 0, 0)
	line := m.Line + c.offset
	if c.err != "" {
		r.problem(file, line, "", c.err)
		return c.budget >= 0
	}
	r.emit(file, n, line)
	return true
}

// yamlConv converts a yaml.Node tree to nodes, resolving aliases and merge
// keys.
type yamlConv struct {
	offset int
	budget int
	err    string
}

// conv converts y; keyLine, if not 0, is the line of the key y belongs to,
// which is where a problem with the field is best reported.
func (c *yamlConv) conv(y *yaml.Node, keyLine, depth int) *Node {
	c.budget--
	if c.budget < 0 {
		c.err = "document expands to too many values (through aliases?)"
		return nil
	}
	if depth > maxDepth {
		c.err = fmt.Sprintf("nesting deeper than %d levels", maxDepth)
		return nil
	}
	y = deref(y)
	line := y.Line + c.offset
	if keyLine > 0 {
		line = keyLine
	}
	n := &Node{line: line}
	switch y.Kind {
	case yaml.ScalarNode:
		n.text = y.Value
		switch y.ShortTag() {
		case "!!null":
			n.kind = NullNode
		case "!!bool":
			n.kind = BoolNode
		case "!!int", "!!float":
			n.kind = NumberNode
		default: // !!str, !!timestamp (kept as written), custom tags
			n.kind = StringNode
		}
		const quoted = yaml.DoubleQuotedStyle | yaml.SingleQuotedStyle | yaml.LiteralStyle | yaml.FoldedStyle | yaml.TaggedStyle
		n.plain = y.Style&quoted == 0
	case yaml.SequenceNode:
		n.kind = ListNode
		for _, e := range y.Content {
			ch := c.conv(e, 0, depth+1)
			if ch == nil {
				return nil
			}
			n.add(ch)
		}
	case yaml.MappingNode:
		n.kind = MapNode
		var merges []*yaml.Node
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := deref(y.Content[i]), y.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
				merges = append(merges, v)
				continue
			}
			ch := c.conv(v, k.Line+c.offset, depth+1)
			if ch == nil {
				return nil
			}
			if k.Kind == yaml.ScalarNode {
				ch.key = k.Value
			} // a complex key names no field of ours: kept with no key
			n.add(ch)
		}
		// Explicit keys win over merged ones; earlier merges over later.
		var have map[string]bool
		if len(merges) > 0 {
			have = map[string]bool{}
			for ch := n.first; ch != nil; ch = ch.next {
				have[ch.key] = true
			}
		}
		for _, mv := range merges {
			mv = deref(mv)
			srcs := []*yaml.Node{mv}
			if mv.Kind == yaml.SequenceNode {
				srcs = mv.Content
			}
			for _, src := range srcs {
				sn := c.conv(src, 0, depth+1)
				if sn == nil {
					return nil
				}
				if sn.kind != MapNode {
					c.err = fmt.Sprintf("line %d: a merge key (<<) needs a mapping, got %s", sn.line, sn.kind)
					return nil
				}
				for ch := sn.first; ch != nil; {
					next := ch.next
					if ch.key == "" || !have[ch.key] {
						have[ch.key] = true
						ch.next = nil
						n.add(ch)
					}
					ch = next
				}
			}
		}
	default:
		n.kind = NullNode
	}
	return n
}

func deref(y *yaml.Node) *yaml.Node {
	for y.Kind == yaml.AliasNode && y.Alias != nil {
		y = y.Alias
	}
	return y
}

func yamlKind(y *yaml.Node) string {
	switch y.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "scalar " + quote(y.Value)
	}
	return "nothing"
}

// startsWithSequence reports whether the document's content begins with a
// block or flow sequence.
func startsWithSequence(data []byte) bool {
	_, t := firstContent(data)
	return len(t) > 0 && (t[0] == '[' || t[0] == '-' && (len(t) == 1 || t[1] == ' ' || t[1] == '\t'))
}

// firstContentLine is the 1-based line in data of the first line that is
// not blank, a comment, a directive or a bare "---".
func firstContentLine(data []byte) int {
	line, _ := firstContent(data)
	return line
}

// firstContent finds the first line that is not blank, a comment, a
// directive or a bare "---": its 1-based number and its text (after any
// "---"), trimmed; 1 and nil when there is none.
func firstContent(data []byte) (int, []byte) {
	for line := 1; len(data) > 0; line++ {
		var l []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			l, data = data[:i], data[i+1:]
		} else {
			l, data = data, nil
		}
		if isMarker(l, "---") {
			l = l[3:]
		}
		if t := bytes.TrimSpace(l); len(t) > 0 && t[0] != '#' && t[0] != '%' {
			return line, t
		}
	}
	return 1, nil
}

func lineStarts(data []byte) []int {
	starts := []int{0}
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

func lineOffset(starts []int, line int) int {
	if line < 1 {
		return 0
	}
	if line > len(starts) {
		return starts[len(starts)-1]
	}
	return starts[line-1]
}
