package sink

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/vigie/vigie/detector"
	"github.com/vigie/vigie/ingest"
)

// Version is a ClickHouse server version, as SELECT version() prints it
// ("18.16.1", "24.8.4.13").
type Version struct {
	Major, Minor, Patch int
}

// ParseVersion reads the leading major.minor[.patch] of s.
func ParseVersion(s string) (Version, error) {
	parts := strings.SplitN(strings.TrimSpace(s), ".", 4)
	var v Version
	dst := []*int{&v.Major, &v.Minor, &v.Patch}
	for i := 0; i < len(parts) && i < len(dst); i++ {
		n, err := strconv.Atoi(parts[i])
		if err != nil {
			if i < 2 {
				return Version{}, fmt.Errorf("parsing clickhouse version %q: %w", s, err)
			}
			break
		}
		*dst[i] = n
	}
	if len(parts) < 2 {
		return Version{}, fmt.Errorf("parsing clickhouse version %q: want major.minor", s)
	}
	return v, nil
}

// AtLeast reports whether v is major.minor or newer.
func (v Version) AtLeast(major, minor int) bool {
	return v.Major > major || v.Major == major && v.Minor >= minor
}

func (v Version) String() string {
	return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
}

// LowCardinality reports whether the schema may use LowCardinality(String)
// on this server without any setting: the type left experimental in 19.3
// (allow_experimental_low_cardinality_type became obsolete then; 18.16 still
// needs it).
func (v Version) LowCardinality() bool { return v.AtLeast(19, 3) }

// TTL reports whether the server supports table TTL expressions, added in
// 19.6.
func (v Version) TTL() bool { return v.AtLeast(19, 6) }

// validIdentifier matches the database and table names Vigie accepts. Names
// are spliced into DDL (ClickHouse cannot bind identifiers), so anything
// else is refused rather than escaped.
var validIdentifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// checkIdentifier returns an error naming what when name is not a plain
// identifier.
func checkIdentifier(what, name string) error {
	if !validIdentifier.MatchString(name) {
		return fmt.Errorf("%s %q: must match %s", what, name, validIdentifier)
	}
	return nil
}

// colSpec is one column of a table: its name and its ClickHouse type. A
// lowCard column is LowCardinality(String) on servers that have it, String
// elsewhere.
type colSpec struct {
	name    string
	typ     string
	lowCard bool
}

// chType is the column's type on server v.
func (c colSpec) chType(v Version) string {
	if c.lowCard && v.LowCardinality() {
		return "LowCardinality(" + c.typ + ")"
	}
	return c.typ
}

// column is a colSpec that also extracts its values from rows of T into a
// buffer reused between writes, so that a write appends whole columns
// (batch.Column(i).Append(slice)) instead of boxing every value of every
// row.
type column[T any] interface {
	spec() colSpec
	// fill replaces the buffer by the column's values for rows and returns
	// it as the slice to append.
	fill(rows []T) any
}

type typedColumn[T, V any] struct {
	colSpec
	get func(*T) V
	buf []V
}

func (c *typedColumn[T, V]) spec() colSpec { return c.colSpec }

func (c *typedColumn[T, V]) fill(rows []T) any {
	c.buf = c.buf[:0]
	for i := range rows {
		c.buf = append(c.buf, c.get(&rows[i]))
	}
	return c.buf
}

func col[T, V any](name, typ string, get func(*T) V) column[T] {
	return &typedColumn[T, V]{colSpec: colSpec{name: name, typ: typ}, get: get}
}

// lowCard is a String column stored as LowCardinality(String) where the
// server allows it.
func lowCard[T any](name string, get func(*T) string) column[T] {
	return &typedColumn[T, string]{colSpec: colSpec{name: name, typ: "String", lowCard: true}, get: get}
}

// tableSpec is one table of the schema of DESIGN.md.
type tableSpec struct {
	name   string
	engine string
	// partitionBy and orderBy are SQL expressions over column names.
	partitionBy string
	orderBy     string
	// ttlColumn, when set, is the DateTime column from which rows expire
	// after the configured retention, on servers that support TTL.
	ttlColumn string
	columns   []colSpec
}

func specs[T any](cols []column[T]) []colSpec {
	out := make([]colSpec, len(cols))
	for i, c := range cols {
		out[i] = c.spec()
	}
	return out
}

// The column lists below are the single source of truth for both the DDL
// and the INSERTs. New columns go at the end: Migrate adds them to existing
// tables with ALTER TABLE ADD COLUMN.

