package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the pipeline's Prometheus series. The registry is passed in so
// tests can read the values.
type metrics struct {
	events        prometheus.Counter
	decodeErrors  *prometheus.CounterVec
	deadLetters   prometheus.Counter
	lateEvents    prometheus.Counter
	excused       prometheus.Counter
	alerts        *prometheus.CounterVec
	tracked       *prometheus.GaugeVec
	lag           prometheus.Gauge
	sinkSeconds   *prometheus.HistogramVec
	sinkErrors    *prometheus.CounterVec
	feedAlerts    *prometheus.CounterVec
	closeDelay    prometheus.Histogram
	lastEventTime prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		events: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "vigie_events_total", Help: "Events decoded and observed by the detector."}),
		decodeErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigie_decode_errors_total", Help: "Input records rejected, by reason."}, []string{"reason"}),
		deadLetters: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "vigie_dead_letters_total", Help: "Records written to the dead-letter sinks."}),
		lateEvents: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "vigie_late_events_total", Help: "Events older than the watermark minus the allowed lateness."}),
		excused: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "vigie_excused_tests_total",
			Help: "Tests that reached their threshold but did not alert: a common cause (at least five accounts of three other organisations raised as much the same day, or, for an organisation share, two other organisations raised) or a weekly or monthly routine (the entity's last alert a week or a month earlier)."}),
		alerts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigie_alerts_total", Help: "Alerts emitted, by severity and detector."}, []string{"severity", "detector"}),
		tracked: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "vigie_tracked_entities", Help: "Entities with a baseline in memory, by type."}, []string{"type"}),
		lag: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "vigie_kafka_lag", Help: "Messages between the consumer's position and the partition ends."}),
		sinkSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "vigie_sink_write_seconds", Help: "Duration of one batch write, by sink.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 15)}, []string{"sink"}),
		sinkErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigie_sink_errors_total", Help: "Failed batch writes, by sink."}, []string{"sink"}),
		feedAlerts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigie_feed_alerts_total",
			Help: "Alerts handled by the Kafka and webhook feeds, by sink and result: delivered, retried (attempts after the first), failed (still undelivered when a write gave up; sent again by the next write)."},
			[]string{"sink", "result"}),
		closeDelay: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "vigie_window_close_delay_seconds", Help: "Wall-clock delay between a batch's newest event time and its flush.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2, 16)}),
		lastEventTime: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "vigie_last_event_timestamp_seconds", Help: "Event time of the newest event observed."}),
	}
	if reg != nil {
		reg.MustRegister(m.events, m.decodeErrors, m.deadLetters, m.lateEvents, m.excused, m.alerts, m.tracked,
			m.lag, m.sinkSeconds, m.sinkErrors, m.feedAlerts, m.closeDelay, m.lastEventTime)
	}
	return m
}

// opsServer serves /metrics, /healthz and /readyz.
type opsServer struct {
	srv   *http.Server
	ln    net.Listener
	ready atomic.Bool
}

// startOps listens on addr ("" disables it). /readyz answers 200 once
// setReady(true) was called, 503 before.
func startOps(addr string, reg *prometheus.Registry, log *slog.Logger) (*opsServer, error) {
	o := &opsServer{}
	if addr == "" {
		return o, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, _ *http.Request) {
		if !o.ready.Load() {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	o.ln = ln
	o.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := o.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server stopped", "err", err)
		}
	}()
	log.Info("serving metrics", "addr", ln.Addr().String())
	return o, nil
}

func (o *opsServer) setReady(v bool) { o.ready.Store(v) }

// Addr is the listening address, "" when disabled.
func (o *opsServer) Addr() string {
	if o.ln == nil {
		return ""
	}
	return o.ln.Addr().String()
}

// Close stops the server; safe to call twice.
func (o *opsServer) Close() {
	if o.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = o.srv.Shutdown(ctx)
	}
}
