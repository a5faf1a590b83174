package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Field names other logs use. A log written by another system names its
// fields its own way ("@timestamp", "user", "nb_resultats"), and with
// Vigie's names as the defaults every line of it would be a dead letter
// until the fields were mapped by hand. Infer maps each field whose
// default name the input lacks to the first of its usual names the input
// has, so a replay of last year's logs works on the first try; an
// explicit --field-* names what the inference cannot guess.

// fieldAliases lists, in field index order, the usual names of each field,
// normalised (normKey), most telling first. A name is never given to two
// fields: "agent" is a user agent (the combined log format's) when its
// values look like one, else an account (a French log's agent is the
// civil servant); "event" is an action only when it is a string. Names too
// common to mean records ("count", "nb", "volume") are left out: a log
// without a count of records counts one per event, a wrong count would
// scale every volume. A web server's log has no count, but the page size
// a request asks for (page_size, the combined log format's ?size=50 or
// &limit=1000) is the most it returns: searches and export pages then
// weigh what they take, and a request for one person's file (no size)
// counts one.
var fieldAliases = [numFields][]string{
	fTS: {"ts", "timestamp", "time", "datetime", "eventtime", "eventtimestamp", "eventcreated",
		"createdat", "loggedat", "horodatage", "dateheure", "dateetheure", "timelocal", "timeiso8601", "devtime", "rt", "date"},
	fAccount: {"account", "accountid", "accountname", "user", "username", "userid", "login", "userlogin",
		"uid", "principal", "useremail", "email", "actor", "actorid", "identifiant", "utilisateur",
		"operator", "operateur", "agentid", "conseiller", "agent", "remoteuser", "suser", "usrname",
		"sourceusername"},
	fOrg: {"org", "orgid", "orgname", "organisation", "organization", "organisationid", "organizationid",
		"organisationname", "organizationname", "structure", "structureid", "partner", "partnerid",
		"partenaire", "tenant", "tenantid", "agency", "agencyid", "agence", "company", "establishment",
		"etablissement", "orgcode", "codeorg", "orgunit", "orgunitid", "orgkey", "uriorg"},
	fRole: {"role", "roles", "userrole", "userroles", "profile", "profil", "userprofile", "fonction", "function",
		"jobtitle"},
	fAction: {"action", "eventaction", "actiontype", "operation", "eventtype", "event", "activity", "verb",
		"method", "httpmethod", "requestmethod", "act", "deviceaction"},
	fResource: {"resource", "resourcetype", "endpoint", "path", "urlpath", "requestpath", "uri", "uristem", "url", "request", "requesturl",
		"route", "object", "objecttype"},
	fSrcIP: {"srcip", "sourceip", "clientip", "ip", "ipaddress", "remoteaddr", "remoteip", "srcaddr",
		"sourceaddress", "clientaddress", "callerip", "ipsource", "adresseip", "src"},
	fUserAgent: {"useragent", "useragentoriginal", "httpuseragent", "ua", "agent", "browser", "navigateur",
		"requestclientapplication"},
	fSession: {"session", "sessionid", "sid", "sessionkey"},
	fRecords: {"records", "recordcount", "recordscount", "nbrecords", "nrecords", "numrecords",
		"recordsreturned", "returnedrecords", "resultcount", "resultscount", "nbresults", "nbresultats",
		"results", "returned", "rowcount", "rows", "nbrows", "itemcount", "items", "nbitems", "itemsreturned",
		"hits", "pagesize"},
	fSubject: {"subject", "subjectid", "personid", "recordid", "beneficiary", "beneficiaryid",
		"beneficiaire", "beneficiaireid", "jobseeker", "jobseekerid", "demandeur", "demandeurid",
		"individu", "individuid", "citizenid", "patientid", "dossier", "dossierid", "targetid"},
}

