package cli

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/report"
)

// TestCheckReportsAtOnce: -o FORMAT=FILE, repeated, writes every format
// from one run; --keep-going judges the valid records, reports the
// invalid one in each machine format at its file and line, and still
// exits 3.
func TestCheckReportsAtOnce(t *testing.T) {
	dir := t.TempDir()
	file := func(name string) string { return filepath.Join(dir, name) }
	invalid := cliData(t, "invalid.yaml")
	args := cliCheckArgs(t, "-q", "--keep-going",
		"-o", "junit="+file("r.xml"), "-o", "sarif="+file("r.sarif"), "-o", "github="+file("gh.txt"),
		"-o", "csv="+file("r.csv"), "-o", "markdown="+file("r.md"), "-o", "json="+file("r.json"), "-o", "jsonl",
		cliData(t, "allow.yaml"), cliData(t, "review.yaml"), invalid, cliData(t, "deny.yaml"))
	r := cliRun(t, "", args...)
	if r.code != decision.ExitError || !strings.Contains(r.stderr, "--keep-going") {
		t.Fatalf("exit %d, want 3 with the valid records judged; stderr %s", r.code, r.stderr)
	}
	var decided []string
	problems := 0
	for _, l := range strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n") {
		var m struct {
			ID      string                `json:"id"`
			Problem *report.ProblemDetail `json:"problem"`
		}
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("jsonl line %q: %v", l, err)
		}
		if m.Problem != nil {
			problems++
			if m.Problem.File != invalid || m.Problem.Line != 10 {
				t.Errorf("problem at %s:%d, want %s:10", m.Problem.File, m.Problem.Line, invalid)
			}
		} else {
			decided = append(decided, m.ID)
		}
	}
	if problems != 1 || len(decided) != 3 {
		t.Errorf("jsonl: %d problem(s), decisions %v; want 1 and the three valid records", problems, decided)
	}

	read := func(name string) string {
		b, err := os.ReadFile(file(name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	var suites report.JUnitSuites
	if err := xml.Unmarshal([]byte(read("r.xml")), &suites); err != nil {
		t.Fatalf("junit: %v", err)
	}
	if suites.Tests != 4 || suites.Errors != 1 || suites.Failures != 2 {
		t.Errorf("junit tests/failures/errors = %d/%d/%d, want 4/2/1", suites.Tests, suites.Failures, suites.Errors)
	}
	var log report.SARIFLog
	if err := json.Unmarshal([]byte(read("r.sarif")), &log); err != nil {
		t.Fatalf("sarif: %v", err)
	}
	found := false
	for _, res := range log.Runs[0].Results {
		pl := res.Locations[0].PhysicalLocation
		if res.RuleID == report.ProblemRule && strings.HasSuffix(pl.ArtifactLocation.URI, "/invalid.yaml") && pl.Region.StartLine == 10 {
			found = true
		}
	}
	if !found || len(log.Runs[0].Tool.Driver.Rules) < 10 {
		t.Errorf("sarif: problem at invalid.yaml:10 found %v; %d rules (want the policy's)", found, len(log.Runs[0].Tool.Driver.Rules))
	}
	if gh := read("gh.txt"); !strings.Contains(gh, "::error file="+strings.ReplaceAll(invalid, ":", "%3A")+",line=10,title="+report.ProblemRule+"::end_use.codes.0:") {
		t.Errorf("github annotations lack the problem:\n%s", gh)
	}
	if csv := read("r.csv"); strings.Count(csv, "\n") != 5 || !strings.Contains(csv, "problem,") {
		t.Errorf("csv: want a header, one problem and three decisions:\n%s", csv)
	}
	if md := read("r.md"); !strings.Contains(md, "1 input problem(s)") {
		t.Errorf("markdown:\n%s", md)
	}
	if ds := read("r.json"); !json.Valid([]byte(ds)) {
		t.Errorf("json is not valid:\n%s", ds)
	}

	// Without --keep-going nothing is decided, but the problem is still
	// in the outputs.
	r = cliRun(t, "", cliCheckArgs(t, "-q", "-o", "sarif", cliData(t, "allow.yaml"), invalid)...)
	if r.code != decision.ExitError || !strings.Contains(r.stdout, report.ProblemRule) || strings.Contains(r.stdout, "SO-cli-allow") {
		t.Errorf("without --keep-going: exit %d, stdout %s", r.code, r.stdout)
	}
}

// TestCheckProblemCap: stderr lists --max-problems problems and counts
// the rest; the machine outputs keep every one.
func TestCheckProblemCap(t *testing.T) {
	var sb strings.Builder
	for i := range 30 {
		fmt.Fprintf(&sb, `{"kind":"order","id":"P-%d","bogus":1}`+"\n", i)
	}
	r := cliRun(t, sb.String(), cliCheckArgs(t, "-q", "--max-problems", "5", "-o", "jsonl", "-")...)
	if r.code != decision.ExitError {
		t.Fatalf("exit %d", r.code)
	}
	listed := strings.Count(r.stderr, "<stdin>:")
	all := strings.Count(r.stdout, `"problem"`)
	if listed != 5 || !strings.Contains(r.stderr, fmt.Sprintf("... and %d more input problem(s)", all-5)) || all < 30 {
		t.Errorf("stderr lists %d (want 5) of %d problems:\n%s", listed, all, r.stderr)
	}
}
