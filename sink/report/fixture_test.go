package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/sink"
)

var update = flag.Bool("update", false, "rewrite testdata/*.jsonl from the fixture generator")

// The fixture: three days of hourly and daily windows for two organisations
// (a local agency and a partner), with one compromised partner account
// extracting records at night, the partner organisation's own incident
// still open, and a small closed incident on an agency advisor. It stands in
// for replay outputs until a replay of ingest/synth data can produce the
// files; the dashboards test loads the same files into ClickHouse.
const (
	fixtureAttacker  = "svc.capemploi.03"
	fixturePartner   = "partner-cap-emploi"
	fixtureAgency    = "agence-lyon-03"
	fixtureIncident  = "inc-7d1c0e5a"
	fixtureOrgInc    = "inc-40b2f9c1"
	fixtureSmallInc  = "inc-95aa3e02"
	fixtureSmallUser = "adv.lyon.02"
)

var fixtureStart = time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)

// attackHours maps the hours since fixtureStart of the extraction to the
// records it took.
var attackHours = map[int]float64{50: 2500, 51: 6000, 52: 9000, 53: 12000, 54: 8000, 55: 3000}

func fixtureBatch() *sink.Batch {
	var b sink.Batch
	type account struct{ name, org, role string }
	var accounts []account
	for i := 1; i <= 6; i++ {
		accounts = append(accounts, account{fmt.Sprintf("adv.lyon.%02d", i), fixtureAgency, "advisor"})
	}
	for i := 1; i <= 5; i++ {
		accounts = append(accounts, account{fmt.Sprintf("svc.capemploi.%02d", i), fixturePartner, "partner"})
	}
	orgObs := map[string][]float64{}
	orgExp := map[string][]float64{}
	hours := 72
	for ai, a := range accounts {
		dayObs, dayExp := 0.0, 0.0
		for h := 0; h < hours; h++ {
			start := fixtureStart.Add(time.Duration(h) * time.Hour)
			exp := baseline(ai, start.Hour())
			obs := math.Round(exp * (1 + 0.35*math.Sin(float64(ai*131+h*17))))
			if a.name == fixtureAttacker {
				if v, ok := attackHours[h]; ok {
					obs = v
				}
			}
			if a.name == fixtureSmallUser && h == 38 {
				obs = math.Round(exp*2.2) + 40
			}
			thr := threshold(exp, 20)
			w := detector.Window{
				EntityType: detector.EntityAccount, Entity: a.name, Org: a.org,
				Resolution: "hour", WindowStart: start, WindowEnd: start.Add(time.Hour),
				Events: int64(math.Ceil(obs / 3)), Observed: obs, Expected: exp, Threshold: thr,
				Score: score(obs, exp), Alerted: obs > thr,
			}
			if a.org == fixturePartner {
				w.Distinct = uint64(obs)
			}
			b.Windows = append(b.Windows, w)
			if orgObs[a.org] == nil {
				orgObs[a.org] = make([]float64, hours)
				orgExp[a.org] = make([]float64, hours)
			}
			orgObs[a.org][h] += obs
			orgExp[a.org][h] += exp
			dayObs += obs
			dayExp += exp
			if h%24 == 23 {
				ds := start.Add(-23 * time.Hour)
				b.Windows = append(b.Windows, detector.Window{
					EntityType: detector.EntityAccount, Entity: a.name, Org: a.org,
					Resolution: "day", WindowStart: ds, WindowEnd: ds.Add(24 * time.Hour),
					Events: int64(math.Ceil(dayObs / 3)), Observed: dayObs, Expected: dayExp,
					Threshold: threshold(dayExp, 50), Score: score(dayObs, dayExp),
					Alerted: dayObs > threshold(dayExp, 50),
				})
				dayObs, dayExp = 0, 0
			}
		}
	}
	for _, org := range []string{fixtureAgency, fixturePartner} {
		for h := 0; h < hours; h++ {
			start := fixtureStart.Add(time.Duration(h) * time.Hour)
			obs, exp := orgObs[org][h], orgExp[org][h]
			b.Windows = append(b.Windows, detector.Window{
				EntityType: detector.EntityOrg, Entity: org, Org: org,
				Resolution: "hour", WindowStart: start, WindowEnd: start.Add(time.Hour),
				Events: int64(math.Ceil(obs / 3)), Observed: obs, Expected: exp,
				Threshold: threshold(exp, 60), Score: score(obs, exp), Alerted: obs > threshold(exp, 60),
			})
		}
	}

	// The compromised account: opened at medium, escalated twice, closed
	// after two quiet hours.
	var records, expected, peakRatio, peakScore float64
	var peakStart time.Time
	for h := 50; h <= 55; h++ {
		w := windowAt(&b, detector.EntityAccount, fixtureAttacker, h)
		records += w.Observed
		expected += w.Expected
		if r := w.Observed / w.Expected; r > peakRatio {
			peakRatio, peakScore, peakStart = r, w.Score, w.WindowStart
		}
	}
	inc := detector.Incident{
		IncidentID: fixtureIncident, EntityType: detector.EntityAccount, Entity: fixtureAttacker,
		Org: fixturePartner, Role: "partner", Detector: "volume_hour",
		OpenedAt: at(50, 41), Severity: detector.SeverityMedium,
	}
	for i, step := range []struct {
		hour, minute int
		kind, sev    string
	}{{50, 41, "open", detector.SeverityMedium}, {51, 22, "escalation", detector.SeverityHigh}, {52, 10, "escalation", detector.SeverityCritical}} {
		w := windowAt(&b, detector.EntityAccount, fixtureAttacker, step.hour)
		b.Alerts = append(b.Alerts, alertFor(w, fixtureIncident, step.kind, "volume_hour", step.sev, at(step.hour, step.minute), "partner"))
		inc.Version = uint64(i + 1)
		inc.Status = "open"
		inc.UpdatedAt = at(step.hour, step.minute)
		inc.Severity = step.sev
		inc.Alerts = i + 1
		inc.Records, inc.Expected = w.Observed, w.Expected
		inc.PeakRatio, inc.PeakScore, inc.PeakWindowStart = w.Observed/w.Expected, w.Score, w.WindowStart
		inc.Explanation = fmt.Sprintf("%s read %.0f records in the hour from %s, %.0f× the %.0f expected for a partner account at this hour",
			fixtureAttacker, w.Observed, w.WindowStart.Format("15:04"), w.Observed/w.Expected, w.Expected)
		b.Incidents = append(b.Incidents, inc)
	}
	inc.Version = 4
	inc.Status = "closed"
	inc.UpdatedAt, inc.ClosedAt = at(58, 0), at(58, 0)
	inc.Records, inc.Expected = records, expected
	inc.PeakRatio, inc.PeakScore, inc.PeakWindowStart = peakRatio, peakScore, peakStart
	inc.Explanation = fmt.Sprintf("%s read %.0f records between %s and %s against %.0f expected (peak %.0f× in the hour from %s)",
		fixtureAttacker, records, at(50, 0).Format("2006-01-02 15:04"), at(56, 0).Format("15:04"), expected, peakRatio, peakStart.Format("15:04"))
	b.Incidents = append(b.Incidents, inc)

	// The partner organisation as a whole, still open at the end.
	ow := windowAt(&b, detector.EntityOrg, fixturePartner, 51)
	b.Alerts = append(b.Alerts, alertFor(ow, fixtureOrgInc, "open", "volume_hour", detector.SeverityHigh, at(51, 30), ""))
	b.Incidents = append(b.Incidents, detector.Incident{
		IncidentID: fixtureOrgInc, Version: 1, Status: "open", EntityType: detector.EntityOrg,
		Entity: fixturePartner, Org: fixturePartner, Detector: "volume_hour",
		OpenedAt: at(51, 30), UpdatedAt: at(51, 30), Records: ow.Observed, Expected: ow.Expected,
		PeakScore: ow.Score, PeakRatio: ow.Observed / ow.Expected, PeakWindowStart: ow.WindowStart,
		Severity: detector.SeverityHigh, Alerts: 1,
		Explanation: fmt.Sprintf("%s read %.0f records in one hour against %.0f expected", fixturePartner, ow.Observed, ow.Expected),
	})

	// A small, closed incident on an agency advisor.
	sw := windowAt(&b, detector.EntityAccount, fixtureSmallUser, 38)
	b.Alerts = append(b.Alerts, alertFor(sw, fixtureSmallInc, "open", "volume_hour", detector.SeverityLow, at(38, 55), "advisor"))
	b.Incidents = append(b.Incidents, detector.Incident{
		IncidentID: fixtureSmallInc, Version: 2, Status: "closed", EntityType: detector.EntityAccount,
		Entity: fixtureSmallUser, Org: fixtureAgency, Role: "advisor", Detector: "volume_hour",
		OpenedAt: at(38, 55), UpdatedAt: at(41, 0), ClosedAt: at(41, 0),
		Records: sw.Observed, Expected: sw.Expected, PeakScore: sw.Score,
		PeakRatio: sw.Observed / sw.Expected, PeakWindowStart: sw.WindowStart,
		Severity: detector.SeverityLow, Alerts: 1,
		Explanation: fmt.Sprintf("%s read %.0f records in one hour against %.0f expected", fixtureSmallUser, sw.Observed, sw.Expected),
	})
	return &b
}

