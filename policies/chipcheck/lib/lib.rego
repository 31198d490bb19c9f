# Helpers shared by the classification and order policies: effective dating,
# country-group membership, and the shape of a reason. Nothing here fires on
# its own.
package chipcheck.lib

# A country code as the rules read it (Hong Kong is China, see license.yaml).
country(c) := object.get(data.rules.license.treat_as, c, c)

# x is in force on date d: from <= d < until (ISO dates compare as strings).
in_force(x, d) if {
	object.get(x, "from", "0001-01-01") <= d
	d < object.get(x, "until", "9999-12-31")
}

# The version of an effective-dated list in force on d: the last entry whose
# `from` is on or before d. Lists are kept in date order.
current(versions, d) := v if {
	vs := [x | some x in versions; x.from <= d]
	count(vs) > 0
	v := vs[count(vs) - 1]
}

# Country c is in Country Group g on date d.
member(g, c, _) if c in data.rules.country_groups[g].members

member(g, c, d) if {
	some e in data.rules.country_groups[g].dated
	e.country == c
	in_force(e, d)
}

# Country c is in a set spec {groups, except_groups, countries, dated,
# dated_groups, all} on date d.
in_set(spec, c, _) if c in object.get(spec, "countries", [])

in_set(spec, c, d) if {
	some e in object.get(spec, "dated", [])
	e.country == c
	in_force(e, d)
}

in_set(spec, _, _) if spec.all == true

in_set(spec, c, d) if {
	some g in object.get(spec, "groups", [])
	member(g, c, d)
	not excluded(spec, c, d)
}

# A dated group: its members on d, while the entry is in force on d.
in_set(spec, c, d) if {
	some e in object.get(spec, "dated_groups", [])
	in_force(e, d)
	member(e.group, c, d)
	not excluded(spec, c, d)
}

excluded(spec, c, d) if {
	some g in object.get(spec, "except_groups", [])
	member(g, c, d)
}

# The named set of license.yaml (macau_d5, d1_d4).
in_named(name, c, d) if in_set(data.rules.license.sets[name], c, d)

# Country Groups c belongs to on d, for messages ("D:1, D:4, D:5").
groups_text(c, d) := concat(", ", gs) if {
	gs := sort([g | some g, _ in data.rules.country_groups; member(g, c, d)])
	count(gs) > 0
} else := ""

round2(x) := round(x * 100) / 100

# x with three decimals, "0.949", "1.000" (sprintf's %f refuses integers,
# and a score of exactly 1 reaches Rego as one).
fixed3(x) := sprintf("%d.%03d", [floor(t / 1000), t % 1000]) if t := round(x * 1000)

# A figure for a message: the number, or "not given".
num(x) := sprintf("%v", [x]) if is_number(x)

else := "not given"

# The reason object every rule emits. meta is rego.metadata.rule() of the
# rule that fired: its custom.id is the stable rule id, its custom.citation
# the default citation (a rule may cite a more specific paragraph from data).
#
# Stages never see SKUs, names or license numbers, so that their results can
# be shared by every order with the same projection. A reason says instead
# what it is about, under "about", and the engine adds the record's own
# values to its facts:
#   classes  item class ids of the stage's item view, or "all": the lines'
#            sku, eccn, tpp and pd, as facts.items
#   license  true: the claimed license (type, number, notification), as
#            facts.license, and license_number below replaced by the number
# The reasons of a stage that judges one party, hit or line are about that
# one (the engine adds the party's name, or the line's item). "key" orders
# the reasons of one rule on a decision (e.g. by party).
reason(meta, outcome, message, citation, facts) := {
	"rule": meta.custom.id,
	"outcome": outcome,
	"message": message,
	"citation": cite(meta, citation),
	"facts": facts,
}

# The order's license number, in the message of a reason about the license
# (see reason above).
license_number := "{license.number}"

cite(meta, citation) := citation if citation != ""

else := meta.custom.citation

# A shipment from and to the country license.domestic (the US) is not an
# export.
domestic(ship_from, destination) if {
	country(ship_from) == data.rules.license.domestic
	country(destination) == data.rules.license.domestic
}

# "3A090.a and 3A090.b items" for a list of item classes.
eccns_text(classes) := sprintf("%s items", [concat(" and ", sort({c.eccn | some c in classes}))])

# The ids of a list of item classes, sorted.
class_ids(classes) := sort([c.class | some c in classes])

# METADATA
# title: Record not judged
# description: The record could not be fully judged (an evaluation error, or a policy that gave no reason); it is never allowed, and the run exits 3
# custom:
#   id: CHIPCHECK-EVAL-ERROR
#   citation: "chipcheck fails closed: a record that cannot be judged is never allowed"
eval_error := "declared here so that the rule id has METADATA like every other; the engine writes this reason, since a policy that failed cannot"
