// Command netquality measures how well chipcheck finds distillation
// networks: it generates populations (internal/networks/netgen), writes
// each as JSON Lines, reads and decides it through the runner exactly as
// `chipcheck check FILE` does, and reports the share of network accounts
// flagged (review or deny) and of benign accounts flagged, with the rules
// that flagged benign accounts. With -sweep it repeats the run as the
// network shares fewer identifiers and less prompt overlap.
//
//	go run ./bench/netquality                              # 200,000 benign + 25,000 network accounts
//	go run ./bench/netquality -sweep                       # and the degradation as sharing falls
//	go run ./bench/netquality -benign 20000 -network 2500  # a quicker run
package main

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/networks/netgen"
	"github.com/chipcheck/chipcheck/internal/runner"
)

func main() {
	cfg := netgen.Default()
	cfg.AddFlags(flag.CommandLine)
	sweep := flag.Bool("sweep", false, "also run with less sharing and prompt overlap")
	flag.Parse()
	runs := []netgen.Config{cfg}
	if *sweep {
		for _, s := range []struct{ sharing, overlap, bursts float64 }{{0.4, 0.5, 0.3}, {0.2, 0.4, 0.2}, {0.1, 0.3, 0.1}, {0.05, 0.2, 0}, {0, 0, 0}} {
			c := cfg
			c.Sharing, c.PromptOverlap, c.BurstShare = s.sharing, s.overlap, s.bursts
			runs = append(runs, c)
		}
	}
	fmt.Printf("%-8s %-8s %-7s %-7s %10s %10s %14s %14s %8s  %s\n", "sharing", "overlap", "bursts", "camo", "benign", "network", "network flagged", "benign flagged", "seconds", "rules flagging benign accounts")
	for _, c := range runs {
		if err := measure(c); err != nil {
			fmt.Fprintln(os.Stderr, "netquality:", err)
			os.Exit(1)
		}
	}
}

// measure generates, decides and reports one population.
func measure(cfg netgen.Config) error {
	ctx := context.Background()
	accts := netgen.Generate(cfg)
	network := make(map[string]bool, len(accts))
	for i := range accts {
		network[accts[i].AccountID] = accts[i].Network()
	}
	dir, err := os.MkdirTemp("", "netquality")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "activity.jsonl")
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if err := netgen.WriteJSONL(f, accts); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	accts = nil
	runtime.GC()

	start := time.Now()
	run, err := runner.Load(ctx, runner.Options{})
	if err != nil {
		return err
	}
	recs, probs := run.Read(ctx, runner.ReadOptions{}, file)
	if len(probs) > 0 {
		return fmt.Errorf("%d input problems, first: %v", len(probs), probs[0])
	}
	var flaggedNet, flaggedBenign, nNet, nBenign int
	benignRules := map[string]int{}
	_, err = run.Decide(ctx, recs, runner.Sink{Emit: func(d decision.Decision, _ []byte) error {
		if d.Failed() {
			return fmt.Errorf("%s: %s", d.ID, d.Reasons[0].Message)
		}
		flagged := d.Decision != decision.Allow
		if network[d.ID] {
			nNet++
			if flagged {
				flaggedNet++
			}
			return nil
		}
		nBenign++
		if flagged {
			flaggedBenign++
			for _, r := range d.Reasons {
				if r.Outcome != decision.Allow {
					benignRules[r.Rule]++
				}
			}
		}
		return nil
	}})
	if err != nil {
		return err
	}
	var rs []string
	for _, k := range slices.Sorted(maps.Keys(benignRules)) {
		rs = append(rs, fmt.Sprintf("%s %d", k, benignRules[k]))
	}
	fmt.Printf("%-8.2f %-8.2f %-7.2f %-7.2f %10d %10d %14s %14s %8.1f  %s\n", cfg.Sharing, cfg.PromptOverlap, cfg.BurstShare, cfg.Camouflage,
		nBenign, nNet, pct(flaggedNet, nNet), pct(flaggedBenign, nBenign), time.Since(start).Seconds(), strings.Join(rs, ", "))
	return nil
}

func pct(k, n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f%%", 100*float64(k)/float64(n))
}
