package detector

import (
	"testing"
	"time"

	"github.com/vigie/vigie/models"
)

func TestHourOfWeek(t *testing.T) {
	for _, c := range []struct {
		d    int // January 2024: the 8th is a Monday
		h    uint8
		want uint8
	}{{8, 2, 2}, {9, 0, 24}, {14, 23, 167}, {15, 0, 0}} {
		if got := hourOfWeek(models.DayIndex(2024, time.January, c.d), c.h); got != c.want {
			t.Errorf("hourOfWeek(2024-01-%02d %02d:00) = %d, want %d", c.d, c.h, got, c.want)
		}
	}
}
