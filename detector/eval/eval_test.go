package eval

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/ingest"
	"github.com/vigie/vigie/ingest/synth"
)

func at(t testing.TB, s string) time.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// fixture is a hand-built scenario: 100 accounts for 30 days (3,000
// account-days), a bulk extraction by u1 and u2 of cap-1, an org-wide
// attack on ag-7, a holiday and one return from vacation.
func fixture(t testing.TB) *synth.Labels {
	return &synth.Labels{
		TimeZone: synth.TimeZone, Start: at(t, "2024-04-22T00:00:00+02:00"), End: at(t, "2024-05-22T00:00:00+02:00"),
		Days: 30, AccountCount: 100,
		Attacks: []synth.Attack{
			{ID: "a1", Shape: synth.ShapeBulkExtraction, Accounts: []string{"u1", "u2"}, Org: "cap-1",
				Start: at(t, "2024-05-02T09:00:00+02:00"), End: at(t, "2024-05-04T18:00:00+02:00"), Records: 500000},
			{ID: "a2", Shape: synth.ShapeOrgWide, Accounts: []string{"o1", "o2", "o3"}, Org: "ag-7",
				Start: at(t, "2024-05-13T08:00:00+02:00"), End: at(t, "2024-05-13T18:00:00+02:00"), Records: 6000},
		},
		Benign: []synth.Benign{
			{ID: "b1", Kind: synth.BenignHoliday, Start: at(t, "2024-05-01T00:00:00+02:00"), End: at(t, "2024-05-02T00:00:00+02:00")},
			{ID: "b2", Kind: synth.BenignVacationReturn, Accounts: []string{"v1"},
				Start: at(t, "2024-05-06T00:00:00+02:00"), End: at(t, "2024-05-08T00:00:00+02:00")},
		},
	}
}

func alert(t testing.TB, typ, entity, firedAt string) detector.Alert {
	return detector.Alert{AlertID: entity + firedAt, EntityType: typ, Entity: entity, FiredAt: at(t, firedAt), Detector: "volume_day"}
}

