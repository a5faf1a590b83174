package ingest

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestKafkaSourceCommitOffsets: a consumer that fetched ahead commits only
// what it processed; the rest comes back to the group's next consumer, and
// offsets behind the committed ones, past the fetched ones or of partitions
// never fetched are ignored.
func TestKafkaSourceCommitOffsets(t *testing.T) {
	b := startBroker(t, map[string]int{"ahead": 1})
	all := numbered("rec-", 30)
	produce(t, b.Addrs(), "ahead", all...)
	cfg := KafkaConfig{Brokers: b.Addrs(), Topic: "ahead", Group: "ahead"}
	ctx := context.Background()

	s1 := newSource(t, cfg)
	got := fetchN(t, s1, len(all))
	processed := got[9] // the first ten records are durable
	if err := s1.CommitOffsets(ctx, map[int32]int64{processed.Partition: processed.Offset}); err != nil {
		t.Fatalf("CommitOffsets: %v", err)
	}
	if st := s1.Stats(); st.Commits != 1 || st.Uncommitted != 20 {
		t.Errorf("after CommitOffsets: Commits=%d Uncommitted=%d, want 1 and 20", st.Commits, st.Uncommitted)
	}
	ignored := map[int32]int64{
		processed.Partition: got[4].Offset, // behind the committed offset
		7:                   3,             // never fetched
	}
	if err := s1.CommitOffsets(ctx, ignored); err != nil {
		t.Fatalf("CommitOffsets behind: %v", err)
	}
	if err := s1.CommitOffsets(ctx, map[int32]int64{processed.Partition: got[len(got)-1].Offset + 5}); err != nil {
		t.Fatalf("CommitOffsets past the fetched records: %v", err)
	}
	if st := s1.Stats(); st.Commits != 1 || st.Uncommitted != 20 {
		t.Errorf("after ignored commits: Commits=%d Uncommitted=%d, want 1 and 20", st.Commits, st.Uncommitted)
	}
	if err := s1.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s2 := newSource(t, cfg)
	rest := fetchN(t, s2, len(all)-10)
	expectNothing(t, s2, 2*time.Second)
	if g, w := strings.Join(values(rest), ","), strings.Join(all[10:], ","); g != w {
		t.Fatalf("after restart got %s\nwant %s", g, w)
	}
}
