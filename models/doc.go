// Package models holds Vigie's statistics: pure, deterministic, no I/O, with
// state made of plain exported fields so that the detector can snapshot it.
// Every formula and assumption is written here.
//
// # 1. Predictive distribution of a window's records (nb.go)
//
// The records Y an entity accesses in a window are modelled as a
// Gamma–Poisson (negative binomial) fitted by moments:
//
//		E[Y]   = μ = level × exposure
//		Var[Y] = φ·μ + c²·μ² + μ²/n_eff
//
//	  - φ = E[r²]/E[r] is the compound-Poisson dispersion of the records r per
//	    request: an export of 500 records is one clump, not 500 independent
//	    draws. For the window being scored φ is raised to the largest request
//	    of that window, so a single big request cannot look like many clumps
//	    (that is request_size's job).
//	  - c² is the squared coefficient of variation of the rate between windows
//	    (estimated by moments: mean of (y/μ−1)² − φ/μ over past windows,
//	    clamped to [C2Min, C2Max], shrunk towards the peer group).
//	  - μ²/n_eff is the parameter uncertainty of a young baseline. A mean of n
//	    days whose relative variance is v = c²_day + φ/μ_day has relative
//	    variance v/n, so n_eff = n/v (Baseline.NEff).
//
// In clump units X = Y/φ: m = μ/φ, v = Var/φ², p = m/v, r = m²/(v−m), and
//
//	P(Y ≥ y) = I_{1−p}(y/φ, r)
//
// (gonum mathext.RegIncBeta; continuous in y). The number of requests is
// scored the same way with mean μ/E[r] and φ = the peer group's E[n²]/E[n]
// of requests per active hour (sessions clump requests; CUSUM uses φ = 1
// on whole days) (Baseline.RequestsNB): many
// small requests are visible there even when rare exports make φ large. The
// detector's score is the larger of the two.
//
// Score = −log10 P, clamped to [0, 99] (99 when the tail underflows): score 9
// means "one chance in a billion under the baseline". NB.Threshold inverts
// Score (to 0.1% or half a record) by a secant search started from an
// approximate quantile, the geometric tail pmf(x)/(1−q_x) with
// q_x = (x+r)(1−p)/(x+1), or Cornish–Fisher in the body: usually two
// RegIncBeta evaluations. It is the "threshold" reported with windows and
// alerts.
// The log-space robust alternative (log1p volume, median/MAD) was considered
// but not implemented: the NB gives calibrated tails for counts near zero,
// where log-space scales break down.
//
// # 2. Seasonality (calendar.go, baseline.go)
//
// Local time in a configurable zone (default Europe/Paris). Day types:
// DayFirst (first working day after a non-working day: Mondays, the day after
// a holiday, busier with backlogs), DayWork, DayOff (Saturday, Sunday, French
// public holidays from github.com/rickar/cal/v2/fr, extra configured dates).
//
//	expected(hour h of a type-t day) = level × F(t) × S(t, h)
//
// level is records per average working day; F(t) the day type's volume
// relative to it; S(t, h) the share of that day's records in hour h.
//
// # 3. Baselines and empirical Bayes (baseline.go)
//
// A Peer (org+role; else role; else everyone — the first with 20 active
// member working days) keeps decayed sums per day type and hour. An entity
// keeps decayed sums per hour for working and non-working days (H), decayed
// day counts (N, inactive days included, counted when the day closes), and
// request statistics. With half-life 21 days (decay 2^(−1/21) per day):
//
//	level  = (Σ_h H[work][h] + K_L·peerLevel) / (N[work] + K_L)        K_L = 3
//	S(t,h) = w·own(h) + (1−w)·peer(t,h),  w = N/(N+K_S), K_S = 10,
//	         then mixed with a uniform floor of 0.2% of the day per hour,
//	         then S'(h) = max(S(h−1), S(h), S(h+1)): one hour of timing
//	         jitter, so a routine crossing an hour boundary is expected
//	F(off) = w·own + (1−w)·peer, w = N_off/(N_off+10); F(first) from the
//	         peer; every F ≥ 0.05
//	φ      = (ΣR² + k·φ_peer·r̄_peer)/(ΣR + k·r̄_peer), k = 20 pseudo-requests
//
// peerLevel is the mean per active member working day, so a new account
// borrows both the rhythm and the level of its peers. Poisoning: a window
// scoring above score 2 (its 1% tail) teaches at most its score-2 quantile
// (winsorised, as the long memory is), not its alert threshold: at night a
// threshold is a hundred times the expectation, and an unalerted attack
// hour would otherwise raise the next hour's expectation through the
// jitter below. An alerted window's requests are not learned; during the
// warm-up everything is learned.
//
// # 4. Early tests on open windows (detector)
//
// At fraction f of an hour, the records so far follow the same NB with
// exposure μ·max(f, MinFraction); a day uses the cumulative profile (of the
// jittered shapes, capped at 1). An open hour is clumped by at least the
// hour's full expectation μ (φ_early = max(φ, μ)): sessions, not requests,
// arrive at random times, and a routine export delivers an hour's volume
// in minutes; only several hours' worth arriving early fires before the
// hour closes. The
// detector caches the count at which the score would cross threshold+margin
// and re-evaluates only when the running count reaches it (exposure only
// grows, so the crossing count only rises).
//
// Variability c² is learned from the squared relative error of closed
// windows minus what is not rate variability: (y/μ−1)² − φ/μ − 1/n_eff, so
// a young level's estimation error does not inflate it. The number of
// requests of a day has its own c² (RequestC2, same shrinkage), as exports
// blur the records' variability; the day test and CUSUM score requests
// with it, unclumped (φ = 1).
//
// # 5. Slow leaks: long memory and CUSUM (cusum.go)
//
// Beside the short level, LongY/LongE keep records per working day with a
// 90-day half-life, learning a winsorised day (capped at the score-2 quantile
// of the long prediction) so a ramp does not drag it. At each closed active
// day, z = Φ⁻¹(1 − mid-p tail) of the day's records and of its requests
// against the long level (the larger), capped to [−3, 4]; Page's CUSUM
// S = max(0, S + z − k), k = 0.5, starts after 3 days of history (the
// residuals already carry the parameter uncertainty of a young level). Its score
// is log10 of Siegmund's in-control average run length at S:
//
//	ARL0(S) ≈ (exp(2k(S+1.166)) − 1 − 2k(S+1.166)) / (2k²)
//
// so it compares with the window scores; S resets after an alarm.
//
// # 6. Alert budget (budget.go, detector)
//
// The budget B (default 0.05 false alerts a day, about 2 false entity-days
// a month) is split equally across five test families f — hour volume, day
// volume, CUSUM, organisation share, request size — and each family's
// threshold is Bonferroni over its own tests a day T_f:
//
//	thr_f = −log10((B/5) / T_f) + cal_f,  then max(thr_f, --min-score)
//
// with T_hour = 24·E, T_day = T_cusum = E, T_share = O, T_request = E − O,
// where E (O) is the decayed maximum (half-life 21 days) of the entities
// (organisations) active a day, so a quiet Sunday does not lower Monday's
// thresholds. cal_f corrects families whose benign tail was measured
// heavier than nominal (TestDiagCalibration on generated months): CUSUM +1.5
// (autocorrelated, non-normal residuals: ~30× nominal exceedances at 4–5),
// request size +1 (loose Pareto bound). --min-score defaults to 0.
// Early tests add a margin for repeated looks: the crossing count is
// re-evaluated as exposure grows from MinFraction to 1 of an hour, about
// L = 1 + log2(1/MinFraction) looks an hour, so margin = log10(hours·L):
// 0.63 for an hour, 2.0 for a day (MinFraction 0.1).

// # 7. Request size
//
// A single request of r records above the largest request of any
// non-alerting window, with n requests of history (n ≥ 20, r ≥ 1,000), gets
// score log10(n) + 2·log10(r/max): a Pareto tail of index 2 beyond the
// observed maximum, P(R ≥ r) ≤ (1/n)(max/r)².
package models
