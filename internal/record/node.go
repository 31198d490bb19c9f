package record

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
)

// node is the format-neutral tree every reader produces and the builder
// validates. Keeping one tree for YAML, JSON and CSV means one set of
// validation rules and messages, whatever the input format.
type node struct {
	kind nodeKind
	// plain marks text whose type the syntax did not fix (a CSV cell, an
	// unquoted YAML scalar), so a number or boolean field may parse it.
	plain bool
	line  int    // where the value (or, for a map member, its key) is
	key   string // map member: its key; CSV list element: its index
	text  string // scalar: the literal text (decoded string, number, boolean)

	first, last *node // children: map members or list elements
	next        *node // next sibling
}

type nodeKind uint8

const (
	nullNode nodeKind = iota
	stringNode
	numberNode
	boolNode
	mapNode
	listNode
)

// String names the kind for messages ("expected a number, got list").
func (k nodeKind) String() string {
	switch k {
	case stringNode:
		return "string"
	case numberNode:
		return "number"
	case boolNode:
		return "boolean"
	case mapNode:
		return "mapping"
	case listNode:
		return "list"
	}
	return "null"
}

// add appends c to n's children.
func (n *node) add(c *node) {
	if n.last == nil {
		n.first = c
	} else {
		n.last.next = c
	}
	n.last = c
}

// member returns the first member of map n with the given key, or nil.
func (n *node) member(key string) *node {
	for c := n.first; c != nil; c = c.next {
		if c.key == key {
			return c
		}
	}
	return nil
}

// len returns the number of n's children.
func (n *node) len() int {
	c := 0
	for e := n.first; e != nil; e = e.next {
		c++
	}
	return c
}

// digest is the sha256 (hex) of n's canonical encoding: map members sorted
// by key, scalars as their text, so that a record has one digest whatever
// the format (a CSV cell and a YAML number read alike), layout or member
// order it was written in. buf is scratch space.
func (n *node) digest(buf *[]byte) string {
	*buf = n.appendCanonical((*buf)[:0])
	sum := sha256.Sum256(*buf)
	return hex.EncodeToString(sum[:])
}

// appendCanonical encodes n: every value is a kind letter, lists and maps
// with their length and members, strings length-prefixed, so that no two
// trees encode alike.
func (n *node) appendCanonical(b []byte) []byte {
	switch n.kind {
	case mapNode:
		// Sort the members without allocating for the usual small maps.
		var small [16]*node
		kids := small[:0]
		for c := n.first; c != nil; c = c.next {
			kids = append(kids, c)
		}
		slices.SortStableFunc(kids, func(a, b *node) int { return strings.Compare(a.key, b.key) })
		b = strconv.AppendInt(append(b, '{'), int64(len(kids)), 10)
		for _, c := range kids {
			b = c.appendCanonical(appendText(b, c.key))
		}
		return b
	case listNode:
		b = strconv.AppendInt(append(b, '['), int64(n.len()), 10)
		for c := n.first; c != nil; c = c.next {
			b = c.appendCanonical(b)
		}
		return b
	case nullNode:
		return append(b, 'n')
	}
	return appendText(append(b, 's'), n.text)
}

func appendText(b []byte, s string) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	return append(append(b, ':'), s...)
}
