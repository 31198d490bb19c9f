# Unit tests of the order-line stage (EAR-736.2-GP10, ITEM-UNCLASSIFIED)
# against the real rules/gp10.yaml.
#
# Input, as the engine builds it once per order line (internal/orders/
# decide.go, runLines): {end_use: [codes], item: {class, eccn, gp10,
# unclassified}}; item is the "line" view of data.chipcheck.item.judge for
# the line, judged on the order date, with its class id. The stage reads no
# date, and its reasons need no "about": they are about their line (the
# engine adds the line's sku to the facts).
package chipcheck.line

import data.chipcheck.fixtures as fx

# The stage input for one order line of date d with end-use codes.
stage_input(it, d, codes) := {"end_use": codes, "item": object.union(data.chipcheck.item.judge(it, d).line, {"class": 1})}

reasons_of(it, d, codes) := rs if {
	rs := reasons with input as stage_input(it, d, codes)
}

gp10(it) := fx.the(reasons_of(it, "2025-06-01", []), "EAR-736.2-GP10")

no_gp10(it) if fx.no_rule(reasons_of(it, "2025-06-01", []), "EAR-736.2-GP10")

violation := "; BIS guidance says such ICs were very likely made in violation of the EAR"

# ---- EAR-736.2-GP10 ------------------------------------------------------------

test_gp10_from_2025_05_13 if {
	count(reasons_of(fx.ascend, "2025-05-12", [])) == 0
	rs := reasons_of(fx.ascend, "2025-05-13", [])
	count(rs) == 1
	r := fx.the(rs, "EAR-736.2-GP10")
	r.outcome == "deny"
	r.message == concat("", ["Huawei Ascend 910B is named in BIS's GP10 guidance", violation])
	r.citation == data.rules.gp10.citation
	r.facts == {}
	object.keys(r) == {"rule", "outcome", "message", "citation", "facts"}
}

test_gp10_read_from_the_view if {
	# the stage judges only what the line view says
	rs := reasons with input as {"end_use": [], "item": {"class": 3, "eccn": "3A090.a", "gp10": "X", "unclassified": null}}
	r := fx.the(rs, "EAR-736.2-GP10")
	r.message == concat("", ["X", violation])
	count(reasons) == 0 with input as {"end_use": [], "item": {"class": 3, "eccn": "3A090.a", "gp10": null, "unclassified": null}}
}

test_gp10_technical_evaluation_is_review if {
	r := fx.the(reasons_of(fx.ascend, "2025-06-01", ["research", "technical_evaluation"]), "EAR-736.2-GP10")
	r.outcome == "review"
	r.message == concat("", ["Huawei Ascend 910B is named in BIS's GP10 guidance", violation, "; declared for technical evaluation only, the guidance's carve-out: confirm and document"])
	r2 := fx.the(reasons_of(fx.ascend, "2025-06-01", ["research"]), "EAR-736.2-GP10")
	r2.outcome == "deny"
	endswith(r2.message, violation)
}

test_gp10_prc_designed_3a090 if {
	gp10(fx.cn_b).message == concat("", ["PRC Accel is 3A090.b and was designed in CN", violation])
	gp10(object.union(fx.cn_b, {"eccn": "3A090.a"})).outcome == "deny"
}

test_gp10_hk_designer_reads_as_cn if {
	startswith(gp10(object.union(fx.cn_b, {"designer_country": "HK"})).message, "PRC Accel is 3A090.b and was designed in HK;")
}

test_gp10_prc_designed_below_3a090_or_unnamed if {
	no_gp10(object.union(fx.cn_b, {"eccn": "none"}))
	no_gp10(object.union(fx.cn_b, {"eccn": "4A090.b"}))
	no_gp10(object.union(fx.cn_b, {"eccn": "3A090.c"}))
	no_gp10(object.union(fx.cn_b, {"eccn": "unknown"}))
	no_gp10(fx.it_a) # US-designed
	no_gp10(fx.it_b)
	no_gp10(object.remove(fx.cn_b, {"designer_country"}))
	no_gp10(object.union(fx.ascend, {"gp10_named": false, "designer_country": "KR"}))
}

test_gp10_named_whatever_the_eccn if {
	startswith(gp10(object.union(fx.ascend, {"eccn": "none", "designer_country": "US"})).message, "Huawei Ascend 910B is named in BIS's GP10 guidance;")
}

test_gp10_name_fallbacks if {
	startswith(gp10(object.remove(fx.ascend, {"name"})).message, "the IC is named in BIS's GP10 guidance;")
	startswith(gp10(object.remove(fx.cn_b, {"name"})).message, "the IC is 3A090.b and was designed in CN;")
}

test_gp10_contained_chips if {
	r := gp10(fx.server("4A090.a", fx.ascend, 8))
	startswith(r.message, "Huawei Ascend 910B is named in BIS's GP10 guidance;")
	startswith(gp10(fx.server("4A090.b", fx.cn_b, 2)).message, "PRC Accel is 3A090.b and was designed in CN;")
	srv := object.union(fx.server("4A090.a", fx.ascend, 4), {"contains": [object.union(fx.ascend, {"count": 4}), object.union(fx.cn_b, {"count": 4})]})
	startswith(gp10(srv).message, "Huawei Ascend 910B is named in BIS's GP10 guidance; PRC Accel is 3A090.b and was designed in CN;")
	no_gp10(fx.server("4A090.a", fx.it_a, 8))
}

# ---- ITEM-UNCLASSIFIED -----------------------------------------------------------

test_unclassified_item_is_review if {
	rs := reasons_of(fx.it_unknown, "2025-06-01", [])
	count(rs) == 1
	r := fx.the(rs, "ITEM-UNCLASSIFIED")
	r.outcome == "review"
	r.message == "ECCN unknown: no performance figures given: TPP cannot be computed; classify it before shipping"
	r.citation == "15 CFR 774 Supp. 1, ECCN 3A090 Technical Notes"
	r.facts == {}
	object.keys(r) == {"rule", "outcome", "message", "citation", "facts"}
}

test_classified_items_are_silent if {
	every it in [fx.it_a, fx.it_b, fx.it_none, fx.it_hbm, fx.h20] {
		count(reasons_of(it, "2025-06-01", [])) == 0
	}
}

test_unclassified_any_date if {
	fx.the(reasons_of(fx.mi308, "2020-01-01", []), "ITEM-UNCLASSIFIED").message == "no figures; classify it before shipping"
}

test_unclassified_and_gp10_together if {
	rs := reasons_of(object.union(fx.ascend, {"eccn": "unknown", "why": "no figures"}), "2025-06-01", [])
	{r.rule | some r in rs} == {"EAR-736.2-GP10", "ITEM-UNCLASSIFIED"}
}
