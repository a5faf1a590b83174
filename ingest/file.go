package ingest

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/spf13/pflag"
)

// Format is the encoding of the lines of an input.
type Format string

// The input formats. FormatAuto picks one per file with FormatOf.
const (
	FormatAuto Format = "auto"
	FormatJSON Format = "json"
	FormatCSV  Format = "csv"
	FormatW3C  Format = "w3c"
)

// FormatOf guesses the format of a file from its name: CSV when it ends in
// .csv or .tsv (the separator is read from the header), before an optional
// .gz, .zst or .bz2; JSON lines otherwise (stdin too).
func FormatOf(path string) Format {
	p := strings.ToLower(path)
	p = strings.TrimSuffix(p, ".gz")
	p = strings.TrimSuffix(p, ".zst")
	p = strings.TrimSuffix(p, ".bz2")
	if strings.HasSuffix(p, ".csv") || strings.HasSuffix(p, ".tsv") {
		return FormatCSV
	}
	return FormatJSON
}

// NewDecoder returns a new decoder for format f (FormatAuto means JSON).
// For CSV the first line it decodes is the header; for W3C, its #Fields
// directives.
func NewDecoder(f Format, m FieldMap) Decoder {
	switch f {
	case FormatCSV:
		return NewCSVDecoder(m)
	case FormatW3C:
		return NewW3CDecoder(m)
	}
	return NewJSONDecoder(m)
}

// Magic numbers of the compressed formats, checked whatever the file name:
// a compressed file without its extension is still read, and a .gz that is
// not gzip fails loudly instead of feeding garbage to the decoders.
var (
	gzipMagic  = []byte{0x1f, 0x8b}
	zstdMagic  = []byte{0x28, 0xb5, 0x2f, 0xfd}
	bzip2Magic = []byte("BZh")
)

// OpenFile opens an input for reading, "-" meaning stdin, and decompresses
// gzip, zstd and bzip2 data (rotated logs), recognised by their magic
// bytes. A file named .gz, .zst or .bz2 that does not hold what its name
// says is an error. Closing the result closes the file (but never stdin).
func OpenFile(path string) (io.ReadCloser, error) {
	return openCounted(path, nil, nil)
}

// openCounted is OpenFile adding the bytes read from the file, before
// decompression, to n when n is not nil; stdin is read from in when in is
// not nil.
func openCounted(path string, in io.Reader, n *atomic.Int64) (io.ReadCloser, error) {
	var src io.Reader
	var closers []io.Closer
	if path == "-" {
		src = in
		if src == nil {
			src = os.Stdin
		}
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("opening input: %w", err)
		}
		src = f
		closers = append(closers, f)
	}
	fail := func(err error) (io.ReadCloser, error) {
		for _, c := range closers {
			c.Close()
		}
		return nil, err
	}
	br := bufio.NewReaderSize(&countingReader{r: src, n: n}, 64<<10)
	magic, err := br.Peek(len(zstdMagic))
	if err != nil && !errors.Is(err, io.EOF) {
		return fail(fmt.Errorf("reading %s: %w", path, err))
	}
	ext := strings.ToLower(filepath.Ext(path))
	var r io.Reader = br
	switch {
	case bytes.HasPrefix(magic, gzipMagic):
		gz, err := gzip.NewReader(br)
		if err != nil {
			return fail(fmt.Errorf("reading gzip header of %s: %w", path, err))
		}
		r = gz
		closers = append([]io.Closer{gz}, closers...)
	case bytes.HasPrefix(magic, zstdMagic):
		zr, err := zstd.NewReader(br)
		if err != nil {
			return fail(fmt.Errorf("reading zstd header of %s: %w", path, err))
		}
		r = zr
		closers = append([]io.Closer{zr.IOReadCloser()}, closers...)
	case bytes.HasPrefix(magic, bzip2Magic) && len(magic) > 3 && magic[3] >= '1' && magic[3] <= '9':
		r = bzip2.NewReader(br)
	case ext == ".gz":
		return fail(fmt.Errorf("reading %s: named .gz but not gzip data", path))
	case ext == ".bz2":
		return fail(fmt.Errorf("reading %s: named .bz2 but not bzip2 data", path))
	case ext == ".zst":
		return fail(fmt.Errorf("reading %s: named .zst but not zstd data", path))
	}
	return &multiCloser{Reader: r, closers: closers}, nil
}

