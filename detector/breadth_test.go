package detector

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/ingest"
)

// alertedAccounts counts the distinct accounts with prefix that alerted on
// a volume test of a window starting on local day n.
func alertedAccounts(r run, prefix string, n int) int {
	seen := map[string]bool{}
	from, to := day(n).Add(-2*time.Hour), day(n+1)
	for _, a := range r.out.Alerts {
		if strings.HasPrefix(a.Entity, prefix) && !a.WindowStart.Before(from) && a.WindowStart.Before(to) {
			seen[a.Entity] = true
		}
	}
	return len(seen)
}

// Without a role field the common mode cannot see that the managers (one
// per organisation, a minority of accounts) all report on the same day.
// Their breadth across organisations can: after the first few, the rest
// are excused.
func TestMonthEndWithoutRolesIsExcusedByBreadth(t *testing.T) {
	s := newStream(42)
	s.office(org, 30, 42, 150)
	partners(s, 4, 20)
	managers(s, 24, func(m, d int) float64 {
		if d == 31 {
			return 5
		}
		return 1
	})
	for k := range s.evs {
		s.evs[k].Role = ""
	}
	r := replay(t, DefaultConfig(), s.sorted(), "", 0)
	n := alertedAccounts(r, "mgr-", 31)
	t.Logf("%d of 24 managers alerted, %d tests excused", n, r.stats.Excused)
	if n > 2*breadthMin {
		t.Errorf("%d of 24 managers alerted on their common month-end, want at most %d", n, 2*breadthMin)
	}
	if r.stats.Excused == 0 {
		t.Error("no test was excused")
	}
}

// Accounts of the alerting account's own organisation are not breadth: a
// crew of compromised accounts of one partner all extracting on the same
// day must each alert, none excused. The same extraction spread over as
// many organisations looks like a common cause while the accounts stand
// at the same level (tests are excused); each still alerts once its
// extraction climbs beyond what the others share.
func TestBreadthCountsOtherOrganisationsOnly(t *testing.T) {
	for _, tc := range []struct {
		name      string
		sameOrg   bool
		wantExcus bool
	}{
		{"one organisation", true, false},
		{"eight organisations", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStream(7)
			s.office(org, 30, 42, 150)
			partners(s, 4, 20)
			for k := range 8 {
				name := "crew-" + strconv.Itoa(k)
				o := "cap-emploi-13"
				if !tc.sameOrg {
					o = "mission-locale-" + strconv.Itoa(k)
				}
				s.advisor(name, o, 0, 42, 100, nil)
				// Day 30, from 10:00: 40 requests of 300 records, one a
				// minute, each account a few minutes after the previous.
				at := day(30).Add(10*time.Hour + time.Duration(k)*3*time.Minute)
				s.burst(at, 40, time.Minute, name, o, "advisor", 300)
			}
			r := replay(t, DefaultConfig(), s.sorted(), "", 0)
			n := alertedAccounts(r, "crew-", 30)
			t.Logf("%d of 8 alerted, %d tests excused", n, r.stats.Excused)
			if n != 8 {
				t.Errorf("%d of 8 extracting accounts alerted, want all 8", n)
			}
			if got := r.stats.Excused > 0; got != tc.wantExcus {
				t.Errorf("%d tests excused, want excuses: %v", r.stats.Excused, tc.wantExcus)
			}
		})
	}
}

// A common cause lasting days (a quarter-end: every manager at 2.5x for
// four days, no role field) adds up in CUSUM as a slow leak would, in
// every manager at once; breadth excuses all but the first few.
func TestQuarterEndWithoutRolesIsExcusedInCusum(t *testing.T) {
	s := newStream(11)
	s.office(org, 30, 42, 150)
	partners(s, 4, 20)
	managers(s, 24, func(m, d int) float64 {
		if d >= 29 && d < 33 {
			return 2.5
		}
		return 1
	})
	for k := range s.evs {
		s.evs[k].Role = ""
	}
	r := replay(t, DefaultConfig(), s.sorted(), "", 0)
	n := countAlerts(r, func(a Alert) bool { return strings.HasPrefix(a.Entity, "mgr-") && a.Detector == DetCusumDay })
	t.Logf("%d CUSUM alarms among 24 managers, %d tests excused", n, r.stats.Excused)
	if n > 2*breadthMin {
		t.Errorf("%d CUSUM alarms among 24 managers on a common quarter-end, want at most %d", n, 2*breadthMin)
	}
}

