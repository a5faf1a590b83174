package ingest

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// ms returns the Unix milliseconds of an RFC 3339 time, parsed by the time
// package: the independent oracle for the hand-written parser.
func ms(tb testing.TB, s string) int64 {
	tb.Helper()
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		tb.Fatalf("bad test time %q: %v", s, err)
	}
	return t.UnixMilli()
}

func TestJSONDecode(t *testing.T) {
	ts := ms(t, "2024-02-12T08:14:03.123Z")
	f := func(line string, want Event) {
		t.Helper()
		var ev Event
		if err := NewJSONDecoder(DefaultFieldMap()).Decode([]byte(line), &ev); err != nil {
			t.Fatalf("Decode(%s): unexpected error %v", line, err)
		}
		if ev != want {
			t.Fatalf("Decode(%s):\n got %+v\nwant %+v", line, ev, want)
		}
	}
	ev := func(tsMS int64, account string, records int64) Event {
		return Event{TS: tsMS, Account: account, Records: records}
	}

	// Every field, the realistic line.
	f(`{"ts":"2024-02-12T09:14:03.123+01:00","account":"adv-00123","org":"capemploi-075","role":"advisor","action":"search","resource":"/api/v2/jobseekers","src_ip":"10.1.2.3","user_agent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64)","session":"s-8f2a","records":25,"subject":"js-1"}`,
		Event{TS: ts, Account: "adv-00123", Org: "capemploi-075", Role: "advisor", Action: "search",
			Resource: "/api/v2/jobseekers", SrcIP: "10.1.2.3", UserAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
			Session: "s-8f2a", Records: 25, Subject: "js-1"})

	// Timestamp forms.
	f(`{"ts":"2024-02-12T08:14:03.123Z","account":"a"}`, ev(ts, "a", 1))
	f(`{"ts":"2024-02-12T08:14:03Z","account":"a"}`, ev(ts-123, "a", 1))
	f(`{"ts":"2024-02-12T08:14:03.1Z","account":"a"}`, ev(ts-23, "a", 1))
	f(`{"ts":"2024-02-12T08:14:03.123456789Z","account":"a"}`, ev(ts, "a", 1))
	f(`{"ts":"2024-02-12T08:14:03.1239999999999Z","account":"a"}`, ev(ts, "a", 1))
	f(`{"ts":"2024-02-12T10:44:03.123+02:30","account":"a"}`, ev(ts, "a", 1))
	f(`{"ts":"2024-02-12T03:14:03.123-05:00","account":"a"}`, ev(ts, "a", 1))
	f(`{"ts":"2024-02-12T09:14:03.123+0100","account":"a"}`, ev(ts, "a", 1))
	f(`{"ts":"2024-02-12 08:14:03.123Z","account":"a"}`, ev(ts, "a", 1))
	f(`{"ts":"2024-02-12t08:14:03,123z","account":"a"}`, ev(ts, "a", 1))
	f(`{"ts":"2024-02-12T08:14:03.123-00:00","account":"a"}`, ev(ts, "a", 1))
	f(`{"ts":"2024-02-29T23:59:59Z","account":"a"}`, ev(ms(t, "2024-02-29T23:59:59Z"), "a", 1))
	f(`{"ts":"2000-03-01T00:00:00+01:00","account":"a"}`, ev(ms(t, "2000-03-01T00:00:00+01:00"), "a", 1))
	f(`{"ts":"2100-12-31T23:59:59.999Z","account":"a"}`, ev(ms(t, "2100-12-31T23:59:59.999Z"), "a", 1))
	f(`{"ts":"2000-01-01T00:00:00Z","account":"a"}`, ev(minTS, "a", 1))
	f(`{"ts":1707725643,"account":"a"}`, ev(ts-123, "a", 1))
	f(`{"ts":1707725643.123,"account":"a"}`, ev(ts, "a", 1))
	f(`{"ts":1707725643.1239,"account":"a"}`, ev(ts, "a", 1))
	f(`{"ts":1707725643123,"account":"a"}`, ev(ts, "a", 1))
	f(`{"ts":1707725643123.9,"account":"a"}`, ev(ts, "a", 1))
	f(`{"ts":1.707725643123e9,"account":"a"}`, ev(ts, "a", 1))
	f(`{"ts":1.707725643123E12,"account":"a"}`, ev(ts, "a", 1))
	f(`{"ts":"1707725643","account":"a"}`, ev(ts-123, "a", 1))
	f(`{"ts":"1707725643123","account":"a"}`, ev(ts, "a", 1))
	f(`{"ts":"1707725643.5","account":"a"}`, ev(ts-123+500, "a", 1))
	f(`{"ts":"2024\u002d02-12T08:14:03.123Z","account":"a"}`, ev(ts, "a", 1))

	// Records: default, zero, numeric strings, float-written integers, null.
	f(`{"ts":1707725643123,"account":"a","records":0}`, ev(ts, "a", 0))
	f(`{"ts":1707725643123,"account":"a","records":"42"}`, ev(ts, "a", 42))
	f(`{"ts":1707725643123,"account":"a","records":25.0}`, ev(ts, "a", 25))
	f(`{"ts":1707725643123,"account":"a","records":null}`, ev(ts, "a", 1))
	f(`{"ts":1707725643123,"account":"a","records":1000000000000}`, ev(ts, "a", 1e12))

	// Escapes, non-ASCII, numbers and nulls in string fields.
	f(`{"ts":1707725643123,"account":"Ren\u00e9"}`, ev(ts, "René", 1))
	f(`{"ts":1707725643123,"account":"René"}`, ev(ts, "René", 1))
	f(`{"ts":1707725643123,"account":"a\"b\\c\/d\b\f\n\r\t"}`, ev(ts, "a\"b\\c/d\b\f\n\r\t", 1))
	f(`{"ts":1707725643123,"account":"\ud83d\ude00x"}`, ev(ts, "😀x", 1))
	f(`{"ts":1707725643123,"account":"\ud83dx"}`, ev(ts, "\uFFFDx", 1))
	f(`{"ts":1707725643123,"account":"\ude00\ud83d\ude00"}`, ev(ts, "\uFFFD😀", 1))
	f(`{"ts":1707725643123,"account":"\ud83d\u0041"}`, ev(ts, "\uFFFDA", 1))
	f(`{"ts":1707725643123,"account":12345}`, ev(ts, "12345", 1))
	f(`{"ts":1707725643123,"account":"a","org":null,"role":-1.5e3}`, Event{TS: ts, Account: "a", Role: "-1.5e3", Records: 1})
	f(`{"ts":1707725643123,"account":"a","session":"s\u00e9","src_ip":"::1"}`, Event{TS: ts, Account: "a", Session: "sé", SrcIP: "::1", Records: 1})

	// Unknown fields of every kind are skipped; whitespace; duplicate keys
	// keep the last value; an escaped key matches.
	f(`{"x":{"a":[1,2,{"b":null}],"c":"}"},"ts":1707725643123,"y":[],"z":{},"account":"a","t":true,"f":false,"n":null,"e":-0.5E+2}`, ev(ts, "a", 1))
	f(" \t{ \"ts\" : 1707725643123 ,\r\n \"account\" : \"a\" } \n", ev(ts, "a", 1))
	f(`{"ts":1707725643123,"account":"first","account":"second"}`, ev(ts, "second", 1))
	f(`{"ts":1707725643123,"acc\u006funt":"a"}`, ev(ts, "a", 1))
	f(`{"ts":1707725643123,"account":"a","Account":"b"}`, ev(ts, "a", 1))
}

