package detector

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/ingest"
	"github.com/vigie/vigie/models"
)

const org = "capemploi-075"

// scenario is a benign office of 30 advisors over 42 days plus one
// injected behaviour.
type scenario struct {
	name string
	// inject adds the behaviour and returns the entity to watch and the
	// time the behaviour starts.
	inject func(s *stream) (watch string, from time.Time)
	cfg    func(c *Config)
	// wantFire: the watched entity must alert (with a detector among
	// detectors, if any); otherwise it must stay quiet.
	wantFire  bool
	detectors []string
	// holidays (day numbers) every benign advisor observes.
	holidays map[int]bool
	// knownWeak explains a case the detector does not pass yet.
	knownWeak string
	// maxRecords before the first alert (0: no limit).
	maxRecords float64
	// accomplices is the name prefix of accounts taking part in the
	// behaviour, which may alert too.
	accomplices string
}

func day(n int) time.Time { return start.AddDate(0, 0, n) }

func TestBehaviours(t *testing.T) {
	cases := []scenario{
		{
			name: "scripted bulk extraction fires within 2,000 records",
			inject: func(s *stream) (string, time.Time) {
				at := day(29).Add(10*time.Hour + 17*time.Minute) // Tue, office hours
				for k := 0; k < 2000; k++ {
					s.add(at.Add(time.Duration(k)*4*time.Second), org+"-adv-3", org, "advisor", 200)
				}
				return org + "-adv-3", at
			},
			wantFire: true, detectors: []string{DetVolumeHour, DetVolumeDay}, maxRecords: 2000,
		},
		{
			name: "night extraction at normal daily volume fires",
			inject: func(s *stream) (string, time.Time) {
				at := day(30).Add(3 * time.Hour)
				for k := 0; k < 25; k++ {
					s.add(at.Add(time.Duration(k)*2*time.Minute), org+"-adv-5", org, "advisor", 6)
				}
				return org + "-adv-5", at
			},
			wantFire: true, detectors: []string{DetVolumeHour, DetVolumeDay},
		},
		{
			// Seed 2's off_hours shape: a normal day's volume from 02:50 to
			// 04:00, across two night hours. The first hour must not teach
			// the second (through the profile's timing jitter) that night
			// volume is expected. Guards the winsorised hour learning.
			name: "night extraction across two night hours fires",
			inject: func(s *stream) (string, time.Time) {
				at := day(30).Add(2*time.Hour + 50*time.Minute)
				for k := 0; k < 9; k++ {
					s.add(at.Add(time.Duration(k)*time.Minute), org+"-adv-6", org, "advisor", 12)
				}
				for k := 0; k < 26; k++ {
					s.add(at.Add(10*time.Minute+time.Duration(k)*2*time.Minute), org+"-adv-6", org, "advisor", 7)
				}
				return org + "-adv-6", at
			},
			wantFire: true, detectors: []string{DetVolumeHour, DetVolumeDay},
		},
		{
			name: "slow leak at 3.5x for ten days is one episode",
			// In an office of 31 accounts the budget gives a day threshold
			// near 3.5, so the leak fires on several days, one incident:
			// the short level catches up with the leak, so the incident
			// goes on while its days stand clearly above the long level
			// (else CUSUM, held at 0 during the incident, opened a second
			// one after it), and the weekend in the middle, when the office
			// and the leak stop, is not quiet time (else the default quiet
			// period of a day closed it).
			inject: func(s *stream) (string, time.Time) {
				// The leaker keeps office hours and ordinary request sizes.
				acct := org + "-leak"
				s.advisor(acct, org, 0, 29, 150, nil)
				s.advisor(acct, org, 29, 10, 525, nil)
				return acct, day(29)
			},
			wantFire: true, detectors: []string{DetVolumeDay, DetCusumDay},
		},
		{
			name: "new advisor with ordinary activity stays quiet",
			inject: func(s *stream) (string, time.Time) {
				s.advisor(org+"-new", org, 28, 14, 150, nil)
				return org + "-new", day(28)
			},
		},
		{
			// A new hire takes on a caseload over two weeks (12% of a
			// full day at first, 9 points more each working day), then
			// works normally for three weeks. The long memory holds the
			// ramp: against it every ordinary day afterwards is an
			// excess, which CUSUM summed into an alarm.
			name: "new hire ramping up over two weeks stays quiet",
			inject: func(s *stream) (string, time.Time) {
				k := 0
				for d := 14; d < 42; d++ {
					if wd := day(d).Weekday(); wd == time.Saturday || wd == time.Sunday {
						continue
					}
					s.advisor(org+"-hire", org, d, 1, 150*min(1, 0.12+0.09*float64(k)), nil)
					k++
				}
				return org + "-hire", day(14)
			},
		},
		{
			name: "new advisor pulling thousands fires",
			inject: func(s *stream) (string, time.Time) {
				at := day(29).Add(9 * time.Hour)
				s.advisor(org+"-new", org, 28, 1, 150, nil)
				for k := 0; k < 100; k++ {
					s.add(at.Add(time.Duration(k)*30*time.Second), org+"-new", org, "advisor", 50)
				}
				return org + "-new", at
			},
			wantFire: true, maxRecords: 3000,
		},
		{
			name: "service account with large nightly exports stays quiet",
			inject: func(s *stream) (string, time.Time) {
				for d := 0; d < 42; d++ {
					at := day(d).Add(2 * time.Hour)
					n := 8 + s.rng.IntN(5)
					for k := 0; k < n; k++ {
						s.add(at.Add(time.Duration(k)*3*time.Minute), "svc-export", org, "service", 4000+s.rng.Int64N(2000))
					}
				}
				return "svc-export", day(10)
			},
		},
		{
			// The export starts anywhere between 01:00 and 02:00 and lasts
			// minutes: its hour moves from night to night and it arrives
			// as one burst. Guards the one-hour jitter of the profile and
			// the session clumping of early hour tests.
			name: "service export wandering across an hour boundary stays quiet",
			inject: func(s *stream) (string, time.Time) {
				for d := 0; d < 42; d++ {
					at := day(d).Add(time.Hour + time.Duration(s.rng.IntN(3600))*time.Second)
					n := 20 + s.rng.IntN(10)
					for k := 0; k < n; k++ {
						s.add(at.Add(time.Duration(k)*4*time.Second), "svc-nightly", org, "service", 1000)
					}
				}
				return "svc-nightly", day(0)
			},
		},
		{
			name:     "day after a holiday stays quiet",
			cfg:      func(c *Config) { c.Holidays = []string{"2024-02-08", "2024-02-15"} },
			holidays: map[int]bool{31: true, 38: true},
			inject: func(s *stream) (string, time.Time) {
				return org + "-adv-7", day(32)
			},
		},
		{
			// Month-end reporting: every manager of every organisation at
			// 5x on the same day. Guards the common-mode factor.
			name: "month-end: all managers at 5x on the same day stay quiet",
			inject: func(s *stream) (string, time.Time) {
				managers(s, 24, func(m, d int) float64 {
					if d == 31 {
						return 5
					}
					return 1
				})
				return "mgr-0", day(31)
			},
		},
		{
			// The same 5x by one manager alone is not a common mode.
			name: "one manager alone at 5x fires",
			inject: func(s *stream) (string, time.Time) {
				managers(s, 24, func(m, d int) float64 {
					if d == 31 && m == 0 {
						return 5
					}
					return 1
				})
				return "mgr-0", day(31)
			},
			wantFire: true,
		},
		{
			// Levels are per active day: two weeks away must not make the
			// ordinary day back (a little busier) look like a surge.
			name: "return from two weeks' vacation stays quiet",
			inject: func(s *stream) (string, time.Time) {
				s.advisor(org+"-vac", org, 0, 19, 150, nil)
				s.advisor(org+"-vac", org, 33, 9, 180, nil)
				return org + "-vac", day(33)
			},
		},
		{
			name: "25 accounts of one org at 2x for a week fire at org level",
			inject: func(s *stream) (string, time.Time) {
				for k := 0; k < 25; k++ {
					s.advisor("mlo-adv-"+string(rune('a'+k)), "mission-locale-33", 0, 29, 100, nil)
					s.advisor("mlo-adv-"+string(rune('a'+k)), "mission-locale-33", 29, 5, 200, nil)
					s.advisor("mlo-adv-"+string(rune('a'+k)), "mission-locale-33", 34, 8, 100, nil)
				}
				return "mission-locale-33", day(29)
			},
			wantFire:  true,
			detectors: []string{DetOrgShare},
			// Each member at 2x for a week is a slow leak of its own.
			accomplices: "mlo-adv-",
		},
		{
			// A third of a team, each only moderately busier (an advisor's
			// 2x day scores 1–3 alone), for a single day: the
			// organisation share test must add them up.
			name: "a third of an org at 2x for one day fires at org level",
			inject: func(s *stream) (string, time.Time) {
				partners(s, 5, 20)
				for k := range 18 {
					name := "ml44-adv-" + strconv.Itoa(k)
					if k >= 7 {
						s.advisor(name, "mission-locale-44", 0, 42, 100, nil)
						continue
					}
					s.advisor(name, "mission-locale-44", 0, 29, 100, nil)
					s.advisor(name, "mission-locale-44", 29, 1, 220, nil)
					s.advisor(name, "mission-locale-44", 30, 12, 100, nil)
				}
				return "mission-locale-44", day(29)
			},
			wantFire:    true,
			detectors:   []string{DetOrgShare},
			accomplices: "ml44-adv-",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.knownWeak != "" {
				t.Skip("known weakness, not yet detected: " + tc.knownWeak)
			}
			s := newStream(42)
			s.holidays = tc.holidays
			s.office(org, 30, 42, 150)
			watch, from := tc.inject(s)
			cfg := DefaultConfig()
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			r := replay(t, cfg, s.sorted(), watch, from.UnixMilli())
			var mine []Alert
			for _, a := range r.out.Alerts {
				if a.Entity == watch {
					mine = append(mine, a)
					continue
				}
				if tc.accomplices != "" && strings.HasPrefix(a.Entity, tc.accomplices) {
					continue
				}
				if !tc.wantFire || a.EntityType != EntityOrg {
					// Only the watched entity (or, when it fires, its org)
					// may alert.
					t.Errorf("unexpected alert: %s %.1f %s", a.Detector, a.Score, a.Explanation)
				}
			}
			if !tc.wantFire {
				for _, a := range mine {
					t.Errorf("false alert: %s %.1f %s", a.Detector, a.Score, a.Explanation)
				}
				return
			}
			if len(mine) == 0 {
				t.Fatalf("%s did not alert", watch)
			}
			if len(tc.detectors) > 0 && !containsDet(mine, tc.detectors) {
				t.Errorf("detectors %v fired, want one of %v", dets(mine), tc.detectors)
			}
			if tc.maxRecords > 0 && r.recordsAtFirst > tc.maxRecords {
				t.Errorf("first alert after %v records, want <= %v", r.recordsAtFirst, tc.maxRecords)
			}
			if mine[0].Kind != "open" {
				t.Errorf("first alert kind %q, want open", mine[0].Kind)
			}
			for _, a := range mine[1:] {
				if a.Kind != "escalation" || a.IncidentID != mine[0].IncidentID {
					t.Errorf("extra alert in the episode: %s %s %s", a.Kind, a.Detector, a.Explanation)
				}
			}
			t.Logf("%d alert(s), first after %v records: %s", len(mine), r.recordsAtFirst, mine[0].Explanation)
		})
	}
}

