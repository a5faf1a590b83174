package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/vigie/vigie/sink"
)

// outputFlags are the sink flags shared by replay, run and demo.
type outputFlags struct {
	jsonl      sink.JSONLinesConfig
	clickhouse sink.ClickHouseConfig
	// migrate creates the ClickHouse schema before writing.
	migrate bool
	// passwordFile holds the ClickHouse password, so it need not appear in
	// a flag, a config file or the environment.
	passwordFile string
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
	fs.StringVar(&o.passwordFile, "clickhouse-password-file", "", "file holding the ClickHouse password (trailing newline ignored)")
}

// readSecretFile returns the content of a secret file without its trailing
// newline. Errors name the file, never its content.
func readSecretFile(flag, path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("%s: %w", flag, err)
	}
	return strings.TrimRight(string(data), "\r\n"), nil
}

// anySink reports whether the user named at least one output.
func (o *outputFlags) anySink() bool {
	j := o.jsonl
	return j.Alerts != "" || j.Incidents != "" || j.Windows != "" || j.DeadLetters != "" || o.clickhouse.DSN != ""
}

// open builds the configured sinks. With no sink at all, alerts go to
// stdout. The caller closes the returned writers (through the pipeline).
func (o *outputFlags) open(ctx context.Context, log *slog.Logger) ([]namedWriter, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	resolveClickHouseDSN(&o.clickhouse)
	if o.passwordFile != "" {
		pw, err := readSecretFile("clickhouse-password-file", o.passwordFile)
		if err != nil {
			return nil, err
		}
		o.clickhouse.Password = pw
	}
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
