package detector

import (
	"strings"

	"github.com/cespare/xxhash/v2"

	"github.com/vigie/vigie/ingest"
)

// contextFP fingerprints where an event came from: its network (an IPv4
// /24 or an IPv6 /48, so a DHCP lease or a NAT pool stays one network)
// and its user agent. 0 means the event says nothing (neither field).
// Stolen credentials used from an attacker's machine show as a context
// new to the account; see models.Baseline.NoveltyScore.
func contextFP(ev *ingest.Event) uint32 {
	if ev.SrcIP == "" && ev.UserAgent == "" {
		return 0
	}
	h := xxhash.Sum64String(network(ev.SrcIP)) ^ 0x9e3779b97f4a7c15*xxhash.Sum64String(ev.UserAgent)
	return uint32(h) ^ uint32(h>>32) | 1
}

// network returns the /24 of an IPv4 address or the /48 of an IPv6 one
// (the text up to the third separator), else ip itself.
func network(ip string) string {
	sep := byte('.')
	if strings.IndexByte(ip, ':') >= 0 {
		sep = ':'
	}
	n := 0
	for k := 0; k < len(ip); k++ {
		if ip[k] == sep {
			if n++; n == 3 {
				return ip[:k]
			}
		}
	}
	return ip
}
