package synth

import (
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/rickar/cal/v2/fr"
)

// Organisation kinds.
const (
	kindIT = iota // national IT department: owns the nightly exports
	kindAgency
	kindCapEmploi
	kindMissionLocale
)

// Roles, as written in the role field.
const (
	roleAdvisor = iota
	roleManager
	roleService
)

var roleNames = [...]string{roleAdvisor: "advisor", roleManager: "manager", roleService: "service"}

// day is one calendar day of the scenario in Europe/Paris.
type day struct {
	start, end int64 // Unix seconds of local midnight and the next one
	date       time.Time
	weekday    time.Weekday
	holiday    bool
	working    bool // Monday to Friday and not a public holiday
	// afterHoliday is a working day right after a holiday: a catch-up day.
	afterHoliday bool
	// bridge is a working day between a holiday and a weekend: many
	// advisors take it off.
	bridge bool
	// monthEnd is one of the last two working days of its month, when
	// managers produce their reports.
	monthEnd bool
}

type org struct {
	name string
	kind int
	ip   uint32 // network (agencies) or NAT address (partners)
}

type account struct {
	name  string
	org   int32
	role  int
	level float64 // mean events per ordinary day; records per night for services
	ua    uint8
	ip    uint32
	// shift moves the account's office hours, in seconds.
	shift float64
	// portfolio is the range of job seekers the advisor follows.
	portfolioBase, portfolioSize uint32
	// joinDay is the first day of a new joiner (0 for everyone else).
	joinDay int
	// vacFrom and vacTo bound the days of absence [vacFrom, vacTo); -1
	// when the account takes no vacation in the period.
	vacFrom, vacTo int
	// scripted accounts exist only through an attack's events.
	scripted bool
	// attacked accounts are already used by an attack.
	attacked bool
}

var userAgents = [...]string{
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/125.0",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0.0.0",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/124.0.2478.67",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Safari/605.1.15",
	"Mozilla/5.0 (X11; Linux x86_64) Firefox/115.0",
	"Apache-HttpClient/4.5.14 (Java/17.0.9)", // service accounts
	"python-requests/2.31.0",                 // the extraction script
}

const (
	uaService = 5
	uaScript  = 6
	uaBrowser = 5 // browsers are userAgents[:uaBrowser]
)

// frenchHolidays returns the public holidays of the years in [from, to].
func frenchHolidays(from, to int) map[time.Time]bool {
	out := map[time.Time]bool{}
	for y := from; y <= to; y++ {
		for _, h := range fr.Holidays {
			d, _ := h.Calc(y)
			out[time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)] = true
		}
	}
	return out
}

// buildCalendar lays out the days of the scenario.
func buildCalendar(start time.Time, n int) []day {
	hol := frenchHolidays(start.Year(), start.AddDate(0, 0, n+31).Year())
	isHoliday := func(t time.Time) bool { return hol[time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)] }
	isWorking := func(t time.Time) bool {
		wd := t.Weekday()
		return wd != time.Saturday && wd != time.Sunday && !isHoliday(t)
	}
	days := make([]day, n)
	for i := range days {
		t := start.AddDate(0, 0, i)
		next := start.AddDate(0, 0, i+1)
		d := day{start: t.Unix(), end: next.Unix(), date: t, weekday: t.Weekday(), holiday: isHoliday(t), working: isWorking(t)}
		if d.working {
			prev := t.AddDate(0, 0, -1)
			prevWeekend := prev.Weekday() == time.Sunday
			nextWeekend := next.Weekday() == time.Saturday
			d.bridge = (isHoliday(prev) && nextWeekend) || (prevWeekend && isHoliday(next))
			d.afterHoliday = !d.bridge && isHoliday(prev)
			left := 0
			for u := next; u.Month() == t.Month(); u = u.AddDate(0, 0, 1) {
				if isWorking(u) {
					left++
				}
			}
			d.monthEnd = left < 2
		}
		days[i] = d
	}
	return days
}

// mix is splitmix64's finaliser: a cheap, well-spread hash for seeding.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// lognormal draws exp(N(mu, sigma)).
func lognormal(r *rand.Rand, median, sigma float64) float64 {
	return median * math.Exp(sigma*r.NormFloat64())
}

// poisson draws a Poisson count (normal approximation above 30).
func poisson(r *rand.Rand, mean float64) int {
	if mean <= 0 {
		return 0
	}
	if mean < 30 {
		l, p, k := math.Exp(-mean), 1.0, 0
		for {
			p *= r.Float64()
			if p < l {
				return k
			}
			k++
		}
	}
	n := int(math.Round(mean + math.Sqrt(mean)*r.NormFloat64()))
	return max(n, 0)
}

func ipv4(a, b, c, d uint32) uint32 { return a<<24 | b<<16 | c<<8 | d }

// Population shape. The advisor median is set so that the default month
// holds about 1.3 million events; everything else follows from behaviour.
const (
	advisorMedian = 35.0 // events on an ordinary working day
	advisorSigma  = 0.6  // heavy tail: a few advisors work 4x the median
	managerMedian = 12.0
	managerSigma  = 0.5
	vacationShare = 0.08
	joinerShare   = 0.01
	managerShare  = 0.08
)

