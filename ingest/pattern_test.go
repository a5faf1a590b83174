package ingest

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
)

// appLog is an application's text log (a Log4j pattern layout, French
// sentences): the account and the organisation in the MDC brackets, a
// count in some messages, with a narrow no-break space between its
// thousands; a stack trace's lines and a line opening with a bracket.
const appLog = "2025-11-13 07:03:43,996 INFO  [exec-7] f.g.d.a.JournalAcces [598641fb|jdupont@ml.fr|ML-075-01] Consultation dossier id_de=94825787\n" +
	"2025-11-13 07:04:10,002 INFO  [exec-7] f.g.d.a.JournalAcces [598641fb|jdupont@ml.fr|ML-075-01] Recherche nom=MARTIN : 12 résultat(s) affiché(s) sur 40\n" +
	"2025-11-13 07:05:00,000 ERROR [exec-2] o.a.c.c.StandardWrapperValve [||] Servlet.service() threw exception\n" +
	"\tat fr.gouv.diade.api.ExportController.export(ExportController.java:88)\n" +
	"2025-11-13 00:32:37,079 INFO  [scheduling-1] f.g.d.b.SyncJob [job-23567|svc-sync|CE-038] lot 2/7 transmis : 12\u202f814 dossier(s)\n"

// A text log is read with --line-pattern: its named groups are the
// fields, inferred by their names as any log's keys; a line the pattern
// does not match is an unmatched_line dead letter; a French count with
// its thousands separated is read. Before, every line was a malformed_json
// dead letter, with no way to name its fields.
func TestLinePattern(t *testing.T) {
	p := filepath.Join(t.TempDir(), "diade-2025-11-13-1.log")
	if err := os.WriteFile(p, []byte(appLog), 0o644); err != nil {
		t.Fatal(err)
	}
	m := DefaultFieldMap()
	m.LinePattern = `^(?P<horodatage>\S+ \S+) +\w+ +\[[^]]*\] \S+ \[[^|]*\|(?P<utilisateur>[^|]*)\|(?P<structure>[^]]*)\] .*?(?:: (?P<nb_resultats>\d[\d\x{202f}\x{a0} ]*) (?:résultat|dossier).*)?$`
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	keys, err := SampleText([]string{p}, FormatAuto, 100, m.LinePattern)
	if err != nil {
		t.Fatal(err)
	}
	m.Infer(keys)
	if m.TS != "horodatage" || m.Account != "utilisateur" || m.Org != "structure" || m.Records != "nb_resultats" {
		t.Fatalf("inferred %+v", m)
	}
	m.Local = time.UTC
	r, err := NewFileReader([]string{p}, m, DefaultFileConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []string
	for ev, err := range r.Events(func(_ *Raw, err error) { got = append(got, reasonOf(err)) }) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, time.UnixMilli(ev.TS).UTC().Format("15:04:05")+" "+ev.Account+" "+ev.Org+" "+strconv.FormatInt(int64(ev.Records), 10))
	}
	want := []string{"07:03:43 jdupont@ml.fr ML-075-01 1", "07:04:10 jdupont@ml.fr ML-075-01 12", "missing_account",
		"unmatched_line", "00:32:37 svc-sync CE-038 12814"}
	if !slices.Equal(got, want) {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
	m.LinePattern = `^(\S+) (\S+)$`
	if err := m.Validate(); err == nil {
		t.Error("a pattern without a named group was accepted")
	}
}

// A count written with its thousands separated (French text: a space, a
// no-break space, a narrow one) is read; anything else is still refused.
func TestRecordsWithThousands(t *testing.T) {
	for in, want := range map[string]int64{"12 814": 12814, "1\u00a0000\u00a0000": 1000000, "12\u202f814": 12814, "40": 40, "3.0": 3} {
		if n, err := parseRecords([]byte(in)); err != nil || n != want {
			t.Errorf("parseRecords(%q) = %d, %v; want %d", in, n, err, want)
		}
	}
	for _, in := range []string{"12 8145", " 12", "12 81", "12  814", "1 2", "12 814 "} {
		if n, err := parseRecords([]byte(in)); err == nil {
			t.Errorf("parseRecords(%q) = %d, want an error", in, n)
		}
	}
}

// With --input-encoding=latin1 a line that is not valid UTF-8 is read as
// ISO-8859-1, as a legacy application writes its logs ("Déconnexion"
// with one byte 0xE9): before, and still by default, an invalid_utf8 dead
// letter. A line that is valid UTF-8 is read as such.
func TestLatin1Lines(t *testing.T) {
	latin := []byte("{\"ts\":1707725643123,\"account\":\"ren\xe9\",\"org\":\"caf\xe9\"}")
	utf := []byte(`{"ts":1707725643123,"account":"rené","org":"café"}`)
	var ev Event
	if err := NewJSONDecoder(DefaultFieldMap()).Decode(latin, &ev); reasonOf(err) != ReasonInvalidUTF8 {
		t.Errorf("UTF-8 only: %v, want %s", err, ReasonInvalidUTF8)
	}
	m := DefaultFieldMap()
	m.InputEncoding = EncodingLatin1
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, dec := range []Decoder{NewJSONDecoder(m), ForkDecoder(NewJSONDecoder(m), nil)} {
		for _, line := range [][]byte{latin, utf} {
			if err := dec.Decode(line, &ev); err != nil || ev.Account != "rené" || ev.Org != "café" {
				t.Errorf("latin1 %q: %q %q, %v", line, ev.Account, ev.Org, err)
			}
		}
	}
	csv := NewCSVDecoder(m)
	csv.Decode([]byte("ts;account"), &ev)
	if err := csv.Decode([]byte("1707725643123;ren\xe9"), &ev); err != nil || ev.Account != "rené" {
		t.Errorf("latin1 CSV: %q, %v", ev.Account, err)
	}
	m.InputEncoding = "cp1252"
	if m.Validate() == nil {
		t.Error("an unknown encoding was accepted")
	}
}
