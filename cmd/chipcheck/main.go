// Command chipcheck screens AI-chip orders against US export controls and
// restricted-party lists. See README.md.
package main

import (
	"os"

	"github.com/chipcheck/chipcheck/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
