// Command orderbook measures chipcheck's order throughput end to end: it
// writes a synthetic order book (package book), builds the chipcheck binary,
// runs `chipcheck check BOOK -o jsonl` a few times and reports orders/s and
// peak RSS of the best run; then, in the same run, decides a sample of the
// same orders with a naive loop (engine.Options.Naive: OPA's Eval on every
// stage of every order, no prepared queries, no caches, one goroutine) and
// reports the speed-up. It also checks that the naive decisions equal the
// optimized ones for that sample.
//
//	go run ./bench/orderbook                     # the default book (one year, 500 customers)
//	go run ./bench/orderbook -days 1095 -customers 0   # the high-entropy book
//	go run ./bench/orderbook -lists ../shared/data/lists   # with screening
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"time"

	"github.com/chipcheck/chipcheck/bench/book"
	"github.com/chipcheck/chipcheck/internal/check"
	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/engine"
	"github.com/chipcheck/chipcheck/internal/facts"
	"github.com/chipcheck/chipcheck/internal/record"
	"github.com/chipcheck/chipcheck/internal/rules"
)

func main() {
	o := book.Default
	o.RegisterFlags(flag.CommandLine)
	runs := flag.Int("runs", 3, "timed runs of the binary (the best is reported)")
	naiveN := flag.Int("naive", 300, "orders decided by the naive loop")
	lists := flag.String("lists", "", "screen against the lists in this directory")
	out := flag.String("out", "bench/out", "working directory for the book and the binary")
	flag.Parse()
	if err := run(o, *runs, *naiveN, *lists, *out); err != nil {
		fmt.Fprintln(os.Stderr, "orderbook:", err)
		os.Exit(1)
	}
}

func run(o book.Options, runs, naiveN int, lists, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	path := filepath.Join(out, o.FileName())
	if _, err := os.Stat(path); err != nil {
		// Written aside and renamed, so an interrupted run leaves no half book.
		f, err := os.CreateTemp(out, "book-*.tmp")
		if err != nil {
			return err
		}
		defer os.Remove(f.Name())
		if err := book.Write(f, o); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		if err := os.Rename(f.Name(), path); err != nil {
			return err
		}
	}
	bin := filepath.Join(out, "chipcheck")
	if b, err := exec.Command("go", "build", "-o", bin, "./cmd/chipcheck").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, b)
	}
	fmt.Printf("book: %s (%d orders, %d customers, %d days), lists: %q, %d CPUs\n", path, o.Orders, o.Customers, o.Days, lists, runtime.NumCPU())

	// The optimized path, end to end, as a user runs it.
	args := []string{"check", path, "-o", "jsonl", "--fail-on", "none", "-q"}
	if lists != "" {
		args = append(args, "--lists", lists)
	}
	var best time.Duration
	var bestRSS int64
	for i := range runs {
		cmd := exec.Command(bin, args...)
		cmd.Stdout, cmd.Stderr = nil, os.Stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("chipcheck: %w", err)
		}
		d := time.Since(start)
		rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // KiB on Linux
		fmt.Printf("  run %d: %.2fs, %.0f orders/s, peak RSS %d MiB\n", i+1, d.Seconds(), float64(o.Orders)/d.Seconds(), rss/1024)
		if best == 0 || d < best {
			best, bestRSS = d, rss
		}
	}
	fast := float64(o.Orders) / best.Seconds()

	fmt.Printf("optimized: %.0f orders/s end to end (best of %d), peak RSS %d MiB\n", fast, runs, bestRSS/1024)
	res := map[string]any{"book": path, "orders": o.Orders, "customers": o.Customers, "days": o.Days, "lists": lists,
		"orders_per_s": fast, "peak_rss_mib": bestRSS / 1024}
	// The naive loop, and the optimized engine in-process, on a sample.
	if naiveN > 0 {
		if lists != "" {
			return fmt.Errorf("-naive with -lists is not supported: the naive loop does not screen (use -naive 0)")
		}
		naive, sample, err := naiveRate(path, naiveN)
		if err != nil {
			return err
		}
		fmt.Printf("naive:     %.1f orders/s on the first %d orders (one goroutine, no prepare, no caches)\n", naive, sample)
		fmt.Printf("speed-up:  %.0fx\n", fast/naive)
		res["naive_orders_per_s"], res["naive_sample"], res["speedup"] = naive, sample, fast/naive
	}
	b, _ := json.MarshalIndent(res, "", "  ")
	return os.WriteFile(filepath.Join(out, "orderbook.json"), b, 0o644)
}

// naiveRate decides the first n orders of the book with Options.Naive and
// returns orders/s; it fails if any decision differs from the optimized
// engine's.
func naiveRate(path string, n int) (float64, int, error) {
	ctx := context.Background()
	rs, err := rules.LoadDir("rules")
	if err != nil {
		return 0, 0, err
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	var head bytes.Buffer
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for i := 0; i < n && sc.Scan(); i++ {
		head.Write(sc.Bytes())
		head.WriteByte('\n')
	}
	recs, probs := record.Read(ctx, record.Options{Vocab: rs, Format: "jsonl", Stdin: &head}, "-")
	if len(probs) > 0 {
		return 0, 0, probs
	}
	decide := func(naive bool) ([]decision.Decision, time.Duration, error) {
		eng, err := engine.New(ctx, engine.Options{PolicyDir: "policies", Rules: rs, Naive: naive})
		if err != nil {
			return nil, 0, err
		}
		opts := check.Options{Engine: eng, Facts: facts.Options{Catalog: rs}, Workers: 1}
		var ds []decision.Decision
		start := time.Now()
		err = check.Run(ctx, opts, recs, func(d decision.Decision, _ []byte) error {
			ds = append(ds, d)
			return nil
		})
		return ds, time.Since(start), err
	}
	slow, took, err := decide(true)
	if err != nil {
		return 0, 0, err
	}
	fast, _, err := decide(false)
	if err != nil {
		return 0, 0, err
	}
	for i := range slow {
		a, _ := json.Marshal(slow[i])
		b, _ := json.Marshal(fast[i])
		if !bytes.Equal(a, b) {
			return 0, 0, fmt.Errorf("order %s: the naive and optimized decisions differ:\n%s\n%s", slow[i].ID, a, b)
		}
	}
	if slices.ContainsFunc(slow, func(d decision.Decision) bool { return d.Reasons[0].Rule == "CHIPCHECK-EVAL-ERROR" }) {
		return 0, 0, fmt.Errorf("the naive loop hit evaluation errors")
	}
	return float64(len(slow)) / took.Seconds(), len(slow), nil
}
