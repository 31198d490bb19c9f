package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chipcheck/chipcheck/internal/decision"
)

// A license claim is never an allow on its number alone: without a
// register it is reviewed; a register that cannot be read or validated is
// refused (exit 3, nothing decided); a placeholder number is an input
// problem.
func TestLicenseClaimsFailClosed(t *testing.T) {
	root := repoRoot(t)
	// H100 to AE: a destination requirement the license is claimed for.
	order := allowOrder(t, "destination: DE", "destination: AE\nlicense: {type: license, number: D1100001}")
	fixtureReg := filepath.Join(root, "fixtures", "licenses")

	t.Run("no register: review", func(t *testing.T) {
		r := cliRun(t, "", cliCheckArgs(t, "-q", "-o", "jsonl", order)...)
		ds := cliJSONL(t, r.stdout)
		if r.code != 2 || len(ds) != 1 || ds[0].Decision != "review" || !hasReason(ds[0].Reasons, "LICENSE-NOT-VERIFIED", "review") {
			t.Errorf("exit %d, %s %s; want exit 2, review with LICENSE-NOT-VERIFIED", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("register: the consignee is not the one it names", func(t *testing.T) {
		// D1100001 names Falcon Ridge; the order names no consignee or end user.
		r := cliRun(t, "", cliCheckArgs(t, "-q", "-o", "jsonl", "--licenses", fixtureReg, order)...)
		ds := cliJSONL(t, r.stdout)
		if len(ds) != 1 || !hasReason(ds[0].Reasons, "LICENSE-PARTY", "review") || hasReason(ds[0].Reasons, "LICENSE-VERIFIED", "allow") {
			t.Errorf("exit %d, %s %s; want LICENSE-PARTY review per role", r.code, r.stdout, r.stderr)
		}
	})
	bad := []struct{ name, register, want string }{
		{"placeholder in the register", "licenses:\n  - {number: TBD, type: export, issued: 2026-01-01, expires: 2027-01-01, destinations: [AE], consignee: X, eccns: [3A090]}\n",
			`register.yaml:2: licenses.0.number: "TBD" is a placeholder`},
		{"misspelt key", "licenses:\n  - {number: D1, type: export, issued: 2026-01-01, expires: 2027-01-01, destinations: [AE], consignee: X, eccns: [3A090], quantitiy: 3}\n",
			"register.yaml:2: licenses.0.quantitiy: unknown key"},
		{"not YAML", "licenses: [\n", "register.yaml"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			reg := writeFile(t, t.TempDir(), "register.yaml", tt.register)
			r := cliRun(t, "", cliCheckArgs(t, "-q", "--fail-on", "none", "--licenses", reg, order)...)
			if r.code != 3 || r.stdout != "" || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want 3 and %q", r.code, r.stdout, r.stderr, tt.want)
			}
		})
	}
	t.Run("missing register", func(t *testing.T) {
		r := cliRun(t, "", cliCheckArgs(t, "-q", "--fail-on", "none", "--licenses", filepath.Join(t.TempDir(), "none.yaml"), order)...)
		if r.code != 3 || r.stdout != "" {
			t.Errorf("exit %d, stdout %q; want 3", r.code, r.stdout)
		}
	})
	for _, n := range []string{"N/A", "pending", "TBD", "0", "-", "tbd"} {
		t.Run("placeholder number "+n, func(t *testing.T) {
			o := allowOrder(t, "destination: DE", "destination: AE\nlicense: {type: license, number: \""+n+"\"}")
			r := cliRun(t, "", cliCheckArgs(t, "-q", "--fail-on", "none", o)...)
			if r.code != 3 || r.stdout != "" || !strings.Contains(r.stderr, "license.number: ") {
				t.Errorf("exit %d, stdout %q, stderr %q; want 3 and a license.number problem", r.code, r.stdout, r.stderr)
			}
		})
	}
}

// An is-informed letter binds the exporter the order names, however it
// spells it, before --exporter.
func TestIsInformedExporterOfTheOrder(t *testing.T) {
	// The H100 reaches the NVIDIA letter (interconnect 900 GB/s), and the
	// buyer is headquartered in CN.
	h100 := func(exporter string) string {
		return allowOrder(t, "exporter: {name: Lakeshore Silicon Inc., country: US}\nparties:\n  buyer: {name: Rheinwerk Rechenzentrum GmbH, country: DE, headquarters: DE}",
			exporter+"parties:\n  buyer: {name: Rheinwerk Rechenzentrum GmbH, country: DE, headquarters: CN}")
	}
	tests := []struct {
		name, exporter string
		extra          []string
		rule, outcome  string
	}{
		{"spelt otherwise", "exporter: {name: \"nvidia corp\", country: US}\n", nil, "EAR-IS-INFORMED", "deny"},
		{"the order's exporter wins", "exporter: {name: Lakeshore Silicon Inc., country: US}\n", []string{"--exporter", "NVIDIA Corporation"}, "EAR-IS-INFORMED", ""},
		{"none on the order: --exporter", "", []string{"--exporter", "NVIDIA"}, "EAR-IS-INFORMED", "deny"},
		{"none known", "", nil, "EAR-IS-INFORMED-EXPORTER-UNKNOWN", "review"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(append([]string{"-q", "-o", "jsonl", "--fail-on", "none"}, tt.extra...), h100(tt.exporter))
			r := cliRun(t, "", cliCheckArgs(t, args...)...)
			ds := cliJSONL(t, r.stdout)
			if len(ds) != 1 {
				t.Fatalf("exit %d: %s %s", r.code, r.stdout, r.stderr)
			}
			got := hasReason(ds[0].Reasons, tt.rule, tt.outcome)
			if tt.outcome == "" {
				got = !hasReason(ds[0].Reasons, tt.rule, "deny") && !hasReason(ds[0].Reasons, tt.rule, "allow")
			}
			if !got {
				t.Errorf("%v: want %s %s", ds[0].Reasons, tt.rule, tt.outcome)
			}
		})
	}
}

func hasReason(rs []decision.Reason, rule, outcome string) bool {
	for _, r := range rs {
		if r.Rule == rule && r.Outcome == outcome {
			return true
		}
	}
	return false
}
