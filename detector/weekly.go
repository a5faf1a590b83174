package detector

import "github.com/vigie/vigie/models"

// Weekly routines. A service that runs a full sync every Sunday at 02:00
// alerts on the first one: nothing like it was seen. The next Sundays are
// the same routine, but an hour that alerts teaches its profile only one
// quantile (poisoning), so without a memory of it the sync alerted every
// week (four Sundays of two services on the independent generator's
// seed 1). An hour that reaches its threshold at the hour of the week of
// the entity's last alerting hour (the largest of that week; within an
// hour either way: jitter, clock changes), six days or more later, with
// no more than twice its records, is a weekly recurrence and does not
// alert; so is a day that reaches its threshold a whole number of weeks
// after the last one that alerted. The memory is of the alert, not of its
// recurrences: a routine that doubles since it last alerted alerts again.
// The first occurrence has alerted; an extraction repeated at the same
// hour of the week is reported once. A monthly extract is the same: a
// window at the same day of the month, or, like it, among the month's
// first three working days or among its last three (a statistics extract
// on the first working day; a manager's report on one of the last), an
// hour at the same local hour ±1, a month or more after the last
// alerting one, recurs. An hour of the warm-up's second half that reached the
// threshold counts as an alert: the warm-up's routines are habits.

// weekly is an entity's last alerting hour (the largest of its week) and
// last alerting day.
type weekly struct {
	HourDay int32   // local day index of the hour
	HourY   float32 // its records
	Hour    uint8   // hour of the week: weekday (Monday 0) × 24 + local hour
	Day     int32   // local day index of the day (alerted, or one of its hours did)
	DayY    float32 // its records
}

// weeklyGrowth bounds how much larger than last week's a recurring window
// may be.
const weeklyGrowth = 2

// hourOfWeek numbers the local hour h of day index day from Monday 00:00
// (day 0, 1970-01-01, was a Thursday).
func hourOfWeek(day int32, h uint8) uint8 {
	return uint8(((day+3)%7+7)%7*24) + h
}

// recurring reports whether window w of e (an hour when hour) repeats
// e's last one that alerted: an hour a week or more earlier
// at the same hour of the week (±1), a day a whole number of weeks
// earlier, or either on the same day of an earlier month (monthLater),
// with at most weeklyGrowth times its records.
func (d *Detector) recurring(e *entity, w *win, hour bool) bool {
	r := &e.Weekly
	if !hour {
		n := w.Num - r.Day
		return r.DayY > 0 && (n >= 7 && n%7 == 0 || d.monthLater(r.Day, w.Num)) && w.Y <= weeklyGrowth*float64(r.DayY)
	}
	if d.lateRoutine(e, w) {
		return true
	}
	if r.HourY <= 0 || w.Num-r.HourDay < 6 || w.Y > weeklyGrowth*float64(r.HourY) {
		return false
	}
	if d.monthLater(r.HourDay, w.Num) {
		dh := int(w.Hour) - int(r.Hour%24)
		return dh >= -1 && dh <= 1
	}
	dh := (int(hourOfWeek(w.Num, w.Hour)) - int(r.Hour) + 168) % 168
	return dh <= 1 || dh >= 167
}

// monthLater reports whether local day index b repeats a's day of the
// month a month or more later: the same date, or both among the first
// monthWorkdays working days of their months, or both among the last.
// Managers report on any of the last days (TestMonthEndReportOnAny-
// OfTheLastDaysRecurs); by the same rank only, altgen8's alerted again.
func (d *Detector) monthLater(a, b int32) bool {
	if b-a < 28 {
		return false
	}
	_, _, da := models.DayDate(a)
	_, _, db := models.DayDate(b)
	if da == db {
		return true
	}
	fa, la := d.clock.Cal.WorkdayOfMonth(a)
	fb, lb := d.clock.Cal.WorkdayOfMonth(b)
	return fa > 0 && fb > 0 && (max(fa, fb) <= monthWorkdays || max(la, lb) <= monthWorkdays)
}

// monthWorkdays is how many working days at either end of a month a
// monthly routine is recognised among.
const monthWorkdays = 3

// markRecur marks w a recurrence (counted once among the excused tests).
func (d *Detector) markRecur(w *win) {
	if !w.Recur {
		w.Recur = true
		d.stats.Excused++
	}
}

// A scheduled job that failed in the night is run again in the morning:
// its usual volume, hours after its usual hour, on a day that had held
// nothing until then (altgen8's nightly reruns: 9 false entity-days over
// 3 seeds, five services of one network at once). lateRoutine reports
// whether hour window w of e is such a run: e's own profile holds at
// least routineShare of a day's records in two consecutive hours
// (Routine), over routineDays days of history; that hour is already past
// today, and the day held less than routineMissed of its expectation
// before w; and w holds at most weeklyGrowth times a day's expectation.
// The day's total is then ordinary, and the day's tests judge it. An
// advisor's day is spread over the office hours (a third in two of
// them): a day's volume at 3 a.m. still alerts; so does an extraction
// through a service account whose job ran as usual.
func (d *Detector) lateRoutine(e *entity, w *win) bool {
	if e.Base.Days() < routineDays || e.Day.End == 0 {
		return false
	}
	h, share := e.Base.Routine(w.Type)
	if share < routineShare || h+1 >= int(w.Hour) {
		return false
	}
	p := d.peerOf(e)
	day := e.Base.DayNB(w.Type, p, &d.prm).Mu * e.Base.WeekendFactor(w.Num, w.Type, p, &d.prm)
	return e.Day.Y-w.Y <= routineMissed*day && w.Y <= weeklyGrowth*day
}

// The late routine's bounds (lateRoutine).
const (
	routineShare  = 0.6
	routineDays   = 7
	routineMissed = 0.1
)
