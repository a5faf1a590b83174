package main

import (
	"context"
	"errors"
	"io"
	"sync"

	"github.com/schollz/progressbar/v3"

	"github.com/vigie/vigie/ingest"
)

// Parallel replay: one reader goroutine cuts the input into chunks of
// lines, decoder goroutines turn each chunk into events, and the caller's
// goroutine feeds the chunks to the single detector in input order. The
// detector sees exactly the sequence of events and dead letters that the
// sequential replayAll gives it, so the output is the same, byte for byte.
//
// Chunk limits: big enough that the channel operations and the decoder fork
// per chunk cost nothing next to the lines, small enough that the chunks in
// flight stay in the caches and in a few megabytes.
const (
	chunkLines = 2048
	chunkBytes = 1 << 20
)

// lineRef locates one line of a chunk.
type lineRef struct {
	start, end int
	// offset is the line number in its file (Raw.Offset).
	offset int64
}

// lineChunk is a run of consecutive lines of one file, then their decoded
// events or decode errors.
type lineChunk struct {
	data   []byte
	lines  []lineRef
	source string
	// dec is a fork of the file's decoder, in the state of the start of the
	// chunk; the decoder goroutines fork it in turn. Nil when every line of
	// the chunk was rejected by the reader itself (over-long lines).
	dec ingest.Decoder
	// errs[k] is the decode error of line k, set by the reader for lines it
	// rejected and by the decoder goroutine for the others.
	errs   []error
	events []ingest.Event
	// err, on the last chunk, is the error that stopped the reader.
	err error
	// ready receives once the chunk is decoded.
	ready chan struct{}
}

func (c *lineChunk) reset() {
	c.data, c.lines, c.errs = c.data[:0], c.lines[:0], c.errs[:0]
	c.source, c.dec, c.err = "", nil, nil
}

// raw returns line k as the Raw the file reader had handed out.
func (c *lineChunk) raw(k int) ingest.Raw {
	l := c.lines[k]
	return ingest.Raw{Data: c.data[l.start:l.end], Source: c.source, Partition: -1, Offset: l.offset}
}

// replayParallel is replayAll with the decoding spread over decoders
// goroutines. The output is the same as replayAll's.
func replayParallel(ctx context.Context, p *pipeline, reader *ingest.FileReader, bar *progressbar.ProgressBar, decoders int) error {
	decoders = max(decoders, 1)
	// Chunks in flight: each decoder busy on one, as many decoded ahead of
	// the detector, and one being filled by the reader.
	inFlight := 2*decoders + 1
	free := make(chan *lineChunk, inFlight)
	for range inFlight {
		free <- &lineChunk{ready: make(chan struct{}, 1)}
	}
	work := make(chan *lineChunk, inFlight)
	order := make(chan *lineChunk, inFlight)
	stop := make(chan struct{})

	var wg sync.WaitGroup
	wg.Go(func() { readChunks(reader, free, work, order, stop) })
	for range decoders {
		wg.Go(func() { decodeChunks(work) })
	}
	err := feedChunks(ctx, p, reader, bar, order, free)
	close(stop)
	wg.Wait()
	return err
}

// feedChunks observes the decoded chunks in input order, flushing the sinks
// every flushEvery lines as replayAll does, and recycles them.
func feedChunks(ctx context.Context, p *pipeline, reader *ingest.FileReader, bar *progressbar.ProgressBar, order <-chan *lineChunk, free chan<- *lineChunk) error {
	n := 0
	for c := range order {
		<-c.ready
		for k := range c.lines {
			n++
			if err := c.errs[k]; err != nil {
				raw := c.raw(k)
				p.deadLetter(&raw, err)
			} else {
				p.observe(&c.events[k])
			}
			if err := flushPeriodically(ctx, p, n, reader, bar); err != nil {
				return err
			}
		}
		if c.err != nil {
			return c.err
		}
		free <- c
	}
	return nil
}

// readChunks cuts the reader's lines into chunks, each within one file, and
// hands every chunk both to the decoders and, in order, to the detector.
// Lines the reader hands out with a decoder other than its file's (over-long
// lines) are decoded here: that decoder only reports the error.
func readChunks(reader *ingest.FileReader, free <-chan *lineChunk, work, order chan<- *lineChunk, stop <-chan struct{}) {
	defer close(work)
	defer close(order)
	var c *lineChunk
	send := func() bool {
		select {
		case order <- c:
		case <-stop:
			return false
		}
		work <- c // Never blocks: work has room for every chunk.
		c = nil
		return true
	}
	var (
		fileDec   ingest.Decoder // The current file's decoder.
		fork      ingest.Decoder // Its fork for the chunks, taken at the file's start.
		lastSrc   string
		lastOff   int64
		lastEpoch int
		scratch   ingest.Event
	)
	for {
		if c == nil {
			select {
			case c = <-free:
			case <-stop:
				return
			}
			c.reset()
		}
		raw, dec, err := reader.Next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				c.err = err
			}
			send()
			return
		}
		newFile := raw.Source != lastSrc || raw.Offset <= lastOff || reader.Epoch() != lastEpoch
		lastSrc, lastOff, lastEpoch = raw.Source, raw.Offset, reader.Epoch()
		switch dec.(type) {
		case *ingest.JSONDecoder, *ingest.CSVDecoder:
			if dec != fileDec || newFile {
				// A new file (or the first regular line after an over-long
				// first one, or a W3C log's new directive): its decoder's
				// state, CSV header included, is final now, so fork it
				// before the reader moves on.
				fileDec, fork = dec, ingest.ForkDecoder(dec, nil)
			}
		}
		if len(c.lines) > 0 && (newFile || c.source != raw.Source) {
			if !send() {
				return
			}
			select {
			case c = <-free:
			case <-stop:
				return
			}
			c.reset()
		}
		c.source = raw.Source
		if dec == fileDec {
			c.dec = fork
			c.errs = append(c.errs, nil)
		} else {
			c.errs = append(c.errs, dec.Decode(raw.Data, &scratch))
		}
		start := len(c.data)
		c.data = append(c.data, raw.Data...)
		c.lines = append(c.lines, lineRef{start: start, end: len(c.data), offset: raw.Offset})
		if len(c.lines) >= chunkLines || len(c.data) >= chunkBytes {
			if !send() {
				return
			}
		}
	}
}

// decodeChunks decodes the lines of each chunk it receives into the chunk's
// events, with decoders of its own.
func decodeChunks(work <-chan *lineChunk) {
	var json, csv ingest.Decoder
	for c := range work {
		if c.dec != nil {
			var dec ingest.Decoder
			if _, ok := c.dec.(*ingest.CSVDecoder); ok {
				csv = ingest.ForkDecoder(c.dec, csv)
				dec = csv
			} else {
				json = ingest.ForkDecoder(c.dec, json)
				dec = json
			}
			if cap(c.events) < len(c.lines) {
				c.events = make([]ingest.Event, len(c.lines), max(len(c.lines), chunkLines))
			}
			c.events = c.events[:len(c.lines)]
			for k, l := range c.lines {
				if c.errs[k] != nil {
					continue
				}
				ev := &c.events[k]
				ev.Reset()
				c.errs[k] = dec.Decode(c.data[l.start:l.end], ev)
			}
		}
		c.ready <- struct{}{}
	}
}