// partners adds n other organisations of size advisors each, so that an
// organisation's day can be ranked against the rest of the network.
func partners(s *stream, n, size int) {
	for o := range n {
		s.office("partner-"+strconv.Itoa(o), size, 42, 100)
	}
}

// managers adds n managers, one per organisation, whose daily volume on
// day d is multiplied by mult(m, d).
func managers(s *stream, n int, mult func(m, d int) float64) {
	for m := 0; m < n; m++ {
		name, o := "mgr-"+strconv.Itoa(m), "org-"+strconv.Itoa(m)
		for d := 0; d < 42; d++ {
			k := len(s.evs)
			s.advisor(name, o, d, 1, 200*mult(m, d), nil)
			for i := k; i < len(s.evs); i++ {
				s.evs[i].Role = "manager"
			}
		}
	}
}

func containsDet(as []Alert, want []string) bool {
	for _, a := range as {
		for _, w := range want {
			if a.Detector == w {
				return true
			}
		}
	}
	return false
}

func dets(as []Alert) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Detector)
	}
	return out
}

func attackStream() []ingest.Event {
	s := newStream(9)
	s.office(org, 20, 35, 150)
	at := day(29).Add(2 * time.Hour)
	for k := 0; k < 3000; k++ {
		ev := ingest.Event{TS: at.Add(time.Duration(k) * 3 * time.Second).UnixMilli(), Account: org + "-adv-1", Org: org, Role: "advisor", Records: 50, Subject: "subj"}
		s.evs = append(s.evs, ev)
	}
	evs := s.sorted()
	for k := range evs {
		if evs[k].Subject != "" {
			evs[k].Subject = "p-" + time.UnixMilli(evs[k].TS).Format("150405")
		}
	}
	return evs
}

