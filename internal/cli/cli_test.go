package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/spf13/viper"

	"github.com/chipcheck/chipcheck/internal/decision"
)

// cliResult is what one invocation of Main left behind.
type cliResult struct {
	code           int
	stdout, stderr string
}

// cliRun runs Main with args and stdin (none when "").
func cliRun(t *testing.T, stdin string, args ...string) cliResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(args, strings.NewReader(stdin), &stdout, &stderr)
	return cliResult{code, stdout.String(), stderr.String()}
}

// cliDirs are the flags that point a run at the repository's policies,
// rules and fixture lists, from whatever directory the test runs in.
func cliDirs(t *testing.T) []string {
	root := repoRoot(t)
	return []string{"--policies", filepath.Join(root, "policies"), "--rules", filepath.Join(root, "rules"),
		"--lists", filepath.Join(root, "fixtures", "lists")}
}

// cliData is a file of internal/cli/testdata, as an absolute path.
func cliData(t *testing.T, name string) string {
	p, err := filepath.Abs(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func cliCheckArgs(t *testing.T, extra ...string) []string {
	return append(append([]string{"check"}, cliDirs(t)...), extra...)
}

// cliDecisions decodes -o json output.
func cliDecisions(t *testing.T, out string) []decision.Decision {
	t.Helper()
	var ds []decision.Decision
	if err := json.Unmarshal([]byte(out), &ds); err != nil {
		t.Fatalf("stdout is not a JSON array of decisions: %v\n%s", err, out)
	}
	return ds
}

// cliJSONL decodes -o jsonl output.
func cliJSONL(t *testing.T, out string) []decision.Decision {
	t.Helper()
	var ds []decision.Decision
	for i, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		var d decision.Decision
		if err := json.Unmarshal([]byte(l), &d); err != nil {
			t.Fatalf("stdout line %d is not a decision: %v\n%s", i+1, err, out)
		}
		ds = append(ds, d)
	}
	return ds
}

// cliProblemsOnly reports whether out, in format, holds input problems
// and nothing else; it fails the test if out holds anything but problems
// (a table: anything at all).
func cliProblemsOnly(t *testing.T, format, out string) bool {
	t.Helper()
	var elems []map[string]json.RawMessage
	switch {
	case out == "":
		return false
	case format == "json":
		if err := json.Unmarshal([]byte(out), &elems); err != nil {
			t.Fatalf("stdout is not a JSON array: %v\n%s", err, out)
		}
	case format == "jsonl":
		for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			var m map[string]json.RawMessage
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("stdout line is not JSON: %v\n%s", err, out)
			}
			elems = append(elems, m)
		}
	default:
		t.Fatalf("-o %s: stdout not empty:\n%s", format, out)
	}
	for _, m := range elems {
		if _, ok := m["problem"]; !ok || len(m) != 1 {
			t.Fatalf("-o %s: stdout holds more than problems:\n%s", format, out)
		}
	}
	return len(elems) > 0
}

// cliFormat tells the output format from its first byte.
func cliFormat(out string) string {
	switch {
	case strings.HasPrefix(out, "[") && json.Valid([]byte(out)):
		return "json"
	case strings.HasPrefix(out, "{"):
		return "jsonl"
	case strings.HasPrefix(out, "┌"):
		return "table"
	}
	return "unknown: " + out
}

func TestCheckExitCodes(t *testing.T) {
	const none = "" // no --fail-on flag: the default, review
	tests := []struct {
		name   string
		files  []string
		failOn string
		want   int
	}{
		{"allow, default", []string{"allow.yaml"}, none, 0},
		{"allow, review", []string{"allow.yaml"}, "review", 0},
		{"allow, deny", []string{"allow.yaml"}, "deny", 0},
		{"allow, none", []string{"allow.yaml"}, "none", 0},
		{"review only, default", []string{"review.yaml"}, none, 2},
		{"review only, review", []string{"review.yaml"}, "review", 2},
		{"review only, deny", []string{"review.yaml"}, "deny", 0},
		{"review only, none", []string{"review.yaml"}, "none", 0},
		{"review and allow, review", []string{"allow.yaml", "review.yaml"}, "review", 2},
		{"deny, review", []string{"deny.yaml"}, "review", 1},
		{"deny, deny", []string{"deny.yaml"}, "deny", 1},
		{"deny, none", []string{"deny.yaml"}, "none", 0},
		{"all three, default", []string{"allow.yaml", "review.yaml", "deny.yaml"}, none, 1},
		{"all three, deny", []string{"allow.yaml", "review.yaml", "deny.yaml"}, "deny", 1},
		{"all three, none", []string{"allow.yaml", "review.yaml", "deny.yaml"}, "none", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := cliCheckArgs(t, "-q", "-o", "jsonl")
			if tt.failOn != none {
				args = append(args, "--fail-on", tt.failOn)
			}
			for _, f := range tt.files {
				args = append(args, cliData(t, f))
			}
			r := cliRun(t, "", args...)
			if r.code != tt.want {
				t.Errorf("exit %d, want %d\nstderr: %s", r.code, tt.want, r.stderr)
			}
			if ds := cliJSONL(t, r.stdout); len(ds) != len(tt.files) {
				t.Errorf("%d decisions, want %d", len(ds), len(tt.files))
			}
		})
	}
}

