package impact

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
)

// Baseline is where the baseline's policies and rules are on disk.
type Baseline struct {
	PoliciesDir, RulesDir string // "" where the baseline has none: the current side's are used
	// Name says what was compared against: the directory, or the git
	// revision and its commit.
	Name string
	// PoliciesName and RulesName say where the extracted directories came
	// from ("origin/main (1a2b3c4d5e6f):policies"); "" for a directory.
	PoliciesName, RulesName string
	cleanup                 func()
}

// Close removes what Resolve extracted.
func (b *Baseline) Close() {
	if b.cleanup != nil {
		b.cleanup()
	}
}

// ResolveOptions say where the current policies and rules are, for
// finding the same paths in a git revision.
type ResolveOptions struct {
	// PoliciesPath and RulesPath are the current side's directories
	// ("" for the built-in ones, which live in policies/ and rules/ at
	// the top of the chipcheck repository).
	PoliciesPath, RulesPath string
}

// maxExtract bounds what a revision may hold under the two paths.
const maxExtract = 64 << 20

// Resolve turns --baseline into directories. An existing directory is
// used as it is: its policies/ and rules/ subdirectories (either may be
// missing, then the current side's is used). Anything else is a git
// revision, whose policies/ and rules/ (the paths of the current side,
// relative to the repository's top) are extracted with `git archive`
// into a temporary directory.
func Resolve(ctx context.Context, baseline string, opts ResolveOptions) (*Baseline, error) {
	if baseline == "" {
		return nil, errors.New("--baseline: want a directory or a git revision")
	}
	if fi, err := os.Stat(baseline); err == nil && fi.IsDir() {
		b := &Baseline{Name: baseline}
		for sub, dst := range map[string]*string{"policies": &b.PoliciesDir, "rules": &b.RulesDir} {
			if fi, err := os.Stat(filepath.Join(baseline, sub)); err == nil && fi.IsDir() {
				*dst = filepath.Join(baseline, sub)
			}
		}
		if b.PoliciesDir == "" && b.RulesDir == "" {
			return nil, fmt.Errorf("--baseline %s: holds neither policies/ nor rules/", baseline)
		}
		return b, nil
	}
	// A revision starting with "-" would be read by git as an option.
	if strings.HasPrefix(baseline, "-") {
		return nil, fmt.Errorf("--baseline %q: not a directory or a git revision", baseline)
	}
	// git runs in the repository that holds the current policies (or
	// rules), else in the current directory.
	gitDir := ""
	for _, p := range []string{opts.RulesPath, opts.PoliciesPath} {
		if p != "" {
			gitDir = p
		}
	}
	top, err := git(ctx, gitDir, nil, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, fmt.Errorf("--baseline %s: not a directory, and not in a git repository: %w", baseline, err)
	}
	topDir := strings.TrimSpace(string(top))
	commit, err := git(ctx, gitDir, nil, "rev-parse", "--verify", "--end-of-options", baseline+"^{commit}")
	if err != nil {
		return nil, fmt.Errorf("--baseline %s: not a directory or a git revision: %w", baseline, err)
	}
	sha := strings.TrimSpace(string(commit))
	paths := map[string]string{}
	for name, p := range map[string]string{"policies": opts.PoliciesPath, "rules": opts.RulesPath} {
		if p == "" {
			paths[name] = name
			continue
		}
		rel, err := repoPath(topDir, p)
		if err != nil {
			return nil, err
		}
		paths[name] = rel
	}
	tmp, err := os.MkdirTemp("", "chipcheck-baseline-")
	if err != nil {
		return nil, err
	}
	b := &Baseline{Name: fmt.Sprintf("%s (%s)", baseline, sha[:12]), cleanup: func() { os.RemoveAll(tmp) }}
	for name, rel := range paths {
		dst := filepath.Join(tmp, name)
		n, err := extract(ctx, topDir, sha, rel, dst)
		if err != nil {
			b.Close()
			return nil, fmt.Errorf("--baseline %s: %s: %w", baseline, rel, err)
		}
		if n == 0 {
			continue // the revision has no such directory: use the current one
		}
		if name == "policies" {
			b.PoliciesDir, b.PoliciesName = dst, b.Name+":"+rel
		} else {
			b.RulesDir, b.RulesName = dst, b.Name+":"+rel
		}
	}
	if b.PoliciesDir == "" && b.RulesDir == "" {
		b.Close()
		return nil, fmt.Errorf("--baseline %s: the revision holds neither %s nor %s", baseline, paths["policies"], paths["rules"])
	}
	return b, nil
}

// repoPath is dir as a path inside the repository at top.
func repoPath(top, dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	// Both sides through EvalSymlinks, so a symlinked checkout compares.
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	if r, err := filepath.EvalSymlinks(top); err == nil {
		top = r
	}
	rel, err := filepath.Rel(top, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("--baseline: %s is outside the git repository %s", dir, top)
	}
	return filepath.ToSlash(rel), nil
}

// extract writes the files under rel of commit into dst and returns how
// many it wrote. Entries are checked: only regular files and directories,
// under rel, no "..", bounded in size.
func extract(ctx context.Context, top, commit, rel, dst string) (int, error) {
	// ls-tree first: archiving a path the commit lacks is an error.
	ls, err := git(ctx, top, nil, "ls-tree", "-d", "--name-only", commit, "--", rel)
	if err != nil {
		return 0, err
	}
	if strings.TrimSpace(string(ls)) == "" {
		return 0, nil
	}
	out, err := git(ctx, top, nil, "archive", "--format=tar", commit, "--", rel)
	if err != nil {
		return 0, err
	}
	tr := tar.NewReader(bytes.NewReader(out))
	n, total := 0, int64(0)
	prefix := strings.TrimSuffix(rel, "/") + "/"
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		name := path.Clean(h.Name)
		if !strings.HasPrefix(name+"/", prefix) || strings.Contains(name, "..") {
			continue
		}
		target := filepath.Join(dst, filepath.FromSlash(strings.TrimPrefix(name+"/", prefix)))
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return n, err
			}
		case tar.TypeReg:
			if total += h.Size; total > maxExtract {
				return n, fmt.Errorf("more than %d MiB", maxExtract>>20)
			}
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return n, err
			}
			b, err := io.ReadAll(io.LimitReader(tr, h.Size))
			if err != nil {
				return n, err
			}
			if err := os.WriteFile(target, b, 0o644); err != nil {
				return n, err
			}
			n++
		}
	}
}

// git runs git in dir and returns its stdout; stderr goes into the error.
func git(ctx context.Context, dir string, stdin io.Reader, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Stdin = stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %v: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}
