package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigie/vigie/sink"
	"github.com/vigie/vigie/sink/report"
)

func init() { subcommands = append(subcommands, newReportCmd) }

// reportConfig holds the flags of `vigie report`.
type reportConfig struct {
	Incident     string
	Entity       string
	EntityType   string
	From, To     string
	Resolution   string
	Out          string
	ClickHouse   string
	Database     string
	AlertsFile   string
	WindowsFile  string
	IncidentFile string
}

// Validate checks the flags that Build cannot: where the data comes from.
func (c *reportConfig) Validate() error {
	files := c.AlertsFile != "" || c.WindowsFile != "" || c.IncidentFile != ""
	switch {
	case c.ClickHouse != "" && files:
		return errors.New("clickhouse and alerts/windows/incidents: read from one source, not both")
	case c.ClickHouse == "" && !files:
		return errors.New("clickhouse or alerts/windows/incidents: a source is required")
	case c.Out == "":
		return errors.New("out: required (use - for standard output)")
	}
	return nil
}

// request turns the flags into a report.Request.
func (c *reportConfig) request() (report.Request, error) {
	req := report.Request{IncidentID: c.Incident, Entity: c.Entity, EntityType: c.EntityType, Resolution: c.Resolution}
	for _, f := range []struct {
		name, v string
		dst     *time.Time
	}{{"from", c.From, &req.From}, {"to", c.To, &req.To}} {
		if f.v == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, f.v)
		if err != nil {
			return req, fmt.Errorf("%s: want an RFC 3339 time such as 2024-03-06T00:00:00Z: %w", f.name, err)
		}
		*f.dst = t.UTC()
	}
	return req, req.Validate()
}

func newReportCmd() *cobra.Command {
	var c reportConfig
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write a self-contained HTML report on an incident or an entity",
		Long: `report writes one HTML file, with its charts embedded, that an analyst can
attach to a ticket: the facts of an incident (or of an entity over a period),
every alert with its explanation, the entity's volume against its baseline,
against its peers in the same organisation, and the incident timeline.

It reads what the ClickHouse sink wrote (--clickhouse) or the JSON lines
files a replay wrote (--alerts, --windows, --incidents).`,
		Example: `  vigie report --incident inc-7d1c0e5a --clickhouse clickhouse://localhost:9000 --out inc.html
  vigie report --entity svc.capemploi.03 --from 2024-03-05T00:00:00Z --to 2024-03-07T00:00:00Z \
      --alerts out/alerts.jsonl --windows out/windows.jsonl --incidents out/incidents.jsonl --out r.html`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runReport(cmd, &c)
		},
	}
	f := cmd.Flags()
	f.StringVar(&c.Incident, "incident", "", "incident id to report on")
	f.StringVar(&c.Entity, "entity", "", "entity (account or organisation) to report on, with --from and --to")
	f.StringVar(&c.EntityType, "entity-type", "account", "type of --entity: account or org")
	f.StringVar(&c.From, "from", "", "start of the period for --entity (RFC 3339)")
	f.StringVar(&c.To, "to", "", "end of the period for --entity (RFC 3339)")
	f.StringVar(&c.Resolution, "resolution", "", "window resolution charted: hour or day (default: the incident's, else hour)")
	f.StringVar(&c.Out, "out", "report.html", "HTML file to write (- for standard output)")
	f.StringVar(&c.ClickHouse, "clickhouse", "", "ClickHouse DSN to read from (clickhouse://host:9000)")
	f.StringVar(&c.Database, "clickhouse-database", "vigie", "ClickHouse database of the Vigie tables")
	f.StringVar(&c.AlertsFile, "alerts", "", "alerts JSON lines file from a replay")
	f.StringVar(&c.WindowsFile, "windows", "", "windows JSON lines file from a replay")
	f.StringVar(&c.IncidentFile, "incidents", "", "incidents JSON lines file from a replay")
	return cmd
}

func runReport(cmd *cobra.Command, c *reportConfig) error {
	if err := c.Validate(); err != nil {
		return fmt.Errorf("invalid flags: %w", err)
	}
	req, err := c.request()
	if err != nil {
		return fmt.Errorf("invalid flags: %w", err)
	}
	ctx := cmd.Context()
	var src report.Source
	if c.ClickHouse != "" {
		r, err := sink.OpenClickHouseReader(ctx, c.ClickHouse, c.Database)
		if err != nil {
			return err
		}
		defer r.Close()
		src = r
	} else {
		b, err := report.ReadFiles(c.AlertsFile, c.WindowsFile, c.IncidentFile)
		if err != nil {
			return err
		}
		src = report.NewMemory(b)
	}
	r, err := report.Build(ctx, src, req, time.Now())
	if err != nil {
		return err
	}
	var w io.Writer = cmd.OutOrStdout()
	if c.Out != "-" {
		f, err := os.Create(c.Out)
		if err != nil {
			return fmt.Errorf("creating report: %w", err)
		}
		defer f.Close()
		w = f
	}
	if err := r.Render(w); err != nil {
		return err
	}
	if f, ok := w.(*os.File); ok {
		if err := f.Close(); err != nil {
			return fmt.Errorf("writing %s: %w", c.Out, err)
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s\n", c.Out)
	}
	return nil
}
