package models

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// MaxScore is the score reported when the tail probability underflows.
const MaxScore = 99

// NB is the negative-binomial (Gamma–Poisson) predictive distribution of the
// records Y an entity accesses in one window, fitted by moments (doc.go, §1):
//
//	E[Y] = Mu, Var[Y] = Phi*Mu + C2*Mu² + Mu²/NEff.
//
// The zero value is not usable; fill Mu and Phi at least.
type NB struct {
	// Mu is the expected records in the window (level × exposure).
	Mu float64
	// Phi is the compound-Poisson dispersion E[r²]/E[r] of the records r
	// returned per request: records arrive in clumps of about Phi.
	Phi float64
	// C2 is the squared coefficient of variation of the rate between windows.
	C2 float64
	// NEff is the effective number of windows behind the baseline; Mu²/NEff
	// is the parameter uncertainty of a young baseline. 0 means infinite.
	NEff float64
}

// params returns the NB(r, p) parameters in clump units X = Y/Phi.
func (d NB) params() (r, p float64) {
	phi := math.Max(d.Phi, 1)
	mu := math.Max(d.Mu, 1e-9)
	extra := d.C2
	if d.NEff > 0 {
		extra += 1 / d.NEff
	}
	// Keep the distribution strictly overdispersed so NB(r, p) exists; 1e-6
	// is far below any estimate and makes it indistinguishable from Poisson.
	extra = math.Max(extra, 1e-6)
	m := mu / phi
	v := (phi*mu + extra*mu*mu) / (phi * phi)
	p = m / v
	r = m * m / (v - m)
	return r, p
}

// Mean returns E[Y].
func (d NB) Mean() float64 { return d.Mu }

// Variance returns Var[Y].
func (d NB) Variance() float64 {
	v := math.Max(d.Phi, 1)*d.Mu + d.C2*d.Mu*d.Mu
	if d.NEff > 0 {
		v += d.Mu * d.Mu / d.NEff
	}
	return v
}

// Tail returns P(Y >= y) = I_{1-p}(y/Phi, r), the regularised incomplete
// beta function; y is continuous (a fraction of a clump is allowed).
func (d NB) Tail(y float64) float64 {
	if y <= 0 {
		return 1
	}
	r, p := d.params()
	return mathext.RegIncBeta(y/math.Max(d.Phi, 1), r, 1-p)
}

// Score returns -log10 P(Y >= y), clamped to [0, MaxScore]: 9 means "one
// chance in a billion under the baseline".
func (d NB) Score(y float64) float64 {
	return TailScore(d.Tail(y))
}

// TailScore converts a tail probability into a score.
func TailScore(p float64) float64 {
	if !(p > 0) {
		return MaxScore
	}
	if p >= 1 {
		return 0
	}
	return math.Min(-math.Log10(p), MaxScore)
}

// Threshold returns the smallest count y whose score reaches score, found by
// bisection on the monotone Score (to 0.1% or 0.5 record). It is what
// alerts report as "threshold" and what the detector caches so that the
// per-event path only compares two numbers.
func (d NB) Threshold(score float64) float64 {
	if score <= 0 {
		return 0
	}
	lo, hi := 0.0, math.Max(d.Mu, 1)
	for d.Score(hi) < score {
		lo = hi
		hi *= 2
		if hi > 1e15 {
			return math.Inf(1)
		}
	}
	for i := 0; i < 200 && hi-lo > math.Max(0.5, 1e-3*hi); i++ {
		mid := (lo + hi) / 2
		if d.Score(mid) >= score {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// NormalScore maps a tail probability to the standard-normal quantile with
// the same upper tail (probability integral transform), clamped to
// [-lo, hi]. CUSUM uses it to standardise skewed counts.
func NormalScore(tail, lo, hi float64) float64 {
	tail = math.Min(math.Max(tail, 1e-300), 1)
	z := -math.Sqrt2 * math.Erfinv(2*tail-1)
	if math.IsNaN(z) {
		z = hi
	}
	return math.Min(math.Max(z, -lo), hi)
}
