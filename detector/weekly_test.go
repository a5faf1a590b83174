package detector

import (
	"testing"
	"time"

	"github.com/vigie/vigie/models"
)

func TestHourOfWeek(t *testing.T) {
	for _, c := range []struct {
		d    int // January 2024: the 8th is a Monday
		h    uint8
		want uint8
	}{{8, 2, 2}, {9, 0, 24}, {14, 23, 167}, {15, 0, 0}} {
		if got := hourOfWeek(models.DayIndex(2024, time.January, c.d), c.h); got != c.want {
			t.Errorf("hourOfWeek(2024-01-%02d %02d:00) = %d, want %d", c.d, c.h, got, c.want)
		}
	}
}

// A weekly full export first seen in the warm-up's second half is a
// habit the warm-up saw: its first armed occurrence, a week later, does
// not alert, nor do the next (altgen7's services' Saturday exports: 3-4
// false entity-days a seed). Without the rule the first armed Saturday
// alerted.
func TestWeeklyExportSeenInTheWarmUpRecurs(t *testing.T) {
	s := newStream(21)
	s.office(org, 30, 42, 150)
	partners(s, 4, 20)
	for d := range 42 {
		s.burst(day(d).Add(2*time.Hour), 4, 5*time.Second, "svc-sync", org, "service", 50)
		if day(d).Weekday() == time.Saturday {
			s.burst(day(d).Add(23*time.Hour), 200, 2*time.Second, "svc-sync", org, "service", 500)
		}
	}
	r := replay(t, DefaultConfig(), s.sorted(), "", 0)
	for _, a := range alertsFor(r, "svc-sync") {
		t.Errorf("%s %s %s", a.FiredAt.In(paris).Format("Mon 2 Jan 15:04"), a.Detector, a.Explanation)
	}
}

// A nightly job that failed is run again in the morning: its usual
// volume at 08:00, on a day that held nothing before, is its routine run
// late (altgen8's reruns: 9 false entity-days). The same pull at 08:00
// after the night's run did happen is not: it alerts.
func TestLateNightlyRunIsItsRoutine(t *testing.T) {
	s := newStream(22)
	s.office(org, 30, 42, 150)
	partners(s, 4, 20)
	const rerun, extra = 30, 35 // a Tuesday, a Monday
	for d := range 42 {
		at := day(d).Add(time.Hour)
		if d == rerun {
			at = day(d).Add(8 * time.Hour)
		}
		s.burst(at, 10, 20*time.Second, "svc-nightly", org, "service", 500)
		if d == extra {
			s.burst(day(d).Add(8*time.Hour), 10, 20*time.Second, "svc-nightly", org, "service", 500)
		}
	}
	r := replay(t, DefaultConfig(), s.sorted(), "", 0)
	var days []int
	for _, a := range alertsFor(r, "svc-nightly") {
		days = append(days, int(a.WindowStart.Sub(day(0)).Hours())/24)
	}
	if len(days) != 1 || days[0] != extra {
		t.Errorf("svc-nightly alerted on days %v, want only day %d (not the rerun of day %d)", days, extra, rerun)
	}
}
