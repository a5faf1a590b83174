package detector

import (
	"math"
	"slices"
	"sort"

	"github.com/vigie/vigie/models"
)

// The organisation share test (models/doc.go §9): many accounts of one
// organisation each moderately elevated on the same day, none remarkable
// alone. A member's day score is turned into an empirical rank among the
// same day's account-days of all other organisations, so neither the
// NB's calibration nor a day everyone is busy (Mondays, month-end) counts
// as evidence; the organisation's score is the truncated product of its
// members' ranks at or beyond 1 in 20.

// Score histogram: bins of 0.1 from 0 to 8, the last holding 8 and above.
const (
	shareBins     = 81
	shareBinWidth = 0.1
)

// sharePrior is the weight, in account-days, of the history in a day's
// reference: a deployment with few organisations ranks mostly against
// earlier days.
const sharePrior = 50

// shareNominal is the weight, in account-days, of the nominal tail in the
// history: the reference is the model's calibration until a few hundred
// armed account-days have measured it.
const shareNominal = 300

// shareFloor bounds a member's rate from below in the combination: one
// account far out is the account tests' business, and must not carry its
// organisation alone (its term is at most -ln 0.001 ≈ 6.9).
const shareFloor = 0.001

// shareBreadth is the number of other organisations raised the same day
// that excuses an organisation's share (testOrgShares).
const shareBreadth = 2

// shareElevated is the rate at or below which a member counts as
// elevated, in the score and in the explanation. Members above it weigh
// nothing: many members slightly above their median (an organisation's
// ordinary busy day) add nothing.
const shareElevated = 0.05

// scoreHist counts account-day scores by bin.
type scoreHist struct {
	N    float64
	Bins [shareBins]float64
}

func shareBin(sc float64) int { return min(max(int(sc/shareBinWidth), 0), shareBins-1) }

func (h *scoreHist) add(sc float64) {
	h.N++
	h.Bins[shareBin(sc)]++
}

// tail returns, for each bin b, the number of scores above bin b plus
// half of those in it (mid-rank: ties count half).
func (h *scoreHist) tail() (t [shareBins]float64) {
	above := 0.0
	for b := shareBins - 1; b >= 0; b-- {
		t[b] = above + 0.5*h.Bins[b]
		above += h.Bins[b]
	}
	return t
}

// Share kinds: what ranks a member. Its day's volume score, or its CUSUM
// score on a day that adds to its sum (not excused as a common cause): an
// organisation-wide pull over several days raises its accounts 2–3 times
// a day, each day unremarkable among days that vary by factors, but
// their running sums among the day's highest. Both kinds are tested for
// every organisation (the budget counts two tests), and the larger score
// is the organisation's. Over the 27 evaluation logs: altgen3 seed 1's
// organisation-wide rise caught, vigie gen seed 2's and altgen5 seed 1's
// a day earlier, false entity-days 415 → 414
// (TestPersistentShareCatchesASeveralDayPull). Counting fading sums too
// (any day above the long level) caught two more and added 8 false
// entity-days, and reopened a week-long pull's episode after it ended.
const (
	shareDayVolume = iota
	sharePersistent
	numShares
)

// orgShare holds the scores of an organisation's active accounts on one
// local day, by share kind.
type orgShare struct {
	Day        int32
	Start, End int64
	Scores     [numShares][]float64
}

// countShare adds one closed active account day (scores sc by kind) to
// its organisation's share tests and to the day's cross-sections.
func (d *Detector) countShare(org int32, w *win, sc [numShares]float64) {
	s := d.shares[org]
	if s.Day != w.Num {
		s = orgShare{Day: w.Num, Start: w.Start, End: w.End}
	}
	for k := range sc {
		s.Scores[k] = append(s.Scores[k], sc[k])
		d.shareDay[k].add(sc[k])
	}
	d.shares[org] = s
}

// shareRef is a day's reference for ranking members: the mid-rank tails
// of the day's cross-section and of the history.
type shareRef struct {
	day, hist   [shareBins]float64
	dayN, histN float64
}

// memberRate is the tail rate of a member's score sc: its empirical rank
// (mid-bin) among the day's account-days outside its organisation (own
// holds the organisation's tails), shrunk towards the decayed history,
// itself shrunk towards the score's nominal tail 10^-sc, and never below
// the history: a quiet day does not make ordinary scores look rare, a
// busy day raises every rate, and a thin reference (a small deployment,
// the first armed days) falls back on the model's own calibration rather
// than on a few dozen ranks that every member would share.
func (r *shareRef) memberRate(sc float64, own *[shareBins]float64, n int) float64 {
	b := shareBin(sc)
	hist := (r.hist[b] + shareNominal*math.Pow(10, -sc)) / (r.histN + shareNominal)
	rest := r.dayN - float64(n)
	return math.Max(hist, (r.day[b]-own[b]+sharePrior*hist)/(rest+sharePrior))
}

