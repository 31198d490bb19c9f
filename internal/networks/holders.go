package networks

import (
	"fmt"
	"iter"
	"math"
)

// holderIndex holds the accounts holding each value of one identifier, in
// input order, packed: a map from value to number and one array of
// accounts, rather than a slice per value (a million accounts hold some
// 3.5 million values).
type holderIndex struct {
	number map[string]int32
	start  []int32 // value k's holders are accts[start[k]:start[k+1]]
	accts  []int32
}

// newHolderIndex indexes the values of identifier t in acts.
func newHolderIndex(acts []*Activity, t int) (*holderIndex, error) {
	h := &holderIndex{number: map[string]int32{}}
	var seq []int32   // the number of each value of each account, in input order
	var count []int32 // holders per value
	for _, act := range acts {
		for _, v := range act.IDs[t] {
			k, ok := h.number[v]
			if !ok {
				k = int32(len(count))
				h.number[v] = k
				count = append(count, 0)
			}
			count[k]++
			seq = append(seq, k)
		}
	}
	if len(seq) > math.MaxInt32 {
		return nil, fmt.Errorf("networks: %d values of %s is more than one batch can hold", len(seq), Identifiers[t])
	}
	h.start = make([]int32, len(count)+1)
	for k, c := range count {
		h.start[k+1] = h.start[k] + c
	}
	next := count // reused: where the next holder of each value goes
	copy(next, h.start)
	h.accts = make([]int32, len(seq))
	j := 0
	for i, act := range acts {
		for range act.IDs[t] {
			k := seq[j]
			h.accts[next[k]] = int32(i)
			next[k]++
			j++
		}
	}
	return h, nil
}

// of is the accounts holding v, in input order (nil for none).
func (h *holderIndex) of(v string) []int32 {
	k, ok := h.number[v]
	if !ok {
		return nil
	}
	return h.accts[h.start[k]:h.start[k+1]:h.start[k+1]]
}

// all yields every value with its holders, in no particular order.
func (h *holderIndex) all() iter.Seq2[string, []int32] {
	return func(yield func(string, []int32) bool) {
		for v, k := range h.number {
			if !yield(v, h.accts[h.start[k]:h.start[k+1]:h.start[k+1]]) {
				return
			}
		}
	}
}
