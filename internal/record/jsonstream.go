package record

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// jsonWindow is how much of a JSON input is held at most. A value must
// lie whole in the window to be parsed; one that does not is far past
// maxRecord and is skipped by scanning, without being held. The window
// starts at minJSONWindow and grows only for a value that needs it, so
// that many small files cost little.
const (
	jsonWindow    = 2 * blockSize
	minJSONWindow = 64 << 10
)

// jsonLookahead bounds how far past the byte it stops at the parser may
// look (a \u escape, a literal, the rune a message quotes). A value that
// ends, or fails, closer than this to the end of the window may have been
// cut by it, so it is parsed again once more input is in.
const jsonLookahead = 16

// jsonStream feeds a jsonParser from src through a window: p.data is the
// part of the window read so far, and bytes before the record being
// parsed are dropped to make room.
type jsonStream struct {
	src io.Reader
	buf []byte
	p   *jsonParser
	// err ends the input: io.EOF, a *badUTF8 or a read error. Once it is
	// set, p.data ends where the input does.
	err error
}

// more reads on, first dropping the bytes before keep (p.pos and keep
// move back by as much) and growing a full window. It reports whether the
// input was extended or found to end, false once the window is full at
// jsonWindow or the input has ended.
func (s *jsonStream) more(keep int) bool {
	if s.err != nil {
		return false
	}
	p := s.p
	if keep > 0 {
		n := copy(s.buf, p.data[keep:])
		p.data, p.pos = s.buf[:n], p.pos-keep
	}
	if len(p.data) == len(s.buf) {
		if len(s.buf) >= jsonWindow {
			return false
		}
		// Nodes hold copies, never the window, so it may move.
		s.buf = append(make([]byte, 0, min(2*len(s.buf), jsonWindow)), p.data...)
		s.buf = s.buf[:cap(s.buf)]
		p.data = s.buf[:len(p.data)]
	}
	for {
		m, err := s.src.Read(s.buf[len(p.data):])
		p.data = s.buf[:len(p.data)+m]
		if err != nil {
			s.err = err
			return true
		}
		if m > 0 {
			return true
		}
	}
}

// avail reports whether a byte is at p.pos, reading on if need be.
func (s *jsonStream) avail() bool {
	for s.p.pos >= len(s.p.data) {
		if !s.more(s.p.pos) {
			return false
		}
	}
	return true
}

// ahead reads on until n bytes follow p.pos or the input ends, so that a
// message can quote the rune at p.pos.
func (s *jsonStream) ahead(n int) {
	for len(s.p.data)-s.p.pos < n && s.more(s.p.pos) {
	}
}

func (s *jsonStream) skipSpace() {
	for {
		s.p.skipSpace()
		if s.p.pos < len(s.p.data) || !s.more(s.p.pos) {
			return
		}
	}
}

// cut reports whether what the parser did at p.pos may depend on input
// not read yet.
func (s *jsonStream) cut() bool {
	return s.err == nil && s.p.pos+jsonLookahead > len(s.p.data)
}

// jsonEnded reports why the input ended early (invalid UTF-8, a read
// error), if it did and the parser stopped at its end; otherwise the
// parser's own error stands.
func (r *reader) jsonEnded(file string, s *jsonStream) bool {
	if s.err == nil || s.err == io.EOF || s.p.pos+jsonLookahead <= len(s.p.data) {
		return false
	}
	r.readError(file, s.err)
	return true
}

// streamJSON reads JSON from src: one object, an array of objects, or
// several of those one after another (which covers JSONL whose lines are
// all valid), each element parsed by jsonParser as it comes. A
// syntax error ends the input, since nothing after it can be trusted to
// be where it seems; records before it are kept. src must have no byte
// order mark and is read through a utf8Reader, so invalid UTF-8 ends the
// input at its line.
func (r *reader) streamJSON(file string, src io.Reader) {
	mem := r.jsonMem()
	s := &jsonStream{src: newUTF8Reader(src), buf: make([]byte, minJSONWindow)}
	p := &jsonParser{data: s.buf[:0], line: 1, jsonMem: mem}
	s.p = p
	s.skipSpace()
	for r.live() && s.avail() {
		if p.data[p.pos] != '[' {
			if !r.streamRecord(file, s) {
				return
			}
			s.skipSpace()
			continue
		}
		p.pos++
		s.skipSpace()
		if s.avail() && p.data[p.pos] == ']' {
			p.pos++
			s.skipSpace()
			continue
		}
		for r.live() {
			if !r.streamRecord(file, s) {
				return
			}
			s.skipSpace()
			if !s.avail() {
				if !r.jsonEnded(file, s) {
					r.problem(file, p.line, "", "invalid JSON: unexpected end of input, want ',' or ']'")
				}
				return
			}
			if c := p.data[p.pos]; c == ']' {
				p.pos++
				break
			} else if c != ',' {
				s.ahead(utf8.UTFMax)
				r.problem(file, p.line, "", fmt.Sprintf("invalid JSON: unexpected %s, want ',' or ']'", describeByte(p.data, p.pos)))
				return
			}
			p.pos++
			s.skipSpace()
		}
		s.skipSpace()
	}
	r.jsonEnded(file, s)
}

