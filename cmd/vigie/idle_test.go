package main

import (
	"testing"
	"time"
)

// A broker that cannot be reached is not a quiet topic: while the source
// keeps waiting out errors, the stream does not count as idle (event time
// must not advance past the backlog, and --exit-when-idle must not stop).
func TestIdleClockBrokerErrorsAreNotQuiet(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	c := idleClock{since: t0}
	c.tick(t0.Add(time.Second), 10, 0) // records
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	for s := 2; s <= 60; s++ {
		c.tick(at(s), 0, int64(s)) // no record, but a broker error each second
	}
	if idle := c.idle(at(60)); idle > time.Second {
		t.Fatalf("idle %v during a broker outage, want about 0", idle)
	}
	for s := 61; s <= 90; s++ {
		c.tick(at(s), 0, 60) // the broker is back, the topic is quiet
	}
	if idle := c.idle(at(90)); idle != 30*time.Second {
		t.Fatalf("idle %v after 30 quiet seconds, want 30s", idle)
	}
	c.tick(at(91), 1, 60)
	if idle := c.idle(at(91)); idle != 0 {
		t.Fatalf("idle %v right after a record, want 0", idle)
	}
}