func encode(tb testing.TB, o Output) []byte {
	b, err := json.Marshal(o)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestDeterminism(t *testing.T) {
	evs := attackStream()
	a := replay(t, DefaultConfig(), evs, "", 0)
	b := replay(t, DefaultConfig(), evs, "", 0)
	if len(a.out.Alerts) == 0 {
		t.Fatal("no alert in the attack stream")
	}
	if !bytes.Equal(encode(t, a.out), encode(t, b.out)) {
		t.Fatal("two runs over the same input differ")
	}
}

func TestSnapshotRestoreMidStream(t *testing.T) {
	evs := attackStream()
	for _, cut := range []int{len(evs) / 3, len(evs) - 1500} {
		restoreMatches(t, evs, cut)
	}
}

// restoreMatches replays evs with a snapshot and restore before event
// cut, and fails unless the output is the uninterrupted run's.
func restoreMatches(t *testing.T, evs []ingest.Event, cut int) {
	t.Helper()
	want := replay(t, DefaultConfig(), evs, "", 0)
	d, _ := New(DefaultConfig())
	var got, o Output
	collect := func(d *Detector) {
		d.Take(&o)
		got.Alerts = append(got.Alerts, o.Alerts...)
		got.Windows = append(got.Windows, o.Windows...)
		got.Incidents = append(got.Incidents, o.Incidents...)
	}
	for k := 0; k < cut; k++ {
		ev := evs[k]
		d.Observe(&ev)
		collect(d)
	}
	var buf bytes.Buffer
	if err := d.Snapshot(&buf); err != nil {
		t.Fatal(err)
	}
	d2, _ := New(DefaultConfig())
	if err := d2.Restore(&buf); err != nil {
		t.Fatal(err)
	}
	for k := cut; k < len(evs); k++ {
		ev := evs[k]
		d2.Observe(&ev)
		collect(d2)
	}
	d2.Close()
	collect(d2)
	if !bytes.Equal(encode(t, got), encode(t, want.out)) {
		t.Fatalf("cut at %d: restored run differs from the uninterrupted one (%d vs %d alerts, %d vs %d windows)",
			cut, len(got.Alerts), len(want.out.Alerts), len(got.Windows), len(want.out.Windows))
	}
}

func TestLateEvents(t *testing.T) {
	d, _ := New(DefaultConfig())
	t0 := day(1).Add(10 * time.Hour)
	obs := func(ts time.Time, acct string) {
		d.Observe(&ingest.Event{TS: ts.UnixMilli(), Account: acct, Org: org, Records: 3})
	}
	obs(t0, "a")
	obs(t0.Add(2*time.Hour), "b")    // watermark 11:55: a's 10:00 hour closes
	obs(t0.Add(4*time.Minute), "c")  // late but its hour is open for... nobody: counted late
	obs(t0.Add(30*time.Minute), "a") // a's hour closed: late, goes to the day window
	obs(t0.Add(-30*time.Hour), "a")  // yesterday: late, dropped
	obs(t0.Add(2*time.Hour+time.Minute), "b")
	st := d.Stats()
	if st.Late != 3 {
		t.Errorf("Late = %d, want 3", st.Late)
	}
	if st.LateHourClosed < 1 || st.LateDropped < 1 {
		t.Errorf("LateHourClosed = %d, LateDropped = %d, want >= 1 each", st.LateHourClosed, st.LateDropped)
	}
	d.Close()
	var o Output
	d.Take(&o)
	total := 0.0
	for _, w := range o.Windows {
		if w.Entity == "a" && w.Resolution == "day" {
			total += w.Observed
		}
	}
	if total != 6 {
		t.Errorf("account a's day window holds %v records, want 6 (one on-time, one late)", total)
	}
}

func TestMaxEntitiesCounted(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxEntities = 3
	d, _ := New(cfg)
	for k, acct := range []string{"a", "b", "c", "d", "a"} {
		d.Observe(&ingest.Event{TS: day(1).Add(time.Duration(k) * time.Minute).UnixMilli(), Account: acct, Org: "o"})
	}
	st := d.Stats()
	if st.TrackedAccounts != 2 || st.TrackedOrgs != 1 || st.UntrackedEvents != 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		set   func(*Config)
		field string
	}{
		{"zone", func(c *Config) { c.TimeZone = "Mars/Olympus" }, "time-zone"},
		{"budget", func(c *Config) { c.AlertBudget = "lots" }, "alert-budget"},
		{"budget unit", func(c *Config) { c.AlertBudget = "2/month" }, "alert-budget"},
		{"holidays", func(c *Config) { c.Holidays = []string{"14/07/2024"} }, "holidays"},
		{"max", func(c *Config) { c.MaxEntities = 0 }, "max-entities"},
		{"quiet", func(c *Config) { c.QuietPeriod = 0 }, "quiet-period"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			tc.set(&c)
			err := c.Validate()
			if err == nil || !bytes.HasPrefix([]byte(err.Error()), []byte(tc.field+":")) {
				t.Fatalf("Validate() = %v, want an error about %s", err, tc.field)
			}
		})
	}
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if b, _ := ParseBudget("7/week"); b != 1 {
		t.Fatalf("7/week = %v/day", b)
	}
}