// An excused CUSUM keeps its sum, so that the common cause's other
// accounts still see it the next day, but the level it was excused at is
// the common cause's: once the cause ends, ordinary days must not carry
// the sum to an alarm that no other organisation shares any more. It
// alarms again only 2 points beyond that level. Without the rule, the
// quarter-end below left 3 managers alarming on the ordinary days after
// it, and an independent generator's regional deadline week (referents
// of 3-5 organisations at 2-3 times for five days) 1-3 a seed. A
// manager who stays at 2.5 times after the others stopped (a leak begun
// under cover of the common cause) still alarms.
func TestExcusedCusumStaysQuietAfterItsCause(t *testing.T) {
	s := newStream(11)
	s.office(org, 30, 42, 150)
	partners(s, 4, 20)
	managers(s, 24, func(m, d int) float64 {
		if d >= 29 && (d < 33 || m == 0) {
			return 2.5
		}
		return 1
	})
	for k := range s.evs {
		s.evs[k].Role = ""
	}
	r := replay(t, DefaultConfig(), s.sorted(), "", 0)
	after := day(33).Add(-2 * time.Hour)
	n := countAlerts(r, func(a Alert) bool {
		return strings.HasPrefix(a.Entity, "mgr-") && a.Entity != "mgr-0" && a.Detector == DetCusumDay && !a.WindowStart.Before(after)
	})
	t.Logf("%d CUSUM alarms among 23 managers after their common cause, %d tests excused; the lasting one: %v", n, r.stats.Excused, dets(alertsFor(r, "mgr-0")))
	if n > 0 {
		t.Errorf("%d CUSUM alarms among 23 managers on ordinary days after a common cause, want none", n)
	}
	late := 0
	for _, a := range alertsFor(r, "mgr-0") {
		if !a.WindowStart.Before(after) {
			late++
		}
	}
	if late == 0 {
		t.Errorf("the manager still at 2.5x after the common cause did not alert after it: %v", dets(alertsFor(r, "mgr-0")))
	}
}

// A CUSUM alarm restarts the sum whichever kind of entity raised it: an
// organisation's alerts are not deferred, and must not skip the reset.
func TestCusumAlarmResetsItsSum(t *testing.T) {
	d, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	ev := ingest.Event{TS: day(0).UnixMilli(), Account: "a", Org: "o", Records: 1}
	d.Observe(&ev)
	for _, kind := range []uint8{kindOrg, kindAccount} {
		i, ok := d.lookup(kind, map[uint8]string{kindOrg: "o", kindAccount: "a"}[kind])
		if !ok {
			t.Fatalf("entity of kind %d not tracked", kind)
		}
		d.ents[i].Base.Cusum.S = 9
		d.closeAlert(finding{i: i, fam: brCusum, det: DetCusumDay, res: "day", score: 9, win: -1})
		d.flushPending()
		if s := d.ents[i].Base.Cusum.S; s != 0 {
			t.Errorf("entity kind %d: CUSUM sum %v after its alarm, want 0", kind, s)
		}
	}
}

// Breadth sees an account climbing before it fires: its open windows are
// looked at from breadthMargin below the threshold, so the first accounts
// of a common cause find the others already noted at about their level.
// Before, a window was looked at only at its threshold, and the first
// five of every common cause alerted (roles stripped from a generated
// month: 11 false entity-days at month-end, 7 with the looks on the way).
func TestBreadthNotesClimbingAccounts(t *testing.T) {
	s := newStream(3)
	s.office(org, 30, 42, 150)
	at := day(36).Add(10 * time.Hour) // a Tuesday
	for k := range 400 {
		s.add(at.Add(time.Duration(k)*9*time.Second), org+"-adv-2", org, "advisor", 10)
	}
	d, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var o Output
	noted := 0.0
	for _, ev := range s.sorted() {
		d.Observe(&ev)
		d.Take(&o)
		i, _ := d.lookup(kindAccount, org+"-adv-2")
		if len(o.Alerts) > 0 {
			for _, a := range o.Alerts {
				if a.Entity == org+"-adv-2" {
					if noted == 0 {
						t.Fatalf("%s alerted at %.1f without having been noted on the way", a.Detector, a.Score)
					}
					t.Logf("noted at %.1f before alerting at %.1f (threshold %.1f)", noted, a.Score, d.thr[famHour]+d.earlyMargin(1))
					return
				}
			}
		}
		if en, ok := d.breadth.Accs[i]; ok && d.breadth.Day == d.clock.At(at.UnixMilli()).Day {
			noted = float64(max(en.Score[brHour], en.Score[brDay]))
		}
	}
	t.Fatal("the climb never alerted")
}

