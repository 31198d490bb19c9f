// Command screen measures restricted-party screening on the real lists: the
// time and peak memory (VmHWM) to load the list files and build the index,
// then the latency of every query of the evaluation set, once on the fresh
// index (cold) and once more (warm). Run it from the repository root:
//
//	go run ./bench/screen -lists DIR     # DIR: published list files (default $CHIPCHECK_SHARED_LISTS)
//	go run ./bench/screen -runs 5        # five fresh indexes, then the medians
//	go run ./bench/screen -runs 5 -lazy  # neighbour graph filled by the queries
//
// Queries run one after another on one core (GOMAXPROCS 1, after the build)
// without the result cache, at the shipped review threshold, so a figure is
// the cost of one search; the build uses every core, as chipcheck does. The
// matcher numbers and the threshold come from the rule data (-rules).
// With -runs N it loads, builds and queries N times over (a fresh index each
// time) and ends with the median of each figure, which other load on the
// machine disturbs less than any single run.
package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/chipcheck/chipcheck/internal/lists"
	"github.com/chipcheck/chipcheck/internal/rules"
	"github.com/chipcheck/chipcheck/internal/screen"
)

func main() {
	listsDir := flag.String("lists", os.Getenv("CHIPCHECK_SHARED_LISTS"), "directory of published list files (default $CHIPCHECK_SHARED_LISTS)")
	rulesDir := flag.String("rules", "rules", "directory of YAML rule data (country names, review threshold, matcher numbers)")
	evalPath := flag.String("eval", "fixtures/screening/eval.csv", "evaluation set (CSV with columns query and country)")
	lazy := flag.Bool("lazy", false, "leave the neighbour graph to the queries (screen.Options.LazyNeighbors)")
	cores := flag.Int("query-cores", 1, "GOMAXPROCS while the queries run")
	runs := flag.Int("runs", 1, "load, build and query this many times; report each run and the medians")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	flag.Parse()
	if *listsDir == "" {
		fmt.Fprintln(os.Stderr, "screen: give -lists DIR (a directory of published list files) or set CHIPCHECK_SHARED_LISTS")
		os.Exit(2)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "screen:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(*listsDir, *rulesDir, *evalPath, *lazy, *cores, max(1, *runs)); err != nil {
		fmt.Fprintln(os.Stderr, "screen:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

type query struct{ name, country string }

// figures are one run's measurements: load, build, and the latency
// percentiles (median, p90, p99, max) of the cold and the warm pass.
type figures struct {
	load, total time.Duration
	cold, warm  [4]time.Duration
}

func run(listsDir, rulesDir, evalPath string, lazy bool, cores, runs int) error {
	rs, err := rules.LoadDir(rulesDir)
	if err != nil {
		return err
	}
	base, threshold, err := screen.FromRules(screen.DefaultOptions(), rs.Number)
	if err != nil {
		return err
	}
	queries, err := readQueries(evalPath)
	if err != nil {
		return err
	}
	buildCores := runtime.GOMAXPROCS(0)
	graph := "neighbour graph built by NewIndex"
	if lazy {
		graph = "neighbour graph filled lazily by the queries"
	}
	fmt.Printf("lists %s, %d queries from %s, %s\n", listsDir, len(queries), evalPath, graph)
	fmt.Printf("build on %d cores; queries on %d core(s), one at a time, no result cache\n", buildCores, cores)
	var all []figures
	for r := range runs {
		runtime.GOMAXPROCS(buildCores)
		runtime.GC() // the previous run's index is garbage: do not bill it to this one
		var f figures
		start := time.Now()
		corpus, err := lists.LoadDir(context.Background(), listsDir, lists.Options{CountryCode: rs.CountryCode})
		if err != nil {
			return err
		}
		f.load = time.Since(start)
		opts := base
		opts.CacheSize = -1 // measure searches, not cache hits
		opts.LazyNeighbors = lazy
		ix, err := screen.NewIndex(corpus.Entries, opts)
		if err != nil {
			return err
		}
		f.total = time.Since(start)
		if r == 0 {
			hwm, err := peakRSS()
			if err != nil {
				return err
			}
			fmt.Printf("%d entries, %d names indexed; peak RSS after load and index %.1f MiB\n", ix.Len(), ix.Names(), float64(hwm)/(1<<20))
		}

		runtime.GOMAXPROCS(cores)
		search := func() [4]time.Duration {
			per := make([]time.Duration, len(queries))
			for i, q := range queries {
				t := time.Now()
				ix.Search(screen.Query{Name: q.name, Country: q.country, Limit: 10, MinScore: threshold})
				per[i] = time.Since(t)
			}
			return percentiles(per)
		}
		f.cold = search()
		f.warm = search()
		fmt.Printf("run %d: %s\n", r+1, f)
		all = append(all, f)
	}
	if runs > 1 {
		med := func(get func(figures) time.Duration) time.Duration {
			v := make([]time.Duration, len(all))
			for i, f := range all {
				v[i] = get(f)
			}
			slices.Sort(v)
			return v[len(v)/2]
		}
		var m figures
		m.load = med(func(f figures) time.Duration { return f.load })
		m.total = med(func(f figures) time.Duration { return f.total })
		for k := range 4 {
			m.cold[k] = med(func(f figures) time.Duration { return f.cold[k] })
			m.warm[k] = med(func(f figures) time.Duration { return f.warm[k] })
		}
		fmt.Printf("median of %d runs: %s\n", runs, m)
	}
	hwm, err := peakRSS()
	if err != nil {
		return err
	}
	fmt.Printf("peak RSS at exit %.1f MiB\n", float64(hwm)/(1<<20))
	return nil
}

func (f figures) String() string {
	p := func(q [4]time.Duration) string {
		return fmt.Sprintf("median %v p90 %v p99 %v max %v", round(q[0]), round(q[1]), round(q[2]), round(q[3]))
	}
	return fmt.Sprintf("load %v + index %v = %v\n  cold: %s\n  warm: %s",
		round(f.load), round(f.total-f.load), round(f.total), p(f.cold), p(f.warm))
}

// percentiles are the median, p90, p99 and max of per.
func percentiles(per []time.Duration) [4]time.Duration {
	slices.Sort(per)
	pct := func(p float64) time.Duration { return per[min(len(per)-1, int(p*float64(len(per))))] }
	return [4]time.Duration{pct(0.5), pct(0.9), pct(0.99), per[len(per)-1]}
}

func round(d time.Duration) time.Duration {
	if d > time.Millisecond {
		return d.Round(time.Millisecond)
	}
	return d.Round(100 * time.Nanosecond)
}

// readQueries reads the query and country columns of the evaluation set.
func readQueries(path string) ([]query, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) < 2 {
		return nil, fmt.Errorf("%s: no queries", path)
	}
	qi, ci := slices.Index(recs[0], "query"), slices.Index(recs[0], "country")
	if qi < 0 || ci < 0 {
		return nil, fmt.Errorf("%s:1: want columns query and country, have %v", path, recs[0])
	}
	out := make([]query, 0, len(recs)-1)
	for _, r := range recs[1:] {
		out = append(out, query{r[qi], r[ci]})
	}
	return out, nil
}

// peakRSS is the process's peak resident set size (VmHWM), in bytes.
func peakRSS() (int64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			var kb int64
			if _, err := fmt.Sscanf(strings.TrimSpace(v), "%d kB", &kb); err != nil {
				return 0, fmt.Errorf("VmHWM %q: %w", v, err)
			}
			return kb << 10, nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("/proc/self/status: no VmHWM")
}