// baseline is the expected records of account i at an hour of day: office
// hours busy, nights nearly idle.
func baseline(i, hourOfDay int) float64 {
	level := 30 + float64(i%4)*8
	if hourOfDay >= 8 && hourOfDay < 18 {
		return level
	}
	return math.Round(level*0.05*10) / 10
}

func threshold(exp, floor float64) float64 {
	return math.Round((exp+4*math.Sqrt(exp)+floor)*10) / 10
}

// score is a rough Poisson-style surprise, enough for the fixture's purpose.
func score(obs, exp float64) float64 {
	if obs <= exp {
		return 0
	}
	return math.Round((obs*math.Log(obs/exp)-(obs-exp))/math.Ln10*100) / 100
}

func at(hour, minute int) time.Time {
	return fixtureStart.Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
}

func windowAt(b *sink.Batch, typ, entity string, hour int) detector.Window {
	start := fixtureStart.Add(time.Duration(hour) * time.Hour)
	for _, w := range b.Windows {
		if w.EntityType == typ && w.Entity == entity && w.Resolution == "hour" && w.WindowStart.Equal(start) {
			return w
		}
	}
	panic(fmt.Sprintf("BUG: no fixture window for %s %s at hour %d", typ, entity, hour))
}

func alertFor(w detector.Window, incident, kind, det, sev string, fired time.Time, role string) detector.Alert {
	h := fnv.New64a()
	fmt.Fprint(h, w.EntityType, w.Entity, det, incident, kind, w.WindowStart.Unix())
	return detector.Alert{
		AlertID: fmt.Sprintf("%016x", h.Sum64()), IncidentID: incident, Kind: kind, FiredAt: fired,
		EntityType: w.EntityType, Entity: w.Entity, Org: w.Org, Role: role, Detector: det,
		Resolution: w.Resolution, WindowStart: w.WindowStart, WindowEnd: w.WindowEnd,
		Observed: w.Observed, Expected: w.Expected, Threshold: w.Threshold, Score: w.Score,
		Severity: sev,
		Explanation: fmt.Sprintf("%.0f records in the %s from %s, %.0f× the %.0f expected (threshold %.0f, score %.1f)",
			w.Observed, w.Resolution, w.WindowStart.Format("2006-01-02 15:04"), w.Observed/w.Expected, w.Expected, w.Threshold, w.Score),
	}
}

