package synth

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"time"
)

// pickDay returns the first working day at or after a fraction of the
// attack period, which starts on day 8 so that baselines have a week to
// learn.
func (g *generator) pickDay(frac float64) int {
	d := 8 + int(frac*float64(g.cfg.Days-9))
	for ; d < g.cfg.Days; d++ {
		if g.days[d].working {
			return d
		}
	}
	for d = g.cfg.Days - 1; d > 8 && !g.days[d].working; d-- {
	}
	return d
}

// workingDays returns up to n working days from day d on.
func (g *generator) workingDays(d, n int) []int {
	var out []int
	for ; d < g.cfg.Days && len(out) < n; d++ {
		if g.days[d].working {
			out = append(out, d)
		}
	}
	return out
}

// eligible reports whether an account can be an attack's victim: an
// ordinary advisor present all month and not used by another attack.
func (g *generator) eligible(a int) bool {
	acc := &g.accounts[a]
	return acc.role == roleAdvisor && !acc.scripted && !acc.attacked && acc.joinDay == 0 && acc.vacFrom < 0
}

func (g *generator) newAttack(shape string, accounts []int32, org int32) int8 {
	names := make([]string, len(accounts))
	for i, a := range accounts {
		names[i] = g.accounts[a].name
		g.accounts[a].attacked = true
	}
	g.labels.Attacks = append(g.labels.Attacks, Attack{
		ID: "atk-" + strconv.Itoa(len(g.labels.Attacks)+1) + "-" + shape, Shape: shape,
		Accounts: names, Org: g.orgs[org].name,
	})
	return int8(len(g.labels.Attacks) - 1)
}

func publicIP(r *rand.Rand) uint32 {
	return ipv4(uint32(5+r.IntN(180)), uint32(r.IntN(256)), uint32(r.IntN(256)), uint32(1+r.IntN(254)))
}

// planAttacks places one attack of each shape after the first eight days.
// Boosted accounts (low_and_slow, org_wide) get extra events in their
// ordinary day; scripted ones (bulk_extraction, new_account, off_hours)
// are precomputed into g.special.
func (g *generator) planAttacks() {
	r := g.rng(3, 0, 0)
	perm := r.Perm(len(g.accounts))
	pick := func(lo, hi float64, org int32) int32 {
		for _, a := range perm {
			acc := &g.accounts[a]
			if g.eligible(a) && acc.level >= advisorMedian*lo && acc.level <= advisorMedian*hi && (org < 0 || acc.org == org) {
				return int32(a)
			}
		}
		panic("BUG: no eligible advisor left for an attack")
	}
	byOrg := map[int32][]int32{}
	for _, a := range perm {
		if g.eligible(a) {
			byOrg[g.accounts[a].org] = append(byOrg[g.accounts[a].org], int32(a))
		}
	}
	orgsWith := func(kind, n int) []int32 {
		var out []int32
		for o := range g.orgs {
			if (kind < 0 || g.orgs[o].kind == kind) && len(byOrg[int32(o)]) >= n {
				out = append(out, int32(o))
			}
		}
		return out
	}

	// bulk_extraction: compromised Cap emploi advisor accounts driven by a
	// script, requests every 1-5 s, bursts over several days.
	cands := orgsWith(kindCapEmploi, 3)
	if len(cands) == 0 {
		cands = orgsWith(-1, 3)
	}
	o := cands[r.IntN(len(cands))]
	victims := slices.Clone(byOrg[o][:2+r.IntN(2)])
	id := g.newAttack(ShapeBulkExtraction, victims, o)
	sd := g.pickDay(0.05)
	dur := min(3+r.IntN(3), g.cfg.Days-1-sd)
	type burst struct{ acct, day, size int }
	var bursts []burst
	for left := g.cfg.BulkRecords; left > 0; {
		b := burst{acct: r.IntN(len(victims)), day: sd + r.IntN(max(dur, 1)), size: 30 + r.IntN(220)}
		bursts = append(bursts, b)
		left -= int64(b.size) * 550
	}
	slices.SortStableFunc(bursts, func(x, y burst) int { return (x.day-y.day)*64 + x.acct - y.acct })
	ips := []uint32{publicIP(r), publicIP(r), publicIP(r)}
	left := g.cfg.BulkRecords
	cursor := int64(0)
	for i, b := range bursts {
		if i == 0 || b.day != bursts[i-1].day || b.acct != bursts[i-1].acct {
			cursor = g.days[b.day].start + int64(7*3600+r.IntN(5*3600))
		}
		t := cursor + int64(600+r.IntN(7200))
		session := mix(g.cfg.Seed ^ uint64(i)<<8 ^ 0xbad)
		for j := 0; j < b.size && left > 0; j++ {
			n := min(left, int64(100+r.IntN(901)))
			left -= n
			g.special = append(g.special, event{ts: t, acct: victims[b.acct], op: opSearch, records: int32(n),
				session: session, ip: ips[b.acct], ua: uaScript, attack: id})
			t += int64(1 + r.IntN(5))
		}
		if left > 0 && i == len(bursts)-1 { // the last burst takes what remains
			for ; left > 0; t += int64(1 + r.IntN(5)) {
				n := min(left, int64(100+r.IntN(901)))
				left -= n
				g.special = append(g.special, event{ts: t, acct: victims[b.acct], op: opSearch, records: int32(n),
					session: session, ip: ips[b.acct], ua: uaScript, attack: id})
			}
		}
		cursor = t
	}

	// low_and_slow: an ordinary advisor at 2-4x for 4-6 working days,
	// spread over office hours.
	a := pick(0.8, 1.5, -1)
	id = g.newAttack(ShapeLowAndSlow, []int32{a}, g.accounts[a].org)
	mult := 2 + 2*r.Float64()
	for _, d := range g.workingDays(g.pickDay(0.15), 4+r.IntN(3)) {
		g.boosts[int64(a)<<16|int64(d)] = boost{mult: mult * (0.9 + 0.2*r.Float64()), attack: id}
	}

	// new_account: a fresh account pulling thousands of records on its
	// first working days.
	a = int32(len(g.accounts) - 1)
	acc := &g.accounts[a]
	id = g.newAttack(ShapeNewAccount, []int32{a}, acc.org)
	for _, d := range g.workingDays(g.pickDay(0.4), 2+r.IntN(2)) {
		target := 2000 + r.IntN(4000)
		t := g.days[d].start + int64(9*3600+r.IntN(3600))
		session := mix(g.cfg.Seed ^ uint64(d)<<8 ^ 0xfee)
		g.special = append(g.special, event{ts: t - 10, acct: a, op: opLogin, session: session, ip: acc.ip, ua: acc.ua, attack: id})
		for target > 0 {
			op, n := uint8(opSearch), 50+r.IntN(151)
			if r.Float64() < 0.1 {
				op, n = opExport, 300+r.IntN(601)
			}
			n = min(n, target)
			target -= n
			g.special = append(g.special, event{ts: t, acct: a, op: op, records: int32(n), session: session, ip: acc.ip, ua: acc.ua, attack: id})
			t += int64(30 + r.IntN(210))
		}
	}

	// org_wide: 60% of an organisation's advisors each moderately
	// elevated on the same one or two days.
	cands = orgsWith(-1, 8)
	o = cands[r.IntN(len(cands))]
	var members []int32
	for _, m := range byOrg[o] {
		if !g.accounts[m].attacked {
			members = append(members, m)
		}
	}
	members = members[:max(2, len(members)*6/10)]
	id = g.newAttack(ShapeOrgWide, members, o)
	for _, d := range g.workingDays(g.pickDay(0.55), 1+r.IntN(2)) {
		for _, m := range members {
			g.boosts[int64(m)<<16|int64(d)] = boost{mult: 1.8 + 0.7*r.Float64(), attack: id}
		}
	}

	// off_hours: an advisor's normal daily volume pulled around 03:00.
	a = pick(0.8, 2, -1)
	acc = &g.accounts[a]
	id = g.newAttack(ShapeOffHours, []int32{a}, acc.org)
	d := g.pickDay(0.75)
	session := mix(g.cfg.Seed ^ 0x0ff)
	ip := publicIP(r)
	n := max(poisson(r, acc.level), 10)
	for range n {
		t := g.days[d].start + int64(2*3600+50*60+r.IntN(70*60))
		op, rec, subj := g.officeRequest(r, acc, false, false)
		g.special = append(g.special, event{ts: t, acct: a, op: op, records: rec, subject: subj, session: session, ip: ip, ua: acc.ua, attack: id})
	}

	slices.SortStableFunc(g.special, func(x, y event) int {
		switch {
		case x.ts < y.ts:
			return -1
		case x.ts > y.ts:
			return 1
		}
		return 0
	})
}