// TestUnalertedNightHourTeachesLittle checks that a night hour scoring
// below the alert threshold but far above its expectation teaches the
// profile at most its 1% quantile: 100 records at 02:00 must not make the
// next night expect all of it there (seed 2's off_hours
// attack hid its second hour this way, through the profile's jitter).
func TestUnalertedNightHourTeachesLittle(t *testing.T) {
	s := newStream(42)
	s.office(org, 30, 42, 150)
	at := day(30).Add(2*time.Hour + 50*time.Minute)
	for k := 0; k < 9; k++ {
		s.add(at.Add(time.Duration(k)*time.Minute), org+"-adv-6", org, "advisor", 12)
	}
	d := learningOnly(t)
	evs := s.sorted()
	for k := range evs {
		if evs[k].TS < day(31).UnixMilli() {
			d.Observe(&evs[k])
		}
	}
	d.Advance(day(31).UnixMilli())
	i, _ := d.lookup(kindAccount, org+"-adv-6")
	e := &d.ents[i]
	tot := 0.0
	for _, v := range e.Base.H[0] {
		tot += float64(v)
	}
	share := float64(e.Base.H[0][2]) / tot
	if share > 0.025 {
		t.Fatalf("02:00 holds %.4f of the working-day profile after one unalerted night hour of 108 records, want <= 0.025 (taught in full it is 0.029)", share)
	}
}

