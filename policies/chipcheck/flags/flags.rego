# METADATA
# title: Red-flag stage
# description: |
#   Red flags of the order (Supp. 3 to Part 732, BIS's 2025 diversion
#   guidance): each must be resolved before shipping.
#
#   input: {red_flags: [codes]}
package chipcheck.flags

import data.chipcheck.lib

# METADATA
# title: Red flag
# description: A red flag of Supp. 3 to Part 732 or BIS's 2025 diversion guidance must be resolved before shipping
# custom:
#   id: EAR-732-RED-FLAG
#   citation: "15 CFR Part 732, Supp. 3"
reasons contains r if {
	some code in input.red_flags
	flag := data.rules.red_flags.flags[code]
	r := lib.reason(rego.metadata.rule(), "review", sprintf("red flag %s: %s; resolve before shipping", [code, flag.description]), flag.citation, {"red_flag": code})
}