func TestEvaluate(t *testing.T) {
	const acct, org = detector.EntityAccount, detector.EntityOrg
	tests := []struct {
		name      string
		alerts    func(t testing.TB) []detector.Alert
		detected  []string                 // attack ids detected
		delays    map[string]time.Duration // per detected attack
		falses    int                      // distinct entity-days
		raw       int                      // unexplained alerts
		benign    map[string]int           // kind -> alerted traps
		summaryIn string
	}{
		{
			name:      "no alerts: everything missed",
			alerts:    func(testing.TB) []detector.Alert { return nil },
			summaryIn: "0/2 attacks detected, median delay n/a, false alerts 0.00 per 1,000 account-days",
		},
		{
			name: "alert on a compromised account",
			alerts: func(t testing.TB) []detector.Alert {
				return []detector.Alert{alert(t, acct, "u2", "2024-05-02T09:30:00+02:00")}
			},
			detected:  []string{"a1"},
			delays:    map[string]time.Duration{"a1": 30 * time.Minute},
			summaryIn: "1/2 attacks detected, median delay 30m",
		},
		{
			name: "first of several alerts sets the delay",
			alerts: func(t testing.TB) []detector.Alert {
				return []detector.Alert{
					alert(t, acct, "u1", "2024-05-03T10:00:00+02:00"),
					alert(t, acct, "u2", "2024-05-02T11:00:00+02:00"),
				}
			},
			detected: []string{"a1"},
			delays:   map[string]time.Duration{"a1": 2 * time.Hour},
		},
		{
			name: "late but within grace",
			alerts: func(t testing.TB) []detector.Alert {
				return []detector.Alert{alert(t, acct, "u1", "2024-05-05T06:00:00+02:00")}
			},
			detected: []string{"a1"},
			delays:   map[string]time.Duration{"a1": 3*24*time.Hour - 3*time.Hour},
		},
		{
			name: "too late: missed and a false alert",
			alerts: func(t testing.TB) []detector.Alert {
				return []detector.Alert{alert(t, acct, "u1", "2024-05-05T19:00:00+02:00")}
			},
			falses: 1, raw: 1,
		},
		{
			name: "before the attack: missed and a false alert",
			alerts: func(t testing.TB) []detector.Alert {
				return []detector.Alert{alert(t, acct, "u1", "2024-05-02T08:59:59+02:00")}
			},
			falses: 1, raw: 1,
		},
		{
			name: "org alert matches the org-wide attack",
			alerts: func(t testing.TB) []detector.Alert {
				return []detector.Alert{alert(t, org, "ag-7", "2024-05-14T00:05:00+02:00")}
			},
			detected: []string{"a2"},
			delays:   map[string]time.Duration{"a2": 16*time.Hour + 5*time.Minute},
		},
		{
			name: "account-type alert named like the org does not match",
			alerts: func(t testing.TB) []detector.Alert {
				return []detector.Alert{alert(t, acct, "ag-7", "2024-05-13T12:00:00+02:00")}
			},
			falses: 1, raw: 1,
		},
		{
			name: "alert on another org is false",
			alerts: func(t testing.TB) []detector.Alert {
				return []detector.Alert{alert(t, org, "ag-8", "2024-05-13T12:00:00+02:00")}
			},
			falses: 1, raw: 1,
		},
		{
			name: "false alerts count distinct entity-days",
			alerts: func(t testing.TB) []detector.Alert {
				return []detector.Alert{
					alert(t, acct, "x1", "2024-04-24T10:00:00+02:00"),
					alert(t, acct, "x1", "2024-04-24T11:00:00+02:00"), // escalation, same day
					alert(t, acct, "x1", "2024-04-24T23:30:00+02:00"), // still the 24th in Paris
					alert(t, acct, "x1", "2024-04-25T00:30:00+02:00"), // next day
					alert(t, acct, "x2", "2024-04-24T10:00:00+02:00"),
					alert(t, org, "x1", "2024-04-24T10:00:00+02:00"), // org and account are distinct entities
				}
			},
			falses: 4, raw: 6,
			summaryIn: "false alerts 1.33 per 1,000 account-days (4 entity-days over 3000 account-days)",
		},
		{
			name: "benign traps that drew alerts",
			alerts: func(t testing.TB) []detector.Alert {
				return []detector.Alert{
					alert(t, acct, "x3", "2024-05-01T15:00:00+02:00"),  // holiday, anyone
					alert(t, org, "ag-9", "2024-05-02T01:00:00+02:00"), // holiday window closing, within benign grace
					alert(t, acct, "v1", "2024-05-06T10:00:00+02:00"),  // the returning advisor
					alert(t, acct, "x4", "2024-05-06T10:00:00+02:00"),  // same time, someone else
				}
			},
			falses: 4, raw: 4,
			benign: map[string]int{synth.BenignHoliday: 1, synth.BenignVacationReturn: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Evaluate(DefaultConfig(), fixture(t), tt.alerts(t), nil)
			var detected []string
			for _, a := range r.Attacks {
				if a.Detected {
					detected = append(detected, a.ID)
					if want, ok := tt.delays[a.ID]; ok && a.Delay != want {
						t.Errorf("%s delay = %v, want %v", a.ID, a.Delay, want)
					}
				}
				if a.RecordsBeforeAlert != -1 {
					t.Errorf("%s records before alert = %d without events, want -1", a.ID, a.RecordsBeforeAlert)
				}
			}
			if !slices.Equal(detected, tt.detected) || r.Detected != len(tt.detected) {
				t.Errorf("detected = %v (%d), want %v", detected, r.Detected, tt.detected)
			}
			if r.FalseAlertCount != tt.falses || r.FalseAlertRaw != tt.raw {
				t.Errorf("false alerts = %d pairs, %d raw; want %d, %d: %+v", r.FalseAlertCount, r.FalseAlertRaw, tt.falses, tt.raw, r.FalseAlerts)
			}
			if r.AccountDays != 3000 || r.AccountDaysSource != "labels" {
				t.Errorf("account-days = %d from %s, want 3000 from labels", r.AccountDays, r.AccountDaysSource)
			}
			for _, b := range r.Benign {
				if b.Alerted != tt.benign[b.Kind] {
					t.Errorf("benign %s alerted %d traps, want %d", b.Kind, b.Alerted, tt.benign[b.Kind])
				}
			}
			if !strings.Contains(r.Summary, tt.summaryIn) {
				t.Errorf("summary %q does not contain %q", r.Summary, tt.summaryIn)
			}
		})
	}
}