func TestJSONDecodeNested(t *testing.T) {
	ecs := DefaultFieldMap()
	ecs.TS = "@timestamp"
	ecs.Account = "user.name"
	ecs.Org = "organization.id"
	ecs.Role = "user.roles"
	ecs.Action = "event.action"
	ecs.SrcIP = "source.ip"
	ecs.Records = "vigie.records.count"
	ts := ms(t, "2024-02-12T08:14:03.123Z")
	f := func(line string, want Event) {
		t.Helper()
		if err := ecs.Validate(); err != nil {
			t.Fatal(err)
		}
		var ev Event
		if err := NewJSONDecoder(ecs).Decode([]byte(line), &ev); err != nil {
			t.Fatalf("Decode(%s): unexpected error %v", line, err)
		}
		if ev != want {
			t.Fatalf("Decode(%s):\n got %+v\nwant %+v", line, ev, want)
		}
	}
	f(`{"@timestamp":"2024-02-12T08:14:03.123Z","user":{"name":"adv-1","roles":"advisor"},"event":{"action":"export","created":"x"},"source":{"ip":"10.0.0.1","port":4431},"organization":{"id":"org-9"},"vigie":{"records":{"count":300}}}`,
		Event{TS: ts, Account: "adv-1", Role: "advisor", Action: "export", SrcIP: "10.0.0.1", Org: "org-9", Records: 300})
	// Flattened keys holding dots match the same paths, also mixed.
	f(`{"@timestamp":1707725643123,"user.name":"adv-1","vigie.records":{"count":7},"source.ip":"::1"}`,
		Event{TS: ts, Account: "adv-1", SrcIP: "::1", Records: 7})
	// Siblings and deeper unknown members are skipped; a scalar where an
	// object is expected is ignored, not an error.
	f(`{"user":{"id":{"deep":[{"x":1}]},"name":"adv-1","email":"a@b"},"event":"not-an-object","@timestamp":1707725643123}`,
		Event{TS: ts, Account: "adv-1", Records: 1})
	// The top-level key "name" is not "user.name".
	f(`{"name":"wrong","user":{"name":"right"},"@timestamp":1707725643123}`,
		Event{TS: ts, Account: "right", Records: 1})
}

