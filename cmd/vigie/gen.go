package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/spf13/cobra"

	"github.com/vigie/vigie/ingest/synth"
)

func init() { subcommands = append(subcommands, newGenCmd) }

// genFlags holds the flags of `vigie gen`.
type genFlags struct {
	synth.Config
	Out    string
	Labels string
}

// Validate checks the output flags, then the scenario.
func (f *genFlags) Validate() error {
	var errs []error
	if f.Out == "" {
		errs = append(errs, errors.New("out: required (use - for standard output)"))
	}
	if f.Labels == "-" && f.Out == "-" {
		errs = append(errs, errors.New("labels: cannot share standard output with --out -"))
	}
	errs = append(errs, f.Config.Validate())
	return errors.Join(errs...)
}

func newGenCmd() *cobra.Command {
	f := &genFlags{Config: synth.DefaultConfig(), Out: "-"}
	cmd := &cobra.Command{
		Use:   "gen",
		Short: "Generate a labelled month of partner access logs (JSON lines)",
		Long: `Generate writes a deterministic month of access logs of a public employment
service shared with partner organisations, with five labelled attacks
(bulk_extraction, low_and_slow, new_account, org_wide, off_hours) injected
after an 8-day baseline, and labelled benign traps (nightly service exports,
Mondays, holidays, bridge day, month-end, returns from vacation, new
joiners). --out ending in .gz or .zst is compressed. --labels receives the
ground truth that vigie eval scores alerts against.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.Validate(); err != nil {
				return err
			}
			return runGen(f, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f.RegisterFlags(cmd.Flags())
	cmd.Flags().StringVar(&f.Out, "out", f.Out, "events file (.gz and .zst are compressed; - for standard output)")
	cmd.Flags().StringVar(&f.Labels, "labels", "", "file for the labels (JSON); empty for none")
	return cmd
}

func runGen(f *genFlags, stdout, stderr io.Writer) (err error) {
	start := time.Now()
	w, closeOut, err := genCreate(f.Out, stdout)
	if err != nil {
		return err
	}
	counted := &genCounter{w: w}
	labels, err := synth.Generate(f.Config, counted)
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("generating %s: %w", f.Out, err)
	}
	if f.Labels != "" {
		data, err := json.MarshalIndent(labels, "", "  ")
		if err != nil {
			return fmt.Errorf("encoding labels: %w", err)
		}
		data = append(data, '\n')
		if f.Labels == "-" {
			_, err = stdout.Write(data)
		} else {
			err = os.WriteFile(f.Labels, data, 0o644)
		}
		if err != nil {
			return fmt.Errorf("writing labels: %w", err)
		}
	}
	fmt.Fprintf(stderr, "vigie gen: %d events, %d records, %d accounts, %d attacks, %d benign traps; %d bytes of JSON in %.1fs\n",
		labels.Events, labels.Records, labels.AccountCount, len(labels.Attacks), len(labels.Benign),
		counted.n, time.Since(start).Seconds())
	return nil
}

// genCreate opens the events output, compressing by extension. The close
// function flushes the compressor and syncs the file.
func genCreate(path string, stdout io.Writer) (io.Writer, func() error, error) {
	if path == "-" {
		return stdout, func() error { return nil }, nil
	}
	file, err := os.Create(path)
	if err != nil {
		return nil, nil, fmt.Errorf("creating events file: %w", err)
	}
	closeFile := func() error {
		if err := file.Sync(); err != nil {
			file.Close()
			return fmt.Errorf("syncing %s: %w", path, err)
		}
		return file.Close()
	}
	var zw io.WriteCloser
	switch {
	case strings.HasSuffix(path, ".gz"):
		zw, err = gzip.NewWriterLevel(file, gzip.BestSpeed)
	case strings.HasSuffix(path, ".zst"):
		zw, err = zstd.NewWriter(file)
	default:
		return file, closeFile, nil
	}
	if err != nil {
		file.Close()
		return nil, nil, fmt.Errorf("compressing %s: %w", path, err)
	}
	return zw, func() error {
		if err := zw.Close(); err != nil {
			file.Close()
			return fmt.Errorf("compressing %s: %w", path, err)
		}
		return closeFile()
	}, nil
}

// genCounter counts the bytes written through it.
type genCounter struct {
	w io.Writer
	n int64
}

func (c *genCounter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