func TestEvaluateWithEvents(t *testing.T) {
	l := fixture(t)
	ms := func(s string) int64 { return at(t, s).UnixMilli() }
	events := []ingest.Event{
		{TS: ms("2024-04-22T09:00:00+02:00"), Account: "z1", Records: 5},
		{TS: ms("2024-05-02T08:00:00+02:00"), Account: "u1", Records: 7},   // before the attack
		{TS: ms("2024-05-02T09:00:00+02:00"), Account: "u1", Records: 100}, // at its start
		{TS: ms("2024-05-02T09:10:00+02:00"), Account: "u2", Records: 200},
		{TS: ms("2024-05-02T09:30:00+02:00"), Account: "u1", Records: 300}, // at the alert: taken
		{TS: ms("2024-05-02T09:31:00+02:00"), Account: "u1", Records: 400}, // after it
		{TS: ms("2024-05-13T09:00:00+02:00"), Account: "o1", Records: 10},  // missed attack: all counted
		{TS: ms("2024-05-13T17:00:00+02:00"), Account: "o3", Records: 20},
		{TS: ms("2024-05-13T19:00:00+02:00"), Account: "o3", Records: 40}, // after its end
		{TS: ms("2024-05-13T23:30:00+02:00"), Account: "x9", Records: 1},  // 21:30 UTC, still the 13th locally
	}
	seq := func(yield func(*ingest.Event) bool) {
		var e ingest.Event
		for _, ev := range events {
			e = ev
			if !yield(&e) {
				return
			}
		}
	}
	r := Evaluate(DefaultConfig(), l, []detector.Alert{alert(t, detector.EntityAccount, "u1", "2024-05-02T09:30:00+02:00")}, seq)
	if got := r.Attacks[0].RecordsBeforeAlert; got != 600 {
		t.Errorf("a1 records before alert = %d, want 600", got)
	}
	if got := r.Attacks[1].RecordsBeforeAlert; got != 30 {
		t.Errorf("a2 (missed) records = %d, want 30", got)
	}
	// Six accounts (z1 u1 u2 o1 o3 x9) seen on three local dates.
	if r.AccountDays != 6*3 || r.AccountDaysSource != "events" {
		t.Errorf("account-days = %d from %s, want 18 from events", r.AccountDays, r.AccountDaysSource)
	}
}

func TestReadAlerts(t *testing.T) {
	in := `{"alert_id":"a","entity_type":"account","entity":"u1","fired_at":"2024-05-02T07:30:00Z","detector":"volume_hour"}

{"entity_type":"account","entity":"u1","resolution":"hour","events":3}
{"incident_id":"i","version":2,"status":"open"}
{"alert_id":"b","entity_type":"org","entity":"cap-1","fired_at":"2024-05-02T08:00:00Z"}
`
	alerts, err := ReadAlerts(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(alerts) != 2 || alerts[0].Entity != "u1" || alerts[1].EntityType != "org" || !alerts[0].FiredAt.Equal(at(t, "2024-05-02T09:30:00+02:00")) {
		t.Fatalf("ReadAlerts = %+v", alerts)
	}
	if _, err := ReadAlerts(strings.NewReader("{\"alert_id\":\n")); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Fatalf("ReadAlerts(malformed) error = %v, want one naming line 1", err)
	}
}

func TestWriteTextAndJSON(t *testing.T) {
	r := Evaluate(DefaultConfig(), fixture(t), []detector.Alert{
		alert(t, detector.EntityAccount, "u2", "2024-05-02T09:03:00+02:00"),
		alert(t, detector.EntityAccount, "x3", "2024-05-01T15:00:00+02:00"),
	}, nil)
	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"a1", "bulk_extraction", "MISSED", "3m", "volume_day on account u2", "holiday", "x3",
		"1/2 attacks detected, median delay 3m, false alerts 0.33 per 1,000 account-days"} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
	data, err := json.Marshal(&r)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back["detected"] != 1.0 || back["false_alert_count"] != 1.0 || back["summary"] != r.Summary {
		t.Errorf("JSON result = %s", data)
	}
}

func TestFormatDelay(t *testing.T) {
	f := func(d time.Duration, want string) {
		t.Helper()
		if got := FormatDelay(d); got != want {
			t.Errorf("FormatDelay(%v) = %q, want %q", d, got, want)
		}
	}
	f(45*time.Second, "45s")
	f(3*time.Minute+20*time.Second, "3m")
	f(2*time.Hour+5*time.Minute, "2h05m")
	f(28*time.Hour, "1d04h")
}

func TestValidate(t *testing.T) {
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c.Grace = -time.Second
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "grace") {
		t.Fatalf("Validate(negative grace) = %v", err)
	}
}

