package detector

import (
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
