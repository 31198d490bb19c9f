# Unit tests of the is-informed letters stage (EAR-IS-INFORMED) against the
# real rules/is_informed.yaml.
#
# Inputs are built as the engine builds them (internal/orders/stages.go,
# decide.go, project.go, letters.go):
#   requirements:
#     {date, destination, ship_from,
#      exporter: {known, letters}   (the ids of the letters addressed to
#                                    the order's exporter; Go matches names)
#      parties: [{role, parent, headquarters}],
#      items: [{class, eccn, letters}]}
#     parties  every party whose headquarters is given (parent: false) and
#              every ultimate parent whose headquarters is given (parent:
#              true, with the party's role); no names
#     items    the "letters" view of data.chipcheck.item.judge per item
#              class (which letters' item criteria the class meets)
#   requirement_reasons (the second step, once per requirement found):
#     {date, destination, ship_from, license, kinds,
#      requirement: <the requirement, plus items: its class ids in the
#                    authorization view>,
#      items: [{class, eccn, band, datacenter_a?}]}   (see fx.reason_input)
package chipcheck.letters

import data.chipcheck.fixtures as fx

# A stage input from flat keys: date, dest, from, exporter (the ids of the
# letters addressed to it, or null for no exporter known), parties, items.
# Defaults: a 2025-06-01 export of one H20 from the US to CN by NVIDIA.
stage_input(o) := {
	"date": d,
	"destination": object.get(o, "dest", "CN"),
	"ship_from": object.get(o, "from", "US"),
	"exporter": exporter(object.get(o, "exporter", [nvidia])),
	"parties": object.get(o, "parties", []),
	"items": fx.classes(object.get(o, "items", [fx.h20]), d, "letters"),
} if {
	d := object.get(o, "date", "2025-06-01")
}

exporter(null) := {"known": false, "letters": []}

exporter(ids) := {"known": true, "letters": ids} if ids != null

reqs_of(o) := rs if {
	rs := requirements with input as stage_input(o)
}

letter(o) := fx.the(reqs_of(o), "EAR-IS-INFORMED")

none(o) if count(reqs_of(o)) == 0

# A party headquartered in hq, and a party's ultimate parent headquartered in hq.
party(role, hq) := {"role": role, "parent": false, "headquarters": hq}

parent(role, hq) := {"role": role, "parent": true, "headquarters": hq}

# Both steps, as the engine runs them, with o's license (default none) and
# kinds (default the kinds of the requirements found).
requirement_reasons_of(o) := [r |
	some q in rq
	rs := requirement_reasons with input as fx.reason_input(si, q, its, object.union({"kinds": ["is_informed"]}, o))
	some r in rs
] if {
	si := stage_input(o)
	its := object.get(o, "items", [fx.h20])
	rq := requirements with input as si
}

nvidia := "nvidia-h20-2025-04"

test_informed_nvidia_h20_to_cn if {
	r := letter({"date": "2025-04-09", "items": [fx.it_b, fx.h20]})
	r == {
		"rule": "EAR-IS-INFORMED",
		"kind": "is_informed",
		"classes": [2],
		"citation": "BIS is-informed letter to NVIDIA of 9 Apr 2025 (NVIDIA Form 8-K, 15 Apr 2025)",
		"what": "BIS letter nvidia-h20-2025-04 to NVIDIA Corporation covers items it names (ECCN none) for destination CN (Country Groups D:1, D:4, D:5)",
		"facts": {"letter": nvidia},
		"key": nvidia,
	}
}

# ---- the requirement's reason ------------------------------------------------------

test_informed_reason_not_overcome_by_license_exceptions if {
	rs := requirement_reasons_of({"items": [fx.it_b, fx.h20]})
	rs == [{
		"rule": "EAR-IS-INFORMED",
		"outcome": "deny",
		"message": "BIS letter nvidia-h20-2025-04 to NVIDIA Corporation covers items it names (ECCN none) for destination CN (Country Groups D:1, D:4, D:5); no license or applicable License Exception is on file; License Exceptions do not overcome it",
		"citation": "BIS is-informed letter to NVIDIA of 9 Apr 2025 (NVIDIA Form 8-K, 15 Apr 2025)",
		"facts": {"letter": nvidia},
		"about": {"classes": [2], "license": false},
		"key": nvidia,
	}]
	every lic in [fx.nac_ok, fx.aca_claim, fx.lic_no_number] {
		[r.outcome | some r in requirement_reasons_of({"license": lic})] == ["deny"]
	}
}

test_informed_reason_authorized_by_a_license if {
	rs := requirement_reasons_of({"license": fx.lic_ok, "dest": "SG", "parties": [parent("buyer", "CN")]})
	count(rs) == 1
	r := fx.the(rs, "EAR-IS-INFORMED")
	r.outcome == "allow"
	r.message == "BIS letter nvidia-h20-2025-04 to NVIDIA Corporation covers items it names (ECCN none) because the buyer's ultimate parent is headquartered in CN (Country Groups D:1, D:4, D:5); authorized by the license on file (license {license.number})"
	r.facts == {"letter": nvidia, "authorized_by": "the license on file"}
	r.about == {"classes": [1], "license": true}
	r.key == nvidia
}