// TestCheckTestdataDecisions pins the test inputs the other tests rely on.
func TestCheckTestdataDecisions(t *testing.T) {
	r := cliRun(t, "", cliCheckArgs(t, "-q", "-o", "json", "--fail-on", "none",
		cliData(t, "allow.yaml"), cliData(t, "review.yaml"), cliData(t, "deny.yaml"))...)
	ds := cliDecisions(t, r.stdout)
	want := [][2]string{{"SO-cli-allow", "allow"}, {"SO-cli-review", "review"}, {"SO-cli-deny", "deny"}}
	if len(ds) != len(want) {
		t.Fatalf("%d decisions: %s", len(ds), r.stdout)
	}
	for i, w := range want {
		if ds[i].ID != w[0] || ds[i].Decision != w[1] {
			t.Errorf("decision %d = %s %s, want %s %s", i, ds[i].ID, ds[i].Decision, w[0], w[1])
		}
		if ds[i].Source.File != cliData(t, strings.TrimPrefix(strings.ToLower(w[0]), "so-cli-")+".yaml") || ds[i].Source.Line != 2 {
			t.Errorf("decision %d source %+v", i, ds[i].Source)
		}
		if !strings.HasPrefix(ds[i].Policy.Revision, "sha256:") {
			t.Errorf("decision %d revision %q", i, ds[i].Policy.Revision)
		}
		if len(ds[i].Reasons) == 0 {
			t.Errorf("decision %d has no reasons", i)
		}
	}
	if ds[0].Reasons[0].Rule != "NO-LICENSE-REQUIRED" {
		t.Errorf("allow decision says %v, want NO-LICENSE-REQUIRED first", ds[0].Reasons)
	}
}

