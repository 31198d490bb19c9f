# Turns requirements into reasons and says why an order needs nothing. The
# engine reads data.chipcheck.order.reasons; the decision is the most severe
# outcome among them.
package chipcheck.order

import data.chipcheck.lib

# METADATA
# title: Requirement reasons
# description: Every license requirement becomes a reason, allow when authorized, else deny with the review policy
# custom:
#   forwards: requirements
reasons contains r if {
	some req in requirements
	r := requirement_reason(req)
}

requirement_reason(req) := {
	"rule": req.rule,
	"outcome": "allow",
	"message": sprintf("%s; authorized by %s", [req.message, by]),
	"citation": req.citation,
	"facts": object.union(req.facts, {"authorized_by": by}),
} if {
	by := covered_by(req)
} else := {
	"rule": req.rule,
	"outcome": "deny",
	"message": sprintf("%s; no license or applicable License Exception is on file%s", [req.message, policy_text(req)]),
	"citation": req.citation,
	"facts": object.union(req.facts, policy_facts(req)),
}

policy_text(req) := sprintf("; a license application would be reviewed under a %s policy (%s)", [p.policy, p.citation]) if {
	p := review_policy(req)
} else := "; License Exceptions do not overcome it" if {
	not req.kind in exception_kinds
} else := ""

policy_facts(req) := {"review_policy": review_policy(req).policy} if review_policy(req)

else := {}

# METADATA
# title: Item not classified
# description: An item whose ECCN the data cannot decide sends the order to review
# custom:
#   id: ITEM-UNCLASSIFIED
#   citation: "15 CFR 774 Supp. 1, ECCN 3A090 Technical Notes"
reasons contains r if {
	some it in input.items
	it.eccn == "unknown"
	r := lib.reason(rego.metadata.rule(), "review", sprintf("%s: %s; classify it before shipping", [it.sku, it.why]), "", {"sku": it.sku})
}

# METADATA
# title: No license required
# description: No license requirement applies to the order
# custom:
#   id: NO-LICENSE-REQUIRED
#   citation: "15 CFR 742.6(a)(6); 15 CFR 744"
reasons contains r if {
	count(requirements) == 0
	every it in input.items { it.eccn != "unknown" }
	r := lib.reason(rego.metadata.rule(), "allow", no_license_text, "", {})
}

no_license_text := sprintf("no export license required: shipment from %s to %s is not an export", [ship_from, dest]) if {
	domestic
} else := sprintf("no license required: %s; destination %s", [
	concat("; ", [sprintf("%s is %s", [it.sku, it.eccn]) | some it in input.items]),
	place_text(dest_place),
])
