package models

import (
	"math"
	"testing"
	"time"
)

// workday feeds b one active working day: records spread over hours 9-16,
// in n requests, as the detector does (hours close, then the day).
func workday(b *Baseline, c *Calendar, prm *Params, day int32, records, n float64) {
	b.CatchUp(day-1, c, prm, false)
	for h := 9; h < 17; h++ {
		b.LearnHour(DayWork, h, records/8)
		b.LearnHourCount(DayWork, n/8)
	}
	b.CatchUp(day, c, prm, true)
}

// nextWorkdays returns the next count working days from day on.
func nextWorkdays(c *Calendar, day int32, count int) []int32 {
	var out []int32
	for ; len(out) < count; day++ {
		if c.Type(day) != DayOff {
			out = append(out, day)
		}
	}
	return out
}

func TestOpenDayDoesNotRaiseItsOwnLevel(t *testing.T) {
	prm := DefaultParams()
	c := NewCalendar(time.UTC, false, nil)
	var p Peer
	var b Baseline
	days := nextWorkdays(c, DayIndex(2024, 3, 4), 11)
	for _, d := range days[:10] {
		workday(&b, c, &prm, d, 100, 20)
	}
	// The eleventh day is an extraction: its hours close one by one while
	// the day is still open.
	today := days[10]
	b.CatchUp(today-1, c, &prm, false)
	before, beforeN := b.Level(&p, &prm), b.ReqLevel(&p, &prm)
	for h := 9; h < 17; h++ {
		b.LearnHour(DayWork, h, 5000)
		b.LearnHourCount(DayWork, 500)
	}
	if got := b.Level(&p, &prm); math.Abs(got-before) > 1e-4*before {
		t.Fatalf("Level during the open day = %g, want %g (the open day must not count)", got, before)
	}
	if got := b.ReqLevel(&p, &prm); math.Abs(got-beforeN) > 1e-4*beforeN {
		t.Fatalf("ReqLevel during the open day = %g, want %g", got, beforeN)
	}
	b.CatchUp(today, c, &prm, true)
	if got := b.Level(&p, &prm); got <= 2*before {
		t.Fatalf("Level after the day closed = %g, want it to include the day (> %g)", got, 2*before)
	}
}

// peerAt is a group of 50 members at records and requests per day, so that
// shrinking towards it does not move a member at the same level.
func peerAt(records, requests float64) Peer {
	var p Peer
	p.G[DayWork][10] = records * 50
	p.GN[DayWork] = requests * 50
	p.Active[DayWork] = 50
	return p
}

func TestVacationKeepsTheActiveDayLevel(t *testing.T) {
	prm := DefaultParams()
	c := NewCalendar(time.UTC, false, nil)
	p := peerAt(300, 40)
	var b Baseline
	days := nextWorkdays(c, DayIndex(2024, 3, 4), 40)
	for _, d := range days[:20] {
		workday(&b, c, &prm, d, 300, 40)
	}
	before := b.ReqLevel(&p, &prm)
	// Two weeks away (days[20:30] without activity), back on days[30].
	b.CatchUp(days[30]-1, c, &prm, false)
	if got := b.ReqLevel(&p, &prm); math.Abs(got-before) > 0.01*before {
		t.Fatalf("requests per active day after a vacation = %g, want about %g", got, before)
	}
	if got := b.Level(&p, &prm); math.Abs(got-300) > 0.05*300 {
		t.Fatalf("records per active day after a vacation = %g, want about 300", got)
	}
}

func TestRequestLevelIgnoresExportSizes(t *testing.T) {
	prm := DefaultParams()
	c := NewCalendar(time.UTC, false, nil)
	p := peerAt(700, 40)
	var b Baseline
	// 40 requests a day; one day in four carries a 2,000-record export,
	// which triples the mean records per day but not the requests. The
	// group is at 700 records and 40 requests a day: records per day over
	// records per request would predict far more than 40 requests.
	for i, d := range nextWorkdays(c, DayIndex(2024, 3, 4), 24) {
		rec := 200.0
		if i%4 == 0 {
			rec += 2000
		}
		workday(&b, c, &prm, d, rec, 40)
		b.LearnRequests(40, rec, rec*rec/40, rec/8)
	}
	if got := b.ReqLevel(&p, &prm); math.Abs(got-40) > 0.1*40 {
		t.Fatalf("ReqLevel = %g, want about 40 requests a day", got)
	}
	nb := b.DayRequestsNB(DayWork, &p, &prm)
	if math.Abs(nb.Mu-40) > 0.1*40 {
		t.Fatalf("DayRequestsNB mean = %g, want about 40", nb.Mu)
	}
}

func TestCommonFactor(t *testing.T) {
	// A group of 50 members whose level is 100 records a day.
	p := peerAt(100, 10)
	const day = 100
	// Month-end: every member at 4x in the hours closed so far.
	for m := 0; m < 50; m++ {
		p.LearnCommon(day, 40, 10)
	}
	// The prior (three member-days at ratio 1) holds it below 4 while only
	// one hour has closed.
	if c := p.CommonFactor(day, 40, 10); c < 2.5 || c > 4 {
		t.Fatalf("everyone at 4x: common factor %g, want in [2.5, 4]", c)
	}
	if c := p.CommonFactor(day+1, 0, 0); c != 1 {
		t.Fatalf("another day: common factor %g, want 1", c)
	}

	// A quiet day but three members extracting 1,000x their expectation:
	// each counts at most cmCap times, and the rest stay at 1.
	var q Peer
	q.G, q.Active = p.G, p.Active
	for m := 0; m < 47; m++ {
		q.LearnCommon(day, 10, 10)
	}
	for m := 0; m < 3; m++ {
		if cy, _ := q.LearnCommon(day, 10_000, 10); cy != cmCap*10 {
			t.Fatalf("an extractor's hour counts %g, want capped at %g", cy, cmCap*10.0)
		}
	}
	if c := q.CommonFactor(day, 100, 10); c > 1.5 {
		t.Fatalf("three extractors: common factor %g, want near 1", c)
	}

	// A group of one: the member's own surge is left out, nothing remains.
	var one Peer
	one.G, one.Active = p.G, p.Active
	one.LearnCommon(day, 400, 10)
	if c := one.CommonFactor(day, 100, 10); c != 1 {
		t.Fatalf("alone at 40x: common factor %g, want 1 (leave-one-out)", c)
	}
}
