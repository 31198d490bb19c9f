package orders

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/record"
)

func show(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// TestClassify: figures and paragraphs worked by hand from
// policies/README.md (H100: TPP = max(1978.9 x 8, 989.4 x 16) = 15831.2,
// PD = 15831.2 / 814 = 19.45; the NPU: TPP = 200 x 8 = 1600, PD = 6.4).
func TestClassify(t *testing.T) {
	_, pol := shared(t)
	d, _ := decider(t, pol, FactOptions{}, true)
	noIC := h100()
	noIC.InterconnectGBs = nil
	npu := func(dc *bool) *Chip {
		return &Chip{Name: "npu", Datacenter: dc, DieAreaMM2: fp(250), Performance: []Perf{{Format: "int8", Bits: 8, TOPS: 200}}}
	}
	hbm := &Chip{Name: "HBM3E", HBM: &HBM{BandwidthGBs: 819, PackageAreaMM2: 110}}
	tests := []struct {
		name      string
		chip      *Chip
		contains  []Contained
		date      string
		eccn      string
		paragraph string
		tpp, pd   *float64
		rule      string
	}{
		{"H100", h100(), nil, "2026-11-20", "3A090.a", "3A090.a.1", fp(15831.2), fp(19.45), "ECCN-3A090.a.1"},
		{"no figures", &Chip{Name: "mystery", Datacenter: bp(true), DieAreaMM2: fp(500)}, nil, "2026-11-20", "unknown", "", nil, nil, "ECCN-UNKNOWN"},
		{"before 3A090 existed", h100(), nil, "2022-10-06", "none", "", nil, nil, ""},
		{"oct-2022 with interconnect", h100(), nil, "2023-06-01", "3A090.a", "", nil, nil, "ECCN-3A090.a-2022"},
		{"oct-2022 without interconnect", noIC, nil, "2023-06-01", "unknown", "", nil, nil, "ECCN-UNKNOWN"},
		{"a.2 datacenter", npu(bp(true)), nil, "2026-11-20", "3A090.a", "3A090.a.2", fp(1600), fp(6.4), "ECCN-3A090.a.2"},
		{"a.2 datacenter not said", npu(nil), nil, "2026-11-20", "unknown", "", nil, nil, "ECCN-UNKNOWN"},
		{"a.2 not datacenter (Note)", npu(bp(false)), nil, "2026-11-20", "none", "", nil, nil, "ECCN-3A090-NOTE"},
		{"server of H100s", nil, []Contained{{Count: 8, Chip: h100()}}, "2026-11-20", "4A090.a", "", fp(15831.2), nil, "ECCN-4A090"},
		{"HBM stack", hbm, nil, "2026-11-20", "3A090.c", "", nil, nil, "ECCN-3A090.c"},
		{"HBM stack before Dec 2024", hbm, nil, "2024-06-01", "none", "", nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := d.Classify(context.Background(), tt.chip, tt.contains, tt.date)
			if err != nil {
				t.Fatal(err)
			}
			if c.ECCN != tt.eccn {
				t.Errorf("ECCN = %q, want %q (%+v)", c.ECCN, tt.eccn, c.Reasons)
			}
			if tt.paragraph != "" && c.Paragraph != tt.paragraph {
				t.Errorf("Paragraph = %q, want %q", c.Paragraph, tt.paragraph)
			}
			if tt.tpp != nil && (c.TPP == nil || *c.TPP != *tt.tpp) {
				t.Errorf("TPP = %v, want %v", show(c.TPP), *tt.tpp)
			}
			if tt.pd != nil && (c.PD == nil || *c.PD != *tt.pd) {
				t.Errorf("PD = %v, want %v", show(c.PD), *tt.pd)
			}
			if tt.rule != "" && !slices.ContainsFunc(c.Reasons, func(r decision.Reason) bool { return r.Rule == tt.rule }) {
				t.Errorf("reasons %+v lack %s", c.Reasons, tt.rule)
			}
			if len(c.Reasons) == 0 {
				t.Error("a classification without a reason")
			}
		})
	}
}

