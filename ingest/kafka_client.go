package ingest

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/sasl"
	"github.com/segmentio/kafka-go/sasl/plain"
	"github.com/segmentio/kafka-go/sasl/scram"
	"github.com/spf13/pflag"
)

// SASL mechanisms accepted by KafkaSASL.Mechanism.
const (
	SASLPlain       = "PLAIN"
	SASLScramSHA256 = "SCRAM-SHA-256"
	SASLScramSHA512 = "SCRAM-SHA-512"
)

// KafkaTLS configures TLS towards the brokers. The zero value is plaintext.
// Setting a CA, certificate or key file turns TLS on even without Enable.
type KafkaTLS struct {
	Enable bool `yaml:"enable"`
	// CAFile is a PEM bundle of the authorities to trust instead of the
	// system pool.
	CAFile string `yaml:"ca_file"`
	// CertFile and KeyFile are the PEM client certificate and key for
	// mutual TLS; both or neither.
	CertFile           string `yaml:"cert_file"`
	KeyFile            string `yaml:"key_file"`
	InsecureSkipVerify bool   `yaml:"insecure_skip_verify"`
}

// RegisterFlags adds the --kafka-tls* flags. Source and alerts sink share
// them: register them once per command.
func (c *KafkaTLS) RegisterFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&c.Enable, "kafka-tls", c.Enable, "connect to the Kafka brokers over TLS")
	fs.StringVar(&c.CAFile, "kafka-ca", c.CAFile, "PEM file of the certificate authorities that sign the brokers' certificates (implies --kafka-tls)")
	fs.StringVar(&c.CertFile, "kafka-cert", c.CertFile, "PEM client certificate for mutual TLS (implies --kafka-tls)")
	fs.StringVar(&c.KeyFile, "kafka-key", c.KeyFile, "PEM client private key for mutual TLS (implies --kafka-tls)")
	fs.BoolVar(&c.InsecureSkipVerify, "kafka-tls-insecure-skip-verify", c.InsecureSkipVerify, "do not verify the brokers' certificates (testing only)")
}

// enabled reports whether TLS is on, explicitly or through a file.
func (c *KafkaTLS) enabled() bool {
	return c.Enable || c.CAFile != "" || c.CertFile != "" || c.KeyFile != ""
}

// Validate checks that the certificate and key come together.
func (c *KafkaTLS) Validate() error {
	if (c.CertFile == "") != (c.KeyFile == "") {
		return errors.New("kafka-cert and kafka-key: give both or neither")
	}
	return nil
}

