package lists

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// UpdateOptions control Update.
type UpdateOptions struct {
	// Sets to fetch (SetSDN, SetNonSDN, SetCSL); empty fetches all three.
	Sets []string
	// BaseURLs overrides the download address of single files, keyed by
	// the file name in Sources (case-insensitive): {"sdn.csv": "https://..."}.
	BaseURLs map[string]string
	// Mirror, if set, is a base URL each file is fetched from as
	// Mirror + "/" + Source.File (an internal mirror holding the files
	// under their directory names). BaseURLs wins over it.
	Mirror string
	// Client does the downloads; nil uses one with a 10-minute timeout.
	Client *http.Client
	// MaxBytes caps each file; 0 means 256 MiB.
	MaxBytes int64
	// UserAgent is sent with each request; empty sends "chipcheck".
	UserAgent string
	// Options apply to the verification load whose ListInfo Update
	// returns: CountryCode, Now (for ages and the manifest's times), and
	// MaxShrink, which defaults to DefaultUpdateMaxShrink here. Only and
	// Accept are not used: Sets chooses what to fetch, and a download that
	// shrank too far is never installed.
	Options
}

const defaultMaxBytes = 256 << 20

// Update fetches the official files of the chosen sets into dir. All files
// are downloaded to temporary files in dir, each set is parsed with the
// same loaders LoadDir uses and compared with the files dir holds now, and
// only when every set passes are they renamed into place, with the
// directory's manifest (ManifestName) rewritten to record them. A set is
// compared with the files it replaces or, when those cannot be loaded,
// with the manifest's record, and refused when it fell by more than
// opts.MaxShrink (the sanity guard). On any failure the old files and
// manifest are left as they were and the error says why.
//
// Each rename is atomic, but the set of renames is not: a LoadDir running
// at the same moment may read new and old files together (it then counts
// orphans; it never fails silently). A file fetched into a directory that
// holds it under another case ("SDN.CSV") keeps that name, and a fresh
// consolidated.csv replaces a consolidated.csv.gz.
func Update(ctx context.Context, dir string, opts UpdateOptions) ([]ListInfo, error) {
	sets := opts.Sets
	if len(sets) == 0 {
		sets = setOrder
	}
	for _, s := range sets {
		if _, ok := setNames[s]; !ok {
			return nil, fmt.Errorf("unknown list set %q (want %s, %s or %s)", s, SetSDN, SetNonSDN, SetCSL)
		}
	}
	share, err := opts.maxShrink(DefaultUpdateMaxShrink)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	present, err := dirNames(dir)
	if err != nil {
		return nil, err
	}
	// An unreadable manifest is replaced: the checks against the current
	// files still apply.
	man, _ := readManifest(dir)

	var files []*download
	for _, s := range Sources {
		if slices.Contains(sets, s.Set) {
			files = append(files, &download{src: s, url: opts.url(s)})
		}
	}
	defer func() {
		for _, f := range files {
			if f.tmp != "" {
				os.Remove(f.tmp) // no-op once renamed into place
			}
		}
	}()
	if err := fetchAll(ctx, dir, files, opts); err != nil {
		return nil, err
	}

	var results []*setResult
	for _, set := range setOrder {
		if !slices.Contains(sets, set) {
			continue
		}
		res, err := verify(ctx, dir, set, files, present, man, share, opts.CountryCode)
		if err != nil {
			return nil, err
		}
		results = append(results, res)
	}
	now := opts.now()
	next := man.withSets(results, now)
	tmp, err := manifestTemp(dir, next)
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", ManifestName, err)
	}
	// Installed last, after every list file.
	files = append(files, &download{tmp: tmp, target: ManifestName})
	if err := install(dir, files, present); err != nil {
		return nil, err
	}
	infos := make([]ListInfo, len(results))
	for i, r := range results {
		rec := next.Sets[r.info.ID]
		r.info.AgeDays = ageDays(r.info.Snapshot, now)
		r.info.Manifest = ManifestCheck{Status: ManifestRecorded, Counted: r.total, Seen: rec.Seen}
		if old := man.set(r.info.ID); old != nil {
			r.info.Manifest.Recorded = old.Entries
			r.info.Manifest.Status = ManifestUpdated
			if old.SHA256 == rec.SHA256 {
				r.info.Manifest.Status = ManifestUnchanged
			}
		}
		infos[i] = r.info
	}
	return infos, nil
}

