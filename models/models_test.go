package models

import (
	"math"
	"testing"
	"time"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

func TestNBTailMatchesPoisson(t *testing.T) {
	// With Phi=1 and no extra variance the NB tends to the Poisson: compare
	// P(Y >= k) with gonum's Poisson survival P(Y > k-1).
	for _, tc := range []struct {
		name string
		mu   float64
		k    float64
	}{
		{"small mean", 0.5, 3},
		{"moderate", 10, 20},
		{"far tail", 40, 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := NB{Mu: tc.mu, Phi: 1, C2: 0}
			got := d.Tail(tc.k)
			want := distuv.Poisson{Lambda: tc.mu}.Survival(tc.k - 1)
			if want < 1e-10 {
				// 1-CDF loses all precision this far out: use the
				// regularised gamma identity P(Y >= k) = P(k, mu).
				want = mathext.GammaIncReg(tc.k, tc.mu)
			}
			if math.Abs(math.Log(got/want)) > 1e-2 {
				t.Fatalf("Tail(%v) = %g, Poisson survival %g", tc.k, got, want)
			}
		})
	}
}

func TestNBMomentsAndHandValue(t *testing.T) {
	d := NB{Mu: 100, Phi: 5, C2: 0.25, NEff: 4}
	if got, want := d.Variance(), 5*100+0.25*1e4+1e4/4.0; got != want {
		t.Fatalf("Variance = %v, want %v", got, want)
	}
	// Check the fitted NB(r,p) in clump units reproduces mean and variance:
	// m = r(1-p)/p, v = r(1-p)/p².
	r, p := d.params()
	m := r * (1 - p) / p
	v := r * (1 - p) / (p * p)
	if math.Abs(m-20) > 1e-9 || math.Abs(v-d.Variance()/25) > 1e-6 {
		t.Fatalf("clump moments m=%v v=%v", m, v)
	}
	// Hand value: Phi=1, r=1 (geometric) has P(X>=k) = (1-p)^k. Mean 3 and
	// variance 12 give p = 1/4, r = 1: P(X>=2) = 9/16.
	g := NB{Mu: 3, Phi: 1, C2: 1}
	if got := g.Tail(2); math.Abs(got-9.0/16) > 1e-12 {
		t.Fatalf("geometric tail = %v, want 0.5625", got)
	}
	// Clumps: with Phi=10 the tail at 20 records is the tail at 2 clumps of
	// the same distribution rescaled.
	c := NB{Mu: 30, Phi: 10, C2: 1.0 / 3}
	r2, p2 := c.params()
	p0 := math.Pow(p2, r2)
	p1 := r2 * math.Pow(p2, r2) * (1 - p2)
	if got := c.Tail(20); math.Abs(got-(1-p0-p1)) > 1e-9 {
		t.Fatalf("clump tail = %v, want %v", got, 1-p0-p1)
	}
}

func TestNBScoreAndThreshold(t *testing.T) {
	d := NB{Mu: 40, Phi: 20, C2: 0.5, NEff: 10}
	if s := d.Score(0); s != 0 {
		t.Fatalf("Score(0) = %v", s)
	}
	prev := 0.0
	for y := 10.0; y < 5000; y *= 1.5 {
		s := d.Score(y)
		if s < prev {
			t.Fatalf("score not monotone at %v: %v < %v", y, s, prev)
		}
		prev = s
	}
	if s := (NB{Mu: 1, Phi: 1, C2: 0.05}).Score(1e6); s != MaxScore {
		t.Fatalf("underflow score = %v, want %v", s, MaxScore)
	}
	for _, target := range []float64{3, 6, 9, 15} {
		y := d.Threshold(target)
		if s := d.Score(y); s < target || d.Score(y*0.99-1) >= target {
			t.Fatalf("Threshold(%v) = %v with score %v", target, y, s)
		}
	}
}

