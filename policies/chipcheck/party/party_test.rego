# Unit tests of the party stage (EAR-742.6-HQ) against the real
# rules/*.yaml. The stage judges one headquarters country; input.items is
# the "party" view of data.chipcheck.item.judge per item class. The engine
# prefixes the message with the party ("the buyer is ...") and adds the
# party's role and country; those are not the stage's.
package chipcheck.party

import data.chipcheck.fixtures as fx

# A stage input from flat keys: date, dest, from, hq, items (order lines).
# Defaults: a 2025-06-01 export of one 3A090.a item from the US to SG for a
# party headquartered in CN.
stage_input(o) := {
	"date": d,
	"destination": object.get(o, "dest", "SG"),
	"ship_from": object.get(o, "from", "US"),
	"headquarters": object.get(o, "hq", "CN"),
	"items": fx.classes(object.get(o, "items", [fx.it_a]), d, "party"),
} if {
	d := object.get(o, "date", "2025-06-01")
}

reqs_of(o) := rs if {
	rs := requirements with input as stage_input(o)
}

hq_req(o) := fx.the(reqs_of(o), "EAR-742.6-HQ")

no_hq(o) if count(reqs_of(o)) == 0

test_hq_from_2023_11_17 if {
	no_hq({"date": "2023-11-16", "items": [fx.it_a]})
	r := hq_req({"date": "2023-11-17"})
	r.key == "EAR-742.6-HQ"
	r.kind == "headquarters"
	r.headquarters == "CN"
	r.classes == [1]
	r.citation == "15 CFR 742.6(a)(6)(iii)(A); 15 CFR 744.23(a)(3)"
	r.message == "headquartered in CN (Country Groups D:1, D:4, D:5), which needs a license for 3A090.a items wherever the party is located"
	r.facts == {"headquarters": "CN", "country_groups": "D:1, D:4, D:5"}
}

test_hq_hk_read_as_cn if {
	r := hq_req({"hq": "HK"})
	r.headquarters == "CN"
	r.facts.headquarters == "CN"
	startswith(r.message, "headquartered in HK (read as CN; Country Groups D:1, D:4, D:5), which")
}

test_hq_macau_and_d5 if {
	hq_req({"hq": "MO"}).facts == {"headquarters": "MO", "country_groups": "D:1, D:4"}
	hq_req({"hq": "RU"}).headquarters == "RU"
	hq_req({"hq": "IR"}).headquarters == "IR"
}

test_hq_d1_d4_or_elsewhere_is_not_enough if {
	no_hq({"hq": "VN"}) # D:1 only
	no_hq({"hq": "AE"}) # D:4 only
	no_hq({"hq": "IL"})
	no_hq({"hq": "SG"})
	no_hq({"hq": "US"})
}

test_hq_follows_dated_d5 if {
	hq_req({"date": "2026-02-02", "hq": "KH"}).facts.country_groups == "D:1, D:5"
	no_hq({"date": "2026-02-03", "hq": "KH"})
	no_hq({"date": "2024-03-14", "hq": "NI"})
	hq_req({"date": "2024-03-15", "hq": "NI"}).facts.country_groups == "D:1, D:5"
}

test_hq_only_3a090_4a090_a_b_items if {
	no_hq({"items": [fx.it_none, fx.it_hbm, fx.it_unknown]})
	r := hq_req({"items": [fx.it_none, fx.server("4A090.b", fx.it_b, 2), fx.it_hbm, fx.it_b, fx.server("4A090.a", fx.it_a, 8)]})
	r.classes == [2, 4, 5]
	contains(r.message, "for 3A090.b and 4A090.a and 4A090.b items wherever")
}

test_hq_wherever_the_destination_except_the_us if {
	hq_req({"dest": "DE"}).headquarters == "CN"
	hq_req({"dest": "CN"}).headquarters == "CN"
	hq_req({"from": "SG", "dest": "JP"}).headquarters == "CN"
	no_hq({"from": "US", "dest": "US"})
	no_hq({"from": "SG", "dest": "US"}) # an import into the US
	no_hq({"from": "HK", "dest": "US"})
}

# The engine passes input.places; the policy must read them (a fake entry
# that puts SG in the headquarters scope).
test_supplied_places_are_used if {
	fake := object.union(data.chipcheck.place.of("SG", "2025-06-01"), {"headquarters": {"items": ["3A090.a"], "citation": "FAKE"}})
	no_hq({"hq": "SG"})
	rq := requirements with input as object.union(stage_input({"hq": "SG"}), {"places": {"SG": fake}})
	r := fx.the(rq, "EAR-742.6-HQ")
	r.citation == "FAKE"
	r.headquarters == "SG"
}

test_supplied_places_match_computed if {
	o := {"date": "2026-01-20", "hq": "HK", "dest": "CN"}
	places := {c: data.chipcheck.place.of(c, "2026-01-20") | some c in ["HK", "CN", "US"]}
	rq := requirements with input as object.union(stage_input(o), {"places": places})
	rq == reqs_of(o)
	count(rq) == 1
}
