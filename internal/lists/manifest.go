package lists

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ManifestName is the file in a lists directory that records, for each
// list set, what was last accepted there: entry counts, file hashes and
// record counts, the snapshot date, and when those files were first seen.
// `lists update` writes it after its own checks; LoadDir compares each set
// with it (the shrink guard) and records sets it held no record of, or
// that changed within the allowed share. Deleting it, or loading with
// Options.Accept, accepts the lists as they are.
//
// The format (JSON, version 1):
//
//	{
//	  "version": 1,
//	  "written": "2026-01-05T10:00:00Z",
//	  "sets": {
//	    "csl": {
//	      "name": "trade.gov CSL",
//	      "entries": 14160,                      // every row of the publication
//	      "by_list": {"EL": 2001, "SDN": 10026, ...},
//	      "snapshot": "2022-04-21",
//	      "sha256": "...",                       // over the files, as ListInfo.SHA256
//	      "seen": "2026-01-05T10:00:00Z",        // when these files were first recorded
//	      "files": [{"name": "consolidated.csv.gz", "sha256": "...", "records": 14160}]
//	    },
//	    "sdn": {...}, "nonsdn": {...}
//	  }
//	}
const ManifestName = ".chipcheck-lists.json"

const manifestVersion = 1

// Manifest statuses, in ManifestCheck.Status.
const (
	ManifestRecorded  = "recorded"  // the manifest held no record of the set; it does now
	ManifestUnchanged = "unchanged" // the files are those the manifest records
	ManifestUpdated   = "updated"   // the files changed within the allowed share; the record follows them
	ManifestAccepted  = "accepted"  // the set fell by more than the allowed share and was accepted (Options.Accept)
	ManifestNotSaved  = "not_saved" // the set is new or changed, but the manifest could not be written (read-only directory)
)

// ManifestCheck is how a loaded set compares with the directory's manifest.
// The counts are of the whole publication: for the CSL every row, those
// left out because OFAC's own files were loaded included.
type ManifestCheck struct {
	Status   string `json:"status"`
	Recorded int    `json:"recorded,omitempty"` // the manifest's count before this load; 0 when it held no record
	Counted  int    `json:"counted"`            // the count of the files loaded
	Seen     string `json:"seen,omitempty"`     // when the manifest first recorded the files loaded (RFC 3339); empty when not saved
}

// ErrShrunk is wrapped by LoadDir's error when a set fell by more than
// Options.MaxShrink below what the manifest records.
var ErrShrunk = errors.New("list shrank")

type manifest struct {
	Version int                     `json:"version"`
	Written string                  `json:"written"`
	Sets    map[string]*manifestSet `json:"sets"`
}

type manifestSet struct {
	Name     string         `json:"name"`
	Entries  int            `json:"entries"`
	ByList   map[string]int `json:"by_list,omitempty"`
	Snapshot string         `json:"snapshot"`
	SHA256   string         `json:"sha256"`
	Seen     string         `json:"seen"`
	Files    []manifestFile `json:"files"`
}

type manifestFile struct {
	Name    string `json:"name"`
	SHA256  string `json:"sha256"`
	Records int    `json:"records"`
}

// readManifest reads dir's manifest: nil when there is none, an error when
// it cannot be read or is not one (a guard that cannot be read must not
// pass silently).
func readManifest(dir string) (*manifest, error) {
	path := filepath.Join(dir, ManifestName)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list manifest: %w", err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil || m.Version != manifestVersion || m.Sets == nil {
		why := fmt.Sprintf("version %d, not %d", m.Version, manifestVersion)
		if err != nil {
			why = err.Error()
		}
		return nil, fmt.Errorf("%s: not a list manifest this chipcheck reads (%s): run `chipcheck lists update --lists %s` to write a new one, or delete it", path, why, dir)
	}
	return &m, nil
}

// manifestTemp writes m to a new temporary file in dir and returns its
// name, for a rename into place.
func manifestTemp(dir string, m *manifest) (string, error) {
	if dirReadOnly(dir) {
		return "", fmt.Errorf("%s is read-only", dir)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, "."+ManifestName+".*.part")
	if err != nil {
		return "", err
	}
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// writeManifest replaces dir's manifest with m atomically: a reader sees
// the old manifest or the new one, never part of one.
func writeManifest(dir string, m *manifest) error {
	tmp, err := manifestTemp(dir, m)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, ManifestName)); err != nil {
		os.Remove(tmp)
		return err
	}
	syncDir(dir)
	return nil
}

// dirReadOnly reports a directory without write permission for anyone.
// Such a directory is not written to even by a user (root) the
// permissions would not stop.
func dirReadOnly(dir string) bool {
	fi, err := os.Stat(dir)
	return err == nil && fi.Mode().Perm()&0o222 == 0
}

// withSets returns a copy of m (or a new manifest) holding the records of
// sets, stamped now.
func (m *manifest) withSets(sets []*setResult, now time.Time) *manifest {
	next := &manifest{Version: manifestVersion, Written: stamp(now), Sets: map[string]*manifestSet{}}
	if m != nil {
		maps.Copy(next.Sets, m.Sets)
	}
	for _, r := range sets {
		rec := r.record(now)
		if old := next.Sets[r.info.ID]; old != nil && old.SHA256 == rec.SHA256 {
			rec.Seen = old.Seen
		}
		next.Sets[r.info.ID] = rec
	}
	return next
}

// set returns m's record of set, or nil.
func (m *manifest) set(set string) *manifestSet {
	if m == nil {
		return nil
	}
	return m.Sets[set]
}