// A quarter-end export: managers of 24 organisations each pull one
// 5,000-record report the same morning, far beyond any request they made
// before. They are a common cause (a second independent generator: 171
// false entity-days of request_size at quarter- and month-end before, 11
// after), the first ones too: a request that reaches its threshold is
// decided when its hour closes, with the breadth of the whole hour (5 of
// 24 alerted while it was decided at once).
// TestRequestSizeFiresOnASingleExport is the other side.
func TestQuarterEndExportsAreACommonCause(t *testing.T) {
	s := newStream(37)
	s.office(org, 30, 42, 150)
	managers(s, 24, func(m, d int) float64 { return 1 })
	for m := range 24 {
		at := day(31).Add(9*time.Hour + time.Duration(s.rng.IntN(3*3600))*time.Second)
		s.add(at, "mgr-"+strconv.Itoa(m), "org-"+strconv.Itoa(m), "manager", 5000)
	}
	r := replay(t, DefaultConfig(), s.sorted(), "", 0)
	n := countAlerts(r, func(a Alert) bool { return a.Detector == DetRequest && strings.HasPrefix(a.Entity, "mgr-") })
	t.Logf("%d of 24 exports alerted", n)
	if n > 1 {
		t.Errorf("%d of 24 quarter-end exports alerted, want at most 1", n)
	}
}

// exportingOrgs adds n organisations of six advisors (42 days, 150 records
// a day) whose first three each pull a 3,000-record export, a minute
// apart, between 09:00 and 09:30 on each of days.
func exportingOrgs(s *stream, n int, days ...int) {
	for o := range n {
		on := "org-" + strconv.Itoa(o)
		for k := range 6 {
			s.advisor(on+"-adv-"+strconv.Itoa(k), on, 0, 42, 150, nil)
		}
		for _, d := range days {
			at := day(d).Add(9*time.Hour + time.Duration(s.rng.IntN(1800))*time.Second)
			for k := range 3 {
				s.add(at.Add(time.Duration(k)*time.Minute), on+"-adv-"+strconv.Itoa(k), on, "advisor", 3000)
			}
		}
	}
}

// A month-end export in twenty organisations at once raises every
// organisation's total: after the first few, the others are a common
// cause, as their accounts' tests are.
func TestMonthEndOfOrganisationsIsACommonCause(t *testing.T) {
	s := newStream(47)
	exportingOrgs(s, 20, 30)
	r := replay(t, DefaultConfig(), s.sorted(), "", 0)
	n := countAlerts(r, func(a Alert) bool { return a.EntityType == EntityOrg && a.Detector != DetOrgShare })
	t.Logf("%d of 20 organisations alerted", n)
	if n > breadthMin+1 {
		t.Errorf("%d of 20 organisations alerted on a common month-end, want at most %d", n, breadthMin+1)
	}
}

// An organisation whose managers pull their month-end reports together
// made an hour of that size before: that hour is one of its habits, one
// clump of its sessions, not many clumps of one export each. Four
// organisations only, too few for breadth to excuse them.
func TestRecurringMonthEndOfAnOrganisation(t *testing.T) {
	s := newStream(53)
	exportingOrgs(s, 4, 1, 30) // a Tuesday in the warm-up, then a Wednesday
	r := replay(t, DefaultConfig(), s.sorted(), "", 0)
	for _, a := range r.out.Alerts {
		if a.EntityType == EntityOrg && a.Detector == DetVolumeHour {
			t.Errorf("false alert: %s %.1f %s", a.Entity, a.Score, a.Explanation)
		}
	}
}

