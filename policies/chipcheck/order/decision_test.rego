# Unit tests of how requirements become reasons, of ITEM-UNCLASSIFIED and
# NO-LICENSE-REQUIRED, and of the order facts of common.rego (domestic
# orders, Hong Kong, party facts, the place cache). Fixtures:
# requirements_test.rego.
package chipcheck.order

# ---- requirement reasons ---------------------------------------------------

test_dec_one_reason_per_requirement if {
	o := {"items": [it_a, it_hbm], "parties": [cn_buyer], "end_use": ["supercomputer", "wmd"]}
	reqs := reqs_of(o)
	rs := reasons_of(o)
	count(reqs) == 5
	every q in reqs {
		r := the(rs, q.rule)
		r.citation == q.citation
		startswith(r.message, q.message)
		object.subset(r.facts, q.facts)
	}
}

test_dec_uncovered_requirement_is_deny if {
	r := the(reasons_of({}), "EAR-742.6-DEST")
	r.outcome == "deny"
	contains(r.message, "; no license or applicable License Exception is on file; a license application would be reviewed under a presumption of denial policy (15 CFR 742.6(b)(10))")
	not r.facts.authorized_by
}

test_dec_requirement_kinds if {
	o := {"items": [it_a, it_hbm, h20], "parties": [cn_buyer], "end_use": ["wmd"], "exporter": "NVIDIA"}
	{[q.rule, q.kind] | some q in reqs_of(o)} == {
		["EAR-742.6-DEST", "destination"],
		["EAR-742.6-HQ", "headquarters"],
		["EAR-742.6-HBM", "hbm"],
		["EAR-744-WMD", "end_use"],
		["EAR-IS-INFORMED", "is_informed"],
	}
}

# ---- ITEM-UNCLASSIFIED -----------------------------------------------------

test_unclassified_item_is_review if {
	rs := reasons_of({"dest": "DE", "items": [it_none, it_unknown]})
	r := the(rs, "ITEM-UNCLASSIFIED")
	r.outcome == "review"
	r.message == "GPU-U: ECCN unknown: no performance figures given: TPP cannot be computed; classify it before shipping"
	r.facts == {"sku": "GPU-U"}
	r.citation == "15 CFR 774 Supp. 1, ECCN 3A090 Technical Notes"
	no_rule(rs, "NO-LICENSE-REQUIRED")
}

test_unclassified_one_per_item if {
	u2 := object.union(it_unknown, {"sku": "GPU-U2", "why": "other"})
	rs := by_rule(reasons_of({"dest": "DE", "items": [it_unknown, u2]}), "ITEM-UNCLASSIFIED")
	{r.facts.sku | some r in rs} == {"GPU-U", "GPU-U2"}
}

test_unclassified_alongside_requirements if {
	rs := reasons_of({"items": [it_a, it_unknown]})
	the(rs, "ITEM-UNCLASSIFIED").outcome == "review"
	the(rs, "EAR-742.6-DEST").facts.items[0].sku == "GPU-A"
}

test_unclassified_domestic_too if {
	rs := reasons_of({"from": "US", "dest": "US", "items": [it_unknown]})
	the(rs, "ITEM-UNCLASSIFIED").outcome == "review"
	no_rule(rs, "NO-LICENSE-REQUIRED")
}

# ---- NO-LICENSE-REQUIRED ---------------------------------------------------

test_nlr_export_without_requirement if {
	rs := reasons_of({"dest": "DE", "items": [it_b, it_none]})
	r := the(rs, "NO-LICENSE-REQUIRED")
	r.outcome == "allow"
	r.message == "no license required: GPU-B is 3A090.b; GPU-N is none; destination DE (Country Groups A:5)"
	r.citation == "15 CFR 742.6(a)(6); 15 CFR 744"
	r.facts == {}
	count(rs) == 1
}

test_nlr_names_groups_of_destination if {
	r := the(reasons_of({"items": [it_none]}), "NO-LICENSE-REQUIRED")
	r.message == "no license required: GPU-N is none; destination CN (Country Groups D:1, D:4, D:5)"
}