func alertColumns() []column[detector.Alert] {
	type a = detector.Alert
	return []column[a]{
		col("alert_id", "String", func(r *a) string { return r.AlertID }),
		col("incident_id", "String", func(r *a) string { return r.IncidentID }),
		lowCard("kind", func(r *a) string { return r.Kind }),
		col("fired_at", "DateTime", func(r *a) time.Time { return chTime(r.FiredAt) }),
		lowCard("entity_type", func(r *a) string { return r.EntityType }),
		col("entity", "String", func(r *a) string { return r.Entity }),
		col("org", "String", func(r *a) string { return r.Org }),
		col("role", "String", func(r *a) string { return r.Role }),
		lowCard("detector", func(r *a) string { return r.Detector }),
		lowCard("resolution", func(r *a) string { return r.Resolution }),
		col("window_start", "DateTime", func(r *a) time.Time { return chTime(r.WindowStart) }),
		col("window_end", "DateTime", func(r *a) time.Time { return chTime(r.WindowEnd) }),
		col("observed", "Float64", func(r *a) float64 { return r.Observed }),
		col("expected", "Float64", func(r *a) float64 { return r.Expected }),
		col("threshold", "Float64", func(r *a) float64 { return r.Threshold }),
		col("score", "Float64", func(r *a) float64 { return r.Score }),
		lowCard("severity", func(r *a) string { return r.Severity }),
		col("explanation", "String", func(r *a) string { return r.Explanation }),
	}
}

func incidentColumns() []column[detector.Incident] {
	type n = detector.Incident
	return []column[n]{
		col("incident_id", "String", func(r *n) string { return r.IncidentID }),
		col("version", "UInt64", func(r *n) uint64 { return r.Version }),
		lowCard("status", func(r *n) string { return r.Status }),
		lowCard("entity_type", func(r *n) string { return r.EntityType }),
		col("entity", "String", func(r *n) string { return r.Entity }),
		col("org", "String", func(r *n) string { return r.Org }),
		col("role", "String", func(r *n) string { return r.Role }),
		lowCard("detector", func(r *n) string { return r.Detector }),
		col("opened_at", "DateTime", func(r *n) time.Time { return chTime(r.OpenedAt) }),
		col("updated_at", "DateTime", func(r *n) time.Time { return chTime(r.UpdatedAt) }),
		col("closed_at", "DateTime", func(r *n) time.Time { return chTime(r.ClosedAt) }),
		col("records", "Float64", func(r *n) float64 { return r.Records }),
		col("expected", "Float64", func(r *n) float64 { return r.Expected }),
		col("peak_score", "Float64", func(r *n) float64 { return r.PeakScore }),
		col("peak_ratio", "Float64", func(r *n) float64 { return r.PeakRatio }),
		col("peak_window_start", "DateTime", func(r *n) time.Time { return chTime(r.PeakWindowStart) }),
		lowCard("severity", func(r *n) string { return r.Severity }),
		col("alerts", "UInt32", func(r *n) uint32 { return clampUint32(r.Alerts) }),
		col("explanation", "String", func(r *n) string { return r.Explanation }),
	}
}

func windowColumns() []column[detector.Window] {
	type w = detector.Window
	return []column[w]{
		lowCard("entity_type", func(r *w) string { return r.EntityType }),
		col("entity", "String", func(r *w) string { return r.Entity }),
		col("org", "String", func(r *w) string { return r.Org }),
		lowCard("resolution", func(r *w) string { return r.Resolution }),
		col("window_start", "DateTime", func(r *w) time.Time { return chTime(r.WindowStart) }),
		col("window_end", "DateTime", func(r *w) time.Time { return chTime(r.WindowEnd) }),
		col("events", "UInt64", func(r *w) uint64 { return uint64(max(r.Events, 0)) }),
		col("observed", "Float64", func(r *w) float64 { return r.Observed }),
		col("expected", "Float64", func(r *w) float64 { return r.Expected }),
		col("threshold", "Float64", func(r *w) float64 { return r.Threshold }),
		col("score", "Float64", func(r *w) float64 { return r.Score }),
		col("distinct", "UInt64", func(r *w) uint64 { return r.Distinct }),
		col("alerted", "UInt8", func(r *w) uint8 { return boolUint8(r.Alerted) }),
	}
}

func deadLetterColumns() []column[ingest.DeadLetter] {
	type d = ingest.DeadLetter
	return []column[d]{
		col("received_at", "DateTime", func(r *d) time.Time { return chTime(r.ReceivedAt) }),
		col("source", "String", func(r *d) string { return r.Source }),
		col("partition", "Int32", func(r *d) int32 { return r.Partition }),
		col("offset", "Int64", func(r *d) int64 { return r.Offset }),
		lowCard("reason", func(r *d) string { return r.Reason }),
		col("error", "String", func(r *d) string { return r.Error }),
		col("raw", "String", func(r *d) string { return r.Raw }),
	}
}

