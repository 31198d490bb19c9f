# Unit tests of the rules that do not depend on a license: GP10
# (EAR-736.2-GP10), is-informed letters (EAR-IS-INFORMED), red flags
# (EAR-732-RED-FLAG) and the AI Diffusion rule (EAR-AI-DIFFUSION-NOT-ENFORCED),
# against the real rules/*.yaml. Fixtures: requirements_test.rego.
package chipcheck.order

ascend := {
	"sku": "ASC-910B", "quantity": 4, "name": "Huawei Ascend 910B", "catalog": "huawei-ascend-910b",
	"eccn": "3A090.a", "paragraph": "3A090.a.1", "tpp": 5120, "pd": 7.5, "why": "3A090.a.1",
	"datacenter": true, "designer_country": "CN", "gp10_named": true,
}

# A PRC-designed 3A090.b chip that BIS's guidance does not name.
cn_b := object.union(it_b, {"sku": "CN-B", "name": "PRC Accel", "designer_country": "CN"})

h20 := {
	"sku": "H20-96", "quantity": 8, "name": "NVIDIA H20 96GB", "catalog": "nvidia-h20",
	"eccn": "none", "paragraph": "", "tpp": 2368, "pd": 2.91, "why": "not 3A090/4A090",
	"datacenter": true, "designer_country": "US",
	"memory_bandwidth_gbs": 4000, "interconnect_gbs": 900,
}

mi308 := {
	"sku": "MI308X", "quantity": 8, "name": "AMD Instinct MI308X", "catalog": "amd-instinct-mi308x",
	"eccn": "unknown", "paragraph": "", "tpp": null, "pd": null, "why": "no figures",
	"designer_country": "US",
}

# A chip with no catalog entry and the given figures.
plain_chip(bw, ic) := {
	"sku": "X-1", "quantity": 1, "eccn": "none", "paragraph": "", "tpp": 1000, "pd": 1,
	"why": "none", "memory_bandwidth_gbs": bw, "interconnect_gbs": ic,
}

# ---- GP10 ------------------------------------------------------------------

test_gp10_from_2025_05_13 if {
	no_rule(reasons_of({"date": "2025-05-12", "dest": "SG", "items": [ascend]}), "EAR-736.2-GP10")
	r := the(reasons_of({"date": "2025-05-13", "dest": "SG", "items": [ascend]}), "EAR-736.2-GP10")
	r.outcome == "deny"
	r.message == "ASC-910B: Huawei Ascend 910B is named in BIS's GP10 guidance; BIS guidance says such ICs were very likely made in violation of the EAR"
	r.citation == data.rules.gp10.citation
	r.facts == {"sku": "ASC-910B"}
}

test_gp10_applies_to_domestic_orders if {
	rs := reasons_of({"from": "US", "dest": "US", "items": [ascend]})
	the(rs, "EAR-736.2-GP10").outcome == "deny"
	the(rs, "NO-LICENSE-REQUIRED").outcome == "allow"
}

test_gp10_technical_evaluation_is_review if {
	r := the(reasons_of({"dest": "SG", "items": [ascend], "end_use": ["research", "technical_evaluation"]}), "EAR-736.2-GP10")
	r.outcome == "review"
	endswith(r.message, "; declared for technical evaluation only, the guidance's carve-out: confirm and document")
	the(reasons_of({"dest": "SG", "items": [ascend], "end_use": ["research"]}), "EAR-736.2-GP10").outcome == "deny"
}

test_gp10_prc_designed_3a090 if {
	r := the(reasons_of({"dest": "SG", "items": [cn_b]}), "EAR-736.2-GP10")
	r.outcome == "deny"
	startswith(r.message, "CN-B: PRC Accel is 3A090.b and was designed in CN;")
	a := object.union(cn_b, {"eccn": "3A090.a"})
	the(reasons_of({"dest": "SG", "items": [a]}), "EAR-736.2-GP10").outcome == "deny"
}

