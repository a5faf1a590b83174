package models

import "math"

// Cusum is Page's one-sided CUSUM on standardised residuals: it accumulates
// persistent excess over K and resets to 0 on normal data (doc.go, §5).
type Cusum struct {
	S float32
	// Held is the highest score at which an alarm was excused as a
	// common cause since S last stood at 0 (0: none).
	Held float32
	// E is the entity's running mean of standardised residuals
	// (ResidualScale).
	E float32
}

// Update adds one standardised residual z with reference value k.
func (c *Cusum) Update(z, k float64) {
	s := float64(c.S) + z - k
	if s <= 0 {
		s, c.Held = 0, 0
	}
	c.S = float32(s)
}

// Reset forgets the accumulated excess (after an alarm).
func (c *Cusum) Reset() { c.S, c.Held = 0, 0 }

// CusumScore is log10 of Siegmund's approximation of the in-control average
// run length of a CUSUM with reference k whose statistic stands at s,
// for N(0,1) residuals:
//
//	ARL0(h) ≈ (exp(2k(h+1.166)) - 1 - 2k(h+1.166)) / (2k²)
//
// An alarm at s is then as rare as one in ARL0(s) days under the baseline,
// so the score is comparable with the -log10 tail scores of the windows.
func CusumScore(s, k float64) float64 {
	if s <= 0 || k <= 0 {
		return 0
	}
	b := 2 * k * (s + 1.166)
	arl := (math.Expm1(b) - b) / (2 * k * k)
	if arl <= 1 {
		return 0
	}
	return math.Min(math.Log10(arl), MaxScore)
}

// ResidualScale learns how the day residuals CUSUM sums are distributed
// when nothing is wrong, across a population of entities, so that CUSUM
// can sum them in the units Siegmund's formula assumes (doc.go, §5).
//
// The residuals are N(0,1) only if the day model is exactly right. Three
// things move them in practice: the residual CUSUM sees is the larger of
// the records' and the requests' (the maximum of two correlated N(0,1)
// has a mean of up to 0.56); a log's days vary more or less than the
// model's variance says; and people's workload persists (a busy week),
// so the sum of n days' residuals varies more than n times one day's.
// Each of these makes an alarm at "one day in 10^5" far more frequent:
// on independent generators CUSUM's benign days above score 5 were 100
// to 250 times the nominal count.
//
// N, S1 and S2 are decayed sums of weight, residual and squared residual
// (residuals clamped to ±3); E2 is the decayed sum of the square of each
// entity's exponentially weighted mean of its standardised residuals
// (weight EWMAWeight on the newest day), which for independent days has
// variance EWMAWeight/(2−EWMAWeight): the ratio of the observed variance
// to that is the long-run variance factor λ of the sums. Sums decay with
// a half-life of ScaleHalfLife days, counted from Day.
type ResidualScale struct {
	Day           int32
	N, S1, S2, E2 float64
}

// EWMAWeight is the weight of the newest day in an entity's running mean
// of standardised residuals (a memory of about ten days, CUSUM's run).
const EWMAWeight = 0.2

const (
	// ScaleHalfLife is the half-life, in days, of ResidualScale's sums.
	ScaleHalfLife = 21
	// scalePrior is the weight, in entity-days, of the N(0,1) prior.
	scalePrior = 200
)

// Learn adds one entity-day's residual z, and the entity's running mean
// of standardised residuals after it, on day num.
func (r *ResidualScale) Learn(num int32, z, ewma float64) {
	if num > r.Day {
		f := math.Exp2(-float64(num-r.Day) / ScaleHalfLife)
		r.N, r.S1, r.S2, r.E2 = r.N*f, r.S1*f, r.S2*f, r.E2*f
		r.Day = num
	}
	z = max(-3, min(3, z))
	r.N++
	r.S1 += z
	r.S2 += z * z
	r.E2 += ewma * ewma
}

// Moments returns the residuals' mean, standard deviation and long-run
// variance factor λ, each shrunk towards N(0,1) and white noise by
// scalePrior entity-days and bounded so that the correction only ever
// makes CUSUM more conservative: mean in [0, 1], sd and λ at least 1. A
// log whose days are steadier than the model says keeps the nominal
// sums (a steady service's routine day, a residual of 4 at most, must
// not count for more than 4).
func (r *ResidualScale) Moments() (mean, sd, lambda float64) {
	n := r.N + scalePrior
	mean = r.S1 / n
	v := (r.S2+scalePrior)/n - mean*mean
	sd = math.Sqrt(max(v, 0))
	// The EWMA's variance relative to white noise is (1+b)/(1−b) for an
	// AR(1) of lag-one correlation ρ, b = ρ(1−EWMAWeight); the sums CUSUM
	// keeps run longer than the EWMA's memory, so λ is the AR(1)'s own
	// long-run factor (1+ρ)/(1−ρ).
	white := EWMAWeight / (2 - EWMAWeight)
	ratio := max(1, (r.E2+scalePrior*white)/n/white)
	rho := min(0.9, (ratio-1)/(ratio+1)/(1-EWMAWeight))
	lambda = (1 + rho) / (1 - rho)
	return max(0, min(1, mean)), max(1, min(2, sd)), max(1, min(4, lambda))
}

// Standardise returns z in the units of a white N(0,1) residual, u, and
// the residual fed to CUSUM, u/√λ, so the sum of n days has variance n.
func (r *ResidualScale) Standardise(z float64) (u, cz float64) {
	m, s, l := r.Moments()
	u = (z - m) / s
	return u, u / math.Sqrt(l)
}