func TestCheckToolErrorsExit3(t *testing.T) {
	root := repoRoot(t)
	brokenPolicies := t.TempDir()
	if err := os.WriteFile(filepath.Join(brokenPolicies, "p.rego"), []byte("package chipcheck.flags\n\nx := ]\n\ny := 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badYAML := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(badYAML, []byte("kind: order\nid: [unclosed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		stderr   []string
		problems bool // input problems: findings in the machine formats
	}{
		{"invalid record", cliCheckArgs(t, "--fail-on", "none", cliData(t, "invalid.yaml")),
			[]string{cliData(t, "invalid.yaml") + ":10: end_use.codes.0:", "ai_trainingx", "nothing was decided"}, true},
		{"invalid record among valid ones", cliCheckArgs(t, "--fail-on", "none", cliData(t, "allow.yaml"), cliData(t, "invalid.yaml"), cliData(t, "deny.yaml")),
			[]string{"invalid.yaml:10: end_use.codes.0:"}, true},
		{"unparsable YAML", cliCheckArgs(t, "--fail-on", "none", badYAML), []string{"bad.yaml:"}, true},
		{"missing input file", cliCheckArgs(t, "--fail-on", "none", filepath.Join(t.TempDir(), "nope.yaml")), []string{"nope.yaml"}, true},
		{"policy does not compile", []string{"check", "--policies", brokenPolicies, "--rules", filepath.Join(root, "rules"), "--fail-on", "none", cliData(t, "allow.yaml")},
			[]string{"p.rego:3:", "rego_parse_error"}, false},
		{"missing rules dir", []string{"check", "--policies", filepath.Join(root, "policies"), "--rules", filepath.Join(t.TempDir(), "nope"), "--fail-on", "none", cliData(t, "allow.yaml")},
			[]string{"nope"}, false},
		{"missing lists dir", []string{"check", "--policies", filepath.Join(root, "policies"), "--rules", filepath.Join(root, "rules"), "--lists", filepath.Join(t.TempDir(), "nolists"), "--fail-on", "none", cliData(t, "allow.yaml")},
			[]string{"nolists"}, false},
		{"bad --fail-on", cliCheckArgs(t, "--fail-on", "sometimes", cliData(t, "allow.yaml")), []string{"--fail-on", "sometimes"}, false},
		{"bad -o", cliCheckArgs(t, "-o", "xml", cliData(t, "allow.yaml")), []string{"xml"}, false},
		{"two outputs on stdout", cliCheckArgs(t, "-o", "jsonl", cliData(t, "allow.yaml")), []string{"only one output can go to stdout"}, false},
		{"unknown flag", cliCheckArgs(t, "--bogus", cliData(t, "allow.yaml")), []string{"unknown flag: --bogus"}, false},
		{"unknown shorthand flag", cliCheckArgs(t, "-Z", cliData(t, "allow.yaml")), []string{"-Z"}, false},
		{"unknown command", []string{"bogus"}, []string{"unknown command"}, false},
		{"check without input", cliCheckArgs(t), []string{"arg"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, format := range []string{"json", "jsonl", "table"} {
				args := append(slices.Clone(tt.args), "-o", format)
				if tt.name == "bad -o" {
					args = tt.args
				}
				r := cliRun(t, "", args...)
				if r.code != decision.ExitError {
					t.Errorf("-o %s: exit %d, want 3\nstderr: %s", format, r.code, r.stderr)
				}
				// Nothing is decided: stdout is empty, but for the
				// input problems a machine format reports as findings.
				if got := cliProblemsOnly(t, format, r.stdout); got != (tt.problems && format != "table") {
					t.Errorf("-o %s: stdout has problems %v, want %v, and never a decision:\n%s", format, got, tt.problems, r.stdout)
				}
				for _, w := range tt.stderr {
					if !strings.Contains(r.stderr, w) {
						t.Errorf("-o %s: stderr does not contain %q:\n%s", format, w, r.stderr)
					}
				}
				if r.stderr == "" {
					t.Errorf("-o %s: nothing on stderr", format)
				}
			}
		})
	}
}

func TestCheckStdin(t *testing.T) {
	allow, _ := os.ReadFile(cliData(t, "allow.yaml"))
	jsonl := `{"kind":"order","id":"J-1","date":"2026-11-20","ship_from":"US","destination":"DE","parties":{"buyer":{"name":"Rheinwerk GmbH","country":"DE","headquarters":"DE"}},"end_use":{"codes":["ai_training"]},"items":[{"sku":"H100","quantity":1,"catalog":"nvidia-h100-sxm5-80gb"}]}
{"kind":"order","id":"J-2","date":"2026-11-20","ship_from":"US","destination":"CN","parties":{"buyer":{"name":"Lanting Cloud","country":"CN","headquarters":"CN"}},"end_use":{"codes":["ai_training"]},"items":[{"sku":"H100","quantity":1,"catalog":"nvidia-h100-sxm5-80gb"}]}
{"kind":"chip","id":"J-3","name":"npu","datacenter":true,"die_area_mm2":100,"performance":[{"format":"int8","bits":8,"tops":10}]}
`
	tests := []struct {
		name  string
		stdin string
		args  []string
		ids   []string
		lines []int
		dec   []string
	}{
		{"JSONL", jsonl, nil, []string{"J-1", "J-2", "J-3"}, []int{1, 2, 3}, []string{"allow", "deny", "allow"}},
		{"JSONL forced", jsonl, []string{"--input-format", "jsonl"}, []string{"J-1", "J-2", "J-3"}, []int{1, 2, 3}, []string{"allow", "deny", "allow"}},
		{"YAML", string(allow), nil, []string{"SO-cli-allow"}, []int{2}, []string{"allow"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := cliCheckArgs(t, append(tt.args, "-q", "-o", "jsonl", "--fail-on", "none", "-")...)
			r := cliRun(t, tt.stdin, args...)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			ds := cliJSONL(t, r.stdout)
			if len(ds) != len(tt.ids) {
				t.Fatalf("%d decisions, want %d:\n%s", len(ds), len(tt.ids), r.stdout)
			}
			for i, d := range ds {
				if d.ID != tt.ids[i] || d.Decision != tt.dec[i] || d.Source.File != "<stdin>" || d.Source.Line != tt.lines[i] {
					t.Errorf("decision %d = %s %s at %s:%d, want %s %s at <stdin>:%d",
						i, d.ID, d.Decision, d.Source.File, d.Source.Line, tt.ids[i], tt.dec[i], tt.lines[i])
				}
			}
		})
	}

	// A problem on stdin is reported as <stdin>:line.
	bad := strings.Replace(jsonl, `"ai_training"]},"items":[{"sku":"H100","quantity":1,"catalog":"nvidia-h100-sxm5-80gb"}]}
{"kind":"chip"`, `"bogus_use"]},"items":[{"sku":"H100","quantity":1,"catalog":"nvidia-h100-sxm5-80gb"}]}
{"kind":"chip"`, 1)
	r := cliRun(t, bad, cliCheckArgs(t, "-o", "jsonl", "-")...)
	if r.code != 3 || !cliProblemsOnly(t, "jsonl", r.stdout) || !strings.Contains(r.stderr, "<stdin>:2: end_use.codes.0") {
		t.Errorf("bad stdin: exit %d, stdout %q, stderr %q; want 3, the problem alone, <stdin>:2: end_use.codes.0", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, `{"problem":{"file":"<stdin>","line":2,"field":"end_use.codes.0"`) {
		t.Errorf("bad stdin: the jsonl output does not locate the problem: %s", r.stdout)
	}
}

func TestCheckOutputFormats(t *testing.T) {
	files := []string{cliData(t, "deny.yaml"), cliData(t, "allow.yaml"), cliData(t, "review.yaml")}
	ids := []string{"SO-cli-deny", "SO-cli-allow", "SO-cli-review"}

	r := cliRun(t, "", cliCheckArgs(t, append([]string{"-q", "--fail-on", "none", "-o", "json"}, files...)...)...)
	if got := cliFormat(r.stdout); got != "json" {
		t.Fatalf("-o json printed %s", got)
	}
	var got []string
	for _, d := range cliDecisions(t, r.stdout) {
		got = append(got, d.ID)
	}
	if !slices.Equal(got, ids) {
		t.Errorf("-o json ids %v, want input order %v", got, ids)
	}

	r = cliRun(t, "", cliCheckArgs(t, append([]string{"-q", "--fail-on", "none", "-o", "jsonl"}, files...)...)...)
	got = nil
	for _, d := range cliJSONL(t, r.stdout) {
		got = append(got, d.ID)
	}
	if !slices.Equal(got, ids) {
		t.Errorf("-o jsonl ids %v, want %v", got, ids)
	}
	if strings.Contains(r.stdout, `\u003e`) || strings.Contains(r.stdout, `\u0026`) {
		t.Error("-o jsonl escapes HTML characters")
	}

	r = cliRun(t, "", cliCheckArgs(t, append([]string{"-q", "--fail-on", "none", "-o", "table"}, files...)...)...)
	if cliFormat(r.stdout) != "table" {
		t.Fatalf("-o table printed %s", r.stdout)
	}
	for _, w := range append(ids, "EAR-742.6-DEST", "EAR-732-RED-FLAG", "NO-LICENSE-REQUIRED", "3A090.a") {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("-o table lacks %s", w)
		}
	}
	if i, j := strings.Index(r.stdout, ids[0]), strings.Index(r.stdout, ids[1]); i > j {
		t.Error("-o table rows not in input order")
	}

	// The default is the table.
	r = cliRun(t, "", cliCheckArgs(t, "-q", cliData(t, "allow.yaml"))...)
	if cliFormat(r.stdout) != "table" {
		t.Errorf("default output is %s, want table", cliFormat(r.stdout))
	}
}

func TestCheckEmptyInput(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.yaml")
	if err := os.WriteFile(empty, []byte("# nothing\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Nothing to judge is not "nothing denied": exit 3, unless the
	// caller says an empty input is fine.
	r := cliRun(t, "", cliCheckArgs(t, "-q", "-o", "json", empty)...)
	if r.code != 3 || r.stdout != "" || !strings.Contains(r.stderr, "no records found") {
		t.Errorf("empty input: exit %d, stdout %q, stderr %q; want 3 and a message", r.code, r.stdout, r.stderr)
	}
	r = cliRun(t, "", cliCheckArgs(t, "-q", "-o", "json", "--allow-empty", empty)...)
	if r.code != 0 || strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("empty input, --allow-empty: exit %d, stdout %q; want 0 and []", r.code, r.stdout)
	}
}

func TestCheckAsOf(t *testing.T) {
	for _, bad := range []string{"2026-13-01", "2026-02-30", "yesterday", "2026-1-5", "20261120", "2026-11-20T00:00:00Z"} {
		r := cliRun(t, "", cliCheckArgs(t, "--as-of", bad, cliData(t, "allow.yaml"))...)
		if r.code != 3 || r.stdout != "" || !strings.Contains(r.stderr, "--as-of") || !strings.Contains(r.stderr, bad) {
			t.Errorf("--as-of %s: exit %d, stdout %q, stderr %q; want 3 naming the flag and value", bad, r.code, r.stdout, r.stderr)
		}
	}
	r := cliRun(t, "", cliCheckArgs(t, "-q", "-o", "json", "--fail-on", "none", "--as-of", "2023-06-01", cliData(t, "allow.yaml"), cliData(t, "deny.yaml"))...)
	for _, d := range cliDecisions(t, r.stdout) {
		if d.AsOf != "2023-06-01" {
			t.Errorf("%s: as_of %q, want 2023-06-01", d.ID, d.AsOf)
		}
	}
	r = cliRun(t, "", cliCheckArgs(t, "-q", "-o", "json", "--fail-on", "none", cliData(t, "allow.yaml"))...)
	if ds := cliDecisions(t, r.stdout); ds[0].AsOf != "2026-11-20" {
		t.Errorf("without --as-of: as_of %q, want the order's date", ds[0].AsOf)
	}
}

// TestClassifyAsOf: classify takes --as-of too and must refuse a value
// that is not a date, as check does; compared as a string, "2022-9-30"
// would select the Oct 2022 regime.
func TestClassifyAsOf(t *testing.T) {
	chip := filepath.Join(repoRoot(t), "fixtures", "chips", "h100.yaml")
	for _, bad := range []string{"garbage", "2022-9-30", "2026-13-45"} {
		r := cliRun(t, "", append([]string{"classify"}, append(cliDirs(t)[:4], "-o", "json", "--as-of", bad, chip)...)...)
		if r.code != 3 || r.stdout != "" || !strings.Contains(r.stderr, "--as-of") {
			t.Errorf("classify --as-of %s: exit %d, stdout %.80q, stderr %q; want 3", bad, r.code, r.stdout, r.stderr)
		}
	}
}

// cliWriteConfig writes a chipcheck.yaml with the repository's directories
// and extra lines, and returns its path.
func cliWriteConfig(t *testing.T, dir, extra string) string {
	t.Helper()
	root := repoRoot(t)
	text := fmt.Sprintf("policies: %q\nrules: %q\nlists:\n  dir: %q\n%s",
		filepath.Join(root, "policies"), filepath.Join(root, "rules"), filepath.Join(root, "fixtures", "lists"), extra)
	p := filepath.Join(dir, "chipcheck.yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestConfigPrecedence: built-in defaults < chipcheck.yaml < CHIPCHECK_*
// environment < flags, shown on output (-o) and fail_on (exit code) with
// a review-only input.
func TestConfigPrecedence(t *testing.T) {
	review := cliData(t, "review.yaml")
	tests := []struct {
		name       string
		config     string // extra config lines; "-" for no config file
		env        map[string]string
		flags      []string
		wantFormat string
		wantCode   int
	}{
		{"defaults", "-", nil, cliDirs(t), "table", 2},
		{"config", "output: jsonl\nfail_on: none\n", nil, nil, "jsonl", 0},
		{"env over default", "-", map[string]string{"CHIPCHECK_OUTPUT": "json", "CHIPCHECK_FAIL_ON": "deny"}, cliDirs(t), "json", 0},
		{"env over config", "output: jsonl\nfail_on: none\n", map[string]string{"CHIPCHECK_OUTPUT": "json", "CHIPCHECK_FAIL_ON": "review"}, nil, "json", 2},
		{"flag over env and config", "output: jsonl\nfail_on: review\n", map[string]string{"CHIPCHECK_OUTPUT": "json", "CHIPCHECK_FAIL_ON": "review"},
			[]string{"-o", "table", "--fail-on", "none"}, "table", 0},
		{"flag over config", "output: json\nfail_on: none\n", nil, []string{"-o", "jsonl", "--fail-on", "review"}, "jsonl", 2},
		{"flag equal to the default still wins", "output: json\nfail_on: none\n", nil, []string{"-o", "table", "--fail-on", "review"}, "table", 2},
		{"env directories", "-", map[string]string{
			"CHIPCHECK_POLICIES": filepath.Join(repoRoot(t), "policies"), "CHIPCHECK_RULES": filepath.Join(repoRoot(t), "rules"),
			"CHIPCHECK_LISTS_DIR": filepath.Join(repoRoot(t), "fixtures", "lists"), "CHIPCHECK_OUTPUT": "jsonl",
		}, nil, "jsonl", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range []string{"CHIPCHECK_OUTPUT", "CHIPCHECK_FAIL_ON", "CHIPCHECK_POLICIES", "CHIPCHECK_RULES", "CHIPCHECK_LISTS_DIR", "CHIPCHECK_QUIET", "CHIPCHECK_AS_OF"} {
				t.Setenv(k, "")
				os.Unsetenv(k)
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			args := []string{"check", "-q"}
			if tt.config != "-" {
				args = append(args, "--config", cliWriteConfig(t, t.TempDir(), tt.config))
			}
			args = append(append(args, tt.flags...), review)
			r := cliRun(t, "", args...)
			if r.code != tt.wantCode {
				t.Errorf("exit %d, want %d\nstderr: %s", r.code, tt.wantCode, r.stderr)
			}
			if got := cliFormat(r.stdout); got != tt.wantFormat {
				t.Errorf("output %s, want %s", got, tt.wantFormat)
			}
			if strings.Contains(r.stdout, "SCREEN-NOT-RUN") {
				t.Error("lists directory from config or environment not used")
			}
		})
	}
}

func TestConfigFile(t *testing.T) {
	review, allow := cliData(t, "review.yaml"), cliData(t, "allow.yaml")
	t.Run("chipcheck.yaml in the current directory", func(t *testing.T) {
		dir := t.TempDir()
		cliWriteConfig(t, dir, "output: jsonl\nfail_on: none\nas_of: \"2025-06-30\"\n")
		t.Chdir(dir)
		r := cliRun(t, "", "check", "-q", review)
		if r.code != 0 || cliFormat(r.stdout) != "jsonl" {
			t.Fatalf("exit %d, output %s: chipcheck.yaml not read\n%s", r.code, cliFormat(r.stdout), r.stderr)
		}
		if d := cliJSONL(t, r.stdout)[0]; d.AsOf != "2025-06-30" || slices.ContainsFunc(d.Reasons, func(r decision.Reason) bool { return r.Rule == "SCREEN-NOT-RUN" }) {
			t.Errorf("as_of %q, reasons %v: as_of or lists.dir from chipcheck.yaml not applied", d.AsOf, d.Reasons)
		}
	})
	t.Run("--config wins over chipcheck.yaml", func(t *testing.T) {
		dir := t.TempDir()
		cliWriteConfig(t, dir, "output: jsonl\n")
		other := cliWriteConfig(t, t.TempDir(), "output: json\n")
		t.Chdir(dir)
		r := cliRun(t, "", "check", "-q", "--config", other, "--fail-on", "none", allow)
		if cliFormat(r.stdout) != "json" {
			t.Errorf("output %s, want json from --config", cliFormat(r.stdout))
		}
	})
	t.Run("missing --config file", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "nope.yaml")
		r := cliRun(t, "", cliCheckArgs(t, "--config", missing, allow)...)
		if r.code != 3 || !strings.Contains(r.stderr, "nope.yaml") || r.stdout != "" {
			t.Errorf("exit %d, stderr %q; want 3 naming the file", r.code, r.stderr)
		}
	})
	t.Run("unparsable config", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "chipcheck.yaml")
		if err := os.WriteFile(p, []byte("output: [json\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		r := cliRun(t, "", cliCheckArgs(t, "--config", p, allow)...)
		if r.code != 3 || !strings.Contains(r.stderr, p) || r.stdout != "" {
			t.Errorf("exit %d, stderr %q; want 3 naming the file", r.code, r.stderr)
		}
	})
	t.Run("bad fail_on in config", func(t *testing.T) {
		p := cliWriteConfig(t, t.TempDir(), "fail_on: sometimes\n")
		r := cliRun(t, "", "check", "--config", p, allow)
		if r.code != 3 || !strings.Contains(r.stderr, "sometimes") {
			t.Errorf("exit %d, stderr %q; want 3", r.code, r.stderr)
		}
	})
}

// TestConfigAsOfDate: as_of written in chipcheck.yaml as YAML writes a date
// (unquoted) must work like --as-of.
func TestConfigAsOfDate(t *testing.T) {
	p := cliWriteConfig(t, t.TempDir(), "as_of: 2025-06-30\n")
	r := cliRun(t, "", "check", "-q", "-o", "jsonl", "--fail-on", "none", "--config", p, cliData(t, "allow.yaml"))
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if d := cliJSONL(t, r.stdout)[0]; d.AsOf != "2025-06-30" {
		t.Errorf("as_of %q, want 2025-06-30", d.AsOf)
	}
}

var cliSummaryRE = regexp.MustCompile(`^chipcheck: 3 records: 1 allow, 1 review, 1 deny in \d+\.\d\ds( \(\d+ records/s\))?; policies \S+, rules \S+, lists \S+ \(oldest snapshot \d{4}-\d\d-\d\d, \d+ days old[^)]*\); config none\n$`)

func TestCheckSummary(t *testing.T) {
	files := []string{cliData(t, "allow.yaml"), cliData(t, "review.yaml"), cliData(t, "deny.yaml")}
	r := cliRun(t, "", cliCheckArgs(t, append([]string{"-o", "jsonl"}, files...)...)...)
	if !cliSummaryRE.MatchString(r.stderr) {
		t.Errorf("stderr = %q, want exactly the one-line summary", r.stderr)
	}
	if strings.Contains(r.stdout, "records:") {
		t.Error("the summary went to stdout")
	}
	for _, quiet := range [][]string{{"-q"}, {"--quiet"}} {
		r = cliRun(t, "", cliCheckArgs(t, append(append(quiet, "-o", "jsonl"), files...)...)...)
		if r.stderr != "" {
			t.Errorf("%s: stderr = %q, want nothing", quiet[0], r.stderr)
		}
		if len(cliJSONL(t, r.stdout)) != 3 {
			t.Errorf("%s silenced stdout", quiet[0])
		}
	}
	t.Setenv("CHIPCHECK_QUIET", "true")
	if r = cliRun(t, "", cliCheckArgs(t, append([]string{"-o", "jsonl"}, files...)...)...); r.stderr != "" {
		t.Errorf("CHIPCHECK_QUIET: stderr = %q, want nothing", r.stderr)
	}
}

// TestNoProgressWhenNotATerminal: with stderr a pipe or a file, stderr
// carries the summary and nothing else, however long the batch.
func TestNoProgressWhenNotATerminal(t *testing.T) {
	t.Setenv("CI", "")
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var stdout bytes.Buffer
	files := []string{cliData(t, "allow.yaml"), cliData(t, "review.yaml"), cliData(t, "deny.yaml")}
	Main(cliCheckArgs(t, append([]string{"-o", "jsonl"}, files...)...), strings.NewReader(""), &stdout, f)
	b, _ := os.ReadFile(f.Name())
	if !cliSummaryRE.Match(b) {
		t.Errorf("stderr file = %q, want only the summary", b)
	}

	var buf bytes.Buffer
	for _, tt := range []struct {
		name   string
		stderr any
		quiet  bool
		ci     string
	}{
		{"buffer", &buf, false, ""},
		{"regular file", f, false, ""},
		{"file and quiet", f, true, ""},
		{"file under CI", f, false, "true"},
	} {
		t.Setenv("CI", tt.ci)
		a := &app{v: viper.New()}
		a.v.Set("quiet", tt.quiet)
		switch w := tt.stderr.(type) {
		case *os.File:
			a.stderr = w
		case *bytes.Buffer:
			a.stderr = w
		}
		if a.interactive() {
			t.Errorf("%s: interactive() = true", tt.name)
		}
		var done atomic.Int64
		stop := a.progress(1000, &done)
		stop()
	}
	if buf.Len() != 0 {
		t.Errorf("progress wrote %q to a buffer", buf.String())
	}
}

func TestRulesCommandJSON(t *testing.T) {
	r := cliRun(t, "", append([]string{"rules", "-o", "json"}, cliDirs(t)[:4]...)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var out struct {
		Policy map[string]string `json:"policy"`
		Rules  []map[string]any  `json:"rules"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("not a JSON object: %v\n%s", err, r.stdout)
	}
	// It says which policies and rules it read, and their revision.
	if !strings.HasPrefix(out.Policy["revision"], "sha256:") || out.Policy["policies"] == "" || out.Policy["rules"] == "" {
		t.Errorf("policy: %v", out.Policy)
	}
	rules := out.Rules
	seen := map[string]bool{}
	var ids []string
	for _, rule := range rules {
		id, _ := rule["id"].(string)
		if id == "" || seen[id] {
			t.Errorf("rule id %q empty or repeated", id)
		}
		seen[id] = true
		ids = append(ids, id)
		for _, k := range []string{"citation", "description", "file"} {
			if s, _ := rule[k].(string); s == "" {
				t.Errorf("rule %s has no %s", id, k)
			}
		}
		if n, _ := rule["line"].(float64); n <= 0 {
			t.Errorf("rule %s has no line", id)
		}
	}
	if !slices.IsSorted(ids) {
		t.Errorf("rule ids not sorted: %v", ids)
	}
	for _, want := range []string{"EAR-742.6-DEST", "EAR-742.6-HQ", "EAR-732-RED-FLAG", "NO-LICENSE-REQUIRED", "ECCN-UNKNOWN", "SCREEN-EL", "SCREEN-NOT-RUN"} {
		if !seen[want] {
			t.Errorf("rules -o json lacks %s", want)
		}
	}

	// Every rule id a decision can carry is listed (CHIPCHECK-EVAL-ERROR
	// aside, which is the engine's).
	dec := cliRun(t, "", cliCheckArgs(t, "-q", "-o", "jsonl", "--fail-on", "none", cliData(t, "allow.yaml"), cliData(t, "review.yaml"), cliData(t, "deny.yaml"))...)
	for _, d := range cliJSONL(t, dec.stdout) {
		for _, reason := range d.Reasons {
			if !seen[reason.Rule] {
				t.Errorf("%s fired %s, which rules -o json does not list", d.ID, reason.Rule)
			}
		}
	}

	r = cliRun(t, "", append([]string{"rules"}, cliDirs(t)[:4]...)...)
	if r.code != 0 || !strings.Contains(r.stdout, "EAR-742.6-DEST") || cliFormat(r.stdout) != "table" {
		t.Errorf("rules (table): exit %d\n%s", r.code, r.stdout)
	}
}

func TestVerifyCommand(t *testing.T) {
	r := cliRun(t, "", append([]string{"verify"}, cliDirs(t)[:4]...)...)
	if r.code != 0 {
		t.Fatalf("verify on the shipped policies: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if !regexp.MustCompile(`(?m)^PASS: ([1-9]\d*)/([1-9]\d*)$`).MatchString(r.stdout) || strings.Contains(r.stdout, "FAIL") {
		t.Errorf("verify output:\n%s", r.stdout)
	}

	// A failing Rego test exits 1 and is named; a policy that does not
	// compile exits 3.
	root := repoRoot(t)
	pol := t.TempDir()
	if err := os.CopyFS(pol, os.DirFS(filepath.Join(root, "policies"))); err != nil {
		t.Fatal(err)
	}
	failing := filepath.Join(pol, "chipcheck", "flags", "zz_fail_test.rego")
	if err := os.WriteFile(failing, []byte("package chipcheck.flags_test\n\ntest_always_fails if {\n\t1 == 2\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = cliRun(t, "", "verify", "--policies", pol, "--rules", filepath.Join(root, "rules"))
	if r.code != 1 || !strings.Contains(r.stdout, "test_always_fails") || !strings.Contains(r.stdout, "FAIL") {
		t.Errorf("verify with a failing test: exit %d\n%s", r.code, r.stdout)
	}
	if err := os.WriteFile(failing, []byte("package chipcheck.flags_test\n\ntest_broken if {\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = cliRun(t, "", "verify", "--policies", pol, "--rules", filepath.Join(root, "rules"))
	if r.code != 3 || !strings.Contains(r.stderr, "zz_fail_test.rego") {
		t.Errorf("verify with a broken test file: exit %d, stderr %q; want 3 naming the file", r.code, r.stderr)
	}
}

func TestClassifyCommandJSON(t *testing.T) {
	root := repoRoot(t)
	dirs := cliDirs(t)[:4]
	r := cliRun(t, "", append([]string{"classify", "-q", "-o", "json", "--as-of", "2026-11-20", filepath.Join(root, "fixtures", "chips", "h100.yaml")}, dirs...)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var out []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, r.stdout)
	}
	if len(out) != 1 {
		t.Fatalf("%d entries, want 1", len(out))
	}
	c := out[0]
	for _, k := range []string{"id", "name", "eccn", "tpp", "pd", "reasons"} {
		if _, ok := c[k]; !ok {
			t.Errorf("classify output lacks %q: %v", k, c)
		}
	}
	if c["id"] != "h100-sxm" || c["name"] != "NVIDIA H100 SXM5 80GB" || c["eccn"] != "3A090.a" || c["tpp"] != 15831.2 || c["pd"] != 19.45 {
		t.Errorf("H100 classified as %v", c)
	}
	reasons, _ := c["reasons"].([]any)
	if len(reasons) == 0 {
		t.Fatal("no reasons")
	}
	for _, k := range []string{"rule", "outcome", "message", "citation"} {
		if s, _ := reasons[0].(map[string]any)[k].(string); s == "" {
			t.Errorf("reason lacks %s: %v", k, reasons[0])
		}
	}

	// Every fixture chip: an ECCN from the contract's set; unknown ones
	// make the exit code 2.
	r = cliRun(t, "", append([]string{"classify", "-q", "-o", "jsonl", "--as-of", "2026-11-20", filepath.Join(root, "fixtures", "chips", "records.yaml")}, dirs...)...)
	allowed := []string{"3A090.a", "3A090.b", "3A090.c", "4A090.a", "4A090.b", "none", "unknown"}
	unknown := 0
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	for _, l := range lines {
		var c map[string]any
		if err := json.Unmarshal([]byte(l), &c); err != nil {
			t.Fatalf("-o jsonl line %q: %v", l, err)
		}
		eccn, _ := c["eccn"].(string)
		if !slices.Contains(allowed, eccn) {
			t.Errorf("%v: eccn %q not in the contract's set", c["id"], eccn)
		}
		if eccn == "unknown" {
			unknown++
			if c["tpp"] != nil && c["pd"] != nil {
				// an unknown may still show the figures it could compute
				continue
			}
		}
	}
	if len(lines) < 10 || unknown == 0 {
		t.Fatalf("%d chips, %d unknown: the fixture should have both", len(lines), unknown)
	}
	if r.code != 2 {
		t.Errorf("classify with unknown ECCNs: exit %d, want 2", r.code)
	}
	r = cliRun(t, "", append([]string{"classify", "-q", "-o", "jsonl", "--fail-on", "deny", "--as-of", "2026-11-20", filepath.Join(root, "fixtures", "chips", "records.yaml")}, dirs...)...)
	if r.code != 0 {
		t.Errorf("classify --fail-on deny: exit %d, want 0", r.code)
	}

	// An order record is not a chip: exit 3, nothing printed.
	r = cliRun(t, "", append([]string{"classify", "-o", "json", cliData(t, "allow.yaml")}, dirs...)...)
	if r.code != 3 || r.stdout != "" || !strings.Contains(r.stderr, "SO-cli-allow") {
		t.Errorf("classify of an order: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}

	// Chips without kind are chips for classify; stdin works.
	r = cliRun(t, "", append([]string{"classify", "-q", "-o", "json", "--as-of", "2026-11-20", "-"}, dirs...)...)
	if r.code != 3 || r.stdout != "" {
		t.Errorf("classify of empty stdin: exit %d, stdout %q; want 3 and nothing", r.code, r.stdout)
	}
	r = cliRun(t, "", append([]string{"classify", "-q", "-o", "json", "--as-of", "2026-11-20", "--allow-empty", "-"}, dirs...)...)
	if r.code != 0 || strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("classify of empty stdin, --allow-empty: exit %d, stdout %q; want 0 and []", r.code, r.stdout)
	}
}

// TestClassifyNoHTMLEscaping: classify prints messages as written, like
// check and lists search do ("TPP 15831.2 >= 4800", not "\u003e=").
func TestClassifyNoHTMLEscaping(t *testing.T) {
	root := repoRoot(t)
	for _, format := range []string{"json", "jsonl"} {
		r := cliRun(t, "", append([]string{"classify", "-q", "-o", format, "--as-of", "2026-11-20", filepath.Join(root, "fixtures", "chips", "h100.yaml")}, cliDirs(t)[:4]...)...)
		if strings.Contains(r.stdout, `\u003e`) || !strings.Contains(r.stdout, ">= 4800") {
			t.Errorf("classify -o %s escapes HTML:\n%s", format, r.stdout)
		}
	}
}

// TestUnknownOutputRefused: every command with -o refuses a format it does
// not have, as check and classify do, instead of printing something else.
func TestUnknownOutputRefused(t *testing.T) {
	dirs := cliDirs(t)[:4]
	for _, args := range [][]string{
		append([]string{"rules", "-o", "xml"}, dirs...),
		append([]string{"rules", "-o", "jsonl"}, dirs...),
		append([]string{"verify", "-o", "xml"}, dirs...),
	} {
		r := cliRun(t, "", args...)
		if r.code != 3 || r.stdout != "" || !strings.Contains(r.stderr, args[2]) {
			t.Errorf("%v: exit %d, stdout %.60q, stderr %q; want 3 naming the format", args[:3], r.code, r.stdout, r.stderr)
		}
	}
	for _, args := range [][]string{
		append([]string{"lists", "search", "Huawei", "-o", "xml"}, cliDirs(t)...),
		append([]string{"lists", "info", "-o", "jsonl"}, cliDirs(t)...),
	} {
		r := cliRun(t, "", args...)
		format := args[slices.Index(args, "-o")+1]
		if r.code != 3 || r.stdout != "" || !strings.Contains(r.stderr, format) {
			t.Errorf("%v: exit %d, stdout %.60q, stderr %q; want 3 naming the format", args[:3], r.code, r.stdout, r.stderr)
		}
	}
}

func TestMemoryLimit(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"", 0, true},
		{"512MiB", 512 << 20, true},
		{"2GiB", 2 << 30, true},
		{" 1gb ", 1 << 30, true},
		{"134217728", 128 << 20, true},
		{"100KiB", 0, false}, // below 64 MiB
		{"-1GiB", 0, false},
		{"lots", 0, false},
		{"9999999999GiB", 0, false}, // overflows
	} {
		got, err := memoryLimit(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("memoryLimit(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