// countingReader counts the bytes read through it, for progress reports.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.n != nil {
		c.n.Add(int64(n))
	}
	return n, err
}

// multiCloser closes the decompressor, then the file.
type multiCloser struct {
	io.Reader
	closers []io.Closer
}

func (m *multiCloser) Close() error {
	var errs []error
	for _, c := range m.closers {
		errs = append(errs, c.Close())
	}
	m.closers = nil
	return errors.Join(errs...)
}

// FileConfig configures a FileReader.
type FileConfig struct {
	// Format is the format of every input, or FormatAuto to pick it per
	// file from its name.
	Format Format `yaml:"input-format"`
	// MaxLineBytes is the longest line decoded; longer lines become
	// line_too_long dead letters.
	MaxLineBytes int `yaml:"max-line-bytes"`
}

// DefaultFileConfig returns the defaults: format from the file name, 1 MiB
// lines.
func DefaultFileConfig() FileConfig {
	return FileConfig{Format: FormatAuto, MaxLineBytes: DefaultMaxLineBytes}
}

// RegisterFlags adds --input-format and --max-line-bytes to fs, defaulting
// to the values in c. The field names have their own flags: see
// FieldMap.RegisterFlags.
func (c *FileConfig) RegisterFlags(fs *pflag.FlagSet) {
	fs.StringVar((*string)(&c.Format), "input-format", string(c.Format),
		"format of the input files: auto (W3C extended for a file beginning with a #Version or #Fields directive, CSV for *.csv[.gz|.zst], JSON lines otherwise), json, csv or w3c")
	fs.IntVar(&c.MaxLineBytes, "max-line-bytes", c.MaxLineBytes,
		"longest input line decoded; longer lines become line_too_long dead letters")
}

// Validate checks the format name and the line limit.
func (c *FileConfig) Validate() error {
	switch c.Format {
	case FormatAuto, FormatJSON, FormatCSV, FormatW3C:
	default:
		return fmt.Errorf("--input-format %q: want auto, json, csv or w3c", c.Format)
	}
	if c.MaxLineBytes < 1 {
		return fmt.Errorf("--max-line-bytes %d: must be positive", c.MaxLineBytes)
	}
	return nil
}

// FileReader reads the lines of several inputs in order, each plain, gzip
// or zstd, and hands out each line with the decoder for its file. Header
// lines of CSV files are consumed by the reader; empty lines are skipped
// (they still count in line numbers). It is not safe for concurrent use,
// except BytesRead.
type FileReader struct {
	paths  []string
	stdin  io.Reader // What "-" reads (nil: os.Stdin).
	cfg    FileConfig
	fields FieldMap
	total  int64
	read   atomic.Int64

	next int // Index in paths of the next file to open.
	cur  io.ReadCloser
	name string
	line int64
	br   *bufio.Reader
	dec  Decoder
	// needHeader is set until the header of a CSV file was read; header
	// holds that line: files concatenated (cat day1.csv day2.csv) repeat
	// it, and a repeat is skipped as the first was.
	needHeader bool
	header     []byte
	json       *JSONDecoder
	csv        *CSVDecoder
	w3c        *CSVDecoder
	// epoch counts the changes of the decoders' state: files opened and
	// W3C directives read (Epoch).
	epoch   int
	tooLong lineTooLong
	trunc   []byte
}

// NewFileReader checks that every path can be read (so a typo fails before
// hours of work, not after) and returns a reader over them. Paths may be
// "-" for stdin.
func NewFileReader(paths []string, fields FieldMap, cfg FileConfig) (*FileReader, error) {
	if len(paths) == 0 {
		return nil, errors.New("no input files")
	}
	if err := fields.Validate(); err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	r := &FileReader{paths: paths, cfg: cfg, fields: fields}
	for _, p := range paths {
		if p == "-" {
			r.total = -1
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("opening input: %w", err)
		}
		if st.IsDir() {
			return nil, fmt.Errorf("opening input %s: is a directory", p)
		}
		if !st.Mode().IsRegular() {
			r.total = -1
		} else if r.total >= 0 {
			r.total += st.Size()
		}
	}
	return r, nil
}

