package main

import (
	"log/slog"

	"github.com/spf13/pflag"
)

// feedFlags configure the SOC feeds of `vigie run`: alerts published to a
// Kafka topic and POSTed to a webhook.
type feedFlags struct {
	topic   string
	brokers []string
}

func (f *feedFlags) register(fs *pflag.FlagSet) {}

func (f *feedFlags) open(log *slog.Logger) ([]namedWriter, error) { return nil, nil }
