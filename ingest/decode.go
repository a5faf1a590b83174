package ingest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Decoder turns one input line into an Event. It overwrites every field of
// ev. A failure is a *DecodeError whose Reason is one of the Reason
// constants. Decoders are not safe for concurrent use: use one per
// goroutine.
type Decoder interface {
	Decode(line []byte, ev *Event) error
}

// Reason tokens of DecodeError. They are stable: dashboards and metrics
// (decode errors by reason) depend on them.
const (
	ReasonMalformedJSON   = "malformed_json"
	ReasonMalformedCSV    = "malformed_csv"
	ReasonMalformedLogfmt = "malformed_logfmt"
	ReasonMalformedCLF    = "malformed_clf"
	ReasonMalformedCEF    = "malformed_cef"
	ReasonUnmatchedLine   = "unmatched_line"
	ReasonMissingTS       = "missing_ts"
	ReasonBadTimestamp    = "bad_timestamp"
	ReasonMissingAccount  = "missing_account"
	ReasonBadRecords      = "bad_records"
	ReasonBadField        = "bad_field"
	ReasonLineTooLong     = "line_too_long"
	ReasonInvalidUTF8     = "invalid_utf8"
)

// DefaultMaxLineBytes is the longest line the decoders and the file reader
// accept unless told otherwise. Real access-log lines are well under 4 KiB;
// a megabyte line is a corrupt file or an attack on memory.
const DefaultMaxLineBytes = 1 << 20

// TruncatedLineBytes is how much of an over-long line the file reader keeps
// for its dead letter: enough to recognise the line, not enough to hurt.
const TruncatedLineBytes = 4096

// Timestamps outside [2000-01-01, 2101-01-01) UTC are rejected as
// bad_timestamp: they are clock or unit mistakes, and letting one through
// would move the detector's watermark by decades.
const (
	minTS = 946684800000  // 2000-01-01T00:00:00Z in Unix ms.
	maxTS = 4133980800000 // 2101-01-01T00:00:00Z in Unix ms, excluded.
)

// maxRecords bounds Records: no query returns a trillion records, so a larger
// value is a unit or encoding mistake that would swamp every baseline.
const maxRecords = 1_000_000_000_000

// Value kinds seen by the builder.
const (
	kindAbsent = iota
	kindNull
	kindString
	kindNumber
	kindOther // true, false, an object or an array.
)

// fieldVal is the decoded text of one input field: the unescaped bytes of a
// string or the literal text of a number.
type fieldVal struct {
	b    []byte
	kind uint8
}

// interned says which fields go through an intern table: those with few
// distinct values, repeated on every line of an account. The others (IP,
// session, subject) have too many values to cache and share one allocation
// per line instead.
var interned = [numFields]bool{
	fAccount: true, fOrg: true, fRole: true, fAction: true,
	fResource: true, fUserAgent: true,
}

// Intern table limits: past maxInterned entries a table starts over, which
// bounds memory whatever the cardinality; strings longer than
// maxInternedLen are not worth a table slot.
const (
	maxInterned    = 1 << 16
	maxInternedLen = 512
)

// internTable returns the same string for the same bytes, so decoding a
// known account allocates nothing. A small direct-mapped cache of recent
// strings sits in front of the map: a hit costs a cheap hash of the last
// bytes and one comparison instead of a map lookup (profiles showed the six
// map lookups per line as a fifth of the decoding time).
type internTable struct {
	m   map[string]string
	hot [internHot]string
}

// internHot is the number of slots of the cache in front of an intern table.
const internHot = 256

// internSlot picks the cache slot of b (not empty) from its length and its
// last eight bytes, where ids like "adv-00123" differ.
func internSlot(b []byte) int {
	var w uint64
	if len(b) >= 8 {
		w = binary.LittleEndian.Uint64(b[len(b)-8:])
	} else {
		for _, c := range b {
			w = w<<8 | uint64(c)
		}
	}
	w = (w ^ uint64(len(b))) * 0x9E3779B97F4A7C15
	return int(w >> (64 - 8))
}

