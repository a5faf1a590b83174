#!/usr/bin/env python3
"""altgen9 -- held-out synthetic access-log generator (syslog-forwarded Spring audit JSON).

Usage:
    python3 scripts/altgen9.py --seed S --outdir /tmp/ev9/sS --labels /tmp/ev9/lS.json

Standard library only; the output is a pure function of --seed.

Log habit (different from the earlier generators)
-------------------------------------------------
The partner-data API is a Java / Spring Boot service.  Its audit logger
(logback + a JSON encoder) writes one JSON object per API call, with camelCase
keys, an epoch-MILLISECOND ``timestamp`` and the organisation identified only
by its 14-digit SIRET.  The lines are not read from the service's disk: they
are forwarded by syslog (RFC 5424) to a central rsyslog, which prepends a
syslog header and writes one file per local (Europe/Paris) day, logrotate
``dateext`` style.  So each line is::

    <PRI>1 HEADER_TIME HOST APP PROCID MSGID - {JSON}

e.g.::

    <134>1 2026-10-05T09:14:03.412+02:00 api-partage-02 partage-api 2817 AUDIT - {"timestamp":1791184443187,"level":"INFO","thread":"http-nio-8443-exec-37","logger":"f.g.p.api.audit.AccessAuditLogger","message":"person data access","traceId":"6f1c0a9d3e2b4471","principal":"c.martin","principalType":"USER","role":"CONSEILLER","orgSiret":"13002526500013","orgType":"MISSION_LOCALE","operation":"SEARCH_PERSON","httpMethod":"POST","uri":"/api/v2/personnes/recherche","httpStatus":200,"recordCount":12,"durationMs":143,"clientIp":"10.12.4.7","userAgent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/131.0"}

* PRI: 134 (local0.info) or 132 (local0.warning, for level WARN: 403/429).
* HEADER_TIME: rsyslog *receipt* time, local time with its UTC offset
  (+02:00 before, +01:00 after 2026-10-25 03:00 local), 20-900 ms after the
  event.  It is NOT the event time; the authoritative event time is the JSON
  ``timestamp`` (Unix epoch, milliseconds, UTC).
* JSON keys, always in this order: timestamp, level, thread, logger, message,
  traceId, principal (the account id), principalType (USER|SERVICE), role
  (CONSEILLER|RESPONSABLE|ACCUEIL|ADMIN_LOCAL|TECHNIQUE), orgSiret (the
  organisation id, a 14-digit string), orgType, operation, httpMethod, uri,
  httpStatus (int), recordCount (int, number of person records returned by the
  call -- the volume to monitor; 0 for 404/403/429), durationMs, clientIp,
  userAgent.
* operations: READ_PERSON (1 record), SEARCH_PERSON (page <= 50, attackers may
  use page sizes up to 250), LIST_PORTFOLIO, EXPORT_REPORT (managers),
  EXPORT_BATCH (service accounts, pages of 500/1000), SYNC_DELTA (service).

File layout in OUTDIR:
    partage-api-audit.log-YYYYMMDD   one file per local day (by event time),
                                     lines in event-time order
    ALL                              every event of the 56 days, event-time order,
                                     same line format
Labels: JSON at --labels (see the brief's format); times RFC 3339 with the
Europe/Paris offset; attack records/events count only the attacker's calls.
Free-text notes (attack details, victim's median normal daily records, benign
explanations) go to notes{seed}.json next to the labels file, keyed by id.

Period: 2026-09-28 00:00 +02:00 .. 2026-11-23 00:00 +01:00 (56 days, end of
summer time 25 Oct, Toussaint school holidays 17 Oct - 2 Nov, 1 Nov Sunday,
11 Nov Wednesday).
"""
import argparse
import json
import math
import os
import random

DAYS = 56
# epoch seconds of 2026-09-28T00:00:00+02:00
T0 = 1790546400
DST_SWITCH = 1792890000  # 2026-10-25T01:00:00Z
DOW_NAMES = "Mon Tue Wed Thu Fri Sat Sun".split()


def _date_of_day(d):
    # days from 2026-09-28
    if d < 3:
        return (2026, 9, 28 + d)
    if d < 34:
        return (2026, 10, d - 2)
    return (2026, 11, d - 33)


DATES = [_date_of_day(d) for d in range(DAYS + 1)]
HOLIDAYS = {34: "Toussaint (Sunday)", 44: "Armistice 1918"}  # 1 Nov, 11 Nov
SCHOOL_HOL = set(range(19, 36))  # 17 Oct (Sat) .. 1 Nov; back 2 Nov
MONTH_END = [1, 2, 31, 32]  # Sep 29-30, Oct 29-30 (last two working days)
MONTH_START = [3, 35]  # Oct 1, Nov 2 (first working day)


def dow(d):
    return d % 7  # day 0 is Monday


def is_workday(d):
    return dow(d) < 5 and d not in HOLIDAYS


def day_midnight_utc(d):
    # local midnight -> epoch; midnight is always unambiguous here
    y, m, dd = DATES[d]
    naive = T0 + d * 86400 + 7200  # naive local seconds as if UTC ...
    # simpler: local midnight of day d = T0 + d*86400 + (offset change)
    return T0 + d * 86400 + (3600 if d >= 28 else 0)


