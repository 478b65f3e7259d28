package results

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func jsonLine(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}

func TestReadTrialsErrors(t *testing.T) {
	hdr := jsonLine(t, prepareHeader(*fixtureHeader()))
	c4k := fixtureHeader().Plan.Configs[0]
	tr := jsonLine(t, fixtureTrial(c4k, "atomic", 1, 100))
	cases := []struct{ name, in, want string }{
		{"empty", "", "trials.jsonl: no records"},
		{"blank", "\n\n  \n", "trials.jsonl: no records"},
		{"not a number", hdr + `{"kind":"trial","config":"c","variant":"v","round":1,"iops":"fast"}` + "\n" + tr,
			`trials.jsonl:2: field "iops": not a number`},
		{"round not int", hdr + `{"kind":"trial","config":"c","variant":"v","round":1.5,"iops":1}` + "\n" + tr,
			`trials.jsonl:2: field "round": not an integer in range`},
		{"missing kind", `{"config":"c"}` + "\n" + tr, `trials.jsonl:1: field "kind": missing`},
		{"unknown kind", `{"kind":"comment"}` + "\n" + tr, `trials.jsonl:1: unknown kind "comment" (want "header" or "trial")`},
		{"wrong schema", strings.Replace(hdr, `"schema":1`, `"schema":2`, 1) + tr,
			"trials.jsonl:1: schema 2 not supported (this version reads schema 1)"},
		{"second header", hdr + tr + hdr + tr, "trials.jsonl:3: a second header"},
		{"late header", tr + hdr + tr, "trials.jsonl:2: header after trials"},
		{"array", "[1,2]\n" + tr, "trials.jsonl:1: not a JSON object"},
		{"garbage", "hello\n" + tr, "trials.jsonl:1: invalid JSON at byte 1: invalid character 'h' looking for beginning of value"},
		{"missing config", `{"kind":"trial","variant":"v","round":1,"iops":1}` + "\n" + tr, `trials.jsonl:1: field "config": missing`},
		{"missing variant", `{"kind":"trial","config":"c","round":1,"iops":1}` + "\n" + tr, `trials.jsonl:1: field "variant": missing`},
		{"missing iops", `{"kind":"trial","config":"c","variant":"v","round":1}` + "\n" + tr, `trials.jsonl:1: field "iops": missing`},
		{"missing round", `{"kind":"trial","config":"c","variant":"v","iops":1}` + "\n" + tr, `trials.jsonl:1: field "round": missing`},
		{"round zero", `{"kind":"trial","config":"c","variant":"v","round":0,"iops":1}` + "\n" + tr, `trials.jsonl:1: field "round": 0: want 1 or more`},
		{"negative iops", `{"kind":"trial","config":"c","variant":"v","round":1,"iops":-1}` + "\n" + tr, `trials.jsonl:1: field "iops": -1: want a finite number ≥ 0`},
		{"duplicate", tr + "\n" + tr, "trials.jsonl:3: trial " + c4k + " / atomic / round 1 repeats line 1"},
		{"foreign config", hdr + jsonLine(t, fixtureTrial("randread/bs=8k/qd=1/jobs=1", "atomic", 1, 1)), `trials.jsonl:2: trial of config "randread/bs=8k/qd=1/jobs=1", which the header's plan does not have`},
		{"foreign variant", hdr + jsonLine(t, fixtureTrial(c4k, "aa", 1, 1)), `trials.jsonl:2: trial of variant "aa", which the header's plan does not have`},
		{"round beyond plan", hdr + jsonLine(t, fixtureTrial(c4k, "lto", 41, 1)), "trials.jsonl:2: trial of round 41, beyond the plan's 40 rounds"},
		{"bad header field", `{"kind":"header","schema":1,"plan":{"rounds":"x"}}` + "\n" + tr, `trials.jsonl:1: field "plan.rounds": not an integer in range`},
		{"bad time", `{"kind":"trial","config":"c","variant":"v","round":1,"iops":1,"start":"yesterday"}` + "\n" + tr, `trials.jsonl:1: field "start": "yesterday": not an RFC 3339 time`},
		{"bad plan hash", strings.Replace(hdr, `"plan_hash":"`, `"plan_hash":"00`, 1) + tr, `trials.jsonl:1: header plan_hash "00bc03f9c2c1" does not match its plan`},
	}
	for _, c := range cases {
		_, _, _, err := ReadTrials(strings.NewReader(c.in), "trials.jsonl")
		if err == nil || !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line starting %q", c.name, err, c.want)
		}
	}
}

