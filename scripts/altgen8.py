#!/usr/bin/env python3
"""altgen8 -- held-out synthetic access log of a partner data-sharing API gateway.

Spring 2027 (2027-03-01 00:00 to 2027-05-11 00:00 Europe/Paris, 71 days).  The
period contains the winter->summer DST change (night of Sun 28 March, which is
also Easter Sunday), Easter Monday 29 March, 1 and 8 May (both Saturdays in
2027), Ascension Thu 6 May with the Fri 7 May bridge and the catch-up Monday
10 May, the tail of zone B winter school holidays and the three zones' spring
school holidays (dates assumed from the usual rotation: C 3-18 Apr, A 10-25 Apr,
B 17 Apr-2 May).  Standard library only, deterministic for a given --seed.

Habit chosen (differs from flat JSON, ;-CSV with utc_offset, ECS gzip):
an API-gateway access log (Kong/Gravitee style) written as TAB-separated
values with a header line and English snake_case column names, rotated at
00:00 *UTC* while timestamps are written in *local* time with a numeric
offset.  Searches and list endpoints are paginated: one line per page, with the
page's returned count and the query's total match count.  Delivery from the
gateway to the log store is at-least-once, and the writer is not perfect.

FILE LAYOUT
  OUTDIR/gateway-access-YYYYMMDD.tsv   one file per UTC day (the first file is
      20270228: local 1 March 00:00-01:00 is still 28 Feb in UTC; the last is
      20270510).  Each file starts with the header line.  Lines are roughly in
      time order (re-delivered duplicates arrive late, so out of order).
  LABELS (--labels) JSON, format given in the brief.

COLUMNS (tab separated, "-" means empty)
  ts           local time, ms precision, numeric offset:
               2027-03-29T09:14:03.512+02:00 (+01:00 before 28 Mar 02:00)
  request_id   16 hex chars, unique per request.  A duplicated line (same
               request_id, byte-identical) is a re-delivery: count it once.
  client_id    calling application: imilo-web, capemploi-crm, solis-rsa,
               iodas-web, caf-gestion, of-extranet, abc-plie (partner software),
               portail-partenaires (the national partner web portal),
               batch-export (service accounts)
  login        account identifier "<ORG>-<user>", e.g. ML059B-jdupont,
               CD093-marie.martin, CAF033-svc-export-nuit.  The org code is the
               part before the first "-".  CASE VARIES: the partner portal
               (client_id portail-partenaires) upper-cases the whole login
               (ML059B-JDUPONT).  The canonical spelling (org upper, user lower)
               is the most frequent one for nearly every account; labels use,
               per account, whichever spelling occurs most often in the log
               (an account mostly driven through the portal -- e.g. by an
               attacker -- is labelled upper-case).  Compare case-insensitively.
  profile      CONSEILLER, TRAVAILLEUR_SOCIAL, GESTIONNAIRE, ACCUEIL, MANAGER,
               FORMATEUR, ADMIN_LOCAL, TECHNIQUE (service accounts)
  src_ip       client IPv4 as seen by the gateway
  method       GET / POST
  route        matched route template:
                 /api/v2/me                               (session check, 0 record)
                 /api/v2/individus/{id}                   single-record view
                 /api/v2/individus/{id}/parcours          single-record view
                 /api/v2/individus/{id}/droits            single-record view
                 /api/v2/individus/_search   (POST)       paginated search
                 /api/v2/portefeuille/individus           advisor caseload list
                 /api/v2/structures/{structure}/individus organisation list
                 /api/v2/exports/individus                bulk export (service)
                 /api/v2/exports/individus/changes        delta export (service)
  subject_id   8-digit person id for the single-record routes, else "-"
  query_id     12 hex chars shared by all pages of one search/list/export
  page         page number (1-based) for paginated routes, else "-"
  page_size    requested page size, else "-"
  returned     NUMBER OF PERSON RECORDS READ by this request (0 on errors)
  total_hits   total matches of the query (1 for a single view, "-" for /me)
  status       HTTP status (200; 401, 403, 404, 429, 500, 503 carry returned=0)
  duration_ms  gateway latency

Imperfections: ~0.15% of lines are re-delivered duplicates (plus a few bursts
where a whole 5-20 min batch is re-delivered 10-30 min later); ~0.02% of lines
are truncated partial writes (the complete line is also present); rarely the
header line is repeated mid-file after a gateway restart.  The labels' "events"
and "records" count unique request_ids among well-formed lines (records = sum of
returned).  Attack "records"/"events" count only the attacker's requests.

Population: ~100-130 partner organisations (Missions locales MLddd[X], Cap
emploi CEddd, départements CDddd, CAF CAFddd, training bodies OFnnnnn, PLIE
PLIEddd), ~1,500-2,000 accounts, incl. service accounts with nightly, weekly,
monthly and business-hours jobs.  See the labels' "benign" list for notable
but legitimate events.
"""
import argparse
import calendar
import json
import math
import os
import random
import sys
from datetime import date, timedelta

# ----------------------------------------------------------------------------
# calendar / time
START_DATE = date(2027, 3, 1)
ND = 71
NAIVE0_MS = calendar.timegm((2027, 3, 1, 0, 0, 0)) * 1000
NAIVE_DST_MS = calendar.timegm((2027, 3, 28, 2, 0, 0)) * 1000
DST_UTC_MS = calendar.timegm((2027, 3, 28, 1, 0, 0)) * 1000
FILE0_MS = calendar.timegm((2027, 2, 28, 0, 0, 0)) * 1000
DAYS = [START_DATE + timedelta(i) for i in range(ND)]
DATESTR = [(START_DATE + timedelta(i)).isoformat() for i in range(-1, ND + 2)]
DOW = [d.weekday() for d in DAYS]


def didx(y, m, dd):
    return (date(y, m, dd) - START_DATE).days


HOLIDAYS = {didx(2027, 3, 29): "easter_monday", didx(2027, 5, 1): "may_1",
            didx(2027, 5, 6): "ascension", didx(2027, 5, 8): "may_8"}
BRIDGE = didx(2027, 5, 7)
AFTER_HOLIDAY = {didx(2027, 3, 30): 1.35, didx(2027, 5, 10): 1.30}
DST_DAY = didx(2027, 3, 28)
SCHOOL = {"A": [(date(2027, 2, 13), date(2027, 2, 28)), (date(2027, 4, 10), date(2027, 4, 25))],
          "B": [(date(2027, 2, 20), date(2027, 3, 7)), (date(2027, 4, 17), date(2027, 5, 2))],
          "C": [(date(2027, 2, 6), date(2027, 2, 21)), (date(2027, 4, 3), date(2027, 4, 18))]}


def school_days(zone):
    s = set()
    for a, b in SCHOOL[zone]:
        for i in range(ND):
            if a <= DAYS[i] <= b:
                s.add(i)
    return s


SCHOOL_DAYS = {z: school_days(z) for z in SCHOOL}
WORKDAY = [DOW[i] < 5 and i not in HOLIDAYS for i in range(ND)]
WORKDAYS = [i for i in range(ND) if WORKDAY[i]]


def month_end_days():
    out = []
    for m in (3, 4):
        wd = [i for i in WORKDAYS if DAYS[i].month == m]
        out.append(wd[-2:])
    return out


def l2u(d, sec):
    """local day index + seconds since local midnight -> UTC epoch ms."""
    n = NAIVE0_MS + d * 86400000 + int(sec * 1000)
    return n - 3600000 if n < NAIVE_DST_MS + 3600000 else n - 7200000


def fmt_ts(u):
    if u < DST_UTC_MS:
        loc, off = u + 3600000, "+01:00"
    else:
        loc, off = u + 7200000, "+02:00"
    ld, r = divmod(loc - NAIVE0_MS, 86400000)
    h, r = divmod(r, 3600000)
    m, r = divmod(r, 60000)
    s, ms = divmod(r, 1000)
    return "%sT%02d:%02d:%02d.%03d%s" % (DATESTR[ld + 1], h, m, s, ms, off)


def iso_s(u):
    """RFC 3339, second precision, local offset."""
    t = fmt_ts(u)
    return t[:19] + t[23:]


def day_start_u(d):
    return l2u(d, 0)


# ----------------------------------------------------------------------------
# reference data
DEPTS = {
    "A": ["001", "003", "007", "015", "016", "017", "019", "021", "024", "025", "026", "033", "038",
          "039", "040", "042", "043", "047", "063", "064", "069", "071", "073", "074", "079", "086",
          "087", "089", "090"],
    "B": ["002", "006", "008", "010", "013", "014", "018", "022", "027", "028", "029", "035", "037",
          "041", "044", "045", "049", "050", "051", "054", "056", "057", "059", "060", "062", "067",
          "068", "072", "076", "080", "083", "084", "085", "088"],
    "C": ["009", "011", "012", "030", "031", "032", "034", "046", "065", "066", "075", "077", "078",
          "081", "082", "091", "092", "093", "094", "095"],
}
DEPT_ZONE = {d: z for z, l in DEPTS.items() for d in l}
ALL_DEPTS = sorted(DEPT_ZONE)

