package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/ingest"
)

func init() { subcommands = append(subcommands, newReplayCmd) }

// flushEvery is how many input lines replay reads between two sink writes:
// large enough for efficient ClickHouse batches, small enough to bound memory.
const flushEvery = 200_000

type replayFlags struct {
	fields   ingest.FieldMap
	files    ingest.FileConfig
	det      detector.Config
	out      outputFlags
	logs     logFlags
	progress bool
	// decoders is the number of decoding goroutines; 0 means one per CPU
	// (GOMAXPROCS), 1 decodes on the detector's goroutine.
	decoders int
	// sort is auto, always or never (--sort; runReplay).
	sort string
	// infer maps fields the input names its own way (--infer-fields).
	infer bool
}

// sortMax is the most input lines replay sorts in memory (--sort auto):
// about 1 GiB of events.
const sortMax = 5_000_000

// errUnordered stops a replay whose input turned out not to be in time
// order while its writes were held back: it is read again and sorted.
var errUnordered = errors.New("input not in time order")

// lateShare is the share of late events beyond which replay calls its
// input out of time order.
const lateShare = 0.01

func newReplayCmd() *cobra.Command {
	f := &replayFlags{fields: ingest.DefaultFieldMap(), files: ingest.DefaultFileConfig(), det: detector.DefaultConfig()}
	cmd := &cobra.Command{
		Use:   "replay [flags] FILE...",
		Short: "Detect anomalies in access-log files (JSON lines or CSV, plain, .gz, .zst or .bz2; - for stdin)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReplay(cmd.Context(), f, args)
		},
	}
	fs := cmd.Flags()
	f.fields.RegisterFlags(fs)
	f.files.RegisterFlags(fs)
	f.det.RegisterFlags(fs)
	f.out.register(fs, true)
	f.logs.register(fs)
	fs.BoolVar(&f.progress, "progress", term.IsTerminal(int(os.Stderr.Fd())), "show a progress bar on stderr")
	fs.IntVar(&f.decoders, "decoders", 0, "goroutines decoding the input while the detector runs (0: one per CPU; 1: decode and detect on one goroutine); the output is the same")
	fs.BoolVar(&f.infer, "infer-fields", true, "read fields that the input names its own way (@timestamp, user, organisation, nb_records...) when it lacks the --field-* default names; a name set with --field-* is kept")
	fs.StringVar(&f.sort, "sort", "auto", "order of the events: auto (files of up to 5M lines more than 1% of whose events, in the first tenth read, come later than --allowed-lateness, such as one file per organisation after another, are read again and replayed sorted by time, in memory), always (sort whatever the size), never (as read)")
	return cmd
}

func runReplay(ctx context.Context, f *replayFlags, paths []string) error {
	log := f.logs.logger()
	if err := f.det.Validate(); err != nil {
		return err
	}
	switch {
	case f.sort != "" && f.sort != "auto" && f.sort != "always" && f.sort != "never":
		return fmt.Errorf("--sort %q: must be auto, always or never", f.sort)
	case f.sort == "always" && slices.Contains(paths, "-"):
		return errors.New("--sort always: standard input cannot be read twice; sort it before, or use --sort never")
	}
	if f.infer {
		if err := inferFields(os.Stderr, &f.fields, f.files.Format, paths); err != nil {
			return err
		}
	}
	f.fields.SetLocal(f.det.Location())
	reader, err := ingest.NewFileReader(paths, f.fields, f.files)
	if err != nil {
		return err
	}
	defer reader.Close()
	det, err := detector.New(f.det)
	if err != nil {
		return err
	}
	sinks, err := f.out.open(ctx, log)
	if err != nil {
		return err
	}
	p := newPipeline(det, sinks, newMetrics(prometheus.NewRegistry()), log)
	var bar *progressbar.ProgressBar
	if f.progress && reader.TotalBytes() > 0 {
		bar = progressbar.DefaultBytes(reader.TotalBytes(), "replay")
	}
	if f.decoders < 0 {
		return fmt.Errorf("--decoders %d: must be 0 (one per CPU) or more", f.decoders)
	}
	// Standard input cannot be read twice (--sort always refused it).
	p.deferred = f.sort != "never" && !slices.Contains(paths, "-")
	p.holdAll = f.sort == "always"
	decoders := f.decoders
	if decoders == 0 {
		decoders = runtime.GOMAXPROCS(0)
	}
	start := time.Now()
	if decoders > 1 {
		err = replayParallel(ctx, p, reader, bar, decoders)
	} else {
		err = replayAll(ctx, p, reader, bar)
	}
	if errors.Is(err, errUnordered) || err == nil && p.deferred && (f.sort == "always" || p.outOfOrder()) {
		st := p.det.Stats()
		if p, err = p.resorted(ctx, f, paths); err == nil && f.sort != "always" {
			fmt.Fprintf(os.Stderr, "vigie: %d of the first %d events came more than --allowed-lateness behind the newest: the input was read again and replayed sorted by time\n", st.Late, st.Events)
		}
	} else if err == nil && p.outOfOrder() {
		st := p.det.Stats()
		fmt.Fprintf(os.Stderr, "vigie: %d of %d events came more than --allowed-lateness behind the newest and were dropped or counted in their day only: sort the input by time (or use --sort always)\n", st.Late, st.Events)
	}
	if cerr := p.close(ctx); err == nil {
		err = cerr
	}
	if bar != nil {
		_ = bar.Finish()
	}
	p.counts.Elapsed = time.Since(start)
	printSummary(os.Stderr, &p.counts)
	return err
}

