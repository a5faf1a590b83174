package ingest

import (
	"errors"
	"strings"
	"testing"
)

const csvHeader = "ts,account,org,role,action,resource,src_ip,user_agent,session,records,subject"

// newCSV returns a decoder that has read header.
func newCSV(tb testing.TB, m FieldMap, header string) *CSVDecoder {
	tb.Helper()
	d := NewCSVDecoder(m)
	if err := d.Decode([]byte(header), new(Event)); !errors.Is(err, ErrHeader) {
		tb.Fatalf("header %q: got %v, want ErrHeader", header, err)
	}
	return d
}

func TestCSVDecode(t *testing.T) {
	ts := ms(t, "2024-02-12T08:14:03.123Z")
	f := func(header, line string, want Event) {
		t.Helper()
		d := newCSV(t, DefaultFieldMap(), header)
		var ev Event
		if err := d.Decode([]byte(line), &ev); err != nil {
			t.Fatalf("Decode(%q): unexpected error %v", line, err)
		}
		if ev != want {
			t.Fatalf("Decode(%q):\n got %+v\nwant %+v", line, ev, want)
		}
	}
	f(csvHeader, `2024-02-12T09:14:03.123+01:00,adv-00123,capemploi-075,advisor,search,/api/v2/jobseekers,10.1.2.3,"Mozilla/5.0 (Windows NT 10.0; Win64; x64)",s-8f2a,25,js-1`,
		Event{TS: ts, Account: "adv-00123", Org: "capemploi-075", Role: "advisor", Action: "search",
			Resource: "/api/v2/jobseekers", SrcIP: "10.1.2.3", UserAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
			Session: "s-8f2a", Records: 25, Subject: "js-1"})
	// Columns in any order, unknown ones ignored, spaces around header names.
	f("extra, records ,account,ts", `x,7,a,1707725643123`, Event{TS: ts, Account: "a", Records: 7})
	f(`"ts","account"`, `1707725643,a`, Event{TS: ts - 123, Account: "a", Records: 1})
	f("ts,account\r", "1707725643.123,a\r\n", Event{TS: ts, Account: "a", Records: 1})
	f("\uFEFFts,account", `1707725643123,a`, Event{TS: ts, Account: "a", Records: 1})
	// Quoting: commas, doubled quotes, empty quoted fields, non-ASCII.
	f("ts,account,user_agent,org", `1707725643123,"a,b","say ""hi"", ok","Réunion"`,
		Event{TS: ts, Account: "a,b", UserAgent: `say "hi", ok`, Org: "Réunion", Records: 1})
	f("ts,account,user_agent,org", `1707725643123,"""",""",""",""`,
		Event{TS: ts, Account: `"`, UserAgent: `","`, Records: 1})
	// Empty values are absent: records defaults to 1.
	f("ts,account,org,records", `1707725643123,a,,`, Event{TS: ts, Account: "a", Records: 1})
	f("ts,account,org,records", `1707725643123,a,"",0`, Event{TS: ts, Account: "a", Records: 0})
	f("ts,account,records", `2024-02-12T08:14:03.123Z,a,25.0`, Event{TS: ts, Account: "a", Records: 25})
	// The header's separator: semicolons (French spreadsheets) and tabs,
	// with commas inside values then plain text.
	f("ts;account;user_agent;org;records", `1707725643123;a;"x; y";z,w;25`,
		Event{TS: ts, Account: "a", UserAgent: "x; y", Org: "z,w", Records: 25})
	f("ts\taccount\torg", "1707725643123\ta,b\to", Event{TS: ts, Account: "a,b", Org: "o", Records: 1})
	semi := newCSV(t, DefaultFieldMap(), "ts;account")
	if err := ForkDecoder(semi, nil).Decode([]byte("1707725643123;a"), new(Event)); err != nil {
		t.Fatalf("fork of a semicolon decoder: %v", err)
	}
	// A dotted name is a literal column name in CSV.
	m := DefaultFieldMap()
	m.Account = "user.name"
	d := newCSV(t, m, "ts,user.name")
	var ev Event
	if err := d.Decode([]byte("1707725643123,adv-1"), &ev); err != nil || ev.Account != "adv-1" {
		t.Fatalf("dotted column: got %+v, %v", ev, err)
	}
}

