// Command genactivity writes a generated account_activity population
// (internal/networks/netgen) as JSON Lines, for demos and benchmarks:
// benign accounts with realistic overlaps and hidden distillation networks.
// Each record's x_label says which it is; chipcheck ignores it.
//
//	go run ./bench/genactivity -benign 2000 -network 300 > activity.jsonl
//	go run ./bench/genactivity -sharing 0.2 -overlap 0.3 -cells 10 -o activity.jsonl
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/chipcheck/chipcheck/internal/networks/netgen"
)

func main() {
	cfg := netgen.Default()
	flag.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	flag.IntVar(&cfg.Benign, "benign", cfg.Benign, "benign accounts")
	flag.IntVar(&cfg.Network, "network", cfg.Network, "network accounts, in all")
	flag.IntVar(&cfg.Cells, "cells", cfg.Cells, "independent operations the network is split into")
	flag.Float64Var(&cfg.Sharing, "sharing", cfg.Sharing, "probability a network account reuses a pooled card, device or phone")
	flag.Float64Var(&cfg.PromptOverlap, "overlap", cfg.PromptOverlap, "Jaccard similarity of network accounts' prompt sets (0: none)")
	flag.Float64Var(&cfg.Camouflage, "camouflage", cfg.Camouflage, "share of network accounts whose own usage looks benign")
	flag.Float64Var(&cfg.BurstShare, "bursts", cfg.BurstShare, "share of network accounts created in sign-up bursts")
	flag.Float64Var(&cfg.DeniedShare, "denied", cfg.DeniedShare, "share of network accounts already denied")
	out := flag.String("o", "-", "output file (- for stdout)")
	flag.Parse()
	var w io.Writer = os.Stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, "genactivity:", err)
			os.Exit(1)
		}
		defer f.Close()
		w = f
	}
	if err := netgen.WriteJSONL(w, netgen.Generate(cfg)); err != nil {
		fmt.Fprintln(os.Stderr, "genactivity:", err)
		os.Exit(1)
	}
}