def local_to_epoch(d, secs):
    """local day d + seconds since local midnight -> epoch seconds (float)."""
    naive = T0 + 7200 + d * 86400 + secs  # local wall clock read as UTC
    e = naive - 7200
    if e >= DST_SWITCH:
        e = naive - 3600
    return e


def offset_of(epoch):
    return 7200 if epoch < DST_SWITCH else 3600


def rfc3339(epoch):
    off = offset_of(epoch)
    loc = int(epoch) + off
    d = (loc - (T0 + 7200)) // 86400
    s = loc - (T0 + 7200) - d * 86400
    y, m, dd = DATES[d] if 0 <= d <= DAYS else _far_date(d)
    return "%04d-%02d-%02dT%02d:%02d:%02d+%02d:00" % (y, m, dd, s // 3600, s % 3600 // 60, s % 60, off // 3600)


def _far_date(d):
    return _date_of_day(d)


def day_str(d):
    y, m, dd = DATES[d]
    return "%04d-%02d-%02d" % (y, m, dd)


SURNAMES = """martin bernard thomas petit robert richard durand dubois moreau laurent simon michel lefebvre
leroy roux david bertrand morel fournier girard bonnet dupont lambert fontaine rousseau vincent muller
lefevre faure andre mercier blanc guerin boyer garnier chevalier francois legrand gauthier garcia perrin
robin clement morin nicolas henry roussel mathieu gautier masson marchand duval denis dumont marie lemaire
noel meyer dufour meunier brun blanchard giraud joly riviere lucas brunet gaillard barbier arnaud martinez
gerard roche renard schmitt roy leroux colin vidal caron picard roger fabre aubert lemoine renaud dumas
lacroix olivier philippe bourgeois pierre benoit rey leclerc payet rolland leclercq guillaume lecomte lopez
jean dupuy guillot hubert berger carpentier sanchez dupuis moulin louis deschamps huet vasseur perez boucher
fleury royer klein jacquet adam paris poirier marty aubry guyot carre charles renault charpentier menard
maillard baron bertin bailly herve schneider fernandez le-gall collet leger bouvier julien prevost millet
perrot daniel le-roux cousin germain breton besson langlois remy le-goff pelletier leveque perrier leblanc
barre lebrun marchal weber mallet hamon boulanger jacob monnier michaud rodriguez guichard gillet etienne
grondin poulain tessier chevallier collin chauvin da-silva bouchet gay lemaitre benard marechal humbert
reynaud antoine hoarau perret barthelemy cordier pichon lejeune gilbert lamy delaunay pasquier carlier
laporte haddad benali diallo traore nguyen mendy kone""".split()
FIRST = "abcdefghijklmnoprstvyz"

ORG_TYPES = [("MISSION_LOCALE", 0.42), ("CAP_EMPLOI", 0.14), ("CONSEIL_DEPARTEMENTAL", 0.14),
             ("CAF", 0.08), ("ORGANISME_FORMATION", 0.15), ("PLIE", 0.07)]
ORG_SIZE_MULT = {"MISSION_LOCALE": 1.0, "CAP_EMPLOI": 0.7, "CONSEIL_DEPARTEMENTAL": 2.2,
                 "CAF": 1.6, "ORGANISME_FORMATION": 0.5, "PLIE": 0.5}
UAS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/131.0",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/129.0.0.0 Safari/537.36",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/129.0.0.0",
       "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) Safari/605.1.15"]
SVC_UAS = ["Apache-HttpClient/5.2.1 (Java/17.0.9)", "python-requests/2.31.0", "Talend-ESB/8.0.1",
           "curl/8.5.0", "okhttp/4.12.0"]
ATT_UAS = ["python-requests/2.32.3", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
           "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/128.0.0.0 Safari/537.36"]

# operation table: name, method, uri
OPS = [("READ_PERSON", "GET", "/api/v2/personnes/{id}"),
       ("SEARCH_PERSON", "POST", "/api/v2/personnes/recherche"),
       ("LIST_PORTFOLIO", "GET", "/api/v2/portefeuilles/{id}/personnes"),
       ("EXPORT_REPORT", "POST", "/api/v2/rapports/export"),
       ("EXPORT_BATCH", "GET", "/api/v2/export/personnes"),
       ("SYNC_DELTA", "GET", "/api/v2/sync/personnes/delta")]
READ, SEARCH, LIST, REPORT, BATCH, SYNC = range(6)

# per-role op mix (cumulative thresholds over READ, SEARCH, LIST, REPORT)
ROLE_MIX = {
    "CONSEILLER": (0.55, 0.90, 1.0, 1.0),
    "ACCUEIL": (0.45, 1.0, 1.0, 1.0),
    "RESPONSABLE": (0.35, 0.60, 0.92, 1.0),
    "ADMIN_LOCAL": (0.5, 1.0, 1.0, 1.0),
}


class Acct:
    __slots__ = ("idx", "name", "org", "role", "svc", "rate", "recm", "start_h", "end_h", "lunch_s",
                 "lunch_e", "parttime_off", "parttime_fac", "leave", "hire", "leave_day", "evening",
                 "ip", "ua", "job", "job_size", "job_time", "sick")


class Org:
    __slots__ = ("idx", "siret", "type", "accts", "netprefix")


