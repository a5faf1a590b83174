package detector

import (
	"github.com/vigie/vigie/models"

	"math"
)

// Common causes by breadth (models/doc.go §3c). The common mode (§3b)
// excuses what a peer group shares, but only a group the logs name: with
// no role field, a month-end that raises one account in twenty (the
// managers) is invisible to everyone's 0.8 quantile. What an attack
// cannot do is raise many accounts of many other organisations to the same
// level on the same day: when at least breadthMin accounts outside the
// alerting account's organisation, in at least breadthOrgs organisations
// or with breadthPerOrg in each of two, already scored within
// breadthMargin of its score in the same family that day, or were raised
// by at least half its ratio (see excused), the alert is excused as a
// common cause. At a family's threshold s, a level of s − 2 is reached
// by about 100 × (budget share) ≈ 0.8 accounts a day under the baseline,
// so five of them is not chance (Poisson tail ≈ 0.2%). Organisations are judged
// the same way among organisations (a month-end export raises many
// organisations' totals at once).

const (
	breadthMin  = 5
	breadthOrgs = 3 // organisations the breadthMin entities span at least
	// breadthPerOrg is how many of them each of two organisations may
	// hold instead: a campaign of three organisations has only two
	// others for each of its accounts (TestCampaignOfThreeOrganisations-
	// IsACommonCause), while one organisation's busy day and a stray
	// account elsewhere are not a common cause
	// (TestOneOrganisationAndAStrayAreNotBreadth).
	breadthPerOrg = 3
	breadthMargin = 2.0
	// breadthFloor is the lowest score remembered: below every family's
	// threshold less the margin (day, about 5.2), and above what
	// ordinary days reach often (about one account a day over score 3).
	breadthFloor = 3.0
	// newcomerDays is the (decayed) active days of its own before an
	// account first seen after the warm-up can be excused by ratio.
	newcomerDays = 3
)

// Breadth families.
const (
	brHour = iota
	brDay
	brDistinct
	brCusum
	brRequest
	numBreadth
)

// brFamily maps a breadth family to its test family (its threshold).
var brFamily = [numBreadth]int{brHour: famHour, brDay: famDay, brDistinct: famDistinct, brCusum: famCusum, brRequest: famRequest}

// breadthEntry is one entity's best scores of the day, per family, and
// its largest log2 ratio of observed to expected among its tests that
// scored at least the family's threshold less breadthMargin.
type breadthEntry struct {
	Org   int32
	Group int32 // the common-mode group (commonPeerIndex)
	Kind  uint8
	Score [numBreadth]float32
	Ratio [numBreadth]float32
	// Fading marks a CUSUM score that is an excused sum on a day that did
	// not add to it: its common cause may be over (excused).
	Fading bool
	// Excused marks an account one of whose alerts was excused today.
	Excused bool
}

// breadth holds the entities (accounts and organisations) that scored at
// least breadthFloor on the local day Day.
type breadth struct {
	Day  int32
	Accs map[int32]breadthEntry
	// Crowds holds, per common-mode group, today's accounts excused by
	// breadth and their largest log2 ratio; Causes, per group, the last
	// day whose crowd reached breadthMin accounts (monthlyCause).
	Crowds, Causes map[int32]crowd
}

// crowd is a common cause of a group: on day Day (Causes), N accounts
// were excused, the largest log2 ratio among their alerts Ratio.
type crowd struct {
	Day   int32
	N     int32
	Ratio float32
}

// roll starts local day day's notes, remembering yesterday's crowds of
// breadthMin accounts or more as their groups' latest causes.
func (b *breadth) roll(day int32) {
	for g, c := range b.Crowds {
		if c.N >= breadthMin {
			if b.Causes == nil {
				b.Causes = map[int32]crowd{}
			}
			c.Day = b.Day
			b.Causes[g] = c
		}
	}
	b.Day, b.Accs, b.Crowds = day, map[int32]breadthEntry{}, nil
}

