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
	p.LearnHour(DayWork, 10, records*50)
	p.OpenG = [NumDayTypes]float64{}
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
	// A group of 50 members whose level is 100 records and 10 requests a
	// day; each closed member-hour expects 10 records and 1 request.
	const day = 100
	// ordinary feeds five ordinary days (members between 0.5x and 2x) so
	// that the group knows its typical quantile.
	ordinary := func(p *Peer) {
		for d := int32(day - 5); d < day; d++ {
			for m := 0; m < 50; m++ {
				r := 0.5 + 1.5*float64(m)/49
				p.LearnCommon(d, 10*r, 10, r, 1)
			}
		}
	}
	t.Run("needs ordinary days first", func(t *testing.T) {
		p := peerAt(100, 10)
		for m := 0; m < 50; m++ {
			p.LearnCommon(day, 40, 10, 4, 1)
		}
		if rec, req := p.CommonFactor(day); rec != 1 || req != 1 {
			t.Fatalf("without history: %g, %g, want 1", rec, req)
		}
	})
	t.Run("an ordinary day does not move it", func(t *testing.T) {
		p := peerAt(100, 10)
		ordinary(&p)
		for m := 0; m < 50; m++ {
			r := 0.5 + 1.5*float64(m)/49
			p.LearnCommon(day, 10*r, 10, r, 1)
		}
		if rec, req := p.CommonFactor(day); rec > 1.1 || req > 1.1 {
			t.Fatalf("ordinary day: %g, %g, want 1", rec, req)
		}
	})
	t.Run("everyone at 4x moves it", func(t *testing.T) {
		p := peerAt(100, 10)
		ordinary(&p)
		for m := 0; m < 50; m++ {
			r := 4 * (0.5 + 1.5*float64(m)/49)
			p.LearnCommon(day, 10*r, 10, r, 1)
		}
		rec, req := p.CommonFactor(day)
		if rec < 3 || rec > 4.5 || req < 3 || req > 4.5 {
			t.Fatalf("common factors %g, %g, want about 4", rec, req)
		}
		if rec, req := p.CommonFactor(day + 1); rec != 1 || req != 1 {
			t.Fatalf("another day: %g, %g, want 1", rec, req)
		}
	})
	t.Run("a few extractors do not", func(t *testing.T) {
		p := peerAt(100, 10)
		ordinary(&p)
		for m := 0; m < 47; m++ {
			r := 0.5 + 1.5*float64(m)/46
			p.LearnCommon(day, 10*r, 10, r, 1)
		}
		for m := 0; m < 3; m++ {
			p.LearnCommon(day, 10_000, 10, 500, 1)
		}
		if rec, req := p.CommonFactor(day); rec > 1.15 || req > 1.15 {
			t.Fatalf("three extractors among 50: %g, %g, want about 1", rec, req)
		}
	})
	t.Run("a group of one cannot excuse itself", func(t *testing.T) {
		p := peerAt(100, 10)
		for d := int32(day - 5); d < day; d++ {
			for h := 0; h < 8; h++ {
				p.LearnCommon(d, 10, 10, 1, 1)
			}
		}
		for h := 0; h < 8; h++ { // a whole day at 40x
			p.LearnCommon(day, 400, 10, 40, 1)
		}
		if rec, req := p.CommonFactor(day); rec != 1 || req != 1 {
			t.Fatalf("one member at 40x: %g, %g, want 1", rec, req)
		}
	})
	t.Run("no level, no factor", func(t *testing.T) {
		var p Peer
		ordinary(&p)
		p.LearnCommon(day, 400, 10, 40, 1)
		if rec, _ := p.CommonFactor(day); rec != 1 {
			t.Fatalf("empty group: %g, want 1", rec)
		}
	})
}

func TestPeerOpenDayDoesNotRaiseItsLevel(t *testing.T) {
	c := NewCalendar(time.UTC, false, nil)
	prm := DefaultParams()
	var p Peer
	days := nextWorkdays(c, DayIndex(2024, 3, 4), 6)
	p.CatchUp(days[0]-1, c, &prm)
	for _, d := range days[:5] {
		p.CatchUp(d-1, c, &prm)
		for m := 0; m < 10; m++ {
			p.LearnHour(c.Type(d), 10, 100)
			p.LearnHourCount(c.Type(d), 10)
			p.LearnActiveDay(c.Type(d))
		}
	}
	p.CatchUp(days[5]-1, c, &prm)
	lvl, req, first := p.Level(), p.ReqLevel(), p.DayFactor(DayFirst)
	// The sixth day is under way: five members' hours have closed, at
	// ten times the usual volume, and two members' days.
	today := c.Type(days[5])
	for m := 0; m < 5; m++ {
		p.LearnHour(today, 10, 1000)
		p.LearnHourCount(today, 100)
	}
	p.LearnActiveDay(today)
	p.LearnActiveDay(today)
	if got := p.Level(); math.Abs(got-lvl) > 1e-9*lvl {
		t.Errorf("Level during the open day = %g, want %g", got, lvl)
	}
	if got := p.ReqLevel(); math.Abs(got-req) > 1e-9*req {
		t.Errorf("ReqLevel during the open day = %g, want %g", got, req)
	}
	if got := p.DayFactor(DayFirst); math.Abs(got-first) > 1e-9 {
		t.Errorf("DayFactor(first) during the open day = %g, want %g", got, first)
	}
	p.CatchUp(days[5], c, &prm)
	if got := p.Level(); got <= lvl {
		t.Errorf("Level once the day is counted = %g, want above %g", got, lvl)
	}
}

