package main

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"

	"github.com/vigie/vigie/sink/chtest"
)

// runVigie runs the root command with args and returns its standard output.
func runVigie(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), err
}

func TestMigrateCommand(t *testing.T) {
	s := chtest.Start(t)
	db := s.NewDatabase(t)
	out, err := runVigie(t, "migrate", "--clickhouse", s.DSN(db), "--clickhouse-database", db)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "migrated database "+db) {
		t.Errorf("output = %q", out)
	}
	// Again, this time with the DSN from the environment: nothing changes.
	t.Setenv("VIGIE_CLICKHOUSE_DSN", s.DSN(db))
	if _, err := runVigie(t, "migrate", "--clickhouse-database", db); err != nil {
		t.Fatalf("second run: %v", err)
	}
	var tables []string
	rows, err := s.Conn(t, db).Query(context.Background(), "SELECT name FROM system.tables WHERE database = ? ORDER BY name", db)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	if got := strings.Join(tables, ","); got != "alerts,dead_letters,incidents,windows" {
		t.Errorf("tables = %s", got)
	}
}

func TestMigrateCommandErrors(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	_ = l.Close()
	t.Setenv("VIGIE_CLICKHOUSE_DSN", "")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no DSN", nil, "a DSN is required"},
		{"unreachable", []string{"--clickhouse", "clickhouse://ops:Sup3rS3cret@" + closed + "?dial_timeout=1s"}, "clickhouse at " + closed + " unreachable"},
		{"bad database", []string{"--clickhouse", "clickhouse://" + closed, "--clickhouse-database", "vigie; DROP TABLE x"}, "clickhouse-database"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runVigie(t, append([]string{"migrate"}, tc.args...)...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "Sup3rS3cret") {
				t.Errorf("error %q leaks the password", err)
			}
		})
	}
}