func TestJSONDecodeErrors(t *testing.T) {
	f := func(line, reason, field string) {
		t.Helper()
		var ev Event
		err := NewJSONDecoder(DefaultFieldMap()).Decode([]byte(line), &ev)
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Fatalf("Decode(%q) = %v, want a *DecodeError %s", line, err, reason)
		}
		if de.Reason != reason || de.Field != field {
			t.Fatalf("Decode(%q) = %v, want reason %s field %q", line, err, reason, field)
		}
	}
	const ok = `"ts":1707725643123,"account":"a"`

	f(``, ReasonMalformedJSON, "")
	f(`   `, ReasonMalformedJSON, "")
	f(`[1,2]`, ReasonMalformedJSON, "")
	f(`"ts"`, ReasonMalformedJSON, "")
	f(`null`, ReasonMalformedJSON, "")
	f(`{`+ok, ReasonMalformedJSON, "")
	f(`{`+ok+`}}`, ReasonMalformedJSON, "")
	f(`{`+ok+`} x`, ReasonMalformedJSON, "")
	f(`{`+ok+`,}`, ReasonMalformedJSON, "")
	f(`{,`+ok+`}`, ReasonMalformedJSON, "")
	f(`{`+ok+`,"x"}`, ReasonMalformedJSON, "")
	f(`{`+ok+`,"x":}`, ReasonMalformedJSON, "")
	f(`{`+ok+`,x:1}`, ReasonMalformedJSON, "")
	f(`{`+ok+`,'x':1}`, ReasonMalformedJSON, "")
	f(`{`+ok+`,"x":tru}`, ReasonMalformedJSON, "")
	f(`{`+ok+`,"x":nul}`, ReasonMalformedJSON, "")
	f(`{`+ok+`,"x":01}`, ReasonMalformedJSON, "")
	f(`{`+ok+`,"x":1.}`, ReasonMalformedJSON, "")
	f(`{`+ok+`,"x":.5}`, ReasonMalformedJSON, "")
	f(`{`+ok+`,"x":1e}`, ReasonMalformedJSON, "")
	f(`{`+ok+`,"x":+1}`, ReasonMalformedJSON, "")
	f(`{`+ok+`,"x":-}`, ReasonMalformedJSON, "")
	f(`{`+ok+`,"x":NaN}`, ReasonMalformedJSON, "")
	f(`{`+ok+`,"x":[1,]}`, ReasonMalformedJSON, "")
	f(`{`+ok+`,"x":[1 2]}`, ReasonMalformedJSON, "")
	f(`{`+ok+`,"x":{"a":1]}`, ReasonMalformedJSON, "")
	f(`{`+ok+`,"x":"\x"}`, ReasonMalformedJSON, "")
	f(`{`+ok+`,"x":"\u12g4"}`, ReasonMalformedJSON, "")
	f(`{`+ok+`,"x":"\u12"}`, ReasonMalformedJSON, "")
	f(`{`+ok+`,"x":"unterminated}`, ReasonMalformedJSON, "")
	f(`{`+ok+`,"x":"tab	inside"}`, ReasonMalformedJSON, "")
	f(`{`+ok+`,"x":"nul`+"\x00"+`"}`, ReasonMalformedJSON, "")
	f("{"+ok+",\"x\":\"nul\x00\"}", ReasonMalformedJSON, "")
	f("{"+ok+"}\x00", ReasonMalformedJSON, "")
	f(`{"account":"a","ts":"2024-02-12T08:14:03Z"`, ReasonMalformedJSON, "")
	f(`{`+ok+`,"x":`+strings.Repeat("[", 300)+strings.Repeat("]", 300)+`}`, ReasonMalformedJSON, "")
	f(`{`+ok+`,"x":`+strings.Repeat(`{"a":`, 300)+"1"+strings.Repeat("}", 300)+`}`, ReasonMalformedJSON, "")

	f("{\"ts\":1707725643123,\"account\":\"a\xff\"}", ReasonInvalidUTF8, "")
	f("{\"ts\":1707725643123,\"account\":\"a\xed\xa0\x80\"}", ReasonInvalidUTF8, "")

	f(`{"account":"a"}`, ReasonMissingTS, "ts")
	f(`{"ts":null,"account":"a"}`, ReasonMissingTS, "ts")
	f(`{"TS":1707725643123,"account":"a"}`, ReasonMissingTS, "ts")

	for _, ts := range []string{
		`""`, `true`, `{}`, `[]`, `"yesterday"`, `"12:00"`, `-1`, `0`, `"-1707725643"`,
		`946684799`, `946684799999`, `4133980800`, `4133980800000`,
		`99999999999`, `1e400`, `-1e9`, `"1707725643.x"`, `"1707725643."`, `"17e"`,
		`"1999-12-31T23:59:59.999Z"`, `"2000-01-01T00:30:00+01:00"`, `"2101-01-01T00:00:00Z"`,
		`"0000-01-01T00:00:00Z"`, `"9999-12-31T23:59:59Z"`,
		`"2024-02-12T08:14:03"`, `"2024-02-12T08:14:03.123"`, `"2024-02-12"`,
		`"2024-02-12T08:14:03.Z"`, `"2024-02-12T08:14:03.123+01"`, `"2024-02-12T08:14:03.123+1:00"`,
		`"2024-02-12T08:14:03.123+24:00"`, `"2024-02-12T08:14:03.123+01:60"`, `"2024-02-12T08:14:03ZZ"`,
		`"2024-02-12T08:14:03Z "`, `"2024-02-12X08:14:03Z"`, `"2024/02/30T08:14:03Z"`, `"12/02/2024"`,
		`"2024-13-12T08:14:03Z"`, `"2024-00-12T08:14:03Z"`, `"2024-02-30T08:14:03Z"`, `"2023-02-29T08:14:03Z"`,
		`"2100-02-29T08:14:03Z"`, `"2024-04-31T08:14:03Z"`, `"2024-02-00T08:14:03Z"`,
		`"2024-02-12T24:00:00Z"`, `"2024-02-12T08:60:00Z"`, `"2024-02-12T08:14:60Z"`, `"2024-02-12T8:14:03Z"`,
		`"2024-02-12T08:14:03+01:00:00"`, `"Mon, 32 Feb 2024 08:14:03 GMT"`, `"[12/Feb/2024:08:14:03]"`,
		`"31 févr. 2026 09:14 UTC"`, `"13/45/2024 09:00 PM UTC"`, `"2 mars 09:14 UTC"`, `"2 marsupial 2026 09:14 UTC"`,
		`"05/02/2024 13:00 PM UTC"`, `"05/02/2024 00:30 AM UTC"`, `"2 mars 2026 09:14"`,
	} {
		f(`{"ts":`+ts+`,"account":"a"}`, ReasonBadTimestamp, "ts")
	}

	f(`{"ts":1707725643123}`, ReasonMissingAccount, "account")
	f(`{"ts":1707725643123,"account":""}`, ReasonMissingAccount, "account")
	f(`{"ts":1707725643123,"account":null}`, ReasonMissingAccount, "account")
	f(`{"ts":1707725643123,"account":true}`, ReasonMissingAccount, "account")
	f(`{"ts":1707725643123,"account":{"name":"a"}}`, ReasonMissingAccount, "account")
	f(`{"ts":1707725643123,"user":{"account":"a"}}`, ReasonMissingAccount, "account")

	for _, rec := range []string{
		`-1`, `-0`, `1.5`, `0.1`, `1e3`, `1E3`, `1000000000001`, `99999999999999999999999`,
		`""`, `"x"`, `"-3"`, `" 3"`, `"3 "`, `"3.5"`, `"0x10"`, `"1."`, `true`, `[]`, `{}`,
	} {
		f(`{`+ok+`,"records":`+rec+`}`, ReasonBadRecords, "records")
	}

	f(`{`+ok+`,"org":true}`, ReasonBadField, "org")
	f(`{`+ok+`,"role":[{"name":"advisor"}]}`, ReasonBadField, "role") // a list of names is read by its first: TestJSONListOfNames
	f(`{`+ok+`,"role":["advisor"`, ReasonMalformedJSON, "")
	f(`{`+ok+`,"action":{"name":"x"}}`, ReasonBadField, "action")
	f(`{`+ok+`,"subject":false}`, ReasonBadField, "subject")
	f(`{`+ok+`,"session":"a\u0000b"}`, ReasonBadField, "session")
	f(`{"ts":1707725643123,"account":"a\u0000"}`, ReasonBadField, "account")
}

