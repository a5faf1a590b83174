package sink

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vigie/vigie/detector"
)

var updateOCSF = flag.Bool("update-ocsf", false, "rewrite testdata/ocsf_alert.golden.json")

// testAlert is one account alert with every field set.
func testAlert(entity, severity string) detector.Alert {
	start := time.Date(2024, 3, 1, 14, 0, 0, 0, time.UTC)
	return detector.Alert{
		AlertID:     "a-" + entity + "-" + severity,
		IncidentID:  "i-" + entity,
		Kind:        "open",
		FiredAt:     start.Add(37 * time.Minute),
		EntityType:  detector.EntityAccount,
		Entity:      entity,
		Org:         "partner-7",
		Role:        "advisor",
		Detector:    "volume_hour",
		Resolution:  "hour",
		WindowStart: start,
		WindowEnd:   start.Add(time.Hour),
		Observed:    18250,
		Expected:    120.5,
		Threshold:   610,
		Score:       14.2,
		Severity:    severity,
		Explanation: entity + " read 18250 records in one hour, 151 times its usual 120.5",
	}
}

func TestOCSFAlertGolden(t *testing.T) {
	a := testAlert("acct-42", detector.SeverityCritical)
	got, err := OCSFAlert(&a)
	if err != nil {
		t.Fatal(err)
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, got, "", "  "); err != nil {
		t.Fatal(err)
	}
	pretty.WriteByte('\n')
	golden := filepath.Join("testdata", "ocsf_alert.golden.json")
	if *updateOCSF {
		if err := os.WriteFile(golden, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update-ocsf to create it)", err)
	}
	if !bytes.Equal(pretty.Bytes(), want) {
		t.Fatalf("OCSF rendering differs from %s (run with -update-ocsf and review the diff):\n%s", golden, pretty.Bytes())
	}
	// Registered under "ocsf", identical through the registry.
	fn, err := lookupAlertFormat("ocsf")
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := fn(&a); !bytes.Equal(again, got) {
		t.Fatal("the registered ocsf format renders differently")
	}
}

func TestOCSFAlertFields(t *testing.T) {
	tests := []struct {
		severity   string
		entityType string
		wantSev    int
		wantActor  bool
	}{
		{detector.SeverityLow, detector.EntityAccount, 2, true},
		{detector.SeverityMedium, detector.EntityAccount, 3, true},
		{detector.SeverityHigh, detector.EntityOrg, 4, false},
		{detector.SeverityCritical, detector.EntityAccount, 5, true},
		{"bogus", detector.EntityAccount, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.severity+"/"+tt.entityType, func(t *testing.T) {
			a := testAlert("acct-1", tt.severity)
			a.EntityType = tt.entityType
			data, err := OCSFAlert(&a)
			if err != nil {
				t.Fatal(err)
			}
			var f struct {
				ClassUID    int   `json:"class_uid"`
				CategoryUID int   `json:"category_uid"`
				TypeUID     int   `json:"type_uid"`
				ActivityID  int   `json:"activity_id"`
				SeverityID  int   `json:"severity_id"`
				Time        int64 `json:"time"`
				FindingInfo struct {
					UID           string   `json:"uid"`
					Types         []string `json:"types"`
					FirstSeenTime int64    `json:"first_seen_time"`
				} `json:"finding_info"`
				Actor    *struct{ User struct{ Name string } } `json:"actor"`
				Unmapped struct{ Observed, Expected, Score float64 }
				RawData  string `json:"raw_data"`
			}
			if err := json.Unmarshal(data, &f); err != nil {
				t.Fatal(err)
			}
			if f.ClassUID != 2004 || f.CategoryUID != 2 || f.TypeUID != 200401 || f.ActivityID != 1 {
				t.Errorf("class/category/type/activity = %d/%d/%d/%d", f.ClassUID, f.CategoryUID, f.TypeUID, f.ActivityID)
			}
			if f.SeverityID != tt.wantSev {
				t.Errorf("severity_id = %d, want %d", f.SeverityID, tt.wantSev)
			}
			if f.Time != a.FiredAt.UnixMilli() || f.FindingInfo.FirstSeenTime != a.WindowStart.UnixMilli() {
				t.Errorf("times = %d, %d; want epoch milliseconds", f.Time, f.FindingInfo.FirstSeenTime)
			}
			if f.FindingInfo.UID != a.AlertID || len(f.FindingInfo.Types) != 1 || f.FindingInfo.Types[0] != a.Detector {
				t.Errorf("finding_info = %+v", f.FindingInfo)
			}
			if (f.Actor != nil) != tt.wantActor || (f.Actor != nil && f.Actor.User.Name != a.Entity) {
				t.Errorf("actor = %+v, want present=%v", f.Actor, tt.wantActor)
			}
			if f.Unmapped.Observed != a.Observed || f.Unmapped.Expected != a.Expected || f.Unmapped.Score != a.Score {
				t.Errorf("unmapped = %+v", f.Unmapped)
			}
			var raw detector.Alert
			if err := json.Unmarshal([]byte(f.RawData), &raw); err != nil || raw.AlertID != a.AlertID {
				t.Errorf("raw_data does not hold the native alert: %v %q", err, f.RawData)
			}
		})
	}
}
