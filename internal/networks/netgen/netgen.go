// Package netgen generates account_activity populations for tests, demos
// and benchmarks: benign accounts with the overlaps real users have
// (offices sharing a /24, a company email domain and sometimes a corporate
// card; households sharing an IP and sometimes a card or device; freemail
// domains, carrier NAT prefixes and big cloud ASNs shared by thousands;
// university labs sharing machines), and hidden distillation networks that
// spread traffic thinly, rotate identifiers, mix in benign-looking
// accounts and share as much as their Config says. Every record carries
// its truth in x_label ("benign" or "network"), which chipcheck never
// reads.
package netgen

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"time"
)

// Config describes one population.
type Config struct {
	Seed    uint64
	Benign  int // benign accounts
	Network int // accounts of the hidden networks, in all
	// Cells splits the network into independent operations (1: one
	// campaign), each with its own identifier pools and prompt templates.
	Cells int
	// Sharing is the probability that a network account reuses a pooled
	// payment instrument, device and phone (each drawn separately):
	// 0 rotates everything, 1 shares everything.
	Sharing float64
	// PromptOverlap is the Jaccard similarity of two network accounts'
	// prompt sets on the same template (0: no overlap).
	PromptOverlap float64
	// Camouflage is the share of network accounts whose own usage looks
	// benign.
	Camouflage float64
	// BurstShare is the share of network accounts created in bursts of
	// sign-ups behind one proxy prefix.
	BurstShare float64
	// DeniedShare is the share of network accounts the provider has
	// already denied.
	DeniedShare float64
	// End is when the one-day activity window ends.
	End time.Time
}

// Default is the shape the README's quality figures use: one campaign of
// 25,000 accounts among 200,000 benign ones.
func Default() Config {
	return Config{Seed: 1, Benign: 200_000, Network: 25_000, Cells: 1, Sharing: 0.6, PromptOverlap: 0.6,
		Camouflage: 0.3, BurstShare: 0.3, DeniedShare: 0.002, End: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}
}

// AddFlags registers c's fields on fs as flags with c's values as their
// defaults, for the programs that generate populations.
func (c *Config) AddFlags(fs *flag.FlagSet) {
	fs.Uint64Var(&c.Seed, "seed", c.Seed, "random seed")
	fs.IntVar(&c.Benign, "benign", c.Benign, "benign accounts")
	fs.IntVar(&c.Network, "network", c.Network, "network accounts, in all")
	fs.IntVar(&c.Cells, "cells", c.Cells, "independent operations the network is split into")
	fs.Float64Var(&c.Sharing, "sharing", c.Sharing, "probability a network account reuses a pooled card, device or phone")
	fs.Float64Var(&c.PromptOverlap, "overlap", c.PromptOverlap, "Jaccard similarity of network accounts' prompt sets (0: none)")
	fs.Float64Var(&c.Camouflage, "camouflage", c.Camouflage, "share of network accounts whose own usage looks benign")
	fs.Float64Var(&c.BurstShare, "bursts", c.BurstShare, "share of network accounts created in sign-up bursts")
	fs.Float64Var(&c.DeniedShare, "denied", c.DeniedShare, "share of network accounts already denied")
}

// Account is one generated record.
type Account struct {
	Kind          string             `json:"kind"`
	AccountID     string             `json:"account_id"`
	OrgID         string             `json:"org_id"`
	CreatedAt     string             `json:"created_at"`
	Window        Window             `json:"window"`
	Requests      int64              `json:"requests"`
	OutputTokens  int64              `json:"output_tokens"`
	Identifiers   map[string]any     `json:"identifiers"`
	Countries     map[string]string  `json:"countries,omitempty"`
	Usage         map[string]float64 `json:"usage"`
	PromptMinhash []uint32           `json:"prompt_minhash,omitempty"`
	Status        string             `json:"status,omitempty"`
	Label         string             `json:"x_label"`
}

// Window is an activity window.
type Window struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// Network reports whether the account belongs to a hidden network.
func (a *Account) Network() bool { return a.Label == "network" }

// SigLen is the length of generated prompt signatures.
const SigLen = 32

type gen struct {
	cfg Config
	r   *rand.Rand
	out []Account
	n   int // ids issued
	// shared pools
	carrierPrefixes []string
	carrierASNs     []string
	cloudASNs       []string
	freemail        []string
	disposable      []string
}

