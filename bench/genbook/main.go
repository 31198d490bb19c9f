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
	o.RegisterFlags(flag.CommandLine)
	flag.Parse()
	if err := book.Write(os.Stdout, o); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