// Several requests each beyond the largest an established account ever
// made count as several clumps; the same volume in one request is one.
func TestClumpBoundedByHistory(t *testing.T) {
	d, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	e := &entity{}
	e.Base.ReqN, e.Base.ReqMax = 500, 300
	nb := models.NB{Mu: 40, Phi: 50}
	if y := d.clump(e, &nb, 3000, 900); y != 2400 || nb.Phi != 300 {
		t.Fatalf("established account: scored %v records in clumps of %v, want 2400 in clumps of 300", y, nb.Phi)
	}
	e.Base.ReqN = 100 // too short a history to trust its largest request
	nb = models.NB{Mu: 40, Phi: 50}
	if y := d.clump(e, &nb, 3000, 900); y != 3000 || nb.Phi != 900 {
		t.Fatalf("young account: scored %v records in clumps of %v, want 3000 in clumps of 900", y, nb.Phi)
	}
	e.Fresh = true // brand new: its group's dispersion bounds the clump
	nb = models.NB{Mu: 40, Phi: 50}
	if y := d.clump(e, &nb, 3000, 900); y != 2150 || nb.Phi != 50 {
		t.Fatalf("brand-new account: scored %v records in clumps of %v, want 2150 in clumps of 50", y, nb.Phi)
	}
	e.Fresh = false
	e.Base.ReqN = 500
	nb = models.NB{Mu: 40, Phi: 50}
	if y := d.clump(e, &nb, 250, 200); y != 250 || nb.Phi != 200 {
		t.Fatalf("ordinary window: scored %v records in clumps of %v, want 250 in clumps of 200", y, nb.Phi)
	}
}

