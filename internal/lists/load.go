package lists

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Options control how list files are read.
type Options struct {
	// CountryCode maps a country name or code as the lists write it
	// ("China", "Korea, North", "Region: Crimea", "CN") to ISO-2; ok=false
	// if unknown. chipcheck builds it from rules/countries.yaml. It is called
	// from several goroutines at once. Nil leaves Entry.Countries empty.
	CountryCode func(name string) (code string, ok bool)

	// Only names the list sets to load (SetCSL, SetSDN, SetNonSDN). Empty
	// requires all three: a directory that lacks one is an error, because
	// screening without it misses every party only that set lists (the
	// Entity List, DPL, UVL and MEU are only in the CSL). When sets are
	// named, only those are loaded and any other list files in the
	// directory are ignored. The CLI flag is --lists-only csl,sdn.
	Only []string

	// MaxShrink is the share by which a set may fall below what the
	// directory's manifest (ManifestName) records before it is refused:
	// its entries, the records of an OFAC main file, or the entries of one
	// source list that had at least 20. 0 means DefaultLoadMaxShrink for
	// LoadDir and DefaultUpdateMaxShrink for Update; 1 turns the guard off.
	MaxShrink float64

	// Accept records the sets as loaded in the manifest even when they
	// fell by more than MaxShrink: the lists were replaced on purpose
	// (`chipcheck lists info --accept`). A manifest that cannot be written
	// is then an error rather than a warning.
	Accept bool

	// Now is the clock for snapshot ages and manifest times; nil means
	// time.Now.
	Now func() time.Time
}

// The shrink guard's defaults. A load refuses a set that fell by more than
// a fifth since the manifest recorded it: between two official releases
// the lists move by a few percent, and files that change outside `lists
// update` (copied, synced, edited) have had no other check. An update,
// which compares the download with the files it replaces, refuses a set
// that halved: the day in May 2024 the SDN and SSI rows vanished from the
// CSL was such a drop.
const (
	DefaultLoadMaxShrink   = 0.2
	DefaultUpdateMaxShrink = 0.5
)

// StaleAfterDays is the snapshot age, in days, past which callers warn that
// a list is out of date.
const StaleAfterDays = 30

// ErrIncomplete is wrapped by LoadDir's error when a list set it needs is
// not in the directory, or only some of a set's files are.
var ErrIncomplete = errors.New("lists incomplete")

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// sets returns the sets to load, in setOrder.
func (o Options) sets() ([]string, error) {
	if len(o.Only) == 0 {
		return setOrder, nil
	}
	for _, s := range o.Only {
		if _, ok := setNames[s]; !ok {
			return nil, fmt.Errorf("unknown list set %q (want %s, %s or %s)", s, SetCSL, SetSDN, SetNonSDN)
		}
	}
	var sets []string
	for _, s := range setOrder {
		if slices.Contains(o.Only, s) {
			sets = append(sets, s)
		}
	}
	return sets, nil
}

func (o Options) maxShrink(def float64) (float64, error) {
	switch {
	case o.MaxShrink == 0:
		return def, nil
	case o.MaxShrink < 0 || o.MaxShrink > 1 || math.IsNaN(o.MaxShrink):
		return 0, fmt.Errorf("MaxShrink %v: want a share between 0 and 1", o.MaxShrink)
	}
	return o.MaxShrink, nil
}

// setResult is one loaded set before it joins the Corpus.
type setResult struct {
	entries []Entry
	info    ListInfo
	records map[string]int // records read per file (canonical name), for the shrink guards
	// total and byList count the whole publication, with the rows left
	// out because OFAC's own files were loaded (Skipped) included, so that
	// the shrink guards see the same numbers whatever else was loaded.
	total  int
	byList map[string]int
	sums   []string // sha256 of each file, in info.Files order
}

