package synth

import (
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"
)

// Operations: an action on a resource.
const (
	opLogin = iota
	opView
	opUpdate
	opDownload
	opSearch
	opExport
	opDashboard
	opStats
	opNightly
	opAPI
)

var ops = [...]struct{ action, resource string }{
	opLogin:     {"login", "session"},
	opView:      {"view", "dossier"},
	opUpdate:    {"update", "dossier"},
	opDownload:  {"download", "document"},
	opSearch:    {"search", "dossiers"},
	opExport:    {"export", "portefeuille"},
	opDashboard: {"view", "tableau_de_bord"},
	opStats:     {"search", "statistiques"},
	opNightly:   {"export", "flux_quotidien"},
	opAPI:       {"search", "api_dossiers"},
}

// event is one generated request before formatting.
type event struct {
	key     int64 // output order: ts plus the disorder jitter
	ts      int64 // Unix seconds
	seq     uint64
	session uint64
	acct    int32
	records int32
	subject uint32 // 0: none
	ip      uint32
	op      uint8
	ua      uint8
	attack  int8 // index in labels.Attacks, -1 when benign
}

// boost raises an account's volume on one day on behalf of an attack.
type boost struct {
	mult   float64
	attack int8
}

type generator struct {
	cfg      Config
	loc      *time.Location
	days     []day
	orgs     []org
	accounts []account
	pcg      rand.PCG
	r        *rand.Rand
	seq      uint64
	buf      []event // events of the current day, then the carry-over
	special  []event // precomputed attack events, sorted by ts
	boosts   map[int64]boost
	labels   Labels
}

// Generate writes the scenario described by cfg to w as JSON lines, in time
// order (up to cfg.Disorder seconds), and returns its labels. The output
// depends only on cfg.
func Generate(cfg Config, w io.Writer) (*Labels, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("invalid synth config: %w", err)
	}
	start, _ := cfg.startDay()
	g := &generator{cfg: cfg, loc: start.Location(), boosts: map[int64]boost{}}
	g.r = rand.New(&g.pcg)
	g.days = buildCalendar(start, cfg.Days)
	g.buildPopulation()
	g.planAttacks()
	g.labelBenign()
	g.labels.Seed = cfg.Seed
	g.labels.TimeZone = TimeZone
	g.labels.Start = start
	g.labels.End = time.Unix(g.days[len(g.days)-1].end, 0).In(g.loc)
	g.labels.Days = cfg.Days
	g.labels.AccountCount = len(g.accounts)

	out := &writer{w: w, loc: g.loc, g: g, buf: make([]byte, 0, 1<<20)}
	for d := range g.days {
		g.generateDay(d)
		// Events of later days have keys at or after this day's end, so
		// everything keyed before it can be written now.
		if err := out.flushBefore(g.days[d].end); err != nil {
			return nil, err
		}
	}
	if err := out.flushBefore(1 << 62); err != nil {
		return nil, err
	}
	if err := out.finish(); err != nil {
		return nil, err
	}
	for i := range g.labels.Attacks {
		if g.labels.Attacks[i].Events == 0 {
			return nil, fmt.Errorf("BUG: attack %s produced no events", g.labels.Attacks[i].ID)
		}
	}
	return &g.labels, nil
}

// rng reseeds the shared generator for one (stream, account, day): each
// account-day draws from its own stream, so a change to one account leaves
// the others' events unchanged.
func (g *generator) rng(stream, acct, d uint64) *rand.Rand {
	g.pcg.Seed(mix(g.cfg.Seed^mix(stream)), mix(acct<<20^d^stream<<52))
	return g.r
}

func (g *generator) add(ts int64, acct int32, op uint8, records int32, subject uint32, session uint64, ip uint32, ua uint8, attack int8) {
	key := ts
	if g.cfg.Disorder > 0 {
		// Drawn from a hash so the jitter leaves the other draws alone.
		key += int64(mix(g.seq^g.cfg.Seed) % uint64(g.cfg.Disorder+1))
	}
	g.buf = append(g.buf, event{key: key, ts: ts, seq: g.seq, session: session, acct: acct, records: records,
		subject: subject, ip: ip, op: op, ua: ua, attack: attack})
	g.seq++
}

// generateDay appends every event of day d to g.buf.
func (g *generator) generateDay(d int) {
	for a := range g.accounts {
		acc := &g.accounts[a]
		if acc.scripted {
			continue
		}
		switch acc.role {
		case roleService:
			g.serviceDay(int32(a), d)
		default:
			g.officeDay(int32(a), d)
		}
	}
	day := g.days[d]
	for len(g.special) > 0 && g.special[0].ts < day.end {
		e := g.special[0]
		g.special = g.special[1:]
		g.add(e.ts, e.acct, e.op, e.records, e.subject, e.session, e.ip, e.ua, e.attack)
	}
}

