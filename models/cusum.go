package models

import "math"

// Cusum is Page's one-sided CUSUM on standardised residuals: it accumulates
// persistent excess over K and resets to 0 on normal data (doc.go, §5).
type Cusum struct {
	S float32
	// Held is the highest score at which an alarm was excused as a
	// common cause since S last stood at 0 (0: none).
	Held float32
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
