package prepare

import "testing"

func TestStripControls(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Huawei Technologies", "Huawei Technologies"},
		{"\u202eiewauH\u202c", "iewauH"},                                       // right-to-left override (shown reversed)
		{"Hua\u200bwei Tech\u200cnologies", "Huawei Technologies"},             // zero-width space and non-joiner
		{"\u2066Huawei\u2069 \u2067Technologies\u2069", "Huawei Technologies"}, // isolates
		{"\ufeffRosoboron\u00adexport", "Rosoboronexport"},                     // BOM, soft hyphen
		{"Sber\u200dbank\tof\nRussia", "Sberbank of Russia"},                   // joiner; tab and newline separate
		{"Kinglead\u2028Electronics", "Kinglead Electronics"},                  // line separator
		{"bad \xff byte", "bad   byte"},
	} {
		if got := StripControls(tc.in); got != tc.want {
			t.Errorf("StripControls(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestJoinSpacedLetters(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"H u a w e i", "Huawei"},
		{"H.u.a.w.e.i.", "Huawei."},
		{"H-u-a-w-e-i Technologies", "Huawei Technologies"},
		{"H. u. a. w. e. i. Technologies Co., Ltd.", "Huawei. Technologies Co., Ltd."},
		{"S.M.I.C.", "SMIC."},
		{"R o s t e c", "Rostec"},
		{"Х у а в е й", "Хуавей"},                    // any script
		{"J. P. Morgan Chase", "J. P. Morgan Chase"}, // initials stay
		{"KIM, Jong Un", "KIM, Jong Un"},
		{"Huawei Technologies Cooperatief U.A.", "Huawei Technologies Cooperatief U.A."},
		{"S.A. de C.V.", "S.A. de C.V."},
		{"Stroytransgaz-M L.L.C.", "Stroytransgaz-M LLC."}, // M ends the word before
		{"Avant-S p a c e", "Avant-S pace"},
		{"A 1 B", "A 1 B"}, // digits are not letters
		{"Institute 6 2 5", "Institute 6 2 5"},
	} {
		if got := JoinSpacedLetters(tc.in); got != tc.want {
			t.Errorf("JoinSpacedLetters(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFoldHomoglyphs(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Нuаwеі", "Huawei"}, // Cyrillic Н, а, е, і among Latin u, w
		{"Нuаwеі Тесhnоlоgiеs", "Huawei Technologies"},
		{"Ηuαwei", "Huawei"}, // Greek Eta and alpha
		{"Хуавей Текнолоджис", "Хуавей Текнолоджис"}, // all Cyrillic: transliterated later
		{"ООО Авант-Space", "ООО Авант-Space"},       // a Cyrillic word beside a Latin one
		{"Huawei", "Huawei"},
	} {
		if got := FoldHomoglyphs(tc.in); got != tc.want {
			t.Errorf("FoldHomoglyphs(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Disguised spellings of listed names normalise to the plain name's tokens.
func TestNormalizeUndoesDisguises(t *testing.T) {
	tr := DefaultTransliterator()
	plain := toks(Normalize("Huawei Technologies Co., Ltd.", false, tr))
	for _, in := range []string{
		"H u a w e i Technologies Co., Ltd.",
		"H.u.a.w.e.i. Technologies Co., Ltd.",
		"H-u-a-w-e-i Technologies Co., Ltd.",
		"Hua\u200bwei Tech\u00adnologies Co., Ltd.",
		"\u202aHuawei\u202c Technologies\ufeff Co., Ltd.",
		"Нuаwеі Тесhnоlоgiеs Co., Ltd.",
	} {
		if got := toks(Normalize(in, false, tr)); got != plain {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, plain)
		}
	}
	// Cyrillic and Greek spellings are transliterated.
	for in, want := range map[string]string{
		"Хуавей Текнолоджис": "khuavey teknolodzhis",
		"Ροσομπορονεξπορτ":   "rosomporonexport",
	} {
		if got := toks(Normalize(in, false, tr)); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}
