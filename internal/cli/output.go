package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chipcheck/chipcheck/internal/record"
	"github.com/chipcheck/chipcheck/internal/report"
	"github.com/chipcheck/chipcheck/internal/spool"
	"github.com/google/renameio/v2"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// outputFormat returns -o, refused (exit 3) unless it is one of formats.
// check, classify and lists search take it from the config and environment
// too (`output: jsonl`); rules, verify and lists info have formats of their
// own, so they take only their flag.
func (a *app) outputFormat(cmd *cobra.Command, formats ...string) (string, error) {
	var f string
	if n := cmd.Name(); n != "check" && n != "classify" && n != "search" && n != "catalog" {
		f, _ = cmd.Flags().GetString("output")
	} else if fs := a.v.GetStringSlice("output"); len(fs) == 1 {
		f = fs[0]
	} else {
		// check's list of outputs in a configuration file: one format is
		// all these commands write.
		return "", fail("-o: output is %q; give one format with -o", fs)
	}
	if !slices.Contains(formats, f) {
		return "", fail("-o %q: want one of %s", f, strings.Join(formats, ", "))
	}
	return f, nil
}

// asOf returns --as-of (or as_of from the config) as YYYY-MM-DD, "" when
// unset. YAML reads an unquoted date in chipcheck.yaml as a timestamp.
func (a *app) asOf() (string, error) {
	switch v := a.v.Get("as_of").(type) {
	case nil:
		return "", nil
	case time.Time:
		return v.UTC().Format(time.DateOnly), nil
	}
	s := a.v.GetString("as_of")
	if s == "" {
		return "", nil
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", fail("--as-of %q: want a date YYYY-MM-DD", s)
	}
	return s, nil
}

// close finishes an output; a write error is exit 3.
func (a *app) close(out report.Outputter) error {
	if err := out.Close(); err != nil {
		return fail("%v", err)
	}
	return nil
}

// outputSpec is one -o of check: a format and the file it goes to ("" for
// stdout).
type outputSpec struct{ format, file string }

// outputSpecs reads check's -o values: FORMAT for stdout or FORMAT=FILE,
// repeatable (or a list in the config, output: [table, junit=r.xml]). At
// most one goes to stdout, and no two to the same file.
func (a *app) outputSpecs() ([]outputSpec, error) {
	var vals []string
	for _, v := range a.v.GetStringSlice("output") {
		if v = strings.TrimSpace(v); v != "" {
			vals = append(vals, v)
		}
	}
	if len(vals) == 0 {
		vals = []string{report.Table}
	}
	var specs []outputSpec
	stdout := 0
	for _, v := range vals {
		format, file, _ := strings.Cut(v, "=")
		if file == "-" {
			file = ""
		}
		if !slices.Contains(report.CheckFormats, format) {
			return nil, fail("-o %q: want FORMAT or FORMAT=FILE, FORMAT one of %s", v, strings.Join(report.CheckFormats, ", "))
		}
		if file == "" {
			if stdout++; stdout > 1 {
				return nil, fail("-o %q: only one output can go to stdout; give the others =FILE", v)
			}
		} else if i := slices.IndexFunc(specs, func(s outputSpec) bool { return s.file != "" && record.SamePath(s.file, file) }); i >= 0 {
			return nil, fail("-o %q: %s is already an output (-o %s=%s)", v, file, specs[i].format, specs[i].file)
		}
		specs = append(specs, outputSpec{format, file})
	}
	return specs, nil
}

// outputsAreNotInputs refuses an output that is also read as input: it
// would be emptied before it is read, or read back as records next time.
func (a *app) outputsAreNotInputs(specs []outputSpec, inputs []string) error {
	for _, s := range specs {
		if s.file == "" {
			continue
		}
		if in, ok := record.Reads(s.file, inputs...); ok {
			return fail("-o %s=%s: reading %s reads that file as records; write the output elsewhere", s.format, s.file, in)
		}
	}
	return nil
}

// stdoutIsNoInput refuses a command whose standard output is a file it
// reads, named by an argument or a flag (`check book.jsonl >
// book.jsonl`, `lists search --batch q.csv >> q.csv`): a shell's > has
// emptied it already, and >> would append output to it.
func (a *app) stdoutIsNoInput(cmd *cobra.Command, args []string) error {
	f, ok := a.stdout.(*os.File)
	if !ok {
		return nil
	}
	out, err := f.Stat()
	if err != nil || !out.Mode().IsRegular() {
		return nil
	}
	named := slices.Clone(args)
	cmd.Flags().Visit(func(fl *pflag.Flag) {
		if fl.Name != "cpuprofile" && fl.Value.Type() == "string" {
			named = append(named, fl.Value.String())
		}
	})
	for _, p := range named {
		if fi, err := os.Stat(p); err == nil && p != "-" && os.SameFile(out, fi) {
			return fail("standard output is %s, which this command reads (a shell's > empties it before chipcheck starts); write the output elsewhere", p)
		}
	}
	return nil
}

// outputs writes each result to every output of a run. Input problems
// skip the table, which is read on a terminal where stderr has them.
type outputs struct {
	specs  []outputSpec
	outs   []report.Outputter
	spools []*spool.Spool // held outputs: written only by Close
	files  []*outFile
	done   bool
}

