package models

import (
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/fr"
)

// DayType classifies a local calendar day for seasonality (doc.go, §2).
type DayType uint8

// Day types. DayFirst is the first working day after one or more
// non-working days (Mondays, the day after a public holiday): backlogs make
// it busier than other working days.
const (
	DayFirst DayType = iota
	DayWork
	DayOff
	NumDayTypes
)

// String names the day type.
func (t DayType) String() string {
	switch t {
	case DayFirst:
		return "first working day"
	case DayWork:
		return "working day"
	case DayOff:
		return "weekend or holiday"
	}
	return "unknown"
}

// Calendar knows which local days are working days: Saturdays, Sundays,
// French public holidays (github.com/rickar/cal/v2/fr) and a configurable
// list of extra dates are non-working. It caches one answer per day.
type Calendar struct {
	loc   *time.Location
	cal   cal.Calendar
	extra map[int32]bool
	cache map[int32]DayType
}

// NewCalendar returns a calendar in loc (nil means UTC) with France's public
// holidays when french is true plus the extra dates (local dates; the time of
// day is ignored).
func NewCalendar(loc *time.Location, french bool, extra []time.Time) *Calendar {
	if loc == nil {
		loc = time.UTC
	}
	c := &Calendar{loc: loc, extra: map[int32]bool{}, cache: map[int32]DayType{}}
	if french {
		c.cal.AddHoliday(fr.Holidays...)
	}
	for _, d := range extra {
		c.extra[DayIndex(d.Year(), d.Month(), d.Day())] = true
	}
	return c
}

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// DayIndex numbers local dates: days since 1970-01-01 of the civil date.
func DayIndex(y int, m time.Month, d int) int32 {
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// DayDate returns the civil date of a day index.
func DayDate(day int32) (int, time.Month, int) {
	return time.Unix(int64(day)*86400, 0).UTC().Date()
}

func (c *Calendar) off(day int32) bool {
	y, m, d := DayDate(day)
	t := time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return true
	}
	if c.extra[day] {
		return true
	}
	actual, observed, _ := c.cal.IsHoliday(t)
	return actual || observed
}

// Type returns the day type of a day index.
func (c *Calendar) Type(day int32) DayType {
	if t, ok := c.cache[day]; ok {
		return t
	}
	t := DayWork
	switch {
	case c.off(day):
		t = DayOff
	case c.off(day - 1):
		t = DayFirst
	}
	c.cache[day] = t
	return t
}

// WorkdayOfMonth returns the rank of day among its month's working days,
// counted from the first (1 for the first working day) and from the last
// (1 for the last working day); 0, 0 for a day off.
func (c *Calendar) WorkdayOfMonth(day int32) (first, last int) {
	if c.Type(day) == DayOff {
		return 0, 0
	}
	y, m, dom := DayDate(day)
	for d := day - int32(dom-1); d <= day; d++ {
		if c.Type(d) != DayOff {
			first++
		}
	}
	end := DayIndex(y, m+1, 1) // time.Date normalises December + 1
	for d := day; d < end; d++ {
		if c.Type(d) != DayOff {
			last++
		}
	}
	return first, last
}

// Slot describes the local hour and day an instant falls in. Times are
// Unix milliseconds (UTC).
type Slot struct {
	HourStart, HourEnd int64
	DayStart, DayEnd   int64
	Day                int32
	Hour               uint8
	Type               DayType
}

// Contains reports whether ts falls in the slot's hour.
func (s *Slot) Contains(ts int64) bool { return ts >= s.HourStart && ts < s.HourEnd }

// Clock maps event times to local slots. It caches the last slot so that the
// per-event cost is two comparisons while events stay in the same hour.
type Clock struct {
	Cal  *Calendar
	last Slot
}

// NewClock returns a clock over cal.
func NewClock(c *Calendar) *Clock { return &Clock{Cal: c} }

// At returns the slot of ts (Unix ms).
func (k *Clock) At(ts int64) Slot {
	if k.last.HourEnd != 0 && k.last.Contains(ts) {
		return k.last
	}
	s := k.compute(ts)
	k.last = s
	return s
}

func (k *Clock) compute(ts int64) Slot {
	loc := k.Cal.loc
	t := time.UnixMilli(ts).In(loc)
	y, m, d := t.Date()
	into := int64(t.Minute())*60000 + int64(t.Second())*1000 + int64(t.Nanosecond()/1e6)
	hs := ts - into
	day := DayIndex(y, m, d)
	ds := time.Date(y, m, d, 0, 0, 0, 0, loc).UnixMilli()
	de := time.Date(y, m, d+1, 0, 0, 0, 0, loc).UnixMilli()
	return Slot{
		HourStart: hs,
		HourEnd:   min(hs+3600000, de),
		DayStart:  ds,
		DayEnd:    de,
		Day:       day,
		Hour:      uint8(t.Hour()),
		Type:      k.Cal.Type(day),
	}
}