func TestJSONDecodeLineTooLong(t *testing.T) {
	d := NewJSONDecoder(DefaultFieldMap())
	d.MaxLineBytes = 64
	line := `{"ts":1707725643123,"account":"a","pad":"` + strings.Repeat("x", 20) + `"}`
	var ev Event
	if err := d.Decode([]byte(line), &ev); err != nil {
		t.Fatalf("a %d-byte line under the 64-byte limit: %v", len(line), err)
	}
	line = `{"ts":1707725643123,"account":"a","pad":"` + strings.Repeat("x", 30) + `"}`
	var de *DecodeError
	if err := d.Decode([]byte(line), &ev); !errors.As(err, &de) || de.Reason != ReasonLineTooLong {
		t.Fatalf("a %d-byte line over the 64-byte limit: got %v, want line_too_long", len(line), err)
	}
	d.MaxLineBytes = 0 // The default, 1 MiB.
	big := `{"ts":1707725643123,"account":"a","pad":"` + strings.Repeat("x", DefaultMaxLineBytes) + `"}`
	if err := d.Decode([]byte(big), &ev); !errors.As(err, &de) || de.Reason != ReasonLineTooLong {
		t.Fatalf("a line over 1 MiB: got %v, want line_too_long", err)
	}
}

// TestJSONDecodeReuse checks that no value leaks from one line into the
// next through the reused decoder and Event, and that kept strings survive
// later lines.
func TestJSONDecodeReuse(t *testing.T) {
	d := NewJSONDecoder(DefaultFieldMap())
	var ev Event
	lines := []string{
		`{"ts":1707725643123,"account":"a\u00e9","org":"o1","session":"s1","subject":"x","records":5}`,
		`{"ts":1707725643124,"account":"b"}`,
	}
	if err := d.Decode([]byte(lines[0]), &ev); err != nil {
		t.Fatal(err)
	}
	kept := ev
	buf := []byte(lines[1])
	if err := d.Decode(buf, &ev); err != nil {
		t.Fatal(err)
	}
	if want := (Event{TS: 1707725643124, Account: "b", Records: 1}); ev != want {
		t.Fatalf("second line: got %+v, want %+v", ev, want)
	}
	copy(buf, strings.Repeat("#", len(buf)))
	if want := (Event{TS: 1707725643123, Account: "aé", Org: "o1", Session: "s1", Subject: "x", Records: 5}); kept != want {
		t.Fatalf("kept first event changed: got %+v, want %+v", kept, want)
	}
}