func TestReadTrialsLenient(t *testing.T) {
	// A record from another tool: "type" instead of "kind", backend but no
	// variant, unknown extra fields, CRLF line ends, no header.
	in := "{\"type\":\"trial\",\"config\":\"c\",\"backend\":\"atomic\",\"round\":1,\"iops\":5,\"cpu_temp\":61}\r\n" +
		"{\"kind\":\"trial\",\"config\":\"c\",\"variant\":\"x\",\"backend\":\"atomic\",\"round\":1,\"iops\":6}"
	h, trials, warns, err := ReadTrials(strings.NewReader(in), "other.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if h != nil || len(warns) != 0 || len(trials) != 2 {
		t.Fatalf("header %v, warnings %v, %d trials", h, warns, len(trials))
	}
	if trials[0].Variant != "atomic" || trials[1].Variant != "x" || trials[1].IOPS != 6 {
		t.Errorf("trials %+v", trials)
	}
}

func TestReadTrialsTorn(t *testing.T) {
	tr := jsonLine(t, fixtureTrial("c", "atomic", 1, 100))
	_, trials, warns, err := ReadTrials(strings.NewReader(tr+tr[:30]), "t.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if len(trials) != 1 || len(warns) != 1 || !strings.HasPrefix(warns[0].String(), "t.jsonl:2: torn last line dropped") {
		t.Errorf("%d trials, warnings %v", len(trials), warns)
	}
}

func TestScannerContinuesAfterSyntaxError(t *testing.T) {
	tr := jsonLine(t, fixtureTrial("c", "atomic", 1, 100))
	sc := NewScanner(strings.NewReader(tr+"oops\n"+tr), "t")
	var kinds []string
	for sc.Scan() {
		kinds = append(kinds, reflect.TypeOf(sc.Record()).Elem().Name())
	}
	if sc.Err() != nil || !reflect.DeepEqual(kinds, []string{"Trial", "SyntaxError", "Trial"}) {
		t.Errorf("records %v, err %v", kinds, sc.Err())
	}
}

func TestReadTrialsLongLine(t *testing.T) {
	long := `{"kind":"trial","config":"` + strings.Repeat("x", 2*maxLine) + `"}` + "\n"
	tr := jsonLine(t, fixtureTrial("c", "atomic", 1, 100))
	if _, _, _, err := ReadTrials(strings.NewReader(long+tr), "t"); err == nil || !strings.HasPrefix(err.Error(), "t:1: invalid JSON") {
		t.Errorf("overlong line: %v", err)
	}
}

func TestReadCSV(t *testing.T) {
	in := "\ufeffValue, variant ,config,host\n100,atomic,c1,a\n110,atomic,c1,a\n90,helper,c1,b\n"
	trials, err := ReadCSV(strings.NewReader(in), "raw.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := []Trial{
		{Kind: KindTrial, Config: "c1", Variant: "atomic", Backend: "atomic", Round: 1, IOPS: 100},
		{Kind: KindTrial, Config: "c1", Variant: "atomic", Backend: "atomic", Round: 2, IOPS: 110},
		{Kind: KindTrial, Config: "c1", Variant: "helper", Backend: "helper", Round: 1, IOPS: 90},
	}
	if !reflect.DeepEqual(trials, want) {
		t.Errorf("got\n%+v\nwant\n%+v", trials, want)
	}
	trials, err = ReadCSV(strings.NewReader("config,variant,value,trial\nc,v,1.5e6,7\n"), "raw.csv")
	if err != nil || trials[0].Round != 7 || trials[0].IOPS != 1.5e6 {
		t.Errorf("with trial column: %+v, %v", trials, err)
	}
}

