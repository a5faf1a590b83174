package detector

// Common causes by breadth (models/doc.go §3c). The common mode (§3b)
// excuses what a peer group shares, but only a group the logs name: with
// no role field, a month-end that raises one account in twenty (the
// managers) is invisible to everyone's 0.8 quantile. What an attack
// cannot do is raise many accounts of many other organisations to the same
// level on the same day: when at least breadthMin accounts outside the
// alerting account's organisation already scored within breadthMargin of
// its score in the same family that day, the alert is excused as a common
// cause. At a family's threshold s, a level of s − 2 is reached by about
// 100 × (budget share) ≈ 0.8 accounts a day under the baseline, so five
// of them is not chance (Poisson tail ≈ 0.2%). Organisations are judged
// the same way among organisations (a month-end export raises many
// organisations' totals at once).

const (
	breadthMin    = 5
	breadthMargin = 2.0
	// breadthFloor is the lowest score remembered: below every family's
	// threshold less the margin (day, about 5.2), and above what
	// ordinary days reach often (about one account a day over score 3).
	breadthFloor = 3.0
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

// breadthEntry is one entity's best scores of the day, per family.
type breadthEntry struct {
	Org   int32
	Kind  uint8
	Score [numBreadth]float32
}

// breadth holds the entities (accounts and organisations) that scored at
// least breadthFloor on the local day Day.
type breadth struct {
	Day  int32
	Accs map[int32]breadthEntry
}

// noteAt remembers entity i's score sc in family f for the local day of
// the window starting at start. Every test notes its score, alerting or
// not, before anything is excused against the day's notes.
func (d *Detector) noteAt(i int32, f int, start int64, sc float64) {
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
		b.Day, b.Accs = day, map[int32]breadthEntry{}
	}
	en, ok := b.Accs[i]
	if !ok {
		en.Org, en.Kind = d.ents[i].Org, d.ents[i].Kind
	}
	en.Score[f] = max(en.Score[f], float32(sc))
	b.Accs[i] = en
}

// excused reports whether entity i's test of family f, scoring sc in the
// window starting at start, reached its threshold on a common cause: at
// least breadthMin entities of its kind in other organisations (of any,
// when an account has none) scored sc − breadthMargin or more in that
// family that day. A month-end that raises many organisations' totals
// is excused as one that raises many accounts is.
func (d *Detector) excused(i int32, f int, start int64, sc float64) bool {
	e := &d.ents[i]
	if d.breadth.Day != d.clock.At(start).Day {
		return false
	}
	n := 0
	for j, en := range d.breadth.Accs {
		if j == i || en.Kind != e.Kind || (e.Org >= 0 && en.Org == e.Org) || float64(en.Score[f]) < sc-breadthMargin {
			continue
		}
		if n++; n >= breadthMin {
			d.stats.Excused++
			return true
		}
	}
	return false
}

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
}

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
// not alert; an excused CUSUM keeps its sum.
func (d *Detector) flushPending() {
	for _, a := range d.pending {
		if d.excused(a.i, a.fam, a.start, a.score) {
			if a.win >= 0 && a.win < len(d.out.Windows) {
				d.out.Windows[a.win].Alerted = false
			}
			continue
		}
		d.raise(a)
	}
	d.pending = d.pending[:0]
}