// labelBenign records the legitimate traps of the scenario.
func (g *generator) labelBenign() {
	at := func(d int) time.Time { return time.Unix(g.days[d].start, 0).In(g.loc) }
	endOf := func(d int) time.Time { return time.Unix(g.days[min(d, g.cfg.Days-1)].end, 0).In(g.loc) }
	add := func(kind string, accounts []string, from, to time.Time) {
		g.labels.Benign = append(g.labels.Benign, Benign{
			ID: "ben-" + strconv.Itoa(len(g.labels.Benign)+1) + "-" + kind, Kind: kind,
			Accounts: accounts, Start: from, End: to,
		})
	}
	var services, managers []string
	for _, acc := range g.accounts {
		switch acc.role {
		case roleService:
			services = append(services, acc.name)
		case roleManager:
			managers = append(managers, acc.name)
		}
	}
	add(BenignServiceNightly, services, at(0), endOf(g.cfg.Days-1))
	for d, day := range g.days {
		switch {
		case day.holiday:
			add(BenignHoliday, nil, at(d), endOf(d))
		case day.bridge:
			add(BenignBridgeDay, nil, at(d), endOf(d))
		case day.afterHoliday:
			add(BenignAfterHoliday, nil, at(d), endOf(d))
		}
		if day.working && day.weekday == time.Monday {
			add(BenignMondayPeak, nil, at(d), endOf(d))
		}
		if day.monthEnd && (d == 0 || !g.days[d-1].monthEnd) {
			last := d
			for last+1 < g.cfg.Days && g.days[last+1].monthEnd {
				last++
			}
			add(BenignMonthEnd, managers, at(d), endOf(last))
		}
	}
	for _, acc := range g.accounts {
		switch {
		case acc.scripted:
		case acc.joinDay > 0:
			add(BenignNewJoiner, []string{acc.name}, at(acc.joinDay), endOf(acc.joinDay+2))
		case acc.vacFrom >= 0 && acc.vacTo < g.cfg.Days:
			add(BenignVacationReturn, []string{acc.name}, at(acc.vacTo), endOf(acc.vacTo+1))
		}
	}
}
