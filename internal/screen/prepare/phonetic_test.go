package prepare

import "testing"

func TestPhoneticKey(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"khuavey", "huawei"}, {"mohammed", "mohamed"}, {"aleksey", "alexey"},
		{"sovkomflot", "sovcomflot"}, {"yevgeniy", "ievgenii"}, {"teknologi", "technologi"},
	} {
		if PhoneticKey(tc.a) != PhoneticKey(tc.b) {
			t.Errorf("PhoneticKey(%q) = %q, PhoneticKey(%q) = %q", tc.a, PhoneticKey(tc.a), tc.b, PhoneticKey(tc.b))
		}
	}
}