// normKey folds a field name for comparison with the aliases: lower case,
// unaccented, letters and digits only ("@timestamp", "user.name" and
// "userName" become "timestamp", "username" and "username").
func normKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			r = unicode.ToLower(r)
			if f, ok := unaccented[r]; ok {
				r = f
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// unaccented folds the accented letters of French names ("nb_résultats",
// "Numéro de dossier") to those the aliases are written with.
var unaccented = map[rune]rune{
	'à': 'a', 'â': 'a', 'ä': 'a', 'ç': 'c', 'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e',
	'î': 'i', 'ï': 'i', 'ô': 'o', 'ö': 'o', 'ù': 'u', 'û': 'u', 'ü': 'u', 'ÿ': 'y',
}

// Key is a field found in an input's first lines: its name as the field
// map takes it (a dotted path into nested JSON objects) and whether every
// value seen was a number or null (a field null in every sampled line,
// such as a record id absent from logins, is still the input's).
type Key struct {
	Name    string
	Numeric bool
	// Spaced marks a key some of whose values held a space: a display
	// name ("Claire Martin") rather than a login.
	Spaced bool
	// Values holds its first distinct text values, at most sampleValues:
	// how the accounts are spelled.
	Values []string
}

// sampleValues bounds Key.Values.
const sampleValues = 2000

// keySet gathers Keys in order of first appearance.
type keySet struct {
	// pattern reads the lines of a text log (--line-pattern).
	pattern func(line []byte, pair func(key, val []byte, esc bool)) error
	// latin1 is set when a sampled line was ISO-8859-1 text (latin1Text).
	latin1 bool
	keys   []Key
	idx    map[string]int
	seen   []map[string]bool // per key, its Values
}

// add records a value of key name: whether it is a number, whether it
// held a space, and its text ("" for a number or null).
func (k *keySet) add(name string, numeric, spaced bool, value string) {
	i, ok := k.idx[name]
	if !ok {
		if k.idx == nil {
			k.idx = map[string]int{}
		}
		i = len(k.keys)
		k.idx[name] = i
		k.keys = append(k.keys, Key{Name: name, Numeric: true})
		k.seen = append(k.seen, map[string]bool{})
	}
	key := &k.keys[i]
	key.Numeric = key.Numeric && numeric
	key.Spaced = key.Spaced || spaced
	if value != "" && !numeric && len(key.Values) < sampleValues && !k.seen[i][value] {
		k.seen[i][value] = true
		key.Values = append(key.Values, value)
	}
}

// addJSON adds the keys of a JSON object line, after any relay's prefix
// (jsonStart), or of a CEF or LEEF record, a logfmt or a combined log
// format line; other lines add nothing.
func (k *keySet) addJSON(line []byte) {
	if k.pattern != nil {
		k.pattern(line, k.addPair)
		return
	}
	var obj map[string]any
	switch i := jsonStart(line); {
	case i >= 0 && json.Unmarshal(line[i:], &obj) == nil:
		flatten("", obj, k.add)
	case i < 0 && cefStart(line) >= 0:
		cefPairs(line[cefStart(line):], k.addPair)
	case i < 0 && logfmtStart(line):
		logfmtPairs(line, k.addPair)
	case i < 0 && clfStart(line):
		clfPairs(line, k.addPair)
	}
}

// addPair adds a key and its value from a logfmt or combined log line,
// backslash escapes (esc) resolved.
func (k *keySet) addPair(key, val []byte, esc bool) {
	v := string(val)
	if esc {
		v = string(unescapeLogfmt(nil, val))
	}
	_, err := strconv.ParseFloat(v, 64)
	if err != nil {
		_, err = parseRecords([]byte(v)) // "12 814"
	}
	k.add(string(key), err == nil, strings.Contains(v, " ") && err != nil, v)
}

// KeysOf returns the keys of JSON object lines, as SampleFiles does for a
// file: a Kafka topic's first records.
func KeysOf(lines [][]byte) []Key {
	var k keySet
	for _, l := range lines {
		k.addJSON(l)
	}
	return k.keys
}

// sampleFiles is how many inputs SampleFiles reads.
const sampleFiles = 3

// SampleFiles returns the fields of the first lines (at most lines each)
// of the first sampleFiles of paths: a CSV file's header columns, or the
// keys of the JSON objects, nested objects' scalar values as dotted
// paths, in order of first appearance. Logs rotated daily begin with a
// night or a Sunday of services only, whose lines lack the fields of
// people's requests (the person read, the role), hence several files. A
// key is numeric only if every sampled value of it was. Lines that do not
// parse are skipped; a line longer than DefaultMaxLineBytes ends a file's
// sample. Only opening a file can fail.
func SampleFiles(paths []string, format Format, lines int) ([]Key, error) {
	return SampleText(paths, format, lines, "")
}

// SampleText is SampleFiles for a text log read with a --line-pattern
// (empty: none, as SampleFiles): the keys are the pattern's named groups
// that matched.
func SampleText(paths []string, format Format, lines int, linePattern string) ([]Key, error) {
	keys, _, err := SampleInput(paths, format, lines, linePattern)
	return keys, err
}

// SampleInput is SampleText also saying the input's encoding:
// EncodingLatin1 when a sampled line was ISO-8859-1 text (latin1Text),
// else "" (UTF-8). A French spreadsheet saved as CSV by Excel is
// Windows-1252: its accented header was invalid UTF-8 and stopped the
// file, and every line with an accent was a dead letter.
func SampleInput(paths []string, format Format, lines int, linePattern string) ([]Key, string, error) {
	var keys keySet
	if linePattern != "" {
		re, err := compilePattern(linePattern)
		if err != nil {
			return nil, "", err
		}
		keys.pattern = patternPairs(re)
	}
	for _, p := range paths[:min(len(paths), sampleFiles)] {
		if err := keys.sample(p, format, lines); err != nil {
			return nil, "", err
		}
	}
	enc := ""
	if keys.latin1 {
		enc = EncodingLatin1
	}
	return keys.keys, enc, nil
}

// latin1Text reports whether line, not valid UTF-8, reads as ISO-8859-1
// text: each byte from 0x80 is a letter or a sign of that range (0xA0 on)
// next to an ASCII letter or another such byte that is ("Num\xe9ro",
// "r\xe9sultat", "\xc9tablissement"). Random bytes, or UTF-16's byte order
// mark (0xFF 0xFE between quotes), are not: they stay dead letters.
func latin1Text(line []byte) bool {
	seen := false
	for i, c := range line {
		if c < 0x80 {
			continue
		}
		if c < 0xA0 || c == 0xFE || c == 0xFF {
			return false
		}
		prev := i > 0 && (isLetter(line[i-1]) || line[i-1] >= 0xC0 && line[i-1] < 0xFE)
		next := i+1 < len(line) && (isLetter(line[i+1]) || line[i+1] >= 0xC0 && line[i+1] < 0xFE)
		if !prev && !next {
			return false
		}
		seen = true
	}
	return seen
}

// latin1ToUTF8 appends line, read as ISO-8859-1, to dst as UTF-8.
func latin1ToUTF8(dst, line []byte) []byte {
	for _, c := range line {
		dst = utf8.AppendRune(dst, rune(c))
	}
	return dst
}

// sample adds the keys of the first lines (at most lines) of the input at
// path (SampleFiles).
func (keys *keySet) sample(path string, format Format, lines int) error {
	rc, err := OpenFile(path)
	if err != nil {
		return err
	}
	defer rc.Close()
	br := bufio.NewReader(rc)
	if format == FormatAuto {
		format = FormatOf(path)
		if sniffW3C(br) {
			format = FormatW3C
		}
	}
	var in io.Reader = br
	if format == FormatJSON || format == FormatAuto {
		in = jsonLines(br)
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64<<10), DefaultMaxLineBytes)
	var csv *CSVDecoder
	var header []string
	for n := 0; n < lines && sc.Scan(); {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		if !utf8.Valid(line) {
			// Read as the decoders will (latin1Text, --input-encoding).
			keys.latin1 = keys.latin1 || latin1Text(line)
			line = latin1ToUTF8(nil, line)
		}
		n++
		switch {
		case format == FormatW3C && line[0] == '#':
			if names := w3cFields(line); names != nil {
				header, csv = names, NewW3CDecoder(FieldMap{})
				csv.sep = ' '
				for _, h := range header {
					keys.add(h, true, false, "")
				}
			}
		case format == FormatW3C && csv == nil:
			// A line before any #Fields directive: no names to give.
		case format == FormatCSV && csv == nil:
			csv = NewCSVDecoder(FieldMap{})
			line = bytes.TrimPrefix(line, utf8BOM)
			csv.sep = csvSeparator(line)
			if _, err := csv.split(line, func(_ int, val []byte) {
				header = append(header, string(bytes.TrimSpace(val)))
			}); err != nil {
				return fmt.Errorf("reading the CSV header of %s: %w", path, err)
			}
			for _, h := range header {
				keys.add(h, true, false, "")
			}
		case format == FormatCSV || format == FormatW3C:
			csv.split(line, func(col int, val []byte) {
				if col < len(header) {
					v := bytes.TrimSpace(val)
					if csv.w3c && bytes.Equal(v, []byte{'-'}) {
						return // W3C's empty value
					}
					_, err := strconv.ParseFloat(string(v), 64)
					keys.add(header[col], err == nil, bytes.IndexByte(v, ' ') >= 0, string(v))
				}
			})
		default:
			keys.addJSON(line)
		}
	}
	// A line too long to sample (or a read error, which the replay
	// itself will report) ends the sample: it is a guess, not the input.
	return nil
}

