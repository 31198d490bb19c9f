package index

import "github.com/chipcheck/chipcheck/internal/screen/stringscore"

// Scratch is the working memory of one neighbour search, reused across
// searches (it is not safe for concurrent use). Arrays indexed by vocabulary
// id are validated by stamps instead of being cleared.
type Scratch struct {
	vcount   []uint32 // per vocab word: stamp<<16 | shared trigrams (neighbors)
	vtouched []int32
	codes    []int32
	stamp    uint32
	osaText  stringscore.OSAPattern // the query word, for tokenSimWith
	osaKey   stringscore.OSAPattern // its phonetic key
}

// NewScratch returns working memory for an index of vocab words.
func NewScratch(vocab int) Scratch {
	return Scratch{vcount: make([]uint32, vocab)}
}
