package lists

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The readers take files from the network: whatever the bytes, they must
// return entries or an error naming a file and line, never panic, and
// never return an entry without a name. Run with
//
//	go test ./internal/lists -run '^$' -fuzz FuzzCSL -fuzztime 60s
//	go test ./internal/lists -run '^$' -fuzz FuzzOFAC -fuzztime 60s
//
// Seeds are the fixture files and the hand-written rows below.

// checkLoaded holds a reader's result to the promise above; files are the
// names it was given.
func checkLoaded(t *testing.T, res *setResult, err error, files ...string) {
	t.Helper()
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) || !slices.Contains(files, pe.File) || pe.Line < 1 {
			t.Fatalf("error without a file and line: %#v (%v)", err, err)
		}
		if res != nil {
			t.Fatalf("a result with the error %v", err)
		}
		return
	}
	if res == nil || res.info.Entries != len(res.entries) || res.total < len(res.entries) {
		t.Fatalf("result %+v does not add up", res)
	}
	if s := res.info.Snapshot; s != "" && !isDate(s) {
		t.Fatalf("snapshot %q is not a date", s)
	}
	for _, e := range res.entries {
		if strings.TrimSpace(e.Name) == "" || e.ID == "" || e.List == "" {
			t.Fatalf("entry without a name, id or list: %+v", e)
		}
		for _, a := range e.Aliases {
			if strings.TrimSpace(a) == "" {
				t.Fatalf("empty alias in %+v", e)
			}
		}
	}
}

func fixture(f *testing.F, name string) []byte {
	f.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureLists, name))
	if err != nil {
		f.Fatal(err)
	}
	return b
}

func FuzzCSL(f *testing.F) {
	el := "Entity List (EL) - Bureau of Industry and Security"
	header := "_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,end_date,standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,source_information_url,ids\n"
	seeds := []string{
		string(fixture(f, "consolidated.csv")),
		"_id,source,name\n1," + el + ",Huawei Technologies Co., Ltd.\n",
		"_id,source,name,alt_names,addresses,start_date\n1," + el + ",\"Huawei Technologies Co., Ltd. (Huawei).  Affiliated Entity:  Huawei Marine\",\"HMN Tech; and Huawei Marine\",\"Shenzhen, 518129, CN\",2019-05-16\n",
		header + "2," + el + ",,,,A Co.,,\"Moscow, RU\",87 FR 1,2022-04-07,,,For all items.,Policy of denial.,,,,,,,,,Alias One; Alias Two,,,,,,\"RU, 123, Tax ID No.\"\n",
		`"_id","source","name","type","ids"` + "\n" + `"52291","Specially Designated Nationals (SDN) - Treasury Department","RIM, Yong Hyok","Individual","Passport, 836238033, KP; Gender, Male"` + "\n",
		"\ufeff_id,source,name\r\n1,New List (NL) - Agency,X\r\n",
		"_id,source,name\n",
		"",
	}
	for _, s := range seeds {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	gz := gzipBytes([]byte(seeds[1]))
	f.Add(gz, false)
	f.Add(gz[:len(gz)-3], false)

	lookup := countryCode(f)
	f.Fuzz(func(t *testing.T, data []byte, withOFAC bool) {
		var skip map[string]string
		if withOFAC {
			skip = map[string]string{"SDN": "csl_sdn_superseded", "CMIC": "csl_nonsdn_superseded"}
		}
		res, err := loadCSL(context.Background(), "consolidated.csv", data, lookup, skip, "2030-01-01")
		checkLoaded(t, res, err, "consolidated.csv")
	})
}

func FuzzOFAC(f *testing.F) {
	for _, set := range []string{SetSDN, SetNonSDN} {
		var files [4][]byte
		for i, name := range setFiles(set) {
			files[i] = fixture(f, name)
		}
		f.Add(files[0], files[1], files[2], files[3], set == SetNonSDN)
	}
	prim := "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 09 Jan 1956; Passport N302083 (Thailand); nationality Iran\"\r\n" +
		"173,\"ANGLO-CARIBBEAN CO., LTD.\",-0- ,\"CUBA] [SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a"
	add := "36,25,-0- ,\"Havana\",\"Cuba\",-0- \r\n173,129,\"Ibex House, The Minories\",\"London EC3N 1DY\",\"United Kingdom\",-0- \r\n\x1a"
	alt := "36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \r\n999,13,\"aka\",\"ORPHAN\",-0- \r\n\x1a"
	cmt := "36,\"Tax ID No. 7707083893 (Russia).\"\r\n\x1a"
	f.Add([]byte(prim), []byte(add), []byte(alt), []byte(cmt), false)
	f.Add([]byte(strings.Replace(prim, "CUBA] [SDGT", "CMIC-EO13959", 1)), []byte(add), []byte(alt), []byte(cmt), true)
	f.Add([]byte(strings.TrimSuffix(prim, "\x1a")), []byte(add), []byte(""), []byte("\x1a"), false)

	lookup := countryCode(f)
	f.Fuzz(func(t *testing.T, prim, add, alt, cmt []byte, nonSDN bool) {
		set := SetSDN
		if nonSDN {
			set = SetNonSDN
		}
		files := setFiles(set)
		res, err := loadOFAC(context.Background(), set, files, [][]byte{prim, add, alt, cmt}, lookup)
		checkLoaded(t, res, err, files...)
	})
}