// Generate returns the population of cfg: benign accounts and network
// accounts interleaved in a random order.
func Generate(cfg Config) []Account {
	if cfg.End.IsZero() {
		cfg.End = Default().End
	}
	cfg.Cells = max(cfg.Cells, 1)
	g := &gen{cfg: cfg, r: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))}
	// Carrier NAT prefixes: about 25 residential accounts behind each.
	for i := range max(cfg.Benign/25, 4) {
		g.carrierPrefixes = append(g.carrierPrefixes, fmt.Sprintf("10.%d.%d.0/24", i/250, i%250))
	}
	for i := range 40 {
		g.carrierASNs = append(g.carrierASNs, fmt.Sprintf("AS%d", 7000+i))
	}
	g.cloudASNs = []string{"AS16509", "AS15169", "AS8075", "AS14061", "AS24940"}
	g.freemail = []string{"gmail.example", "outlook.example", "yahoo.example", "proton.example", "qq.example", "163.example"}
	for i := range 12 {
		g.disposable = append(g.disposable, fmt.Sprintf("tmpmail%d.example", i))
	}
	g.benign()
	g.networks()
	g.r.Shuffle(len(g.out), func(i, j int) { g.out[i], g.out[j] = g.out[j], g.out[i] })
	return g.out
}

func (g *gen) id(prefix string) string {
	g.n++
	return fmt.Sprintf("%s-%07d", prefix, g.n)
}

func (g *gen) between(lo, hi float64) float64 { return lo + g.r.Float64()*(hi-lo) }

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

// zipf picks an index in [0, n) with a heavy head (a few carriers, cloud
// ASNs and freemail domains hold most accounts).
func (g *gen) zipf(n int) int {
	return min(int(math.Floor(math.Pow(g.r.Float64(), 2.5)*float64(n))), n-1)
}

// account starts a record created at created.
func (g *gen) account(label, org string, created time.Time) *Account {
	end := g.cfg.End
	g.out = append(g.out, Account{
		Kind: "account_activity", AccountID: g.id("acct"), OrgID: org, CreatedAt: created.Format(time.RFC3339),
		Window:      Window{Start: end.Add(-24 * time.Hour).Format(time.RFC3339), End: end.Format(time.RFC3339)},
		Identifiers: map[string]any{}, Usage: map[string]float64{}, Label: label,
	})
	return &g.out[len(g.out)-1]
}

