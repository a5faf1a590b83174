#!/usr/bin/env python3
"""altgen5.py -- independent synthetic access log for partner access to job seekers' files.

    python3 scripts/altgen5.py --seed S --out /tmp/ev5/kS.jsonl --labels /tmp/ev5/lkS.json

Output: JSON lines, one event per line, sorted by "horodatage".  Field names:

  horodatage          LOCAL Paris wall-clock time "YYYY-MM-DD HH:MM:SS.mmm", NO offset (naive).
                      The hour 02:00-03:00 of Sunday 29 March 2026 does not exist (DST).
  identifiant         account: e-mail style login for people (prenom.nom@domaine.fr),
                      "svc_<job>_<structure>" for service/integration accounts
  structure_id        organisation code: ML069-1 (mission locale), CAPE075-1 (Cap emploi),
                      CD059-1 (département), CAF013-1, OF033-1 (training body)
  profil              CONSEILLER, CONSEILLER_REFERENT, CHARGE_ACCUEIL, RESPONSABLE,
                      GESTIONNAIRE, INSTRUCTEUR, FORMATEUR, COMPTE_TECHNIQUE
  operation           CONNEXION, DECONNEXION, CONSULTATION, MISE_A_JOUR, RECHERCHE, EXPORT
  nb_enregistrements  integer: records returned (0 for CONNEXION / DECONNEXION, may be 0 for
                      an empty RECHERCHE)
  id_personne         person file opened ("6912345K": 7 digits + key letter); present only for
                      CONSULTATION and MISE_A_JOUR
  adresse_ip          client address (IPv4, some IPv6 for teleworkers)
  navigateur          user agent

Period: 63 days from Monday 2026-03-02 to Sunday 2026-05-03 (DST on 29 March, Good Friday
in Alsace (dept 67), Easter Monday 6 April, 1 May; winter school holidays of zone C until
8 March and spring school holidays of zones A/B/C).

Behaviour model (own habits): about 1,400 people in ~45 organisations, lognormal personal
activity levels by role, tasks = a file handled (view + updates on one person, drawn from a
personal portfolio) or a search (heavy-tailed result counts) or a rare export; personal office
hours with lunch breaks, Monday peak, short Fridays (some leave at noon), part-timers off on
Wednesday (or Wednesday afternoon), telework days (home IPs, some IPv6), browser upgrades,
meeting/training days, school-holiday leave by zone, random leave weeks, sick leave, new hires
ramping up, leavers, a few people doing evening or weekend catch-up at home.  Service accounts: nightly
paginated syncs (some scheduled in UTC, so their local time moves one hour at DST), hourly
delta pulls, real-time connectors (single-file reads in office hours), weekly and monthly jobs.

Labels (--labels): seed, time_zone, start, end (end exclusive), days, account_count, events,
records, attacks [{id, shape, accounts, org, start, end, records, events}] where start/end are
the first/last malicious event times and records/events count only malicious events, and
benign [{id, kind, accounts?, start, end}] (no "accounts" = concerns everyone).  Label times
are RFC 3339 with the Paris offset.  Standard library only; deterministic for a seed.
"""
import argparse
import datetime as dt
import json
import math
import sys
import time
import random
from collections import defaultdict
from operator import itemgetter

# ------------------------------------------------------------------ calendar
START = dt.date(2026, 3, 2)
NDAYS = 63
DAYS = [START + dt.timedelta(days=i) for i in range(NDAYS + 1)]
DI = {d: i for i, d in enumerate(DAYS)}
DSTR = [d.isoformat() for d in DAYS]
DAYMS = 86400000
HOUR = 3600000
DST_DAY = DI[dt.date(2026, 3, 29)]          # 02:00 CET -> 03:00 CEST
HOLIDAYS = {DI[dt.date(2026, 4, 6)]: "Lundi de Pâques", DI[dt.date(2026, 5, 1)]: "Fête du travail"}
ALSACE_HOLIDAY = DI[dt.date(2026, 4, 3)]    # Vendredi saint, Alsace-Moselle only
AFTER_HOLIDAY = {DI[dt.date(2026, 4, 7)]: 1.3}
# school holidays (first/last day inside the period), Mondays available for leave weeks
SCHOOL = {"A": (DI[dt.date(2026, 4, 4)], DI[dt.date(2026, 4, 19)], [35, 42]),
          "B": (DI[dt.date(2026, 4, 18)], DI[dt.date(2026, 5, 3)], [49, 56]),
          "C": (DI[dt.date(2026, 4, 11)], DI[dt.date(2026, 4, 26)], [42, 49])}
