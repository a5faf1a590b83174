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
	t := d.tail()
	return t.tail(y)
}

// Score returns -log10 P(Y >= y), clamped to [0, MaxScore]: 9 means "one
// chance in a billion under the baseline".
func (d NB) Score(y float64) float64 {
	t := d.tail()
	return clampScore(t.negLog10(y))
}

// nbTail evaluates the tail of one NB: the parameters, and what the power
// series shares between evaluations, are computed once.
//
// RegIncBeta(a, r, q) sums a power series when r·q <= 1 and q <= 0.95
// (cephes pseries), which holds for every baseline expecting about one
// clump or less; it then multiplies by q^a/B(a, r) with Beta, Pow and Exp.
// nbTail sums the same series but stays in log space with lgamma(r) and
// log q computed once, about twice as fast, and Score needs no exp/log
// round trip; the result agrees with RegIncBeta to about 1e-14 in the
// score (threshold_test.go). The other regimes call RegIncBeta.
type nbTail struct {
	r, q, phi float64
	series    bool    // RegIncBeta would take its power series
	lq, lgr   float64 // log q and lgamma(r), for the series (and the guess)
}

func (d NB) tail() nbTail {
	r, p := d.params()
	t := nbTail{r: r, q: 1 - p, phi: math.Max(d.Phi, 1)}
	if t.series = r*t.q <= 1 && t.q <= 0.95; t.series {
		t.lq = math.Log(t.q)
		t.lgr, _ = math.Lgamma(r)
	}
	return t
}

// tail returns P(Y >= y).
func (t *nbTail) tail(y float64) float64 {
	if y <= 0 {
		return 1
	}
	if t.series {
		if l, ok := t.lnSeries(y / t.phi); ok {
			return math.Exp(l)
		}
	}
	return mathext.RegIncBeta(y/t.phi, t.r, t.q)
}

// negLog10 returns -log10 P(Y >= y), unclamped: +Inf where the tail
// underflows (or is NaN).
func (t *nbTail) negLog10(y float64) float64 {
	if y <= 0 {
		return 0
	}
	if t.series {
		if l, ok := t.lnSeries(y / t.phi); ok {
			return -l / math.Ln10
		}
	}
	p := mathext.RegIncBeta(y/t.phi, t.r, t.q)
	if !(p > 0) {
		return math.Inf(1)
	}
	return -math.Log10(p)
}

// lnSeries returns log I_q(a, r) by the power series of cephes pseries
// (the same terms and stopping rule) in log space; ok is false when the
// sum is not usable and RegIncBeta must decide.
func (t *nbTail) lnSeries(a float64) (l float64, ok bool) {
	const machEp = 1.11022302462515654042e-16 // cephes MACHEP, 2^-53
	r, q := t.r, t.q
	ai := 1 / a
	u := (1 - r) * q
	v := u / (a + 1)
	t1, tn := v, u
	s := 0.0
	z := machEp * ai
	for n := 2.0; math.Abs(v) > z; n++ {
		tn *= (n - r) * q / n
		v = tn / (a + n)
		s += v
	}
	s += t1
	s += ai
	lab, _ := math.Lgamma(a + r)
	la, _ := math.Lgamma(a)
	l = math.Log(s) + a*t.lq + lab - la - t.lgr
	return l, !math.IsNaN(l) && !math.IsInf(l, 1)
}