// A service pulling 20,000 records in pages of 500 at 01:00 every night,
// in a group whose other members pull at 04:00: after two weekends its
// own non-working-day profile must carry its 01:00 hour (about 40 pages a
// night are strong evidence), where ten days of prior weight kept the
// group's 04:00 until the fifth weekend. Its working days, whose days
// accrue five times faster, keep the day-count weight.
func TestDayOffShapeTrustsManyClumps(t *testing.T) {
	prm := DefaultParams()
	c := NewCalendar(time.UTC, false, nil)
	var p Peer
	for range 10 { // the group: pulls at 04:00 every day
		p.LearnHour(DayOff, 4, 20_000)
		p.LearnHour(DayWork, 4, 20_000)
	}
	p.CatchUp(DayIndex(2024, 3, 18), c, &prm)
	var b Baseline
	b.LearnRequests(400, 400*500, 400*500*500, 500) // pages of 500: φ = 500
	for d := DayIndex(2024, 3, 4); d < DayIndex(2024, 3, 18); d++ {
		b.CatchUp(d-1, c, &prm, false)
		b.LearnHour(c.Type(d), 1, 20_000)
		b.CatchUp(d, c, &prm, true)
	}
	off := b.Shape(DayOff, 1, &p, &prm)
	if off < 0.6 {
		t.Errorf("after two weekends the 01:00 share of a day off is %.2f, want ≥ 0.6", off)
	}
	w := float64(b.N[1]) / (float64(b.N[1]) + prm.KShape)
	if old := w + (1-w)*p.Shape(DayOff, 1); off <= old+0.1 {
		t.Errorf("day-off share %.2f is no better than the day-count weighting's %.2f", off, old)
	}
	work := b.Shape(DayWork, 1, &p, &prm)
	wn := float64(b.N[0]) / (float64(b.N[0]) + prm.KShape)
	if want := (1-24*prm.ShapeFloor)*(wn+(1-wn)*p.Shape(DayWork, 1)) + prm.ShapeFloor; math.Abs(work-want) > 0.02 {
		t.Errorf("working-day 01:00 share %.3f, want the day-count weighting's %.3f", work, want)
	}
}

// The session size is the entity's own E[y²]/E[y] of its active hours,
// shrunk towards its mean hour; an entity without hours has none (1).
func TestSessionPhi(t *testing.T) {
	prm := DefaultParams()
	var b Baseline
	if got := b.SessionPhi(&prm); got != 1 {
		t.Fatalf("no history: session size %.1f, want 1", got)
	}
	for range 5 {
		b.LearnSession(100)
	}
	if got := b.SessionPhi(&prm); math.Abs(got-100) > 1e-3 {
		t.Fatalf("equal hours: session size %.1f, want their size 100", got)
	}
	for range 200 {
		b.LearnSession(1000)
		b.LearnSession(9000)
	}
	// Own E[y²]/E[y] ≈ (1000² + 9000²)/10000 = 8200, shrunk by 10 hours of
	// the mean (4,990) towards it.
	if got := b.SessionPhi(&prm); got < 8000 || got > 8200 {
		t.Fatalf("long history: session size %.1f, want near 8,200", got)
	}
}

// The floor under an hour's share falls from 0.2% of a day towards 0.02%
// as the group's active member-days accumulate: 1/(24(A+1)).
func TestShapeFloorFallsWithGroupEvidence(t *testing.T) {
	prm := DefaultParams()
	for _, c := range []struct{ active, want float64 }{
		{0, 0.002}, {10, 0.002}, {100, 1.0 / (24 * 101)}, {1000, 0.0002},
	} {
		p := Peer{}
		p.Active[DayWork] = c.active
		if got := p.shapeFloor(DayWork, &prm); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%v member-days: floor %.6f, want %.6f", c.active, got, c.want)
		}
		if got := p.shapeFloor(DayOff, &prm); got != 0.002 {
			t.Errorf("no member-day off: floor %.6f, want 0.002", got)
		}
	}
}

