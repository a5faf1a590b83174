package sink

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/vigie/vigie/detector"
)

// OCSF identifiers of a Detection Finding (OCSF 1.1 schema, Findings
// category): type_uid is class_uid*100 + activity_id.
const (
	ocsfVersion          = "1.1.0"
	ocsfClassDetection   = 2004
	ocsfCategoryFindings = 2
	ocsfActivityCreate   = 1
	ocsfStatusNew        = 1
	ocsfAnalyticStats    = 3 // analytic.type_id "Statistical"
	ocsfObservableUser   = 4 // observable.type_id "User Name"
	ocsfObservableOther  = 99
	ocsfVendor           = "Vigie project"
	ocsfProductName      = "Vigie"
)

func init() { RegisterAlertFormat("ocsf", OCSFAlert) }

// ocsfFinding is an OCSF Detection Finding. Field order is the JSON order,
// which keeps the rendering deterministic.
type ocsfFinding struct {
	ActivityID   int              `json:"activity_id"`
	ActivityName string           `json:"activity_name"`
	CategoryUID  int              `json:"category_uid"`
	CategoryName string           `json:"category_name"`
	ClassUID     int              `json:"class_uid"`
	ClassName    string           `json:"class_name"`
	TypeUID      int              `json:"type_uid"`
	TypeName     string           `json:"type_name"`
	SeverityID   int              `json:"severity_id"`
	Severity     string           `json:"severity"`
	StatusID     int              `json:"status_id"`
	Status       string           `json:"status"`
	Time         int64            `json:"time"`
	StartTime    int64            `json:"start_time"`
	EndTime      int64            `json:"end_time"`
	Message      string           `json:"message"`
	Metadata     ocsfMetadata     `json:"metadata"`
	FindingInfo  ocsfFindingInfo  `json:"finding_info"`
	Actor        *ocsfActor       `json:"actor,omitempty"`
	Resources    []ocsfResource   `json:"resources"`
	Observables  []ocsfObservable `json:"observables"`
	Unmapped     ocsfUnmapped     `json:"unmapped"`
	RawData      string           `json:"raw_data"`
}

type ocsfMetadata struct {
	Version string      `json:"version"`
	Product ocsfProduct `json:"product"`
	// UID is the alert id, so a consumer can deduplicate re-deliveries.
	UID string `json:"uid"`
}

type ocsfProduct struct {
	Name       string `json:"name"`
	VendorName string `json:"vendor_name"`
}

type ocsfFindingInfo struct {
	UID           string       `json:"uid"`
	Title         string       `json:"title"`
	Desc          string       `json:"desc"`
	Types         []string     `json:"types"`
	CreatedTime   int64        `json:"created_time"`
	FirstSeenTime int64        `json:"first_seen_time"`
	LastSeenTime  int64        `json:"last_seen_time"`
	Analytic      ocsfAnalytic `json:"analytic"`
}

type ocsfAnalytic struct {
	Name   string `json:"name"`
	TypeID int    `json:"type_id"`
	Type   string `json:"type"`
}

type ocsfActor struct {
	User ocsfUser `json:"user"`
}

type ocsfUser struct {
	Name string   `json:"name"`
	UID  string   `json:"uid"`
	Org  *ocsfOrg `json:"org,omitempty"`
}

type ocsfOrg struct {
	Name string `json:"name"`
	UID  string `json:"uid"`
}

type ocsfResource struct {
	Name string `json:"name"`
	UID  string `json:"uid"`
	Type string `json:"type"`
}

type ocsfObservable struct {
	Name   string `json:"name"`
	TypeID int    `json:"type_id"`
	Type   string `json:"type"`
	Value  string `json:"value"`
}

// ocsfUnmapped carries the figures OCSF has no place for; they are what
// makes the finding explainable (observed against expected).
type ocsfUnmapped struct {
	Observed    float64 `json:"observed"`
	Expected    float64 `json:"expected"`
	Threshold   float64 `json:"threshold"`
	Score       float64 `json:"score"`
	Resolution  string  `json:"resolution"`
	Kind        string  `json:"kind"`
	IncidentID  string  `json:"incident_id"`
	EntityType  string  `json:"entity_type"`
	Entity      string  `json:"entity"`
	Role        string  `json:"role,omitempty"`
	WindowStart string  `json:"window_start"`
	WindowEnd   string  `json:"window_end"`
}