// LoadDir loads the lists in dir: the trade.gov CSL (consolidated.csv, or
// consolidated.csv.gz), the OFAC SDN legacy set (sdn.csv + add.csv +
// alt.csv + sdn_comments.csv) and the OFAC consolidated non-SDN set
// (cons_prim.csv + cons_add.csv + cons_alt.csv + cons_comments.csv). File
// names match case-insensitively. All three sets are required unless
// opts.Only names the ones to use. A missing set, a set with a file
// missing, a file that does not parse or holds no records, and a set that
// fell by more than opts.MaxShrink below what the directory's manifest
// records are errors: the corpus is complete or not returned at all.
//
// A successful load records the sets in the manifest when it holds no
// record of them or they changed; where the directory is read-only it
// says so in Corpus.Warnings and leaves the manifest as it is.
//
// Where the OFAC files are loaded, the CSL's copies of the same lists (SDN;
// SSI, FSE, PLC, CAP, CMIC, MBS) are left out and counted in the CSL's
// ListInfo.Skipped: OFAC's files are the source the CSL is built from.
func LoadDir(ctx context.Context, dir string, opts Options) (*Corpus, error) {
	sets, err := opts.sets()
	if err != nil {
		return nil, err
	}
	share, err := opts.maxShrink(DefaultLoadMaxShrink)
	if err != nil {
		return nil, err
	}
	found, err := scanDir(dir, sets)
	if err != nil {
		return nil, err
	}
	if err := missing(dir, sets, found); err != nil {
		return nil, err
	}
	man, err := readManifest(dir)
	if err != nil && !opts.Accept { // accepting replaces an unreadable manifest
		return nil, err
	}
	skip := map[string]string{}
	if _, ok := found[SetSDN]; ok {
		skip["SDN"] = "csl_sdn_superseded"
	}
	if _, ok := found[SetNonSDN]; ok {
		for code := range nonSDNLists {
			skip[code] = "csl_nonsdn_superseded"
		}
	}

	results := map[string]*setResult{}
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		first error
	)
	for set, paths := range found {
		wg.Go(func() {
			res, err := loadSet(ctx, set, paths, opts.CountryCode, skip)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if first == nil {
					first = err
				}
				return
			}
			results[set] = res
		})
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}

	now := opts.now()
	var loaded []*setResult
	for _, set := range setOrder {
		if r, ok := results[set]; ok {
			loaded = append(loaded, r)
		}
	}
	warnings, err := checkManifest(dir, man, loaded, share, opts.Accept, now)
	if err != nil {
		return nil, err
	}
	for _, r := range loaded {
		r.info.AgeDays = ageDays(r.info.Snapshot, now)
	}

	c := &Corpus{Warnings: warnings}
	n := 0
	for _, r := range loaded {
		n += len(r.entries)
	}
	c.Entries = make([]Entry, 0, n)
	for _, r := range loaded {
		c.Entries = append(c.Entries, r.entries...)
		c.Lists = append(c.Lists, r.info)
	}
	return c, nil
}

// missing reports the wanted sets dir does not hold, and how to get them.
func missing(dir string, sets []string, found map[string][]string) error {
	var absent []string
	for _, set := range sets {
		if _, ok := found[set]; !ok {
			files := strings.Join(setFiles(set), ", ")
			if set == SetCSL {
				files = "consolidated.csv or " + cslGzipName + "; the only source of the Entity List, DPL, UVL and MEU"
			}
			absent = append(absent, fmt.Sprintf("%s (%s)", setNames[set], files))
		}
	}
	if len(absent) == 0 {
		return nil
	}
	what := "missing"
	if len(found) == 0 {
		what = "no list files; missing"
	}
	return fmt.Errorf("%s: %w: %s %s. Fetch every list with `chipcheck lists update --lists %s`, or name the lists to screen against with --lists-only (%s, %s, %s)",
		dir, ErrIncomplete, what, strings.Join(absent, "; "), dir, SetCSL, SetSDN, SetNonSDN)
}

