package detector

import (
	"testing"
	"time"
)

// A nightly export that also runs at weekends and on holidays, by a
// service account without a role among 120 advisors: its group is theirs,
// whose days off are nearly silent, and whose records dwarf the export.
// Its own weekend in the warm-up must be enough to believe it (its days
// vary little), so the weekends and the holiday after stay quiet.
func TestSteadyServiceWeekendLearnedFast(t *testing.T) {
	s := newStream(3)
	s.holidays = map[int]bool{16: true}
	s.office(org, 120, 42, 150)
	for d := range 42 {
		at := day(d).Add(time.Hour + 10*time.Minute + time.Duration(s.rng.IntN(600))*time.Second)
		n := 5 + s.rng.IntN(2)
		for j := range n {
			s.add(at.Add(time.Duration(4*j)*time.Second), "svc-batch", org, "", 800)
		}
	}
	cfg := DefaultConfig()
	cfg.Holidays = []string{"2024-01-24"}
	r := replay(t, cfg, s.sorted(), "svc-batch", 0)
	for _, a := range alertsFor(r, "svc-batch") {
		t.Errorf("false alert: %s %.1f %s", a.Detector, a.Score, a.Explanation)
	}
}
