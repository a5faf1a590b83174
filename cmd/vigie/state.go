package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/ingest"
)

// stateFile is the name of the snapshot inside --state-dir; stateFile+".tmp"
// is the one being written.
const stateFile = "vigie.state"

// stateMagic opens every state file, so a stray file is never restored.
var stateMagic = []byte("VIGIEST1")

// stateHeader describes a snapshot. Offsets is what makes the snapshot
// exactly-once: for each Kafka partition, the offset of the last record
// whose effect is in the detector state. Records at or below it are skipped
// when Kafka re-delivers them after a crash.
type stateHeader struct {
	Topic   string          `json:"topic"`
	Group   string          `json:"group"`
	Offsets map[int32]int64 `json:"offsets"`
	// NewestTS is the newest event time seen (Unix ms), from which idle
	// streams are advanced.
	NewestTS int64     `json:"newest_ts"`
	SavedAt  time.Time `json:"saved_at"`
	// Config fingerprints the detector configuration: restoring into a
	// detector configured differently is allowed but logged.
	Config string `json:"config"`
}

// configFingerprint is a short stable digest of a detector configuration.
func configFingerprint(c *detector.Config) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%+v", *c))
	return hex.EncodeToString(sum[:8])
}

// saveState writes the detector state and h to dir/vigie.state atomically:
// it writes a temporary file, fsyncs it, renames it over the previous
// snapshot and fsyncs the directory, so a crash at any point leaves either
// the old snapshot or the new one, never a torn file.
//
// Layout: magic, uint32 header length, header JSON, detector snapshot,
// CRC-32C of everything before it (big endian).
func saveState(dir string, h *stateHeader, det *detector.Detector) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating state directory: %w", err)
	}
	tmp := filepath.Join(dir, stateFile+".tmp")
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("writing state: %w", err)
	}
	if err := writeState(f, h, det); err != nil {
		_ = f.Close()
		_ = os.Remove(tmp)
		return fmt.Errorf("writing state %s: %w", tmp, err)
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return fmt.Errorf("syncing state %s: %w", tmp, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("closing state %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, stateFile)); err != nil {
		return fmt.Errorf("replacing state: %w", err)
	}
	// The rename is durable only once the directory entry is.
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("syncing state directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("syncing state directory: %w", err)
	}
	return nil
}

func writeState(f io.Writer, h *stateHeader, det *detector.Detector) error {
	crc := crc32.New(crc32.MakeTable(crc32.Castagnoli))
	bw := bufio.NewWriterSize(io.MultiWriter(f, crc), 1<<20)
	hdr, err := json.Marshal(h)
	if err != nil {
		return err
	}
	bw.Write(stateMagic)
	_ = binary.Write(bw, binary.BigEndian, uint32(len(hdr)))
	bw.Write(hdr)
	if err := det.Snapshot(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return binary.Write(f, binary.BigEndian, crc.Sum32())
}

// errNoState means the state directory holds no snapshot yet.
var errNoState = errors.New("no state snapshot")

// loadState restores dir/vigie.state into det and returns its header, or
// errNoState when there is none. A corrupt snapshot is an error, never
// silently ignored: starting from empty baselines would blind the detector
// for weeks.
func loadState(dir string, det *detector.Detector) (*stateHeader, error) {
	path := filepath.Join(dir, stateFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errNoState
	}
	if err != nil {
		return nil, fmt.Errorf("reading state: %w", err)
	}
	h, body, err := parseState(b)
	if err != nil {
		return nil, fmt.Errorf("reading state %s: %w", path, err)
	}
	if err := det.Restore(bytes.NewReader(body)); err != nil {
		return nil, fmt.Errorf("restoring state %s: %w", path, err)
	}
	return h, nil
}

// parseState checks the magic and checksum and splits the header from the
// detector snapshot.
func parseState(b []byte) (*stateHeader, []byte, error) {
	if len(b) < len(stateMagic)+8 || !bytes.Equal(b[:len(stateMagic)], stateMagic) {
		return nil, nil, errors.New("not a vigie state file")
	}
	end := len(b) - 4
	var crc hash.Hash32 = crc32.New(crc32.MakeTable(crc32.Castagnoli))
	crc.Write(b[:end])
	if got, want := crc.Sum32(), binary.BigEndian.Uint32(b[end:]); got != want {
		return nil, nil, fmt.Errorf("checksum mismatch (%08x, want %08x): the file is corrupt", got, want)
	}
	rest := b[len(stateMagic):end]
	n := binary.BigEndian.Uint32(rest)
	rest = rest[4:]
	if uint64(n) > uint64(len(rest)) {
		return nil, nil, errors.New("header length past the end of the file")
	}
	h := &stateHeader{}
	if err := json.Unmarshal(rest[:n], h); err != nil {
		return nil, nil, fmt.Errorf("decoding header: %w", err)
	}
	if h.Offsets == nil {
		h.Offsets = map[int32]int64{}
	}
	return h, rest[n:], nil
}

// checkpointer ties the detector state to the Kafka offsets it reflects.
// Without a state directory it snapshots nothing, and admit only skips the
// records Kafka re-delivers to this process after a rebalance.
type checkpointer struct {
	dir      string
	interval time.Duration
	hdr      stateHeader
	log      *slog.Logger
	det      *detector.Detector

	// skipTo holds the restored offsets: records at or below them are
	// already in the state.
	skipTo map[int32]int64
	// seen marks the partitions whose first record after the restore was
	// checked for a gap.
	seen map[int32]bool
	// rewound marks the partitions whose last record was skipped as
	// re-delivered, so that each rewind is logged once.
	rewound map[int32]bool
	// hadState is true when a snapshot was restored.
	hadState bool
	// joinGrace is how long a restarted consumer may wait before the
	// group assigns it partitions.
	joinGrace time.Duration
	// dirty is true when the state changed since the last snapshot,
	// admitted when records were observed since then.
	dirty    bool
	admitted bool
	lastSave time.Time
	skipped  int64

	capLogged     bool
	lastUntracked int64

	untracked   prometheus.Counter
	redelivered prometheus.Counter
	snapshots   *prometheus.CounterVec
	snapSeconds prometheus.Gauge
	snapTime    prometheus.Gauge
}

// newCheckpointer restores the snapshot of cfg.StateDir into det, if any.
// The metrics are registered whether or not a state directory is set.
func newCheckpointer(cfg *liveConfig, kc *ingest.KafkaConfig, dc *detector.Config, det *detector.Detector, reg prometheus.Registerer, log *slog.Logger) (*checkpointer, error) {
	c := &checkpointer{
		dir: cfg.StateDir, interval: cfg.SnapshotInterval, log: log, det: det,
		hdr:    stateHeader{Topic: kc.Topic, Group: kc.Group, Config: configFingerprint(dc), Offsets: map[int32]int64{}},
		skipTo: map[int32]int64{}, seen: map[int32]bool{}, rewound: map[int32]bool{}, lastSave: time.Now(),
		untracked: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "vigie_untracked_events_total",
			Help: "Events of accounts not tracked because max-entities was reached (their records still count in their organisation when it is tracked)."}),
		redelivered: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "vigie_redelivered_skipped_total",
			Help: "Records re-delivered by Kafka (after a restart or a rebalance) and skipped because the detector already holds them."}),
		snapshots: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vigie_snapshots_total", Help: "State snapshots written to --state-dir, by result."}, []string{"result"}),
		snapSeconds: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "vigie_snapshot_seconds", Help: "Duration of the last state snapshot."}),
		snapTime: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "vigie_snapshot_timestamp_seconds", Help: "Wall-clock time of the last successful state snapshot."}),
	}
	if reg != nil {
		reg.MustRegister(c.untracked, c.redelivered, c.snapshots, c.snapSeconds, c.snapTime)
	}
	if c.dir == "" {
		return c, nil
	}
	h, err := loadState(c.dir, det)
	if errors.Is(err, errNoState) {
		log.Info("no state snapshot; starting with empty baselines", "state_dir", c.dir)
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("state-dir: %w", err)
	}
	if h.Topic != kc.Topic || h.Group != kc.Group {
		return nil, fmt.Errorf("state-dir: the snapshot in %s follows topic %q of group %q, not topic %q of group %q: use another directory",
			c.dir, h.Topic, h.Group, kc.Topic, kc.Group)
	}
	if h.Config != c.hdr.Config {
		log.Warn("the detector configuration changed since the snapshot; baselines are kept", "state_dir", c.dir)
	}
	c.hadState = true
	for part, off := range h.Offsets {
		c.skipTo[part] = off
		c.hdr.Offsets[part] = off
	}
	c.hdr.NewestTS = h.NewestTS
	st := det.Stats()
	c.lastUntracked = st.UntrackedEvents
	log.Info("restored state snapshot", "state_dir", c.dir, "saved_at", h.SavedAt, "offsets", h.Offsets,
		"accounts", st.TrackedAccounts, "orgs", st.TrackedOrgs, "watermark", st.Watermark)
	return c, nil
}