// flatten calls add with the dotted path of every scalar value of obj,
// its keys in sorted order (a map's are not ordered).
func flatten(prefix string, obj map[string]any, add func(name string, numeric, spaced bool, value string)) {
	names := make([]string, 0, len(obj))
	for k := range obj {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		switch v := obj[k].(type) {
		case map[string]any:
			flatten(prefix+k+".", v, add)
		case []any:
			// A list of names ("roles": ["ADVISOR"]) is read by its first
			// (JSONDecoder.value).
			if len(v) > 0 {
				if first, ok := v[0].(string); ok {
					add(prefix+k, false, strings.Contains(first, " "), first)
				}
			}
		case string:
			// Some loggers quote their numbers ("hits": "12").
			_, err := strconv.ParseFloat(v, 64)
			add(prefix+k, err == nil, strings.Contains(v, " "), v)
		case float64, nil:
			add(prefix+k, true, false, "")
		default:
			add(prefix+k, false, false, "")
		}
	}
}

// Infer points each field whose name is still its default (DefaultFieldMap)
// but absent from keys at the first of its usual names present in keys
// that no other field reads; a name the user chose is kept, present or
// not. The records must be numbers. It returns one "--field-x=name" per
// field it changed, in field order.
func (m *FieldMap) Infer(keys []Key) []string {
	present := map[string]bool{}
	byNorm, byLeaf := map[string]Key{}, map[string]Key{}
	norms := make([]string, len(keys)) // normKey of each key, in order
	for j, k := range keys {
		present[k.Name] = true
		norms[j] = normKey(k.Name)
		if _, ok := byNorm[norms[j]]; !ok {
			byNorm[norms[j]] = k
		}
		if i := strings.LastIndexByte(k.Name, '.'); i >= 0 {
			if leaf := normKey(k.Name[i+1:]); byLeaf[leaf].Name == "" {
				byLeaf[leaf] = k
			}
		}
		// A W3C log's field is also known by what it stands for
		// ("cs-username" is the user name).
		if w := w3cName(k.Name); w != k.Name && byLeaf[normKey(w)].Name == "" {
			byLeaf[normKey(w)] = k
		}
	}
	def := DefaultFieldMap()
	defs := def.names()
	ptrs := m.ptrs()
	used := map[string]bool{}
	for _, p := range ptrs {
		if present[*p] {
			used[*p] = true
		}
	}
	var notes []string
	take := func(i int, p *string, k Key) {
		*p = k.Name
		used[k.Name] = true
		notes = append(notes, fmt.Sprintf("--%s=%s", fieldFlags[i], k.Name))
	}
	// The aliases, by the whole name ("user.id" is "userid"), then by
	// the last part of a nested one ("http.response.hits" is "hits") or
	// a W3C field's meaning.
	for _, by := range []map[string]Key{byNorm, byLeaf} {
		for i, p := range ptrs {
			if present[*p] || *p != defs[i] {
				continue
			}
			if k, ok := aliased(by, fieldAliases[i], i == fAccount, func(k Key) bool {
				if n := normKey(k.Name); strings.HasSuffix(n, "agent") && !strings.Contains(n, "user") &&
					(i == fAccount) == browserLike(k) {
					return false // "agent": a browser or a person
				}
				return !used[k.Name] && (i != fRecords || k.Numeric)
			}); ok {
				take(i, p, k)
			}
		}
	}
	// Then the stems of the names that vary most ("nb_enregistrements",
	// "nombre_de_lignes", "id_personne", "num_dossier_usager"), for the
	// fields still unnamed, in the order the input lists its keys.
	for i, p := range ptrs {
		if present[*p] || *p != defs[i] || len(fieldStems[i]) == 0 {
			continue
		}
	stems:
		for _, stem := range fieldStems[i] {
			for j, k := range keys {
				n := norms[j]
				if used[k.Name] || describes(n) || !strings.Contains(n, stem) {
					continue
				}
				// "Identifiant agent" is the account; "Identifiant
				// demandeur" the person read, "Code agence" the
				// organisation, an "agent" holding browsers the user
				// agent.
				if i == fAccount && (holdsAny(n, fieldStems[fSubject]) || holdsAny(n, fieldStems[fOrg]) ||
					strings.Contains(n, "useragent") || browserLike(k)) {
					continue
				}
				// A count of files or people ("nb_dossiers") is the
				// records, never the subject.
				if i == fRecords && k.Numeric && !identifies(n) || i != fRecords && !(i == fSubject && counts(n)) {
					take(i, p, k)
					break stems
				}
			}
		}
		if i == fRecords && *p == defs[i] {
			for j, k := range keys {
				if n := norms[j]; !used[k.Name] && k.Numeric && counts(n) && !identifies(n) && holdsAny(n, fieldStems[fSubject]) {
					take(i, p, k)
					break
				}
			}
		}
	}
	// A date and its time of day in two fields ("date;heure;...", a
	// firewall's date= and time=) make one time: the ts is the date, the
	// time of day joined to it. Before, the time of day alone was the ts
	// and every line a bad_timestamp, or the date alone and every event
	// at midnight.
	if m.TimeOfDay == "" {
		byName := map[string]Key{}
		for _, k := range keys {
			byName[k.Name] = k
		}
		pick := func(named func(string) bool, like func([]string) bool) string {
			for j, k := range keys {
				if !used[k.Name] && named(norms[j]) && like(k.Values) {
					return k.Name
				}
			}
			return ""
		}
		switch ts := byName[m.TS]; {
		case timeOfDayLike(ts.Values):
			if d := pick(dateName, dateOnlyLike); d != "" {
				m.TS, m.TimeOfDay = d, ts.Name
				notes = slices.DeleteFunc(notes, func(n string) bool { return strings.HasPrefix(n, "--field-ts=") })
				notes = append(notes, "--field-ts="+d, "--field-time="+ts.Name)
			}
		case dateOnlyLike(ts.Values):
			if t := pick(timeName, timeOfDayLike); t != "" {
				m.TimeOfDay = t
				notes = append(notes, "--field-time="+t)
			}
		}
	}
	// How the accounts are spelled: in two cases, and with their
	// organisation in them when no field gives it.
	var logins []string
	for _, k := range keys {
		if k.Name == m.Account {
			logins = k.Values
		}
	}
	if m.AccountCase == "" && spelledTwoWays(logins) {
		m.AccountCase = AccountFold
		notes = append(notes, "--account-case="+AccountFold)
	}
	if m.OrgFromAccount == "" && !present[m.Org] {
		if from := orgRule(logins); from != "" {
			m.OrgFromAccount = from
			notes = append(notes, "--org-from-account="+from)
		}
	}
	return notes
}

