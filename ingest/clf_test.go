package ingest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// nginxLog is a reverse proxy's access log in the combined format with
// the operator's additions: a request time, an upstream user header
// (quoted, positional), and key=value pairs.
const nginxLog = `10.2.3.4 - jdupont [02/Mar/2027:09:14:03 +0100] "GET /api/v1/personnes?page=3&size=50 HTTP/1.1" 200 51234 "https://app.example.fr/" "Mozilla/5.0 (Windows NT 10.0)" 0.131 org="ML 075"
10.2.3.4 - jdupont [02/Mar/2027:09:14:05 +0100] "GET /api/v1/personnes/42 HTTP/1.1" 200 2048 "-" "Mozilla/5.0 (Windows NT 10.0)" 0.012 org="ML 075"
10.0.0.1 - - [02/Mar/2027:09:14:06 +0100] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29" 0.001 org=-
10.9.9.9 - svc-export [02/Mar/2027:02:00:01 +0100] "GET /api/v1/exports?format=csv&offset=0&limit=1000 HTTP/1.1" 200 812345 "-" "python-requests/2.31" 4.210 org=CD013
`

// proxyLog names its user in a quoted addition (a header the application
// sets) and its organisation in the path.
const proxyLog = `10.2.3.4 - - [02/Mar/2027:09:14:03 +0100] "GET /o/ml-nantes/api/v1/personnes?nom=X&page=0&Page-Size=20 HTTP/2.0" 200 475 "-" "Mozilla/5.0" rt=0.067 user="a.b@ml-nantes.fr"
10.9.9.9 - svc-cd-94 [02/Mar/2027:00:55:24 +0100] "GET /o/cd-94/api/v1/exports/rsa?offset=1000&limit=1000 HTTP/1.1" 200 350492 "-" "Talend-ESB/8.0.1" rt=1.441 user="svc-cd-94"
10.2.3.5 - - [02/Mar/2027:09:15:03 +0100] "GET /api/Etablissements/CAF-13/personnes/42 HTTP/2.0" 200 3475 "-" "Mozilla/5.0" rt=0.01 user="c.d@caf13.fr"
`

