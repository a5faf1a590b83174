package sink

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/spf13/pflag"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/ingest"
)

// ClickHouseConfig says where and how the ClickHouse sink writes.
type ClickHouseConfig struct {
	// DSN is a native-protocol URL: clickhouse://user:password@host:9000
	// (several hosts separated by commas; query parameters such as
	// dial_timeout, secure=true or compress=lz4 are the driver's).
	DSN string
	// Database holds Vigie's tables: the DSN's database when empty, and
	// "vigie" when both are empty.
	Database string
	// Username and Password, when set, override the DSN's credentials, so
	// the password need not appear in a URL.
	Username string
	Password string
	// TLS connects with TLS (same as secure=true in the DSN);
	// TLSInsecureSkipVerify disables certificate checks, for tests only.
	TLS                   bool
	TLSInsecureSkipVerify bool
	// BatchRows is the most rows sent in one INSERT; larger batches are
	// split. Zero means 50000.
	BatchRows int
	// DialTimeout bounds connecting (zero means 5s) unless the DSN sets
	// dial_timeout; WriteTimeout bounds one Write (zero means no bound
	// beyond the caller's context).
	DialTimeout  time.Duration
	WriteTimeout time.Duration
	// DeadLetterTTLDays deletes dead letters that many days after they were
	// received, on servers that support TTL (19.6 and later); zero keeps
	// them forever. Migrate applies it only when it creates the table.
	DeadLetterTTLDays int
}

const (
	defaultClickHouseDatabase  = "vigie"
	defaultClickHouseBatchRows = 50000
	defaultClickHouseDial      = 5 * time.Second
	defaultDeadLetterTTLDays   = 30
)

// RegisterFlags adds the ClickHouse flags to fs with their defaults. As with
// every flag, VIGIE_CLICKHOUSE and the other VIGIE_* variables set them
// from the environment.
func (c *ClickHouseConfig) RegisterFlags(fs *pflag.FlagSet) {
	fs.StringVar(&c.DSN, "clickhouse", "", "ClickHouse native-protocol DSN, e.g. clickhouse://user@host:9000 (empty: no ClickHouse)")
	fs.StringVar(&c.Database, "clickhouse-database", defaultClickHouseDatabase, "ClickHouse database holding Vigie's tables")
	fs.StringVar(&c.Username, "clickhouse-username", "", "ClickHouse user, overriding the DSN's")
	fs.StringVar(&c.Password, "clickhouse-password", "", "ClickHouse password, overriding the DSN's (prefer VIGIE_CLICKHOUSE_PASSWORD)")
	fs.BoolVar(&c.TLS, "clickhouse-tls", false, "connect to ClickHouse with TLS")
	fs.BoolVar(&c.TLSInsecureSkipVerify, "clickhouse-tls-insecure", false, "do not verify ClickHouse's certificate (tests only)")
	fs.IntVar(&c.BatchRows, "clickhouse-batch-rows", defaultClickHouseBatchRows, "most rows per ClickHouse INSERT")
	fs.DurationVar(&c.DialTimeout, "clickhouse-dial-timeout", defaultClickHouseDial, "timeout for connecting to ClickHouse")
	fs.DurationVar(&c.WriteTimeout, "clickhouse-write-timeout", time.Minute, "timeout for one batch write to ClickHouse (0: none)")
	fs.IntVar(&c.DeadLetterTTLDays, "clickhouse-dead-letter-ttl-days", defaultDeadLetterTTLDays,
		"days ClickHouse keeps dead letters, on servers with TTL (0: forever)")
}

// setDefaults fills the zero fields that have a default.
func (c *ClickHouseConfig) setDefaults() {
	if c.Database == "" {
		if opts, err := clickhouse.ParseDSN(c.DSN); err == nil {
			c.Database = opts.Auth.Database
		}
	}
	if c.Database == "" {
		c.Database = defaultClickHouseDatabase
	}
	if c.BatchRows == 0 {
		c.BatchRows = defaultClickHouseBatchRows
	}
	if c.DialTimeout == 0 {
		c.DialTimeout = defaultClickHouseDial
	}
}

