# The rules that do not depend on a license: GP10, is-informed letters, red
# flags, and the (unenforced) AI Diffusion rule.
package chipcheck.order

import data.chipcheck.lib

# METADATA
# title: General Prohibition 10 (PRC-designed advanced ICs)
# description: Dealing in a 3A090 IC designed in the PRC (e.g. Huawei Ascend 910B/C/D) risks GP10, anywhere
# custom:
#   id: EAR-736.2-GP10
#   citation: "15 CFR 736.2(b)(10)"
reasons contains r if {
	some it in input.items
	why := judged(it).gp10
	why != null
	g := data.rules.gp10
	r := lib.reason(
		rego.metadata.rule(), gp10_outcome(g),
		sprintf("%s: %s; BIS guidance says such ICs were very likely made in violation of the EAR%s", [it.sku, why, gp10_carve_text(g)]),
		g.citation, {"sku": it.sku},
	)
}

gp10_outcome(g) := "review" if {
	some c in g.carve_out_end_uses
	c in end_uses
} else := "deny"

gp10_carve_text(g) := "; declared for technical evaluation only, the guidance's carve-out: confirm and document" if {
	gp10_outcome(g) == "review"
} else := ""

# METADATA
# title: Is-informed letter
# description: BIS has informed the configured exporter that these items need a license for these destinations or parties
# custom:
#   id: EAR-IS-INFORMED
#   citation: "15 CFR 744.21(b), 744.23(b) (is-informed letters)"
requirements contains req if {
	input.config.exporter != ""
	some letter in data.rules.is_informed.letters
	exporter_named(letter)
	lib.in_force(letter, date)
	export
	its := [it | some it in input.items; letter_item(letter, it)]
	count(its) > 0
	where := letter_place(letter)
	meta := rego.metadata.rule()
	req := {
		"key": sprintf("%s/%s", [meta.custom.id, letter.id]),
		"rule": meta.custom.id,
		"kind": "is_informed",
		"citation": letter.citation,
		"items": its,
		"message": sprintf("BIS letter %s to %s covers %s %s", [letter.id, input.config.exporter, concat(", ", [it.sku | some it in its]), where]),
		"facts": {"letter": letter.id, "items": item_facts(its)},
	}
}

exporter_named(letter) if {
	some n in letter.exporter_names
	lower(n) == lower(trim_space(input.config.exporter))
}

letter_item(letter, it) if letter.id in judged(it).letters

letter_place(letter) := sprintf("for destination %s", [place_text(dest_place)]) if {
	letter.id in dest_place.letters
} else := sprintf("because %s headquartered in %s", [who(f), place_text(f.place)]) if {
	letter.headquarters == true
	some f in hq_facts
	letter.id in f.place.letters
}

# METADATA
# title: Red flag
# description: A red flag of Supp. 3 to Part 732 or BIS's 2025 diversion guidance must be resolved before shipping
# custom:
#   id: EAR-732-RED-FLAG
#   citation: "15 CFR Part 732, Supp. 3"
reasons contains r if {
	some code in object.get(input.order, "red_flags", [])
	flag := data.rules.red_flags.flags[code]
	r := lib.reason(rego.metadata.rule(), "review", sprintf("red flag %s: %s; resolve before shipping", [code, flag.description]), flag.citation, {"red_flag": code})
}

# METADATA
# title: AI Diffusion rule (not enforced)
# description: The worldwide 3A090.a license requirement of 90 FR 4544 is in the CFR but BIS does not enforce it; informational only
# custom:
#   id: EAR-AI-DIFFUSION-NOT-ENFORCED
#   citation: "90 FR 4544; BIS statement of 13 May 2025; GAO B-337935"
reasons contains r if {
	dest_place.diffusion
	export
	d := data.rules.diffusion
	its := [it | some it in input.items; judged(it).scope.diffusion]
	count(its) > 0
	r := lib.reason(
		rego.metadata.rule(), "allow",
		sprintf("the AI Diffusion rule would require a license for %s to %s, but BIS does not enforce it (informational)", [concat(", ", [it.sku | some it in its]), dest]),
		d.citation, {},
	)
}
