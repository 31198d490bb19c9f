# Unit tests of the red-flag stage (EAR-732-RED-FLAG) against the real
# rules/red_flags.yaml. Input, as the engine builds it once per order
# (internal/orders/stages.go, fRedFlags): {red_flags: [codes]}.
package chipcheck.flags

import data.chipcheck.fixtures as fx

reasons_of(codes) := rs if {
	rs := reasons with input as {"red_flags": codes}
}

test_flag_every_code_is_review if {
	count(data.rules.red_flags.flags) > 0
	every code, f in data.rules.red_flags.flags {
		r := fx.the(reasons_of([code]), "EAR-732-RED-FLAG")
		r.outcome == "review"
		r.message == sprintf("red flag %s: %s; resolve before shipping", [code, f.description])
		r.citation == f.citation
		r.facts == {"red_flag": code}
	}
}

test_flag_message_and_citation if {
	r := fx.the(reasons_of(["cash_payment"]), "EAR-732-RED-FLAG")
	r.message == "red flag cash_payment: customer pays cash for an expensive item when financing is usual; resolve before shipping"
	r.citation == "15 CFR 732 Supp. 3 (cash for costly item)"
}

test_flag_one_per_code if {
	rs := fx.by_rule(reasons_of(["cash_payment", "unusual_routing"]), "EAR-732-RED-FLAG")
	count(rs) == 2
	{r.facts.red_flag | some r in rs} == {"cash_payment", "unusual_routing"}
}

test_flag_unknown_code_or_none if {
	count(reasons_of(["not_a_flag"])) == 0
	count(reasons_of([])) == 0
	count(reasons_of(["not_a_flag", "evasive_end_use"])) == 1
}
