// Command orderbook measures chipcheck's order throughput end to end: it
// writes a synthetic order book (package book), builds the chipcheck binary,
// runs `chipcheck check BOOK -o jsonl` a few times and reports orders/s and
// peak RSS of the best run. In the same run it can:
//
//   - run the binary of another git revision (-baseline REV) on the same
//     book, alternating runs, and report both rates and their ratio, and
//     check that the two decide every order alike (ignoring the policy
//     revision and the provenance, which name the build and the run);
//
//   - decide a sample of the orders with the naive evaluator (bench/naive:
//     OPA's Eval on every query, no prepared queries, no caches, one
//     goroutine), check its decisions equal the engine's, and report the
//     speed-up.
//
//     go run ./bench/orderbook                            # the default book (one year, 500 customers)
//     go run ./bench/orderbook -baseline origin/main      # the same book, this tree against main
//     go run ./bench/orderbook -days 1095 -customers 0    # the high-entropy book
//     go run ./bench/orderbook -lists DIR -naive 0        # with screening, against the same binary without
//
//   - run the yardstick (bench/yardstick: encoding/json decoding every
//     line into a generic value and encoding it again, on every core)
//     on the same book, alternating runs, and report chipcheck's time as
//     a fraction of it (-yardstick);
//
//   - feed the book on stdin instead of naming the file (-stdin), as
//     `cat book.jsonl | chipcheck check -` does.
//
//     go run ./bench/orderbook -n 1000000 -stdin -runs 1 -naive 0 -out /tmp/ob   # a million orders (1.2 GB: keep it out of the tree)
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
	"strings"
	"syscall"
	"time"

	"github.com/chipcheck/chipcheck/bench/book"
	"github.com/chipcheck/chipcheck/bench/naive"
	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/engine"
	"github.com/chipcheck/chipcheck/internal/policy"
	"github.com/chipcheck/chipcheck/internal/runner"
)

func main() {
	o := book.Default
	o.RegisterFlags(flag.CommandLine)
	var c config
	flag.IntVar(&c.runs, "runs", 3, "timed runs of the binary (the best is reported)")
	flag.IntVar(&c.naive, "naive", 300, "orders decided by the naive evaluator (0: none)")
	flag.StringVar(&c.lists, "lists", "", "screen against the lists in this directory")
	flag.StringVar(&c.baseline, "baseline", "", "git revision to build and run side by side on the same book")
	flag.StringVar(&c.out, "out", "bench/out", "working directory for the book and the binaries")
	flag.BoolVar(&c.yardstick, "yardstick", false, "also time bench/yardstick (encoding/json decode and encode of every line) on the book")
	flag.BoolVar(&c.stdin, "stdin", false, "feed the book on stdin (check -) instead of naming the file")
	flag.Parse()
	if err := run(o, c); err != nil {
		fmt.Fprintln(os.Stderr, "orderbook:", err)
		os.Exit(1)
	}
}

type config struct {
	runs, naive          int
	lists, baseline, out string
	yardstick, stdin     bool
}

// binary is a chipcheck build to time.
type binary struct {
	name, path, dir string        // dir: where it runs (older builds read policies/ and rules/ from it)
	best, cpu       time.Duration // best wall time, and the CPU time (user + system) of that run
	rss             int64         // KiB
	out             string
	yardstick       bool // bench/yardstick, not chipcheck
	baseline        bool // another git revision's build
	noLists         bool // this tree without --lists (the -lists ratio)
}