// spelledTwoWays reports whether two of logins differ only by case
// ("ML035-MLEBRUN" and "ML035-mlebrun"): the systems writing the log
// disagree on case, and the account must not be split in two.
func spelledTwoWays(logins []string) bool {
	seen := make(map[string]string, len(logins))
	for _, l := range logins {
		low := strings.ToLower(l)
		if s, ok := seen[low]; ok && s != l {
			return true
		}
		seen[low] = l
	}
	return false
}

// orgRule returns the rule (FieldMap.OrgFromAccount) by which nine in ten
// of logins, at least 20 of them, name an organisation shared by others:
// OrgPrefix when they begin with a code ("CAF033-svc-export",
// "ML059B-jdupont"), OrgDomain when they are e-mail addresses; "" when
// neither (or the "organisations" are as many as the accounts).
func orgRule(logins []string) string {
	if len(logins) < 20 {
		return ""
	}
	for _, from := range []string{OrgPrefix, OrgDomain} {
		orgs := map[string]bool{}
		n := 0
		for _, l := range logins {
			if o := orgOfAccount(strings.ToLower(l), from); o != "" {
				orgs[o] = true
				n++
			}
		}
		if 10*n >= 9*len(logins) && len(orgs) >= 2 && 2*len(orgs) <= n {
			return from
		}
	}
	return ""
}

