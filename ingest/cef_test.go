package ingest

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// cefLog is a SIEM's export: CEF behind a syslog header, the organisation
// and the count in labelled custom fields, a value with spaces and an
// escaped '='.
const cefLog = `<134>Mar  2 08:14:05 siem CEF:0|Acme|Partage|2.1|ACCESS|Consultation d'un dossier|3|rt=Mar 02 2027 08:14:03 suser=jdupont src=10.1.2.3 cs1Label=Organisation cs1=ML075 cn1Label=RecordCount cn1=12 request=/api/personnes?q\=a requestClientApplication=Mozilla/5.0 (Windows NT 10.0) act=search
<134>Mar  2 08:14:09 siem CEF:0|Acme|Partage|2.1|EXPORT|Export|5|rt=1772439249000 suser=svc-export src=10.9.9.9 cs1Label=Organisation cs1=CD13 cn1Label=RecordCount cn1=1000 act=export
`

// CEF and LEEF records are read with their keys (suser, src, rt, usrName,
// devTime), a custom field by its label (cs1Label=Organisation names cs1),
// CEF values running to the next key, LEEF's to its delimiter. A header
// that ends early is a malformed_cef dead letter. Before, every line was a
// malformed_json dead letter.
func TestCEFAndLEEF(t *testing.T) {
	m := DefaultFieldMap()
	m.Infer(sample(t, "siem.log", cefLog))
	want := FieldMap{TS: "rt", Account: "suser", Org: "Organisation", Role: "role", Action: "act", Resource: "request",
		SrcIP: "src", UserAgent: "requestClientApplication", Session: "session", Records: "RecordCount", Subject: "subject"}
	if m != want {
		t.Fatalf("inferred %+v\nwant      %+v", m, want)
	}
	m.Local = time.UTC
	dec := NewJSONDecoder(m)
	var got []string
	for l := range strings.Lines(cefLog) {
		var ev Event
		if err := dec.Decode([]byte(strings.TrimSuffix(l, "\n")), &ev); err != nil {
			t.Fatal(err)
		}
		got = append(got, time.UnixMilli(ev.TS).UTC().Format(time.TimeOnly)+" "+ev.Account+" "+ev.Org+" "+ev.Resource+" "+ev.UserAgent+" "+ev.Action)
	}
	if want := []string{"08:14:03 jdupont ML075 /api/personnes?q=a Mozilla/5.0 (Windows NT 10.0) search", "08:14:09 svc-export CD13   export"}; !slices.Equal(got, want) {
		t.Fatalf("got  %q\nwant %q", got, want)
	}

	m = DefaultFieldMap()
	m.TS, m.Account, m.Org, m.Records = "devTime", "usrName", "org", "records"
	m.Local = time.UTC
	dec = NewJSONDecoder(m)
	for line, want := range map[string]string{
		"LEEF:1.0|Acme|Partage|2.1|ACCESS|devTime=2027-03-02T08:14:03Z\tusrName=Jean Dupont\torg=ML075\trecords=7":         "Jean Dupont ML075 7",
		"LEEF:2.0|Acme|Partage|2.1|ACCESS|^|devTime=2027-03-02T08:14:03Z^usrName=jdupont^org=ML075^records=3":              "jdupont ML075 3",
		"LEEF:2.0|Acme|Partage|2.1|ACCESS|x5E|devTime=2027-03-02T08:14:03Z^usrName=jdupont^org=ML075":                      "jdupont ML075 1",
		"<13>1 2027-03-02T08:14:03Z gw app - - - CEF:0|Acme|Partage|2.1|ACCESS|x|3|devTime=2027-03-02T08:14:03Z usrName=a": "a  1",
	} {
		var ev Event
		if err := dec.Decode([]byte(line), &ev); err != nil {
			t.Errorf("%s: %v", line, err)
			continue
		}
		if got := ev.Account + " " + ev.Org + " " + strconv.FormatInt(int64(ev.Records), 10); got != want || ev.TS != time.Date(2027, 3, 2, 8, 14, 3, 0, time.UTC).UnixMilli() {
			t.Errorf("%s: %q at %d, want %q", line, got, ev.TS, want)
		}
	}
	for _, line := range []string{
		"CEF:0|Acme|Partage|2.1",
		"LEEF:1.0|Acme|Partage|2.1|ACCESS|devTime=2027-03-02T08:14:03Z\tjunk",
	} {
		if err := dec.Decode([]byte(line), new(Event)); reasonOf(err) != ReasonMalformedCEF {
			t.Errorf("%s: %v, want %s", line, err, ReasonMalformedCEF)
		}
	}
}