// Validate reports the first field of c that cannot work. It does not
// connect.
func (c *ClickHouseConfig) Validate() error {
	if c.DSN == "" {
		return errors.New("clickhouse: a DSN is required (--clickhouse or VIGIE_CLICKHOUSE)")
	}
	if _, err := clickhouse.ParseDSN(c.DSN); err != nil {
		// The driver redacts the password from its parse errors.
		return fmt.Errorf("clickhouse: parsing DSN: %w", err)
	}
	database := c.Database
	if database == "" {
		tmp := *c
		tmp.setDefaults()
		database = tmp.Database
	}
	if err := checkIdentifier("clickhouse-database", database); err != nil {
		return err
	}
	switch {
	case c.BatchRows < 0:
		return fmt.Errorf("clickhouse-batch-rows: %d is negative", c.BatchRows)
	case c.DialTimeout < 0:
		return fmt.Errorf("clickhouse-dial-timeout: %s is negative", c.DialTimeout)
	case c.WriteTimeout < 0:
		return fmt.Errorf("clickhouse-write-timeout: %s is negative", c.WriteTimeout)
	case c.DeadLetterTTLDays < 0:
		return fmt.Errorf("clickhouse-dead-letter-ttl-days: %d is negative", c.DeadLetterTTLDays)
	}
	return nil
}

// ClickHouse writes batches to the tables of DESIGN.md over the native
// protocol. Write and Migrate are safe for concurrent use (writes are
// serialised: each reuses the sink's column buffers).
type ClickHouse struct {
	cfg      ClickHouseConfig
	conn     driver.Conn
	addrs    string
	version  Version
	password string

	mu     sync.Mutex
	closed bool
	// Column buffers and INSERT statements, reused between writes.
	alerts      tableWriter[detector.Alert]
	incidents   tableWriter[detector.Incident]
	windows     tableWriter[detector.Window]
	deadLetters tableWriter[ingest.DeadLetter]
}

// tableWriter is the INSERT statement of one table and the columns that
// fill it.
type tableWriter[T any] struct {
	table string
	query string
	cols  []column[T]
}

func newTableWriter[T any](database, table string, cols []column[T]) tableWriter[T] {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = quoteIdent(c.spec().name)
	}
	return tableWriter[T]{
		table: table,
		query: fmt.Sprintf("INSERT INTO %s.%s (%s)", quoteIdent(database), quoteIdent(table), strings.Join(names, ", ")),
		cols:  cols,
	}
}

// OpenClickHouse connects to the server of cfg.DSN and reads its version,
// which decides the schema features Migrate uses. The error says which
// address was unreachable and never contains the password. Call Migrate
// before the first Write (it is idempotent).
func OpenClickHouse(ctx context.Context, cfg ClickHouseConfig) (*ClickHouse, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	opts, err := clickhouse.ParseDSN(cfg.DSN)
	if err != nil {
		return nil, fmt.Errorf("clickhouse: parsing DSN: %w", err)
	}
	if cfg.Username != "" {
		opts.Auth.Username = cfg.Username
	}
	if cfg.Password != "" {
		opts.Auth.Password = cfg.Password
	}
	// Connect without a database: Migrate may still have to create it, and
	// every statement names the database explicitly.
	opts.Auth.Database = ""
	if cfg.TLS && opts.TLS == nil {
		opts.TLS = &tls.Config{}
	}
	if cfg.TLSInsecureSkipVerify && opts.TLS != nil {
		opts.TLS.InsecureSkipVerify = true
	}
	if opts.DialTimeout == 0 {
		opts.DialTimeout = cfg.DialTimeout
	}
	c := &ClickHouse{
		cfg:         cfg,
		addrs:       strings.Join(opts.Addr, ","),
		password:    opts.Auth.Password,
		alerts:      newTableWriter(cfg.Database, "alerts", alertColumns()),
		incidents:   newTableWriter(cfg.Database, "incidents", incidentColumns()),
		windows:     newTableWriter(cfg.Database, "windows", windowColumns()),
		deadLetters: newTableWriter(cfg.Database, "dead_letters", deadLetterColumns()),
	}
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return nil, fmt.Errorf("clickhouse at %s: %w", c.addrs, c.redact(err))
	}
	c.conn = conn
	pingCtx, cancel := context.WithTimeout(ctx, opts.DialTimeout+5*time.Second)
	err = conn.Ping(pingCtx)
	cancel()
	if err != nil {
		_ = conn.Close()
		var ex *clickhouse.Exception
		if errors.As(err, &ex) {
			return nil, fmt.Errorf("clickhouse at %s refused the connection: %w", c.addrs, c.redact(err))
		}
		return nil, fmt.Errorf("clickhouse at %s unreachable: %w", c.addrs, c.redact(err))
	}
	var version string
	if err := conn.QueryRow(ctx, "SELECT version()").Scan(&version); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("clickhouse at %s: reading version: %w", c.addrs, c.redact(err))
	}
	if c.version, err = ParseVersion(version); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return c, nil
}