SURNAMES = """martin bernard thomas petit robert richard durand dubois moreau laurent simon michel
lefebvre leroy roux david bertrand morel fournier girard bonnet dupont lambert fontaine rousseau
vincent muller lefevre faure andre mercier blanc guerin boyer garnier chevalier francois legrand
gauthier garcia perrin robin clement morin nicolas henry roussel mathieu gautier masson marchand
duval denis dumont marie lemaire noel meyer dufour meunier brun blanchard giraud joly riviere
lucas brunet gaillard barbier arnaud martinez gerard roche renard schmitt roy leroux colin vidal
caron picard roger fabre aubert lemoine renaud dumas lacroix olivier philippe bourgeois pierre
benoit rey leclerc payet rolland leclercq guillaume lecomte lopez jean dupuy guillot hubert berger
carpentier sanchez dupuis moulin louis deschamps huet vasseur perez boucher fleury royer klein
jacquet adam paris poirier marty aubry guyot carre charles renault charpentier menard maillard
baron bertin bailly herve schneider fernandez le-gall collet leger bouvier julien prevost millet
perrot daniel le-roux cousin germain breton besson langlois remy pelletier leveque perrier leblanc
barre lebrun marchal weber mallet hamon boulanger jacob monnier michaud rodriguez guichard gillet
etienne grondin poulain tessier chevallier collin chauvin da-silva bouchet gay lemaitre benard
marechal humbert reynaud antoine hoarau perret barthelemy cordier pichon lejeune gilbert lamy
delaunay pasquier carlier laporte benali haddad mansouri diallo traore nguyen kone cisse""".split()
FIRSTS = """marie nathalie isabelle sylvie catherine sandrine christine valerie celine stephanie
sophie aurelie julie emilie camille laura sarah manon chloe ines lea claire anne helene karine
audrey elodie melanie virginie delphine jean pierre michel philippe nicolas thomas julien
christophe stephane david frederic laurent sebastien olivier eric vincent mathieu antoine kevin
maxime alexandre romain guillaume yann karim mehdi samir nadia fatima amina yasmine sofiane
florian benoit cedric fabien jerome pascal patrick thierry arnaud damien franck ludovic""".split()

KIND_CLIENT = {"ML": ["imilo-web"], "CE": ["capemploi-crm"], "CD": ["solis-rsa", "iodas-web"],
               "CAF": ["caf-gestion"], "OF": ["of-extranet"], "PLIE": ["abc-plie"]}
PORTAL = "portail-partenaires"
BATCH = "batch-export"

R_ME = "/api/v2/me"
R_VIEW = "/api/v2/individus/{id}"
R_PARC = "/api/v2/individus/{id}/parcours"
R_DROITS = "/api/v2/individus/{id}/droits"
R_SEARCH = "/api/v2/individus/_search"
R_CASE = "/api/v2/portefeuille/individus"
R_TEAM = "/api/v2/structures/{structure}/individus"
R_EXPORT = "/api/v2/exports/individus"
R_DELTA = "/api/v2/exports/individus/changes"

HEADER = ("ts\trequest_id\tclient_id\tlogin\tprofile\tsrc_ip\tmethod\troute\tsubject_id\t"
          "query_id\tpage\tpage_size\treturned\ttotal_hits\tstatus\tduration_ms\n")

# action mix per profile: lookup, view, caseload, criteria, team
MIX = {"CONSEILLER": (0.30, 0.35, 0.15, 0.18, 0.02),
       "TRAVAILLEUR_SOCIAL": (0.35, 0.40, 0.12, 0.12, 0.01),
       "GESTIONNAIRE": (0.42, 0.40, 0.03, 0.15, 0.0),
       "ACCUEIL": (0.75, 0.25, 0.0, 0.0, 0.0),
       "MANAGER": (0.15, 0.22, 0.03, 0.25, 0.35),
       "FORMATEUR": (0.40, 0.50, 0.0, 0.10, 0.0),
       "ADMIN_LOCAL": (0.50, 0.30, 0.0, 0.0, 0.20)}
EV_PER_ACTION = (3.0, 1.5, 1.4, 1.9, 1.8)
BASE_MED = {"CONSEILLER": 26, "TRAVAILLEUR_SOCIAL": 18, "GESTIONNAIRE": 32, "ACCUEIL": 14,
            "MANAGER": 10, "FORMATEUR": 6, "ADMIN_LOCAL": 5}
ADVISOR_PROFILES = ("CONSEILLER", "TRAVAILLEUR_SOCIAL", "GESTIONNAIRE")
DOWM = (1.28, 1.08, 0.95, 1.0, 0.82, 0.0, 0.0)


def poisson(rng, lam):
    if lam <= 0:
        return 0
    if lam < 30:
        L = math.exp(-lam)
        k, p = 0, 1.0
        while True:
            p *= rng.random()
            if p <= L:
                return k
            k += 1
    return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))


def loguniform(rng, a, b):
    return math.exp(rng.uniform(math.log(a), math.log(b)))


# ----------------------------------------------------------------------------
class Org:
    __slots__ = ("code", "kind", "dept", "zone", "client", "office_ips", "pop", "salt",
                 "accounts", "svc")

    def __init__(self, code, kind, dept):
        self.code, self.kind, self.dept = code, kind, dept
        self.zone = DEPT_ZONE[dept]
        self.accounts = []
        self.svc = []


class Account:
    __slots__ = ("idx", "login", "login_up", "org", "profile", "service", "base", "mix", "epa",
                 "start", "end", "absent", "workdow", "half", "telework", "start_h", "end_h",
                 "lunch_h", "lunch_len", "fri_early", "p_portal", "home_ip", "cl_off", "cl_size",
                 "ps_case", "ps_crit", "boost", "day_rec", "day_ev", "spell", "night_owl",
                 "tags", "month_end", "user")

    def __init__(self, idx, org, user, profile, service=False):
        self.idx, self.org, self.user, self.profile, self.service = idx, org, user, profile, service
        self.login = "%s-%s" % (org.code, user)
        self.login_up = self.login.upper()
        self.day_rec = [0] * ND
        self.day_ev = [0] * ND
        self.spell = [0, 0]
        self.boost = {}
        self.absent = set()
        self.tags = set()
        self.month_end = False


