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
	cfg.AddFlags(flag.CommandLine)
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