type download struct {
	src    Source
	url    string
	tmp    string // temporary file in dir
	target string // name installed under
}

func (o UpdateOptions) url(s Source) string {
	for k, v := range o.BaseURLs {
		if strings.EqualFold(k, s.File) {
			return v
		}
	}
	if o.Mirror != "" {
		return strings.TrimSuffix(o.Mirror, "/") + "/" + s.File
	}
	return s.URL
}

// dirNames maps the lower-case names of the files in dir to their names.
func dirNames(dir string) (map[string]string, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, de := range des {
		if !de.IsDir() {
			m[strings.ToLower(de.Name())] = de.Name()
		}
	}
	return m, nil
}

// fetchAll downloads the files four at a time; the first failure cancels
// the rest.
func fetchAll(ctx context.Context, dir string, files []*download, opts UpdateOptions) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	client := opts.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Minute}
	}
	maxBytes := opts.MaxBytes
	if maxBytes <= 0 {
		maxBytes = defaultMaxBytes
	}
	ua := opts.UserAgent
	if ua == "" {
		ua = "chipcheck"
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		sem   = make(chan struct{}, 4)
	)
	for _, f := range files {
		tmp, err := os.CreateTemp(dir, "."+f.src.File+".*.part")
		if err != nil {
			return err
		}
		f.tmp = tmp.Name()
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := fetch(ctx, client, f.url, tmp, maxBytes, ua); err != nil {
				mu.Lock()
				if first == nil {
					first = fmt.Errorf("downloading %s: %w", f.src.File, err)
					cancel()
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return first
}

// fetch writes url's body to out (and closes it), refusing anything but a
// complete 200 response of at most maxBytes. The file's modification time
// becomes the server's Last-Modified, which LoadDir reports as the OFAC
// snapshot date.
func fetch(ctx context.Context, client *http.Client, url string, out *os.File, maxBytes int64, ua string) error {
	defer out.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", ua)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	if resp.ContentLength > maxBytes {
		return fmt.Errorf("GET %s: %d bytes, more than the %d allowed", url, resp.ContentLength, maxBytes)
	}
	n, err := io.Copy(out, io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return fmt.Errorf("GET %s: after %d bytes: %w", url, n, err)
	}
	if n > maxBytes {
		return fmt.Errorf("GET %s: more than the %d bytes allowed", url, maxBytes)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return fmt.Errorf("GET %s: got %d of %d bytes", url, n, resp.ContentLength)
	}
	// CreateTemp makes the file private; installed lists are for everyone.
	if err := out.Chmod(0o644); err != nil {
		return err
	}
	if err := out.Sync(); err != nil {
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	if lm, err := http.ParseTime(resp.Header.Get("Last-Modified")); err == nil {
		_ = os.Chtimes(out.Name(), lm, lm) // best effort: the date is informational
	}
	return nil
}

// verify parses a downloaded set and compares it with the set in dir or,
// when dir holds no loadable copy, with the manifest's record of it.
func verify(ctx context.Context, dir, set string, files []*download, present map[string]string, man *manifest, share float64, lookup func(string) (string, bool)) (*setResult, error) {
	var tmps, finals []string
	label := map[string]string{}
	for _, f := range files {
		if f.src.Set != set {
			continue
		}
		f.target = f.src.File
		if name, ok := present[f.src.File]; ok {
			f.target = name
		}
		tmps = append(tmps, f.tmp)
		finals = append(finals, filepath.Join(dir, f.target))
		label[f.tmp] = f.src.File + " (from " + f.url + ")"
	}
	res, err := loadSet(ctx, set, tmps, lookup, nil)
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) && label[pe.File] != "" {
			pe.File = label[pe.File]
		}
		return nil, fmt.Errorf("%s: download rejected, not installed: %w", setNames[set], err)
	}
	if res.info.Entries == 0 {
		return nil, fmt.Errorf("%s: download rejected, not installed: no entries", setNames[set])
	}
	if old := loadCurrent(ctx, dir, set, present); old != nil {
		if err := compare(set, old.tally(), res.tally(), share, "the files in "+dir); err != nil {
			return nil, err
		}
	} else if rec := man.set(set); rec != nil {
		if err := compare(set, rec.tally(), res.tally(), share, ManifestName); err != nil {
			return nil, err
		}
	}
	res.info.Files = finals
	return res, nil
}

