package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// sample writes data to a file named name and returns its keys.
func sample(t *testing.T, name, data string) []Key {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	keys, err := SampleFiles([]string{p}, FormatAuto, 100)
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func TestInferReadsAnotherSystemsNames(t *testing.T) {
	// An ECS-like log: nested user and event objects, French names, the
	// combined log format's "agent" for the user agent, and a count that
	// is sometimes text in another field.
	const line = `{"@timestamp":"2024-05-02T09:14:03Z","user":{"name":"adv-1","id":42},"organisation":"ml.lyon","profil":"conseiller",` +
		`"event":{"action":"export"},"endpoint":"/dossiers","client_ip":"10.0.0.1","agent":"Mozilla/5.0","session_id":"s1",` +
		`"nb_resultats":300,"results":"ok","beneficiaire_id":"1904310C"}`
	// The first line is a login: no record, no count.
	const login = `{"@timestamp":"2024-05-02T09:10:00Z","user":{"name":"adv-1"},"event":{"action":"login"},"nb_resultats":null,"beneficiaire_id":null}`
	keys := sample(t, "a.jsonl", login+"\n"+line+"\n\nnot json\n"+line+"\n")
	m := DefaultFieldMap()
	notes := m.Infer(keys)
	want := FieldMap{TS: "@timestamp", Account: "user.name", Org: "organisation", Role: "profil", Action: "event.action",
		Resource: "endpoint", SrcIP: "client_ip", UserAgent: "agent", Session: "session_id", Records: "nb_resultats",
		Subject: "beneficiaire_id"}
	if m != want {
		t.Fatalf("inferred %+v\nwant      %+v", m, want)
	}
	if len(notes) != int(numFields)-1 || notes[0] != "--field-ts=@timestamp" || notes[1] != "--field-account=user.name" {
		t.Errorf("notes %q", notes)
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	// A field null in every sampled line (logins first) is still read.
	m2 := DefaultFieldMap()
	m2.Infer(sample(t, "login.jsonl", login+"\n"))
	if m2.Subject != "beneficiaire_id" || m2.Records != "nb_resultats" {
		t.Errorf("from logins only: subject %q, records %q", m2.Subject, m2.Records)
	}
	var ev Event
	if err := NewJSONDecoder(m).Decode([]byte(line), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Account != "adv-1" || ev.Org != "ml.lyon" || ev.Records != 300 || ev.Action != "export" || ev.Subject != "1904310C" ||
		ev.TS != time.Date(2024, 5, 2, 9, 14, 3, 0, time.UTC).UnixMilli() {
		t.Errorf("decoded %+v", ev)
	}
}

// A sample is a guess: a line too long to read ends it without failing
// the replay, which makes that line a line_too_long dead letter.
func TestSampleStopsAtAnOverlongLine(t *testing.T) {
	keys := sample(t, "long.jsonl", `{"timestamp":1707725643123,"user":"a"}`+"\n"+`{"x":"`+strings.Repeat("y", DefaultMaxLineBytes)+`"}`+"\n")
	if len(keys) != 2 || keys[0].Name != "timestamp" {
		t.Errorf("keys %v, want those of the first line", keys)
	}
}

func TestInferKeepsWhatItShould(t *testing.T) {
	keys := sample(t, "b.jsonl", `{"ts":1707725643123,"account":"a","user":"b","nb_records":"many","count":3,"org_id":"o"}`+"\n")
	m := DefaultFieldMap()
	m.Role = "who" // chosen by the user, absent: kept, for the dead letters to say so
	notes := m.Infer(keys)
	if !slices.Equal(notes, []string{"--field-org=org_id"}) {
		t.Errorf("notes %q, want only the organisation", notes)
	}
	// Present defaults stay, a name already read is not given to
	// another field, a user's name is kept, text is not a count, and
	// "count" is too common a name to be one.
	if m.TS != "ts" || m.Account != "account" || m.Role != "who" || m.Records != "records" || m.Org != "org_id" {
		t.Errorf("inferred %+v", m)
	}
}

func TestInferReadsACSVHeader(t *testing.T) {
	keys := sample(t, "c.csv", "\ufeffhorodatage;utilisateur;structure;records_count;nb_resultats\n"+
		"2024-05-02 09:14:03;adv-1;ml.lyon;beaucoup;12\n2024-05-02 09:15:03;adv-2;ml.lyon;peu;3\n")
	m := DefaultFieldMap()
	m.Infer(keys)
	if m.TS != "horodatage" || m.Account != "utilisateur" || m.Org != "structure" || m.Records != "nb_resultats" {
		t.Errorf("inferred %+v", m)
	}
	m.Local = time.UTC // the times carry no offset
	d := NewCSVDecoder(m)
	if err := d.Decode([]byte("horodatage;utilisateur;structure;records_count;nb_resultats"), new(Event)); err != ErrHeader {
		t.Fatalf("header: %v", err)
	}
	var ev Event
	if err := d.Decode([]byte("2024-05-02 09:14:03;adv-1;ml.lyon;beaucoup;12"), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Account != "adv-1" || ev.Records != 12 || ev.Org != "ml.lyon" {
		t.Errorf("decoded %+v", ev)
	}
}

// Records and subjects are the names that vary most: a name no alias
// lists is read by its stem ("nb_enregistrements", "Nombre de résultats",
// "id_personne", "num_dossier_usager"), a count only when numeric. An
// independent generator's "nb_enregistrements" was read as one record an
// event, and every volume with it.
func TestInferReadsNamesByTheirStems(t *testing.T) {
	keys := sample(t, "k.jsonl", `{"horodatage":"2026-03-02 09:14:03.120","identifiant":"adv-1","structure_id":"CD059-1",`+
		`"octets_reponse":5120,"resultat":"ok","nb_enregistrements":40,"id_personne":"P1"}`+"\n")
	m := DefaultFieldMap()
	m.Infer(keys)
	if m.Records != "nb_enregistrements" || m.Subject != "id_personne" {
		t.Errorf("records %q, subject %q; want nb_enregistrements, id_personne", m.Records, m.Subject)
	}
	keys = sample(t, "k.csv", "Date et heure;Utilisateur;Structure;Nombre de résultats;Numéro de dossier usager\n"+
		"2026-03-02 09:14:03;adv-1;ml.lyon;12;D-1\n")
	m = DefaultFieldMap()
	m.Infer(keys)
	if m.Records != "Nombre de résultats" || m.Subject != "Numéro de dossier usager" || m.Account != "Utilisateur" {
		t.Errorf("CSV: records %q, subject %q, account %q", m.Records, m.Subject, m.Account)
	}
	// An agency's code is the organisation; its kind is not, wherever
	// the log lists it.
	keys = sample(t, "q.csv", "event_time;utc_offset;user_login;agency_kind;agency_code;user_profile;result_count;beneficiary_id\n"+
		"2026-07-06 08:14:03;+02:00;p.nom;mission_locale;ML59012;CONSEILLER;12;B1\n")
	m = DefaultFieldMap()
	m.Infer(keys)
	if m.Org != "agency_code" || m.Account != "user_login" || m.Records != "result_count" {
		t.Errorf("agency log: org %q, account %q, records %q", m.Org, m.Account, m.Records)
	}
	// Bytes are not records, nor is a status.
	keys = sample(t, "b.jsonl", `{"ts":"2026-03-02T09:14:03Z","account":"a","octets_reponse":5120,"resultat":"ok"}`+"\n")
	m = DefaultFieldMap()
	if notes := m.Infer(keys); len(notes) != 0 || m.Records != "records" {
		t.Errorf("inferred %q, records %q", notes, m.Records)
	}
}

// A SIEM's ECS export rotated daily: the first file holds a Sunday night
// of services (no person read, a count quoted by an older logger), the
// next a weekday. The fields are read across the files: the login before
// the display name, the first of the roles' list, the count by the last
// part of its nested name, quoted or not. An id that is a number in text
// is not a count.
func TestInferReadsAnECSExport(t *testing.T) {
	dir := t.TempDir()
	svc := `{"@timestamp":"2026-01-04T23:01:18.769919Z","event":{"action":"sync.poll"},"user":{"id":"svc_poll_cd013","name":"Interrogation horaire","roles":["SERVICE"]},` +
		`"organization":{"id":"CD013.001","name":"Département 13"},"http":{"response":{"status_code":200,"hits":"1"}}}`
	adv := `{"@timestamp":"2026-01-05T08:14:03.123456Z","event":{"action":"beneficiary.view"},"user":{"id":"pa-4821301","name":"Claire Martin","roles":["ADVISOR"]},` +
		`"organization":{"id":"ML044.012","name":"Mission locale Nantes"},"http":{"response":{"status_code":200,"hits":1}},"beneficiary":{"id":"1904310C"}}`
	var paths []string
	for name, data := range map[string]string{"access-2026-01-04.jsonl": svc, "access-2026-01-05.jsonl": adv} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	slices.Sort(paths)
	keys, err := SampleFiles(paths, FormatAuto, 10)
	if err != nil {
		t.Fatal(err)
	}
	m := DefaultFieldMap()
	m.Infer(keys)
	want := FieldMap{TS: "@timestamp", Account: "user.id", Org: "organization.id", Role: "user.roles", Action: "event.action",
		Resource: "resource", SrcIP: "src_ip", UserAgent: "user_agent", Session: "session", Records: "http.response.hits",
		Subject: "beneficiary.id"}
	if m != want {
		t.Errorf("inferred %+v\nwant      %+v", m, want)
	}
	// From the first file alone, the person read is not seen.
	if keys, err = SampleFiles(paths[:1], FormatAuto, 10); err != nil {
		t.Fatal(err)
	}
	m = DefaultFieldMap()
	m.Infer(keys)
	if m.Subject != "subject" || m.Records != "http.response.hits" {
		t.Errorf("from the services' night: subject %q, records %q", m.Subject, m.Records)
	}
	m = DefaultFieldMap()
	if m.Infer(sample(t, "r.jsonl", `{"ts":"2026-01-05T08:14:03Z","account":"a","search":{"result_id":"48213"}}`+"\n")); m.Records != "records" {
		t.Errorf("an id in text taken as the count: %q", m.Records)
	}
	var ev Event
	if err := NewJSONDecoder(want).Decode([]byte(adv), &ev); err != nil || ev.Account != "pa-4821301" || ev.Role != "ADVISOR" || ev.Records != 1 {
		t.Errorf("decoded %+v, %v", ev, err)
	}
	if err := NewJSONDecoder(want).Decode([]byte(svc), &ev); err != nil || ev.Records != 1 || ev.Role != "SERVICE" {
		t.Errorf("decoded %+v, %v", ev, err)
	}
}

// An API gateway's TSV log (an independent generator's): the records are
// the page's "returned", not the query's "total_hits"; the organisation
// is the code that begins each login, which the partner portal writes in
// upper case. As written, every event counted one record, the 1,611
// accounts were 2,555 and no organisation was read (163 false
// entity-days on its first seed; 67 with them read).
func TestInferReadsAGatewaysLogins(t *testing.T) {
	var rows strings.Builder
	rows.WriteString("ts\trequest_id\tlogin\tprofile\troute\tsubject_id\tpage_size\treturned\ttotal_hits\tstatus\n")
	for k := range 30 {
		login := fmt.Sprintf("ML%03d-adv%d", k%7, k)
		if k%10 == 3 {
			login = strings.ToUpper(login)
		}
		fmt.Fprintf(&rows, "2027-03-04T09:%02d:00.000+01:00\tr%d\t%s\tCONSEILLER\t/api/v2/individus\t-\t100\t100\t1234\t200\n", k, k, login)
	}
	rows.WriteString("2027-03-04T10:00:00.000+01:00\tr99\tml003-adv3\tCONSEILLER\t/api/v2/individus\t-\t100\t12\t12\t200\n")
	m := DefaultFieldMap()
	notes := m.Infer(sample(t, "gateway.tsv", rows.String()))
	if m.Records != "returned" || m.AccountCase != AccountFold || m.OrgFromAccount != OrgPrefix {
		t.Fatalf("records %q, account case %q, organisation from %q (notes %q); want returned, fold, prefix",
			m.Records, m.AccountCase, m.OrgFromAccount, notes)
	}
	d := NewCSVDecoder(m)
	d.Decode([]byte("ts\trequest_id\tlogin\tprofile\troute\tsubject_id\tpage_size\treturned\ttotal_hits\tstatus"), new(Event))
	// A fork (replay's parallel decoders) reads the same way.
	for _, dec := range []Decoder{d, ForkDecoder(d, nil)} {
		var ev Event
		if err := dec.Decode([]byte("2027-03-04T09:03:00.000+01:00\tr3\tML003-ADV3\tCONSEILLER\t/x\t-\t100\t100\t1234\t200"), &ev); err != nil {
			t.Fatal(err)
		}
		if ev.Account != "ml003-adv3" || ev.Org != "ml003" || ev.Records != 100 {
			t.Errorf("decoded account %q, org %q, records %d; want ml003-adv3, ml003, 100", ev.Account, ev.Org, ev.Records)
		}
	}
}

// The organisation is read from the account only where nine logins in
// ten carry one that others share: a code before '-' or '_', or an
// e-mail domain. Logins whose prefix holds no digit ("pa-4271884",
// "svc_export") or that are all different are left alone, and a log
// that names the organisation keeps its field.
func TestOrganisationFromTheAccount(t *testing.T) {
	logins := func(format string) []string {
		var l []string
		for k := range 40 {
			l = append(l, fmt.Sprintf(format, k%5, k))
		}
		return l
	}
	for _, c := range []struct {
		logins []string
		want   string
	}{
		{logins("CAF%02d-agent%d"), OrgPrefix},
		{logins("cd%03d_user%d"), OrgPrefix},
		{logins("agent%[2]d@ml-%[1]d.fr"), OrgDomain},
		{logins("pa-%d%d"), ""},
		{logins("X%d%d"), ""},
		{logins("ML%[2]d-a%[1]d"), ""}, // as many organisations as accounts
		{logins("CAF%02d-agent%d")[:10], ""},
	} {
		if got := orgRule(c.logins); got != c.want {
			t.Errorf("orgRule(%q...) = %q, want %q", c.logins[:2], got, c.want)
		}
	}
	for _, c := range []struct{ account, from, want string }{
		{"ML059B-jdupont", OrgPrefix, "ML059B"},
		{"CAF033-svc-export-nuit", OrgPrefix, "CAF033"},
		{"pa-4271884", OrgPrefix, ""},
		{"jdupont", OrgPrefix, ""},
		{"j.dupont@ml-lyon.fr", OrgDomain, "ml-lyon.fr"},
		{"jdupont", OrgDomain, ""},
	} {
		if got := orgOfAccount(c.account, c.from); got != c.want {
			t.Errorf("orgOfAccount(%q, %s) = %q, want %q", c.account, c.from, got, c.want)
		}
	}
	m := DefaultFieldMap()
	m.Infer([]Key{{Name: "ts"}, {Name: "account", Values: logins("CAF%02d-agent%d")}, {Name: "org"}})
	if m.OrgFromAccount != "" || m.AccountCase != "" {
		t.Errorf("with an org field: organisation from %q, account case %q; want neither", m.OrgFromAccount, m.AccountCase)
	}
}

// Names other logs commonly use: a count of files ("nb_fiches",
// "nb_dossiers", "nombre_de_personnes") is the records, never the
// subject, whose id is "id_fiche" or "num_dossier"; "org_code" is the
// organisation, as is a SIRET number ("orgSiret", behind a syslog header
// in altgen9's Spring audit log), "items" the records; "agent" is the
// account when it holds logins (a French log's agent is the civil servant) and the user
// agent when it holds browsers. Each of these schemas lost its count,
// its organisation or its account before.
func TestInferReadsCommonNames(t *testing.T) {
	for _, c := range []struct {
		line string
		want FieldMap
	}{
		{`{"timestamp":"2026-03-02T09:14:03+01:00","username":"jdupont","agency":"ML75","nb_fiches":12,"id_fiche":"F123"}`,
			FieldMap{Account: "username", Org: "agency", Records: "nb_fiches", Subject: "id_fiche"}},
		{`{"time":"2026-03-02T09:14:03Z","user_id":"u1","org_code":"CD93","count":12,"items":12}`,
			FieldMap{Account: "user_id", Org: "org_code", Records: "items", Subject: "subject"}},
		{`{"date":"2026-03-02 09:14:03","agent":"jdupont","structure":"CAF33","nb_dossiers":4,"num_dossier":"D1"}`,
			FieldMap{Account: "agent", Org: "structure", Records: "nb_dossiers", Subject: "num_dossier"}},
		{`<134>1 2026-10-05T09:14:03.412+02:00 api-02 partage-api 2817 AUDIT - {"timestamp":1791184443187,"principal":"t.paris","orgSiret":"44787761000082","recordCount":3}`,
			FieldMap{Account: "principal", Org: "orgSiret", Records: "recordCount", Subject: "subject"}},
		{`{"ts":"2026-03-02T09:14:03Z","user":"jdupont","agent":"Mozilla/5.0 (X11)","org":"ML75","nombre_de_personnes":3}`,
			FieldMap{Account: "user", Org: "org", Records: "nombre_de_personnes", Subject: "subject", UserAgent: "agent"}},
	} {
		m := DefaultFieldMap()
		m.Infer(sample(t, "c.jsonl", c.line+"\n"))
		if c.want.UserAgent == "" {
			c.want.UserAgent = "user_agent"
		}
		if m.Account != c.want.Account || m.Org != c.want.Org || m.Records != c.want.Records || m.Subject != c.want.Subject || m.UserAgent != c.want.UserAgent {
			t.Errorf("%s:\n got account %q org %q records %q subject %q user agent %q\nwant %q %q %q %q %q", c.line,
				m.Account, m.Org, m.Records, m.Subject, m.UserAgent, c.want.Account, c.want.Org, c.want.Records, c.want.Subject, c.want.UserAgent)
		}
	}
}

// A date and its time of day in two fields, as a French spreadsheet
// export or a firewall's key=value log writes them, are read as one time:
// before, the time of day alone was the ts (every line a bad_timestamp)
// or the date alone (every event at midnight). A duration is not a time
// of day, and a date with its time stays the ts alone.
func TestInferJoinsADateAndItsTimeOfDay(t *testing.T) {
	local := mustZone(t, "Europe/Paris")
	for name, c := range map[string]struct {
		data, ts, tod string
	}{
		"export.csv": {"Date;Heure;Utilisateur;Structure;Nb résultats;Durée\n02/03/2027;09:14:03;jdupont;ML075;12;00:00:02\n02/03/2027;9:15;jdupont;ML075;3;00:00:01\n", "Date", "Heure"},
		"fw.log":     {"date=2027-03-02 time=09:14:03 user=jdupont org=ML075 records=12\ndate=2027-03-02 time=09:15:00.5 user=jdupont org=ML075 records=3\n", "date", "time"},
		"iso.csv":    {"date,time_taken,user\n2027-03-02T09:14:03+01:00,00:00:02,jdupont\n2027-03-02T09:15:00+01:00,00:00:01,jdupont\n", "date", ""},
	} {
		m := DefaultFieldMap()
		m.Infer(sample(t, name, c.data))
		if m.TS != c.ts || m.TimeOfDay != c.tod {
			t.Errorf("%s: ts %q time of day %q, want %q and %q", name, m.TS, m.TimeOfDay, c.ts, c.tod)
			continue
		}
		m.Local = local
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(c.data), 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := NewFileReader([]string{p}, m, DefaultFileConfig())
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for ev, err := range r.Events(func(_ *Raw, err error) { t.Errorf("%s: %v", name, err) }) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, time.UnixMilli(ev.TS).UTC().Format("2006-01-02 15:04:05.0"))
		}
		r.Close()
		if want := []string{"2027-03-02 08:14:03.0", "2027-03-02 08:15:00.0"}; !slices.Equal(got, want) && name != "fw.log" ||
			name == "fw.log" && !slices.Equal(got, []string{"2027-03-02 08:14:03.0", "2027-03-02 08:15:00.5"}) {
			t.Errorf("%s: times %q", name, got)
		}
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// An account named by a phrase ("Identifiant agent", "Matricule
// conseiller", "Nom d'utilisateur") is found by its stem, as the
// organisation and the records are; a phrase that names the person read
// or the organisation is not the account. Before, a French export's
// every line failed on its header (no column "account").
func TestInferReadsAnAccountByItsStem(t *testing.T) {
	for header, want := range map[string]string{
		"Horodatage;Identifiant demandeur;Identifiant agent;Code structure;Nombre de fiches consultées": "Identifiant agent",
		"Horodatage;Code agence;Matricule conseiller;Nb résultats":                                      "Matricule conseiller",
		"Horodatage;Navigateur;Nom d'utilisateur;Structure":                                             "Nom d'utilisateur",
		"Horodatage;Identifiant demandeur;Code structure":                                               "account",
	} {
		m := DefaultFieldMap()
		m.Infer(sample(t, "export.csv", header+"\n"))
		if m.Account != want {
			t.Errorf("%s: account %q, want %q", header, m.Account, want)
		}
	}
}

// A CSV export saved by a French spreadsheet in Windows-1252 (ISO-8859-1
// for its letters) is sampled as ISO-8859-1 and read so: before, its
// accented header was invalid UTF-8 and stopped the file. Random bytes in
// a UTF-8 log (or UTF-16's byte order mark) do not make it ISO-8859-1.
func TestSampleFindsLatin1(t *testing.T) {
	data := "Horodatage;Identifiant agent;Num\xe9ro demandeur;Nombre de r\xe9sultats\n" +
		"02/03/2027 09:14:03;jdupont;1234567A;12\n02/03/2027 09:15:03;h\xe9l\xe8ne.roux;7654321B;3\n"
	p := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	keys, enc, err := SampleInput([]string{p}, FormatAuto, 100, "")
	if err != nil || enc != EncodingLatin1 {
		t.Fatalf("encoding %q, %v; want %s", enc, err, EncodingLatin1)
	}
	m := DefaultFieldMap()
	m.Infer(keys)
	if m.Subject != "Numéro demandeur" || m.Records != "Nombre de résultats" || m.Account != "Identifiant agent" {
		t.Fatalf("inferred %+v", m)
	}
	m.InputEncoding, m.Local = enc, time.UTC
	r, err := NewFileReader([]string{p}, m, DefaultFileConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []string
	for ev, err := range r.Events(func(_ *Raw, err error) { t.Error(err) }) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ev.Account)
	}
	if !slices.Equal(got, []string{"jdupont", "hélène.roux"}) {
		t.Errorf("accounts %q", got)
	}
	for _, line := range []string{"{\"account\":\"\xff\xfe\"}", "{\"account\":\"a\x85b\"}", "{\"a\":\"\xe9\"}"} {
		if latin1Text([]byte(line)) {
			t.Errorf("latin1Text(%q) is true", line)
		}
	}
}