// TestGeneratedScenario runs the generator's output through the real
// decoder: an alert at each attack's end must count every labelled record
// as taken, and the account-days must be the population times the days.
func TestGeneratedScenario(t *testing.T) {
	c := synth.DefaultConfig()
	c.Accounts, c.Orgs, c.BulkRecords = 300, 20, 20_000
	var buf bytes.Buffer
	l, err := synth.Generate(c, &buf)
	if err != nil {
		t.Fatal(err)
	}
	out := bytes.NewBuffer(bytes.Clone(buf.Bytes()))
	var alerts []detector.Alert
	for _, a := range l.Attacks {
		alerts = append(alerts, detector.Alert{AlertID: a.ID, EntityType: detector.EntityAccount, Entity: a.Accounts[0], FiredAt: a.End, Detector: "test"})
	}
	s, err := NewEventStream(&buf, ingest.DefaultFieldMap())
	if err != nil {
		t.Fatal(err)
	}
	r := Evaluate(DefaultConfig(), l, alerts, s.All())
	if s.Err() != nil || s.Skipped != 0 {
		t.Fatalf("event stream: err %v, %d lines skipped", s.Err(), s.Skipped)
	}
	if r.Detected != len(l.Attacks) || r.FalseAlertCount != 0 {
		t.Errorf("%s", r.Summary)
	}
	for _, a := range r.Attacks {
		if a.RecordsBeforeAlert < a.Records {
			t.Errorf("%s: %d records before the alert at its end, label says %d were taken", a.ID, a.RecordsBeforeAlert, a.Records)
		}
	}
	if want := int64(c.Accounts * c.Days); r.AccountDays != want {
		t.Errorf("account-days = %d, want %d", r.AccountDays, want)
	}

	// The same events as a JSON array, read through a FileReader as
	// replay reads them, give the same result.
	var arr bytes.Buffer
	arr.WriteString("[\n")
	for i, line := range bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n")) {
		if i > 0 {
			arr.WriteString(",\n")
		}
		arr.Write(line)
	}
	arr.WriteString("\n]\n")
	path := filepath.Join(t.TempDir(), "events.json")
	if err := os.WriteFile(path, arr.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	fr, err := ingest.NewFileReader([]string{path}, ingest.DefaultFieldMap(), ingest.DefaultFileConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer fr.Close()
	fs := NewFileEventStream(fr)
	r2 := Evaluate(DefaultConfig(), l, alerts, fs.All())
	if fs.Err() != nil || fs.Skipped != 0 || r2.AccountDays != r.AccountDays || r2.Summary != r.Summary {
		t.Errorf("from a JSON array file: %s, %d account-days (err %v, %d skipped); want %s, %d", r2.Summary, r2.AccountDays, fs.Err(), fs.Skipped, r.Summary, r.AccountDays)
	}

	// Gzipped on standard input, with a line that does not decode, they
	// give the same result too, the bad line counted.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(out.Bytes())
	zw.Write([]byte("{\"ts\": \"not a time\"}\n"))
	zw.Close()
	zs, err := NewEventStream(&gz, ingest.DefaultFieldMap())
	if err != nil {
		t.Fatal(err)
	}
	r3 := Evaluate(DefaultConfig(), l, alerts, zs.All())
	if zs.Err() != nil || zs.Skipped != 1 || r3.Summary != r.Summary {
		t.Errorf("gzipped stream: %s (err %v, %d skipped); want %s, 1 skipped", r3.Summary, zs.Err(), zs.Skipped, r.Summary)
	}
}

// Accounts and organisations match without case: Vigie reads a login
// that two systems spell in different cases as one, in lower case
// (ingest.FieldMap.AccountCase), while a generator's labels keep the
// spelling its log used most.
func TestLabelsMatchWithoutCase(t *testing.T) {
	l := fixture(t)
	l.Attacks[0].Accounts = []string{"U1", "U2"}
	l.Attacks[1].Org = "AG-7"
	l.Benign[1].Accounts = []string{"V1"}
	alerts := []detector.Alert{
		alert(t, detector.EntityAccount, "u2", "2024-05-02T09:30:00+02:00"),
		alert(t, detector.EntityOrg, "ag-7", "2024-05-13T12:00:00+02:00"),
		alert(t, detector.EntityAccount, "v1", "2024-05-06T10:00:00+02:00"),
	}
	events := []ingest.Event{{TS: at(t, "2024-05-02T09:10:00+02:00").UnixMilli(), Account: "u2", Records: 200}}
	seq := func(yield func(*ingest.Event) bool) {
		for i := range events {
			if !yield(&events[i]) {
				return
			}
		}
	}
	r := Evaluate(DefaultConfig(), l, alerts, seq)
	if r.Detected != 2 || r.Attacks[0].RecordsBeforeAlert != 200 {
		t.Errorf("%d of 2 attacks detected, %d records before the first alert; want 2, 200", r.Detected, r.Attacks[0].RecordsBeforeAlert)
	}
	if len(r.FalseAlerts) != 1 || !slices.Equal(r.FalseAlerts[0].Benign, []string{synth.BenignVacationReturn}) {
		t.Errorf("false alerts %+v, want v1's on its return from vacation", r.FalseAlerts)
	}
}