// loadCurrent loads the set as dir holds it now, or returns nil when the
// set is absent or unreadable (then there is nothing to compare with, and
// replacing broken files is what an update is for).
func loadCurrent(ctx context.Context, dir, set string, present map[string]string) *setResult {
	var paths []string
	for i, name := range setFiles(set) {
		actual, ok := present[name]
		if !ok && i == 0 && set == SetCSL {
			actual, ok = present[cslGzipName]
		}
		if !ok {
			return nil
		}
		paths = append(paths, filepath.Join(dir, actual))
	}
	res, err := loadSet(ctx, set, paths, nil, nil)
	if err != nil {
		return nil
	}
	return res
}

// compare applies the sanity guard to a download against what was
// accepted before (the current files, or the manifest's record).
func compare(set string, old, cur tally, share float64, against string) error {
	if what, was, is, shrank := shrinkage(set, old, cur, share); shrank {
		return fmt.Errorf("%s: download rejected, not installed: %s drops from %d to %d (more than %.0f%% fewer than %s); check the source, or remove the old files and %s to accept it",
			setNames[set], what, was, is, share*100, against, ManifestName)
	}
	return nil
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// install renames the verified downloads into place. Each current file is
// first hard-linked (or copied) to a backup, so that a failed rename can be
// undone by renaming the backups back; on success the backups go.
func install(dir string, files []*download, present map[string]string) error {
	type step struct{ target, backup string }
	var done []step
	rollback := func() {
		for i := len(done) - 1; i >= 0; i-- {
			if done[i].backup != "" {
				os.Rename(done[i].backup, done[i].target)
			} else {
				os.Remove(done[i].target)
			}
		}
	}
	for _, f := range files {
		target := filepath.Join(dir, f.target)
		backup := ""
		if _, err := os.Lstat(target); err == nil {
			b, err := backupFile(dir, target)
			if err != nil {
				rollback()
				return fmt.Errorf("backing up %s: %w", target, err)
			}
			backup = b
		}
		if err := os.Rename(f.tmp, target); err != nil {
			if backup != "" {
				os.Remove(backup)
			}
			rollback()
			return fmt.Errorf("installing %s: %w", target, err)
		}
		done = append(done, step{target, backup})
	}
	for _, s := range done {
		if s.backup != "" {
			os.Remove(s.backup)
		}
	}
	syncDir(dir)
	// A compressed CSL next to the new plain one would make LoadDir refuse
	// the directory as ambiguous.
	for _, f := range files {
		if f.src.Set != SetCSL {
			continue
		}
		if gz, ok := present[cslGzipName]; ok {
			if err := os.Remove(filepath.Join(dir, gz)); err != nil {
				return fmt.Errorf("installed %s but could not remove the old %s: %w", f.target, gz, err)
			}
		}
	}
	return nil
}

// backupFile makes a second name for target's current content.
func backupFile(dir, target string) (string, error) {
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(target)+".*.old")
	if err != nil {
		return "", err
	}
	name := tmp.Name()
	tmp.Close()
	os.Remove(name)
	if err := os.Link(target, name); err == nil {
		return name, nil
	}
	// No hard links on this file system: copy.
	in, err := os.Open(target)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(name)
		return "", err
	}
	if err := out.Close(); err != nil {
		os.Remove(name)
		return "", err
	}
	if fi, err := in.Stat(); err == nil {
		os.Chtimes(name, fi.ModTime(), fi.ModTime()) // the OFAC snapshot date, should it be restored
	}
	return name, nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
