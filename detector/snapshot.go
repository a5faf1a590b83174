package detector

import (
	"encoding/gob"
	"fmt"
	"io"

	"github.com/axiomhq/hyperloglog"

	"github.com/vigie/vigie/models"
)

// snapshotVersion changes whenever the snapshot layout does.
const snapshotVersion = 19

// state is everything a restarted detector needs to resume exactly.
type state struct {
	Version            int
	Ents               []entity
	Peers              []models.Peer
	PeerIdx            map[string]int32
	Open               []int32
	Incs               []incident
	HLL                map[int32][]byte
	FirstTS            int64
	MaxTS              int64
	ClosedTo           int64
	NextClose          int64
	PeerDay            int32
	Threshold          float64
	Thr                [numFamilies]float64
	Active             int
	ActiveOrgs         int
	ActiveRef, OrgsRef float64
	LastDay            int32
	Stats              Stats
	Out                Output
	// Organisation share test of the day being closed.
	Shares              map[int32]orgShare
	ShareDay, ShareHist [numShares]scoreHist
	Breadth             breadth
	Base                [numFamilies]float64
	Tails               [numFamilies]tailRate
	TailDay             int32
}

// Snapshot writes the detector's whole state (baselines, open windows,
// sketches, incidents, watermark, pending output) to w. Restore it into a
// detector built with the same Config.
func (d *Detector) Snapshot(w io.Writer) error {
	st := state{
		Version: snapshotVersion, Ents: d.ents, Peers: d.peers, PeerIdx: d.peerIdx,
		Open: d.open, Incs: d.incs, HLL: make(map[int32][]byte, len(d.hll)),
		FirstTS: d.firstTS, MaxTS: d.maxTS, ClosedTo: d.closedTo, NextClose: d.nextClose,
		PeerDay: d.peerDay, Threshold: d.threshold, Thr: d.thr, Active: d.activeToday, ActiveOrgs: d.activeOrgs, ActiveRef: d.activeRef, OrgsRef: d.orgsRef, LastDay: d.lastDay,
		Stats: d.stats, Out: d.out,
		Shares: d.shares, ShareDay: d.shareDay, ShareHist: d.shareHist, Breadth: d.breadth,
		Base: d.base, Tails: d.tails, TailDay: d.tailDay,
	}
	for k, sk := range d.hll {
		b, err := sk.MarshalBinary()
		if err != nil {
			return fmt.Errorf("encoding sketch: %w", err)
		}
		st.HLL[k] = b
	}
	if err := gob.NewEncoder(w).Encode(&st); err != nil {
		return fmt.Errorf("encoding detector snapshot: %w", err)
	}
	return nil
}

// Restore replaces d's state with a snapshot written by Snapshot.
func (d *Detector) Restore(r io.Reader) error {
	var st state
	if err := gob.NewDecoder(r).Decode(&st); err != nil {
		return fmt.Errorf("decoding detector snapshot: %w", err)
	}
	if st.Version != snapshotVersion {
		return fmt.Errorf("decoding detector snapshot: version %d, want %d", st.Version, snapshotVersion)
	}
	d.ents, d.peers, d.open, d.incs = st.Ents, st.Peers, st.Open, st.Incs
	d.peerIdx = st.PeerIdx
	if d.peerIdx == nil {
		d.peerIdx = map[string]int32{}
	}
	d.index = make(map[string]int32, len(d.ents))
	for i := range d.ents {
		d.index[string(d.key(d.ents[i].Kind, d.ents[i].Key))] = int32(i)
	}
	d.hll = make(map[int32]*hyperloglog.Sketch, len(st.HLL))
	for k, b := range st.HLL {
		sk := hyperloglog.New14()
		if err := sk.UnmarshalBinary(b); err != nil {
			return fmt.Errorf("decoding sketch of entity %d: %w", k, err)
		}
		d.hll[k] = sk
	}
	d.firstTS, d.maxTS, d.closedTo, d.nextClose = st.FirstTS, st.MaxTS, st.ClosedTo, st.NextClose
	d.peerDay, d.threshold, d.activeToday, d.lastDay = st.PeerDay, st.Threshold, st.Active, st.LastDay
	d.thr, d.activeOrgs, d.activeRef, d.orgsRef = st.Thr, st.ActiveOrgs, st.ActiveRef, st.OrgsRef
	d.stats, d.out = st.Stats, st.Out
	d.shares, d.shareDay, d.shareHist, d.breadth = st.Shares, st.ShareDay, st.ShareHist, st.Breadth
	d.base, d.tails, d.tailDay = st.Base, st.Tails, st.TailDay
	if d.shares == nil {
		d.shares = map[int32]orgShare{}
	}
	if d.stats.AlertsBySeverity == nil {
		d.stats.AlertsBySeverity = map[string]int64{}
	}
	if d.stats.AlertsByDetector == nil {
		d.stats.AlertsByDetector = map[string]int64{}
	}
	return nil
}
