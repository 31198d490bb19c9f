// Command genbook writes a synthetic order book (see package book) to
// stdout.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/chipcheck/chipcheck/bench/book"
)

func main() {
	o := book.Default
	flag.IntVar(&o.Orders, "n", o.Orders, "orders")
	flag.IntVar(&o.SKUs, "skus", o.SKUs, "distinct SKUs")
	flag.IntVar(&o.Customers, "customers", o.Customers, "size of the customer master; 0: random attributes for every party")
	flag.IntVar(&o.Days, "days", o.Days, "order dates span this many days ending 2026-11-20")
	flag.Uint64Var(&o.Seed, "seed", o.Seed, "random seed")
	flag.Parse()
	if err := book.Write(os.Stdout, o); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
