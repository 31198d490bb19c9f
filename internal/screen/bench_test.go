package screen

import (
	"context"
	"runtime"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/chipcheck/chipcheck/internal/lists"
)

// BenchmarkIndexBuild indexes every entry of the shared lists.
func BenchmarkIndexBuild(b *testing.B) {
	_, corp := realData(b)
	b.ReportAllocs()
	for b.Loop() {
		NewIndex(corp.Entries, Options{})
	}
}

// BenchmarkIndexBuildPrecomputed also builds the whole neighbour graph.
func BenchmarkIndexBuildPrecomputed(b *testing.B) {
	_, corp := realData(b)
	b.ReportAllocs()
	for b.Loop() {
		NewIndex(corp.Entries, Options{PrecomputeNeighbors: true})
	}
}

// BenchmarkLoadAndIndex loads the shared list files and indexes them (the
// cold start of a screening process).
func BenchmarkLoadAndIndex(b *testing.B) {
	realData(b) // skip when absent
	lookup := countryLookup(b)
	b.ReportAllocs()
	for b.Loop() {
		c, err := lists.LoadDir(context.Background(), sharedListsDir, lists.Options{CountryCode: lookup})
		if err != nil {
			b.Fatal(err)
		}
		NewIndex(c.Entries, Options{})
	}
}

// BenchmarkSearch runs the evaluation queries one after another on an index
// without a result cache, at the shipped review threshold (after the first
// pass the vocabulary neighbour graph is warm).
func BenchmarkSearch(b *testing.B) {
	_, corp := realData(b)
	ix := NewIndex(corp.Entries, Options{CacheSize: -1})
	cfg, err := LoadConfig(screeningRules)
	if err != nil {
		b.Fatal(err)
	}
	rows := loadEval(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r := rows[i%len(rows)]
		ix.Search(Query{Name: r.query, Country: r.country, Limit: 10, MinScore: cfg.ReviewThreshold})
		i++
	}
}

// BenchmarkSearchCached is BenchmarkSearch with the result cache warm.
func BenchmarkSearchCached(b *testing.B) {
	ix, _ := realData(b)
	cfg, _ := LoadConfig(screeningRules)
	rows := loadEval(b)
	for _, r := range rows {
		ix.Search(Query{Name: r.query, Country: r.country, Limit: 10, MinScore: cfg.ReviewThreshold})
	}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		r := rows[i%len(rows)]
		ix.Search(Query{Name: r.query, Country: r.country, Limit: 10, MinScore: cfg.ReviewThreshold})
		i++
	}
}

// TestLatency times every evaluation query on one core without the result
// cache, twice: cold (a fresh index, each query run once, so known words are
// looked up in the vocabulary for the first time) and steady (after that
// pass, every query run 5 times, the fastest run kept: the cost of the query
// when it has the core, which other tests running beside it would
// otherwise inflate). It fails when the steady median exceeds 50 µs or the
// steady p99 500 µs.
func TestLatency(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("latency measurement skipped in -short mode and under the race detector")
	}
	_, corp := realData(t)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	ix := NewIndex(corp.Entries, Options{CacheSize: -1})
	build := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	t.Logf("index over %d entries (%d names, %d words): built in %v on 1 core, %.1f MB of heap",
		ix.Len(), ix.Names(), len(ix.vocab), build, float64(after.HeapInuse-before.HeapInuse)/1e6)
	cfg, err := LoadConfig(screeningRules)
	if err != nil {
		t.Fatal(err)
	}
	rows := loadEval(t)
	query := func(r evalRow) Query {
		return Query{Name: r.query, Country: r.country, Limit: 10, MinScore: cfg.ReviewThreshold}
	}
	report := func(name string, per []time.Duration) (time.Duration, time.Duration) {
		sort.Slice(per, func(i, j int) bool { return per[i] < per[j] })
		pct := func(p float64) time.Duration { return per[min(len(per)-1, int(p*float64(len(per))))] }
		t.Logf("%s: %d queries, 1 core, no result cache: median %v, p90 %v, p99 %v, max %v",
			name, len(per), pct(0.5), pct(0.9), pct(0.99), per[len(per)-1])
		return pct(0.5), pct(0.99)
	}
	cold := make([]time.Duration, 0, len(rows))
	for _, r := range rows {
		start := time.Now()
		ix.Search(query(r))
		cold = append(cold, time.Since(start))
	}
	report("cold", cold)
	steady := make([]time.Duration, 0, len(rows))
	runs := make([]time.Duration, 5)
	for _, r := range rows {
		q := query(r)
		for k := range runs {
			start := time.Now()
			ix.Search(q)
			runs[k] = time.Since(start)
		}
		steady = append(steady, slices.Min(runs))
	}
	med, p99 := report("steady", steady)
	if med > 50*time.Microsecond {
		t.Errorf("median latency %v above 50µs", med)
	}
	if p99 > 500*time.Microsecond {
		t.Errorf("p99 latency %v above 500µs", p99)
	}
}