// TestRFC3339AgainstTime checks the hand-written parser against the time
// package on times around every month end, leap days and many offsets.
func TestRFC3339AgainstTime(t *testing.T) {
	base := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	offsets := []int{0, 3600, -3600, 5*3600 + 1800, -(9*3600 + 30*60), 14 * 3600, -12 * 3600}
	for i := 0; i < 20000; i++ {
		tt := base.Add(time.Duration(i)*44*time.Hour + time.Duration(i%60)*time.Minute + time.Duration(i*7919)*time.Millisecond)
		zone := time.FixedZone("", offsets[i%len(offsets)])
		s := tt.In(zone).Format(time.RFC3339Nano)
		got, err := parseTimestamp([]byte(s), nil)
		want := tt.UnixMilli()
		if want < minTS || want >= maxTS {
			if err == nil {
				t.Fatalf("parseTimestamp(%q) = %d, want an out-of-range error", s, got)
			}
			continue
		}
		if err != nil || got != want {
			t.Fatalf("parseTimestamp(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
}

func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		benchLine,
		`{"ts":"2024-02-12T09:14:03.123+01:00","account":"a"}`,
		`{"ts":1707725643,"account":"Ren\u00e9","records":"3"}`,
		`{"ts":1707725643123.5,"account":"\ud83d\ude00","x":[{"y":null},true,false,-1.5e-3]}`,
		`{"ts":"1707725643","account":1,"records":25.0,"org":null}`,
		`{"user":{"name":"a"},"event":{"created":"2024-02-12T08:14:03Z"}}`,
		`{"user.name":"a","event.created":"2024-02-12t08:14:03,5z"}`,
		`{"ts":"2024-02-12T08:14:03.123+0100","account":"a","records":-1}`,
		`[1]`, `{`, `{"ts":1e400,"account":"a"}`, "{\"ts\":1,\"account\":\"\xff\"}",
		`10.0.0.1 - a [02/Mar/2027:09:14:06 +0100] "GET /x?size=5 HTTP/1.1" 200 2 "-" "ua" k="v \" w" 0.1`,
		`<134>Mar  2 08:14:05 siem CEF:0|A\|B|P|2|ID|N|3|rt=1772439249000 account=a b cs1Label=ts cs1=x\=y`,
		"LEEF:2.0|A|P|2|ID|^|ts=1772439249000^account=a",
	} {
		f.Add([]byte(s))
	}
	def := NewJSONDecoder(DefaultFieldMap())
	ecs := DefaultFieldMap()
	ecs.TS, ecs.Account, ecs.Org = "event.created", "user.name", "user.org.id"
	nested := NewJSONDecoder(ecs)
	f.Fuzz(func(t *testing.T, line []byte) {
		for _, d := range []*JSONDecoder{def, nested} {
			var ev Event
			err := d.Decode(line, &ev)
			checkDecoded(t, line, &ev, err)
			var de *DecodeError
			if errors.As(err, &de) && de.Reason == ReasonMalformedJSON {
				// Our walker and encoding/json must agree on what JSON is
				// (nesting beyond maxDepth aside).
				var m map[string]any
				if json.Unmarshal(line, &m) == nil && m != nil && depth(line) <= maxDepth {
					t.Fatalf("malformed_json for %q, which encoding/json accepts: %v", line, err)
				}
			}
			if err == nil && d == def && jsonStart(line) >= 0 {
				// What follows a relay's prefix (jsonStart) is the object
				// (a line without one was read as logfmt).
				obj := line[jsonStart(line):]
				var m map[string]any
				if err := json.Unmarshal(obj, &m); err != nil {
					t.Fatalf("accepted %q, which encoding/json rejects: %v", line, err)
				}
				if s, ok := m["account"].(string); ok && s != ev.Account {
					t.Fatalf("account of %q: got %q, encoding/json says %q", line, ev.Account, s)
				}
			}
		}
	})
}

// checkDecoded holds the invariants of every decoder's output.
func checkDecoded(t *testing.T, line []byte, ev *Event, err error) {
	t.Helper()
	if err != nil {
		var de *DecodeError
		if !errors.As(err, &de) || de.Reason == "" {
			t.Fatalf("Decode(%q): error %v is not a *DecodeError with a reason", line, err)
		}
		return
	}
	if ev.Account == "" || ev.TS < minTS || ev.TS >= maxTS || ev.Records < 0 || ev.Records > maxRecords {
		t.Fatalf("Decode(%q) = %+v, which breaks an invariant", line, *ev)
	}
}

// depth is a rough nesting depth of JSON text (brackets outside strings are
// not told apart from those inside, which only makes it larger).
func depth(b []byte) int {
	d, m := 0, 0
	for _, c := range b {
		switch c {
		case '{', '[':
			d++
			m = max(m, d)
		case '}', ']':
			d--
		}
	}
	return m
}

// A timestamp without offset is a local time of FieldMap.Local: checked
// against the time package across a year of Paris clock changes, and
// rejected as bad_timestamp when no zone is given.
func TestNaiveTimestampsAreLocal(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	m := DefaultFieldMap()
	m.Local = paris
	d := NewJSONDecoder(m)
	var ev Event
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, paris)
	for i := range 5000 {
		tt := start.Add(time.Duration(i)*107*time.Minute + time.Duration(i%1000)*time.Millisecond)
		for _, layout := range []string{"2006-01-02T15:04:05.000", "2006-01-02 15:04:05"} {
			s := tt.Format(layout)
			want := time.Date(tt.Year(), tt.Month(), tt.Day(), tt.Hour(), tt.Minute(), tt.Second(), tt.Nanosecond(), paris)
			if layout == "2006-01-02 15:04:05" {
				want = want.Truncate(time.Second)
			}
			if err := d.Decode([]byte(`{"ts":"`+s+`","account":"a"}`), &ev); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
			if ev.TS != want.UnixMilli() {
				t.Fatalf("%s read as %v, want %v", s, time.UnixMilli(ev.TS).In(paris), want)
			}
		}
	}
	// An offset given wins over the zone.
	if err := d.Decode([]byte(`{"ts":"2024-07-01T12:00:00Z","account":"a"}`), &ev); err != nil || ev.TS != time.Date(2024, 7, 1, 12, 0, 0, 0, time.UTC).UnixMilli() {
		t.Errorf("UTC time read as %v, %v", time.UnixMilli(ev.TS).UTC(), err)
	}
	var de *DecodeError
	if err := NewJSONDecoder(DefaultFieldMap()).Decode([]byte(`{"ts":"2024-07-01 12:00:00","account":"a"}`), &ev); !errors.As(err, &de) || de.Reason != ReasonBadTimestamp {
		t.Errorf("without a zone, a time without offset gave %v, want bad_timestamp", err)
	}
	// Forks keep the zone.
	f := ForkDecoder(d, nil)
	if err := f.Decode([]byte(`{"ts":"2024-07-01 12:00:00","account":"a"}`), &ev); err != nil || ev.TS != time.Date(2024, 7, 1, 12, 0, 0, 0, paris).UnixMilli() {
		t.Errorf("fork read a local time as %v, %v", time.UnixMilli(ev.TS).In(paris), err)
	}
}

