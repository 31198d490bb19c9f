package prepare

import "testing"

// Cyrillic and Chinese forms of names on the SDN list and the Entity List,
// with the romanisation the lists publish (or, for Chinese, the pinyin form
// the matcher meets the published name with).
func TestTransliterate(t *testing.T) {
	tr := DefaultTransliterator()
	for _, tc := range []struct{ in, want string }{
		{"Путин Владимир Владимирович", "putin vladimir vladimirovich"},
		{"Пригожин Евгений Викторович", "prigozhin yevgeniy viktorovich"}, // SDN: PRIGOZHIN, Yevgeniy Viktorovich
		{"Нарышкин Сергей Евгеньевич", "naryshkin sergey yevgenyevich"},   // SDN: NARYSHKIN, Sergey Yevgenyevich
		{"Матвиенко Валентина Ивановна", "matviyenko valentina ivanovna"}, // SDN: MATVIYENKO, Valentina Ivanovna
		{"Ковальчук Юрий", "kovalchuk yuriy"},
		{"Роснефть", "rosneft"},
		{"Хуавэй", "khuavey"},
		{"ПАО Сбербанк России", "pao sberbank rossii"},
		{"Лукашенко Олександр", "lukashenko oleksandr"},
		{"华为技术有限公司", "huawei technology co ltd"},
		{"北京华为数字技术有限公司", "beijing huawei digital technology co ltd"},
		{"中国电子科技集团公司", "china electronics technology group co"},
		{"克拉玛依市公安局", "kelamayi municipality public security bureau"},
		{"李方伟", "li fangwei"},
		{"陈全国", "chen quanguo"},
		{"华为", "hua wei"},
		{"Huawei 华为", "huawei hua wei"},
	} {
		got := FoldLatin(tr.Transliterate(tc.in))
		got = joinFields(got)
		if got != tc.want {
			t.Errorf("Transliterate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func joinFields(s string) string {
	out := ""
	for _, w := range SplitWords(s) {
		if out != "" {
			out += " "
		}
		out += w
	}
	return out
}

// A Latin name passes through unchanged (accents are removed later).
func TestTransliterateLatinUnchanged(t *testing.T) {
	tr := DefaultTransliterator()
	for _, s := range []string{"Huawei Technologies Co., Ltd.", "Coöperatief U.A.", "Ciudad de Panamá"} {
		if got := tr.Transliterate(s); got != s {
			t.Errorf("Transliterate(%q) = %q", s, got)
		}
	}
}
