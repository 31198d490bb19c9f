// Package record reads records from YAML, JSON, JSONL and CSV files (or
// stdin) into one format-neutral tree of nodes that remember their line,
// and hands each record's tree to the Kind that builds it: the domains
// (internal/orders for chips and orders) own their record types and their
// validation, written with a Decoder, whose problems name file, line and
// field. This package knows formats, file:line, limits, record digests
// and duplicate ids; it knows nothing of any domain, nor of OPA.
package record

// Source locates a record (or one of its fields) in its input.
type Source struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// Record is one valid input record.
type Record struct {
	Kind   string
	ID     string
	Source Source
	// Digest is the sha256 (hex) of the record's content in a canonical
	// form (members sorted, whatever the input format), for decisions to
	// name the exact input they judged.
	Digest string
	// Value is what the kind's Build made of the record: the domain's
	// typed record.
	Value any
}

// Kind is one kind of record (the `kind:` a record carries) and how to
// build its records.
type Kind struct {
	Name string // lower case, as records write it
	// Build turns a record's node, a mapping, into the kind's typed value
	// and the record's id, reporting every problem through d. The record
	// is kept only if Build reported none. Build is called from several
	// goroutines at once (large JSONL files are read in parallel), each
	// with its own Decoder.
	Build func(d *Decoder, n *Node) (value any, id string)
	// UniqueIDs makes a record with the id of an earlier record of the
	// kind a problem (decisions are keyed by id, so one of the two would
	// be unanswerable).
	UniqueIDs bool
	// CSV is how the kind's records are laid out in CSV files.
	CSV CSV
}

// CSV is how one kind's records are written in CSV files: the first row is
// the header, each column the dotted path of a field (parties.buyer.name;
// a numeric segment is a list index), each row one record unless GroupBy
// gathers several. The rest is the kind's shorthand, which the header of
// every file is read with, whatever kinds its rows hold.
type CSV struct {
	// GroupBy is the column whose value gathers rows into one record
	// ("id": rows with the same id form one order), in the order of their
	// first row, adjacent or not. Columns other than those of Rows may be
	// repeated on every row of a record, but non-empty values must agree.
	// A row with the column empty is a record of its own. "" makes every
	// row a record.
	GroupBy string
	// Rows is the list each row adds one element to ("items": one row per
	// order line); its columns name the element's fields and take no
	// index (items.sku). A row whose cells of Rows are all empty adds no
	// element. RowsHint is the problem with a column of Rows that names
	// no field or gives an index.
	Rows, RowsHint string
	// Lists are the columns whose cell holds several values separated by
	// ";" (end_use.codes).
	Lists []string
	// Shorthands are columns that each stand for one element of a list.
	Shorthands []Shorthand
}

// Shorthand is a CSV column that stands for one element of a list: a
// column whose last segment is Prefix+name (tops_fp8), at any level, adds
// to the list List (performance) of the object it sits in a mapping of the
// members Members returns for name (format: fp8, bits: 8) and the cell
// under Key (tops: <cell>). Elements so added come after the list's
// indexed ones, in column order.
type Shorthand struct {
	Prefix, List, Key string
	// Members returns the members of the element for the column
	// Prefix+name, or an error, which refuses the column (a problem at
	// the header).
	Members func(name string) ([]Member, error)
}

// Member is a scalar member of a mapping a Shorthand adds.
type Member struct {
	Key, Text string
	Number    bool // a number (else a string)
}

// Batch is one run of records through a domain (one call of the runner):
// the domain's Prepare sees the batch's records chunk after chunk, in
// input order, with the same Batch, and keeps in State what must carry
// from one chunk to the next (a running ledger), never in the domain
// itself, so that two batches never mix.
type Batch struct {
	// Chunk counts the chunks of this batch prepared before the current
	// one: 0 means a new batch starts.
	Chunk int
	// State is the domain's own, from chunk to chunk; nil when the batch
	// starts.
	State any
}