func (c *checkpointer) enabled() bool { return c.dir != "" }

// restored carries the snapshot's pipeline-level state into p.
func (c *checkpointer) restored(p *pipeline) {
	if !c.hadState {
		return
	}
	p.newestTS = c.hdr.NewestTS
	st := p.det.Stats()
	p.counts.Late, p.counts.Excused = st.Late, st.Excused
	if st.UntrackedEvents > 0 {
		c.logCap()
	}
}

// admit reports whether raw must be observed: false for a record that Kafka
// re-delivered although the restored state or this process already holds
// it. It records the offsets of admitted records for the next snapshot.
func (c *checkpointer) admit(raw *ingest.Raw) bool {
	if raw.Partition < 0 {
		return true
	}
	if skip, ok := c.skipTo[raw.Partition]; ok {
		if raw.Offset <= skip {
			if c.skipped == 0 {
				c.log.Info("skipping records re-delivered by Kafka: the restored snapshot already holds them",
					"partition", raw.Partition, "first_offset", raw.Offset, "snapshot_offset", skip)
			}
			c.skipped++
			c.redelivered.Inc()
			return false
		}
		if !c.seen[raw.Partition] {
			c.seen[raw.Partition] = true
			if raw.Offset > skip+1 {
				// The group committed past the snapshot (state directory
				// replaced, or records expired by retention).
				c.log.Warn("records between the snapshot and the first record fetched were never observed",
					"partition", raw.Partition, "snapshot_offset", skip, "first_offset", raw.Offset, "missed", raw.Offset-skip-1)
			}
		}
	}
	// A consumer that lost its group membership (broker unreachable for
	// longer than the session timeout) rejoins and Kafka re-delivers from
	// the committed offset: records this process already observed, whose
	// outputs are written or still pending in the pipeline.
	if last, ok := c.hdr.Offsets[raw.Partition]; ok && raw.Offset <= last {
		if !c.rewound[raw.Partition] {
			c.rewound[raw.Partition] = true
			c.log.Warn("skipping records re-delivered by Kafka after a rebalance: already observed",
				"partition", raw.Partition, "first_offset", raw.Offset, "observed_offset", last)
		}
		c.skipped++
		c.redelivered.Inc()
		return false
	}
	c.rewound[raw.Partition] = false
	c.hdr.Offsets[raw.Partition] = raw.Offset
	c.dirty, c.admitted = true, true
	return true
}

