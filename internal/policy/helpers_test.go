package policy

import (
	"context"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	chipcheck "github.com/chipcheck/chipcheck"
	"github.com/chipcheck/chipcheck/internal/rules"
)

// The tests read the policies and rules embedded in the binary (the same
// files as policies/ and rules/ when the test binary was built), so that an
// edit in progress elsewhere in the tree cannot change them half-way.

var (
	builtinOnce    sync.Once
	builtinRuleSet *rules.Set
	builtinPolicy  *Policy
	builtinErr     error
)

// builtin is the built-in policy with the built-in rule data, shared by the
// tests that only read from it.
func builtin(t testing.TB) (*rules.Set, *Policy) {
	t.Helper()
	builtinOnce.Do(func() {
		if builtinRuleSet, builtinErr = rules.Load(chipcheck.Rules(), "rules"); builtinErr != nil {
			return
		}
		builtinPolicy, builtinErr = Load(context.Background(), Options{
			Policies: Source{FS: chipcheck.Policies(), Origin: BuiltIn}, Rules: builtinRuleSet, RulesOrigin: BuiltIn,
		})
	})
	if builtinErr != nil {
		t.Fatal(builtinErr)
	}
	return builtinRuleSet, builtinPolicy
}

// mapFS copies every file of fsys into memory, for a test to change.
func mapFS(t testing.TB, fsys fs.FS) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		m[p] = &fstest.MapFile{Data: b, Mode: 0o644}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// appendTo appends text to a file of m on a line of its own and returns the
// line number text starts on.
func appendTo(t testing.TB, m fstest.MapFS, file, text string) int {
	t.Helper()
	f, ok := m[file]
	if !ok {
		t.Fatalf("no file %s", file)
	}
	b := f.Data
	if len(b) > 0 && b[len(b)-1] != '\n' {
		b = append(b, '\n')
	}
	line := strings.Count(string(b), "\n") + 1
	m[file] = &fstest.MapFile{Data: append(b, text...), Mode: 0o644}
	return line
}

// loadFS compiles policies from pfs (named origin) with the rule data of
// rfs.
func loadFS(t testing.TB, pfs, rfs fs.FS, origin string) (*Policy, error) {
	t.Helper()
	rs, err := rules.Load(rfs, "rules")
	if err != nil {
		t.Fatalf("rules: %v", err)
	}
	return Load(context.Background(), Options{Policies: Source{FS: pfs, Origin: origin}, Rules: rs, RulesOrigin: "rules"})
}

// mini compiles a small policy of the given files (path -> text) with rule
// data built by hand: rules.Set's exported fields are all Load reads.
func mini(t testing.TB, files map[string]string, data map[string]any) (*Policy, error) {
	t.Helper()
	m := fstest.MapFS{}
	for p, text := range files {
		m[p] = &fstest.MapFile{Data: []byte(text), Mode: 0o644}
	}
	if data == nil {
		data = map[string]any{}
	}
	return Load(context.Background(), Options{Policies: Source{FS: m, Origin: "mini"}, Rules: &rules.Set{Data: data, Files: map[string][]byte{}}, RulesOrigin: "mini"})
}

// flagsFile is the policy file the tests add rules to.
const flagsFile = "chipcheck/flags/flags.rego"
