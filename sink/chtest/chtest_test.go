package chtest

import (
	"context"
	"testing"
)

func TestServerAnswersQueries(t *testing.T) {
	s := Start(t)
	db := s.NewDatabase(t)
	conn := s.Conn(t, db)
	ctx := context.Background()
	if err := conn.Exec(ctx, "CREATE TABLE t (a UInt8) ENGINE = Memory"); err != nil {
		t.Fatal(err)
	}
	// On 18.16, INSERT ... VALUES through Exec hangs: inserts go through
	// batches with named columns.
	batch, err := conn.PrepareBatch(ctx, "INSERT INTO t (a)")
	if err != nil {
		t.Fatal(err)
	}
	if err := batch.Append(uint8(7)); err != nil {
		t.Fatal(err)
	}
	if err := batch.Send(); err != nil {
		t.Fatal(err)
	}
	var got uint8
	if err := conn.QueryRow(ctx, "SELECT a FROM t").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != 7 {
		t.Fatalf("got %d, want 7", got)
	}
}