// record is the manifest record of a loaded set, first seen now.
func (r *setResult) record(now time.Time) *manifestSet {
	files := make([]manifestFile, len(r.info.Files))
	for i, p := range r.info.Files {
		files[i] = manifestFile{Name: filepath.Base(p), SHA256: r.sums[i], Records: r.records[canonicalFile(p)]}
	}
	return &manifestSet{
		Name:     r.info.Name,
		Entries:  r.total,
		ByList:   r.byList,
		Snapshot: r.info.Snapshot,
		SHA256:   r.info.SHA256,
		Seen:     stamp(now),
		Files:    files,
	}
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// canonicalFile is a list file's name as Sources writes it.
func canonicalFile(path string) string {
	name := strings.ToLower(filepath.Base(path))
	if name == cslGzipName {
		return "consolidated.csv"
	}
	return name
}

// tally is what the shrink guards compare.
type tally struct {
	entries int
	byList  map[string]int
	records map[string]int // by canonical file name
}

func (r *setResult) tally() tally { return tally{r.total, r.byList, r.records} }

func (s *manifestSet) tally() tally {
	records := map[string]int{}
	for _, f := range s.Files {
		records[canonicalFile(f.Name)] = f.Records
	}
	return tally{s.Entries, s.ByList, records}
}

// minGuarded is the smallest count the guards watch for a single source
// list or file: a list of a handful of entries (FSE) or the overflow
// comments file may legitimately halve.
const minGuarded = 20

// shrinkage returns the first count of set that fell by more than share
// from before to after: its entries, the records of a main file (the
// comments files hold a few dozen overflow rows whose number swings), or
// the entries of one source list with at least minGuarded of them.
func shrinkage(set string, before, after tally, share float64) (what string, was, is int, shrank bool) {
	fell := func(b, a int) bool { return float64(a) < float64(b)*(1-share) }
	if fell(before.entries, after.entries) {
		return "entries", before.entries, after.entries, true
	}
	for i, name := range setFiles(set) {
		if i > 2 {
			break
		}
		if b, a := before.records[name], after.records[name]; b >= minGuarded && fell(b, a) {
			return name + " records", b, a, true
		}
	}
	for _, src := range sortedKeys(before.byList) {
		if b, a := before.byList[src], after.byList[src]; b >= minGuarded && fell(b, a) {
			return src + " entries", b, a, true
		}
	}
	return "", 0, 0, false
}

// checkManifest compares the loaded sets with dir's manifest (man, nil if
// there is none), sets each ListInfo.Manifest, and records the sets that
// are new or changed. A set that fell by more than share is an error unless
// accept is set. A manifest that cannot be written is a warning, returned
// for the Corpus, unless accept is set: then it is an error.
func checkManifest(dir string, man *manifest, loaded []*setResult, share float64, accept bool, now time.Time) ([]string, error) {
	var dirty []*setResult
	for _, r := range loaded {
		mc := ManifestCheck{Status: ManifestRecorded, Counted: r.total}
		rec := man.set(r.info.ID)
		switch {
		case rec == nil:
			dirty = append(dirty, r)
		case rec.SHA256 == r.info.SHA256:
			mc.Status, mc.Recorded, mc.Seen = ManifestUnchanged, rec.Entries, rec.Seen
			// The same files: the date recorded when they came (from the
			// server's Last-Modified, for OFAC's undated files) outlives
			// a copy that reset their modification time.
			if isDate(rec.Snapshot) && rec.Snapshot < r.info.Snapshot {
				r.info.Snapshot = rec.Snapshot
			}
		default:
			mc.Status, mc.Recorded = ManifestUpdated, rec.Entries
			if what, was, is, shrank := shrinkage(r.info.ID, rec.tally(), r.tally(), share); shrank {
				if !accept {
					return nil, fmt.Errorf("%s: %w: %s: %s fell from %d to %d since the list manifest (%s) recorded them on %s, more than %.0f%% fewer: a file may be cut short or a list left out. "+
						"Fetch the lists again with `chipcheck lists update --lists %s`; if the smaller list is what you meant, accept it with `chipcheck lists info --accept --lists %s` (or delete %s)",
						dir, ErrShrunk, r.info.Name, what, was, is, ManifestName, day(rec.Seen), share*100, dir, dir, filepath.Join(dir, ManifestName))
				}
				mc.Status = ManifestAccepted
			}
			dirty = append(dirty, r)
		}
		r.info.Manifest = mc
	}
	if len(dirty) == 0 {
		return nil, nil
	}
	err := writeManifest(dir, man.withSets(dirty, now))
	if err == nil {
		for _, r := range dirty {
			r.info.Manifest.Seen = stamp(now)
		}
		return nil, nil
	}
	if accept {
		return nil, fmt.Errorf("%s: cannot accept the lists as loaded: writing %s: %w", dir, ManifestName, err)
	}
	var names []string
	for _, r := range dirty {
		r.info.Manifest.Status = ManifestNotSaved
		names = append(names, r.info.Name)
	}
	return []string{fmt.Sprintf("%s: %s not written (%v): the shrink guard has no record of %s as loaded now; run `chipcheck lists update --lists %s` where the directory can be written",
		dir, ManifestName, err, strings.Join(names, ", "), dir)}, nil
}

// day is the date of an RFC 3339 time, or the text as it is.
func day(ts string) string {
	if t, err := time.Parse(time.RFC3339, ts); err == nil {
		return t.UTC().Format(time.DateOnly)
	}
	return ts
}
