package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/spf13/pflag"

	"github.com/vigie/vigie/sink"
)

// outputFlags are the sink flags shared by replay, run and demo.
type outputFlags struct {
	jsonl      sink.JSONLinesConfig
	clickhouse sink.ClickHouseConfig
	// migrate creates the ClickHouse schema before writing.
	migrate bool
}

func (o *outputFlags) register(fs *pflag.FlagSet, truncateDefault bool) {
	fs.StringVar(&o.jsonl.Alerts, "alerts", "", `write alerts as JSON lines to PATH ("-": stdout; default stdout when no other sink is given)`)
	fs.StringVar(&o.jsonl.Incidents, "incidents", "", `write incident updates as JSON lines to PATH ("-": stdout)`)
	fs.StringVar(&o.jsonl.Windows, "windows", "", `write window aggregates as JSON lines to PATH ("-": stdout)`)
	fs.StringVar(&o.jsonl.DeadLetters, "dead-letters", "", `write rejected input lines with their reason as JSON lines to PATH ("-": stdout)`)
	fs.StringVar(&o.jsonl.AlertFormat, "alert-format", "native", fmt.Sprintf("rendering of alerts in --alerts, one of %v", sink.AlertFormats()))
	fs.BoolVar(&o.jsonl.Truncate, "truncate", truncateDefault, "empty the JSON lines files when opening them instead of appending")
	o.clickhouse.RegisterFlags(fs)
	fs.BoolVar(&o.migrate, "migrate", true, "create or upgrade the ClickHouse schema before writing")
}

// anySink reports whether the user named at least one output.
func (o *outputFlags) anySink() bool {
	j := o.jsonl
	return j.Alerts != "" || j.Incidents != "" || j.Windows != "" || j.DeadLetters != "" || o.clickhouse.DSN != ""
}

// open builds the configured sinks. With no sink at all, alerts go to
// stdout. The caller closes the returned writers (through the pipeline).
func (o *outputFlags) open(ctx context.Context, log *slog.Logger) ([]namedWriter, error) {
	resolveClickHouseDSN(&o.clickhouse)
	if !o.anySink() {
		o.jsonl.Alerts = "-"
	}
	var out []namedWriter
	j := o.jsonl
	if j.Alerts != "" || j.Incidents != "" || j.Windows != "" || j.DeadLetters != "" {
		if err := j.Validate(); err != nil {
			return nil, err
		}
		j.Stdout = os.Stdout
		w, err := sink.NewJSONLines(j)
		if err != nil {
			return nil, err
		}
		out = append(out, namedWriter{"jsonl", w})
	}
	if o.clickhouse.DSN != "" {
		if err := o.clickhouse.Validate(); err != nil {
			closeAll(out)
			return nil, err
		}
		ch, err := sink.OpenClickHouse(ctx, o.clickhouse)
		if err != nil {
			closeAll(out)
			return nil, err
		}
		if o.migrate {
			if err := ch.Migrate(ctx); err != nil {
				_ = ch.Close()
				closeAll(out)
				return nil, err
			}
		}
		log.Info("writing to clickhouse", "database", ch.Database(), "server", ch.Version().String())
		out = append(out, namedWriter{"clickhouse", ch})
	}
	return out, nil
}

func closeAll(ws []namedWriter) {
	for _, w := range ws {
		_ = w.w.Close()
	}
}