// TestClassifyCacheKeepsRegimesApart: the cache is per interval between
// rule dates; a chip classified under one regime must not leak into
// another. (No VerifyCache: a leak would show as a wrong ECCN.)
func TestClassifyCacheKeepsRegimesApart(t *testing.T) {
	_, pol := shared(t)
	d, _ := decider(t, pol, FactOptions{}, false)
	noIC := h100()
	noIC.InterconnectGBs = nil
	for _, step := range []struct{ date, want string }{
		{"2023-06-01", "unknown"},
		{"2026-11-20", "3A090.a"},
		{"2023-06-01", "unknown"},
		{"2022-10-06", "none"},
		{"2022-10-07", "unknown"},
		{"2023-11-16", "unknown"},
		{"2023-11-17", "3A090.a"},
		{"2022-10-06", "none"},
	} {
		c, err := d.Classify(context.Background(), noIC, nil, step.date)
		if err != nil {
			t.Fatal(err)
		}
		if c.ECCN != step.want {
			t.Errorf("%s: ECCN %q, want %q", step.date, c.ECCN, step.want)
		}
	}
}

// TestClassifyCacheKeepsSpecsApart: two chips that differ in one field the
// policy reads never share a cached classification.
func TestClassifyCacheKeepsSpecsApart(t *testing.T) {
	_, pol := shared(t)
	d, _ := decider(t, pol, FactOptions{}, false)
	base := func() *Chip {
		return &Chip{Name: "npu", Datacenter: bp(true), DieAreaMM2: fp(250), Performance: []Perf{{Format: "int8", Bits: 8, TOPS: 200}}}
	}
	variants := []struct {
		name     string
		modify   func(c *Chip)
		contains bool // classify an assembly of 2 of the chip
		want     string
	}{
		{"base (a.2)", func(*Chip) {}, false, "3A090.a"},
		{"datacenter not given", func(c *Chip) { c.Datacenter = nil }, false, "unknown"},
		{"datacenter false", func(c *Chip) { c.Datacenter = bp(false) }, false, "none"},
		{"no die area", func(c *Chip) { c.DieAreaMM2 = nil }, false, "unknown"},
		{"larger die", func(c *Chip) { c.DieAreaMM2 = fp(1000) }, false, "none"},
		{"more tops", func(c *Chip) { c.Performance[0].TOPS = 600 }, false, "3A090.a"},
		{"fewer bits", func(c *Chip) { c.Performance[0].Bits = 4 }, false, "none"},
		{"in an assembly", func(*Chip) {}, true, "4A090.a"},
		{"not datacenter, in an assembly", func(c *Chip) { c.Datacenter = bp(false) }, true, "none"},
		{"base again", func(*Chip) {}, false, "3A090.a"},
	}
	for _, v := range variants {
		c := base()
		v.modify(c)
		chip, contains := c, []Contained(nil)
		if v.contains {
			chip, contains = nil, []Contained{{Count: 2, Chip: c}}
		}
		got, err := d.Classify(context.Background(), chip, contains, "2026-11-20")
		if err != nil {
			t.Fatal(err)
		}
		if got.ECCN != v.want {
			t.Errorf("%s: ECCN %q, want %q", v.name, got.ECCN, v.want)
		}
	}
}

// variant sets one field (somewhere inside) of a zero value.
type variant struct {
	name string
	set  func(v reflect.Value) // v: an addressable struct of the walked type
}

