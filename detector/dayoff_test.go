package detector

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// A nightly export that also runs at weekends and on holidays, by a
// service account without a role among 120 advisors: its group is theirs,
// whose days off are nearly silent, and whose records dwarf the export.
// Its own weekend in the warm-up must be enough to believe it (its days
// vary little), so the weekends and the holiday after stay quiet.
func TestSteadyServiceWeekendLearnedFast(t *testing.T) {
	s := newStream(3)
	s.holidays = map[int]bool{16: true}
	s.office(org, 120, 42, 150)
	for d := range 42 {
		at := day(d).Add(time.Hour + 10*time.Minute + time.Duration(s.rng.IntN(600))*time.Second)
		n := 5 + s.rng.IntN(2)
		for j := range n {
			s.add(at.Add(time.Duration(4*j)*time.Second), "svc-batch", org, "", 800)
		}
	}
	cfg := DefaultConfig()
	cfg.Holidays = []string{"2024-01-24"}
	r := replay(t, cfg, s.sorted(), "svc-batch", 0)
	for _, a := range alertsFor(r, "svc-batch") {
		t.Errorf("false alert: %s %.1f %s", a.Detector, a.Score, a.Explanation)
	}
}

// nightly adds a service pulling about total records in pages of 500 at
// hour:minute every night of days [0, days), weekends and holidays too.
func nightly(s *stream, name, org string, hour, minute, days int, total int64) {
	for d := range days {
		at := day(d).Add(time.Duration(hour)*time.Hour + time.Duration(minute+s.rng.IntN(5))*time.Minute)
		n := total/500 + s.rng.Int64N(3)
		for j := range n {
			s.add(at.Add(time.Duration(2*j)*time.Second), name, org, "service", 500)
		}
	}
}

// Services of one group pulling at different hours of the night: each
// one's own hour must win over the group's within a few weekends, though
// weekends are few (the group's profile is a poor prior here), and a pull
// delivering its hour's share in the hour's first minutes must not fire
// the day's early test.
func TestNightlyPullsAtTheirOwnHours(t *testing.T) {
	s := newStream(5)
	s.office(org, 60, 42, 150)
	for k := range 8 {
		nightly(s, "svc-"+string(rune('a'+k)), "dsi", 4, 5*k, 42, 20_000)
	}
	nightly(s, "svc-early", "dsi", 1, 1, 42, 20_000)
	r := replay(t, DefaultConfig(), s.sorted(), "svc-early", 0)
	for _, a := range r.out.Alerts {
		if strings.HasPrefix(a.Entity, "svc-") || a.Entity == "dsi" {
			t.Errorf("false alert: %s %s %.1f %s", a.Entity, a.Detector, a.Score, a.Explanation)
		}
	}
}

// A bulk extraction over four working days opens an incident; its days
// are reported there, and must not also add up into a CUSUM alarm once the
// account is back to normal.
func TestNoCusumAlarmAfterAnIncident(t *testing.T) {
	s := newStream(9)
	s.office(org, 30, 42, 150)
	s.advisor("victim", org, 0, 42, 150, nil)
	for d := 22; d < 26; d++ { // Tuesday to Friday
		at := day(d).Add(10 * time.Hour)
		for j := range 200 {
			s.add(at.Add(time.Duration(3*j)*time.Second), "victim", org, "advisor", 400)
		}
	}
	r := replay(t, DefaultConfig(), s.sorted(), "victim", day(22).UnixMilli())
	mine := alertsFor(r, "victim")
	if len(mine) == 0 {
		t.Fatal("the extraction did not alert")
	}
	for _, a := range mine {
		if a.Detector == DetCusumDay {
			t.Errorf("CUSUM alarm after the incident: %s", a.Explanation)
		}
	}
}

