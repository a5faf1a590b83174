package ingest

import (
	"errors"
	"reflect"
	"strconv"
	"testing"
	"time"
)

// iisLog is an IIS log with custom fields: the organisation and the count
// of records are response headers the application sets. The server
// restarts mid-file and logs one more field from then on.
const iisLog = "#Software: Microsoft Internet Information Services 10.0\r\n" +
	"#Version: 1.0\r\n" +
	"#Date: 2027-03-01 00:00:02\r\n" +
	"#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status time-taken cs(X-Org-Id) sc(X-Result-Count)\r\n" +
	"2027-03-01 08:14:03 10.0.0.5 GET /api/v2/personnes size=50 443 PARTENAIRES\\jdupont 10.2.3.4 Mozilla/5.0+(Windows+NT+10.0) 200 131 ML075 50\r\n" +
	"2027-03-01 08:14:04 10.0.0.5 GET /healthz - 443 - 10.0.0.1 - 200 0 - -\r\n" +
	"2027-03-01 08:14:05.250 10.0.0.5 GET /api/v2/personnes/42 - 443 PARTENAIRES\\jdupont 10.2.3.4 Mozilla/5.0+(Windows+NT+10.0) 200 12 ML075 -\r\n" +
	"2027-03-01 08:14:06 10.0.0.5 GET /api/v2/personnes\r\n" +
	"#Software: Microsoft Internet Information Services 10.0\r\n" +
	"#Version: 1.0\r\n" +
	"#Date: 2027-03-01 10:02:00\r\n" +
	"#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status time-taken cs(X-Org-Id) sc(X-Result-Count)\r\n" +
	"2027-03-01 10:02:01 10.0.0.5 GET /api/v2/exports offset=0&limit=1000 443 svc_export 10.9.9.9 python-requests/2.31 - 200 900 CD013 1000\r\n"

// A W3C extended log (IIS) is recognised by its directives whatever its
// name; its fields are inferred by what they stand for (cs-username is
// the user name, sc(X-Result-Count) the result count), the time is the
// date and time fields (the ts and the time of day) read as UTC, "-" is empty, and a restart's new
// #Fields directive is the header from then on. Before, every line was a
// malformed_json dead letter.
func TestW3CExtendedLog(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "u_ex270301.log", iisLog)
	keys, err := SampleFiles([]string{p}, FormatAuto, 100)
	if err != nil {
		t.Fatal(err)
	}
	m := DefaultFieldMap()
	m.Infer(keys)
	want := FieldMap{TS: "date", TimeOfDay: "time", Account: "cs-username", Org: "cs(X-Org-Id)", Role: "role", Action: "cs-method",
		Resource: "cs-uri-stem", SrcIP: "c-ip", UserAgent: "cs(User-Agent)", Session: "session",
		Records: "sc(X-Result-Count)", Subject: "subject"}
	if m != want {
		t.Fatalf("inferred %+v\nwant      %+v", m, want)
	}
	r, err := NewFileReader([]string{p}, m, DefaultFileConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []string
	for ev, err := range r.Events(func(raw *Raw, err error) {
		got = append(got, reasonOf(err))
	}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, time.UnixMilli(ev.TS).UTC().Format("15:04:05.000")+" "+ev.Account+" "+ev.Org+" "+
			ev.Resource+" "+ev.UserAgent+" "+strconv.FormatInt(int64(ev.Records), 10))
	}
	wantEv := []string{
		`08:14:03.000 PARTENAIRES\jdupont ML075 /api/v2/personnes Mozilla/5.0+(Windows+NT+10.0) 50`,
		"missing_account",
		`08:14:05.250 PARTENAIRES\jdupont ML075 /api/v2/personnes/42 Mozilla/5.0+(Windows+NT+10.0) 1`,
		"malformed_csv",
		"10:02:01.000 svc_export CD013 /api/v2/exports python-requests/2.31 1000",
	}
	if !reflect.DeepEqual(got, wantEv) {
		t.Fatalf("got  %q\nwant %q", got, wantEv)
	}
}

// A W3C log without a date field takes its lines' date from the #Date
// directive; a line before any #Fields directive is a dead letter, not the
// end of the file; a fork decodes as its origin.
func TestW3CDateDirective(t *testing.T) {
	m := DefaultFieldMap()
	m.TS = "time"
	dec := NewW3CDecoder(m)
	var ev Event
	if err := dec.Decode([]byte("09:00:00 a1"), &ev); reasonOf(err) != ReasonMalformedCSV {
		t.Fatalf("a line before #Fields: %v", err)
	}
	for _, l := range []string{"#Date: 2027-03-02 00:00:00", "#Fields: time account"} {
		if err := dec.Decode([]byte(l), &ev); err != ErrHeader {
			t.Fatalf("%s: %v", l, err)
		}
	}
	if err := dec.Decode([]byte("09:00:00 a1"), &ev); err != nil {
		t.Fatal(err)
	}
	if got := time.UnixMilli(ev.TS).UTC().Format(time.RFC3339); got != "2027-03-02T09:00:00Z" || ev.Account != "a1" {
		t.Fatalf("got %s %s", got, ev.Account)
	}
	// A fork (replay's decoding goroutines) reads the lines as its origin
	// does: before, it took the time field alone ("09:00:00": every line
	// of an IIS log a bad_timestamp dead letter).
	var fev Event
	if err := ForkDecoder(dec, nil).Decode([]byte("09:00:00 a1"), &fev); err != nil || fev != ev {
		t.Fatalf("fork: %+v, %v; origin %+v", fev, err, ev)
	}
}

// reasonOf is the dead-letter reason of a decoding error ("" for none).
func reasonOf(err error) string {
	var de *DecodeError
	if errors.As(err, &de) {
		return de.Reason
	}
	if err != nil {
		return err.Error()
	}
	return ""
}