// noteAt remembers entity i's score sc in family f, with lr the log2
// ratio of observed to expected behind it (NaN: none), for the local day
// of the window starting at start. Every test notes its score, alerting
// or not, before anything is excused against the day's notes.
func (d *Detector) noteAt(i int32, f int, start int64, sc, lr float64) {
	// Warm-up scores come from baselines still forming: they would
	// excuse the first armed hours' alerts.
	if sc < breadthFloor || d.maxTS-d.firstTS < d.cfg.Warmup.Milliseconds() {
		return
	}
	day := d.clock.At(start).Day
	b := &d.breadth
	switch {
	case day < b.Day:
		return // a late window of a day already left
	case day > b.Day || b.Accs == nil:
		b.roll(day)
	}
	en, ok := b.Accs[i]
	if !ok {
		e := &d.ents[i]
		en.Org, en.Kind, en.Group = e.Org, e.Kind, commonPeerIndex(e)
		for k := range en.Ratio {
			en.Ratio[k] = -inf32
		}
	}
	en.Score[f] = max(en.Score[f], float32(sc))
	if sc >= d.thr[brFamily[f]]-breadthMargin && !math.IsNaN(lr) {
		en.Ratio[f] = max(en.Ratio[f], float32(lr))
	}
	b.Accs[i] = en
}

// noteFading marks entity i's CUSUM note of the day of the window
// starting at start as a fading excused sum (breadthEntry.Fading).
func (d *Detector) noteFading(i int32, start int64) {
	if en, ok := d.breadth.Accs[i]; ok && d.breadth.Day == d.clock.At(start).Day {
		en.Fading = true
		d.breadth.Accs[i] = en
	}
}

// excused reports whether entity i's test of family f, scoring sc in the
// window starting at start with log2 ratio lr of observed to expected
// (NaN: none), reached its threshold on a common cause: at least
// breadthMin entities of its kind in other organisations (at least
// breadthOrgs of them, or two with breadthPerOrg each; of any, when an
// account has none) scored sc − breadthMargin or more in that family
// (raisedAsMuch) that day, or were raised by at least half as much (log2
// ratio lr − 1 or more) in tests scoring within breadthMargin of the
// threshold. A
// month-end that raises many organisations' totals is excused as one that
// raises many accounts is.
//
// The ratio matters because a common cause scores unequally: a campaign
// that has a third of all supervisors review five times their usual files
// scores 5 for one and 40 for another with more history (a larger
// expectation makes the same ratio more significant), and the top few
// of any such spread never had five others within two points. An
// extraction multiplies its account's volume by hundreds, beyond what a
// common cause does to five others. Accounts of any role count: logs
// name roles per organisation (an independent generator's three
// départements called the same referents three ways, and their audit
// campaign found no fellow member to excuse it). The cost: a regional
// deadline week that raises other organisations' referents 2-3x can
// excuse advisors raised as much by an organisation-wide pull, whose
// organisation's own tests are then left to catch it. On the evaluation
// logs two such pulls were excused unless the thresholds had learned
// their tail shifts (tailrate.go), as they do by default
// (TestBreadthByRatioCountsAnyRole).
func (d *Detector) excused(i int32, f int, start int64, sc, lr float64) bool {
	if d.breadth.Day != d.clock.At(start).Day || !d.commonCause(i, f, sc, lr) {
		return false
	}
	d.stats.Excused++
	d.countCrowd(i, lr)
	return true
}

// nextWorkday reports whether local day b is the first working day after
// day a.
func (d *Detector) nextWorkday(a, b int32) bool {
	if b <= a {
		return false
	}
	for x := a + 1; x < b; x++ {
		if d.clock.Cal.Type(x) != models.DayOff {
			return false
		}
	}
	return true
}

// countCrowd counts account i, excused with log2 ratio lr (NaN: none),
// once a day in its common-mode group's crowd.
func (d *Detector) countCrowd(i int32, lr float64) {
	b := &d.breadth
	en, ok := b.Accs[i]
	if !ok || en.Excused || d.ents[i].Kind != kindAccount {
		return
	}
	en.Excused = true
	b.Accs[i] = en
	if b.Crowds == nil {
		b.Crowds = map[int32]crowd{}
	}
	c := b.Crowds[en.Group]
	c.N++
	if !math.IsNaN(lr) {
		c.Ratio = max(c.Ratio, float32(lr))
	}
	b.Crowds[en.Group] = c
}

