package record

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Reads reports whether reading paths (as Read and Stream do) would read
// file, which need not exist yet, and the path that would: file is one of
// them, or lies under one that is a directory with an extension a
// directory's walk reads and no dot-named step below it. A check writes
// its outputs with it: an output that is also an input would be emptied
// before it is read, or read back as records on the next run.
func Reads(file string, paths ...string) (string, bool) {
	target := resolve(file)
	fi, ferr := os.Stat(file)
	for _, p := range paths {
		if p == "-" {
			continue
		}
		pi, err := os.Stat(p)
		if err != nil {
			continue // the reader reports it
		}
		if ferr == nil && os.SameFile(fi, pi) {
			return p, true
		}
		if !pi.IsDir() || formatOf(file) == "" {
			continue
		}
		rel, err := filepath.Rel(resolve(p), target)
		if err != nil || rel == "." {
			continue
		}
		// Outside p (a first step of ".."), or under a dot name the walk
		// skips.
		hidden := slices.ContainsFunc(strings.Split(rel, string(filepath.Separator)), func(step string) bool { return strings.HasPrefix(step, ".") })
		if !hidden {
			return p, true
		}
	}
	return "", false
}

// SamePath reports whether a and b name one file, whether or not it
// exists yet: "out.jsonl", "./out.jsonl" and a symbolic link to it do.
func SamePath(a, b string) bool {
	if ai, err := os.Stat(a); err == nil {
		if bi, err := os.Stat(b); err == nil {
			return os.SameFile(ai, bi)
		}
	}
	return resolve(a) == resolve(b)
}

// resolve is p made absolute with the symbolic links of the longest part
// of it that exists resolved, so that two names of one place compare
// equal.
func resolve(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	rest := ""
	for dir := abs; ; dir = filepath.Dir(dir) {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(real, rest)
		}
		if filepath.Dir(dir) == dir {
			return abs
		}
		rest = filepath.Join(filepath.Base(dir), rest)
	}
}
