package screen

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/chipcheck/chipcheck/internal/lists"
	"github.com/chipcheck/chipcheck/internal/screen/internal/realdata"
)

// BenchmarkIndexBuild indexes every entry of the shared lists, with the
// neighbour graph.
func BenchmarkIndexBuild(b *testing.B) {
	_, corp := realData(b)
	b.ReportAllocs()
	for b.Loop() {
		newTestIndex(b, corp.Entries, Options{})
	}
}

// BenchmarkIndexBuildLazy leaves the neighbour graph to the queries.
func BenchmarkIndexBuildLazy(b *testing.B) {
	_, corp := realData(b)
	b.ReportAllocs()
	for b.Loop() {
		newTestIndex(b, corp.Entries, Options{LazyNeighbors: true})
	}
}

// BenchmarkLoadAndIndex loads the shared list files and indexes them (the
// cold start of a screening process).
func BenchmarkLoadAndIndex(b *testing.B) {
	realData(b) // skip when absent
	dir, rs := realdata.Dir(b), realdata.Rules(b)
	b.ReportAllocs()
	for b.Loop() {
		c, err := lists.LoadDir(context.Background(), dir, lists.Options{CountryCode: rs.CountryCode})
		if err != nil {
			b.Fatal(err)
		}
		newTestIndex(b, c.Entries, Options{})
	}
}

// BenchmarkSearch runs the evaluation queries one after another on an index
// without a result cache, at the shipped review threshold (after the first
// pass the vocabulary neighbour graph is warm).
func BenchmarkSearch(b *testing.B) {
	_, corp := realData(b)
	ix := newTestIndex(b, corp.Entries, Options{CacheSize: -1})
	threshold := reviewThreshold(b)
	rows := loadEval(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r := rows[i%len(rows)]
		ix.Search(Query{Name: r.query, Country: r.country, Limit: 10, MinScore: threshold})
		i++
	}
}

// BenchmarkSearchCached is BenchmarkSearch with the result cache warm.
func BenchmarkSearchCached(b *testing.B) {
	ix, _ := realData(b)
	threshold := reviewThreshold(b)
	rows := loadEval(b)
	for _, r := range rows {
		ix.Search(Query{Name: r.query, Country: r.country, Limit: 10, MinScore: threshold})
	}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		r := rows[i%len(rows)]
		ix.Search(Query{Name: r.query, Country: r.country, Limit: 10, MinScore: threshold})
		i++
	}
}

// TestLatency times every evaluation query on one core without the result
// cache, at the shipped review threshold, and fails above 50 µs median or
// 500 µs p99 on any of three paths:
//
//   - cold: the first run of each query on a fresh index (NewIndex built the
//     neighbour graph);
//   - cold, lazy: the same with Options.LazyNeighbors, so each query also
//     looks up the known words it is first to use (only the p99 is gated:
//     the median is about the 50 µs this mode trades for a cheaper build);
//   - steady: after those passes, the fastest of five runs of each query.
//
// Each cold figure is per query the fastest of three fresh indexes, and the
// steady figure the fastest of five runs, so that other processes on the
// machine inflate them less; the logs give every pass.
func TestLatency(t *testing.T) {
	if os.Getenv("CHIPCHECK_PERF") == "" || raceEnabled {
		t.Skip("a timed gate: set CHIPCHECK_PERF=1 to run it (on a quiet machine, without -race); go run ./bench/screen measures the same")
	}
	_, corp := realData(t)
	threshold := reviewThreshold(t)
	rows := loadEval(t)
	query := func(r evalRow) Query {
		return Query{Name: r.query, Country: r.country, Limit: 10, MinScore: threshold}
	}
	pct := func(per []time.Duration, p float64) time.Duration {
		return per[min(len(per)-1, int(p*float64(len(per))))]
	}
	report := func(name string, per []time.Duration) (med, p99 time.Duration) {
		per = slices.Clone(per)
		slices.Sort(per)
		t.Logf("%-32s median %v, p90 %v, p99 %v, max %v", name+":", pct(per, 0.5), pct(per, 0.9), pct(per, 0.99), per[len(per)-1])
		return pct(per, 0.5), pct(per, 0.99)
	}
	gate := func(name string, med, p99 time.Duration, gateMedian bool) {
		if gateMedian && med > 50*time.Microsecond {
			t.Errorf("%s: median latency %v above 50µs", name, med)
		}
		if p99 > 500*time.Microsecond {
			t.Errorf("%s: p99 latency %v above 500µs", name, p99)
		}
	}
	procs := runtime.GOMAXPROCS(0)
	var ix *Index
	for _, mode := range []struct {
		name string
		lazy bool
	}{{"cold", false}, {"cold, lazy", true}} {
		best := make([]time.Duration, len(rows))
		for rep := range 3 {
			runtime.GOMAXPROCS(procs) // build as chipcheck does, on every core
			runtime.GC()
			start := time.Now()
			ix = newTestIndex(t, corp.Entries, Options{CacheSize: -1, LazyNeighbors: mode.lazy})
			build := time.Since(start)
			runtime.GOMAXPROCS(1)
			per := make([]time.Duration, len(rows))
			for i, r := range rows {
				start := time.Now()
				ix.Search(query(r))
				per[i] = time.Since(start)
				if rep == 0 || per[i] < best[i] {
					best[i] = per[i]
				}
			}
			report(fmt.Sprintf("%s #%d (built in %v)", mode.name, rep+1, build.Round(time.Millisecond)), per)
		}
		med, p99 := report(mode.name+", best of 3", best)
		gate(mode.name, med, p99, !mode.lazy)
	}
	steady := make([]time.Duration, len(rows))
	runs := make([]time.Duration, 5)
	for i, r := range rows {
		q := query(r)
		for k := range runs {
			start := time.Now()
			ix.Search(q)
			runs[k] = time.Since(start)
		}
		steady[i] = slices.Min(runs)
	}
	med, p99 := report("steady, best of 5", steady)
	gate("steady", med, p99, true)
	runtime.GOMAXPROCS(procs)
}
