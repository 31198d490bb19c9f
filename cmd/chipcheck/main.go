// Command chipcheck screens AI-chip orders against US export controls and
// restricted-party lists. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/chipcheck/chipcheck/internal/cli"
)

func main() {
	// An interrupted check must not leave part of its decisions behind:
	// the first SIGINT or SIGTERM stops it cleanly (its output is
	// discarded, exit 3); a second one, once stop has run, kills at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	code := cli.MainContext(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
