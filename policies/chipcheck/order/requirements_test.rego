# Unit tests of the 15 CFR 742.6(a)(6) requirements (EAR-742.6-DEST, -HQ,
# -HBM) and of the review policy a license application would meet, against
# the real rules/license.yaml and rules/country_groups.yaml.
#
# The fixtures at the top are shared by every *_test.rego of package
# chipcheck.order: tests build orders with doc({...}) from a few flat keys.
package chipcheck.order

# ---- shared fixtures -------------------------------------------------------

# Classified items as the engine passes them (see common.rego).
it_a := {
	"sku": "GPU-A", "quantity": 8, "name": "Accel A",
	"eccn": "3A090.a", "paragraph": "3A090.a.1", "tpp": 15831.2, "pd": 19.45,
	"why": "3A090.a.1: TPP 15831.2 >= 4800; designed or marketed for datacenters",
	"datacenter": true, "designer_country": "US",
	"memory_bandwidth_gbs": 4800, "interconnect_gbs": 900,
}

# A 3A090.a item not designed or marketed for datacenters (exception-eligible).
it_a_nodc := object.union(it_a, {"sku": "GPU-A-ND", "datacenter": false})

# A 3A090.a item that does not say.
it_a_unsaid := object.union(object.remove(it_a, {"datacenter"}), {"sku": "GPU-A-U"})

it_b := {
	"sku": "GPU-B", "quantity": 8, "name": "Accel B",
	"eccn": "3A090.b", "paragraph": "3A090.b.1", "tpp": 3200, "pd": 4,
	"why": "3A090.b.1", "datacenter": true, "designer_country": "US",
	"memory_bandwidth_gbs": 2000, "interconnect_gbs": 400,
}

it_none := {
	"sku": "GPU-N", "quantity": 8, "name": "Accel N",
	"eccn": "none", "paragraph": "", "tpp": 1000, "pd": 1.5,
	"why": "not 3A090/4A090", "datacenter": true, "designer_country": "US",
	"memory_bandwidth_gbs": 300,
}

it_unknown := {
	"sku": "GPU-U", "quantity": 1, "eccn": "unknown", "paragraph": "", "tpp": null, "pd": null,
	"why": "ECCN unknown: no performance figures given: TPP cannot be computed",
}

it_hbm := {
	"sku": "HBM-1", "quantity": 64, "name": "HBM stack",
	"eccn": "3A090.c", "paragraph": "3A090.c", "tpp": null, "pd": null,
	"why": "3A090.c", "datacenter": true, "designer_country": "KR",
}

# A computer or assembly (4A090) with n of chip inside.
server(sku, eccn, chip, n) := {
	"sku": sku, "quantity": 1, "eccn": eccn, "paragraph": eccn,
	"tpp": chip.tpp, "pd": chip.pd, "why": eccn,
	"contains": [object.union(chip, {"sku": sku, "count": n})],
}

party(role, name, country, hq) := {"role": role, "name": name, "country": country, "headquarters": hq}

with_parent(p, name, hq) := object.union(p, {"ultimate_parent": {"name": name, "headquarters": hq}})

# An input document from flat keys: date, from, dest, items, parties,
# license, end_use (codes), red_flags, exporter. Defaults: a 2025-06-01
# export of one it_a from the US to CN, no parties, nothing claimed.
doc(o) := {
	"order": object.union(
		{
			"id": "T-1",
			"date": object.get(o, "date", "2025-06-01"),
			"ship_from": object.get(o, "from", "US"),
			"destination": object.get(o, "dest", "CN"),
			"end_use": {"codes": object.get(o, "end_use", [])},
			"red_flags": object.get(o, "red_flags", []),
		},
		object.filter(o, ["license"]),
	),
	"items": object.get(o, "items", [it_a]),
	"parties": object.get(o, "parties", []),
	"screening": [],
	"screened": false,
	"config": {"exporter": object.get(o, "exporter", "")},
}

reasons_of(o) := rs if {
	rs := reasons with input as doc(o)
}

reqs_of(o) := rs if {
	rs := requirements with input as doc(o)
}

by_rule(rs, id) := [r | some r in rs; r.rule == id]

# The one reason (or requirement) with this rule id; undefined unless exactly one.
the(rs, id) := r if {
	[r] := by_rule(rs, id)
}

no_rule(rs, id) if count(by_rule(rs, id)) == 0

denial := "presumption of denial"

approval := "presumption of approval"

band := "case-by-case"

