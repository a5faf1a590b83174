package models

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// BudgetThreshold is the per-test score threshold that keeps the expected
// number of false alerts at budget per day when testsPerDay independent
// tests run (Bonferroni): -log10(budget / testsPerDay). Both arguments must
// be positive; the result is never below 0.
func BudgetThreshold(budgetPerDay, testsPerDay float64) float64 {
	if budgetPerDay <= 0 || testsPerDay <= 0 {
		return 0
	}
	return math.Max(0, -math.Log10(budgetPerDay/testsPerDay))
}

// BinomialTailScore is the score (-log10) of seeing at least k successes in
// n independent trials of probability p: P(K >= k) = I_p(k, n-k+1), the
// regularised incomplete beta function. The organisation share test uses
// it with k the accounts above their own 90th percentile on a day.
func BinomialTailScore(k, n int, p float64) float64 {
	if k <= 0 || n <= 0 {
		return 0
	}
	if k > n || p <= 0 {
		return MaxScore
	}
	if p >= 1 {
		return 0
	}
	return TailScore(mathext.RegIncBeta(float64(k), float64(n-k+1), p))
}
