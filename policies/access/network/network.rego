# METADATA
# title: Distillation-network stage
# description: |
#   Judges one account of a batch of account_activity records by what it
#   shares with others and by its cluster's combined behaviour. Go links
#   the batch (internal/networks: union-find over strong identifiers, rare
#   weak identifiers weighted ln(N/holders), MinHash LSH on prompt
#   signatures, sign-up bursts) and passes each account its facts;
#   thresholds are data.rules.networks.judgment. Behaviour alone never
#   denies: only a strong identifier shared with a denied account does.
#
#   input: {
#     status: "active" | "denied",
#     usage: {cot_elicitation_share, template_concentration,
#             single_turn_share, new_model_share_48h} (those given),
#     window_days,
#     cluster: {id, size, distinct_orgs, requests_per_day,
#               output_tokens_per_day, mean_cot_elicitation_share?,
#               mean_template_concentration?, created_within_window_max,
#               denied_members (other than this account)},
#     strong: {size, distinct_orgs}   the strong-identifier component,
#     prompt: {size, distinct_orgs, signature}   the near-duplicate-prompt component,
#     burst: {organisations, identifier, window_minutes}   the largest sign-up cohort, in distinct organisations,
#     denied_links: [{identifier, count, accounts}]   denied accounts sharing a strong identifier,
#     strong_hubs: [{identifier, accounts}]   strong values too widely held to follow,
#   }
#   findings holds every reason found; clear the one allow reason when
#   there is none. A reason with links: true gets the account's shared identifier values
#   as facts.links.
package access.network

j := data.rules.networks.judgment

cite(key) := data.rules.networks.citations[key]

reason(meta, outcome, message, key, facts, links) := {
	"rule": meta.custom.id,
	"outcome": outcome,
	"message": message,
	"citation": cite(key),
	"facts": facts,
	"links": links,
}

cluster_facts := {k: v |
	some k in ["id", "size", "distinct_orgs", "requests_per_day", "output_tokens_per_day", "mean_cot_elicitation_share", "mean_template_concentration", "created_within_window_max", "denied_members"]
	v := input.cluster[k]
}

# METADATA
# title: Account already denied
# description: The provider has already denied this account; it stays denied
# custom:
#   id: NETWORK-ACCOUNT-DENIED
#   citation: "provider enforcement record (rules/networks.yaml citations.denied)"
findings contains r if {
	input.status == "denied"
	r := reason(rego.metadata.rule(), "deny", "the provider has already denied this account", "denied", {"cluster": cluster_facts}, true)
}

# METADATA
# title: Strong identifier shared with a denied account
# description: |
#   The account shares a strong identifier with an account the provider
#   denied: a deny when the identifier is one of judgment.denied_link_deny
#   (the same payment instrument), else a review
# custom:
#   id: NETWORK-DENIED-LINK
#   citation: "rules/networks.yaml citations.denied_link"
findings contains r if {
	count(input.denied_links) > 0
	deny := [l | some l in input.denied_links; l.identifier in j.denied_link_deny]
	outcome := denied_link_outcome(deny)
	ids := concat(", ", sort([l.identifier | some l in input.denied_links]))
	n := sum([l.count | some l in input.denied_links])
	msg := sprintf("shares %s with %d denied account(s)%s", [ids, n, denied_link_text(outcome)])
	r := reason(rego.metadata.rule(), outcome, msg, "denied_link", {"denied_links": input.denied_links, "cluster": cluster_facts}, true)
}

denied_link_outcome(deny) := "deny" if count(deny) > 0

else := "review"

denied_link_text("deny") := ": the same strong identifier as a denied account is a deny"

denied_link_text("review") := ": not an identifier that denies on its own (judgment.denied_link_deny), so a review"

# METADATA
# title: Cluster holds a denied account
# description: The account's cluster holds an account the provider denied, though the two share no strong identifier directly
# custom:
#   id: NETWORK-DENIED-CLUSTER
#   citation: "rules/networks.yaml citations.denied_link"
findings contains r if {
	input.cluster.denied_members > 0
	count(input.denied_links) == 0
	msg := sprintf("its cluster %s of %d accounts holds %d denied account(s)", [input.cluster.id, input.cluster.size, input.cluster.denied_members])
	r := reason(rego.metadata.rule(), "review", msg, "denied_link", {"cluster": cluster_facts}, true)
}

# METADATA
# title: Strong-identifier cluster across organisations
# description: Accounts of several declared organisations share payment instruments, devices or phones
# custom:
#   id: NETWORK-STRONG-CLUSTER
#   citation: "rules/networks.yaml citations.strong_cluster"
findings contains r if {
	input.strong.size >= j.strong_cluster.min_size
	input.strong.distinct_orgs >= j.strong_cluster.min_orgs
	priority := input.strong.size >= j.strong_cluster.priority_size
	msg := sprintf("shares strong identifiers with %d accounts of %d declared organisations (at least %d accounts of %d organisations is a network)%s", [input.strong.size - 1, input.strong.distinct_orgs, j.strong_cluster.min_size, j.strong_cluster.min_orgs, priority_text(priority)])
	r := reason(rego.metadata.rule(), "review", msg, "strong_cluster", {"strong": input.strong, "priority": priority, "cluster": cluster_facts}, true)
}

priority_text(true) := "; priority review"

priority_text(false) := ""

