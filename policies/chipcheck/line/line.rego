# METADATA
# title: Order-line stage
# description: |
#   Reasons about one order line on its own: GP10 for PRC-designed advanced
#   ICs, and lines whose ECCN cannot be decided.
#
#   input: {end_use: [codes], item: {class, eccn, gp10, unclassified}}
#   (item is the "line" view of data.chipcheck.item, already resolved for
#   the order date; the engine adds the line's sku to each reason's facts)
package chipcheck.line

import data.chipcheck.lib

# METADATA
# title: General Prohibition 10 (PRC-designed advanced ICs)
# description: Dealing in a 3A090 IC designed in the PRC (e.g. Huawei Ascend 910B/C/D) risks GP10, anywhere
# custom:
#   id: EAR-736.2-GP10
#   citation: "15 CFR 736.2(b)(10)"
reasons contains r if {
	why := input.item.gp10
	why != null
	g := data.rules.gp10
	r := lib.reason(
		rego.metadata.rule(), gp10_outcome(g),
		sprintf("%s; BIS guidance says such ICs were very likely made in violation of the EAR%s", [why, gp10_carve_text(g)]),
		g.citation, {},
	)
}

gp10_outcome(g) := "review" if {
	some c in g.carve_out_end_uses
	c in input.end_use
} else := "deny"

gp10_carve_text(g) := "; declared for technical evaluation only, the guidance's carve-out: confirm and document" if {
	gp10_outcome(g) == "review"
} else := ""

# METADATA
# title: Item not classified
# description: An item whose ECCN the data cannot decide sends the order to review
# custom:
#   id: ITEM-UNCLASSIFIED
#   citation: "15 CFR 774 Supp. 1, ECCN 3A090 Technical Notes"
reasons contains r if {
	why := input.item.unclassified
	why != null
	r := lib.reason(rego.metadata.rule(), "review", sprintf("%s; classify it before shipping", [why]), "", {})
}
