package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// policiesCopy copies policies/ into a temporary directory.
func policiesCopy(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "policies")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(repoRoot(t), "policies"))); err != nil {
		t.Fatal(err)
	}
	return dir
}

func putFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestPolicyCheck(t *testing.T) {
	root := repoRoot(t)
	rules := filepath.Join(root, "rules")
	if r := cliRun(t, "", "policy", "check", "--policies", filepath.Join(root, "policies"), "--rules", rules); r.code != 0 {
		t.Fatalf("policy check on the repository: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	cases := []struct{ name, file, text, want string }{
		{"misspelt rule-data key", "chipcheck/flags/zz.rego", "package chipcheck.flags\n\nzz_cutoff := data.rules.gp10.form\n\nzz_late(d) if d >= zz_cutoff\n",
			"zz.rego:3: data.rules.gp10.form: rules/ defines no data.rules.gp10.form"},
		{"reason without METADATA", "chipcheck/flags/zz.rego", "package chipcheck.flags\n\nreasons contains {\"rule\": \"X\"} if input.zz\n",
			"rule reasons has no METADATA custom.id"},
		{"does not compile", "chipcheck/flags/zz.rego", "package chipcheck.flags\n\nzz if {\n", "zz.rego:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pol := policiesCopy(t)
			putFile(t, filepath.Join(pol, c.file), c.text)
			r := cliRun(t, "", "policy", "check", "--policies", pol, "--rules", rules)
			if r.code != 1 || !strings.Contains(r.stdout, c.want) {
				t.Errorf("exit %d, want 1 and %q:\n%s%s", r.code, c.want, r.stdout, r.stderr)
			}
		})
	}
	// A rule-data key no policy reads.
	rd := filepath.Join(t.TempDir(), "rules")
	if err := os.CopyFS(rd, os.DirFS(rules)); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(rd, "gp10.yaml"))
	putFile(t, filepath.Join(rd, "extra.yaml"), "forgotten: 1\n")
	putFile(t, filepath.Join(rd, "gp10.yaml"), string(b))
	r := cliRun(t, "", "policy", "check", "--policies", filepath.Join(root, "policies"), "--rules", rd)
	if r.code != 1 || !strings.Contains(r.stdout, "rules/extra.yaml: forgotten: no policy reads data.rules.extra.forgotten") {
		t.Errorf("unread key: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Rule data that breaks its schema.
	putFile(t, filepath.Join(rd, "extra.yaml"), "")
	putFile(t, filepath.Join(rd, "gp10.yaml"), strings.Replace(string(b), "from:", "form:", 1))
	r = cliRun(t, "", "policy", "check", "--policies", filepath.Join(root, "policies"), "--rules", rd)
	if r.code != 1 || !strings.Contains(r.stdout, "gp10.yaml:") {
		t.Errorf("schema: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestPolicyFmt(t *testing.T) {
	pol := policiesCopy(t)
	if r := cliRun(t, "", "policy", "fmt", "--check", pol); r.code != 0 || r.stdout != "" {
		t.Fatalf("the shipped policies are not formatted: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	file := filepath.Join(pol, "chipcheck", "flags", "zz.rego")
	putFile(t, file, "package chipcheck.flags\nzz if {  input.a==1 }\n")
	r := cliRun(t, "", "policy", "fmt", "--check", pol)
	if r.code != 1 || strings.TrimSpace(r.stdout) != file {
		t.Fatalf("--check: exit %d, stdout %q", r.code, r.stdout)
	}
	if b, _ := os.ReadFile(file); !strings.Contains(string(b), "input.a==1") {
		t.Fatal("--check wrote the file")
	}
	if err := os.Chmod(file, 0o600); err != nil {
		t.Fatal(err)
	}
	if r := cliRun(t, "", "policy", "fmt", pol); r.code != 0 || strings.TrimSpace(r.stdout) != file {
		t.Fatalf("fmt: exit %d, stdout %q", r.code, r.stdout)
	}
	if b, _ := os.ReadFile(file); string(b) != "package chipcheck.flags\n\nzz if input.a == 1\n" {
		t.Errorf("formatted as %q", b)
	}
	// Replaced whole (a temporary file renamed over it), keeping its mode.
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after fmt: %v (%v), want 0600", fi.Mode(), err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(file)); slices.ContainsFunc(entries, func(e os.DirEntry) bool { return strings.HasPrefix(e.Name(), ".") }) {
		t.Errorf("a temporary file was left behind: %v", entries)
	}
	if r := cliRun(t, "", "policy", "fmt", "--check", pol); r.code != 0 {
		t.Errorf("after fmt: exit %d", r.code)
	}
}

// TestPolicyTestShowsValues: policy test (and verify, its old name) shows
// the failing expression with its values, and --min-coverage gates.
func TestPolicyTestShowsValues(t *testing.T) {
	root := repoRoot(t)
	pol := policiesCopy(t)
	putFile(t, filepath.Join(pol, "chipcheck", "flags", "zz_test.rego"),
		"package chipcheck.flags_test\n\ntest_zz_values if {\n\tx := count(data.rules.red_flags.flags)\n\tx == 3\n}\n")
	for _, name := range []string{"test", "verify"} {
		args := []string{"policy", "test"}
		if name == "verify" {
			args = []string{"verify"}
		}
		r := cliRun(t, "", append(args, "--policies", pol, "--rules", filepath.Join(root, "rules"), "--run", "test_zz_values")...)
		// The failing expression, and under it the actual value of x.
		if r.code != 1 || !regexp.MustCompile(`x == 3\n\s*\|\n\s*\d+\n`).MatchString(r.stdout) || !strings.Contains(r.stdout, "FAIL: 1/1") {
			t.Errorf("%s: exit %d\n%s", name, r.code, r.stdout)
		}
	}
	r := cliRun(t, "", "policy", "test", "--policies", filepath.Join(root, "policies"), "--rules", filepath.Join(root, "rules"), "--min-coverage", "100.01")
	if r.code != 1 || !strings.Contains(r.stderr, "100.01") {
		t.Errorf("--min-coverage above 100: exit %d\n%s", r.code, r.stderr)
	}
}