def siret(rng, used):
    while True:
        siren = [rng.randint(0, 9) for _ in range(8)]
        siren = [rng.choice((1, 2, 3, 4, 7, 8))] + siren
        nic = [0, 0, 0] + [rng.randint(0, 9) for _ in range(1)]
        digits = siren + nic
        # Luhn check digit
        s = 0
        for i, dgt in enumerate(reversed(digits)):
            if i % 2 == 0:
                dgt *= 2
                if dgt > 9:
                    dgt -= 9
            s += dgt
        digits.append((10 - s % 10) % 10)
        v = "".join(map(str, digits))
        if v not in used:
            used.add(v)
            return v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--labels", required=True)
    args = ap.parse_args()
    seed = args.seed
    rng = random.Random(seed * 7919 + 9)
    rnd = rng.random
    lnv = rng.lognormvariate
    expv = rng.expovariate

    # ---------------- population ----------------
    n_orgs = rng.randint(60, 120)
    target = rng.randint(1200, 1750)
    orgs = []
    used_siret = set()
    weights = []
    for i in range(n_orgs):
        r = rnd()
        acc = 0
        for t, w in ORG_TYPES:
            acc += w
            if r < acc:
                break
        o = Org()
        o.idx = i
        o.type = t
        o.siret = siret(rng, used_siret)
        o.accts = []
        o.netprefix = "10.%d.%d." % (rng.randint(1, 250), rng.randint(0, 250))
        orgs.append(o)
        weights.append(lnv(0, 0.7) * ORG_SIZE_MULT[t])
    wsum = sum(weights)
    used_names = set()

    def new_name():
        while True:
            nm = "%s.%s" % (rng.choice(FIRST), rng.choice(SURNAMES))
            if nm in used_names:
                nm = "%s%d" % (nm, rng.randint(2, 9))
            if nm not in used_names:
                used_names.add(nm)
                return nm

    accts = []

    def make_user(o, role, hire=0):
        a = Acct()
        a.idx = len(accts)
        a.name = new_name()
        a.org = o
        a.role = role
        a.svc = False
        if role == "CONSEILLER":
            a.rate = lnv(math.log(21), 0.5)
        elif role == "ACCUEIL":
            a.rate = lnv(math.log(25), 0.4)
        elif role == "RESPONSABLE":
            a.rate = lnv(math.log(9), 0.5)
        else:
            a.rate = lnv(math.log(5), 0.5)
        a.recm = lnv(0, 0.35)
        a.start_h = min(10.0, max(7.3, rng.gauss(8.6, 0.45)))
        a.end_h = min(19.5, max(15.5, a.start_h + rng.gauss(8.6, 0.5)))
        a.lunch_s = rng.gauss(12.25, 0.3)
        a.lunch_e = a.lunch_s + rng.uniform(0.6, 1.5)
        a.parttime_off = -1
        a.parttime_fac = 1.0
        if role in ("CONSEILLER", "ACCUEIL") and rnd() < 0.2:
            if rnd() < 0.6:
                a.parttime_off = rng.choice((2, 2, 4, 0))  # day off, mostly Wednesday
            else:
                a.parttime_fac = 0.8
        a.leave = None
        a.hire = hire
        a.leave_day = DAYS + 10
        a.evening = role == "CONSEILLER" and rnd() < 0.05
        a.ip = o.netprefix + str(rng.randint(2, 250))
        a.ua = rng.choice(UAS)
        a.sick = set()
        accts.append(a)
        o.accts.append(a)
        return a

    def make_svc(o, job):
        a = Acct()
        a.idx = len(accts)
        nm = "svc-%s-%03d" % (job, o.idx)
        a.name = nm
        used_names.add(nm)
        a.org = o
        a.role = "TECHNIQUE"
        a.svc = True
        a.job = job
        a.ip = "172.%d.%d.%d" % (rng.randint(16, 31), rng.randint(0, 255), rng.randint(2, 250))
        a.ua = rng.choice(SVC_UAS)
        a.hire = 0
        a.leave_day = DAYS + 10
        a.job_size = lnv(math.log(3500), 0.7)
        a.job_time = rng.choice((1, 2, 3, 4, 5, 22, 23)) * 3600 + rng.randint(0, 11) * 300
        accts.append(a)
        o.accts.append(a)
        return a

    for o, w in zip(orgs, weights):
        size = max(3, int(round(w / wsum * target)))
        n_mgr = max(1, int(round(size * rng.uniform(0.05, 0.1))))
        n_acc = int(round(size * rng.uniform(0.05, 0.15)))
        n_adm = 1 if size >= 8 else 0
        for _ in range(n_mgr):
            make_user(o, "RESPONSABLE")
        for _ in range(n_acc):
            make_user(o, "ACCUEIL")
        for _ in range(n_adm):
            make_user(o, "ADMIN_LOCAL")
        for _ in range(max(1, size - n_mgr - n_acc - n_adm)):
            make_user(o, "CONSEILLER")
        if size >= 12 and rnd() < 0.55:
            make_svc(o, rng.choice(("export-dossiers", "export-bi", "sync-si")))
            if size >= 35 and rnd() < 0.5:
                make_svc(o, "sync-delta")

    benign = []
    notes = {"benign": {}, "attacks": {}}

    def add_benign(kind, start, end, accounts=None, note=None):
        b = {"id": "B%d" % (len(benign) + 1), "kind": kind}
        if accounts:
            b["accounts"] = accounts
        b["start"] = start if isinstance(start, str) else rfc3339(start)
        b["end"] = end if isinstance(end, str) else rfc3339(end)
        benign.append(b)
        notes["benign"][b["id"]] = note

    users = [a for a in accts if not a.svc]
    # leave: 1 week (common) or 2 weeks (vacation_return trap). Bias to Toussaint.
    weeks = [0, 7, 14, 21, 28, 35, 42, 49]
    for a in users:
        r = rnd()
        if r < 0.45:
            nweeks = 2 if rnd() < 0.25 else 1
            if rnd() < 0.6:
                st = rng.choice((21, 28)) if nweeks == 1 else 21
            else:
                st = rng.choice(weeks[:-nweeks] if nweeks == 2 else weeks)
            a.leave = (st - 2 if rnd() < 0.3 else st, st + 7 * nweeks - 2)  # incl. weekend before
            a.leave = (max(0, a.leave[0]), a.leave[1])
        for d in range(DAYS):
            if rnd() < 0.012:
                a.sick.add(d)
    # new hires, leavers
    advisors = [a for a in users if a.role == "CONSEILLER"]
    n_hires = max(6, int(len(advisors) * 0.035))
    hires = rng.sample(advisors, n_hires)
    for a in hires:
        wd = [d for d in range(5, 46) if is_workday(d)]
        a.hire = rng.choice(wd)
        a.leave = None
    rest = [a for a in advisors if a.hire == 0]
    leavers = rng.sample(rest, max(4, int(len(advisors) * 0.02)))
    for a in leavers:
        a.leave_day = rng.randint(12, 50)  # first day without activity
        a.leave = None

    def active(a, d):
        if d < a.hire or d >= a.leave_day:
            return False
        if a.leave and a.leave[0] <= d <= a.leave[1]:
            return False
        return True

    # ------------- event store -------------
    ev_t = []  # epoch ms
    ev_a = []
    ev_op = []
    ev_rec = []
    ev_st = []
    ev_alt = []  # 0 normal, k>0 -> alternate ip/ua index
    alt_ipua = [None]
    recs_day = {}  # (acct idx, day) -> normal records

    def emit(a, epoch, op, rec, status=200, alt=0):
        ev_t.append(int(epoch * 1000))
        ev_a.append(a.idx)
        ev_op.append(op)
        ev_rec.append(rec)
        ev_st.append(status)
        ev_alt.append(alt)

    def sample_op(a):
        mix = ROLE_MIX[a.role]
        r = rnd()
        if r < mix[0]:
            op, rec = READ, 1
        elif r < mix[1]:
            op = SEARCH
            m = 6.0 * a.recm if a.role != "ACCUEIL" else 2.0
            rec = min(50, int(expv(1.0 / m)))
        elif r < mix[2]:
            op = LIST
            rec = min(200, int(rng.uniform(8, 55) * a.recm))
        else:
            op = REPORT
            rec = min(2500, int(lnv(math.log(200), 0.6)))
        st = 200
        x = rnd()
        if x < 0.015:
            st, rec = 404, 0
        elif x < 0.018:
            st, rec = 403, 0
        return op, rec, st

    def session_times(a, d, n, windows, mean_gap=45.0):
        tot = sum(e - s for s, e in windows)
        out = []
        while len(out) < n:
            k = min(n - len(out), 1 + int(expv(1 / 3.5)))
            u = rnd() * tot
            for s, e in windows:
                if u < e - s:
                    t = s + u
                    break
                u -= e - s
            for _ in range(k):
                out.append(t)
                t += 4 + expv(1.0 / mean_gap)
        return out

    def windows_of(a):
        return [(a.start_h * 3600, a.lunch_s * 3600), (a.lunch_e * 3600, a.end_h * 3600)]

    def user_activity(a, d, n, windows, mean_gap=45.0, track=True):
        tot = 0
        for t in session_times(a, d, n, windows, mean_gap):
            op, rec, st = sample_op(a)
            emit(a, local_to_epoch(d, t + rnd()), op, rec, st)
            tot += rec
        if track:
            recs_day[(a.idx, d)] = recs_day.get((a.idx, d), 0) + tot
        return tot

    # day-level multipliers
    def day_factor(a, d):
        f = (1.3, 1.05, 0.92, 1.0, 0.82, 0, 0)[dow(d)]
        if d == 45:  # day after 11 Nov
            f *= 1.3
        if d in SCHOOL_HOL and a.org.type == "MISSION_LOCALE":
            f *= 0.85
        return f

    # benign special events decided ahead
    boosts = {}  # (acct idx, day) -> factor

    # vacation returns (2-week leave)
    for a in users:
        if a.leave and a.leave[1] - a.leave[0] >= 12:
            r = a.leave[1] + 1
            while r < DAYS and not is_workday(r):
                r += 1
            if r < DAYS - 1:
                boosts[(a.idx, r)] = boosts.get((a.idx, r), 1) * 1.7
                r2 = r + 1
                while r2 < DAYS and not is_workday(r2):
                    r2 += 1
                if r2 < DAYS:
                    boosts[(a.idx, r2)] = boosts.get((a.idx, r2), 1) * 1.35
                add_benign("vacation_return", local_to_epoch(r, 0), local_to_epoch(r2 + 1, 0) - 1,
                           [a.name], "back from two weeks' leave, catching up backlog")
    # new hires: ramp-up
    for a in hires:
        for k in range(10):
            boosts[(a.idx, a.hire + k)] = 0.45 + 0.055 * k
        add_benign("new_hire", local_to_epoch(a.hire, 0), local_to_epoch(min(DAYS, a.hire + 14), 0) - 1,
                   [a.name], "new advisor, ordinary ramping-up activity")
    # leavers + portfolio takeover by a colleague
    takers = []
    for a in leavers:
        add_benign("leaver", local_to_epoch(a.leave_day - 1, 0), local_to_epoch(min(DAYS, a.leave_day + 3), 0) - 1,
                   [a.name], "advisor leaves; account inactive afterwards")
        cands = [c for c in a.org.accts if c.role == "CONSEILLER" and c is not a and c.hire == 0
                 and c not in leavers and not c.leave]
        if cands:
            c = rng.choice(cands)
            takers.append(c)
            d = a.leave_day
            days = []
            while len(days) < 2 and d < DAYS:
                if is_workday(d):
                    days.append(d)
                d += 1
            for dd in days:
                boosts[(c.idx, dd)] = boosts.get((c.idx, dd), 1) * 2.3
            if days:
                add_benign("portfolio_takeover", local_to_epoch(days[0], 0), local_to_epoch(days[-1] + 1, 0) - 1,
                           [c.name], "colleague takes over the leaver's portfolio, reviews the files")
    # portfolio review campaign in one org (benign look-alike of org_wide)
    big_orgs = [o for o in orgs if sum(1 for a in o.accts if a.role == "CONSEILLER") >= 12]
    rng.shuffle(big_orgs)
    camp_org = big_orgs[0]
    camp_day = rng.choice([d for d in range(12, 52) if is_workday(d) and dow(d) in (1, 3)])
    camp_accts = [a for a in camp_org.accts if a.role == "CONSEILLER"]
    for a in camp_accts:
        boosts[(a.idx, camp_day)] = boosts.get((a.idx, camp_day), 1) * rng.uniform(1.6, 2.4)
    add_benign("portfolio_review_campaign", local_to_epoch(camp_day, 0), local_to_epoch(camp_day + 1, 0) - 1,
               [a.name for a in camp_accts if active(a, camp_day)],
               "whole organisation reviews its portfolios (annual review), all advisors elevated")
    # Saturday job fair
    ml_orgs = [o for o in orgs if o.type == "MISSION_LOCALE" and len(o.accts) >= 8 and o is not camp_org]
    fair_org = rng.choice(ml_orgs)
    fair_day = rng.choice((12, 26, 40))
    fair_accts = rng.sample([a for a in fair_org.accts if a.role in ("CONSEILLER", "ACCUEIL")],
                            min(6, sum(1 for a in fair_org.accts if a.role in ("CONSEILLER", "ACCUEIL"))))
    add_benign("saturday_job_fair", local_to_epoch(fair_day, 9 * 3600), local_to_epoch(fair_day, 13 * 3600 + 1800),
               [a.name for a in fair_accts], "Saturday morning job fair (forum emploi)")
    evening = [a for a in users if a.evening]
    if evening:
        add_benign("evening_catchup", local_to_epoch(0, 0), local_to_epoch(DAYS, 0) - 1, [a.name for a in evening],
                   "advisors occasionally finishing files from home 20:00-22:30")

    # ------------- normal traffic -------------
    for a in users:
        win = windows_of(a)
        for d in range(DAYS):
            if not is_workday(d) or not active(a, d) or d in a.sick:
                continue
            if dow(d) == a.parttime_off:
                continue
            f = day_factor(a, d) * a.parttime_fac * boosts.get((a.idx, d), 1.0)
            w = win
            if dow(d) == 2 and a.parttime_off == -1 and a.parttime_fac < 1 and rnd() < 0.7:
                w = [win[0]]  # Wednesday afternoon off
            n = int(a.rate * f * lnv(0, 0.28) + rnd())
            if a.role == "RESPONSABLE" and d in MONTH_END:
                # month-end reporting: many large report exports
                for t in session_times(a, d, rng.randint(5, 14), w, 120):
                    rec = min(2000, int(lnv(math.log(220), 0.6)))
                    emit(a, local_to_epoch(d, t), REPORT, rec)
                    recs_day[(a.idx, d)] = recs_day.get((a.idx, d), 0) + rec
            if a.evening and rnd() < 0.12:
                user_activity(a, d, rng.randint(2, 9), [(20 * 3600, 22.5 * 3600)])
            user_activity(a, d, n, w)
        # Saturday fair
        if a in fair_accts:
            user_activity(a, fair_day, int(a.rate * 0.6 + 1), [(9 * 3600, 13.5 * 3600)])
    # month-end benign labels
    mgrs = [a.name for a in users if a.role == "RESPONSABLE"]
    add_benign("month_end_reporting", local_to_epoch(1, 0), local_to_epoch(3, 0) - 1, mgrs,
               "managers export monthly reports (September close)")
    add_benign("month_end_reporting", local_to_epoch(31, 0), local_to_epoch(33, 0) - 1, mgrs,
               "managers export monthly reports (October close)")

    # service accounts
    svcs = [a for a in accts if a.svc]
    for a in svcs:
        if a.job == "sync-delta":
            for d in range(DAYS):
                if not is_workday(d):
                    continue
                t = 7 * 3600 + rng.randint(0, 60)
                while t < 19.5 * 3600:
                    rec = int(expv(1 / 12.0))
                    emit(a, local_to_epoch(d, t + rnd()), SYNC, rec)
                    recs_day[(a.idx, d)] = recs_day.get((a.idx, d), 0) + rec
                    t += 900 + rng.uniform(-20, 20)
            add_benign("service_sync", local_to_epoch(0, 0), local_to_epoch(DAYS, 0) - 1, [a.name],
                       "technical account, delta sync every 15 min on working days")
            continue
        weekly = rnd() < 0.3
        page = rng.choice((500, 1000))
        for d in range(DAYS):
            if weekly and dow(d) != 0:
                continue
            if not weekly and dow(d) >= 5 and rnd() < 0.6:
                continue  # some nightly jobs skip weekends
            size = a.job_size * (3.0 if weekly else 1.0) * rng.uniform(0.9, 1.12)
            if d in MONTH_START:
                size *= 4.0  # monthly full export
            t = a.job_time + rng.uniform(0, 120)
            left = int(size)
            while left > 0:
                rec = min(page, left)
                emit(a, local_to_epoch(d, t), BATCH, rec)
                recs_day[(a.idx, d)] = recs_day.get((a.idx, d), 0) + rec
                left -= rec
                t += rng.uniform(2, 9)
        add_benign("service_export", local_to_epoch(0, 0), local_to_epoch(DAYS, 0) - 1, [a.name],
                   "technical account, %s export at %02d:%02d, pages of %d; x4 on first working day of month"
                   % ("weekly (Monday)" if weekly else "nightly", a.job_time // 3600, a.job_time % 3600 // 60, page))

    # calendar benign labels
    for d in range(DAYS):
        if dow(d) == 0:
            add_benign("monday_peak", local_to_epoch(d, 0), local_to_epoch(d + 1, 0) - 1)
    add_benign("public_holiday", local_to_epoch(34, 0), local_to_epoch(35, 0) - 1, note="1 Nov (Sunday)")
    add_benign("public_holiday", local_to_epoch(44, 0), local_to_epoch(45, 0) - 1, note="11 Nov (Wednesday)")
    add_benign("day_after_holiday", local_to_epoch(45, 0), local_to_epoch(46, 0) - 1, note="12 Nov catch-up")
    add_benign("school_holidays", local_to_epoch(19, 0), local_to_epoch(35, 0) - 1,
               note="Toussaint; many advisors on leave, Missions locales quieter")
    add_benign("dst_change", local_to_epoch(27, 0), local_to_epoch(28, 0) - 1, note="end of summer time 25 Oct")

    # ------------- attacks -------------
    def normal_daily(a):
        vals = sorted(recs_day.get((a.idx, d), 0) for d in range(DAYS)
                      if is_workday(d) and active(a, d) and recs_day.get((a.idx, d), 0) > 0)
        return vals[len(vals) // 2] if vals else 0

    excluded = set(id(x) for x in hires + leavers + takers + camp_accts + fair_accts + evening)
    victim_pool = [a for a in advisors if id(a) not in excluded and a.parttime_off == -1
                   and not (a.leave and a.leave[1] - a.leave[0] >= 12)]
    rng.shuffle(victim_pool)
    used_orgs = {camp_org.idx}
    attacks = []
    shapes = ["bulk_extraction", "low_and_slow", "new_account", "org_wide", "off_hours"]
    shapes += rng.sample(["bulk_extraction", "low_and_slow", "off_hours", "new_account", "bulk_extraction"],
                         rng.randint(0, 3))
    rng.shuffle(shapes)
    att_ranges = {}

    def pick_victim(lo, hi):
        for i, a in enumerate(victim_pool):
            if a.org.idx in used_orgs:
                continue
            nd = normal_daily(a)
            if lo <= nd <= hi:
                victim_pool.pop(i)
                used_orgs.add(a.org.idx)
                return a, nd
        a = victim_pool.pop()
        used_orgs.add(a.org.idx)
        return a, normal_daily(a)

    def new_alt(a, foreign):
        if foreign:
            ip = rng.choice(("185.220.%d.%d", "45.134.%d.%d", "91.214.%d.%d", "80.94.%d.%d", "37.19.%d.%d")) % (
                rng.randint(0, 255), rng.randint(1, 254))
            ua = rng.choice(ATT_UAS)
        else:
            ip, ua = a.ip, a.ua
        alt_ipua.append((ip, ua))
        return len(alt_ipua) - 1

    def attack_calls(a, d, windows, target_rec, page_lo, page_hi, alt, mean_gap, ops=(SEARCH, LIST)):
        """emit attacker calls of a on day d until target_rec records; returns (recs, n, tmin, tmax)."""
        tot = 0
        n = 0
        times = []
        while tot < target_rec:
            times.extend(session_times(a, d, 20, windows, mean_gap))
            if len(times) > 200000:
                break
            while times and tot < target_rec:
                t = times.pop()
                rec = min(target_rec - tot, rng.randint(page_lo, page_hi))
                if rnd() < 0.25 and page_hi > 5:
                    op, rec = READ, 1
                else:
                    op = rng.choice(ops)
                emit(a, local_to_epoch(d, t), op, rec, 200, alt)
                tot += rec
                n += 1
                att_ranges.setdefault("cur", []).append(local_to_epoch(d, t))
        return tot, n

    def start_rec():
        att_ranges["cur"] = []

    def finish(shape, acc_list, org, recs, nev, note, normal):
        ts = att_ranges["cur"]
        attacks.append({"id": "A%d" % (len(attacks) + 1), "shape": shape, "accounts": acc_list, "org": org.siret,
                        "start": rfc3339(min(ts)), "end": rfc3339(max(ts)), "records": recs, "events": nev})
        notes["attacks"][attacks[-1]["id"]] = {"note": note, "victim_normal_daily_records_median": normal}

    workdays_after = [d for d in range(11, DAYS - 1) if is_workday(d)]
    for shape in shapes:
        start_rec()
        if shape == "bulk_extraction":
            a, nd = pick_victim(80, 400)
            d = rng.choice(workdays_after)
            target_r = rng.randint(7000, 35000)
            h0 = rng.choice((9.5, 10.5, 14.0, 15.0, 18.5, 19.5))
            dur = rng.uniform(2.0, 6.0)
            alt = new_alt(a, rnd() < 0.6)
            recs, nev = attack_calls(a, d, [(h0 * 3600, (h0 + dur) * 3600)], target_r, 40, 250, alt, 25.0)
            finish(shape, [a.name], a.org, recs, nev, "mass paginated search over %.1f h" % dur, nd)
        elif shape == "low_and_slow":
            a, nd = pick_victim(100, 500)
            mult = rng.uniform(2.0, 4.0)
            nd_ = rng.randint(4, 8)
            days = []
            for _ in range(50):
                d0 = rng.choice([d for d in workdays_after if d < DAYS - 12])
                days = [d for d in range(d0, DAYS) if is_workday(d)][:nd_]
                if all(active(a, d) for d in days):
                    break
            alt = new_alt(a, rnd() < 0.3)
            recs = nev = 0
            for d in days:
                r, n = attack_calls(a, d, windows_of(a), int((mult - 1) * nd * lnv(0, 0.15)), 1, 30, alt, 45.0)
                recs += r
                nev += n
            finish(shape, [a.name], a.org, recs, nev,
                   "extra calls in the victim's own hours, x%.1f of normal for %d days" % (mult, len(days)), nd)
        elif shape == "new_account":
            cands = [o for o in orgs if o.idx not in used_orgs and len(o.accts) >= 6]
            o = rng.choice(cands)
            used_orgs.add(o.idx)
            d = rng.choice([x for x in workdays_after if x < DAYS - 4])
            a = make_user(o, "CONSEILLER", hire=d)
            a.leave_day = d  # no normal activity simulated
            alt = new_alt(a, rnd() < 0.5)
            days = [x for x in range(d, DAYS) if is_workday(x)][:rng.randint(1, 3)]
            total = rng.randint(2500, 12000)
            recs = nev = 0
            for i, x in enumerate(days):
                part = total // len(days)
                w = [(a.start_h * 3600, a.lunch_s * 3600), (a.lunch_e * 3600, a.end_h * 3600)]
                r, n = attack_calls(a, x, w, part, 10, 120, alt, 35.0)
                recs += r
                nev += n
            finish(shape, [a.name], o, recs, nev, "account created on %s, pulls %d records in %d day(s)"
                   % (day_str(d), recs, len(days)), 0)
        elif shape == "org_wide":
            cands = [o for o in big_orgs if o.idx not in used_orgs
                     and sum(1 for a in o.accts if a.role == "CONSEILLER") <= 45]
            o = cands[0] if cands else rng.choice([x for x in orgs if x.idx not in used_orgs])
            used_orgs.add(o.idx)
            d0 = rng.choice([d for d in workdays_after if dow(d) != 0])
            days = [d for d in range(d0, DAYS) if is_workday(d)][:rng.randint(1, 2)]
            advs = [a for a in o.accts if a.role == "CONSEILLER" and all(active(a, d) for d in days)]
            sel = rng.sample(advs, min(len(advs), 25, max(3, int(len(advs) * rng.uniform(0.5, 0.8)))))
            alt = new_alt(sel[0], True) if rnd() < 0.5 else 0
            recs = nev = 0
            names = []
            nds = []
            for a in sel:
                nd = normal_daily(a)
                nds.append(nd)
                m = rng.uniform(1.5, 2.6)
                for d in days:
                    r, n = attack_calls(a, d, windows_of(a), int((m - 1) * max(nd, 60)), 1, 40, alt, 45.0)
                    recs += r
                    nev += n
                names.append(a.name)
                if a in victim_pool:
                    victim_pool.remove(a)
            nds.sort()
            finish(shape, names, o, recs, nev, "%d of %d advisors each x1.5-2.6 for %d day(s)"
                   % (len(sel), len(advs), len(days)), nds[len(nds) // 2])
        elif shape == "off_hours":
            a, nd = pick_victim(100, 400)
            alt = new_alt(a, rnd() < 0.5)
            target_r = int(nd * rng.uniform(0.8, 1.5))
            if rnd() < 0.5:
                d = rng.choice([x for x in workdays_after if x < DAYS - 2])
                r1, n1 = attack_calls(a, d, [(22.5 * 3600, 24 * 3600 - 60)], target_r // 2, 1, 25, alt, 50.0)
                r2, n2 = attack_calls(a, d + 1, [(0, 4.5 * 3600)], target_r - r1, 1, 25, alt, 50.0)
                recs, nev = r1 + r2, n1 + n2
                note = "night of %s" % day_str(d)
            else:
                d = rng.choice([x for x in range(11, DAYS - 1) if not is_workday(x)])
                recs, nev = attack_calls(a, d, [(10 * 3600, 17 * 3600)], target_r, 1, 25, alt, 50.0)
                note = "%s %s daytime" % (DOW_NAMES[dow(d)], day_str(d))
            finish(shape, [a.name], a.org, recs, nev, note, nd)

    # ------------- write -------------
    os.makedirs(args.outdir, exist_ok=True)
    for fn in os.listdir(args.outdir):
        if fn == "ALL" or fn.startswith("partage-api-audit.log-"):
            os.remove(os.path.join(args.outdir, fn))
    order = sorted(range(len(ev_t)), key=ev_t.__getitem__)
    hosts = [("api-partage-01", 2817), ("api-partage-02", 3104), ("api-partage-03", 2291)]
    pre = []
    for a in accts:
        pre.append('"principal":"%s","principalType":"%s","role":"%s","orgSiret":"%s","orgType":"%s",'
                   % (a.name, "SERVICE" if a.svc else "USER", a.role, a.org.siret, a.org.type))
    opstr = ['"operation":"%s","httpMethod":"%s","uri":"%s",' % o for o in OPS]
    tail_norm = ['"clientIp":"%s","userAgent":"%s"}' % (a.ip, a.ua) for a in accts]
    tail_alt = [None] + ['"clientIp":"%s","userAgent":"%s"}' % x for x in alt_ipua[1:]]
    loggers = '"logger":"f.g.p.api.audit.AccessAuditLogger","message":"person data access",'
    base_local = T0 + 7200
    fall = open(os.path.join(args.outdir, "ALL"), "w")
    cur_day = -1
    fday = None
    buf = []
    gb = rng.getrandbits
    ri = rng.randint
    total_rec = 0
    for i in order:
        ms = ev_t[i]
        a = ev_a[i]
        rec = ev_rec[i]
        total_rec += rec
        st = ev_st[i]
        sec = ms // 1000
        rms = ms + ri(20, 900)
        rs = rms // 1000
        off = 7200 if rs < DST_SWITCH else 3600
        loc = rs + off - base_local
        d = loc // 86400
        s = loc - d * 86400
        y, mo, dd = DATES[d] if d <= DAYS else _date_of_day(d)
        evd = (sec + (7200 if sec < DST_SWITCH else 3600) - base_local) // 86400
        if evd != cur_day:
            if buf:
                fall.write("".join(buf))
                fday.write("".join(buf))
                buf = []
            if fday:
                fday.close()
            cur_day = evd
            y2, m2, d2 = DATES[evd]
            fday = open(os.path.join(args.outdir, "partage-api-audit.log-%04d%02d%02d" % (y2, m2, d2)), "w")
        h = hosts[gb(2) % 3]
        warn = st in (403, 429)
        op = ev_op[i]
        if op == BATCH:
            dur = 800 + rec * 2 + ri(0, 900)
        else:
            dur = 20 + rec * 3 + int(expv(1 / 80.0))
        alt = ev_alt[i]
        buf.append('<%d>1 %04d-%02d-%02dT%02d:%02d:%02d.%03d+%02d:00 %s partage-api %d AUDIT - '
                   '{"timestamp":%d,"level":"%s","thread":"http-nio-8443-exec-%d",%s"traceId":"%016x",%s%s'
                   '"httpStatus":%d,"recordCount":%d,"durationMs":%d,%s\n'
                   % (132 if warn else 134, y, mo, dd, s // 3600, s % 3600 // 60, s % 60, rms % 1000, off // 3600,
                      h[0], h[1], ms, "WARN" if warn else "INFO", ri(1, 200), loggers, gb(64), pre[a], opstr[op],
                      st, rec, dur, tail_alt[alt] if alt else tail_norm[a]))
        if len(buf) >= 20000:
            fall.write("".join(buf))
            fday.write("".join(buf))
            buf = []
    if buf:
        fall.write("".join(buf))
        fday.write("".join(buf))
    fday.close()
    fall.close()

    labels = {
        "seed": seed, "time_zone": "Europe/Paris",
        "start": rfc3339(T0), "end": rfc3339(local_to_epoch(DAYS, 0)), "days": DAYS,
        "account_count": len(set(ev_a)), "events": len(ev_t), "records": total_rec,
        "attacks": attacks, "benign": benign,
    }
    d = os.path.dirname(os.path.abspath(args.labels))
    os.makedirs(d, exist_ok=True)
    with open(args.labels, "w") as f:
        json.dump(labels, f, indent=1, ensure_ascii=False)
    with open(os.path.join(d, "notes%d.json" % seed), "w") as f:
        json.dump(notes, f, indent=1, ensure_ascii=False)
    print("seed %d: %d orgs, %d accounts, %d events, %d records, %d attacks, %d benign"
          % (seed, n_orgs, labels["account_count"], len(ev_t), total_rec, len(attacks), len(benign)))


if __name__ == "__main__":
    main()