# The review policy stated on the uncovered requirement reason with this id.
policy_on(o, id) := p if {
	r := the(reasons_of(o), id)
	r.outcome == "deny"
	p := r.facts.review_policy
	contains(r.message, sprintf("a license application would be reviewed under a %s policy", [p]))
}

# ---- EAR-742.6-DEST --------------------------------------------------------

test_dest_not_before_2022_10_07 if {
	rs := reasons_of({"date": "2022-10-06"})
	no_rule(rs, "EAR-742.6-DEST")
	the(rs, "NO-LICENSE-REQUIRED").outcome == "allow"
}

test_dest_cn_from_2022_10_07 if {
	r := the(reasons_of({"date": "2022-10-07"}), "EAR-742.6-DEST")
	r.outcome == "deny"
	startswith(r.message, "destination CN (Country Groups D:1, D:4, D:5) is in the advanced-computing license scope: GPU-A is 3A090.a (TPP 15831.2, PD 19.45)")
	contains(r.message, "no license or applicable License Exception is on file")
	r.citation == "15 CFR 742.6(a)(6)(i) as of 87 FR 62186 (Oct 2022)"
	r.facts.destination == "CN"
	r.facts.country_groups == "D:1, D:4, D:5"
	r.facts.items == [{"sku": "GPU-A", "eccn": "3A090.a", "tpp": 15831.2, "pd": 19.45}]
	r.facts.review_policy == denial
}

test_dest_2022_versions_cover_only_a_items if {
	no_rule(reasons_of({"date": "2023-06-01", "items": [it_b]}), "EAR-742.6-DEST")
	no_rule(reasons_of({"date": "2023-06-01", "items": [server("SRV-B", "4A090.b", it_b, 8)]}), "EAR-742.6-DEST")
	r := the(reasons_of({"date": "2023-06-01", "items": [server("SRV-A", "4A090.a", it_a, 8)]}), "EAR-742.6-DEST")
	r.facts.items[0].eccn == "4A090.a"
}

test_dest_macau_from_2023_01_18 if {
	no_rule(reasons_of({"date": "2023-01-17", "dest": "MO"}), "EAR-742.6-DEST")
	r := the(reasons_of({"date": "2023-01-18", "dest": "MO"}), "EAR-742.6-DEST")
	r.outcome == "deny"
	r.facts.destination == "MO"
	r.citation == "15 CFR 742.6(a)(6)(i) as amended by 88 FR 2821 (Jan 2023)"
}

test_dest_d1_d4_from_2023_11_17 if {
	no_rule(reasons_of({"date": "2023-11-16", "dest": "VN"}), "EAR-742.6-DEST")
	r := the(reasons_of({"date": "2023-11-17", "dest": "VN", "items": [it_b]}), "EAR-742.6-DEST")
	r.outcome == "deny"
	r.citation == "15 CFR 742.6(a)(6)(i)"
	r.facts.destination == "VN"
	r.facts.country_groups == "D:1"
	contains(r.message, "destination VN (Country Groups D:1)")
	contains(r.message, "GPU-B is 3A090.b (TPP 3200, PD 4)")
}

test_dest_2023_covers_a_b_and_4a090 if {
	its := [it_a, it_b, server("SRV-A", "4A090.a", it_a, 8), server("SRV-B", "4A090.b", it_b, 4), it_none, it_hbm]
	r := the(reasons_of({"dest": "SA", "items": its}), "EAR-742.6-DEST")
	[x.sku | some x in r.facts.items] == ["GPU-A", "GPU-B", "SRV-A", "SRV-B"]
	not contains(r.message, "GPU-N")
}

test_dest_d4_country if {
	r := the(reasons_of({"dest": "AE"}), "EAR-742.6-DEST")
	r.facts.country_groups == "D:4"
	r.outcome == "deny"
}

test_dest_excludes_a6_and_ungrouped if {
	no_rule(reasons_of({"dest": "IL"}), "EAR-742.6-DEST") # D:4 and A:6
	no_rule(reasons_of({"dest": "SG"}), "EAR-742.6-DEST")
	no_rule(reasons_of({"dest": "DE"}), "EAR-742.6-DEST")
}

test_dest_hk_read_as_cn if {
	r := the(reasons_of({"dest": "HK"}), "EAR-742.6-DEST")
	r.facts.destination == "CN"
	r.facts.country_groups == "D:1, D:4, D:5"
	contains(r.message, "HK")
	r.facts.review_policy == denial
}

test_dest_no_in_scope_item if {
	rs := reasons_of({"items": [it_none, it_hbm]})
	no_rule(rs, "EAR-742.6-DEST")
}

