# METADATA
# title: License register stage
# description: |
#   Whether the license an order claims is one the license register holds,
#   in force on the order date, for this movement, destination, consignee,
#   end user and these items, with quantity and value left. Go matches the
#   claim against the register (internal/licenses, in input order, drawing
#   each license down) and gives the facts; every judgment is here. Only
#   claims of type license with a number are judged: NAC and ACA are
#   License Exceptions with their own rules (data.chipcheck.authorization).
#
#   input: {destination, ship_from, places,
#           license: {type, numbered, notified, notice_days,
#                     register: {configured: false}
#                             | {configured: true, found,
#                                issued, expires, type, movement,
#                                not_yet_valid, expired, destination,
#                                parties: [{role, given, named}],
#                                uncovered: [eccn],
#                                quantity: {limit, left, needed},
#                                value: {limit, left, needed, unknown},
#                                drawn}}}
#     movement  export (from the US), transfer (in-country), or reexport
#     left      what the license had left before this order: its limit, less
#               what the register says was used, less what earlier orders
#               of the batch drew (in input order)
#     uncovered the ECCNs of the order's lines that need a license and that
#               neither the license's ECCNs nor its SKUs cover
#   (A license on file authorizes requirements only when valid below;
#   data.chipcheck.authorization asks.)
package chipcheck.register

import data.chipcheck.lib
import data.chipcheck.place

lic := object.get(input, "license", {})

claimed if {
	lic.type == "license"
	lic.numbered
}

reg := object.get(lic, "register", {})

# ---- the register's judgments, on the facts of a claim -------------------------
# (functions of the facts, so that data.chipcheck.authorization can ask too)

configured(r) if r.configured == true

unknown(r) if {
	configured(r)
	not r.found
}

found(r) if {
	configured(r)
	r.found == true
}

out_of_date(r) if {
	found(r)
	r.expired
}

out_of_date(r) if {
	found(r)
	r.not_yet_valid
}

wrong_movement(r) if {
	found(r)
	r.type != r.movement
}

other_destination(r) if {
	found(r)
	not r.destination
}

party_problems(r) := [p | some p in object.get(r, "parties", []); not p.named]

uncovered(r) := object.get(r, "uncovered", [])

over(l) if l.unknown == true

over(l) if l.needed > l.left

exhausted(r) if {
	found(r)
	some k in ["quantity", "value"]
	over(r[k])
}

# The license cannot authorize the order: a deny of this stage. What is only
# reviewed (a party the order does not name, an item of unknown ECCN, a
# value that cannot be computed) leaves the license on file. The ledger
# draws a license down exactly for the claims that are not invalid
# (internal/licenses: Check.valid).
invalid(r) if unknown(r)

invalid(r) if out_of_date(r)

invalid(r) if wrong_movement(r)

invalid(r) if other_destination(r)

invalid(r) if {
	some p in party_problems(r)
	p.given
}

invalid(r) if {
	found(r)
	some e in uncovered(r)
	e != "unknown"
}

invalid(r) if {
	found(r)
	some k in ["quantity", "value"]
	r[k].needed > r[k].left
}

# Something to deny or review: LICENSE-VERIFIED says the license covers the
# order only without any.
problem(r) if invalid(r)

problem(r) if count(party_problems(r)) > 0

problem(r) if count(uncovered(r)) > 0

problem(r) if exhausted(r)

# ---- reasons -----------------------------------------------------------------

about(r) := object.union(r, {"about": {"license": true}})

nr := lib.license_number

# METADATA
# title: License not verified
# description: A license is claimed but no license register is configured, so nothing says it exists, is in force or covers the order
# custom:
#   id: LICENSE-NOT-VERIFIED
#   citation: "15 CFR 750.7"
reasons contains about(lib.reason(
	rego.metadata.rule(), "review",
	sprintf("license %s is claimed, but no license register is configured (--licenses): nothing checks that it exists, is in force and covers this order", [nr]),
	"", {},
)) if {
	claimed
	not configured(reg)
}

# METADATA
# title: License unknown
# description: The claimed license number is not in the license register
# custom:
#   id: LICENSE-UNKNOWN
#   citation: "15 CFR 750.7"
reasons contains about(lib.reason(
	rego.metadata.rule(), "deny",
	sprintf("license %s is not in the license register: no license of that number authorizes this order", [nr]),
	"", {},
)) if {
	claimed
	unknown(reg)
}

# METADATA
# title: License expired
# description: The claimed license is not in force on the order date (expired, or not yet issued)
# custom:
#   id: LICENSE-EXPIRED
#   citation: "15 CFR 750.7 (validity period)"
reasons contains about(lib.reason(
	rego.metadata.rule(), "deny",
	sprintf("license %s %s", [nr, when]),
	"", {"issued": reg.issued, "expires": reg.expires},
)) if {
	claimed
	out_of_date(reg)
	when := validity_text(reg)
}

validity_text(r) := sprintf("expired on %s, on or before the order date", [r.expires]) if r.expired

