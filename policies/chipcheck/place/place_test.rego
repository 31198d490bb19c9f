# Unit tests of the per-country place facts (data.chipcheck.place), against
# the real rules/*.yaml. The order tests exercise these facts end to end;
# these pin the facts themselves at the dated edges.
package chipcheck.place

place_on(c, d) := f if {
	f := facts with input as {"country": c, "date": d}
}

test_place_china_read_through_hk if {
	f := place_on("HK", "2026-01-20")
	f.given == "HK"
	f.code == "CN"
	f.groups == "D:1, D:4, D:5"
	f.macau_d5 == true
	f.d1_d4 == true
	f.destination.items == ["3A090.a", "3A090.b", "4A090.a", "4A090.b"]
	f.destination.citation == "15 CFR 742.6(a)(6)(i)"
	f.headquarters.items == ["3A090.a", "3A090.b", "4A090.a", "4A090.b"]
	f.hbm.items == ["3A090.c"]
	object.keys(f.end_use) == {"supercomputer", "advanced_ic_production", "semiconductor_equipment_production", "military", "military_intelligence", "wmd"}
	f.end_use.military == "15 CFR 744.21(a)"
	f.diffusion == true
	f.letters == {"nvidia-h20-2025-04", "amd-mi308-2025-04", "intel-gaudi-2025-04"}
	f.band == true
}

test_place_outside_every_scope if {
	f := place_on("DE", "2025-06-01")
	f.code == "DE"
	f.groups == "A:5"
	f.macau_d5 == false
	f.d1_d4 == false
	f.destination == null
	f.headquarters == null
	f.hbm == null
	object.keys(f.end_use) == {"wmd"}
	f.diffusion == false
	f.letters == set()
	f.band == false
}

test_place_d1_only if {
	f := place_on("VN", "2025-06-01")
	f.d1_d4 == true
	f.macau_d5 == false
	f.destination != null
	f.headquarters == null
	f.hbm == null
	f.diffusion == true
	f.band == false
}

test_place_israel_excluded_from_destination_scope if {
	f := place_on("IL", "2025-06-01")
	f.groups == "A:6, D:4"
	f.d1_d4 == false
	f.destination == null
	f.diffusion == true
}

test_place_destination_versions if {
	place_on("CN", "2022-10-06").destination == null
	place_on("CN", "2022-10-07").destination.items == ["3A090.a", "4A090.a"]
	place_on("MO", "2023-01-16").destination == null
	place_on("MO", "2023-01-17").destination.citation == "15 CFR 742.6(a)(6)(i) as amended by 88 FR 2821 (Jan 2023)"
	place_on("VN", "2023-11-16").destination == null
	place_on("VN", "2023-11-17").destination != null
}

test_place_headquarters_and_hbm_dates if {
	place_on("CN", "2023-11-16").headquarters == null
	place_on("CN", "2023-11-17").headquarters != null
	place_on("CN", "2024-12-01").hbm == null
	place_on("CN", "2024-12-02").hbm != null
}

test_place_cambodia_2026_02_03 if {
	before := place_on("KH", "2026-02-02")
	before.macau_d5 == true
	before.headquarters != null
	"supercomputer" in object.keys(before.end_use)
	after := place_on("KH", "2026-02-03")
	after.macau_d5 == false
	after.d1_d4 == true
	after.destination != null
	after.headquarters == null
	after.hbm == null
	not "supercomputer" in object.keys(after.end_use)
	"military" in object.keys(after.end_use)
}

test_place_nicaragua_2024_03_15 if {
	before := place_on("NI", "2024-03-14")
	before.groups == ""
	before.destination == null
	object.keys(before.end_use) == {"wmd"}
	after := place_on("NI", "2024-03-15")
	after.macau_d5 == true
	after.destination != null
	object.keys(after.end_use) == {"supercomputer", "advanced_ic_production", "semiconductor_equipment_production", "military", "military_intelligence", "wmd"}
}

test_place_end_use_dates if {
	object.keys(place_on("CN", "2020-06-28").end_use) == {"wmd"}
	object.keys(place_on("CN", "2020-06-29").end_use) == {"military", "wmd"}
	object.keys(place_on("CN", "2021-03-16").end_use) == {"military", "military_intelligence", "wmd"}
	object.keys(place_on("CN", "2022-10-07").end_use) == {"supercomputer", "advanced_ic_production", "military", "military_intelligence", "wmd"}
}

test_place_diffusion_dates_and_exemptions if {
	place_on("SG", "2025-01-12").diffusion == false
	place_on("SG", "2025-01-13").diffusion == true
	place_on("JP", "2025-06-01").diffusion == false
	place_on("US", "2025-06-01").diffusion == false
}

test_place_letters_dates if {
	place_on("CN", "2025-04-08").letters == set()
	place_on("CN", "2025-04-09").letters == {"nvidia-h20-2025-04", "intel-gaudi-2025-04"}
	place_on("CN", "2025-04-15").letters == {"nvidia-h20-2025-04", "amd-mi308-2025-04", "intel-gaudi-2025-04"}
	place_on("VN", "2025-06-01").letters == set()
}

test_place_band if {
	place_on("CN", "2026-01-14").band == false
	place_on("CN", "2026-01-15").band == true
	place_on("MO", "2026-01-15").band == true
	place_on("RU", "2026-01-15").band == false
}

# ---- at: supplied facts first, else computed ---------------------------------

test_place_at_computes_without_places if {
	f := at("HK") with input as {"date": "2026-01-20"}
	f == of("HK", "2026-01-20")
	f.code == "CN"
}

test_place_at_reads_supplied_places if {
	fake := {"given": "DE", "code": "DE", "groups": "FAKE"}
	at("DE") == fake with input as {"date": "2026-01-20", "places": {"DE": fake}}

	# a country the engine did not supply is computed
	at("CN") == of("CN", "2026-01-20") with input as {"date": "2026-01-20", "places": {"DE": fake}}
}

test_place_at_uses_the_input_date if {
	before := at("KH") with input as {"date": "2026-02-02"}
	before.macau_d5 == true
	after := at("KH") with input as {"date": "2026-02-03"}
	after.macau_d5 == false
}

# ---- text: where a country sits, for messages --------------------------------

test_place_text if {
	text(place_on("CN", "2026-01-20")) == "CN (Country Groups D:1, D:4, D:5)"
	text(place_on("HK", "2026-01-20")) == "HK (read as CN; Country Groups D:1, D:4, D:5)"
	text(place_on("VN", "2026-01-20")) == "VN (Country Groups D:1)"
	text(place_on("MO", "2026-01-20")) == "MO (Country Groups D:1, D:4)"
	text(place_on("IL", "2026-01-20")) == "IL (Country Groups A:6, D:4)"
	text(place_on("US", "2026-01-20")) == "US (in no Country Group)"
	text(place_on("NI", "2024-03-14")) == "NI (in no Country Group)"
}