// An advisor keeps returning to the same portfolio: one day of the same
// number of one-record views, each of a different person, is a coverage
// spike that distinct_subjects reports though the volume is ordinary.
func TestDistinctSubjectsCoverageSpike(t *testing.T) {
	s := newStream(5)
	for k := 0; k < 30; k++ {
		acct := "cov-adv-" + strconv.Itoa(k)
		for d := 0; d < 42; d++ {
			day := day(d)
			if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
				continue
			}
			n := 30 + s.rng.IntN(20)
			for v := 0; v < n; v++ {
				at := day.Add(9*time.Hour + time.Duration(s.rng.IntN(8*3600))*time.Second)
				subject := acct + "-client-" + strconv.Itoa(s.rng.IntN(12))
				if k == 0 && d == 30 {
					subject = "stranger-" + strconv.Itoa(v) // everyone new
				}
				s.evs = append(s.evs, ingest.Event{TS: at.UnixMilli(), Account: acct, Org: org, Role: "advisor", Records: 1, Subject: subject})
			}
		}
	}
	r := replay(t, DefaultConfig(), s.sorted(), "cov-adv-0", day(30).UnixMilli())
	var got []Alert
	for _, a := range r.out.Alerts {
		if a.Detector == DetDistinct {
			got = append(got, a)
		}
		if a.Entity != "cov-adv-0" {
			t.Errorf("unexpected alert: %s %.1f %s", a.Detector, a.Score, a.Explanation)
		}
	}
	if len(got) != 1 || got[0].Entity != "cov-adv-0" || !got[0].WindowStart.Equal(day(30)) {
		t.Fatalf("distinct_subjects alerts %+v, want one for cov-adv-0 on day 30", got)
	}
	t.Log(got[0].Explanation)
}