// clampScore clamps -log10 of a tail to a score, as TailScore does.
func clampScore(v float64) float64 {
	if v <= 0 {
		return 0
	}
	if !(v < MaxScore) {
		return MaxScore
	}
	return v
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

// thresholdMax is the largest count Threshold looks at: a score that needs
// more records than this is reported as unreachable (+Inf).
const thresholdMax = 1e15

// Threshold returns the smallest count y whose score reaches score, to
// within 0.1% or half a record: Score(y) >= score always holds for the
// returned y, and some count at most max(0.5, 0.001*y) below it scores
// less. It is 0 for score <= 0 and +Inf when no count up to thresholdMax
// (or no count at all, score > MaxScore) reaches score. It is what alerts
// report as "threshold" and what the detector caches so that the per-event
// path only compares two numbers.
//
// Each Score costs a series or continued fraction (RegIncBeta), so the
// search starts from an approximate quantile (nbQuantileGuess) and refines
// it by a safeguarded secant on the score, which is nearly linear in y in
// the tail. Each new point is placed just past the estimate towards the
// far end of the bracket, so that a good estimate closes the bracket from
// both sides: usually 2 Score evaluations, where bisection took 15 to 30.
func (d NB) Threshold(score float64) float64 {
	y, _ := d.threshold(score)
	return y
}

// threshold is Threshold, also returning the number of Score evaluations.
func (d NB) threshold(score float64) (float64, int) {
	if score <= 0 {
		return 0, 0
	}
	if score > MaxScore {
		return math.Inf(1), 0
	}
	t := d.tail()
	phi, r, p := t.phi, t.r, 1-t.q
	m := math.Max(d.Mu, 1e-9) / phi
	if !t.series {
		t.lq = math.Log(t.q)
		t.lgr, _ = math.Lgamma(r)
	}
	s := nbSearch{nbTail: t, score: score}
	lo, hi := 0.0, math.Inf(1) // Score(lo) < score <= Score(hi)
	prevY, prevG := math.NaN(), math.NaN()
	width := math.Inf(1) // bracket width before the last step
	slow := 0            // consecutive steps that did not halve the bracket
	short := 0           // steps taken without an upper bound
	y := phi * nbQuantileGuess(m, r, p, t.lq, t.lgr, score)
	if !(y > 0) || math.IsInf(y, 0) {
		y = math.Max(d.Mu, 1)
	}
	for n := 1; n <= 200; n++ {
		y = math.Min(y, thresholdMax)
		g, ok := s.eval(y)
		if ok {
			hi = y
		} else {
			lo = y
			if y >= thresholdMax {
				return math.Inf(1), n
			}
		}
		if hi < math.Inf(1) && hi-lo <= thresholdTol(hi) {
			return hi, n
		}
		// Next estimate of the root: secant through the last two points,
		// or a step along the model slope, or bisection.
		c := math.NaN()
		if !math.IsNaN(prevY) && !math.IsInf(g, 0) && !math.IsInf(prevG, 0) && g != prevG {
			c = y - g*(y-prevY)/(g-prevG)
		}
		if !(c >= lo && c <= hi) && !math.IsInf(g, 0) {
			c = y - g/s.slope(y/phi, m, p)
		}
		prevY, prevG = y, g
		if math.IsInf(hi, 1) {
			// No upper bound yet: after two steps that fell short, double.
			if short++; short > 2 || !(c > lo) {
				c = math.Max(c, 2*lo)
			}
		} else {
			if hi-lo > width/2 {
				slow++
			} else {
				slow = 0
			}
			width = hi - lo
			if slow >= 2 || !(c >= lo && c <= hi) {
				c, slow = nbMid(lo, hi), 0
			}
		}
		// Aim past the estimate towards the end of the bracket that is
		// further away, by a quarter of the tolerance or, when the other
		// end is within the tolerance, far enough that this point closes
		// the bracket: a good estimate then ends the search at once.
		w := thresholdTol(c) / 4
		if hi-c > c-lo {
			c = math.Max(c+w, lo+0.9*thresholdTol(lo))
		} else {
			c = math.Min(c-w, hi-0.9*thresholdTol(hi))
		}
		if !(c > lo && c < hi) {
			c = nbMid(lo, hi)
		}
		y = c
	}
	return hi, 200
}

// thresholdTol is how far above the exact threshold y Threshold may answer.
func thresholdTol(y float64) float64 { return math.Max(0.5, 1e-3*y) }

// nbMid bisects [lo, hi], geometrically when it spans orders of magnitude
// (counting from half a record, the tolerance near 0).
func nbMid(lo, hi float64) float64 {
	if l := math.Max(lo, 0.5); hi > 4*l {
		return math.Sqrt(l * hi)
	}
	return lo + (hi-lo)/2
}

// nbSearch evaluates the score for Threshold.
type nbSearch struct {
	nbTail
	score float64
}

// eval returns -log10 Tail(y) - score (+Inf where the tail underflows) and
// whether Score(y) >= score, decided exactly as Score does.
func (s *nbSearch) eval(y float64) (g float64, ok bool) {
	v := s.negLog10(y)
	return v - s.score, clampScore(v) >= s.score
}

// slope returns an estimate of d(-log10 Tail)/dy at x = y/phi clumps: the
// hazard of the NB tail, -log of the pmf ratio qx = (x+r)(1-p)/(x+1),
// beyond the mode (qx < 1), and the hazard of the normal with the same
// moments (Mills ratio, Birnbaum's approximation) in the body.
func (s *nbSearch) slope(x, m, p float64) float64 {
	sd := math.Sqrt(m / p)
	z := (x - m) / sd
	h := (z + math.Sqrt(z*z+8/math.Pi)) / (2 * sd)
	if qx := (x + s.r) * s.q / (x + 1); qx < 1 {
		h = -math.Log(qx)
	}
	return h / (math.Ln10 * s.phi)
}

// nbQuantileGuess approximates, in clump units, the x where the tail of
// NB(r, p) (mean m) falls to 10^-score. In the tail it solves
// log(pmf(x)/(1-qx)) = -score·ln 10 by Newton, where qx = (x+r)(1-p)/(x+1)
// is the ratio of successive probabilities (a geometric tail from x on);
// where that ratio is near 1 (the body of a near-normal NB) it uses the
// Cornish–Fisher expansion with the NB skewness. lq and lgr are log(1-p)
// and lgamma(r).
func nbQuantileGuess(m, r, p, lq, lgr, score float64) float64 {
	q := 1 - p
	sd := math.Sqrt(m / p)
	z := upperNormalQuantile(score)
	skew := (2 - p) / math.Sqrt(r*q)
	cf := m + sd*(z+skew*(z*z-1)/6)
	cf = math.Max(cf, m+sd*z/2)
	lt := -score * math.Ln10
	base := r*math.Log(p) - lgr
	x := cf
	// The geometric tail needs qx < 1, i.e. x beyond the mode.
	if mode := (r*q - 1) / p; x <= mode+1 {
		x = mode + 1
	}
	for range 6 {
		qx := (x + r) * q / (x + 1)
		if !(qx < 1) {
			return cf
		}
		a, _ := math.Lgamma(x + r)
		b, _ := math.Lgamma(x + 1)
		lnT := a - b + base + x*lq - math.Log1p(-qx)
		// -log qx is the hazard of the geometric tail: slope of -lnT.
		dx := (lnT - lt) / -math.Log(qx)
		x += dx
		if !(x > 0) {
			return cf
		}
		if math.Abs(dx) < 1e-4*x {
			break
		}
	}
	if qx := (x + r) * q / (x + 1); !(qx < 0.9) {
		return cf
	}
	return x
}

// upperNormalQuantile returns z with P(Z >= z) ≈ 10^-score for a standard
// normal Z: Abramowitz and Stegun 26.2.23 (absolute error < 4.5e-4), which
// needs neither Pow nor Erfinv when the tail is below one half.
func upperNormalQuantile(score float64) float64 {
	const (
		c0, c1, c2 = 2.515517, 0.802853, 0.010328
		d1, d2, d3 = 1.432788, 0.189269, 0.001308
		log10Half  = 0.3010299956639812 // -log10(1/2)
	)
	sign, t := 1.0, math.Sqrt(2*score*math.Ln10) // sqrt(-2 ln P)
	if score < log10Half {
		sign, t = -1, math.Sqrt(-2*math.Log1p(-math.Pow(10, -score)))
	}
	return sign * (t - (c0+t*(c1+t*c2))/(1+t*(d1+t*(d2+t*d3))))
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

// logNormal returns the log-scale location and scale of the lognormal
// with Y's mean and variance.
func (d NB) logNormal() (m, s float64) {
	mu := math.Max(d.Mu, 1e-9)
	s2 := math.Log1p(d.Variance() / (mu * mu))
	return math.Log(mu) - s2/2, math.Sqrt(s2)
}

// LogNormalScore returns -log10 P(Y >= y) under the lognormal with Y's
// mean and variance, clamped like Score. Its tail is heavier than the
// Gamma's far out: people's daily activity varies by factors (a busy
// day, a backlog), and a Gamma fitted to its variance makes a 4x day of
// an account varying by a third one in four million, where a lognormal
// puts it at one in fifty thousand (doc.go §1).
func (d NB) LogNormalScore(y float64) float64 {
	if y <= 0 {
		return 0
	}
	m, s := d.logNormal()
	return clampScore(normalTailNegLog10((math.Log(y) - m) / s))
}

// LogNormalThreshold is the count whose LogNormalScore is score.
func (d NB) LogNormalThreshold(score float64) float64 {
	if score <= 0 {
		return 0
	}
	m, s := d.logNormal()
	return math.Exp(m + s*upperNormalQuantile(score))
}

// normalTailNegLog10 returns -log10 P(Z >= z) for a standard normal Z,
// asymptotically where erfc underflows.
func normalTailNegLog10(z float64) float64 {
	if z < 30 {
		return -math.Log10(0.5 * math.Erfc(z/math.Sqrt2))
	}
	return (z*z/2 + math.Log(z*math.Sqrt(2*math.Pi))) / math.Ln10
}