func TestCSVDecodeErrors(t *testing.T) {
	f := func(header, line, reason, field string) {
		t.Helper()
		d := newCSV(t, DefaultFieldMap(), header)
		err := d.Decode([]byte(line), new(Event))
		var de *DecodeError
		if !errors.As(err, &de) || de.Reason != reason || de.Field != field {
			t.Fatalf("Decode(%q) = %v, want reason %s field %q", line, err, reason, field)
		}
	}
	const h = "ts,account,org,records"
	f(h, `1707725643123,a,o`, ReasonMalformedCSV, "")
	f(h, `1707725643123,a,o,1,extra`, ReasonMalformedCSV, "")
	f(h, ``, ReasonMalformedCSV, "")
	f(h, `1707725643123,"a,o,1`, ReasonMalformedCSV, "")
	f(h, `1707725643123,"a"x,o,1`, ReasonMalformedCSV, "")
	f(h, `1707725643123,a"b,o,1`, ReasonMalformedCSV, "")
	f(h, "1707725643123,a\x00,o,1", ReasonMalformedCSV, "")
	f(h, "1707725643123,a\xff,o,1", ReasonInvalidUTF8, "")
	f(h, `,a,o,1`, ReasonMissingTS, "ts")
	f(h, `"",a,o,1`, ReasonMissingTS, "ts")
	f(h, `yesterday,a,o,1`, ReasonBadTimestamp, "ts")
	f(h, `2024-02-12T08:14:03,a,o,1`, ReasonBadTimestamp, "ts")
	f(h, `1999-12-31T23:59:59Z,a,o,1`, ReasonBadTimestamp, "ts")
	f(h, ` 1707725643123,a,o,1`, ReasonBadTimestamp, "ts")
	f(h, `1707725643123,,o,1`, ReasonMissingAccount, "account")
	f(h, `1707725643123,"",o,1`, ReasonMissingAccount, "account")
	f(h, `1707725643123,a,o,-1`, ReasonBadRecords, "records")
	f(h, `1707725643123,a,o,2.5`, ReasonBadRecords, "records")
	f(h, `1707725643123,a,o,1e3`, ReasonBadRecords, "records")
	f(h, `1707725643123,a,o,2000000000000`, ReasonBadRecords, "records")
	f(h, `1707725643123,a,o,lots`, ReasonBadRecords, "records")

	d := newCSV(t, DefaultFieldMap(), h)
	d.MaxLineBytes = 20
	var de *DecodeError
	if err := d.Decode([]byte("1707725643123,a,o,12"), new(Event)); err != nil {
		t.Fatalf("a 20-byte line at the 20-byte limit: %v", err)
	}
	if err := d.Decode([]byte("1707725643123,a,o,123"), new(Event)); !errors.As(err, &de) || de.Reason != ReasonLineTooLong {
		t.Fatalf("a 21-byte line over the 20-byte limit: got %v, want line_too_long", err)
	}
}

func TestCSVHeader(t *testing.T) {
	f := func(header, wantErr string) {
		t.Helper()
		err := NewCSVDecoder(DefaultFieldMap()).Decode([]byte(header), new(Event))
		if wantErr == "" {
			if !errors.Is(err, ErrHeader) {
				t.Fatalf("header %q: got %v, want ErrHeader", header, err)
			}
			return
		}
		var de *DecodeError
		if !errors.As(err, &de) || de.Reason != ReasonMalformedCSV || !strings.Contains(err.Error(), wantErr) {
			t.Fatalf("header %q: got %v, want malformed_csv containing %q", header, err, wantErr)
		}
	}
	f("ts,account", "")
	f("account,ts,org,org2", "")
	f("account,org", `no column "ts" (set --field-ts)`)
	f("ts,org", `no column "account" (set --field-account)`)
	f("", `no column "ts"`)
	f("ts,account,org,org", `CSV header: column "org" named twice`)
	f(`ts,"account`, "unterminated")

	// Reset makes the next line a header again; a failed header leaves the
	// decoder waiting for one.
	d := NewCSVDecoder(DefaultFieldMap())
	var ev Event
	steps := []struct {
		line string
		want error
	}{
		{"org,role", nil}, // An error: checked below.
		{"account,ts", ErrHeader},
		{"a,1707725643123", nil},
	}
	if err := d.Decode([]byte(steps[0].line), &ev); err == nil || errors.Is(err, ErrHeader) {
		t.Fatalf("bad header: got %v, want an error", err)
	}
	for _, s := range steps[1:] {
		if err := d.Decode([]byte(s.line), &ev); !errors.Is(err, s.want) && err != s.want {
			t.Fatalf("%q: got %v, want %v", s.line, err, s.want)
		}
	}
	if ev.Account != "a" || ev.TS != 1707725643123 {
		t.Fatalf("after header: got %+v", ev)
	}
	d.Reset()
	if err := d.Decode([]byte("ts,account"), &ev); !errors.Is(err, ErrHeader) {
		t.Fatalf("after Reset: got %v, want ErrHeader", err)
	}
	if err := d.Decode([]byte("1707725643123,b"), &ev); err != nil || ev.Account != "b" {
		t.Fatalf("after Reset, columns swapped: got %+v, %v", ev, err)
	}
}

func FuzzDecodeCSV(f *testing.F) {
	for _, s := range []string{
		`2024-02-12T09:14:03.123+01:00,adv-00123,capemploi-075,advisor,search,/api/v2/jobseekers,10.1.2.3,"Mozilla/5.0 (Windows NT 10.0; Win64; x64)",s-8f2a,25,js-1`,
		`1707725643,"a,""b""",,,,,,,,,`,
		`1707725643123,a,o,r,x,y,z,w,v,25.0,s`,
		`,,,,,,,,,,`, `"`, `""`, `a"b`, "1707725643123,a\xff,,,,,,,,,",
	} {
		f.Add([]byte(s))
	}
	d := newCSV(f, DefaultFieldMap(), csvHeader)
	f.Fuzz(func(t *testing.T, line []byte) {
		var ev Event
		err := d.Decode(line, &ev)
		checkDecoded(t, line, &ev, err)
	})
}
