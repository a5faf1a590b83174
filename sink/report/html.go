package report

import (
	"encoding/base64"
	"fmt"
	"html/template"
	"strconv"
	"time"

	"github.com/vigie/vigie/detector"
)

// page is the view model of the template: values already formatted, so the
// template stays free of logic.
type page struct {
	Title, Subject string
	Facts          []fact
	Incidents      []detector.Incident
	Alerts         []detector.Alert
	Charts         []chart
	Generated      string
}

type fact struct{ Name, Value string }

type chart struct {
	Title, Caption string
	// Src is a data: URI; template.URL marks it as safe for html/template,
	// which would otherwise replace it with "#ZgotmplZ".
	Src template.URL
}

func (r *Report) page() (*page, error) {
	pg := &page{
		Incidents: r.Incidents,
		Alerts:    r.Alerts,
		Generated: r.Generated.Format(time.RFC3339),
	}
	pg.Facts = []fact{
		{"Entity", r.Entity + " (" + r.EntityType + ")"},
		{"Organisation", r.Org},
		{"Period shown", formatTime(r.From) + " to " + formatTime(r.To)},
	}
	if in := r.Incident; in != nil {
		pg.Title = "Vigie incident " + in.IncidentID
		pg.Subject = fmt.Sprintf("%s incident on %s %s", in.Severity, in.EntityType, in.Entity)
		closed := "still open"
		if in.Status == "closed" {
			closed = formatTime(in.ClosedAt)
		}
		pg.Facts = append(pg.Facts,
			fact{"Incident", in.IncidentID},
			fact{"Status", in.Status},
			fact{"Severity", in.Severity},
			fact{"Role", in.Role},
			fact{"Opened by", in.Detector},
			fact{"Opened", formatTime(in.OpenedAt)},
			fact{"Last updated", formatTime(in.UpdatedAt)},
			fact{"Closed", closed},
			fact{"Records accessed", formatNumber(in.Records)},
			fact{"Records expected", formatNumber(in.Expected)},
			fact{"Records over expected", formatRatio(in.Records, in.Expected)},
			fact{"Peak window", formatTime(in.PeakWindowStart)},
			fact{"Peak ratio", strconv.FormatFloat(in.PeakRatio, 'f', 1, 64) + "×"},
			fact{"Peak score", formatScore(in.PeakScore)},
			fact{"Alerts", strconv.Itoa(in.Alerts)},
			fact{"Explanation", in.Explanation},
		)
	} else {
		pg.Title = "Vigie report on " + r.Entity
		pg.Subject = fmt.Sprintf("%s %s, %d incidents, %d alerts", r.EntityType, r.Entity, len(r.Incidents), len(r.Alerts))
		var records, expected float64
		for _, w := range r.Windows {
			records += w.Observed
			expected += w.Expected
		}
		pg.Facts = append(pg.Facts,
			fact{"Records accessed", formatNumber(records)},
			fact{"Records expected", formatNumber(expected)},
			fact{"Records over expected", formatRatio(records, expected)},
			fact{"Incidents", strconv.Itoa(len(r.Incidents))},
			fact{"Alerts", strconv.Itoa(len(r.Alerts))},
		)
	}
	for _, c := range []struct {
		title, caption string
		draw           func(*Report) ([]byte, error)
	}{
		{"Volume against baseline", "Records per " + r.Resolution + " window (blue) against the expected value (grey), the alert threshold (red, dashed) and the band between them; triangles mark windows that fired an alert.", volumeChart},
		{"Peer group", "The entity against the median and 90th percentile of the other accounts of its organisation (accounts with no activity in a window count as zero).", peerChart},
		{"Timeline", "Alerts by firing time and severity, labelled with the detector that fired; shaded spans are incidents.", timelineChart},
	} {
		png, err := c.draw(r)
		if err != nil {
			return nil, err
		}
		if png == nil {
			continue
		}
		pg.Charts = append(pg.Charts, chart{
			Title:   c.title,
			Caption: c.caption,
			Src:     template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)),
		})
	}
	return pg, nil
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

func formatNumber(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) }

func formatScore(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func formatRatio(observed, expected float64) string {
	if expected <= 0 {
		return "n/a (nothing expected)"
	}
	return strconv.FormatFloat(observed/expected, 'f', 1, 64) + "×"
}

var pageTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"time":  formatTime,
	"num":   formatNumber,
	"score": formatScore,
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 1.6em; }
.subject { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { text-align: left; padding: 0.3em 0.5em; border-bottom: 1px solid #eee; vertical-align: top; }
table.facts th { width: 14em; color: #555; font-weight: normal; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.sev-low { color: #3060a0; } .sev-medium { color: #a07800; } .sev-high { color: #c04000; } .sev-critical { color: #b00020; font-weight: bold; }
figure { margin: 1em 0; } figure img { max-width: 100%; border: 1px solid #ddd; }
figcaption { font-size: 0.85em; color: #555; }
footer { margin-top: 2em; font-size: 0.8em; color: #777; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="subject">{{.Subject}}</p>
<h2>Facts</h2>
<table class="facts">
{{range .Facts}}<tr><th>{{.Name}}</th><td>{{.Value}}</td></tr>
{{end}}</table>
{{range .Charts}}<h2>{{.Title}}</h2>
<figure><img alt="{{.Title}}" src="{{.Src}}"><figcaption>{{.Caption}}</figcaption></figure>
{{end}}
<h2>Alerts</h2>
{{if .Alerts}}<table>
<tr><th>Fired</th><th>Kind</th><th>Detector</th><th>Window</th><th>Observed</th><th>Expected</th><th>Threshold</th><th>Score</th><th>Severity</th><th>Explanation</th></tr>
{{range .Alerts}}<tr><td>{{time .FiredAt}}</td><td>{{.Kind}}</td><td>{{.Detector}}</td><td>{{.Resolution}} from {{time .WindowStart}}</td><td class="num">{{num .Observed}}</td><td class="num">{{num .Expected}}</td><td class="num">{{num .Threshold}}</td><td class="num">{{score .Score}}</td><td class="sev-{{.Severity}}">{{.Severity}}</td><td>{{.Explanation}}</td></tr>
{{end}}</table>{{else}}<p>No alerts.</p>{{end}}
<h2>Incidents in the period</h2>
{{if .Incidents}}<table>
<tr><th>Incident</th><th>Status</th><th>Opened</th><th>Closed</th><th>Records</th><th>Expected</th><th>Severity</th></tr>
{{range .Incidents}}<tr><td>{{.IncidentID}}</td><td>{{.Status}}</td><td>{{time .OpenedAt}}</td><td>{{time .ClosedAt}}</td><td class="num">{{num .Records}}</td><td class="num">{{num .Expected}}</td><td class="sev-{{.Severity}}">{{.Severity}}</td></tr>
{{end}}</table>{{else}}<p>No incidents.</p>{{end}}
<footer>Generated by Vigie on {{.Generated}}. Scores are −log10 of the tail probability under the entity's baseline: 9 means one chance in a billion.</footer>
</body>
</html>
`))