// outFile is the file of an -o FORMAT=FILE. A regular file, or a new one,
// is written under a temporary name beside it (a dot name, which no
// directory walk reads) and renamed over it only once the output is
// complete: a run that fails, is stopped or is killed leaves what the file
// held before, an earlier run's report say, as it was. Anything else (a
// device, a pipe) is written in place.
type outFile struct {
	*os.File
	pending *renameio.PendingFile
}

func createOutput(path string) (*outFile, error) {
	target := linkTarget(path)
	if fi, err := os.Stat(target); err == nil && !fi.Mode().IsRegular() {
		f, err := os.OpenFile(target, os.O_WRONLY|os.O_TRUNC, 0)
		return &outFile{File: f}, err
	}
	pf, err := renameio.NewPendingFile(target, renameio.WithTempDir(filepath.Dir(target)), renameio.WithPermissions(0o666), renameio.WithExistingPermissions())
	if errors.Is(err, fs.ErrPermission) {
		// A file one may write in a directory one may not: in place,
		// as before.
		if f, ferr := os.OpenFile(target, os.O_WRONLY|os.O_TRUNC, 0); ferr == nil {
			return &outFile{File: f}, nil
		}
	}
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return nil, pe.Err // the temporary name would only puzzle
	} else if err != nil {
		return nil, err
	}
	return &outFile{File: pf.File, pending: pf}, nil
}

// linkTarget is the file a symbolic link names (path itself when it is
// none, or names nothing yet): a file replaced by renaming is the target,
// never the link.
func linkTarget(path string) string {
	if t, err := filepath.EvalSymlinks(path); err == nil {
		return t
	}
	return path
}

// commit puts a complete output in place.
func (f *outFile) commit() error {
	if f.pending == nil {
		return f.Close()
	}
	return f.pending.CloseAtomicallyReplace()
}

// discard drops an output that is not complete.
func (f *outFile) discard() {
	if f.pending == nil {
		_ = f.Close()
		return
	}
	_ = f.pending.Cleanup()
}

// openOutputs creates the files of specs and an Outputter for each. With
// hold, what they write is held back (internal/spool) until Close, and
// abandon drops it.
func (a *app) openOutputs(specs []outputSpec, meta report.Meta, hold bool) (*outputs, error) {
	o := &outputs{specs: specs}
	for _, s := range specs {
		var w io.Writer = a.stdout
		if s.file != "" {
			f, err := createOutput(s.file)
			if err != nil {
				o.abandon()
				return nil, fail("-o %s=%s: %v", s.format, s.file, err)
			}
			o.files = append(o.files, f)
			w = f
		}
		if hold {
			sp := spool.New(w)
			o.spools = append(o.spools, sp)
			w = sp
		}
		out, err := report.Open(s.format, w, meta)
		if err != nil {
			o.abandon()
			return nil, fail("%v", err)
		}
		o.outs = append(o.outs, out)
	}
	return o, nil
}

// encoder is the single output's Encoder, for decisions encoded in the
// workers that make them; nil with several outputs.
func (o *outputs) encoder() report.Encoder {
	if len(o.outs) != 1 {
		return nil
	}
	enc, _ := o.outs[0].(report.Encoder)
	return enc
}

func (o *outputs) Put(v any) error {
	_, problem := v.(report.Problem)
	for i, out := range o.outs {
		if problem && o.specs[i].format == report.Table {
			continue
		}
		if err := out.Put(v); err != nil {
			return err
		}
	}
	return nil
}

// Close finishes every output and closes its file, once, and returns the
// first error.
func (o *outputs) Close() error { return o.finish(true) }

// closeFindings finishes the machine formats of a run that decided
// nothing because of input problems: they report the problems; a table
// would only say "no records".
func (o *outputs) closeFindings() error { return o.finish(false) }

// abandon closes the files of a run that stopped on a tool error or an
// input problem, and writes nothing more: what was held back is dropped.
func (o *outputs) abandon() {
	if !o.done {
		o.done = true
		for _, sp := range o.spools {
			sp.Close()
		}
		for _, f := range o.files {
			f.discard()
		}
	}
}

func (o *outputs) finish(tables bool) error {
	if o.done {
		return nil
	}
	o.done = true
	var first error
	for i, out := range o.outs {
		if !tables && o.specs[i].format == report.Table {
			continue
		}
		if err := out.Close(); err != nil && first == nil {
			first = err
		}
	}
	for _, sp := range o.spools {
		if first == nil {
			first = sp.Commit()
		}
		if err := sp.Close(); err != nil && first == nil {
			first = err
		}
	}
	for _, f := range o.files {
		if first != nil {
			f.discard()
		} else if err := f.commit(); err != nil {
			first = err
		}
	}
	return first
}

// reportProblems writes the input problems to stderr, at most max of them
// (0: all) and a count of the rest, and to every machine-format output.
func (a *app) reportProblems(out *outputs, probs record.Problems, max int) error {
	for i, p := range probs {
		if max <= 0 || i < max {
			fmt.Fprintln(a.stderr, p.Error())
		}
		if err := out.Put(report.Problem{Problem: report.ProblemDetail{File: p.File, Line: p.Line, Field: p.Field, Message: p.Msg}}); err != nil {
			return err
		}
	}
	if max > 0 && len(probs) > max {
		fmt.Fprintf(a.stderr, "chipcheck: ... and %d more input problem(s) (--max-problems 0 lists them all; the machine-format outputs have every one)\n", len(probs)-max)
	}
	return nil
}
