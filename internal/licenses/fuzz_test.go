package licenses

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/chipcheck/chipcheck/internal/record"
)

// FuzzLoad: whatever a register file holds, Load returns a register or
// problems that each name the file, never both, never a panic; and every
// licence it returns has the fields a claim is matched on.
func FuzzLoad(f *testing.F) {
	for _, p := range []string{"register.yaml", "more.csv"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "licenses", p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, filepath.Ext(p) == ".csv")
	}
	f.Add([]byte("licenses: [{number: 0}]"), false)
	f.Add([]byte("number\n\"x"), true)
	f.Fuzz(func(t *testing.T, b []byte, csv bool) {
		name := "r.yaml"
		if csv {
			name = "r.csv"
		}
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		reg, err := Load(p, countries)
		var probs record.Problems
		switch {
		case err == nil:
			for _, l := range reg.licenses {
				if Key(l.Number) == "" || Placeholder(l.Number) || l.Issued == "" || l.Expires <= l.Issued || len(l.Destinations) == 0 || l.Consignee == "" || len(l.ECCNs)+len(l.SKUs) == 0 {
					t.Fatalf("accepted an incomplete licence %+v", l)
				}
			}
		case reg != nil:
			t.Fatal("a register and an error")
		case errors.As(err, &probs):
			for _, pr := range probs {
				if pr.File != p {
					t.Fatalf("problem %v does not name the file", pr)
				}
			}
		}
	})
}
