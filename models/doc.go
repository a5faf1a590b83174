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
//	    draws. A request is an event, except that a burst of an account's
//	    one-record events (each within 500 ms of the last, all within 5 s
//	    of the first) is one request: a log that writes one line per
//	    record makes a list of 50 people 50 lines, not 50 requests
//	    (detector/burst.go). For the window being scored φ is raised to a bound b and the
//	    window's largest request R counts as one clump of that size (the
//	    score is taken at y − max(0, R − φ)), so a single big request cannot
//	    look like many clumps (that is request_size's job) while several do
//	    (Detector.clump): b is the entity's largest earlier request once it
//	    has 200 requests of history (the largest of n requests estimates
//	    their 1−1/n quantile: fewer have not seen the 1–2% of exports); for
//	    an account first seen after the warm-up, its group's φ; otherwise
//	    the window's own largest request (no bound).
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
// scored the same way with mean μ·(request level / records level) and φ =
// the peer group's E[n²]/E[n] of requests per active hour (sessions clump
// requests; whole days use φ = 1) (Baseline.RequestsNB): many
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
//
// Whole days' records and requests are scored by the lesser of the NB's
// score and that of the lognormal with the same mean and variance
// (NB.LogNormalScore; the threshold is the larger of the two): people's
// daily activity varies by factors, and a Gamma fitted to a variance of c²
// = 0.13 (a third in log-sd) puts a 4x day at one in four million where a
// lognormal puts it at one in fifty thousand. An independent generator
// whose days vary lognormally raised 4 and 6 false day alerts in 45 days
// with the Gamma alone, 0 and 1 with both; the generated months of seeds 1
// and 2 went from 1 and 2 false entity-days to none, their detections
// unchanged. Distinct subjects keep the NB: their count saturates on a
// portfolio, varies less than the requests whose variability it borrows,
// and with the lognormal a day of 40 strangers for an advisor of 12 clients
// fell below threshold (TestDistinctSubjectsCoverageSpike). Hours and open
// windows keep the NB alone: there the Poisson and clump terms dominate,
// and the lognormal of a count expecting a fraction of a clump has no
// meaning near zero, where an early test works. A log-space model
// throughout (log1p volume, median/MAD) was considered but not implemented
// for the same reason.
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
// A Saturday and a Sunday each multiply the non-working day by the
// entity's own factor W (Baseline.WeekendFactor): its mean ratio there,
// blended with 1 by the precision weighting of F, each day teaching at
// most 4 times the factor it was tested with. A service whose Sunday
// carries a weekly full sync and whose Saturday only its polling had one
// expectation for both, each Sunday a 3–5× surge. Requests have their own
// non-working-day factor, with the records' F as prior: a polling service
// keeps its 24 requests a day at weekends while its records fall
// eightfold. On working days the requests' F(first) and F(work) are the
// group's, from its request counts (Peer.ReqDayFactor), not the records':
// an independent generator's quarter-end fell on a Monday, and its
// managers' exports (one request of 5,000–20,000 records each) made the
// records' F(first) 4.7 and F(work) 0.08 for weeks; requests borrowing
// them were expected at a tenth of their number, and CUSUM summed that
// into 1–4 alarms a seed. Routines at other rhythms are not modelled: a window that
// reaches its threshold at the same hour of the week (±1) as the entity's
// last one that did, a week or more later, with at most twice its records,
// is a weekly recurrence and does not alert, nor does a day a whole number
// of weeks after the last alerting one (detector/weekly.go): the first
// occurrence alerts, the repetitions do not. On the independent
// generator's weekly full syncs: 17, 18 and 6 false entity-days on its
// three seeds before these, 2, 3 and 0 after (the first Sundays). A
// monthly routine is recognised the same way: the same day of the month,
// or both days among the month's first three working days, or both among
// its last three (a manager reports on any of the last days: altgen8),
// a month or more after the last alerting one (for an hour, at the same
// hour ±1). A recurrence, as an alert, takes the account's records and
// requests out of its organisation's windows, and its day out of the
// organisation share: without that the organisation alerted in its
// place. On the independent generator's monthly extracts (the 1st), the
// second month's 2 false entity-days on each of four seeds went. A day
// one of whose hours alerted is remembered as an alerting day: a
// month-end export that alerted by its hour on 30 June crossed the day
// threshold on 31 July and alerted again (altgen6: 4 false entity-days
// on three seeds). An hour of the warm-up's second half that reached
// the threshold is remembered as an alert: a weekly full export first
// seen in the warm-up alerted on the first armed Saturday (altgen7: 3–4
// services a seed). Not the warm-up's days, which would make any day a
// whole number of weeks later a recurrence. A scheduled job run late is
// its routine too (Baseline.Routine): when the entity's own profile holds
// at least 0.6 of a type's day in two consecutive hours, those hours are
// past, the day held less than a tenth of its expectation until then,
// and the hour holds at most twice a day's expectation, the hour does
// not alert (a nightly job rerun in the morning after an outage; the
// day's tests judge the total). An advisor's two busiest hours hold about
// a third of its day: a day's volume at 3 a.m. alerts as before.
//
// # 3. Baselines and empirical Bayes (baseline.go)
//
// A Peer (org+role; else role; else everyone — the first with 20 active
// member working days) keeps decayed sums per day type and hour. An entity
// keeps decayed sums per hour for working and non-working days (H), the
// decayed requests per row (RH), decayed counts of its *active* days (N,
// counted when the day closes), and request statistics. With half-life 21
// days (decay 2^(−1/21) per calendar day):
//
//	level    = (Σ_h H[work][h] + K_L·peerLevel) / (N[work] + K_L)      K_L = 3
//	reqLevel = (RH[work] + K_L·peerReqLevel) / (N[work] + K_L)
//	S(t,h) = w·own(h) + (1−w)·peer(t,h),  w = N/(N+K_S), K_S = 10; on
//	         non-working days w = max(N/(N+K_S), m/(m+3·K_S)) with m =
//	         N·(day volume/φ) the clumps those days arrived in: days off
//	         come two a week, and a service pulling 20,000 records in
//	         pages of 500 at 01:00, in a group pulling at 04:00, fired
//	         every weekend for five weeks (an independent generator: 17
//	         false entity-days of 32); working days keep the day count
//	         (an advisor's sessions within a day are not independent),
//	         then mixed with a uniform floor per hour of 1/(24(A+1)) of
//	         the day, A the group's active member-days of that day type,
//	         between 0.02% and 0.2%: a uniform prior worth one
//	         member-day, so an hour twenty colleagues never worked in six
//	         weeks is rarer than one a lone account never used (an
//	         independent generator's evening pull of 1.7 days' volume,
//	         in 5,000-record exports, scored 5.6 against 6.6 under a
//	         fixed 0.2%, and fires now; false entity-days unchanged on
//	         nine runs),
//	         then S'(h) = max(S(h−1), S(h), S(h+1)): one hour of timing
//	         jitter, so a routine crossing an hour boundary is expected
//	F(off) = w·own + (1−w)·peer, w = N_off/(N_off+k),
//	         k = min(10, (c²_day + φ/μ_off)/0.5²), μ_off = level·max(own, peer):
//	         precision weighting, one day's ratio having relative variance
//	         c² + φ/μ against a prior spread of 0.5 across a group's
//	         members. A steady nightly export running at weekends is
//	         believed after a weekend (k ≈ 0.3), where k = 10 took five and
//	         fired on the first armed weekend and on a weekday holiday when
//	         its group is people (no role field, or too few services); a
//	         person's few weekend views stay near the group's factor.
//	         F(first) from the peer; every F ≥ 0.05
//	φ      = (ΣR² + k·φ_peer·r̄_peer)/(ΣR + k·r̄_peer), k = 20 pseudo-requests
//
// Levels are volumes per active day: inactive days decay the sums but do
// not count, so a fortnight's vacation does not halve the expectation of the
// day back (whether an account is active at all is not what the volume
// tests judge). The hours of the day still open are learned into H and RH
// as they close, but the levels leave them out (OpenY, OpenN; for peers
// OpenG, OpenGN, OpenActive) until the day counts in N: an attack day must
// not raise the expectation it is tested against. The request level is
// learned from request counts, not as records per day over records per
// request, which rare large exports inflate (1.5–2× for advisors).
// peerLevel is the mean per active member working day, so a new account
// borrows both the rhythm and the level of its peers. Poisoning: a window
// scoring above score 2 (its 1% tail) teaches at most its score-2 quantile
// (winsorised, as the long memory is), not its alert threshold: at night a
// threshold is a hundred times the expectation, and an unalerted attack
// hour would otherwise raise the next hour's expectation through the
// jitter below. Such a suspect hour (beyond score 2, or alerted) teaches
// the profiles, the entity's and its groups', only when its day closes
// (Baseline.LearnHourLater): the levels leave the open day out anyway,
// and through the jitter a night session's first hour, on a Saturday of
// an account that never works weekends, made the next hour expected to
// carry half a day (altgen7 seed 3). Four independent logs' off-hours
// pulls were caught only with it, vigie gen's after 90–108 records
// instead of 120–204, with 6 false entity-days fewer over 30 logs. A
// group learns a non-working day's hours at its close whatever they
// scored: few members work then, and one member's ordinary hour of 5
// records at 01:00 on a Saturday was half of its group's Saturday
// profile, expecting 20 records at 02:00 (altgen7 seed 3's night pull,
// caught since; deferring every day's hours of the groups raised vigie
// gen seed 1 from 0 to 3 false entity-days). A day's last hour held so
// counts in its day's total when the day closes but teaches the
// profile only after the next day's first hour is scored (when another
// hour opens, or that one closes; a group's a day later): that hour's
// jitter envelope wraps around to 23:00, and a Saturday-night session's
// 23:00 hour made Sunday's midnight hour expect 22 of the 381 records it
// took (altgen7 seed 2's night pull and seed 1's, both caught since;
// a nightly sync at 23:00 learns last night's run before tonight's is
// scored: waiting for the next day's close instead gave altgen4's
// nightly syncs two false entity-days). An alerted
// window's requests are not learned; during the warm-up everything is
// learned.
//
// # 3b. Common mode (Peer.CommonFactor)
//
// Month-end reporting, an exam period or a regional deadline raises every
// member of a group at once. Each closed member-hour adds its expectation
// to a histogram of log2(observed/expected), for records and for requests,
// per local day, in the group that shares the member's role across
// organisations (else everyone's: an organisation-wide attack must not
// excuse itself). The factor is
//
//	c = 2^max(0, q₀.₈(today) − q̄ − 0.25)
//
// where q₀.₈ is the expectation-weighted 0.8 quantile over the hours closed
// so far, with a prior of three member-days at q̄, and q̄ its typical value
// on ordinary days (each day pulls it half-way, by at most 0.25; it
// converges within the week of warm-up). Every expectation of the day is
// multiplied by c (records by c_rec, requests by c_req). An upper quantile,
// because a common cause moves members unequally; fewer than a fifth of a
// group's members, however extreme, do not move it; a group of one cannot
// excuse itself; the dead zone absorbs weekday effects and sampling noise.
// Without a role field only everyone's group exists, and a minority role's
// month-end (5% of accounts) is not excused: see the README.
//
// # 3c. Common causes by breadth (detector/breadth.go)
//
// The common mode needs a group the logs name. Without a role field a
// month-end that raises one account in twenty (the managers) does not
// move everyone's 0.8 quantile. What an attack does not do is raise
// accounts of many other organisations to the same level the same day.
// The detector remembers, per local day, every account's best score of
// at least 3 in each family (hour volume, day volume, distinct subjects,
// CUSUM, request size).
// A test of an account reaching its threshold with score s is excused
// when at least 5 accounts of other organisations (of any, for accounts
// without one), spanning at least 3 organisations or with 3 in each of
// two, already reached s − 2 in that family that day (a campaign of
// three organisations has only two others for each of its accounts: an
// independent generator's end-of-year audit of three départements gave
// 45 false entity-days on one seed, 12 after). At a family's
// threshold, s − 2 is reached by about 100 × (budget share) ≈ 0.8
// accounts a day under the baseline, so
// five of them is a common cause (Poisson tail ≈ 0.2%), not chance; one
// other organisation's busy day (a caseload transferred between its
// advisors) is not breadth, and excused an organisation-wide attack
// elsewhere (the independent generator's seed 1), nor is it with a stray
// account of a second organisation. An excused CUSUM keeps its sum; on
// a day that does not add to it (its cause may be over) it still
// excuses the cause's other accounts, whose sums hold the same excess,
// but not the alarm of an account the cause never raised: a campaign's
// fading sums excused the next week's organisation-wide pull. A CUSUM
// alarm also counts others whose growing sums reached the threshold,
// however far beyond it the alarm stands: a sum's score says how long an
// excess lasted as much as how large, and the late risers of a campaign
// of several days climbed more than 2 points past the others' sums
// (altgen4's audit campaign: 62 → 48 false entity-days on four seeds).
// Counting sums 1 or 2 below the threshold took 39 or 76 more over 30
// logs but excused slow leaks beside other accounts' near misses.
// Accounts of any role also count when they were raised by at least
// half its ratio of observed to expected (of whichever of records and requests
// gave the score), in tests within 2 of the family's threshold. A common
// cause moves members by similar ratios but scores them very unequally:
// the same fivefold day is far more significant for a member with a large
// expectation. A supervisors' review campaign scored 5 to 42, and its
// top few never had five others within two points (the independent
// generator's seed 1: 16 false entity-days, 9 after; overall 72 → 64,
// 70 → 57 and 45 → 42 on its three seeds; vigie gen unchanged). An
// extraction multiplies its account's volume by hundreds, beyond what a
// common cause does to five others. Until the tenth session only
// accounts of the same role (across organisations) counted by ratio, so
// that a regional deadline week of other organisations' referents would
// not excuse advisors raised as much by an organisation-wide pull; but
// logs name roles per organisation, and an independent generator's
// audit campaign of three départements, each calling its referents its
// own way, found no fellow member. Any role, with §6's learned tail
// shifts: 398 → 367 false entity-days over 24 evaluation logs (altgen4
// −25), no attack lost. Without the shifts the cost showed: altgen2
// seed 4's and altgen4 seed 2's organisation-wide pulls were excused by
// accounts of other roles elsewhere (raised thresholds leave fewer
// accounts near them to excuse anything). The exception: an account
// first seen after the warm-up, in its first three active days, counts
// only its own role by ratio. Its ratio is to its group's level, not to
// a habit of its own that a common cause would raise, and extractions
// look alike in ratio whatever the role: altgen8 seed 1's new account
// took 4,329 records on 30 April, excused by the managers exporting
// their organisations' lists that day; it alerts since, within its first
// 2,524 records, for 5 more false entity-days over 36 logs (returns from
// leave first seen after the warm-up). A crowd recurs: a group (role
// across organisations) of which five accounts or more were excused on
// one day has a cause that may come back a month later, the same date
// or, like it, among the month's first or last three working days
// (detector/weekly.go's monthLater); then an account of the group is
// excused alone, unless its log2 ratio exceeds the crowd's largest by
// more than 1. Managers' month-end reports raise dozens of accounts each
// month, and each month the first movers alerted before the crowd was
// there to excuse them (altgen8: 743 → 736 false entity-days over 36
// logs, the other generators unchanged). The crowd also goes on the next
// working day, once two accounts of the group are excused again that
// day: 736 → 722 (altgen8 and altgen4's audit campaign). Without that
// condition, 695 but three evening pulls of altgen2 and altgen4, the
// first of their role alerting the day after a campaign, were excused.
// The hour's two tests,
// its volume and its largest request, count as one family: a common cause
// raises each account through whichever test its history makes the more
// sensitive (a quarter-end export scores by its size for a manager whose
// largest request was a list of 12, by its hour's volume for one used to
// exports), so an account counts when it stood as far above either
// test's threshold (altgen2: 51/44/37 → 48/42/32; vigie gen unchanged).
// Day tests stay apart: the day volume of accounts extracting since the
// morning would excuse a later accomplice's hour. An excused open window is
// looked at again once its score rises 2 beyond; an extraction climbing
// past the others' level alerts. An open window within 4 points of its
// threshold also waits (for its close, or for the next look 2 beyond)
// while another account of its group in another organisation stands at
// half its ratio or more: a common cause's first movers cross before five
// others are there (altgen2: −9 false entity-days on four seeds, mostly a
// review campaign's first supervisors; an extraction beside two such
// accounts alerts after 192 records instead of 128). The alerts of windows that close (hours,
// days, CUSUM, distinct subjects) are decided once every window closing
// at the same watermark has been scored, so the first accounts in index
// order do not alert for lack of the others' scores; alerts of open
// windows (early tests) cannot wait, and the first few accounts of a
// common cause that fire early still alert. So that the others are seen
// climbing, open windows are also looked at (scored and noted, never
// alerted) from 2 below their threshold and every half point above, not
// only at it: with roles stripped from seed 1, the false entity-days of
// month-end fell from 11 to 7. An attack through accounts
// of one organisation is never excused by its own accomplices; an attack
// at the level of a concurrent common cause elsewhere is. Organisations
// are noted and excused the same way, among organisations only: a
// month-end export raises many organisations' totals at once. Measured: roles
// and organisations stripped from seed 1, false entity-days fell from 48
// to 17 (11 with §3's weekend weighting); the independent generator
// without roles, 23 to 13; detections unchanged on seeds 1–5 with roles.
//
// # 4. Early tests on open windows (detector)
//
// At fraction f of an hour, counted from the account's first event in it
// (an idle start is not exposure), the records so far follow the same NB
// with exposure μ·max(f, MinFraction); a day uses the cumulative profile (of the
// jittered shapes, capped at 1) through the end of the current hour, for
// the reason below: a nightly pull delivers its hour's share in minutes. An open hour is clumped by at least the
// hour's full expectation μ (φ_early = max(φ, μ)): sessions, not requests,
// arrive at random times, and a routine export delivers an hour's volume
// in minutes; only several hours' worth arriving early fires before the
// hour closes. The clump is also at least the entity's session size,
// E[y²]/E[y] of its records per active hour (every hour that did not
// alert, uncapped), shrunk with KSession = 10 hours of its own mean
// towards that mean (Baseline.SessionPhi), and at least the window's own
// records up to the entity's largest session M, extrapolated while its n
// active hours are fewer than 50 as M·√(50/n) (a Pareto tail of index 2;
// Baseline.SessionBound): an analyst whose day is one burst of
// 5,000-record exports at a random hour delivers ten times the hour's
// average in minutes, one session, and an independent generator's
// advisors did so 9–10 times in 45 days (false entity-days); an
// extraction of several sessions' worth still fires. Not the group's
// pooled E[y²]/E[y]: without roles everyone's group is the services'
// 20,000-record pulls, and an extraction on a seasoned advisor took 7,505
// records to fire instead of 1,920. An account first seen after the
// warm-up uses, until it has 10 active hours, its group's typical largest
// session (the median of the members' M·√(50/n), Peer.TypicalSession)
// instead of its own: an extraction's first hour must not set the size
// of the next. An organisation's closed hours are clumped the same way
// (its sessions, its largest hour): its hour is its members' sessions
// added up, and a month-end hour of several managers' exports as large
// as its largest before is a habit (a second independent generator:
// 100 and 86 false entity-days fell to 91 and 73). An organisation's
// hour or day that would stay below its threshold without its largest
// member's records (among members not already explained) does not
// alert: the excess is that account's, judged by its own tests, and a
// service's month-end export alerted as itself and again as its
// organisation when both hours closed together (altgen6: −9 false
// entity-days on three seeds). The organisation's tests are for what
// its accounts' cannot see, many members moving at once; the number of
// a day's requests still counts in full. An hour that alerts
// teaches neither; a ramp of hours each
// just below threshold can raise M an hour at a time, but not the day
// test's or CUSUM's expectations, which do not use it. The
// detector caches the count at which the score would cross threshold+margin
// and re-evaluates only when the running count reaches it (exposure only
// grows, so the crossing count only rises).
//
// New context. When events carry a source address or a user agent, each
// account remembers the last four contexts it used (network: IPv4 /24 or
// IPv6 /48, with the user agent; a 32-bit fingerprint each) and counts its
// active hours in which a context new to it appeared (decayed, NovelS of
// WinS). An hour test (open or closed) of an hour with a new context adds
//
//	s_new = min(2.5, max(0, −log10 q − log10 2)),
//	q     = (NovelS + ½ + 10·g)/(WinS + 1 + 10),  g = the group's rate, likewise
//
// to its score: the hour's volume and its novelty are two pieces of
// evidence, independent under the baseline, and the conjunction's tail is
// the product. Over hours with and without novelty an hour test then
// fires at most 1.5 times as often as its threshold says (10^−t from the
// hours without, q·10^−(t−s_new) = 10^−t/2 from those with), and an
// account whose address changes every hour gains nothing (q ≈ 1). A
// context is learned when an hour without alert closes; an alerting
// hour's stays new. Stolen credentials are used from the attacker's
// machine: measured when it was added, the generated bulk extractions
// fired after 1,920 records instead of 2,541 (seed 1) and 3,064 instead
// of 4,045 (seed 3), with false entity-days unchanged on ten runs. The
// user agent's digits are left out (a browser update is not a new
// machine). Logs without these fields are scored as before.
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
// Beside the short level, LongY/LongN/LongE keep records and requests per
// active working day with a 90-day half-life, learning a winsorised day
// (capped at the score-2 quantile of the long prediction) so a ramp does
// not drag it. At each closed active day, z = Φ⁻¹(1 − mid-p tail) of the
// day's records and of its requests against the long levels (the larger),
// capped to [−3, 4]. A day is suspect when z ≥ 3 or S ≥ 2 already: it
// teaches neither the variability c² (one 2.5× day adds more to c² than a
// month of ordinary days, and a wider band hides the rest of the leak) nor
// the long memory more than it expected. Page's CUSUM
// S = max(0, S + z − k), k = 1 (half the 2-sd daily shift of a 2–4× leak on
// an account varying 20–30% a day), starts once the long memory is the
// entity's own (7 active working days; before, the reference is the short
// level shrunk towards peers, whose bias for an entity unlike its peers the
// parameter uncertainty does not cover). An account first seen after the
// warm-up waits for 20: a new hire's first weeks are a ramp up to a full
// caseload, and a long memory holding them stands below every ordinary
// day after it (an independent generator's hires, from 12% of a day up
// by 9 points a working day, alarmed weeks later); the new-account tests
// against its peers watch it meanwhile. Its score
// is log10 of Siegmund's in-control average run length at S:
//
//	ARL0(S) ≈ (exp(2k(S+1.166)) − 1 − 2k(S+1.166)) / (2k²)
//
// so it compares with the window scores; S resets after an alarm, and on
// any day the entity's day alerted or an incident of it is open: those
// days are reported already, and four of them otherwise added up to a
// CUSUM alarm on the first quiet day after a bulk extraction. An open
// incident goes on while its days stand at z ≥ 2, alerting or not: a leak
// whose short level has caught up with it no longer crosses the day
// threshold but has not ended, and CUSUM, held at 0 meanwhile, opened a
// second incident for it. An alarm excused as a common cause (§3c)
// keeps S, so the cause's other accounts still see it the next day, but
// holds the score it was excused at (Cusum.Held, until S returns to 0):
// it alarms again only 2 points beyond. Without that, once a regional
// deadline week (referents of 3–5 organisations at 2–3× for five days)
// ended, ordinary days carried the sums over the threshold with no other
// organisation left to share them.
//
// # 6. Alert budget (budget.go, detector)
//
// The budget B (default 0.05 false alerts a day, about 2 false entity-days
// a month) is split equally across six test families f — hour volume, day
// volume, CUSUM, organisation share, request size, distinct subjects — and
// each family's threshold is Bonferroni over its own tests a day T_f:
//
//	thr_f = −log10((B/6) / T_f) + cal_f,  then max(thr_f, --min-score)
//
// with T_hour = 24·E, T_day = T_cusum = E, T_share = O, T_request =
// T_distinct = E − O,
// where E (O) is the decayed maximum (half-life 21 days) of the entities
// (organisations) active a day, so a quiet Sunday does not lower Monday's
// thresholds. cal_f corrects families whose benign tail was measured
// heavier than nominal (TestDiagCalibration on generated months): request
// size +1 (loose Pareto bound). CUSUM needed +1.5 while the open day raised
// its own level; it no longer does (its benign tail is now below nominal).
// --min-score defaults to 0.
//
// The hour, day, CUSUM and distinct-subjects thresholds then learn how
// far the log's benign tail is from the model's (detector/tailrate.go):
// each day, the accounts whose best score in the family reached thr_f − 1,
// outside an incident and not excused as a common cause, are counted
// against the (B/6)·10 the budget expects there; the threshold rises by
// log10 of the excess, the count taken at its 90% lower confidence bound
// as a Poisson mean (decayed over 21 days, with a prior of 7 days at
// none, at most 2). On the generated months the shifts are 0; on
// independent generators they reach 0.3–0.8 (altgen2 seed 1: hour +0.53,
// day +0.46, CUSUM +0.78, distinct subjects +0.84, from 9 to 20 near
// misses in 19 days where 1.6 were expected). Over 24 evaluation logs
// false entity-days fell from 407 to 398 (with §3c's breadth of any
// role, 377 → 367, and two organisation-wide pulls that breadth alone
// excused were caught again); altgen5 seed 2's Sunday pull of 66
// records was lost. Without the lower bound a near miss or two moved a
// threshold by 0.3 on the generated months, and two attacks were lost
// for 30 fewer false entity-days.
// Early tests add a margin for repeated looks: the crossing count is
// re-evaluated as exposure grows from MinFraction to 1 of an hour, about
// L = 1 + log2(1/MinFraction) looks an hour, so margin = log10(hours·L):
// 0.63 for an hour, 2.0 for a day (MinFraction 0.1).