// variantsOf lists, for every field of struct type typ and recursively of
// the structs it holds, values that must each give another spec key: two
// values of every leaf, nil and zero of every pointer, and one and two
// elements of every slice. A field of a kind it does not know fails the
// test, so that a new kind of field is not silently left out.
func variantsOf(t *testing.T, typ reflect.Type, path string) []variant {
	var out []variant
	for i := range typ.NumField() {
		f := typ.Field(i)
		p := path + "." + f.Name
		field := func(v reflect.Value) reflect.Value { return v.Field(i) }
		switch f.Type.Kind() {
		case reflect.String:
			out = append(out,
				variant{p + `="x"`, func(v reflect.Value) { field(v).SetString("x") }},
				variant{p + `="xy"`, func(v reflect.Value) { field(v).SetString("xy") }})
		case reflect.Float64:
			out = append(out,
				variant{p + "=1", func(v reflect.Value) { field(v).SetFloat(1) }},
				variant{p + "=2.5", func(v reflect.Value) { field(v).SetFloat(2.5) }})
		case reflect.Bool:
			out = append(out, variant{p + "=true", func(v reflect.Value) { field(v).SetBool(true) }})
		case reflect.Pointer:
			elem := f.Type.Elem()
			alloc := func(v reflect.Value) reflect.Value {
				n := reflect.New(elem)
				field(v).Set(n)
				return n.Elem()
			}
			switch elem.Kind() {
			case reflect.Float64:
				out = append(out,
					variant{p + "=&0", func(v reflect.Value) { alloc(v) }},
					variant{p + "=&1", func(v reflect.Value) { alloc(v).SetFloat(1) }})
			case reflect.Bool:
				out = append(out,
					variant{p + "=&false", func(v reflect.Value) { alloc(v) }},
					variant{p + "=&true", func(v reflect.Value) { alloc(v).SetBool(true) }})
			case reflect.Struct:
				out = append(out, variant{p + "=&{}", func(v reflect.Value) { alloc(v) }})
				for _, sub := range variantsOf(t, elem, p) {
					out = append(out, variant{sub.name, func(v reflect.Value) { sub.set(alloc(v)) }})
				}
			default:
				t.Fatalf("%s: a pointer to %s: teach variantsOf this kind of field", p, elem)
			}
		case reflect.Slice:
			elem := f.Type.Elem()
			if elem.Kind() != reflect.Struct {
				t.Fatalf("%s: a slice of %s: teach variantsOf this kind of field", p, elem)
			}
			one := func(v reflect.Value, n int) reflect.Value {
				s := reflect.MakeSlice(f.Type, n, n)
				field(v).Set(s)
				return s.Index(n - 1)
			}
			out = append(out,
				variant{p + "=[{}]", func(v reflect.Value) { one(v, 1) }},
				variant{p + "=[{},{}]", func(v reflect.Value) { one(v, 2) }})
			for _, sub := range variantsOf(t, elem, p+"[0]") {
				out = append(out, variant{sub.name, func(v reflect.Value) { sub.set(one(v, 1)) }})
			}
			for _, sub := range variantsOf(t, elem, p+"[1]") {
				out = append(out, variant{sub.name, func(v reflect.Value) { sub.set(one(v, 2)) }})
			}
		default:
			t.Fatalf("%s: a field of kind %s: teach variantsOf this kind of field", p, f.Type.Kind())
		}
	}
	return out
}

// TestSpecKeyCoversEveryField: the classification and line caches are
// keyed by appendSpec, so two specifications that differ anywhere must get
// different keys. The variants come from Chip's fields by
// reflection: a field added to Chip (or Perf, Die, HBM) and not to
// the key fails here.
func TestSpecKeyCoversEveryField(t *testing.T) {
	chipType := reflect.TypeFor[Chip]()
	vs := variantsOf(t, chipType, "chip")
	if len(vs) < 40 {
		t.Fatalf("only %d variants", len(vs))
	}
	seen := map[string]string{}
	check := func(name, key string) {
		if prev, dup := seen[key]; dup {
			t.Errorf("%s and %s share the spec key %q", prev, name, key)
		}
		seen[key] = name
	}
	check("zero chip", string(appendSpec(nil, &Chip{}, nil)))
	check("nil chip", string(appendSpec(nil, nil, nil)))
	for _, v := range vs {
		c := &Chip{}
		v.set(reflect.ValueOf(c).Elem())
		check(v.name, string(appendSpec(nil, c, nil)))
	}
	// Strings that run into each other.
	for name, c := range map[string]*Chip{
		"id+name split":      {ID: "x", Name: "y"},
		"name+catalog split": {Name: "x", Catalog: "y"},
		"name only":          {Name: "xy2:ab"},
		"two perfs":          {Performance: []Perf{{Format: "a", Bits: 1, TOPS: 1}, {Format: "b", Bits: 2, TOPS: 2}}},
		"two perfs swapped":  {Performance: []Perf{{Format: "b", Bits: 2, TOPS: 2}, {Format: "a", Bits: 1, TOPS: 1}}},
		"perf bits/tops":     {Performance: []Perf{{Format: "a", Bits: 12, TOPS: 3}}},
		"perf bits/tops 2":   {Performance: []Perf{{Format: "a", Bits: 1, TOPS: 23}}},
	} {
		check(name, string(appendSpec(nil, c, nil)))
	}

	// Assemblies: every field of Contained, and of the chip inside.
	seen = map[string]string{}
	check("chip", string(appendSpec(nil, &Chip{}, nil)))
	for _, v := range variantsOf(t, reflect.TypeFor[Contained](), "contains[0]") {
		c := Contained{}
		v.set(reflect.ValueOf(&c).Elem())
		check(v.name, string(appendSpec(nil, nil, []Contained{c})))
	}
	check("two contained", string(appendSpec(nil, nil, []Contained{{Count: 1, Chip: &Chip{}}, {Count: 1, Chip: &Chip{}}})))
}

