package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigie/vigie/sink/chtest"
)

// TestClickHousePasswordFile checks that the password is read from the
// file (a wrong one is refused by the server) and never shows in the error.
func TestClickHousePasswordFile(t *testing.T) {
	srv := chtest.Start(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good", "\n") // the default user has an empty password
	bad := write("bad", "s3cret-value\n")

	o := outputFlags{migrate: false}
	o.clickhouse.DSN = "clickhouse://" + srv.Addr + "/default"
	o.clickhouse.Database = "default"
	o.passwordFile = good
	ws, err := o.open(context.Background(), nil)
	if err != nil {
		t.Fatalf("with the right password file: %v", err)
	}
	closeAll(ws)

	o.passwordFile = bad
	_, err = o.open(context.Background(), nil)
	if err == nil {
		t.Fatal("a wrong password from the file was accepted")
	}
	if strings.Contains(err.Error(), "s3cret-value") {
		t.Fatalf("error shows the password: %v", err)
	}

	o.passwordFile = filepath.Join(dir, "missing")
	if _, err := o.open(context.Background(), nil); err == nil || !strings.Contains(err.Error(), "clickhouse-password-file") {
		t.Fatalf("missing file: got %v, want an error naming the flag", err)
	}
}
