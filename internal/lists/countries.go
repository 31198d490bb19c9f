package lists

import "strings"

// countries maps the country names and codes one list file writes to ISO-2
// codes through Options.CountryCode, remembering answers (a file repeats a
// few hundred names tens of thousands of times) and unknown names. Not safe
// for concurrent use: each loader goroutine has its own.
type countries struct {
	lookup  func(string) (string, bool)
	cache   map[string]string // "" = unknown
	unknown map[string]int
}

func newCountries(lookup func(string) (string, bool)) *countries {
	return &countries{lookup: lookup, cache: map[string]string{}, unknown: map[string]int{}}
}

// code returns the ISO-2 code for name, or "" when there is none. Unknown
// names are counted only when report is set: a CSL address's last part is
// often a city or postcode, which is not worth reporting.
func (c *countries) code(name string, report bool) string {
	name = strings.TrimSpace(name)
	if name == "" || c.lookup == nil {
		return ""
	}
	code, seen := c.cache[name]
	if !seen {
		code = c.resolve(name)
		c.cache[name] = code
	}
	if code == "" && report {
		c.unknown[name]++
	}
	return code
}

// resolve tries the name as written, then the spellings the lists and the
// CLDR-style names in rules/countries.yaml disagree on ("Bosnia and
// Herzegovina" vs "Bosnia & Herzegovina", "Saint Kitts" vs "St. Kitts").
func (c *countries) resolve(name string) string {
	if code, ok := c.lookup(name); ok {
		return strings.ToUpper(code)
	}
	amp := strings.ReplaceAll(strings.ReplaceAll(name, " and the ", " & "), " and ", " & ")
	variants := []string{
		amp,
		strings.Replace(name, "Saint ", "St. ", 1),
		strings.Replace(amp, "Saint ", "St. ", 1),
	}
	for _, v := range variants {
		if v == name {
			continue
		}
		if code, ok := c.lookup(v); ok {
			return strings.ToUpper(code)
		}
	}
	return ""
}

// appendUnique appends s to list unless it is empty or already there; the
// lists are short, so a linear scan beats a set.
func appendUnique(list []string, s string) []string {
	if s == "" {
		return list
	}
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
