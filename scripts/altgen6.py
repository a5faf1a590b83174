#!/usr/bin/env python3
"""
altgen6 -- held-out synthetic access log of partner organisations consulting
French job seekers' records, summer period, CSV export flavour.

Usage
-----
    python3 scripts/altgen6.py --seed S --out FILE.csv --labels LABELS.json

Standard library only; the output depends only on the seed.

The log (FILE.csv)
------------------
A semicolon-separated export, as a French spreadsheet-oriented reporting tool
writes it: UTF-8, "\\n" line ends, one header line, then one line per request,
sorted by time (ties keep generation order).  No field ever contains ';',
'"' or a line break, so nothing needs quoting (a field that did would be
quoted CSV-style with doubled inner quotes).

    event_time      local wall-clock time of Europe/Paris, "YYYY-MM-DD HH:MM:SS"
    utc_offset      offset of event_time to UTC, "+02:00" (all of the period is CEST)
    user_login      account login; humans follow their organisation's naming
                    convention (p.nom, pnom, prenom.nom, nom_p or a matricule like
                    a104233); technical accounts look like svc_..., batch-...,
                    api.<org>.sync, <org>_etl, si-<org>-export
    agency_code     partner organisation code: ML59012 (mission locale),
                    CE5901 (Cap emploi), CD059 (conseil departemental),
                    CAF059, OF44xxxx (organisme de formation), PLIE5902
    agency_kind     mission_locale | cap_emploi | conseil_departemental | caf |
                    organisme_formation | plie
    user_profile    CONSEILLER | ACCUEIL | GESTIONNAIRE | RESPONSABLE |
                    FORMATEUR | TECHNIQUE
    action          search_person | view_record | view_history | update_record |
                    download_document | export_list | batch_extract | api_lookup
    result_count    number of job-seeker records returned/touched by the request
                    (0 on errors and empty searches). "records" = sum of this.
    beneficiary_id  job seeker identifier (7 digits + letter) for single-record
                    actions, empty for searches/exports/batches
    client_ip       source IPv4 address
    http_status     200 normally, 403/404/500 occasionally (result_count 0)

Period
------
Monday 2026-06-22 00:00 to Monday 2026-08-17 00:00 (+02:00), 56 days, 8 weeks.
Tuesday 14 July and Saturday 15 August are public holidays; Monday 13 July and
Friday 14 August are "pont" days (about half the staff absent).

Behaviour model
---------------
* 42-58 organisations in 9 regions, 1,200-1,800 human accounts plus ~30-50
  technical accounts.  Organisation sizes are heavy-tailed (departements and
  CAF are big, training bodies tiny).
* Human activity: personal events-per-day level drawn log-normally per profile
  (heavy tail, ~5% power users x2.5), modulated by day of week (Friday short,
  Wednesday lighter), by a summer demand drift (-5% July, -12% August) and by
  daily log-normal noise.  Requests come in "sessions" (search, then 1-3 record
  views, history, note update, document download) spaced by seconds to a couple
  of minutes, placed inside each person's office hours (personal arrival
  7:00-9:45, lunch break 12:00-14:30, departure 16:30-18:45, shorter on Fridays,
  "summer hours" ending ~16:45 from 13 July in half of the organisations).
  Some half days.  Advisors occasionally export their portfolio (export_list).
* Presence: 4-7% random absence (sick, RTT, training), 12% part-timers with a
  fixed day off, and summer leave: 90% of staff take 1-4 weeks (mostly 2-3)
  mostly from mid-July to mid-August, some a second week; August activity is
  ~55-60% of June's.  ~4% summer temps (new accounts) start between 29 June and
  the end of July; ~1.5% of accounts stop during the period.
* Teleworking: ~45% have 1-2 fixed telework weekdays, seen from their home ISP
  address (or from the organisation's VPN gateway for VPN organisations).
  Occasional evening sessions (19:00-23:00, from home), rare Saturday morning
  sessions and very rare Sunday/holiday look-ups.
* Technical accounts: nightly extracts (every day or working days only),
  hourly synchronisations during the working day, weekly Monday extracts,
  monthly extracts on the first or last working day of the month, and API
  look-up services (hundreds to thousands of single-record api_lookup per
  working day).  Extracts are paged (batch_extract of 500-5000 records).
* Managers (RESPONSABLE) produce month-end reporting exports on the last two
  working days of June and July.

Benign notable events (labels "benign")
--------------------------------------
public_holiday, bridge_day (no accounts: concern everyone); month_end_reporting
(managers); vacation_return (catch-up at 2-3x for 1-2 days after >= 3 weeks of
leave); new_summer_temp (all temps, ordinary activity); announced_bulk_job (a
manager/gestionnaire's one-off annual re-certification export, 20k-60k records
in an afternoon); regional_campaign (all advisors of the missions locales / Cap
emploi of one region at 1.5-2.5x for 4-6 working days in August, "rentree"
preparation); service_schedule_change (a nightly extract moves to a new time and
grows).

Attacks (labels "attacks"), 6-8 per seed
----------------------------------------
bulk_extraction  hijacked advisor account scripting 12k-90k records in 1-4 h
                 (full-page searches plus record views, often from a new IP).
low_and_slow     an advisor at 2-4x its own normal volume for 3-7 working days,
                 office hours, same kinds of requests; one per seed is at 2x.
new_account      a brand-new account in an organisation pulling 2k-20k records
                 over 1-3 working days.
org_wide         60-90% of the present accounts of one organisation each at
                 1.5-3x for 3-5 working days, usual IPs.
off_hours        an ordinary daily volume at night (00:30-05:30), late evening or
                 on a Sunday/holiday; one per seed is only 200-500 records.
At least one attack starts in August.  Malicious requests are extra requests
on top of the account's normal activity; start/end/records/events in the labels
count only them.
"""
import argparse
import datetime as _dt
import json
import math
import random
import sys
import time