WINTER_C = (0, DI[dt.date(2026, 3, 8)])     # zone C winter holidays end on 8 March
ATTACK_FROM = 10
WD_F = [1.18, 1.05, 0.93, 1.0, 0.8, 0.0, 0.0]
SEC = ["%02d:%02d:%02d" % (s // 3600, s // 60 % 60, s % 60) for s in range(86400)]
LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def weekday(di):
    return DAYS[di].weekday()


def workday(di, dept=None):
    if weekday(di) >= 5 or di in HOLIDAYS:
        return False
    return not (di == ALSACE_HOLIDAY and dept in ("67", "68", "57"))


WORK = [i for i in range(NDAYS) if workday(i)]


def offset(di, ms):
    return "+01:00" if di < DST_DAY or (di == DST_DAY and ms < 2 * HOUR) else "+02:00"


def rfc(di, ms):
    return "%sT%s.%03d%s" % (DSTR[di], SEC[ms // 1000], ms % 1000, offset(di, ms))


def day_bound(di):
    return "%sT00:00:00%s" % (DSTR[di], offset(di, 0))


def check_offsets():
    try:
        from zoneinfo import ZoneInfo
        tz = ZoneInfo("Europe/Paris")
    except Exception:
        return
    for di, ms in ((0, 0), (DST_DAY, HOUR), (DST_DAY, 4 * HOUR), (NDAYS - 1, 0)):
        d = DAYS[di]
        t = dt.datetime(d.year, d.month, d.day, ms // HOUR, tzinfo=tz)
        o = t.utcoffset().total_seconds() / 3600
        assert "+%02d:00" % o == offset(di, ms), (di, ms, o)


# ------------------------------------------------------------------ population
FIRST = ("marie nathalie isabelle sylvie catherine sandrine celine aurelie julie camille lea sarah "
         "emilie laura manon chloe ines amandine karima fatima nadia sophie claire helene anne "
         "jean pierre michel philippe nicolas julien thomas alexandre kevin mehdi karim youssef "
         "david sebastien olivier christophe laurent franck mathieu antoine hugo lucas romain "
         "stephane vincent eric fabrice yannick samir rachid bruno cedric jeremy").split()
LAST = ("martin bernard dubois thomas robert richard petit durand leroy moreau simon laurent "
        "lefebvre michel garcia david bertrand roux vincent fournier morel girard andre lefevre "
        "mercier dupont lambert bonnet francois martinez legrand garnier faure rousseau blanc "
        "guerin muller henry roussel nicolas perrin morin mathieu clement gauthier dumont lopez "
        "fontaine chevalier robin masson sanchez gerard nguyen boyer denis lemaire duval joly "
        "gautier roger roche roy noel meyer lucas meunier jean perez marchand dufour blanchard "
        "benali haddad mansouri diallo traore kone camara ferreira da-silva").split()
DEPTS = [("69", "lyon", "A"), ("33", "bordeaux", "A"), ("38", "grenoble", "A"), ("21", "dijon", "A"),
         ("59", "lille", "B"), ("13", "marseille", "B"), ("44", "nantes", "B"), ("67", "strasbourg", "B"),
         ("35", "rennes", "B"), ("75", "paris", "C"), ("93", "saint-denis", "C"), ("31", "toulouse", "C"),
         ("34", "montpellier", "C"), ("78", "versailles", "C")]
# kind: (count range, median size, sigma, min, max, role shares)
KINDS = {
    "ML": ((16, 20), 30, 0.35, 12, 70, [("CONSEILLER", .70), ("CHARGE_ACCUEIL", .15), ("RESPONSABLE", .08), ("GESTIONNAIRE", .07)]),
    "CAPE": ((6, 8), 17, 0.3, 8, 35, [("CONSEILLER", .75), ("CHARGE_ACCUEIL", .10), ("RESPONSABLE", .08), ("GESTIONNAIRE", .07)]),
    "CD": ((5, 7), 62, 0.3, 35, 110, [("CONSEILLER_REFERENT", .55), ("INSTRUCTEUR", .20), ("GESTIONNAIRE", .12), ("CHARGE_ACCUEIL", .07), ("RESPONSABLE", .06)]),
    "CAF": ((4, 6), 45, 0.3, 25, 80, [("INSTRUCTEUR", .60), ("GESTIONNAIRE", .20), ("CHARGE_ACCUEIL", .12), ("RESPONSABLE", .08)]),
    "OF": ((7, 10), 8, 0.35, 4, 16, [("FORMATEUR", .70), ("GESTIONNAIRE", .15), ("RESPONSABLE", .15)]),
}
POOL = {"ML": 6000, "CAPE": 3000, "CD": 25000, "CAF": 30000, "OF": 900}
# role: events/day median, p_dossier, p_search, p_export, p_more (extra event on a file), search scale
ROLES = {"CONSEILLER": (30, .70, .295, .005, .55, 1.0), "CONSEILLER_REFERENT": (28, .72, .274, .006, .55, 1.0),
         "CHARGE_ACCUEIL": (45, .45, .549, .001, .30, 0.3), "RESPONSABLE": (12, .50, .44, .06, .30, 1.5),
         "GESTIONNAIRE": (35, .55, .43, .02, .50, 1.2), "INSTRUCTEUR": (40, .75, .245, .005, .60, 0.8),
         "FORMATEUR": (6, .80, .19, .01, .30, 0.6)}
ADVISORS = ("CONSEILLER", "CONSEILLER_REFERENT", "INSTRUCTEUR", "GESTIONNAIRE", "CHARGE_ACCUEIL")
UAS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36 Edg/%d.0.0.0",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:%d.0) Gecko/20100101 Firefox/%d.0",
       "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/19.%d Safari/605.1.15"]
TOOL_UAS = ["python-requests/2.31.0", "Apache-HttpClient/4.5.14 (Java/17.0.10)", "Talend-ESB/8.0.1", "curl/8.5.0",
            "okhttp/4.12.0", "Go-http-client/2.0", "Mozilla/5.0 (Windows NT; Windows NT 10.0; fr-FR) WindowsPowerShell/5.1"]


class Org:
    pass


class Acct:
    __slots__ = ("idx", "name", "org", "role", "human", "level", "start", "end", "absent", "off_wd", "half_wd",
                 "s_h", "l_h", "l_len", "e_h", "fri_e", "fri_noon", "tele", "home", "site", "ua", "ua2", "ua_day",
                 "port", "evening", "weekend", "mult", "extra", "special", "mix", "scale", "job", "pre")


def rip(r, firsts):
    return "%d.%d.%d.%d" % (r.choice(firsts), r.randint(1, 254), r.randint(0, 255), r.randint(1, 254))


def home_ip(r):
    if r.random() < 0.15:
        return "2a01:cb%02x:%x:%x:%x:%x:%x:%x" % tuple(r.randint(0, 0xffff) for _ in range(7))
    return rip(r, [2, 37, 77, 78, 82, 83, 86, 88, 90, 91, 92, 109, 176])


def browser(r):
    k = r.randrange(10)
    if k < 5:
        v = r.choice([145, 146, 146, 147])
        return UAS[0] % (v, v), UAS[0] % (v + 1, v + 1)
    if k < 7:
        v = r.choice([145, 146, 147])
        return UAS[1] % v, UAS[1] % (v + 1)
    if k < 9:
        v = r.choice([140, 147, 148])
        return UAS[2] % (v, v), UAS[2] % (v + 1, v + 1)
    return UAS[3] % 3, UAS[3] % 4


def esc(s):
    return json.dumps(s, ensure_ascii=False)


class World:
    def __init__(self, r):
        self.r = r
        self.orgs, self.accts, self.names, self.benign = [], [], set(), []
        self.build_orgs()
        for o in self.orgs:
            for _ in range(o.size):
                self.new_person(o, self.pick_role(o), 0)
        self.lifecycle()
        self.services()

    def build_orgs(self):
        r = self.r
        depts = list(DEPTS)
        for kind, (cnt, med, sig, lo, hi, roles) in KINDS.items():
            n = r.randint(*cnt)
            if kind == "ML":      # every department has a mission locale, big ones have several
                chosen = depts + [r.choice(depts) for _ in range(max(0, n - len(depts)))]
            elif kind == "OF":
                chosen = [r.choice(depts) for _ in range(n)]
            else:                 # one per department
                chosen = r.sample(depts, n)
            per = defaultdict(int)
            for dep, city, zone in chosen:
                per[dep] += 1
                o = Org()
                o.kind, o.dept, o.zone, o.n = kind, dep, zone, per[dep]
                o.id = "%s%03d-%d" % (kind, int(dep), per[dep])
                o.domain = {"ML": "ml-%s%s.fr" % (city, "" if per[dep] == 1 else per[dep]),
                            "CAPE": "capemploi%s.fr" % dep, "CD": "departement%s.fr" % dep,
                            "CAF": "caf%s.cnafmail.fr" % dep,
                            "OF": "%s-%s.fr" % (r.choice(["greta", "afec", "ifpa", "infrep", "formapro", "cnam"]), city)}[kind]
                o.size = max(lo, min(hi, int(r.lognormvariate(math.log(med), sig))))
                o.roles = roles
                o.sites = [rip(r, [62, 80, 81, 193, 194, 195, 212, 213, 217]) for _ in range(r.choice([1, 1, 2, 3]))]
                o.dc = rip(r, [51, 62, 91, 185, 193, 212])
                o.pool_base = int(dep) * 100000 + r.randint(0, 40000)
                o.pool = POOL[kind]
                o.accts = []
                self.orgs.append(o)

    def pick_role(self, o):
        u, c = self.r.random(), 0
        for role, p in o.roles:
            c += p
            if u < c:
                return role
        return o.roles[0][0]

    def login(self, o, prefix=""):
        r = self.r
        while True:
            n = "%s%s.%s" % (prefix, r.choice(FIRST), r.choice(LAST))
            for k in ("", "2", "3", "4", "5"):
                if n + k + "@" + o.domain not in self.names:
                    name = n + k + "@" + o.domain
                    self.names.add(name)
                    return name

    def new_person(self, o, role, start, name=None):
        r = self.r
        a = Acct()
        a.idx, a.org, a.role, a.human = len(self.accts), o, role, True
        a.name = name or self.login(o)
        med, pd, ps, pe, pm, sc = ROLES[role]
        a.level = max(2.0, med * r.lognormvariate(0, 0.6))
        j = r.uniform(0.85, 1.15)
        a.mix = (pd * j / (pd * j + ps + pe), (pd * j + ps) / (pd * j + ps + pe), min(0.8, pm * r.uniform(0.7, 1.3)))
        a.scale = sc * r.lognormvariate(0, 0.5)
        a.start, a.end, a.absent = start, NDAYS, set()
        pt = r.random()
        a.off_wd = {2} if pt < 0.10 else ({4} if pt < 0.13 else set())
        a.half_wd = 2 if 0.13 <= pt < 0.20 else -1
        a.s_h = min(10.0, max(7.3, r.gauss(8.7, 0.45)))
        a.l_h = r.gauss(12.25, 0.3)
        a.l_len = r.uniform(0.6, 1.5)
        a.e_h = min(19.0, max(15.5, r.gauss(17.3, 0.6)))
        a.fri_e = min(a.e_h, r.gauss(16.0, 0.7))
        a.fri_noon = r.random() < 0.22
        tele_wd = r.sample([0, 1, 3, 4], r.choice([0, 0, 1, 1, 2])) if role != "CHARGE_ACCUEIL" else []
        a.tele = {di for di in range(NDAYS) if weekday(di) in tele_wd and r.random() < 0.85}
        a.home = [home_ip(r), home_ip(r), r.randint(0, NDAYS)]
        a.site = r.choice(o.sites)
        a.ua, a.ua2 = browser(r)
        a.ua_day = r.randint(5, NDAYS + 30)
        a.port = [o.pool_base + r.randrange(o.pool) for _ in range(r.randint(40, 200))]
        a.evening = r.random() < 0.05 and bool(tele_wd)
        a.weekend = 0.12 if r.random() < 0.04 else 0.0      # occasional weekend catch-up at home
        a.mult, a.extra, a.special, a.job = {}, {}, defaultdict(list), None
        self.add(a)
        return a

    def add(self, a):
        a.pre = '","identifiant":%s,"structure_id":%s,"profil":%s,"operation":"' % (esc(a.name), esc(a.org.id), esc(a.role))
        self.accts.append(a)
        a.org.accts.append(a)

    # leave, sickness, hires, leavers
    def lifecycle(self):
        r = self.r
        returns = defaultdict(list)
        zone_away = defaultdict(list)
        for a in self.accts:
            z = a.org.zone
            blocks = []
            if r.random() < 0.38:               # parent: leave in the school holidays of the zone
                if z == "C" and r.random() < 0.45:
                    blocks.append((0, 1 if r.random() < 0.55 else 2, True))   # from 23 Feb or 2 Mar
                mondays = SCHOOL[z][2]
                if r.random() < 0.45:
                    blocks.append((mondays[0], 2, False))
                else:
                    blocks.append((r.choice(mondays), 1, False))
            else:
                u = r.random()
                if u < 0.22:
                    blocks.append((r.choice([7, 14, 21, 28, 35, 35, 42, 49, 56]), 1, False))
                elif u < 0.28:
                    blocks.append((r.choice([14, 28, 35, 42, 49]), 2, False))
            for m, w, winter in blocks:
                if winter:   # weeks starting 23 Feb (w=2) or 2 Mar (w=1): away until Friday 6 March
                    first, last, back, weeks = 0, 4, 7, w
                else:
                    first, last, back, weeks = max(0, m - 2), m + 7 * w - 3, m + 7 * w, w
                a.absent.update(range(first, min(last, NDAYS - 1) + 1))
                if first <= SCHOOL[z][1] and last >= SCHOOL[z][0] or winter:
                    zone_away[z + ("_hiver" if winter else "")].append(a.name)
                while back < NDAYS and not workday(back, a.org.dept):
                    back += 1
                if back < NDAYS:
                    if weeks >= 2:          # backlog: 2-3x on the first day back, a bit more the next
                        boost(a, back, r.uniform(2.0, 3.0))
                        nxt = back + 1
                        while nxt < NDAYS and not workday(nxt, a.org.dept):
                            nxt += 1
                        if nxt < NDAYS:
                            boost(a, nxt, r.uniform(1.2, 1.5))
                        returns[back].append(a.name)
                    else:
                        a.mult[back] = a.mult.get(back, 1) * r.uniform(1.05, 1.4)
            if r.random() < 0.09:               # sick leave
                s = r.randrange(NDAYS - 2)
                a.absent.update(range(s, min(NDAYS, s + r.randint(1, 12))))
        for d in sorted(returns):
            self.benign.append({"kind": "return_from_leave", "accounts": sorted(returns[d]), "start": day_bound(d), "end": day_bound(d + 1)})
        for z in sorted(zone_away):
            if z == "C_hiver":
                s, e = WINTER_C
            else:
                s, e = SCHOOL[z][:2]
            self.benign.append({"kind": "school_holidays_zone_" + z, "accounts": sorted(zone_away[z]), "start": day_bound(s), "end": day_bound(e + 1)})
        # individual hires and leavers (existing population, random)
        for a in r.sample(self.accts, len(self.accts) // 80):
            a.start = r.randint(3, 55)
            for k in range(6):
                a.mult[a.start + k] = a.mult.get(a.start + k, 1) * (0.3 + 0.14 * k)
            self.benign.append({"kind": "new_hire", "accounts": [a.name], "start": day_bound(a.start), "end": day_bound(min(NDAYS, a.start + 14))})
        for a in r.sample(self.accts, len(self.accts) // 120):
            if a.start == 0:
                a.end = r.randint(20, NDAYS - 1)

    def services(self):
        r = self.r
        n = r.randint(16, 28)
        kinds = ["nightly", "nightly", "weekly", "weekly", "monthly", "connector", "hourly"]
        while len(kinds) < n:
            kinds.append(r.choices(["nightly", "hourly", "connector", "weekly", "monthly"], [35, 25, 15, 15, 10])[0])
        big = [o for o in self.orgs if o.kind in ("CD", "CAF")]
        used = defaultdict(int)
        for k in kinds:
            o = r.choice(big) if r.random() < 0.7 else r.choice(self.orgs)
            a = Acct()
            a.idx, a.org, a.role, a.human = len(self.accts), o, "COMPTE_TECHNIQUE", False
            used[(k, o.id)] += 1
            a.name = "svc_%s_%s%s" % ({"nightly": "flux-nuit", "hourly": "delta", "connector": "connecteur",
                                       "weekly": "hebdo", "monthly": "stats-mois"}[k], o.id.lower(),
                                      "" if used[(k, o.id)] == 1 else "-%d" % used[(k, o.id)])
            a.site, a.ua = o.dc, r.choice(TOOL_UAS)
            a.start, a.end, a.absent, a.mult = 0, NDAYS, set(), {}
            job = {"kind": k, "utc": r.random() < 0.4, "page": r.choice([250, 500, 1000]), "step": None}
            if k == "nightly":
                job.update(t=r.uniform(0.5, 4.5), vol=min(40000, max(800, r.lognormvariate(math.log(6000), 0.8))),
                           wd=set(range(7)) if r.random() < 0.5 else {1, 2, 3, 4, 5})
            elif k == "hourly":
                job.update(m=r.randint(0, 59), base=r.uniform(20, 300), h=(7, 20) if r.random() < 0.6 else (0, 24))
                job["utc"] = False
            elif k == "connector":
                job.update(base=r.uniform(300, 2500))
            elif k == "weekly":
                job.update(t=r.uniform(2.0, 6.0), vol=r.uniform(10000, 60000), wd={r.choice([0, 6])}, page=1000)
            else:
                job.update(t=r.uniform(3.0, 6.0), vol=r.uniform(30000, 150000), page=r.choice([1000, 2000]))
            a.job = job
            self.add(a)
        nightly = [a for a in self.accts if a.job and a.job["kind"] == "nightly"]
        st = r.choice(nightly)
        st.job["step"] = r.randint(15, 50)
        self.benign.append({"kind": "service_volume_step", "accounts": [st.name], "start": day_bound(st.job["step"]), "end": day_bound(NDAYS)})
        for a in self.accts:
            if a.job and a.job["kind"] == "monthly":
                for di in range(NDAYS):
                    if DAYS[di].day == 1:
                        self.benign.append({"kind": "monthly_batch", "accounts": [a.name], "start": day_bound(di), "end": day_bound(di + 1)})


# ------------------------------------------------------------------ behaviour
def pid_str(n):
    return "%07d%s" % (n, LETTERS[n % 23])


def search_size(r, scale):
    u = r.random()
    if u < 0.08:
        return 0
    if u < 0.55:
        return r.randint(1, 5)
    if u < 0.93:
        return min(200, max(6, int(r.randint(6, 50) * scale)))
    return min(400, max(51, int(r.randint(51, 200) * scale)))


def task(r, a, t, ip, ua, tag, out):
    """one unit of work starting at t; returns (events, records)"""
    u = r.random()
    o = a.org
    if u < a.mix[0]:
        n = a.port[r.randrange(len(a.port))] if r.random() < 0.75 else o.pool_base + r.randrange(o.pool)
        p = pid_str(n)
        out.append((t, a.idx, "CONSULTATION", 1, p, ip, ua, tag))
        k = 1
        while r.random() < a.mix[2] and k < 7:
            t += 2000 + int(r.expovariate(1 / 40000.0))
            out.append((t, a.idx, "MISE_A_JOUR" if r.random() < 0.45 else "CONSULTATION", 1, p, ip, ua, tag))
            k += 1
        return k, k
    if u < a.mix[1]:
        nb = search_size(r, a.scale)
        out.append((t, a.idx, "RECHERCHE", nb, None, ip, ua, tag))
        k = 1
        for _ in range(r.choice([0, 0, 1, 1, 2]) if nb else 0):
            t += 4000 + int(r.expovariate(1 / 25000.0))
            out.append((t, a.idx, "CONSULTATION", 1, pid_str(o.pool_base + r.randrange(o.pool)), ip, ua, tag))
            k += 1
        return k, nb + k - 1
    nb = max(20, min(3000, int(r.lognormvariate(math.log(220), 0.6))))
    out.append((t, a.idx, "EXPORT", nb, None, ip, ua, tag))
    return 1, nb


def emit(r, a, n, blocks, ip, ua, tag, out, login=True, logout=True, rec_target=None):
    """a working day (or the malicious extra of one): n events, or rec_target records if given"""
    tot = sum(e - s for s, e in blocks)
    if tot <= 0 or n <= 0:
        return 0, 0
    ev = rec = 0
    if login:
        for s, e in blocks:
            out.append((s + r.randint(0, 90000), a.idx, "CONNEXION", 0, None, ip, ua, tag))
            ev += 1
    tries = 0
    while (ev < n) if rec_target is None else (rec < rec_target):
        x = r.random() * tot
        for s, e in blocks:
            if x < e - s:
                t = s + int(x)
                break
            x -= e - s
        mark = len(out)
        k, nr = task(r, a, t, ip, ua, tag, out)
        if rec_target is not None and rec + nr > 1.25 * rec_target + 5 and tries < 30:
            del out[mark:]          # keep a malicious extra close to its target
            tries += 1
            continue
        ev += k
        rec += nr
    if logout and r.random() < 0.6:
        out.append((blocks[-1][1] + r.randint(0, 60000), a.idx, "DECONNEXION", 0, None, ip, ua, tag))
        ev += 1
    return ev, rec


def blocks_for(r, a, di, base=0):
    wd = weekday(di)
    s = a.s_h + r.gauss(0, 0.2)
    l1 = max(s + 1.5, a.l_h + r.gauss(0, 0.15))
    l2 = l1 + max(0.5, a.l_len + r.gauss(0, 0.1))
    e = (a.fri_e if wd == 4 else a.e_h) + r.gauss(0, 0.3)
    b = [(s, l1)]
    if not ((wd == 4 and a.fri_noon) or wd == a.half_wd) and e > l2 + 0.5:
        b.append((l2, e))
    if a.evening and di in a.tele and r.random() < 0.3:
        h = r.uniform(19.8, 20.6)
        b.append((h, h + r.uniform(0.5, 1.5)))
    return [(base + int(x * HOUR), base + int(y * HOUR)) for x, y in b]


def ip_for(a, di):
    if di in a.tele:
        return a.home[0] if di < a.home[2] else a.home[1]
    return a.site


def ua_for(a, di):
    return esc(a.ua if di < a.ua_day else a.ua2)


def present(a, di):
    return (a.start <= di < a.end and di not in a.absent and workday(di, a.org.dept)
            and weekday(di) not in a.off_wd)


TYPICAL = {}


def normal_day(a):
    """records of an ordinary day of this account: mid-way between median and mean of 25
    simulated days (daily records are heavy-tailed).  Used to size benign boosts and attacks."""
    if a.idx not in TYPICAL:
        rr = random.Random(a.idx * 7919 + 17)
        est = sorted(emit(rr, a, int(a.level), blocks_for(rr, a, 8), "", "", None, [])[1] for _ in range(25))
        TYPICAL[a.idx] = (est[12], (est[12] + sum(est) / 25.0) / 2)
    return TYPICAL[a.idx][1]


def boost(a, di, fac):
    """a benign day at about fac times the usual volume (backlog, migration): extra records"""
    a.extra[di] = a.extra.get(di, 0) + (fac - 1) * normal_day(a)


def human_day(r, a, di, out):
    if (a.weekend and weekday(di) >= 5 and a.start <= di < a.end and di not in a.absent
            and r.random() < a.weekend):
        h = r.uniform(9.5, 17.5)
        b = [(int(h * HOUR), int((h + r.uniform(0.4, 1.5)) * HOUR))]
        emit(r, a, int(a.level * r.uniform(0.1, 0.3)) + 2, b, a.home[0], ua_for(a, di), None, out)
        return
    if not present(a, di):
        return
    f = WD_F[weekday(di)] * r.lognormvariate(0, 0.3) * a.mult.get(di, 1.0) * AFTER_HOLIDAY.get(di, 1.0)
    u = r.random()
    if u < 0.07:
        f *= 0.3                     # meetings, training, collective information sessions
    elif u < 0.10:
        f *= 1.7
    ip, ua = ip_for(a, di), ua_for(a, di)
    b = blocks_for(r, a, di)
    emit(r, a, int(a.level * f + r.random()), b, ip, ua, None, out)
    if di in a.extra:
        emit(r, a, 1, b, ip, ua, None, out, login=False, logout=False, rec_target=a.extra[di])
    for nb, when in a.special.get(di, ()):          # benign extra exports (reporting, migration)
        t = b[0][0] + int(when * (b[-1][1] - b[0][0]))
        out.append((t, a.idx, "EXPORT", nb, None, ip, ua, None))


def activity(di):
    """share of normal human activity on a day (for connectors and delta pulls)"""
    if di in HOLIDAYS or weekday(di) == 6:
        return 0.03
    if weekday(di) == 5:
        return 0.08
    return WD_F[weekday(di)] * AFTER_HOLIDAY.get(di, 1.0)


def service_day(r, a, di, push):
    j = a.job
    ip, ua = a.site, esc(a.ua)
    k = j["kind"]

    def batch(t_h, vol, op="EXPORT"):
        base = di * DAYMS + int(t_h * HOUR)
        if j["utc"]:                          # cron in UTC: local time moves by one hour at DST
            base += HOUR if di < DST_DAY or (di == DST_DAY and t_h < 1.0) else 2 * HOUR
        t = base + r.randint(0, 20000)
        push(t, a.idx, "CONNEXION", 0, None, ip, ua)
        left = int(vol)
        while left > 0:
            nb = min(j["page"], left)
            t += r.randint(800, 9000)
            push(t, a.idx, op, nb, None, ip, ua)
            left -= nb

    if k == "nightly" and weekday(di) in j["wd"]:
        v = j["vol"] * r.lognormvariate(0, 0.12) * (2 if j["step"] is not None and di >= j["step"] else 1)
        if weekday(di) in (0, 6) and len(j["wd"]) == 7:
            v *= 0.35
        batch(j["t"], v)
        if r.random() < 0.03:
            batch(j["t"] + 0.5, v * r.uniform(0.1, 0.4))      # failed run, partial retry
    elif k == "weekly" and weekday(di) in j["wd"]:
        batch(j["t"], j["vol"] * r.lognormvariate(0, 0.1))
    elif k == "monthly" and DAYS[di].day == 1:
        batch(j["t"], j["vol"] * r.lognormvariate(0, 0.05))
    elif k == "hourly":
        for h in range(*j["h"]):
            prof = 1.0 if 8 <= h < 18 else 0.15
            nb = int(j["base"] * prof * activity(di) * r.lognormvariate(0, 0.4))
            t = di * DAYMS + h * HOUR + j["m"] * 60000 + r.randint(0, 15000)
            while True:
                push(t, a.idx, "RECHERCHE", min(nb, 100), None, ip, ua)
                nb -= 100
                t += r.randint(300, 2000)
                if nb <= 0:
                    break
    elif k == "connector":
        n = int(j["base"] * activity(di) * r.lognormvariate(0, 0.2))
        o = a.org
        for _ in range(n):
            h = r.uniform(8.3, 12.4) if r.random() < 0.55 else r.uniform(13.5, 17.8)
            push(di * DAYMS + int(h * HOUR), a.idx, "CONSULTATION", 1, pid_str(o.pool_base + r.randrange(o.pool)), ip, ua)


# ------------------------------------------------------------------ benign surprises
def plan_benign(r, W):
    B = W.benign
    managers = [a for a in W.accts if a.human and a.role == "RESPONSABLE" and a.start == 0]
    # national reporting deadline: managers of many organisations export on the same 1-2 days
    d0 = r.choice([d for d in WORK if 14 <= d <= 55])
    days = [d0] + ([WORK[WORK.index(d0) + 1]] if r.random() < 0.6 else [])
    acc = []
    for o in W.orgs:
        if r.random() < 0.7:
            ms = [a for a in o.accts if a in managers] or [a for a in o.accts if a.human and a.role == "GESTIONNAIRE"][:1]
            for a in ms:
                pd = [x for x in days if present(a, x)]
                if pd:
                    for _ in range(r.randint(2, 4)):
                        a.special[r.choice(pd)].append((r.randint(200, 2000), r.random()))
                    acc.append(a.name)
    B.append({"kind": "national_reporting_deadline", "accounts": sorted(acc), "start": day_bound(days[0]), "end": day_bound(days[-1] + 1)})
    # month-end statistics: last two working days of March and April
    for month in (3, 4):
        last = [d for d in WORK if DAYS[d].month == month][-2:]
        acc = []
        for a in managers:
            pd = [x for x in last if present(a, x)]
            if pd and r.random() < 0.7:
                for _ in range(r.randint(1, 3)):
                    a.special[r.choice(pd)].append((r.randint(100, 600), r.random()))
                acc.append(a.name)
        B.append({"kind": "month_end_statistics", "accounts": sorted(acc), "start": day_bound(last[0]), "end": day_bound(last[-1] + 1)})
    # new team of 10 advisors in one organisation
    team_org = r.choice([o for o in W.orgs if o.kind in ("ML", "CAPE", "CD")])
    d = r.choice([21, 28, 36, 42, 49])
    team = []
    for _ in range(10):
        a = W.new_person(team_org, "CONSEILLER_REFERENT" if team_org.kind == "CD" else "CONSEILLER", d)
        a.absent = set()
        a.mult = {d: 0.6, d + 1: 0.8}
        team.append(a.name)
    B.append({"kind": "new_team", "accounts": sorted(team), "start": day_bound(d), "end": day_bound(NDAYS)})
    # one organisation migrates to a new case-management tool: two days of re-imports
    mig_org = r.choice([o for o in W.orgs if o.kind in ("ML", "CD", "CAF") and o is not team_org and len(o.accts) >= 15])
    i = r.choice([k for k, dd in enumerate(WORK) if 12 <= dd <= 55 and k + 1 < len(WORK)])
    mdays = WORK[i:i + 2]
    cands = [a for a in mig_org.accts if a.human and all(present(a, x) for x in mdays)]
    acc = []
    for a in r.sample(cands, min(len(cands), r.randint(4, 8))):
        for x in mdays:               # re-reading and re-importing their files: 3-5x their usual day
            boost(a, x, r.uniform(3, 5))
        acc.append(a.name)
    B.append({"kind": "tool_migration", "accounts": sorted(acc), "start": day_bound(mdays[0]), "end": day_bound(mdays[-1] + 1)})
    # calendar
    B.append({"kind": "dst_change", "start": day_bound(DST_DAY - 1), "end": day_bound(DST_DAY + 1)})
    e = DI[dt.date(2026, 4, 6)]
    B.append({"kind": "easter_monday", "start": day_bound(e), "end": day_bound(e + 2)})
    B.append({"kind": "public_holiday", "start": day_bound(DI[dt.date(2026, 5, 1)]), "end": day_bound(DI[dt.date(2026, 5, 1)] + 1)})
    alsace = sorted(a.name for a in W.accts if a.human and a.org.dept in ("67", "68", "57"))
    if alsace:
        B.append({"kind": "regional_holiday_good_friday", "accounts": alsace, "start": day_bound(ALSACE_HOLIDAY), "end": day_bound(ALSACE_HOLIDAY + 1)})
    return {team_org.id, mig_org.id}


# ------------------------------------------------------------------ attacks
VPS = [5, 23, 31, 45, 51, 64, 89, 103, 141, 146, 152, 167, 185, 194, 198]


def plan_attacks(r, W, busy_orgs, push):
    labelled = set()
    for b in W.benign:
        if b["kind"] not in ("regional_holiday_good_friday",) and not b["kind"].startswith("school"):
            labelled.update(b.get("accounts", ()))
    used = set()
    shapes = ["bulk_extraction", "low_and_slow", "new_account", "org_wide", "off_hours"]
    shapes += [r.choice(shapes) for _ in range(r.randint(1, 3))]
    r.shuffle(shapes)
    atks = []

    def ok(a, days, lo=8.0):
        return (a.human and a.role in ADVISORS and a.start == 0 and a.end >= NDAYS and a.name not in labelled
                and a.idx not in used and a.level >= lo and not a.evening and not a.weekend and all(present(a, d) for d in days))

    def vic(days, lo=8.0, min_median=40):
        c = [a for a in W.accts if ok(a, days, lo)]
        r.shuffle(c)
        for a in c:
            normal_day(a)
            if TYPICAL[a.idx][0] >= min_median:
                break
        used.add(a.idx)
        return a

    for n, shape in enumerate(shapes):
        aid = "A%d" % (n + 1)
        out = []
        note = ""
        if shape == "bulk_extraction":
            mode = r.choice(["office", "evening", "weekend"])
            if mode == "weekend":
                di = r.choice([d for d in range(ATTACK_FROM, NDAYS) if weekday(d) >= 5 and d != DST_DAY])
                a = vic([])
                t0 = r.uniform(10, 19)
            else:
                di = r.choice([d for d in WORK if d >= ATTACK_FROM])
                a = vic([di])
                t0 = r.uniform(9.5, 15.5) if mode == "office" else r.uniform(18.5, 21.0)
            dur = r.uniform(1, 3) * HOUR
            total = r.uniform(20000, 120000)          # records; page 0 = variable sizes 50-500
            page = r.choice([p for p in (0, 100, 200, 250, 500) if 150 <= total / (p or 275) <= 800])
            avg = page or 275
            nreq = int(total / avg) + 1
            ip = rip(r, VPS)
            ua = esc(r.choice(TOOL_UAS[:2]) if r.random() < 0.5 else a.ua)
            t = di * DAYMS + int(t0 * HOUR)
            out.append((t, a.idx, "CONNEXION", 0, None, ip, ua))
            op = "EXPORT" if r.random() < 0.25 else "RECHERCHE"
            for k in range(nreq):
                tt = t + int((k + r.random()) * dur / nreq)
                if k and k % 150 == 0:
                    out.append((tt - 500, a.idx, "CONNEXION", 0, None, ip, ua))
                out.append((tt, a.idx, op, page if page and r.random() < 0.97 else r.randint(50, 500), None, ip, ua))
            note = "%s, %d requests over %.1fh" % (mode, nreq, dur / HOUR)
            org, accs = a.org, [a]
        elif shape == "low_and_slow":
            L = r.randint(5, 10)
            i = r.choice([k for k, d in enumerate(WORK) if d >= ATTACK_FROM and k + L <= len(WORK)])
            days = WORK[i:i + L]
            a = vic(days)
            fac = r.uniform(2, 4)
            same = r.random() < 0.5
            ext = home_ip(r)
            for d in days:
                ip = ip_for(a, d) if same else ext
                n = (fac - 1) * normal_day(a) * WD_F[weekday(d)] * r.lognormvariate(0, 0.15)
                emit(r, a, 1, blocks_for(r, a, d, d * DAYMS), ip, ua_for(a, d), None, out, login=not same, logout=False, rec_target=n)
            out = [x[:7] for x in out]
            note = "x%.1f for %d working days (%s IP)" % (fac, L, "victim's" if same else "other residential")
            org, accs = a.org, [a]
        elif shape == "new_account":
            o = r.choice([o for o in W.orgs if o.kind in ("ML", "CD", "CAPE", "CAF") and o.id not in busy_orgs])
            style = r.random()
            name = W.login(o, prefix="" if style < 0.6 else r.choice(["ext.", "support.", "stagiaire."]))
            a = W.new_person(o, r.choice(["CONSEILLER", "GESTIONNAIRE"] if o.kind != "CAF" else ["INSTRUCTEUR"]), NDAYS, name)
            a.start = NDAYS           # never active on its own
            nd = r.randint(1, 3)
            d0 = r.randint(ATTACK_FROM, NDAYS - nd - 1)
            total = r.uniform(3000, 20000)
            ip = rip(r, VPS) if r.random() < 0.6 else home_ip(r)
            ua = esc(a.ua if r.random() < 0.6 else r.choice(TOOL_UAS))
            for k in range(nd):
                if nd == 1:
                    target = total
                else:                 # most of it on the first day
                    target = total * (0.6 if k == 0 else 0.4 / (nd - 1))
                h0 = r.uniform(8, 15) if r.random() < 0.6 else r.uniform(16, 21)
                t = (d0 + k) * DAYMS + int(h0 * HOUR)
                out.append((t, a.idx, "CONNEXION", 0, None, ip, ua))
                got = 0
                while got < target:
                    t += r.randint(3000, 45000)
                    u = r.random()
                    if u < 0.3:
                        out.append((t, a.idx, "CONSULTATION", 1, pid_str(o.pool_base + r.randrange(o.pool)), ip, ua))
                        got += 1
                    else:
                        nb = r.randint(100, 500) if u > 0.9 else r.randint(20, 200)
                        out.append((t, a.idx, "EXPORT" if u > 0.9 else "RECHERCHE", nb, None, ip, ua))
                        got += nb
            note = "%d day(s), target %d records" % (nd, total)
            org, accs = o, [a]
        elif shape == "org_wide":
            D = r.randint(2, 4)
            for _ in range(200):
                i = r.choice([k for k, d in enumerate(WORK) if d >= ATTACK_FROM and k + D <= len(WORK)])
                days = WORK[i:i + D]
                o = r.choice([o for o in W.orgs if o.id not in busy_orgs and o.kind in ("ML", "CD", "CAF", "CAPE")])
                c = [a for a in o.accts if ok(a, days, 6.0)]
                if len(c) >= 6:
                    break
            accs = r.sample(c, min(len(c), r.randint(4, 8)))
            ips = [rip(r, VPS) for _ in range(r.randint(1, 2))]
            facs = []
            for a in accs:
                used.add(a.idx)
                fac = r.uniform(2, 3)
                facs.append(fac)
                for d in days:
                    n = (fac - 1) * normal_day(a) * WD_F[weekday(d)] * r.lognormvariate(0, 0.15)
                    emit(r, a, 1, blocks_for(r, a, d, d * DAYMS), r.choice(ips), ua_for(a, d), None, out, logout=False, rec_target=n)
            out = [x[:7] for x in out]
            busy_orgs.add(o.id)
            note = "%d accounts x%.1f-%.1f for %d days" % (len(accs), min(facs), max(facs), D)
            org = o
        else:   # off_hours
            night = r.random() < 0.6
            if night:
                di = r.choice([d for d in WORK if d >= ATTACK_FROM and d + 1 < NDAYS and d + 1 != DST_DAY])
                a = vic([di])
                t0 = r.uniform(22, 25.5)
                t1 = min(29.0, t0 + r.uniform(1.5, 5))
            else:
                di = r.choice([d for d in range(ATTACK_FROM, NDAYS) if weekday(d) == 6 and d != DST_DAY])
                a = vic([])
                t0 = r.uniform(8, 16)
                t1 = t0 + r.uniform(2, 6)
            target = normal_day(a) * r.uniform(0.8, 1.3)     # about one ordinary day
            ip = rip(r, VPS) if r.random() < 0.5 else home_ip(r)
            ua = ua_for(a, di)
            s, e = di * DAYMS + int(t0 * HOUR), di * DAYMS + int(t1 * HOUR)
            out.append((s, a.idx, "CONNEXION", 0, None, ip, ua))
            got = emit(r, a, 1, [(s + 60000, e)], ip, ua, None, out, login=False, logout=False, rec_target=target)[1]
            out = [x[:7] for x in out]
            note = "%s, %.0f records" % ("night" if night else "sunday", got)
            org, accs = a.org, [a]
        for x in out:
            push(*x, tag=aid)
        atks.append({"id": aid, "shape": shape, "org": org.id, "accts": [a.idx for a in accs], "note": note})
    return atks


# ------------------------------------------------------------------ main
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--labels", required=True)
    args = ap.parse_args()
    t_start = time.time()
    check_offsets()
    r = random.Random(args.seed)
    W = World(r)
    busy = plan_benign(r, W)
    pending = defaultdict(list)

    def push(t, ai, op, nb, pid, ip, ua, tag=None):
        pending[t // DAYMS].append((t % DAYMS, ai, op, nb, pid, ip, ua, tag))

    atks = plan_attacks(r, W, busy, push)
    stats = {x["id"]: {"ev": 0, "rec": 0, "first": None, "last": None, "acc": set(), "byday": defaultdict(int)} for x in atks}
    daily = defaultdict(lambda: [0] * NDAYS)           # normal records per account and day
    n_ev = n_rec = 0
    seen = set()
    with open(args.out, "w", encoding="utf-8") as f:
        for di in range(NDAYS):
            evs = pending.pop(di, [])
            for a in W.accts:
                if a.human:
                    human_day(r, a, di, evs)
                elif a.job:
                    service_day(r, a, di, push)
            evs.extend(pending.pop(di, []))
            if di == DST_DAY:
                evs = [(e[0] + HOUR,) + e[1:] if 2 * HOUR <= e[0] < 3 * HOUR else e for e in evs]
            evs.sort(key=itemgetter(0))
            day = DSTR[di]
            lines = []
            for ms, ai, op, nb, pid, ip, ua, tag in evs:
                if ms >= DAYMS:
                    ms = DAYMS - 1
                a = W.accts[ai]
                lines.append('{"horodatage":"%s %s.%03d%s%s","nb_enregistrements":%d%s,"adresse_ip":"%s","navigateur":%s}\n' % (
                    day, SEC[ms // 1000], ms % 1000, a.pre, op, nb, ',"id_personne":"%s"' % pid if pid else "", ip, ua))
                n_ev += 1
                n_rec += nb
                seen.add(ai)
                if tag:
                    s = stats[tag]
                    s["ev"] += 1
                    s["rec"] += nb
                    s["acc"].add(ai)
                    s["byday"][(ai, di)] += nb
                    if s["first"] is None:
                        s["first"] = (di, ms)
                    s["last"] = (di, ms)
                else:
                    daily[ai][di] += nb
            f.write("".join(lines))
    lab_atk = []
    for x in atks:
        s = stats[x["id"]]
        assert s["ev"] > 0, x
        lab_atk.append({"id": x["id"], "shape": x["shape"], "accounts": sorted(W.accts[i].name for i in s["acc"]),
                        "org": x["org"], "start": rfc(*s["first"]), "end": rfc(*s["last"]),
                        "records": s["rec"], "events": s["ev"]})
        # size relative to the victims' ordinary days: (own + malicious records) / median own active day
        rel = []
        for i in sorted(s["acc"]):
            hist = sorted(v for v in daily[i][:s["first"][0]] if v > 0)
            med = hist[len(hist) // 2] if hist else 0
            mean = sum(hist) / len(hist) if hist else 0
            dd = sorted(d for (j, d) in s["byday"] if j == i)
            mal = sum(s["byday"][(i, d)] for d in dd) / len(dd)
            own = sum(daily[i][d] for d in dd) / len(dd)
            rel.append("%d/%d:x%.1f/x%.1f" % (med, mean, 1 + mal / med, (own + mal) / mean) if med else "new")
        print("  %s %-15s %-10s %6d ev %7d rec  %s .. %s  %s  [median/mean rec per day before, "
              "1+malicious/median, window mean/mean before: %s]" % (
            x["id"], x["shape"], x["org"], s["ev"], s["rec"], rfc(*s["first"]), rfc(*s["last"]), x["note"],
            " ".join(rel)), file=sys.stderr)
    lab_atk.sort(key=lambda x: x["start"])
    benign = []
    seen_names = {W.accts[i].name for i in seen}
    for i, b in enumerate(W.benign):
        e = {"id": "b%03d-%s" % (i + 1, b["kind"]), "kind": b["kind"]}
        if "accounts" in b:
            e["accounts"] = [n for n in b["accounts"] if n in seen_names]
            if not e["accounts"]:
                continue
        e["start"], e["end"] = b["start"], b["end"]
        benign.append(e)
    labels = {"seed": args.seed, "time_zone": "Europe/Paris", "start": day_bound(0), "end": day_bound(NDAYS),
              "days": NDAYS, "account_count": len(seen), "events": n_ev, "records": n_rec,
              "attacks": lab_atk, "benign": benign}
    with open(args.labels, "w", encoding="utf-8") as f:
        json.dump(labels, f, ensure_ascii=False, indent=1)
        f.write("\n")
    nh = sum(1 for i in seen if W.accts[i].human)
    print("altgen5 seed %d: %d events, %d records, %d accounts (%d human), %d organisations, %d attacks, %.1fs" % (
        args.seed, n_ev, n_rec, len(seen), nh, len(W.orgs), len(lab_atk), time.time() - t_start), file=sys.stderr)


if __name__ == "__main__":
    main()