test_informed_reasons_keyed_by_letter if {
	rs := requirement_reasons_of({"exporter": [nvidia, amd], "items": [fx.h20, fx.mi308]})
	{[r.key, r.about.classes] | some r in rs} == {["nvidia-h20-2025-04", [1]], ["amd-mi308-2025-04", [2]]}
}

test_requirement_reasons_need_a_requirement if {
	count(requirement_reasons) == 0 with input as object.union(stage_input({}), {"license": fx.lic_ok, "kinds": []})
}

test_informed_from_letter_date if {
	# as the engine builds it: the item view names no letter before its date
	none({"date": "2025-04-08"})

	# and the stage checks the letter's date itself, even when the item
	# view and the place facts name the letter
	places := {"CN": data.chipcheck.place.of("CN", "2025-04-09")}
	si := object.union(stage_input({"date": "2025-04-08"}), {"items": [{"class": 1, "eccn": "none", "letters": [nvidia]}], "places": places})
	count(requirements) == 0 with input as si
	si2 := object.union(si, {"date": "2025-04-09"})
	count(requirements) == 1 with input as si2
}

amd := "amd-mi308-2025-04"

intel := "intel-gaudi-2025-04"

test_informed_only_letters_addressed_to_the_exporter if {
	letter({"exporter": [nvidia]}).facts.letter == nvidia
	none({"exporter": [amd]})
	none({"exporter": []})
	none({"exporter": null})
}

test_informed_destinations if {
	letter({"dest": "MO"}).facts.letter == nvidia
	contains(letter({"dest": "HK"}).what, "for destination HK (read as CN; Country Groups D:1, D:4, D:5)")
	letter({"dest": "RU"}).facts.letter == nvidia
	none({"dest": "VN"})
	none({"dest": "SG"})
}

test_informed_party_headquarters if {
	r := letter({"dest": "SG", "parties": [party("buyer", "CN")]})
	r.what == "BIS letter nvidia-h20-2025-04 to NVIDIA Corporation covers items it names (ECCN none) because the buyer is headquartered in CN (Country Groups D:1, D:4, D:5)"
	r2 := letter({"dest": "MY", "parties": [party("end_user", "MY"), parent("end_user", "MO")]})
	endswith(r2.what, "because the end_user's ultimate parent is headquartered in MO (Country Groups D:1, D:4)")
	r3 := letter({"dest": "SG", "parties": [party("buyer", "HK")]})
	endswith(r3.what, "because the buyer is headquartered in HK (read as CN; Country Groups D:1, D:4, D:5)")
	none({"dest": "SG", "parties": [party("buyer", "VN"), party("consignee", "SG"), parent("consignee", "AE")]})
}

test_informed_party_without_headquarters if {
	# the engine passes only parties and parents whose headquarters is
	# given: a consignee with none, whose parent is in CN, is its parent alone
	none({"dest": "SG", "parties": []})
	r := letter({"dest": "SG", "parties": [parent("consignee", "CN")]})
	endswith(r.what, "because the consignee's ultimate parent is headquartered in CN (Country Groups D:1, D:4, D:5)")
}

test_informed_destination_named_before_parties if {
	r := letter({"dest": "CN", "parties": [party("buyer", "RU")]})
	endswith(r.what, "for destination CN (Country Groups D:1, D:4, D:5)")
}

test_informed_several_parties_first_text_in_order if {
	r := letter({"dest": "SG", "parties": [party("intermediate", "RU"), party("buyer", "CN")]})
	endswith(r.what, "because the buyer is headquartered in CN (Country Groups D:1, D:4, D:5)")
	count(reqs_of({"dest": "SG", "parties": [party("intermediate", "RU"), party("buyer", "CN")]})) == 1
}

test_informed_headquarters_needs_letter_flag if {
	letters := [object.union(data.rules.is_informed.letters[0], {"headquarters": false})]
	rq := requirements with input as stage_input({"dest": "SG", "parties": [party("buyer", "CN")]})
		with data.rules.is_informed.letters as letters
	count(rq) == 0
	letter({"dest": "SG", "parties": [party("buyer", "CN")]}).facts.letter == nvidia
}

test_informed_reaches_figures if {
	letter({"items": [fx.plain_chip(4000, 100)]}).classes == [1]
	letter({"items": [fx.plain_chip(100, 900)]}).classes == [1]
	none({"items": [fx.plain_chip(3999.9, 899)]})
	none({"items": [fx.plain_chip(null, null)]})
}

test_informed_lists_only_covered_items if {
	r := letter({"items": [fx.it_none, fx.h20, fx.plain_chip(100, 100), fx.it_a]})
	r.classes == [2, 4] # it_a reaches both figures
	contains(r.what, "covers items it names (ECCN 3A090.a, none)")
}

