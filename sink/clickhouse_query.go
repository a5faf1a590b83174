package sink

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/vigie/vigie/detector"
)

// ErrNotFound is returned by the ClickHouseReader when the asked-for row does
// not exist.
var ErrNotFound = errors.New("not found")

// ClickHouseReader reads back what the ClickHouse sink wrote: the read side
// used by `vigie report`. Every value from the caller travels as a bound
// parameter; only the database name is spliced into the SQL, after
// validation. Queries use FINAL (or the highest version) so that duplicates
// left by at-least-once delivery are not counted twice.
type ClickHouseReader struct {
	conn driver.Conn
	db   string
	own  bool
}

// OpenClickHouseReader connects to the ClickHouse server named by dsn (a
// clickhouse:// URL) and reads the tables of database (the DSN's database
// when empty, "vigie" when both are empty).
func OpenClickHouseReader(ctx context.Context, dsn, database string) (*ClickHouseReader, error) {
	opts, err := clickhouse.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("parsing clickhouse DSN: %w", err)
	}
	if database == "" {
		database = opts.Auth.Database
	}
	if database == "" {
		database = "vigie"
	}
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return nil, fmt.Errorf("opening clickhouse: %w", err)
	}
	if err := conn.Ping(ctx); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("connecting to clickhouse: %w", err)
	}
	r, err := NewClickHouseReader(conn, database)
	if err != nil {
		_ = conn.Close()
		return nil, err
	}
	r.own = true
	return r, nil
}

// NewClickHouseReader reads database through conn. The caller keeps
// ownership of conn: Close does not close it.
func NewClickHouseReader(conn driver.Conn, database string) (*ClickHouseReader, error) {
	if err := checkIdentifier("clickhouse-database", database); err != nil {
		return nil, err
	}
	return &ClickHouseReader{conn: conn, db: database}, nil
}

// Close closes the connection if the reader opened it. It is safe to call
// twice.
func (r *ClickHouseReader) Close() error {
	if !r.own || r.conn == nil {
		return nil
	}
	err := r.conn.Close()
	r.conn = nil
	return err
}

const incidentSelect = `incident_id, version, status, entity_type, entity, org, role, detector,
	opened_at, updated_at, closed_at, records, expected, peak_score, peak_ratio,
	peak_window_start, severity, alerts, explanation`

// Incident returns the latest version of incident id, or an error wrapping
// ErrNotFound.
func (r *ClickHouseReader) Incident(ctx context.Context, id string) (detector.Incident, error) {
	q := `SELECT ` + incidentSelect + ` FROM ` + r.db + `.incidents
	WHERE incident_id = ? ORDER BY version DESC LIMIT 1`
	got, err := r.incidents(ctx, q, id)
	if err != nil {
		return detector.Incident{}, fmt.Errorf("reading incident %s: %w", id, err)
	}
	if len(got) == 0 {
		return detector.Incident{}, fmt.Errorf("incident %s: %w", id, ErrNotFound)
	}
	return got[0], nil
}

// EntityIncidents returns the latest version of every incident of the entity
// that overlaps [from, to), oldest first.
func (r *ClickHouseReader) EntityIncidents(ctx context.Context, entityType, entity string, from, to time.Time) ([]detector.Incident, error) {
	q := `SELECT ` + incidentSelect + ` FROM ` + r.db + `.incidents FINAL
	WHERE entity_type = ? AND entity = ? AND opened_at < toDateTime(?)
	  AND (status = 'open' OR closed_at >= toDateTime(?))
	ORDER BY opened_at, incident_id`
	got, err := r.incidents(ctx, q, entityType, entity, to.Unix(), from.Unix())
	if err != nil {
		return nil, fmt.Errorf("reading incidents of %s %s: %w", entityType, entity, err)
	}
	return got, nil
}

func (r *ClickHouseReader) incidents(ctx context.Context, q string, args ...any) ([]detector.Incident, error) {
	rows, err := r.conn.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []detector.Incident
	for rows.Next() {
		var in detector.Incident
		var alerts uint32
		if err := rows.Scan(&in.IncidentID, &in.Version, &in.Status, &in.EntityType, &in.Entity,
			&in.Org, &in.Role, &in.Detector, &in.OpenedAt, &in.UpdatedAt, &in.ClosedAt,
			&in.Records, &in.Expected, &in.PeakScore, &in.PeakRatio, &in.PeakWindowStart,
			&in.Severity, &alerts, &in.Explanation); err != nil {
			return nil, err
		}
		in.Alerts = int(alerts)
		in.OpenedAt = in.OpenedAt.UTC()
		in.UpdatedAt = in.UpdatedAt.UTC()
		in.ClosedAt = utcOrZero(in.ClosedAt)
		in.PeakWindowStart = in.PeakWindowStart.UTC()
		out = append(out, in)
	}
	return out, rows.Err()
}

const alertSelect = `alert_id, incident_id, kind, fired_at, entity_type, entity, org, role,
	detector, resolution, window_start, window_end, observed, expected, threshold,
	score, severity, explanation`

// IncidentAlerts returns the alerts of incident id in firing order.
func (r *ClickHouseReader) IncidentAlerts(ctx context.Context, id string) ([]detector.Alert, error) {
	q := `SELECT ` + alertSelect + ` FROM ` + r.db + `.alerts FINAL
	WHERE incident_id = ? ORDER BY fired_at, alert_id`
	got, err := r.alerts(ctx, q, id)
	if err != nil {
		return nil, fmt.Errorf("reading alerts of incident %s: %w", id, err)
	}
	return got, nil
}