func (t *internTable) get(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	slot := internSlot(b)
	if s := t.hot[slot]; s == string(b) {
		return s
	}
	if s, ok := t.m[string(b)]; ok {
		t.hot[slot] = s
		return s
	}
	s := string(b)
	if len(b) > maxInternedLen {
		return s
	}
	if t.m == nil {
		t.m = make(map[string]string)
	}
	if len(t.m) >= maxInterned {
		clear(t.m)
		t.hot = [internHot]string{}
	}
	t.m[s] = s
	t.hot[slot] = s
	return s
}

// builder turns the raw field values of one line into an Event. Both
// decoders share it, so JSON and CSV apply the same rules to values.
type builder struct {
	names   [numFields]string
	vals    [numFields]fieldVal
	interns [numFields]internTable
	arena   []byte
	joined  []byte // a date and its time of day (FieldMap.TimeOfDay)
	// latin1 reads a line that is not valid UTF-8 as ISO-8859-1, into
	// utf (FieldMap.InputEncoding).
	latin1 bool
	utf    []byte
	zone   zoneCache
	// fold reads accounts in lower case (FieldMap.AccountCase), into
	// lower; orgFrom is FieldMap.OrgFromAccount.
	fold    bool
	lower   []byte
	orgFrom string
}

func newBuilder(m FieldMap) builder {
	b := builder{names: m.names(), zone: zoneCache{loc: m.Local},
		fold: m.AccountCase == AccountFold, orgFrom: m.OrgFromAccount, latin1: m.InputEncoding == EncodingLatin1}
	if b.orgFrom == OrgNone {
		b.orgFrom = "" // no rule to apply on every line
	}
	return b
}

// configure gives b the settings of c (ForkDecoder), keeping its own
// caches.
func (b *builder) configure(c *builder) {
	b.names, b.zone = c.names, zoneCache{loc: c.zone.loc}
	b.fold, b.orgFrom, b.latin1 = c.fold, c.orgFrom, c.latin1
}

// zoneCache gives the UTC offset of local times in loc (FieldMap.Local),
// remembering the last local hour's: the offset changes at most twice a
// year, and time.Date costs a zone lookup.
type zoneCache struct {
	loc  *time.Location
	hour int64 // local seconds / 3600 of the cached hour, +1 (0: none)
	off  int64 // its offset, seconds east of UTC
}

// offset returns the UTC offset, in seconds, of the local time whose
// seconds since 1970-01-01 (as if it were UTC) are local. A time that
// does not exist or exists twice (at a clock change) takes one of the two
// offsets around it, as time.Date does.
func (z *zoneCache) offset(local int64) int64 {
	h := local/3600 + 1
	if h != z.hour {
		t := time.Unix(local, 0).UTC()
		lt := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), 0, 0, 0, z.loc)
		z.hour, z.off = h, local-local%3600-lt.Unix()
	}
	return z.off
}

// reset forgets the values of the previous line.
func (b *builder) reset() {
	b.vals = [numFields]fieldVal{}
}

// decodeErr builds a *DecodeError for field f.
func (b *builder) decodeErr(reason string, f int, err error) error {
	return &DecodeError{Reason: reason, Field: b.names[f], Err: err}
}