// NewStreamReader returns a reader over the one input in, read as the
// file "-" would be: compressed or not, in cfg's format (JSON lines unless
// cfg names CSV).
func NewStreamReader(in io.Reader, fields FieldMap, cfg FileConfig) (*FileReader, error) {
	r, err := NewFileReader([]string{"-"}, fields, cfg)
	if err != nil {
		return nil, err
	}
	r.stdin = in
	return r, nil
}

// Epoch changes whenever the state of the decoder Next returns may have
// changed between two lines: a new file, or a W3C directive (a server's
// restart may log other fields). A copy of the decoder (ForkDecoder)
// decodes the lines that follow it as long as Epoch stays the same.
func (r *FileReader) Epoch() int { return r.epoch }

// TotalBytes returns the summed size of the inputs as stored (compressed),
// or -1 when one is stdin or a pipe and the total is unknown.
func (r *FileReader) TotalBytes() int64 { return r.total }

// BytesRead returns how many bytes, as stored (compressed), were read so
// far. Unlike the other methods it may be called from another goroutine,
// for a progress bar.
func (r *FileReader) BytesRead() int64 { return r.read.Load() }

// Next returns the next line with the decoder to use for it, or io.EOF
// after the last line of the last file. Raw.Data is valid until the next
// call. Every line, valid or not, goes through the returned decoder: a
// line longer than MaxLineBytes comes back truncated to TruncatedLineBytes
// with a decoder that fails with line_too_long, so dead letters are made in
// one place. Any other error (a corrupt compressed stream, a CSV file whose
// header lacks a required column) stops the reader and names the file.
func (r *FileReader) Next() (Raw, Decoder, error) {
	for {
		if r.cur == nil {
			if r.next >= len(r.paths) {
				return Raw{}, nil, io.EOF
			}
			if err := r.open(r.paths[r.next]); err != nil {
				return Raw{}, nil, err
			}
			r.next++
		}
		data, err := r.br.ReadSlice('\n')
		if len(data) == 0 && errors.Is(err, io.EOF) {
			if err := r.closeCurrent(); err != nil {
				return Raw{}, nil, err
			}
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
			return Raw{}, nil, fmt.Errorf("reading %s after line %d: %w", r.name, r.line, err)
		}
		r.line++
		raw := Raw{Source: r.name, Partition: -1, Offset: r.line}
		if errors.Is(err, bufio.ErrBufferFull) {
			if r.needHeader {
				return Raw{}, nil, fmt.Errorf("reading %s line %d: CSV header longer than %d bytes", r.name, r.line, r.cfg.MaxLineBytes)
			}
			return r.skipLongLine(raw, data)
		}
		data = bytes.TrimSuffix(data, []byte{'\n'})
		data = bytes.TrimSuffix(data, []byte{'\r'})
		if r.line == 1 {
			data = bytes.TrimPrefix(data, utf8BOM)
		}
		if len(data) == 0 {
			continue
		}
		if r.dec == Decoder(r.w3c) && data[0] == '#' {
			if err := r.w3c.directive(data); err != nil {
				return Raw{}, nil, fmt.Errorf("reading %s line %d: %w", r.name, r.line, err)
			}
			r.epoch++
			continue
		}
		if r.needHeader {
			var ev Event
			if err := r.csv.Decode(data, &ev); !errors.Is(err, ErrHeader) {
				return Raw{}, nil, fmt.Errorf("reading %s line %d: %w", r.name, r.line, err)
			}
			r.needHeader = false
			r.header = append(r.header[:0], bytes.TrimPrefix(data, utf8BOM)...)
			continue
		}
		if r.dec == Decoder(r.csv) && bytes.Equal(bytes.TrimPrefix(data, utf8BOM), r.header) {
			continue
		}
		if len(data) > r.cfg.MaxLineBytes {
			r.trunc = append(r.trunc[:0], data[:min(len(data), TruncatedLineBytes)]...)
			r.tooLong.n = len(data)
			raw.Data = r.trunc
			return raw, &r.tooLong, nil
		}
		raw.Data = data
		return raw, r.dec, nil
	}
}

