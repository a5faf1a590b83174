package synth

import (
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// Attack shapes.
const (
	ShapeBulkExtraction = "bulk_extraction"
	ShapeLowAndSlow     = "low_and_slow"
	ShapeNewAccount     = "new_account"
	ShapeOrgWide        = "org_wide"
	ShapeOffHours       = "off_hours"
)

// Shapes lists every attack shape, in the order they are injected.
var Shapes = []string{ShapeBulkExtraction, ShapeLowAndSlow, ShapeNewAccount, ShapeOrgWide, ShapeOffHours}

// Benign trap kinds: legitimate activity that looks unusual.
const (
	BenignServiceNightly = "service_nightly"
	BenignMondayPeak     = "monday_peak"
	BenignHoliday        = "holiday"
	BenignAfterHoliday   = "after_holiday"
	BenignBridgeDay      = "bridge_day"
	BenignVacationReturn = "vacation_return"
	BenignNewJoiner      = "new_joiner"
	BenignMonthEnd       = "month_end"
)

// Labels is the ground truth of a generated scenario, written as one JSON
// document next to the events.
type Labels struct {
	Seed     uint64 `json:"seed"`
	TimeZone string `json:"time_zone"`
	// Start and End bound the generated period [Start, End).
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	Days  int       `json:"days"`
	// AccountCount is the size of the population, used to count
	// account-days when the events are not at hand.
	AccountCount int   `json:"account_count"`
	Events       int64 `json:"events"`
	Records      int64 `json:"records"`
	// Attacks are the malicious episodes a detector should catch.
	Attacks []Attack `json:"attacks"`
	// Benign are the legitimate traps: alerts on them are false alarms.
	Benign []Benign `json:"benign"`
}

// Attack is one labelled malicious episode. Start and End are the times of
// its first and last malicious events; Records is what those events took
// (the compromised accounts' ordinary activity is not counted).
type Attack struct {
	ID       string    `json:"id"`
	Shape    string    `json:"shape"`
	Accounts []string  `json:"accounts"`
	Org      string    `json:"org"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Records  int64     `json:"records"`
	Events   int64     `json:"events"`
}

// Benign is one labelled legitimate trap. An empty Accounts list means the
// whole population (a Monday, a holiday).
type Benign struct {
	ID       string    `json:"id"`
	Kind     string    `json:"kind"`
	Accounts []string  `json:"accounts,omitempty"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
}

// LoadLabels reads a labels file written by vigie gen.
func LoadLabels(path string) (*Labels, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading labels: %w", err)
	}
	var l Labels
	if err := json.Unmarshal(data, &l); err != nil {
		return nil, fmt.Errorf("parsing labels %s: %w", path, err)
	}
	return &l, nil
}