// build fills ev from b.vals.
func (b *builder) build(ev *Event) error {
	ts := &b.vals[fTS]
	if t := &b.vals[fTime]; t.kind == kindString && ts.kind == kindString {
		// A date and its time of day in two fields: one time.
		b.joined = append(append(b.joined[:0], ts.b...), ' ')
		if len(t.b) > 1 && t.b[1] == ':' {
			b.joined = append(b.joined, '0') // 9:15 is 09:15
		}
		b.joined = append(b.joined, t.b...)
		ts.b = b.joined
	}
	switch ts.kind {
	case kindAbsent, kindNull:
		return b.decodeErr(ReasonMissingTS, fTS, nil)
	case kindString, kindNumber:
		ms, err := parseTimestamp(ts.b, &b.zone)
		if err != nil {
			return b.decodeErr(ReasonBadTimestamp, fTS, err)
		}
		ev.TS = ms
	default:
		return b.decodeErr(ReasonBadTimestamp, fTS, errors.New("not a string or a number"))
	}

	switch acc := &b.vals[fAccount]; {
	case acc.kind == kindAbsent || acc.kind == kindNull:
		return b.decodeErr(ReasonMissingAccount, fAccount, nil)
	case acc.kind == kindOther:
		return b.decodeErr(ReasonMissingAccount, fAccount, errors.New("not a string"))
	case len(acc.b) == 0:
		return b.decodeErr(ReasonMissingAccount, fAccount, errors.New("empty"))
	}

	ev.Records = 1
	switch r := &b.vals[fRecords]; r.kind {
	case kindAbsent, kindNull:
	case kindString, kindNumber:
		n, err := parseRecords(r.b)
		if err != nil {
			return b.decodeErr(ReasonBadRecords, fRecords, err)
		}
		ev.Records = n
	default:
		return b.decodeErr(ReasonBadRecords, fRecords, errors.New("not a number"))
	}

	// The string fields: interned ones first, then the rest copied into one
	// arena string so the line costs at most one allocation.
	var dst [numFields]*string
	dst[fAccount], dst[fOrg], dst[fRole], dst[fAction] = &ev.Account, &ev.Org, &ev.Role, &ev.Action
	dst[fResource], dst[fSrcIP], dst[fUserAgent] = &ev.Resource, &ev.SrcIP, &ev.UserAgent
	dst[fSession], dst[fSubject] = &ev.Session, &ev.Subject
	var spans [numFields][2]int32
	b.arena = b.arena[:0]
	for f, p := range dst {
		if p == nil {
			continue
		}
		*p = ""
		v := &b.vals[f]
		switch v.kind {
		case kindAbsent, kindNull:
			continue
		case kindOther:
			return b.decodeErr(ReasonBadField, f, errors.New("not a string or a number"))
		}
		if bytes.IndexByte(v.b, 0) >= 0 {
			return b.decodeErr(ReasonBadField, f, errors.New("contains a NUL character"))
		}
		if interned[f] {
			val := v.b
			if f == fAccount && b.fold {
				b.lower = lowerCase(b.lower[:0], val)
				val = b.lower
			}
			*p = b.interns[f].get(val)
			continue
		}
		spans[f][0] = int32(len(b.arena))
		b.arena = append(b.arena, v.b...)
		spans[f][1] = int32(len(b.arena))
	}
	if len(b.arena) > 0 {
		s := string(b.arena)
		for f, sp := range spans {
			if sp[1] > sp[0] {
				*dst[f] = s[sp[0]:sp[1]]
			}
		}
	}
	if ev.Org == "" && b.orgFrom != "" {
		ev.Org = orgOfAccount(ev.Account, b.orgFrom)
	}
	return nil
}

