package report

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/vigie/vigie/detector"
)

// Chart colours, chosen to stay readable when the page is printed in grey.
var (
	colObserved  = color.RGBA{R: 0x1f, G: 0x5f, B: 0xbf, A: 0xff}
	colExpected  = color.RGBA{R: 0x55, G: 0x55, B: 0x55, A: 0xff}
	colThreshold = color.RGBA{R: 0xc0, G: 0x20, B: 0x20, A: 0xff}
	colBand      = color.RGBA{R: 0xd8, G: 0xee, B: 0xd8, A: 0xff}
	colMedian    = color.RGBA{R: 0x2a, G: 0x8a, B: 0x2a, A: 0xff}
	colP90       = color.RGBA{R: 0xe0, G: 0x80, B: 0x10, A: 0xff}
	colSpan      = color.RGBA{R: 0xfb, G: 0xe3, B: 0xd0, A: 0xff}
	colSeverity  = map[string]color.Color{
		detector.SeverityLow:      color.RGBA{R: 0x60, G: 0x90, B: 0xd0, A: 0xff},
		detector.SeverityMedium:   color.RGBA{R: 0xe0, G: 0xb0, B: 0x10, A: 0xff},
		detector.SeverityHigh:     color.RGBA{R: 0xe0, G: 0x60, B: 0x10, A: 0xff},
		detector.SeverityCritical: color.RGBA{R: 0xb0, G: 0x00, B: 0x20, A: 0xff},
	}
)

// severityLevel places severities on the timeline's vertical axis.
var severityLevel = map[string]float64{
	detector.SeverityLow: 1, detector.SeverityMedium: 2,
	detector.SeverityHigh: 3, detector.SeverityCritical: 4,
}

const (
	chartWidth  = 18 * vg.Centimeter
	chartHeight = 8 * vg.Centimeter
)

func unix(t time.Time) float64 { return float64(t.Unix()) }

func newTimePlot(title, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Y.Label.Text = ylabel
	p.X.Label.Text = "time (UTC)"
	p.X.Tick.Marker = plot.TimeTicks{Ticker: hourTicks{}, Format: "Jan 02\n15:04"}
	p.Add(plotter.NewGrid())
	p.Legend.Top = true
	p.Legend.Left = true
	return p
}

// spanReport shows the report's whole period, so the three charts align.
func spanReport(p *plot.Plot, r *Report) {
	p.X.Min, p.X.Max = unix(r.From), unix(r.To)
}

// hourTicks puts about six major ticks on whole hours (1, 3, 6, 12 or 24
// hours apart, or whole days), so the labels read as times an analyst would
// quote, with unlabelled minor ticks between.
type hourTicks struct{}

// Ticks implements plot.Ticker.
func (hourTicks) Ticks(min, max float64) []plot.Tick {
	step := 3600.0
	for _, h := range []float64{1, 3, 6, 12, 24, 48, 96, 168} {
		step = h * 3600
		if (max-min)/step <= 7 {
			break
		}
	}
	minor := step / 2
	var ticks []plot.Tick
	for v := math.Ceil(min/minor) * minor; v <= max; v += minor {
		t := plot.Tick{Value: v}
		if math.Mod(v, step) == 0 {
			t.Label = "x" // replaced by TimeTicks with the formatted time
		}
		ticks = append(ticks, t)
	}
	return ticks
}

func line(xys plotter.XYs, c color.Color, dashed bool) (*plotter.Line, error) {
	l, err := plotter.NewLine(xys)
	if err != nil {
		return nil, err
	}
	l.Color = c
	l.Width = vg.Points(1.5)
	if dashed {
		l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	}
	return l, nil
}