// dayFactor is an advisor's or manager's volume on day d relative to an
// ordinary day.
func (g *generator) dayFactor(acc *account, a int32, d int) float64 {
	day := g.days[d]
	if !day.working || d < acc.joinDay || (d >= acc.vacFrom && d < acc.vacTo) {
		return 0
	}
	f := [...]float64{time.Monday: 1.4, time.Tuesday: 1.05, time.Wednesday: 0.85, time.Thursday: 1.0, time.Friday: 0.8}[day.weekday]
	if day.afterHoliday {
		f *= 1.3
	}
	if day.bridge && !acc.attacked && mix(uint64(a)<<20^uint64(d)^g.cfg.Seed)%100 < 45 {
		return 0 // took the bridge day off
	}
	if d == acc.vacTo {
		f *= 1.2 // back from vacation: catching up
	}
	if acc.joinDay > 0 {
		f *= [...]float64{0.5, 0.8, 1}[min(d-acc.joinDay, 2)] // learning the tools
	}
	if acc.role == roleManager && day.monthEnd {
		f *= 3 + 2*float64(mix(uint64(a)^uint64(d)<<32)%1000)/1000
	}
	return f
}

// officeDay generates one advisor's or manager's working day: arrival,
// lunch dip, departure, two sessions with their logins.
func (g *generator) officeDay(a int32, d int) {
	acc := &g.accounts[a]
	f := g.dayFactor(acc, a, d)
	b, boosted := g.boosts[int64(a)<<16|int64(d)]
	if f == 0 && !boosted {
		return
	}
	r := g.rng(1, uint64(a), uint64(d))
	day := g.days[d]
	mean := acc.level * f * lognormal(r, 1, 0.3)
	n := poisson(r, mean)
	extra := 0
	if boosted {
		if f == 0 { // an attacker at work on a day off
			mean = acc.level * lognormal(r, 1, 0.3)
		}
		extra = poisson(r, mean*(b.mult-1))
	}
	arrive := 8.5*3600 + acc.shift + r.NormFloat64()*1200
	arrive = min(max(arrive, 7*3600), 10*3600)
	leave := 17.75*3600 + acc.shift + r.NormFloat64()*1800
	if acc.role == roleManager && day.monthEnd {
		leave += 3600
	}
	leave = min(max(leave, arrive+4*3600), 20*3600)
	lunch := 12*3600 + r.Float64()*3600
	lunchEnd := lunch + 2400 + r.Float64()*2400
	sessions := [2]uint64{mix(g.cfg.Seed ^ uint64(a)<<24 ^ uint64(d)<<4), mix(g.cfg.Seed ^ uint64(a)<<24 ^ uint64(d)<<4 ^ 1)}
	first := [2]int64{1 << 62, 1 << 62}
	for i := range n + extra {
		var t float64
		for {
			t = arrive + r.Float64()*(leave-arrive)
			accept := 1.0
			switch {
			case t >= lunch && t < lunchEnd:
				accept = 0.15
			case t < 9*3600 || t > 17*3600:
				accept = 0.7
			case (t > 11.5*3600 && t < lunch) || t > 16.5*3600:
				accept = 0.85
			}
			if r.Float64() < accept {
				break
			}
		}
		ts := day.start + int64(t)
		s := 0
		if t >= lunchEnd {
			s = 1
		}
		first[s] = min(first[s], ts)
		attack := int8(-1)
		if i >= n {
			attack = b.attack
		}
		op, rec, subj := g.officeRequest(r, acc, day.monthEnd, attack >= 0)
		g.add(ts, a, op, rec, subj, sessions[s], acc.ip, acc.ua, attack)
	}
	for s, t := range first {
		if t < 1<<62 {
			g.add(t-5-r.Int64N(60), a, opLogin, 0, 0, sessions[s], acc.ip, acc.ua, -1)
		}
	}
}

// officeRequest draws one request of an advisor or manager. Insiders
// taking extra records favour searches over views but keep ordinary sizes,
// so that no single request stands out.
func (g *generator) officeRequest(r *rand.Rand, acc *account, monthEnd, insider bool) (op uint8, records int32, subject uint32) {
	x := r.Float64()
	if insider {
		x = 0.4 + 0.59*x // views and searches only
	}
	subj := func() uint32 {
		if r.Float64() < 0.85 {
			return acc.portfolioBase + uint32(r.IntN(int(acc.portfolioSize)))
		}
		return uint32(1_000_000 + r.IntN(9_000_000))
	}
	search := func() int32 {
		if r.Float64() < 0.02 {
			return int32(50 + r.IntN(150)) // a larger page
		}
		u := r.Float64()
		return int32(10 + 40*u*u*u) // mostly near 10, up to 50
	}
	export := func() int32 { return int32(min(max(lognormal(r, 250, 0.5), 100), 2000)) }
	if acc.role == roleManager {
		exportShare := 0.02
		if monthEnd {
			exportShare = 0.15
		}
		switch {
		case x < 0.3:
			return opDashboard, int32(1 + r.IntN(30)), 0
		case x < 0.55:
			return opView, 1, subj()
		case x < 1-exportShare:
			return opStats, search(), 0
		default:
			return opExport, export(), 0
		}
	}
	switch {
	case x < 0.12:
		return opUpdate, 1, subj()
	case x < 0.17:
		return opDownload, 1, subj()
	case x < 0.72:
		return opView, 1, subj()
	case x < 0.995:
		return opSearch, search(), 0
	default:
		return opExport, export(), 0
	}
}