func TestReadCSVErrors(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"empty", "", "raw.csv: empty file"},
		{"header only", "config,variant,value\n", "raw.csv: no rows after the header"},
		{"no value column", "config,variant,iops\nc,v,1\n", `raw.csv:1: no "value" column (want a header with config,variant,value[,trial])`},
		{"duplicate column", "config,variant,value,value\nc,v,1,2\n", `raw.csv:1: column "value" given twice`},
		{"not a number", "config,variant,value\nc,v,1\nc,v,fast\n", `raw.csv:3: column "value": "fast": not a number`},
		{"nan", "config,variant,value\nc,v,NaN\n", `raw.csv:2: column "value": NaN: want a finite number ≥ 0`},
		{"negative", "config,variant,value\nc,v,-3\n", `raw.csv:2: column "value": -3: want a finite number ≥ 0`},
		{"empty config", "config,variant,value\n,v,1\n", `raw.csv:2: column "config": empty`},
		{"empty variant", "config,variant,value\nc, ,1\n", `raw.csv:2: column "variant": empty`},
		{"bad trial", "config,variant,value,trial\nc,v,1,0\n", `raw.csv:2: column "trial": "0": want an integer ≥ 1`},
		{"duplicate trial", "config,variant,value,trial\nc,v,1,1\nc,v,2,1\n", "raw.csv:3: trial c / v / 1 repeats line 2"},
		{"field count", "config,variant,value\nc,v,1\nc,v\n", "raw.csv:3: wrong number of fields"},
		{"bad quote", "config,variant,value\n\"c,v,1\n", `raw.csv:2: extraneous or missing " in quoted-field`},
	}
	for _, c := range cases {
		_, err := ReadCSV(strings.NewReader(c.in), "raw.csv")
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

func write(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	h1 := *fixtureHeader()
	h1.Plan.Shard = "1/2"
	h2 := h1
	h2.Plan.Shard = "2/2"
	var a, b bytes.Buffer
	c1, c2 := h1.Plan.Configs[0], h1.Plan.Configs[1]
	WriteTrials(&a, &h1, []Trial{fixtureTrial(c1, "atomic", 1, 1), fixtureTrial(c1, "helper", 1, 2)})
	WriteTrials(&b, &h2, []Trial{fixtureTrial(c2, "atomic", 1, 3)})
	pa := write(t, dir, "a.jsonl", a.String()+`{"kind":"tr`)
	pb := write(t, dir, "b.jsonl", b.String())
	ds, err := Load(pa, pb)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Trials) != 3 || ds.Header == nil || ds.Header.Plan.Shard != "" {
		t.Errorf("%d trials, header %+v", len(ds.Trials), ds.Header)
	}
	if len(ds.Warnings) != 1 || !strings.Contains(ds.Warnings[0], "a.jsonl:4: torn last line dropped") {
		t.Errorf("warnings %q", ds.Warnings)
	}

	// A CSV is recognised by content, whatever its name.
	pc := write(t, dir, "data.txt", "config,variant,value\nc,v,1\n")
	ds, err = Load(pc)
	if err != nil || ds.Header != nil || len(ds.Trials) != 1 {
		t.Errorf("csv: %+v, %v", ds, err)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	h := *fixtureHeader()
	other := h
	other.Plan.Seed = 2
	var a, b, c bytes.Buffer
	c1 := h.Plan.Configs[0]
	WriteTrials(&a, &h, []Trial{fixtureTrial(c1, "atomic", 1, 1)})
	WriteTrials(&b, &other, []Trial{fixtureTrial(c1, "atomic", 2, 1)})
	WriteTrials(&c, nil, []Trial{fixtureTrial(c1, "atomic", 3, 1)})
	pa := write(t, dir, "a.jsonl", a.String())
	pb := write(t, dir, "b.jsonl", b.String())
	pc := write(t, dir, "c.jsonl", c.String())
	pcsv := write(t, dir, "d.csv", "config,variant,value\nc,v,1\n")
	pempty := write(t, dir, "e.jsonl", "\n")
	pfio := write(t, dir, "fio.json", "note: both iodepth >= 1 and synchronous I/O engine are selected\n{\n  \"fio version\" : \"fio-3.33\",\n  \"jobs\" : []\n}\n")
	cases := []struct {
		paths []string
		want  string
	}{
		{nil, "no input files"},
		{[]string{filepath.Join(dir, "missing")}, "no such file"},
		{[]string{pempty}, "e.jsonl: empty file"},
		{[]string{pa, pb}, "b.jsonl: a different plan than " + pa + " (seed differs"},
		{[]string{pa, pcsv}, "cannot mix a trials file and a raw CSV"},
		{[]string{pa, pc}, "c.jsonl: has no header, " + pa + " has one"},
		{[]string{pc, pa}, "a.jsonl: has a header, earlier inputs have none"},
		{[]string{pa, pa}, "a.jsonl: trial " + c1 + " / atomic / round 1 is also in " + pa},
		{[]string{dir}, "is a directory"},
		{[]string{pfio}, "fio.json: fio JSON output, not a trials file or raw CSV"},
	}
	for _, c := range cases {
		_, err := Load(c.paths...)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("Load(%q): error %v, want one line containing %q", c.paths, err, c.want)
		}
	}
}