// A campaign that has a third of the supervisors of many organisations
// review four times their usual files on the same day raises them by
// about the same ratio but scores them very unequally: the same ratio is
// more significant for a supervisor with more history or volume. Their
// scores spread far wider than breadthMargin, so the top of the spread
// never had five others within two points; their ratios do not.
func TestCampaignScoringUnequallyIsACommonCause(t *testing.T) {
	s := newStream(43)
	s.office(org, 30, 42, 150)
	partners(s, 4, 20)
	const n = 36
	for m := range n {
		name, o := "sup-"+strconv.Itoa(m), "org-"+strconv.Itoa(m)
		perDay := 30 * math.Pow(2, float64(m%6)) // 30 to 960 a day
		for d := range 42 {
			mult := 1.0
			if d == 31 && m%3 == 0 {
				mult = 4
			}
			k := len(s.evs)
			s.advisor(name, o, d, 1, perDay*mult, nil)
			for i := k; i < len(s.evs); i++ {
				s.evs[i].Role = ""
			}
		}
	}
	for k := range s.evs {
		s.evs[k].Role = ""
	}
	r := replay(t, DefaultConfig(), s.sorted(), "", 0)
	got := alertedAccounts(r, "sup-", 31)
	t.Logf("%d of %d supervisors of the campaign alerted, %d tests excused", got, n/3, r.stats.Excused)
	if got > breadthMin/2 {
		t.Errorf("%d of %d supervisors alerted on their common campaign, want at most %d", got, n/3, breadthMin/2)
	}
}

// Breadth is many organisations: the accounts of one other organisation
// (a reorganisation that has all its advisors review files) do not
// excuse an account of another raised as much on the same day.
func TestOneOrganisationIsNotBreadth(t *testing.T) {
	// partner-0's twenty advisors each view five times their usual on day
	// 31; the attacker, an advisor of partner-1, as much in the
	// afternoon, once they are all noted.
	attackerExcused(t, func(acct string) int {
		if strings.HasPrefix(acct, "partner-0-") {
			return 4
		}
		return 0
	}, "one other organisation's busy day")
}

// attackerExcused builds partners' offices in which, on day 31, each
// event of an account is copied busy(account) times, and partner-1-adv-3
// makes ten times its afternoon (from 13:00), and fails the test when
// the attacker did not alert: it was excused by the others' day (why).
func attackerExcused(t *testing.T, busy func(acct string) int, why string) {
	t.Helper()
	s := newStream(44)
	s.office(org, 30, 42, 150)
	partners(s, 4, 20)
	for k := range s.evs {
		e := s.evs[k]
		if e.TS < day(31).UnixMilli() || e.TS >= day(32).UnixMilli() {
			continue
		}
		copies := busy(e.Account)
		if e.Account == "partner-1-adv-3" && e.TS >= day(31).Add(13*time.Hour).UnixMilli() {
			copies = 9
		}
		for range copies {
			// Seconds apart: copies at the same instant would be one
			// request (burst.go).
			e.TS += 2000
			s.evs = append(s.evs, e)
		}
	}
	r := replay(t, DefaultConfig(), s.sorted(), "partner-1-adv-3", day(31).UnixMilli())
	if len(alertsFor(r, "partner-1-adv-3")) == 0 {
		t.Errorf("an account at ten times its afternoon was excused by %s (%d tests excused)", why, r.stats.Excused)
	}
}

// A common cause raises its accounts through whichever test their history
// makes most sensitive. On a quarter-end, the managers who never exported
// more than a list score their 5,000-record export by its size; those
// used to weekly 1,000-record exports score the six exports of their busy
// hour by its volume. Five of the first kind alone are too few to excuse
// one another: the others, raised as far in another test, count too.
// The first few of the hour's exporters still alert, before there is
// anyone to be excused by.
func TestCommonCauseAcrossTests(t *testing.T) {
	s := newStream(45)
	s.office(org, 30, 42, 150)
	const small, n = 5, 24
	managers(s, n, func(m, d int) float64 { return 1 })
	for m := small; m < n; m++ {
		for d := 2; d < 31; d += 7 {
			at := day(d).Add(10*time.Hour + time.Duration(s.rng.IntN(6*3600))*time.Second)
			s.add(at, "mgr-"+strconv.Itoa(m), "org-"+strconv.Itoa(m), "manager", 1000)
		}
	}
	for m := range n {
		name, o := "mgr-"+strconv.Itoa(m), "org-"+strconv.Itoa(m)
		at := day(31).Add(9*time.Hour + time.Duration(s.rng.IntN(3*3600))*time.Second)
		if m < small {
			s.add(at, name, o, "manager", 5000)
			continue
		}
		for k := range 6 {
			s.add(at.Add(time.Duration(k)*5*time.Minute), name, o, "manager", 2500)
		}
	}
	r := replay(t, DefaultConfig(), s.sorted(), "", 0)
	bySize := countAlerts(r, func(a Alert) bool { return a.Detector == DetRequest && strings.HasPrefix(a.Entity, "mgr-") })
	all := alertedAccounts(r, "mgr-", 31)
	t.Logf("%d managers alerted, %d of them by request size; %d tests excused", all, bySize, r.stats.Excused)
	if bySize > 1 || all >= breadthMin {
		t.Errorf("%d of %d quarter-end managers alerted (%d by request size), want at most %d (1)", all, n, bySize, breadthMin-1)
	}
}

