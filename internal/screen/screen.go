package screen

import (
	"fmt"
	"sync"

	"github.com/chipcheck/chipcheck/internal/lists"
	"github.com/chipcheck/chipcheck/internal/screen/index"
	"github.com/chipcheck/chipcheck/internal/screen/prepare"
)

// Transliterator turns text in non-Latin scripts into Latin letters (see
// prepare.Transliterator).
type Transliterator = prepare.Transliterator

// DefaultTransliterator is the transliterator Options default to (see
// prepare.DefaultTransliterator).
func DefaultTransliterator() Transliterator { return prepare.DefaultTransliterator() }

// Index is an immutable search index over list entries. Search is safe for
// concurrent use.
type Index struct {
	idx     *index.Index
	opts    Options
	cache   *resultCache
	scratch sync.Pool
}

// NewIndex builds an index over entries (copied; later changes to the slice
// do not affect the index). It refuses Options whose numbers that change
// outcomes are unset or out of range (Options.Validate).
func NewIndex(entries []lists.Entry, opts Options) (*Index, error) {
	opts = opts.withDefaults()
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("screen: %w", err)
	}
	ix := &Index{opts: opts, idx: index.Build(entries, opts.indexParams())}
	if opts.CacheSize > 0 {
		ix.cache = newResultCache(opts.CacheSize)
	}
	ix.scratch.New = func() any { return newScratch(len(ix.idx.Names), len(ix.idx.Vocab)) }
	return ix, nil
}

// Len is the number of entries indexed.
func (ix *Index) Len() int { return len(ix.idx.Entries) }

// Names is the number of name variants indexed.
func (ix *Index) Names() int { return len(ix.idx.Names) }