// lowerCase appends s in lower case to dst.
func lowerCase(dst, s []byte) []byte {
	n := len(dst)
	for _, c := range s {
		if c >= utf8.RuneSelf {
			return append(dst[:n], bytes.ToLower(s)...)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// orgOfAccount returns the organisation account names by the rule from
// (FieldMap.OrgFromAccount), "" when it names none: OrgPrefix the code
// before its first '-' or '_' ("ML059B" of "ML059B-jdupont"; a code has
// letters and digits: "pa-4271884" names no organisation), OrgDomain the
// domain of an e-mail address. The result shares account's memory.
func orgOfAccount(account, from string) string {
	switch from {
	case OrgPrefix:
		if i := strings.IndexAny(account, "-_"); isOrgCode(account[:max(i, 0)]) {
			return account[:i]
		}
	case OrgDomain:
		if i := strings.LastIndexByte(account, '@'); i > 0 {
			return account[i+1:]
		}
	}
	return ""
}

// isOrgCode reports whether s is 2 to 12 ASCII letters and digits, with
// at least one of each.
func isOrgCode(s string) bool {
	if len(s) < 2 || len(s) > 12 {
		return false
	}
	var letters, digits bool
	for _, c := range []byte(s) {
		switch {
		case isDigit(c):
			digits = true
		case isLetter(c):
			letters = true
		default:
			return false
		}
	}
	return letters && digits
}

// parseTimestamp reads an RFC 3339 time (without offset, a local time of
// z's zone, if it has one) or a number of epoch seconds, milliseconds,
// microseconds or nanoseconds, told apart by their magnitude (1e11 seconds
// is the year 5138; each unit is a thousand times the last) and returns
// Unix milliseconds, sub-millisecond digits truncated.
func parseTimestamp(b []byte, z *zoneCache) (int64, error) {
	if len(b) == 0 {
		return 0, errors.New("empty")
	}
	var ms int64
	var err error
	if ms, ok := parseCLFTime(b); ok {
		return ms, nil
	}
	if len(b) > 4 && b[4] == '-' {
		ms, err = parseRFC3339(b, z)
	} else {
		ms, err = parseEpoch(b)
	}
	if err != nil {
		var ok bool
		if ms, ok = parseLoose(b, z); !ok {
			return 0, err
		}
	}
	if ms < minTS || ms >= maxTS {
		return 0, fmt.Errorf("%q is outside the years 2000 to 2100", b)
	}
	return ms, nil
}

// looseLayouts are the layouts with a named month or a compact form that
// parseLoose tries: the combined log format's, HTTP's, ISO 8601's basic.
var looseLayouts = []string{
	"02/Jan/2006:15:04:05 -0700", time.RFC1123, time.RFC1123Z, time.RFC850,
	"20060102T150405Z0700", "20060102T150405.000Z0700",
}

// parseLoose reads, on the slow path of a time the fast parsers refused,
// the other layouts that logs write: a date with slashes, year first
// (2024/05/02) or day first as in France (02/05/2024, also with dots or
// dashes), minutes without seconds, an offset or UTC after a space, the
// combined log format's [02/May/2024:09:14:03 +0200], HTTP dates and ISO
// 8601's basic form; last, parseWordy's month names (2 mars 2026 09:14,
// Mar 2, 2026 9:14 AM) and AM/PM times (5/2/2024 9:14 PM). A date in
// figures is read day first, month first (US) only with AM/PM; set the
// zone of times without one with --input-time-zone as for RFC 3339.
func parseLoose(b []byte, z *zoneCache) (int64, bool) {
	s := strings.Trim(string(b), "[]")
	if ms, ok := parseNumericDate(s, z); ok {
		return ms, true
	}
	for _, l := range looseLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UnixMilli(), true
		}
	}
	return parseWordy(s, z)
}

// parseNumericDate reads parseLoose's layouts whose date is in figures,
// the common ones (a French spreadsheet's every line), before the
// layouts with a named month are tried.
func parseNumericDate(s string, z *zoneCache) (int64, bool) {
	for _, suf := range [...]string{" UTC", " GMT", " utc", " Z"} {
		if strings.HasSuffix(s, suf) {
			s = s[:len(s)-len(suf)] + "Z"
			break
		}
	}
	// An offset after a space: " +0200", " +02:00".
	if i := strings.LastIndexByte(s, ' '); i > 0 && i+1 < len(s) && (s[i+1] == '+' || s[i+1] == '-') {
		s = s[:i] + s[i+1:]
	}
	if len(s) < 16 {
		return 0, false
	}
	switch {
	case s[4] == '-' && s[7] == '-':
	case s[4] == '/' && s[7] == '/':
		s = s[:4] + "-" + s[5:7] + "-" + s[8:]
	case strings.IndexByte("/.-", s[2]) >= 0 && s[5] == s[2] && isDigit(s[6]) && isDigit(s[9]):
		s = s[6:10] + "-" + s[3:5] + "-" + s[0:2] + s[10:]
	default:
		return 0, false
	}
	// Minutes without seconds.
	if len(s) == 16 || len(s) > 16 && !isDigit(s[16]) && s[16] != ':' {
		s = s[:16] + ":00" + s[16:]
	}
	ms, err := parseRFC3339([]byte(s), z)
	return ms, err == nil
}

// parseEpoch reads epoch seconds, milliseconds, microseconds or
// nanoseconds, with an optional fraction and, for JSON numbers written by
// floats, an optional exponent.
func parseEpoch(b []byte) (int64, error) {
	i, intPart := 0, int64(0)
	for ; i < len(b) && isDigit(b[i]); i++ {
		if i >= 19 || intPart > (math.MaxInt64-9)/10 {
			return 0, fmt.Errorf("%q is not a plausible epoch", b)
		}
		intPart = intPart*10 + int64(b[i]-'0')
	}
	if i == 0 {
		return 0, fmt.Errorf("%q is neither RFC 3339 nor an epoch time", b)
	}
	frac, fracDigits := int64(0), 0
	if i < len(b) && b[i] == '.' {
		i++
		start := i
		for ; i < len(b) && isDigit(b[i]); i++ {
			if fracDigits < 3 {
				frac = frac*10 + int64(b[i]-'0')
				fracDigits++
			}
		}
		if i == start {
			return 0, fmt.Errorf("%q is not a number", b)
		}
	}
	if i < len(b) {
		if b[i] != 'e' && b[i] != 'E' {
			return 0, fmt.Errorf("%q is not a number", b)
		}
		// Exponent notation is rare enough to take the slow path.
		f, err := strconv.ParseFloat(string(b), 64)
		if err != nil || f < 0 || f > 9e18 {
			return 0, fmt.Errorf("%q is not a plausible epoch", b)
		}
		switch {
		case f > 1e17:
			return int64(f / 1e6), nil
		case f > 1e14:
			return int64(f / 1e3), nil
		case f > 1e11:
			return int64(f), nil
		}
		return int64(f * 1000), nil
	}
	switch {
	case intPart > 1e17:
		return intPart / 1e6, nil
	case intPart > 1e14:
		return intPart / 1e3, nil
	case intPart > 1e11:
		return intPart, nil
	}
	for ; fracDigits < 3; fracDigits++ {
		frac *= 10
	}
	return intPart*1000 + frac, nil
}

// parseRFC3339 reads YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM). It also accepts a
// lower-case t or z, a space instead of the T, a comma before the fraction
// and an offset without colon, all seen in real logs. A time without offset
// is a local time of z's zone; without a zone it is rejected, as guessing
// one would shift every window.
func parseRFC3339(b []byte, z *zoneCache) (int64, error) {
	bad := func(why string) (int64, error) {
		return 0, fmt.Errorf("%q is not RFC 3339: %s", b, why)
	}
	if len(b) < 19 {
		return bad("too short")
	}
	year, ok1 := digits(b[0:4])
	month, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	hour, ok4 := digits(b[11:13])
	minute, ok5 := digits(b[14:16])
	sec, ok6 := digits(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || b[7] != '-' || b[13] != ':' || b[16] != ':' {
		return bad("bad layout")
	}
	if t := b[10]; t != 'T' && t != 't' && t != ' ' {
		return bad("bad date and time separator")
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(month, year) {
		return bad("no such date")
	}
	if hour > 23 || minute > 59 || sec > 59 {
		return bad("no such time")
	}
	i := 19
	frac, fracDigits := int64(0), 0
	if i < len(b) && (b[i] == '.' || b[i] == ',') {
		i++
		start := i
		for ; i < len(b) && isDigit(b[i]); i++ {
			if fracDigits < 3 {
				frac = frac*10 + int64(b[i]-'0')
				fracDigits++
			}
		}
		if i == start {
			return bad("empty fraction")
		}
		for ; fracDigits < 3; fracDigits++ {
			frac *= 10
		}
	}
	local := daysFromCivil(year, month, day)*86400 + int64(hour*3600+minute*60+sec)
	if i >= len(b) {
		if z == nil || z.loc == nil {
			return bad("no time zone offset")
		}
		return (local-z.offset(local))*1000 + frac, nil
	}
	offset := int64(0)
	switch b[i] {
	case 'Z', 'z':
		i++
	case '+', '-':
		rest := b[i+1:]
		var oh, om int
		var okh, okm bool
		switch {
		case len(rest) == 5 && rest[2] == ':':
			oh, okh = digits(rest[0:2])
			om, okm = digits(rest[3:5])
		case len(rest) == 4:
			oh, okh = digits(rest[0:2])
			om, okm = digits(rest[2:4])
		}
		if !okh || !okm || oh > 23 || om > 59 {
			return bad("bad time zone offset")
		}
		offset = int64(oh*3600 + om*60)
		if b[i] == '-' {
			offset = -offset
		}
		i = len(b)
	default:
		return bad("bad time zone offset")
	}
	if i != len(b) {
		return bad("trailing characters")
	}
	return (local-offset)*1000 + frac, nil
}

// daysFromCivil returns the number of days from 1970-01-01 to the given
// proleptic Gregorian date (Howard Hinnant's algorithm) for years >= 0.
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := m + 9
	if m > 2 {
		mp = m - 3
	}
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// digits parses a short run of ASCII digits.
func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if !isDigit(c) {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// allDigits reports whether s is one or more ASCII digits.
func allDigits[S string | []byte](s S) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return len(s) > 0
}

// parseRecords reads a non-negative integer. A fraction of zeros ("25.0", as
// written by float-minded encoders) is accepted; any other fraction, a sign,
// an exponent or a value above maxRecords is not.
func parseRecords(b []byte) (int64, error) {
	i, n := 0, int64(0)
	for ; i < len(b); i++ {
		if !isDigit(b[i]) {
			// A thousands separator as French text writes it ("12 814",
			// with a space, a no-break space or a narrow one), before
			// three digits.
			sep := thousandsSep(b[i:])
			if sep == 0 || i == 0 || len(b) < i+sep+3 || !isDigit(b[i+sep]) || !isDigit(b[i+sep+1]) || !isDigit(b[i+sep+2]) ||
				len(b) > i+sep+3 && isDigit(b[i+sep+3]) {
				break
			}
			i += sep - 1
			continue
		}
		if n <= maxRecords { // Past it the value is rejected anyway: stop before overflowing.
			n = n*10 + int64(b[i]-'0')
		}
	}
	if i == 0 {
		return 0, fmt.Errorf("%q is not a non-negative integer", b)
	}
	if i < len(b) && b[i] == '.' {
		i++
		start := i
		for ; i < len(b) && b[i] == '0'; i++ {
		}
		if i == start {
			return 0, fmt.Errorf("%q is not a non-negative integer", b)
		}
	}
	if i != len(b) {
		return 0, fmt.Errorf("%q is not a non-negative integer", b)
	}
	if n > maxRecords {
		return 0, fmt.Errorf("%q is implausibly large", b)
	}
	return n, nil
}

// ForkDecoder returns a decoder that decodes the following lines of the
// same input exactly as d would, for use on another goroutine: same field
// map, same line limit and, for a CSV or W3C decoder, the header (and
// the W3C #Date) d has read. When
// reuse is a decoder of the same kind (typically the previous fork made for
// the same goroutine), it is updated and returned, keeping its buffers and
// intern tables so that a long-lived decoding goroutine stays free of
// allocations. ForkDecoder only reads d, but d must not be decoding at the
// same time. It returns nil for a decoder it does not know.
func ForkDecoder(d, reuse Decoder) Decoder {
	switch d := d.(type) {
	case *JSONDecoder:
		f, ok := reuse.(*JSONDecoder)
		if !ok || f == d {
			f = &JSONDecoder{}
		}
		f.MaxLineBytes, f.root, f.pattern = d.MaxLineBytes, d.root, d.pattern
		f.b.configure(&d.b)
		return f
	case *CSVDecoder:
		f, ok := reuse.(*CSVDecoder)
		if !ok || f == d {
			f = &CSVDecoder{}
		}
		f.MaxLineBytes, f.names = d.MaxLineBytes, d.names
		f.b.configure(&d.b)
		f.sep = d.sep
		f.cols = append(f.cols[:0], d.cols...)
		f.header = d.header
		f.w3c, f.dateCol, f.timeCol = d.w3c, d.dateCol, d.timeCol
		f.date = append(f.date[:0], d.date...)
		return f
	}
	return nil
}

// clfMonths are the months as the combined log format abbreviates them.
const clfMonths = "JanFebMarAprMayJunJulAugSepOctNovDec"

// parseCLFTime reads the combined log format's time, "02/Mar/2027:09:14:03
// +0100", as nginx and Apache write it on every line, without the
// allocations of the slow path (parseLoose reads its other spellings).
func parseCLFTime(b []byte) (int64, bool) {
	if len(b) != 26 || b[2] != '/' || b[6] != '/' || b[11] != ':' || b[14] != ':' || b[17] != ':' || b[20] != ' ' ||
		b[21] != '+' && b[21] != '-' {
		return 0, false
	}
	var f [7]int // day, year, hour, minute, second, offset hours, offset minutes
	for k, s := range [...][]byte{b[0:2], b[7:11], b[12:14], b[15:17], b[18:20], b[22:24], b[24:26]} {
		n, ok := digits(s)
		if !ok {
			return 0, false
		}
		f[k] = n
	}
	day, year, hh, mm, ss, oh, om := f[0], f[1], f[2], f[3], f[4], f[5], f[6]
	m := strings.Index(clfMonths, string(b[3:6]))
	if m < 0 || m%3 != 0 {
		return 0, false
	}
	month := m/3 + 1
	// 31/Apr and other impossible days are the slow path's to explain.
	if year < 2000 || day < 1 || day > daysIn(month, year) || hh > 23 || mm > 59 || ss > 60 || oh > 14 || om > 59 {
		return 0, false
	}
	off := int64(oh*3600 + om*60)
	if b[21] == '-' {
		off = -off
	}
	local := daysFromCivil(year, month, day)*86400 + int64(hh*3600+mm*60+ss)
	return (local - off) * 1000, true
}

// thousandsSep returns the length of the thousands separator b begins
// with (a space, U+00A0, U+202F or U+2009), or 0.
func thousandsSep(b []byte) int {
	switch {
	case b[0] == ' ':
		return 1
	case len(b) >= 2 && b[0] == 0xC2 && b[1] == 0xA0:
		return 2
	case len(b) >= 3 && b[0] == 0xE2 && b[1] == 0x80 && (b[2] == 0xAF || b[2] == 0x89):
		return 3
	}
	return 0
}

// utf8Line returns line as UTF-8: itself when it is valid UTF-8 or the
// input is not ISO-8859-1 (FieldMap.InputEncoding), else its bytes read
// as ISO-8859-1, into b.utf (valid until the next line).
func (b *builder) utf8Line(line []byte) []byte {
	if !b.latin1 || utf8.Valid(line) {
		return line
	}
	b.utf = latin1ToUTF8(b.utf[:0], line)
	return b.utf
}
