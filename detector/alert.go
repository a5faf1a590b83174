package detector

import "time"

// Entity types.
const (
	EntityAccount = "account"
	EntityOrg     = "org"
)

// Severities, in increasing order.
const (
	SeverityLow      = "low"
	SeverityMedium   = "medium"
	SeverityHigh     = "high"
	SeverityCritical = "critical"
)

// Alert is one explained detection. Alerts are deterministic: the same input
// produces the same alerts, byte for byte, including AlertID.
type Alert struct {
	// AlertID is a stable hash of (entity_type, entity, detector, incident,
	// kind, window_start): writing the same alert twice leaves one.
	AlertID    string `json:"alert_id"`
	IncidentID string `json:"incident_id"`
	// Kind is "open" for the first alert of an incident and "escalation"
	// when its severity rises.
	Kind string `json:"kind"`
	// FiredAt is the event time (RFC 3339, UTC) at which the alert fired.
	FiredAt    time.Time `json:"fired_at"`
	EntityType string    `json:"entity_type"`
	Entity     string    `json:"entity"`
	Org        string    `json:"org"`
	Role       string    `json:"role,omitempty"`
	// Detector names the signal that fired, e.g. "volume_hour",
	// "volume_day", "cusum_day", "request_size", "distinct_subjects".
	Detector string `json:"detector"`
	// Resolution is the window length ("hour", "day", "week").
	Resolution  string    `json:"resolution"`
	WindowStart time.Time `json:"window_start"`
	WindowEnd   time.Time `json:"window_end"`
	Observed    float64   `json:"observed"`
	Expected    float64   `json:"expected"`
	Threshold   float64   `json:"threshold"`
	// Score is -log10 of the tail probability of Observed under the
	// baseline: 9 means "one in a billion".
	Score       float64 `json:"score"`
	Severity    string  `json:"severity"`
	Explanation string  `json:"explanation"`
}

// Window is the aggregate of one entity over one closed (or, for alerts,
// partial) window: what the dashboards plot.
type Window struct {
	EntityType  string    `json:"entity_type"`
	Entity      string    `json:"entity"`
	Org         string    `json:"org"`
	Resolution  string    `json:"resolution"`
	WindowStart time.Time `json:"window_start"`
	WindowEnd   time.Time `json:"window_end"`
	Events      int64     `json:"events"`
	Observed    float64   `json:"observed"`
	Expected    float64   `json:"expected"`
	Threshold   float64   `json:"threshold"`
	Score       float64   `json:"score"`
	// Distinct is the estimated number of distinct subjects (0 when the
	// events carry none).
	Distinct uint64 `json:"distinct,omitempty"`
	Alerted  bool   `json:"alerted"`
}

// Incident is one episode of abnormal activity of an entity: opened by its
// first alert, updated while its windows stay abnormal, closed after a quiet
// period. Each state change is emitted with a higher Version, so a store
// keyed by IncidentID keeps the latest.
type Incident struct {
	IncidentID string    `json:"incident_id"`
	Version    uint64    `json:"version"`
	Status     string    `json:"status"` // "open" or "closed"
	EntityType string    `json:"entity_type"`
	Entity     string    `json:"entity"`
	Org        string    `json:"org"`
	Role       string    `json:"role,omitempty"`
	Detector   string    `json:"detector"` // the signal that opened it
	OpenedAt   time.Time `json:"opened_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	ClosedAt   time.Time `json:"closed_at,omitempty"`
	// Records is the total observed during the incident's abnormal windows,
	// Expected what the baseline expected for them.
	Records         float64   `json:"records"`
	Expected        float64   `json:"expected"`
	PeakScore       float64   `json:"peak_score"`
	PeakRatio       float64   `json:"peak_ratio"`
	PeakWindowStart time.Time `json:"peak_window_start"`
	Severity        string    `json:"severity"`
	Alerts          int       `json:"alerts"`
	Explanation     string    `json:"explanation"`
}
