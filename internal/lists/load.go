package lists

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
}

// setResult is one loaded set before it joins the Corpus.
type setResult struct {
	entries []Entry
	info    ListInfo
	records map[string]int // records read per file (canonical name), for Update's drop guard
}

// LoadDir loads every list it finds in dir: the trade.gov CSL
// (consolidated.csv, or consolidated.csv.gz), the OFAC SDN legacy set
// (sdn.csv + add.csv + alt.csv + sdn_comments.csv) and the OFAC
// consolidated non-SDN set (cons_prim.csv + cons_add.csv + cons_alt.csv +
// cons_comments.csv). File names match case-insensitively. A directory with
// none of them, a set with a file missing, or any file that does not parse
// is an error: the corpus is complete or not returned at all.
//
// Where the OFAC files are loaded, the CSL's copies of the same lists (SDN;
// SSI, FSE, PLC, CAP, CMIC, MBS) are left out and counted in the CSL's
// ListInfo.Skipped: OFAC's files are the source the CSL is built from.
func LoadDir(ctx context.Context, dir string, opts Options) (*Corpus, error) {
	found, err := scanDir(dir)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("%s: no list files (expected consolidated.csv[.gz], sdn.csv + add.csv + alt.csv + sdn_comments.csv, or cons_prim.csv + cons_add.csv + cons_alt.csv + cons_comments.csv)", dir)
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

	c := &Corpus{}
	n := 0
	for _, r := range results {
		n += len(r.entries)
	}
	c.Entries = make([]Entry, 0, n)
	for _, set := range setOrder {
		if r, ok := results[set]; ok {
			c.Entries = append(c.Entries, r.entries...)
			c.Lists = append(c.Lists, r.info)
		}
	}
	return c, nil
}

// scanDir finds the list files in dir, by set, in setFiles order. A set of
// which only some files are present is an error naming the missing ones.
func scanDir(dir string) (map[string][]string, error) {
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
	for _, set := range setOrder {
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
			return nil, fmt.Errorf("%s: %s list incomplete: %s present but %s missing", dir, setNames[set], fileNames(paths), strings.Join(missing, ", "))
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
		data[i] = b
	}
	var (
		res *setResult
		err error
	)
	switch set {
	case SetCSL:
		res, err = loadCSL(ctx, paths[0], data[0], lookup, skip)
	case SetSDN, SetNonSDN:
		res, err = loadOFAC(ctx, set, paths, data, lookup)
	default:
		err = errors.New("unknown list set " + set)
	}
	if err != nil {
		return nil, err
	}
	res.info.SHA256 = hex.EncodeToString(h.Sum(nil))
	// The OFAC legacy files carry no publication date, so their snapshot is
	// the primary file's modification time (Update sets it from the
	// server's Last-Modified). The CSL's is its newest start_date.
	if res.info.Snapshot == "" && !modTime.IsZero() {
		res.info.Snapshot = modTime.UTC().Format(time.DateOnly)
	}
	return res, nil
}
