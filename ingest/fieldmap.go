package ingest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// FieldMap names the input field that feeds each Event field, so Vigie can
// read logs whose schema it does not own. In JSON a name may be a dotted path
// into nested objects ("user.name" reads {"user":{"name":...}}); a key that
// itself contains dots ({"user.name":...}) matches the same path, since
// flattened and nested ECS logs are both common. In CSV a name is matched
// literally against the header. An empty name means the field is not read,
// except TS and Account, which are required. The YAML keys are the flag
// names, as everywhere in Vigie's configuration.
type FieldMap struct {
	TS        string `yaml:"field-ts"`
	Account   string `yaml:"field-account"`
	Org       string `yaml:"field-org"`
	Role      string `yaml:"field-role"`
	Action    string `yaml:"field-action"`
	Resource  string `yaml:"field-resource"`
	SrcIP     string `yaml:"field-src-ip"`
	UserAgent string `yaml:"field-user-agent"`
	Session   string `yaml:"field-session"`
	Records   string `yaml:"field-records"`
	Subject   string `yaml:"field-subject"`
	// TimeOfDay names the field holding the time of day when TS holds
	// only the date (a "date;heure;..." export, a firewall's date= and
	// time=): the two are read as one time. Empty: TS is the whole time.
	TimeOfDay string `yaml:"field-time"`
	// LinePattern is a regular expression whose named groups are the
	// fields of a text log's lines (pattern.go); empty: lines are JSON,
	// logfmt, combined-format, CEF or LEEF.
	LinePattern string `yaml:"line-pattern"`
	// InputEncoding is EncodingLatin1 to read a line that is not valid
	// UTF-8 as ISO-8859-1 (a legacy application's log: "Déconnexion"
	// written 0xC9); "" reads UTF-8 only, such a line an invalid_utf8
	// dead letter.
	InputEncoding string `yaml:"input-encoding"`
	// InputTimeZone names the IANA zone of timestamps written without an
	// offset ("2024-03-04 09:12:33"), common in application logs; empty:
	// the caller's default (SetLocal).
	InputTimeZone string `yaml:"input-time-zone"`
	// Local is the zone those timestamps are read in; nil rejects them as
	// bad_timestamp.
	Local *time.Location `yaml:"-"`
	// AccountCase is AccountFold to read accounts in lower case (a login
	// that the systems writing the log spell in different cases is one
	// account), AccountKeep, or "" to let Infer choose: fold when the
	// input spells a login two ways.
	AccountCase string `yaml:"account-case"`
	// OrgFromAccount says where the organisation is read when no field
	// gives it: OrgPrefix, the code before the account's first '-' or
	// '_' ("ML059B-jdupont"), OrgDomain, the domain of an e-mail address,
	// OrgNone, or "" to let Infer choose from the input's accounts.
	OrgFromAccount string `yaml:"org-from-account"`
}

// The values of FieldMap.AccountCase and FieldMap.OrgFromAccount.
const (
	AccountFold = "fold"
	AccountKeep = "keep"
	OrgPrefix   = "prefix"
	OrgDomain   = "domain"
	OrgNone     = "none"

	EncodingUTF8   = "utf-8"
	EncodingLatin1 = "latin1"
)

// SetLocal sets Local to InputTimeZone's zone, or to def when it names
// none (Vigie's commands pass --time-zone's). Call it after Validate.
func (m *FieldMap) SetLocal(def *time.Location) {
	m.Local = def
	if m.InputTimeZone != "" {
		if loc, err := time.LoadLocation(m.InputTimeZone); err == nil {
			m.Local = loc
		}
	}
}

// DefaultFieldMap returns the field names of Vigie's own log format, which
// are also the Event field names in snake case.
func DefaultFieldMap() FieldMap {
	return FieldMap{
		TS:        "ts",
		Account:   "account",
		Org:       "org",
		Role:      "role",
		Action:    "action",
		Resource:  "resource",
		SrcIP:     "src_ip",
		UserAgent: "user_agent",
		Session:   "session",
		Records:   "records",
		Subject:   "subject",
	}
}

// Field indexes shared by the decoders; the order is the one of fieldFlags.
const (
	fTS = iota
	fAccount
	fOrg
	fRole
	fAction
	fResource
	fSrcIP
	fUserAgent
	fSession
	fRecords
	fSubject
	fTime // the time of day of a date-only TS, joined to it
	numFields
)

// fieldFlags holds the flag name of each field, in field index order.
var fieldFlags = [numFields]string{
	"field-ts", "field-account", "field-org", "field-role", "field-action",
	"field-resource", "field-src-ip", "field-user-agent", "field-session",
	"field-records", "field-subject", "field-time",
}

