package record

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// A small JSON parser of our own rather than encoding/json: it builds the
// format-neutral node tree in one pass, knows the line of every value (so
// field problems in pretty-printed JSON point at the field, as in YAML),
// and, validation included, reads an order in about half the time
// encoding/json takes just to decode it into map[string]any or into an
// Order (BenchmarkJSONBaselines), which matters at 20,000 orders a second.
// FuzzJSONParser checks it accepts exactly what encoding/json accepts.

// maxDepth bounds nesting; no record is anywhere near it, and it keeps a
// hostile input from exhausting the stack.
const maxDepth = 512

type jsonParser struct {
	data  []byte
	pos   int
	line  int
	depth int
	// end is the offset past which the record being parsed is too large.
	end int
	*jsonMem
}

// jsonMem is memory a parser reuses from record to record: allocation,
// not parsing, dominated the cost of reading an order.
type jsonMem struct {
	nodes []Node // arena for the current record's nodes
	// strs caches short strings (direct-mapped by hash): field names,
	// country codes, number formats and the like repeat in every record,
	// and reusing them saves an allocation each.
	strs [1024]string
}

const maxInternedLen = 24

// reset makes the arena reusable. Only call it once the nodes of the
// previous record are dead, i.e. after emit returned. Nodes are zeroed as
// they are handed out again.
func (m *jsonMem) reset() {
	m.nodes = m.nodes[:0]
}

func (m *jsonMem) node(kind NodeKind, line int) *Node {
	if len(m.nodes) == cap(m.nodes) {
		// Nodes handed out so far keep the old array alive; the new one
		// is kept for the next records.
		m.nodes = make([]Node, 0, max(256, 2*cap(m.nodes)))
	}
	m.nodes = m.nodes[:len(m.nodes)+1]
	n := &m.nodes[len(m.nodes)-1]
	*n = Node{kind: kind, line: line}
	return n
}

func (m *jsonMem) intern(b []byte) string {
	if len(b) > maxInternedLen {
		return string(b)
	}
	h := uint32(2166136261) // FNV-1a: cheaper than maphash for a few bytes
	for _, c := range b {
		h = (h ^ uint32(c)) * 16777619
	}
	slot := &m.strs[h%uint32(len(m.strs))]
	if *slot == string(b) {
		return *slot
	}
	*slot = string(b)
	return *slot
}

func newJSONMem() *jsonMem { return &jsonMem{} }

type syntaxError struct {
	line int
	msg  string
}

func (e *syntaxError) Error() string { return e.msg }

var errTooLarge = errors.New("record too large")

func (p *jsonParser) fail(format string, args ...any) error {
	return &syntaxError{line: p.line, msg: fmt.Sprintf(format, args...)}
}

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\r':
			p.pos++
		case '\n':
			p.pos++
			p.line++
		default:
			return
		}
	}
}

// record parses one top-level value that must fit in maxRecord bytes.
// Containers check the limit as they go, to give up early; the final
// check catches a record whose size is in one long string.
func (p *jsonParser) record() (*Node, error) {
	p.depth = 0
	p.end = p.pos + maxRecord
	n, err := p.value()
	if err == nil && p.pos > p.end {
		err = errTooLarge
	}
	return n, err
}

func (p *jsonParser) value() (*Node, error) {
	if p.pos >= len(p.data) {
		return nil, p.fail("unexpected end of input")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		n := p.node(StringNode, p.line)
		s, err := p.str()
		n.text = s
		return n, err
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case c == 't':
		return p.literal("true", BoolNode)
	case c == 'f':
		return p.literal("false", BoolNode)
	case c == 'n':
		return p.literal("null", NullNode)
	default:
		return nil, p.fail("unexpected %s, want a value", describeByte(p.data, p.pos))
	}
}

func (p *jsonParser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return p.fail("nesting deeper than %d levels", maxDepth)
	}
	if p.pos > p.end {
		return errTooLarge
	}
	return nil
}

func (p *jsonParser) object() (*Node, error) {
	n := p.node(MapNode, p.line)
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.pos++ // {
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		p.depth--
		return n, nil
	}
	for {
		if p.pos > p.end {
			return nil, errTooLarge
		}
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, p.fail("unexpected %s, want a string key", describeByte(p.data, p.pos))
		}
		keyLine := p.line
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.fail("unexpected %s after key %q, want ':'", describeByte(p.data, p.pos), key)
		}
		p.pos++
		p.skipSpace()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		v.key, v.line = key, keyLine
		n.add(v)
		if done, err := p.next('}'); done || err != nil {
			return n, err
		}
	}
}

func (p *jsonParser) array() (*Node, error) {
	n := p.node(ListNode, p.line)
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.pos++ // [
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.depth--
		return n, nil
	}
	for {
		if p.pos > p.end {
			return nil, errTooLarge
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		n.add(v)
		if done, err := p.next(']'); done || err != nil {
			return n, err
		}
	}
}