test_dest_reexport_counts if {
	r := the(reasons_of({"from": "SG", "dest": "CN"}), "EAR-742.6-DEST")
	r.outcome == "deny"
}

test_dest_not_for_domestic_or_us if {
	no_rule(reasons_of({"from": "US", "dest": "US"}), "EAR-742.6-DEST")
	no_rule(reasons_of({"from": "CA", "dest": "US"}), "EAR-742.6-DEST")
}

test_dest_nicaragua_from_2024_03_15 if {
	no_rule(reasons_of({"date": "2024-03-14", "dest": "NI"}), "EAR-742.6-DEST")
	r := the(reasons_of({"date": "2024-03-15", "dest": "NI"}), "EAR-742.6-DEST")
	r.facts.country_groups == "D:1, D:5"
	r.facts.review_policy == denial
}

test_dest_cambodia_leaves_d5_on_2026_02_03 if {
	policy_on({"date": "2026-02-02", "dest": "KH"}, "EAR-742.6-DEST") == denial
	r := the(reasons_of({"date": "2026-02-03", "dest": "KH"}), "EAR-742.6-DEST")
	r.facts.country_groups == "D:1"
	r.facts.review_policy == approval
}

# ---- EAR-742.6-HQ ----------------------------------------------------------

cn_buyer := party("buyer", "Acme Trading", "SG", "CN")

test_hq_from_2023_11_17 if {
	no_rule(reasons_of({"date": "2023-11-16", "dest": "SG", "parties": [cn_buyer]}), "EAR-742.6-HQ")
	r := the(reasons_of({"date": "2023-11-17", "dest": "SG", "parties": [cn_buyer]}), "EAR-742.6-HQ")
	r.outcome == "deny"
	startswith(r.message, "buyer Acme Trading is headquartered in CN (Country Groups D:1, D:4, D:5), which needs a license wherever the party is located: GPU-A is 3A090.a")
	r.citation == "15 CFR 742.6(a)(6)(iii)(A); 15 CFR 744.23(a)(3)"
	r.facts.party == "buyer"
	r.facts.headquarters == "CN"
	r.facts.country_groups == "D:1, D:4, D:5"
	r.facts.items[0].sku == "GPU-A"
	r.facts.review_policy == denial
}

test_hq_ultimate_parent if {
	eu := with_parent(party("end_user", "Local Labs", "MY", "MY"), "Dragon Group", "HK")
	r := the(reasons_of({"dest": "MY", "parties": [eu]}), "EAR-742.6-HQ")
	contains(r.message, "end_user Local Labs's ultimate parent Dragon Group is headquartered in")
	r.facts.party == "end_user"
	r.facts.headquarters == "CN"
	r.outcome == "deny"
}

test_hq_one_per_party_fact if {
	ps := [
		party("buyer", "B", "SG", "CN"),
		party("consignee", "C", "SG", "MO"),
		party("intermediate", "I", "AE", "RU"),
		with_parent(party("end_user", "E", "SG", "SG"), "EP", "CN"),
		party("intermediate", "J", "DE", "DE"),
	]
	hs := by_rule(reasons_of({"dest": "SG", "parties": ps}), "EAR-742.6-HQ")
	count(hs) == 4
	{[h.facts.party, h.facts.headquarters] | some h in hs} == {["buyer", "CN"], ["consignee", "MO"], ["intermediate", "RU"], ["end_user", "CN"]}
	every h in hs { h.outcome == "deny" }
}

test_hq_self_and_parent_both_count if {
	p := with_parent(party("buyer", "B", "SG", "CN"), "BP", "CN")
	count(by_rule(reasons_of({"dest": "SG", "parties": [p]}), "EAR-742.6-HQ")) == 2
}

test_hq_d1_only_is_not_enough if {
	no_rule(reasons_of({"dest": "SG", "parties": [party("buyer", "B", "SG", "VN")]}), "EAR-742.6-HQ")
	no_rule(reasons_of({"dest": "SG", "parties": [party("buyer", "B", "SG", "IL")]}), "EAR-742.6-HQ")
	no_rule(reasons_of({"dest": "SG", "parties": [party("buyer", "B", "SG", "SG")]}), "EAR-742.6-HQ")
}

