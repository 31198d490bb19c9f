package record_test

// The benchmarks read orders with the chip/order domain's kinds: reading
// and validating an order is the hot path of a large book.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/chipcheck/chipcheck/internal/orders"
	"github.com/chipcheck/chipcheck/internal/record"
)

// vocab knows every code genOrders writes (and nothing else worth
// telling apart: a benchmark needs the lookups, not the distinctions).
type vocab map[string]bool

var known = vocab{"US": true, "SG": true, "CN": true, "AE": true, "DE": true, "NL": true, "JP": true, "MY": true,
	"ai_training": true, "cash_payment": true, "h20": true, "b200": true}

func (v vocab) Country(c string) bool   { return v[c] }
func (v vocab) EndUse(c string) bool    { return v[c] }
func (v vocab) RedFlag(c string) bool   { return v[c] }
func (v vocab) Catalog(c string) bool   { return v[c] }
func (v vocab) Region(_, c string) bool { return v[c] }

// genOrders returns n JSONL orders: three parties each, one to four items
// mixing inline chip specs, catalog references and assemblies.
func genOrders(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	countries := []string{"US", "SG", "CN", "AE", "DE", "NL", "JP", "MY"}
	var out []byte
	for i := range n {
		party := func(role string) map[string]any {
			return map[string]any{
				"name":    fmt.Sprintf("%s Company %d Ltd", role, rng.IntN(100000)),
				"country": countries[rng.IntN(len(countries))],
				"address": fmt.Sprintf("%d Industrial Road, Unit %d", rng.IntN(999), rng.IntN(99)),
			}
		}
		buyer := party("Buyer")
		buyer["ultimate_parent"] = map[string]any{"name": "Holding Group", "headquarters": countries[rng.IntN(len(countries))]}
		var items []any
		for j := range 1 + rng.IntN(4) {
			item := map[string]any{"sku": fmt.Sprintf("SKU-%d-%d", i, j), "quantity": 1 + rng.IntN(64), "unit_value_usd": 1000 + rng.IntN(30000)}
			switch rng.IntN(3) {
			case 0:
				item["catalog"] = "h20"
			case 1:
				item["contains"] = []any{map[string]any{"count": 8, "catalog": "b200"}}
			default:
				item["chip"] = map[string]any{
					"name": "Accelerator X", "datacenter": true, "die_area_mm2": 600 + rng.IntN(300),
					"memory_bandwidth_gbs": 3350, "designer_country": "US",
					"performance": []any{
						map[string]any{"format": "fp8", "bits": 8, "tops": 1978.9},
						map[string]any{"format": "fp16", "bits": 16, "tops": 989.4},
						map[string]any{"format": "int8", "bits": 8, "tops": 1978.9},
					},
				}
			}
			items = append(items, item)
		}
		order := map[string]any{
			"kind": "order", "id": fmt.Sprintf("SO-%07d", i), "date": "2026-11-20",
			"ship_from": "US", "destination": countries[rng.IntN(len(countries))],
			"exporter": map[string]any{"name": "Example Chips Inc.", "country": "US"},
			"parties":  map[string]any{"buyer": buyer, "consignee": party("Consignee"), "end_user": party("End User")},
			"end_use":  map[string]any{"codes": []string{"ai_training"}, "description": "training cluster"},
			"items":    items,
		}
		if rng.IntN(4) == 0 {
			order["red_flags"] = []string{"cash_payment"}
		}
		b, err := json.Marshal(order)
		if err != nil {
			panic(err)
		}
		out = append(append(out, b...), '\n')
	}
	return out
}

// BenchmarkRead reads and validates 10,000 orders per op, as JSONL (parsed
// in parallel) and as one JSON array (parsed by one goroutine as it
// streams); divide ns/op by 10,000 for the cost of one order (also
// reported as ns/order).
func BenchmarkRead(b *testing.B) {
	const n = 10000
	jsonl := genOrders(n)
	array := append([]byte("[\n"), bytes.ReplaceAll(bytes.TrimSuffix(jsonl, []byte("\n")), []byte("\n"), []byte(",\n"))...)
	array = append(array, "\n]\n"...)
	for _, tt := range []struct {
		name string
		data []byte
	}{{"orders.jsonl", jsonl}, {"orders.json", array}} {
		b.Run(tt.name, func(b *testing.B) {
			path := filepath.Join(b.TempDir(), tt.name)
			if err := os.WriteFile(path, tt.data, 0o644); err != nil {
				b.Fatal(err)
			}
			opts := record.Options{Kinds: orders.Kinds(known)}
			b.SetBytes(int64(len(tt.data)))
			b.ReportAllocs()
			for b.Loop() {
				recs, probs := record.Read(context.Background(), opts, path)
				if len(probs) > 0 || len(recs) != n {
					b.Fatalf("%d records, problems: %v", len(recs), probs)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/order")
		})
	}
}

// BenchmarkJSONBaselines decodes the same orders with encoding/json, into
// map[string]any and straight into Order, without any validation: the
// alternatives the hand-written parser was measured against.
func BenchmarkJSONBaselines(b *testing.B) {
	const n = 10000
	lines := bytes.Split(bytes.TrimSpace(genOrders(n)), []byte("\n"))
	b.Run("map", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, l := range lines {
				var m map[string]any
				if err := json.Unmarshal(l, &m); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/order")
	})
	b.Run("struct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, l := range lines {
				var o orders.Order
				if err := json.Unmarshal(l, &o); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/order")
	})
}
