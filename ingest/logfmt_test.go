package ingest

import (
	"errors"
	"testing"
	"time"
)

// Logfmt lines, as Go's log/slog text handler writes them, are read with
// the same field names: quoted values, escapes, bare keys, slog's dotted
// groups. A quoted value that does not end is a malformed_logfmt dead
// letter; a line that is neither JSON nor logfmt stays malformed_json.
func TestLogfmtLines(t *testing.T) {
	m := DefaultFieldMap()
	m.TS, m.Account, m.Org, m.Records = "time", "user.id", "org", "records"
	dec := NewJSONDecoder(m)
	for line, want := range map[string]Event{
		`time=2026-03-02T09:14:03.120+01:00 level=INFO msg=access user.id=jdupont org=ML75 records=12`:        {Account: "jdupont", Org: "ML75", Records: 12},
		`time="2026-03-02T09:14:03.120+01:00" msg="a \"quoted\" search" user.id="Jean Dupont" org=ML75 debug`: {Account: "Jean Dupont", Org: "ML75", Records: 1},
		`  time=2026-03-02T09:14:03.120+01:00 user.id="j\\dupont" org= records=0`:                             {Account: `j\dupont`, Records: 0},
	} {
		var ev Event
		if err := dec.Decode([]byte(line), &ev); err != nil {
			t.Errorf("Decode(%s): %v", line, err)
			continue
		}
		if ev.Account != want.Account || ev.Org != want.Org || ev.Records != want.Records || ev.TS != time.Date(2026, 3, 2, 8, 14, 3, 120e6, time.UTC).UnixMilli() {
			t.Errorf("Decode(%s) = account %q org %q records %d ts %d", line, ev.Account, ev.Org, ev.Records, ev.TS)
		}
	}
	for line, reason := range map[string]string{
		`time=2026-03-02T09:14:03Z user.id="jdupont`: ReasonMalformedLogfmt,
		`time=2026-03-02T09:14:03Z org=ML75`:         ReasonMissingAccount,
		`GET /api/v2/individus 200`:                  ReasonMalformedJSON,
		`=x user.id=a`:                               ReasonMalformedJSON,
	} {
		var de *DecodeError
		if err := dec.Decode([]byte(line), new(Event)); !errors.As(err, &de) || de.Reason != reason {
			t.Errorf("Decode(%s) = %v, want %s", line, err, reason)
		}
	}
	// The field sample reads logfmt keys, numbers as numbers.
	keys := sample(t, "app.log", "time=2026-03-02T09:14:03Z level=INFO user=jdupont structure=ML75 nb_resultats=12\n")
	m = DefaultFieldMap()
	m.Infer(keys)
	if m.TS != "time" || m.Account != "user" || m.Org != "structure" || m.Records != "nb_resultats" {
		t.Errorf("inferred ts %q account %q org %q records %q from a logfmt line", m.TS, m.Account, m.Org, m.Records)
	}
}