func TestInputTimeZone(t *testing.T) {
	m := DefaultFieldMap()
	m.InputTimeZone = "Mars/Olympus"
	if err := m.Validate(); err == nil || !strings.Contains(err.Error(), "--input-time-zone") {
		t.Errorf("unknown input zone: Validate gave %v", err)
	}
	m.InputTimeZone = "America/Martinique"
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	m.SetLocal(time.UTC)
	if m.Local == nil || m.Local.String() != "America/Martinique" {
		t.Errorf("SetLocal chose %v, want America/Martinique", m.Local)
	}
	m.InputTimeZone = ""
	if m.SetLocal(time.UTC); m.Local != time.UTC {
		t.Errorf("without --input-time-zone SetLocal chose %v, want the default", m.Local)
	}
}

// Epoch times in microseconds and nanoseconds are told from milliseconds
// and seconds by their magnitude.
func TestEpochUnits(t *testing.T) {
	want := int64(1707725643123)
	for _, ts := range []string{`1707725643.123`, `1707725643123`, `1707725643123456`, `"1707725643123456789"`, `1.707725643123456789e18`} {
		got, err := parseTimestamp([]byte(strings.Trim(ts, `"`)), nil)
		if err != nil || got != want {
			t.Errorf("%s read as %d, %v; want %d", ts, got, err, want)
		}
	}
	for _, ts := range []string{`99999999999999999999`, `9999999999999999999`, `946684799999999`} {
		if got, err := parseTimestamp([]byte(ts), nil); err == nil {
			t.Errorf("%s read as %d, want an error", ts, got)
		}
	}
}

