package ingest

import (
	"fmt"
	"strings"
)

// parseWordy reads, last on parseLoose's slow path, the times people's
// habits write: a month in letters, French or English, day first
// (lundi 1er mars 2026 à 09:14, 2 Mar 2026 09:14:03) or English month
// first (Mar 2, 2026 09:14:03 AM), and a date in figures with AM/PM
// (5/2/2024, 9:14:03 p.m.). AM/PM is a US habit, so that date is read
// month first; without AM/PM parseNumericDate reads it day first. A
// weekday must match the date, and the date needs a four-digit year and a
// time; the result goes through parseRFC3339, so the date, time, offset
// and zone are checked as there.
func parseWordy(s string, z *zoneCache) (int64, bool) {
	f := strings.Fields(strings.ToLower(s))
	for i := range f {
		f[i] = strings.TrimSuffix(f[i], ",")
	}
	// A weekday is skipped only when the date fails without it: "mar" is
	// March in "Mar 2, 2026" and Tuesday (mardi) in "mar. 3 mars 2026".
	wd := -1
	y, m, d, numeric, rest, ok := wordyDate(f)
	if !ok && len(f) > 0 {
		if w, isDay := weekdays[foldWord(f[0])]; isDay {
			wd = w
			y, m, d, numeric, rest, ok = wordyDate(f[1:])
		}
	}
	if !ok {
		return 0, false
	}
	if len(rest) > 0 && (rest[0] == "à" || rest[0] == "a" || rest[0] == "at") {
		rest = rest[1:]
	}
	if len(rest) == 0 {
		return 0, false
	}
	clock, mer := rest[0], ""
	rest = rest[1:]
	for _, suf := range [...]string{"a.m.", "p.m.", "a.m", "p.m", "am", "pm"} {
		if len(clock) > len(suf) && strings.HasSuffix(clock, suf) {
			clock, mer = clock[:len(clock)-len(suf)], suf[:1]
			break
		}
	}
	if mer == "" && len(rest) > 0 {
		switch rest[0] {
		case "am", "a.m.", "a.m":
			mer, rest = "a", rest[1:]
		case "pm", "p.m.", "p.m":
			mer, rest = "p", rest[1:]
		}
	}
	if numeric && mer == "" {
		return 0, false
	}
	h, mi, sec, frac, ok := wordyClock(clock)
	if !ok {
		return 0, false
	}
	// 12 AM is midnight, 12 PM noon; 0 or 13 with AM/PM is a mistake.
	if mer != "" {
		if h < 1 || h > 12 {
			return 0, false
		}
		h %= 12
		if mer == "p" {
			h += 12
		}
	}
	zone := ""
	if len(rest) > 0 {
		switch rest[0] {
		case "utc", "gmt", "z":
			zone = "Z"
		default:
			if c := rest[0][0]; c != '+' && c != '-' {
				return 0, false
			}
			zone = rest[0]
		}
		rest = rest[1:]
	}
	// 1970-01-01, day 0, was a Thursday.
	if len(rest) > 0 || wd >= 0 && (daysFromCivil(y, m, d)%7+11)%7 != int64(wd) {
		return 0, false
	}
	ms, err := parseRFC3339([]byte(fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d%s%s", y, m, d, h, mi, sec, frac, zone)), z)
	return ms, err == nil
}

// wordyDate reads a date at the start of f: day month year, month day
// year, or figures (numeric: month first, unless year first), and returns
// the tokens after it. Month and day ranges are left to parseRFC3339.
func wordyDate(f []string) (y, m, d int, numeric bool, rest []string, ok bool) {
	if len(f) == 0 {
		return
	}
	if p := strings.FieldsFunc(f[0], func(r rune) bool { return r == '/' || r == '.' || r == '-' }); len(p) == 3 &&
		len(f[0]) == len(p[0])+len(p[1])+len(p[2])+2 && f[0][len(p[0])] == f[0][len(p[0])+len(p[1])+1] {
		ok1, ok2, ok3 := false, false, false
		if len(p[0]) == 4 {
			y, ok1 = number(p[0], 4, 4)
			m, ok2 = number(p[1], 1, 2)
			d, ok3 = number(p[2], 1, 2)
		} else {
			m, ok1 = number(p[0], 1, 2)
			d, ok2 = number(p[1], 1, 2)
			y, ok3 = number(p[2], 4, 4)
		}
		return y, m, d, true, f[1:], ok1 && ok2 && ok3
	}
	if len(f) < 3 {
		return
	}
	dayTok, monTok := f[0], f[1]
	if months[foldWord(f[0])] > 0 {
		dayTok, monTok = f[1], f[0]
	}
	if dayTok == "1er" {
		dayTok = "1"
	}
	var okd, oky bool
	m = months[foldWord(monTok)]
	d, okd = number(dayTok, 1, 2)
	y, oky = number(f[2], 4, 4)
	return y, m, d, false, f[3:], m > 0 && okd && oky
}

// wordyClock reads H:MM or H:MM:SS, the hour in one or two figures, with
// an optional fraction kept as written (".123" or ",5") for parseRFC3339.
func wordyClock(c string) (h, mi, sec int, frac string, ok bool) {
	if i := strings.IndexAny(c, ".,"); i >= 0 {
		c, frac = c[:i], c[i:]
	}
	p := strings.Split(c, ":")
	if len(p) < 2 || len(p) > 3 || len(p) == 2 && frac != "" {
		return
	}
	var ok1, ok2, ok3 bool
	h, ok1 = number(p[0], 1, 2)
	mi, ok2 = number(p[1], 2, 2)
	ok3 = true
	if len(p) == 3 {
		sec, ok3 = number(p[2], 2, 2)
	}
	return h, mi, sec, frac, ok1 && ok2 && ok3
}

// number reads lo to hi ASCII digits.
func number(s string, lo, hi int) (int, bool) {
	if len(s) < lo || len(s) > hi {
		return 0, false
	}
	return digits([]byte(s))
}

// foldWord drops a trailing dot and French accents: "Févr." is "fevr".
func foldWord(w string) string {
	return accents.Replace(strings.TrimSuffix(w, "."))
}

var accents = strings.NewReplacer("é", "e", "è", "e", "ê", "e", "û", "u", "ù", "u", "â", "a", "ô", "o", "î", "i")

// months are the month names and abbreviations, French and English, as
// foldWord leaves them.
var months = map[string]int{
	"janvier": 1, "janv": 1, "jan": 1, "january": 1,
	"fevrier": 2, "fevr": 2, "fev": 2, "feb": 2, "february": 2,
	"mars": 3, "mar": 3, "march": 3,
	"avril": 4, "avr": 4, "apr": 4, "april": 4,
	"mai": 5, "may": 5,
	"juin": 6, "jun": 6, "june": 6,
	"juillet": 7, "juil": 7, "jul": 7, "july": 7,
	"aout": 8, "aug": 8, "august": 8,
	"septembre": 9, "sept": 9, "sep": 9, "september": 9,
	"octobre": 10, "oct": 10, "october": 10,
	"novembre": 11, "nov": 11, "november": 11,
	"decembre": 12, "dec": 12, "december": 12,
}

// weekdays are the day names and abbreviations, Sunday 0, as foldWord
// leaves them.
var weekdays = map[string]int{
	"dimanche": 0, "dim": 0, "sunday": 0, "sun": 0,
	"lundi": 1, "lun": 1, "monday": 1, "mon": 1,
	"mardi": 2, "mar": 2, "tuesday": 2, "tue": 2,
	"mercredi": 3, "mer": 3, "wednesday": 3, "wed": 3,
	"jeudi": 4, "jeu": 4, "thursday": 4, "thu": 4,
	"vendredi": 5, "ven": 5, "friday": 5, "fri": 5,
	"samedi": 6, "sam": 6, "saturday": 6, "sat": 6,
}