// monthlyCause reports whether an alert of an account of common-mode
// group g (commonPeerIndex), with log2 ratio lr (NaN: none), repeats its
// group's last crowd a month later (monthLater:
// the same date, or the same end of the month): managers' month-end
// reports raise dozens of them each month, and each month the first
// movers alerted before the crowd was there to excuse them (altgen8:
// 14-21 false entity-days a seed). Or it goes on the next working day,
// once two of the group are excused again that day: a several-day cause
// raises its accounts unequally, and the top of each day stands beyond
// half of the others' ratios (altgen8, altgen4's audit campaign: 736 →
// 722 over 36 logs). Alone, the first of its group that day, an account
// is not excused: three evening pulls were, the day after a campaign.
// An alert raised more than twice as far as the crowd's largest is not
// the routine.
func (d *Detector) monthlyCause(g int32, lr float64) bool {
	c, ok := d.breadth.Causes[g]
	return ok && !math.IsNaN(lr) && float32(lr) <= c.Ratio+1 && (d.monthLater(c.Day, d.breadth.Day) ||
		d.nextWorkday(c.Day, d.breadth.Day) && d.breadth.Crowds[g].N >= 2)
}

// commonCause is excused's judgement on the day the breadth notes hold,
// without counting an excuse: the tail shifts ask it too (tailrate.go).
func (d *Detector) commonCause(i int32, f int, sc, lr float64) bool {
	e := &d.ents[i]
	lo := float32(lr - 1)
	if math.IsNaN(lr) {
		lo = inf32
	}
	// A brand-new account's ratio is to its group's level, not to a habit
	// of its own that a common cause raises: in its first days, only
	// members of its group (its role across organisations) raised as much
	// excuse it by ratio. A new account's extraction at month-end was
	// excused by managers exporting their organisations' lists.
	loOther, g := lo, commonPeerIndex(e)
	if e.Fresh && e.Base.Days() < newcomerDays {
		loOther = inf32
	} else if e.Kind == kindAccount && d.monthlyCause(g, lr) {
		return true
	}
	// An excused sum fading after its common cause still excuses the
	// cause's other accounts (their sums hold its excess too), but not
	// the alarm of an account the cause never raised: for days it stands
	// above any new sum of another organisation
	// (TestEndedCommonCauseIsNotBreadth).
	fresh := f == brCusum && e.Base.Cusum.Held == 0
	var byOrg map[int32]int
	n, broad := 0, 0
	for j, en := range d.breadth.Accs {
		if j == i || en.Kind != e.Kind || (e.Org >= 0 && en.Org == e.Org) || fresh && en.Fading {
			continue
		}
		l := lo
		if en.Group != g {
			l = loOther
		}
		if !d.raisedAsMuch(&en, f, sc, l) {
			continue
		}
		o := en.Org
		if o < 0 {
			o = -2 - j // an account without organisation is its own
		}
		if byOrg == nil {
			byOrg = map[int32]int{}
		}
		if byOrg[o]++; byOrg[o] == breadthPerOrg {
			broad++
		}
		if n++; n >= breadthMin && (len(byOrg) >= breadthOrgs || broad >= 2) {
			return true
		}
	}
	return false
}

// stirring reports whether a common cause may be starting around entity
// i's open window: another account of its common-mode group, in another
// organisation, was raised today by at least half its log2 ratio lr in a
// test of family f near the threshold. The first movers of a common cause
// (a review campaign's first supervisors, a quarter-end's first
// exporters) reach their threshold before five others are there to
// excuse them; an open window whose score is within twice breadthMargin
// of its threshold then waits for its close, when breadth is decided with
// the whole hour, or for its score to rise beyond. An extraction
// multiplies its account's volume far beyond what another member's busy
// hour does (no wait), or climbs past the margin within a few requests
// (TestStirringDelaysAnExtractionLittle: 192 records instead of 128).
func (d *Detector) stirring(i int32, f int, start int64, lr float64) bool {
	e := &d.ents[i]
	if math.IsNaN(lr) || d.breadth.Day != d.clock.At(start).Day {
		return false
	}
	g, lo := commonPeerIndex(e), float32(lr-1)
	for j, en := range d.breadth.Accs {
		if j == i || en.Kind != e.Kind || en.Group != g || e.Org >= 0 && en.Org == e.Org {
			continue
		}
		for k := range numBreadth {
			if kin(k, f) && en.Ratio[k] >= lo {
				return true
			}
		}
	}
	return false
}