// volumeChart draws the entity's records per window against the expected
// value, the alert threshold and the band between them, with a marker on
// every window that fired an alert.
func volumeChart(r *Report) ([]byte, error) {
	if len(r.Windows) == 0 {
		return nil, nil
	}
	p := newTimePlot(fmt.Sprintf("Records per %s: %s", r.Resolution, r.Entity), "records")
	step := resolutionStep(r.Resolution)
	// The band and baseline lines break where no window exists; the
	// observed line drops to zero there, since no window means no events.
	for i, seg := range segments(r.Windows, step) {
		expected := make(plotter.XYs, len(seg))
		threshold := make(plotter.XYs, len(seg))
		for j, w := range seg {
			x := unix(w.WindowStart)
			expected[j] = plotter.XY{X: x, Y: w.Expected}
			threshold[j] = plotter.XY{X: x, Y: w.Threshold}
		}
		band := make(plotter.XYs, 0, 2*len(seg))
		band = append(band, expected...)
		for k := len(threshold) - 1; k >= 0; k-- {
			band = append(band, threshold[k])
		}
		poly, err := plotter.NewPolygon(band)
		if err != nil {
			return nil, fmt.Errorf("drawing expected band: %w", err)
		}
		poly.Color = colBand
		poly.LineStyle.Width = 0
		p.Add(poly)
		exp, err := line(expected, colExpected, false)
		if err != nil {
			return nil, fmt.Errorf("drawing expected line: %w", err)
		}
		thr, err := line(threshold, colThreshold, true)
		if err != nil {
			return nil, fmt.Errorf("drawing threshold line: %w", err)
		}
		p.Add(exp, thr)
		if i == 0 {
			p.Legend.Add("expected to threshold", poly)
			p.Legend.Add("expected", exp)
			p.Legend.Add("threshold", thr)
		}
	}
	obs, err := line(zeroFilled(r.Windows, step), colObserved, false)
	if err != nil {
		return nil, fmt.Errorf("drawing observed line: %w", err)
	}
	p.Add(obs)
	p.Legend.Add("observed", obs)
	var marks plotter.XYs
	for _, a := range r.Alerts {
		if a.Resolution == r.Resolution {
			marks = append(marks, plotter.XY{X: unix(a.WindowStart), Y: a.Observed})
		}
	}
	if len(marks) > 0 {
		sc, err := plotter.NewScatter(marks)
		if err != nil {
			return nil, fmt.Errorf("drawing alert markers: %w", err)
		}
		sc.Shape = draw.TriangleGlyph{}
		sc.Radius = vg.Points(5)
		sc.Color = colThreshold
		p.Add(sc)
		p.Legend.Add("alert", sc)
	}
	p.Y.Min = 0
	spanReport(p, r)
	return encode(p)
}

// peerChart draws the entity against the median and 90th percentile of the
// other accounts of its organisation.
func peerChart(r *Report) ([]byte, error) {
	if len(r.Windows) == 0 || len(r.Peers) == 0 {
		return nil, nil
	}
	p := newTimePlot(fmt.Sprintf("%s against %d peers in %s", r.Entity, r.PeerCount, r.Org), "records")
	entity := zeroFilled(r.Windows, resolutionStep(r.Resolution))
	median := make(plotter.XYs, len(r.Peers))
	p90 := make(plotter.XYs, len(r.Peers))
	for i, pt := range r.Peers {
		median[i] = plotter.XY{X: unix(pt.Start), Y: pt.Median}
		p90[i] = plotter.XY{X: unix(pt.Start), Y: pt.P90}
	}
	for _, s := range []struct {
		name   string
		xys    plotter.XYs
		c      color.Color
		dashed bool
	}{
		{"peers p90", p90, colP90, true},
		{"peers median", median, colMedian, false},
		{r.Entity, entity, colObserved, false},
	} {
		l, err := line(s.xys, s.c, s.dashed)
		if err != nil {
			return nil, fmt.Errorf("drawing %s line: %w", s.name, err)
		}
		p.Add(l)
		p.Legend.Add(s.name, l)
	}
	p.Y.Min = 0
	spanReport(p, r)
	return encode(p)
}