// fieldStems lists, for the fields whose names vary most from one log to
// another, parts of a name that say what it holds, most telling first:
// a key containing one is taken when no alias matched (a count must be
// numeric). Accounts: who made the request ("Identifiant agent",
// "Matricule conseiller", "Nom d'utilisateur"), unless the name also
// holds a person read or an organisation ("Identifiant demandeur",
// "Code agence"). Organisations: the agency, structure or partner the account
// works for ("agency_code", "code_structure"), or its SIRET or SIREN
// number, France's identifiers of establishments and companies
// ("orgSiret"). Records: what the request
// returned ("enregistrement", "resultat", "ligne", "record", "row",
// "returned": "items_returned", not "return_code"), never a bare count. Subjects: the person or file the request read.
var fieldStems = [numFields][]string{
	fAccount: {"login", "utilisateur", "username", "userid", "matricule", "conseiller", "operateur",
		"identifiant", "agent"},
	fOrg: {"organi", "structure", "agenc", "partenaire", "partner", "etablissement", "establishment",
		"tenant", "siret", "siren"},
	fRecords: {"enregistrement", "record", "resultat", "result", "ligne", "row", "returned", "fiche"},
	fSubject: {"personne", "person", "beneficiair", "beneficiary", "demandeur", "jobseeker", "individu",
		"usager", "allocataire", "dossier", "fiche", "subject", "patient", "citizen"},
}

