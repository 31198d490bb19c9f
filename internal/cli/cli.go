// Package cli builds the chipcheck command tree. Each verb lives in its own
// file and stays thin: flags in, one call into the pipeline, exit code out.
package cli

import (
	"io"
)

// Main runs chipcheck with args and returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return 0
}