test_gp10_hk_designer_reads_as_cn if {
	r := the(reasons_of({"dest": "SG", "items": [object.union(cn_b, {"designer_country": "HK"})]}), "EAR-736.2-GP10")
	contains(r.message, "designed in HK")
}

test_gp10_prc_designed_below_3a090_or_unnamed if {
	no_rule(reasons_of({"dest": "SG", "items": [object.union(cn_b, {"eccn": "none"})]}), "EAR-736.2-GP10")
	no_rule(reasons_of({"dest": "SG", "items": [object.union(cn_b, {"eccn": "4A090.b"})]}), "EAR-736.2-GP10")
	no_rule(reasons_of({"dest": "SG", "items": [object.union(cn_b, {"eccn": "3A090.c"})]}), "EAR-736.2-GP10")
	no_rule(reasons_of({"dest": "SG", "items": [it_a, it_b]}), "EAR-736.2-GP10") # US-designed
	no_rule(reasons_of({"dest": "SG", "items": [object.remove(cn_b, {"designer_country"})]}), "EAR-736.2-GP10")
}

test_gp10_named_whatever_the_eccn if {
	r := the(reasons_of({"dest": "SG", "items": [object.union(ascend, {"eccn": "unknown"})]}), "EAR-736.2-GP10")
	contains(r.message, "is named in BIS's GP10 guidance")
}

test_gp10_name_fallbacks if {
	r1 := the(reasons_of({"dest": "SG", "items": [object.remove(ascend, {"name"})]}), "EAR-736.2-GP10")
	startswith(r1.message, "ASC-910B: the IC is named")
	r2 := the(reasons_of({"dest": "SG", "items": [object.remove(cn_b, {"name"})]}), "EAR-736.2-GP10")
	startswith(r2.message, "CN-B: the IC is 3A090.b and was designed in CN")
}

test_gp10_contained_chip if {
	srv := server("SRV-H", "4A090.a", ascend, 8)
	r := the(reasons_of({"dest": "SG", "items": [srv]}), "EAR-736.2-GP10")
	r.facts.sku == "SRV-H"
	contains(r.message, "Huawei Ascend 910B is named")
	srv2 := server("SRV-C", "4A090.b", cn_b, 2)
	the(reasons_of({"dest": "SG", "items": [srv2]}), "EAR-736.2-GP10").facts.sku == "SRV-C"
}

test_gp10_one_per_item if {
	hs := by_rule(reasons_of({"dest": "SG", "items": [ascend, cn_b, it_a]}), "EAR-736.2-GP10")
	{h.facts.sku | some h in hs} == {"ASC-910B", "CN-B"}
}

# ---- is-informed letters ---------------------------------------------------

test_informed_nvidia_h20_to_cn if {
	rs := reasons_of({"date": "2025-04-09", "exporter": "NVIDIA", "items": [h20]})
	r := the(rs, "EAR-IS-INFORMED")
	r.outcome == "deny"
	startswith(r.message, "BIS letter nvidia-h20-2025-04 to NVIDIA covers H20-96 for destination CN (Country Groups D:1, D:4, D:5)")
	endswith(r.message, "; License Exceptions do not overcome it")
	r.citation == "BIS is-informed letter to NVIDIA of 9 Apr 2025 (NVIDIA Form 8-K, 15 Apr 2025)"
	r.facts.letter == "nvidia-h20-2025-04"
	r.facts.items == [{"sku": "H20-96", "eccn": "none", "tpp": 2368, "pd": 2.91}]
	not r.facts.review_policy
	no_rule(rs, "NO-LICENSE-REQUIRED")
}

test_informed_from_letter_date if {
	no_rule(reasons_of({"date": "2025-04-08", "exporter": "NVIDIA", "items": [h20]}), "EAR-IS-INFORMED")
}