// EntityAlerts returns the alerts of the entity fired in [from, to), in
// firing order.
func (r *ClickHouseReader) EntityAlerts(ctx context.Context, entityType, entity string, from, to time.Time) ([]detector.Alert, error) {
	q := `SELECT ` + alertSelect + ` FROM ` + r.db + `.alerts FINAL
	WHERE entity_type = ? AND entity = ? AND fired_at >= toDateTime(?) AND fired_at < toDateTime(?)
	ORDER BY fired_at, alert_id`
	got, err := r.alerts(ctx, q, entityType, entity, from.Unix(), to.Unix())
	if err != nil {
		return nil, fmt.Errorf("reading alerts of %s %s: %w", entityType, entity, err)
	}
	return got, nil
}

func (r *ClickHouseReader) alerts(ctx context.Context, q string, args ...any) ([]detector.Alert, error) {
	rows, err := r.conn.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []detector.Alert
	for rows.Next() {
		var a detector.Alert
		if err := rows.Scan(&a.AlertID, &a.IncidentID, &a.Kind, &a.FiredAt, &a.EntityType,
			&a.Entity, &a.Org, &a.Role, &a.Detector, &a.Resolution, &a.WindowStart,
			&a.WindowEnd, &a.Observed, &a.Expected, &a.Threshold, &a.Score, &a.Severity,
			&a.Explanation); err != nil {
			return nil, err
		}
		a.FiredAt = a.FiredAt.UTC()
		a.WindowStart = a.WindowStart.UTC()
		a.WindowEnd = a.WindowEnd.UTC()
		out = append(out, a)
	}
	return out, rows.Err()
}

// windowSelect quotes distinct, a keyword in SELECT lists.
const windowSelect = "entity_type, entity, org, resolution, window_start, window_end, events, observed, expected, threshold, score, `distinct`, alerted"

// EntityWindows returns the windows of one entity at one resolution
// ("hour", "day") that start in [from, to), oldest first.
func (r *ClickHouseReader) EntityWindows(ctx context.Context, entityType, entity, resolution string, from, to time.Time) ([]detector.Window, error) {
	q := `SELECT ` + windowSelect + ` FROM ` + r.db + `.windows FINAL
	WHERE entity_type = ? AND entity = ? AND resolution = ?
	  AND window_start >= toDateTime(?) AND window_start < toDateTime(?)
	ORDER BY window_start`
	got, err := r.windows(ctx, q, entityType, entity, resolution, from.Unix(), to.Unix())
	if err != nil {
		return nil, fmt.Errorf("reading windows of %s %s: %w", entityType, entity, err)
	}
	return got, nil
}

// PeerWindows returns the account windows of org at resolution that start in
// [from, to), leaving out the account named exclude: the entity's peer group.
// Rows are ordered by account then time.
func (r *ClickHouseReader) PeerWindows(ctx context.Context, org, exclude, resolution string, from, to time.Time) ([]detector.Window, error) {
	q := `SELECT ` + windowSelect + ` FROM ` + r.db + `.windows FINAL
	WHERE entity_type = ? AND org = ? AND entity != ? AND resolution = ?
	  AND window_start >= toDateTime(?) AND window_start < toDateTime(?)
	ORDER BY entity, window_start`
	got, err := r.windows(ctx, q, detector.EntityAccount, org, exclude, resolution, from.Unix(), to.Unix())
	if err != nil {
		return nil, fmt.Errorf("reading peer windows of org %s: %w", org, err)
	}
	return got, nil
}

// EntityOrg returns the organisation of an entity as recorded in its most
// recent window, or an error wrapping ErrNotFound.
func (r *ClickHouseReader) EntityOrg(ctx context.Context, entityType, entity string) (string, error) {
	q := `SELECT org FROM ` + r.db + `.windows
	WHERE entity_type = ? AND entity = ? ORDER BY window_start DESC LIMIT 1`
	rows, err := r.conn.Query(ctx, q, entityType, entity)
	if err != nil {
		return "", fmt.Errorf("reading org of %s %s: %w", entityType, entity, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return "", fmt.Errorf("reading org of %s %s: %w", entityType, entity, err)
		}
		return "", fmt.Errorf("%s %s: %w", entityType, entity, ErrNotFound)
	}
	var org string
	if err := rows.Scan(&org); err != nil {
		return "", fmt.Errorf("reading org of %s %s: %w", entityType, entity, err)
	}
	return org, nil
}

func (r *ClickHouseReader) windows(ctx context.Context, q string, args ...any) ([]detector.Window, error) {
	rows, err := r.conn.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []detector.Window
	for rows.Next() {
		var w detector.Window
		var events uint64
		var alerted uint8
		if err := rows.Scan(&w.EntityType, &w.Entity, &w.Org, &w.Resolution, &w.WindowStart,
			&w.WindowEnd, &events, &w.Observed, &w.Expected, &w.Threshold, &w.Score,
			&w.Distinct, &alerted); err != nil {
			return nil, err
		}
		w.Events = int64(events)
		w.Alerted = alerted != 0
		w.WindowStart = w.WindowStart.UTC()
		w.WindowEnd = w.WindowEnd.UTC()
		out = append(out, w)
	}
	return out, rows.Err()
}

// utcOrZero maps ClickHouse's zero DateTime (the Unix epoch) back to Go's
// zero time, so an open incident has no closing time.
func utcOrZero(t time.Time) time.Time {
	if t.Unix() <= 0 {
		return time.Time{}
	}
	return t.UTC()
}
