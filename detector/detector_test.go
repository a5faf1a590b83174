package detector

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

func TestBaselineQuiet(t *testing.T) {
	s := newStream(1)
	s.office("capemploi-075", 30, 42, 150)
	r := replay(t, DefaultConfig(), s.sorted(), "", 0)
	for _, a := range r.out.Alerts {
		t.Errorf("false alert: %s %s %.1f %s", a.Detector, a.Entity, a.Score, a.Explanation)
	}
	t.Logf("events %d windows %d threshold %.2f", r.stats.Events, r.stats.Windows, r.stats.Threshold)
}

func TestBulkExtractionFiresEarly(t *testing.T) {
	s := newStream(2)
	s.office("capemploi-075", 30, 35, 150)
	// adv-3 pulls 200 records every 5 s from 02:00 on day 30 (a Tuesday).
	at := start.AddDate(0, 0, 29).Add(2 * time.Hour)
	for k := 0; k < 500; k++ {
		s.add(at.Add(time.Duration(k)*5*time.Second), "capemploi-075-adv-3", "capemploi-075", "advisor", 200)
	}
	r := replay(t, DefaultConfig(), s.sorted(), "capemploi-075-adv-3", at.UnixMilli())
	if r.recordsAtFirst < 0 || r.recordsAtFirst > 2000 {
		t.Fatalf("first alert after %v records, want <= 2000", r.recordsAtFirst)
	}
	as := alertsFor(r, "capemploi-075-adv-3")
	t.Logf("first alert after %v records: %s", r.recordsAtFirst, as[0].Explanation)
	for _, a := range r.out.Alerts {
		if a.Entity != "capemploi-075-adv-3" && a.Entity != "capemploi-075" {
			t.Errorf("false alert: %s", a.Explanation)
		}
	}
}

// TestFamilyThresholds checks that each test family gets its own Bonferroni
// threshold from its own number of tests a day: with 1,000 active entities
// of which 80 organisations and a budget of 0.05/day split over the
// families, the hour family (24,000 tests) sits near 6.5, the organisation
// share (two kinds for each of 80 organisations: 160 tests) near 4.3, and
// an explicit MinScore still floors them all.
func TestFamilyThresholds(t *testing.T) {
	d, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	d.thresholdFor(1000, 80)
	near := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 0.01 {
			t.Errorf("%s threshold = %.3f, want %.3f", name, got, want)
		}
	}
	share := 0.05 / numFamilies
	near("hour", d.thr[famHour], math.Log10(24000/share))
	near("day", d.thr[famDay], math.Log10(1000/share))
	near("cusum", d.thr[famCusum], math.Log10(1000/share)+familyCalibration[famCusum])
	near("org share", d.thr[famOrgShare], math.Log10(numShares*80/share))
	near("request", d.thr[famRequest], math.Log10(920/share)+familyCalibration[famRequest])
	near("distinct", d.thr[famDistinct], math.Log10(920/share))
	near("early hour margin", d.earlyMargin(1), math.Log10(1+math.Log2(10)))
	cfg := DefaultConfig()
	cfg.MinScore = 6
	d, _ = New(cfg)
	d.thresholdFor(1000, 80)
	near("floored org share", d.thr[famOrgShare], 6)
}

// TestQuietDayKeepsThresholds checks that a Sunday with few active accounts
// does not lower Monday's thresholds: the number of tests a day is the
// decayed maximum of the active entities, not yesterday's count.
func TestQuietDayKeepsThresholds(t *testing.T) {
	d, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	d.activeToday, d.activeOrgs = 1000, 80
	d.newDay(2)
	friday := d.thr
	d.activeToday, d.activeOrgs = 20, 2
	d.newDay(3)
	if d.thr[famDay] < friday[famDay]-0.05 || d.thr[famOrgShare] < friday[famOrgShare]-0.05 {
		t.Fatalf("after a quiet day thresholds fell from %v to %v", friday, d.thr)
	}
}

