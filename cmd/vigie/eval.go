package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/detector/eval"
	"github.com/vigie/vigie/ingest"
	"github.com/vigie/vigie/ingest/synth"
)

func init() { subcommands = append(subcommands, newEvalCmd) }

// evalFlags holds the flags of `vigie eval`.
type evalFlags struct {
	eval.Config
	Labels string
	Alerts string
	Events string
	// LinePattern and InputEncoding read a text log's events
	// (ingest.FieldMap).
	LinePattern, InputEncoding string
	JSON                       bool
}

// Validate checks the inputs, then the tolerances.
func (f *evalFlags) Validate() error {
	var errs []error
	if f.Labels == "" {
		errs = append(errs, errors.New("labels: required (the file written by vigie gen --labels)"))
	}
	if f.Alerts == "" {
		errs = append(errs, errors.New("alerts: required (JSON lines of alerts; - for standard input)"))
	}
	if f.Alerts == "-" && f.Events == "-" {
		errs = append(errs, errors.New("events: cannot share standard input with --alerts -"))
	}
	errs = append(errs, f.Config.Validate())
	return errors.Join(errs...)
}

func newEvalCmd() *cobra.Command {
	f := &evalFlags{Config: eval.DefaultConfig()}
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Score alerts against the labels of a generated scenario",
		Long: `Eval reports, for each labelled attack, whether an alert on one of its
accounts (or an org alert on its organisation) fired between its start and
its end plus --grace, the delay of the first one and, given --events, the
records its accounts took before it. Other alerts are false alarms, counted
as distinct (entity, day) pairs per 1,000 account-days and attributed to the
benign traps they fall on.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.Validate(); err != nil {
				return err
			}
			return runEval(f, cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f.RegisterFlags(cmd.Flags())
	cmd.Flags().StringVar(&f.Labels, "labels", "", "labels file written by vigie gen")
	cmd.Flags().StringVar(&f.Alerts, "alerts", "", "alerts as JSON lines (.gz/.zst accepted; - for standard input)")
	cmd.Flags().StringVar(&f.Events, "events", "", "the scenario's events, to count records taken before detection and account-days")
	cmd.Flags().StringVar(&f.LinePattern, "line-pattern", "", "the --line-pattern the events were replayed with (a text log)")
	cmd.Flags().StringVar(&f.InputEncoding, "input-encoding", "", "the --input-encoding the events were replayed with")
	cmd.Flags().BoolVar(&f.JSON, "json", false, "write the result as JSON instead of text")
	return cmd
}

func runEval(f *evalFlags, stdin io.Reader, stdout, stderr io.Writer) error {
	labels, err := synth.LoadLabels(f.Labels)
	if err != nil {
		return err
	}
	alerts, err := evalReadAlerts(f.Alerts, stdin)
	if err != nil {
		return err
	}
	var res eval.Result
	if f.Events == "" {
		res = eval.Evaluate(f.Config, labels, alerts, nil)
	} else {
		// Times without offset are read in the labels' zone, as replay
		// reads them in its --time-zone. A file is read as replay reads
		// it (fields named another way inferred; JSON lines or arrays,
		// CSV, compressed or not), standard input as JSON lines,
		// compressed or not.
		m := ingest.DefaultFieldMap()
		m.Local = detector.Zone(labels.TimeZone)
		m.LinePattern, m.InputEncoding = f.LinePattern, f.InputEncoding
		var s *eval.EventStream
		var fr *ingest.FileReader
		if f.Events == "-" {
			if s, err = eval.NewEventStream(stdin, m); err != nil {
				return fmt.Errorf("events: %w", err)
			}
		} else {
			if err := inferFields(stderr, &m, ingest.FormatAuto, []string{f.Events}); err != nil {
				return fmt.Errorf("events: %w", err)
			}
			if fr, err = ingest.NewFileReader([]string{f.Events}, m, ingest.DefaultFileConfig()); err != nil {
				return fmt.Errorf("events: %w", err)
			}
			s = eval.NewFileEventStream(fr)
		}
		res = eval.Evaluate(f.Config, labels, alerts, s.All())
		if fr != nil {
			fr.Close()
		}
		if err := s.Err(); err != nil {
			return fmt.Errorf("%s: %w", f.Events, err)
		}
		if s.Skipped > 0 {
			fmt.Fprintf(stderr, "vigie eval: %d event lines of %s did not decode and were skipped\n", s.Skipped, f.Events)
		}
	}
	if f.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(&res); err != nil {
			return fmt.Errorf("writing result: %w", err)
		}
		return nil
	}
	return res.WriteText(stdout)
}

func evalReadAlerts(path string, stdin io.Reader) ([]detector.Alert, error) {
	var r io.ReadCloser = io.NopCloser(stdin)
	if path != "-" {
		var err error
		if r, err = ingest.OpenFile(path); err != nil {
			return nil, fmt.Errorf("opening alerts: %w", err)
		}
	}
	defer r.Close()
	alerts, err := eval.ReadAlerts(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return alerts, nil
}
