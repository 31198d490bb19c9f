# Unit tests of the is-informed letters stage (EAR-IS-INFORMED) against the
# real rules/is_informed.yaml. input.items is the "letters" view of
# data.chipcheck.item.judge per item class (which letters' item criteria the
# class meets); parties carry only role and headquarters.
package chipcheck.letters

import data.chipcheck.fixtures as fx

# A stage input from flat keys: date, dest, from, exporter, parties, items.
# Defaults: a 2025-06-01 export of one H20 from the US to CN by NVIDIA.
stage_input(o) := {
	"date": d,
	"destination": object.get(o, "dest", "CN"),
	"ship_from": object.get(o, "from", "US"),
	"exporter": object.get(o, "exporter", "NVIDIA"),
	"parties": object.get(o, "parties", []),
	"items": fx.classes(object.get(o, "items", [fx.h20]), d, "letters"),
} if {
	d := object.get(o, "date", "2025-06-01")
}

reqs_of(o) := rs if {
	rs := requirements with input as stage_input(o)
}

letter(o) := fx.the(reqs_of(o), "EAR-IS-INFORMED")

none(o) if count(reqs_of(o)) == 0

party(role, hq) := {"role": role, "headquarters": hq}

with_parent(p, hq) := object.union(p, {"ultimate_parent": {"headquarters": hq}})

nvidia := "nvidia-h20-2025-04"

test_informed_nvidia_h20_to_cn if {
	r := letter({"date": "2025-04-09", "items": [fx.it_b, fx.h20]})
	r.key == "EAR-IS-INFORMED/nvidia-h20-2025-04"
	r.kind == "is_informed"
	r.classes == [2]
	r.citation == "BIS is-informed letter to NVIDIA of 9 Apr 2025 (NVIDIA Form 8-K, 15 Apr 2025)"
	r.message == "BIS letter nvidia-h20-2025-04 to NVIDIA covers items it names (ECCN none) for destination CN (Country Groups D:1, D:4, D:5)"
	r.facts == {"letter": nvidia}
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

test_informed_exporter_match_case_insensitive if {
	letter({"exporter": "  nvidia corporation "}).facts.letter == nvidia
	letter({"exporter": "NVIDIA Corporation"}).facts.letter == nvidia
	none({"exporter": "NVIDIA Corp"})
	none({"exporter": "AMD"})
	none({"exporter": ""})
}

test_informed_destinations if {
	letter({"dest": "MO"}).facts.letter == nvidia
	contains(letter({"dest": "HK"}).message, "for destination HK (read as CN; Country Groups D:1, D:4, D:5)")
	letter({"dest": "RU"}).facts.letter == nvidia
	none({"dest": "VN"})
	none({"dest": "SG"})
}

test_informed_party_headquarters if {
	r := letter({"dest": "SG", "parties": [party("buyer", "CN")]})
	r.message == "BIS letter nvidia-h20-2025-04 to NVIDIA covers items it names (ECCN none) because the buyer is headquartered in CN (Country Groups D:1, D:4, D:5)"
	r2 := letter({"dest": "MY", "parties": [with_parent(party("end_user", "MY"), "MO")]})
	endswith(r2.message, "because the end_user's ultimate parent is headquartered in MO (Country Groups D:1, D:4)")
	r3 := letter({"dest": "SG", "parties": [party("buyer", "HK")]})
	endswith(r3.message, "because the buyer is headquartered in HK (read as CN; Country Groups D:1, D:4, D:5)")
	none({"dest": "SG", "parties": [party("buyer", "VN"), with_parent(party("consignee", "SG"), "AE")]})
}

test_informed_party_without_headquarters if {
	none({"dest": "SG", "parties": [{"role": "buyer"}, {"role": "consignee", "ultimate_parent": {}}]})
	letter({"dest": "SG", "parties": [{"role": "buyer"}, with_parent({"role": "consignee"}, "CN")]}).facts.letter == nvidia
}

test_informed_destination_named_before_parties if {
	r := letter({"dest": "CN", "parties": [party("buyer", "RU")]})
	endswith(r.message, "for destination CN (Country Groups D:1, D:4, D:5)")
}

test_informed_several_parties_first_text_in_order if {
	r := letter({"dest": "SG", "parties": [party("intermediate", "RU"), party("buyer", "CN")]})
	endswith(r.message, "because the buyer is headquartered in CN (Country Groups D:1, D:4, D:5)")
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
	contains(r.message, "covers items it names (ECCN 3A090.a, none)")
}

test_informed_contained_chip if {
	srv := fx.server("none", object.remove(fx.h20, {"memory_bandwidth_gbs", "interconnect_gbs"}), 8)
	letter({"items": [srv]}).classes == [1]
}

test_informed_amd_letter if {
	o := {"exporter": "Advanced Micro Devices, Inc.", "items": [fx.mi308]}
	none(object.union(o, {"date": "2025-04-14"}))
	r := letter(object.union(o, {"date": "2025-04-15"}))
	r.key == "EAR-IS-INFORMED/amd-mi308-2025-04"
	r.facts.letter == "amd-mi308-2025-04"
	r.message == "BIS letter amd-mi308-2025-04 to Advanced Micro Devices, Inc. covers items it names (ECCN unknown) for destination CN (Country Groups D:1, D:4, D:5)"
	none({"exporter": "AMD", "items": [fx.h20]}) # the AMD letter has no reaches figures
	none({"exporter": "NVIDIA", "items": [fx.mi308]})
}

test_informed_one_requirement_per_letter if {
	# an exporter both letters name (hypothetical), with items of each
	letters := [object.union(l, {"exporter_names": ["X"]}) | some l in data.rules.is_informed.letters]
	rq := requirements with input as stage_input({"exporter": "X", "items": [fx.h20, fx.mi308]})
		with data.rules.is_informed.letters as letters
	{[r.key, r.classes] | some r in rq} == {["EAR-IS-INFORMED/nvidia-h20-2025-04", [1]], ["EAR-IS-INFORMED/amd-mi308-2025-04", [2]]}
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
	endswith(fx.the(rq, "EAR-IS-INFORMED").message, "for destination SG (Country Groups A:6)")
	rq2 := requirements with input as object.union(stage_input({"dest": "DE", "parties": [party("buyer", "SG")]}), {"places": {"SG": fake}})
	endswith(fx.the(rq2, "EAR-IS-INFORMED").message, "because the buyer is headquartered in SG (Country Groups A:6)")
}