// created is a benign creation time: any time in the last two years.
func (g *gen) created() time.Time {
	return g.cfg.End.Add(-time.Duration(g.r.Int64N(int64(730*24*time.Hour))) - 24*time.Hour)
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// benignUsage fills usage and volume as a benign account of one of a few
// kinds: most chat users, some app builders (templated, single-turn),
// some researchers (reasoning-heavy), some early adopters.
func (g *gen) benignUsage(a *Account) {
	cot, tpl, single, fresh := g.between(0, 0.08), g.between(0.05, 0.4), g.between(0.2, 0.8), g.between(0, 0.3)
	switch x := g.r.Float64(); {
	case x < 0.10: // app builders
		tpl, single, cot = g.between(0.5, 0.95), g.between(0.85, 1), g.between(0, 0.1)
	case x < 0.13: // researchers
		cot, tpl = g.between(0.2, 0.5), g.between(0.05, 0.45)
	case x < 0.18: // early adopters
		fresh = g.between(0.4, 0.8)
	}
	a.Usage["cot_elicitation_share"] = round3(cot)
	a.Usage["template_concentration"] = round3(tpl)
	a.Usage["single_turn_share"] = round3(single)
	a.Usage["new_model_share_48h"] = round3(fresh)
	req := math.Exp(g.between(1, 7)) // 3 to 1,100 a day, heavy tail
	a.Requests = int64(req)
	a.OutputTokens = int64(req * g.between(300, 2500))
}

// randomSig is the signature of an account whose prompts nobody shares.
func (g *gen) randomSig() []uint32 {
	s := make([]uint32, SigLen)
	for i := range s {
		s[i] = g.r.Uint32()
	}
	return s
}

// nearSig is a signature whose prompt set overlaps base's with Jaccard
// about j with any other signature drawn the same way: each position
// agrees with base with probability sqrt(j).
func (g *gen) nearSig(base []uint32, j float64) []uint32 {
	s := g.randomSig()
	p := math.Sqrt(j)
	for i := range s {
		if g.r.Float64() < p {
			s[i] = base[i]
		}
	}
	return s
}

func (g *gen) key(kind string) string { return fmt.Sprintf("%s:%016x", kind, g.r.Uint64()) }

// individual fills the identifiers of a person on a home connection.
func (g *gen) individual(a *Account) {
	a.Identifiers["payment_fingerprint"] = g.key("card")
	a.Identifiers["device_id"] = g.key("dev")
	if g.r.Float64() < 0.8 {
		a.Identifiers["phone"] = g.key("tel")
	}
	if g.r.Float64() < 0.12 { // works from a cloud VM
		a.Identifiers["asn"] = g.cloudASNs[g.zipf(len(g.cloudASNs))]
		a.Identifiers["ip_prefix"] = fmt.Sprintf("cloud-%d/24", g.r.IntN(max(g.cfg.Benign/3, 10)))
	} else {
		a.Identifiers["asn"] = g.carrierASNs[g.zipf(len(g.carrierASNs))]
		a.Identifiers["ip_prefix"] = g.carrierPrefixes[g.zipf(len(g.carrierPrefixes))]
	}
	if g.r.Float64() < 0.85 {
		a.Identifiers["email_domain"] = g.freemail[g.zipf(len(g.freemail))]
	} else {
		a.Identifiers["email_domain"] = g.key("own") + ".example"
	}
	if g.r.Float64() < 0.7 {
		a.PromptMinhash = g.randomSig()
	}
}

// benign generates the benign population: companies, households, labs and
// lone individuals.
func (g *gen) benign() {
	left := g.cfg.Benign
	for left > 0 {
		switch x := g.r.Float64(); {
		case x < 0.012: // a company: 2 to 60 seats
			left -= g.company(min(left, 2+g.zipf(59)))
		case x < 0.03: // a household of 2 to 4 individuals
			left -= g.household(min(left, 2+g.r.IntN(3)))
		case x < 0.0301: // a university lab sharing machines (about 0.06% of accounts)
			left -= g.lab(min(left, 5+g.r.IntN(6)))
		default:
			a := g.account("benign", g.id("org"), g.created())
			g.individual(a)
			g.benignUsage(a)
			left--
		}
	}
}

func (g *gen) company(n int) int {
	org, domain := g.id("org"), g.key("corp")+".example"
	prefix, asn := g.key("office")+"/24", g.pick(g.carrierASNs)
	card := ""
	if g.r.Float64() < 0.5 {
		card = g.key("corpcard")
	}
	var base []uint32
	if g.r.Float64() < 0.5 {
		base = g.randomSig() // an internal tool every seat uses
	}
	for range n {
		a := g.account("benign", org, g.created())
		a.Identifiers["email_domain"] = domain
		a.Identifiers["ip_prefix"] = prefix
		a.Identifiers["asn"] = asn
		a.Identifiers["device_id"] = g.key("dev")
		a.Identifiers["payment_fingerprint"] = card
		if card == "" {
			a.Identifiers["payment_fingerprint"] = g.key("card")
		}
		if g.r.Float64() < 0.6 {
			a.Identifiers["phone"] = g.key("tel")
		}
		g.benignUsage(a)
		switch {
		case base != nil:
			a.PromptMinhash = g.nearSig(base, 0.7)
		case g.r.Float64() < 0.7:
			a.PromptMinhash = g.randomSig()
		}
	}
	return n
}

func (g *gen) household(n int) int {
	prefix, asn := g.key("home")+"/24", g.pick(g.carrierASNs)
	card, dev := "", ""
	if g.r.Float64() < 0.3 {
		card = g.key("familycard")
	}
	if g.r.Float64() < 0.3 {
		dev = g.key("familydev")
	}
	for range n {
		a := g.account("benign", g.id("org"), g.created())
		g.individual(a)
		a.Identifiers["ip_prefix"], a.Identifiers["asn"] = prefix, asn
		if card != "" {
			a.Identifiers["payment_fingerprint"] = card
		}
		if dev != "" {
			a.Identifiers["device_id"] = dev
		}
		g.benignUsage(a)
	}
	return n
}

func (g *gen) lab(n int) int {
	prefix := g.key("campus") + "/24"
	machines := []string{g.key("labdev"), g.key("labdev")}
	for range n {
		a := g.account("benign", g.id("org"), g.created())
		g.individual(a)
		a.Identifiers["ip_prefix"] = prefix
		a.Identifiers["device_id"] = g.pick(machines)
		g.benignUsage(a)
	}
	return n
}

// networks generates the hidden networks, cell by cell.
func (g *gen) networks() {
	per := g.cfg.Network / g.cfg.Cells
	for c := range g.cfg.Cells {
		n := per
		if c == g.cfg.Cells-1 {
			n = g.cfg.Network - per*(g.cfg.Cells-1)
		}
		g.cell(n)
	}
}

// cell generates one operation of n accounts: fake organisations, pooled
// identifiers reused with probability Sharing (and rotated otherwise),
// proxies on carrier and cloud prefixes shared with benign users, a few
// prompt templates, traffic of a light user per account.
func (g *gen) cell(n int) {
	if n <= 0 {
		return
	}
	pool := func(kind string, size int) []string {
		out := make([]string, max(size, 1))
		for i := range out {
			out[i] = g.key(kind)
		}
		return out
	}
	cards, devices, phones := pool("card", n/8), pool("dev", n/10), pool("tel", n/12)
	templates := [][]uint32{g.randomSig(), g.randomSig(), g.randomSig()}
	start := g.cfg.End.Add(-45 * 24 * time.Hour)
	var orgs []string
	burstLeft, burstPrefix, burstAt := 0, "", time.Time{}
	for range n {
		org := g.id("org")
		if len(orgs) > 0 && g.r.Float64() < 0.3 { // a shell company with a few seats
			org = g.pick(orgs)
		} else {
			orgs = append(orgs, org)
		}
		created := start.Add(time.Duration(g.r.Int64N(int64(44 * 24 * time.Hour))))
		prefix := g.carrierPrefixes[g.r.IntN(len(g.carrierPrefixes))]
		asn := g.carrierASNs[g.r.IntN(len(g.carrierASNs))]
		if g.r.Float64() < 0.4 {
			asn = g.pick(g.cloudASNs)
			prefix = fmt.Sprintf("cloud-%d/24", g.r.IntN(max(g.cfg.Benign/3, 10)))
		}
		if g.r.Float64() < g.cfg.BurstShare {
			if burstLeft == 0 { // a new burst: 20 to 60 sign-ups behind one proxy within the hour
				burstLeft, burstPrefix = 20+g.r.IntN(41), g.key("proxy")+"/24"
				burstAt = created
			}
			burstLeft--
			prefix = burstPrefix
			created = burstAt.Add(time.Duration(g.r.Int64N(int64(50 * time.Minute))))
		}
		a := g.account("network", org, created)
		a.Identifiers["ip_prefix"], a.Identifiers["asn"] = prefix, asn
		if g.r.Float64() < 0.6 {
			a.Identifiers["email_domain"] = g.freemail[g.zipf(len(g.freemail))]
		} else {
			a.Identifiers["email_domain"] = g.pick(g.disposable)
		}
		// Each strong identifier: a pooled one with probability Sharing,
		// else a fresh one; some accounts rotate two cards in the window.
		strong := func(name string, p []string, kind string) {
			v := g.key(kind)
			if g.r.Float64() < g.cfg.Sharing {
				v = g.pick(p)
			}
			a.Identifiers[name] = v
		}
		strong("payment_fingerprint", cards, "card")
		strong("device_id", devices, "dev")
		strong("phone", phones, "tel")
		if g.r.Float64() < 0.3 {
			a.Identifiers["payment_fingerprint"] = []string{a.Identifiers["payment_fingerprint"].(string), g.key("card")}
		}
		if g.r.Float64() < g.cfg.Camouflage {
			g.benignUsage(a)
		} else {
			a.Usage["cot_elicitation_share"] = round3(g.between(0.25, 0.6))
			a.Usage["template_concentration"] = round3(g.between(0.55, 0.9))
			a.Usage["single_turn_share"] = round3(g.between(0.9, 1))
			a.Usage["new_model_share_48h"] = round3(g.between(0.3, 0.7))
		}
		// Spread thin: about 26 exchanges a day each.
		a.Requests = int64(math.Max(1, g.r.NormFloat64()*6+26))
		a.OutputTokens = a.Requests * int64(g.between(1200, 3000))
		if g.r.Float64() < 0.9 {
			if g.cfg.PromptOverlap > 0 {
				a.PromptMinhash = g.nearSig(templates[g.r.IntN(len(templates))], g.cfg.PromptOverlap)
			} else {
				a.PromptMinhash = g.randomSig()
			}
		}
		if g.r.Float64() < g.cfg.DeniedShare {
			a.Status = "denied"
		}
	}
}

// WriteJSONL writes accts as JSON Lines.
func WriteJSONL(w io.Writer, accts []Account) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	enc := json.NewEncoder(bw)
	for i := range accts {
		if err := enc.Encode(&accts[i]); err != nil {
			return err
		}
	}
	return bw.Flush()
}
