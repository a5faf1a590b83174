// Package report writes the self-contained HTML page an analyst attaches to
// a ticket about one incident or one entity: the facts (who, which
// organisation, when, how many records against how many expected, severity,
// every alert with its explanation) and three charts drawn with gonum/plot
// and embedded as PNG data: URIs, so the file opens anywhere, offline.
//
// The data comes from a Source: the ClickHouse tables the sink wrote
// (sink.ClickHouseReader) or replay outputs in JSON lines files (Memory).
package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/vigie/vigie/detector"
)

// Request says what to report on: one incident (IncidentID), or one entity
// over a time range (Entity, From, To).
type Request struct {
	IncidentID string
	// EntityType is "account" (default) or "org".
	EntityType string
	Entity     string
	From, To   time.Time
	// Resolution of the windows charted ("hour" by default; for an incident,
	// the resolution of its first alert).
	Resolution string
	// Context is how much time is shown around an incident, before it
	// opens and after it closes (48h by default).
	Context time.Duration
}

// Validate checks that r names exactly one subject, naming the bad field.
func (r Request) Validate() error {
	switch {
	case r.IncidentID != "" && r.Entity != "":
		return errors.New("incident and entity: give one, not both")
	case r.IncidentID == "" && r.Entity == "":
		return errors.New("incident or entity: one is required")
	case r.Entity != "" && (r.From.IsZero() || r.To.IsZero()):
		return errors.New("from, to: both are required with entity")
	case r.Entity != "" && !r.From.Before(r.To):
		return fmt.Errorf("from: %s is not before to %s", r.From.Format(time.RFC3339), r.To.Format(time.RFC3339))
	case r.EntityType != "" && r.EntityType != detector.EntityAccount && r.EntityType != detector.EntityOrg:
		return fmt.Errorf("entity type %q: want %q or %q", r.EntityType, detector.EntityAccount, detector.EntityOrg)
	case r.Context < 0:
		return fmt.Errorf("context %s: must not be negative", r.Context)
	}
	return nil
}

// Report is everything the page shows, gathered from a Source.
type Report struct {
	// Generated is when the report was built (shown in the footer).
	Generated  time.Time
	EntityType string
	Entity     string
	Org        string
	Resolution string
	From, To   time.Time
	// Incident is the subject of an incident report (nil for an entity
	// report); Incidents lists every incident in the range.
	Incident  *detector.Incident
	Incidents []detector.Incident
	Alerts    []detector.Alert
	Windows   []detector.Window
	// Peers summarises the other accounts of the same organisation, one
	// point per window start (empty for an organisation).
	Peers     []PeerPoint
	PeerCount int
}

// PeerPoint is the peer group's spread at one window: accounts without a
// window there count as zero records.
type PeerPoint struct {
	Start  time.Time
	Median float64
	P90    float64
}

// Build gathers the report for req from src; now stamps it.
func Build(ctx context.Context, src Source, req Request, now time.Time) (*Report, error) {
	if err := req.Validate(); err != nil {
		return nil, fmt.Errorf("invalid report request: %w", err)
	}
	if req.EntityType == "" {
		req.EntityType = detector.EntityAccount
	}
	if req.Context == 0 {
		req.Context = 48 * time.Hour
	}
	r := &Report{Generated: now.UTC(), Resolution: req.Resolution}
	if req.IncidentID != "" {
		in, err := src.Incident(ctx, req.IncidentID)
		if err != nil {
			return nil, err
		}
		alerts, err := src.IncidentAlerts(ctx, in.IncidentID)
		if err != nil {
			return nil, err
		}
		r.Incident, r.Alerts = &in, alerts
		r.EntityType, r.Entity, r.Org = in.EntityType, in.Entity, in.Org
		end := in.UpdatedAt
		if in.ClosedAt.After(end) {
			end = in.ClosedAt
		}
		r.From = in.OpenedAt.Add(-req.Context).Truncate(time.Hour)
		r.To = end.Add(req.Context / 2).Truncate(time.Hour).Add(time.Hour)
		if r.Resolution == "" && len(alerts) > 0 {
			r.Resolution = alerts[0].Resolution
		}
	} else {
		r.EntityType, r.Entity = req.EntityType, req.Entity
		r.From, r.To = req.From.UTC(), req.To.UTC()
		org, err := src.EntityOrg(ctx, r.EntityType, r.Entity)
		if err != nil {
			return nil, err
		}
		r.Org = org
		if r.Alerts, err = src.EntityAlerts(ctx, r.EntityType, r.Entity, r.From, r.To); err != nil {
			return nil, err
		}
	}
	if r.Resolution == "" || r.Resolution == "week" {
		r.Resolution = "hour"
	}
	var err error
	if r.Incidents, err = src.EntityIncidents(ctx, r.EntityType, r.Entity, r.From, r.To); err != nil {
		return nil, err
	}
	if r.Windows, err = src.EntityWindows(ctx, r.EntityType, r.Entity, r.Resolution, r.From, r.To); err != nil {
		return nil, err
	}
	if r.EntityType == detector.EntityAccount {
		peers, err := src.PeerWindows(ctx, r.Org, r.Entity, r.Resolution, r.From, r.To)
		if err != nil {
			return nil, err
		}
		r.Peers, r.PeerCount = peerSpread(peers, int64(resolutionStep(r.Resolution)))
	}
	return r, nil
}

// peerSpread computes the median and 90th percentile of the peers' observed
// records at every window start from the first to the last where a peer was
// seen, step seconds apart; a window start without any peer window is zero.
func peerSpread(windows []detector.Window, step int64) ([]PeerPoint, int) {
	accounts := map[string]bool{}
	byStart := map[int64][]float64{}
	for _, w := range windows {
		accounts[w.Entity] = true
		k := w.WindowStart.Unix()
		byStart[k] = append(byStart[k], w.Observed)
	}
	starts := make([]int64, 0, len(byStart))
	for k := range byStart {
		starts = append(starts, k)
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i] < starts[j] })
	if len(starts) > 1 {
		first, last := starts[0], starts[len(starts)-1]
		starts = starts[:0]
		for k := first; k <= last; k += step {
			starts = append(starts, k)
		}
	}
	out := make([]PeerPoint, 0, len(starts))
	for _, k := range starts {
		vals := byStart[k]
		for len(vals) < len(accounts) {
			vals = append(vals, 0)
		}
		sort.Float64s(vals)
		out = append(out, PeerPoint{
			Start:  time.Unix(k, 0).UTC(),
			Median: quantile(vals, 0.5),
			P90:    quantile(vals, 0.9),
		})
	}
	return out, len(accounts)
}

// quantile returns the p-quantile of sorted by linear interpolation between
// closest ranks (type 7, as R and NumPy default).
func quantile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	h := p * float64(len(sorted)-1)
	lo := int(h)
	if lo+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// Render writes r as a self-contained HTML page.
func (r *Report) Render(w io.Writer) error {
	page, err := r.page()
	if err != nil {
		return err
	}
	if err := pageTemplate.Execute(w, page); err != nil {
		return fmt.Errorf("rendering report: %w", err)
	}
	return nil
}