// Config loads the files and returns the TLS configuration, or nil when TLS
// is off.
func (c *KafkaTLS) Config() (*tls.Config, error) {
	if !c.enabled() {
		return nil, nil
	}
	cfg := &tls.Config{
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: c.InsecureSkipVerify, //nolint:gosec // opt-in flag for test clusters
	}
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, fmt.Errorf("kafka-ca: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("kafka-ca: no PEM certificate in %s", c.CAFile)
		}
		cfg.RootCAs = pool
	}
	if c.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(c.CertFile, c.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("kafka-cert and kafka-key: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}

// KafkaSASL configures SASL authentication. The zero value (no mechanism)
// means no authentication. The password never appears in errors, logs or
// formatted output: String and LogValue redact it.
type KafkaSASL struct {
	// Mechanism is "", PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.
	Mechanism string `yaml:"mechanism"`
	Username  string `yaml:"username"`
	// Password is best given through VIGIE_KAFKA_PASSWORD or PasswordFile
	// rather than on the command line, where other users can see it.
	Password     string `yaml:"-" json:"-"`
	PasswordFile string `yaml:"password_file"`
}

// RegisterFlags adds the --kafka-sasl-mechanism, --kafka-username,
// --kafka-password and --kafka-password-file flags. Source and alerts sink
// share them: register them once per command.
func (c *KafkaSASL) RegisterFlags(fs *pflag.FlagSet) {
	fs.StringVar(&c.Mechanism, "kafka-sasl-mechanism", c.Mechanism, "SASL mechanism: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (empty: no authentication)")
	fs.StringVar(&c.Username, "kafka-username", c.Username, "SASL user name")
	fs.Var((*secretValue)(&c.Password), "kafka-password", "SASL password; prefer VIGIE_KAFKA_PASSWORD or --kafka-password-file, the command line is visible to other users")
	fs.StringVar(&c.PasswordFile, "kafka-password-file", c.PasswordFile, "file holding the SASL password (trailing newline ignored)")
}

// Validate checks the mechanism and that exactly one password source is
// given. It does not read the password file.
func (c *KafkaSASL) Validate() error {
	switch strings.ToUpper(c.Mechanism) {
	case "":
		if c.Username != "" || c.Password != "" || c.PasswordFile != "" {
			return errors.New("kafka-sasl-mechanism: required when a user name or password is given")
		}
		return nil
	case SASLPlain, SASLScramSHA256, SASLScramSHA512:
	default:
		return fmt.Errorf("kafka-sasl-mechanism: %q is not one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512", c.Mechanism)
	}
	if c.Username == "" {
		return errors.New("kafka-username: required with kafka-sasl-mechanism")
	}
	if (c.Password == "") == (c.PasswordFile == "") {
		return errors.New("kafka-password and kafka-password-file: give exactly one with kafka-sasl-mechanism")
	}
	return nil
}

// String describes c without its password.
func (c KafkaSASL) String() string {
	if c.Mechanism == "" {
		return "none"
	}
	return c.Mechanism + " user=" + c.Username + " password=" + redacted(c.Password != "" || c.PasswordFile != "")
}

// LogValue keeps the password out of structured logs.
func (c KafkaSASL) LogValue() slog.Value {
	return slog.StringValue(c.String())
}

// Mechanism reads the password (from the file if one is given) and returns
// the kafka-go mechanism, or nil when SASL is off. Errors name the file,
// never its content.
func (c *KafkaSASL) mechanism() (sasl.Mechanism, error) {
	mech := strings.ToUpper(c.Mechanism)
	if mech == "" {
		return nil, nil
	}
	password := c.Password
	if c.PasswordFile != "" {
		data, err := os.ReadFile(c.PasswordFile)
		if err != nil {
			return nil, fmt.Errorf("kafka-password-file: %w", err)
		}
		password = strings.TrimRight(string(data), "\r\n")
		if password == "" {
			return nil, fmt.Errorf("kafka-password-file: %s is empty", c.PasswordFile)
		}
	}
	switch mech {
	case SASLPlain:
		return plain.Mechanism{Username: c.Username, Password: password}, nil
	case SASLScramSHA256, SASLScramSHA512:
		algo := scram.SHA256
		if mech == SASLScramSHA512 {
			algo = scram.SHA512
		}
		m, err := scram.Mechanism(algo, c.Username, password)
		if err != nil {
			// The scram package's errors concern the user name's
			// normalisation; do not pass anything that could echo the
			// password.
			return nil, errors.New("kafka-sasl-mechanism: cannot prepare SCRAM credentials (user name or password not valid UTF-8 / SASLprep)")
		}
		return m, nil
	}
	return nil, fmt.Errorf("BUG: unvalidated SASL mechanism %q", c.Mechanism)
}

func redacted(set bool) string {
	if set {
		return "[REDACTED]"
	}
	return "[unset]"
}

// secretValue is a pflag.Value that never prints its content, so the
// password cannot leak through --help or a dump of the flags.
type secretValue string

func (s *secretValue) Set(v string) error { *s = secretValue(v); return nil }
func (s *secretValue) Type() string       { return "secret" }
func (s *secretValue) String() string {
	if *s == "" {
		return ""
	}
	return "[REDACTED]"
}

// ValidateBrokers checks that there is at least one address and that each is
// host:port, naming flag in the error. The alerts sink uses it too.
func ValidateBrokers(flag string, brokers []string) error {
	if len(brokers) == 0 {
		return fmt.Errorf("%s: at least one broker address (host:port) is required", flag)
	}
	for _, b := range brokers {
		if _, port, err := net.SplitHostPort(b); err != nil || port == "" {
			return fmt.Errorf("%s: %q is not host:port", flag, b)
		}
	}
	return nil
}

// connSecurity builds the TLS configuration and SASL mechanism that both
// the reader's dialer and the writers' transport use.
func connSecurity(t *KafkaTLS, s *KafkaSASL) (*tls.Config, sasl.Mechanism, error) {
	tlsCfg, err := t.Config()
	if err != nil {
		return nil, nil, err
	}
	mech, err := s.mechanism()
	if err != nil {
		return nil, nil, err
	}
	return tlsCfg, mech, nil
}

// kafkaDialer builds the dialer of a reader from the connection options.
func kafkaDialer(t *KafkaTLS, s *KafkaSASL) (*kafka.Dialer, error) {
	tlsCfg, mech, err := connSecurity(t, s)
	if err != nil {
		return nil, err
	}
	return &kafka.Dialer{
		Timeout:       10 * time.Second,
		DualStack:     true,
		TLS:           tlsCfg,
		SASLMechanism: mech,
	}, nil
}

// KafkaTransport builds a kafka-go transport (for writers) from the
// connection options; the alerts sink uses it so both share one code path
// for TLS and SASL.
func KafkaTransport(t *KafkaTLS, s *KafkaSASL) (*kafka.Transport, error) {
	tlsCfg, mech, err := connSecurity(t, s)
	if err != nil {
		return nil, err
	}
	return &kafka.Transport{
		DialTimeout: 10 * time.Second,
		TLS:         tlsCfg,
		SASL:        mech,
		ClientID:    "vigie",
	}, nil
}