// serviceDay generates a service account's nightly export (every night,
// weekends included) and, on working days, its daytime API calls.
func (g *generator) serviceDay(a int32, d int) {
	acc := &g.accounts[a]
	r := g.rng(2, uint64(a), uint64(d))
	day := g.days[d]
	total := int(acc.level * lognormal(r, 1, 0.15))
	page := 500 << (a % 2)
	t := float64(3600 + r.IntN(3600)) // starts between 01:00 and 02:00
	session := mix(g.cfg.Seed ^ uint64(a)<<24 ^ uint64(d)<<4 ^ 2)
	g.add(day.start+int64(t)-2, a, opLogin, 0, 0, session, acc.ip, acc.ua, -1)
	for total > 0 {
		n := min(total, page)
		g.add(day.start+int64(t), a, opNightly, int32(n), 0, session, acc.ip, acc.ua, -1)
		total -= n
		t += 2 + r.Float64()*4
	}
	if !day.working {
		return
	}
	calls := 30 + r.IntN(50)
	for range calls {
		ts := day.start + int64(8*3600+r.IntN(10*3600))
		g.add(ts, a, opAPI, int32(1+r.IntN(20)), 0, session^3, acc.ip, acc.ua, -1)
	}
}

// writer formats events as JSON lines into a large buffer and writes it in
// big chunks: no fmt, no per-event allocation.
type writer struct {
	w   io.Writer
	loc *time.Location
	g   *generator
	buf []byte
}

func (o *writer) flushBefore(limit int64) error {
	g := o.g
	slices.SortFunc(g.buf, func(a, b event) int {
		if a.key != b.key {
			if a.key < b.key {
				return -1
			}
			return 1
		}
		if a.seq < b.seq {
			return -1
		}
		return 1
	})
	i := 0
	for ; i < len(g.buf) && g.buf[i].key < limit; i++ {
		o.format(&g.buf[i])
		if len(o.buf) > 1<<20-4096 {
			if _, err := o.w.Write(o.buf); err != nil {
				return fmt.Errorf("writing events: %w", err)
			}
			o.buf = o.buf[:0]
		}
	}
	g.buf = append(g.buf[:0], g.buf[i:]...)
	return nil
}

func (o *writer) finish() error {
	if _, err := o.w.Write(o.buf); err != nil {
		return fmt.Errorf("writing events: %w", err)
	}
	o.buf = o.buf[:0]
	return nil
}

const hexDigits = "0123456789abcdef"

func (o *writer) format(e *event) {
	g := o.g
	acc := &g.accounts[e.acct]
	op := ops[e.op]
	b := o.buf
	b = append(b, `{"ts":"`...)
	b = time.Unix(e.ts, 0).In(o.loc).AppendFormat(b, time.RFC3339)
	b = append(b, `","account":"`...)
	b = append(b, acc.name...)
	b = append(b, `","org":"`...)
	b = append(b, g.orgs[acc.org].name...)
	b = append(b, `","role":"`...)
	b = append(b, roleNames[acc.role]...)
	b = append(b, `","action":"`...)
	b = append(b, op.action...)
	b = append(b, `","resource":"`...)
	b = append(b, op.resource...)
	b = append(b, `","src_ip":"`...)
	b = strconv.AppendUint(b, uint64(e.ip>>24), 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, uint64(e.ip>>16&255), 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, uint64(e.ip>>8&255), 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, uint64(e.ip&255), 10)
	b = append(b, `","user_agent":"`...)
	b = append(b, userAgents[e.ua]...)
	b = append(b, `","session":"`...)
	for s := 60; s >= 0; s -= 4 {
		b = append(b, hexDigits[e.session>>s&15])
	}
	b = append(b, `","records":`...)
	b = strconv.AppendInt(b, int64(e.records), 10)
	if e.subject != 0 {
		// A job seeker's id: seven digits and a check letter.
		b = append(b, `,"subject":"`...)
		b = strconv.AppendUint(b, uint64(e.subject), 10)
		b = append(b, byte('A'+e.subject%26), '"')
	}
	b = append(b, "}\n"...)
	o.buf = b

	g.labels.Events++
	g.labels.Records += int64(e.records)
	if e.attack >= 0 {
		l := &g.labels.Attacks[e.attack]
		t := time.Unix(e.ts, 0).In(o.loc)
		if l.Events == 0 || t.Before(l.Start) {
			l.Start = t
		}
		if l.Events == 0 || t.After(l.End) {
			l.End = t
		}
		l.Events++
		l.Records += int64(e.records)
	}
}
