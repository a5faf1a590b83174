package models

import "math"

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