# METADATA
# title: Near-duplicate prompts across organisations
# description: The account's sampled prompts are near duplicates of those of many accounts of other declared organisations
# custom:
#   id: NETWORK-PROMPT-CLUSTER
#   citation: "rules/networks.yaml citations.prompt_cluster"
findings contains r if {
	input.prompt.size >= j.prompt_cluster.min_accounts
	input.prompt.distinct_orgs >= j.prompt_cluster.min_orgs
	msg := sprintf("its prompts are near duplicates of those of %d other accounts of %d declared organisations (at least %d accounts of %d organisations)", [input.prompt.size - 1, input.prompt.distinct_orgs, j.prompt_cluster.min_accounts, j.prompt_cluster.min_orgs])
	r := reason(rego.metadata.rule(), "review", msg, "prompt_cluster", {"prompt": object.remove(input.prompt, {"signature"}), "cluster": cluster_facts}, false)
}

# METADATA
# title: Cluster behaviour
# description: The account's cluster, on average, elicits hidden reasoning or runs templated prompts beyond the thresholds
# custom:
#   id: NETWORK-CLUSTER-BEHAVIOUR
#   citation: "rules/networks.yaml citations.cluster_behaviour"
findings contains r if {
	input.cluster.size >= j.cluster_behaviour.min_size
	input.cluster.distinct_orgs >= j.cluster_behaviour.min_orgs
	over := [sprintf("mean %s %v above %v", [k, round3(input.cluster[sprintf("mean_%s", [k])]), j.cluster_behaviour[k]]) |
		some k in ["cot_elicitation_share", "template_concentration"]
		input.cluster[sprintf("mean_%s", [k])] > j.cluster_behaviour[k]
	]
	count(over) > 0
	msg := sprintf("its cluster %s of %d accounts (%d organisations): %s", [input.cluster.id, input.cluster.size, input.cluster.distinct_orgs, concat("; ", over)])
	r := reason(rego.metadata.rule(), "review", msg, "cluster_behaviour", {"cluster": cluster_facts}, true)
}

round3(x) := round(x * 1000) / 1000

# METADATA
# title: Cluster volume
# description: The account's cluster, across several organisations, sends more traffic per day than the tier's 99th percentile
# custom:
#   id: NETWORK-CLUSTER-VOLUME
#   citation: "rules/networks.yaml citations.cluster_volume"
findings contains r if {
	input.cluster.distinct_orgs >= j.cluster_volume.min_orgs
	over := [sprintf("%s %v above %v", [k, round(input.cluster[k]), j.cluster_volume[k]]) |
		some k in ["requests_per_day", "output_tokens_per_day"]
		input.cluster[k] > j.cluster_volume[k]
	]
	count(over) > 0
	msg := sprintf("its cluster %s of %d accounts (%d organisations) together: %s", [input.cluster.id, input.cluster.size, input.cluster.distinct_orgs, concat("; ", over)])
	r := reason(rego.metadata.rule(), "review", msg, "cluster_volume", {"cluster": cluster_facts}, true)
}

# METADATA
# title: Sign-up burst
# description: The account is one of many created within one window that share an identifier
# custom:
#   id: NETWORK-SIGNUP-BURST
#   citation: "rules/networks.yaml citations.burst"
findings contains r if {
	input.burst.organisations >= j.burst.min_organisations
	msg := sprintf("one of %d declared organisations sharing %s whose accounts were created within %d minutes (at least %d is a burst)", [input.burst.organisations, input.burst.identifier, input.burst.window_minutes, j.burst.min_organisations])
	r := reason(rego.metadata.rule(), "review", msg, "burst", {"burst": input.burst}, true)
}

# METADATA
# title: Account behaviour
# description: The account's own usage scores at or above the review score (chain-of-thought elicitation, template concentration, single-turn share, new-model share)
# custom:
#   id: NETWORK-ACCOUNT-BEHAVIOUR
#   citation: "rules/networks.yaml citations.account_behaviour"
findings contains r if {
	score := sum([s.score | some s in signals])
	score >= j.account_behaviour.review_score
	parts := sort([sprintf("%s %v above %v (+%v)", [k, input.usage[k], s.above, s.score]) | some k, s in signals])
	msg := sprintf("its own usage scores %v (review at %v): %s", [score, j.account_behaviour.review_score, concat("; ", parts)])
	r := reason(rego.metadata.rule(), "review", msg, "account_behaviour", {"score": score, "usage": input.usage}, false)
}

signals[k] := s if {
	some k, s in j.account_behaviour.signals
	input.usage[k] > s.above
}

# METADATA
# title: Strong identifier too widely held
# description: A payment instrument, device or phone of the account is held by more accounts than linkage.strong_hub; it was not followed, and is itself an alert
# custom:
#   id: NETWORK-STRONG-HUB
#   citation: "rules/networks.yaml citations.strong_cluster"
findings contains r if {
	count(input.strong_hubs) > 0
	msg := sprintf("its %s is held by %d accounts, more than a strong identifier plausibly is", [concat(", ", sort([h.identifier | some h in input.strong_hubs])), max([h.accounts | some h in input.strong_hubs])])
	r := reason(rego.metadata.rule(), "review", msg, "strong_cluster", {"strong_hubs": input.strong_hubs}, true)
}

# METADATA
# title: No network finding
# description: No linkage or behaviour threshold was crossed
# custom:
#   id: NETWORK-CLEAR
#   citation: "rules/networks.yaml citations.clear"
clear contains r if {
	count(findings) == 0
	msg := sprintf("no linkage or behaviour threshold crossed: cluster of %d account(s), %d declared organisation(s)", [input.cluster.size, input.cluster.distinct_orgs])
	r := reason(rego.metadata.rule(), "allow", msg, "clear", {"cluster": cluster_facts}, false)
}