func jsonLines[T any](tb testing.TB, vs []T) []byte {
	tb.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, v := range vs {
		if err := enc.Encode(v); err != nil {
			tb.Fatal(err)
		}
	}
	return buf.Bytes()
}

// TestFixtureFiles keeps testdata/*.jsonl equal to what the generator makes
// (run with -update after changing it) and checks ReadFiles reads them back.
func TestFixtureFiles(t *testing.T) {
	b := fixtureBatch()
	files := map[string][]byte{
		"alerts.jsonl":    jsonLines(t, b.Alerts),
		"windows.jsonl":   jsonLines(t, b.Windows),
		"incidents.jsonl": jsonLines(t, b.Incidents),
	}
	for name, want := range files {
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the generator's output: run go test ./sink/report -run TestFixtureFiles -update", path)
		}
	}
	read, err := ReadFiles("testdata/alerts.jsonl", "testdata/windows.jsonl", "testdata/incidents.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if len(read.Alerts) != len(b.Alerts) || len(read.Windows) != len(b.Windows) || len(read.Incidents) != len(b.Incidents) {
		t.Errorf("ReadFiles read %d alerts, %d windows, %d incidents; want %d, %d, %d",
			len(read.Alerts), len(read.Windows), len(read.Incidents), len(b.Alerts), len(b.Windows), len(b.Incidents))
	}
	if !read.Windows[5].WindowStart.Equal(b.Windows[5].WindowStart) || read.Windows[5].Observed != b.Windows[5].Observed {
		t.Errorf("window 5 read back as %+v, want %+v", read.Windows[5], b.Windows[5])
	}
}