func TestBudgetThreshold(t *testing.T) {
	if got := BudgetThreshold(1, 1e9); math.Abs(got-9) > 1e-12 {
		t.Fatalf("got %v, want 9", got)
	}
	// 1,600 accounts × 25 windows a day, one false alert a week.
	if got, want := BudgetThreshold(1.0/7, 40000), math.Log10(280000); math.Abs(got-want) > 1e-12 {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestCusum(t *testing.T) {
	var c Cusum
	for _, z := range []float64{0.2, -1, 0.4, 0.1} {
		c.Update(z, 0.5)
	}
	if c.S != 0 {
		t.Fatalf("normal data accumulated %v", c.S)
	}
	for i := 0; i < 4; i++ {
		c.Update(2.5, 0.5)
	}
	if c.S != 8 {
		t.Fatalf("S = %v, want 8", c.S)
	}
	// Siegmund: k=0.5, h=8 → ARL0 = (e^9.166 - 1 - 9.166)/0.5.
	want := math.Log10((math.Exp(9.166) - 10.166) / 0.5)
	if got := CusumScore(8, 0.5); math.Abs(got-want) > 1e-9 {
		t.Fatalf("CusumScore = %v, want %v", got, want)
	}
	// The level an alarm was excused at lasts while the excess does.
	c.Held = 5
	c.Update(0, 0.5)
	if c.Held != 5 {
		t.Fatalf("Held = %v while S = %v, want 5", c.Held, c.S)
	}
	for range 20 {
		c.Update(0, 0.5)
	}
	if c.S != 0 || c.Held != 0 {
		t.Fatalf("S = %v, Held = %v after the excess wore off, want 0, 0", c.S, c.Held)
	}
}

func TestCalendar(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	extra := []time.Time{time.Date(2024, 5, 10, 0, 0, 0, 0, time.UTC)} // "pont de l'Ascension"
	c := NewCalendar(paris, true, extra)
	for _, tc := range []struct {
		name string
		date [3]int
		want DayType
	}{
		{"Monday", [3]int{2024, 2, 12}, DayFirst},
		{"Tuesday", [3]int{2024, 2, 13}, DayWork},
		{"Saturday", [3]int{2024, 2, 17}, DayOff},
		{"14 July (Sunday)", [3]int{2024, 7, 14}, DayOff},
		{"Easter Monday", [3]int{2024, 4, 1}, DayOff},
		{"day after Easter Monday", [3]int{2024, 4, 2}, DayFirst},
		{"Ascension Thursday", [3]int{2024, 5, 9}, DayOff},
		{"extra bridge day", [3]int{2024, 5, 10}, DayOff},
		{"1 May (Wednesday)", [3]int{2024, 5, 1}, DayOff},
		{"2 May", [3]int{2024, 5, 2}, DayFirst},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.Type(DayIndex(tc.date[0], time.Month(tc.date[1]), tc.date[2])); got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
	k := NewClock(c)
	// 2024-03-31 is the spring DST change in Paris: 23 hours long.
	ts := time.Date(2024, 3, 31, 12, 30, 0, 0, paris).UnixMilli()
	s := k.At(ts)
	if s.Hour != 12 || s.DayEnd-s.DayStart != 23*3600000 || s.HourEnd-s.HourStart != 3600000 {
		t.Fatalf("slot %+v", s)
	}
	if s2 := k.At(ts + 60000); s2 != s {
		t.Fatalf("cached slot differs")
	}
}

func TestShapeJitterWidensOnlyNeighbours(t *testing.T) {
	prm := DefaultParams()
	var p Peer
	var b Baseline
	// An entity whose whole working day happens at 01:00.
	for d := 0; d < 20; d++ {
		b.LearnHour(DayWork, 1, 1000)
	}
	b.N[0] = 20
	for _, tc := range []struct {
		name   string
		h      int
		lo, hi float64
	}{
		{"the routine's hour", 1, 0.5, 1},
		{"next hour borrows its neighbour", 2, 0.5, 1},
		{"previous hour borrows its neighbour", 0, 0.5, 1},
		{"two hours away stays small", 4, 0, 0.1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if s := b.Shape(DayWork, tc.h, &p, &prm); s < tc.lo || s > tc.hi {
				t.Fatalf("Shape(hour %d) = %g, want in [%g, %g]", tc.h, s, tc.lo, tc.hi)
			}
		})
	}
	if c := b.CumShape(DayWork, 23, 1, &p, &prm); c != 1 {
		t.Fatalf("CumShape at the end of the day = %g, want capped at 1", c)
	}
}

func TestRequestC2DiscountsYoungLevelError(t *testing.T) {
	// Errors exactly as large as counting noise plus the parameter
	// uncertainty of a young level carry no rate variability: c² must fall
	// from the prior towards C2Min, not settle near 0.2.
	prm := DefaultParams()
	var p Peer
	var b Baseline
	b.N[0] = 5
	d := NB{Mu: 50, Phi: 1, NEff: 5}
	n := 50 * (1 + math.Sqrt(1.0/50+1.0/5))
	for range 60 {
		b.LearnDayRequests(d, n)
		p.LearnDayRequests(d, n)
	}
	if c := b.RequestC2(&p, &prm); c > 0.1 {
		t.Fatalf("RequestC2 = %g after 60 days of pure noise, want <= 0.1", c)
	}
	// Real excess variability is still learned.
	var b2 Baseline
	var p2 Peer
	b2.N[0] = 5
	for range 60 {
		b2.LearnDayRequests(d, 2*n)
		p2.LearnDayRequests(d, 2*n)
	}
	if c := b2.RequestC2(&p2, &prm); c < 0.5 {
		t.Fatalf("RequestC2 = %g for errors of +%.0f%%, want >= 0.5", c, 100*(2*n/50-1))
	}
}

func TestBinomialTailScore(t *testing.T) {
	for _, tc := range []struct {
		name string
		k, n int
		p    float64
		want float64 // tail probability
	}{
		{"all of one", 1, 1, 0.1, 0.1},
		{"two of two", 2, 2, 0.1, 0.01},
		{"at least one of three", 1, 3, 0.5, 0.875},
		{"none needed", 0, 5, 0.1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := BinomialTailScore(tc.k, tc.n, tc.p)
			if want := TailScore(tc.want); math.Abs(got-want) > 1e-9 {
				t.Fatalf("BinomialTailScore(%d, %d, %g) = %g, want %g", tc.k, tc.n, tc.p, got, want)
			}
		})
	}
}

// The lognormal companion has the NB's mean and variance, a hand-checked
// tail, a threshold that inverts its score, and the heavier tail far out.
func TestLogNormalScore(t *testing.T) {
	d := NB{Mu: 300, Phi: 1, C2: 0.13}
	// s² = ln(1 + 1/300 + 0.13), m = ln 300 − s²/2; at y = 4μ,
	// z = (ln 4 + s²/2)/s = 4.10, P(Z ≥ 4.10) = 2.1e-5.
	s2 := math.Log1p(1.0/300 + 0.13)
	z := (math.Log(4) + s2/2) / math.Sqrt(s2)
	want := -math.Log10(0.5 * math.Erfc(z/math.Sqrt2))
	if got := d.LogNormalScore(1200); math.Abs(got-want) > 1e-9 || math.Abs(got-4.68) > 0.01 {
		t.Fatalf("LogNormalScore(4μ) = %.4f, want %.4f (about 4.68)", got, want)
	}
	if nb := d.Score(1200); nb < 6.5 {
		t.Fatalf("the Gamma tail at 4μ scores %.2f: the test no longer shows the lognormal heavier", nb)
	}
	for _, sc := range []float64{1, 3, 5, 9, 40} {
		y := d.LogNormalThreshold(sc)
		if got := d.LogNormalScore(y); math.Abs(got-sc) > 0.01 {
			t.Errorf("LogNormalScore(LogNormalThreshold(%g)) = %.4f", sc, got)
		}
	}
	if d.LogNormalScore(0) != 0 || d.LogNormalThreshold(0) != 0 {
		t.Error("zero count or zero score must give 0")
	}
	if got := d.LogNormalScore(300 * 1e6); got != MaxScore && got < 90 {
		t.Errorf("a millionfold day scores %.1f", got)
	}
}

// An entity remembers its last ctxSlots contexts; the first is known on
// sight; learning an old one moves it to the front.
func TestContexts(t *testing.T) {
	var b Baseline
	if !b.KnownContext(7) {
		t.Fatal("the first context must be known on sight")
	}
	if b.KnownContext(8) {
		t.Fatal("a second context must be new")
	}
	for _, fp := range []uint32{8, 9, 10, 11} {
		b.LearnContext(fp)
	}
	if b.Ctx != [ctxSlots]uint32{11, 10, 9, 8} {
		t.Fatalf("contexts %v, want the four most recent first", b.Ctx)
	}
	b.LearnContext(9)
	if b.Ctx != [ctxSlots]uint32{9, 11, 10, 8} {
		t.Fatalf("contexts %v after relearning 9", b.Ctx)
	}
}

// The novelty evidence is large for an account that never changed context,
// nothing for one that changes every hour, and borrowed from the group for
// a young one.
func TestNoveltyScore(t *testing.T) {
	prm := DefaultParams()
	var quiet, mobile Peer
	for range 5000 {
		quiet.LearnNovelty(false)
		mobile.LearnNovelty(true)
	}
	var steady, roaming, young Baseline
	for range 200 {
		steady.LearnNovelty(false)
		roaming.LearnNovelty(true)
	}
	// q = (0.5 + 10·0.5/5001)/(200 + 1 + 10) ≈ 0.00237: 2.63 − 0.30.
	if got := steady.NoveltyScore(&quiet, &prm); math.Abs(got-2.32) > 0.01 {
		t.Errorf("steady account: %.3f, want 2.32", got)
	}
	if got := roaming.NoveltyScore(&mobile, &prm); got != 0 {
		t.Errorf("an account new every hour: %.3f, want 0", got)
	}
	if q, m := young.NoveltyScore(&quiet, &prm), young.NoveltyScore(&mobile, &prm); !(q > 0.9 && m == 0) {
		t.Errorf("young account: %.2f in a steady group, %.2f in a roaming one", q, m)
	}
}

func TestWeekendSlot(t *testing.T) {
	for _, c := range []struct {
		d    int
		want int
	}{{5, -1}, {6, 0}, {7, 1}, {8, -1}} { // Fri 5 .. Mon 8 January 2024
		if got := WeekendSlot(DayIndex(2024, time.January, c.d)); got != c.want {
			t.Errorf("WeekendSlot(2024-01-%02d) = %d, want %d", c.d, got, c.want)
		}
	}
	if got := WeekendSlot(DayIndex(1969, time.December, 27)); got != 0 {
		t.Errorf("WeekendSlot before the epoch (Sat 27 Dec 1969) = %d, want 0", got)
	}
}

// Working days are ranked from both ends of their month, holidays
// skipped: 1 April 2024 was Easter Monday.
func TestWorkdayOfMonth(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	c := NewCalendar(paris, true, nil)
	for _, tc := range []struct {
		d           int
		first, last int
	}{{1, 0, 0}, {2, 1, 21}, {3, 2, 20}, {6, 0, 0}, {29, 20, 2}, {30, 21, 1}} {
		f, l := c.WorkdayOfMonth(DayIndex(2024, time.April, tc.d))
		if f != tc.first || l != tc.last {
			t.Errorf("%d April 2024: working day %d from the start, %d from the end; want %d, %d", tc.d, f, l, tc.first, tc.last)
		}
	}
}
