package record

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
)

// Node is the format-neutral tree every reader produces and a domain's
// Kind builds its records from. Keeping one tree for YAML, JSON and CSV
// means one set of validation rules and messages, whatever the input
// format. Its fields are unexported so that only the readers make trees,
// and every node keeps the line it came from.
type Node struct {
	kind NodeKind
	// plain marks text whose type the syntax did not fix (a CSV cell, an
	// unquoted YAML scalar), so a number or boolean field may parse it.
	plain bool
	line  int    // where the value (or, for a map member, its key) is
	key   string // map member: its key; CSV list element: its index
	text  string // scalar: the literal text (decoded string, number, boolean)

	first, last *Node // children: map members or list elements
	next        *Node // next sibling
}

// NodeKind is the type of a node's value.
type NodeKind uint8

// The kinds of node.
const (
	NullNode NodeKind = iota
	StringNode
	NumberNode
	BoolNode
	MapNode
	ListNode
)

// String names the kind for messages ("expected a number, got list").
func (k NodeKind) String() string {
	switch k {
	case StringNode:
		return "string"
	case NumberNode:
		return "number"
	case BoolNode:
		return "boolean"
	case MapNode:
		return "mapping"
	case ListNode:
		return "list"
	}
	return "null"
}

// Scalar reports whether k is null, a string, a number or a boolean:
// anything but a mapping or a list.
func (k NodeKind) Scalar() bool { return k < MapNode }

// Kind is the type of n's value.
func (n *Node) Kind() NodeKind { return n.kind }

// Line is the line of n's value or, for a map member, of its key.
func (n *Node) Line() int { return n.line }

// Key is a map member's key ("" for a list element).
func (n *Node) Key() string { return n.key }

// Text is a scalar's literal text: the decoded string, or a number or
// boolean as written.
func (n *Node) Text() string { return n.text }

// Plain reports whether the syntax left the scalar's type open (a CSV
// cell, an unquoted YAML scalar), so that a number or boolean may be read
// from its text.
func (n *Node) Plain() bool { return n.plain }

// First is a mapping's first member or a list's first element, or nil;
// Next is the one after n. Together:
//
//	for c := n.First(); c != nil; c = c.Next() { ... }
func (n *Node) First() *Node { return n.first }

// Next is the member or element after n, or nil.
func (n *Node) Next() *Node { return n.next }

// Given reports whether mapping n has a member key that is not null. It
// does not report a key given twice: Decoder.Field does.
func (n *Node) Given(key string) bool {
	c := n.Member(key)
	return c != nil && c.kind != NullNode
}

// add appends c to n's children.
func (n *Node) add(c *Node) {
	if n.last == nil {
		n.first = c
	} else {
		n.last.next = c
	}
	n.last = c
}

// Member returns the first member of mapping n with the given key, or nil.
func (n *Node) Member(key string) *Node {
	for c := n.first; c != nil; c = c.next {
		if c.key == key {
			return c
		}
	}
	return nil
}

// Len is the number of n's members or elements.
func (n *Node) Len() int {
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
func (n *Node) digest(buf *[]byte) string {
	*buf = n.appendCanonical((*buf)[:0])
	sum := sha256.Sum256(*buf)
	return hex.EncodeToString(sum[:])
}

// appendCanonical encodes n: every value is a kind letter, lists and maps
// with their length and members, strings length-prefixed, so that no two
// trees encode alike.
func (n *Node) appendCanonical(b []byte) []byte {
	switch n.kind {
	case MapNode:
		// Sort the members without allocating for the usual small maps.
		var small [16]*Node
		kids := small[:0]
		for c := n.first; c != nil; c = c.next {
			kids = append(kids, c)
		}
		slices.SortStableFunc(kids, func(a, b *Node) int { return strings.Compare(a.key, b.key) })
		b = strconv.AppendInt(append(b, '{'), int64(len(kids)), 10)
		for _, c := range kids {
			b = c.appendCanonical(appendText(b, c.key))
		}
		return b
	case ListNode:
		b = strconv.AppendInt(append(b, '['), int64(n.Len()), 10)
		for c := n.first; c != nil; c = c.next {
			b = c.appendCanonical(b)
		}
		return b
	case NullNode:
		return append(b, 'n')
	}
	return appendText(append(b, 's'), n.text)
}

func appendText(b []byte, s string) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	return append(append(b, ':'), s...)
}
