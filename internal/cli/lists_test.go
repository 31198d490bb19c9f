package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chipcheck/chipcheck/internal/lists"
	"github.com/chipcheck/chipcheck/internal/rules"
)

// The lists verbs against the fixture lists (fixtures/lists), as a user runs
// them: through Main, checking the JSON the contract promises
// (docs/decisions.md, lists search) and the exit codes. Nothing here
// touches the network: updates come from an httptest server.

// listsRun runs chipcheck with args and returns its exit code and output.
func listsRun(t *testing.T, stdin io.Reader, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Main(args, stdin, &out, &errOut)
	return code, out.String(), errOut.String()
}

// listsArgs is the lists verb with the repository's rules and, unless dir is
// empty, a lists directory.
func listsArgs(t *testing.T, dir string, args ...string) []string {
	t.Helper()
	a := append([]string{"lists"}, args...)
	a = append(a, "--rules", filepath.Join(repoRoot(t), "rules"))
	if dir != "" {
		a = append(a, "--lists", dir)
	}
	return a
}

func listsFixtures(t *testing.T) string {
	t.Helper()
	return filepath.Join(repoRoot(t), "fixtures", "lists")
}

// listsReviewThreshold is the shipped threshold hits must reach.
func listsReviewThreshold(t *testing.T) float64 {
	t.Helper()
	rs, err := rules.LoadDir(filepath.Join(repoRoot(t), "rules"))
	if err != nil {
		t.Fatal(err)
	}
	th, err := rs.Number("screening", "review_threshold")
	if err != nil {
		t.Fatal(err)
	}
	return th
}

// listsHit is a search hit with the fields docs/decisions.md names; decoding
// into raw messages first shows each field is present, not just zero.
type listsHit struct {
	Name      string   `json:"name"`
	List      string   `json:"list"`
	Score     float64  `json:"score"`
	ID        string   `json:"id"`
	Matched   string   `json:"matched"`
	Countries []string `json:"countries"`
}

var listsHitFields = []string{"name", "list", "score", "id", "matched", "countries"}

// listsDecodeHits checks that raw is a JSON array of hits carrying every
// contract field, best first, each at or above the review threshold.
func listsDecodeHits(t *testing.T, raw []byte, threshold float64) []listsHit {
	t.Helper()
	var fields []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		t.Fatalf("hits are not a JSON array: %v\n%s", err, raw)
	}
	if fields == nil {
		t.Fatalf("hits are null, want an array: %s", raw)
	}
	var hits []listsHit
	if err := json.Unmarshal(raw, &hits); err != nil {
		t.Fatalf("hits: %v\n%s", err, raw)
	}
	for i, f := range fields {
		for _, k := range listsHitFields {
			if v, ok := f[k]; !ok || string(v) == "null" {
				t.Errorf("hit %d: field %q missing or null: %s", i, k, raw)
			}
		}
		h := hits[i]
		if h.Score < threshold || h.Score > 1 {
			t.Errorf("hit %d (%s %s): score %v outside [%v, 1]", i, h.List, h.ID, h.Score, threshold)
		}
		if i > 0 && h.Score > hits[i-1].Score {
			t.Errorf("hit %d scores %v, above hit %d's %v: not best first", i, h.Score, i-1, hits[i-1].Score)
		}
	}
	return hits
}

func listsHitKeys(hits []listsHit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.List+":"+h.ID)
	}
	return out
}