else := sprintf("is valid only from %s, after the order date", [r.issued])

movement_text := {"export": "an export", "reexport": "a reexport", "transfer": "an in-country transfer"}

# METADATA
# title: License for another movement
# description: The claimed license authorizes an export, a reexport or an in-country transfer, and the order is another of these
# custom:
#   id: LICENSE-TYPE
#   citation: "15 CFR 750.7; Supp. No. 1 to part 748 (type of application)"
reasons contains about(lib.reason(
	rego.metadata.rule(), "deny",
	sprintf("license %s authorizes %s, but this order (from %s to %s) is %s", [nr, movement_text[reg.type], input.ship_from, input.destination, movement_text[reg.movement]]),
	"", {"license_type": reg.type, "movement": reg.movement},
)) if {
	claimed
	wrong_movement(reg)
}

# METADATA
# title: License for another destination
# description: The order's destination is not one the claimed license names
# custom:
#   id: LICENSE-DESTINATION
#   citation: "15 CFR 750.7"
reasons contains about(lib.reason(
	rego.metadata.rule(), "deny",
	sprintf("license %s does not name destination %s", [nr, place.text(place.at(input.destination))]),
	"", {"destination": input.destination},
)) if {
	claimed
	other_destination(reg)
}

# METADATA
# title: License for other parties
# description: The claimed license names a consignee or end user the order does not (review when the order names none)
# custom:
#   id: LICENSE-PARTY
#   citation: "15 CFR 750.7; 15 CFR 748.5"
reasons contains object.union(
	about(lib.reason(
		rego.metadata.rule(), outcome,
		msg,
		"", {"role": p.role},
	)),
	{"key": p.role},
) if {
	claimed
	some p in party_problems(reg)
	[outcome, msg] := party_text(p)
}

party_text(p) := ["deny", sprintf("license %s names another %s than the order's", [lib.license_number, role_text(p.role)])] if p.given

else := ["review", sprintf("license %s names its %s, and the order names none: confirm who receives the items", [lib.license_number, role_text(p.role)])]

role_text(r) := "end user" if r == "end_user"

else := r

# METADATA
# title: License does not cover the items
# description: An item of the order that needs a license is neither of an ECCN nor a SKU the claimed license covers (review when its ECCN is unknown)
# custom:
#   id: LICENSE-ECCN
#   citation: "15 CFR 750.7"
reasons contains about(lib.reason(
	rego.metadata.rule(), outcome,
	sprintf("license %s covers no %s on this order", [nr, items]),
	"", {"uncovered": us},
)) if {
	claimed
	found(reg)
	us := uncovered(reg)
	count(us) > 0
	items := concat(" or ", [sprintf("%s item", [e]) | some e in us])
	outcome := eccn_outcome(us)
}

eccn_outcome(us) := "review" if {
	every e in us { e == "unknown" }
} else := "deny"

# METADATA
# title: License exhausted
# description: The order needs more units or value than the claimed license has left after earlier shipments and earlier orders of the batch
# custom:
#   id: LICENSE-EXHAUSTED
#   citation: "15 CFR 750.7; 15 CFR 750.11"
reasons contains about(lib.reason(
	rego.metadata.rule(), outcome,
	sprintf("license %s: %s", [nr, concat("; ", texts)]),
	"", limits,
)) if {
	claimed
	exhausted(reg)
	ks := [k | some k in ["quantity", "value"]; over(reg[k])]
	texts := [limit_text(k, reg[k]) | some k in ks]
	limits := {k: reg[k] | some k in ks}
	outcome := exhausted_outcome(ks)
}

exhausted_outcome(ks) := "review" if {
	every k in ks { reg[k].unknown == true }
} else := "deny"

limit_text("quantity", l) := sprintf("the order needs %v units of the items it covers, and %v of its %v are left", [l.needed, l.left, l.limit])

limit_text("value", l) := sprintf("an item it covers has no unit_value_usd, so the order's value cannot be drawn from the USD %v limit", [l.limit]) if l.unknown == true

limit_text("value", l) := sprintf("the order is worth USD %v of the items it covers, and USD %v of its USD %v are left", [l.needed, l.left, l.limit]) if {
	not l.unknown == true
}

# METADATA
# title: License verified
# description: The claimed license is in the license register and covers the order, with quantity and value left
# custom:
#   id: LICENSE-VERIFIED
#   citation: "15 CFR 750.7"
reasons contains about(lib.reason(
	rego.metadata.rule(), "allow",
	sprintf("license %s is in the license register, in force until %s, and covers this order's movement, destination, parties and items%s", [nr, reg.expires, left_text]),
	"", {"expires": reg.expires},
)) if {
	claimed
	found(reg)
	not problem(reg)
}

left_text := concat("", [t |
	some k in ["quantity", "value"]
	l := reg[k]
	t := left_after(k, l)
])

left_after("quantity", l) := sprintf("; %v of %v units left after it", [l.left - l.needed, l.limit])

left_after("value", l) := sprintf("; USD %v of USD %v left after it", [l.left - l.needed, l.limit])