// replayAll feeds every line of reader through p, writing the sinks every
// flushEvery lines.
func replayAll(ctx context.Context, p *pipeline, reader *ingest.FileReader, bar *progressbar.ProgressBar) error {
	for n := 1; ; n++ {
		raw, dec, err := reader.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		p.handle(&raw, dec)
		if err := flushPeriodically(ctx, p, n, reader, bar); err != nil {
			return err
		}
	}
}

// flushPeriodically writes the sinks and moves the progress bar after
// every flushEvery-th line n, and stops on a cancelled ctx. While the
// pipeline defers its writes (--sort), the sinks wait: unless it holds
// all, until a tenth of the input is read (at most sortMax lines), then
// it returns errUnordered if the input is out of time order so far, and
// streams on otherwise. Order is judged early because a held output costs
// memory.
func flushPeriodically(ctx context.Context, p *pipeline, n int, reader *ingest.FileReader, bar *progressbar.ProgressBar) error {
	if n%flushEvery != 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if p.deferred && !p.holdAll && (n >= sortMax || reader.BytesRead()*10 >= reader.TotalBytes()) {
		if n < sortMax && p.outOfOrder() {
			return errUnordered
		}
		p.deferred = false
	}
	if !p.deferred {
		if err := p.flush(ctx); err != nil {
			return err
		}
	}
	if bar != nil {
		_ = bar.Set64(reader.BytesRead())
	}
	return nil
}

// outOfOrder reports whether more than lateShare of the events came later
// than the allowed lateness.
func (p *pipeline) outOfOrder() bool {
	st := p.det.Stats()
	return st.Late > 0 && float64(st.Late) > lateShare*float64(st.Events)
}

// resorted reads the input paths again, sorts their events by time
// (stably: ties keep the input's order) and replays them through a new
// detector into p's sinks, which p has not written yet. p's output,
// dead letters included, is dropped: the new pass keeps its own.
func (p *pipeline) resorted(ctx context.Context, f *replayFlags, paths []string) (*pipeline, error) {
	det, err := detector.New(f.det)
	if err != nil {
		return p, err
	}
	q := newPipeline(det, p.sinks, p.metrics, p.log)
	q.onAlert = p.onAlert
	reader, err := ingest.NewFileReader(paths, f.fields, f.files)
	if err != nil {
		return q, err
	}
	defer reader.Close()
	evs := make([]ingest.Event, 0, p.counts.Events)
	for ev, err := range reader.Events(q.deadLetter) {
		if err != nil {
			return q, err
		}
		evs = append(evs, *ev)
	}
	slices.SortStableFunc(evs, func(a, b ingest.Event) int { return cmp.Compare(a.TS, b.TS) })
	for i := range evs {
		q.observe(&evs[i])
		if (i+1)%flushEvery == 0 {
			if err := q.flush(ctx); err != nil {
				return q, err
			}
		}
	}
	return q, nil
}

func printSummary(w io.Writer, s *summary) {
	rate := 0.0
	if s.Elapsed > 0 {
		rate = float64(s.Events) / s.Elapsed.Seconds()
	}
	fmt.Fprintf(w, "vigie: %d events, %d accounts, %d orgs, %d alerts, %d incident updates, %d windows, %d late, %d dead letters in %s (%.0f events/s)\n",
		s.Events, s.Accounts, s.Orgs, s.Alerts, s.Incidents, s.Windows, s.Late, s.DeadLetters,
		s.Elapsed.Round(time.Millisecond), rate)
	if s.DeadLetters > 0 {
		reasons := slices.Sorted(maps.Keys(s.DeadByReason))
		parts := make([]string, len(reasons))
		for i, r := range reasons {
			parts[i] = fmt.Sprintf("%s %d", r, s.DeadByReason[r])
		}
		fmt.Fprintf(w, "vigie: dead letters: %s; the first: %s\n", strings.Join(parts, ", "), s.FirstDead)
	}
}

// logFlags choose the structured logger.
type logFlags struct {
	level  string
	format string
}

func (l *logFlags) register(fs interface {
	StringVar(*string, string, string, string)
}) {
	fs.StringVar(&l.level, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&l.format, "log-format", "text", "text or json")
}

func (l *logFlags) logger() *slog.Logger {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(l.level)); err != nil {
		lvl = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: lvl}
	if l.format == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// inferLines is how many lines of each input inferFields reads: a log
// that begins at midnight begins with services, whose lines lack the
// fields of people's requests.
const inferLines = 5000

// inferFields maps the fields that the inputs (not standard input, which
// cannot be read twice; the first few of a day's rotated files) name their
// own way (ingest.FieldMap.Infer), and says on w what it read them from.
func inferFields(w io.Writer, m *ingest.FieldMap, format ingest.Format, paths []string) error {
	files := slices.DeleteFunc(slices.Clone(paths), func(p string) bool { return p == "-" })
	if len(files) == 0 {
		return nil
	}
	keys, enc, err := ingest.SampleInput(files, format, inferLines, m.LinePattern)
	if err != nil {
		return fmt.Errorf("opening input: %w", err)
	}
	notes := m.Infer(keys)
	if m.InputEncoding == "" && enc != "" {
		m.InputEncoding = enc
		notes = append(notes, "--input-encoding="+enc)
	}
	if len(notes) > 0 {
		fmt.Fprintf(w, "vigie: %s names its fields its own way; reading them as with %s (--infer-fields=false turns this off)\n",
			files[0], strings.Join(notes, " "))
	}
	return nil
}
