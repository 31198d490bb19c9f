// Package book writes deterministic synthetic order books (JSONL) for the
// throughput benchmark: N orders, three parties each (buyer, consignee, end
// user), 1-4 lines drawn from a fixed set of distinct SKUs with inline chip
// specifications that span every 3A090 band.
//
// By default the parties come from a customer master (each customer has one
// country, headquarters and parent) and the dates from one year, as in a
// real order book. Customers 0 draws every party's attributes at random and
// Days 1095 spreads the dates over three years: the high-entropy variant,
// where few orders share anything but their SKUs. Distinct repeats a few
// orders under new ids: repeat business, nearly all order-cache hits.
package book

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"time"
)

// Options shape a book.
type Options struct {
	Orders    int
	SKUs      int
	Customers int // 0: random attributes for every party
	Days      int // order dates span this many days ending 2026-11-20
	Seed      uint64
	// Distinct, when above 0, makes a book of repeat business: order i
	// is order i%Distinct again under its own id, so all but Distinct
	// orders hit the order cache (the floor under the stages' cost).
	Distinct int
}

// Default is the benchmark's book.
var Default = Options{Orders: 100000, SKUs: 300, Customers: 500, Days: 365, Seed: 1}

// RegisterFlags binds o's fields to command-line flags of fs.
func (o *Options) RegisterFlags(fs *flag.FlagSet) {
	fs.IntVar(&o.Orders, "n", o.Orders, "orders in the book")
	fs.IntVar(&o.SKUs, "skus", o.SKUs, "distinct SKUs")
	fs.IntVar(&o.Customers, "customers", o.Customers, "size of the customer master; 0: random attributes for every party")
	fs.IntVar(&o.Days, "days", o.Days, "order dates span this many days ending 2026-11-20")
	fs.Uint64Var(&o.Seed, "seed", o.Seed, "random seed")
	fs.IntVar(&o.Distinct, "distinct", o.Distinct, "repeat the first this many orders under new ids (0: every order drawn anew)")
}

// FileName names the book o writes, for caching it on disk.
func (o Options) FileName() string {
	name := fmt.Sprintf("book-n%d-s%d-c%d-d%d-seed%d", o.Orders, o.SKUs, o.Customers, o.Days, o.Seed)
	if o.Distinct > 0 {
		name += fmt.Sprintf("-r%d", o.Distinct)
	}
	return name + ".jsonl"
}

var (
	destinations = []string{"US", "DE", "JP", "SG", "AE", "IN", "CN", "MO", "VN", "SA", "GB", "FR", "KR", "MY", "BR", "RU", "KH", "NI"}
	endUses      = []string{"ai_training", "ai_inference", "cloud_services", "research", "commercial", "supercomputer", "military"}
	redFlags     = []string{"new_customer_large_volume", "no_web_presence", "cash_payment", "unusual_routing"}
	nameA        = []string{"Northwind", "Bluepeak", "Harbor", "Silverline", "Quantum Ridge", "Cedar", "Lumen", "Atlas Grid", "Meridian", "Pioneer", "Granite", "Orbit", "Vertex", "Summit", "Redwood"}
	nameB        = []string{"Compute", "Data Systems", "Cloud", "Analytics", "Networks", "Robotics", "Labs", "Infrastructure", "AI", "Technologies"}
	suffix       = []string{"Pte. Ltd.", "GmbH", "LLC", "Co., Ltd.", "K.K.", "SARL", "Inc.", "Ltd."}
)