test_informed_contained_chip if {
	srv := fx.server("none", object.remove(fx.h20, {"memory_bandwidth_gbs", "interconnect_gbs"}), 8)
	letter({"items": [srv]}).classes == [1]
}

test_informed_amd_letter if {
	o := {"exporter": [amd], "items": [fx.mi308]}
	none(object.union(o, {"date": "2025-04-14"}))
	r := letter(object.union(o, {"date": "2025-04-15"}))
	r.key == "amd-mi308-2025-04"
	r.facts.letter == "amd-mi308-2025-04"
	r.what == "BIS letter amd-mi308-2025-04 to Advanced Micro Devices, Inc. covers items it names (ECCN unknown) for destination CN (Country Groups D:1, D:4, D:5)"
	none({"exporter": [amd], "items": [fx.h20]}) # the AMD letter has no reaches figures
	none({"exporter": [nvidia], "items": [fx.mi308]})
}

test_informed_one_requirement_per_letter if {
	# an exporter both letters name (hypothetical), with items of each
	rq := requirements with input as stage_input({"exporter": [nvidia, amd], "items": [fx.h20, fx.mi308]})
	{[r.key, r.classes] | some r in rq} == {["nvidia-h20-2025-04", [1]], ["amd-mi308-2025-04", [2]]}
}

test_informed_not_domestic if {
	none({"from": "US", "dest": "US", "parties": [party("buyer", "CN")]})
	none({"from": "US", "dest": "US", "items": [fx.h20, fx.it_a]})
}

test_supplied_places_are_used if {
	fake := object.union(data.chipcheck.place.of("SG", "2025-06-01"), {"letters": {nvidia}})
	none({"dest": "SG"})
	none({"dest": "DE", "parties": [party("buyer", "SG")]})
	rq := requirements with input as object.union(stage_input({"dest": "SG"}), {"places": {"SG": fake}})
	endswith(fx.the(rq, "EAR-IS-INFORMED").what, "for destination SG (Country Groups A:6)")
	rq2 := requirements with input as object.union(stage_input({"dest": "DE", "parties": [party("buyer", "SG")]}), {"places": {"SG": fake}})
	endswith(fx.the(rq2, "EAR-IS-INFORMED").what, "because the buyer is headquartered in SG (Country Groups A:6)")
}

# ---- the Intel letter: combined bandwidth ---------------------------------------

test_informed_intel_figures if {
	o := {"exporter": [intel], "date": "2025-06-01"}

	# memory alone, I/O alone, and the two together
	letter(object.union(o, {"items": [fx.plain_chip(1400, 100)]})).facts.letter == intel
	letter(object.union(o, {"items": [fx.plain_chip(100, 1100)]})).facts.letter == intel
	letter(object.union(o, {"items": [fx.plain_chip(1000, 700)]})).facts.letter == intel
	none(object.union(o, {"items": [fx.plain_chip(1000, 699)]}))
	none(object.union(o, {"items": [fx.plain_chip(1399, null)]}))
	none(object.union(o, {"date": "2025-04-08", "items": [fx.plain_chip(1400, 100)]}))
	contains(letter(object.union(o, {"items": [fx.plain_chip(1400, 100)]})).what, "to Intel Corporation covers")
}

# ---- no exporter known ----------------------------------------------------------

unknown_of(o) := [r | some r in rs; r.rule == "EAR-IS-INFORMED-EXPORTER-UNKNOWN"] if {
	rs := reasons with input as stage_input(object.union({"exporter": null}, o))
}

test_informed_exporter_unknown_reviews_each_letter_that_reaches if {
	rs := unknown_of({"items": [fx.h20]})

	# the H20 reaches the NVIDIA letter (catalog) and the Intel figures
	{r.key | some r in rs} == {nvidia, intel}
	every r in rs {
		r.outcome == "review"
		r.about.classes == [1]
	}
	r := [x | some x in rs; x.key == nvidia][0]
	r.message == "no exporter is known (give the order's exporter or --exporter): BIS letter nvidia-h20-2025-04 to NVIDIA Corporation covers items on this order (ECCN none) for destination CN (Country Groups D:1, D:4, D:5), and binds the order if NVIDIA Corporation is the exporter"
	r.citation == "BIS is-informed letter to NVIDIA of 9 Apr 2025 (NVIDIA Form 8-K, 15 Apr 2025)"
	count(requirements) == 0 with input as stage_input({"exporter": null})
}

test_informed_exporter_unknown_only_where_a_letter_reaches if {
	count(unknown_of({"dest": "SG"})) == 0
	count(unknown_of({"items": [fx.plain_chip(100, 100)]})) == 0
	count(unknown_of({"from": "US", "dest": "US"})) == 0
	count(unknown_of({"date": "2025-04-08"})) == 0
	count(unknown_of({"dest": "SG", "parties": [party("buyer", "CN")]})) == 2

	# an exporter known, to whom no letter is addressed: nothing
	count(reasons) == 0 with input as stage_input({"exporter": []})
}
