package lists

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// cutCSL rewrites dir's consolidated.csv as its header and first keep rows,
// cut at the byte where row keep ends: what a transfer that stopped at a
// line end, or a hand edit, leaves.
func cutCSL(t *testing.T, dir string, keep int) {
	t.Helper()
	path := filepath.Join(dir, "consolidated.csv")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(b))
	for range keep + 1 {
		if _, err := r.Read(); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(path, b[:r.InputOffset()], 0o644); err != nil {
		t.Fatal(err)
	}
}

// loadErr loads dir with opts and returns the error, which must be one.
func loadErr(t *testing.T, dir string, opts Options) error {
	t.Helper()
	_, err := LoadDir(context.Background(), dir, opts)
	if err == nil {
		t.Fatal("loaded; want an error")
	}
	return err
}

func readManifestFile(t *testing.T, dir string) *manifest {
	t.Helper()
	m, err := readManifest(dir)
	if err != nil || m == nil {
		t.Fatalf("manifest: %v, %v", m, err)
	}
	return m
}

// A CSL cut at a row boundary parses; only the manifest's count shows that
// rows are gone.
func TestShrinkGuardRefusesCutCSL(t *testing.T) {
	for _, tt := range []struct {
		name string
		keep int
	}{
		{"cut to half its rows", 9},
		{"reduced to one row", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyFixtures(t, nil)
			load(t, dir) // records the manifest
			cutCSL(t, dir, tt.keep)
			err := loadErr(t, dir, Options{})
			if !errors.Is(err, ErrShrunk) {
				t.Errorf("err = %v, want ErrShrunk", err)
			}
			for _, want := range []string{"trade.gov CSL", "entries fell from 19 to " + strconv.Itoa(tt.keep), "lists update --lists " + dir, "lists info --accept"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("err = %v\nwant it to say %q", err, want)
				}
			}
			// Refused every time, not just once.
			if err := loadErr(t, dir, Options{}); !errors.Is(err, ErrShrunk) {
				t.Errorf("second load: err = %v, want ErrShrunk", err)
			}
		})
	}
}

// Within the allowed share the load goes through and the manifest follows.
func TestShrinkGuardAllowsSmallChange(t *testing.T) {
	dir := copyFixtures(t, nil)
	load(t, dir)
	cutCSL(t, dir, 17) // 19 -> 17: about 10% fewer
	csl := info(t, load(t, dir), SetCSL)
	if csl.Manifest.Status != ManifestUpdated || csl.Manifest.Recorded != 19 || csl.Manifest.Counted != 17 {
		t.Errorf("Manifest = %+v, want updated 19 -> 17", csl.Manifest)
	}
	eq(t, "recorded entries", readManifestFile(t, dir).Sets[SetCSL].Entries, 17)

	// A larger share lets more through; a smaller one refuses this much.
	cutCSL(t, dir, 12) // 17 -> 12: 29% fewer
	if _, err := LoadDir(context.Background(), dir, Options{MaxShrink: 0.3}); err != nil {
		t.Errorf("MaxShrink 0.3: %v", err)
	}
	dir2 := copyFixtures(t, nil)
	load(t, dir2)
	cutCSL(t, dir2, 17)
	if err := loadErr(t, dir2, Options{MaxShrink: 0.05}); !errors.Is(err, ErrShrunk) || !strings.Contains(err.Error(), "more than 5% fewer") {
		t.Errorf("MaxShrink 0.05: err = %v", err)
	}
	if err := loadErr(t, dir2, Options{MaxShrink: 1.5}); !strings.Contains(err.Error(), "MaxShrink") {
		t.Errorf("MaxShrink 1.5: err = %v", err)
	}
}

// The guard at the load default watches single lists and main files too.
func TestShrinkageAtLoadDefault(t *testing.T) {
	before := tally{entries: 1000, byList: map[string]int{"EL": 300, "FSE": 3},
		records: map[string]int{"sdn.csv": 1000, "alt.csv": 400, "sdn_comments.csv": 21}}
	for _, tt := range []struct {
		name  string
		after tally
		want  string
	}{
		{"steady", tally{980, map[string]int{"EL": 290, "FSE": 3}, map[string]int{"sdn.csv": 980, "alt.csv": 390, "sdn_comments.csv": 3}}, ""},
		{"entries", tally{700, map[string]int{"EL": 290}, map[string]int{"sdn.csv": 700, "alt.csv": 390}}, "entries"},
		{"Entity List rows gone", tally{900, map[string]int{"EL": 200, "FSE": 3}, map[string]int{"sdn.csv": 900, "alt.csv": 400}}, "EL entries"},
		{"aliases cut", tally{1000, map[string]int{"EL": 300}, map[string]int{"sdn.csv": 1000, "alt.csv": 200}}, "alt.csv records"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			what, _, _, shrank := shrinkage(SetSDN, before, tt.after, DefaultLoadMaxShrink)
			if what != tt.want || shrank != (tt.want != "") {
				t.Errorf("shrinkage = %q, %v; want %q", what, shrank, tt.want)
			}
		})
	}
}

