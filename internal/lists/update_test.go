package lists

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// published is the Last-Modified the test server sends.
var published = time.Date(2025, 12, 19, 10, 0, 0, 0, time.UTC)

// listServer serves the fixture files under their directory names; files
// overrides the body of some, status their HTTP status, and short makes a
// file's response end before its Content-Length.
type listServer struct {
	files  map[string][]byte
	status map[string]int
	short  map[string]bool
	hits   atomic.Int32
}

func newListServer(t *testing.T) (*listServer, *httptest.Server) {
	t.Helper()
	ls := &listServer{files: map[string][]byte{}, status: map[string]int{}, short: map[string]bool{}}
	for _, s := range Sources {
		b, err := os.ReadFile(filepath.Join(fixtureLists, s.File))
		if err != nil {
			t.Fatal(err)
		}
		ls.files[s.File] = b
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ls.hits.Add(1)
		name := strings.TrimPrefix(r.URL.Path, "/")
		if code := ls.status[name]; code != 0 {
			http.Error(w, "unavailable", code)
			return
		}
		body, ok := ls.files[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Last-Modified", published.Format(http.TimeFormat))
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		if ls.short[name] {
			w.Write(body[:len(body)/2]) // the connection closes early
			return
		}
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return ls, srv
}

// dirState is every file in dir with its bytes and mtime, to show that a
// failed Update left it as it was (and left no temporary files).
func dirState(t *testing.T, dir string) map[string]string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, de := range des {
		b, _ := os.ReadFile(filepath.Join(dir, de.Name()))
		fi, _ := de.Info()
		m[de.Name()] = string(b) + "@" + fi.ModTime().String()
	}
	return m
}

func TestUpdateInstallsAll(t *testing.T) {
	ls, srv := newListServer(t)
	dir := filepath.Join(t.TempDir(), "lists") // created by Update
	infos, err := Update(context.Background(), dir, UpdateOptions{Mirror: srv.URL, Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if n := ls.hits.Load(); n != int32(len(Sources)) {
		t.Errorf("%d requests, want %d", n, len(Sources))
	}
	var got []string
	for name := range dirState(t, dir) {
		got = append(got, name)
	}
	slices.Sort(got)
	want := append(setFiles(SetSDN), ManifestName)
	want = append(append(want, setFiles(SetNonSDN)...), setFiles(SetCSL)...)
	slices.Sort(want)
	eqs(t, "files in dir (no temporary files left)", got, want)
	for _, s := range Sources {
		b, _ := os.ReadFile(filepath.Join(dir, s.File))
		if !bytes.Equal(b, ls.files[s.File]) {
			t.Errorf("%s differs from what was served", s.File)
		}
		if fi, _ := os.Stat(filepath.Join(dir, s.File)); fi.Mode().Perm() != 0o644 {
			t.Errorf("%s mode %v, want 0644", s.File, fi.Mode().Perm())
		}
	}

	// Update verified with the loaders: its ListInfo is what LoadDir sees
	// for each set alone (the CSL here keeps its SDN rows: 19 entries).
	if len(infos) != 3 {
		t.Fatalf("infos = %+v", infos)
	}
	eq(t, "SDN entries", infos[0].Entries, 7)
	eq(t, "SDN snapshot from Last-Modified", infos[0].Snapshot, "2025-12-19")
	eq(t, "non-SDN entries", infos[1].Entries, 8)
	eq(t, "CSL entries", infos[2].Entries, 19)
	eq(t, "CSL file", infos[2].Files[0], filepath.Join(dir, "consolidated.csv"))
	c := load(t, dir)
	for i, li := range c.Lists {
		eq(t, li.ID+" SHA256", li.SHA256, infos[i].SHA256)
	}
	eq(t, "loaded entries", len(c.Entries), 26)
}

func TestUpdateReplacesCurrentFiles(t *testing.T) {
	ls, srv := newListServer(t)
	// The directory holds the same lists under other names: the shared
	// snapshot's compressed CSL and upper-case OFAC names.
	rename := map[string]string{"consolidated.csv": "consolidated.csv.gz", "sdn.csv": "SDN.CSV"}
	dir := copyFixtures(t, rename)
	// One more alias in the new alt.csv.
	ls.files["alt.csv"] = append(bytes.TrimSuffix(ls.files["alt.csv"], []byte("\x1a")),
		[]byte("35096,99999,\"aka\",\"PUTIN, V. V.\",-0- \r\n\x1a")...)
	// BaseURLs per file, keys matched case-insensitively.
	urls := map[string]string{}
	for _, s := range Sources {
		urls[strings.ToUpper(s.File)] = srv.URL + "/" + s.File
	}
	if _, err := Update(context.Background(), dir, UpdateOptions{BaseURLs: urls}); err != nil {
		t.Fatal(err)
	}
	state := dirState(t, dir)
	if _, ok := state["consolidated.csv.gz"]; ok {
		t.Error("consolidated.csv.gz left beside the new consolidated.csv")
	}
	if _, ok := state["SDN.CSV"]; !ok {
		t.Errorf("SDN.CSV not kept under its name: %v", slices.Collect(func(yield func(string) bool) {
			for k := range state {
				yield(k)
			}
		}))
	}
	if len(state) != len(Sources)+1 {
		t.Errorf("%d files in dir, want %d and the manifest", len(state), len(Sources))
	}
	putin := find(t, load(t, dir), "SDN", "35096")
	eqs(t, "Aliases", putin.Aliases, []string{"PUTIN, Vladimir", "PUTIN, V. V."})
}

func TestUpdateFailureLeavesOldFiles(t *testing.T) {
	sdnRows := func(b []byte, keep int) []byte { // the first keep records of an OFAC file
		lines := bytes.SplitAfter(b, []byte("\r\n"))
		return append(bytes.Join(lines[:keep], nil), 0x1a)
	}
	tests := []struct {
		name  string
		setup func(ls *listServer)
		opts  func(o *UpdateOptions)
		want  string
	}{
		{"HTTP 500", func(ls *listServer) { ls.status["alt.csv"] = 500 }, nil, "downloading alt.csv: GET"},
		{"HTTP 404", func(ls *listServer) { delete(ls.files, "cons_comments.csv") }, nil, "404 Not Found"},
		{"truncated transfer", func(ls *listServer) { ls.short["add.csv"] = true }, nil, "downloading add.csv"},
		{"broken CSV", func(ls *listServer) {
			ls.files["sdn.csv"] = bytes.Replace(ls.files["sdn.csv"], []byte(`"MAR AZUL"`), []byte(`"MAR "AZUL"`), 1)
		}, nil, "sdn.csv (from http"},
		{"HTML instead of CSV", func(ls *listServer) {
			ls.files["consolidated.csv"] = []byte("<!DOCTYPE html><html><body>Maintenance</body></html>\n")
		}, nil, `no "_id" column`},
		{"empty CSL", func(ls *listServer) {
			ls.files["consolidated.csv"] = ls.files["consolidated.csv"][:bytes.IndexByte(ls.files["consolidated.csv"], '\n')+1]
		}, nil, "no records"},
		{"more than 50% fewer entries", func(ls *listServer) {
			ls.files["sdn.csv"] = sdnRows(ls.files["sdn.csv"], 3)
		}, nil, "entries drops from 7 to 3"},
		{"too large", nil, func(o *UpdateOptions) { o.MaxBytes = 4000 }, "more than the 4000"},
		{"unknown set", nil, func(o *UpdateOptions) { o.Sets = []string{"eu"} }, `unknown list set "eu"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ls, srv := newListServer(t)
			if tt.setup != nil {
				tt.setup(ls)
			}
			dir := copyFixtures(t, nil)
			load(t, dir) // a manifest, which must stay as it is too
			before := dirState(t, dir)
			opts := UpdateOptions{Mirror: srv.URL}
			if tt.opts != nil {
				tt.opts(&opts)
			}
			_, err := Update(context.Background(), dir, opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if after := dirState(t, dir); !mapsEqual(before, after) {
				t.Errorf("directory changed:\nbefore %v\nafter  %v", keys(before), keys(after))
			}
		})
	}
}

// The drop guard also watches single source lists and companion files.
func TestUpdateDropGuard(t *testing.T) {
	old := tally{
		entries: 1000,
		byList:  map[string]int{"EL": 300, "FSE": 3},
		records: map[string]int{"sdn.csv": 1000, "add.csv": 1500, "sdn_comments.csv": 21},
	}
	tests := []struct {
		name    string
		entries int
		by      map[string]int
		records map[string]int
		want    string
	}{
		{"steady", 990, map[string]int{"EL": 310, "FSE": 3}, map[string]int{"sdn.csv": 990, "add.csv": 1490, "sdn_comments.csv": 20}, ""},
		{"small lists and comments may swing", 1000, map[string]int{"EL": 300, "FSE": 0}, map[string]int{"sdn.csv": 1000, "add.csv": 1500, "sdn_comments.csv": 2}, ""},
		{"one list halves", 900, map[string]int{"EL": 100, "FSE": 3}, map[string]int{"sdn.csv": 900, "add.csv": 1500}, "EL entries drops from 300 to 100"},
		{"addresses vanish", 1000, map[string]int{"EL": 300, "FSE": 3}, map[string]int{"sdn.csv": 1000, "add.csv": 0}, "add.csv records drops from 1500 to 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cur := tally{entries: tt.entries, byList: tt.by, records: tt.records}
			err := compare(SetSDN, old, cur, DefaultUpdateMaxShrink, "the files in dir")
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// A failure after some files were renamed into place puts the old ones back.
func TestUpdateRollsBackPartialInstall(t *testing.T) {
	ls, srv := newListServer(t)
	// Serve a changed sdn.csv, so that a missed rollback shows.
	ls.files["sdn.csv"] = bytes.Replace(ls.files["sdn.csv"], []byte(`"MAR AZUL"`), []byte(`"MAR AZUL II"`), 1)
	dir := copyFixtures(t, nil, setFiles(SetSDN)...)
	// cons_prim.csv is a directory: the SDN files are installed first, then
	// backing up cons_prim.csv fails.
	if err := os.Mkdir(filepath.Join(dir, "cons_prim.csv"), 0o755); err != nil {
		t.Fatal(err)
	}
	before := dirState(t, dir)
	_, err := Update(context.Background(), dir, UpdateOptions{Mirror: srv.URL, Sets: []string{SetSDN, SetNonSDN}})
	if err == nil || !strings.Contains(err.Error(), "cons_prim.csv") {
		t.Fatalf("err = %v, want a failure on cons_prim.csv", err)
	}
	if after := dirState(t, dir); !mapsEqual(before, after) {
		t.Errorf("directory changed:\nbefore %v\nafter  %v", keys(before), keys(after))
	}
}

func TestUpdateCanceled(t *testing.T) {
	_, srv := newListServer(t)
	dir := copyFixtures(t, nil)
	before := dirState(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Update(ctx, dir, UpdateOptions{Mirror: srv.URL}); err == nil {
		t.Fatal("no error")
	}
	if after := dirState(t, dir); !mapsEqual(before, after) {
		t.Errorf("directory changed: %v", keys(after))
	}
}

func TestSourcesTable(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range Sources {
		if seen[s.File] || s.File != strings.ToLower(s.File) || !strings.HasPrefix(s.URL, "https://") {
			t.Errorf("bad source %+v", s)
		}
		seen[s.File] = true
		if _, ok := setNames[s.Set]; !ok {
			t.Errorf("unknown set in %+v", s)
		}
	}
	for _, set := range setOrder {
		if n := len(setFiles(set)); n == 0 {
			t.Errorf("set %s has no files", set)
		}
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
