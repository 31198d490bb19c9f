// Package cli builds the chipcheck command tree. Each verb lives in its own
// file and stays thin: flags in, one call into the pipeline, exit code out.
// Configuration comes from, in rising precedence: built-in defaults,
// chipcheck.yaml (or --config FILE), CHIPCHECK_* environment variables, and
// flags.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/chipcheck/chipcheck/internal/buildinfo"
	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/runner"
)

// exitError carries a process exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// fail is a tool error: exit 3, never 0.
func fail(format string, a ...any) error {
	return &exitError{code: decision.ExitError, err: fmt.Errorf(format, a...)}
}

// app is one invocation: its streams and configuration.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	v              *viper.Viper
	context        context.Context
	config         string // the configuration file read, if any
}

func (a *app) ctx() context.Context {
	if a.context == nil {
		return context.Background()
	}
	return a.context
}

// Main runs chipcheck with args and returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return MainContext(context.Background(), args, stdin, stdout, stderr)
}

// MainContext is Main stopped when ctx is done (the command's interrupt
// signals): a check then prints no decision and exits 3, as for an input
// problem, and output already written to a regular file is cut back.
func MainContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, v: viper.New()}
	root := a.root()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := execute(ctx, root)
	if err == nil {
		return decision.ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stderr, "chipcheck: %v\n", ee.err)
		}
		return ee.code
	}
	// cobra's own errors: unknown flags or commands.
	fmt.Fprintf(stderr, "chipcheck: %v\n", err)
	return decision.ExitError
}

// execute runs the command tree; a panic anywhere in it is exit 3, never a
// crash that a caller could read as something else.
func execute(ctx context.Context, root *cobra.Command) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &exitError{code: decision.ExitError, err: fmt.Errorf("internal error: %v", p)}
		}
	}()
	return root.ExecuteContext(ctx)
}

func (a *app) root() *cobra.Command {
	root := &cobra.Command{
		Use:   "chipcheck",
		Short: "Export-control checks for advanced AI chips: classification, license determination, restricted-party screening",
		Long: `chipcheck judges chip and order records against US export controls
(ECCN 3A090/4A090, 15 CFR 742.6, 744) and the US restricted-party lists, and
says allow, review or deny with the rule, the regulation and the facts.

The policies (Rego) and rule data (YAML) are built in; --policies DIR and
--rules DIR use others instead.
Exit codes: 0 nothing at or above --fail-on, 1 a deny, 2 a review,
3 the tool could not do its job.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       buildinfo.Read().String(),
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			a.context = cmd.Context()
			if err := a.stdoutIsNoInput(cmd, args); err != nil {
				return err
			}
			return a.configure(cmd)
		},
	}
	pf := root.PersistentFlags()
	pf.String("config", "", "config file (default: chipcheck.yaml in the current directory, if present)")
	pf.String("policies", "", "directory of Rego policies to use instead of the built-in ones")
	pf.String("rules", "", "directory of YAML rule data to use instead of the built-in rules")
	pf.String("waivers", "", "a file of waivers to apply besides rules/waivers.yaml")
	pf.BoolP("quiet", "q", false, "no progress and no summary on stderr")
	root.AddCommand(a.checkCmd(), a.classifyCmd(), a.networksCmd(), a.verifyCmd(), a.rulesCmd(), a.listsCmd(), a.catalogCmd(), a.versionCmd(), a.impactCmd(), a.policyCmd())
	return root
}

// configure loads the config file and environment and binds the flags of
// cmd, so that a.v.GetString("lists.dir") sees the right precedence.
func (a *app) configure(cmd *cobra.Command) error {
	v := a.v
	v.SetEnvPrefix("CHIPCHECK")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_", "-", "_"))
	v.AutomaticEnv()
	v.SetDefault("output", "table")
	v.SetDefault("fail_on", decision.Review)

	file, _ := cmd.Flags().GetString("config")
	if file == "" {
		if _, err := os.Stat("chipcheck.yaml"); err == nil {
			// Picked up from the current directory: the summary line
			// says so, since it can change the outcome (fail_on).
			file = "chipcheck.yaml"
		}
	}
	if file != "" {
		if err := checkConfigFile(file, configKeys(cmd.Root())); err != nil {
			return fail("config %v", err)
		}
		v.SetConfigFile(file)
		if err := v.ReadInConfig(); err != nil {
			return fail("config %s: %v", file, err)
		}
		a.config = file
	}
	var err error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if e := v.BindPFlag(configKey(f.Name), f); e != nil && err == nil {
			err = e
		}
	})
	return err
}

// path is a directory setting, with a leading ~/ read as the home
// directory (a configuration file is not read by a shell).
func (a *app) path(key string) string {
	p := a.v.GetString(key)
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return p
}

// listsOnly is the list sets to load, written as a list, with commas
// (CHIPCHECK_LISTS_ONLY=csl,sdn) or repeated flags.
func (a *app) listsOnly() []string {
	var out []string
	for _, s := range a.v.GetStringSlice("lists.only") {
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// options are the runner options of the configuration.
func (a *app) options() (runner.Options, error) {
	asOf, err := a.asOf()
	if err != nil {
		return runner.Options{}, err
	}
	return runner.Options{
		PoliciesDir:    a.path("policies"),
		RulesDir:       a.path("rules"),
		ListsDir:       a.path("lists.dir"),
		ListsOnly:      a.listsOnly(),
		MaxListAgeDays: a.v.GetInt("lists.max_age_days"),
		AsOf:           asOf,
		Exporter:       a.v.GetString("exporter"),
		Licenses:       a.path("licenses"),
		Workers:        a.v.GetInt("workers"),
		VerifyCache:    a.v.GetBool("verify-cache"),
		WaiversFile:    a.path("waivers"),
	}, nil
}
