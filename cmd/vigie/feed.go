package main

import (
	"log/slog"

	"github.com/spf13/pflag"

	"github.com/vigie/vigie/ingest"
	"github.com/vigie/vigie/sink"
)

// feedFlags configure the SOC feeds of `vigie run`: alerts published to a
// Kafka topic (keyed by entity) and POSTed to a webhook. Both retry with
// backoff and fail the batch rather than drop an alert, so the consumer
// pauses and commits nothing until they deliver.
type feedFlags struct {
	kafka   sink.KafkaSinkConfig
	webhook sink.WebhookConfig
}

func (f *feedFlags) register(fs *pflag.FlagSet) {
	f.kafka.RegisterFlags(fs)
	f.webhook.RegisterFlags(fs)
}

// open builds the configured feeds. The alerts topic uses the source's
// brokers, TLS and SASL unless --alerts-brokers names others.
func (f *feedFlags) open(src *ingest.KafkaConfig, log *slog.Logger) ([]namedWriter, error) {
	var out []namedWriter
	if f.kafka.Topic != "" {
		f.kafka.UseConnection(*src)
		f.kafka.Logger = log
		if err := f.kafka.Validate(); err != nil {
			return nil, err
		}
		w, err := sink.NewKafkaAlerts(f.kafka)
		if err != nil {
			return nil, err
		}
		out = append(out, namedWriter{"kafka_alerts", w})
	}
	if f.webhook.URL != "" {
		f.webhook.Logger = log
		if err := f.webhook.Validate(); err != nil {
			closeAll(out)
			return nil, err
		}
		w, err := sink.NewWebhook(f.webhook)
		if err != nil {
			closeAll(out)
			return nil, err
		}
		out = append(out, namedWriter{"webhook", w})
	}
	return out, nil
}