// A call centre whose staff take turns on Saturday mornings: each
// Saturday a fifth of them work 8:00-12:00, about half a day's volume.
// The one who comes is expected to work like the group's Saturday
// workers do, not like its Saturday total spread over everyone (a
// fiftieth of a day: a second independent generator's call centres raised
// 32 false entity-days so).
func TestSaturdayRotaIsOrdinary(t *testing.T) {
	s := newStream(41)
	for k := range 40 {
		name := "tc-" + strconv.Itoa(k)
		s.advisor(name, "pft", 0, 42, 200, nil)
		for d := range 42 {
			if day(d).Weekday() != time.Saturday || (d/7+k)%5 != 0 {
				continue
			}
			for range int(100 / meanRequest) {
				at := day(d).Add(8*time.Hour + time.Duration(s.rng.IntN(4*3600))*time.Second)
				s.add(at, name, "pft", "advisor", s.reqSize())
			}
		}
	}
	r := replay(t, DefaultConfig(), s.sorted(), "", 0)
	for _, a := range r.out.Alerts {
		if a.WindowStart.In(paris).Weekday() == time.Saturday || a.WindowStart.In(paris).Add(2*time.Hour).Weekday() == time.Saturday {
			t.Errorf("false alert: %s %s %.1f %s", a.Entity, a.Detector, a.Score, a.Explanation)
		}
	}
}

// Integration accounts polling every hour of every day, one request a
// poll: busy office hours return hundreds of records, the other hours and
// whole weekends a few dozen. Their weekend records fall eightfold while
// their requests do not; a records day factor applied to requests made
// every weekend a surge of requests, and two of them a CUSUM alarm.
func TestPollingServicesKeepTheirWeekendRequests(t *testing.T) {
	s := newStream(11)
	s.office(org, 40, 49, 150)
	for k := range 6 {
		name := "api-poll-" + strconv.Itoa(k)
		rate := 0.5 + s.rng.Float64()*1.5
		for d := range 49 {
			wd := day(d).Weekday()
			busy := wd != time.Saturday && wd != time.Sunday
			for h := range 24 {
				n := int64(s.rng.IntN(31))
				if busy && h >= 8 && h < 19 {
					n = int64(float64(20+s.rng.IntN(381)) * rate)
				}
				at := day(d).Add(time.Duration(h)*time.Hour + time.Duration(7*k+s.rng.IntN(40))*time.Minute)
				s.add(at, name, "dsi", "api", n)
			}
		}
	}
	r := replay(t, DefaultConfig(), s.sorted(), "", 0)
	if n := countAlerts(r, func(a Alert) bool { return strings.HasPrefix(a.Entity, "api-poll-") }); n > 0 {
		for _, a := range r.out.Alerts {
			if strings.HasPrefix(a.Entity, "api-poll-") {
				t.Logf("%s %s %.1f %s", a.Entity, a.Detector, a.Score, a.Explanation)
			}
		}
		t.Errorf("%d false alerts on polling services", n)
	}
}

// A service polling every hour and running a full sync of 50,000
// records every Sunday night: its non-working day averages a quiet
// Saturday and a heavy Sunday. The first Sundays alert (a new routine),
// but by the sixth the Sunday is its own habit and the day stays quiet,
// and its Saturdays never look like surges.
func TestWeeklySundaySyncBecomesAHabit(t *testing.T) {
	s := newStream(12)
	s.office(org, 40, 63, 150)
	for d := range 63 {
		for h := range 24 {
			at := day(d).Add(time.Duration(h)*time.Hour + time.Duration(10+s.rng.IntN(20))*time.Minute)
			s.add(at, "svc-sync", "dsi", "api", int64(s.rng.IntN(31)))
		}
		if day(d).Weekday() == time.Sunday {
			at := day(d).Add(90 * time.Minute)
			for j := range 50 {
				s.add(at.Add(time.Duration(5*j)*time.Second), "svc-sync", "dsi", "api", 1000)
			}
		}
	}
	r := replay(t, DefaultConfig(), s.sorted(), "", 0)
	late := day(35).UnixMilli() // the sixth Sunday and after
	for _, a := range alertsFor(r, "svc-sync") {
		switch {
		case a.WindowStart.Weekday() == time.Friday && a.Resolution == "day":
			// Saturday's day window starts on Friday in UTC.
			t.Errorf("a Saturday alerts: %s", a.Explanation)
		case a.FiredAt.UnixMilli() >= late && a.Detector != DetVolumeHour:
			t.Errorf("Sunday sync still alerting in week %d: %s %s", int(a.FiredAt.Sub(day(0)).Hours()/168)+1, a.Detector, a.Explanation)
		}
	}
}