// names returns the configured name of each field, in field index order.
func (m *FieldMap) names() [numFields]string {
	return [numFields]string{
		m.TS, m.Account, m.Org, m.Role, m.Action, m.Resource, m.SrcIP,
		m.UserAgent, m.Session, m.Records, m.Subject, m.TimeOfDay,
	}
}

// ptrs returns a pointer to each field, in field index order.
func (m *FieldMap) ptrs() [numFields]*string {
	return [numFields]*string{
		&m.TS, &m.Account, &m.Org, &m.Role, &m.Action, &m.Resource, &m.SrcIP,
		&m.UserAgent, &m.Session, &m.Records, &m.Subject, &m.TimeOfDay,
	}
}

// fieldUsage describes each field for its flag, in field index order.
var fieldUsage = [numFields]string{
	"event time: RFC 3339, or epoch seconds, milliseconds, microseconds or nanoseconds (required)",
	"account that made the request (required)",
	"organisation of the account",
	"role of the account",
	"action (search, export, view...)",
	"resource accessed",
	"source IP address",
	"user agent",
	"session id",
	"number of records returned (default 1 when absent)",
	"id of the single record accessed, for per-record logs",
	"time of day when the ts field holds only the date (joined to it)",
}

// RegisterFlags adds one --field-NAME flag per field to fs, defaulting to
// the values already in m (call it on DefaultFieldMap()).
func (m *FieldMap) RegisterFlags(fs *pflag.FlagSet) {
	ptrs := m.ptrs()
	for i, p := range ptrs {
		fs.StringVar(p, fieldFlags[i], *p,
			"input field holding the "+fieldUsage[i]+"; a dotted path reads nested JSON objects")
	}
	fs.StringVar(&m.LinePattern, "line-pattern", m.LinePattern,
		"regular expression whose named groups ((?P<account>...)) are the fields of a text log's lines")
	fs.StringVar(&m.InputEncoding, "input-encoding", m.InputEncoding,
		"latin1: read a line that is not valid UTF-8 as ISO-8859-1 (default: UTF-8 only, such a line an invalid_utf8 dead letter)")
	fs.StringVar(&m.InputTimeZone, "input-time-zone", m.InputTimeZone,
		"IANA zone of input times written without an offset (default: --time-zone)")
	fs.StringVar(&m.AccountCase, "account-case", m.AccountCase,
		"fold (read accounts in lower case) or keep (default: fold when the input spells a login in two cases)")
	fs.StringVar(&m.OrgFromAccount, "org-from-account", m.OrgFromAccount,
		"where the organisation is read when no field gives it: prefix (ML059B-jdupont), domain (of an e-mail address) or none (default: inferred from the accounts)")
}

// Validate checks that the required fields are named, that no name is used
// twice, and that every dotted path is well formed. Errors name the flag.
func (m *FieldMap) Validate() error {
	names := m.names()
	var errs []error
	if names[fTS] == "" {
		errs = append(errs, errors.New("--field-ts: required"))
	}
	if names[fAccount] == "" {
		errs = append(errs, errors.New("--field-account: required"))
	}
	if m.InputTimeZone != "" {
		if _, err := time.LoadLocation(m.InputTimeZone); err != nil {
			errs = append(errs, fmt.Errorf("--input-time-zone %q: unknown zone", m.InputTimeZone))
		}
	}
	if m.LinePattern != "" {
		if _, err := compilePattern(m.LinePattern); err != nil {
			errs = append(errs, err)
		}
	}
	if !slices.Contains([]string{"", EncodingUTF8, EncodingLatin1}, m.InputEncoding) {
		errs = append(errs, fmt.Errorf("--input-encoding %q: want utf-8 or latin1", m.InputEncoding))
	}
	if !slices.Contains([]string{"", AccountFold, AccountKeep}, m.AccountCase) {
		errs = append(errs, fmt.Errorf("--account-case %q: want fold or keep", m.AccountCase))
	}
	if !slices.Contains([]string{"", OrgPrefix, OrgDomain, OrgNone}, m.OrgFromAccount) {
		errs = append(errs, fmt.Errorf("--org-from-account %q: want prefix, domain or none", m.OrgFromAccount))
	}
	for i, name := range names {
		if name == "" {
			continue
		}
		for _, seg := range strings.Split(name, ".") {
			if seg == "" {
				errs = append(errs, fmt.Errorf("--%s %q: empty path segment", fieldFlags[i], name))
				break
			}
		}
		for j := range i {
			other := names[j]
			switch {
			case other == "":
			case other == name:
				errs = append(errs, fmt.Errorf("--%s %q: already used by --%s", fieldFlags[i], name, fieldFlags[j]))
			case strings.HasPrefix(name, other+"."), strings.HasPrefix(other, name+"."):
				errs = append(errs, fmt.Errorf("--%s %q: overlaps the path %q of --%s", fieldFlags[i], name, other, fieldFlags[j]))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("invalid field map: %w", err)
	}
	return nil
}