class Gen:
    def __init__(self, seed):
        self.seed = seed
        self.R = lambda name: random.Random("altgen8-%d-%s" % (seed, name))
        self.rng_ev = self.R("events")
        self.buckets = {}
        self.n_events = 0
        self.n_records = 0
        self.atk_stats = {}
        self.benign = []
        self.attacks = []
        self.accounts = []
        self.orgs = []
        self.outage = None
        self.night_outage = None
        self.campaign = {}      # acc.idx -> (set of days, mult, criteria boost)
        self.reruns = []
        self.ip_used = set()

    # ------------------------------------------------------------------ ips
    def new_ip(self, rng, kind):
        pools = {"office": [(193, 48, 57), (194, 2, 9), (212, 234, 234), (185, 24, 24),
                            (80, 13, 15), (217, 108, 109), (195, 101, 101), (147, 210, 210)],
                 "home": [(90, 0, 127), (86, 192, 255), (78, 192, 255), (88, 160, 191),
                          (176, 128, 191), (109, 208, 223), (92, 128, 191), (2, 0, 15),
                          (82, 64, 127), (37, 160, 175)],
                 "hosting": [(45, 80, 95), (51, 68, 91), (146, 70, 70), (185, 220, 220),
                             (91, 92, 93), (5, 182, 182), (194, 36, 36), (138, 199, 199),
                             (103, 75, 75), (162, 158, 158)]}
        while True:
            a, lo, hi = rng.choice(pools[kind])
            ip = "%d.%d.%d.%d" % (a, rng.randint(lo, hi), rng.randint(0, 255), rng.randint(1, 254))
            if ip not in self.ip_used:
                self.ip_used.add(ip)
                return ip

    # ----------------------------------------------------------- population
    def build_population(self):
        rng = self.R("pop")
        n_orgs = rng.randint(100, 128)
        kinds = ["ML"] * 40 + ["CE"] * 14 + ["CD"] * 12 + ["CAF"] * 9 + ["OF"] * 19 + ["PLIE"] * 6
        used = set()
        for _ in range(n_orgs):
            kind = rng.choice(kinds)
            for _try in range(200):
                dept = rng.choice(ALL_DEPTS)
                if kind == "ML":
                    code = "ML" + dept
                    for suf in ("", "B", "C", "D"):
                        if code + suf not in used:
                            code = code + suf
                            break
                elif kind == "OF":
                    code = "OF%s%02d" % (dept, rng.randint(10, 99))
                else:
                    code = kind + dept
                if code not in used:
                    break
            used.add(code)
            o = Org(code, kind, dept)
            o.client = rng.choice(KIND_CLIENT[kind])
            o.office_ips = [self.new_ip(rng, "office") for _ in range(rng.choice((1, 1, 2)))]
            o.salt = rng.randrange(89999989)
            self.orgs.append(o)
        self.orgs.sort(key=lambda o: o.code)
        size_par = {"ML": (14, 5, 42), "CE": (9, 4, 20), "CD": (30, 12, 75), "CAF": (19, 8, 46),
                    "OF": (4, 2, 9), "PLIE": (6, 3, 11)}
        prof_w = {"ML": [("CONSEILLER", 70), ("ACCUEIL", 12), ("MANAGER", 10), ("ADMIN_LOCAL", 3)],
                  "CE": [("CONSEILLER", 76), ("MANAGER", 12), ("ACCUEIL", 8)],
                  "CD": [("TRAVAILLEUR_SOCIAL", 58), ("CONSEILLER", 20), ("MANAGER", 10),
                         ("ACCUEIL", 10), ("ADMIN_LOCAL", 2)],
                  "CAF": [("GESTIONNAIRE", 74), ("CONSEILLER", 12), ("MANAGER", 10), ("ADMIN_LOCAL", 4)],
                  "OF": [("FORMATEUR", 70), ("MANAGER", 15), ("ACCUEIL", 15)],
                  "PLIE": [("CONSEILLER", 80), ("MANAGER", 20)]}
        for o in self.orgs:
            med, lo, hi = size_par[o.kind]
            n = int(round(min(hi, max(lo, med * math.exp(rng.gauss(0, 0.4))))))
            o.pop = max(300, int(n * rng.uniform(90, 220)))
            profs = [p for p, w in prof_w[o.kind] for _ in range(w)]
            names = set()
            for k in range(n):
                if k == 0 and n >= 4:
                    prof = "MANAGER"
                else:
                    prof = rng.choice(profs)
                user = self.make_user(rng, o, names)
                self.add_human(rng, o, user, prof)
        self.add_service_accounts(rng)

    def make_user(self, rng, o, names):
        while True:
            f, s = rng.choice(FIRSTS), rng.choice(SURNAMES)
            if o.kind in ("CD", "CAF"):
                u = "%s.%s" % (f, s)
            else:
                u = f[0] + s.replace("-", "")
            base, k = u, 2
            while u in names:
                u = "%s%d" % (base, k)
                k += 1
            names.add(u)
            return u

    def add_human(self, rng, o, user, prof):
        a = Account(len(self.accounts), o, user, prof)
        self.accounts.append(a)
        o.accounts.append(a)
        base = BASE_MED[prof] * math.exp(rng.gauss(0, 0.55))
        if rng.random() < 0.05:
            base *= rng.uniform(2.0, 3.0)
        a.base = base
        w = [x * rng.uniform(0.6, 1.4) for x in MIX[prof]]
        s = sum(w)
        a.mix = [x / s for x in w]
        a.epa = sum(m * e for m, e in zip(a.mix, EV_PER_ACTION)) + 0.15
        a.start, a.end = 0, ND - 1
        # schedule
        r = rng.random()
        a.workdow = {0, 1, 2, 3, 4}
        a.half = set()
        if r < 0.14:
            a.workdow.discard(rng.choice((2, 2, 2, 4, 4, 0)))
        elif r < 0.20:
            off = rng.choice(((2, 4), (2,), (0, 4)))
            for x in off:
                a.workdow.discard(x)
            a.half = {rng.choice(sorted(a.workdow))}
        a.telework = set()
        if prof not in ("ACCUEIL",) and rng.random() < 0.55:
            a.telework = set(rng.sample(sorted(a.workdow), min(len(a.workdow), rng.choice((1, 1, 2)))))
        a.start_h = min(10.0, max(7.25, rng.gauss(8.55, 0.45)))
        a.end_h = min(19.5, max(15.5, a.start_h + rng.gauss(8.7, 0.5)))
        a.lunch_h = rng.gauss(12.2, 0.3)
        a.lunch_len = rng.uniform(0.6, 1.4)
        a.fri_early = max(0.0, rng.gauss(0.7, 0.4))
        a.p_portal = 0.0 if rng.random() < 0.4 else rng.uniform(0.02, 0.33)
        a.home_ip = self.new_ip(rng, "home")
        a.cl_off = rng.randrange(o.pop)
        a.cl_size = rng.randint(60, 320) if prof in ADVISOR_PROFILES else rng.randint(20, 80)
        a.ps_case = rng.choice((20, 50, 50))
        a.ps_crit = rng.choice((20, 20, 50))
        a.night_owl = rng.random() < 0.03
        # absences
        wd = [d for d in WORKDAYS if DOW[d] in a.workdow]
        for d in wd:
            if rng.random() < 0.018:
                a.absent.add(d)
        kids = rng.random() < 0.4
        zone = o.zone
        if kids and zone == "B" and rng.random() < 0.45:
            a.absent.update(range(0, 5))
        if kids and rng.random() < 0.6:
            sdays = sorted(d for d in SCHOOL_DAYS[zone] if DOW[d] == 0)
            if sdays:
                d0 = rng.choice(sdays)
                ln = 14 if rng.random() < 0.35 else 7
                a.absent.update(range(d0, min(ND, d0 + ln)))
        elif rng.random() < 0.25:
            d0 = rng.choice([d for d in range(7, ND - 7) if DOW[d] == 0])
            a.absent.update(range(d0, d0 + (12 if rng.random() < 0.15 else 5)))
        if rng.random() < 0.15:
            a.absent.add(BRIDGE)
        if rng.random() < 0.5:
            a.absent.add(BRIDGE)
        if rng.random() < 0.05:
            d0 = rng.randrange(ND - 5)
            a.absent.update(range(d0, min(ND, d0 + rng.randint(3, 12))))
        r = rng.random()
        if r < 0.012:
            a.start = ND  # dormant, never logs
        elif r < 0.027:
            a.start = rng.randint(15, 50)  # back from long leave
            a.tags.add("return_from_leave")
        elif r < 0.060 and prof != "MANAGER":
            a.start = rng.choice([d for d in WORKDAYS if 7 <= d <= 60 and DOW[d] in (0, 0, 1, 2)])
            a.tags.add("new_hire")
        elif r < 0.085 and prof != "MANAGER":
            a.end = rng.choice([d for d in WORKDAYS if 10 <= d <= 64])
            a.tags.add("leaver")
        a.month_end = prof == "MANAGER" and rng.random() < 0.7
        return a

    def add_service_accounts(self, rng):
        names = ["export-nuit", "sync-si", "etl-stats", "batch-rsa", "interco", "dwh", "flux-insertion",
                 "sync-agenda", "reporting", "extract-financeur"]
        for o in self.orgs:
            jobs = []
            r = rng.random()
            if o.kind == "CAF" and r < 0.9:
                jobs.append(("nightly_full", rng.uniform(8000, 40000), 1000))
                if rng.random() < 0.3:
                    jobs.append(("monthly_full", rng.uniform(30000, 120000), 5000))
            elif o.kind == "CD" and r < 0.8:
                jobs.append(("nightly_delta", rng.uniform(200, 1500), 500))
                jobs.append(("weekly_full", rng.uniform(10000, 60000), 2000))
                if rng.random() < 0.3:
                    jobs.append(("monthly_full", rng.uniform(30000, 100000), 5000))
            elif o.kind == "ML" and r < 0.35:
                if rng.random() < 0.5:
                    jobs.append(("weekly_full", rng.uniform(2000, 10000), 1000))
                else:
                    jobs.append(("hourly_sync", rng.uniform(2, 8), 500))
            elif o.kind == "CE" and r < 0.3:
                jobs.append(("nightly_delta", rng.uniform(50, 400), 500))
            elif o.kind in ("OF", "PLIE") and r < 0.13:
                jobs.append(("monthly_full", rng.uniform(500, 4000), 1000))
            if not jobs:
                continue
            # one or two service accounts
            accs = []
            nacc = 1 if len(jobs) == 1 or rng.random() < 0.5 else len(jobs)
            for k in range(nacc):
                nm = names[(k + rng.randrange(len(names))) % len(names)]
                if any(x.user == "svc-" + nm for x in accs):
                    nm = nm + "2"
                a = self.make_service(rng, o, "svc-" + nm)
                accs.append(a)
            for k, j in enumerate(jobs):
                a = accs[k % len(accs)]
                self.add_job(rng, a, j)

    def make_service(self, rng, o, user, start=0):
        a = Account(len(self.accounts), o, user, "TECHNIQUE", service=True)
        self.accounts.append(a)
        o.accounts.append(a)
        a.start, a.end = start, ND - 1
        a.home_ip = self.new_ip(rng, "office")
        a.p_portal = 0.0
        o.svc.append((a, []))
        return a

    def add_job(self, rng, a, j):
        kind, n, ps = j
        if kind in ("nightly_full", "nightly_delta"):
            hour = rng.choice((rng.uniform(0.5, 4.5), rng.uniform(1.8, 2.9), rng.uniform(22.5, 23.9)))
        elif kind == "weekly_full":
            hour = rng.choice((rng.uniform(20, 23.5), rng.uniform(4, 6.5)))
        elif kind == "monthly_full":
            hour = rng.uniform(2.5, 5.5)
        else:
            hour = 7.0
        dow = rng.choice((6, 6, 5, 0)) if kind == "weekly_full" else None
        for acc, jobs in a.org.svc:
            if acc is a:
                jobs.append({"kind": kind, "n": n, "ps": ps, "hour": hour, "dow": dow,
                             "growth": rng.uniform(0.0, 0.0015)})

    # ------------------------------------------------------------- emission
    def emit(self, acc, d, u, upper, client, ip, method, route, subj, qid, page, ps, ret, total,
             status, dur, tag):
        rng = self.rng_ev
        line = "%s\t%016x\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%d\t%d\n" % (
            fmt_ts(u), rng.getrandbits(64), client, acc.login_up if upper else acc.login,
            acc.profile, ip, method, route, subj, qid, page, ps, ret, total, status, dur)
        b = (u - FILE0_MS) // 86400000
        bl = self.buckets.get(b)
        if bl is None:
            bl = self.buckets[b] = []
        bl.append((u, line))
        self.n_events += 1
        self.n_records += ret
        acc.spell[1 if upper else 0] += 1
        if tag is None:
            if 0 <= d < ND:
                acc.day_rec[d] += ret
                acc.day_ev[d] += 1
        else:
            st = self.atk_stats[tag]
            st[0] += 1
            st[1] += ret
            if u < st[2]:
                st[2] = u
            if u > st[3]:
                st[3] = u

    def qid(self):
        return "%012x" % self.rng_ev.getrandbits(48)

    def subj(self, org, k):
        return "%08d" % (10000000 + (org.salt + (k % org.pop) * 7368787) % 89999989)

    # --------------------------------------------------------- human actions
    # ctx = (acc, d, upper, client, ip, tag); t in seconds since local midnight of day d
    def view_status(self):
        r = self.rng_ev.random()
        if r < 0.012:
            return 404
        if r < 0.017:
            return 403
        if r < 0.019:
            return 500
        return 200

    def do_view(self, ctx, t, k):
        acc, d, upper, client, ip, tag = ctx
        rng = self.rng_ev
        sid = self.subj(acc.org, k)
        st = self.view_status()
        self.emit(acc, d, l2u(d, t), upper, client, ip, "GET", R_VIEW, sid, "-", "-", "-",
                  1 if st == 200 else 0, "1", st, int(rng.lognormvariate(4.3, 0.5)), tag)
        if st != 200:
            return t
        if rng.random() < 0.45:
            t += rng.uniform(1.5, 25)
            self.emit(acc, d, l2u(d, t), upper, client, ip, "GET", R_PARC, sid, "-", "-", "-", 1,
                      "1", 200, int(rng.lognormvariate(4.6, 0.5)), tag)
        if rng.random() < 0.22:
            t += rng.uniform(1.5, 40)
            self.emit(acc, d, l2u(d, t), upper, client, ip, "GET", R_DROITS, sid, "-", "-", "-", 1,
                      "1", 200, int(rng.lognormvariate(4.8, 0.5)), tag)
        return t

    def pages(self, ctx, t, method, route, ps, total, npages, gap=(3, 45), dur=(5.6, 0.5)):
        acc, d, upper, client, ip, tag = ctx
        rng = self.rng_ev
        q = self.qid()
        maxp = max(1, -(-total // ps))
        for p in range(1, min(npages, maxp) + 1):
            ret = max(0, min(ps, total - (p - 1) * ps))
            st = 200
            if rng.random() < 0.003:
                st, ret = 500, 0
            self.emit(acc, d, l2u(d, t), upper, client, ip, method, route, "-", q, p, ps, ret,
                      total, st, int(rng.lognormvariate(dur[0], dur[1])), tag)
            t += rng.uniform(gap[0], gap[1])
        return t

    def caseload_k(self, acc):
        return acc.cl_off + self.rng_ev.randrange(acc.cl_size)

    def action(self, ctx, t, kind):
        acc = ctx[0]
        rng = self.rng_ev
        if kind == 0:  # lookup by name then view
            r = rng.random()
            if r < 0.08:
                total = 0
            elif r < 0.50:
                total = 1
            elif r < 0.80:
                total = rng.randint(2, 4)
            elif r < 0.94:
                total = rng.randint(5, 20)
            else:
                total = rng.randint(21, 200)
            t = self.pages(ctx, t, "POST", R_SEARCH, 20, total, 1)
            if total and rng.random() < 0.85:
                k = self.caseload_k(acc) if rng.random() < 0.6 else rng.randrange(acc.org.pop)
                t = self.do_view(ctx, t, k)
                if rng.random() < 0.15:
                    t = self.do_view(ctx, t + rng.uniform(5, 60), rng.randrange(acc.org.pop))
        elif kind == 1:  # direct view from caseload
            t = self.do_view(ctx, t, self.caseload_k(acc))
        elif kind == 2:  # caseload list
            r = rng.random()
            np_ = 1 if r < 0.7 else (2 if r < 0.9 else 3)
            t = self.pages(ctx, t, "GET", R_CASE, acc.ps_case, acc.cl_size, np_)
        elif kind == 3:  # criteria search
            total = int(min(3000, math.exp(rng.gauss(4.0, 1.0))))
            np_ = 1
            while rng.random() < 0.45:
                np_ += 1
            t = self.pages(ctx, t, "POST", R_SEARCH, acc.ps_crit, total, np_)
        else:  # team list (managers)
            np_ = rng.choice((1, 1, 1, 2, 3))
            t = self.pages(ctx, t, "GET", R_TEAM, 100, acc.org.pop, np_, dur=(6.2, 0.5))
        return t

    def pick_kind(self, mix):
        r = self.rng_ev.random()
        c = 0.0
        for i, m in enumerate(mix):
            c += m
            if r < c:
                return i
        return 1

    def me(self, ctx, t):
        acc, d, upper, client, ip, tag = ctx
        st = 401 if self.rng_ev.random() < 0.04 else 200
        self.emit(acc, d, l2u(d, t), upper, client, ip, "GET", R_ME, "-", "-", "-", "-", 0, "-",
                  st, int(self.rng_ev.lognormvariate(3.2, 0.4)), tag)
        if st == 401:
            self.emit(acc, d, l2u(d, t + 2.5), upper, client, ip, "GET", R_ME, "-", "-", "-", "-",
                      0, "-", 200, int(self.rng_ev.lognormvariate(3.2, 0.4)), tag)

    # --------------------------------------------------------- human days
    def windows(self, acc, d, rng):
        dow = DOW[d]
        s = acc.start_h * 3600 + rng.gauss(0, 900)
        ls = acc.lunch_h * 3600 + rng.gauss(0, 600)
        le = ls + acc.lunch_len * 3600 + rng.gauss(0, 300)
        e = acc.end_h * 3600 + rng.gauss(0, 1200)
        if dow == 4:
            e -= acc.fri_early * 3600
        if dow in acc.half:
            return [(s, ls, 1.0)]
        if rng.random() < 0.04:
            e += rng.uniform(1800, 9000)  # overtime
        mw = 1.25 if dow == 0 else 1.1
        aw = 0.6 if dow == 4 else 0.9
        e = max(e, le + 1800)
        return [(s, ls, (ls - s) * mw), (le, e, (e - le) * aw)]

    def sample_t(self, wins, rng):
        tot = sum(w[2] for w in wins)
        r = rng.random() * tot
        for a, b, w in wins:
            if r < w:
                return rng.uniform(a, b)
            r -= w
        return rng.uniform(wins[-1][0], wins[-1][1])

    def ctx_for(self, acc, d, rng, tag=None, ip=None, client=None, upper=None):
        if client is None:
            if rng.random() < acc.p_portal:
                client, up = PORTAL, True
            else:
                client, up = acc.org.client, False
        else:
            up = upper
        if ip is None:
            ip = acc.home_ip if DOW[d] in acc.telework else acc.org.office_ips[acc.idx % len(acc.org.office_ips)]
        return (acc, d, up, client, ip, tag)

    def day_mult(self, acc, d):
        m = DOWM[DOW[d]]
        m *= AFTER_HOLIDAY.get(d, 1.0)
        if acc.org.kind == "ML" and d in SCHOOL_DAYS[acc.org.zone]:
            m *= 0.85
        m *= acc.boost.get(d, 1.0)
        return m

    def human_present(self, acc, d):
        return (acc.start <= d <= acc.end and WORKDAY[d] and DOW[d] in acc.workdow
                and d not in acc.absent)

    def gen_humans(self):
        rng = self.rng_ev
        for acc in self.accounts:
            if acc.service:
                continue
            # return-from-absence boosts
            prev_absent = 0
            for d in WORKDAYS:
                if DOW[d] not in acc.workdow or d < acc.start or d > acc.end:
                    continue
                if d in acc.absent or d == acc.start:
                    prev_absent += 1
                    continue
                if prev_absent >= 5 and d > acc.start:
                    acc.boost[d] = acc.boost.get(d, 1.0) * rng.uniform(1.5, 2.1)
                    nxt = [x for x in WORKDAYS if x > d and DOW[x] in acc.workdow]
                    if nxt:
                        acc.boost[nxt[0]] = acc.boost.get(nxt[0], 1.0) * 1.25
                    if prev_absent >= 8:
                        acc.tags.add(("vacation_return", d))
                prev_absent = 0
            if "new_hire" in acc.tags:
                s = acc.start
                for d in range(s, min(ND, s + 21)):
                    f = 0.3 if d - s < 3 else (0.6 if d - s < 10 else 0.85)
                    acc.boost[d] = acc.boost.get(d, 1.0) * f
        for acc in self.accounts:
            if acc.service or acc.start >= ND:
                continue
            for d in range(ND):
                if self.human_present(acc, d):
                    self.human_day(acc, d, rng)
                elif acc.start <= d <= acc.end and d not in acc.absent and not acc.night_owl:
                    # rare weekend / holiday check-in from home
                    if (not WORKDAY[d] or d == BRIDGE) and acc.profile != "ACCUEIL" and rng.random() < 0.004:
                        ctx = (acc, d, False, acc.org.client, acc.home_ip, None)
                        t = rng.uniform(9, 22) * 3600
                        self.me(ctx, t)
                        for _ in range(rng.randint(1, 5)):
                            t = self.action(ctx, t + rng.uniform(20, 300), self.pick_kind(acc.mix))
                if acc.night_owl and acc.start <= d <= acc.end and d not in acc.absent and rng.random() < 0.08:
                    ctx = (acc, d, False, acc.org.client, acc.home_ip, None)
                    t = rng.uniform(20.5, 23.3) * 3600
                    self.me(ctx, t)
                    for _ in range(rng.randint(1, 4)):
                        t = self.action(ctx, t + rng.uniform(20, 400), self.pick_kind(acc.mix))

    def human_day(self, acc, d, rng):
        mult = self.day_mult(acc, d)
        camp = self.campaign.get(acc.idx)
        mix = acc.mix
        if camp and d in camp[0]:
            mult *= camp[1]
            mix = list(mix)
            mix[3] *= camp[2]
            s = sum(mix)
            mix = [x / s for x in mix]
        mean_ev = acc.base * mult * rng.gammavariate(5.0, 0.2)
        n_act = poisson(rng, mean_ev / acc.epa)
        if n_act == 0:
            return
        wins = self.windows(acc, d, rng)
        times = sorted(self.sample_t(wins, rng) for _ in range(n_act))
        if rng.random() < 0.03:
            times.append(wins[0][1] + rng.uniform(60, 1800))  # working lunch
        out = self.outage if self.outage and self.outage[0] == d else None
        ctx = self.ctx_for(acc, d, rng)
        self.me(ctx, times[0] - rng.uniform(5, 60))
        last = times[0]
        for t in times:
            if rng.random() < 0.12:
                ctx = self.ctx_for(acc, d, rng)
            if t - last > 3000 and rng.random() < 0.6:
                self.me(ctx, t - rng.uniform(2, 20))
            last = t
            kind = self.pick_kind(mix)
            if out and out[1] <= t < out[2]:
                for k in range(rng.randint(1, 3)):
                    self.emit(acc, d, l2u(d, t + 40 * k), ctx[2], ctx[3], ctx[4], "POST" if kind in (0, 3) else "GET",
                              R_SEARCH if kind in (0, 3) else R_VIEW, "-", "-", "-", "-", 0, "-", 503,
                              int(rng.uniform(5, 60)), None)
                t = out[2] + rng.expovariate(1 / 2400.0)
            self.action(ctx, t, kind)

    # ------------------------------------------------------------ service
    def gen_services(self):
        rng = self.rng_ev
        for o in self.orgs:
            for acc, jobs in o.svc:
                for j in jobs:
                    self.gen_job(acc, j, rng)

    def export_run(self, acc, d, t, route, total, ps, rng, tag=None, fail_after=None):
        ctx = (acc, d, False, BATCH, acc.home_ip, tag)
        q = self.qid()
        npg = max(1, -(-total // ps))
        for p in range(1, npg + 1):
            if fail_after is not None and p > fail_after:
                for k in range(3):
                    self.emit(acc, d, l2u(d, t), False, BATCH, acc.home_ip, "GET", route, "-", q, p, ps,
                              0, total, 503, int(rng.uniform(3, 30)), tag)
                    t += 300
                return t
            if rng.random() < 0.01:
                self.emit(acc, d, l2u(d, t), False, BATCH, acc.home_ip, "GET", route, "-", q, p, ps, 0,
                          total, 429, int(rng.uniform(2, 10)), tag)
                t += rng.uniform(30, 60)
            ret = min(ps, total - (p - 1) * ps)
            dur = int(rng.lognormvariate(math.log(200 + ps * 0.9), 0.3))
            self.emit(acc, d, l2u(d, t), False, BATCH, acc.home_ip, "GET", route, "-", q, p, ps, ret,
                      total, 200, dur, tag)
            t += dur / 1000.0 + rng.uniform(0.05, 0.6)
        return t

    def gen_job(self, acc, j, rng):
        kind, n0, ps, hour = j["kind"], j["n"], j["ps"], j["hour"]
        carry = 0
        for d in range(max(acc.start, j.get("from", 0)), ND):
            n = n0 * (1 + j["growth"]) ** d
            t = hour * 3600 + rng.uniform(0, 90)
            if kind == "hourly_sync":
                if not WORKDAY[d]:
                    continue
                for h in range(7 * 2, 20 * 2):
                    tt = h * 1800 + rng.uniform(0, 20)
                    ret = poisson(rng, n * DOWM[DOW[d]])
                    out = self.outage if self.outage and self.outage[0] == d else None
                    if out and out[1] <= tt < out[2]:
                        self.emit(acc, d, l2u(d, tt), False, BATCH, acc.home_ip, "GET", R_DELTA, "-",
                                  self.qid(), 1, ps, 0, "-", 503, int(rng.uniform(3, 30)), None)
                        carry += ret
                        continue
                    ret += carry
                    carry = 0
                    self.emit(acc, d, l2u(d, tt), False, BATCH, acc.home_ip, "GET", R_DELTA, "-",
                              self.qid(), 1, ps, ret, ret, 200, int(rng.lognormvariate(5.0, 0.4)), None)
                continue
            if kind == "weekly_full" and DOW[d] != j["dow"]:
                continue
            if kind == "monthly_full" and DAYS[d].day != 1:
                continue
            if kind == "nightly_delta":
                prev = d - 1 if hour < 12 else d
                act = 1.0 if (prev >= 0 and WORKDAY[prev]) else rng.uniform(0.05, 0.2)
                total = int(n * act * rng.uniform(0.8, 1.2)) + carry
                route = R_DELTA
            else:
                total = int(n * rng.uniform(0.995, 1.005))
                route = R_EXPORT
            carry = 0
            no = self.night_outage
            if no and no[0] == d and no[1] <= t < no[2]:
                self.export_run(acc, d, t, route, total, ps, rng, fail_after=0)
                rt = rng.uniform(8.7, 10.5) * 3600
                end = self.export_run(acc, d, rt, route, total, ps, rng)
                self.reruns.append((acc, l2u(d, rt), l2u(d, end)))
                continue
            if rng.random() < 0.012:  # transient failure, whole job retried later
                fa = rng.randint(1, max(1, total // ps))
                t = self.export_run(acc, d, t, route, total, ps, rng, fail_after=fa) + 900
            self.export_run(acc, d, t, route, total, ps, rng)

    # ------------------------------------------------------------- traps
    def plan_benign(self):
        rng = self.R("benign")
        # daytime outage with catch-up
        d = rng.choice([x for x in WORKDAYS if 18 <= x <= 60 and x not in AFTER_HOLIDAY])
        s = rng.uniform(9.5, 14.0) * 3600
        self.outage = (d, s, s + rng.uniform(3600, 9000))
        # night outage -> nightly jobs rerun in the morning
        d2 = rng.choice([x for x in WORKDAYS if 15 <= x <= 64 and x != d and DOW[x] in (1, 2, 3, 4)])
        self.night_outage = (d2, 0.9 * 3600, 4.6 * 3600)
        humans = [a for a in self.accounts if not a.service and a.start < ND]
        self.used_orgs = set()
        self.used_accs = set()
        # campaign in one ML org (all advisors more criteria searches for a week)
        mls = [o for o in self.orgs if o.kind in ("ML", "CE") and
               sum(1 for a in o.accounts if a.profile == "CONSEILLER") >= 8]
        if mls:
            o = rng.choice(mls)
            self.used_orgs.add(o.code)
            mon = rng.choice([x for x in WORKDAYS if DOW[x] == 0 and 14 <= x <= 60])
            days = set(x for x in range(mon, mon + 5) if WORKDAY[x])
            accs = [a for a in o.accounts if a.profile == "CONSEILLER" and a.start < ND]
            for a in accs:
                self.campaign[a.idx] = (days, rng.uniform(1.4, 1.9), 3.0)
                self.used_accs.add(a.idx)
            self.benign.append(("campaign", [a.login for a in accs], day_start_u(mon),
                                day_start_u(max(days) + 1)))
        # deadline week in a CD before 31 March (RSA orientation quarterly deadline)
        cds = [o for o in self.orgs if o.kind == "CD" and o.code not in self.used_orgs]
        if cds:
            o = rng.choice(cds)
            self.used_orgs.add(o.code)
            days = [x for x in WORKDAYS if didx(2027, 3, 24) <= x <= didx(2027, 3, 31)]
            accs = [a for a in o.accounts if a.profile in ("TRAVAILLEUR_SOCIAL", "CONSEILLER") and a.start < ND]
            for a in accs:
                f = rng.uniform(1.3, 1.7)
                for x in days:
                    a.boost[x] = a.boost.get(x, 1.0) * f
                self.used_accs.add(a.idx)
            self.benign.append(("deadline_week", [a.login for a in accs], day_start_u(days[0]),
                                day_start_u(days[-1] + 1)))
            # one of them works on Saturday 27 March morning
            cand = [a for a in accs if "leaver" not in a.tags and "new_hire" not in a.tags]
            if cand:
                a = rng.choice(cand)
                self.weekend_work = [(a, didx(2027, 3, 27))]
        # month-end reporting by managers
        self.month_end = []
        for me_days in month_end_days():
            accs = [a for a in humans if a.month_end and a.start <= me_days[0] and a.end >= me_days[-1]]
            self.month_end.append((me_days, accs))
        # caseload transfer after a leaver
        leavers = [a for a in humans if "leaver" in a.tags and a.profile in ADVISOR_PROFILES and a.end < ND - 5]
        self.transfers = []
        rng.shuffle(leavers)
        for lv in leavers[:2]:
            cols = [a for a in lv.org.accounts if not a.service and a.profile in ADVISOR_PROFILES
                    and a is not lv and a.start <= lv.end and a.end > lv.end + 5
                    and a.idx not in self.used_accs]
            if cols:
                c = rng.choice(cols)
                self.used_accs.add(c.idx)
                self.transfers.append((lv, c))
        # one-off data-quality audit by a manager
        self.audit = None
        mg = [a for a in humans if a.profile in ("MANAGER", "ADMIN_LOCAL") and a.org.kind in ("CD", "CAF")
              and a.idx not in self.used_accs and a.start == 0]
        if mg and rng.random() < 0.7:
            a = rng.choice(mg)
            dd = rng.choice([x for x in WORKDAYS if 10 <= x <= 66 and self.human_present(a, x)])
            self.audit = (a, dd, rng.uniform(1000, 2500))
            self.used_accs.add(a.idx)
        # new service account onboarding
        self.new_svc = None
        cands = [o for o in self.orgs if o.kind in ("CD", "ML", "CAF") and not o.svc]
        if cands and rng.random() < 0.85:
            o = rng.choice(cands)
            d0 = rng.choice([x for x in WORKDAYS if 20 <= x <= 58])
            a = self.make_service(rng, o, "svc-flux-insertion", start=d0)
            n = rng.uniform(10000, 50000)
            self.new_svc = (a, d0, n)
            for acc, jobs in o.svc:
                if acc is a:
                    jobs.append({"kind": "nightly_delta", "n": n * rng.uniform(0.01, 0.03), "ps": 1000,
                                 "hour": rng.uniform(1.0, 3.5), "dow": None, "growth": 0.0, "from": d0 + 1})

    def gen_benign_extras(self):
        rng = self.rng_ev
        # weekend work
        for a, d in getattr(self, "weekend_work", []):
            ctx = (a, d, False, a.org.client, a.home_ip, None)
            n = max(5, int(a.base * rng.uniform(0.7, 1.1) / a.epa))
            ts = sorted(rng.uniform(9.0, 12.6) * 3600 for _ in range(n))
            self.me(ctx, ts[0] - 30)
            s = l2u(d, ts[0] - 30)
            for t in ts:
                e = self.action(ctx, t, self.pick_kind(a.mix))
            self.benign.append(("weekend_work", [a.login], s, l2u(d, e + 60)))
        # month-end reporting
        for me_days, accs in self.month_end:
            done = []
            for a in accs:
                for i, d in enumerate(me_days):
                    if not self.human_present(a, d):
                        continue
                    if i == 1 and rng.random() < 0.6:
                        continue
                    ctx = self.ctx_for(a, d, rng)
                    t = rng.uniform(13.8, 16.5) * 3600
                    ps = rng.choice((100, 200))
                    self.pages(ctx, t, "GET", R_TEAM, ps, a.org.pop, 10 ** 6, gap=(2, 9), dur=(6.4, 0.4))
                    if a not in done:
                        done.append(a)
            if done:
                self.benign.append(("month_end_reporting", [a.login for a in done], day_start_u(me_days[0]),
                                    day_start_u(me_days[-1] + 1)))
        # caseload transfer
        for lv, c in self.transfers:
            days = [x for x in WORKDAYS if x > lv.end and self.human_present(c, x)][:3]
            if not days:
                continue
            ks = list(range(lv.cl_off, lv.cl_off + lv.cl_size))
            rng.shuffle(ks)
            per = -(-len(ks) // len(days))
            first = last = None
            for i, d in enumerate(days):
                ctx = self.ctx_for(c, d, rng)
                t = rng.uniform(9.0, 10.5) * 3600
                if i == 0:
                    t = self.pages(ctx, t, "GET", R_TEAM, 50, lv.cl_size, 10 ** 6, gap=(5, 30))
                    first = l2u(d, t) - 600000
                for k in ks[i * per:(i + 1) * per]:
                    t = self.do_view(ctx, t + rng.uniform(20, 140), k)
                    if t > 17.5 * 3600:
                        break
                last = l2u(d, t)
            self.benign.append(("caseload_transfer", [c.login], first, last + 60000))
        # data-quality audit
        if self.audit:
            a, d, target = self.audit
            ctx = self.ctx_for(a, d, rng)
            t0 = t = rng.uniform(13.8, 15.0) * 3600
            got = 0
            while got < target:
                total = rng.randint(150, 700)
                got += total
                t = self.pages(ctx, t, "POST", R_SEARCH, 100, total, 10 ** 6, gap=(4, 20)) + rng.uniform(30, 200)
            self.benign.append(("data_quality_audit", [a.login], l2u(d, t0), l2u(d, t)))
        # new service account: initial load during business hours by IT team
        if self.new_svc:
            a, d0, n = self.new_svc
            t = rng.uniform(10.0, 15.5) * 3600
            end = self.export_run(a, d0, t, R_EXPORT, int(n), 1000, rng)
            self.benign.append(("new_service_account", [a.login], l2u(d0, t), day_start_u(min(ND, d0 + 3))))

    # ------------------------------------------------------------- attacks
    def normal_daily(self, acc):
        v = sorted(acc.day_rec[d] for d in range(ND) if acc.day_ev[d] > 0 and WORKDAY[d])
        return v[len(v) // 2] if v else 0

    def plan_attacks(self):
        rng = self.R("attacks")
        n = rng.randint(6, 8)
        shapes = ["bulk_extraction", "low_and_slow", "new_account", "org_wide", "off_hours"]
        extra = ["bulk_extraction"] * 3 + ["low_and_slow"] * 2 + ["off_hours"] * 2 + ["org_wide", "new_account"]
        while len(shapes) < n:
            shapes.append(rng.choice(extra))
        rng.shuffle(shapes)
        plan = []
        early = rng.random() < 0.5
        rest = shapes
        if early:
            for i, s in enumerate(shapes):
                if s in ("bulk_extraction", "off_hours", "low_and_slow"):
                    plan.append((s, rng.randint(4, 12)))
                    rest = shapes[:i] + shapes[i + 1:]
                    break
        span = 66 - 15
        for i, s in enumerate(rest):
            plan.append((s, int(15 + (i + rng.uniform(0.1, 0.9)) * span / len(rest))))
        self.attack_plan = plan
        self.rng_atk = rng

    def eligible(self, acc, d0, d1, need_present=False):
        if acc.service or acc.idx in self.used_accs or acc.start > 0 or acc.end < ND - 1:
            return False
        if acc.profile not in ADVISOR_PROFILES or acc.tags:
            return False
        if need_present:
            days = [d for d in range(d0, d1 + 1) if WORKDAY[d]]
            if sum(1 for d in days if self.human_present(acc, d)) < 0.7 * len(days):
                return False
        return True

    def gen_attacks(self):
        rng = self.rng_atk
        self.atk_orgs = set()
        for i, (shape, d0) in enumerate(self.attack_plan):
            aid = "A%d" % (i + 1)
            self.atk_stats[aid] = [0, 0, 1 << 62, 0]
            fn = getattr(self, "atk_" + shape)
            accs, org = fn(aid, d0, rng)
            self.atk_orgs.update(a.org.code for a in accs)
            self.attacks.append({"id": aid, "shape": shape, "accs": accs, "org": org})

    def attacker_net(self, rng, n=1):
        kind = "hosting" if rng.random() < 0.6 else "home"
        return [self.new_ip(rng, kind) for _ in range(n)]

    def pick_victims(self, rng, d0, d1, k, need_present=False, min_base=0.0, org=None):
        orgs = [org] if org else [o for o in self.orgs if o.code not in self.atk_orgs]
        for _ in range(300):
            o = rng.choice(orgs)
            c = [a for a in o.accounts if self.eligible(a, d0, d1, need_present) and a.base >= min_base]
            if len(c) >= k:
                v = rng.sample(c, k)
                for a in v:
                    self.used_accs.add(a.idx)
                return v
        raise RuntimeError("no victim")

    def attacker_client(self, rng, acc):
        if rng.random() < 0.4:
            return PORTAL, True
        return acc.org.client, False

    def atk_bulk_extraction(self, aid, d0, rng):
        k = rng.choice((1, 1, 1, 1, 2, 2, 3))
        d0 = min(d0, ND - 6)
        vict = self.pick_victims(rng, d0, d0 + 3, k)
        target = loguniform(rng, 4000, 250000)
        mode = "enum" if rng.random() < 0.2 else "search"
        if mode == "enum":
            target = min(target, rng.uniform(6000, 30000))
        style = rng.choice(("office", "evening", "continuous"))
        ndays = rng.choice((1, 1, 2, 3, 4))
        ips = self.attacker_net(rng, rng.choice((1, 1, 2, 3)))
        ps = rng.choice((100, 100, 50))
        gap0 = rng.uniform(1.2, 6.0)
        # some attackers throttle themselves: a pause after a query
        p_pause, pause = rng.choice(((0.0, 0), (0.15, 600), (0.35, 1500), (0.6, 2400)))
        share = target / k
        for a in vict:
            client, up = self.attacker_client(rng, a)
            got = 0
            d = d0
            eid = rng.randrange(10000000, 99000000)
            per_day = share / ndays
            while got < share and d < ND - 1:
                if style == "office":
                    wins = [(9.2 * 3600, 12.1 * 3600), (13.6 * 3600, 17.8 * 3600)] if WORKDAY[d] else []
                elif style == "evening":
                    wins = [(rng.uniform(18.5, 21) * 3600, rng.uniform(24.5, 26.5) * 3600)]
                else:
                    wins = [(rng.uniform(8, 20) * 3600 if d == d0 else 0.0, 86400.0)]
                today = 0
                for w0, w1 in wins:
                    t = w0 + rng.uniform(0, 600)
                    while t < w1 and got < share and today < per_day * 1.05:
                        ip = rng.choice(ips)
                        ctx = (a, d, up, client, ip, aid)
                        if mode == "enum":
                            r = rng.random()
                            st = 200 if r < 0.7 else (404 if r < 0.95 else 403)
                            sid = "%08d" % eid
                            eid += rng.choice((1, 1, 1, 2, 3))
                            self.emit(a, d, l2u(d, t), up, client, ip, "GET", R_VIEW, sid, "-", "-", "-",
                                      1 if st == 200 else 0, "1", st, int(rng.lognormvariate(4.3, 0.4)), aid)
                            if st == 200:
                                got += 1
                                today += 1
                            t += gap0 * rng.uniform(0.5, 1.5)
                            if rng.random() < p_pause / 40:
                                t += rng.uniform(0.2, 1.0) * pause
                        else:
                            total = int(min(6000, max(120, rng.lognormvariate(6.6, 0.8))))
                            q = self.qid()
                            for p in range(1, -(-total // ps) + 1):
                                if rng.random() < (0.04 if gap0 < 2.5 else 0.005):
                                    self.emit(a, d, l2u(d, t), up, client, ip, "POST", R_SEARCH, "-", q, p, ps,
                                              0, total, 429, int(rng.uniform(2, 9)), aid)
                                    t += rng.uniform(20, 70)
                                ret = min(ps, total - (p - 1) * ps)
                                self.emit(a, d, l2u(d, t), up, client, ip, "POST", R_SEARCH, "-", q, p, ps,
                                          ret, total, 200, int(rng.lognormvariate(6.0, 0.4)), aid)
                                got += ret
                                today += ret
                                t += gap0 * rng.uniform(0.6, 1.6)
                            t += rng.uniform(2, 30)
                            if rng.random() < p_pause:
                                t += rng.uniform(0.2, 1.0) * pause
                d += 1
        return vict, vict[0].org.code

    def atk_low_and_slow(self, aid, d0, rng):
        ndays = rng.randint(4, 10)
        d0 = min(d0, ND - 8)
        d1 = min(ND - 2, d0 + ndays + 4)
        a = self.pick_victims(rng, d0, d1, 1, need_present=True, min_base=15)[0]
        days = [d for d in range(d0, d1 + 1) if self.human_present(a, d)][:ndays]
        m = rng.uniform(2.0, 4.0)
        normal = max(60, self.normal_daily(a))
        own_ip = rng.random() < 0.5
        ext_ip = self.attacker_net(rng, 1)[0] if not own_ip else None
        mix = list(a.mix)
        mix[3] += 0.25
        mix[1] += 0.15
        s = sum(mix)
        mix = [x / s for x in mix]
        for d in days:
            target = (m - 1) * normal * rng.uniform(0.85, 1.15)
            wins = self.windows(a, d, rng)
            got = 0
            while got < target:
                st = self.atk_stats[aid][1]
                t = self.sample_t(wins, rng)
                ip = ext_ip or (a.home_ip if DOW[d] in a.telework else a.org.office_ips[a.idx % len(a.org.office_ips)])
                ctx = (a, d, False, a.org.client, ip, aid)
                self.action(ctx, t, self.pick_kind(mix))
                got += self.atk_stats[aid][1] - st
        return [a], a.org.code

    def atk_new_account(self, aid, d0, rng):
        d0 = min(d0, ND - 6)
        cands = [o for o in self.orgs if o.kind in ("ML", "CE", "CD", "PLIE") and len(o.accounts) >= 5
                 and o.code not in self.used_orgs and o.code not in self.atk_orgs]
        o = rng.choice(cands)
        self.used_orgs.add(o.code)
        names = set(a.user for a in o.accounts)
        user = self.make_user(rng, o, names)
        prof = "TRAVAILLEUR_SOCIAL" if o.kind == "CD" else "CONSEILLER"
        a = self.add_human(rng, o, user, prof)
        a.start = ND  # no ordinary activity: only the attacker uses it
        a.tags = {"attacker"}
        d = d0
        while not WORKDAY[d]:
            d += 1
        target = loguniform(rng, 2000, 40000)
        ndays = rng.choice((1, 2, 2, 3, 4))
        ips = self.attacker_net(rng, rng.choice((1, 2)))
        client, up = self.attacker_client(rng, a)
        evening = rng.random() < 0.35
        ps = rng.choice((50, 100))
        gap0 = rng.uniform(2.5, 15)
        # warm-up: a few ordinary-looking lookups
        ctx = (a, d, up, client, ips[0], aid)
        t = rng.uniform(9.3, 10.5) * 3600
        self.me(ctx, t)
        for _ in range(rng.randint(4, 14)):
            t = self.action(ctx, t + rng.uniform(30, 240), rng.choice((0, 0, 1)))
        got = self.atk_stats[aid][1]
        per_day = target / ndays
        first = True
        while got < target and d < ND - 1:
            if WORKDAY[d] or evening:
                w0, w1 = ((18.5 * 3600, 23.5 * 3600) if evening else (10.0 * 3600, 17.5 * 3600))
                t = max(t + 300, w0 + rng.uniform(0, 1800)) if first else w0 + rng.uniform(0, 1800)
                first = False
                today = 0
                while t < w1 and today < per_day and got < target:
                    ip = rng.choice(ips)
                    total = int(min(4000, max(60, rng.lognormvariate(6.0, 0.9))))
                    q = self.qid()
                    for p in range(1, -(-total // ps) + 1):
                        ret = min(ps, total - (p - 1) * ps)
                        self.emit(a, d, l2u(d, t), up, client, ip, "POST", R_SEARCH, "-", q, p, ps, ret, total,
                                  200, int(rng.lognormvariate(5.9, 0.4)), aid)
                        got += ret
                        today += ret
                        t += gap0 * rng.uniform(0.5, 1.5)
                    if rng.random() < 0.2:
                        t = self.do_view((a, d, up, client, ip, aid), t, rng.randrange(o.pop))
                    t += rng.uniform(5, 90)
            d += 1
        return [a], o.code

    def atk_org_wide(self, aid, d0, rng):
        ndays = rng.randint(2, 5)
        d0 = min(d0, ND - 8)
        days = [x for x in WORKDAYS if x >= d0][:ndays]
        cands = []
        for o in self.orgs:
            if o.code in self.used_orgs or o.code in self.atk_orgs:
                continue
            el = [a for a in o.accounts if self.eligible(a, days[0], days[-1], need_present=True)]
            if len(el) >= 7:
                cands.append((o, el))
        o, el = rng.choice(cands)
        self.used_orgs.add(o.code)
        frac = rng.uniform(0.5, 0.9)
        vict = rng.sample(el, max(5, int(round(frac * len(el)))))
        for a in vict:
            self.used_accs.add(a.idx)
        internal = rng.random() < 0.4
        ips = self.attacker_net(rng, rng.randint(1, 4))
        for a in vict:
            f = rng.uniform(1.5, 3.0)
            normal = max(40, self.normal_daily(a))
            for d in days:
                if not self.human_present(a, d):
                    continue
                target = (f - 1) * normal * rng.uniform(0.8, 1.2)
                wins = self.windows(a, d, rng)
                got = 0
                while got < target:
                    st = self.atk_stats[aid][1]
                    t = self.sample_t(wins, rng)
                    ip = a.org.office_ips[0] if internal else rng.choice(ips)
                    ctx = (a, d, False, a.org.client, ip, aid)
                    self.action(ctx, t, rng.choice((2, 3, 3, 0, 1)))
                    got += self.atk_stats[aid][1] - st
        return vict, o.code

    def atk_off_hours(self, aid, d0, rng):
        d0 = min(d0, ND - 5)
        variant = rng.choice(("night", "night", "weekend", "holiday"))
        if variant == "holiday":
            hs = [h for h in sorted(HOLIDAYS) + [BRIDGE] if h >= d0 - 10]
            if hs:
                d0 = hs[0]
            else:
                variant = "weekend"
        if variant == "weekend":
            while DOW[d0] < 5:
                d0 += 1
        a = self.pick_victims(rng, d0, d0 + 1, 1, min_base=14)[0]
        normal = max(150, self.normal_daily(a))
        target = normal * rng.uniform(0.8, 1.8)  # per occurrence
        nocc = rng.choice((1, 1, 2, 3))
        ip = self.attacker_net(rng, 1)[0]
        client, up = self.attacker_client(rng, a)
        occ_days = [d0]
        while len(occ_days) < nocc:
            nd = occ_days[-1] + 1
            if variant == "weekend":
                while nd < ND and DOW[nd] < 5:
                    nd += 1
            if nd >= ND - 1:
                break
            occ_days.append(nd)
        mix = [0.35, 0.25, 0.15, 0.25, 0.0]
        for d in occ_days:
            if variant == "night":
                t, tend = rng.uniform(22.0, 25.5) * 3600, rng.uniform(27.0, 29.5) * 3600
            else:
                t, tend = rng.uniform(9.5, 15) * 3600, rng.uniform(17, 21) * 3600
            ctx = (a, d, up, client, ip, aid)
            self.me(ctx, t)
            goal = self.atk_stats[aid][1] + target * rng.uniform(0.8, 1.2)
            while self.atk_stats[aid][1] < goal and t < tend:
                t = self.action(ctx, t + rng.uniform(10, 80), self.pick_kind(mix))
        return [a], a.org.code

    # --------------------------------------------------------------- output
    def write(self, outdir):
        rng = self.R("write")
        os.makedirs(outdir, exist_ok=True)
        for f in os.listdir(outdir):
            if f.startswith("gateway-access-"):
                os.remove(os.path.join(outdir, f))
        keys = sorted(self.buckets)
        # duplicate bursts
        bursts = []
        for _ in range(rng.randint(2, 3)):
            d = rng.randrange(3, ND - 3)
            s = l2u(d, rng.uniform(8.5, 17) * 3600)
            bursts.append((s, s + int(rng.uniform(300, 1200) * 1000), int(rng.uniform(600, 1800) * 1000)))
        self.dup_bursts = bursts
        restart_days = set(rng.sample(keys[2:-2], 2))
        n_lines = 0
        for b in keys:
            lines = self.buckets[b]
            lines.sort()
            out = []
            for u, line in lines:
                r = rng.random()
                if r < 0.0015:
                    out.append((u + rng.randint(1000, 300000), line))
                elif r < 0.0017:
                    cut = rng.randint(10, len(line) - 10)
                    out.append((u - 1, line[:cut] + "\n"))
                for s, e, dl in bursts:
                    if s <= u < e:
                        out.append((u + dl, line))
            if out:
                lines.extend(out)
                lines.sort(key=lambda x: x[0])
            if b in restart_days:
                pos = rng.randrange(len(lines) // 4, 3 * len(lines) // 4)
                lines.insert(pos, (0, HEADER))
            dt = date(2027, 2, 28) + timedelta(b)
            path = os.path.join(outdir, "gateway-access-%s.tsv" % dt.strftime("%Y%m%d"))
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(HEADER)
                fh.writelines(x[1] for x in lines)
            n_lines += len(lines) + 1
            self.buckets[b] = None
        return n_lines

    def labels(self):
        def spell(a):
            return a.login_up if a.spell[1] > a.spell[0] else a.login
        atk = []
        for x in self.attacks:
            st = self.atk_stats[x["id"]]
            atk.append({"id": x["id"], "shape": x["shape"], "accounts": [spell(a) for a in x["accs"]],
                        "org": x["org"], "start": iso_s(st[2]), "end": iso_s(st[3] + 1000),
                        "records": st[1], "events": st[0]})
        ben = []
        lst = []
        for d in sorted(HOLIDAYS):
            lst.append(("public_holiday", None, day_start_u(d), day_start_u(d + 1)))
        lst.append(("bridge_day", None, day_start_u(BRIDGE), day_start_u(BRIDGE + 1)))
        for d in sorted(AFTER_HOLIDAY):
            lst.append(("day_after_holiday", None, day_start_u(d), day_start_u(d + 1)))
        lst.append(("dst_change", None, day_start_u(DST_DAY), day_start_u(DST_DAY + 1)))
        for d in range(ND):
            if DOW[d] == 0 and WORKDAY[d]:
                lst.append(("monday_peak", None, day_start_u(d), day_start_u(d + 1)))
        for z in "ABC":
            ds = sorted(SCHOOL_DAYS[z])
            if ds:
                lst.append(("school_holidays_zone_" + z, None, day_start_u(ds[0]), day_start_u(ds[-1] + 1)))
        for o in self.orgs:
            for acc, jobs in o.svc:
                for j in jobs:
                    if j["kind"] in ("nightly_full", "weekly_full", "monthly_full") or j["n"] * 30 > 20000:
                        if self.new_svc and acc is self.new_svc[0]:
                            continue
                        lst.append(("service_" + j["kind"], [acc.login], day_start_u(acc.start), day_start_u(ND)))
        out = self.outage
        lst.append(("outage_catchup", None, l2u(out[0], out[1]), l2u(out[0], out[2] + 7200)))
        if self.reruns:
            lst.append(("nightly_job_rerun", [a.login for a, s, e in self.reruns],
                        l2u(self.night_outage[0], self.night_outage[1]), max(e for a, s, e in self.reruns)))
        for s, e, dl in self.dup_bursts:
            lst.append(("delivery_duplicates", None, s + dl, e + dl))
        lst.extend(self.benign)
        for a in self.accounts:
            if a.service or a.start >= ND:
                continue
            if "new_hire" in a.tags:
                lst.append(("new_advisor", [a.login], day_start_u(a.start), day_start_u(min(ND, a.start + 14))))
            if "return_from_leave" in a.tags:
                lst.append(("return_from_long_leave", [a.login], day_start_u(a.start), day_start_u(min(ND, a.start + 3))))
            for t in sorted(x for x in a.tags if isinstance(x, tuple)):
                lst.append(("vacation_return", [a.login], day_start_u(t[1]), day_start_u(min(ND, t[1] + 2))))
            if "leaver" in a.tags:
                lst.append(("leaver_last_day", [a.login], day_start_u(a.end), day_start_u(a.end + 1)))
        lst.sort(key=lambda x: (x[2], x[0]))
        for i, (kind, accs, s, e) in enumerate(lst):
            item = {"id": "B%d" % (i + 1), "kind": kind}
            if accs:
                item["accounts"] = accs
            item["start"] = iso_s(s)
            item["end"] = iso_s(e)
            ben.append(item)
        n_acc = sum(1 for a in self.accounts if a.spell[0] + a.spell[1] > 0)
        return {"seed": self.seed, "time_zone": "Europe/Paris", "start": iso_s(day_start_u(0)),
                "end": iso_s(day_start_u(ND)), "days": ND, "account_count": n_acc,
                "events": self.n_events, "records": self.n_records, "attacks": atk, "benign": ben}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--labels", required=True)
    args = ap.parse_args()
    g = Gen(args.seed)
    g.build_population()
    g.plan_benign()
    g.plan_attacks()
    g.gen_humans()
    g.gen_services()
    g.gen_benign_extras()
    g.gen_attacks()
    g.write(args.outdir)
    lab = g.labels()
    d = os.path.dirname(os.path.abspath(args.labels))
    os.makedirs(d, exist_ok=True)
    with open(args.labels, "w", encoding="utf-8") as fh:
        json.dump(lab, fh, indent=1, ensure_ascii=False)
        fh.write("\n")
    print("seed %d: %d accounts, %d events, %d records, %d attacks, %d benign -> %s" % (
        args.seed, lab["account_count"], lab["events"], lab["records"], len(lab["attacks"]),
        len(lab["benign"]), args.outdir), file=sys.stderr)


if __name__ == "__main__":
    main()
