# Unit tests of the party stage (EAR-742.6-HQ) against the real
# rules/*.yaml. The stage judges one headquarters country at a time.
#
# Inputs are built as the engine builds them (internal/orders/stages.go,
# decide.go runHeadquarters and groupInput):
#   requirements (once per country where a party or ultimate parent is
#   headquartered):
#     {date, destination, ship_from, headquarters: <the code as written>,
#      items: [{class, eccn, headquarters}]}   (the "party" item view)
#   requirement_reasons (the second step, once per requirement found):
#     {date, destination, ship_from, license, kinds,
#      requirement: <the requirement, plus items: its class ids in the
#                    authorization view>,
#      items: [{class, eccn, band, datacenter_a?}],   (see fx.reason_input)
#      parties: [{role, parent, country}]}
#     parties  the parties (parent: false) and ultimate parents (parent:
#              true, with the party's role) headquartered in that country;
#              country is where the party is located ("" when not given).
#              The stage writes one reason per party, naming its role
#              ("the buyer is ...", "the buyer's ultimate parent is ..."),
#              about that party's index (the engine adds its name) and
#              keyed by role and parent.
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

# A party located in country, and a party's ultimate parent (the party
# located in country), as the second step sees them.
located(role, country) := {"role": role, "parent": false, "country": country}

parent_of(role, country) := {"role": role, "parent": true, "country": country}

# Both steps, as the engine runs them, for the parties o.parties (default:
# a buyer located in SG) with o's license (default none) and kinds
# (default ["headquarters"]).
requirement_reasons_of(o) := [r |
	some q in rq
	rs := requirement_reasons with input as fx.reason_input(si, q, its, object.union({"kinds": ["headquarters"], "parties": [located("buyer", "SG")]}, o))
	some r in rs
] if {
	si := stage_input(o)
	its := object.get(o, "items", [fx.it_a])
	rq := requirements with input as si
}

cn_what := "headquartered in CN (Country Groups D:1, D:4, D:5), which needs a license for 3A090.a items wherever the party is located"

denial_text := "no license or applicable License Exception is on file; a license application would be reviewed under a presumption of denial policy (15 CFR 742.6(b)(10))"

test_hq_from_2023_11_17 if {
	no_hq({"date": "2023-11-16", "items": [fx.it_a]})
	r := hq_req({"date": "2023-11-17"})
	r == {
		"rule": "EAR-742.6-HQ",
		"kind": "headquarters",
		"classes": [1],
		"citation": "15 CFR 742.6(a)(6)(iii)(A); 15 CFR 744.23(a)(3)",
		"what": cn_what,
		"facts": {"headquarters": "CN", "country_groups": "D:1, D:4, D:5"},
		"headquarters": "CN",
	}
}

test_hq_hk_read_as_cn if {
	r := hq_req({"hq": "HK"})
	r.headquarters == "CN"
	r.facts.headquarters == "CN"
	startswith(r.what, "headquartered in HK (read as CN; Country Groups D:1, D:4, D:5), which")
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
	contains(r.what, "for 3A090.b and 4A090.a and 4A090.b items wherever")
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

# ---- the reasons: one per party headquartered there -------------------------------

test_hq_reason_per_party if {
	rs := requirement_reasons_of({"parties": [located("buyer", "SG"), parent_of("end_user", "MY")]})
	count(rs) == 2
	{r | some r in rs} == {
		{
			"rule": "EAR-742.6-HQ",
			"outcome": "deny",
			"message": concat("; ", [concat(" ", ["the buyer is", cn_what]), denial_text]),
			"citation": "15 CFR 742.6(a)(6)(iii)(A); 15 CFR 744.23(a)(3)",
			"facts": {"headquarters": "CN", "country_groups": "D:1, D:4, D:5", "review_policy": fx.denial},
			"about": {"classes": [1], "license": false, "party": 0},
			"key": "buyer/false",
		},
		{
			"rule": "EAR-742.6-HQ",
			"outcome": "deny",
			"message": concat("; ", [concat(" ", ["the end_user's ultimate parent is", cn_what]), denial_text]),
			"citation": "15 CFR 742.6(a)(6)(iii)(A); 15 CFR 744.23(a)(3)",
			"facts": {"headquarters": "CN", "country_groups": "D:1, D:4, D:5", "review_policy": fx.denial},
			"about": {"classes": [1], "license": false, "party": 1},
			"key": "end_user/true",
		},
	}
}

test_hq_reason_party_index_follows_the_group_order if {
	rs := requirement_reasons_of({"parties": [parent_of("buyer", "SG"), located("intermediate", "AE"), located("buyer", "SG")]})
	{[r.about.party, r.key] | some r in rs} == {[0, "buyer/true"], [1, "intermediate/false"], [2, "buyer/false"]}
	every r in rs {
		startswith(r.message, subject(input_party(r)))
	}
}

input_party(r) := [parent_of("buyer", "SG"), located("intermediate", "AE"), located("buyer", "SG")][r.about.party]

test_hq_reason_subject if {
	subject(located("consignee", "SG")) == "the consignee is"
	subject(parent_of("consignee", "SG")) == "the consignee's ultimate parent is"
}

test_hq_reason_band_only_for_a_party_located_in_the_destination if {
	d := "2026-01-20"
	rs := requirement_reasons_of({"date": d, "dest": "CN", "parties": [located("buyer", "CN"), located("consignee", "SG"), parent_of("end_user", "HK")]})
	{[r.key, r.facts.review_policy] | some r in rs} == {
		["buyer/false", fx.band],
		["consignee/false", fx.denial],
		["end_user/true", fx.band], # located in HK, read as CN
	}

	# a party whose country is not given
	[r.facts.review_policy | some r in requirement_reasons_of({"date": d, "dest": "CN", "parties": [located("buyer", "")]})] == [fx.denial]

	# a reexport
	[r.facts.review_policy | some r in requirement_reasons_of({"date": d, "dest": "CN", "from": "SG", "parties": [located("buyer", "CN")]})] == [fx.denial]
}

test_hq_reason_authorized_by_a_license if {
	rs := requirement_reasons_of({"license": fx.lic_ok, "parties": [parent_of("buyer", "SG")]})
	count(rs) == 1
	r := fx.only(rs)
	r.outcome == "allow"
	r.message == concat("", ["the buyer's ultimate parent is ", cn_what, "; authorized by the license on file (license {license.number})"])
	r.facts == {"headquarters": "CN", "country_groups": "D:1, D:4, D:5", "authorized_by": "the license on file"}
	r.about == {"classes": [1], "license": true, "party": 0}
	r.key == "buyer/true"
}

test_hq_reason_nac_not_aca if {
	nac := fx.only(requirement_reasons_of({"license": fx.nac_ok, "items": [fx.it_b]}))
	nac.outcome == "allow"
	endswith(nac.message, "; authorized by License Exception NAC (NAC {license.number})")
	nac.about.license == true

	# never for a datacenter 3A090.a item
	fx.only(requirement_reasons_of({"license": fx.nac_ok})).outcome == "deny"

	aca := fx.only(requirement_reasons_of({"license": fx.aca_claim, "dest": "VN", "items": [fx.it_b], "kinds": ["destination", "headquarters"]}))
	aca.outcome == "deny"
	aca.about.license == false
	aca.facts.review_policy == fx.denial
}

test_hq_no_parties_no_reason if {
	count(requirement_reasons_of({"parties": []})) == 0
}
