package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/detector/eval"
	"github.com/vigie/vigie/ingest"
	"github.com/vigie/vigie/ingest/synth"
)

// TestGenThenEval generates a small compressed scenario, alerts on two of
// its attacks and checks that vigie eval reads everything back: the
// compressed events, the labels and the alerts.
func TestGenThenEval(t *testing.T) {
	dir := t.TempDir()
	events := filepath.Join(dir, "month.jsonl.zst")
	labelsPath := filepath.Join(dir, "labels.json")
	if _, err := runVigie(t, "gen", "--accounts", "200", "--orgs", "12", "--bulk-records", "20000",
		"--seed", "7", "--out", events, "--labels", labelsPath); err != nil {
		t.Fatal(err)
	}
	labels, err := synth.LoadLabels(labelsPath)
	if err != nil {
		t.Fatal(err)
	}
	if labels.Seed != 7 || labels.AccountCount != 200 || len(labels.Attacks) != len(synth.Shapes) {
		t.Fatalf("labels = seed %d, %d accounts, %d attacks", labels.Seed, labels.AccountCount, len(labels.Attacks))
	}
	// The events file is really zstd and holds labels.Events lines.
	r, err := ingest.OpenFile(events)
	if err != nil {
		t.Fatal(err)
	}
	s, err := eval.NewEventStream(r, ingest.DefaultFieldMap())
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for range s.All() {
		n++
	}
	r.Close()
	if s.Err() != nil || s.Skipped != 0 || n != labels.Events {
		t.Fatalf("read %d events (%d skipped, err %v), labels say %d", n, s.Skipped, s.Err(), labels.Events)
	}

	var lines []string
	for _, a := range labels.Attacks[:2] {
		al := detector.Alert{AlertID: a.ID, EntityType: detector.EntityAccount, Entity: a.Accounts[0],
			FiredAt: a.Start.Add(30 * time.Minute), Detector: "volume_hour"}
		b, _ := json.Marshal(al)
		lines = append(lines, string(b))
	}
	alerts := filepath.Join(dir, "alerts.jsonl")
	if err := os.WriteFile(alerts, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	out, err := runVigie(t, "eval", "--labels", labelsPath, "--alerts", alerts, "--events", events)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "2/5 attacks detected, median delay 30m") || !strings.Contains(out, "MISSED") {
		t.Errorf("text output:\n%s", out)
	}
	out, err = runVigie(t, "eval", "--labels", labelsPath, "--alerts", alerts, "--events", events, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var res eval.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("--json output does not decode: %v\n%s", err, out)
	}
	if res.Detected != 2 || res.AccountDaysSource != "events" || res.AccountDays != 200*30 || res.Attacks[0].RecordsBeforeAlert <= 0 {
		t.Errorf("JSON result: detected %d, account-days %d from %s, first attack took %d",
			res.Detected, res.AccountDays, res.AccountDaysSource, res.Attacks[0].RecordsBeforeAlert)
	}
}

func TestGenEvalFlagErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"gen", "--days", "3"}, "days:"},
		{[]string{"gen", "--out", ""}, "out: required"},
		{[]string{"eval", "--alerts", "a.jsonl"}, "labels: required"},
		{[]string{"eval", "--labels", "l.json"}, "alerts: required"},
		{[]string{"eval", "--labels", "l.json", "--alerts", "a", "--grace", "-1h"}, "grace:"},
		{[]string{"eval", "--labels", filepath.Join(t.TempDir(), "missing.json"), "--alerts", "a"}, "reading labels"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, err := runVigie(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}
