// Package githubactions holds the example CI workflow (chipcheck.yml) and
// the test that runs its commands.
package githubactions

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

type workflow struct {
	Env  map[string]string `yaml:"env"`
	Jobs map[string]struct {
		Env   map[string]string `yaml:"env"`
		Steps []struct {
			ID   string            `yaml:"id"`
			Name string            `yaml:"name"`
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			Env  map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// skipped are the steps the test does not run: the install (the test
// builds chipcheck from this tree) and the list download (the test puts
// the repository's small fixture lists where the cache would).
var skipped = map[string]bool{"install": true, "lists-update": true}

// TestWorkflowCommands runs every run: step of chipcheck.yml in a scratch
// compliance repository: the check job on main, then the policy job on a
// pull request that adds Kenya to Country Group D:4, which turns the
// example order EX-KE-1 from allow to deny (a tightening: the loosening
// gate passes, and no Rego test depends on Kenya).
func TestWorkflowCommands(t *testing.T) {
	root := repoRoot(t)
	var wf workflow
	b, err := os.ReadFile("chipcheck.yml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &wf); err != nil {
		t.Fatalf("chipcheck.yml: %v", err)
	}
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "chipcheck"), "./cmd/chipcheck")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	repo := t.TempDir()
	for src, dst := range map[string]string{
		filepath.Join(root, "policies"):                     "policies",
		filepath.Join(root, "rules"):                        "rules",
		filepath.Join(root, "examples/github-actions/data"): "data",
		filepath.Join(root, "fixtures", "lists"):            ".chipcheck-lists",
	} {
		if err := os.CopyFS(filepath.Join(repo, dst), os.DirFS(src)); err != nil {
			t.Fatal(err)
		}
	}
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q", "-b", "main")
	git("add", "policies", "rules", "data")
	git("commit", "-q", "-m", "main")
	git("update-ref", "refs/remotes/origin/main", "HEAD")

	summary := filepath.Join(t.TempDir(), "summary.md")
	vars := map[string]string{"${{ github.workspace }}": repo, "${{ github.base_ref }}": "main"}
	runJob := func(name string) {
		job, ok := wf.Jobs[name]
		if !ok {
			t.Fatalf("chipcheck.yml has no job %s", name)
		}
		env := append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "GITHUB_STEP_SUMMARY="+summary, "CI=true")
		for _, m := range []map[string]string{wf.Env, job.Env} {
			for k, v := range m {
				for from, to := range vars {
					v = strings.ReplaceAll(v, from, to)
				}
				env = append(env, k+"="+v)
			}
		}
		ran := 0
		for _, s := range job.Steps {
			if s.Run == "" || skipped[s.ID] {
				continue
			}
			run := s.Run
			cmd := exec.Command("bash", "-eo", "pipefail", "-c", run)
			cmd.Dir = repo
			cmd.Env = env
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: step %q: %v\n%s\n%s", name, s.Name, err, run, out)
			}
			ran++
		}
		if ran == 0 {
			t.Fatalf("%s: no step ran", name)
		}
	}

	runJob("check")
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	b, err = os.ReadFile(filepath.Join(repo, "chipcheck.sarif"))
	if err != nil || json.Unmarshal(b, &log) != nil || log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 {
		t.Errorf("chipcheck.sarif: %v, version %q, want one run with results", err, log.Version)
	}

	// The pull request: Kenya joins D:4.
	cg := filepath.Join(repo, "rules", "country_groups.yaml")
	b, err = os.ReadFile(cg)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(b), "  members: [AE, BH, BY,", "  members: [AE, BH, BY, KE,", 1)
	if edited == string(b) {
		t.Fatal("rules/country_groups.yaml changed: rework this test's edit")
	}
	if err := os.WriteFile(cg, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	git("commit", "-q", "-am", "Kenya joins D:4")

	runJob("policy")
	md, err := os.ReadFile(filepath.Join(repo, "impact.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"**1 of 2 records change: 0 towards allow, 1 towards deny, 0 reasons only.**", "| allow→deny | 1 | `EX-KE-1` |", "| `EAR-742.6-DEST` | 1 | 0 |"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("impact.md lacks %q:\n%s", want, md)
		}
	}
	if s, _ := os.ReadFile(summary); !bytes.Contains(s, []byte("### chipcheck impact")) {
		t.Errorf("step summary: %q", s)
	}
}

// repoRoot is two levels up: go test runs in examples/github-actions.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root: %v", err)
	}
	return root
}