// Version is the server's version, read when the sink connected.
func (c *ClickHouse) Version() Version { return c.version }

// Database is the database holding the tables.
func (c *ClickHouse) Database() string { return c.cfg.Database }

// Write inserts the batch: one INSERT per non-empty table (more when a
// table has over BatchRows rows), columns appended whole. It returns nil
// only after the server acknowledged every INSERT. Rows already inserted
// when an error occurs stay: re-writing them is harmless, since alerts,
// windows and incidents collapse on their keys (ReplacingMergeTree).
func (c *ClickHouse) Write(ctx context.Context, b *Batch) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return errors.New("clickhouse sink: write after Close")
	}
	if c.cfg.WriteTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.WriteTimeout)
		defer cancel()
	}
	if err := insertRows(ctx, c, &c.alerts, b.Alerts); err != nil {
		return err
	}
	if err := insertRows(ctx, c, &c.incidents, b.Incidents); err != nil {
		return err
	}
	if err := insertRows(ctx, c, &c.windows, b.Windows); err != nil {
		return err
	}
	return insertRows(ctx, c, &c.deadLetters, b.DeadLetters)
}

func insertRows[T any](ctx context.Context, c *ClickHouse, w *tableWriter[T], rows []T) error {
	for start := 0; start < len(rows); start += c.cfg.BatchRows {
		chunk := rows[start:min(start+c.cfg.BatchRows, len(rows))]
		if err := insertChunk(ctx, c.conn, w, chunk); err != nil {
			return fmt.Errorf("inserting %d rows into %s.%s at %s: %w", len(chunk), c.cfg.Database, w.table, c.addrs, c.redact(err))
		}
	}
	return nil
}

func insertChunk[T any](ctx context.Context, conn driver.Conn, w *tableWriter[T], rows []T) error {
	batch, err := conn.PrepareBatch(ctx, w.query)
	if err != nil {
		return err
	}
	defer batch.Close()
	for i, col := range w.cols {
		if err := batch.Column(i).Append(col.fill(rows)); err != nil {
			return fmt.Errorf("column %s: %w", col.spec().name, err)
		}
	}
	return batch.Send()
}

// Close closes the connection. It is safe to call twice.
func (c *ClickHouse) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	return c.conn.Close()
}

// redact hides the password in err's text, should the driver or the server
// ever echo it, while keeping err available to errors.Is and errors.As.
func (c *ClickHouse) redact(err error) error {
	if err == nil || c.password == "" || !strings.Contains(err.Error(), c.password) {
		return err
	}
	return &redactedError{msg: strings.ReplaceAll(err.Error(), c.password, "xxxxx"), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// chTime converts t to what a ClickHouse DateTime can hold: seconds from
// 1970 to 2106. The zero time (an open incident's closed_at) and anything
// earlier become the epoch, which readers map back to the zero time.
func chTime(t time.Time) time.Time {
	s := t.Unix()
	switch {
	case t.IsZero() || s < 0:
		return time.Unix(0, 0).UTC()
	case s > math.MaxUint32:
		return time.Unix(math.MaxUint32, 0).UTC()
	}
	return t
}

func clampUint32(n int) uint32 {
	return uint32(min(max(n, 0), math.MaxUint32))
}

func boolUint8(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}
