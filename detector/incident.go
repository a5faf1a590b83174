package detector

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/vigie/vigie/models"
)

// incident is the state of one episode of an entity.
type incident struct {
	ID              string
	Entity          int32
	Detector        string
	Version         uint64
	Opened, Updated int64
	LastAbnormal    int64
	Records         float64
	Expected        float64
	PeakScore       float64
	PeakRatio       float64
	PeakWindow      int64
	Severity        int
	Alerts          int
	Explanation     string
	Closed          bool
}

var severities = [...]string{SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical}

// severity ranks an alert: by score (low < 6, medium < 9, high < 15,
// critical >= 15) and by volume (critical whenever it is at least 10× the
// expectation with at least 10,000 records: a bulk extraction is critical
// however noisy the baseline).
func severity(score, observed, expected float64) int {
	if observed >= 10000 && observed >= 10*expected {
		return 3
	}
	switch {
	case score >= 15:
		return 3
	case score >= 9:
		return 2
	case score >= 6:
		return 1
	}
	return 0
}

// stableID hashes its parts into 16 hex digits.
func stableID(parts ...string) string {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], h.Sum64())
	return hex.EncodeToString(b[:])
}

// alert records one abnormal window of entity i: it opens an incident (an
// "open" alert), escalates it (an "escalation" alert when the severity
// rises) or only updates it.
func (d *Detector) alert(f finding, firedAt int64) {
	f.obs, f.exp, f.thr, f.score = finite(f.obs), finite(f.exp), finite(f.thr), finite(f.score)
	i, det, res, start, end := f.i, f.det, f.res, f.start, f.end
	obs, exp, thr, score := f.obs, f.exp, f.thr, f.score
	e := &d.ents[i]
	sev := severity(score, obs, exp)
	ratio := obs / math.Max(exp, 1e-9)
	kind := ""
	var inc *incident
	if e.Incident < 0 {
		e.Incident = int32(len(d.incs))
		d.incs = append(d.incs, incident{
			ID:       stableID(entityType(e.Kind), e.Key, det, strconv.FormatInt(start, 10)),
			Entity:   i,
			Detector: det,
			Opened:   firedAt,
			Severity: sev,
		})
		inc = &d.incs[e.Incident]
		d.stats.IncidentsOpened++
		kind = "open"
		if res == "day" || res == "request" {
			inc.Records = obs
			inc.Expected = exp
		}
	} else {
		inc = &d.incs[e.Incident]
		if sev > inc.Severity {
			inc.Severity = sev
			kind = "escalation"
		}
	}
	inc.Updated = firedAt
	inc.LastAbnormal = max(inc.LastAbnormal, end, firedAt)
	if score > inc.PeakScore {
		inc.PeakScore = score
		inc.PeakWindow = start
	}
	inc.PeakRatio = math.Max(inc.PeakRatio, ratio)
	text := d.explain(e, &f)
	if kind != "" {
		inc.Alerts++
		inc.Explanation = text
		a := Alert{
			AlertID:     stableID(entityType(e.Kind), e.Key, det, inc.ID, kind, strconv.FormatInt(start, 10)),
			IncidentID:  inc.ID,
			Kind:        kind,
			FiredAt:     time.UnixMilli(firedAt).UTC(),
			EntityType:  entityType(e.Kind),
			Entity:      e.Key,
			Org:         e.OrgName,
			Role:        e.Role,
			Detector:    det,
			Resolution:  res,
			WindowStart: time.UnixMilli(start).UTC(),
			WindowEnd:   time.UnixMilli(end).UTC(),
			Observed:    obs,
			Expected:    exp,
			Threshold:   thr,
			Score:       score,
			Severity:    severities[sev],
			Explanation: text,
		}
		d.out.Alerts = append(d.out.Alerts, a)
		d.stats.AlertsBySeverity[a.Severity]++
		d.stats.AlertsByDetector[det]++
	}
	d.emitIncident(inc)
}