test_informed_exporter_match_case_insensitive if {
	the(reasons_of({"exporter": "  nvidia corporation ", "items": [h20]}), "EAR-IS-INFORMED").outcome == "deny"
	no_rule(reasons_of({"exporter": "NVIDIA Corp", "items": [h20]}), "EAR-IS-INFORMED")
	no_rule(reasons_of({"exporter": "AMD", "items": [h20]}), "EAR-IS-INFORMED")
	no_rule(reasons_of({"exporter": "", "items": [h20]}), "EAR-IS-INFORMED")
}

test_informed_destinations if {
	the(reasons_of({"exporter": "NVIDIA", "dest": "MO", "items": [h20]}), "EAR-IS-INFORMED").outcome == "deny"
	the(reasons_of({"exporter": "NVIDIA", "dest": "HK", "items": [h20]}), "EAR-IS-INFORMED").outcome == "deny"
	the(reasons_of({"exporter": "NVIDIA", "dest": "RU", "items": [h20]}), "EAR-IS-INFORMED").outcome == "deny"
	no_rule(reasons_of({"exporter": "NVIDIA", "dest": "VN", "items": [h20]}), "EAR-IS-INFORMED")
	no_rule(reasons_of({"exporter": "NVIDIA", "dest": "SG", "items": [h20]}), "EAR-IS-INFORMED")
}

test_informed_headquarters if {
	r := the(reasons_of({"exporter": "NVIDIA", "dest": "SG", "items": [h20], "parties": [party("buyer", "Acme", "SG", "CN")]}), "EAR-IS-INFORMED")
	contains(r.message, "because buyer Acme is headquartered in CN")
	p := with_parent(party("end_user", "E", "MY", "MY"), "EP", "MO")
	r2 := the(reasons_of({"exporter": "NVIDIA", "dest": "MY", "items": [h20], "parties": [p]}), "EAR-IS-INFORMED")
	contains(r2.message, "ultimate parent EP is headquartered in MO")
	no_rule(reasons_of({"exporter": "NVIDIA", "dest": "SG", "items": [h20], "parties": [party("buyer", "B", "SG", "VN")]}), "EAR-IS-INFORMED")
}

test_informed_headquarters_needs_letter_flag if {
	letters := [object.union(data.rules.is_informed.letters[0], {"headquarters": false})]
	rs := reasons_of({"exporter": "NVIDIA", "dest": "SG", "items": [h20], "parties": [cn_buyer]}) with data.rules.is_informed.letters as letters
	no_rule(rs, "EAR-IS-INFORMED")
	the(reasons_of({"exporter": "NVIDIA", "dest": "SG", "items": [h20], "parties": [cn_buyer]}), "EAR-IS-INFORMED").outcome == "deny"
}

test_informed_reaches_figures if {
	the(reasons_of({"exporter": "NVIDIA", "items": [plain_chip(4000, 100)]}), "EAR-IS-INFORMED").facts.items[0].sku == "X-1"
	the(reasons_of({"exporter": "NVIDIA", "items": [plain_chip(100, 900)]}), "EAR-IS-INFORMED").outcome == "deny"
	no_rule(reasons_of({"exporter": "NVIDIA", "items": [plain_chip(3999.9, 899)]}), "EAR-IS-INFORMED")
	no_rule(reasons_of({"exporter": "NVIDIA", "items": [plain_chip(null, null)]}), "EAR-IS-INFORMED")
}

test_informed_lists_only_covered_items if {
	r := the(reasons_of({"exporter": "NVIDIA", "items": [it_none, h20, plain_chip(100, 100)]}), "EAR-IS-INFORMED")
	[x.sku | some x in r.facts.items] == ["H20-96"]
}

test_informed_contained_chip if {
	srv := server("SRV-H20", "none", object.remove(h20, {"memory_bandwidth_gbs", "interconnect_gbs"}), 8)
	r := the(reasons_of({"exporter": "NVIDIA", "items": [srv]}), "EAR-IS-INFORMED")
	r.facts.items[0].sku == "SRV-H20"
}

