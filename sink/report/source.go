package report

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/sink"
)

// Source is where a report reads the detector's outputs from. Two exist:
// *sink.ClickHouseReader (what the ClickHouse sink wrote) and *Memory
// (replay outputs in JSON lines files, or any Batch). Errors for a missing
// incident wrap sink.ErrNotFound.
type Source interface {
	Incident(ctx context.Context, id string) (detector.Incident, error)
	IncidentAlerts(ctx context.Context, id string) ([]detector.Alert, error)
	EntityIncidents(ctx context.Context, entityType, entity string, from, to time.Time) ([]detector.Incident, error)
	EntityAlerts(ctx context.Context, entityType, entity string, from, to time.Time) ([]detector.Alert, error)
	EntityWindows(ctx context.Context, entityType, entity, resolution string, from, to time.Time) ([]detector.Window, error)
	PeerWindows(ctx context.Context, org, exclude, resolution string, from, to time.Time) ([]detector.Window, error)
	EntityOrg(ctx context.Context, entityType, entity string) (string, error)
}

var _ Source = (*sink.ClickHouseReader)(nil)

// ReadFiles reads replay outputs: JSON lines files of detector.Alert,
// detector.Window and detector.Incident values, one per line. An empty path
// is skipped, so a report can be made from the files at hand.
func ReadFiles(alerts, windows, incidents string) (*sink.Batch, error) {
	var b sink.Batch
	if err := readLines(alerts, &b.Alerts); err != nil {
		return nil, err
	}
	if err := readLines(windows, &b.Windows); err != nil {
		return nil, err
	}
	if err := readLines(incidents, &b.Incidents); err != nil {
		return nil, err
	}
	return &b, nil
}

func readLines[T any](path string, out *[]T) error {
	if path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("opening %s: %w", path, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if len(line) == 0 {
			continue
		}
		var v T
		if err := json.Unmarshal(line, &v); err != nil {
			return fmt.Errorf("decoding line %d of %s: %w", n, path, err)
		}
		*out = append(*out, v)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	return nil
}

// Memory answers the Source queries from a Batch held in memory, with the
// same semantics as the ClickHouse reader: the highest version of each
// incident, one alert per alert_id and one window per window key.
type Memory struct {
	incidents map[string]detector.Incident
	alerts    []detector.Alert
	windows   []detector.Window
}

// NewMemory indexes b. It copies what it keeps: b may be reused afterwards.
func NewMemory(b *sink.Batch) *Memory {
	m := &Memory{incidents: map[string]detector.Incident{}}
	for _, in := range b.Incidents {
		if old, ok := m.incidents[in.IncidentID]; !ok || in.Version >= old.Version {
			m.incidents[in.IncidentID] = in
		}
	}
	seen := map[string]bool{}
	for _, a := range b.Alerts {
		if !seen[a.AlertID] {
			seen[a.AlertID] = true
			m.alerts = append(m.alerts, a)
		}
	}
	sort.SliceStable(m.alerts, func(i, j int) bool {
		if !m.alerts[i].FiredAt.Equal(m.alerts[j].FiredAt) {
			return m.alerts[i].FiredAt.Before(m.alerts[j].FiredAt)
		}
		return m.alerts[i].AlertID < m.alerts[j].AlertID
	})
	type key struct {
		typ, entity, res string
		start            int64
	}
	last := map[key]int{}
	for _, w := range b.Windows {
		k := key{w.EntityType, w.Entity, w.Resolution, w.WindowStart.Unix()}
		if i, ok := last[k]; ok {
			m.windows[i] = w // a later write of the same key replaces it
			continue
		}
		last[k] = len(m.windows)
		m.windows = append(m.windows, w)
	}
	sort.SliceStable(m.windows, func(i, j int) bool {
		a, b := m.windows[i], m.windows[j]
		if a.Entity != b.Entity {
			return a.Entity < b.Entity
		}
		return a.WindowStart.Before(b.WindowStart)
	})
	return m
}

// Incident implements Source.
func (m *Memory) Incident(_ context.Context, id string) (detector.Incident, error) {
	in, ok := m.incidents[id]
	if !ok {
		return detector.Incident{}, fmt.Errorf("incident %s: %w", id, sink.ErrNotFound)
	}
	return in, nil
}

// IncidentAlerts implements Source.
func (m *Memory) IncidentAlerts(_ context.Context, id string) ([]detector.Alert, error) {
	var out []detector.Alert
	for _, a := range m.alerts {
		if a.IncidentID == id {
			out = append(out, a)
		}
	}
	return out, nil
}

// EntityIncidents implements Source.
func (m *Memory) EntityIncidents(_ context.Context, entityType, entity string, from, to time.Time) ([]detector.Incident, error) {
	var out []detector.Incident
	for _, in := range m.incidents {
		if in.EntityType != entityType || in.Entity != entity || !in.OpenedAt.Before(to) {
			continue
		}
		if in.Status == "closed" && in.ClosedAt.Before(from) {
			continue
		}
		out = append(out, in)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].OpenedAt.Equal(out[j].OpenedAt) {
			return out[i].OpenedAt.Before(out[j].OpenedAt)
		}
		return out[i].IncidentID < out[j].IncidentID
	})
	return out, nil
}

// EntityAlerts implements Source.
func (m *Memory) EntityAlerts(_ context.Context, entityType, entity string, from, to time.Time) ([]detector.Alert, error) {
	var out []detector.Alert
	for _, a := range m.alerts {
		if a.EntityType == entityType && a.Entity == entity && !a.FiredAt.Before(from) && a.FiredAt.Before(to) {
			out = append(out, a)
		}
	}
	return out, nil
}

// EntityWindows implements Source.
func (m *Memory) EntityWindows(_ context.Context, entityType, entity, resolution string, from, to time.Time) ([]detector.Window, error) {
	var out []detector.Window
	for _, w := range m.windows {
		if w.EntityType == entityType && w.Entity == entity && w.Resolution == resolution &&
			!w.WindowStart.Before(from) && w.WindowStart.Before(to) {
			out = append(out, w)
		}
	}
	return out, nil
}

// PeerWindows implements Source.
func (m *Memory) PeerWindows(_ context.Context, org, exclude, resolution string, from, to time.Time) ([]detector.Window, error) {
	var out []detector.Window
	for _, w := range m.windows {
		if w.EntityType == detector.EntityAccount && w.Org == org && w.Entity != exclude &&
			w.Resolution == resolution && !w.WindowStart.Before(from) && w.WindowStart.Before(to) {
			out = append(out, w)
		}
	}
	return out, nil
}

// EntityOrg implements Source.
func (m *Memory) EntityOrg(_ context.Context, entityType, entity string) (string, error) {
	org, found := "", false
	var latest time.Time
	for _, w := range m.windows {
		if w.EntityType == entityType && w.Entity == entity && (!found || w.WindowStart.After(latest)) {
			org, latest, found = w.Org, w.WindowStart, true
		}
	}
	if !found {
		return "", fmt.Errorf("%s %s: %w", entityType, entity, sink.ErrNotFound)
	}
	return org, nil
}
