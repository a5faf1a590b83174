package detector

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/vigie/vigie/ingest"
	"github.com/vigie/vigie/ingest/synth"
)

// TestSynthMonth runs the default synthetic month (1,600 accounts, five
// attack shapes, benign traps) and reports attacks detected and false
// entity-days. Slow: skipped with -short.
func TestSynthMonth(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a month of events")
	}
	var buf bytes.Buffer
	labels, err := synth.Generate(synth.DefaultConfig(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	var evs []ingest.Event
	sc := bufio.NewScanner(&buf)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	first := true
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		if first {
			t.Logf("sample line: %s", sc.Text())
			first = false
		}
		ev := ingest.Event{Records: 1}
		for k, v := range m {
			switch k {
			case "ts", "timestamp", "time", "@timestamp":
				if s, ok := v.(string); ok {
					tt, err := time.Parse(time.RFC3339Nano, s)
					if err == nil {
						ev.TS = tt.UnixMilli()
					}
				} else if f, ok := v.(float64); ok {
					ev.TS = int64(f)
				}
			case "account", "user":
				ev.Account, _ = v.(string)
			case "org":
				ev.Org, _ = v.(string)
			case "role":
				ev.Role, _ = v.(string)
			case "records", "count":
				if f, ok := v.(float64); ok {
					ev.Records = int64(f)
				}
			case "subject":
				ev.Subject, _ = v.(string)
			}
		}
		evs = append(evs, ev)
	}
	cfg := DefaultConfig()
	r := replay(t, cfg, evs, "", 0)
	attacker := map[string]string{}
	for _, a := range labels.Attacks {
		for _, acct := range a.Accounts {
			attacker[acct] = a.Shape
		}
		attacker[a.Org+"#org"] = a.Shape
	}
	detected := map[string]bool{}
	falseDays := map[string]bool{}
	for _, a := range r.out.Alerts {
		key := a.Entity
		if a.EntityType == EntityOrg {
			key += "#org"
		}
		if shape, ok := attacker[key]; ok {
			detected[shape] = true
			continue
		}
		falseDays[key+a.WindowStart.Format("2006-01-02")] = true
		t.Logf("false alert: %s %.1f %s", a.Detector, a.Score, a.Explanation)
	}
	for _, a := range labels.Attacks {
		t.Logf("attack %s (%s, %d records): detected=%v", a.ID, a.Shape, a.Records, detected[a.Shape])
	}
	// Shapes detected today; low_and_slow and org_wide are not yet (see the
	// report) and are only logged.
	for _, shape := range []string{"bulk_extraction", "new_account", "off_hours"} {
		if !detected[shape] {
			t.Errorf("%s not detected", shape)
		}
	}
	t.Logf("%d events, %d alerts, %d false entity-days, threshold %.2f", len(evs), len(r.out.Alerts), len(falseDays), r.stats.Threshold)
}