// A weekly routine on a working day: every Tuesday at 02:00 a service
// pulls 30,000 records, beside its nightly 2,000. The first Tuesday is
// new and alerts; the next ones are the same hour of the week, as large,
// and do not. A pull of the same size on a Thursday at 02:00 is not the
// routine and alerts.
func TestWeeklyRoutineAlertsOnce(t *testing.T) {
	s := newStream(13)
	s.office(org, 40, 63, 150)
	odd := day(59).Add(2*time.Hour + 5*time.Minute) // a Thursday
	for d := range 63 {
		at := day(d).Add(2*time.Hour + time.Duration(s.rng.IntN(10))*time.Minute)
		n := 4
		if wd := day(d).Weekday(); wd == time.Tuesday && d >= 14 {
			n = 60
		} else if day(d).Equal(day(59)) {
			n, at = 60, odd
		}
		for j := range n {
			s.add(at.Add(time.Duration(5*j)*time.Second), "svc-weekly", "dsi", "api", 500)
		}
	}
	r := replay(t, DefaultConfig(), s.sorted(), "", 0)
	var tuesdays, thursday int
	for _, a := range alertsFor(r, "svc-weekly") {
		switch a.WindowStart.In(paris).Add(2 * time.Hour).Weekday() {
		case time.Tuesday:
			tuesdays++
		case time.Thursday:
			thursday++
		}
		t.Logf("%s %s %s", a.FiredAt.In(paris).Format("Mon 2 Jan 15:04"), a.Detector, a.Explanation)
	}
	if tuesdays == 0 || tuesdays > 2 {
		t.Errorf("%d alerts on seven weekly Tuesday pulls, want the first (an hour and its day) only", tuesdays)
	}
	if thursday == 0 {
		t.Error("the same pull on a Thursday did not alert")
	}
}

// A monthly extract alerts once, on its first month, and neither it nor
// its organisation on the next months: the same day of the month, at the
// same hour (±1), is the account's own routine (weekly.go). The same pull
// on another day of the month still alerts.
func TestMonthlyExtractAlertsOnce(t *testing.T) {
	s := newStream(14)
	s.office(org, 40, 100, 150)
	odd := time.Date(2024, 4, 10, 3, 5, 0, 0, paris) // a Wednesday
	for d := range 100 {
		at := day(d).Add(3*time.Hour + time.Duration(s.rng.IntN(10))*time.Minute)
		n := 4
		switch {
		case day(d).Day() == 1:
			n = 200
		case day(d).YearDay() == odd.YearDay():
			n, at = 200, odd
		}
		for j := range n {
			s.add(at.Add(time.Duration(5*j)*time.Second), "svc-monthly", "dsi", "api", 500)
		}
	}
	r := replay(t, DefaultConfig(), s.sorted(), "", 0)
	firsts, oddDay := map[time.Month]bool{}, false
	for _, a := range r.out.Alerts {
		if a.Entity != "svc-monthly" && a.Entity != "dsi" {
			continue
		}
		local := a.WindowStart.In(paris).Add(2 * time.Hour)
		switch {
		case local.Day() == 1:
			firsts[local.Month()] = true
		case local.YearDay() == odd.YearDay():
			oddDay = true
		}
		t.Logf("%s %s %s", a.FiredAt.In(paris).Format("Mon 2 Jan 15:04"), a.Detector, a.Explanation)
	}
	if len(firsts) != 1 || !firsts[time.February] {
		t.Errorf("the monthly extract alerted on the first of %v, want February only", firsts)
	}
	if !oddDay {
		t.Error("the same pull on the 10th did not alert")
	}
}