func run(o book.Options, c config) error {
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return err
	}
	out, err := filepath.Abs(c.out)
	if err != nil {
		return err
	}
	path, err := writeBook(out, o)
	if err != nil {
		return err
	}
	bins := []*binary{{name: "this tree", path: filepath.Join(out, "chipcheck"), dir: "."}}
	if err := build(".", bins[0].path); err != nil {
		return err
	}
	if c.baseline != "" {
		b, err := baseline(out, c.baseline)
		if err != nil {
			return err
		}
		b.baseline = true
		bins = append(bins, b)
	}
	if c.lists != "" {
		bins = append(bins, &binary{name: "this tree, no lists", path: bins[0].path, dir: ".", noLists: true})
	}
	if c.yardstick {
		y := &binary{name: "yardstick", path: filepath.Join(out, "yardstick"), dir: ".", yardstick: true}
		if err := buildPkg(".", "./bench/yardstick", y.path); err != nil {
			return err
		}
		bins = append(bins, y)
	}
	fmt.Printf("book: %s (%d orders, %d customers, %d days), lists: %q, stdin: %v, %d CPUs\n", path, o.Orders, o.Customers, o.Days, c.lists, c.stdin, runtime.NumCPU())

	// The binaries, end to end as a user runs them, alternating so that
	// the machine's noise falls on both.
	for i := range c.runs {
		for _, b := range bins {
			if err := b.time(i, path, c, out); err != nil {
				return err
			}
		}
	}
	res := map[string]any{"book": path, "orders": o.Orders, "customers": o.Customers, "days": o.Days, "lists": c.lists}
	for _, b := range bins {
		rate := float64(o.Orders) / b.best.Seconds()
		perOrder := float64(b.cpu.Microseconds()) / float64(o.Orders)
		fmt.Printf("%-22s %7.0f orders/s end to end (best of %d), %.1f µs CPU per order, peak RSS %d MiB\n", b.name+":", rate, c.runs, perOrder, b.rss/1024)
		res[b.name] = map[string]any{"orders_per_s": rate, "cpu_us_per_order": perOrder, "peak_rss_mib": b.rss / 1024}
	}
	for _, b := range bins[1:] {
		switch {
		case b.yardstick:
			wall, cpu := bins[0].best.Seconds()/b.best.Seconds(), bins[0].cpu.Seconds()/b.cpu.Seconds()
			fmt.Printf("this tree / yardstick: %.2fx the yardstick's wall time, %.2fx its CPU time (target: at most 0.5x)\n", wall, cpu)
			res["yardstick_wall_ratio"], res["yardstick_cpu_ratio"] = wall, cpu
		case b.noLists:
			wall, cpu := bins[0].best.Seconds()/b.best.Seconds(), bins[0].cpu.Seconds()/b.cpu.Seconds()
			fmt.Printf("lists / no lists:      %.2fx the wall time without --lists, %.2fx its CPU time (target: at most 1.5x)\n", wall, cpu)
			res["lists_wall_ratio"], res["lists_cpu_ratio"] = wall, cpu
		case b.baseline:
			ratio := b.best.Seconds() / bins[0].best.Seconds()
			fmt.Printf("this tree / baseline:  %.2fx the baseline's throughput\n", ratio)
			n, err := sameDecisions(bins[0].out, b.out)
			if err != nil {
				return err
			}
			fmt.Printf("decisions:             all %d alike (policy revision and provenance aside)\n", n)
			res["ratio"] = ratio
		}
	}
	if c.naive > 0 {
		if c.lists != "" {
			return fmt.Errorf("-naive with -lists is not supported (use -naive 0)")
		}
		rate, sample, err := naiveRate(path, c.naive)
		if err != nil {
			return err
		}
		fast := float64(o.Orders) / bins[0].best.Seconds()
		fmt.Printf("naive:                 %.1f orders/s on the first %d orders (one goroutine, no prepare, no caches)\n", rate, sample)
		fmt.Printf("speed-up:              %.0fx\n", fast/rate)
		res["naive_orders_per_s"], res["naive_sample"], res["speedup"] = rate, sample, fast/rate
	}
	b, _ := json.MarshalIndent(res, "", "  ")
	return os.WriteFile(filepath.Join(out, "orderbook.json"), b, 0o644)
}

// writeBook writes the book once: aside, then renamed, so an interrupted
// run leaves no half book.
func writeBook(out string, o book.Options) (string, error) {
	path := filepath.Join(out, o.FileName())
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	f, err := os.CreateTemp(out, "book-*.tmp")
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	if err := book.Write(f, o); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return path, os.Rename(f.Name(), path)
}

func build(dir, bin string) error { return buildPkg(dir, "./cmd/chipcheck", bin) }

func buildPkg(dir, pkg, bin string) error {
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build in %s: %v\n%s", dir, err, b)
	}
	return nil
}

// baseline extracts git revision rev into out and builds it there.
func baseline(out, rev string) (*binary, error) {
	sha, err := exec.Command("git", "rev-parse", "--short", rev).Output()
	if err != nil {
		return nil, fmt.Errorf("git rev-parse %s: %w", rev, err)
	}
	id := strings.TrimSpace(string(sha))
	dir := filepath.Join(out, "baseline-"+id)
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		archive := exec.Command("sh", "-c", fmt.Sprintf("git archive %s | tar -x -C %q", id, dir))
		if b, err := archive.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("git archive %s: %v\n%s", rev, err, b)
		}
	}
	b := &binary{name: "baseline " + id, path: filepath.Join(dir, "chipcheck"), dir: dir}
	return b, build(dir, b.path)
}