// The largest session is extrapolated along a Pareto tail of index 2 while
// the history is shorter than fifty active hours: the largest of n draws
// grows as √n.
func TestSessionBound(t *testing.T) {
	var b Baseline
	for k := range 14 {
		b.LearnSession(float64(100 + 65*k)) // up to 945
	}
	b.LearnSession(1005)
	want := 1005 * math.Sqrt(50.0/15)
	if got := b.SessionBound(); math.Abs(got-want) > 1e-6 {
		t.Fatalf("15 sessions up to 1,005: bound %.1f, want %.1f", got, want)
	}
	for range 100 {
		b.LearnSession(200)
	}
	if got := b.SessionBound(); got != 1005 {
		t.Fatalf("115 sessions: bound %.1f, want the largest, 1,005", got)
	}
}

// A group's typical session is its members' median largest session, so a
// few services pulling 20,000 records do not make it theirs.
func TestTypicalSessionIsTheMedianMember(t *testing.T) {
	var p Peer
	if got := p.TypicalSession(); got != 1 {
		t.Fatalf("no members: %.1f, want 1", got)
	}
	for range 40 {
		p.LearnSessionSize(600) // advisors: bin 2^9
	}
	for range 10 {
		p.LearnSessionSize(20_000)
	}
	if got := p.TypicalSession(); got < 512 || got > 1024 {
		t.Fatalf("typical session %.0f, want the advisors' bin [512, 1024)", got)
	}
}

// A quarter-end export on a Monday by every member (25,000 records each,
// in one request) raises the group's records on first working days a
// hundredfold: three weeks later the records' factor of the other
// working days is still 0.17. The members' requests did not change: their
// working-day factor, from the group's requests, stays near 1, where
// borrowing the records' expected a sixth of an ordinary day's requests
// (and CUSUM summed the difference into alarms).
func TestRequestsKeepTheirWorkingDayFactor(t *testing.T) {
	c := NewCalendar(time.UTC, false, nil)
	prm := DefaultParams()
	var p Peer
	days := nextWorkdays(c, DayIndex(2024, 3, 4), 20) // from a Monday
	for k, d := range days {
		p.CatchUp(d-1, c, &prm)
		for range 20 {
			y := 200.0
			if k == 5 { // the second Monday
				y += 25000
			}
			p.LearnHour(c.Type(d), 10, y)
			p.LearnHourCount(c.Type(d), 25)
			p.LearnActiveDay(c.Type(d))
		}
	}
	p.CatchUp(days[len(days)-1], c, &prm)
	var b Baseline
	rec := b.DayFactor(DayWork, &p, &prm)
	req := b.ReqDayFactor(DayWork, rec, &p, &prm)
	t.Logf("working-day factor: records %.3f, requests %.3f", rec, req)
	if rec > 0.2 {
		t.Fatalf("records' working-day factor %.3f: the premise (the export depresses it) no longer holds", rec)
	}
	if req < 0.8 || req > 1.25 {
		t.Errorf("requests' working-day factor %.3f after a Monday of exports, want about 1", req)
	}
}

// A suspect 23:00 hour counts in its day's total when the day closes, but
// teaches its place in the profile only when an hour other than the next
// day's first opens (OpenHour): that first hour's jitter envelope reaches
// back to 23:00, while a nightly routine at 23:00 must have learned last
// night's run before tonight's is scored.
func TestCarriedLastHour(t *testing.T) {
	prm := DefaultParams()
	c := NewCalendar(time.UTC, false, nil)
	var b Baseline
	days := nextWorkdays(c, DayIndex(2024, 3, 4), 12)
	for _, d := range days[:10] {
		workday(&b, c, &prm, d, 100, 20)
	}
	today := days[10]
	b.CatchUp(today-1, c, &prm, false)
	plain := b // learns the hour at once
	b.LearnHourLater(DayWork, 23, 400)
	b.CatchUp(today, c, &prm, true)
	plain.LearnHour(DayWork, 23, 400)
	plain.CatchUp(today, c, &prm, true)
	p := peerAt(100, 20)
	if got, want := b.Level(&p, &prm), plain.Level(&p, &prm); b.H[0][23] != 0 || math.Abs(got-want) > 1e-4*want {
		t.Fatalf("after its day closed: 23:00 holds %g (want 0), level %.2f (want %.2f, the hour counted)", b.H[0][23], got, want)
	}
	b.CatchUp(days[11]-1, c, &prm, false)
	b.OpenHour(0)
	if b.H[0][23] != 0 {
		t.Fatalf("the next day's first hour opened: 23:00 holds %g, want 0", b.H[0][23])
	}
	b.LearnHour(DayWork, 0, 1) // that hour scored and closed
	if b.H[0][23] < 380 {      // 400, one day decayed
		t.Fatalf("after the next day's first hour: 23:00 holds %g, want the 400 learned", b.H[0][23])
	}
	b.LearnHourLater(DayWork, 23, 400)
	b.CatchUp(days[11], c, &prm, true)
	b.OpenHour(23) // tonight's run
	if b.H[0][23] < 760 {
		t.Fatalf("when the next night's 23:00 opened: 23:00 holds %g, want both nights' 400", b.H[0][23])
	}
}