// The first movers of a common cause reach their threshold before five
// others are there to excuse them. Twelve managers of twelve
// organisations start a review campaign within the same hour, each four
// minutes after the previous: a file a minute, where they make about one
// request an hour. Without the wait, the first three alerted; with it,
// each waits for its hour's close while another stands at its ratio, and
// by then the whole campaign is in breadth.
func TestFirstMoversOfACampaignWait(t *testing.T) {
	s := newStream(13)
	s.office(org, 30, 42, 150)
	partners(s, 4, 20)
	managers(s, 24, func(m, d int) float64 { return 1 })
	for m := range 12 {
		name, o := "mgr-"+strconv.Itoa(m), "org-"+strconv.Itoa(m)
		at := day(30).Add(9*time.Hour + time.Duration(m)*4*time.Minute)
		s.burst(at, 60, time.Minute, name, o, "manager", 1)
	}
	r := replay(t, DefaultConfig(), s.sorted(), "", 0)
	n := alertedAccounts(r, "mgr-", 30)
	t.Logf("%d of 12 managers alerted, %d tests excused", n, r.stats.Excused)
	if n > 1 {
		t.Errorf("%d of 12 managers alerted at the start of their common campaign, want at most the first", n)
	}
}

// The wait of a possible first mover is bounded: an extraction of 8-record
// requests every 10 seconds, beside two advisors of other organisations
// viewing a file every 30 seconds (their ratios close enough to stir),
// alerts at most breadthMargin twice over its threshold: after 192
// records instead of 128.
func TestStirringDelaysAnExtractionLittle(t *testing.T) {
	first := func(busy bool) float64 {
		s := newStream(42)
		s.office(org, 30, 42, 150)
		partners(s, 4, 20)
		at := day(29).Add(10 * time.Hour)
		if busy {
			for _, p := range []string{"partner-1", "partner-2"} {
				s.burst(at.Add(-20*time.Minute), 120, 30*time.Second, p+"-adv-2", p, "advisor", 3)
			}
		}
		s.burst(at, 400, 10*time.Second, org+"-adv-3", org, "advisor", 8)
		return replay(t, DefaultConfig(), s.sorted(), org+"-adv-3", at.UnixMilli()).recordsAtFirst
	}
	alone, beside := first(false), first(true)
	t.Logf("first alert after %v records alone, %v beside busy peers", alone, beside)
	if alone < 0 || beside < 0 || beside > 2*alone {
		t.Errorf("first alert after %v records beside busy peers, %v alone: want it at most twice as late", beside, alone)
	}
}

// campaign adds n advisors in each of orgs, at mult times their usual
// day on days from to to (excluded); it returns their name prefix.
func campaign(s *stream, orgs []string, n, from, to int, mult float64) string {
	for _, o := range orgs {
		for k := range n {
			name := "camp-" + o + "-" + strconv.Itoa(k)
			for d := range 42 {
				m := 1.0
				if d >= from && d < to {
					m = mult
				}
				s.advisor(name, o, d, 1, 120*m, nil)
			}
		}
	}
	return "camp-"
}

// An audit campaign of three organisations: every advisor of each reviews
// twice and a half its usual files for four days. For an advisor of one of
// them, the others stand in two organisations only, short of breadthOrgs;
// two organisations with breadthPerOrg raised accounts each are breadth
// too (an independent generator's three-organisation campaign: 45 false
// entity-days on one seed before, 12 after).
func TestCampaignOfThreeOrganisationsIsACommonCause(t *testing.T) {
	s := newStream(46)
	s.office(org, 30, 42, 150)
	partners(s, 4, 20)
	prefix := campaign(s, []string{"cd-13", "cd-35", "cd-93"}, 8, 29, 33, 2.5)
	r := replay(t, DefaultConfig(), s.sorted(), "", 0)
	from, to := day(29).Add(-2*time.Hour), day(36)
	n := countAlerts(r, func(a Alert) bool {
		return strings.HasPrefix(a.Entity, prefix) && !a.WindowStart.Before(from) && a.WindowStart.Before(to)
	})
	t.Logf("%d alerts among the campaign's 24 advisors, %d tests excused", n, r.stats.Excused)
	if n > breadthMin {
		t.Errorf("%d alerts among 24 advisors of a three-organisation campaign, want at most %d", n, breadthMin)
	}
}