// streamRecord parses and emits the value at p.pos; false means the input
// is abandoned (a syntax error, or its end was reported).
func (r *reader) streamRecord(file string, s *jsonStream) bool {
	p := s.p
	defer p.reset()
	for {
		line, start := p.line, p.pos
		n, err := p.record()
		if !errors.Is(err, errTooLarge) && s.cut() {
			// Cut by the window: parse it again with more input.
			p.reset()
			p.pos, p.line = start, line
			if s.more(start) {
				continue
			}
			// The value does not fit the window (more moved it to the
			// window's start), so it is far past the limit.
			start = p.pos
			err = errTooLarge
		}
		if errors.Is(err, errTooLarge) {
			p.pos, p.line, p.depth = start, line, 0
			if err := s.skipValue(); err != nil {
				if !r.jsonEnded(file, s) {
					r.syntax(file, err)
				}
				return false
			}
			r.problem(file, line, "", fmt.Sprintf("record is larger than the %s limit", sizeName(maxRecord)))
			return true
		}
		if err != nil {
			if !r.jsonEnded(file, s) {
				r.syntax(file, err)
			}
			return false
		}
		if n.kind != MapNode {
			r.problem(file, line, "", fmt.Sprintf("expected an object (one record), got %s", describe(n)))
			return true
		}
		r.emit(file, n, line)
		return true
	}
}

// skipValue moves past one value without building it, reading on as it
// goes, so that a value of any size is skipped in the window: it matches
// brackets and checks strings (the parser said the value is too large,
// not whether the rest of it is valid), stopping after a string or
// closing bracket at depth 0, or before a comma there.
func (s *jsonStream) skipValue() error {
	p := s.p
	depth := 0
	for s.avail() {
		switch c := p.data[p.pos]; c {
		case '"':
			if err := s.skipString(); err != nil {
				return err
			}
			if depth == 0 {
				return nil
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth <= 0 {
				p.pos++
				return nil
			}
		case '\n':
			p.line++
		case ',':
			if depth == 0 {
				return nil
			}
		}
		p.pos++
	}
	if depth > 0 {
		return p.fail("unexpected end of input")
	}
	return nil
}

// skipString moves past the string at p.pos, with the checks and
// messages of jsonParser.str, reading on as it goes.
func (s *jsonStream) skipString() error {
	p := s.p
	p.pos++
	for {
		d, i := p.data, p.pos
	scan:
		for i < len(d) {
			switch c := d[i]; {
			case c == '"':
				p.pos = i + 1
				return nil
			case c < 0x20:
				p.pos = i
				return p.fail("control character %#02x in string", c)
			case c == '\\':
				if len(d)-i < 6 && s.err == nil {
					break scan // the escape may be cut: read on first
				}
				if i+1 >= len(d) {
					i = len(d)
					break scan
				}
				switch d[i+1] {
				case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
					i += 2
				case 'u':
					if _, ok := hex4(d, i+2); !ok {
						p.pos = i
						return p.fail(`invalid \u escape`)
					}
					i += 6
				default:
					p.pos = i
					return p.fail("invalid escape %q in string", d[i:i+2])
				}
			default:
				i++
			}
		}
		p.pos = i
		if !s.more(i) {
			p.pos = len(p.data)
			return p.fail("unterminated string")
		}
	}
}

// badUTF8 is the error a utf8Reader ends with at invalid UTF-8.
type badUTF8 struct{ line int }

func (e *badUTF8) Error() string { return fmt.Sprintf("line %d: not valid UTF-8", e.line) }

// utf8Reader passes src on up to its first invalid UTF-8, then fails with
// a *badUTF8 that names its line. A rune cut between two reads is held
// back until it is whole.
type utf8Reader struct {
	src    io.Reader
	line   int    // of the next byte checked
	passed int64  // bytes checked
	held   []byte // a rune cut short, not checked yet
	ready  []byte // bytes checked and not yet passed on (a read too small for a rune)
	err    error
}

func newUTF8Reader(src io.Reader) *utf8Reader {
	return &utf8Reader{src: src, line: 1, held: make([]byte, 0, utf8.UTFMax)}
}

func (u *utf8Reader) Read(b []byte) (int, error) {
	if len(u.ready) > 0 {
		n := copy(b, u.ready)
		u.ready = u.ready[n:]
		return n, nil
	}
	if len(b) < utf8.UTFMax {
		// Too small for a whole rune: check a rune's worth, hand on what fits.
		var tmp [utf8.UTFMax]byte
		n, err := u.read(tmp[:])
		m := copy(b, tmp[:n])
		u.ready = append(u.ready[:0], tmp[m:n]...)
		return m, err
	}
	return u.read(b)
}

// read is Read for b of at least utf8.UTFMax bytes: it returns n > 0 or
// an error.
func (u *utf8Reader) read(b []byte) (int, error) {
	for u.err == nil {
		n := copy(b, u.held)
		m, err := u.src.Read(b[n:])
		n += m
		whole := n
		if err == nil {
			whole = wholeRunes(b[:n])
		}
		if i := invalidUTF8(b[:whole]); i >= 0 {
			u.pass(b[:i])
			u.err = &badUTF8{line: u.line}
			if i > 0 {
				return i, nil
			}
			break
		}
		u.held = append(u.held[:0], b[whole:n]...)
		u.pass(b[:whole])
		u.err = err
		if whole > 0 {
			return whole, nil
		}
	}
	return 0, u.err
}

func (u *utf8Reader) pass(b []byte) {
	u.line += bytes.Count(b, []byte{'\n'})
	u.passed += int64(len(b))
}

// wholeRunes returns the length of b without a rune its end cuts short.
func wholeRunes(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return i
			}
			break
		}
	}
	return len(b)
}

// invalidUTF8 returns the offset of the first invalid UTF-8 in b, or -1.
func invalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

// readError reports the error that ended an input early.
func (r *reader) readError(file string, err error) {
	var bad *badUTF8
	if errors.As(err, &bad) {
		r.problem(file, bad.line, "", "not valid UTF-8")
		return
	}
	r.problem(file, 0, "", "cannot read: "+pathErr(err))
}