// schema lists the four tables of DESIGN.md.
func schema() []tableSpec {
	return []tableSpec{
		{
			name: "alerts", engine: "ReplacingMergeTree()",
			partitionBy: "toYYYYMM(fired_at)",
			orderBy:     "(entity_type, entity, fired_at, alert_id)",
			columns:     specs(alertColumns()),
		},
		{
			name: "incidents", engine: "ReplacingMergeTree(version)",
			orderBy: "(incident_id)",
			columns: specs(incidentColumns()),
		},
		{
			name: "windows", engine: "ReplacingMergeTree()",
			partitionBy: "toYYYYMM(window_start)",
			orderBy:     "(entity_type, entity, resolution, window_start)",
			columns:     specs(windowColumns()),
		},
		{
			name: "dead_letters", engine: "MergeTree()",
			partitionBy: "toYYYYMM(received_at)",
			orderBy:     "(received_at, source, `offset`)",
			ttlColumn:   "received_at",
			columns:     specs(deadLetterColumns()),
		},
	}
}

// DDL returns the statements that create cfg.Database and its four tables
// on a server of version v, each idempotent (IF NOT EXISTS). Newer servers
// get LowCardinality columns and a TTL on dead_letters (when
// cfg.DeadLetterTTLDays > 0); 18.16 gets the portable subset. It is exported
// so tests can run the very same statements on other ClickHouse builds.
func DDL(v Version, cfg ClickHouseConfig) ([]string, error) {
	cfg.setDefaults()
	if err := checkIdentifier("clickhouse-database", cfg.Database); err != nil {
		return nil, err
	}
	stmts := []string{"CREATE DATABASE IF NOT EXISTS " + quoteIdent(cfg.Database)}
	for _, t := range schema() {
		stmts = append(stmts, createTable(v, cfg, t))
	}
	return stmts, nil
}

func createTable(v Version, cfg ClickHouseConfig, t tableSpec) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE IF NOT EXISTS %s.%s (\n", quoteIdent(cfg.Database), quoteIdent(t.name))
	for i, c := range t.columns {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "    %s %s", quoteIdent(c.name), c.chType(v))
	}
	fmt.Fprintf(&b, "\n) ENGINE = %s", t.engine)
	if t.partitionBy != "" {
		fmt.Fprintf(&b, "\nPARTITION BY %s", t.partitionBy)
	}
	fmt.Fprintf(&b, "\nORDER BY %s", t.orderBy)
	if t.ttlColumn != "" && cfg.DeadLetterTTLDays > 0 && v.TTL() {
		fmt.Fprintf(&b, "\nTTL %s + INTERVAL %d DAY", quoteIdent(t.ttlColumn), cfg.DeadLetterTTLDays)
	}
	return b.String()
}

// quoteIdent back-quotes a name already checked by checkIdentifier (or a
// constant of the schema): some column names, such as offset and distinct,
// are keywords.
func quoteIdent(name string) string { return "`" + name + "`" }

// Migrate creates the database and tables when missing and adds the columns
// that an older Vigie did not have. It never drops or retypes anything, and
// is safe to run any number of times, also concurrently with writers.
func (c *ClickHouse) Migrate(ctx context.Context) error {
	stmts, err := DDL(c.version, c.cfg)
	if err != nil {
		return err
	}
	for _, stmt := range stmts {
		if err := c.conn.Exec(ctx, stmt); err != nil {
			return fmt.Errorf("migrating clickhouse (%s): %w", firstLine(stmt), c.redact(err))
		}
	}
	for _, t := range schema() {
		if err := c.addMissingColumns(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

// addMissingColumns compares t with system.columns and adds, in schema
// order, each column the existing table lacks.
func (c *ClickHouse) addMissingColumns(ctx context.Context, t tableSpec) error {
	rows, err := c.conn.Query(ctx,
		"SELECT name FROM system.columns WHERE database = ? AND table = ?", c.cfg.Database, t.name)
	if err != nil {
		return fmt.Errorf("reading columns of %s.%s: %w", c.cfg.Database, t.name, c.redact(err))
	}
	have := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return fmt.Errorf("reading columns of %s.%s: %w", c.cfg.Database, t.name, err)
		}
		have[name] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reading columns of %s.%s: %w", c.cfg.Database, t.name, c.redact(err))
	}
	for _, stmt := range addColumnStatements(c.version, c.cfg.Database, t, have) {
		if err := c.conn.Exec(ctx, stmt); err != nil {
			return fmt.Errorf("upgrading %s.%s (%s): %w", c.cfg.Database, t.name, stmt, c.redact(err))
		}
	}
	return nil
}

// addColumnStatements returns the ALTER TABLE statements that add to table
// t of database the columns missing from have, each placed after its
// predecessor in the schema.
func addColumnStatements(v Version, database string, t tableSpec, have map[string]bool) []string {
	var stmts []string
	prev := ""
	for _, col := range t.columns {
		if !have[col.name] {
			stmt := fmt.Sprintf("ALTER TABLE %s.%s ADD COLUMN %s %s", quoteIdent(database), quoteIdent(t.name),
				quoteIdent(col.name), col.chType(v))
			if prev != "" {
				stmt += " AFTER " + quoteIdent(prev)
			}
			stmts = append(stmts, stmt)
		}
		prev = col.name
	}
	return stmts
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return strings.TrimSuffix(s[:i], " (")
	}
	return s
}
