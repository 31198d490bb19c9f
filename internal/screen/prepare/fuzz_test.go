package prepare

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// FuzzNormalize checks properties of the name normaliser on any input:
//
//   - it never panics;
//
//   - every token is a non-empty run of ASCII letters and digits (so no
//     format control, bidi override or zero-width character survives), and
//     StripControls leaves no format character;
//
//   - the steps that undo disguises are idempotent (StripControls,
//     JoinSpacedLetters, FoldHomoglyphs), and so is the whole pipeline on
//     its own output when that holds no single letters (three separate
//     initials, "a, b, c", would be joined the second time);
//
//   - the output is at most a bounded multiple of the input: transliteration
//     writes a Chinese character (3 bytes) as a syllable of up to six
//     letters and a space, so 8 bytes per input byte is generous.
//
//     go test ./internal/screen/prepare -run xxx -fuzz FuzzNormalize -fuzztime 60s
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"", " ", "-", "Huawei Technologies Co., Ltd.", "PUTIN, Vladimir Vladimirovich",
		"H u a w e i", "H.u.a.w.e.i.", "H-u-a-w-e-i Technologies", "J. P. Morgan Chase & Co.",
		"\u202eiewauH\u202c", "Hua\u200bwei", "\ufeffSber\u00adbank", "\u2066Rosoboronexport\u2069",
		"Нuаwеі Тесhnоlоgiеs", "Хуавей Текнолоджис", "Ροσομπορονεξπορτ", "هواوي", "华为技术有限公司",
		"ＨＵＡＷＥＩ（深圳）", "Xi?an Huawei", "Stroytransgaz-M L.L.C.", "S.A. de C.V.", "a, b, c",
		"\xff\xfe invalid", strings.Repeat("Global Trading ", 50),
	} {
		f.Add(s)
	}
	tr := DefaultTransliterator()
	f.Fuzz(func(t *testing.T, s string) {
		// a name must not take long to normalise: a slow input is a bug
		watchdog := time.AfterFunc(5*time.Second, func() { panic(fmt.Sprintf("normalising %q took over 5s", s)) })
		defer watchdog.Stop()
		n := Normalize(s, false, tr)
		single := false
		for _, tok := range n.Tokens {
			if !asciiWord(tok.Text) || !asciiWord(tok.Raw) {
				t.Fatalf("Normalize(%q): token %q (raw %q) is not ASCII letters and digits", s, tok.Text, tok.Raw)
			}
			single = single || len(tok.Raw) == 1
		}
		key := n.Key()
		if len(key) > 8*len(s)+8 {
			t.Fatalf("Normalize(%q): %d bytes out of %d in", s, len(key), len(s))
		}
		if !single {
			if again := Normalize(key, false, tr).Key(); again != key {
				t.Fatalf("Normalize not idempotent on %q: %q then %q", s, key, again)
			}
		}
		c := StripControls(s)
		if i := strings.IndexFunc(c, func(r rune) bool { return unicode.Is(unicode.Cf, r) }); i >= 0 {
			t.Fatalf("StripControls(%q) = %q keeps a format character", s, c)
		}
		if !utf8.ValidString(c) {
			t.Fatalf("StripControls(%q) = %q is not valid UTF-8", s, c)
		}
		for name, step := range map[string]func(string) string{
			"StripControls": StripControls, "JoinSpacedLetters": JoinSpacedLetters, "FoldHomoglyphs": FoldHomoglyphs,
		} {
			once := step(c)
			if twice := step(once); twice != once {
				t.Fatalf("%s not idempotent on %q: %q then %q", name, c, once, twice)
			}
		}
	})
}

func asciiWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