test_nlr_not_with_a_requirement if {
	no_rule(reasons_of({}), "NO-LICENSE-REQUIRED")
	no_rule(reasons_of({"dest": "DE", "items": [it_none], "end_use": ["wmd"]}), "NO-LICENSE-REQUIRED")
}

test_nlr_domestic_order if {
	rs := reasons_of({"from": "US", "dest": "US", "items": [it_a, it_hbm], "parties": [cn_buyer], "end_use": ["wmd"], "exporter": "NVIDIA"})
	count(reqs_of({"from": "US", "dest": "US", "items": [it_a, it_hbm], "parties": [cn_buyer], "end_use": ["wmd"]})) == 0
	r := the(rs, "NO-LICENSE-REQUIRED")
	r.outcome == "allow"
	r.message == "no export license required: shipment from US to US is not an export"
	no_rule(rs, "EAR-AI-DIFFUSION-NOT-ENFORCED")
}

test_nlr_export_to_us_is_not_domestic if {
	r := the(reasons_of({"from": "CA", "dest": "US", "items": [it_a]}), "NO-LICENSE-REQUIRED")
	startswith(r.message, "no license required: GPU-A is 3A090.a; destination US")
}

test_nlr_export_from_hk_to_us if {
	# HK reads as CN: not a domestic shipment
	r := the(reasons_of({"from": "HK", "dest": "US", "items": [it_none]}), "NO-LICENSE-REQUIRED")
	startswith(r.message, "no license required:")
}

# ---- order facts (common.rego) ---------------------------------------------

test_common_domestic_and_export if {
	domestic with input as doc({"from": "US", "dest": "US"})
	not export with input as doc({"from": "US", "dest": "US"})
	export with input as doc({"from": "US", "dest": "CN"})
	export with input as doc({"from": "SG", "dest": "US"})
}

test_common_hk_reads_as_cn if {
	dest == "CN" with input as doc({"dest": "HK"})
	ship_from == "CN" with input as doc({"from": "HK"})
}

test_common_end_uses_default if {
	bare := {"order": {"date": "2025-06-01", "destination": "DE", "ship_from": "US"}, "items": [it_none], "parties": [], "config": {"exporter": ""}}
	end_uses == [] with input as bare
	rs := reasons with input as bare
	the(rs, "NO-LICENSE-REQUIRED").outcome == "allow"
}

test_common_chips_of if {
	data.chipcheck.item.chips_of(it_a) == [it_a]
	data.chipcheck.item.chips_of(object.union(it_a, {"contains": []})) == [object.union(it_a, {"contains": []})]
	s := server("SRV-A", "4A090.a", it_a, 8)
	data.chipcheck.item.chips_of(s) == s.contains
}

test_common_items_text if {
	items_text([it_a, it_unknown]) == "GPU-A is 3A090.a (TPP 15831.2, PD 19.45); GPU-U is unknown (TPP not given, PD not given)"
}

test_common_place_cache_is_used if {
	# the engine may pass precomputed place facts in input.places; the policy
	# must read them rather than recompute (mechanism test: a fake entry for DE
	# that puts it in the destination scope)
	fake := object.union(data.chipcheck.place.of("DE", "2025-06-01"), {"destination": {"items": ["3A090.a"], "citation": "FAKE"}})
	cached := object.union(doc({"dest": "DE"}), {"places": {"DE": fake}})
	rs := reasons with input as cached
	r := the(rs, "EAR-742.6-DEST")
	r.citation == "FAKE"
	no_rule(reasons_of({"dest": "DE"}), "EAR-742.6-DEST")
}

test_common_place_cache_same_decision if {
	o := {"dest": "HK", "from": "US", "parties": [cn_buyer], "items": [it_a, it_b], "date": "2026-01-20"}
	places := {c: data.chipcheck.place.of(c, "2026-01-20") | some c in ["HK", "US", "SG", "CN"]}
	rs := reasons with input as object.union(doc(o), {"places": places})
	reasons_of(o) == rs
}
