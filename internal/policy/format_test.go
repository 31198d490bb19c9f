package policy

import (
	"bytes"
	"io/fs"
	"strings"
	"testing"

	chipcheck "github.com/chipcheck/chipcheck"
)

// TestBuiltinPoliciesFormatted: every shipped .rego file is as opa fmt
// lays it out (chipcheck policy fmt --check passes on the repository).
func TestBuiltinPoliciesFormatted(t *testing.T) {
	files, err := regoFiles(chipcheck.Policies())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		src, err := fs.ReadFile(chipcheck.Policies(), f)
		if err != nil {
			t.Fatal(err)
		}
		out, err := Format(f, src)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, src) {
			t.Errorf("policies/%s is not formatted: run chipcheck policy fmt policies", f)
		}
	}
}

func TestFormat(t *testing.T) {
	out, err := Format("x.rego", []byte("package x\nallow if {  input.a==1 }\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "package x\n\nallow if input.a == 1\n"; string(out) != want {
		t.Errorf("got %q, want %q", out, want)
	}
	if _, err := Format("bad.rego", []byte("package x\nallow if {")); err == nil || !strings.Contains(err.Error(), "bad.rego") {
		t.Errorf("parse error: %v", err)
	}
}
