package models

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

// One p-value at or below tau is its own tail: P(W ≤ p) = tau·(p/tau).
func TestTruncatedProductOfOneIsItsPValue(t *testing.T) {
	for _, p := range []float64{0.05, 0.01, 1e-3, 1e-6} {
		if got, want := TruncatedProductScore([]float64{p}, 0.05), -math.Log10(p); math.Abs(got-want) > 1e-9 {
			t.Errorf("score of p=%g alone = %.6f, want %.6f", p, got, want)
		}
	}
	if got := TruncatedProductScore([]float64{0.2, 0.5}, 0.05); got != 0 {
		t.Errorf("no p-value at or below tau scored %g, want 0", got)
	}
}

// Under the null (independent uniform p-values) the score is calibrated:
// the share of draws at or above score s is about 10^-s, for small and
// large groups.
func TestTruncatedProductCalibrated(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{3, 12, 60} {
		const draws = 40000
		over1, over2 := 0, 0
		ps := make([]float64, n)
		for range draws {
			for j := range ps {
				ps[j] = r.Float64()
			}
			sc := TruncatedProductScore(ps, 0.05)
			if sc >= 1 {
				over1++
			}
			if sc >= 2 {
				over2++
			}
		}
		if f := float64(over1) / draws; f < 0.085 || f > 0.115 {
			t.Errorf("n=%d: %.4f of null draws score ≥ 1, want about 0.1", n, f)
		}
		if f := float64(over2) / draws; f < 0.007 || f > 0.013 {
			t.Errorf("n=%d: %.4f of null draws score ≥ 2, want about 0.01", n, f)
		}
	}
}

// The point of truncation: a whole group mildly low (every p = 0.2) weighs
// nothing, where Fisher's full product calls it a discovery; several
// clearly low p-values among many ordinary ones add up beyond any one.
func TestTruncatedProductIgnoresMildShifts(t *testing.T) {
	mild := make([]float64, 60)
	for j := range mild {
		mild[j] = 0.2
	}
	if sc := TruncatedProductScore(mild, 0.05); sc != 0 {
		t.Errorf("60 members at p=0.2 scored %.2f, want 0", sc)
	}
	// Fisher: −Σ ln p is Gamma(n, 1) under the null.
	if sc := TailScore(mathext.GammaIncRegComp(60, -60*math.Log(0.2))); sc < 4 {
		t.Errorf("Fisher on 60 members at p=0.2 scored %.2f: the contrast this test relies on is gone", sc)
	}
	several := []float64{0.002, 0.01, 0.02, 0.03, 0.035, 0.5, 0.6, 0.7, 0.8, 0.9, 0.4, 0.3, 0.95}
	sc := TruncatedProductScore(several, 0.05)
	if sc < 3.5 {
		t.Errorf("5 of 13 members at 0.2–3.5%% scored %.2f, want ≥ 3.5", sc)
	}
	if best := -math.Log10(0.002 * 13); sc <= best {
		t.Errorf("combined score %.2f is no more than the best member's Bonferroni score %.2f", sc, best)
	}
}

// The score of a vector depends only on n, k and the log-product: the
// counts form must agree with it, also for a large group, where the sum
// stops a few terms past the binomial mode.
func TestTruncatedProductTailMatchesVector(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{5, 200, 5000} {
		ps := make([]float64, n)
		for j := range ps {
			ps[j] = r.Float64()
		}
		for j := range max(1, n/10) {
			ps[j] = 0.01 * r.Float64() // a tenth of the group elevated
		}
		k, lw := 0, 0.0
		for _, p := range ps {
			if p <= 0.05 {
				k++
				lw += math.Log(p)
			}
		}
		v, c := TruncatedProductScore(ps, 0.05), TruncatedProductTail(n, k, lw, 0.05)
		if v != c || v <= 0 {
			t.Errorf("n=%d: vector score %g, counts score %g", n, v, c)
		}
	}
}

func BenchmarkTruncatedProductTail10k(b *testing.B) {
	for range b.N {
		TruncatedProductTail(10_000, 900, 900*math.Log(0.01), 0.05)
	}
}
