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

// TruncatedProductScore combines independent p-values by the truncated
// product method (Zaykin, Zhivotovsky, Westfall & Weir, Genetic
// Epidemiology 2002): only p-values at or below tau enter the product W,
// so many slightly low p-values (a mild shift of a whole group) weigh
// nothing while several clearly low ones add up. With K the number of
// p-values at or below tau, K is Binomial(n, tau) and, given K = k, the
// p/tau are uniform, so
//
//	P(W ≤ w) = Σ_k Bin(k; n, tau) · Q(k, max(0, k·ln tau − ln w)),
//
// Q the regularised upper incomplete gamma. It returns −log10 of that
// tail (0 when no p-value is at or below tau).
func TruncatedProductScore(ps []float64, tau float64) float64 {
	k, lw := 0, 0.0
	for _, p := range ps {
		if p <= tau {
			k++
			lw += math.Log(math.Max(p, 1e-300))
		}
	}
	return TruncatedProductTail(len(ps), k, lw, tau)
}

// TruncatedProductTail is TruncatedProductScore of n p-values of which k
// are at or below tau, with logarithms summing to lw: the score depends on
// nothing else. It costs a few terms past the binomial mode n·tau, not n.
func TruncatedProductTail(n, k int, lw, tau float64) float64 {
	if k == 0 {
		return 0
	}
	lt, l1t := math.Log(tau), math.Log1p(-tau)
	lnN, _ := math.Lgamma(float64(n + 1))
	tail := 0.0
	for j := 1; j <= n; j++ {
		lj, _ := math.Lgamma(float64(j + 1))
		lr, _ := math.Lgamma(float64(n - j + 1))
		pmf := math.Exp(lnN - lj - lr + float64(j)*lt + float64(n-j)*l1t)
		if float64(j) > float64(n)*tau && pmf < 1e-17*tail {
			break // past the mode: the rest is smaller still, and negligible
		}
		tail += pmf * mathext.GammaIncRegComp(float64(j), math.Max(0, float64(j)*lt-lw))
	}
	return TailScore(tail)
}
