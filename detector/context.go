package detector

import (
	"strings"

	"github.com/cespare/xxhash/v2"

	"github.com/vigie/vigie/ingest"
)

// contextFP fingerprints where account e's event came from: its network
// (an IPv4 /24 or an IPv6 /48, so a DHCP lease or a NAT pool stays one
// network) and its user agent without version numbers (browsers update
// every few weeks, everyone within days: a new version is not a new
// machine). 0 means the event says nothing (neither field). Stolen
// credentials used from an attacker's machine show as a context new to
// the account; see models.Baseline.NoveltyScore.
func (e *entity) contextFP(ev *ingest.Event) uint32 {
	if ev.SrcIP == "" && ev.UserAgent == "" {
		return 0
	}
	// Stripping the digits walks the whole user agent; an account keeps
	// the same one for weeks, so the stripped hash is cached against the
	// plain one.
	raw := uint32(xxhash.Sum64String(ev.UserAgent))
	if raw != e.uaRaw || e.uaNorm == 0 {
		e.uaRaw, e.uaNorm = raw, agentFamily(ev.UserAgent)
	}
	h := xxhash.Sum64String(network(ev.SrcIP)) ^ 0x9e3779b97f4a7c15*uint64(e.uaNorm)
	return uint32(h) ^ uint32(h>>32) | 1
}

// agentFamily hashes a user agent with every run of digits taken out:
// "Chrome/134.0.6998.89" and "Chrome/135.0.7049.42" are one family.
func agentFamily(ua string) uint32 {
	var d xxhash.Digest
	d.Reset()
	start := 0
	for k := 0; k <= len(ua); k++ {
		if k == len(ua) || ua[k]-'0' < 10 {
			if k > start {
				d.WriteString(ua[start:k])
			}
			start = k + 1
		}
	}
	return uint32(d.Sum64()) | 1
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