// due reports whether a snapshot should be written now.
func (c *checkpointer) due(now time.Time) bool {
	return c.enabled() && c.dirty && now.Sub(c.lastSave) >= c.interval
}

// save snapshots the detector with the offsets of every record observed.
// Call it only after the pipeline's outputs are durable: the snapshot
// vouches that everything up to its offsets was written.
func (c *checkpointer) save(p *pipeline) error {
	if !c.enabled() {
		return nil
	}
	start := time.Now()
	c.hdr.NewestTS = p.newestTS
	c.hdr.SavedAt = start.UTC()
	if err := saveState(c.dir, &c.hdr, p.det); err != nil {
		c.snapshots.WithLabelValues("error").Inc()
		return err
	}
	c.snapshots.WithLabelValues("ok").Inc()
	c.snapSeconds.Set(time.Since(start).Seconds())
	c.snapTime.Set(float64(time.Now().UnixNano()) / 1e9)
	c.lastSave, c.dirty, c.admitted = time.Now(), false, false
	return nil
}

// observeStats exports the events refused by the entity cap and says once,
// loudly, that the cap was reached.
func (c *checkpointer) observeStats(st detector.Stats) {
	if d := st.UntrackedEvents - c.lastUntracked; d > 0 {
		c.untracked.Add(float64(d))
		c.lastUntracked = st.UntrackedEvents
		c.logCap()
	}
}

func (c *checkpointer) logCap() {
	if c.capLogged {
		return
	}
	c.capLogged = true
	c.log.Warn("max-entities reached: events of new accounts are no longer tracked (see vigie_untracked_events_total); raise --max-entities",
		"tracked_accounts", c.det.Stats().TrackedAccounts, "tracked_orgs", c.det.Stats().TrackedOrgs)
}

// idleEnough reports whether the stream has been quiet long enough for
// --exit-when-idle to end the input. A consumer that saw no record yet only
// ends when it restored a snapshot (the input may be fully consumed
// already) and waited out the group join too.
func (c *checkpointer) idleEnough(sawRecords bool, idle, exitWhenIdle time.Duration) bool {
	switch {
	case sawRecords:
		return idle >= exitWhenIdle
	case c.hadState:
		return idle >= max(exitWhenIdle, c.joinGrace)
	}
	return false
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}