// The other layouts logs write are read on the slow path, each as the
// same instant: slashes, day first as in France, an offset or UTC after a
// space, the combined log format, HTTP dates, ISO 8601's basic form; then
// month names and AM/PM.
func TestLooseTimestamps(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	z := &zoneCache{loc: paris}
	want := time.Date(2024, 5, 2, 9, 14, 3, 0, paris).UnixMilli()
	for _, ts := range []string{
		"02/05/2024 09:14:03", "02.05.2024 09:14:03", "02-05-2024 09:14:03", "2024/05/02 09:14:03",
		"02/05/2024 07:14:03 UTC", "2024-05-02 09:14:03 +0200", "2024-05-02 09:14:03 +02:00", "2024-05-02 07:14:03 GMT",
		"[02/May/2024:09:14:03 +0200]", "Thu, 02 May 2024 07:14:03 GMT", "20240502T071403Z",
	} {
		got, err := parseTimestamp([]byte(ts), z)
		if err != nil || got != want {
			t.Errorf("%q read as %v, %v; want %v", ts, time.UnixMilli(got).In(paris), err, time.UnixMilli(want).In(paris))
		}
	}
	if got, err := parseTimestamp([]byte("02/05/2024 09:14"), z); err != nil || got != want-3000 {
		t.Errorf("minutes without seconds read as %v, %v", time.UnixMilli(got).In(paris), err)
	}
	// Month names, French or English, in any case, with or without accents
	// or dots, a weekday, 1er, à; a date in figures with AM/PM is month
	// first (US). 12 AM is midnight, 12 PM noon.
	at := func(mo time.Month, d, h, mi, s int) int64 {
		return time.Date(2026, mo, d, h, mi, s, 0, paris).UnixMilli()
	}
	us := func(d, h, mi, s int) int64 {
		return time.Date(2024, 5, d, h, mi, s, 0, paris).UnixMilli()
	}
	for ts, want := range map[string]int64{
		"02 mars 2026 09:14:03": at(3, 2, 9, 14, 3), "2 mars 2026 09:14": at(3, 2, 9, 14, 0),
		"lundi 2 mars 2026 09:14:03": at(3, 2, 9, 14, 3), "Lundi, 2 Mars 2026 9:14:03": at(3, 2, 9, 14, 3),
		"lun. 2 mars 2026 09:14:03": at(3, 2, 9, 14, 3), "mar. 3 mars 2026 09:14": at(3, 3, 9, 14, 0),
		"2 mars 2026 à 09:14": at(3, 2, 9, 14, 0), "LUNDI 2 MARS 2026 À 09:14": at(3, 2, 9, 14, 0),
		"2 mars 2026 a 09:14": at(3, 2, 9, 14, 0), "2 mars 2026 08:14:03 UTC": at(3, 2, 9, 14, 3),
		"2 mars 2026 09:14:03 +0100": at(3, 2, 9, 14, 3), "2 mars 2026 à 10:14 +02:00": at(3, 2, 9, 14, 0),
		"2 mars 2026 09:14:03.250": at(3, 2, 9, 14, 3) + 250, "1er janv. 2026 09:14": at(1, 1, 9, 14, 0),
		"1 janv 2026 09:14": at(1, 1, 9, 14, 0), "1 Jan 2026 09:14": at(1, 1, 9, 14, 0),
		"3 févr. 2026 09:14": at(2, 3, 9, 14, 0), "3 fevr 2026 09:14": at(2, 3, 9, 14, 0),
		"3 FÉV 2026 09:14": at(2, 3, 9, 14, 0), "3 fév. 2026 09:14": at(2, 3, 9, 14, 0),
		"1er avr. 2026 09:14": at(4, 1, 9, 14, 0), "1er mai 2026 09:14": at(5, 1, 9, 14, 0),
		"2 juin 2026 09:14": at(6, 2, 9, 14, 0), "14 juil. 2026 09:14": at(7, 14, 9, 14, 0),
		"15 août 2026 09:14": at(8, 15, 9, 14, 0), "15 aout 2026 09:14": at(8, 15, 9, 14, 0),
		"1er sept. 2026 09:14": at(9, 1, 9, 14, 0), "2 oct. 2026 09:14": at(10, 2, 9, 14, 0),
		"11 nov 2026 09:14": at(11, 11, 9, 14, 0), "25 déc. 2026 09:14": at(12, 25, 9, 14, 0),
		"25 DÉC 2026 09:14": at(12, 25, 9, 14, 0), "25 decembre 2026 09:14": at(12, 25, 9, 14, 0),
		"2 Mar 2026 09:14:03": at(3, 2, 9, 14, 3), "Mon, 2 Mar 2026 09:14:03": at(3, 2, 9, 14, 3),
		"Mar 2, 2026 09:14:03 AM": at(3, 2, 9, 14, 3), "March 2, 2026 9:14:03 pm": at(3, 2, 21, 14, 3),
		"05/02/2024 09:14:03 AM": us(2, 9, 14, 3), "5/2/2024 9:14:03 AM": us(2, 9, 14, 3),
		"5/2/2024, 9:14:03 AM": us(2, 9, 14, 3), "05/02/2024 9:14:03 a.m.": us(2, 9, 14, 3),
		"5/2/2024 9:14:03am": us(2, 9, 14, 3), "05/02/2024 07:14:03 AM UTC": us(2, 9, 14, 3),
		"2024/05/02 09:14:03 AM": us(2, 9, 14, 3), "05/02/2024 9:14:03 p.m.": us(2, 21, 14, 3),
		"5/2/2024 9:14 PM": us(2, 21, 14, 0), "5/2/2024 9:14\u202fPM": us(2, 21, 14, 0),
		"05/13/2024 09:14 PM": us(13, 21, 14, 0), "05/02/2024 12:30 AM": us(2, 0, 30, 0),
		"05/02/2024 12:30 PM": us(2, 12, 30, 0),
	} {
		got, err := parseTimestamp([]byte(ts), z)
		if err != nil || got != want {
			t.Errorf("%q read as %v, %v; want %v", ts, time.UnixMilli(got).In(paris), err, time.UnixMilli(want).In(paris))
		}
	}
	var ev Event
	if err := NewJSONDecoder(DefaultFieldMap()).Decode([]byte(`{"ts":"2 f\u00e9vr. 2026 08:14 UTC","account":"a"}`), &ev); err != nil || ev.TS != at(2, 2, 9, 14, 0) {
		t.Errorf("an escaped é read as %v, %v", time.UnixMilli(ev.TS).In(paris), err)
	}
	// Month first (US) is not guessed without AM/PM: the 13th month fails.
	for _, ts := range []string{
		"05/13/2024 09:14:03", "02/05/2024", "2024-05-02 09:14:03 +2", "yesterday at noon",
		"31 févr. 2026 09:14", "29 fevrier 2026 09:14", "13/45/2024 09:00 PM", "2 mars 09:14", "2 marsupial 2026 09:14",
		"05/02/2024 13:00 PM", "05/02/2024 00:30 AM", "mardi 2 mars 2026 09:14", "2 mars 2026", "2 mars 26 09:14",
		"2 mars 2026 09:14 PM PM", "2 mars 2026 09:14 EST", "2 mars 2026 25:14", "0 mars 2026 09:14",
		"2er mars 2026 09:14", "05/02-2024 09:14 PM", "05/02/2024 09:14 PM +25:00", "2 mars 2026 à", "mars 2026 09:14",
	} {
		if got, err := parseTimestamp([]byte(ts), z); err == nil {
			t.Errorf("%q read as %v, want an error", ts, time.UnixMilli(got))
		}
	}
}

