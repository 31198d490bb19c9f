package netgen

import (
	"bytes"
	"reflect"
	"testing"
)

func TestGenerateCountsAndSeeds(t *testing.T) {
	cfg := Default()
	cfg.Benign, cfg.Network, cfg.Cells = 3000, 400, 3
	a, b := Generate(cfg), Generate(cfg)
	if !reflect.DeepEqual(a, b) {
		t.Error("the same seed gave two populations")
	}
	cfg.Seed++
	if reflect.DeepEqual(a, Generate(cfg)) {
		t.Error("another seed gave the same population")
	}
	net, ids := 0, map[string]bool{}
	for i := range a {
		if a[i].Network() {
			net++
		}
		if ids[a[i].AccountID] {
			t.Fatalf("account id %s twice", a[i].AccountID)
		}
		ids[a[i].AccountID] = true
	}
	if len(a) != 3400 || net != 400 {
		t.Errorf("%d accounts, %d network; want 3400 and 400", len(a), net)
	}
}

// With Sharing 0 no network account reuses a pooled strong identifier:
// each card, device and phone of the network is its own.
func TestNoSharingRotatesEverything(t *testing.T) {
	cfg := Default()
	cfg.Benign, cfg.Network, cfg.Sharing = 0, 300, 0
	seen := map[string]int{}
	for _, a := range Generate(cfg) {
		for _, k := range []string{"device_id", "phone"} {
			seen[a.Identifiers[k].(string)]++
		}
		switch v := a.Identifiers["payment_fingerprint"].(type) {
		case string:
			seen[v]++
		case []string:
			for _, x := range v {
				seen[x]++
			}
		}
	}
	for v, n := range seen {
		if n > 1 {
			t.Errorf("%s held by %d network accounts with sharing 0", v, n)
		}
	}
}

func TestWriteJSONL(t *testing.T) {
	cfg := Default()
	cfg.Benign, cfg.Network = 10, 5
	var buf bytes.Buffer
	if err := WriteJSONL(&buf, Generate(cfg)); err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(buf.Bytes(), []byte("\n")); n != 15 || !bytes.Contains(buf.Bytes(), []byte(`"x_label":"network"`)) {
		t.Errorf("%d lines:\n%s", n, buf.String())
	}
}
