#!/usr/bin/env python3
"""altgen7 -- held-out synthetic access-log generator (winter 2026, SIEM/ECS-style export).

Usage:
    python3 scripts/altgen7.py --seed S --outdir DIR --labels LABELS.json

Standard library only; fully deterministic for a given seed.

OUTPUT
------
DIR/access-YYYY-MM-DD.jsonl.gz  one gzip file per UTC day, lines sorted by @timestamp
DIR/all.jsonl                   uncompressed concatenation of all days, sorted
LABELS.json                     attacks + benign notable events (format below)

Each line is a JSON object with NESTED objects, as exported from a SIEM:

    @timestamp                     UTC, microseconds, "Z"   e.g. "2026-01-12T08:14:03.123456Z"
    event.action                   beneficiary.search | beneficiary.view | beneficiary.history |
                                   caseload.list | caseload.export | sync.delta | sync.poll |
                                   export.full | stats.extract
                                   (noise: healthcheck | auth.login)
    event.outcome                  success | failure
    event.duration                 nanoseconds (integer)
    event.reason                   only on auth.login failures
    user.id                        account id: "pa-NNNNNNN" (people) or "svc_<kind>_<org>" (services)
    user.name                      display name
    user.roles                     JSON array of strings: ADVISOR, SENIOR_ADVISOR, RECEPTION,
                                   MANAGER, AUDITOR, SERVICE (some managers carry two roles)
    organization.id / .name        partner organisation, e.g. "ML044.012" / "Mission locale ..."
    source.ip                      client address (org egress, home ISP, server, or attacker)
    user_agent.original            browser / HTTP-client string
    url.path                       API path (single-record paths contain the beneficiary id)
    http.request.method            GET / POST
    http.response.status_code      200 / 403 / 404 (401 on login failures)
    http.response.hits             number of job-seeker records returned.  Written as a JSON
                                   NUMBER by most nodes but as a JSON STRING ("12") by the two
                                   nodes running an older logger (ppweb-04, apigw-02): 2 of the
                                   10 writing systems.
    beneficiary.id                 job-seeker id (7 digits + letter); ONLY on single-record
                                   views (beneficiary.view / beneficiary.history)
    host.name, service.name, service.version   the node that wrote the line

Noise (~0.5 % of lines, never attacks): "healthcheck" lines with no user / organization / hits,
"auth.login" failures with user but no organization and no hits, and a few truncated or
NUL-padded corrupt lines.

PERIOD
------
8 weeks, Monday 2026-01-05 00:00 to Sunday 2026-03-01 24:00 Europe/Paris (CET, UTC+1 all along),
i.e. UTC files 2026-01-04 (last hour) .. 2026-03-01.

BEHAVIOUR MODEL
---------------
* ~75-110 organisations (a few large Départements / CAF with 80-150 accounts, medium ones,
  many Missions locales with 5-30 accounts, Cap emploi, PLIE, training bodies, CCAS, E2C), each
  in a real département with its school-holiday zone (A/B/C) and region.  ~1,350-1,850 accounts.
* People: role-dependent median daily volume, lognormal personal level (sigma 0.75), personal
  action mix and search page sizes, caseload of beneficiaries (views mostly inside the caseload),
  gamma day-to-day noise, weekday profile, per-organisation daily factor, sessions clustered in
  morning / afternoon blocks, occasional evening top-up, "early birds" sometimes at 6-7 am,
  a few who work some Saturday mornings, part-timers (a day off, or mornings only), teleworking
  from a home IP, browser upgrades mid-period.
* Calendar: New-Year aftermath (absences Jan 5-9), random leave, flu season (sick spells peaking
  early February), February school holidays by zone (A: Feb 7-23, B: Feb 14-Mar 2, C: Feb 21-),
  parents off 1-2 weeks, catch-up after absences, a national strike on a Thursday (~40 % absent,
  strikers catch up the day after), a snow day in one region (half absent, others late and
  slower), a two-week "campagne de reinscription" in late January in many organisations
  (x1.3-1.8), managers' month-end reporting (Jan 28-30, lighter Feb 25-27).
* Services: nightly delta syncs (every night ~01:15-02:30), hourly polls (24/7), weekly full
  export on Saturday night (1,000-record pages), statistics extraction every Monday 05:00 with a
  large monthly run on the first working day (Feb 2).
* Benign traps (labelled): vacation_return, new_hire, caseload_handover, strike_day,
  service_migration, reinscription_campaign, plus snow_day, school_holidays, new_year,
  month_end_reporting, monthly_stats.
* Attacks (labelled, 7-9 per seed, none before 2026-01-15): bulk_extraction, low_and_slow,
  new_account, org_wide, off_hours; sizes vary, ~40 % "hard" variants.  Malicious events use
  the account's own action mix / endpoints / browser; only the IP and rhythm may differ.
  Attack records/events in the labels count malicious events only (extra events added on top of
  the account's ordinary activity for low_and_slow / org_wide).

LABELS
------
{"seed", "time_zone", "start", "end", "days", "account_count", "events", "records",
 "attacks": [{"id","shape","accounts","org","start","end","records","events","difficulty", ...}],
 "benign":  [{"id","kind","accounts"?, "orgs"?, "start","end", ...}]}
A benign entry without "accounts" concerns everyone.
"""

import argparse
import gzip
import json
import math
import os
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from operator import itemgetter

# ----------------------------------------------------------------------------- time base
DAYS = 56
CET = timezone(timedelta(hours=1))
SEC = 1_000_000
HOUR = 3600 * SEC
DAY = 24 * HOUR
T0 = int(datetime(2026, 1, 5, tzinfo=CET).timestamp()) * SEC      # local midnight, day 0
UBASE = int(datetime(2026, 1, 4, tzinfo=timezone.utc).timestamp()) * SEC
T_END = T0 + DAYS * DAY
UDATES = [(datetime(2026, 1, 4) + timedelta(days=i)).strftime("%Y-%m-%d") for i in range(60)]
NUBUCKETS = 58

WDF = [1.08, 1.04, 0.93, 1.0, 0.87, 0.0, 0.0]   # weekday factors (Mon..Sun)
ZONE_WEEKS = {"A": [35, 42], "B": [42, 49], "C": [49]}  # Monday indices of holiday weeks
MONTH_END = [23, 24, 25]          # Jan 28-30
MONTH_END2 = [51, 52, 53]         # Feb 25-27
FIRST_WD_FEB = 28                 # Mon Feb 2


def wd(d):
    return d % 7


def iso_local(t_us):
    return datetime.fromtimestamp(t_us / SEC, tz=CET).isoformat(timespec="microseconds")


def day_iso(d, hh=0, mm=0, ss=0):
    return (datetime(2026, 1, 5, tzinfo=CET) + timedelta(days=d, hours=hh, minutes=mm,
                                                          seconds=ss)).isoformat()


# ----------------------------------------------------------------------------- reference data
DEPTS = [
    ("069", "Rhône", "Lyon", "A", "ARA"), ("038", "Isère", "Grenoble", "A", "ARA"),
    ("063", "Puy-de-Dôme", "Clermont-Ferrand", "A", "ARA"), ("073", "Savoie", "Chambéry", "A", "ARA"),
    ("074", "Haute-Savoie", "Annecy", "A", "ARA"), ("033", "Gironde", "Bordeaux", "A", "NAQ"),
    ("087", "Haute-Vienne", "Limoges", "A", "NAQ"), ("086", "Vienne", "Poitiers", "A", "NAQ"),
    ("021", "Côte-d'Or", "Dijon", "A", "BFC"), ("025", "Doubs", "Besançon", "A", "BFC"),
    ("059", "Nord", "Lille", "B", "HDF"), ("080", "Somme", "Amiens", "B", "HDF"),
    ("062", "Pas-de-Calais", "Arras", "B", "HDF"), ("044", "Loire-Atlantique", "Nantes", "B", "PDL"),
    ("049", "Maine-et-Loire", "Angers", "B", "PDL"), ("035", "Ille-et-Vilaine", "Rennes", "B", "BRE"),
    ("029", "Finistère", "Brest", "B", "BRE"), ("067", "Bas-Rhin", "Strasbourg", "B", "GES"),
    ("057", "Moselle", "Metz", "B", "GES"), ("054", "Meurthe-et-Moselle", "Nancy", "B", "GES"),
    ("051", "Marne", "Reims", "B", "GES"), ("013", "Bouches-du-Rhône", "Marseille", "B", "PAC"),
    ("006", "Alpes-Maritimes", "Nice", "B", "PAC"), ("076", "Seine-Maritime", "Rouen", "B", "NOR"),
    ("014", "Calvados", "Caen", "B", "NOR"), ("045", "Loiret", "Orléans", "B", "CVL"),
    ("037", "Indre-et-Loire", "Tours", "B", "CVL"), ("075", "Paris", "Paris", "C", "IDF"),
    ("093", "Seine-Saint-Denis", "Bobigny", "C", "IDF"), ("094", "Val-de-Marne", "Créteil", "C", "IDF"),
    ("092", "Hauts-de-Seine", "Nanterre", "C", "IDF"), ("078", "Yvelines", "Versailles", "C", "IDF"),
    ("091", "Essonne", "Évry-Courcouronnes", "C", "IDF"), ("095", "Val-d'Oise", "Cergy", "C", "IDF"),
    ("031", "Haute-Garonne", "Toulouse", "C", "OCC"), ("034", "Hérault", "Montpellier", "C", "OCC"),
    ("030", "Gard", "Nîmes", "C", "OCC"),
]
ML_SUFFIX = ["", " Métropole", " Agglomération", " Nord", " Sud", " Est", " Ouest", " Centre",
             " et environs", " Bassin d'emploi", " Rive gauche", " Rive droite"]