// A list of names is read by its first (ECS writes a user's roles as
// one: "roles": ["ADVISOR", "AUDITOR"]); an empty list is no value; a
// time or a count given as a list is still an error.
func TestJSONListOfNames(t *testing.T) {
	m := DefaultFieldMap()
	m.Role = "user.roles"
	dec := NewJSONDecoder(m)
	for line, want := range map[string]string{
		`{"ts":1707725643123,"account":"a","user":{"roles":["ADVISOR","AUDITOR"]}}`: "ADVISOR",
		`{"ts":1707725643123,"account":"a","user":{"roles":[ "R\u00c9F" ]}}`:        "RÉF",
		`{"ts":1707725643123,"account":"a","user":{"roles":[]}}`:                    "",
	} {
		var ev Event
		if err := dec.Decode([]byte(line), &ev); err != nil || ev.Role != want {
			t.Errorf("Decode(%s): role %q, error %v; want %q", line, ev.Role, err, want)
		}
	}
	var ev Event
	for _, line := range []string{`{"ts":[1707725643123],"account":"a"}`, `{"ts":1707725643123,"account":"a","records":[5]}`} {
		if err := NewJSONDecoder(DefaultFieldMap()).Decode([]byte(line), &ev); err == nil {
			t.Errorf("Decode(%s): no error", line)
		}
	}
}

// A relay may put its own header before each line's JSON object: syslog
// ("<134>May  2 09:14:03 gw api[42]: "), rsyslog's CEE cookie ("@cee: ").
// The object after it is the event, and the field sample reads it too;
// a prefix holding a quote, or longer than maxPrefix, is not a relay's.
func TestJSONAfterARelaysPrefix(t *testing.T) {
	const obj = `{"ts":"2024-05-02T09:14:03Z","user":"a1","nb_resultats":5}`
	m := DefaultFieldMap()
	m.Account, m.Records = "user", "nb_resultats"
	dec := NewJSONDecoder(m)
	for _, prefix := range []string{"", "  ", "<134>May  2 09:14:03 gw api[42]: ", "@cee: ", "<14>1 2024-05-02T09:14:03Z gw api 42 - - "} {
		var ev Event
		if err := dec.Decode([]byte(prefix+obj), &ev); err != nil || ev.Account != "a1" || ev.Records != 5 {
			t.Errorf("Decode(%q + object): account %q, records %d, error %v", prefix, ev.Account, ev.Records, err)
		}
	}
	for _, line := range []string{`say "hi" ` + obj, strings.Repeat("x", maxPrefix+1) + obj, "May  2 09:14:03 gw api[42]: started"} {
		var ev Event
		var de *DecodeError
		if err := dec.Decode([]byte(line), &ev); !errors.As(err, &de) || de.Reason != ReasonMalformedJSON {
			t.Errorf("Decode(%.40q...) = %v, want malformed_json", line, err)
		}
	}
	keys := sample(t, "syslog.log", "<134>May  2 09:14:03 gw api[42]: "+obj+"\n")
	m = DefaultFieldMap()
	m.Infer(keys)
	if m.Account != "user" || m.Records != "nb_resultats" {
		t.Errorf("inferred account %q, records %q from prefixed lines; want user, nb_resultats", m.Account, m.Records)
	}
}