// An alert whose threshold no count reaches (+Inf) must still encode as
// JSON: one unencodable alert would stall every sink behind it.
func TestAlertValuesAreFinite(t *testing.T) {
	d, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	i := d.add(kindAccount, "acct", "org", "role")
	d.alert(finding{i: i, det: DetVolumeHour, res: "hour", end: 3_600_000, obs: 10, thr: math.Inf(1), score: math.NaN()}, 1_000)
	var o Output
	d.Take(&o)
	if len(o.Alerts) != 1 {
		t.Fatalf("%d alerts, want 1", len(o.Alerts))
	}
	if _, err := json.Marshal(o.Alerts[0]); err != nil {
		t.Fatalf("alert does not encode: %v", err)
	}
	if o.Alerts[0].Threshold != math.MaxFloat64 {
		t.Errorf("threshold = %v, want MaxFloat64 for +Inf", o.Alerts[0].Threshold)
	}
}

// A volume alert that the number of requests raised, not the records,
// says so: an account that usually makes ten 30-record requests a day and
// then makes three hundred single-record views has not "accessed 1x the
// records expected at one chance in a billion".
func TestExplanationNamesRequestsWhenTheyScore(t *testing.T) {
	s := newStream(4)
	s.office(org, 30, 35, 150)
	for d := range 35 {
		if wd := day(d).Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		for k := range 10 {
			s.add(day(d).Add(9*time.Hour+time.Duration(45*k)*time.Minute), "lister", org, "advisor", 30)
		}
	}
	at := day(31).Add(10 * time.Hour) // a Thursday
	for k := range 300 {
		s.add(at.Add(time.Duration(10*k)*time.Second), "lister", org, "advisor", 1)
	}
	r := replay(t, DefaultConfig(), s.sorted(), "", 0)
	as := alertsFor(r, "lister")
	if len(as) == 0 {
		t.Fatal("no alert on 30 times the usual requests")
	}
	for _, a := range as {
		if !strings.Contains(a.Explanation, " requests ") {
			t.Errorf("%s alert does not name the requests: %s", a.Detector, a.Explanation)
		}
	}
	t.Log(as[0].Explanation)
}

// One request far beyond any the account made before alerts as
// request_size, decided when its hour closes (so that a common cause of
// the same hour can excuse it: TestQuarterEndExportsAreACommonCause).
func TestRequestSizeFiresOnASingleExport(t *testing.T) {
	s := newStream(6)
	s.office(org, 30, 35, 150)
	at := day(31).Add(10*time.Hour + 7*time.Minute)
	s.add(at, org+"-adv-4", org, "advisor", 20_000)
	r := replay(t, DefaultConfig(), s.sorted(), "", 0)
	var got []Alert
	for _, a := range alertsFor(r, org+"-adv-4") {
		if a.Detector == DetRequest {
			got = append(got, a)
		}
	}
	if len(got) != 1 {
		t.Fatalf("%d request_size alerts on a 20,000-record request, want 1: %v", len(got), dets(alertsFor(r, org+"-adv-4")))
	}
	a := got[0]
	if a.Observed != 20_000 || !strings.Contains(a.Explanation, "single request between 10:00 and 11:00") {
		t.Errorf("alert reports %v records: %s", a.Observed, a.Explanation)
	}
	if end := day(31).Add(11 * time.Hour); a.FiredAt.Before(at) || a.FiredAt.After(end.Add(DefaultConfig().Lateness)) {
		t.Errorf("fired at %v, want by the end of its hour (%v) plus the allowed lateness", a.FiredAt, end)
	}
}

// An alerting account's records and requests leave its organisation's
// windows: the organisation does not alert a second time on them.
func TestAlertedAccountLeavesItsOrganisation(t *testing.T) {
	s := newStream(8)
	s.office("dsi", 4, 35, 150)
	at := day(31).Add(10 * time.Hour)
	for k := range 600 {
		s.add(at.Add(time.Duration(5*k)*time.Second), "dsi-adv-2", "dsi", "advisor", 1)
	}
	r := replay(t, DefaultConfig(), s.sorted(), "", 0)
	if len(alertsFor(r, "dsi-adv-2")) == 0 {
		t.Fatal("600 single views in 50 minutes did not alert")
	}
	for _, a := range alertsFor(r, "dsi") {
		if a.Detector == DetVolumeHour || a.Detector == DetVolumeDay {
			t.Errorf("the organisation alerted on its alerted account's pull: %s", a.Explanation)
		}
	}
}