func TestListsSearchJSON(t *testing.T) {
	threshold := listsReviewThreshold(t)
	for _, tc := range []struct {
		name, query string
		extra       []string
		first       string   // list:id of the best hit; "" for no hits
		also        []string // list:id that must be among the hits too
	}{
		// The CMIC and Entity List rows both publish this exact name.
		{name: "exact name", query: "HUAWEI TECHNOLOGIES CO., LTD.", first: "CMIC:30947", also: []string{"EL:5a0e0f67bbbc0e2eda6f6c70be08c1e3f2d86b35"}},
		{name: "word order and case", query: "vladimir vladimirovich putin", extra: []string{"--country", "ru"}, first: "SDN:35096"},
		// The EL row gives SMIC as an alias; the CMIC row's name abbreviates to it.
		{name: "acronym", query: "SMIC", first: "EL:b5742a3c32a3fa5e6148f1f3bcc310fd94446339", also: []string{"CMIC:30951"}},
		{name: "unrelated name", query: "Acme Widgets GmbH"},
		{name: "unrelated with country", query: "Bavarian Precision Optics", extra: []string{"--country", "DE"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := listsArgs(t, listsFixtures(t), append([]string{"search", tc.query, "-o", "json"}, tc.extra...)...)
			code, stdout, stderr := listsRun(t, nil, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			hits := listsDecodeHits(t, []byte(stdout), threshold)
			if tc.first == "" {
				if strings.TrimSpace(stdout) != "[]" {
					t.Errorf("got %q, want []", stdout)
				}
				return
			}
			keys := listsHitKeys(hits)
			if len(keys) == 0 || keys[0] != tc.first {
				t.Fatalf("hits %v, want %s first", keys, tc.first)
			}
			for _, k := range tc.also {
				if !slices.Contains(keys, k) {
					t.Errorf("hits %v, want %s among them", keys, k)
				}
			}
		})
	}
}

// The review threshold is what cuts the hits: with a copy of the rules at a
// lower threshold the same search finds more, and the shipped threshold
// keeps exactly those of them at or above it.
func TestListsSearchThreshold(t *testing.T) {
	shipped := listsReviewThreshold(t)
	rulesDir := t.TempDir()
	src := filepath.Join(repoRoot(t), "rules")
	des, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, de := range des {
		b, err := os.ReadFile(filepath.Join(src, de.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if de.Name() == "screening.yaml" {
			b = regexp.MustCompile(`(?m)^review_threshold: .*$`).ReplaceAll(b, []byte("review_threshold: 0.5"))
		}
		if err := os.WriteFile(filepath.Join(rulesDir, de.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	search := func(rules string, threshold float64) []listsHit {
		t.Helper()
		args := []string{"lists", "search", "HUAWEI TECHNOLOGIES CO., LTD.", "-o", "json", "--rules", rules, "--lists", listsFixtures(t)}
		code, stdout, stderr := listsRun(t, nil, args...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		return listsDecodeHits(t, []byte(stdout), threshold)
	}
	low, hits := search(rulesDir, 0.5), search(src, shipped)
	var want []string
	for _, h := range low {
		if h.Score >= shipped {
			want = append(want, h.List+":"+h.ID)
		}
	}
	if got := listsHitKeys(hits); !slices.Equal(got, want) || len(low) == len(hits) {
		t.Errorf("at %v: %v; at 0.5: %v; want those of the latter at or above %v, and fewer", shipped, got, listsHitKeys(low), shipped)
	}
}

func TestListsSearchBatchJSONL(t *testing.T) {
	threshold := listsReviewThreshold(t)
	csvText := "name,country\n" +
		"\"HUAWEI TECHNOLOGIES CO., LTD.\",CN\n" +
		"Acme Widgets GmbH,DE\n" +
		"\"PUTIN, Vladimir\",RU\n" +
		"Semiconductor Manufacturing International Corporation,\n"
	type query struct {
		Name    string `json:"name"`
		Country string `json:"country"`
	}
	want := []struct {
		q    query
		hits []string // list:id among the hits; none for no hits
	}{
		{query{"HUAWEI TECHNOLOGIES CO., LTD.", "CN"}, []string{"CMIC:30947", "EL:5a0e0f67bbbc0e2eda6f6c70be08c1e3f2d86b35"}},
		{query{"Acme Widgets GmbH", "DE"}, nil},
		{query{"PUTIN, Vladimir", "RU"}, []string{"SDN:35096"}},
		{query{"Semiconductor Manufacturing International Corporation", ""}, []string{"CMIC:30951", "EL:b5742a3c32a3fa5e6148f1f3bcc310fd94446339"}},
	}
	file := filepath.Join(t.TempDir(), "queries.csv")
	if err := os.WriteFile(file, []byte(csvText), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		batch string
		stdin io.Reader
	}{
		{"file", file, nil},
		{"stdin", "-", strings.NewReader(csvText)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := listsRun(t, tc.stdin, listsArgs(t, listsFixtures(t), "search", "--batch", tc.batch, "-o", "jsonl")...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
			if len(lines) != len(want) {
				t.Fatalf("%d lines, want one per query (%d):\n%s", len(lines), len(want), stdout)
			}
			for i, line := range lines {
				var r struct {
					Query query           `json:"query"`
					Hits  json.RawMessage `json:"hits"`
				}
				if err := json.Unmarshal([]byte(line), &r); err != nil {
					t.Fatalf("line %d: %v: %s", i+1, err, line)
				}
				if r.Query != want[i].q {
					t.Errorf("line %d: query %+v, want %+v (queries out of order?)", i+1, r.Query, want[i].q)
				}
				keys := listsHitKeys(listsDecodeHits(t, r.Hits, threshold))
				if want[i].hits == nil && len(keys) != 0 {
					t.Errorf("line %d: hits %v, want none", i+1, keys)
				}
				for _, k := range want[i].hits {
					if !slices.Contains(keys, k) {
						t.Errorf("line %d: hits %v, want %s among them", i+1, keys, k)
					}
				}
			}
		})
	}
}

func TestListsSearchBatchBadCSV(t *testing.T) {
	for _, tc := range []struct {
		name, csv, wantLine string
	}{
		{"no name column", "company,country\nAcme Widgets GmbH,DE\n", ":1:"},
		{"empty name", "name,country\nAcme Widgets GmbH,DE\n,CN\n", ":3:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "queries.csv")
			if err := os.WriteFile(file, []byte(tc.csv), 0o644); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := listsRun(t, nil, listsArgs(t, listsFixtures(t), "search", "--batch", file, "-o", "jsonl")...)
			if code != 3 {
				t.Fatalf("exit %d, want 3; stderr %q", code, stderr)
			}
			if !strings.Contains(stderr, file+tc.wantLine) {
				t.Errorf("stderr %q does not name %s%s", stderr, file, tc.wantLine)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing: a bad batch is refused before any search", stdout)
			}
		})
	}
}

var (
	listsSHA256RE = regexp.MustCompile(`^[0-9a-f]{64}$`)
	listsDateRE   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// listsInfo runs lists info -o json on dir (with any extra flags) and
// checks each list's report.
func listsInfo(t *testing.T, dir string, extra ...string) map[string]lists.ListInfo {
	t.Helper()
	code, stdout, stderr := listsRun(t, nil, listsArgs(t, dir, append([]string{"info", "-o", "json"}, extra...)...)...)
	if code != 0 {
		t.Fatalf("lists info: exit %d: %s", code, stderr)
	}
	var infos []lists.ListInfo
	if err := json.Unmarshal([]byte(stdout), &infos); err != nil {
		t.Fatalf("lists info: %v\n%s", err, stdout)
	}
	byID := map[string]lists.ListInfo{}
	for _, l := range infos {
		byID[l.ID] = l
		if len(l.Files) == 0 {
			t.Errorf("%s: no files", l.ID)
		}
		for _, f := range l.Files {
			if _, err := os.Stat(f); err != nil {
				t.Errorf("%s: file %s: %v", l.ID, f, err)
			}
		}
		if !listsSHA256RE.MatchString(l.SHA256) {
			t.Errorf("%s: sha256 %q, want 64 hex digits", l.ID, l.SHA256)
		}
		if l.Entries <= 0 {
			t.Errorf("%s: %d entries", l.ID, l.Entries)
		}
		if !listsDateRE.MatchString(l.Snapshot) {
			t.Errorf("%s: snapshot %q, want YYYY-MM-DD", l.ID, l.Snapshot)
		}
	}
	return byID
}

func TestListsInfoJSON(t *testing.T) {
	infos := listsInfo(t, listsFixtures(t))
	// The fixtures hold all three publications; the OFAC sets have four files each.
	for id, files := range map[string]int{lists.SetSDN: 4, lists.SetNonSDN: 4, lists.SetCSL: 1} {
		l, ok := infos[id]
		if !ok {
			t.Errorf("no %s list in %v", id, slices.Collect(maps.Keys(infos)))
			continue
		}
		if len(l.Files) != files {
			t.Errorf("%s: files %v, want %d", id, l.Files, files)
		}
	}
}

// Every lists verb that reads lists refuses to run without a directory, and
// says how to give one.
func TestListsWithoutDir(t *testing.T) {
	rulesDir := filepath.Join(repoRoot(t), "rules")
	t.Setenv("CHIPCHECK_LISTS_DIR", "") // viper treats an empty variable as unset
	t.Chdir(t.TempDir())                // no chipcheck.yaml to supply lists.dir
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"search", []string{"search", "Huawei Technologies", "-o", "json"}, "--lists DIR"},
		{"batch", []string{"search", "--batch", "-", "-o", "jsonl"}, "--lists DIR"},
		{"info", []string{"info", "-o", "json"}, "--lists DIR"},
		{"update", []string{"update"}, "--lists DIR"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{"lists"}, tc.args...), "--rules", rulesDir)
			code, stdout, stderr := listsRun(t, strings.NewReader("name,country\nHuawei,CN\n"), args...)
			if code != 3 {
				t.Fatalf("exit %d, want 3; stderr %q", code, stderr)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q does not say %q", stderr, tc.want)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
		})
	}
}

// listsMirror serves the fixture list files under their directory names, as an
// internal mirror does; a file named in fail gets that HTTP status instead.
func listsMirror(t *testing.T, fail map[string]int) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	files := map[string][]byte{}
	for _, s := range lists.Sources {
		b, err := os.ReadFile(filepath.Join(listsFixtures(t), s.File))
		if err != nil {
			t.Fatal(err)
		}
		files[s.File] = b
	}
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		name := strings.TrimPrefix(r.URL.Path, "/")
		if code := fail[name]; code != 0 {
			http.Error(w, "unavailable", code)
			return
		}
		body, ok := files[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv, &requests
}

func TestListsUpdateInstalls(t *testing.T) {
	srv, requests := listsMirror(t, nil)
	dir := filepath.Join(t.TempDir(), "lists") // update creates it
	code, stdout, stderr := listsRun(t, nil, listsArgs(t, dir, "update", "--mirror", srv.URL)...)
	if code != 0 {
		t.Fatalf("lists update: exit %d: %s", code, stderr)
	}
	if int(requests.Load()) != len(lists.Sources) {
		t.Errorf("%d requests, want one per file (%d)", requests.Load(), len(lists.Sources))
	}
	for _, s := range lists.Sources {
		want, _ := os.ReadFile(filepath.Join(listsFixtures(t), s.File))
		got, err := os.ReadFile(filepath.Join(dir, s.File))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s not installed as served (err %v)", s.File, err)
		}
	}
	// The installed lists load, and hold what the fixtures hold.
	got, want := listsInfo(t, dir), listsInfo(t, listsFixtures(t))
	for id, w := range want {
		g := got[id]
		if g.SHA256 != w.SHA256 || g.Entries != w.Entries {
			t.Errorf("%s: installed sha256 %s, %d entries; fixtures %s, %d entries", id, g.SHA256, g.Entries, w.SHA256, w.Entries)
		}
		if !strings.Contains(stdout, w.Name) {
			t.Errorf("update output %q does not report %s", stdout, w.Name)
		}
	}
}

// A failed download installs nothing: the directory keeps its files, bytes
// and times, and no temporary file is left behind.
func TestListsUpdateFailureLeavesDir(t *testing.T) {
	all := map[string]int{}
	for _, s := range lists.Sources {
		all[s.File] = http.StatusInternalServerError
	}
	for _, tc := range []struct {
		name string
		fail map[string]int
	}{
		{"every file 500", all},
		{"one file 500", map[string]int{"alt.csv": http.StatusInternalServerError}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := listsMirror(t, tc.fail)
			dir := t.TempDir()
			old := time.Date(2024, 7, 2, 0, 0, 0, 0, time.UTC)
			for _, s := range lists.Sources {
				b, err := os.ReadFile(filepath.Join(listsFixtures(t), s.File))
				if err != nil {
					t.Fatal(err)
				}
				p := filepath.Join(dir, s.File)
				if err := os.WriteFile(p, b, 0o644); err != nil {
					t.Fatal(err)
				}
				// an old time, so a file reinstalled with the same bytes shows
				if err := os.Chtimes(p, old, old); err != nil {
					t.Fatal(err)
				}
			}
			before := listsDirState(t, dir)
			code, _, stderr := listsRun(t, nil, listsArgs(t, dir, "update", "--mirror", srv.URL)...)
			if code != 3 {
				t.Fatalf("exit %d, want 3; stderr %q", code, stderr)
			}
			if !strings.Contains(stderr, "500") || !strings.Contains(stderr, "unchanged") {
				t.Errorf("stderr %q should give the HTTP status and say the files are unchanged", stderr)
			}
			if after := listsDirState(t, dir); !maps.Equal(before, after) {
				t.Errorf("directory changed:\nbefore %v\nafter  %v", slices.Sorted(maps.Keys(before)), slices.Sorted(maps.Keys(after)))
			}
		})
	}
}

// listsDirState is every file in dir with its bytes and modification time.
func listsDirState(t *testing.T, dir string) map[string]string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, de := range des {
		b, err := os.ReadFile(filepath.Join(dir, de.Name()))
		if err != nil {
			t.Fatal(err)
		}
		fi, err := de.Info()
		if err != nil {
			t.Fatal(err)
		}
		m[de.Name()] = string(b) + "@" + fi.ModTime().UTC().String()
	}
	return m
}