// # 7. Request size
//
// A single request of r records above the largest request of any
// non-alerting window, with n requests of history (n ≥ 20, r ≥ 1,000), gets
// score log10(n) + 2·log10(r/max): a Pareto tail of index 2 beyond the
// observed maximum, P(R ≥ r) ≤ (1/n)(max/r)². A request reaching the
// threshold that breadth does not excuse at once is decided when its hour
// closes, with the hour's largest request and the breadth of every
// account's requests of that hour: the first exporters of a quarter-end
// morning had nobody yet to be excused by (the independent generator's
// quarter- and month-end: 11 false entity-days of request_size, 5
// after). One request is not an extraction in progress, which the
// volume tests catch early; an excused request is learned as the
// account's largest.
//
// # 8. Distinct subjects (Baseline.DistinctNB)
//
// When events carry a subject (the person whose record was read), a
// HyperLogLog (github.com/axiomhq/hyperloglog, precision 14) counts the
// distinct subjects of each account-day; no subject id is stored. The
// count is scored at day close against the account's mean distinct
// subjects per day, shrunk towards its group's (K_L days), times the day
// factor and the common mode, with the request-count variability and φ =
// the day's mean subjects per request that carried any (1 where each view
// is a request; a list's size where the log writes a line per record),
// its largest such request counting as one clump, and learned winsorised
// like the records. An advisor returns to the
// same portfolio; the same number of views spread over strangers is a
// coverage spike that the volume tests do not see.
//
// # 9. Organisation share (TruncatedProductScore; detector/share.go)
//
// Many accounts of one organisation each moderately elevated on the same
// day (a compromised partner's whole team, a shared credential) may leave
// every account and the organisation's total below threshold: an
// advisor's 2× day scores 1–3, and an organisation's records are
// dominated by its services' exports. At each day's close every active
// account's day score s becomes a tail rate: its mid-bin rank (bins of
// 0.1) among the same day's account-days of all other organisations,
//
//	rate = max(h, (ge_rest + 50·h) / (n_rest + 50)),
//	h    = (ge_hist + 300·10^−s) / (n_hist + 300),
//
// where the history (ge_hist/n_hist, decayed with a 21-day half-life,
// armed days only) is itself shrunk towards the score's nominal tail
// 10^−s. The same-day rank takes out the day's common mode and whatever
// the NB's calibration gets wrong; the history keeps a quiet day from
// making ordinary scores rare; the nominal prior stands in for a
// reference too thin to rank against (a small deployment, the first armed
// days), where members sharing a few dozen ranks would not be independent.
// The organisation's score is the truncated product (Zaykin et al. 2002)
// of its members' rates at or below τ = 0.05, each floored at 0.001 so
// that one account far out (the account tests' business) cannot carry it:
// with W that product and K ~ Binomial(n, τ) the members at or below τ,
//
//	P(W ≤ w) = Σ_k Bin(k; n, τ) · Q(k, max(0, k·ln τ − ln w)).
//
// The same is done a second time with each member's CUSUM score (§5) in
// place of its day score, on a day that adds to its sum and when the sum
// is not excused as a common cause: a pull over several days at 2–3× a
// day scores each day within what people's days do, but their running
// sums rank together among the day's highest. The organisation's score
// is the larger of the two, and the budget counts two tests per
// organisation. An organisation with an open episode keeps it open while
// its share stays within 2 of the threshold. Over 27 evaluation logs
// one more organisation-wide rise was caught (altgen3 seed 1), two a
// day earlier, with one false entity-day fewer.
//
// Members above τ weigh nothing: 60 members each at rate 0.2 (a large
// organisation's slightly busy day) score 0, where Fisher's full product
// would score 5; several members at 1–3% add up where a count above a
// fixed rate (the binomial alone) would discard how far each is. A shift
// that puts many members beyond their own 5% day is, by volume alone,
// what an organisation-wide extraction looks like, and alerts. Measured (TestDiagCalibration, 5 generated months, 4,947
// benign organisation-days): 29 over score 2 where 49 are nominal, none
// over 3.
//
// Several organisations raised the same day share a cause that ranking
// against the rest of the network cannot see (a campaign in a few
// départements, a regional deadline): an organisation's share is excused
// when two others scored within 2 points of the threshold that day. One
// organisation alone still alerts; moderate pulls through three
// organisations at once are left to the accounts' own tests.
// An organisation with more of the day's active accounts than all others
// together (a deployment of one agency) is not tested: it is the network,
// and its busy days are the common mode the accounts' tests allow for.
package models