// shareScore scores one organisation's day: the truncated product of its
// members' rates at or below shareElevated, each at least shareFloor. It
// also returns how many members that counts (elevated) and their
// geometric mean rate, for the alert's threshold.
func (r *shareRef) shareScore(scores []float64) (score float64, elevated int, gmean float64) {
	var own scoreHist
	for _, sc := range scores {
		own.add(sc)
	}
	ownTail := own.tail()
	rates := make([]float64, len(scores))
	lsum := 0.0
	for j, sc := range scores {
		rt := math.Max(r.memberRate(sc, &ownTail, len(scores)), shareFloor)
		if rt <= shareElevated {
			elevated++
			lsum += math.Log(rt)
		}
		rates[j] = rt
	}
	if elevated > 0 {
		gmean = math.Exp(lsum / float64(elevated))
	}
	return models.TruncatedProductScore(rates, shareElevated), elevated, gmean
}

// shareThreshold is the alert's threshold on its observed count: the
// fewest of n members, each at rate g (the elevated members' geometric
// mean) and the others not elevated, whose truncated product reaches
// score thr; n+1 when none would. The score grows with that number.
func shareThreshold(n int, g, thr float64) float64 {
	return float64(1 + sort.Search(n, func(j int) bool {
		return models.TruncatedProductTail(n, j+1, float64(j+1)*math.Log(g), shareElevated) >= thr
	}))
}

// testOrgShares scores, for every organisation active on day, how many of
// its accounts were elevated at once, then rolls the reference to the
// next day.
func (d *Detector) testOrgShares(day int32) {
	orgs := make([]int32, 0, len(d.shares))
	for o, s := range d.shares {
		if s.Day == day {
			orgs = append(orgs, o)
		}
	}
	slices.Sort(orgs)
	armed := func(end int64) bool { return end-d.firstTS > d.cfg.Warmup.Milliseconds() }
	var refs [numShares]shareRef
	for k := range refs {
		refs[k] = shareRef{day: d.shareDay[k].tail(), hist: d.shareHist[k].tail(), dayN: d.shareDay[k].N, histN: d.shareHist[k].N}
	}
	type result struct {
		sc, g   float64
		k, kind int
	}
	res := make([]result, len(orgs))
	raised := 0
	for j, o := range orgs {
		s := d.shares[o]
		// The organisation's score is the larger of its kinds' (the
		// budget counts both tests: thresholdFor).
		for kind := range numShares {
			sc, k, g := refs[kind].shareScore(s.Scores[kind])
			if kind == 0 || sc > res[j].sc {
				res[j] = result{sc, g, k, kind}
			}
		}
		sc := res[j].sc
		if d.trace != nil {
			d.trace(DetOrgShare, o, s.Start, sc)
		}
		if sc >= d.thr[famOrgShare]-breadthMargin {
			raised++
		}
	}
	for j, o := range orgs {
		s := d.shares[o]
		sc, k, g, n := res[j].sc, res[j].k, res[j].g, len(s.Scores[0])
		if e := &d.ents[o]; e.Incident >= 0 && sc >= d.thr[famOrgShare]-breadthMargin {
			// The organisation's episode goes on while its share stays
			// near the threshold, as an account's does while its days
			// stand clearly above its level: a pull of a week alerts
			// once, not again after a quiet period.
			inc := &d.incs[e.Incident]
			inc.LastAbnormal = max(inc.LastAbnormal, s.End)
		}
		if sc < d.thr[famOrgShare] || !armed(s.End) {
			continue
		}
		// An organisation with more of the day's active accounts than all
		// the others together (a deployment of one agency) is the network:
		// its members have no one to be ranked against but their own
		// history, and its busy days (a Monday) are the common mode, which
		// the accounts' tests already allow for.
		if float64(n) > refs[0].dayN-float64(n) {
			continue
		}
		// Several organisations raised at once, each beyond the rest of
		// the network, have a cause in common (a campaign, a regional
		// deadline), not one organisation's accounts taken over: a share
		// is excused when shareBreadth others came within breadthMargin
		// of the threshold the same day. The cost: moderate pulls through
		// three organisations at once are left to the accounts' tests.
		if raised-1 >= shareBreadth {
			d.stats.Excused++
			continue
		}
		d.alert(finding{i: o, det: DetOrgShare, res: "day", sums: res[j].kind == sharePersistent, start: s.Start, end: s.End, obs: float64(k),
			exp: shareElevated * float64(n), thr: shareThreshold(n, g, d.thr[famOrgShare]), score: sc, win: -1}, s.End)
	}
	// The history learns armed days only: warm-up scores come from
	// baselines still being formed, and their heavy tail would make
	// every later rise look common.
	if len(orgs) > 0 && armed(d.shares[orgs[0]].End) {
		f := d.prm.Decay()
		for k := range d.shareHist {
			h, day := &d.shareHist[k], &d.shareDay[k]
			h.N = h.N*f + day.N
			for b := range h.Bins {
				h.Bins[b] = h.Bins[b]*f + day.Bins[b]
			}
		}
	}
	d.shareDay = [numShares]scoreHist{}
	for o, s := range d.shares {
		if s.Day <= day {
			delete(d.shares, o)
		}
	}
}
