package record

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