test_informed_amd_letter if {
	o := {"exporter": "Advanced Micro Devices, Inc.", "items": [mi308]}
	no_rule(reasons_of(object.union(o, {"date": "2025-04-14"})), "EAR-IS-INFORMED")
	r := the(reasons_of(object.union(o, {"date": "2025-04-15"})), "EAR-IS-INFORMED")
	r.facts.letter == "amd-mi308-2025-04"
	no_rule(reasons_of({"exporter": "AMD", "items": [h20]}), "EAR-IS-INFORMED") # no reaches figures
	no_rule(reasons_of({"exporter": "NVIDIA", "items": [mi308]}), "EAR-IS-INFORMED")
}

test_informed_not_domestic if {
	no_rule(reasons_of({"exporter": "NVIDIA", "from": "US", "dest": "US", "items": [h20], "parties": [cn_buyer]}), "EAR-IS-INFORMED")
}

# ---- red flags -------------------------------------------------------------

test_flag_every_code_is_review if {
	count(data.rules.red_flags.flags) > 0
	every code, f in data.rules.red_flags.flags {
		r := the(reasons_of({"dest": "DE", "red_flags": [code]}), "EAR-732-RED-FLAG")
		r.outcome == "review"
		r.message == sprintf("red flag %s: %s; resolve before shipping", [code, f.description])
		r.citation == f.citation
		r.facts == {"red_flag": code}
	}
}

test_flag_one_per_code if {
	rs := by_rule(reasons_of({"dest": "DE", "red_flags": ["cash_payment", "unusual_routing"]}), "EAR-732-RED-FLAG")
	{r.facts.red_flag | some r in rs} == {"cash_payment", "unusual_routing"}
}

test_flag_unknown_code_or_none if {
	no_rule(reasons_of({"dest": "DE", "red_flags": ["not_a_flag"]}), "EAR-732-RED-FLAG")
	no_rule(reasons_of({"dest": "DE"}), "EAR-732-RED-FLAG")
}

test_flag_domestic_too if {
	the(reasons_of({"from": "US", "dest": "US", "red_flags": ["evasive_end_use"]}), "EAR-732-RED-FLAG").outcome == "review"
}

# ---- AI Diffusion (not enforced) -------------------------------------------

test_diffusion_from_2025_01_13 if {
	no_rule(reasons_of({"date": "2025-01-12", "dest": "SG"}), "EAR-AI-DIFFUSION-NOT-ENFORCED")
	r := the(reasons_of({"date": "2025-01-13", "dest": "SG"}), "EAR-AI-DIFFUSION-NOT-ENFORCED")
	r.outcome == "allow"
	r.message == "the AI Diffusion rule would require a license for GPU-A to SG, but BIS does not enforce it (informational)"
	r.citation == data.rules.diffusion.citation
}

test_diffusion_exempt_countries if {
	count(data.rules.diffusion.exempt_countries) == 19
	every c in data.rules.diffusion.exempt_countries {
		no_rule(reasons_of({"from": "CA", "dest": c}), "EAR-AI-DIFFUSION-NOT-ENFORCED")
	}
	the(reasons_of({"dest": "IL"}), "EAR-AI-DIFFUSION-NOT-ENFORCED").outcome == "allow"
}

test_diffusion_a_items_only if {
	no_rule(reasons_of({"dest": "SG", "items": [it_b, server("SRV-B", "4A090.b", it_b, 8), it_none]}), "EAR-AI-DIFFUSION-NOT-ENFORCED")
	r := the(reasons_of({"dest": "SG", "items": [it_b, server("SRV-A", "4A090.a", it_a, 8), it_a]}), "EAR-AI-DIFFUSION-NOT-ENFORCED")
	contains(r.message, "for SRV-A, GPU-A to SG")
}

test_diffusion_reads_hk_as_cn if {
	r := the(reasons_of({"dest": "HK"}), "EAR-AI-DIFFUSION-NOT-ENFORCED")
	contains(r.message, "to CN")
}

test_diffusion_not_domestic if {
	no_rule(reasons_of({"from": "US", "dest": "US"}), "EAR-AI-DIFFUSION-NOT-ENFORCED")
}