func (d *Detector) emitIncident(inc *incident) {
	inc.Version++
	e := &d.ents[inc.Entity]
	out := Incident{
		IncidentID:      inc.ID,
		Version:         inc.Version,
		Status:          "open",
		EntityType:      entityType(e.Kind),
		Entity:          e.Key,
		Org:             e.OrgName,
		Role:            e.Role,
		Detector:        inc.Detector,
		OpenedAt:        time.UnixMilli(inc.Opened).UTC(),
		UpdatedAt:       time.UnixMilli(inc.Updated).UTC(),
		Records:         inc.Records,
		Expected:        inc.Expected,
		PeakScore:       inc.PeakScore,
		PeakRatio:       inc.PeakRatio,
		PeakWindowStart: time.UnixMilli(inc.PeakWindow).UTC(),
		Severity:        severities[inc.Severity],
		Alerts:          inc.Alerts,
		Explanation:     inc.Explanation,
	}
	if inc.Closed {
		out.Status = "closed"
		out.ClosedAt = out.UpdatedAt
	}
	d.out.Incidents = append(d.out.Incidents, out)
}

// closeQuietIncidents closes, in entity order, the incidents without an
// abnormal window for QuietPeriod of working time before wm.
func (d *Detector) closeQuietIncidents(wm int64) {
	for k := range d.incs {
		inc := &d.incs[k]
		if inc.Closed {
			continue
		}
		end, quiet := d.quietEnd(inc.LastAbnormal, wm)
		if !quiet {
			continue
		}
		e := &d.ents[inc.Entity]
		if e.Hour.Alerted || e.Day.Alerted {
			continue
		}
		inc.Closed = true
		inc.Updated = end
		e.Incident = -1
		d.stats.IncidentsClosed++
		d.emitIncident(inc)
	}
	// Forget closed incidents: they were emitted for the last time.
	kept := d.incs[:0]
	for _, inc := range d.incs {
		if !inc.Closed {
			d.ents[inc.Entity].Incident = int32(len(kept))
			kept = append(kept, inc)
		}
	}
	d.incs = kept
}

// explain writes the one-sentence explanation of an alert.
func (d *Detector) explain(e *entity, f *finding) string {
	det, res, start, end := f.det, f.res, f.start, f.end
	obs, exp, score, novel := f.obs, f.exp, f.score, f.novel
	loc := d.clock.Cal.Location()
	st := time.UnixMilli(start).In(loc)
	en := time.UnixMilli(end).In(loc)
	var who string
	if e.Kind == kindOrg {
		who = "Organisation " + e.Key
	} else {
		who = "Account " + e.Key
		switch {
		case e.OrgName != "" && e.Role != "":
			who += " (" + e.OrgName + ", " + e.Role + ")"
		case e.OrgName != "":
			who += " (" + e.OrgName + ")"
		case e.Role != "":
			who += " (" + e.Role + ")"
		}
	}
	peer := d.peerOf(e).Level()
	var b strings.Builder
	switch det {
	case DetRequest:
		fmt.Fprintf(&b, "%s retrieved %s records in a single request between %s and %s on %s, %s times its largest request so far (%s)",
			who, num(obs), st.Format("15:04"), en.Format("15:04"), st.Format("Mon 2 Jan"), num(obs/math.Max(exp, 1)), num(exp))
	case DetOrgShare:
		// exp is shareElevated × the organisation's active accounts.
		what := "a day volume"
		if f.sums {
			what = "a running excess over its long-term level"
		}
		fmt.Fprintf(&b, "%s had %s of its %d active accounts elevated at once on %s, each at %s reached by fewer than 1 account in %s across organisations, where %s were expected",
			who, num(obs), int(math.Round(exp/shareElevated)), st.Format("Mon 2 Jan"), what, num(1/shareElevated), num(exp))
	case DetDistinct:
		fmt.Fprintf(&b, "%s accessed the records of %s distinct people on %s, %sx the %s expected for that day",
			who, num(obs), st.Format("Mon 2 Jan"), num(obs/math.Max(exp, 1e-3)), num(exp))
	case DetCusumDay:
		fmt.Fprintf(&b, "%s accessed %s records on %s, the latest of several days above its long-term level of %s a day (persistent excess)",
			who, num(obs), st.Format("Mon 2 Jan"), num(exp))
	default:
		span := "on " + st.Format("Mon 2 Jan")
		if res == "hour" {
			span = "between " + st.Format("15:04") + " and " + time.UnixMilli(min(end, max(start, d.maxTS))).In(loc).Format("15:04") + " on " + st.Format("Mon 2 Jan")
		}
		what := "for " + dayKind(d.clock.At(start).Type)
		if res == "hour" {
			what = "for that hour of " + dayKind(d.clock.At(start).Type)
		}
		if f.reqExp > 0 {
			// The number of requests gave the score: say so, with the
			// records for scale.
			fmt.Fprintf(&b, "%s made %s requests (%s records) %s, %sx the %s requests expected %s",
				who, num(f.reqs), num(obs), span, num(f.reqs/f.reqExp), num(f.reqExp), what)
		} else {
			fmt.Fprintf(&b, "%s accessed %s records %s, %sx the %s expected %s",
				who, num(obs), span, num(obs/math.Max(exp, 1e-3)), num(exp), what)
		}
	}
	if novel > 0 {
		// novel = −log10(2q), q the account's rate of hours with a new
		// context (models.Baseline.NoveltyScore).
		fmt.Fprintf(&b, ", from a network or browser it had not used before (about 1 of its active hours in %s does)", num(2*math.Pow(10, novel)))
	}
	// The window's own day: a day alert fires once the day window is
	// already closed, when d.common(e) no longer sees it. Below 1.1 the
	// factor would print as "1x".
	if cm, _ := d.commonPeer(e).CommonFactor(d.clock.At(start).Day); cm >= 1.1 && det != DetRequest && det != DetOrgShare {
		fmt.Fprintf(&b, ", allowing for its group being %sx busier than usual today", num(cm))
	}
	if e.Kind == kindAccount && peer > 0 {
		fmt.Fprintf(&b, " (peer group mean %s/day)", num(peer))
	}
	fmt.Fprintf(&b, "; about one chance in 10^%d under its baseline.", int(score))
	_ = en
	return b.String()
}

