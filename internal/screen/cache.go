package screen

import (
	"fmt"
	"strings"
	"sync"

	"github.com/chipcheck/chipcheck/internal/screen/index"
	"github.com/chipcheck/chipcheck/internal/screen/prepare"
)

// resultCache remembers the matches of recent queries: the engine screens the
// same parties again and again. It is bounded and evicts in insertion order
// (a ring), which is enough for a working set that fits.
type resultCache struct {
	mu   sync.Mutex
	m    map[string][]Match
	ring []string
	next int
}

func newResultCache(size int) *resultCache {
	return &resultCache{m: make(map[string][]Match, size), ring: make([]string, size)}
}

func (c *resultCache) get(k string) ([]Match, bool) {
	c.mu.Lock()
	m, ok := c.m[k]
	c.mu.Unlock()
	if !ok {
		return nil, false
	}
	return append([]Match(nil), m...), true
}

func (c *resultCache) put(k string, m []Match) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; ok {
		return
	}
	if old := c.ring[c.next]; old != "" {
		delete(c.m, old)
	}
	c.ring[c.next] = k
	c.next = (c.next + 1) % len(c.ring)
	c.m[k] = m
}

// cacheKey identifies a query by its normalised name and everything else
// that changes the answer, including what normalisation did (the
// explanation reports it).
func cacheKey(n prepare.Name, q Query, limit int) string {
	return fmt.Sprintf("%s\x00%t%t\x00%s\x00%s\x00%d\x00%g", n.Key(), n.Transliterated, n.Reordered,
		strings.ToUpper(strings.TrimSpace(q.Country)), index.NormIdentifier(q.ID), limit, q.MinScore)
}