// timelineChart places every alert at its firing time and severity, over
// the span of each incident.
func timelineChart(r *Report) ([]byte, error) {
	if len(r.Alerts) == 0 && len(r.Incidents) == 0 {
		return nil, nil
	}
	p := newTimePlot("Incident timeline: "+r.Entity, "severity")
	p.Y.Min, p.Y.Max = 0.5, 4.5
	p.Y.Tick.Marker = plot.ConstantTicks{
		{Value: 1, Label: "low"}, {Value: 2, Label: "medium"},
		{Value: 3, Label: "high"}, {Value: 4, Label: "critical"},
	}
	spanReport(p, r)
	for _, in := range r.Incidents {
		end := in.UpdatedAt
		if in.Status == "closed" && in.ClosedAt.After(end) {
			end = in.ClosedAt
		}
		if !end.After(in.OpenedAt) {
			end = in.OpenedAt.Add(time.Hour)
		}
		x0, x1 := unix(in.OpenedAt), unix(end)
		span, err := plotter.NewPolygon(plotter.XYs{{X: x0, Y: 0.5}, {X: x1, Y: 0.5}, {X: x1, Y: 4.5}, {X: x0, Y: 4.5}})
		if err != nil {
			return nil, fmt.Errorf("drawing incident span: %w", err)
		}
		span.Color = colSpan
		span.LineStyle.Width = 0
		p.Add(span)
	}
	bySeverity := map[string]plotter.XYs{}
	labels := plotter.XYLabels{}
	for _, a := range r.Alerts {
		y, ok := severityLevel[a.Severity]
		if !ok {
			continue
		}
		xy := plotter.XY{X: unix(a.FiredAt), Y: y}
		bySeverity[a.Severity] = append(bySeverity[a.Severity], xy)
		labels.XYs = append(labels.XYs, plotter.XY{X: xy.X, Y: y + 0.15})
		labels.Labels = append(labels.Labels, a.Detector)
	}
	for _, sev := range []string{detector.SeverityLow, detector.SeverityMedium, detector.SeverityHigh, detector.SeverityCritical} {
		xys := bySeverity[sev]
		if len(xys) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, fmt.Errorf("drawing %s alerts: %w", sev, err)
		}
		sc.Shape = draw.CircleGlyph{}
		sc.Radius = vg.Points(5)
		sc.Color = colSeverity[sev]
		p.Add(sc)
		p.Legend.Add(sev, sc)
	}
	if len(labels.XYs) > 0 {
		l, err := plotter.NewLabels(labels)
		if err != nil {
			return nil, fmt.Errorf("drawing alert labels: %w", err)
		}
		p.Add(l)
	}
	return encode(p)
}

// resolutionStep is the length of a window of resolution res, in seconds.
func resolutionStep(res string) float64 {
	switch res {
	case "day":
		return 86400
	case "week":
		return 7 * 86400
	}
	return 3600
}

// segments splits windows (sorted by start) into runs without a missing
// window.
func segments(ws []detector.Window, step float64) [][]detector.Window {
	var out [][]detector.Window
	start := 0
	for i := 1; i <= len(ws); i++ {
		if i == len(ws) || unix(ws[i].WindowStart)-unix(ws[i-1].WindowStart) > step {
			out = append(out, ws[start:i])
			start = i
		}
	}
	return out
}

// zeroFilled returns the observed records of windows (sorted by start), with
// a zero at every missing window between the first and the last.
func zeroFilled(ws []detector.Window, step float64) plotter.XYs {
	var out plotter.XYs
	for i, w := range ws {
		x := unix(w.WindowStart)
		if i > 0 {
			for gap := unix(ws[i-1].WindowStart) + step; gap < x; gap += step {
				out = append(out, plotter.XY{X: gap, Y: 0})
			}
		}
		out = append(out, plotter.XY{X: x, Y: w.Observed})
	}
	return out
}

func encode(p *plot.Plot) ([]byte, error) {
	wt, err := p.WriterTo(chartWidth, chartHeight, "png")
	if err != nil {
		return nil, fmt.Errorf("rendering chart: %w", err)
	}
	var buf bytes.Buffer
	if _, err := wt.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("encoding chart: %w", err)
	}
	return buf.Bytes(), nil
}