// One organisation's busy day and a stray account of another are not
// breadth: the advisors of partner-0 (a caseload handed over) at five
// times their day and one of partner-2 at ten do not excuse an account of
// partner-1 raised as much, although they span two organisations: only
// one of the two has breadthPerOrg raised accounts.
func TestOneOrganisationAndAStrayAreNotBreadth(t *testing.T) {
	attackerExcused(t, func(acct string) int {
		switch {
		case strings.HasPrefix(acct, "partner-0-"):
			return 4
		case acct == "partner-2-adv-0":
			return 9
		}
		return 0
	}, "one organisation's busy day and a stray")
}

// A common cause's excused sums outlive it: CUSUM falls by its reference
// a day once the days are ordinary again. Those sums are not breadth: an
// excused sum counts only on a day that adds to it. A leak that starts in
// a fourth organisation the Monday after a three-organisation campaign
// ended alarms on its second day; when the campaign's fading sums were
// counted, it was excused until it climbed two points beyond them, on
// its fifth (an independent generator's organisation-wide pull was
// excused by the previous week's campaign and missed).
func TestEndedCommonCauseIsNotBreadth(t *testing.T) {
	s := newStream(48)
	s.office(org, 30, 42, 150)
	partners(s, 4, 20)
	campaign(s, []string{"cd-13", "cd-35", "cd-93"}, 8, 22, 27, 3)
	for d := range 42 {
		m := 1.0
		if d >= 28 {
			m = 2.5
		}
		s.advisor("leaker", "ml-aix", d, 1, 120*m, nil)
	}
	r := replay(t, DefaultConfig(), s.sorted(), "leaker", 0)
	for _, a := range alertsFor(r, "leaker") {
		t.Logf("leaker: %s %s %.1f", a.Detector, a.WindowStart.In(paris).Format("Mon 2 Jan"), a.Score)
	}
	first := alertsFor(r, "leaker")
	if len(first) == 0 || first[0].Detector != DetCusumDay || !first[0].WindowStart.Before(day(30)) {
		t.Errorf("the leak begun on day 28 was not alarmed by CUSUM by day 29: %v", dets(first))
	}
}

// An audit campaign whose organisations name the role their own way
// ("référent RSA", "REFERENT", "ref-insertion"), as an independent
// generator's départements do: no account of another organisation shares
// an account's role, and the campaign's scores spread beyond 2 points (a
// large expectation makes the same ratio far more significant). Breadth
// by ratio counts accounts of any role raised by at least half as much
// (with the learned tail shifts, false entity-days over 24 evaluation
// logs 398 → 367, altgen4 −25, no attack lost). Accounts raised by less
// than half as much do not count.
func TestBreadthByRatioCountsAnyRole(t *testing.T) {
	d := armedNetwork(t, map[string]string{"cd-13": "référent RSA", "cd-35": "REFERENT", "cd-93": "ref-insertion", "cd-59": "CESF"})
	at := day(29).Add(10 * time.Hour).UnixMilli()
	thr := d.thr[famDay]
	i, _ := d.lookup(kindAccount, "cd-13-0")
	for _, ratio := range []float64{2, 0.5} {
		d.breadth = breadth{}
		for _, o := range []string{"cd-35", "cd-93", "cd-59"} {
			for k := range 2 {
				j, _ := d.lookup(kindAccount, o+"-"+strconv.Itoa(k))
				// Near the threshold, far below the alerting account's score.
				d.noteAt(j, brDay, at, thr-1, ratio)
			}
		}
		got := d.commonCause(i, brDay, thr+6, 2)
		if want := ratio >= 1; got != want {
			t.Errorf("an account raised 4x scoring %.1f, six of other roles in three organisations raised %gx near the threshold: common cause %v, want %v",
				thr+6, math.Exp2(ratio), got, want)
		}
	}
}