// raisedAsMuch reports whether en was raised as far above family f's
// threshold as sc, less breadthMargin, or by a log2 ratio of at least lo
// in a test near its threshold. The hour's volume and its
// largest request count as one family: a common cause raises each account
// through whichever its history makes the more sensitive (an account
// whose largest request was 12 records scores a 3,000-record export by
// its size, one used to exports by its hour's volume). Day tests stay
// apart: the day volume of accounts extracting since the morning would
// excuse a later accomplice's hour.
func (d *Detector) raisedAsMuch(en *breadthEntry, f int, sc float64, lo float32) bool {
	need := sc - d.thr[brFamily[f]] - breadthMargin
	if f == brCusum && !en.Fading {
		// A sum's score says for how long an excess has lasted as much as
		// how large it is: a common cause of several days raises sums
		// unequally, and its late risers climb past the others' level
		// with no ratio to compare (the evidence is several days').
		// Others whose sums reached the threshold and still grow count,
		// however far beyond it this alarm stands; a fading sum does not
		// (its cause may be over: an account still rising after it is
		// not excused by it; TestExcusedCusumStaysQuietAfterItsCause).
		need = min(need, 0)
	}
	for k := range numBreadth {
		if !kin(k, f) {
			continue
		}
		if float64(en.Score[k])-d.thr[brFamily[k]] >= need || en.Ratio[k] >= lo {
			return true
		}
	}
	return false
}

// kin reports whether breadth families k and f count as one: the same
// family, or the hour's two tests (its volume and its largest request).
func kin(k, f int) bool { return k == f || hourly(k) && hourly(f) }

// hourly reports whether breadth family f tests an hour's records.
func hourly(f int) bool { return f == brHour || f == brRequest }

// finding is a test that reached its threshold: what its alert reports.
// A closed window's finding waits in d.pending for the other windows
// closing in the same step: a common cause shows in all of them at once,
// and the first accounts in index order must not alert for lack of the
// others' scores.
type finding struct {
	i                    int32
	fam                  int
	det, res             string
	start, end           int64
	obs, exp, thr, score float64
	novel                float64 // evidence of a new context in score
	// reqs and reqExp are the window's requests and their expectation
	// when their number, not the records, gave the score (reqExp 0
	// otherwise): the explanation must say what was unusual.
	reqs, reqExp float64
	win          int // index of the window's row in d.out.Windows, -1 none
	// sums marks an organisation share whose members were ranked by
	// their running CUSUM sums, not their day's volume.
	sums bool
}

// logRatio is log2 of the observed over the expected count that gave
// the finding's score; NaN for CUSUM, whose evidence is several days'.
func (a *finding) logRatio() float64 {
	switch {
	case a.fam == brCusum:
		return math.NaN()
	case a.reqExp > 0:
		return logRatio(a.reqs, a.reqExp)
	}
	return logRatio(a.obs, a.exp)
}

// logRatio is log2(y/mu), with y at least one half and mu at least 1e-3.
func logRatio(y, mu float64) float64 {
	return math.Log2(math.Max(y, 0.5) / math.Max(mu, 1e-3))
}

var inf32 = float32(math.Inf(1))

// closeAlert holds a closed window's alert until the step's windows are
// all scored (flushPending).
func (d *Detector) closeAlert(a finding) {
	d.pending = append(d.pending, a)
}

// raise emits a closed window's alert; a CUSUM alarm restarts its sum.
func (d *Detector) raise(a finding) {
	d.alert(a, a.end)
	if a.fam == brCusum {
		d.ents[a.i].Base.Cusum.Reset()
	}
}

// flushPending raises the pending alerts that breadth does not excuse, in
// the order their windows closed. An excused window's row says it did
// not alert; an excused CUSUM keeps its sum (the common cause's other
// accounts must still see it tomorrow) and holds the score it was excused
// at (Cusum.Held).
func (d *Detector) flushPending() {
	for _, a := range d.pending {
		if d.excused(a.i, a.fam, a.start, a.score, a.logRatio()) {
			if a.win >= 0 && a.win < len(d.out.Windows) {
				d.out.Windows[a.win].Alerted = false
			}
			if a.fam == brCusum {
				c := &d.ents[a.i].Base.Cusum
				c.Held = max(c.Held, float32(a.score))
			}
			if a.fam == brRequest {
				// A common cause's export is the account's own from now
				// on, as an excused request of an open hour is.
				d.ents[a.i].Base.LearnLargestRequest(a.obs)
			}
			continue
		}
		d.raise(a)
	}
	d.pending = d.pending[:0]
}