// equalTrials compares trials as their JSON, which is what the file holds
// (times compare by instant, not by location pointer).
func equalTrials(t testing.TB, a, b []Trial) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if jsonLine(t, a[i]) != jsonLine(t, b[i]) {
			return false
		}
	}
	return true
}

func FuzzReadTrials(f *testing.F) {
	var seed bytes.Buffer
	c1 := fixtureHeader().Plan.Configs[0]
	WriteTrials(&seed, fixtureHeader(), []Trial{fixtureTrial(c1, "atomic", 1, 1e6), fixtureTrial(c1, "helper", 1, 9e5)})
	f.Add(seed.Bytes())
	f.Add([]byte(`{"type":"trial","config":"c","backend":"b","round":1,"iops":5}`))
	f.Add([]byte("{\"kind\":\"trial\",\"config\":\"c\",\"variant\":\"v\",\"round\":1,\"iops\":1}\n{\"kind\":\"tr"))
	f.Add([]byte("{\"kind\":\"header\",\"schema\":1}\n\x00\x00"))
	f.Add([]byte(`{"kind":"trial","iops":"x"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, trials, _, err := ReadTrials(bytes.NewReader(data), "fuzz")
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		for _, tr := range trials {
			if tr.Kind != KindTrial || tr.Config == "" || tr.Variant == "" || tr.Round < 1 || !(tr.IOPS >= 0) || math.IsInf(tr.IOPS, 0) {
				t.Fatalf("reader accepted an invalid trial %+v", tr)
			}
		}
		// Round trip: what was read, written again, reads back the same.
		var buf bytes.Buffer
		if err := WriteTrials(&buf, h, trials); err != nil {
			t.Fatalf("WriteTrials: %v", err)
		}
		h2, trials2, warns2, err := ReadTrials(&buf, "again")
		if err != nil {
			t.Fatalf("rewritten file does not read: %v\n%s", err, buf.Bytes())
		}
		if len(warns2) != 0 || (h == nil) != (h2 == nil) || !equalTrials(t, trials, trials2) {
			t.Fatalf("round trip changed the data")
		}
		if h != nil && jsonLine(t, h) != jsonLine(t, h2) {
			t.Fatalf("round trip changed the header")
		}
	})
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("config,variant,value\nc1,atomic,100\nc1,helper,90\n"))
	f.Add([]byte("trial,value,config,variant\n1,1e6,\"a,b\",v\n2,0,\"a,b\",v\n"))
	f.Add([]byte("\ufeffconfig,variant,value\n\"c\"\"x\",v,1\n"))
	f.Add([]byte("config,variant,value\nc,v,NaN\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		trials, err := ReadCSV(bytes.NewReader(data), "fuzz")
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		for _, tr := range trials {
			if tr.Config == "" || tr.Variant == "" || tr.Round < 1 || !(tr.IOPS >= 0) || math.IsInf(tr.IOPS, 0) {
				t.Fatalf("reader accepted an invalid trial %+v", tr)
			}
			if strings.ContainsRune(tr.Config+tr.Variant, '\r') {
				return // encoding/csv turns \r\n into \n inside quotes; not a round trip
			}
		}
		var buf bytes.Buffer
		if err := WriteRawCSV(&buf, trials); err != nil {
			t.Fatal(err)
		}
		again, err := ReadCSV(&buf, "again")
		if err != nil {
			t.Fatalf("rewritten CSV does not read: %v\n%s", err, buf.Bytes())
		}
		if !reflect.DeepEqual(trials, again) {
			t.Fatalf("round trip changed the data:\n%+v\n%+v", trials, again)
		}
	})
}

// A last line that is a whole JSON object ending in a newline was written
// completely; its problem is the file's, not a torn write's.
func TestReadTrialsCompleteBadLastLineIsAnError(t *testing.T) {
	tr := jsonLine(t, fixtureTrial("c", "atomic", 1, 100))
	for _, last := range []string{`{"kind":"comment"}` + "\n", `{"kind":"trial","config":"c","variant":"v","round":1,"iops":"x"}` + "\n"} {
		_, _, warns, err := ReadTrials(strings.NewReader(tr+last), "t.jsonl")
		if err == nil || !strings.HasPrefix(err.Error(), "t.jsonl:2: ") {
			t.Errorf("last line %q: error %v (warnings %v), want a t.jsonl:2 error", last, err, warns)
		}
	}
}