// A brand-new account's ratio is to its group's level, not to a habit of
// its own: in its first days only accounts of its own role count for it
// by ratio. An independent generator's new account took 4,329 records on
// the last day of April, excused by managers exporting their
// organisations' lists (ratios of 400-3,000 as well); caught since
// within its first 2,524 records, at a cost of 5 false entity-days over
// 36 logs (returns from leave first seen after the warm-up).
func TestNewcomerIsNotExcusedByOtherRoles(t *testing.T) {
	for _, c := range []struct {
		others string
		fresh  bool
		want   bool
	}{{"manager", true, false}, {"travailleur social", true, true}, {"manager", false, true}} {
		d := armedNetwork(t, map[string]string{"cd-13": "travailleur social", "cd-35": c.others, "cd-93": c.others, "cd-59": c.others})
		at := day(29).Add(10 * time.Hour).UnixMilli()
		i, _ := d.lookup(kindAccount, "cd-13-0")
		d.ents[i].Fresh = c.fresh
		for _, o := range []string{"cd-35", "cd-93", "cd-59"} {
			for k := range 2 {
				j, _ := d.lookup(kindAccount, o+"-"+strconv.Itoa(k))
				d.noteAt(j, brHour, at, d.thr[famHour]-1, 9)
			}
		}
		if got := d.commonCause(i, brHour, d.thr[famHour]+60, 9.5); got != c.want {
			t.Errorf("account new to the system %v, six %ss in three organisations raised as much: common cause %v, want %v",
				c.fresh, c.others, got, c.want)
		}
	}
}

// A group's crowd recurs a month later: managers' month-end reports
// raised dozens of them each month, and each month its first movers
// alerted before the crowd was there (altgen8: 4-6 false entity-days a
// seed fewer). On the month's last working days after a crowd on the
// last working day of the month before, a manager is excused alone,
// unless raised more than twice as far as last month's largest; not in
// the middle of the month, and not another role.
func TestMonthlyCrowdIsACommonCause(t *testing.T) {
	d, thr := marchCrowd(t)
	for _, c := range []struct {
		at   time.Time
		acct string
		lr   float64
		want bool
	}{
		{time.Date(2024, 4, 29, 13, 0, 0, 0, paris), "cd-13-0", 8.5, true}, // the last but one
		{time.Date(2024, 4, 29, 13, 0, 0, 0, paris), "cd-13-0", 9.5, false},
		{time.Date(2024, 4, 16, 13, 0, 0, 0, paris), "cd-13-0", 8.5, false},
		{time.Date(2024, 4, 29, 13, 0, 0, 0, paris), "cd-44-0", 8.5, false},
	} {
		i, _ := d.lookup(kindAccount, c.acct)
		d.noteAt(i, brHour, c.at.UnixMilli(), thr+5, c.lr)
		if got := d.excused(i, brHour, c.at.UnixMilli(), thr+5, c.lr); got != c.want {
			t.Errorf("%s alone on %s, log2 ratio %.1f: excused %v, want %v", c.acct, c.at.Format("2 Jan"), c.lr, got, c.want)
		}
	}
}

// marchCrowd returns a network of managers (and advisors in cd-44) nine
// of whom, in three organisations, were excused as a common cause on
// Friday 29 March 2024, at a log2 ratio of 8, and the hour threshold.
func marchCrowd(t *testing.T) (*Detector, float64) {
	d := armedNetwork(t, map[string]string{"cd-13": "manager", "cd-35": "manager", "cd-93": "manager", "cd-59": "manager", "cd-44": "advisor"})
	thr := d.thr[famHour]
	march := time.Date(2024, 3, 29, 14, 0, 0, 0, paris).UnixMilli() // the last working day
	var crowd []int32
	for _, a := range []string{"cd-35-0", "cd-35-1", "cd-35-2", "cd-93-0", "cd-93-1", "cd-93-2", "cd-59-0", "cd-59-1", "cd-59-2"} {
		j, _ := d.lookup(kindAccount, a)
		d.noteAt(j, brHour, march, thr+5, 8)
		crowd = append(crowd, j)
	}
	for _, j := range crowd {
		if !d.excused(j, brHour, march, thr+5, 8) {
			t.Fatalf("%s of the March crowd not excused", d.ents[j].Key)
		}
	}
	return d, thr
}

