package record

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// parseOne parses data as exactly one JSON value.
func parseOne(data []byte) (*Node, error) {
	p := &jsonParser{data: data, line: 1, jsonMem: newJSONMem()}
	p.skipSpace()
	n, err := p.record()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(data) {
		return nil, p.fail("trailing data")
	}
	return n, nil
}

// toAny converts a node to what encoding/json would decode.
func toAny(n *Node) any {
	switch n.kind {
	case MapNode:
		m := map[string]any{}
		for c := n.first; c != nil; c = c.next {
			m[c.key] = toAny(c)
		}
		return m
	case ListNode:
		l := []any{}
		for c := n.first; c != nil; c = c.next {
			l = append(l, toAny(c))
		}
		return l
	case StringNode:
		return n.text
	case NumberNode:
		return json.Number(n.text)
	case BoolNode:
		return n.text == "true"
	}
	return nil
}

var jsonSeeds = []string{
	`{}`, `[]`, `""`, `0`, `-0`, `1e10`, `1E700`, `1.5E-3`, `-12.5e+2`, `true`, `false`, `null`,
	`{"a": [1, 2, {"b": null}], "c": "d"}`,
	` { "a" : 1 , "b" : [ ] } `,
	`"esc: \" \\ \/ \b \f \n \r \t \u00e9 \u20AC"`,
	`"pair: \ud83d\ude00, lone: \ud800 x, reversed: \udc00\ud800"`,
	`"raw é 😀"`,
	`{"a":1,"a":2}`,
	`{"a":}`, `{"a" 1}`, `[1,]`, `{,}`, `01`, `1.`, `.5`, `-`, `1e`, `+1`, `"\x"`, `"\u12G4"`, `"abc`,
	"\"tab\there\"", `tru`, `nul`, `[1 2]`, `{"a":1,}`, `{1:2}`, `[`, `{"a"`, `"\u12"`, `[1]]`,
}

func TestJSONParserAgainstEncodingJSON(t *testing.T) {
	for _, s := range jsonSeeds {
		checkAgainstEncodingJSON(t, []byte(s))
	}
}

func FuzzJSONParser(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkAgainstEncodingJSON)
}

func checkAgainstEncodingJSON(t *testing.T, data []byte) {
	if !utf8.Valid(data) {
		return // rejected before parsing, see utf8Reader
	}
	n, err := parseOne(data)
	if err != nil && strings.Contains(err.Error(), "nesting deeper") {
		return
	}
	if valid := json.Valid(data); valid != (err == nil) {
		t.Fatalf("%q: encoding/json valid=%v, we said %v", data, valid, err)
	}
	if err != nil {
		return
	}
	var want any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&want); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, toAny(n)); d != "" {
		t.Fatalf("%q (-encoding/json +ours):\n%s", data, d)
	}
}

func TestJSONParserErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"{\n\"a\":\n}", `3: unexpected '}', want a value`},
		{"[1,\n2\n3]", `3: unexpected '3', want ',' or ']'`},
		{`{"a" 1}`, `1: unexpected '1' after key "a", want ':'`},
		{`{1: 2}`, `1: unexpected '1', want a string key`},
		{`[01]`, `1: unexpected '1', want ',' or ']'`},
		{`1.`, `1: invalid number "1.": want digits after '.'`},
		{`1e+`, `1: invalid number "1e+": want digits in the exponent`},
		{`-x`, `1: invalid number "-x"`},
		{`"a\qb"`, `1: invalid escape "\\q" in string`},
		{`"\u00zz"`, `1: invalid \u escape`},
		{"\"a\nb\"", `1: control character 0x0a in string`},
		{`"abc`, `1: unterminated string`},
		{`"abc\`, `1: unterminated string`},
		{`[`, `1: unexpected end of input`},
		{`{"a":1`, `1: unexpected end of input, want ',' or '}'`},
		{`nope`, `1: unexpected 'n', want a value`},
		{strings.Repeat("[", maxDepth+1), `1: nesting deeper than 512 levels`},
	}
	for _, tt := range tests {
		_, err := parseOne([]byte(tt.in))
		se, ok := err.(*syntaxError)
		if !ok {
			t.Errorf("%q: err = %v, want a syntax error", tt.in, err)
			continue
		}
		if got := strconv.Itoa(se.line) + ": " + se.msg; got != tt.want {
			t.Errorf("%q: got %s, want %s", tt.in, got, tt.want)
		}
	}
	if _, err := parseOne([]byte(strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth))); err != nil {
		t.Errorf("nesting at the limit: %v", err)
	}
}

func TestJSONNodeLines(t *testing.T) {
	n, err := parseOne([]byte("{\n \"a\": 1,\n \"b\":\n  [\n   2,\n   {\"c\": 3}\n  ]\n}"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	var walk func(n *Node)
	walk = func(n *Node) {
		got = append(got, n.key+"@"+strconv.Itoa(n.line))
		for c := n.first; c != nil; c = c.next {
			walk(c)
		}
	}
	walk(n)
	equalStrings(t, "lines", got, []string{"@1", "a@2", "b@3", "@5", "@6", "c@6"})
}

func TestInternedStringsAreCopies(t *testing.T) {
	// Strings handed to records must not alias the input buffer.
	data := []byte(`{"kind":"chip","name":"ABC"}`)
	recs, probs := readText(t, "json", "", string(data))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	mem := newJSONMem()
	p := &jsonParser{data: data, line: 1, jsonMem: mem}
	n, _ := p.record()
	name := n.Member("name").text
	copy(data[len(data)-5:], "XYZ")
	if name != "ABC" || value(recs[0], "name") != "ABC" {
		t.Errorf("name changed with the buffer: %q", name)
	}
}