// ageDays is the number of whole days from a YYYY-MM-DD snapshot date to
// now's date (UTC); a date after now counts as 0, an unknown date as -1.
func ageDays(snapshot string, now time.Time) int {
	d, err := time.Parse(time.DateOnly, snapshot)
	if err != nil {
		return -1
	}
	y, m, day := now.UTC().Date()
	today := time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
	return max(0, int(today.Sub(d).Hours()/24))
}

// scanDir finds the files of the wanted sets in dir, in setFiles order. A
// set of which only some files are present is an error naming the missing
// ones.
func scanDir(dir string, sets []string) (map[string][]string, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	known := map[string]bool{cslGzipName: true}
	for _, s := range Sources {
		known[s.File] = true
	}
	byName := map[string]string{} // canonical name -> file name as found
	for _, de := range des {
		if de.IsDir() {
			continue
		}
		lower := strings.ToLower(de.Name())
		if !known[lower] {
			continue
		}
		if prev, dup := byName[lower]; dup {
			return nil, fmt.Errorf("%s: both %s and %s present; keep one", dir, prev, de.Name())
		}
		byName[lower] = de.Name()
	}
	if gz, ok := byName[cslGzipName]; ok {
		if plain, ok := byName["consolidated.csv"]; ok {
			return nil, fmt.Errorf("%s: both %s and %s present; keep one", dir, plain, gz)
		}
		byName["consolidated.csv"] = gz
	}
	found := map[string][]string{}
	for _, set := range sets {
		var paths, missing []string
		for _, name := range setFiles(set) {
			if actual, ok := byName[name]; ok {
				paths = append(paths, filepath.Join(dir, actual))
			} else {
				missing = append(missing, name)
			}
		}
		switch {
		case len(paths) == 0:
		case len(missing) > 0:
			return nil, fmt.Errorf("%s: %w: %s: %s present but %s missing", dir, ErrIncomplete, setNames[set], fileNames(paths), strings.Join(missing, ", "))
		default:
			found[set] = paths
		}
	}
	return found, nil
}

func fileNames(paths []string) string {
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = filepath.Base(p)
	}
	return strings.Join(names, ", ")
}

// loadSet reads the files of one set (paths in setFiles order) and parses
// them. The hash covers the bytes as stored, so a compressed CSL hashes
// differently from the same CSL uncompressed.
func loadSet(ctx context.Context, set string, paths []string, lookup func(string) (string, bool), skip map[string]string) (*setResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data := make([][]byte, len(paths))
	sums := make([]string, len(paths))
	h := sha256.New()
	var modTime time.Time
	for i, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			if fi, err := os.Stat(p); err == nil {
				modTime = fi.ModTime()
			}
		}
		h.Write(b)
		sum := sha256.Sum256(b)
		sums[i] = hex.EncodeToString(sum[:])
		data[i] = b
	}
	var (
		res *setResult
		err error
	)
	switch set {
	case SetCSL:
		// A start date after the file was written is a listing announced
		// ahead of its effective date, not the snapshot date.
		notAfter := ""
		if !modTime.IsZero() {
			notAfter = modTime.UTC().Format(time.DateOnly)
		}
		res, err = loadCSL(ctx, paths[0], data[0], lookup, skip, notAfter)
	case SetSDN, SetNonSDN:
		res, err = loadOFAC(ctx, set, paths, data, lookup)
	default:
		err = errors.New("unknown list set " + set)
	}
	if err != nil {
		return nil, err
	}
	res.info.SHA256 = hex.EncodeToString(h.Sum(nil))
	res.sums = sums
	// The OFAC legacy files carry no publication date, so their snapshot is
	// the primary file's modification time (Update sets it from the
	// server's Last-Modified). The CSL's is its newest start_date.
	if res.info.Snapshot == "" && !modTime.IsZero() {
		res.info.Snapshot = modTime.UTC().Format(time.DateOnly)
	}
	return res, nil
}
