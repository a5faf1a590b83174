package models

import (
	"bufio"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

// regIncBetaScore is NB.Score as it was: the score of RegIncBeta's tail.
func regIncBetaScore(d NB, y float64) float64 {
	if y <= 0 {
		return 0
	}
	r, p := d.params()
	return TailScore(mathext.RegIncBeta(y/math.Max(d.Phi, 1), r, 1-p))
}

// bisectThreshold is NB.Threshold as it was before the secant search: a
// doubling search from max(Mu, 1) then bisection on the RegIncBeta score,
// to 0.1% or half a record. It is the reference the faster search must
// agree with.
func bisectThreshold(d NB, score float64) (y float64, evals int) {
	if score <= 0 {
		return 0, 0
	}
	sc := func(y float64) float64 { evals++; return regIncBetaScore(d, y) }
	lo, hi := 0.0, math.Max(d.Mu, 1)
	for sc(hi) < score {
		lo = hi
		hi *= 2
		if hi > 1e15 {
			return math.Inf(1), evals
		}
	}
	for i := 0; i < 200 && hi-lo > math.Max(0.5, 1e-3*hi); i++ {
		mid := (lo + hi) / 2
		if sc(mid) >= score {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi, evals
}

type thresholdCase struct {
	d     NB
	score float64
}

// replayThresholdCalls reads testdata/threshold_calls.txt: the parameters
// of Threshold calls made by a replay of the default generated month.
func replayThresholdCalls(tb testing.TB) []thresholdCase {
	tb.Helper()
	f, err := os.Open("testdata/threshold_calls.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var cs []thresholdCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		var v [5]float64
		fs := strings.Fields(line)
		if len(fs) != len(v) {
			tb.Fatalf("bad line %q", line)
		}
		for i, s := range fs {
			if v[i], err = strconv.ParseFloat(s, 64); err != nil {
				tb.Fatalf("bad line %q: %v", line, err)
			}
		}
		cs = append(cs, thresholdCase{NB{Mu: v[0], Phi: v[1], C2: v[2], NEff: v[3]}, v[4]})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return cs
}

// gridThresholdCases spans the parameter space: Mu 1e-3..1e7, Phi 1..1e4,
// C2 0.05..4, NEff 0 (none) and 1..1000, score 0.5..20.
func gridThresholdCases() []thresholdCase {
	var cs []thresholdCase
	for _, mu := range []float64{1e-3, 0.01, 0.1, 0.5, 1, 3, 10, 30, 100, 1e3, 1e4, 1e5, 1e6, 1e7} {
		for _, phi := range []float64{1, 3, 10, 100, 1e3, 1e4} {
			for _, c2 := range []float64{0.05, 0.2, 1, 4} {
				for _, neff := range []float64{0, 1, 10, 100, 1000} {
					for _, s := range []float64{0.5, 1, 2, 3, 5, 7, 9, 12, 15, 20} {
						cs = append(cs, thresholdCase{NB{Mu: mu, Phi: phi, C2: c2, NEff: neff}, s})
					}
				}
			}
		}
	}
	return cs
}

// randomThresholdCases draws n cases log-uniformly over the same ranges.
func randomThresholdCases(n int) []thresholdCase {
	rng := rand.New(rand.NewPCG(1, 2))
	logU := func(lo, hi float64) float64 {
		return lo * math.Pow(hi/lo, rng.Float64())
	}
	cs := make([]thresholdCase, n)
	for i := range cs {
		d := NB{Mu: logU(1e-3, 1e7), Phi: logU(1, 1e4), C2: logU(0.05, 4)}
		if rng.IntN(5) > 0 {
			d.NEff = logU(1, 1000)
		}
		cs[i] = thresholdCase{d, 0.5 + 19.5*rng.Float64()}
	}
	return cs
}

// checkThreshold asserts the contract of Threshold on one case and its
// agreement with the bisection it replaced; it returns the evaluations.
func checkThreshold(t *testing.T, c thresholdCase) int {
	t.Helper()
	got, evals := c.d.threshold(c.score)
	if got != c.d.Threshold(c.score) {
		t.Fatalf("%+v: Threshold and threshold differ", c)
	}
	want, _ := bisectThreshold(c.d, c.score)
	switch {
	case math.IsInf(got, 1) || math.IsInf(want, 1):
		// Both give up near thresholdMax; the bisection as early as half
		// of it (its doubling steps from Mu overshoot 1e15).
		if fin := math.Min(got, want); !math.IsInf(fin, 1) && fin < thresholdMax/2 {
			t.Fatalf("%+v score %v: Threshold = %v, bisection = %v", c.d, c.score, got, want)
		}
		return evals
	case !(got > 0):
		t.Fatalf("%+v score %v: Threshold = %v", c.d, c.score, got)
	}
	// Both answers lie within their tolerance above the exact threshold.
	if tol := math.Max(thresholdTol(got), thresholdTol(want)); math.Abs(got-want) > tol {
		t.Fatalf("%+v score %v: Threshold = %v, bisection = %v (tolerance %v)", c.d, c.score, got, want, tol)
	}
	if s := c.d.Score(got); s < c.score {
		t.Fatalf("%+v: Score(Threshold(%v) = %v) = %v", c.d, c.score, got, s)
	}
	if s := regIncBetaScore(c.d, got); s < c.score-1e-10 {
		t.Fatalf("%+v: RegIncBeta score of Threshold(%v) = %v is %v", c.d, c.score, got, s)
	}
	if below := got - thresholdTol(got); below > 0 {
		if s := c.d.Score(below); s >= c.score {
			t.Fatalf("%+v: Threshold(%v) = %v is not the smallest: Score(%v) = %v", c.d, c.score, got, below, s)
		}
	}
	return evals
}

func TestThresholdMatchesBisection(t *testing.T) {
	sets := []struct {
		name  string
		cases []thresholdCase
	}{
		{"replay", replayThresholdCalls(t)},
		{"grid", gridThresholdCases()},
		{"random", randomThresholdCases(20000)},
		{"edges", []thresholdCase{
			{NB{Mu: 0, Phi: 1, C2: 0.05}, 7},
			{NB{Mu: 0, Phi: 760, C2: 0.8, NEff: 4e-12}, 2}, // no baseline yet
			{NB{Mu: 1e-9, Phi: 1e4, C2: 4, NEff: 1e-6}, 9},
			{NB{Mu: 5, Phi: 0, C2: 0}, 3},      // Phi < 1 acts as 1, C2 0 as Poisson
			{NB{Mu: 5, Phi: 0.5, C2: 1e-9}, 3}, //
			{NB{Mu: 1e7, Phi: 1, C2: 0, NEff: 0}, 20},
			{NB{Mu: 1e9, Phi: 1e4, C2: 4, NEff: 1}, 20},
			{NB{Mu: 1e12, Phi: 1e4, C2: 4}, 9}, // beyond thresholdMax
			{NB{Mu: 40, Phi: 20, C2: 0.5, NEff: 10}, 1e-3},
			{NB{Mu: 40, Phi: 20, C2: 0.5, NEff: 10}, 0.2},
			{NB{Mu: 40, Phi: 20, C2: 0.5, NEff: 10}, 50},
			{NB{Mu: 40, Phi: 20, C2: 0.5, NEff: 10}, MaxScore},
			{NB{Mu: 1, Phi: 1, C2: 0.05}, MaxScore}, // the tail underflows first
		}},
	}
	for _, set := range sets {
		t.Run(set.name, func(t *testing.T) {
			for _, c := range set.cases {
				checkThreshold(t, c)
			}
		})
	}
}

func TestThresholdSpecialScores(t *testing.T) {
	d := NB{Mu: 40, Phi: 20, C2: 0.5, NEff: 10}
	for _, s := range []float64{0, -1, math.Inf(-1)} {
		if y := d.Threshold(s); y != 0 {
			t.Errorf("Threshold(%v) = %v, want 0", s, y)
		}
	}
	for _, s := range []float64{MaxScore + 0.5, math.Inf(1)} {
		if y := d.Threshold(s); !math.IsInf(y, 1) {
			t.Errorf("Threshold(%v) = %v, want +Inf (Score never exceeds %v)", s, y, MaxScore)
		}
	}
}

// TestThresholdEvaluations pins the point of the secant search: on the
// calls a replay makes, about two Score evaluations per Threshold.
func TestThresholdEvaluations(t *testing.T) {
	cs := replayThresholdCalls(t)
	total, worst, old := 0, 0, 0
	for _, c := range cs {
		_, n := c.d.threshold(c.score)
		total += n
		worst = max(worst, n)
		_, m := bisectThreshold(c.d, c.score)
		old += m
	}
	mean := float64(total) / float64(len(cs))
	t.Logf("%d calls: %.2f evaluations on average (bisection %.2f), at most %d", len(cs), mean, float64(old)/float64(len(cs)), worst)
	if mean > 2.5 || worst > 20 {
		t.Errorf("%.2f evaluations per Threshold on average, at most %d; want <= 2.5 and <= 20", mean, worst)
	}
}

// BenchmarkNBThreshold compares the secant search with the bisection it
// replaced on the calls of a replay and on the parameter grid.
func BenchmarkNBThreshold(b *testing.B) {
	sets := []struct {
		name  string
		cases []thresholdCase
	}{
		{"replay", replayThresholdCalls(b)},
		{"grid", gridThresholdCases()},
	}
	for _, set := range sets {
		for _, impl := range []struct {
			name string
			f    func(NB, float64) (float64, int)
		}{
			{"bisection", bisectThreshold},
			{"secant", NB.threshold},
		} {
			b.Run(set.name+"/impl="+impl.name, func(b *testing.B) {
				b.ReportAllocs()
				i, evals := 0, 0
				for b.Loop() {
					c := set.cases[i]
					_, n := impl.f(c.d, c.score)
					evals += n
					if i++; i == len(set.cases) {
						i = 0
					}
				}
				b.ReportMetric(float64(evals)/float64(b.N), "evals/op")
			})
		}
	}
}

// TestTailMatchesRegIncBeta checks Tail and Score, which sum RegIncBeta's
// power series in log space themselves when it applies, against
// RegIncBeta itself over the parameter grid, from the body to far tails.
func TestTailMatchesRegIncBeta(t *testing.T) {
	worstScore, worstRel, series := 0.0, 0.0, 0
	for _, c := range append(gridThresholdCases(), randomThresholdCases(3000)...) {
		d := c.d
		r, p := d.params()
		phi := math.Max(d.Phi, 1)
		if tl := d.tail(); tl.series {
			series++
		}
		for _, y := range []float64{1e-6, 0.3, 1, d.Mu, 3 * d.Mu, 10 * d.Mu, d.Threshold(c.score), d.Threshold(3 * c.score)} {
			if !(y > 0) || math.IsInf(y, 0) {
				continue
			}
			want := mathext.RegIncBeta(y/phi, r, 1-p)
			got := d.Tail(y)
			if want > 1e-290 {
				rel := math.Abs(got-want) / want
				worstRel = math.Max(worstRel, rel)
				if rel > 1e-10 {
					t.Fatalf("%+v: Tail(%v) = %v, RegIncBeta gives %v", d, y, got, want)
				}
			} else if got > 1e-280 {
				t.Fatalf("%+v: Tail(%v) = %v, RegIncBeta gives %v", d, y, got, want)
			}
			ws, gs := TailScore(want), d.Score(y)
			worstScore = math.Max(worstScore, math.Abs(gs-ws))
			if math.Abs(gs-ws) > 1e-10 {
				t.Fatalf("%+v: Score(%v) = %v, from RegIncBeta %v", d, y, gs, ws)
			}
		}
	}
	t.Logf("series path for %d cases; worst score difference %.2g, worst relative tail difference %.2g", series, worstScore, worstRel)
}

// BenchmarkNBScore compares Score with the score of RegIncBeta's tail at
// the thresholds of the replay's calls.
func BenchmarkNBScore(b *testing.B) {
	cs := replayThresholdCalls(b)
	ys := make([]float64, len(cs))
	for i, c := range cs {
		ys[i] = c.d.Threshold(c.score)
	}
	for _, impl := range []struct {
		name string
		f    func(NB, float64) float64
	}{
		{"regincbeta", regIncBetaScore},
		{"nb", NB.Score},
	} {
		b.Run("replay/impl="+impl.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				impl.f(cs[i].d, ys[i])
				if i++; i == len(cs) {
					i = 0
				}
			}
		})
	}
}