// buildPopulation creates the organisations and accounts.
func (g *generator) buildPopulation() {
	r := g.rng(0xB0B, 0, 0)
	n := g.cfg.Orgs - 1
	nCap := max(1, n*25/100)
	nML := max(1, n*20/100)
	nAg := n - nCap - nML
	depts := r.Perm(95)
	dept := func(i int) string {
		d := depts[i%95] + 1
		s := strconv.Itoa(d)
		if d < 10 {
			s = "0" + s
		}
		if i >= 95 {
			s += "-" + strconv.Itoa(i/95+1)
		}
		return s
	}
	g.orgs = append(g.orgs, org{name: "ft-dsi", kind: kindIT, ip: ipv4(10, 200, 0, 0)})
	weights := []float64{0}
	for i := range nAg {
		g.orgs = append(g.orgs, org{name: "ft-agence-" + dept(i) + "-" + strconv.Itoa(1+r.IntN(4)), kind: kindAgency,
			ip: ipv4(10, uint32(1+i/250), uint32(i%250), 0)})
		weights = append(weights, lognormal(r, 3, 0.35))
	}
	for i := range nCap {
		g.orgs = append(g.orgs, org{name: "cap-emploi-" + dept(i), kind: kindCapEmploi,
			ip: ipv4(uint32(80+r.IntN(15)), uint32(r.IntN(256)), uint32(r.IntN(256)), uint32(1+r.IntN(254)))})
		weights = append(weights, lognormal(r, 1, 0.35))
	}
	for i := range nML {
		g.orgs = append(g.orgs, org{name: "mission-locale-" + dept(nCap+i), kind: kindMissionLocale,
			ip: ipv4(uint32(80+r.IntN(15)), uint32(r.IntN(256)), uint32(r.IntN(256)), uint32(1+r.IntN(254)))})
		weights = append(weights, lognormal(r, 1, 0.35))
	}
	// Make each org unique even when two agencies drew the same number.
	seen := map[string]bool{}
	for i := range g.orgs {
		for seen[g.orgs[i].name] {
			g.orgs[i].name += "b"
		}
		seen[g.orgs[i].name] = true
	}
	cum := make([]float64, len(weights))
	total := 0.0
	for i, w := range weights {
		total += w
		cum[i] = total
	}
	pickOrg := func() int32 {
		x := r.Float64() * total
		for i, c := range cum {
			if x < c {
				return int32(i)
			}
		}
		return int32(len(cum) - 1)
	}

	nSvc := max(2, g.cfg.Accounts/80)
	nMgr := max(n, int(float64(g.cfg.Accounts)*managerShare))
	nAdv := g.cfg.Accounts - nSvc - nMgr - 1 // one account is the new_account attacker
	id := mix(g.cfg.Seed) % 900000
	nextName := func() string {
		id = (id + 7919) % 900000
		return "ag" + strconv.FormatUint(100000+id, 10)
	}
	for i := range nSvc {
		o := int32(0)
		if i%2 == 1 {
			o = int32(1 + nAg + r.IntN(nCap+nML)) // a partner's information system
		}
		g.accounts = append(g.accounts, account{
			name: "svc-" + g.orgs[o].name + "-" + strconv.Itoa(i), org: o, role: roleService,
			level: math.Exp(math.Log(5000) + r.Float64()*math.Log(10)), // 5k to 50k records a night
			ua:    uaService, ip: ipv4(10, 200, 1, uint32(1+i%250)), vacFrom: -1, vacTo: -1,
		})
	}
	for i := range nMgr + nAdv {
		a := account{name: nextName(), role: roleAdvisor, vacFrom: -1, vacTo: -1,
			ua: uint8(r.IntN(uaBrowser)), shift: r.NormFloat64() * 1200}
		if i < nMgr {
			a.role = roleManager
			a.org = int32(1 + i%n)
			if i >= n {
				a.org = pickOrg()
			}
			a.level = min(max(lognormal(r, managerMedian, managerSigma), 2), 80)
		} else {
			a.org = pickOrg()
			a.level = min(max(lognormal(r, advisorMedian, advisorSigma), 3), 400)
		}
		o := g.orgs[a.org]
		if o.kind == kindAgency {
			a.ip = o.ip | uint32(1+r.IntN(250))
		} else {
			a.ip = o.ip
		}
		a.portfolioSize = uint32(80 + r.IntN(320))
		a.portfolioBase = uint32(1_000_000 + r.IntN(8_999_000-int(a.portfolioSize)))
		if a.role == roleAdvisor {
			switch x := r.Float64(); {
			case x < joinerShare:
				lo := max(9, g.cfg.Days/3)
				a.joinDay = lo + r.IntN(max(1, g.cfg.Days-5-lo))
				a.level = min(a.level, advisorMedian*1.2) // an ordinary newcomer
			case x < joinerShare+vacationShare:
				var mondays []int
				for d := 3; d < g.cfg.Days-8; d++ {
					if g.days[d].weekday == time.Monday {
						mondays = append(mondays, d)
					}
				}
				if len(mondays) > 0 {
					a.vacFrom = mondays[r.IntN(len(mondays))]
					a.vacTo = a.vacFrom + 7*(1+r.IntN(2))
				}
			}
		}
		g.accounts = append(g.accounts, a)
	}
	// The new_account attacker: a fresh account in a mission locale.
	o := int32(1 + nAg + nCap + r.IntN(nML))
	g.accounts = append(g.accounts, account{name: nextName(), org: o, role: roleAdvisor, ua: uint8(r.IntN(uaBrowser)),
		ip: g.orgs[o].ip, vacFrom: -1, vacTo: -1, scripted: true, attacked: true})
}
