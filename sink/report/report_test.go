package report

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"html"
	"image/color"
	"image/png"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/sink"
)

var now = time.Date(2024, 3, 8, 9, 0, 0, 0, time.UTC)

func render(tb testing.TB, src Source, req Request) (*Report, string) {
	tb.Helper()
	r, err := Build(context.Background(), src, req, now)
	if err != nil {
		tb.Fatalf("Build: %v", err)
	}
	var buf bytes.Buffer
	if err := r.Render(&buf); err != nil {
		tb.Fatalf("Render: %v", err)
	}
	return r, buf.String()
}

// dataURI finds embedded PNGs; html/template writes "+" as "&#43;" in
// attributes, which browsers decode, so the match is unescaped before use.
var dataURI = regexp.MustCompile(`src="data:image/png;base64,([^"]+)"`)

// checkCharts decodes every embedded image and checks it is a real chart:
// more than one colour and not all white.
func checkCharts(tb testing.TB, page string, want int) {
	tb.Helper()
	found := dataURI.FindAllStringSubmatch(page, -1)
	if len(found) != want {
		tb.Fatalf("found %d embedded PNG charts, want %d", len(found), want)
	}
	for i, m := range found {
		raw, err := base64.StdEncoding.DecodeString(html.UnescapeString(m[1]))
		if err != nil {
			tb.Fatalf("chart %d: base64: %v", i, err)
		}
		img, err := png.Decode(bytes.NewReader(raw))
		if err != nil {
			tb.Fatalf("chart %d: not a PNG: %v", i, err)
		}
		colours := map[color.RGBA]int{}
		nonWhite := 0
		bounds := img.Bounds()
		for y := bounds.Min.Y; y < bounds.Max.Y; y += 2 {
			for x := bounds.Min.X; x < bounds.Max.X; x += 2 {
				c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
				colours[c]++
				if c.R < 0xf0 || c.G < 0xf0 || c.B < 0xf0 {
					nonWhite++
				}
			}
		}
		if bounds.Dx() < 200 || bounds.Dy() < 100 {
			tb.Errorf("chart %d is %v, too small to read", i, bounds)
		}
		if len(colours) < 3 {
			tb.Errorf("chart %d has %d colours: blank", i, len(colours))
		}
		if nonWhite < 500 {
			tb.Errorf("chart %d has only %d non-white sampled pixels: blank", i, nonWhite)
		}
	}
}

func TestIncidentReport(t *testing.T) {
	src := NewMemory(fixtureBatch())
	r, html := render(t, src, Request{IncidentID: fixtureIncident})

	if r.Incident == nil || r.Incident.Version != 4 || r.Incident.Status != "closed" {
		t.Fatalf("report incident = %+v, want the closed version 4", r.Incident)
	}
	if len(r.Alerts) != 3 {
		t.Errorf("report has %d alerts, want the incident's 3", len(r.Alerts))
	}
	if r.Resolution != "hour" {
		t.Errorf("resolution = %q, want hour (from the alerts)", r.Resolution)
	}
	if r.PeerCount != 4 {
		t.Errorf("peer count = %d, want the 4 other partner accounts", r.PeerCount)
	}
	for _, want := range []string{
		"Vigie incident " + fixtureIncident,
		fixtureAttacker, fixturePartner,
		"2024-03-06 02:41:00 UTC", // opened
		"2024-03-06 10:00:00 UTC", // closed
		"40500",                   // records during the incident
		"critical", "volume_hour", "escalation",
		"9000 records in the hour from 2024-03-06 04:00", // an alert's explanation
	} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(html, "ZgotmplZ") {
		t.Error("html/template rejected a value (ZgotmplZ in output)")
	}
	checkCharts(t, html, 3)
}

func TestEntityReport(t *testing.T) {
	src := NewMemory(fixtureBatch())
	from := fixtureStart.Add(24 * time.Hour)
	r, html := render(t, src, Request{Entity: fixtureSmallUser, From: from, To: from.Add(24 * time.Hour)})
	if r.Org != fixtureAgency {
		t.Errorf("org = %q, want %q", r.Org, fixtureAgency)
	}
	if len(r.Windows) != 24 {
		t.Errorf("%d hourly windows in one day, want 24", len(r.Windows))
	}
	if len(r.Incidents) != 1 || r.Incidents[0].IncidentID != fixtureSmallInc {
		t.Errorf("incidents = %+v, want only %s", r.Incidents, fixtureSmallInc)
	}
	for _, want := range []string{"Vigie report on " + fixtureSmallUser, fixtureSmallInc, "low", "1 incidents, 1 alerts"} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	checkCharts(t, html, 3)

	// An organisation has no peer group: two charts.
	_, html = render(t, src, Request{EntityType: detector.EntityOrg, Entity: fixturePartner, From: from, To: from.Add(48 * time.Hour)})
	checkCharts(t, html, 2)
}

func TestBuildErrors(t *testing.T) {
	src := NewMemory(fixtureBatch())
	from := fixtureStart
	for _, tc := range []struct {
		name string
		req  Request
		want string
		is   error
	}{
		{"nothing", Request{}, "one is required", nil},
		{"both", Request{IncidentID: "x", Entity: "y", From: from, To: from.Add(time.Hour)}, "not both", nil},
		{"no range", Request{Entity: "y"}, "from, to", nil},
		{"reversed range", Request{Entity: "y", From: from.Add(time.Hour), To: from}, "is not before", nil},
		{"bad type", Request{EntityType: "user", Entity: "y", From: from, To: from.Add(time.Hour)}, "entity type", nil},
		{"unknown incident", Request{IncidentID: "inc-missing"}, "inc-missing", sink.ErrNotFound},
		{"unknown entity", Request{Entity: "nobody", From: from, To: from.Add(time.Hour)}, "nobody", sink.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Build(context.Background(), src, tc.req, now)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Build error = %v, want one containing %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v does not wrap %v", err, tc.is)
			}
		})
	}
}

func TestQuantile(t *testing.T) {
	for _, tc := range []struct {
		vals []float64
		p    float64
		want float64
	}{
		{[]float64{1, 2, 3, 4}, 0.5, 2.5},
		{[]float64{0, 0, 0, 10, 20}, 0.9, 16},
		{[]float64{7}, 0.9, 7},
		{nil, 0.5, 0},
	} {
		if got := quantile(tc.vals, tc.p); got != tc.want {
			t.Errorf("quantile(%v, %v) = %v, want %v", tc.vals, tc.p, got, tc.want)
		}
	}
}

func TestMemoryDeduplicates(t *testing.T) {
	b := fixtureBatch()
	dup := *b
	dup.Alerts = append(append([]detector.Alert{}, b.Alerts...), b.Alerts...)
	m := NewMemory(&dup)
	got, _ := m.IncidentAlerts(context.Background(), fixtureIncident)
	if len(got) != 3 {
		t.Errorf("%d alerts after writing each twice, want 3", len(got))
	}
	in, _ := m.Incident(context.Background(), fixtureIncident)
	if in.Version != 4 {
		t.Errorf("incident version %d, want the latest (4)", in.Version)
	}
}