// ocsfSeverity maps Vigie's severities to OCSF severity_id and name.
func ocsfSeverity(s string) (int, string) {
	switch s {
	case detector.SeverityLow:
		return 2, "Low"
	case detector.SeverityMedium:
		return 3, "Medium"
	case detector.SeverityHigh:
		return 4, "High"
	case detector.SeverityCritical:
		return 5, "Critical"
	}
	return 0, "Unknown"
}

// OCSFAlert renders a as an OCSF 1.1 Detection Finding (class 2004,
// activity Create), registered as the alert format "ocsf". Times are epoch
// milliseconds. The account (or organisation) is both the actor or
// resource and an observable; observed, expected, threshold and score go to
// unmapped, and raw_data holds the native JSON of the alert. The output is
// deterministic.
func OCSFAlert(a *detector.Alert) ([]byte, error) {
	native, err := nativeAlert(a)
	if err != nil {
		return nil, fmt.Errorf("rendering alert %s as OCSF: %w", a.AlertID, err)
	}
	sevID, sev := ocsfSeverity(a.Severity)
	f := ocsfFinding{
		ActivityID:   ocsfActivityCreate,
		ActivityName: "Create",
		CategoryUID:  ocsfCategoryFindings,
		CategoryName: "Findings",
		ClassUID:     ocsfClassDetection,
		ClassName:    "Detection Finding",
		TypeUID:      ocsfClassDetection*100 + ocsfActivityCreate,
		TypeName:     "Detection Finding: Create",
		SeverityID:   sevID,
		Severity:     sev,
		StatusID:     ocsfStatusNew,
		Status:       "New",
		Time:         ms(a.FiredAt),
		StartTime:    ms(a.WindowStart),
		EndTime:      ms(a.WindowEnd),
		Message:      a.Explanation,
		Metadata: ocsfMetadata{
			Version: ocsfVersion,
			Product: ocsfProduct{Name: ocsfProductName, VendorName: ocsfVendor},
			UID:     a.AlertID,
		},
		FindingInfo: ocsfFindingInfo{
			UID:           a.AlertID,
			Title:         fmt.Sprintf("Abnormal data access volume by %s %s (%s)", a.EntityType, a.Entity, a.Detector),
			Desc:          a.Explanation,
			Types:         []string{a.Detector},
			CreatedTime:   ms(a.FiredAt),
			FirstSeenTime: ms(a.WindowStart),
			LastSeenTime:  ms(a.FiredAt),
			Analytic:      ocsfAnalytic{Name: a.Detector, TypeID: ocsfAnalyticStats, Type: "Statistical"},
		},
		Unmapped: ocsfUnmapped{
			Observed:    a.Observed,
			Expected:    a.Expected,
			Threshold:   a.Threshold,
			Score:       a.Score,
			Resolution:  a.Resolution,
			Kind:        a.Kind,
			IncidentID:  a.IncidentID,
			EntityType:  a.EntityType,
			Entity:      a.Entity,
			Role:        a.Role,
			WindowStart: a.WindowStart.UTC().Format(time.RFC3339),
			WindowEnd:   a.WindowEnd.UTC().Format(time.RFC3339),
		},
		RawData: string(native),
	}
	org := ocsfResource{Name: a.Org, UID: a.Org, Type: "organization"}
	if a.EntityType == detector.EntityAccount {
		user := ocsfUser{Name: a.Entity, UID: a.Entity}
		if a.Org != "" {
			user.Org = &ocsfOrg{Name: a.Org, UID: a.Org}
		}
		f.Actor = &ocsfActor{User: user}
		f.Resources = []ocsfResource{{Name: a.Entity, UID: a.Entity, Type: "account"}}
		f.Observables = []ocsfObservable{{Name: "actor.user.name", TypeID: ocsfObservableUser, Type: "User Name", Value: a.Entity}}
	} else {
		f.Resources = []ocsfResource{}
		f.Observables = []ocsfObservable{}
	}
	if a.Org != "" {
		f.Resources = append(f.Resources, org)
		f.Observables = append(f.Observables, ocsfObservable{Name: "resources.uid", TypeID: ocsfObservableOther, Type: "Other", Value: a.Org})
	}
	out, err := json.Marshal(&f)
	if err != nil {
		return nil, fmt.Errorf("rendering alert %s as OCSF: %w", a.AlertID, err)
	}
	return out, nil
}

// ms is t in epoch milliseconds, 0 for the zero time.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}