// A combined log format line is read with nginx's names for its values:
// the user, the local time with its offset, the request's method and path,
// the user agent, key=value additions by their keys, and each query
// parameter as arg_NAME, the first page size among them (size, limit,
// page_size...) counting the records of a log that has no count (a
// record's own page counts one), and the organisation a REST path names.
// A line that begins so but
// breaks off is a malformed_clf dead letter. Before, every line was a
// malformed_json dead letter.
func TestCombinedLogFormat(t *testing.T) {
	m := DefaultFieldMap()
	m.Infer(sample(t, "access.log-20270302", nginxLog))
	want := FieldMap{TS: "time_local", Account: "remote_user", Org: "org", Role: "role", Action: "request_method",
		Resource: "uri", SrcIP: "remote_addr", UserAgent: "http_user_agent", Session: "session",
		Records: "page_size", Subject: "subject"}
	if m != want {
		t.Fatalf("inferred %+v\nwant      %+v", m, want)
	}
	dec := NewJSONDecoder(m)
	var ev Event
	line, _, _ := strings.Cut(nginxLog, "\n")
	if err := dec.Decode([]byte(line), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.TS != time.Date(2027, 3, 2, 8, 14, 3, 0, time.UTC).UnixMilli() || ev.Account != "jdupont" || ev.Org != "ML 075" ||
		ev.Records != 50 || ev.Action != "GET" || ev.Resource != "/api/v1/personnes" || ev.SrcIP != "10.2.3.4" ||
		ev.UserAgent != "Mozilla/5.0 (Windows NT 10.0)" {
		t.Fatalf("decoded %+v", ev)
	}
	for line, want := range map[string]struct {
		account string
		records int64
		reason  string
	}{
		`10.2.3.4 - jdupont [02/Mar/2027:09:14:05 +0100] "GET /api/v1/personnes/42 HTTP/1.1" 200 2048 "-" "Mozilla/5.0" 0.012 org="ML 075"`: {"jdupont", 1, ""},
		`10.9.9.9 - svc-export [02/Mar/2027:02:00:01 +0100] "GET /api/v1/exports?offset=0&limit=1000 HTTP/1.1" 200 812345 "-" "curl/8" 4.2`: {"svc-export", 1000, ""},
		// The common log format: no referer nor user agent.
		`10.9.9.9 - svc-export [02/Mar/2027:02:00:01 +0100] "GET /x?limit=7 HTTP/1.0" 200 10`:           {"svc-export", 7, ""},
		`10.0.0.1 - - [02/Mar/2027:09:14:06 +0100] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"`: {"", 0, ReasonMissingAccount},
		`10.0.0.1 - jdupont [02/Mar/2027:09:14:06 +0100] "GET /healthz HTTP/1.1`:                        {"", 0, ReasonMalformedCLF},
		`10.0.0.1 - jdupont [02/Mar/2027:09:14:06 +0100] "GET`:                                          {"", 0, ReasonMalformedCLF},
		`2025-11-13 07:03:43,996 WARN [main] o.a.c.Startup - started`:                                   {"", 0, ReasonMalformedJSON},
		`10.0.0.1 - jdupont [02/Mar/2027:09:14:06 +0100`:                                                {"", 0, ReasonMalformedJSON},
	} {
		err := dec.Decode([]byte(line), &ev)
		if reasonOf(err) != want.reason || err == nil && (ev.Account != want.account || ev.Records != want.records) {
			t.Errorf("Decode(%s) = %v, account %q, records %d; want %+v", line, err, ev.Account, ev.Records, want)
		}
	}
	m = DefaultFieldMap()
	m.Infer(sample(t, "access.log", proxyLog))
	if m.Account != "user" || m.Org != "uri_org" || m.Records != "page_size" {
		t.Fatalf("inferred account %q org %q records %q", m.Account, m.Org, m.Records)
	}
	dec = NewJSONDecoder(m)
	var got []string
	for l := range strings.Lines(proxyLog) {
		if err := dec.Decode([]byte(strings.TrimSuffix(l, "\n")), &ev); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s %s %d", ev.Account, ev.Org, ev.Records))
	}
	if want := []string{"a.b@ml-nantes.fr ml-nantes 20", "svc-cd-94 cd-94 1000", "c.d@caf13.fr CAF-13 1"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// A combined log line costs two allocations (its arg_ and field names,
// the event's strings), its time read without the slow path's: before,
// twenty-one, and altgen11's logs replayed at about 450,000 events a
// second.
func TestCombinedLogFormatAllocations(t *testing.T) {
	m := DefaultFieldMap()
	m.TS, m.Account, m.Records, m.Org = "time_local", "user", "page_size", "uri_org"
	dec := NewJSONDecoder(m)
	line := []byte(`10.2.3.4 - - [02/Mar/2027:09:14:03 +0100] "GET /o/ml-nantes/api/v1/personnes?nom=X&page=0&size=20 HTTP/2.0" 200 475 "-" "Mozilla/5.0" rt=0.067 user="a.b@ml-nantes.fr"`)
	var ev Event
	if n := testing.AllocsPerRun(100, func() {
		if err := dec.Decode(line, &ev); err != nil {
			t.Fatal(err)
		}
	}); n > 2 {
		t.Errorf("%.0f allocations a line, want at most 2", n)
	}
	if ev.TS != time.Date(2027, 3, 2, 8, 14, 3, 0, time.UTC).UnixMilli() || ev.Records != 20 {
		t.Errorf("decoded %+v", ev)
	}
	for _, bad := range []string{"31/Apr/2027:09:14:03 +0100", "02/Mrz/2027:09:14:03 +0100", "02/Mar/2027:25:14:03 +0100"} {
		if _, ok := parseCLFTime([]byte(bad)); ok {
			t.Errorf("parseCLFTime(%s) accepted", bad)
		}
	}
}
