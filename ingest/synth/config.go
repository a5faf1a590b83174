// Package synth generates a deterministic month of access logs of a French
// public employment service whose case files are shared with partner
// organisations, with labelled attacks and labelled benign traps. It is the
// ground truth Vigie is evaluated against: the same Config always produces
// the same bytes, so a detection score can be compared across versions.
//
// The population is made of France Travail agencies and partner
// organisations (Cap emploi, missions locales) with advisors, managers and
// service accounts. Volumes follow from behaviour (office hours, lunch dip,
// Monday peak, holidays, vacations, month-end reporting, nightly exports),
// never from a rate flag: the default month of 1,600 accounts holds about
// 1.3 million events.
package synth

import (
	"errors"
	"fmt"
	"time"
	_ "time/tzdata" // Europe/Paris must load on hosts without zoneinfo.

	"github.com/spf13/pflag"
)

// TimeZone is the zone of the generated timestamps and of the calendar
// (office hours, holidays).
const TimeZone = "Europe/Paris"

// Config sets the scenario. The zero value is not valid; start from
// DefaultConfig.
type Config struct {
	// Seed makes the scenario: same seed, same bytes.
	Seed uint64
	// Start is the first day, YYYY-MM-DD in Europe/Paris. The default
	// month (2024-04-22 for 30 days) holds a month-end, 1 May, 8 May,
	// Ascension with its bridge day, and Whit Monday.
	Start string
	// Days is the number of days generated.
	Days int
	// Accounts is the number of accounts, all roles included.
	Accounts int
	// Orgs is the number of organisations (agencies, partners and the
	// national IT department that owns most service accounts).
	Orgs int
	// BulkRecords is the total number of records taken by the
	// bulk_extraction attack.
	BulkRecords int64
	// Disorder shuffles the output order by up to this many seconds of
	// event time (0 writes events strictly in time order), to exercise
	// out-of-order handling downstream.
	Disorder int
}

// DefaultConfig returns the default month.
func DefaultConfig() Config {
	return Config{
		Seed:        1,
		Start:       "2024-04-22",
		Days:        30,
		Accounts:    1600,
		Orgs:        80,
		BulkRecords: 500_000,
	}
}

// RegisterFlags registers the configuration flags on fs, with c's values as
// defaults.
func (c *Config) RegisterFlags(fs *pflag.FlagSet) {
	fs.Uint64Var(&c.Seed, "seed", c.Seed, "random seed: same seed, same output")
	fs.StringVar(&c.Start, "start", c.Start, "first day, YYYY-MM-DD (Europe/Paris)")
	fs.IntVar(&c.Days, "days", c.Days, "number of days")
	fs.IntVar(&c.Accounts, "accounts", c.Accounts, "number of accounts (advisors, managers, service accounts)")
	fs.IntVar(&c.Orgs, "orgs", c.Orgs, "number of organisations (agencies and partners)")
	fs.Int64Var(&c.BulkRecords, "bulk-records", c.BulkRecords, "records taken by the bulk_extraction attack")
	fs.IntVar(&c.Disorder, "disorder", c.Disorder, "shuffle output order by up to this many seconds (0: strict time order)")
}

// Validate reports every invalid field.
func (c *Config) Validate() error {
	var errs []error
	if _, err := c.startDay(); err != nil {
		errs = append(errs, fmt.Errorf("start: %w", err))
	}
	if c.Days < 14 || c.Days > 366 {
		errs = append(errs, fmt.Errorf("days: %d is outside [14, 366]: attacks start after 8 days of baseline", c.Days))
	}
	if c.Orgs < 4 {
		errs = append(errs, fmt.Errorf("orgs: %d is below 4 (one of each kind and the IT department)", c.Orgs))
	}
	if c.Accounts < 10*c.Orgs || c.Accounts < 100 {
		errs = append(errs, fmt.Errorf("accounts: %d is below max(100, 10 x orgs = %d)", c.Accounts, 10*c.Orgs))
	}
	if c.Accounts > 1_000_000 {
		errs = append(errs, fmt.Errorf("accounts: %d is above 1,000,000", c.Accounts))
	}
	if c.BulkRecords < 1000 {
		errs = append(errs, fmt.Errorf("bulk-records: %d is below 1000", c.BulkRecords))
	}
	if c.Disorder < 0 || c.Disorder > 3600 {
		errs = append(errs, fmt.Errorf("disorder: %d seconds is outside [0, 3600]", c.Disorder))
	}
	return errors.Join(errs...)
}

// startDay parses Start as midnight in Europe/Paris.
func (c *Config) startDay() (time.Time, error) {
	loc, err := time.LoadLocation(TimeZone)
	if err != nil {
		return time.Time{}, fmt.Errorf("loading %s: %w", TimeZone, err)
	}
	t, err := time.ParseInLocation(time.DateOnly, c.Start, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("parsing %q as YYYY-MM-DD: %w", c.Start, err)
	}
	return t, nil
}