// TestSpecKeyContainsInjective: contained chips are encoded one after the
// other, so each one's encoding must end where the next begins: a count
// must not run into the length of the catalog name after it.
func TestSpecKeyContainsInjective(t *testing.T) {
	tests := []struct {
		name string
		a, b []Contained
	}{
		{
			"count runs into the catalog length",
			[]Contained{{Count: 11}, {Count: 1, Catalog: "abcdef"}},
			[]Contained{{Count: 1, Catalog: "n16:abcdef"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ka, kb := string(appendSpec(nil, nil, tt.a)), string(appendSpec(nil, nil, tt.b))
			if ka == kb {
				t.Errorf("%+v and %+v, different assemblies, share the spec key %q", tt.a, tt.b, ka)
			}
		})
	}
}

// TestClassifyKeyIsPerInterval: the same chip on dates of one interval
// shares a cached classification; on dates of two intervals it does not.
func TestClassifyKeyIsPerInterval(t *testing.T) {
	_, pol := shared(t)
	d, eng := decider(t, pol, FactOptions{}, true)
	misses := func() int64 {
		for _, s := range eng.Stats() {
			if s.Query == queryClassify {
				return s.Misses
			}
		}
		return -1
	}
	steps := []struct {
		date      string
		newResult bool
	}{
		{"2026-11-20", true},
		{"2026-11-21", false}, // no rule date between them
		{"2023-06-01", true},
		{"2023-06-02", false},
		{"2022-10-07", true}, // a rule date is an interval of its own
		{"2022-10-08", true},
	}
	before := misses()
	for _, st := range steps {
		if _, err := d.Classify(context.Background(), h100(), nil, st.date); err != nil {
			t.Fatal(err)
		}
		after := misses()
		if (after > before) != st.newResult {
			t.Errorf("%s: evaluated = %v, want %v", st.date, after > before, st.newResult)
		}
		before = after
	}
}

// TestDecideChip: a chip record is judged on --as-of, else on today by the
// Decider's clock.
func TestDecideChip(t *testing.T) {
	rs, pol := shared(t)
	clock := func() time.Time { return time.Date(2026, 11, 20, 23, 30, 0, 0, time.FixedZone("X", -5*3600)) } // 2026-11-21 in UTC
	tests := []struct {
		name     string
		asOf     string
		chip     *Chip
		decision string
		eccn     string
		date     string
	}{
		{"H100 today", "", h100(), decision.Allow, "3A090.a", "2026-11-21"},
		{"H100 as of 2022", "2022-10-06", h100(), decision.Allow, "none", "2022-10-06"},
		{"from the catalog", "", &Chip{ID: "cat-h100", Catalog: "nvidia-h100-sxm5-80gb"}, decision.Allow, "3A090.a", "2026-11-21"},
		{"no figures", "", &Chip{Name: "nothing known"}, decision.Review, "unknown", "2026-11-21"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dec, _ := decider(t, pol, FactOptions{Catalog: NewCatalog(rs), AsOf: tt.asOf}, true)
			dec.now = clock
			rec := &record.Record{Kind: KindChip, ID: "c-1", Source: record.Source{File: "chips.yaml", Line: 3}, Value: tt.chip}
			d := dec.Decide(context.Background(), rec)
			if d.Decision != tt.decision || len(d.Items) != 1 || d.Items[0].ECCN != tt.eccn || d.Items[0].SKU != "c-1" {
				t.Errorf("Decide = %s %+v (%v), want %s %s", d.Decision, d.Items, outcomes(d), tt.decision, tt.eccn)
			}
			if d.ID != "c-1" || d.Kind != KindChip || d.Source.File != "chips.yaml" || d.Source.Line != 3 ||
				d.Policy.Revision != pol.Revision() || d.AsOf != tt.date || d.Screening == nil {
				t.Errorf("decision metadata %+v", d)
			}
			if hasRule(d, evalError) {
				t.Errorf("reasons %v", d.Reasons)
			}
		})
	}
}