// Write writes a book as JSONL.
func Write(out io.Writer, o Options) error {
	r := rand.New(rand.NewPCG(o.Seed, 7))

	type chip struct {
		Name        string           `json:"name"`
		Datacenter  bool             `json:"datacenter"`
		DieArea     float64          `json:"die_area_mm2,omitempty"`
		Performance []map[string]any `json:"performance"`
		MemBW       float64          `json:"memory_bandwidth_gbs,omitempty"`
		Interconn   float64          `json:"interconnect_gbs,omitempty"`
		Designer    string           `json:"designer_country,omitempty"`
	}
	catalog := make([]chip, o.SKUs)
	for i := range catalog {
		tops := []float64{100, 250, 400, 700, 1000, 2000, 2500}[r.IntN(7)] * (0.8 + r.Float64()*0.4)
		c := chip{
			Name:       fmt.Sprintf("Accel-%03d", i),
			Datacenter: r.IntN(5) != 0,
			Performance: []map[string]any{
				{"format": "int8", "bits": 8, "tops": round(tops)},
				{"format": "fp16", "bits": 16, "tops": round(tops / 2)},
			},
			MemBW:     round(500 + r.Float64()*7000),
			Interconn: round(r.Float64() * 1200),
			Designer:  []string{"US", "US", "US", "IL", "CN"}[r.IntN(5)],
		}
		if r.IntN(10) != 0 {
			c.DieArea = round(200 + r.Float64()*700)
		}
		catalog[i] = c
	}
	random := func(country string) map[string]any {
		p := map[string]any{
			"name":    fmt.Sprintf("%s %s %s", nameA[r.IntN(len(nameA))], nameB[r.IntN(len(nameB))], suffix[r.IntN(len(suffix))]),
			"country": country,
		}
		switch r.IntN(10) {
		case 0:
			p["headquarters"] = "CN"
		case 1:
			p["ultimate_parent"] = map[string]any{"name": "Parent Holdings Ltd.", "headquarters": []string{"CN", "SG", "US"}[r.IntN(3)]}
		default:
			p["headquarters"] = country
		}
		return p
	}
	// The customer master, by country.
	master := map[string][]map[string]any{}
	for i := range o.Customers {
		c := destinations[i%len(destinations)]
		p := random(c)
		p["name"] = fmt.Sprintf("%s %d", p["name"], i)
		master[c] = append(master[c], p)
	}
	party := func(country string) map[string]any {
		if o.Customers == 0 {
			return random(country)
		}
		ps := master[country]
		return ps[r.IntN(len(ps))]
	}
	end := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	w := bufio.NewWriterSize(out, 1<<20)
	enc := json.NewEncoder(w)
	var drawn []map[string]any // the orders repeated, with Distinct
	for i := range o.Orders {
		if o.Distinct > 0 && i >= o.Distinct {
			ord := maps.Clone(drawn[i%o.Distinct])
			ord["id"] = fmt.Sprintf("BK-%06d", i)
			if err := enc.Encode(ord); err != nil {
				return err
			}
			continue
		}
		dest := destinations[r.IntN(len(destinations))]
		items := make([]map[string]any, 1+r.IntN(4))
		for j := range items {
			k := r.IntN(o.SKUs)
			items[j] = map[string]any{"sku": fmt.Sprintf("SKU-%03d", k), "quantity": 1 + r.IntN(64), "unit_value_usd": 5000 + r.IntN(30000), "chip": catalog[k]}
		}
		ord := map[string]any{
			"kind":        "order",
			"id":          fmt.Sprintf("BK-%06d", i),
			"date":        end.AddDate(0, 0, -r.IntN(o.Days)).Format(time.DateOnly),
			"ship_from":   []string{"US", "US", "US", "SG"}[r.IntN(4)],
			"destination": dest,
			"exporter":    map[string]any{"name": "Example Chips Inc.", "country": "US"},
			"parties":     map[string]any{"buyer": party(dest), "consignee": party(dest), "end_user": party(dest)},
			"end_use":     map[string]any{"codes": []string{endUses[r.IntN(len(endUses))]}},
			"items":       items,
		}
		switch r.IntN(20) {
		case 0:
			ord["red_flags"] = []string{redFlags[r.IntN(len(redFlags))]}
		case 1:
			ord["license"] = map[string]any{"type": "license", "number": fmt.Sprintf("D%06d", i)}
		case 2:
			ord["license"] = map[string]any{"type": "NAC", "number": fmt.Sprintf("A%06d", i), "notified_on": end.AddDate(0, 0, -r.IntN(o.Days)-r.IntN(60)).Format(time.DateOnly)}
		case 3:
			ord["license"] = map[string]any{"type": "ACA"}
		}
		if o.Distinct > 0 {
			drawn = append(drawn, ord)
		}
		if err := enc.Encode(ord); err != nil {
			return err
		}
	}
	return w.Flush()
}

func round(f float64) float64 { return float64(int(f*10)) / 10 }