// finite maps ±Inf (a threshold no count reaches) to the largest float64
// of the same sign and NaN to 0: JSON has no infinities, and one alert that
// cannot be encoded would stall every sink behind it.
func finite(v float64) float64 {
	switch {
	case math.IsNaN(v):
		return 0
	case math.IsInf(v, 1):
		return math.MaxFloat64
	case math.IsInf(v, -1):
		return -math.MaxFloat64
	}
	return v
}

// dayKind names a day type for explanations.
func dayKind(t models.DayType) string {
	switch t {
	case models.DayFirst:
		return "a first working day after days off"
	case models.DayOff:
		return "a non-working day"
	}
	return "a working day"
}

// num formats a count for people: thousands separated, at most 3
// significant digits below 100.
func num(v float64) string {
	switch {
	case v >= 1000:
		s := strconv.FormatInt(int64(math.Round(v)), 10)
		var b strings.Builder
		for k, c := range s {
			if k > 0 && (len(s)-k)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(c)
		}
		return b.String()
	case v >= 100:
		return strconv.FormatInt(int64(math.Round(v)), 10)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 0, 64)
	default:
		return strconv.FormatFloat(v, 'g', 2, 64)
	}
}

// quietEnd returns when QuietPeriod of working time had passed since from,
// and whether that was by wm. Non-working days do not count: a leak that
// stops for a weekend, as its victim's office does, has not ended, and
// with a quiet period of a day every weekend split it into two incidents.
func (d *Detector) quietEnd(from, wm int64) (int64, bool) {
	left := d.cfg.QuietPeriod.Milliseconds()
	if wm-from > left+maxQuietSpan {
		// A year of holidays is not a pause: do not walk it.
		return from + left, true
	}
	for t := from; t < wm; {
		s := d.clock.At(t)
		if s.Type != models.DayOff {
			if t+left <= s.DayEnd {
				return t + left, t+left <= wm
			}
			left -= s.DayEnd - t
		}
		t = s.DayEnd
	}
	return 0, false
}

// maxQuietSpan bounds the calendar quietEnd walks beyond the quiet period.
const maxQuietSpan = 366 * 24 * 3600 * 1000