// Replacing lists on purpose: Accept records them, and so does deleting
// the manifest.
func TestManifestAccept(t *testing.T) {
	dir := copyFixtures(t, nil)
	load(t, dir)
	cutCSL(t, dir, 1)
	loadErr(t, dir, Options{})

	c, err := LoadDir(context.Background(), dir, Options{Accept: true})
	if err != nil {
		t.Fatal(err)
	}
	if m := info(t, c, SetCSL).Manifest; m.Status != ManifestAccepted || m.Recorded != 19 || m.Counted != 1 {
		t.Errorf("Manifest = %+v, want accepted 19 -> 1", m)
	}
	if m := info(t, c, SetSDN).Manifest; m.Status != ManifestUnchanged {
		t.Errorf("SDN Manifest = %+v, want unchanged", m)
	}
	if m := info(t, load(t, dir), SetCSL).Manifest; m.Status != ManifestUnchanged {
		t.Errorf("after accepting: %+v, want unchanged", m)
	}

	dir2 := copyFixtures(t, nil)
	load(t, dir2)
	cutCSL(t, dir2, 1)
	if err := os.Remove(filepath.Join(dir2, ManifestName)); err != nil {
		t.Fatal(err)
	}
	if m := info(t, load(t, dir2), SetCSL).Manifest; m.Status != ManifestRecorded || m.Counted != 1 {
		t.Errorf("after deleting the manifest: %+v, want recorded", m)
	}
}

// What the manifest holds, and that it is written whole: a new file renamed
// over the old one, never the old one rewritten in place.
func TestManifestWrittenAtomically(t *testing.T) {
	dir := copyFixtures(t, nil)
	now := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	c, err := LoadDir(context.Background(), dir, Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	for _, li := range c.Lists {
		if li.Manifest.Status != ManifestRecorded || li.Manifest.Seen != "2026-01-05T10:00:00Z" {
			t.Errorf("%s: Manifest = %+v, want recorded now", li.ID, li.Manifest)
		}
	}
	m := readManifestFile(t, dir)
	eq(t, "version", m.Version, 1)
	for set, want := range map[string]int{SetSDN: 7, SetNonSDN: 8, SetCSL: 19} {
		rec := m.Sets[set]
		if rec == nil {
			t.Fatalf("no %s record", set)
		}
		eq(t, set+" entries", rec.Entries, want)
		eq(t, set+" seen", rec.Seen, "2026-01-05T10:00:00Z")
		eq(t, set+" sha256", rec.SHA256, info(t, c, set).SHA256)
		eq(t, set+" files", len(rec.Files), len(setFiles(set)))
		for _, f := range rec.Files {
			b, err := os.ReadFile(filepath.Join(dir, f.Name))
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(b)
			eq(t, f.Name+" sha256", f.SHA256, hex.EncodeToString(sum[:]))
			if f.Records <= 0 {
				t.Errorf("%s: %d records", f.Name, f.Records)
			}
		}
	}
	eq(t, "CSL EL rows", m.Sets[SetCSL].ByList["EL"], 6)
	eq(t, "CSL SDN rows (left out, still counted)", m.Sets[SetCSL].ByList["SDN"], 2)

	// A second name for the manifest keeps the old bytes when a load
	// records a change: the new manifest is a new file.
	old := filepath.Join(t.TempDir(), "old.json")
	if err := os.Link(filepath.Join(dir, ManifestName), old); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(old)
	alt := filepath.Join(dir, "alt.csv")
	b, _ := os.ReadFile(alt)
	os.WriteFile(alt, append(bytes.TrimSuffix(b, []byte("\x1a")), []byte("35096,99999,\"aka\",\"PUTIN, V. V.\",-0- \r\n\x1a")...), 0o644)
	if m := info(t, load(t, dir), SetSDN).Manifest; m.Status != ManifestUpdated {
		t.Errorf("SDN Manifest = %+v, want updated", m)
	}
	if after, _ := os.ReadFile(old); !bytes.Equal(before, after) {
		t.Error("the old manifest was rewritten in place")
	}
	if now, _ := os.ReadFile(filepath.Join(dir, ManifestName)); bytes.Equal(before, now) {
		t.Error("the manifest did not record the change")
	}
	for name := range dirState(t, dir) {
		if strings.HasSuffix(name, ".part") {
			t.Errorf("temporary file %s left behind", name)
		}
	}
}

// A read-only directory still loads: the manifest is not written and the
// Corpus says so. An existing manifest still guards it.
func TestManifestReadOnlyDir(t *testing.T) {
	dir := copyFixtures(t, nil)
	readOnly := func() {
		t.Helper()
		if err := os.Chmod(dir, 0o555); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })

	readOnly()
	c := load(t, dir)
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "read-only") || !strings.Contains(c.Warnings[0], ManifestName) {
		t.Errorf("Warnings = %q, want one saying the manifest was not written", c.Warnings)
	}
	for _, li := range c.Lists {
		if li.Manifest.Status != ManifestNotSaved {
			t.Errorf("%s: Manifest = %+v, want not_saved", li.ID, li.Manifest)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ManifestName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("manifest written into a read-only directory: %v", err)
	}
	if err := loadErr(t, dir, Options{Accept: true}); !strings.Contains(err.Error(), "cannot accept") {
		t.Errorf("Accept in a read-only directory: err = %v", err)
	}

	os.Chmod(dir, 0o755)
	load(t, dir)
	cutCSL(t, dir, 9)
	readOnly()
	if err := loadErr(t, dir, Options{}); !errors.Is(err, ErrShrunk) {
		t.Errorf("read-only, CSL halved: err = %v, want ErrShrunk", err)
	}
	// Unchanged lists load without a word.
	os.Chmod(dir, 0o755)
	load(t, dir, SetSDN) // the SDN record stays as it was
	readOnly()
	if c, err := LoadDir(context.Background(), dir, Options{Only: []string{SetSDN}}); err != nil || len(c.Warnings) != 0 {
		t.Errorf("read-only, unchanged: %v, warnings %q", err, c.Warnings)
	}
}

