# METADATA
# title: Whole-order stage
# description: |
#   Rules that need the whole order at once go here. The other stages see
#   small, name-free parts of an order so that the engine can evaluate each
#   distinct part once and reuse the result; rules here see everything and
#   run for every order, so prefer a stage when one fits.
#
#   input: {order: {id, date, ship_from, destination, exporter, end_use: {codes},
#                   license, red_flags},
#           items: [{sku, quantity, class, name, catalog, eccn, paragraph, tpp,
#                    pd, why, datacenter, designer_country, ..., judged}],
#           parties: [{role, name, country, address, headquarters, ultimate_parent}],
#           screening: [hits], screened, config: {exporter}}
#
#   Define `requirements` (objects shaped as in data.chipcheck.destination;
#   they are authorized or denied by data.chipcheck.authorization) or
#   `reasons` here. The engine skips this stage while it has no rules.
package chipcheck.order
