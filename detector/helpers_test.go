package detector

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/vigie/vigie/ingest"
)

var paris = mustLoc("Europe/Paris")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// start is a Monday.
var start = time.Date(2024, 1, 8, 0, 0, 0, 0, paris)

// stream builds a deterministic synthetic stream.
type stream struct {
	// holidays (day numbers) observed by office advisors.
	holidays map[int]bool
	rng      *rand.Rand
	evs      []ingest.Event
}

func newStream(seed uint64) *stream {
	return &stream{rng: rand.New(rand.NewPCG(seed, 7))}
}

func (s *stream) add(t time.Time, acct, org, role string, records int64) {
	s.evs = append(s.evs, ingest.Event{TS: t.UnixMilli(), Account: acct, Org: org, Role: role, Records: records})
}

// burst adds n requests of records each by acct, one every gap from at.
func (s *stream) burst(at time.Time, n int, gap time.Duration, acct, org, role string, records int64) {
	for k := range n {
		s.add(at.Add(time.Duration(k)*gap), acct, org, role, records)
	}
}

// reqSize draws a benign advisor's request: mostly single views, some
// lists, a few exports.
func (s *stream) reqSize() int64 {
	switch u := s.rng.Float64(); {
	case u < 0.7:
		return 1
	case u < 0.95:
		return 5 + s.rng.Int64N(16)
	default:
		return 50 + s.rng.Int64N(100)
	}
}

// meanRequest is the mean of reqSize's records per request.
var meanRequest = 0.7*1 + 0.25*12.5 + 0.05*99.5

// advisor adds an office worker: working days only (Mondays busier, holidays
// off), requests during office hours, about perDay records a day.
func (s *stream) advisor(acct, org string, from, days int, perDay float64, holidays map[int]bool) {
	for d := from; d < from+days; d++ {
		day := start.AddDate(0, 0, d)
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday || holidays[d] {
			continue
		}
		target := perDay
		if day.Weekday() == time.Monday || holidays[d-1] {
			target *= 1.3
		}
		target *= 0.6 + 0.8*s.rng.Float64()
		n := int(target / meanRequest)
		for k := 0; k < n; k++ {
			h := 9 + s.rng.IntN(8)
			if h == 12 {
				h = 13
			}
			t := day.Add(time.Duration(h)*time.Hour + time.Duration(s.rng.IntN(3600))*time.Second)
			s.add(t, acct, org, "advisor", s.reqSize())
		}
	}
}

// office adds n advisors of org over days.
func (s *stream) office(org string, n, days int, perDay float64) {
	for k := 0; k < n; k++ {
		s.advisor(org+"-adv-"+strconv.Itoa(k), org, 0, days, perDay*(0.5+s.rng.Float64()), s.holidays)
	}
}

func (s *stream) sorted() []ingest.Event {
	slices.SortStableFunc(s.evs, func(a, b ingest.Event) int {
		switch {
		case a.TS < b.TS:
			return -1
		case a.TS > b.TS:
			return 1
		}
		return 0
	})
	return s.evs
}

type run struct {
	out   Output
	stats Stats
	// recordsAtFirst is the attacker's records before its first alert.
	recordsAtFirst float64
}

// replay runs evs through a detector and collects everything, noting how
// many records watch had accessed since from (Unix ms) when its first alert
// fired.
func replay(tb testing.TB, cfg Config, evs []ingest.Event, watch string, from int64) run {
	tb.Helper()
	d, err := New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	var r run
	var o Output
	taken := 0.0
	seen := false
	r.recordsAtFirst = -1
	for k := range evs {
		ev := evs[k]
		d.Observe(&ev)
		if ev.Account == watch && ev.TS >= from && !seen {
			taken += float64(ev.Records)
		}
		d.Take(&o)
		for _, a := range o.Alerts {
			if a.Entity == watch && !seen {
				seen = true
				r.recordsAtFirst = taken
			}
		}
		r.out.Alerts = append(r.out.Alerts, o.Alerts...)
		r.out.Windows = append(r.out.Windows, o.Windows...)
		r.out.Incidents = append(r.out.Incidents, o.Incidents...)
	}
	d.Close()
	d.Take(&o)
	r.out.Alerts = append(r.out.Alerts, o.Alerts...)
	r.out.Windows = append(r.out.Windows, o.Windows...)
	r.out.Incidents = append(r.out.Incidents, o.Incidents...)
	r.stats = d.Stats()
	return r
}

func alertsFor(r run, entity string) []Alert {
	var out []Alert
	for _, a := range r.out.Alerts {
		if a.Entity == entity {
			out = append(out, a)
		}
	}
	return out
}

// countAlerts counts r's alerts that keep accepts.
func countAlerts(r run, keep func(Alert) bool) int {
	n := 0
	for _, a := range r.out.Alerts {
		if keep(a) {
			n++
		}
	}
	return n
}