test_hq_follows_dated_d5 if {
	kh := [party("buyer", "B", "SG", "KH")]
	the(reasons_of({"date": "2026-02-02", "dest": "SG", "parties": kh}), "EAR-742.6-HQ").facts.headquarters == "KH"
	no_rule(reasons_of({"date": "2026-02-03", "dest": "SG", "parties": kh}), "EAR-742.6-HQ")
	ni := [party("buyer", "B", "SG", "NI")]
	no_rule(reasons_of({"date": "2024-03-14", "dest": "SG", "parties": ni}), "EAR-742.6-HQ")
	the(reasons_of({"date": "2024-03-15", "dest": "SG", "parties": ni}), "EAR-742.6-HQ").facts.headquarters == "NI"
}

test_hq_only_3a090_4a090_items if {
	no_rule(reasons_of({"dest": "SG", "parties": [cn_buyer], "items": [it_none, it_hbm]}), "EAR-742.6-HQ")
	r := the(reasons_of({"dest": "SG", "parties": [cn_buyer], "items": [it_none, server("SRV-B", "4A090.b", it_b, 2)]}), "EAR-742.6-HQ")
	[x.sku | some x in r.facts.items] == ["SRV-B"]
}

test_hq_not_when_destination_is_us if {
	no_rule(reasons_of({"from": "US", "dest": "US", "parties": [cn_buyer]}), "EAR-742.6-HQ")
	no_rule(reasons_of({"from": "SG", "dest": "US", "parties": [cn_buyer]}), "EAR-742.6-HQ")
}

test_hq_party_without_headquarters if {
	no_rule(reasons_of({"dest": "SG", "parties": [{"role": "buyer", "name": "B", "country": "CN"}]}), "EAR-742.6-HQ")
}

# ---- EAR-742.6-HBM ---------------------------------------------------------

test_hbm_from_2024_12_02 if {
	no_rule(reasons_of({"date": "2024-12-01", "items": [it_hbm]}), "EAR-742.6-HBM")
	r := the(reasons_of({"date": "2024-12-02", "items": [it_hbm]}), "EAR-742.6-HBM")
	r.outcome == "deny"
	startswith(r.message, "destination CN (Country Groups D:1, D:4, D:5) is in Macau or Country Group D:5: HBM-1 is 3A090.c (TPP not given, PD not given)")
	r.citation == "15 CFR 742.6(a)(6) as amended by 89 FR 96790 (Dec 2024)"
	r.facts.destination == "CN"
	r.facts.items == [{"sku": "HBM-1", "eccn": "3A090.c", "tpp": null, "pd": null}]
	r.facts.review_policy == denial
}

test_hbm_macau_and_d5_only if {
	the(reasons_of({"dest": "MO", "items": [it_hbm]}), "EAR-742.6-HBM").outcome == "deny"
	the(reasons_of({"dest": "RU", "items": [it_hbm]}), "EAR-742.6-HBM").outcome == "deny"
	no_rule(reasons_of({"dest": "VN", "items": [it_hbm]}), "EAR-742.6-HBM")
	no_rule(reasons_of({"dest": "SG", "items": [it_hbm]}), "EAR-742.6-HBM")
}

test_hbm_only_3a090c_items if {
	rs := reasons_of({"items": [it_a, it_b]})
	no_rule(rs, "EAR-742.6-HBM")
	no_rule(reasons_of({"items": [it_hbm]}), "EAR-742.6-DEST")
}

test_hbm_not_domestic if {
	no_rule(reasons_of({"from": "US", "dest": "US", "items": [it_hbm]}), "EAR-742.6-HBM")
}

# ---- review policy ---------------------------------------------------------

band_date := "2026-01-15"

test_policy_band_from_2026_01_15 if {
	policy_on({"date": "2026-01-14"}, "EAR-742.6-DEST") == denial
	r := the(reasons_of({"date": band_date}), "EAR-742.6-DEST")
	r.facts.review_policy == band
	contains(r.message, "reviewed under a case-by-case policy (15 CFR 742.6(b)(10)(iii)(A)(1) (91 FR 1684))")
}

test_policy_macau_d5_citation if {
	r := the(reasons_of({"date": "2026-01-14"}), "EAR-742.6-DEST")
	contains(r.message, "reviewed under a presumption of denial policy (15 CFR 742.6(b)(10))")
}

test_policy_band_tpp_edge if {
	policy_on({"date": band_date, "items": [object.union(it_a, {"tpp": 20999.99})]}, "EAR-742.6-DEST") == band
	policy_on({"date": band_date, "items": [object.union(it_a, {"tpp": 21000})]}, "EAR-742.6-DEST") == denial
}

