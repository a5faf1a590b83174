package detector

import "testing"

// A log whose days vary more wildly than the model's tails allow (a
// lognormal of sd 1, where people's days vary by about a third) makes
// many more days near the threshold than the budget allows: the day
// family's threshold learns the excess and rises, and its false alerts
// fall (28 without the shift, 18 with it). Days the model fits learn no
// shift.
func TestHeavyTailRaisesItsThreshold(t *testing.T) {
	run := func(sd float64) (*Detector, int) {
		s := newStream(17)
		lognormalDays(s, 200, 63, 200, sd, -sd*sd/2)
		d, err := New(DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		evs := s.sorted()
		alerts := 0
		var o Output
		for k := range evs {
			d.Observe(&evs[k])
			d.Take(&o)
			for _, a := range o.Alerts {
				if a.Detector == DetVolumeDay {
					alerts++
				}
			}
		}
		return d, alerts
	}
	fit, _ := run(0.2)
	if sh := fit.thr[famDay] - fit.base[famDay]; sh > 0.15 {
		t.Errorf("days the model fits: day threshold shifted by %.2f, want about 0", sh)
	}
	heavy, alerts := run(1.0)
	sh := heavy.thr[famDay] - heavy.base[famDay]
	if sh < 0.3 {
		t.Errorf("days varying by a lognormal of sd 1: day threshold shifted by %.2f, want at least 0.3", sh)
	}
	t.Logf("heavy days: day threshold %.2f + %.2f, %d day alerts", heavy.base[famDay], sh, alerts)
}