// A leak's days do not teach the variability it is measured with: while
// CUSUM holds an excess (or a day is extreme), c² and the long memory do
// not learn, so the band does not widen around the leak.
func TestSuspectDaysTeachNothing(t *testing.T) {
	s := newStream(11)
	s.office(org, 30, 42, 150)
	acct := org + "-leak"
	s.advisor(acct, org, 0, 29, 150, nil)
	s.advisor(acct, org, 29, 8, 400, nil)
	d, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var before, after float64
	var longBefore, longAfter float64
	for _, ev := range s.sorted() {
		if ev.TS >= day(29).UnixMilli() && before == 0 {
			i, _ := d.lookup(kindAccount, acct)
			e := &d.ents[i]
			p := d.peerOf(e)
			before, longBefore = e.Base.RequestC2(p, &d.prm), e.Base.LongReqLevel(p, &d.prm)
		}
		if ev.TS >= day(39).UnixMilli() && after == 0 {
			i, _ := d.lookup(kindAccount, acct)
			e := &d.ents[i]
			p := d.peerOf(e)
			after, longAfter = e.Base.RequestC2(p, &d.prm), e.Base.LongReqLevel(p, &d.prm)
		}
		d.Observe(&ev)
	}
	if after > 1.3*before {
		t.Errorf("request c² went from %.3f to %.3f over the leak, want it to stay", before, after)
	}
	if longAfter > 1.3*longBefore {
		t.Errorf("long request level went from %.1f to %.1f over the leak, want it to stay", longBefore, longAfter)
	}
	t.Logf("c² %.3f -> %.3f, long level %.1f -> %.1f", before, after, longBefore, longAfter)
}

// An open hour's exposure runs from the account's first event in it: the
// same scripted burst needs no more records to fire when the account was
// idle for the first three quarters of the hour than at its start.
func TestIdlePartOfHourDoesNotHideABurst(t *testing.T) {
	taken := func(startMin int) float64 {
		s := newStream(42)
		s.office(org, 30, 42, 150)
		acct := org + "-adv-3"
		at := day(29).Add(10*time.Hour + time.Duration(startMin)*time.Minute)
		for k := 0; k < 300; k++ {
			s.add(at.Add(time.Duration(k)*2*time.Second), acct, org, "advisor", 100)
		}
		// Nothing else from the account in that hour.
		evs := s.sorted()
		kept := evs[:0]
		for _, ev := range evs {
			if ev.Account == acct && ev.TS >= day(29).Add(10*time.Hour).UnixMilli() && ev.TS < at.UnixMilli() {
				continue
			}
			kept = append(kept, ev)
		}
		r := replay(t, DefaultConfig(), kept, acct, at.UnixMilli())
		if r.recordsAtFirst < 0 {
			t.Fatalf("burst at 10:%02d did not alert", startMin)
		}
		return r.recordsAtFirst
	}
	early, late := taken(1), taken(45)
	t.Logf("records before the first alert: burst at 10:01 %v, at 10:45 %v", early, late)
	if late > early {
		t.Errorf("a burst after 45 idle minutes needed %v records, one at the start of the hour %v", late, early)
	}
}

// An unalerted but suspect hour (beyond its 1% quantile) teaches the
// profile only when its day closes, the account's and its group's: a
// night session's first hour made the next hour of the same night
// expected through the profile's hour of jitter (altgen7 seed 3's pull
// of 230 records from 23:22 to 02:14: 62 records at 00:00 made 20
// expected at 01:00). On a working day, so that only this rule is under
// test (a group's non-working days wait for their close anyway:
// TestGroupLearnsANonWorkingDayWhenItCloses), 01:00's share stays at
// 0.0002 with it and becomes 0.0128 without. Off-hours pulls of four
// independent logs were caught only with the rule, and vigie gen's after
// 90-108 records instead of 120-204.
func TestSuspectHourTeachesWhenItsDayCloses(t *testing.T) {
	s := newStream(43)
	s.office(org, 30, 42, 150)
	night := day(30) // a Wednesday
	victim := org + "-adv-6"
	for k := range 9 {
		s.add(night.Add(10*time.Minute+time.Duration(k)*time.Minute), victim, org, "advisor", 7)
	}
	expected1 := hourShare(learningOnly(t), s.sorted(), victim, models.DayWork, 1)
	before := expected1(night)
	after := expected1(night.Add(time.Hour + 10*time.Minute))
	t.Logf("01:00's share of a working day: %.4f before the session, %.4f after its first hour", before, after)
	if after > 2*before {
		t.Errorf("the first hour of a night session raised 01:00's share from %.4f to %.4f the same night", before, after)
	}
}