// aliased returns the key of by (normalised names) of the first alias
// whose key ok accepts; with login, keys whose values held no space
// first: a log that has both a user's login and display name
// ("user.id": "u-48213", "user.name": "Claire Martin") is keyed by the
// login, as two advisors may share a name.
func aliased(by map[string]Key, aliases []string, login bool, ok func(Key) bool) (Key, bool) {
	for pass := range 2 {
		for _, a := range aliases {
			if k, found := by[a]; found && ok(k) && (!login || pass == 1 || !k.Spaced) {
				return k, true
			}
		}
		if !login {
			break
		}
	}
	return Key{}, false
}

// counts reports whether a normalised name is a count ("nb_dossiers",
// "nombre_de_personnes", "count_files", "total_people", "file_count").
func counts(n string) bool {
	for _, w := range [...]string{"nb", "nombre", "count", "total"} {
		if strings.HasPrefix(n, w) {
			return true
		}
	}
	return strings.HasSuffix(n, "count")
}

// holdsAny reports whether n contains one of stems.
func holdsAny(n string, stems []string) bool {
	for _, s := range stems {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// browserLike reports whether k's values look like a user agent: words
// with slashes ("Mozilla/5.0 (Windows NT 10.0)", "curl/8.5"), not logins.
func browserLike(k Key) bool {
	if k.Spaced {
		return true
	}
	for _, v := range k.Values {
		if strings.Contains(v, "/") {
			return true
		}
	}
	return false
}

// identifies reports whether a normalised name holds an identifier
// ("record_id", "result_uuid"): numbers, but not a count.
func identifies(n string) bool {
	return strings.HasSuffix(n, "id") || strings.HasSuffix(n, "ids") || strings.Contains(n, "uuid")
}

// describes reports whether a normalised name holds a category of what
// its stem names rather than the thing itself: "agency_kind" says what
// sort of agency ("mission_locale"), and taken as the organisation it
// would make one organisation of every mission locale.
func describes(n string) bool {
	for _, w := range [...]string{"kind", "type", "categ", "nature", "genre", "famille"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// timeOfDayLike reports whether vals (sampled values, at least one) are
// all times of day: "09:14", "9:14:03", "09:14:03.120".
func timeOfDayLike(vals []string) bool {
	return len(vals) > 0 && !slices.ContainsFunc(vals, func(v string) bool {
		h, rest, ok := strings.Cut(v, ":")
		return !ok || len(h) < 1 || len(h) > 2 || !allDigits(h) || len(rest) < 2 || !allDigits(rest[:2]) ||
			len(rest) > 2 && (rest[2] != ':' || len(rest) < 5 || !allDigits(rest[3:5]) ||
				len(rest) > 5 && (rest[5] != '.' && rest[5] != ',' || !allDigits(rest[6:])))
	})
}

// dateOnlyLike reports whether vals (at least one) are all dates without a
// time: "2027-03-02", "02/03/2027", "2.3.27".
func dateOnlyLike(vals []string) bool {
	return len(vals) > 0 && !slices.ContainsFunc(vals, func(v string) bool {
		parts := strings.FieldsFunc(v, func(r rune) bool { return r == '-' || r == '/' || r == '.' })
		if len(parts) != 3 || strings.Count(v, string(v[len(parts[0])])) != 2 {
			return true
		}
		for _, p := range parts {
			if len(p) < 1 || len(p) > 4 || !allDigits(p) {
				return true
			}
		}
		return len(parts[0]) != 4 && len(parts[2]) < 2
	})
}

// dateName and timeName say whether a normalised field name may hold a
// date or a time of day; a duration ("duree", "time_taken") is neither.
func dateName(n string) bool {
	return holdsAny(n, []string{"date", "jour", "day"}) && !holdsAny(n, []string{"update", "modif"})
}

func timeName(n string) bool {
	return holdsAny(n, []string{"time", "heure", "hour", "horaire"}) &&
		!holdsAny(n, []string{"taken", "elapsed", "duration", "duree", "ms", "timeout"})
}