// next reads what follows a member or element: ',' (more to come) or
// closer (done, leaving the container).
func (p *jsonParser) next(closer byte) (done bool, err error) {
	p.skipSpace()
	if p.pos >= len(p.data) {
		return false, p.fail("unexpected end of input, want ',' or '%c'", closer)
	}
	switch p.data[p.pos] {
	case ',':
		p.pos++
		p.skipSpace()
		return false, nil
	case closer:
		p.pos++
		p.depth--
		return true, nil
	}
	return false, p.fail("unexpected %s, want ',' or '%c'", describeByte(p.data, p.pos), closer)
}

func (p *jsonParser) literal(word string, kind NodeKind) (*Node, error) {
	if !bytes.HasPrefix(p.data[p.pos:], []byte(word)) {
		return nil, p.fail("unexpected %s, want a value", describeByte(p.data, p.pos))
	}
	p.pos += len(word)
	n := p.node(kind, p.line)
	n.text = word
	return n, nil
}

// number checks the JSON number grammar; Decoder.Number parses the text.
func (p *jsonParser) number() (*Node, error) {
	d, start := p.data, p.pos
	i := p.pos
	if d[i] == '-' {
		i++
	}
	digits := func() int {
		j := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		return i - j
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case digits() == 0:
		p.pos = i // where it stopped looking, for jsonStream.cut
		return nil, p.fail("invalid number %q", d[start:min(i+1, len(d))])
	}
	if i < len(d) && d[i] == '.' {
		i++
		if digits() == 0 {
			p.pos = i
			return nil, p.fail("invalid number %q: want digits after '.'", d[start:min(i+1, len(d))])
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if digits() == 0 {
			p.pos = i
			return nil, p.fail("invalid number %q: want digits in the exponent", d[start:min(i+1, len(d))])
		}
	}
	p.pos = i
	n := p.node(NumberNode, p.line)
	n.text = p.intern(d[start:i])
	return n, nil
}

// str parses a string starting at the opening quote.
func (p *jsonParser) str() (string, error) {
	d := p.data
	start := p.pos + 1
	i := start
	for i < len(d) {
		c := d[i]
		if c == '"' {
			p.pos = i + 1
			return p.intern(d[start:i]), nil
		}
		if c == '\\' {
			return p.escapedStr(start, i)
		}
		if c < 0x20 {
			p.pos = i
			return "", p.fail("control character %#02x in string", c)
		}
		i++
	}
	p.pos = i
	return "", p.fail("unterminated string")
}

// escapedStr finishes a string that contains escapes; buf holds
// d[start:i] already.
func (p *jsonParser) escapedStr(start, i int) (string, error) {
	d := p.data
	buf := make([]byte, i-start, i-start+16)
	copy(buf, d[start:i])
	for i < len(d) {
		c := d[i]
		switch {
		case c == '"':
			p.pos = i + 1
			return string(buf), nil
		case c < 0x20:
			p.pos = i
			return "", p.fail("control character %#02x in string", c)
		case c != '\\':
			buf = append(buf, c)
			i++
			continue
		}
		if i+1 >= len(d) {
			break
		}
		switch e := d[i+1]; e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := hex4(d, i+2)
			if !ok {
				p.pos = i
				return "", p.fail(`invalid \u escape`)
			}
			i += 6
			if utf16.IsSurrogate(r) {
				// A lone surrogate becomes U+FFFD, as in encoding/json.
				if r2, ok := hex4(d, i+2); ok && i+1 < len(d) && d[i] == '\\' && d[i+1] == 'u' {
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						r = dec
						i += 6
					} else {
						r = utf8.RuneError
					}
				} else {
					r = utf8.RuneError
				}
			}
			buf = utf8.AppendRune(buf, r)
			continue
		default:
			p.pos = i
			return "", p.fail("invalid escape %q in string", d[i:i+2])
		}
		i += 2
	}
	p.pos = len(d)
	return "", p.fail("unterminated string")
}

func hex4(d []byte, i int) (rune, bool) {
	if i+4 > len(d) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(d[i:i+4]), 16, 32)
	return rune(v), err == nil
}

func describeByte(d []byte, i int) string {
	if i >= len(d) {
		return "end of input"
	}
	r, _ := utf8.DecodeRune(d[i:])
	return strconv.QuoteRune(r)
}

func (r *reader) syntax(file string, err error) {
	var se *syntaxError
	if errors.As(err, &se) {
		r.problem(file, se.line, "", "invalid JSON: "+se.msg)
		return
	}
	r.problem(file, 0, "", "invalid JSON: "+err.Error())
}

// blockSize is the size of the blocks JSONL is read in: twice the record
// limit, so that a block always holds a whole line unless that line is
// too large anyway.
const blockSize = 2 * maxRecord

// minBlock is the least a block holds unless the input ends.
const minBlock = 256 << 10