// A day's last hour, held as suspect, teaches the profile only once the
// next day's first hour is scored: that hour's jitter envelope reaches
// back to 23:00 (the envelope wraps around the day), and a Saturday-night
// session's 23:00 hour, folded in when Saturday closed, made Sunday's
// midnight hour expect 22 of the 381 records it then took (altgen7 seed
// 2's night pull, caught since at score 9.5). 00:00's share of a
// non-working day stays at 0.002 with the rule, the account's and its
// groups', and becomes 0.60 without (0.51 with the groups' alone, 0.09
// with the account's alone).
func TestLastHourTeachesAfterTheNextDaysFirst(t *testing.T) {
	s := newStream(45)
	s.office(org, 30, 42, 150)
	sat := saturdayFrom(29)
	victim := org + "-adv-8"
	for k := range 9 {
		s.add(sat.Add(23*time.Hour+10*time.Minute+time.Duration(k)*time.Minute), victim, org, "advisor", 7)
	}
	s.add(sat.Add(24*time.Hour+20*time.Minute), victim, org, "advisor", 1)
	share0 := hourShare(learningOnly(t), s.sorted(), victim, models.DayOff, 0)
	before := share0(sat.Add(23 * time.Hour))
	after := share0(sat.Add(24*time.Hour + 30*time.Minute)) // Saturday closed, Sunday's 00:00 open
	t.Logf("00:00's share of a non-working day: %.4f before Saturday's 23:00 session, %.4f in Sunday's first hour", before, after)
	if after > 2*before {
		t.Errorf("Saturday's 23:00 session raised Sunday 00:00's share from %.4f to %.4f before that hour was scored", before, after)
	}
}

// saturdayFrom returns the local midnight beginning the first Saturday on
// or after day d.
func saturdayFrom(d int) time.Time {
	sat := day(d)
	for sat.Weekday() != time.Saturday {
		sat = sat.AddDate(0, 0, 1)
	}
	return sat
}

// hourShare returns a function that gives d the events of evs before its
// argument (after those it gave before), advances d's watermark to it, and
// returns acct's expected share of a type-t day in local hour h.
func hourShare(d *Detector, evs []ingest.Event, acct string, t models.DayType, h int) func(until time.Time) float64 {
	return func(until time.Time) float64 {
		for k := range evs {
			if ts := evs[k].TS; ts >= d.maxTS && ts < until.UnixMilli() {
				d.Observe(&evs[k])
			}
		}
		d.Advance(until.UnixMilli())
		i, _ := d.lookup(kindAccount, acct)
		e := &d.ents[i]
		return e.Base.Shape(t, h, d.peerOf(e), &d.prm)
	}
}

// learningOnly returns a detector that alerts on nothing: learning alone
// is under test.
func learningOnly(t *testing.T) *Detector {
	cfg := DefaultConfig()
	cfg.MinScore = 99
	d, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// A group learns a non-working day's hours when the day closes, however
// they scored: in an office that never works weekends, one member's
// ordinary Saturday-night hour made its group expect most of a day in
// the next hour of the same night (altgen7 seed 3's night pull). The
// member's hour is too small to be suspect and the account never worked
// a weekend, so its 02:00 expectation is its group's, widened by the
// hour of jitter: 0.002 of a day with the rule, 0.525 without.
func TestGroupLearnsANonWorkingDayWhenItCloses(t *testing.T) {
	s := newStream(44)
	s.office(org, 30, 42, 150)
	sat := saturdayFrom(29)
	s.add(sat.Add(time.Hour+10*time.Minute), org+"-adv-7", org, "advisor", 2)
	share2 := hourShare(learningOnly(t), s.sorted(), org+"-adv-7", models.DayOff, 2)
	before := share2(sat)
	after := share2(sat.Add(2*time.Hour + 10*time.Minute)) // the 01:00 hour closed
	t.Logf("02:00's share of a non-working day: %.4f before, %.4f after one member's hour at 01:00", before, after)
	if after > 2*before {
		t.Errorf("one member's Saturday hour at 01:00 raised 02:00's share from %.4f to %.4f the same night", before, after)
	}
}
