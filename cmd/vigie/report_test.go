package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const reportFixture = "../../sink/report/testdata/"

func TestReportCommandFromFiles(t *testing.T) {
	out := filepath.Join(t.TempDir(), "inc.html")
	if _, err := runVigie(t, "report", "--incident", "inc-7d1c0e5a",
		"--alerts", reportFixture+"alerts.jsonl", "--windows", reportFixture+"windows.jsonl",
		"--incidents", reportFixture+"incidents.jsonl", "--out", out); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Vigie incident inc-7d1c0e5a", "svc.capemploi.03", "partner-cap-emploi", "data:image/png;base64,"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report lacks %q", want)
		}
	}

	stdout, err := runVigie(t, "report", "--entity", "adv.lyon.02", "--from", "2024-03-05T00:00:00Z",
		"--to", "2024-03-06T00:00:00Z", "--windows", reportFixture+"windows.jsonl", "--out", "-")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "Vigie report on adv.lyon.02") {
		t.Errorf("entity report to stdout lacks its title; got %d bytes", len(stdout))
	}
}

func TestReportCommandErrors(t *testing.T) {
	windows := "--windows=" + reportFixture + "windows.jsonl"
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no source", []string{"--incident", "x"}, "a source is required"},
		{"two sources", []string{"--incident", "x", "--clickhouse", "clickhouse://127.0.0.1:1", windows}, "not both"},
		{"no subject", []string{windows}, "incident or entity"},
		{"bad time", []string{"--entity", "a", "--from", "yesterday", "--to", "2024-03-06T00:00:00Z", windows}, "RFC 3339"},
		{"unknown incident", []string{"--incident", "inc-missing", windows, "--out", "-"}, "not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runVigie(t, append([]string{"report"}, tc.args...)...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}