TZ_NAME = "Europe/Paris"
OFFSET = "+02:00"
START = _dt.date(2026, 6, 22)
NDAYS = 56
DATES = [START + _dt.timedelta(days=i) for i in range(NDAYS)]
DSTR = [d.isoformat() for d in DATES]
WDAY = [d.weekday() for d in DATES]
HOLIDAYS = {_dt.date(2026, 7, 14), _dt.date(2026, 8, 15)}
BRIDGES = {_dt.date(2026, 7, 13), _dt.date(2026, 8, 14)}
IS_HOL = [d in HOLIDAYS for d in DATES]
IS_BRIDGE = [d in BRIDGES for d in DATES]
IS_WORK = [WDAY[i] < 5 and not IS_HOL[i] for i in range(NDAYS)]
WORKDAYS = [d for d in range(NDAYS) if IS_WORK[d]]
D_JUL13 = 21
D_AUG = 42  # Monday 2026-08-03
HMS = ["%02d:%02d:%02d" % (s // 3600, (s // 60) % 60, s % 60) for s in range(86400)]
DOW_F = [1.08, 1.04, 0.93, 1.02, 0.86, 0.3, 0.2]


def summer_f(d):
    if d < 9:
        return 1.0
    if d < 40:
        return 0.95
    return 0.88


ACTIONS = ["search_person", "view_record", "view_history", "update_record",
           "download_document", "export_list", "batch_extract", "api_lookup"]
A_SEARCH, A_VIEW, A_HIST, A_UPD, A_DOC, A_EXPORT, A_BATCH, A_LOOKUP = range(8)

KINDS = ["mission_locale", "cap_emploi", "conseil_departemental", "caf",
         "organisme_formation", "plie"]
KIND_W = [0.34, 0.14, 0.15, 0.08, 0.20, 0.09]
KIND_SIZE = {"mission_locale": (22, 0.5), "cap_emploi": (12, 0.45),
             "conseil_departemental": (50, 0.55), "caf": (32, 0.45),
             "organisme_formation": (6, 0.6), "plie": (8, 0.4)}
REGIONS = [("HDF", [59, 62, 80, 2, 60]), ("IDF", [75, 93, 94, 92, 95, 91, 77, 78]),
           ("ARA", [69, 38, 42, 63, 73, 74]), ("OCC", [31, 34, 30, 11, 66]),
           ("NAQ", [33, 87, 64, 17, 86]), ("GES", [67, 68, 57, 54, 51]),
           ("PAC", [13, 6, 83, 84]), ("BRE", [35, 29, 56, 22]),
           ("PDL", [44, 49, 72, 85])]
REGION_W = [0.14, 0.2, 0.13, 0.1, 0.09, 0.09, 0.1, 0.07, 0.08]

FIRST = ("marie nathalie isabelle sylvie catherine sandrine christine veronique "
         "valerie celine stephanie sophie aurelie julie camille laura emilie claire "
         "anne helene caroline audrey elodie melanie virginie karine laetitia amandine "
         "pauline lea chloe manon sarah ines jean pierre michel philippe alain nicolas "
         "christophe laurent stephane david eric frederic olivier sebastien julien "
         "thomas antoine maxime alexandre mathieu guillaume romain kevin yacine karim "
         "mehdi samir fatima nadia leila amina hugo lucas enzo noemie justine").split()
LAST = ("martin bernard dubois thomas robert richard petit durand leroy moreau simon "
        "laurent lefebvre michel garcia david bertrand roux vincent fournier morel "
        "girard andre lefevre mercier dupont lambert bonnet francois martinez legrand "
        "garnier faure rousseau blanc guerin muller henry roussel nicolas perrin morin "
        "mathieu clement gauthier dumont lopez fontaine chevalier robin masson sanchez "
        "gerard nguyen boyer denis lemaire duval joly gautier roger roche roy noel "
        "meyer lucas meunier jean perez marchand dufour blanchard marie barbier brun "
        "dumas brunet schmitt leroux colin fernandez pierre renard arnaud rolland "
        "caron aubert giraud leclerc vidal bourgeois renaud lemoine picard gaillard "
        "philippe leclercq lacroix fabre dupuis olivier rodriguez dasilva hubert louis "
        "charles guillot riviere legall guillaume adam rey moulin gonzalez berger "
        "lecomte menard fleury deschamps carpentier julien benoit paris maillard "
        "marchal aubry vasseur leroux renault jacquet collet prevost poirier "
        "charpentier royer huet baron dupuy pons paul laine carre breton remy "
        "schneider perrot guyot barre marty cousin benali haddad mansouri belkacem "
        "traore diallo kone camara ouedraogo tran pham lemaitre texier besnard").split()

OFFICE_A = [80, 81, 82, 83, 84, 85, 87, 91, 93, 109, 145, 147, 158, 164, 176,
            185, 193, 194, 195, 212, 213, 217]
ISP_A = [2, 5, 37, 77, 78, 79, 82, 86, 88, 89, 90, 92, 109, 176, 188]
HOST_A = [5, 23, 31, 45, 46, 51, 62, 89, 91, 94, 103, 104, 141, 146, 149, 154,
          167, 178, 185, 192, 193, 198, 212]
LET = "ABCDEFGHJKLMNPRSTUVWXYZ"

# session templates: p_search, min views, max views, p_history, p_update, p_doc
TEMPL = {
    "ACCUEIL": (0.9, 1, 2, 0.1, 0.12, 0.05),
    "CONSEILLER": (0.55, 1, 3, 0.4, 0.35, 0.12),
    "GESTIONNAIRE": (0.6, 1, 2, 0.3, 0.3, 0.2),
    "RESPONSABLE": (0.6, 1, 2, 0.5, 0.1, 0.1),
    "FORMATEUR": (0.3, 1, 2, 0.3, 0.5, 0.3),
}
RATE = {"CONSEILLER": (34, 0.55), "ACCUEIL": (28, 0.5), "RESPONSABLE": (12, 0.6),
        "GESTIONNAIRE": (20, 0.6), "FORMATEUR": (10, 0.6)}
EXPORT_P = {"CONSEILLER": 0.04, "ACCUEIL": 0.0, "RESPONSABLE": 0.08,
            "GESTIONNAIRE": 0.25, "FORMATEUR": 0.03}


def bid(n):
    return "%07d%s" % (n, LET[n % 23])


def loguni(R, lo, hi):
    return math.exp(R.uniform(math.log(lo), math.log(hi)))


def rfc(d, sec):
    return "%sT%s%s" % (DSTR[d], HMS[sec], OFFSET)


def day_start(d):
    if d >= NDAYS:
        return "2026-08-17T00:00:00" + OFFSET
    return "%sT00:00:00%s" % (DSTR[d], OFFSET)


class Org:
    __slots__ = ("idx", "code", "kind", "region", "dept", "office_ips", "vpn",
                 "vpn_ip", "server_ip", "pool_base", "pool_size", "summer_hours",
                 "style", "accounts", "mat_prefix")


class Acc:
    __slots__ = ("idx", "login", "org", "profile", "rate", "start_sec", "end_sec",
                 "late_p", "tw_days", "home_ip", "office_ip", "present", "active",
                 "portfolio", "service", "stype", "sched_sec", "base", "page",
                 "temp", "first_day", "last_day", "leave", "pt_day", "abs_p",
                 "sat_p", "export_p", "ghost", "iv", "ip_today", "change_day",
                 "new_sched", "new_base")

    def __init__(self):
        self.service = False
        self.ghost = False
        self.temp = False
        self.iv = None
        self.ip_today = None
        self.change_day = None


class Gen:
    def __init__(self, seed):
        self.seed = seed
        self.R = random.Random(seed * 7919 + 6)
        self.logins = set()
        self.orgs = []
        self.accs = []
        self.benign = []
        self.attacks = []

    # ------------------------------------------------------------------ names
    def make_login(self, org, first, last):
        st = org.style
        if st == "p.nom":
            base = "%s.%s" % (first[0], last)
        elif st == "pnom":
            base = ("%s%s" % (first[0], last))[:12]
        elif st == "prenom.nom":
            base = "%s.%s" % (first, last)
        elif st == "nom_p":
            base = "%s_%s" % (last, first[0])
        else:
            while True:
                base = "%s%06d" % (org.mat_prefix, self.R.randint(100000, 999999))
                if base not in self.logins:
                    self.logins.add(base)
                    return base
        login = base
        k = 2
        while login in self.logins:
            login = "%s%d" % (base, k)
            k += 1
        self.logins.add(login)
        return login

    def rand_ip(self, firsts):
        R = self.R
        return "%d.%d.%d.%d" % (R.choice(firsts), R.randint(0, 255),
                                R.randint(0, 255), R.randint(1, 254))

    # --------------------------------------------------------------- building
    def build(self):
        R = self.R
        n_orgs = R.randint(42, 58)
        target_humans = R.randint(1250, 1750)
        codes = set()
        raw_sizes = []
        for i in range(n_orgs):
            o = Org()
            o.idx = i
            kind = R.choices(KINDS, KIND_W)[0]
            ri = R.choices(range(len(REGIONS)), REGION_W)[0]
            o.kind = kind
            o.region = REGIONS[ri][0]
            while True:
                dept = R.choice(REGIONS[ri][1])
                if kind == "mission_locale":
                    code = "ML%02d%03d" % (dept, R.randint(1, 40))
                elif kind == "cap_emploi":
                    code = "CE%02d%02d" % (dept, R.randint(1, 3))
                elif kind == "conseil_departemental":
                    code = "CD%03d" % dept
                elif kind == "caf":
                    code = "CAF%03d" % dept
                elif kind == "organisme_formation":
                    code = "OF%02d%04d" % (dept, R.randint(1000, 9999))
                else:
                    code = "PLIE%02d%02d" % (dept, R.randint(1, 9))
                if code not in codes:
                    break
                if kind in ("conseil_departemental", "caf") and R.random() < 0.3:
                    kind = o.kind = "mission_locale"
            codes.add(code)
            o.code = code
            o.dept = dept
            a, b, c = R.choice(OFFICE_A), R.randint(0, 255), R.randint(0, 255)
            pre = "%d.%d.%d." % (a, b, c)
            hosts = R.sample(range(2, 250), 5)
            o.office_ips = [pre + str(h) for h in hosts[:R.randint(1, 3)]]
            o.vpn = R.random() < 0.35
            o.vpn_ip = pre + str(hosts[3])
            o.server_ip = pre + str(hosts[4])
            o.pool_size = R.randint(4000, 60000)
            o.pool_base = R.randint(0, 9_900_000 - o.pool_size)
            o.summer_hours = R.random() < 0.5
            o.style = R.choice(["p.nom", "pnom", "prenom.nom", "nom_p", "matricule"])
            o.mat_prefix = R.choice("aeux")
            o.accounts = []
            med, sg = KIND_SIZE[kind]
            raw_sizes.append(med * math.exp(R.gauss(0, sg)))
            self.orgs.append(o)
        scale = target_humans / sum(raw_sizes)
        for o, rs in zip(self.orgs, raw_sizes):
            size = max(2, int(round(rs * scale)))
            for j in range(size):
                if j == 0 or (j % 30 == 0):
                    prof = "RESPONSABLE"
                elif o.kind == "organisme_formation":
                    prof = "FORMATEUR" if R.random() < 0.75 else "GESTIONNAIRE"
                else:
                    r = R.random()
                    if r < (0.14 if o.kind in ("conseil_departemental", "caf") else 0.08):
                        prof = "GESTIONNAIRE"
                    elif r < 0.24 and o.kind in ("mission_locale", "caf",
                                                  "conseil_departemental", "cap_emploi"):
                        prof = "ACCUEIL"
                    else:
                        prof = "CONSEILLER"
                self.new_human(o, prof)
        # summer temps
        humans = [a for a in self.accs]
        n_temp = max(8, int(len(humans) * R.uniform(0.03, 0.05)))
        temp_orgs = [o for o in self.orgs if o.kind != "organisme_formation"]
        self.temps = []
        for _ in range(n_temp):
            o = R.choice(temp_orgs)
            a = self.new_human(o, "CONSEILLER" if R.random() < 0.7 else "ACCUEIL",
                               temp=True)
            self.temps.append(a)
        # services
        for o in self.orgs:
            p = {"conseil_departemental": 1.6, "caf": 1.5, "mission_locale": 0.45,
                 "cap_emploi": 0.35, "organisme_formation": 0.1, "plie": 0.25}[o.kind]
            n = int(p) + (1 if R.random() < p - int(p) else 0)
            for _ in range(n):
                self.new_service(o)
        self.presence()

    def new_human(self, o, prof, temp=False):
        R = self.R
        a = Acc()
        a.idx = len(self.accs)
        a.org = o
        a.profile = prof
        a.login = self.make_login(o, R.choice(FIRST), R.choice(LAST))
        med, sg = RATE[prof]
        a.rate = med * math.exp(R.gauss(0, sg)) * (2.5 if R.random() < 0.05 else 1.0)
        a.start_sec = int(R.uniform(7.0, 9.75) * 3600)
        a.end_sec = int(R.uniform(16.5, 18.75) * 3600)
        r = R.random()
        a.late_p = (R.uniform(0, 0.02) if r < 0.7 else
                    R.uniform(0.03, 0.1) if r < 0.95 else R.uniform(0.15, 0.3))
        a.tw_days = R.sample(range(5), R.randint(1, 2)) if R.random() < 0.45 else []
        a.home_ip = self.rand_ip(ISP_A)
        a.office_ip = R.choice(o.office_ips)
        a.portfolio = [bid(o.pool_base + R.randrange(o.pool_size))
                       for _ in range(R.randint(60, 400))]
        a.export_p = EXPORT_P[prof]
        a.temp = temp
        a.pt_day = R.choice([2, 2, 4, 0]) if R.random() < 0.12 else -1
        a.abs_p = R.uniform(0.04, 0.07)
        a.sat_p = 0.03 if (o.kind in ("conseil_departemental", "caf", "mission_locale")
                           and R.random() < 0.1) else 0.0
        a.first_day = 0
        a.last_day = NDAYS - 1
        if temp:
            a.first_day = R.choice([7, 7, 8, 14, 14, 15, 21, 23, 28, 28, 30, 35])
            a.leave = bytearray(NDAYS)
            a.pt_day = -1
        else:
            a.leave = self.draw_leave()
            r = R.random()
            if r < 0.015:
                a.last_day = R.randint(10, 45)
            elif r < 0.03:
                a.first_day = NDAYS  # dormant account, never used
        self.accs.append(a)
        o.accounts.append(a)
        return a

    def draw_leave(self):
        R = self.R
        lv = bytearray(NDAYS)
        if R.random() < 0.10:
            return lv
        blocks = []
        L = R.choices([1, 2, 3, 4], [0.12, 0.38, 0.36, 0.14])[0]
        w = R.choices(range(-2, 8), [0.02, 0.02, 0.02, 0.03, 0.07, 0.10, 0.13,
                                     0.18, 0.25, 0.18])[0]
        blocks.append((w, L))
        if R.random() < 0.22:
            blocks.append((R.choice([0, 1, 2, 3, 5, 6, 7]), 1))
        for w, L in blocks:
            s = w * 7 - 2
            if R.random() < 0.1:
                s += R.randint(1, 3)
            for d in range(max(0, s), min(NDAYS, s + L * 7)):
                lv[d] = 1
        return lv

    def new_service(self, o):
        R = self.R
        a = Acc()
        a.idx = len(self.accs)
        a.org = o
        a.service = True
        a.profile = "TECHNIQUE"
        c = o.code.lower()
        st = R.choices(["nightly", "nightly_wd", "hourly", "weekly", "monthly",
                        "lookup"], [0.33, 0.15, 0.15, 0.12, 0.1, 0.15])[0]
        a.stype = st
        for k in range(10):
            cand = R.choice(["svc_%s_extract", "batch-%s", "api.%s.sync", "%s_etl",
                             "si-%s-export"]) % c
            if k:
                cand += str(k + 1)
            if cand not in self.logins:
                break
        self.logins.add(cand)
        a.login = cand
        a.first_day, a.last_day = 0, NDAYS - 1
        a.office_ip = o.server_ip
        if st == "nightly":
            a.sched_sec = int(R.uniform(0.5, 4.5) * 3600)
            a.base, a.page = loguni(R, 1500, 40000), R.choice([500, 1000, 1000])
        elif st == "nightly_wd":
            a.sched_sec = int(R.uniform(5.0, 7.5) * 3600)
            a.base, a.page = loguni(R, 800, 15000), R.choice([500, 1000])
        elif st == "hourly":
            a.sched_sec = R.randint(0, 3599)
            a.base, a.page = loguni(R, 30, 600), 1000
        elif st == "weekly":
            a.sched_sec = int(R.uniform(3.0, 6.0) * 3600)
            a.base, a.page = loguni(R, 8000, 80000), 2000
        elif st == "monthly":
            a.sched_sec = int(R.uniform(2.0, 6.0) * 3600)
            a.base, a.page = loguni(R, 20000, 150000), 5000
            a.rate = 0 if R.random() < 0.6 else 1  # 0: first working day, 1: last
        else:
            a.sched_sec = 8 * 3600
            a.base, a.page = loguni(R, 200, 2500), 1
        self.accs.append(a)
        o.accounts.append(a)
        return a

    def presence(self):
        R = self.R
        for a in self.accs:
            if a.service:
                continue
            a.present = bytearray(NDAYS)
            a.active = bytearray(NDAYS)
            for d in range(NDAYS):
                if d < a.first_day or d > a.last_day or a.leave[d]:
                    continue
                a.active[d] = 1
                if not IS_WORK[d] or WDAY[d] == a.pt_day:
                    continue
                if IS_BRIDGE[d] and R.random() < 0.5:
                    continue
                if R.random() < a.abs_p:
                    continue
                a.present[d] = 1

    # ---------------------------------------------------------- day helpers
    def intervals(self, a, d):
        R = self.R
        s = a.start_sec + R.gauss(0, 900)
        e = a.end_sec + R.gauss(0, 1200)
        if WDAY[d] == 4:
            e -= 2700
        if a.org.summer_hours and d >= D_JUL13:
            s = max(s, 8.5 * 3600 + R.gauss(0, 300))
            e = min(e, 16.75 * 3600 + R.gauss(0, 600))
        ls = 12 * 3600 + R.random() * 2700
        le = ls + 2700 + R.random() * 2700
        s, e, ls, le = int(s), int(e), int(ls), int(le)
        if s > ls - 1800:
            s = ls - 1800
        if e < le + 1800:
            e = le + 1800
        h = R.random()
        if h < 0.035:
            return [(s, ls)], 0.5
        if h < 0.07:
            return [(le, e)], 0.5
        return [(s, ls), (le, e)], 1.0

    def sessions(self, a, n, iv, ip, out, natl=0.0, boost=0, rec_target=0,
                 gap_scale=1.0):
        """Sessions of requests for account a; stop after n events, or once
        rec_target records are reached.  Returns (events, records, tmin, tmax)."""
        R = self.R
        rnd = R.random
        p_s, vmin, vmax, p_h, p_u, p_d = TEMPL[a.profile]
        tot = 0
        for x, y in iv:
            tot += y - x
        ai = a.idx
        port = a.portfolio
        np_ = len(port)
        pb, ps = a.org.pool_base, a.org.pool_size
        ev = rec = 0
        tmin, tmax = 86400, -1
        app = out.append
        while (rec < rec_target) if rec_target else (ev < n):
            u = rnd() * tot
            t = iv[-1][1] - 1
            for x, y in iv:
                if u < y - x:
                    t = x + int(u)
                    break
                u -= y - x
            if t < tmin:
                tmin = t
            if rnd() < p_s or boost:
                if boost:
                    c = boost if rnd() < 0.9 else int(rnd() * boost)
                else:
                    r = rnd()
                    c = (0 if r < 0.12 else 1 if r < 0.45 else 2 + int(rnd() * 9)
                         if r < 0.78 else 11 + int(rnd() * 40) if r < 0.97
                         else 51 + int(rnd() * 50))
                st = 200
                if rnd() < 0.006:
                    c, st = 0, 500
                app((t, ai, A_SEARCH, c, "", ip, st))
                ev += 1
                rec += c
                t += int((4 + rnd() * rnd() * 120) * gap_scale)
            nv = vmin + int(rnd() * (vmax - vmin + 1))
            acts = [A_VIEW] * nv
            if rnd() < p_h:
                acts.append(A_HIST)
            if rnd() < p_u:
                acts.append(A_UPD)
            if rnd() < p_d:
                acts.append(A_DOC)
            for act in acts:
                r = rnd()
                if natl and r < natl:
                    b = bid(int(rnd() * 9_999_999))
                elif rnd() < 0.85:
                    b = port[int(rnd() * np_)]
                else:
                    b = bid(pb + int(rnd() * ps))
                if t > 86399:
                    t = 86399
                if rnd() < 0.004:
                    app((t, ai, act, 0, b, ip, 404 if rnd() < 0.6 else 403))
                else:
                    app((t, ai, act, 1, b, ip, 200))
                    rec += 1
                ev += 1
                t += int((5 + rnd() * rnd() * 150) * gap_scale)
            if t > 86399:
                t = 86399
            if t > tmax:
                tmax = t
        return ev, rec, tmin, min(tmax, 86399)

    def human_day(self, a, d, factor, out):
        R = self.R
        iv, hf = self.intervals(a, d)
        ramp = 1.0
        if a.temp and d - a.first_day < 5:
            ramp = 0.6
        n = a.rate * factor * hf * ramp * DOW_F[WDAY[d]] * summer_f(d) * \
            math.exp(R.gauss(0, 0.3))
        n = int(n + R.random())
        if WDAY[d] in a.tw_days:
            ip = a.org.vpn_ip if a.org.vpn else a.home_ip
        else:
            ip = a.office_ip
        a.iv, a.ip_today = iv, ip
        if n > 0:
            self.sessions(a, n, iv, ip, out)
        if a.export_p and R.random() < a.export_p * factor:
            for _ in range(1 if a.profile != "GESTIONNAIRE" else R.randint(1, 3)):
                x, y = iv[R.randrange(len(iv))]
                t = R.randint(x, y - 1)
                c = int(loguni(R, 20, 300 if a.profile == "CONSEILLER" else 1500))
                out.append((t, a.idx, A_EXPORT, c, "", ip, 200))
        if R.random() < a.late_p:
            t0 = int(R.uniform(19.0, 22.8) * 3600)
            hip = a.org.vpn_ip if a.org.vpn else a.home_ip
            self.sessions(a, R.randint(3, 12), [(t0, min(86399, t0 + 3600))], hip, out)

    def service_day(self, a, d, out):
        R = self.R
        st = a.stype
        ip = a.office_ip
        ai = a.idx
        aug = 0.82 if d >= 40 else 0.93 if d >= 21 else 1.0
        sched, base = a.sched_sec, a.base
        if a.change_day is not None and d >= a.change_day:
            sched, base = a.new_sched, a.new_base
        runs = []
        if st == "nightly":
            wk = 0.55 if WDAY[d] in (6, 0) else 1.0  # Sunday/Monday night: little change
            runs.append((sched + int(R.gauss(0, 240)), base * wk * aug))
        elif st == "nightly_wd":
            if IS_WORK[d]:
                runs.append((sched + int(R.gauss(0, 180)), base * aug))
        elif st == "hourly":
            if IS_WORK[d]:
                for h in range(7, 20):
                    runs.append((h * 3600 + sched + R.randint(0, 20),
                                 base * aug * (0.4 if h < 8 or h > 18 else 1.0)))
        elif st == "weekly":
            if WDAY[d] == 0:
                runs.append((sched + int(R.gauss(0, 240)), base * aug))
        elif st == "monthly":
            if (a.rate == 0 and d in (9, D_AUG)) or (a.rate == 1 and d in (8, 39)):
                runs.append((sched + int(R.gauss(0, 240)), base))
        else:  # lookup
            if IS_WORK[d]:
                n = int(base * aug * math.exp(R.gauss(0, 0.2)) *
                        (0.6 if IS_BRIDGE[d] else 1.0))
                pb, ps = a.org.pool_base, a.org.pool_size
                rnd = R.random
                for _ in range(n):
                    t = int(8 * 3600 + rnd() * 10.5 * 3600)
                    if rnd() < 0.02:
                        out.append((t, ai, A_LOOKUP, 0, bid(pb + int(rnd() * ps)), ip, 404))
                    else:
                        out.append((t, ai, A_LOOKUP, 1, bid(pb + int(rnd() * ps)), ip, 200))
            return
        for t0, recs in runs:
            recs = max(1, int(recs * math.exp(R.gauss(0, 0.1))))
            t = max(0, t0)
            while recs > 0:
                c = min(a.page, recs)
                out.append((min(t, 86399), ai, A_BATCH, c, "", ip, 200))
                recs -= c
                t += R.randint(2, 12)

    # ------------------------------------------------------------- planning
    def plan(self):
        R = self.R
        self.used = set()
        humans = [a for a in self.accs if not a.service and not a.temp
                  and a.first_day == 0 and a.last_day == NDAYS - 1]
        # ---- attacks
        hard = [("low_and_slow", True), ("off_hours", True)]
        base = [("bulk_extraction", False), ("new_account", False),
                ("org_wide", False)]
        extra_n = R.randint(1, 3)
        extra = [(R.choices(["bulk_extraction", "low_and_slow", "off_hours",
                             "new_account", "org_wide"],
                            [0.25, 0.25, 0.2, 0.15, 0.15])[0], False)
                 for _ in range(extra_n)]
        plan = hard + base + extra
        R.shuffle(plan)
        # org_wide first so that its organisation is reserved
        plan.sort(key=lambda p: 0 if p[0] == "org_wide" else 1)
        aug_i = R.randrange(len(plan))
        self.reserved_orgs = set()
        self.plans = []
        for i, (shape, hardf) in enumerate(plan):
            aug = (i == aug_i)
            for _try in range(200):
                p = getattr(self, "plan_" + shape)(humans, hardf, aug)
                if p:
                    break
            else:
                raise RuntimeError("could not plan " + shape)
            p["shape"] = shape
            p["events"] = 0
            p["records"] = 0
            p["first"] = None
            p["last"] = None
            self.plans.append(p)
        # ---- benign traps
        self.plan_benign(humans)

    def window(self, k, aug, lo=0):
        """k consecutive working days (in the WORKDAYS list)."""
        R = self.R
        cands = [i for i in range(len(WORKDAYS) - k + 1)
                 if WORKDAYS[i] >= lo and (not aug or WORKDAYS[i] >= D_AUG)]
        i = R.choice(cands)
        return WORKDAYS[i:i + k]

    def free(self, a):
        return a.idx not in self.used and a.org.code not in self.reserved_orgs

    def pick_acc(self, humans, profiles, rlo=0, rhi=1e9):
        R = self.R
        c = [a for a in humans if a.profile in profiles and self.free(a)
             and rlo <= a.rate <= rhi]
        return R.choice(c)

    def plan_bulk_extraction(self, humans, hardf, aug):
        R = self.R
        a = self.pick_acc(humans, ("CONSEILLER", "GESTIONNAIRE"))
        d = R.choice([x for x in WORKDAYS if not aug or x >= D_AUG])
        r = R.random()
        if r < 0.6:
            start = int(R.uniform(9.5, 15.0) * 3600)
        elif r < 0.85:
            start = int(R.uniform(18.5, 20.5) * 3600)
        else:
            start = int(R.uniform(0.5, 3.0) * 3600)
        dur = int(loguni(R, 3600, 4 * 3600))
        dur = min(dur, 86000 - start)
        target = int(loguni(R, 12000, 90000))
        ip = self.rand_ip(HOST_A) if R.random() < 0.75 else None
        self.used.add(a.idx)
        return {"accs": [a], "day": d, "start": start, "dur": dur, "target": target,
                "page": R.choice([50, 100, 100]), "ip": ip, "org": a.org}

    def plan_low_and_slow(self, humans, hardf, aug):
        R = self.R
        a = self.pick_acc(humans, ("CONSEILLER", "GESTIONNAIRE", "ACCUEIL"), 20, 70)
        k = R.randint(4, 5) if hardf else R.randint(3, 7)
        days = self.window(k, aug)
        if not all(a.present[d] for d in days):
            return None
        f = 2.0 if hardf else round(R.uniform(2.5, 4.0), 2)
        ip = self.rand_ip(ISP_A) if R.random() < 0.5 else None
        self.used.add(a.idx)
        return {"accs": [a], "days": days, "factor": {a.idx: f}, "ip": ip,
                "org": a.org}

    def plan_org_wide(self, humans, hardf, aug):
        R = self.R
        orgs = [o for o in self.orgs if sum(1 for a in o.accounts if not a.service) >= 12
                and o.code not in self.reserved_orgs]
        o = R.choice(orgs)
        k = R.randint(3, 5)
        days = self.window(k, aug)
        cand = [a for a in o.accounts if not a.service and not a.temp and self.free(a)
                and not a.ghost and all(a.present[d] for d in days)]
        if len(cand) < 9:
            return None
        frac = R.uniform(0.6, 0.9)
        parts = [a for a in cand if R.random() < frac]
        if len(parts) < 8:
            return None
        fac = {a.idx: round(R.uniform(1.5, 3.0), 2) for a in parts}
        for a in parts:
            self.used.add(a.idx)
        self.reserved_orgs.add(o.code)
        return {"accs": parts, "days": days, "factor": fac, "ip": None, "org": o}

    def plan_new_account(self, humans, hardf, aug):
        R = self.R
        orgs = [o for o in self.orgs if o.kind != "organisme_formation"
                and o.code not in self.reserved_orgs]
        o = R.choice(orgs)
        k = R.randint(1, 3)
        days = self.window(k, aug, lo=5)
        a = self.new_human(o, "CONSEILLER")
        a.ghost = True
        a.present = bytearray(NDAYS)
        a.active = bytearray(NDAYS)
        self.used.add(a.idx)
        target = int(loguni(R, 2000, 20000))
        ip = self.rand_ip(HOST_A) if R.random() < 0.5 else R.choice(o.office_ips)
        return {"accs": [a], "days": days, "target": target, "ip": ip, "org": o}

    def plan_off_hours(self, humans, hardf, aug):
        R = self.R
        a = self.pick_acc(humans, ("CONSEILLER", "GESTIONNAIRE", "ACCUEIL"))
        mode = R.choice(["night", "night", "sunday", "late"])
        if mode == "sunday":
            cands = [d for d in range(NDAYS) if (WDAY[d] == 6 or IS_HOL[d])
                     and (not aug or d >= D_AUG)]
            d = R.choice(cands)
            s = int(R.uniform(9.5, 15.0) * 3600)
            iv = [(s, s + int(R.uniform(1.5, 4.0) * 3600))]
        else:
            d = R.choice([x for x in WORKDAYS if not aug or x >= D_AUG])
            if mode == "night":
                s = int(R.uniform(0.5, 3.5) * 3600)
                iv = [(s, s + int(R.uniform(1.0, 2.0) * 3600))]
            else:
                s = int(R.uniform(22.6, 23.0) * 3600)
                iv = [(s, 86399)]
        ip = self.rand_ip(HOST_A + ISP_A) if R.random() < 0.6 else a.home_ip
        self.used.add(a.idx)
        p = {"accs": [a], "day": d, "iv": iv, "ip": ip, "org": a.org, "mode": mode}
        if hardf:
            p["rec_target"] = R.randint(200, 500)
        else:
            p["n"] = max(30, int(a.rate * R.uniform(0.8, 1.5)))  # an ordinary day
        return p

    def plan_benign(self, humans):
        R = self.R
        B = self.benign
        self.factor = {}  # (acc idx, day) -> multiplier
        self.extra_jobs = []  # (day, callable)
        for d in range(NDAYS):
            if IS_HOL[d]:
                B.append({"kind": "public_holiday", "start": day_start(d),
                          "end": day_start(d + 1)})
            if IS_BRIDGE[d]:
                B.append({"kind": "bridge_day", "start": day_start(d),
                          "end": day_start(d + 1)})
        # month-end reporting
        for days in ((7, 8), (38, 39)):
            mgrs = [a for a in self.accs if not a.service and not a.ghost
                    and a.profile == "RESPONSABLE" and a.idx not in self.used
                    and any(a.present[d] for d in days)]
            self.extra_jobs.append(("month_end", days, mgrs))
            B.append({"kind": "month_end_reporting", "accounts": [a.login for a in mgrs],
                      "start": day_start(days[0]), "end": day_start(days[1] + 1)})
        # vacation returns
        n_ret = R.randint(2, 3)
        cands = []
        for a in humans:
            if not self.free(a) or a.profile not in ("CONSEILLER", "GESTIONNAIRE"):
                continue
            run = 0
            for d in range(NDAYS):
                if a.leave[d]:
                    run += 1
                    continue
                if run >= 19 and d - run >= 0 and IS_WORK[d] and a.present[d] \
                        and d <= 52:
                    cands.append((a, d))
                run = 0
        R.shuffle(cands)
        seen = set()
        for a, d in cands:
            if len(seen) >= n_ret or a.idx in seen:
                continue
            seen.add(a.idx)
            self.used.add(a.idx)
            k = R.randint(1, 2)
            days = [d]
            if k == 2:
                nx = [x for x in WORKDAYS if x > d][:1]
                if nx and a.present[nx[0]]:
                    days.append(nx[0])
            for x in days:
                self.factor[(a.idx, x)] = round(R.uniform(2.0, 3.0), 2)
            B.append({"kind": "vacation_return", "accounts": [a.login],
                      "start": day_start(days[0]), "end": day_start(days[-1] + 1)})
        # summer temps
        B.append({"kind": "new_summer_temp", "accounts": [a.login for a in self.temps],
                  "start": day_start(min(a.first_day for a in self.temps)),
                  "end": day_start(NDAYS)})
        # announced bulk job
        cands = [a for a in humans if self.free(a)
                 and a.profile in ("GESTIONNAIRE", "RESPONSABLE")
                 and a.org.kind in ("conseil_departemental", "caf")]
        for _ in range(200):
            a = R.choice(cands)
            d = R.choice(WORKDAYS)
            if a.present[d]:
                break
        self.used.add(a.idx)
        self.extra_jobs.append(("bulk_job", (d,), [a]))
        self.bulk_job = (a, d, int(loguni(R, 20000, 60000)),
                         int(R.uniform(13.75, 16.0) * 3600))
        B.append({"kind": "announced_bulk_job", "accounts": [a.login],
                  "start": day_start(d), "end": day_start(d + 1)})
        # regional campaign ("rentree" preparation)
        byreg = {}
        for o in self.orgs:
            if o.kind in ("mission_locale", "cap_emploi") and \
                    o.code not in self.reserved_orgs:
                byreg.setdefault(o.region, []).append(o)
        regs = sorted(byreg, key=lambda r: (-len(byreg[r]), r))
        reg = regs[0] if R.random() < 0.6 or len(regs) < 2 else regs[1]
        k = R.randint(4, 6)
        wd = [x for x in WORKDAYS if D_AUG <= x <= 52]
        s = R.randrange(0, len(wd) - k + 1)
        cdays = wd[s:s + k]
        F = R.uniform(1.5, 2.5)
        parts = []
        for o in byreg[reg]:
            for a in o.accounts:
                if a.service or a.ghost or a.profile != "CONSEILLER" or \
                        a.idx in self.used:
                    continue
                pd = [x for x in cdays if a.present[x]]
                if not pd:
                    continue
                parts.append(a)
                f = F * R.uniform(0.85, 1.15)
                for x in pd:
                    self.factor[(a.idx, x)] = round(f, 2)
        B.append({"kind": "regional_campaign", "accounts": [a.login for a in parts],
                  "start": day_start(cdays[0]), "end": day_start(cdays[-1] + 1)})
        # service schedule change
        svc = [a for a in self.accs if a.service and a.stype == "nightly"]
        if not svc:
            svc = [a for a in self.accs if a.service and a.stype != "lookup"]
            for a in svc[:1]:
                a.stype, a.page = "nightly", 1000
                a.sched_sec, a.base = 2 * 3600, 5000.0
        a = R.choice(svc)
        a.change_day = R.choice([x for x in WORKDAYS if 10 <= x <= 42])
        a.new_sched = int(R.choice([R.uniform(21.5, 23.5), R.uniform(4.5, 6.0)]) * 3600)
        a.new_base = a.base * R.uniform(1.3, 2.0)
        B.append({"kind": "service_schedule_change", "accounts": [a.login],
                  "start": day_start(a.change_day), "end": day_start(NDAYS)})
        for i, b in enumerate(B):
            b["id"] = "B%d" % (i + 1)

    # ----------------------------------------------------------- generation
    def note(self, p, d, ev, rec, tmin, tmax):
        if ev == 0:
            return
        p["events"] += ev
        p["records"] += rec
        if p["first"] is None or (d, tmin) < p["first"]:
            p["first"] = (d, tmin)
        if p["last"] is None or (d, tmax) > p["last"]:
            p["last"] = (d, tmax)

    def span(self, out, n0):
        """events/records/min/max time of out[n0:]"""
        seg = out[n0:]
        if not seg:
            return 0, 0, 0, 0
        return (len(seg), sum(e[3] for e in seg), min(e[0] for e in seg),
                max(e[0] for e in seg))

    def attack_day(self, p, d, out):
        R = self.R
        sh = p["shape"]
        if sh == "bulk_extraction":
            if d != p["day"]:
                return
            a = p["accs"][0]
            ip = p["ip"] or a.office_ip
            n0 = len(out)
            page = p["page"]
            exp_ev = p["target"] / page * 2.0
            gap = p["dur"] / exp_ev
            t = float(p["start"])
            rec = 0
            rnd = R.random
            ai = a.idx
            while rec < p["target"]:
                c = page if rnd() > 0.04 else int(rnd() * page)
                out.append((min(int(t), 86399), ai, A_SEARCH, c, "", ip, 200))
                rec += c
                t += gap * (0.4 + 1.2 * rnd())
                if rnd() < 0.5:
                    for _ in range(1 + int(rnd() * 3)):
                        out.append((min(int(t), 86399), ai, A_VIEW, 1,
                                    bid(int(rnd() * 9_999_999)), ip, 200))
                        rec += 1
                        t += gap * (0.2 + 0.6 * rnd())
            self.note(p, d, *self.span(out, n0))
        elif sh in ("low_and_slow", "org_wide"):
            if d not in p["days"]:
                return
            for a in p["accs"]:
                f = p["factor"][a.idx]
                iv = a.iv
                ip = p["ip"] or a.ip_today
                n = (f - 1.0) * a.rate * DOW_F[WDAY[d]] * summer_f(d) * \
                    R.uniform(0.85, 1.15)
                n = int(n + R.random())
                if n <= 0:
                    continue
                n0 = len(out)
                self.sessions(a, n, iv, ip, out, natl=0.6)
                self.note(p, d, *self.span(out, n0))
        elif sh == "new_account":
            if d not in p["days"]:
                return
            a = p["accs"][0]
            per = p["target"] / len(p["days"])
            tgt = int(per * R.uniform(0.8, 1.2))
            iv = [(int(R.uniform(8.75, 9.75) * 3600), int(R.uniform(12.0, 12.5) * 3600)),
                  (int(R.uniform(13.5, 14.0) * 3600), int(R.uniform(16.5, 17.75) * 3600))]
            n0 = len(out)
            if tgt > 3000:
                for _ in range(R.randint(1, 3)):
                    x, y = iv[R.randrange(2)]
                    c = int(R.uniform(300, 1200))
                    out.append((R.randint(x, y), a.idx, A_EXPORT, c, "", p["ip"], 200))
                    tgt -= c
            self.sessions(a, 0, iv, p["ip"], out, natl=0.8,
                          boost=R.choice([50, 100]), rec_target=max(tgt, 200))
            self.note(p, d, *self.span(out, n0))
        elif sh == "off_hours":
            if d != p["day"]:
                return
            a = p["accs"][0]
            n0 = len(out)
            if "rec_target" in p:
                self.sessions(a, 0, p["iv"], p["ip"], out, natl=0.5,
                              rec_target=p["rec_target"], gap_scale=0.6)
            else:
                self.sessions(a, p["n"], p["iv"], p["ip"], out, natl=0.5,
                              gap_scale=0.6)
            self.note(p, d, *self.span(out, n0))

    def run(self, out_path):
        R = self.R
        accs = self.accs
        prefix = []
        for a in accs:
            f = [a.login, a.org.code, a.org.kind, a.profile]
            f = ['"%s"' % x.replace('"', '""') if (";" in x or '"' in x) else x
                 for x in f]
            prefix.append(";".join(f))
        seen = bytearray(len(accs))
        tot_ev = tot_rec = 0
        self.per_day = []
        month_end = [j for j in self.extra_jobs if j[0] == "month_end"]
        ba, bd, btarget, bstart = self.bulk_job
        with open(out_path, "w", encoding="utf-8", newline="") as fh:
            fh.write("event_time;utc_offset;user_login;agency_code;agency_kind;"
                     "user_profile;action;result_count;beneficiary_id;client_ip;"
                     "http_status\n")
            for d in range(NDAYS):
                out = []
                for a in accs:
                    if a.service or a.ghost:
                        continue
                    if a.present[d]:
                        self.human_day(a, d, self.factor.get((a.idx, d), 1.0), out)
                    elif a.active[d]:
                        r = R.random()
                        if WDAY[d] == 5 and r < a.sat_p:
                            s = int(R.uniform(8.5, 11.0) * 3600)
                            self.sessions(a, R.randint(3, 15), [(s, s + 7200)],
                                          a.office_ip, out)
                        elif (WDAY[d] == 6 or IS_HOL[d]) and r < 0.0025:
                            s = int(R.uniform(10.0, 21.5) * 3600)
                            self.sessions(a, R.randint(2, 8), [(s, s + 1800)],
                                          a.org.vpn_ip if a.org.vpn else a.home_ip, out)
                # month-end reporting
                for _k, days, mgrs in month_end:
                    if d in days:
                        for a in mgrs:
                            if not a.present[d]:
                                continue
                            for _ in range(R.randint(2, 6)):
                                t = int(R.uniform(14.0, 18.5) * 3600)
                                c = int(loguni(R, 100, 2500))
                                out.append((t, a.idx, A_EXPORT, c, "", a.ip_today, 200))
                if d == bd:
                    t = bstart
                    rec = 0
                    while rec < btarget:
                        c = R.choice([2000, 2500, 5000]) if rec + 2000 < btarget \
                            else btarget - rec
                        out.append((t, ba.idx, A_EXPORT, c, "", ba.ip_today, 200))
                        rec += c
                        t += R.randint(60, 300)
                for a in accs:
                    if a.service:
                        self.service_day(a, d, out)
                for p in self.plans:
                    self.attack_day(p, d, out)
                out.sort(key=lambda e: e[0])
                ds = DSTR[d] + " "
                lines = []
                rec = 0
                for (t, ai, act, c, b, ip, st) in out:
                    lines.append("%s%s;+02:00;%s;%s;%d;%s;%s;%d\n" % (
                        ds, HMS[t], prefix[ai], ACTIONS[act], c, b, ip, st))
                    seen[ai] = 1
                    rec += c
                fh.write("".join(lines))
                tot_ev += len(out)
                tot_rec += rec
                self.per_day.append((DSTR[d], len(out), rec))
        self.tot_ev, self.tot_rec = tot_ev, tot_rec
        self.account_count = sum(seen)

    def labels(self):
        atts = []
        for p in self.plans:
            atts.append({"shape": p["shape"],
                         "accounts": [a.login for a in p["accs"]],
                         "org": p["org"].code,
                         "start": rfc(*p["first"]), "end": rfc(*p["last"]),
                         "records": p["records"], "events": p["events"]})
        atts.sort(key=lambda x: x["start"])
        out = []
        for i, x in enumerate(atts):
            out.append(dict([("id", "A%d" % (i + 1))] + list(x.items())))
        ben = [dict([("id", b["id"]), ("kind", b["kind"])] +
                    [(k, b[k]) for k in ("accounts", "start", "end") if k in b])
               for b in self.benign]
        return {"seed": self.seed, "time_zone": TZ_NAME,
                "start": "2026-06-22T00:00:00" + OFFSET,
                "end": "2026-08-17T00:00:00" + OFFSET, "days": NDAYS,
                "account_count": self.account_count, "events": self.tot_ev,
                "records": self.tot_rec, "attacks": out, "benign": ben}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--labels", required=True)
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    t0 = time.time()
    g = Gen(args.seed)
    g.build()
    g.plan()
    g.run(args.out)
    lab = g.labels()
    with open(args.labels, "w", encoding="utf-8") as fh:
        json.dump(lab, fh, indent=1, ensure_ascii=False)
        fh.write("\n")
    if not args.quiet:
        sys.stderr.write("seed %d: %d events, %d records, %d accounts, %d attacks, "
                         "%.1fs\n" % (args.seed, g.tot_ev, g.tot_rec, g.account_count,
                                      len(lab["attacks"]), time.time() - t0))


if __name__ == "__main__":
    main()