// A crowd goes on the next working day: once two accounts of the group
// are excused again, one raised beyond what today's others reached, but
// within twice yesterday's largest, is excused too (a month-end or a
// campaign of several days: 736 → 722 false entity-days over 36 logs).
// Alone, the first of its group that day, it is not: three evening
// pulls of altgen2 and altgen4 were excused the day after a campaign.
func TestCrowdGoesOnTheNextWorkingDay(t *testing.T) {
	d, thr := marchCrowd(t)
	tuesday := time.Date(2024, 4, 2, 11, 0, 0, 0, paris).UnixMilli() // after Easter Monday
	i, _ := d.lookup(kindAccount, "cd-13-0")
	d.noteAt(i, brHour, tuesday, thr+5, 8.5)
	if d.excused(i, brHour, tuesday, thr+5, 8.5) {
		t.Error("the first manager alerting the next working day was excused alone")
	}
	var today []int32
	for _, a := range []string{"cd-35-0", "cd-35-1", "cd-35-2", "cd-93-0", "cd-93-1", "cd-93-2", "cd-59-0", "cd-59-1", "cd-59-2"} {
		j, _ := d.lookup(kindAccount, a)
		d.noteAt(j, brHour, tuesday, thr-1, 5) // near the threshold, raised 32x
		today = append(today, j)
	}
	for _, j := range today[:2] {
		if !d.excused(j, brHour, tuesday, thr+1, 5) {
			t.Fatalf("%s not excused by today's crowd", d.ents[j].Key)
		}
	}
	for _, c := range []struct {
		lr   float64
		want bool
	}{{8.5, true}, {9.5, false}} {
		if got := d.excused(i, brHour, tuesday, thr+5, c.lr); got != c.want {
			t.Errorf("a manager raised by a log2 ratio of %.1f after two of today's were excused: excused %v, want %v", c.lr, got, c.want)
		}
	}
	if j, _ := d.lookup(kindAccount, "cd-44-0"); d.excused(j, brHour, tuesday, thr+5, 8.5) {
		t.Error("an advisor was excused by the managers' crowd")
	}
}

// A campaign's CUSUM sums climb unequally: each day adds the advisor's
// excess, and one whose sum was excused keeps it, so a late riser's alarm
// stands far beyond the others' sums, with no ratio to compare (the
// evidence is several days'). Five others in three organisations that
// reached the threshold that day excuse it however high it stands; below
// the threshold they do not, nor do they excuse a day's volume scoring as
// high (altgen4's audit campaign: its late risers were 7–18 CUSUM alarms
// a seed).
func TestLateRisersOfACampaignAreACommonCause(t *testing.T) {
	d := armedNetwork(t, map[string]string{"cd-13": "referent", "cd-35": "referent", "cd-93": "referent", "cd-59": "referent"})
	at := day(29).Add(10 * time.Hour).UnixMilli()
	i, _ := d.lookup(kindAccount, "cd-13-0")
	for _, c := range []struct {
		f     int
		below float64 // how far below the threshold the others stand
		want  bool
	}{{brCusum, -0.05, true}, {brCusum, 0.5, false}, {brDay, -0.05, false}} {
		d.breadth = breadth{}
		thr := d.thr[brFamily[c.f]]
		for _, o := range []string{"cd-35", "cd-93", "cd-59"} {
			for k := range 2 {
				j, _ := d.lookup(kindAccount, o+"-"+strconv.Itoa(k))
				d.noteAt(j, c.f, at, thr-c.below, math.NaN())
			}
		}
		if got := d.commonCause(i, c.f, thr+6, math.NaN()); got != c.want {
			t.Errorf("family %d scoring %.1f, six others in three organisations at %.1f: common cause %v, want %v",
				c.f, thr+6, thr-c.below, got, c.want)
		}
	}
}

// armedNetwork returns a detector past its warm-up, with thresholds for
// 1,000 accounts in 80 organisations, that has seen three accounts
// ("cd-13-0"...) of each organisation of roles, with the role given.
func armedNetwork(t *testing.T, roles map[string]string) *Detector {
	s := newStream(5)
	for o, role := range roles {
		for k := range 3 {
			s.add(day(29).Add(9*time.Hour), o+"-"+strconv.Itoa(k), o, role, 10)
		}
	}
	d, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range s.sorted() {
		d.Observe(&ev)
	}
	d.firstTS -= d.cfg.Warmup.Milliseconds() // armed: breadth notes are kept
	d.thresholdFor(1000, 80)
	return d
}