// Events yields the events of r's lines in order, each decoded into one
// reused Event. A line that does not decode goes to bad with its error and
// the sequence goes on; an error reading the inputs ends it, yielded with
// a nil event.
func (r *FileReader) Events(bad func(*Raw, error)) iter.Seq2[*Event, error] {
	return func(yield func(*Event, error) bool) {
		var ev Event
		for {
			raw, dec, err := r.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				yield(nil, err)
				return
			}
			ev.Reset()
			if err := dec.Decode(raw.Data, &ev); err != nil {
				bad(&raw, err)
				continue
			}
			if !yield(&ev, nil) {
				return
			}
		}
	}
}

// skipLongLine keeps the start of a line that does not fit in the buffer and
// discards the rest.
func (r *FileReader) skipLongLine(raw Raw, data []byte) (Raw, Decoder, error) {
	r.trunc = append(r.trunc[:0], data[:min(len(data), TruncatedLineBytes)]...)
	n := len(data)
	var err error
	for {
		data, err = r.br.ReadSlice('\n')
		n += len(data)
		if !errors.Is(err, bufio.ErrBufferFull) {
			break
		}
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return Raw{}, nil, fmt.Errorf("reading %s line %d: %w", r.name, r.line, err)
	}
	if bytes.HasSuffix(data, []byte{'\n'}) {
		n--
	}
	r.tooLong.n = n
	raw.Data = r.trunc
	return raw, &r.tooLong, nil
}

// open starts reading path.
func (r *FileReader) open(path string) error {
	rc, err := openCounted(path, r.stdin, &r.read)
	if err != nil {
		return err
	}
	r.cur, r.name, r.line = rc, path, 0
	r.epoch++
	size := r.cfg.MaxLineBytes + 2 // Room for "\r\n".
	if r.br == nil || r.br.Size() < size {
		r.br = bufio.NewReaderSize(rc, max(size, 64<<10))
	} else {
		r.br.Reset(rc)
	}
	r.tooLong.max = r.cfg.MaxLineBytes
	format := r.cfg.Format
	if format == FormatAuto {
		format = FormatOf(path)
		if sniffW3C(r.br) {
			format = FormatW3C
		}
	}
	switch format {
	case FormatCSV, FormatW3C:
		dec, newDec := &r.csv, NewCSVDecoder
		if format == FormatW3C {
			dec, newDec = &r.w3c, NewW3CDecoder
		}
		if *dec == nil {
			*dec = newDec(r.fields)
			(*dec).MaxLineBytes = r.cfg.MaxLineBytes
		}
		(*dec).Reset()
		// A CSV file's first line is its header; a W3C log's are its
		// directives (Next).
		r.dec, r.needHeader = *dec, format == FormatCSV
	default:
		if r.json == nil {
			r.json = NewJSONDecoder(r.fields)
			r.json.MaxLineBytes = r.cfg.MaxLineBytes
		}
		r.dec, r.needHeader = r.json, false
		if lines := jsonLines(r.br); lines != io.Reader(r.br) {
			r.br = bufio.NewReaderSize(lines, max(size, 64<<10))
		}
	}
	return nil
}

func (r *FileReader) closeCurrent() error {
	if r.cur == nil {
		return nil
	}
	err := r.cur.Close()
	r.cur = nil
	if err != nil {
		return fmt.Errorf("closing %s: %w", r.name, err)
	}
	return nil
}

// Close closes the file being read; Next then returns io.EOF. Close is safe
// to call twice.
func (r *FileReader) Close() error {
	r.next = len(r.paths)
	return r.closeCurrent()
}

// lineTooLong is the decoder of a line that exceeded the limit: it only
// reports it.
type lineTooLong struct {
	n, max int
}

func (d *lineTooLong) Decode([]byte, *Event) error {
	return &DecodeError{Reason: ReasonLineTooLong, Err: fmt.Errorf(
		"%d bytes, limit %d; kept the first %d", d.n, d.max, min(d.n, TruncatedLineBytes))}
}