FIRST = ["Claire", "Nathalie", "Sophie", "Isabelle", "Sandrine", "Céline", "Aurélie", "Julie",
         "Émilie", "Camille", "Laura", "Marion", "Pauline", "Élodie", "Stéphanie", "Valérie",
         "Karine", "Virginie", "Caroline", "Anne", "Hélène", "Manon", "Léa", "Chloé", "Sarah",
         "Inès", "Fatima", "Nadia", "Samira", "Amina", "Thomas", "Nicolas", "Julien", "Sébastien",
         "Guillaume", "Mathieu", "Jérôme", "Olivier", "Christophe", "Frédéric", "Laurent",
         "Stéphane", "David", "Pierre", "Antoine", "Romain", "Kevin", "Maxime", "Alexandre",
         "Karim", "Mehdi", "Yacine", "Mamadou", "Hugo", "Lucas", "Benoît", "Cédric", "Vincent",
         "Fabrice", "Patrick", "Agnès", "Brigitte", "Sylvie", "Martine", "Yannick", "Gaëlle"]
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
        "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
        "Vincent", "Fournier", "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont",
        "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau",
        "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu",
        "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson",
        "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Benali",
        "Haddad", "Diallo", "Traoré", "Le Gall", "Le Goff", "Kerbrat", "Schmitt", "Meyer",
        "Weber", "Fabre", "Carpentier", "Renaud", "Barbier", "Brun", "Colin", "Aubert"]
UA_BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Safari/605.1.15",
]
UA_UPGRADE = {
    UA_BROWSERS[0]: UA_BROWSERS[0].replace("Chrome/131", "Chrome/132"),
    UA_BROWSERS[1]: UA_BROWSERS[1].replace("131.0.0.0", "132.0.0.0"),
    UA_BROWSERS[4]: UA_BROWSERS[4].replace("Chrome/130", "Chrome/132"),
    UA_BROWSERS[3]: UA_BROWSERS[3].replace("133.0", "134.0"),
}
UA_SERVICES = ["Apache-HttpClient/4.5.14 (Java/17.0.9)", "python-requests/2.31.0",
               "Go-http-client/1.1", "Talend-ESB/8.0.1 (Java/11.0.21)", "i-milo-connecteur/3.2 (Java/17.0.8)"]
HOME_PREFIX = [2, 31, 37, 78, 79, 80, 81, 82, 83, 86, 88, 89, 90, 92, 109, 176, 188]
ORG_PREFIX = [193, 194, 195, 212, 213, 217, 84, 85, 77]
VPS_PREFIX = [5, 45, 51, 91, 141, 146, 151, 162, 185, 198]

ACT_NAME = ["beneficiary.search", "beneficiary.view", "beneficiary.history", "caseload.list",
            "caseload.export", "sync.delta", "sync.poll", "export.full", "stats.extract"]
ACT_METHOD = ["POST", "GET", "GET", "GET", "GET", "GET", "GET", "GET", "GET"]
ACT_PATH = ["/api/v3/beneficiaires/recherche", "/api/v3/beneficiaires/", "/api/v3/beneficiaires/",
            "/api/v3/portefeuille", "/api/v3/portefeuille/export.csv", "/api/v3/sync/delta",
            "/api/v3/sync/evenements", "/api/v3/exports/beneficiaires", "/api/v3/stats/indicateurs"]
DURMED_US = [180000, 45000, 70000, 120000, 2200000, 1400000, 90000, 3500000, 900000]
BEN_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"

HOSTS = [("ppweb-01", "portail-partenaires", "4.12.3"), ("ppweb-02", "portail-partenaires", "4.12.3"),
         ("ppweb-03", "portail-partenaires", "4.12.3"), ("ppweb-04", "portail-partenaires", "4.11.9"),
         ("ppweb-05", "portail-partenaires", "4.12.3"), ("ppweb-06", "portail-partenaires", "4.12.3"),
         ("apigw-01", "api-partenaires", "2.8.1"), ("apigw-02", "api-partenaires", "2.7.0"),
         ("apigw-03", "api-partenaires", "2.8.1"), ("batch-01", "export-batch", "1.9.4")]
STRING_HITS_HOSTS = {3, 7}       # older logger writes hits as a JSON string
HOSTFRAG = ['"host":{"name":"%s"},"service":{"name":"%s","version":"%s"}' % h for h in HOSTS]

ROLE_MEDIAN = {"ADVISOR": 19.0, "SENIOR_ADVISOR": 25.0, "RECEPTION": 24.0, "MANAGER": 9.0, "AUDITOR": 7.0}
ROLE_MIX = {  # search, view, history, list, export
    "ADVISOR": [0.24, 0.50, 0.16, 0.09, 0.004],
    "SENIOR_ADVISOR": [0.24, 0.46, 0.16, 0.12, 0.012],
    "RECEPTION": [0.58, 0.38, 0.04, 0.0, 0.0],
    "MANAGER": [0.16, 0.32, 0.08, 0.36, 0.05],
    "AUDITOR": [0.10, 0.50, 0.40, 0.0, 0.0],
}
ROLE_RNDFRAC = {"ADVISOR": 0.2, "SENIOR_ADVISOR": 0.25, "RECEPTION": 0.75, "MANAGER": 0.3, "AUDITOR": 0.6}
MANAGER_ME_MIX = [0.10, 0.20, 0.05, 0.50, 0.15]


def ben_str(n):
    return "%07d%s" % (n, BEN_LETTERS[(n * 7) % 23])


def cum(ws):
    s = sum(ws)
    out, c = [], 0.0
    for w in ws:
        c += w / s
        out.append(c)
    out[-1] = 1.0000001
    return out


class Org:
    __slots__ = ("idx", "oid", "name", "typ", "dep", "zone", "region", "city", "ips", "members")


class Acct:
    __slots__ = ("idx", "uid", "name", "roles", "role", "org", "svc", "level", "mix", "mix_me",
                 "smean", "caseload", "rndfrac", "ip_home", "tele", "start", "early", "weekend",
                 "pt", "ptday", "ua", "ua2", "uasw", "absent", "mult", "first", "last", "parent",
                 "special", "kind", "p", "ip", "late")


