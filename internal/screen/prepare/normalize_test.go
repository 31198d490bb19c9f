package prepare

import (
	"strings"
	"testing"
)

func toks(n Name) string {
	var b strings.Builder
	for i, t := range n.Tokens {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.Text)
		if t.Class.Weak() {
			b.WriteByte('*')
		}
	}
	return b.String()
}

func TestFixMojibake(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Xi?an Huawei Technologies Co., Ltd.", "Xi'an Huawei Technologies Co., Ltd."},
		{"Donetsk People?s Republic", "Donetsk People's Republic"},
		{"Centre d?Etudes et de Recherches Scientifiques", "Centre d'Etudes et de Recherches Scientifiques"},
		{"AO ?Institute Giprostroymost?Saint-Petersburg?", "AO  Institute Giprostroymost Saint-Petersburg "},
		{"FAU ?Glavgosekspertiza Rossii?", "FAU  Glavgosekspertiza Rossii "},
		{"Ahmad Assad Fa?ur", "Ahmad Assad Fa'ur"},
		{"no question mark", "no question mark"},
	} {
		if got := FixMojibake(tc.in); got != tc.want {
			t.Errorf("FixMojibake(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFoldLatin(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"HUAWEI", "huawei"},
		{"Huawei Technologies Coöperatief U.A.", "huawei technologies cooperatief u.a."},
		{"Ciudad de Panamá", "ciudad de panama"},
		{"Straße", "strasse"},
		{"Ørsted Łódź", "orsted lodz"},
		{"İstanbul", "istanbul"},
	} {
		if got := FoldLatin(tc.in); got != tc.want {
			t.Errorf("FoldLatin(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFoldWidth(t *testing.T) {
	if got := FoldWidth("ＨＵＡＷＥＩ（深圳）"); got != "HUAWEI(深圳)" {
		t.Errorf("FoldWidth = %q", got)
	}
}

func TestSplitWords(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"huawei technologies co., ltd.", "huawei technologies co ltd"},
		{"asa'ib ahl al-haq", "asaib ahl al haq"},
		{"ningbo huawei computer & net co.", "ningbo huawei computer and net co"},
		{"private military company 'wagner'", "private military company wagner"},
		{"rostekh – azimuth", "rostekh azimuth"},
		{"33rd scientific research", "33rd scientific research"},
	} {
		if got := strings.Join(SplitWords(tc.in), " "); got != tc.want {
			t.Errorf("SplitWords(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestReorderPerson(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"PUTIN, Vladimir Vladimirovich", "Vladimir Vladimirovich PUTIN", true},
		{"MADURO MOROS, Nicolas", "Nicolas MADURO MOROS", true},
		{"AL-FAY, Idris 'Ali 'Awwad", "Idris 'Ali 'Awwad AL-FAY", true},
		{"SMITH, John, Jr.", "John SMITH Jr.", true},
		{"Ivan Zubarev", "Ivan Zubarev", false},
	} {
		got, ok := ReorderPerson(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ReorderPerson(%q) = %q,%v want %q,%v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestLooksInverted(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"PUTIN, Vladimir", true},
		{"KADYROV, Ramzan Akhmatovich", true},
		{"Huawei Technologies Co., Ltd.", false},
		{"Avant-Space, LLC", false},
		{"Building 647, Road 2811", false},
		{"Ivan Zubarev", false},
	} {
		if got := LooksInverted(tc.in); got != tc.want {
			t.Errorf("LooksInverted(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// TestLegalFormsEquivalent checks that the published spellings of one legal
// form normalise to the same weak tokens.
func TestLegalFormsEquivalent(t *testing.T) {
	groups := [][]string{
		{"Huawei Technologies Co., Ltd.", "Huawei Technologies Company Limited", "Huawei Technologies Co Ltd", "华为技术有限公司"},
		{"Admiralty Shipyard JSC", "Admiralty Shipyard Joint Stock Company", "AO Admiralty Shipyard", "Admiralty Shipyard Joint-Stock Company", "OAO Admiralty Shipyard", "Aktsionernoe Obshchestvo Admiralty Shipyard"},
		{"Avant-Space LLC", "OOO Avant-Space", "Avant-Space Limited Liability Company", "Obshchestvo S Ogranichennoi Otvetstvennostyu Avant-Space", "ООО Авант-Space"},
		{"Scientific-Production Enterprise Volna", "NPP Volna", "Research and Production Enterprise Volna"},
		{"STATE CORPORATION ROSTEC", "Goskorporatsiya Rostec"},
	}
	weak := func(n Name) (string, string) {
		var w, s []string
		for _, t := range n.Tokens {
			if t.Class == Legal {
				w = append(w, t.Text)
			} else {
				s = append(s, t.Text)
			}
		}
		return strings.Join(s, " "), strings.Join(w, " ")
	}
	for _, g := range groups {
		s0, w0 := weak(Normalize(g[0], false, DefaultTransliterator()))
		for _, name := range g[1:] {
			s, w := weak(Normalize(name, false, DefaultTransliterator()))
			if w != w0 || (name != "华为技术有限公司" && s != s0) {
				t.Errorf("%q → strong %q legal %q; %q → strong %q legal %q", g[0], s0, w0, name, s, w)
			}
		}
	}
}

func TestNormalizeName(t *testing.T) {
	tr := DefaultTransliterator()
	for _, tc := range []struct {
		in         string
		individual bool
		want       string
		translit   bool
		reordered  bool
	}{
		{"PUTIN, Vladimir Vladimirovich", true, "vladimir vladimirovich putin", false, true},
		{"Huawei Technologies Co., Ltd. (Huawei)", false, "huawei technologies co* ltd* huawei", false, false},
		{"The Belarusian Optical and Mechanical Association", false, "the* belarusian optical and* mechanical association", false, false},
		{"Semiconductor Mfg International Corp.", false, "semiconductor manufacturing international corp*", false, false},
		{"Путин Владимир Владимирович", false, "putin vladimir vladimirovich", true, false},
		{"华为技术有限公司", false, "huawei technology co* ltd*", true, false},
		{"Xi?an Huawei Technologies", false, "xian huawei technologies", false, false},
		{"Dmitriy V Lukhanin", false, "dmitriy v* lukhanin", false, false},
		{"KADYROV, Ramzan", false, "ramzan kadyrov", false, true},
		{"Computer & Net", false, "computer and* network", false, false},
	} {
		n := Normalize(tc.in, tc.individual, tr)
		if got := toks(n); got != tc.want || n.Transliterated != tc.translit || n.Reordered != tc.reordered {
			t.Errorf("Normalize(%q) = %q translit=%v reordered=%v, want %q %v %v", tc.in, got, n.Transliterated, n.Reordered, tc.want, tc.translit, tc.reordered)
		}
	}
}
