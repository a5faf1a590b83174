package detector

import "math"

// Empirical tail calibration (models/doc.go §6). A family's Bonferroni
// threshold assumes its scores are exact tail probabilities. On a log the
// models fit less well, benign scores come near the threshold more often
// than the budget allows, and the false alerts past it follow. Each day
// the detector counts the accounts whose best score of the day in a
// family reached its threshold less tailMargin, outside an incident (an
// attack is reported, not a habit of the log) and not excused by breadth
// (a common cause is judged by breadth, and one of a hundred accounts
// would raise the thresholds of the weeks after it: a leak starting the
// Monday after a campaign was alarmed three days later). Against the
// count the budget expects there, share × 10^tailMargin a day, the
// family's threshold rises by log10 of the excess (decayed with the
// baselines' half-life, shrunk towards none by tailPriorDays, at most
// maxTailShift). A heavier tail than the model's is the log's own
// habit; the budget is a promise about false alerts a day, not about
// the model. Organisations are left out: their totals are their
// accounts', and breadth among organisations needs five of them.

const (
	// tailPriorDays is the weight, in days, of the prior (no excess).
	tailPriorDays = 7
	// tailMargin is how far below its threshold a family's scores are
	// counted.
	tailMargin = 1.0
	// maxTailShift bounds the learned shift of a family's threshold.
	maxTailShift = 2.0
)

// tailRate is one family's decayed count of account-days that reached its
// threshold less tailMargin, over its decayed count of days.
type tailRate struct {
	N, Days float64
}

// tailBreadth are the breadth families whose notes teach the threshold
// of their test family (brFamily) a shift: all but request size, whose
// bound beyond the largest request is a calibration of its own.
var tailBreadth = [...]int{brHour, brDay, brCusum, brDistinct}

// learnTails counts the breadth notes of the last day noted, once, before
// the thresholds of day are set.
func (d *Detector) learnTails(day int32) {
	b := &d.breadth
	if b.Day >= day || b.Day <= d.tailDay || b.Accs == nil {
		return
	}
	// The sums decay over the days since the last count, but only days
	// with notes count as days: the budget's expectation is for a day of
	// the usual number of tests, which a quiet Sunday without a score of
	// 3 anywhere is not.
	gap := b.Day - d.tailDay
	if d.tailDay == 0 {
		gap = 1
	}
	d.tailDay = b.Day
	f := math.Pow(d.prm.Decay(), float64(gap))
	for _, br := range tailBreadth {
		fam := brFamily[br]
		lvl := float32(d.base[fam] - tailMargin)
		n := 0
		for j, en := range b.Accs {
			if en.Kind == kindAccount && en.Score[br] >= lvl && d.ents[j].Incident < 0 &&
				!d.commonCause(j, br, float64(en.Score[br]), math.NaN()) {
				n++
			}
		}
		r := &d.tails[fam]
		r.N, r.Days = r.N*f+float64(n), r.Days*f+1
	}
}

// tailShift is family f's learned threshold shift: log10 of its observed
// rate of account-days at its base threshold less tailMargin (at its 90%
// lower bound) over the rate the budget expects there, shrunk by
// tailPriorDays.
func (d *Detector) tailShift(f int) float64 {
	r := d.tails[f]
	want := d.budget / numFamilies * math.Pow(10, tailMargin-familyCalibration[f])
	if want <= 0 || r.Days == 0 {
		return 0
	}
	// A handful of near misses is chance: the count is taken at its 90%
	// lower confidence bound as a Poisson mean (Wilson–Hilferty).
	lo := 0.0
	if r.N > 0 {
		lo = r.N * math.Pow(max(0, 1-1/(9*r.N)-1.2816/(3*math.Sqrt(r.N))), 3)
	}
	ratio := (lo + tailPriorDays*want) / ((r.Days + tailPriorDays) * want)
	return math.Max(0, math.Min(maxTailShift, math.Log10(ratio)))
}