test_policy_band_memory_bandwidth_edge if {
	policy_on({"date": band_date, "items": [object.union(it_a, {"memory_bandwidth_gbs": 6499.99})]}, "EAR-742.6-DEST") == band
	policy_on({"date": band_date, "items": [object.union(it_a, {"memory_bandwidth_gbs": 6500})]}, "EAR-742.6-DEST") == denial
}

test_policy_band_needs_both_figures if {
	policy_on({"date": band_date, "items": [object.remove(it_a, {"memory_bandwidth_gbs"})]}, "EAR-742.6-DEST") == denial
	policy_on({"date": band_date, "items": [object.union(it_a, {"tpp": null})]}, "EAR-742.6-DEST") == denial
}

test_policy_band_exports_from_us_only if {
	policy_on({"date": band_date, "from": "SG"}, "EAR-742.6-DEST") == denial
	policy_on({"date": band_date, "from": "HK"}, "EAR-742.6-DEST") == denial
}

test_policy_band_destinations_cn_mo_only if {
	policy_on({"date": band_date, "dest": "MO"}, "EAR-742.6-DEST") == band
	policy_on({"date": band_date, "dest": "HK"}, "EAR-742.6-DEST") == band # read as CN
	policy_on({"date": band_date, "dest": "RU"}, "EAR-742.6-DEST") == denial
}

test_policy_band_every_item_every_chip if {
	big := object.union(it_a, {"sku": "GPU-X", "tpp": 36000, "memory_bandwidth_gbs": 8000})
	policy_on({"date": band_date, "items": [it_a, it_b]}, "EAR-742.6-DEST") == band
	policy_on({"date": band_date, "items": [it_a, big]}, "EAR-742.6-DEST") == denial
	policy_on({"date": band_date, "items": [server("SRV-A", "4A090.a", it_a, 8)]}, "EAR-742.6-DEST") == band
	srv := object.union(server("SRV-X", "4A090.a", it_a, 8), {"contains": [
		object.union(it_a, {"sku": "SRV-X", "count": 4}),
		object.union(big, {"sku": "SRV-X", "count": 4}),
	]})
	policy_on({"date": band_date, "items": [srv]}, "EAR-742.6-DEST") == denial
}

test_policy_band_only_affected_items if {
	# an out-of-scope item does not take the order out of the band
	policy_on({"date": band_date, "items": [it_a, object.union(it_none, {"tpp": 1000, "memory_bandwidth_gbs": 9000})]}, "EAR-742.6-DEST") == band
}

test_policy_d1_d4_approval_without_hq if {
	policy_on({"dest": "VN"}, "EAR-742.6-DEST") == approval
	policy_on({"dest": "AE"}, "EAR-742.6-DEST") == approval
}

test_policy_d1_d4_denial_with_hq if {
	o := {"dest": "VN", "parties": [party("buyer", "B", "VN", "CN")]}
	policy_on(o, "EAR-742.6-DEST") == denial
	policy_on(o, "EAR-742.6-HQ") == denial
}

test_policy_hq_band_when_located_in_destination if {
	policy_on({"date": band_date, "parties": [party("buyer", "B", "CN", "CN")]}, "EAR-742.6-HQ") == band
	policy_on({"date": band_date, "parties": [party("buyer", "B", "HK", "CN")]}, "EAR-742.6-HQ") == band
	policy_on({"date": "2026-01-14", "parties": [party("buyer", "B", "CN", "CN")]}, "EAR-742.6-HQ") == denial
}

test_policy_hq_denial_when_located_elsewhere if {
	o := {"date": band_date, "parties": [party("buyer", "B", "SG", "CN")]}
	policy_on(o, "EAR-742.6-DEST") == band
	policy_on(o, "EAR-742.6-HQ") == denial
	policy_on({"date": band_date, "dest": "RU", "parties": [party("buyer", "B", "RU", "RU")]}, "EAR-742.6-HQ") == denial
	policy_on({"date": band_date, "dest": "SG", "parties": [party("buyer", "B", "SG", "CN")]}, "EAR-742.6-HQ") == denial
}

test_policy_hq_without_location if {
	p := {"role": "buyer", "name": "B", "headquarters": "CN"}
	policy_on({"date": band_date, "parties": [p]}, "EAR-742.6-HQ") == denial
}

test_policy_hbm_denial_even_in_band_window if {
	policy_on({"date": band_date, "items": [it_hbm]}, "EAR-742.6-HBM") == denial
	policy_on({"date": band_date, "dest": "MO", "items": [it_hbm]}, "EAR-742.6-HBM") == denial
}