// A statistics extract on the first working day of each month (Friday
// 1 March, Tuesday 2 April after Easter Monday) is a monthly routine
// too: it alerts in March only. Recognised by the date alone, it alerted
// again in April (an independent generator's first-working-day extracts:
// one false entity-day a seed).
func TestFirstWorkingDayExtractAlertsOnce(t *testing.T) {
	s := newStream(15)
	s.office(org, 40, 100, 150)
	for d := range 100 {
		at := day(d).Add(3*time.Hour + time.Duration(s.rng.IntN(10))*time.Minute)
		n := 4
		if dt := day(d); dt.Month() == time.March && dt.Day() == 1 || dt.Month() == time.April && dt.Day() == 2 {
			n = 200
		}
		for j := range n {
			s.add(at.Add(time.Duration(5*j)*time.Second), "svc-stats", "dsi", "api", 500)
		}
	}
	r := replay(t, DefaultConfig(), s.sorted(), "", 0)
	months := map[time.Month]bool{}
	for _, a := range r.out.Alerts {
		if a.Entity == "svc-stats" || a.Entity == "dsi" {
			months[a.WindowStart.In(paris).Add(2*time.Hour).Month()] = true
			t.Logf("%s %s %s", a.FiredAt.In(paris).Format("Mon 2 Jan 15:04"), a.Detector, a.Explanation)
		}
	}
	if len(months) != 1 || !months[time.March] {
		t.Errorf("the first-working-day extract alerted in %v, want March only", months)
	}
}

// A month-end report on any of the month's last three working days is a
// monthly routine: a manager who exports on Wednesday 28 February (the
// last day but one), Friday 29 March (the last) and Friday 26 April (the
// last but two) alerts in February only. Recognised by the same rank only, it alerted each month
// (altgen8's managers pick one of the last days: 3 false entity-days).
// The same export mid-month still alerts.
func TestMonthEndReportOnAnyOfTheLastDaysRecurs(t *testing.T) {
	s := newStream(17)
	s.office(org, 40, 100, 150)
	report := map[string]bool{"2024-02-28": true, "2024-03-29": true, "2024-04-26": true, "2024-04-16": true}
	for d := range 100 {
		at := day(d).Add(3*time.Hour + time.Duration(s.rng.IntN(10))*time.Minute)
		n := 4
		if report[day(d).Format(time.DateOnly)] {
			n = 200
		}
		for j := range n {
			s.add(at.Add(time.Duration(5*j)*time.Second), "svc-report", "dsi", "api", 500)
		}
	}
	r := replay(t, DefaultConfig(), s.sorted(), "", 0)
	days := map[string]bool{}
	for _, a := range alertsFor(r, "svc-report") {
		days[a.WindowStart.In(paris).Add(2*time.Hour).Format(time.DateOnly)] = true
		t.Logf("%s %s %s", a.FiredAt.In(paris).Format("Mon 2 Jan 15:04"), a.Detector, a.Explanation)
	}
	if !days["2024-02-28"] || days["2024-03-29"] || days["2024-04-26"] || !days["2024-04-16"] {
		t.Errorf("the report alerted on %v, want 28 February and 16 April only", days)
	}
}

// A month-end export on the last working day, whose first occurrence
// alerted by its hour only, is the routine's alerting day too: next
// month, when its larger day crosses the day's threshold, it recurs
// (altgen6's services alerted on 30 June by their hour and on 31 July by
// their day: four false entity-days on three seeds). Without the rule
// the export of 29 March alerted by its day.
func TestMonthEndExportAlertingByItsHourRecurs(t *testing.T) {
	s := newStream(16)
	s.office(org, 40, 100, 150)
	for d := range 100 {
		at := day(d).Add(3*time.Hour + time.Duration(s.rng.IntN(10))*time.Minute)
		n := 4 // 2,000 records a night
		switch dt := day(d); {
		case dt.Month() == time.February && dt.Day() == 29:
			n = 16
		case dt.Month() == time.March && dt.Day() == 29:
			n = 30
		}
		for j := range n {
			s.add(at.Add(time.Duration(5*j)*time.Second), "svc-stats", "dsi", "api", 500)
		}
	}
	r := replay(t, DefaultConfig(), s.sorted(), "", 0)
	months := map[time.Month][]string{}
	for _, a := range alertsFor(r, "svc-stats") {
		m := a.WindowStart.In(paris).Add(2 * time.Hour).Month()
		months[m] = append(months[m], a.Detector)
		t.Logf("%s %s %s", a.FiredAt.In(paris).Format("Mon 2 Jan 15:04"), a.Detector, a.Explanation)
	}
	if len(months[time.February]) == 0 || len(months) != 1 {
		t.Errorf("the month-end export alerted in %v, want February only", months)
	}
}