class Gen:
    def __init__(self, seed):
        self.seed = seed
        self.rng = random.Random(seed * 7919 + 17)
        self.orgs = []
        self.accts = []
        self.humans = []
        self.services = []
        self.used_uid = set()
        self.buckets = [[] for _ in range(NUBUCKETS)]
        self.tagmap = {}          # (acct_idx, d) -> tag (negative = benign)
        self.extramap = {}        # (acct_idx, d) -> list of (atk_no, k, ip)
        self.latemap = set()      # (acct_idx, d) late start (snow)
        self.benign = []
        self.attacks = []
        self.tagstats = {}        # tag -> [events, records, tmin, tmax, [acct idx]]
        self.frag = []
        self.n_events = 0
        self.n_records = 0
        self.n_noise = 0
        self.seen_accts = set()
        self.daystats = {}

    # ------------------------------------------------------------------ helpers
    def ip_from(self, prefixes):
        r = self.rng
        return "%d.%d.%d.%d" % (r.choice(prefixes), r.randrange(1, 255), r.randrange(0, 256), r.randrange(1, 255))

    def new_uid(self):
        while True:
            u = "pa-%07d" % self.rng.randrange(1000000, 9999999)
            if u not in self.used_uid:
                self.used_uid.add(u)
                return u

    def person_name(self):
        return "%s %s" % (self.rng.choice(FIRST), self.rng.choice(LAST))

    # ------------------------------------------------------------------ world
    def build_orgs(self):
        rng = self.rng
        deps = DEPTS[:]
        rng.shuffle(deps)
        plan = []
        big = deps[:6]
        plan += [("CD", big[i], rng.randint(80, 150)) for i in range(3)]
        plan += [("CAF", big[3 + i], rng.randint(80, 140)) for i in range(2)]
        plan += [("CD", deps[6 + i], rng.randint(30, 60)) for i in range(2)]
        plan += [("CAF", deps[8], rng.randint(25, 50))]
        for _ in range(rng.randint(38, 55)):
            plan.append(("ML", rng.choice(deps), max(5, min(30, int(rng.lognormvariate(math.log(12), 0.5))))))
        for _ in range(rng.randint(8, 12)):
            plan.append(("CAPE", rng.choice(deps), rng.randint(5, 20)))
        for _ in range(rng.randint(5, 8)):
            plan.append(("PLIE", rng.choice(deps), rng.randint(3, 12)))
        for _ in range(rng.randint(8, 14)):
            plan.append(("OF", rng.choice(deps), rng.randint(3, 15)))
        for _ in range(rng.randint(3, 6)):
            plan.append(("CCAS", rng.choice(deps), rng.randint(3, 10)))
        for _ in range(rng.randint(2, 4)):
            plan.append(("E2C", rng.choice(deps), rng.randint(3, 8)))
        seqs = {}
        names = set()
        for typ, dep, size in plan:
            code, dname, city, zone, region = dep
            k = (typ, code)
            seqs[k] = seqs.get(k, 0) + 1
            seq = seqs[k]
            if typ == "CD":
                name = "Département %s (%s) - Direction de l'insertion" % (dname, code[1:])
            elif typ == "CAF":
                name = "Caisse d'allocations familiales - %s" % dname
            elif typ == "ML":
                name = None
                for suf in rng.sample(ML_SUFFIX, len(ML_SUFFIX)):
                    cand = "Mission locale %s%s" % (city, suf)
                    if cand not in names:
                        name = cand
                        break
                if name is None:
                    name = "Mission locale %s %d" % (city, seq)
            elif typ == "CAPE":
                name = "Cap emploi %s" % dname if seq == 1 else "Cap emploi %s - antenne %d" % (dname, seq)
            elif typ == "PLIE":
                name = "PLIE %s" % city if seq == 1 else "PLIE %s %d" % (city, seq)
            elif typ == "OF":
                name = rng.choice(["GRETA %s", "AFPA centre de %s", "Centre de formation %s",
                                   "Institut de formation %s", "Formapro %s"]) % city
                if name in names:
                    name += " %d" % seq
            elif typ == "CCAS":
                name = "CCAS de %s" % city if seq == 1 else "CCAS de %s %d" % (city, seq)
            else:
                name = "École de la 2e chance %s" % city if seq == 1 else "École de la 2e chance %s %d" % (city, seq)
            names.add(name)
            o = Org()
            o.idx = len(self.orgs)
            o.oid = "%s%s.%03d" % (typ, code, seq)
            o.name, o.typ, o.dep, o.zone, o.region, o.city = name, typ, code, zone, region, city
            nip = 3 if size >= 60 else (2 if size >= 15 else 1)
            o.ips = [self.ip_from(ORG_PREFIX) if rng.random() < 0.8 else "10.%d.%d.%d" % (
                rng.randrange(1, 250), rng.randrange(0, 256), rng.randrange(1, 255)) for _ in range(nip)]
            o.members = []
            o_size = size
            self.orgs.append(o)
            o.members = [o_size]  # temporary: desired size
        return

    def make_human(self, o, role, first=0, last=DAYS - 1):
        rng = self.rng
        a = Acct()
        a.idx = len(self.accts)
        a.uid = self.new_uid()
        a.name = self.person_name()
        a.role = role
        if role == "MANAGER":
            a.roles = ["MANAGER", "ADVISOR"] if rng.random() < 0.5 else ["MANAGER"]
        elif role == "SENIOR_ADVISOR" and rng.random() < 0.3:
            a.roles = ["SENIOR_ADVISOR", "ADVISOR"]
        else:
            a.roles = [role]
        a.org = o.idx
        a.svc = False
        a.level = min(250.0, ROLE_MEDIAN[role] * rng.lognormvariate(0, 0.75))
        a.mix = cum([w * rng.lognormvariate(0, 0.35) for w in ROLE_MIX[role]])
        a.mix_me = cum(MANAGER_ME_MIX)
        a.smean = max(1.5, min(18.0, rng.lognormvariate(math.log(5), 0.5)))
        if role in ("ADVISOR", "SENIOR_ADVISOR"):
            ncl = rng.randint(40, 180)
        elif role == "MANAGER":
            ncl = rng.randint(30, 100)
        else:
            ncl = rng.randint(15, 40)
        a.caseload = [rng.randrange(1000000, 9999999) for _ in range(ncl)]
        a.rndfrac = ROLE_RNDFRAC[role]
        a.ip_home = self.ip_from(HOME_PREFIX)
        a.tele = 0.0 if rng.random() < 0.35 else rng.uniform(0.05, 0.4)
        if o.typ in ("CCAS", "E2C"):
            a.tele *= 0.3
        a.start = max(7.3, min(10.0, rng.gauss(8.7, 0.45)))
        a.early = rng.random() < 0.07
        a.weekend = rng.random() < 0.03
        r = rng.random()
        a.pt, a.ptday = 0, -1
        if r < 0.12:
            a.pt = 1
            a.ptday = rng.choices([2, 4, 0], [0.6, 0.25, 0.15])[0]
        elif r < 0.17:
            a.pt = 2
        ua = rng.choice(UA_BROWSERS)
        a.ua = ua
        a.ua2 = UA_UPGRADE.get(ua, ua) if rng.random() < 0.7 else ua
        a.uasw = rng.randint(8, 40)
        a.absent = bytearray(DAYS)
        a.mult = [1.0] * DAYS
        a.first, a.last = first, last
        a.parent = rng.random() < 0.35
        a.special = False
        a.kind = "human"
        a.late = False
        self.accts.append(a)
        o.members.append(a.idx)
        return a

    def make_service(self, o, kind, uid, first=0, last=DAYS - 1, p=None, ip=None, ua=None):
        rng = self.rng
        a = Acct()
        a.idx = len(self.accts)
        a.uid = uid
        self.used_uid.add(uid)
        label = {"sync": "Synchronisation SI", "poll": "Interrogation horaire", "export": "Export hebdomadaire",
                 "stats": "Statistiques", "imilo": "Connecteur i-milo"}[kind]
        a.name = "%s %s" % (label, o.oid)
        a.roles = ["SERVICE"]
        a.role = "SERVICE"
        a.org = o.idx
        a.svc = True
        a.kind = kind
        a.p = p or {}
        a.ip = ip or "10.%d.%d.%d" % (rng.randrange(200, 250), rng.randrange(0, 256), rng.randrange(1, 255))
        a.ua = ua or rng.choice(UA_SERVICES[:4])
        a.first, a.last = first, last
        a.special = False
        a.caseload = []
        self.accts.append(a)
        o.members.append(a.idx)
        self.services.append(a)
        return a

    def build_accounts(self):
        rng = self.rng
        for o in self.orgs:
            size = o.members[0]
            o.members = []
            for i in range(size):
                if i == 0:
                    role = "MANAGER"
                else:
                    r = rng.random()
                    if o.typ in ("CD", "CAF"):
                        role = ("ADVISOR" if r < 0.70 else "SENIOR_ADVISOR" if r < 0.80 else
                                "RECEPTION" if r < 0.88 else "MANAGER" if r < 0.95 else "AUDITOR")
                    else:
                        role = ("ADVISOR" if r < 0.66 else "SENIOR_ADVISOR" if r < 0.78 else
                                "RECEPTION" if r < 0.91 else "MANAGER" if r < 0.985 else "AUDITOR")
                self.make_human(o, role)
        self.humans = [a for a in self.accts]
        # services
        for o in self.orgs:
            size = len(o.members)
            if o.typ in ("CD", "CAF"):
                self.make_service(o, "sync", "svc_sync_%s" % o.oid.lower().replace(".", ""),
                                  p={"n": 10 + size * 0.35, "hm": 25 + size * 2.5})
                if o.typ == "CAF" or rng.random() < 0.5:
                    self.make_service(o, "poll", "svc_poll_%s" % o.oid.lower().replace(".", ""),
                                      p={"pmax": 8 + size // 4, "minute": rng.randrange(0, 60)})
            elif o.typ == "ML" and rng.random() < 0.45:
                self.make_service(o, "imilo", "svc_imilo_%s" % o.oid.lower().replace(".", ""),
                                  p={"n": 4 + size * 0.5, "hm": 10 + size * 2}, ua=UA_SERVICES[4])
            elif o.typ == "CAPE" and rng.random() < 0.4:
                self.make_service(o, "poll", "svc_poll_%s" % o.oid.lower().replace(".", ""),
                                  p={"pmax": 6 + size // 3, "minute": rng.randrange(0, 60)})
        big = [o for o in self.orgs if o.typ in ("CD", "CAF") and len(o.members) >= 60]
        for o in rng.sample(big, min(len(big), rng.randint(2, 4))):
            self.make_service(o, "export", "svc_export_%s" % o.oid.lower().replace(".", ""),
                              p={"pages": rng.randint(40, 160)}, ip="10.%d.0.%d" % (rng.randrange(200, 250), rng.randrange(10, 60)))
        for o in rng.sample(big, 2):
            self.make_service(o, "stats", "svc_stats_%s" % o.oid.lower().replace(".", ""),
                              p={"big": rng.randint(40, 80)})

    # ------------------------------------------------------------------ calendar
    def add_benign(self, kind, start, end, accounts=None, orgs=None, **extra):
        b = {"id": "B%d" % (len(self.benign) + 1), "kind": kind}
        if accounts is not None:
            b["accounts"] = accounts
        if orgs is not None:
            b["orgs"] = orgs
        b["start"], b["end"] = start, end
        b.update(extra)
        self.benign.append(b)
        return len(self.benign)  # tag = -return

    def mark_absent(self, a, d0, d1):
        for d in range(max(0, d0), min(DAYS, d1 + 1)):
            if wd(d) < 5:
                a.absent[d] = 1

    def plan_calendar(self):
        rng = self.rng
        H = self.humans
        self.strike = rng.choice([17, 24, 31, 38])
        self.camp_start = rng.choice([14, 21])
        snow_cands = [d for d in range(15, 36) if wd(d) in (1, 2, 3) and d not in (self.strike, self.strike + 1)]
        self.snow = rng.choice(snow_cands)
        self.snow_region = rng.choice(["ARA", "GES", "BFC"])
        flu_peak = rng.uniform(24, 32)
        for a in H:
            # New Year aftermath
            r = rng.choices([0, 1, 2, 5], [0.66, 0.14, 0.10, 0.10])[0]
            self.mark_absent(a, 0, r - 1)
            # random short leave
            for w in range(8):
                if rng.random() < 0.045:
                    s = w * 7 + rng.randrange(5)
                    self.mark_absent(a, s, s + rng.randint(0, 2))
            # February school holidays / ski
            o = self.orgs[a.org]
            weeks = ZONE_WEEKS[o.zone]
            if a.parent:
                r = rng.random()
                if len(weeks) == 2:
                    take = weeks if r < 0.25 else ([rng.choice(weeks)] if r < 0.85 else [])
                else:
                    take = weeks if r < 0.7 else []
            else:
                take = [rng.choice([35, 42, 49])] if rng.random() < 0.05 else []
                if rng.random() < 0.03:
                    take.append(rng.choice([14, 21, 28]))
            for w0 in take:
                self.mark_absent(a, w0, w0 + 4)
            # flu
            d = 0
            while d < DAYS:
                p = 0.003 + 0.011 * math.exp(-((d - flu_peak) / 9.0) ** 2)
                if wd(d) < 5 and not a.absent[d] and rng.random() < p:
                    L = rng.randint(2, 6)
                    self.mark_absent(a, d, d + L - 1)
                    d += L
                else:
                    d += 1
        # strike
        strikers = []
        for a in H:
            if a.absent[self.strike]:
                continue
            typ = self.orgs[a.org].typ
            p = 0.46 if typ in ("CD", "CAF") else 0.40 if typ in ("ML", "CAPE") else 0.33
            if rng.random() < p:
                a.absent[self.strike] = 1
                strikers.append(a)
        for a in strikers:
            nd = self.strike + 1
            if not a.absent[nd]:
                a.mult[nd] *= rng.uniform(1.15, 1.45)
        # catch-up after >=3 working days away
        for a in H:
            streak = 0
            pend = 0
            for d in range(DAYS):
                if wd(d) >= 5:
                    continue
                if a.absent[d]:
                    streak += 1
                else:
                    if streak >= 3:
                        a.mult[d] *= rng.uniform(1.2, 1.5)
                        pend = 1
                    elif pend:
                        a.mult[d] *= 1.1
                        pend = 0
                    streak = 0
        # snow day
        snow_orgs = [o for o in self.orgs if o.region == self.snow_region]
        snow_accts = []
        for o in snow_orgs:
            for i in o.members:
                a = self.accts[i]
                if a.svc:
                    continue
                snow_accts.append(a.uid)
                if rng.random() < 0.5:
                    a.absent[self.snow] = 1
                else:
                    self.latemap.add((a.idx, self.snow))
                    a.mult[self.snow] *= 0.7
        # réinscription campaign
        elig = [o for o in self.orgs if o.typ in ("ML", "CAPE", "PLIE", "CCAS", "E2C")]
        camp = [o for o in elig if rng.random() < 0.6]
        cds = [o for o in self.orgs if o.typ == "CD"]
        camp.append(rng.choice(cds))
        cdays = [d for d in range(self.camp_start, self.camp_start + 12) if wd(d) < 5]
        self.camp_orgs = set(o.idx for o in camp)
        self.camp_days = cdays
        camp_acc = []
        cm = {}
        for o in camp:
            m = rng.uniform(1.3, 1.8)
            cm[o.oid] = round(m, 2)
            for i in o.members:
                a = self.accts[i]
                if a.svc or a.role not in ("ADVISOR", "SENIOR_ADVISOR", "RECEPTION"):
                    continue
                camp_acc.append(a.uid)
                for j, d in enumerate(cdays):
                    f = 1 + (m - 1) * (0.4 if j == 0 else 0.85 if j == len(cdays) - 1 else 1.0)
                    a.mult[d] *= f * max(0.8, rng.gauss(1.0, 0.06))
        # month end (managers)
        mgr = []
        for a in H:
            if a.role == "MANAGER":
                mgr.append(a.uid)
                for d in MONTH_END:
                    a.mult[d] *= rng.uniform(2.0, 2.8)
                for d in MONTH_END2:
                    a.mult[d] *= rng.uniform(1.3, 1.7)
        # generic labels
        self.add_benign("new_year_aftermath", day_iso(0), day_iso(4, 23, 59, 59),
                        note="many people still on leave Jan 5-9")
        self.add_benign("strike_day", day_iso(self.strike), day_iso(self.strike + 1, 23, 59, 59),
                        note="national strike (~40% absent); strikers catch up the day after")
        self.add_benign("snow_day", day_iso(self.snow), day_iso(self.snow, 23, 59, 59), accounts=snow_accts,
                        orgs=[o.oid for o in snow_orgs], region=self.snow_region)
        self.add_benign("reinscription_campaign", day_iso(cdays[0]), day_iso(cdays[-1], 23, 59, 59),
                        accounts=camp_acc, orgs=[o.oid for o in camp], multipliers=cm)
        self.add_benign("month_end_reporting", day_iso(MONTH_END[0]), day_iso(MONTH_END[-1], 23, 59, 59),
                        accounts=mgr, note="managers' lists/exports x2-2.8 (lighter Feb 25-27)")
        self.add_benign("school_holidays", day_iso(33), day_iso(55, 23, 59, 59),
                        note="February holidays A: Feb 7-23, B: Feb 14-Mar 2, C: Feb 21-Mar 9")
        self.add_benign("flu_season", day_iso(14), day_iso(45, 23, 59, 59),
                        note="sick-leave spells peak around day %.0f" % flu_peak)

    def ordinary_pool(self, exclude_orgs=()):
        return [a for a in self.humans if not a.special and a.role in ("ADVISOR", "SENIOR_ADVISOR", "RECEPTION", "MANAGER")
                and a.pt != 2 and not a.weekend and a.first == 0 and a.last == DAYS - 1
                and a.org not in exclude_orgs]

    def plan_traps(self):
        rng = self.rng
        # vacation returns
        zoneA = [a for a in self.ordinary_pool() if self.orgs[a.org].zone == "A"
                 and a.role in ("ADVISOR", "SENIOR_ADVISOR") and a.pt == 0 and a.level > 12]
        picks = rng.sample(zoneA, 2 if rng.random() < 0.6 else 1)
        others = [a for a in self.ordinary_pool() if a.role in ("ADVISOR", "SENIOR_ADVISOR") and a.pt == 0
                  and a.level > 12 and a not in picks]
        picks2 = rng.sample(others, 1)
        for a, (off0, ret) in [(p, (35, 49)) for p in picks] + [(p, rng.choice([(14, 28), (21, 35)])) for p in picks2]:
            a.special = True
            for d in range(off0 - 2, ret + 3):
                if 0 <= d < DAYS and wd(d) < 5:
                    a.absent[d] = 1 if off0 <= d < ret else 0
            a.mult[ret] = rng.uniform(2.0, 2.6)
            a.mult[ret + 1] = rng.uniform(1.4, 1.7)
            tag = -self.add_benign("vacation_return", day_iso(ret), day_iso(ret + 1, 23, 59, 59), accounts=[a.uid],
                                   note="back from 2-week ski holidays, catch-up burst")
            self.tagmap[(a.idx, ret)] = tag
            self.tagmap[(a.idx, ret + 1)] = tag
        # new hires
        for _ in range(rng.randint(1, 2)):
            o = rng.choice([o for o in self.orgs if o.typ in ("ML", "CD", "CAF", "CAPE")])
            h = rng.choice([14, 28, 35])
            a = self.make_human(o, "ADVISOR", first=h)
            self.humans.append(a)
            a.special = True
            a.weekend = False
            a.caseload = a.caseload[:10]
            a.rndfrac = 0.5
            a.level = rng.uniform(14, 26)
            k = 0
            for d in range(h, DAYS):
                a.absent[d] = 0
                if wd(d) < 5:
                    a.mult[d] = min(1.0, 0.15 + 0.85 * k / 15.0)
                    k += 1
            tag = -self.add_benign("new_hire", day_iso(h), day_iso(min(DAYS - 1, h + 20), 23, 59, 59),
                                   accounts=[a.uid], org=o.oid, note="new advisor ramping up over ~3 weeks")
            for d in range(h, min(DAYS, h + 21)):
                self.tagmap[(a.idx, d)] = tag
        # caseload handover
        cands = [o for o in self.orgs if sum(1 for i in o.members if self.accts[i].role == "ADVISOR"
                                             and not self.accts[i].special) >= 6]
        o = rng.choice(cands)
        advs = [self.accts[i] for i in o.members if self.accts[i].role == "ADVISOR" and not self.accts[i].special
                and self.accts[i].pt == 0 and not self.accts[i].weekend]
        giver, recv = rng.sample(advs, 2)
        Hd = rng.choice([d for d in range(15, 46) if wd(d) in (0, 1, 2, 3) and d not in (self.strike, self.strike + 1)])
        giver.special = recv.special = True
        giver.caseload = [rng.randrange(1000000, 9999999) for _ in range(rng.randint(110, 200))]
        giver.last = Hd - 1
        recv.absent[Hd] = recv.absent[Hd + 1] = 0
        self.handover = (giver, recv, Hd)
        self.handover_tag = -self.add_benign("caseload_handover", day_iso(Hd), day_iso(Hd + 1, 23, 59, 59),
                                             accounts=[recv.uid, giver.uid], org=o.oid,
                                             files=len(giver.caseload),
                                             note="giver leaves; receiver opens the transferred files over two days")
        # service migration
        syncs = [s for s in self.services if s.kind == "sync"]
        old = rng.choice(syncs)
        M = rng.choice([d for d in range(30, 46) if wd(d) in (0, 1, 2)])
        org = self.orgs[old.org]
        new = self.make_service(org, "sync", "svc_etl_%s" % org.oid.lower().replace(".", ""), first=M,
                                p=dict(old.p), ua="Apache-HttpClient/5.3 (Java/21.0.2)")
        old.last = M - 1
        tag = -self.add_benign("service_migration", day_iso(M - 1), day_iso(M, 23, 59, 59),
                               accounts=[old.uid, new.uid], org=org.oid,
                               note="nightly sync moved to a new account name, same volume")
        self.tagmap[(old.idx, M - 1)] = tag
        self.tagmap[(new.idx, M)] = tag
        # monthly stats / weekly export labels
        st = [s for s in self.services if s.kind == "stats"]
        tag = -self.add_benign("monthly_stats", day_iso(FIRST_WD_FEB), day_iso(FIRST_WD_FEB, 23, 59, 59),
                               accounts=[s.uid for s in st], note="monthly statistics run, first working day")
        for s in st:
            self.tagmap[(s.idx, FIRST_WD_FEB)] = tag
        ex = [s for s in self.services if s.kind == "export"]
        self.add_benign("weekly_full_export", day_iso(5), day_iso(55, 23, 59, 59), accounts=[s.uid for s in ex],
                        note="full export every Saturday night (~23:00-02:00 local)")

    # ------------------------------------------------------------------ attacks
    def plan_attacks(self):
        rng = self.rng
        shapes = ["bulk_extraction", "low_and_slow", "new_account", "org_wide", "off_hours"]
        extra = rng.randint(2, 4)
        shapes += rng.choices(["bulk_extraction", "low_and_slow", "off_hours", "new_account", "org_wide"],
                              [3, 3, 2, 1.2, 1], k=extra)
        rng.shuffle(shapes)
        n = len(shapes)
        # ~30-40 % hard variants, but always at least one plain ("tens of thousands") bulk extraction
        hard = [False] * n
        for i in rng.sample(range(n), rng.randint(2, 3)):
            hard[i] = True
        bulks = [i for i in range(n) if shapes[i] == "bulk_extraction"]
        if all(hard[i] for i in bulks):
            hard[bulks[0]] = False
            rest = [i for i in range(n) if not hard[i] and i != bulks[0]]
            hard[rng.choice(rest)] = True
        W = [d for d in range(10, 54) if wd(d) < 5]
        used_orgs = set()
        for i, shape in enumerate(shapes):
            slot = W[i * len(W) // n:(i + 1) * len(W) // n]
            d0 = rng.choice(slot)
            aid = "A%d" % (i + 1)
            atk_no = i + 1
            spec = {"id": aid, "shape": shape, "difficulty": "hard" if hard[i] else "normal"}
            h = hard[i]
            if shape == "bulk_extraction":
                pool = [a for a in self.ordinary_pool(used_orgs) if a.role != "MANAGER"]
                a = rng.choice(pool)
                a.special = True
                used_orgs.add(a.org)
                if h:
                    R = rng.randint(10000, 16000)
                    st = rng.uniform(9.3, 12.5)
                    dur = rng.uniform(3.0, 4.5)
                    ip = rng.choice(self.orgs[a.org].ips) if rng.random() < 0.5 else self.ip_from(HOME_PREFIX)
                    ua = a.ua
                else:
                    R = int(rng.lognormvariate(math.log(35000), 0.5))
                    R = max(18000, min(95000, R))
                    if rng.random() < 0.65:
                        st = rng.uniform(9.5, 15.5)
                        dur = rng.uniform(0.75, 2.5)
                    else:
                        st = rng.uniform(18.5, 21.5)
                        dur = rng.uniform(1.0, 3.5)
                    ip = self.ip_from(VPS_PREFIX)
                    ua = a.ua if rng.random() < 0.7 else rng.choice(UA_BROWSERS)
                qv = rng.uniform(0.03, 0.2)
                V = int(R * qv)
                S = max(1, round((R - V) / 23.95))
                t0 = T0 + d0 * DAY + int(st * HOUR)
                t1 = t0 + int(dur * HOUR)
                self.emit_script(a, t0, t1, S, V, ip, ua, atk_no, hist=0.15 if a.mix[2] - a.mix[1] > 0.05 else 0.0)
                spec.update(acct=[a], org=self.orgs[a.org].oid, plan="%d records over %.1f h from %s" % (R, dur, ip))
            elif shape == "new_account":
                orgs = [o for o in self.orgs if o.typ in ("CD", "CAF", "ML", "CAPE") and o.idx not in used_orgs]
                o = rng.choice(orgs)
                used_orgs.add(o.idx)
                a = self.make_human(o, "ADVISOR", first=d0, last=d0 - 1)   # never active normally
                a.special = True
                if h:
                    R = rng.randint(2000, 3500)
                    ndays = rng.randint(2, 3)
                    ip = rng.choice(o.ips)
                else:
                    R = int(rng.lognormvariate(math.log(10000), 0.5))
                    R = max(5000, min(25000, R))
                    ndays = rng.randint(1, 2)
                    ip = self.ip_from(VPS_PREFIX)
                idx = W.index(d0)
                idx = min(idx, len(W) - ndays)
                days = W[idx:idx + ndays]
                per = [R // ndays] * ndays
                per[0] += R - sum(per)
                for d, r in zip(days, per):
                    qv = rng.uniform(0.15, 0.4)
                    V = int(r * qv)
                    S = max(1, round((r - V) / 23.95))
                    st = rng.uniform(9.0, 11.0)
                    en = rng.uniform(15.5, 17.5)
                    self.emit_script(a, T0 + d * DAY + int(st * HOUR), T0 + d * DAY + int(en * HOUR), S, V, ip, a.ua,
                                     atk_no, hist=0.1)
                spec.update(acct=[a], org=o.oid, plan="%d records over %d day(s) from %s" % (R, ndays, ip))
            elif shape == "off_hours":
                pool = self.ordinary_pool(used_orgs)
                med = sorted(x.level for x in pool)[len(pool) // 2]
                if h:
                    pool = [x for x in pool if x.level < med]
                else:
                    pool = [x for x in pool if x.level >= med * 0.8]
                a = rng.choice(pool)
                a.special = True
                used_orgs.add(a.org)
                variants = ["sunday", "early"] if h else ["night", "sunday", "saturday_night"]
                v = rng.choice(variants)
                if v == "sunday":
                    d = d0 + (6 - wd(d0))
                    s = rng.uniform(10.0, 15.0)
                    blocks = [(s, s + rng.uniform(2.0, 4.0))]
                elif v == "saturday_night":
                    d = d0 + (5 - wd(d0)) if wd(d0) <= 5 else d0
                    s = rng.uniform(21.5, 23.5)
                    blocks = [(s, s + rng.uniform(2.0, 4.5))]
                elif v == "night":
                    d = d0
                    s = rng.uniform(22.0, 23.5)
                    blocks = [(s, s + rng.uniform(1.5, 5.0))]
                else:
                    d = d0
                    s = rng.uniform(3.5, 4.5)
                    blocks = [(s, min(5.9, s + rng.uniform(1.0, 1.6)))]
                nev = max(8, int(round(a.level * rng.uniform(0.8, 1.3))))
                ip = self.ip_from(VPS_PREFIX) if rng.random() < 0.6 else self.ip_from(HOME_PREFIX)
                self.emit(a, d, nev, blocks, ip, rng.randrange(6), a.ua, atk_no, 0.6, a.mix, churn=False)
                spec.update(acct=[a], org=self.orgs[a.org].oid,
                            plan="%d events (%s, level %.1f/day) from %s" % (nev, v, a.level, ip))
            elif shape == "low_and_slow":
                pool = [x for x in self.ordinary_pool(used_orgs) if x.level > (8 if h else 15)]
                a = rng.choice(pool)
                a.special = True
                used_orgs.add(a.org)
                if h:
                    k = rng.uniform(2.0, 2.5)
                    ndays = rng.randint(3, 5)
                else:
                    k = rng.uniform(2.5, 4.0)
                    ndays = rng.randint(4, 8)
                idx = min(W.index(d0), len(W) - ndays)
                days = W[idx:idx + ndays]
                ip = rng.choice(self.orgs[a.org].ips) if rng.random() < 0.5 else self.ip_from(HOME_PREFIX)
                for d in days:
                    a.absent[d] = 0
                    self.extramap.setdefault((a.idx, d), []).append((atk_no, k, ip))
                spec.update(acct=[a], org=self.orgs[a.org].oid,
                            plan="x%.2f for %d working days, level %.1f/day" % (k, ndays, a.level))
            else:  # org_wide
                cands = []
                for o in self.orgs:
                    if o.idx in used_orgs or o.idx == self.orgs[self.handover[0].org].idx:
                        continue
                    el = [self.accts[j] for j in o.members if not self.accts[j].svc and not self.accts[j].special
                          and self.accts[j].role in ("ADVISOR", "SENIOR_ADVISOR", "RECEPTION")
                          and self.accts[j].first == 0 and self.accts[j].last == DAYS - 1]
                    if 7 <= len(el) <= 60:
                        cands.append((o, el))
                ndays = rng.randint(3, 5) if h else rng.randint(2, 4)
                idx = min(W.index(d0), len(W) - ndays)
                days = W[idx:idx + ndays]
                c2 = [c for c in cands if not (c[0].idx in self.camp_orgs and set(days) & set(self.camp_days))]
                o, el = rng.choice(c2 or cands)
                used_orgs.add(o.idx)
                frac = rng.uniform(0.5, 0.9)
                parts = rng.sample(el, max(4, int(round(len(el) * frac))))
                ip = rng.choice(o.ips)
                ks = []
                for a in parts:
                    a.special = True
                    k = rng.uniform(1.5, 1.9) if h else rng.uniform(2.0, 3.0)
                    ks.append(k)
                    for d in days:
                        a.absent[d] = 0
                        self.extramap.setdefault((a.idx, d), []).append((atk_no, k, ip))
                spec.update(acct=parts, org=o.oid,
                            plan="%d/%d accounts x%.1f-%.1f for %d working days" % (len(parts), len(el), min(ks),
                                                                                   max(ks), ndays))
            self.attacks.append(spec)

    # ------------------------------------------------------------------ emission
    def emit(self, a, d, n, blocks, ip, host, ua, tag, rnd_frac, mix, sess_mean=240.0, churn=True):
        if n <= 0:
            return 0
        rng = self.rng
        rand = rng.random
        expo = rng.expovariate
        lnv = rng.lognormvariate
        base = T0 + d * DAY
        tot = 0.0
        for b0, b1 in blocks:
            if b1 > b0:
                tot += b1 - b0
        if tot <= 0:
            return 0
        nsess = 1 + n // 7 + (1 if rand() < 0.5 else 0)
        centers = []
        for _ in range(nsess):
            x = rand() * tot
            c = None
            for b0, b1 in blocks:
                L = b1 - b0
                if L <= 0:
                    continue
                if x <= L:
                    c = b0 + x
                    break
                x -= L
            centers.append(c if c is not None else blocks[-1][1] - 0.01)
        hi = max(b1 for _, b1 in blocks)
        cl = a.caseload
        ncl = len(cl)
        sinv = 1.0 / a.smean
        lam = 1.0 / sess_mean
        bk = self.buckets
        idx = a.idx
        cnt = 0
        for _ in range(n):
            h = centers[int(rand() * nsess)] + expo(lam) / 3600.0
            if h >= hi:
                h = hi - rand() * 0.25
            t = base + int(h * HOUR) + int(rand() * SEC)
            if t < T0 or t >= T_END:
                continue
            r = rand()
            act = 0
            while r > mix[act]:
                act += 1
            ben = -1
            status = 200
            if act == 0:
                hits = int(expo(sinv))
                if hits > 25:
                    hits = 25
            elif act <= 2:
                hits = 1
                if ncl and rand() >= rnd_frac:
                    ben = cl[int(rand() * ncl)]
                else:
                    ben = 1000000 + int(rand() * 8999999)
                    if churn and ncl and rand() < 0.3:
                        cl[int(rand() * ncl)] = ben
            elif act == 3:
                hits = ncl if ncl < 50 else 50
            else:
                hits = ncl + int(rand() * 20)
            if rand() < 0.003:
                status = 404 if ben >= 0 else 403
                hits = 0
            dur = int(DURMED_US[act] * lnv(0, 0.6)) * 1000
            bk[(t - UBASE) // DAY].append((t, idx, act, hits, ben, ip, host, dur, status, tag, ua))
            cnt += 1
        return cnt

    def emit_script(self, a, t0, t1, S, V, ip, ua, tag, hist=0.0):
        rng = self.rng
        rand = rng.random
        lnv = rng.lognormvariate
        kinds = [0] * S + [1] * V
        rng.shuffle(kinds)
        n = len(kinds)
        step = (t1 - t0) / n
        host = rng.randrange(6)
        bk = self.buckets
        for i, k in enumerate(kinds):
            t = int(t0 + i * step + rand() * step)
            if t >= T_END:
                break
            if rand() < 0.002:
                host = rng.randrange(6)
            if k == 0:
                act, ben = 0, -1
                hits = 25 if rand() < 0.9 else 5 + int(rand() * 20)
            else:
                act = 2 if rand() < hist else 1
                hits = 1
                ben = 1000000 + int(rand() * 8999999)
            dur = int(DURMED_US[act] * lnv(0, 0.5)) * 1000
            bk[(t - UBASE) // DAY].append((t, a.idx, act, hits, ben, ip, host, dur, 200, tag, ua))

    def day_blocks(self, a, d, late):
        rng = self.rng
        w = wd(d)
        st = a.start + rng.gauss(0, 0.25)
        if a.early and rng.random() < 0.3:
            st = 6.0 + rng.random()
        if late:
            st = 10.0 + rng.random()
        ls = 11.9 + rng.random() * 0.7
        le = ls + 0.75 + rng.random() * 0.75
        if a.pt == 2:
            return [(st, 12.0 + rng.random() * 0.6)]
        en = st + 7.9 + (le - ls) + rng.gauss(0, 0.35) - (0.6 if w == 4 else 0.0)
        en = min(en, 19.5)
        blocks = [(st, ls), (le, en)]
        if rng.random() < 0.03:
            e0 = max(en + 0.5, 18.5)
            blocks.append((e0, min(22.0, e0 + 0.3 + rng.random() * 1.2)))
        return blocks

    def gen_humans(self, d):
        rng = self.rng
        w = wd(d)
        orgday = [rng.lognormvariate(0, 0.08) for _ in self.orgs]
        giver, recv, Hd = self.handover
        for a in self.humans:
            if d < a.first or d > a.last:
                continue
            o = a.org
            tag = self.tagmap.get((a.idx, d), 0)
            work = True
            wknd = False
            if w >= 5:
                work = False
                if w == 5 and a.weekend and rng.random() < 0.12:
                    work, wknd = True, True
            elif a.absent[d]:
                work = False
            elif a.pt == 1 and w == a.ptday:
                work = False
            elif a.role == "AUDITOR" and rng.random() > 0.35:
                work = False
            home = rng.random() < a.tele and w < 5
            ip = a.ip_home if home else self.orgs[o].ips[a.idx % len(self.orgs[o].ips)]
            host = rng.randrange(6)
            ua = a.ua if d < a.uasw else a.ua2
            if work:
                if wknd:
                    lam = a.level * 0.3 * rng.gammavariate(4, 0.25)
                    blocks = [(9.0 + rng.random(), 11.5 + rng.random())]
                else:
                    lam = a.level * WDF[w] * a.mult[d] * orgday[o] * rng.gammavariate(4, 0.25)
                    blocks = self.day_blocks(a, d, (a.idx, d) in self.latemap)
                n = int(lam + rng.random())
                mix = a.mix_me if (a.role == "MANAGER" and d in MONTH_END) else a.mix
                self.emit(a, d, n, blocks, ip, host, ua, tag, a.rndfrac, mix)
            ex = self.extramap.get((a.idx, d))
            if ex:
                for atk_no, k, aip in ex:
                    nexp = a.level * WDF[w] * a.mult[d]
                    ne = max(2, int(round((k - 1.0) * nexp * rng.uniform(0.85, 1.15))))
                    s = rng.uniform(8.8, 10.0)
                    blocks = [(s, rng.uniform(11.8, 12.4)), (rng.uniform(13.3, 14.0), rng.uniform(16.5, 17.8))]
                    self.emit(a, d, ne, blocks, aip, rng.randrange(6), ua, atk_no, max(0.6, a.rndfrac), a.mix,
                              churn=False)
            if a is recv and d in (Hd, Hd + 1):
                files = giver.caseload
                half = int(len(files) * 0.55)
                part = files[:half] if d == Hd else files[half:]
                self.emit_handover(recv, d, part, ip, host, ua)
                if d == Hd + 1:
                    recv.caseload.extend(giver.caseload)

    def emit_handover(self, a, d, files, ip, host, ua):
        rng = self.rng
        base = T0 + d * DAY
        tag = self.handover_tag
        for ben in files:
            for act in ([1, 2] if rng.random() < 0.2 else [1]):
                h = rng.choice([rng.uniform(9.0, 12.0), rng.uniform(13.8, 17.3)])
                t = base + int(h * HOUR) + rng.randrange(SEC)
                dur = int(DURMED_US[act] * rng.lognormvariate(0, 0.6)) * 1000
                self.buckets[(t - UBASE) // DAY].append((t, a.idx, act, 1, ben, ip, host, dur, 200, tag, ua))

    def gen_services(self, d):
        rng = self.rng
        w = wd(d)
        base = T0 + d * DAY
        bk = self.buckets
        for s in self.services:
            if d < s.first or d > s.last:
                continue
            tag = self.tagmap.get((s.idx, d), 0)
            p = s.p
            evs = []   # (t, act, hits)
            if s.kind in ("sync", "imilo"):
                n = int(p["n"] * rng.uniform(0.8, 1.2) * (0.5 if w >= 5 or w == 0 else 1.0)) + 1
                t = base + int((1.2 + rng.random() * 0.4) * HOUR)
                for _ in range(n):
                    t += int(rng.uniform(15, 60) * SEC)
                    evs.append((t, 5, max(0, int(p["hm"] * rng.lognormvariate(0, 0.6)))))
                host = 6 + rng.randrange(3)
            elif s.kind == "poll":
                host = None
                for hr in range(24):
                    if rng.random() < 0.01:
                        continue
                    t = base + hr * HOUR + p["minute"] * 60 * SEC + rng.randrange(20 * SEC)
                    busy = w < 5 and 8 <= hr < 18
                    hits = rng.randint(0, p["pmax"]) if busy else rng.randint(0, 3)
                    evs.append((t, 6, hits))
            elif s.kind == "export":
                host = 9
                if w == 5:
                    pages = int(p["pages"] * rng.uniform(0.98, 1.03))
                    t = base + int((23.0 + rng.random() * 0.2) * HOUR)
                    for i in range(pages):
                        t += int(rng.uniform(20, 45) * SEC)
                        evs.append((t, 7, 1000 if i < pages - 1 else rng.randint(1, 999)))
            else:  # stats
                host = 9
                if d == FIRST_WD_FEB:
                    t = base + int((5.0 + rng.random() * 0.2) * HOUR)
                    for _ in range(p["big"]):
                        t += int(rng.uniform(20, 80) * SEC)
                        evs.append((t, 8, rng.randint(500, 3000)))
                elif w == 0:
                    t = base + int((5.0 + rng.random() * 0.2) * HOUR)
                    for _ in range(rng.randint(6, 10)):
                        t += int(rng.uniform(20, 80) * SEC)
                        evs.append((t, 8, rng.randint(100, 400)))
            for t, act, hits in evs:
                if t >= T_END:
                    continue
                hh = host if host is not None else 6 + rng.randrange(3)
                dur = int(DURMED_US[act] * rng.lognormvariate(0, 0.5)) * 1000
                bk[(t - UBASE) // DAY].append((t, s.idx, act, hits, -1, s.ip, hh, dur, 200, tag, s.ua))

    # ------------------------------------------------------------------ rendering
    @staticmethod
    def fmt_ts(t):
        u = (t - UBASE) // DAY
        rem = t - UBASE - u * DAY
        s, us = divmod(rem, SEC)
        hh, s = divmod(s, 3600)
        mm, ss = divmod(s, 60)
        return "%sT%02d:%02d:%02d.%06dZ" % (UDATES[u], hh, mm, ss, us)

    def render(self, e):
        t, ai, act, hits, ben, ip, host, dur, status, tag, ua = e
        ts = self.fmt_ts(t)
        hs = ('"%d"' % hits) if host in STRING_HITS_HOSTS else str(hits)
        if ben >= 0:
            b = ben_str(ben)
            path = ACT_PATH[act] + b + ("/parcours" if act == 2 else "")
            bf = ',"beneficiary":{"id":"%s"}' % b
        else:
            path = ACT_PATH[act]
            bf = ""
        return ('{"@timestamp":"%s","event":{"action":"%s","outcome":"%s","duration":%d},%s,'
                '"source":{"ip":"%s"},"user_agent":{"original":"%s"},"url":{"path":"%s"},'
                '"http":{"request":{"method":"%s"},"response":{"status_code":%d,"hits":%s}}%s,%s}') % (
            ts, ACT_NAME[act], "success" if status == 200 else "failure", dur, self.frag[ai], ip, ua, path,
            ACT_METHOD[act], status, hs, bf, HOSTFRAG[host])

    def build_frags(self):
        self.frag = []
        for a in self.accts:
            o = self.orgs[a.org]
            self.frag.append('"user":%s,"organization":%s' % (
                json.dumps({"id": a.uid, "name": a.name, "roles": a.roles}, ensure_ascii=False, separators=(",", ":")),
                json.dumps({"id": o.oid, "name": o.name}, ensure_ascii=False, separators=(",", ":"))))

    def gen_noise(self, d, n_day):
        """healthchecks, login failures, corrupt lines for local day d (never attacks)."""
        rng = self.rng
        base = T0 + d * DAY
        out = []
        for _ in range(int(n_day * 0.0027 + rng.random())):
            t = base + rng.randrange(DAY)
            h = rng.randrange(10)
            line = ('{"@timestamp":"%s","event":{"action":"healthcheck","outcome":"success",'
                    '"duration":%d},"source":{"ip":"10.10.0.%d"},"user_agent":{"original":"%s"},'
                    '"url":{"path":"/healthz"},"http":{"request":{"method":"GET"},"response":{"status_code":200}},%s}') % (
                self.fmt_ts(t), rng.randint(300, 4000) * 1000, rng.randint(2, 9),
                rng.choice(["kube-probe/1.29", "HAProxy-healthcheck/2.8"]), HOSTFRAG[h])
            out.append((t, line))
        for _ in range(int(n_day * 0.0018 + rng.random())):
            a = rng.choice(self.humans)
            h = rng.uniform(7.5, 18.5) if wd(d) < 5 else rng.uniform(0, 24)
            t = base + int(h * HOUR) + rng.randrange(SEC)
            if rng.random() < 0.2:
                user = json.dumps({"id": a.name.lower().replace(" ", ".")}, ensure_ascii=False, separators=(",", ":"))
            else:
                user = json.dumps({"id": a.uid, "name": a.name}, ensure_ascii=False, separators=(",", ":"))
            ip = rng.choice(self.orgs[a.org].ips) if rng.random() < 0.7 else a.ip_home
            line = ('{"@timestamp":"%s","event":{"action":"auth.login","outcome":"failure",'
                    '"reason":"%s","duration":%d},"user":%s,"source":{"ip":"%s"},"user_agent":{"original":"%s"},'
                    '"url":{"path":"/auth/login"},"http":{"request":{"method":"POST"},"response":{"status_code":401}},%s}') % (
                self.fmt_ts(t), rng.choice(["invalid_credentials", "invalid_credentials", "otp_failed",
                                                "account_locked", "password_expired"]),
                rng.randint(80, 600) * 1000, user, ip, a.ua, HOSTFRAG[rng.randrange(6)])
            out.append((t, line))
        src = self.buckets[d + 1]
        for _ in range(int(n_day * 0.0005 + rng.random())):
            if not src:
                break
            e = src[rng.randrange(len(src))]
            if len(e) != 11 or e[9] != 0:
                continue
            full = self.render(e)
            if rng.random() < 0.1:
                line = full[:rng.randint(10, 60)] + "\x00" * rng.randint(20, 200)
            else:
                line = full[:int(len(full) * rng.uniform(0.15, 0.9))]
            out.append((e[0] + rng.randrange(1, 500), line))
        for t, line in out:
            if T0 <= t < T_END:
                self.buckets[(t - UBASE) // DAY].append((t, line))

    def flush(self, u, outdir, allf):
        evs = self.buckets[u]
        self.buckets[u] = None
        if not evs:
            return
        evs.sort(key=itemgetter(0))
        lines = []
        ap = lines.append
        ne = nr = nn = 0
        ts_ = self.tagstats
        seen = self.seen_accts
        render = self.render
        for e in evs:
            if len(e) == 2:
                ap(e[1])
                nn += 1
                continue
            ap(render(e))
            ne += 1
            nr += e[3]
            seen.add(e[1])
            tag = e[9]
            if tag:
                st = ts_.get(tag)
                if st is None:
                    ts_[tag] = st = [0, 0, e[0], e[0], []]
                st[0] += 1
                st[1] += e[3]
                st[3] = e[0]
                if e[1] not in st[4]:
                    st[4].append(e[1])
        data = ("\n".join(lines) + "\n").encode("utf-8")
        with gzip.open(os.path.join(outdir, "access-%s.jsonl.gz" % UDATES[u]), "wb", compresslevel=4) as f:
            f.write(data)
        allf.write(data)
        self.n_events += ne
        self.n_records += nr
        self.n_noise += nn
        self.daystats[UDATES[u]] = (ne, nr, nn)

    # ------------------------------------------------------------------ run
    def run(self, outdir, labels_path):
        os.makedirs(outdir, exist_ok=True)
        for fn in os.listdir(outdir):
            if fn.startswith("access-") and fn.endswith(".jsonl.gz"):
                os.remove(os.path.join(outdir, fn))
        tries = 0
        while True:
            self.orgs, self.accts = [], []
            self.build_orgs()
            tot = sum(o.members[0] for o in self.orgs)
            tries += 1
            if 1330 <= tot <= 1800 or tries > 50:
                break
        self.build_accounts()
        self.plan_calendar()
        self.plan_traps()
        self.plan_attacks()
        self.build_frags()
        with open(os.path.join(outdir, "all.jsonl"), "wb") as allf:
            for d in range(DAYS):
                before = sum(len(self.buckets[u]) for u in (d, d + 1, d + 2) if self.buckets[u] is not None)
                self.gen_humans(d)
                self.gen_services(d)
                after = sum(len(self.buckets[u]) for u in (d, d + 1, d + 2) if self.buckets[u] is not None)
                self.gen_noise(d, max(0, after - before))
                self.flush(d, outdir, allf)
            for u in range(DAYS, NUBUCKETS):
                if self.buckets[u]:
                    self.flush(u, outdir, allf)
        self.write_labels(labels_path)

    def write_labels(self, path):
        atk_out = []
        for i, spec in enumerate(self.attacks):
            st = self.tagstats.get(i + 1)
            if st is None:
                raise RuntimeError("attack %s produced no events" % spec["id"])
            accs = [self.accts[j].uid for j in st[4]]
            atk_out.append({"id": spec["id"], "shape": spec["shape"], "accounts": accs, "org": spec["org"],
                            "start": iso_local(st[2]), "end": iso_local(st[3]), "records": st[1],
                            "events": st[0], "difficulty": spec["difficulty"], "plan": spec["plan"]})
        ben = []
        for k, b in enumerate(self.benign):
            st = self.tagstats.get(-(k + 1))
            b = dict(b)
            if st is not None:
                b["start"], b["end"] = iso_local(st[2]), iso_local(st[3])
                b["events"], b["records"] = st[0], st[1]
            ben.append(b)
        lab = {"seed": self.seed, "time_zone": "Europe/Paris", "start": "2026-01-05T00:00:00+01:00",
               "end": "2026-03-02T00:00:00+01:00", "days": DAYS, "account_count": len(self.seen_accts),
               "events": self.n_events, "records": self.n_records, "noise_lines": self.n_noise,
               "organisations": len(self.orgs), "attacks": atk_out, "benign": ben}
        d = os.path.dirname(os.path.abspath(path))
        os.makedirs(d, exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(lab, f, ensure_ascii=False, indent=1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--labels", required=True)
    args = ap.parse_args()
    t = time.time()
    g = Gen(args.seed)
    g.run(args.outdir, args.labels)
    print("seed %d: %d events, %d records, %d noise lines, %d accounts, %d orgs, %d attacks, %.1fs" % (
        args.seed, g.n_events, g.n_records, g.n_noise, len(g.seen_accts), len(g.orgs), len(g.attacks),
        time.time() - t), file=sys.stderr)


if __name__ == "__main__":
    main()
