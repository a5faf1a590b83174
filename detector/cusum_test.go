package detector

import (
	"math"
	"strconv"
	"testing"
)

// People's workload persists: a busy week follows a busy week. CUSUM
// sums day residuals as if they were independent N(0,1), and a population
// whose days are persistent raised alarms far more often than their score
// says; it sums them in the units of a white residual instead
// (models.ResidualScale). A leak at three times an account's volume, in
// the same population, is still caught.
func TestPersistentWorkloadIsNotALeak(t *testing.T) {
	const days, rho, sd = 70, 0.6, 0.3
	s := newStream(11)
	for o := range 4 {
		org := "org" + strconv.Itoa(o)
		for k := range 30 {
			acct := org + "-adv-" + strconv.Itoa(k)
			perDay := 150 * (0.5 + s.rng.Float64())
			x := sd * s.rng.NormFloat64()
			for d := range days {
				// log workload: AR(1) over calendar days, stationary sd 0.3
				x = rho*x + sd*math.Sqrt(1-rho*rho)*s.rng.NormFloat64()
				s.advisor(acct, org, d, 1, perDay*math.Exp(x), nil)
			}
		}
	}
	const leaker = "org3-leak"
	s.advisor(leaker, "org3", 0, 56, 150, nil)
	s.advisor(leaker, "org3", 56, 10, 450, nil)
	r := replay(t, DefaultConfig(), s.sorted(), leaker, day(56).UnixMilli())
	falseAlarms := countAlerts(r, func(a Alert) bool {
		return a.Detector == DetCusumDay && a.Entity != leaker
	})
	// 120 accounts over nine armed weeks at a budget of 0.05 a day split
	// across six families: well under one CUSUM alarm is nominal. Summed
	// as white N(0,1) residuals these days gave 22 alarms; in a white
	// residual's units, 3.
	if falseAlarms > 5 {
		for _, a := range r.out.Alerts {
			if a.Detector == DetCusumDay && a.Entity != leaker {
				t.Log(a.Explanation)
			}
		}
		t.Errorf("%d CUSUM alarms on persistent ordinary workloads, want at most 5", falseAlarms)
	}
	if r.recordsAtFirst < 0 {
		t.Errorf("the leak at 3x for ten days was not caught")
	}
}