// time runs the binary once on the book, keeping the best time and the
// output of the first run.
func (b *binary) time(i int, book string, c config, out string) error {
	in := book
	if c.stdin {
		in = "-"
	}
	args := []string{"check", in, "-o", "jsonl", "--fail-on", "none", "-q"}
	if c.lists != "" && !b.noLists {
		args = append(args, "--lists", c.lists)
	}
	if b.yardstick {
		args = []string{in}
	}
	cmd := exec.Command(b.path, args...)
	cmd.Dir, cmd.Stderr = b.dir, os.Stderr
	if c.stdin {
		f, err := os.Open(book)
		if err != nil {
			return err
		}
		defer f.Close()
		cmd.Stdin = f
	}
	dst := os.DevNull
	if i == 0 && !b.yardstick {
		b.out = filepath.Join(out, "decisions-"+strings.ReplaceAll(b.name, " ", "-")+".jsonl")
		dst = b.out
	}
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	cmd.Stdout = w
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w", b.name, err)
	}
	d := time.Since(start)
	if err := w.Flush(); err != nil {
		return err
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	rss := ru.Maxrss // KiB on Linux
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	fmt.Printf("  %s, run %d: %.2fs, %.2fs CPU, peak RSS %d MiB\n", b.name, i+1, d.Seconds(), cpu.Seconds(), rss/1024)
	if b.best == 0 || d < b.best {
		b.best, b.cpu, b.rss = d, cpu, rss
	}
	return nil
}

// sameDecisions checks that two JSONL decision files decide alike, line
// by line, once the fields that name the build and the run are removed.
func sameDecisions(a, b string) (int, error) {
	fa, err := os.ReadFile(a)
	if err != nil {
		return 0, err
	}
	fb, err := os.ReadFile(b)
	if err != nil {
		return 0, err
	}
	la, lb := bytes.Split(bytes.TrimSpace(fa), []byte("\n")), bytes.Split(bytes.TrimSpace(fb), []byte("\n"))
	if len(la) != len(lb) {
		return 0, fmt.Errorf("%d decisions against %d", len(la), len(lb))
	}
	for i := range la {
		x, y := comparable(la[i]), comparable(lb[i])
		if !bytes.Equal(x, y) {
			return 0, fmt.Errorf("decision %d differs:\n%s\n%s", i+1, x, y)
		}
	}
	return len(la), nil
}

// comparable drops a decision's provenance and policy fields: the policy
// revision hashes the policies, which a refactor changes without changing
// a decision.
func comparable(line []byte) []byte {
	if i := bytes.Index(line, []byte(`,"provenance":`)); i >= 0 {
		line = append(slices.Clip(line[:i]), '}')
	}
	if i := bytes.Index(line, []byte(`"policy":{`)); i >= 0 {
		if j := bytes.IndexByte(line[i:], '}'); j >= 0 {
			line = slices.Concat(line[:i], []byte(`"policy":{}`), line[i+j+1:])
		}
	}
	return line
}

// naiveRate decides the first n orders of the book with the naive
// evaluator and returns orders/s; it fails if any decision differs from the
// engine's. Both go through the runner, as `chipcheck check` does, on one
// goroutine.
func naiveRate(path string, n int) (float64, int, error) {
	ctx := context.Background()
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	var head []byte
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for i := 0; i < n && sc.Scan(); i++ {
		head = append(append(head, sc.Bytes()...), '\n')
	}
	decide := func(opts runner.Options) ([]decision.Decision, time.Duration, error) {
		opts.Workers = 1
		r, err := runner.Load(ctx, opts)
		if err != nil {
			return nil, 0, err
		}
		recs, probs := r.Read(ctx, runner.ReadOptions{Format: "jsonl", Stdin: bytes.NewReader(head)}, "-")
		if len(probs) > 0 {
			return nil, 0, probs
		}
		var ds []decision.Decision
		start := time.Now()
		_, err = r.Decide(ctx, recs, runner.Sink{Emit: func(d decision.Decision, _ []byte) error {
			ds = append(ds, d)
			return nil
		}})
		return ds, time.Since(start), err
	}
	slow, took, err := decide(runner.Options{NewEvaluator: func(pol *policy.Policy, qs []engine.Query) (engine.Evaluator, error) {
		return naive.New(pol, qs), nil
	}})
	if err != nil {
		return 0, 0, err
	}
	fast, _, err := decide(runner.Options{})
	if err != nil {
		return 0, 0, err
	}
	for i := range slow {
		// The provenance names the run; the rest must be the same.
		slow[i].Provenance, fast[i].Provenance = nil, nil
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