// A manifest that cannot be read stops the load; Accept replaces it.
func TestManifestUnreadable(t *testing.T) {
	for _, content := range []string{"{", `{"version": 9, "sets": {}}`, `{"version": 1}`} {
		dir := copyFixtures(t, nil)
		os.WriteFile(filepath.Join(dir, ManifestName), []byte(content), 0o644)
		err := loadErr(t, dir, Options{})
		if !strings.Contains(err.Error(), ManifestName) || !strings.Contains(err.Error(), "lists update") {
			t.Errorf("%s: err = %v", content, err)
		}
		if _, err := LoadDir(context.Background(), dir, Options{Accept: true}); err != nil {
			t.Errorf("%s: Accept: %v", content, err)
		}
		readManifestFile(t, dir)
	}
}

// A load of some sets leaves the records of the others alone.
func TestManifestKeepsOtherSets(t *testing.T) {
	dir := copyFixtures(t, nil)
	load(t, dir, SetCSL)
	m := readManifestFile(t, dir)
	if len(m.Sets) != 1 || m.Sets[SetCSL] == nil {
		t.Fatalf("sets = %v, want csl alone", m.Sets)
	}
	c := load(t, dir)
	eq(t, "CSL", info(t, c, SetCSL).Manifest.Status, ManifestUnchanged)
	eq(t, "SDN", info(t, c, SetSDN).Manifest.Status, ManifestRecorded)
	eq(t, "sets recorded", len(readManifestFile(t, dir).Sets), 3)
}

// lists update writes the manifest with the files; a failed update leaves
// it as it was (TestUpdateFailureLeavesOldFiles), and a download is checked
// against it when the current files cannot be loaded.
func TestUpdateWritesManifest(t *testing.T) {
	ls, srv := newListServer(t)
	dir := t.TempDir()
	if _, err := Update(context.Background(), dir, UpdateOptions{Mirror: srv.URL}); err != nil {
		t.Fatal(err)
	}
	m := readManifestFile(t, dir)
	eq(t, "SDN entries", m.Sets[SetSDN].Entries, 7)
	eq(t, "SDN snapshot (Last-Modified)", m.Sets[SetSDN].Snapshot, "2025-12-19")
	for _, li := range load(t, dir).Lists {
		eq(t, li.ID+" status after update", li.Manifest.Status, ManifestUnchanged)
	}

	// The current sdn.csv is broken, so the manifest is the baseline.
	os.WriteFile(filepath.Join(dir, "sdn.csv"), []byte("broken"), 0o644)
	b := ls.files["sdn.csv"]
	lines := bytes.SplitAfter(b, []byte("\r\n"))
	ls.files["sdn.csv"] = append(bytes.Join(lines[:3], nil), 0x1a)
	_, err := Update(context.Background(), dir, UpdateOptions{Mirror: srv.URL})
	if err == nil || !strings.Contains(err.Error(), "entries drops from 7 to 3") || !strings.Contains(err.Error(), ManifestName) {
		t.Errorf("err = %v, want the drop against the manifest", err)
	}
}

// A copy that resets the OFAC files' times keeps the date the manifest
// recorded for the same files.
func TestSnapshotFromManifest(t *testing.T) {
	dir := copyFixtures(t, nil)
	published := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	os.Chtimes(filepath.Join(dir, "sdn.csv"), published, published)
	load(t, dir)
	later := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	os.Chtimes(filepath.Join(dir, "sdn.csv"), later, later)
	now := func() time.Time { return time.Date(2025, 3, 2, 12, 0, 0, 0, time.UTC) }
	c, err := LoadDir(context.Background(), dir, Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	sdn := info(t, c, SetSDN)
	eq(t, "snapshot", sdn.Snapshot, "2025-01-06")
	eq(t, "age", sdn.AgeDays, 55)
}

func TestManifestJSONShape(t *testing.T) {
	// The file is for people too: indented, with the documented keys.
	dir := copyFixtures(t, nil)
	load(t, dir)
	b, _ := os.ReadFile(filepath.Join(dir, ManifestName))
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"version", "written", "sets"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("no %q key", k)
		}
	}
	if !bytes.Contains(b, []byte("\n  \"sets\": {")) {
		t.Errorf("not indented:\n%s", b)
	}
}