// listsCopy copies the named fixture list files (all when none are named)
// into a new directory.
func listsCopy(t *testing.T, names ...string) string {
	t.Helper()
	if len(names) == 0 {
		for _, s := range lists.Sources {
			names = append(names, s.File)
		}
	}
	dir := t.TempDir()
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(listsFixtures(t), n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A directory without every list is refused, saying what is missing and
// how to go on; --lists-only names the lists to use instead.
func TestListsOnly(t *testing.T) {
	dir := listsCopy(t, "consolidated.csv")
	for _, verb := range [][]string{{"info", "-o", "json"}, {"search", "Huawei Technologies", "-o", "json"}} {
		code, stdout, stderr := listsRun(t, nil, listsArgs(t, dir, verb...)...)
		if code != 3 || stdout != "" {
			t.Fatalf("%s: exit %d, stdout %q; want 3 and nothing", verb[0], code, stdout)
		}
		for _, want := range []string{"OFAC SDN (sdn.csv", "missing", "chipcheck lists update --lists " + dir, "--lists-only"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("%s: stderr %q does not say %q", verb[0], stderr, want)
			}
		}
	}

	infos := listsInfo(t, dir, "--lists-only", "csl")
	if len(infos) != 1 || infos[lists.SetCSL].Entries != 19 {
		t.Errorf("--lists-only csl: %v, want the CSL alone with its 19 rows", infos)
	}
	code, stdout, stderr := listsRun(t, nil, listsArgs(t, dir, "search", "PUTIN, Vladimir Vladimirovich", "-o", "json", "--lists-only", "csl")...)
	if code != 0 || !strings.Contains(stdout, `"list":"SDN"`) {
		t.Errorf("search --lists-only csl: exit %d, %s %s; want the CSL's SDN row", code, stdout, stderr)
	}
	if code, _, stderr := listsRun(t, nil, listsArgs(t, dir, "info", "--lists-only", "csl,eu")...); code != 3 || !strings.Contains(stderr, `unknown list set "eu"`) {
		t.Errorf("--lists-only csl,eu: exit %d, %q", code, stderr)
	}
}

// lists info reports age and manifest status, warns about old lists, and
// refuses a list that shrank until --accept records it.
func TestListsInfoManifestAndAge(t *testing.T) {
	dir := listsCopy(t)
	first := listsInfo(t, dir)
	for id, l := range first {
		if l.Manifest.Status != lists.ManifestRecorded || l.AgeDays < 0 {
			t.Errorf("%s: manifest %+v, age %d; want recorded, a known age", id, l.Manifest, l.AgeDays)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, lists.ManifestName)); err != nil {
		t.Errorf("no manifest: %v", err)
	}
	code, stdout, stderr := listsRun(t, nil, listsArgs(t, dir, "info")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"AGE (DAYS)", "MANIFEST", "unchanged since"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("table does not show %q:\n%s", want, stdout)
		}
	}
	// The fixture CSL's newest start date is 2022-04-07.
	if !regexp.MustCompile(`warning: trade.gov CSL snapshot 2022-04-07 is \d+ days old \(more than 30\)`).MatchString(stderr) {
		t.Errorf("stderr %q: no warning about the old CSL", stderr)
	}

	// The CSL cut to its header and first row.
	path := filepath.Join(dir, "consolidated.csv")
	b, _ := os.ReadFile(path)
	lines := strings.SplitAfterN(string(b), "\n", 3)
	os.WriteFile(path, []byte(lines[0]+lines[1]), 0o644)
	code, _, stderr = listsRun(t, nil, listsArgs(t, dir, "info", "-o", "json")...)
	if code != 3 || !strings.Contains(stderr, "entries fell from 19 to 1") || !strings.Contains(stderr, "--accept") {
		t.Errorf("shrunk CSL: exit %d, stderr %q; want 3 and both counts", code, stderr)
	}
	accepted := listsInfo(t, dir, "--accept")
	if m := accepted[lists.SetCSL].Manifest; m.Status != lists.ManifestAccepted || m.Recorded != 19 || m.Counted != 1 {
		t.Errorf("--accept: %+v", m)
	}
	if m := listsInfo(t, dir)[lists.SetCSL].Manifest; m.Status != lists.ManifestUnchanged {
		t.Errorf("after --accept: %+v, want unchanged", m)
	}
}
