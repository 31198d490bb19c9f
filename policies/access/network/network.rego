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
#   Two queries. `above`, once per batch, compares every distinct value of
#   each measure (usage shares, cluster means and volumes) with its
#   threshold and writes the values above as messages show them; its
#   input: {group: {measure: [numbers]}}, the groups and measures of
#   `measures`. Then `findings` and `clear`, once per account, on facts
#   without identities, where each measure is true when `above` found it
#   above its threshold, so that accounts alike share one evaluation; a
#   message shows a measure's value by shown(group, measure), which Go
#   replaces with the text `above` wrote for the account's value:
#
#   input: {
#     status: "active" | "denied",
#     usage: {cot_elicitation_share, template_concentration,
#             single_turn_share, new_model_share_48h} (those given: above?),
#     cluster: {size, distinct_orgs, requests_per_day, output_tokens_per_day,
#               mean_cot_elicitation_share?, mean_template_concentration?
#               (above?), denied_members (other than this account)},
#     strong: {size, distinct_orgs}   the strong-identifier component,
#     prompt: {size, distinct_orgs}   the near-duplicate-prompt component,
#     burst: {organisations, identifier, window_minutes}   the largest sign-up cohort, in distinct organisations,
#     denied_links: [{identifier, count}]   denied accounts sharing a strong identifier,
#     strong_hubs: [{identifier, accounts}]   strong values too widely held to follow,
#   }
#   findings holds every reason found; clear the one allow reason when
#   there is none. A message names the account's cluster by cluster_id,
#   which Go replaces with its id; a reason's `about` lists the account's
#   own facts Go adds to its facts: cluster (the cluster's figures),
#   usage (the shares given), denied_links (with a few of the denied
#   accounts), links (the shared identifier values).
package access.network

j := data.rules.networks.judgment

cite(key) := data.rules.networks.citations[key]

# cluster_id stands for the account's cluster id in messages
# (internal/networks writes the id in its place).
cluster_id := "{cluster.id}"

reason(meta, outcome, message, key, facts, about) := {
	"rule": meta.custom.id,
	"outcome": outcome,
	"message": message,
	"citation": cite(key),
	"facts": facts,
	"about": about,
}

# measures are the thresholds `above` judges values against, by group and
# measure.
measures := {
	"usage": {k: s.above | some k, s in j.account_behaviour.signals},
	"cluster_mean": {k: j.cluster_behaviour[k] | some k in ["cot_elicitation_share", "template_concentration"]},
	"cluster_volume": {k: j.cluster_volume[k] | some k in ["requests_per_day", "output_tokens_per_day"]},
}

# above is, for each group and measure of the input, the values above the
# measure's threshold: [position, the value as messages show it].
above := {g: {k: [[i, show(g, v)] | some i, v in vs; v > t] |
	some k, vs in input[g]
	t := ms[k]
} |
	some g, ms in measures
}

show("usage", v) := sprintf("%v", [v])

show("cluster_mean", v) := sprintf("%v", [round(v * 1000) / 1000])

show("cluster_volume", v) := sprintf("%v", [round(v)])

# shown(g, k) stands for the account's value of measure k of group g in
# messages (internal/networks writes what show wrote for it in its place).
shown(g, k) := sprintf("{%s.%s}", [g, k])

# METADATA
# title: Account already denied
# description: The provider has already denied this account; it stays denied
# custom:
#   id: NETWORK-ACCOUNT-DENIED
#   citation: "provider enforcement record (rules/networks.yaml citations.denied)"
findings contains r if {
	input.status == "denied"
	r := reason(rego.metadata.rule(), "deny", "the provider has already denied this account", "denied", {}, ["cluster", "links"])
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
	r := reason(rego.metadata.rule(), outcome, msg, "denied_link", {}, ["cluster", "denied_links", "links"])
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
	msg := sprintf("its cluster %s of %d accounts holds %d denied account(s)", [cluster_id, input.cluster.size, input.cluster.denied_members])
	r := reason(rego.metadata.rule(), "review", msg, "denied_link", {}, ["cluster", "links"])
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
	r := reason(rego.metadata.rule(), "review", msg, "strong_cluster", {"strong": input.strong, "priority": priority}, ["cluster", "links"])
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
	r := reason(rego.metadata.rule(), "review", msg, "prompt_cluster", {"prompt": input.prompt}, ["cluster"])
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
	over := [sprintf("mean %s %s above %v", [k, shown("cluster_mean", k), j.cluster_behaviour[k]]) |
		some k in ["cot_elicitation_share", "template_concentration"]
		input.cluster[sprintf("mean_%s", [k])] == true
	]
	count(over) > 0
	msg := sprintf("its cluster %s of %d accounts (%d organisations): %s", [cluster_id, input.cluster.size, input.cluster.distinct_orgs, concat("; ", over)])
	r := reason(rego.metadata.rule(), "review", msg, "cluster_behaviour", {}, ["cluster", "links"])
}

# METADATA
# title: Cluster volume
# description: The account's cluster, across several organisations, sends more traffic per day than the tier's 99th percentile
# custom:
#   id: NETWORK-CLUSTER-VOLUME
#   citation: "rules/networks.yaml citations.cluster_volume"
findings contains r if {
	input.cluster.distinct_orgs >= j.cluster_volume.min_orgs
	over := [sprintf("%s %s above %v", [k, shown("cluster_volume", k), j.cluster_volume[k]]) |
		some k in ["requests_per_day", "output_tokens_per_day"]
		input.cluster[k] == true
	]
	count(over) > 0
	msg := sprintf("its cluster %s of %d accounts (%d organisations) together: %s", [cluster_id, input.cluster.size, input.cluster.distinct_orgs, concat("; ", over)])
	r := reason(rego.metadata.rule(), "review", msg, "cluster_volume", {}, ["cluster", "links"])
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
	r := reason(rego.metadata.rule(), "review", msg, "burst", {"burst": input.burst}, ["links"])
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
	parts := sort([sprintf("%s %s above %v (+%v)", [k, shown("usage", k), s.above, s.score]) | some k, s in signals])
	msg := sprintf("its own usage scores %v (review at %v): %s", [score, j.account_behaviour.review_score, concat("; ", parts)])
	r := reason(rego.metadata.rule(), "review", msg, "account_behaviour", {"score": score}, ["usage"])
}

signals[k] := s if {
	some k, s in j.account_behaviour.signals
	input.usage[k] == true
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
	r := reason(rego.metadata.rule(), "review", msg, "strong_cluster", {"strong_hubs": input.strong_hubs}, ["links"])
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
	r := reason(rego.metadata.rule(), "allow", msg, "clear", {}, ["cluster"])
}
