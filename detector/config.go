package detector

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/vigie/vigie/models"
)

// Config configures a Detector. The zero value is not valid: start from
// DefaultConfig.
type Config struct {
	// TimeZone is the IANA zone whose local hours and days define windows and
	// seasonality.
	TimeZone string
	// Lateness is how far behind the newest event time an event may arrive
	// and still count in its hour window. Older events are counted as late.
	Lateness time.Duration
	// AlertBudget is the expected number of false alerts per day the
	// per-test threshold is derived from ("N/day", "N/week" or "N").
	AlertBudget string
	// MinScore is a floor on the score threshold, whatever the budget.
	MinScore float64
	// FrenchHolidays marks French public holidays as non-working days.
	FrenchHolidays bool
	// Holidays lists extra non-working dates (YYYY-MM-DD, local).
	Holidays []string
	// QuietPeriod of working time (non-working days do not count)
	// without abnormal windows closes an incident.
	QuietPeriod time.Duration
	// MaxEntities caps tracked accounts plus organisations. Events of
	// accounts beyond it are counted in Stats.UntrackedEvents (their records
	// still count in their organisation).
	MaxEntities int
	// Warmup is the event time after the first event during which no alert
	// fires: nobody has a baseline yet.
	Warmup time.Duration
	// EarlyMargin is added to the threshold for tests on a still-open window,
	// which are repeated as records arrive. Negative (the default): derived
	// from the number of looks a window gets (Detector.earlyMargin).
	EarlyMargin float64
	// MinFraction is the smallest fraction of a window's expectation an early
	// test assumes elapsed, so the first seconds of an hour are not compared
	// with nearly nothing.
	MinFraction float64
	// RequestMinRecords is the smallest request that can fire request_size.
	RequestMinRecords float64
	// CusumK is the CUSUM reference value, in standard deviations.
	CusumK float64
	// Params are the baseline constants (models.DefaultParams).
	Params models.Params
}

// DefaultConfig returns the defaults documented in models/doc.go.
func DefaultConfig() Config {
	return Config{
		TimeZone:          "Europe/Paris",
		Lateness:          5 * time.Minute,
		AlertBudget:       "0.05/day",
		MinScore:          0,
		FrenchHolidays:    true,
		QuietPeriod:       24 * time.Hour,
		MaxEntities:       2_000_000,
		Warmup:            7 * 24 * time.Hour,
		EarlyMargin:       -1,
		MinFraction:       0.1,
		RequestMinRecords: 1000,
		CusumK:            1,
		Params:            models.DefaultParams(),
	}
}

// RegisterFlags registers the detector's flags on fs with c's values as
// defaults.
func (c *Config) RegisterFlags(fs *pflag.FlagSet) {
	fs.StringVar(&c.TimeZone, "time-zone", c.TimeZone, "IANA time zone of local hours, days and holidays")
	fs.DurationVar(&c.Lateness, "allowed-lateness", c.Lateness, "how late an event may arrive and still count in its hour window")
	fs.StringVar(&c.AlertBudget, "alert-budget", c.AlertBudget, "expected false alerts per day (N/day or N/week) that sets the score threshold")
	fs.Float64Var(&c.MinScore, "min-score", c.MinScore, "lowest score threshold (-log10 tail probability) whatever the budget")
	fs.BoolVar(&c.FrenchHolidays, "french-holidays", c.FrenchHolidays, "treat French public holidays as non-working days")
	fs.StringSliceVar(&c.Holidays, "holidays", c.Holidays, "extra non-working dates, YYYY-MM-DD")
	fs.DurationVar(&c.QuietPeriod, "quiet-period", c.QuietPeriod, "working time (non-working days excluded) without abnormal windows that closes an incident")
	fs.IntVar(&c.MaxEntities, "max-entities", c.MaxEntities, "most accounts and organisations tracked (memory cap)")
	fs.DurationVar(&c.Warmup, "warmup", c.Warmup, "event time after the first event before any alert")
}

// Location returns the time zone TimeZone names (UTC if it names none:
// Validate reports that).
func (c *Config) Location() *time.Location { return Zone(c.TimeZone) }

// Zone returns the time zone name names, UTC when it names none or an
// unknown one.
func Zone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" {
		return time.UTC
	}
	return loc
}

// Validate reports the first invalid field.
func (c *Config) Validate() error {
	if _, err := time.LoadLocation(c.TimeZone); err != nil || c.TimeZone == "" {
		return fmt.Errorf("time-zone: unknown zone %q", c.TimeZone)
	}
	if c.Lateness < 0 {
		return errors.New("allowed-lateness: must not be negative")
	}
	if _, err := ParseBudget(c.AlertBudget); err != nil {
		return fmt.Errorf("alert-budget: %w", err)
	}
	if c.MinScore < 0 {
		return errors.New("min-score: must not be negative")
	}
	if _, err := c.holidayDates(); err != nil {
		return fmt.Errorf("holidays: %w", err)
	}
	if c.QuietPeriod <= 0 {
		return errors.New("quiet-period: must be positive")
	}
	if c.MaxEntities <= 0 {
		return errors.New("max-entities: must be positive")
	}
	if c.Warmup < 0 {
		return errors.New("warmup: must not be negative")
	}
	if c.MinFraction <= 0 || c.MinFraction > 1 {
		return errors.New("MinFraction: must be in (0, 1]")
	}
	if c.CusumK <= 0 {
		return errors.New("CusumK: must be positive")
	}
	if c.Params.HalfLifeDays <= 0 || c.Params.LongHalfLifeDays <= 0 {
		return errors.New("Params: half-lives must be positive")
	}
	return nil
}

func (c *Config) holidayDates() ([]time.Time, error) {
	var out []time.Time
	for _, s := range c.Holidays {
		t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("date %q is not YYYY-MM-DD: %w", s, err)
		}
		out = append(out, t)
	}
	return out, nil
}

// ParseBudget parses an alert budget ("2/day", "1/week", "0.5") into
// alerts per day.
func ParseBudget(s string) (float64, error) {
	num, unit, _ := strings.Cut(strings.TrimSpace(s), "/")
	v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || !(v > 0) {
		return 0, fmt.Errorf("%q is not a positive number of alerts per day or week", s)
	}
	switch strings.TrimSpace(unit) {
	case "", "day", "d":
		return v, nil
	case "week", "w":
		return v / 7, nil
	}
	return 0, fmt.Errorf("%q: unit must be day or week", s)
}