// streamJSONL reads one object per line from src. Each line stands alone,
// so a bad line is reported and the next one is still read. One goroutine
// cuts src into blocks at line ends, one per CPU parses them, and the
// records are delivered in input order; a few blocks are in flight at a
// time, so memory does not grow with the input.
func (r *reader) streamJSONL(file string, src io.Reader) {
	workers := max(1, runtime.GOMAXPROCS(0))
	type parsed struct {
		recs    []Record
		probs   Problems
		stopped bool
	}
	type block struct {
		buf   *[]byte
		data  []byte
		first int      // lines before the block
		probs Problems // found while cutting (a line too long)
		out   chan parsed
	}
	bufs := sync.Pool{New: func() any { b := make([]byte, blockSize); return &b }}
	ctx, cancel := context.WithCancel(r.ctx)
	defer cancel()
	jobs := make(chan *block, workers)
	order := make(chan *block, 2*workers)
	go func() {
		defer close(jobs)
		defer close(order)
		carry := make([]byte, 0, blockSize)
		line, start := 0, true
		for ctx.Err() == nil {
			bp := bufs.Get().(*[]byte)
			buf := (*bp)[:blockSize]
			n := copy(buf, carry)
			b := &block{buf: bp, first: line, out: make(chan parsed, 1)}
			eof := false
			// Fill the block, or hand over what a slow writer (a pipe)
			// gave so far once it is worth a block and ends a line.
			for n < len(buf) {
				m, err := src.Read(buf[n:])
				n += m
				if err == io.EOF {
					eof = true
					break
				}
				if err != nil {
					b.probs = append(b.probs, Problem{File: file, Line: line + 1, Msg: "cannot read: " + pathErr(err)})
					eof = true
					break
				}
				if n >= minBlock && bytes.IndexByte(buf[n-m:n], '\n') >= 0 {
					break
				}
			}
			data := buf[:n]
			if start {
				data, start = bytes.TrimPrefix(data, bom), false
			}
			cut := len(data)
			if !eof {
				if i := bytes.LastIndexByte(data, '\n'); i >= 0 {
					cut = i + 1
				} else {
					// A whole block and no line end: the line is too
					// large. Skip to its end.
					b.probs = append(b.probs, Problem{File: file, Line: line + 1, Msg: fmt.Sprintf("record is larger than the %s limit", sizeName(maxRecord))})
					rest, ok := skipLine(src, buf)
					carry = append(carry[:0], rest...)
					line++
					order <- b
					jobs <- b
					if !ok {
						return
					}
					continue
				}
			}
			carry = append(carry[:0], data[cut:]...)
			b.data = data[:cut]
			line += bytes.Count(b.data, []byte{'\n'})
			order <- b
			jobs <- b
			if eof {
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			sub := &reader{ctx: ctx, opts: r.opts, format: r.format, dec: Decoder{dates: r.dec.dates}}
			for b := range jobs {
				sub.recs, sub.probs = nil, b.probs
				sub.readJSONLines(file, b.data, b.first)
				if b.buf != nil {
					bufs.Put(b.buf)
				}
				b.out <- parsed{recs: sub.recs, probs: sub.probs, stopped: sub.stopped}
			}
		})
	}
	for b := range order {
		p := <-b.out
		if r.stopped {
			cancel() // drain the rest
			continue
		}
		r.recs = append(r.recs, p.recs...)
		r.probs = append(r.probs, p.probs...)
		if p.stopped {
			r.stopped = true
			cancel()
		}
		r.deliver()
	}
	wg.Wait()
	if r.ctx.Err() != nil {
		r.live()
	}
}

// skipLine reads src up to the end of the current line, using buf, and
// returns what follows the line end in the last read; ok is false at the
// end of the input.
func skipLine(src io.Reader, buf []byte) (rest []byte, ok bool) {
	for {
		n, err := src.Read(buf)
		if i := bytes.IndexByte(buf[:n], '\n'); i >= 0 {
			return buf[i+1 : n], true
		}
		if err != nil {
			return nil, false
		}
	}
}

// readJSONLines reads JSONL data whose first line is line first+1.
func (r *reader) readJSONLines(file string, data []byte, first int) {
	mem := r.jsonMem()
	line := first
	for len(data) > 0 {
		line++
		var ln []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			ln, data = data[:i], data[i+1:]
		} else {
			ln, data = data, nil
		}
		if !r.live() {
			return
		}
		if len(bytes.TrimSpace(ln)) == 0 {
			continue
		}
		if len(ln) > maxRecord {
			r.problem(file, line, "", fmt.Sprintf("record is larger than the %s limit", sizeName(maxRecord)))
			continue
		}
		if !utf8.Valid(ln) {
			r.problem(file, line, "", "invalid JSON: not valid UTF-8")
			continue
		}
		p := jsonParser{data: ln, line: line, jsonMem: mem}
		p.skipSpace()
		n, err := p.record()
		if err == nil {
			p.skipSpace()
			if p.pos < len(ln) {
				err = p.fail("unexpected %s after the object (one object per line)", describeByte(ln, p.pos))
			}
		}
		if err != nil {
			r.syntax(file, err)
			mem.reset()
			continue
		}
		if n.kind != MapNode {
			r.problem(file, line, "", fmt.Sprintf("expected an object (one record), got %s", describe(n)))
			mem.reset()
			continue
		}
		r.emit(file, n, line)
		mem.reset()
	}
}
