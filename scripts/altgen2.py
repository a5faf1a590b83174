#!/usr/bin/env python3
"""altgen2: an independent synthetic access-log generator (standard library only).

Simulates ~60 French partner organisations of a public employment service
(missions locales, conseils departementaux, CCAS, PLIE, Cap emploi, training
bodies, two outsourced call centres) reading job seekers' records, with
benign calendar surprises and five labelled attack shapes.

    python3 scripts/altgen2.py --seed 1 --out ev.jsonl --labels labels.json
    python3 scripts/altgen2.py --check --out ev.jsonl --labels labels.json

Timestamps are UTC ("...Z", milliseconds); behaviour follows Europe/Paris
local time (own DST rule: last Sunday of March / October at 01:00 UTC).
Determinism: a single random.Random(seed); no clock, no set iteration.
"""
import argparse
import bisect
import json
import math
import random
import sys
from datetime import date, datetime, timedelta

DAY = 86400000
H = 3600000
M = 60000
S = 1000
EPOCH = date(1970, 1, 1)
DEFAULT_START = date(2025, 3, 24)  # a Monday; spans DST, Easter Monday, 1 May + bridge

# ----------------------------------------------------------------------------
# calendar


def last_sunday(y, m):
    d = date(y, m + 1, 1) - timedelta(days=1)
    while d.weekday() != 6:
        d -= timedelta(days=1)
    return d


def easter(y):
    a = y % 19
    b, c = divmod(y, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    mo = (h + l - 7 * m + 114) // 31
    da = (h + l - 7 * m + 114) % 31 + 1
    return date(y, mo, da)


def national_holidays(y):
    e = easter(y)
    return {
        date(y, 1, 1): "jour_de_l_an", e + timedelta(days=1): "lundi_de_paques",
        date(y, 5, 1): "fete_du_travail", date(y, 5, 8): "victoire_1945",
        e + timedelta(days=39): "ascension", e + timedelta(days=50): "lundi_de_pentecote",
        date(y, 7, 14): "fete_nationale", date(y, 8, 15): "assomption",
        date(y, 11, 1): "toussaint", date(y, 11, 11): "armistice", date(y, 12, 25): "noel",
    }


def alsace_moselle_holidays(y):
    return {easter(y) - timedelta(days=2): "vendredi_saint", date(y, 12, 26): "saint_etienne"}


# spring 2025 school holidays by zone (first day off, first day back)
SCHOOL = {"A": (date(2025, 4, 5), date(2025, 4, 22)),
          "B": (date(2025, 4, 19), date(2025, 5, 5)),
          "C": (date(2025, 4, 12), date(2025, 4, 28))}


class Clock:
    """Local (Europe/Paris) day index + local ms-of-day <-> UTC epoch ms."""

    def __init__(self, start, ndays):
        self.start, self.n = start, ndays
        self.dates, self.naive, self.off0, self.off1, self.sw = [], [], [], [], []
        for i in range(-1, ndays + 3):
            dt = start + timedelta(days=i)
            ms, os_ = last_sunday(dt.year, 3), last_sunday(dt.year, 10)
            o0 = 2 * H if ms < dt <= os_ else H
            if dt == ms:
                sw, o1 = 2 * H, 2 * H
            elif dt == os_:
                sw, o1 = 3 * H, H
            else:
                sw, o1 = None, o0
            self.dates.append(dt)
            self.naive.append((dt - EPOCH).days * DAY)
            self.off0.append(o0)
            self.off1.append(o1)
            self.sw.append(sw)
        # index 0 of the arrays is day -1
        self.mids = [self.utc(i, 0) for i in range(-1, ndays + 2)]

    def date(self, i):
        return self.dates[i + 1]

    def utc(self, i, lms):
        while lms >= DAY:
            i += 1
            lms -= DAY
        while lms < 0:
            i -= 1
            lms += DAY
        j = i + 1
        sw = self.sw[j]
        off = self.off0[j] if sw is None or lms < sw else self.off1[j]
        return self.naive[j] + lms - off

    def in_gap(self, i, lms):
        dt = self.date(i)
        return dt == last_sunday(dt.year, 3) and 2 * H <= lms < 3 * H

    def day_of(self, ts):
        return bisect.bisect_right(self.mids, ts) - 2

    @staticmethod
    def offset(ts):
        y = (EPOCH + timedelta(milliseconds=ts)).year
        a = (last_sunday(y, 3) - EPOCH).days * DAY + H
        b = (last_sunday(y, 10) - EPOCH).days * DAY + H
        return 2 * H if a <= ts < b else H

    @classmethod
    def local_str(cls, ts, with_ms=True):
        off = cls.offset(ts)
        dt = datetime(1970, 1, 1) + timedelta(milliseconds=ts + off)
        s = dt.strftime("%Y-%m-%dT%H:%M:%S")
        if with_ms:
            s += ".%03d" % (ts % 1000)
        return s + ("+02:00" if off == 2 * H else "+01:00")


_PFX = {}


def fmt_utc(ts):
    d, r = divmod(ts, DAY)
    p = _PFX.get(d)
    if p is None:
        p = _PFX[d] = (EPOCH + timedelta(days=d)).strftime("%Y-%m-%dT")
    h, r = divmod(r, H)
    m, r = divmod(r, M)
    s, ms = divmod(r, S)
    return "%s%02d:%02d:%02d.%03dZ" % (p, h, m, s, ms)


def parse_utc(s):
    """'2025-04-03T07:15:03.120Z' or '...+02:00' -> epoch ms."""
    s = s.strip()
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    dt = datetime.fromisoformat(s)
    return int(round(dt.timestamp() * 1000))


# ----------------------------------------------------------------------------
# vocabulary

FIRST = ("camille lea manon chloe ines sarah julie laura marie emma lucie pauline anais "
         "claire sophie nathalie isabelle sandrine valerie celine stephanie aurelie melanie "
         "elodie karima fatima nadia samia yasmine aicha gaelle morgane noemie oceane justine "
         "margaux charlotte helene agnes brigitte sylvie corinne veronique martine odile "
         "thomas nicolas julien maxime antoine alexandre kevin romain mathieu guillaume "
         "olivier christophe sebastien frederic laurent david jerome patrick philippe eric "
         "karim mehdi youssef rachid mohamed samir bruno pascal thierry franck ludovic cedric "
         "yannick gwenael erwan loic herve didier joel").split()
LAST = ("le gall|kerbrat|lemaire|benali|nguyen|da silva|ferreira|hamidi|boucher|carpentier|"
        "leclercq|delattre|vasseur|dupuis|caron|lejeune|marchand|hoarau|payet|grondin|bouvier|"
        "perrot|gaillard|barbier|arnaud|renaud|schmitt|meyer|weber|klein|hoffmann|lopez|"
        "sanchez|gomez|rodrigues|pereira|mendes|diallo|traore|kone|camara|ndiaye|benaissa|"
        "haddad|mansouri|cherif|lebrun|leblanc|prevost|poulain|huet|charpentier|collet|jacquet|"
        "royer|guillot|aubert|brunet|blanchard|lemoine|fleury|tessier|roche|joly|gilbert|"
        "rolland|picard|riviere|colin|vidal|deschamps|langlois|le roux|jacob|berger|hamon|"
        "morvan|tanguy|le bihan|cornec|riou|pichon|besnard|masse|devaux|maillard|lacroix|"
        "bailly|herve|leroux|baron|boyer|cousin|millet|lucas|guillaume|renard|fabre|"
        "chauvin|paris|rey|marie|roger|mallet|humbert|gauthier|etienne|lecomte|bertin").split("|")

# city, department, school zone
CITIES = [("ROUBAIX", 59, "B"), ("LILLE", 59, "B"), ("AMIENS", 80, "B"), ("ROUEN", 76, "B"),
          ("LE_HAVRE", 76, "B"), ("NANTES", 44, "B"), ("RENNES", 35, "B"), ("BREST", 29, "B"),
          ("QUIMPER", 29, "B"), ("PARIS_18", 75, "C"), ("CRETEIL", 94, "C"), ("MONTPELLIER", 34, "C"),
          ("TOULOUSE", 31, "C"), ("LYON", 69, "A"), ("GRENOBLE", 38, "A"), ("BORDEAUX", 33, "A"),
          ("LIMOGES", 87, "A"), ("CLERMONT", 63, "A"), ("DIJON", 21, "A"), ("BESANCON", 25, "A"),
          ("POITIERS", 86, "A"), ("MARSEILLE", 13, "B"), ("NICE", 6, "B"), ("STRASBOURG", 67, "B"),
          ("METZ", 57, "B"), ("MULHOUSE", 68, "B"), ("ORLEANS", 45, "B"), ("TOURS", 37, "B"),
          ("CAEN", 14, "B"), ("REIMS", 51, "B"), ("SAINT_ETIENNE", 42, "A"), ("PERPIGNAN", 66, "C"),
          ("SAINT_DENIS", 93, "C"), ("ARGENTEUIL", 95, "C"), ("VALENCIENNES", 59, "B"),
          ("LENS", 62, "B"), ("DUNKERQUE", 59, "B"), ("ANGERS", 49, "B"), ("LE_MANS", 72, "B"),
          ("NIMES", 30, "C"), ("PAU", 64, "A"), ("BAYONNE", 64, "A"), ("TROYES", 10, "B")]

# org type: (count, size weight, role mix, account naming style)
ORG_TYPES = [
    ("PFT", 2, 60, [("teleconseiller", 90), ("responsable", 10)], "matricule"),
    ("CD", 8, 30, [("referent", 58), ("gestionnaire", 27), ("responsable", 10), ("conseiller", 5)], "matricule"),
    ("ML", 16, 14, [("conseiller", 80), ("responsable", 10), ("gestionnaire", 10)], "dot"),
    ("CCAS", 8, 5, [("referent", 70), ("responsable", 15), ("gestionnaire", 15)], "email"),
    ("CAPEMPLOI", 6, 9, [("conseiller", 85), ("responsable", 15)], "dot"),
    ("PLIE", 6, 5, [("referent", 80), ("responsable", 20)], "email"),
    ("GRETA", 3, 8, [("formateur", 60), ("gestionnaire", 30), ("responsable", 10)], "email"),
    ("AFPA", 3, 9, [("formateur", 55), ("gestionnaire", 35), ("responsable", 10)], "dot"),
    ("E2C", 4, 5, [("formateur", 45), ("conseiller", 45), ("responsable", 10)], "dot"),
    ("EPIDE", 2, 6, [("conseiller", 70), ("responsable", 30)], "email"),
    ("SIAE", 4, 3, [("conseiller", 70), ("responsable", 30)], "dot"),
]

OFFICE_NETS = (193, 194, 195, 212, 217, 80, 81, 62, 213, 185)
HOME_NETS = (90, 86, 2, 78, 82, 109, 176, 92, 88, 37, 77)
CLOUD_POOLS = ("20.19.%d.%d", "51.103.%d.%d", "15.236.%d.%d", "13.39.%d.%d")
HOSTING_POOLS = ("45.134.%d.%d", "91.92.%d.%d", "194.26.%d.%d", "185.225.%d.%d", "5.181.%d.%d")

# actions: (action, resource)
LOGIN = ("auth.login", "sso")
LOGOUT = ("auth.logout", "sso")
EXPIRE = ("session.expiree", "sso")
VIEW = ("dossier.consulter", "dossier-usager")
EDIT = ("dossier.modifier", "dossier-usager")
DOCS = ("pieces.lister", "pieces-justificatives")
DL = ("piece.telecharger", "pieces-justificatives")
AGENDA = ("rdv.planifier", "agenda")
PRESC = ("prestation.prescrire", "offre-services")
CER = ("cer.modifier", "contrat-engagement")
SEARCH = ("recherche.individu", "annuaire-usagers")
LIST = ("portefeuille.lister", "portefeuille")
TEAM = ("portefeuille.lister", "portefeuille-equipe")
STATS = ("tableau_de_bord.afficher", "pilotage")
EXPORT = ("export.csv", "pilotage")
ATTEST = ("attestation.deposer", "formation")
REAFF = ("dossier.reaffecter", "portefeuille")
QUAL = ("controle_qualite.lister", "qualite-donnees")
SYNC = ("flux.synchro_delta", "flux-partenaire")
FULL = ("flux.synchro_complete", "flux-partenaire")
EXTRACT = ("infocentre.extraction", "flux-partenaire")

SUBJ_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def subj(n):
    return "%07d%s" % (n, SUBJ_LETTERS[(n * 7 + n // 23) % 23])


def chrome_ua(v, os_):
    return "Mozilla/5.0 (%s) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36" % (os_, v)


def browser_ua(fam, dt, lag, os_):
    """Version by release cadence (4 weeks), adopted `lag` days after release."""
    eff = dt - timedelta(days=lag)
    k = (eff - date(2025, 3, 4)).days // 28
    if fam == "chrome":
        return chrome_ua(134 + k, os_)
    if fam == "edge":
        k = (eff - date(2025, 3, 7)).days // 28
        v = 134 + k
        return chrome_ua(v, os_) + " Edg/%d.0.%d.%d" % (v, 3124 + 55 * (v - 134), 51 + (eff.toordinal() % 40))
    if fam == "firefox":
        v = 136 + k
        return "Mozilla/5.0 (%s; rv:%d.0) Gecko/20100101 Firefox/%d.0" % (os_, v, v)
    return "Mozilla/5.0 (%s; rv:128.0) Gecko/20100101 Firefox/128.0" % os_  # ESR, frozen


WIN = "Windows NT 10.0; Win64; x64"
MAC = "Macintosh; Intel Mac OS X 10_15_7"


class Org:
    def __init__(self, name, typ, city, dept, zone, style):
        self.name, self.typ, self.city, self.dept, self.zone, self.style = name, typ, city, dept, zone, style
        self.humans, self.apis = [], []
        self.pool = []


class Acct:
    __slots__ = ("name", "org", "role", "api", "sched", "offdays", "tele", "rate", "case", "fam",
                 "os", "lag", "home", "office", "hire", "depart", "leave", "sick", "bridge_off",
                 "work", "mult", "shift", "sat", "start_m", "end_m", "lunch_m", "lunch_d",
                 "akind", "minute", "ip_fixed", "rotating", "ua_api", "size", "pagesz", "weekend",
                 "behav", "back")

    def __init__(self, name, org, role):
        self.name, self.org, self.role = name, org, role
        self.api = False
        self.hire, self.depart, self.leave = 0, 10 ** 9, None
        self.sick = ()
        self.mult = {}
        self.case = []
        self.back = []


class Gen:
    def __init__(self, seed, ndays, naccounts, no_role, start=DEFAULT_START, collect=False):
        self.seed, self.n, self.no_role = seed, ndays, no_role
        self.rng = random.Random(seed)
        self.clock = Clock(start, ndays)
        self.enc = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
        self.buckets = {}
        self.seq = 0
        self.flushed = -1
        self.tot_events = self.tot_records = 0
        self.seen = {}
        self.atk = {}
        self.atk_lines = {} if collect else None  # attack lines, for the checker
        self.benign = []
        self.hist = {}
        self.used_names = {}
        self._calendar()
        self._world(naccounts)
        self._plans()
        self._benign_events()
        self._attacks()

    # ------------------------------------------------------------------ world
    def _calendar(self):
        c = self.clock
        self.hol, self.reg_hol, self.bridge = {}, {}, set()
        years = sorted({c.date(i).year for i in range(self.n)})
        nat, als = {}, {}
        for y in years:
            nat.update(national_holidays(y))
            als.update(alsace_moselle_holidays(y))
        for i in range(self.n):
            dt = c.date(i)
            if dt in nat:
                self.hol[i] = nat[dt]
            if dt in als:
                self.reg_hol[i] = als[dt]
        for i, name in list(self.hol.items()):
            wd = c.date(i).weekday()
            if wd == 3 and i + 1 < self.n:
                self.bridge.add(i + 1)
            if wd == 1 and i - 1 >= 0:
                self.bridge.add(i - 1)

    def _name(self, org, style):
        r = self.rng
        while True:
            fn, ln = r.choice(FIRST), r.choice(LAST)
            if style == "matricule":
                base = "%s%06d" % (r.choice("TUX"), r.randint(100000, 999999))
            elif style == "email":
                base = "%s.%s@%s.fr" % (fn, ln.replace(" ", ""), org.name.lower().replace("_", "-"))
            else:
                base = "%s.%s" % (fn, ln.replace(" ", ""))
            k = self.used_names.get(base, 0)
            self.used_names[base] = k + 1
            if k == 0:
                return base
            if style == "matricule":
                continue
            if style == "email":
                u, d = base.split("@")
                return "%s%d@%s" % (u, k + 1, d)
            return "%s%d" % (base, k + 1)

    def _world(self, naccounts):
        r = self.rng
        c = self.clock
        n_api = max(8, round(naccounts * 0.025))
        n_hum = naccounts - n_api - 1  # one more: the attacker-created account
        cities = CITIES[:]
        self.orgs = []
        weights = []
        for typ, cnt, w, mix, style in ORG_TYPES:
            r.shuffle(cities)
            for k in range(cnt):
                city, dept, zone = cities[k % len(cities)]
                if typ == "CD":
                    name = "CD%02d" % dept
                    if any(o.name == name for o in self.orgs):
                        name = "CD%02d_%s" % (dept, city[:3])
                else:
                    name = "%s_%s" % (typ, city)
                    if any(o.name == name for o in self.orgs):
                        name += "_%d" % (k + 2)
                o = Org(name, typ, city, dept, zone, style)
                o.mix = mix
                self.orgs.append(o)
                weights.append(w * min(5.0, r.paretovariate(1.5)))
        tw = sum(weights)
        sizes = [max(2, int(n_hum * w / tw)) for w in weights]
        while sum(sizes) > n_hum:
            j = max(range(len(sizes)), key=lambda x: sizes[x])
            sizes[j] -= 1
        cap = max(20, int(0.15 * n_hum))
        sizes = [min(cap, x) for x in sizes]
        while sum(sizes) < n_hum:
            j = r.randrange(len(sizes))
            if sizes[j] < cap:
                sizes[j] += 1
        self.humans = []
        for o, sz in zip(self.orgs, sizes):
            b = r.choice(OFFICE_NETS)
            net = "%d.%d.%d." % (b, r.randint(1, 254), r.randint(0, 255))
            o.offices = [net + str(r.randint(2, 250)) for _ in range(r.choice((1, 1, 2, 3)))]
            o.vpn = net + str(r.randint(2, 250)) if r.random() < 0.6 else None
            o.fam = r.choice(("edge", "edge", "chrome", "ff_esr")) if o.typ in ("CD", "PFT") else None
            o.base = ((o.dept * 97 + r.randint(0, 40)) % 990) * 10000
            roles = [x for x, _ in o.mix]
            rw = [x for _, x in o.mix]
            for j in range(sz):
                role = roles[0] if j == 0 and sz < 4 else r.choices(roles, rw)[0]
                if j == 0 and "responsable" in roles:
                    role = "responsable"
                a = Acct(self._name(o, o.style), o, role)
                self._human_traits(a)
                o.humans.append(a)
                self.humans.append(a)
        for o in self.orgs:
            for a in o.humans:
                o.pool.extend(a.case)
            if not o.pool:
                o.pool = [o.base + r.randint(0, 99999) for _ in range(200)]
        # integration accounts
        self.apis = []
        big = sorted(self.orgs, key=lambda o: -len(o.humans))
        kinds = ["hourly"] * 10 + ["batch"] * 8 + ["nightly"] * 6 + ["weekly"] * 4 + ["monthly"] * 2
        vendors = {"ML": "imilo", "CD": "solis", "CCAS": "millesime", "PLIE": "abc-viesion",
                   "GRETA": "ypareo", "AFPA": "ypareo", "CAPEMPLOI": "cheops", "PFT": "genesys",
                   "E2C": "ypareo", "EPIDE": "sirh", "SIAE": "asp"}
        for j in range(n_api):
            o = big[j % len(big)] if j < len(big) else r.choice(self.orgs)
            kind = kinds[j % len(kinds)]
            if r.random() < 0.5:
                name = "svc-%s-%s" % (vendors[o.typ], o.name.lower().replace("_", "-"))
            else:
                name = "API_%s_%s" % (o.name, kind.upper())
            if name in self.used_names:
                name += "-%d" % j
            self.used_names[name] = 1
            a = Acct(name, o, "api" if r.random() < 0.8 else "")
            a.api = True
            a.akind = kind
            a.minute = r.randint(0, 59)
            a.rotating = r.random() < 0.4
            a.ip_fixed = o.offices[0][:o.offices[0].rfind(".") + 1] + str(r.randint(2, 250))
            pool = r.choice(CLOUD_POOLS)
            a.home = [pool % (r.randint(0, 255), r.randint(1, 254)) for _ in range(12)] if a.rotating else None
            a.ua_api = r.choice(("Apache-HttpClient/4.5.14 (Java/17.0.10)", "okhttp/4.12.0",
                                 "python-requests/2.28.2", "Go-http-client/1.1", None, "Talend-ESB/8.0.1"))
            a.size = r.randint(40000, 180000)
            a.pagesz = r.choice((500, 1000, 2000))
            a.rate = r.uniform(0.5, 2.0)
            o.apis.append(a)
            self.apis.append(a)
        self.accounts = self.humans + self.apis

    def _human_traits(self, a):
        r = self.rng
        role = a.behav = a.role
        if r.random() < 0.025:
            a.role = ""  # missing in the directory export; behaves as before
        a.offdays = ()
        a.tele = ()
        if role == "teleconseiller":
            a.sched = "shift"
            a.shift = r.randint(0, 1)
            a.sat = r.randint(0, 3)
            if r.random() < 0.2:
                a.offdays = (r.choice((0, 2, 4)),)
            if r.random() < 0.2:
                a.tele = (0, 1, 2, 3, 4, 5)  # fully home based
        else:
            x = r.random()
            a.sched = "std" if x < 0.72 else "early" if x < 0.8 else "late" if x < 0.9 else "mornings"
            if a.sched != "mornings" and r.random() < 0.18:
                a.offdays = (r.choice((2, 2, 2, 0, 4)),)
            if r.random() < 0.45:
                a.tele = tuple(sorted(set(r.choice(((0,), (4,), (2,), (0, 4), (1, 3), (3,))))))
        base = {"conseiller": 2.2, "referent": 1.8, "teleconseiller": 6.5, "responsable": 1.3,
                "gestionnaire": 2.8, "formateur": 0.9}[role]
        a.rate = base * r.lognormvariate(0, 0.35)
        a.start_m = {"std": r.gauss(8.7, 0.35), "early": r.uniform(6.6, 7.3), "late": r.uniform(9.4, 10.0),
                     "mornings": r.uniform(8.2, 9.0), "shift": 0}[a.sched]
        a.end_m = {"std": r.gauss(17.3, 0.45), "early": r.uniform(14.6, 15.6), "late": r.uniform(18.4, 19.2),
                   "mornings": r.uniform(12.2, 12.8), "shift": 0}[a.sched]
        a.lunch_m = r.uniform(11.9, 12.7)
        a.lunch_d = r.choice((0.35, 0.75, 1.0, 1.25, 1.5)) if a.sched in ("std", "late") else 0.5
        a.weekend = r.random() < 0.02
        if role == "teleconseiller":
            a.fam = a.org.fam or "chrome"
        else:
            a.fam = a.org.fam or r.choices(("chrome", "edge", "firefox"), (60, 30, 10))[0]
        a.os = MAC if (a.org.fam is None and r.random() < 0.03) else WIN
        a.lag = r.randint(1, 7) if a.fam == "edge" else r.randint(0, 4)
        hn = r.choice(HOME_NETS)
        a.home = "%d.%d.%d.%d" % (hn, r.randint(1, 254), r.randint(0, 255), r.randint(1, 254))
        a.office = r.choice(a.org.offices) if a.org.offices else None
        nc = {"conseiller": (80, 250), "referent": (40, 120), "formateur": (15, 40),
              "gestionnaire": (0, 0), "responsable": (0, 0), "teleconseiller": (0, 0)}[role]
        a.case = [a.org.base + r.randint(0, 99999) for _ in range(r.randint(*nc))] if nc[1] else []

    # ------------------------------------------------------------------ plans
    def _plans(self):
        r, c, n = self.rng, self.clock, self.n
        self.leaves, self.new_hires = [], []
        hs = self.humans
        # new hires: first seen during the period, ramping up
        cand = [a for a in hs if a.role in ("conseiller", "referent", "teleconseiller", "gestionnaire")]
        for a in r.sample(cand, max(2, len(hs) // 100)):
            a.hire = self._workday_at_or_after(r.randint(4, max(5, n - 9)))
            self.new_hires.append(a)
        for a in hs:
            # leave (school holidays bias), 1 or 2 weeks
            if a.hire == 0 and r.random() < 0.18:
                zs, ze = SCHOOL[a.org.zone]
                s0 = (zs - c.start).days
                if 0 <= s0 < n and r.random() < 0.6:
                    st = s0 + (2 if c.date(s0).weekday() == 5 else 0)  # monday after saturday
                    if r.random() < 0.4:
                        st += 7
                else:
                    st = r.randrange(0, max(1, n - 5))
                    st -= c.date(st).weekday()
                    st = max(0, st)
                ln = r.choice((5, 7, 7, 12, 14))
                a.leave = (st, min(n, st + ln))
                if a.leave[0] < a.leave[1]:
                    self.leaves.append(a)
                else:
                    a.leave = None
            sick = []
            d = 0
            while d < n:
                if r.random() < 0.012:
                    k = r.choice((1, 1, 1, 2, 3))
                    sick.extend(range(d, d + k))
                    d += k
                d += 1
            a.sick = tuple(sick)
            a.bridge_off = tuple(b for b in sorted(self.bridge)
                                 if r.random() < (0.35 if a.behav == "teleconseiller" else 0.6))
            a.work = [self._works(a, d) for d in range(n)]
            if a.leave:
                back = [d for d in range(a.leave[1], n) if a.work[d]][:2]
                for k, d in enumerate(back):
                    a.mult[d] = r.uniform(1.6, 2.2) if k == 0 else r.uniform(1.25, 1.6)
                a.back = back
        for a in self.new_hires:
            k = 0
            for d in range(a.hire, n):
                if a.work[d]:
                    a.mult[d] = min(1.0, 0.12 + 0.09 * k)
                    k += 1

    def _workday_at_or_after(self, d):
        while d < self.n - 1 and (self.clock.date(d).weekday() >= 5 or d in self.hol):
            d += 1
        return d

    def is_workday(self, d):
        return self.clock.date(d).weekday() < 5 and d not in self.hol

    def _works(self, a, d):
        if d < a.hire or d >= a.depart:
            return False
        if d in self.hol:
            return False
        if d in self.reg_hol and a.org.dept in (57, 67, 68):
            return False
        if a.leave and a.leave[0] <= d < a.leave[1]:
            return False
        if d in a.sick or d in a.bridge_off:
            return False
        wd = self.clock.date(d).weekday()
        if wd in a.offdays:
            return False
        if a.sched == "shift":
            if wd == 6:
                return False
            if wd == 5:
                return (d // 7 + a.sat) % 4 == 0
            return True
        return wd < 5

    # ------------------------------------------------------------------ benign
    def _lab(self, kind, accounts, d0, d1):
        c = self.clock
        e = {"id": "ben-%d-%s" % (len(self.benign) + 1, kind), "kind": kind}
        if accounts is not None:
            e["accounts"] = [a.name for a in accounts]
        e["start"] = Clock.local_str(c.utc(d0, 0), False)
        e["end"] = Clock.local_str(c.utc(d1, 0), False)
        self.benign.append(e)

    def _benign_events(self):
        r, c, n = self.rng, self.clock, self.n
        self.special = {}  # (account name, day) -> list of extra kinds
        self.busy = set()
        for a in self.new_hires + self.leaves:
            self.busy.add(a.name)
        # calendar-wide
        for i in range(n):
            dt = c.date(i)
            if dt == last_sunday(dt.year, 3) or dt == last_sunday(dt.year, 10):
                self._lab("dst_change", None, i, i + 1)
        for i in sorted(self.hol):
            self._lab("holiday", None, i, i + 1)
        for i in sorted(self.reg_hol):
            if i not in self.hol:
                self._lab("regional_holiday", [a for a in self.humans if a.org.dept in (57, 67, 68)], i, i + 1)
        for i in sorted(self.bridge):
            self._lab("bridge_day", None, i, i + 1)
        for i in range(n):
            dt = c.date(i)
            if (dt - date(2025, 3, 4)).days % 28 == 0 or (dt - date(2025, 3, 7)).days % 28 == 0:
                if (dt - date(2025, 3, 4)).days % 28 == 0:
                    self._lab("browser_update", None, i, min(n, i + 11))
        # leave and return, new hires
        for a in self.leaves:
            self._lab("leave", [a], a.leave[0], a.leave[1])
            back = a.back
            if back:
                self._lab("return_from_leave", [a], back[0], back[-1] + 1)
        for a in self.new_hires:
            self._lab("new_hire", [a], a.hire, min(n, a.hire + 14))
        # regional deadline week: referents of several CD/CCAS/PLIE organisations
        mondays = [i for i in range(7, n - 5) if c.date(i).weekday() == 0]
        if mondays:
            wk = r.choice(mondays)
            orgs = [o for o in self.orgs if o.typ in ("CD", "CCAS", "PLIE")]
            orgs = r.sample(orgs, min(len(orgs), r.randint(3, 5)))
            accs = [a for o in orgs for a in o.humans if a.role == "referent"]
            for a in accs:
                f = r.uniform(2.0, 3.0)
                for d in range(wk, wk + 5):
                    a.mult[d] = a.mult.get(d, 1.0) * f
                self.busy.add(a.name)
            self._lab("deadline_week", accs, wk, wk + 5)
        # reorganisation: caseloads of two leavers transferred in one day
        mls = [o for o in self.orgs if o.typ in ("ML", "CAPEMPLOI")
               and sum(1 for a in o.humans if a.role == "conseiller" and a.hire == 0) >= 7
               and any(a.role == "responsable" for a in o.humans)]
        if mls:
            o = r.choice(mls)
            T = self._workday_at_or_after(r.randint(12, n - 6))
            cons = [a for a in o.humans if a.role == "conseiller" and a.hire == 0 and a.leave is None]
            r.shuffle(cons)
            leavers, recv = cons[:2], cons[2:2 + r.randint(3, 4)]
            boss = [a for a in o.humans if a.role == "responsable"][0]
            moved = []
            for a in leavers:
                a.depart = T
                a.work = [self._works(a, d) for d in range(n)]
                moved.extend(a.case)
            if not boss.work[T]:
                boss.work[T] = True
            share = {}
            for k, s in enumerate(moved):
                share.setdefault(recv[k % len(recv)].name, []).append(s)
            self.transfer = (T, boss, recv, share)
            for a in recv:
                a.work[T] = True
            for a in [boss] + recv:
                self.busy.add(a.name)
            for a in leavers:
                self.busy.add(a.name)
            self._lab("caseload_transfer", [boss] + recv, T, T + 1)
        else:
            self.transfer = None
        # data-quality campaign: supervisors review many files for two days
        days = [i for i in range(8, n - 3) if self.is_workday(i) and self.is_workday(i + 1)]
        if days:
            d0 = r.choice(days)
            resp = [a for a in self.humans if a.role == "responsable" and a.work[d0]]
            resp = r.sample(resp, min(len(resp), max(8, len(resp) // 3)))
            for a in resp:
                for d in (d0, d0 + 1):
                    if a.work[d]:
                        self.special.setdefault((a.name, d), []).append("dq")
                self.busy.add(a.name)
            self._lab("data_quality_campaign", resp, d0, d0 + 2)
        # month-end / quarter-end reporting
        for i in range(n):
            dt = c.date(i)
            if not self.is_workday(i):
                continue
            last = True
            j = i + 1
            while True:
                dj = self.clock.start + timedelta(days=j)
                if dj.month != dt.month:
                    break
                if dj.weekday() < 5 and j not in self.hol:
                    last = False
                    break
                j += 1
            if last:
                accs = [a for a in self.humans if a.role in ("responsable", "gestionnaire") and a.work[i]
                        and a.org.typ in ("CD", "ML", "PFT", "CAPEMPLOI", "PLIE")]
                for a in accs:
                    self.special.setdefault((a.name, i), []).append("monthend")
                self._lab("quarter_end" if dt.month in (3, 6, 9, 12) else "month_end", accs, i, i + 1)
        # integration accounts: weekly full syncs, monthly extracts, rotating addresses
        wk = [a for a in self.apis if a.akind == "weekly"]
        if wk:
            self._lab("weekly_full_sync", wk, 0, n)
        mo = [a for a in self.apis if a.akind == "monthly"]
        for i in range(n):
            if c.date(i).day == 1 and mo:
                self._lab("monthly_extract", mo, i, i + 1)
        rot = [a for a in self.apis if a.rotating]
        if rot:
            self._lab("rotating_cloud_ip", rot, 0, n)
        tc = [a for a in self.humans if a.sched == "shift"]
        sats = [i for i in range(n) if c.date(i).weekday() == 5 and i not in self.hol]
        if tc and sats:
            self._lab("saturday_call_centre", tc, sats[0], sats[-1] + 1)

    # ------------------------------------------------------------------ attacks
    def _free(self, a, d0, d1):
        return (a.name not in self.busy and a.hire == 0 and a.leave is None and a.depart > self.n
                and a.name not in self.atk_used)

    def _attacks(self):
        r, n = self.rng, self.n
        self.atk_used = set()
        self.extra_plan = {}  # (name, day) -> list of ("clone", factor, atk) / ("night", atk)
        first = 10
        partner_types = ("ML", "CAPEMPLOI", "PLIE", "CCAS", "E2C", "SIAE", "EPIDE")
        # 1. bulk extraction
        orgs = [o for o in self.orgs if o.typ in partner_types
                and sum(1 for a in o.humans if self._free(a, 0, n) and a.role in ("conseiller", "referent")) >= 3]
        o = r.choice(orgs)
        k = r.choice((1, 2, 2, 3))
        victims = r.sample([a for a in o.humans if self._free(a, 0, n) and a.role in ("conseiller", "referent")], k)
        D = r.randint(first, n - 6)
        nd = r.randint(2, 4)
        aid = self._new_atk("bulk_extraction", victims, o)
        hosting = r.choice(HOSTING_POOLS)
        h3 = r.randint(0, 255)
        uas = ["python-requests/2.31.0",
               chrome_ua(119, "X11; Linux x86_64"),
               "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 Safari/537.36"]
        r.shuffle(uas)
        for vi, a in enumerate(victims):
            self.atk_used.add(a.name)
            target = r.randint(150000, 550000)
            ips = [hosting % (h3, r.randint(2, 250)) for _ in range(r.randint(2, 6))]
            ua = uas[vi % len(uas)]
            page = r.choice((100, 100, 200, 250))
            delay = r.uniform(1200, 3500)
            runs = []
            for d in range(D, D + nd):
                for _ in range(r.randint(2, 4)):
                    runs.append(d)
            per = target / len(runs)
            left = target
            for ri, d in enumerate(runs):
                want = left if ri == len(runs) - 1 else max(page, int(per * r.uniform(0.7, 1.3)))
                want = min(want, left)
                left -= want
                pages = math.ceil(want / page)
                dur = int(pages * delay * 1.1) + 60000
                lo, hi = 6 * H, DAY - 10 * M - dur
                t = r.randint(lo, max(lo, hi)) if hi > lo else 10 * M
                sess = "%016x" % r.getrandbits(64)
                ip = r.choice(ips)
                self._emit(self.clock.utc(d, t), a, LOGIN, 0, None, sess, ip, ua, aid)
                t += r.randint(800, 3000)
                rem = want
                while rem > 0:
                    take = min(page, rem)
                    rem -= take
                    self._emit(self.clock.utc(d, t), a, SEARCH, take, None, sess, ip, ua, aid)
                    t += int(delay * r.uniform(0.6, 1.4))
        # 2. low and slow
        cands = [a for a in self.humans if self._free(a, 0, n) and a.role in ("conseiller", "referent")
                 and a.sched in ("std", "late") and not a.offdays]
        a = r.choice(cands)
        self.atk_used.add(a.name)
        aid = self._new_atk("low_and_slow", [a], a.org)
        D = r.randint(first, n - 14)
        ndays = r.randint(4, 8)
        days = [d for d in range(D, n - 1) if a.work[d] and d not in self.bridge][:ndays]
        for d in days:
            self.extra_plan.setdefault((a.name, d), []).append(("clone", r.uniform(2.3, 3.6), aid))
        # 3. new account
        o = r.choice([x for x in self.orgs if x.typ in partner_types and x is not victims[0].org])
        na = Acct(self._name(o, o.style), o, r.choice(("conseiller", "")))
        na.api = False
        aid = self._new_atk("new_account", [na], o)
        d = self._workday_at_or_after(r.randint(first, n - 3))
        hn = r.choice(HOME_NETS)
        ip = "%d.%d.%d.%d" % (hn, r.randint(1, 254), r.randint(0, 255), r.randint(1, 254))
        ua = browser_ua("chrome", self.clock.date(d), 1, WIN)
        t = r.randint(int(9.3 * H), 14 * H)
        sess = "%016x" % r.getrandbits(64)
        self._emit(self.clock.utc(d, t), na, LOGIN, 0, None, sess, ip, ua, aid)
        target = r.randint(4000, 15000)
        got = 0
        while got < target:
            t += r.randint(3000, 25000)
            x = r.random()
            if x < 0.45:
                rec = 50
                self._emit(self.clock.utc(d, t), na, LIST, rec, None, sess, ip, ua, aid)
            elif x < 0.75:
                rec = r.randint(15, 25)
                self._emit(self.clock.utc(d, t), na, SEARCH, rec, None, sess, ip, ua, aid)
            else:
                rec = 1
                self._emit(self.clock.utc(d, t), na, VIEW, None, subj(o.base + r.randint(0, 99999)), sess, ip, ua, aid)
            got += rec
        self.accounts.append(na)
        # 4. org-wide
        orgs = [x for x in self.orgs if x.typ in ("ML", "CAPEMPLOI", "E2C", "EPIDE", "CD", "AFPA")
                and x is not victims[0].org and x is not o]
        r.shuffle(orgs)
        for ow in orgs:
            D = self._workday_at_or_after(r.randint(first, n - 4))
            two = r.random() < 0.5 and self.is_workday(D + 1)
            dd = [D, D + 1] if two else [D]
            accs = [a for a in ow.humans if self._free(a, 0, n) and a.behav not in ("teleconseiller", "responsable")
                    and all(a.work[x] for x in dd)]
            if len(accs) >= 6:
                break
        if len(accs) < 5:
            raise RuntimeError("no organisation for org_wide")
        accs = r.sample(accs, min(len(accs), r.randint(6, 12)))
        aid = self._new_atk("org_wide", accs, ow)
        for a in accs:
            self.atk_used.add(a.name)
            f = r.uniform(1.8, 2.8)
            for x in dd:
                self.extra_plan.setdefault((a.name, x), []).append(("clone", f, aid))
        # 5. off hours
        cands = [a for a in self.humans if self._free(a, 0, n) and a.role in ("conseiller", "referent", "gestionnaire")]
        a = r.choice(cands)
        self.atk_used.add(a.name)
        aid = self._new_atk("off_hours", [a], a.org)
        ds = [d for d in range(first, n - 2) if a.work[d]]
        d = r.choice(ds)
        self.extra_plan.setdefault((a.name, d), []).append(("night", 1.0, aid))

    def _new_atk(self, shape, accs, org):
        aid = "atk-%d-%s" % (len(self.atk) + 1, shape)
        self.atk[aid] = {"id": aid, "shape": shape, "accounts": [a.name for a in accs], "org": org.name,
                         "t0": None, "t1": None, "records": 0, "events": 0}
        return aid

    # ------------------------------------------------------------------ output
    def _emit(self, ts, a, act, rec, sub, sess, ip, ua, atk=None):
        d = {"ts": fmt_utc(ts), "account": a.name, "org": a.org.name}
        if not self.no_role:
            d["role"] = a.role
        if sess is not None:
            d["session"] = sess
        if ip is not None:
            d["src_ip"] = ip
        if ua is not None:
            d["user_agent"] = ua
        d["action"] = act[0]
        d["resource"] = act[1]
        if sub is not None:
            d["subject"] = subj(sub) if isinstance(sub, int) else sub
        if rec is not None:
            d["records"] = rec
        line = self.enc(d)
        day = self.clock.day_of(ts)
        if day <= self.flushed or day < 0 or day >= self.n:
            raise RuntimeError("event outside open window: %s day %d" % (d["ts"], day))
        self.seq += 1
        self.buckets.setdefault(day, []).append((ts, self.seq, line))
        self.tot_events += 1
        rr = 1 if rec is None else rec
        self.tot_records += rr
        if a.name not in self.seen:
            self.seen[a.name] = ts
        else:
            self.seen[a.name] = min(self.seen[a.name], ts)
        if atk:
            s = self.atk[atk]
            s["events"] += 1
            s["records"] += rr
            s["t0"] = ts if s["t0"] is None else min(s["t0"], ts)
            s["t1"] = ts if s["t1"] is None else max(s["t1"], ts)
            if self.atk_lines is not None:
                self.atk_lines.setdefault(atk, []).append(line)

    def _flush(self, d, out):
        b = self.buckets.pop(d, [])
        b.sort()
        out(b)
        self.flushed = d

    # ------------------------------------------------------------------ humans
    def _blocks(self, a, d, wd):
        r = self.rng
        j = lambda s: r.gauss(0, s)
        if a.sched == "shift":
            if wd == 5:
                return [(9 * H + int(j(0.1) * H), int(12.5 * H + j(0.15) * H))]
            am = ((d // 7) + a.shift) % 2 == 0
            if am:
                return [(int((8 + j(0.05)) * H), int(11.0 * H + j(0.2) * H)),
                        (int(11.4 * H + j(0.2) * H), int((14 + j(0.05)) * H))]
            return [(int((14 + j(0.05)) * H), int(17.3 * H + j(0.2) * H)),
                    (int(17.8 * H + j(0.2) * H), int((21 + j(0.05)) * H))]
        st = a.start_m + j(0.2)
        en = a.end_m + j(0.25)
        if wd == 4 and a.sched == "std" and r.random() < 0.6:
            en -= 0.75
        if a.sched == "mornings":
            return [(int(st * H), int(en * H))]
        ls = a.lunch_m + j(0.15)
        le = ls + a.lunch_d + abs(j(0.1))
        if a.sched == "early":
            ls, le = 11.4 + j(0.1), 11.9 + j(0.1)
        blocks = [(int(st * H), int(ls * H)), (int(le * H), int(en * H))]
        return [(x, y) for x, y in blocks if y - x > 10 * M]

    def _ctx(self, a, d, wd):
        tele = wd in a.tele
        ip = (a.org.vpn or a.home) if tele else a.office
        if tele and a.org.vpn is None and self.rng.random() < 0.15:
            ip = a.home  # 4G box / second line
        return ip, browser_ua(a.fam, self.clock.date(d), a.lag, a.os)

    def _pick_case(self, a):
        r = self.rng
        if a.case and r.random() < 0.88:
            return r.choice(a.case)
        return a.org.base + r.randint(0, 99999)

    def _visit(self, a, t, ev, sess, ip, ua, mult):
        """Append one unit of work at local time t; returns the time it ends."""
        r = self.rng
        role = a.behav
        step = lambda: int(r.lognormvariate(10.1, 0.8))

        def add(act, rec=None, sub=None, noua=False):
            nonlocal t
            ip2 = ip if r.random() > 0.012 else None
            ev.append((t, act, rec, sub, sess, ip2, None if noua else ua))
            t += step()

        x = r.random()
        if role == "teleconseiller":
            add(SEARCH, r.choice((1, 1, 1, 1, 2, 3, 0)))
            s = a.org.base + r.randint(0, 99999) if r.random() < 0.3 else r.randint(0, 9999999)
            add(VIEW, None, s)
            if r.random() < 0.55:
                add(EDIT, None, s)
            if r.random() < 0.2:
                add(AGENDA, None, s)
            if r.random() < 0.05:
                add(DL, None, s, True)
        elif role in ("conseiller", "referent"):
            if x < 0.45:
                s = self._pick_case(a)
                add(VIEW, None, s)
                if r.random() < 0.7:
                    add(DOCS, r.randint(0, 9), s)
                for _ in range(r.choice((0, 0, 1, 1, 2))):
                    add(DL, None, s, True)
                if r.random() < 0.6:
                    add(CER if role == "referent" and r.random() < 0.5 else EDIT, None, s)
                if r.random() < 0.25:
                    add(AGENDA, None, s)
                if r.random() < 0.12:
                    add(PRESC, None, s)
            elif x < 0.70:
                add(SEARCH, r.choice((0, 1, 1, 2, 3, 5, 8, 12, 20, 25)))
                for _ in range(r.choice((1, 1, 2))):
                    add(VIEW, None, a.org.base + r.randint(0, 99999))
            elif x < 0.80 and a.case:
                nc = len(a.case)
                for p in range(r.choice((1, 1, 1, 2, 2, 3))):
                    add(LIST, max(0, min(20, nc - 20 * p)))
            else:
                s = self._pick_case(a)
                add(VIEW, None, s)
                add(EDIT, None, s)
        elif role == "responsable":
            if x < 0.3:
                add(STATS, 0)
            elif x < 0.6:
                add(TEAM, r.randint(40, 400))
            elif x < 0.97:
                s = r.choice(a.org.pool)
                add(VIEW, None, s)
                if r.random() < 0.3:
                    add(EDIT, None, s)
            else:
                add(EXPORT, r.randint(100, 1500))
        elif role == "gestionnaire":
            s = a.org.base + r.randint(0, 99999)
            if x < 0.15:
                add(SEARCH, r.choice((0, 1, 1, 2, 4, 10)))
            add(VIEW, None, s)
            if r.random() < 0.6:
                add(DOCS, r.randint(1, 12), s)
            for _ in range(r.choice((0, 1, 1, 2, 3))):
                add(DL, None, s, True)
            if r.random() < 0.5:
                add(EDIT, None, s)
        else:  # formateur
            s = self._pick_case(a)
            add(VIEW, None, s)
            if r.random() < 0.5:
                add(ATTEST, None, s)
        return t

    def _human_day(self, a, d, wd, mult):
        r = self.rng
        ip, ua = self._ctx(a, d, wd)
        ev = []
        blocks = self._blocks(a, d, wd)
        gap = None
        if a.sched != "shift" and r.random() < 0.35 and blocks:
            b = r.choice(blocks)
            g0 = r.randint(b[0], max(b[0], b[1] - 30 * M))
            gap = (g0, g0 + r.randint(40, 120) * M)
        rate = a.rate * mult / H
        for b0, b1 in blocks:
            sess = "%016x" % r.getrandbits(64)
            t = b0 + r.randint(0, 4 * M)
            ev.append((t, LOGIN, 0, None, sess, ip, ua))
            t += r.randint(2000, 20000)
            while True:
                t += int(r.expovariate(rate))
                if t >= b1:
                    break
                if gap and gap[0] <= t < gap[1]:
                    t = gap[1]
                    continue
                t = self._visit(a, t, ev, sess, ip, ua, mult)
            last = ev[-1][0]
            if r.random() < 0.55:
                ev.append((last + r.randint(5000, 300000), LOGOUT, 0, None, sess, ip, ua))
            else:
                ev.append((last + 30 * M + r.randint(0, 60000), EXPIRE, 0, None, sess, None, None))
        return ev, ip, ua

    def _weekend_bit(self, a, d):
        """rare short evening/weekend session from home"""
        r = self.rng
        ua = browser_ua(a.fam, self.clock.date(d), a.lag, a.os)
        ip = a.org.vpn or a.home
        t = r.randint(int(9.5 * H), int(18 * H))
        ev = []
        sess = "%016x" % r.getrandbits(64)
        ev.append((t, LOGIN, 0, None, sess, ip, ua))
        for _ in range(r.randint(1, 4)):
            t = self._visit(a, t + r.randint(20000, 300000), ev, sess, ip, ua, 1.0)
        ev.append((t + 30 * M, EXPIRE, 0, None, sess, None, None))
        return ev

    def _extras(self, a, d, ev, kinds):
        """benign bursts added on top of the normal day"""
        r = self.rng
        if not ev:
            return
        work = sorted((e for e in ev if e[1] is not LOGIN and e[1] is not EXPIRE and e[1] is not LOGOUT),
                      key=lambda e: e[0]) or ev
        t_lo, t_hi = work[0][0], work[-1][0]
        keys = [e[0] for e in work]
        out = []

        def ctx(t):
            k = bisect.bisect_right(keys, t) - 1
            e = work[max(0, k)]
            return e[4], e[5] or a.office, e[6]

        for kind in kinds:
            if kind == "dq":
                nfiles = r.randint(80, 180)
                times = sorted(r.randint(t_lo, t_hi) for _ in range(nfiles))
                for k, t in enumerate(times):
                    sess, ip, ua = ctx(t)
                    if k % 50 == 0:
                        out.append((t - 4000, QUAL, 50, None, sess, ip, ua))
                    s = a.org.base + r.randint(0, 99999)
                    out.append((t, VIEW, None, s, sess, ip, ua))
                    if r.random() < 0.45:
                        out.append((t + r.randint(20000, 90000), EDIT, None, s, sess, ip, ua))
            elif kind == "monthend":
                for _ in range(r.randint(2, 5)):
                    t = r.randint(t_lo, t_hi)
                    sess, ip, ua = ctx(t)
                    out.append((t, STATS, 0, None, sess, ip, ua))
                    out.append((t + r.randint(30000, 200000), EXPORT, r.randint(300, 6000), None, sess, ip, ua))
        ev.extend(out)

    def _transfer_day(self, a, d, ev):
        T, boss, recv, share = self.transfer
        r = self.rng
        if not ev:
            return
        work = [e for e in ev if e[1] is VIEW or e[1] is SEARCH or e[1] is EDIT or e[1] is TEAM or e[1] is STATS] or ev
        out = []
        if a is boss:
            subs = [s for k in sorted(share) for s in share[k]]
            t = work[0][0] + r.randint(10 * M, 40 * M)
            e = work[0]
            out.append((t, TEAM, len(subs), None, e[4], e[5], e[6]))
            for s in subs:
                t += r.randint(6000, 22000)
                out.append((t, REAFF, None, s, e[4], e[5], e[6]))
        else:
            subs = share.get(a.name, [])
            a.case = a.case + subs
            e = work[len(work) // 2]
            t = e[0]
            out.append((t, LIST, len(subs), None, e[4], e[5], e[6]))
            for s in subs:
                t += r.randint(15000, 70000)
                out.append((t, VIEW, None, s, e[4], e[5], e[6]))
                if r.random() < 0.4:
                    t += r.randint(5000, 30000)
                    out.append((t, DOCS, r.randint(0, 8), s, e[4], e[5], e[6]))
        ev.extend(out)

    def _sample_like(self, base, want_e, want_r):
        """round(want_e) events modelled on base (the account's own day), steering the record total
        towards want_r: each slot takes, among 8 random candidates, the one closest to the per-slot
        need. If the day has no multi-row event, a search of ordinary size may be made up."""
        r = self.rng
        n = max(1, int(round(want_e)))
        heavy = [e for e in base if e[2] is not None and e[2] >= 5]
        out, need = [], want_r
        for k in range(n):
            per = need / (n - k)
            best, bd = None, None
            for _ in range(8):
                e = r.choice(base)
                if not heavy and per > 3 and r.random() < 0.3:
                    e = (e[0], SEARCH, r.randint(5, 25), None, e[4], e[5], e[6])
                dv = abs((1 if e[2] is None else e[2]) - per)
                if bd is None or dv < bd:
                    best, bd = e, dv
            out.append(best)
            need -= 1 if best[2] is None else best[2]
        out.sort(key=lambda e: e[0])
        return out

    def _attack_extra(self, a, d, ev, plans, med):
        """Attack events riding on account a's day d. `med` = its median normal day (records)."""
        r = self.rng
        base = [e for e in ev if e[1] is not LOGIN and e[1] is not LOGOUT and e[1] is not EXPIRE]
        if not base:
            return []
        today_r = sum(1 if e[2] is None else e[2] for e in base)
        today_e = len(base)
        med_e, med_r = med
        out = []
        for kind, f, aid in plans:
            if kind == "clone":
                # same sessions, addresses, client and hour profile; more records, new subjects
                want_e = max(1, (f - 1) * med_e)
                want_r = max(1, (f - 1) * med_r)
                lo, hi = base[0][0], base[-1][0]
                for e in self._sample_like(base, want_e, want_r):
                    t = min(hi, max(lo, e[0] + r.randint(-12 * M, 12 * M)))
                    rec = e[2]
                    if rec is not None and rec > 0:
                        rec = max(1, int(rec * r.uniform(0.7, 1.3)))
                    sub = None if e[3] is None else a.org.base + r.randint(0, 99999)
                    out.append((t, e[1], rec, sub, e[4], e[5], e[6], aid))
            else:  # night: about one normal day's content, late evening, from home
                k = r.uniform(0.85, 1.15)
                want_e, want_r = max(1, k * med_e), max(1, k * med_r)
                picks = self._sample_like(base, want_e, want_r)
                t = r.randint(int(21.5 * H), int(23.6 * H))
                dur = r.randint(70, 180) * M
                ip = a.org.vpn or a.home
                ua = base[0][6] or browser_ua(a.fam, self.clock.date(d), a.lag, a.os)
                sess = "%016x" % r.getrandbits(64)
                out.append((t, LOGIN, 0, None, sess, ip, ua, aid))
                gaps = [r.expovariate(1.0) for _ in picks]
                sc = dur / sum(gaps)
                for e, g in zip(picks, gaps):
                    t += max(300, int(g * sc))
                    sub = None if e[3] is None else (e[3] if r.random() < 0.5 else a.org.base + r.randint(0, 99999))
                    out.append((t, e[1], e[2], sub, sess, ip if e[5] else None, ua if e[6] else None, aid))
        return out

    # ------------------------------------------------------------------ integrations
    def _api_day(self, a, d):
        r, c = self.rng, self.clock
        dt = c.date(d)
        wd = dt.weekday()
        busy = wd < 5 and d not in self.hol

        def ip():
            return r.choice(a.home) if a.rotating else a.ip_fixed

        def run(t, act, total, page, gap):
            if c.in_gap(d, t):
                return
            addr = ip()
            rem = total
            first = True
            while first or rem > 0:
                first = False
                take = min(page, rem)
                rem -= take
                self._emit(c.utc(d, t), a, act, take, None, None, addr, a.ua_api)
                t += gap()
                if t >= DAY - S:
                    break

        if a.akind in ("hourly", "weekly"):
            for h in range(24):
                t = h * H + a.minute * M + r.randint(0, 40000)
                hot = busy and 8 <= h < 19
                n = int(r.randint(20, 400) * a.rate) if hot else r.randint(0, 30)
                run(t, SYNC, n, 500, lambda: r.randint(300, 4000))
        if a.akind == "batch" and wd < 5:
            for q in range(7 * 4, 20 * 4):
                t = q * 15 * M + (a.minute % 15) * M + r.randint(0, 20000)
                run(t, SYNC, r.randint(0, 60) if busy else r.randint(0, 2), 1000, lambda: 500)
        if a.akind in ("nightly", "monthly"):
            t = int((1 + (a.minute % 7) * 0.5) * H) + r.randint(0, 60000)
            run(t, SYNC, int(r.randint(2000, 20000) * (1 if busy or wd == 0 else 0.3)), 1000,
                lambda: r.randint(800, 5000))
        if a.akind == "weekly" and wd == 6:
            t = int((0.5 + (a.minute % 5) * 0.5) * H)
            run(t, FULL, int(a.size * r.uniform(0.97, 1.03)), a.pagesz, lambda: r.randint(3000, 15000))
        if a.akind == "monthly" and dt.day == 1:
            t = 4 * H + a.minute * M
            run(t, EXTRACT, r.randint(80000, 250000), 5000, lambda: r.randint(10000, 40000))

    # ------------------------------------------------------------------ main loop
    def run(self, out):
        c, r = self.clock, self.rng
        for d in range(self.n):
            wd = c.date(d).weekday()
            for a in self.humans:
                plans = self.extra_plan.get((a.name, d))
                if not a.work[d]:
                    if a.weekend and wd >= 5 and d >= a.hire and d < a.depart and r.random() < 0.15:
                        ev = self._weekend_bit(a, d)
                    else:
                        continue
                else:
                    mult = a.mult.get(d, 1.0)
                    ev, ip, ua = self._human_day(a, d, wd, mult)
                    kinds = self.special.get((a.name, d))
                    if kinds:
                        self._extras(a, d, ev, kinds)
                    if self.transfer and d == self.transfer[0] and (a is self.transfer[1] or a in self.transfer[2]):
                        self._transfer_day(a, d, ev)
                if a.work[d]:
                    h = self.hist.setdefault(a.name, ([], []))
                    ne = sum(1 for e in ev if e[1] is not LOGIN and e[1] is not LOGOUT and e[1] is not EXPIRE)
                    nr = sum(1 if e[2] is None else e[2] for e in ev)
                    if plans:
                        if len(h[0]) >= 3:
                            med = (sorted(h[0])[len(h[0]) // 2], sorted(h[1])[len(h[1]) // 2])
                        else:
                            med = (ne, nr)
                    h[0].append(ne)
                    h[1].append(nr)
                if plans:
                    ev.sort(key=lambda e: e[0])
                    for e in self._attack_extra(a, d, ev, plans, med):
                        self._emit(c.utc(d, e[0]), a, e[1], e[2], e[3], e[4], e[5], e[6], e[7])
                for e in ev:
                    self._emit(c.utc(d, e[0]), a, e[1], e[2], e[3], e[4], e[5], e[6])
            for a in self.apis:
                self._api_day(a, d)
            self._flush(d, out)
        for d in sorted(self.buckets):
            if self.buckets[d]:
                raise RuntimeError("events left in day %d" % d)

    def labels(self):
        c = self.clock
        attacks = []
        for aid, s in self.atk.items():
            attacks.append({"id": aid, "shape": s["shape"], "accounts": s["accounts"], "org": s["org"],
                            "start": Clock.local_str(s["t0"]), "end": Clock.local_str(s["t1"]),
                            "records": s["records"], "events": s["events"]})
        return {"seed": self.seed, "time_zone": "Europe/Paris",
                "start": Clock.local_str(c.utc(0, 0), False), "end": Clock.local_str(c.utc(self.n, 0), False),
                "days": self.n, "account_count": len(self.seen), "events": self.tot_events,
                "records": self.tot_records, "attacks": attacks, "benign": self.benign}


# ----------------------------------------------------------------------------
# checker


def check(args):
    lab = json.load(open(args.labels))
    ok = True

    def bad(msg):
        nonlocal ok
        ok = False
        print("FAIL:", msg)

    for k in ("seed", "time_zone", "start", "end", "days", "account_count", "events", "records", "attacks", "benign"):
        if k not in lab:
            bad("labels missing key %s" % k)
    p0, p1 = parse_utc(lab["start"]), parse_utc(lab["end"])
    p0l = p0 + Clock.offset(p0)
    lday = lambda x: (x + Clock.offset(x) - p0l) // DAY
    # 1. the file itself: sorted, well formed, totals
    n = recs = 0
    prev = -1
    accs = {}
    has_role = None
    per_day, per_dev = {}, {}
    with open(args.out, encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            ts = parse_utc(e["ts"])
            if not e["ts"].endswith("Z") or len(e["ts"]) != 24:
                bad("ts format %s" % e["ts"])
            if ts < prev:
                bad("not sorted at line %d" % (n + 1))
            prev = ts
            if not (p0 <= ts < p1):
                bad("event outside period %s" % e["ts"])
            r = e.get("records", 1)
            if not isinstance(r, int) or r < 0:
                bad("bad records %r" % r)
            if has_role is None:
                has_role = "role" in e
            elif has_role != ("role" in e):
                bad("role present on some events only")
            n += 1
            recs += r
            a = e["account"]
            if a not in accs:
                accs[a] = ts
            k = (a, lday(ts))
            per_day[k] = per_day.get(k, 0) + r
            per_dev[k] = per_dev.get(k, 0) + 1
    print("file: %d events, %d records, %d accounts, role field: %s" % (n, recs, len(accs), has_role))
    if n != lab["events"] or recs != lab["records"] or len(accs) != lab["account_count"]:
        bad("totals differ from labels (%d/%d, %d/%d, %d/%d)" % (n, lab["events"], recs, lab["records"],
                                                              len(accs), lab["account_count"]))
    # 2. regenerate with the same parameters, compare line by line, collect attack lines
    g = Gen(lab["seed"], lab["days"], args.accounts, not has_role, start=DEFAULT_START if not args.start
            else date.fromisoformat(args.start), collect=True)
    f = open(args.out, encoding="utf-8")
    state = {"n": 0, "diff": 0}

    def cmp(batch):
        for _, _, line in batch:
            if f.readline().rstrip("\n") != line:
                state["diff"] += 1
            state["n"] += 1

    g.run(cmp)
    if f.readline():
        state["diff"] += 1
    f.close()
    if state["diff"]:
        bad("regenerated stream differs from file on %d lines (not deterministic?)" % state["diff"])
    else:
        print("regenerated %d lines: identical (deterministic)" % state["n"])
    shapes = [a["shape"] for a in lab["attacks"]]
    if shapes != ["bulk_extraction", "low_and_slow", "new_account", "org_wide", "off_hours"]:
        bad("attack shapes %s" % shapes)
    for at in lab["attacks"]:
        lines = [json.loads(x) for x in g.atk_lines.get(at["id"], [])]
        ts = [parse_utc(e["ts"]) for e in lines]
        rc = sum(e.get("records", 1) for e in lines)
        t0, t1 = parse_utc(at["start"]), parse_utc(at["end"])
        names = sorted({e["account"] for e in lines})
        orgs = sorted({e["org"] for e in lines})
        if min(ts) != t0 or max(ts) != t1:
            bad("%s start/end do not bracket its events" % at["id"])
        if rc != at["records"] or len(lines) != at["events"]:
            bad("%s records/events %d/%d vs labels %d/%d" % (at["id"], rc, len(lines), at["records"], at["events"]))
        if names != sorted(at["accounts"]) or orgs != [at["org"]]:
            bad("%s accounts/org mismatch %s %s" % (at["id"], names, orgs))
        if t0 < p0 + 10 * DAY:
            bad("%s starts in the first 10 days" % at["id"])
        ldays = sorted({lday(x) for x in ts})
        ratio = ""
        if at["shape"] in ("low_and_slow", "org_wide", "off_hours"):
            rs = {"records": [], "events": []}
            for acc in at["accounts"]:
                for what, pd in (("records", per_day), ("events", per_dev)):
                    atk_day = {}
                    for e, x in zip(lines, ts):
                        if e["account"] == acc:
                            k = lday(x)
                            atk_day[k] = atk_day.get(k, 0) + (e.get("records", 1) if what == "records" else 1)
                    normal = sorted(v for (a2, dd), v in pd.items()
                                    if a2 == acc and dd not in atk_day and dd not in (dd2 + 1 for dd2 in atk_day))
                    normal = [v for v in normal if v > 3] or [1]
                    med = normal[len(normal) // 2]
                    if at["shape"] == "off_hours":
                        rs[what].append(sum(atk_day.values()) / med)
                    else:  # whole day (normal + attack) over the median normal day, averaged
                        rs[what].append(sum(pd[(acc, dd)] for dd in atk_day) / len(atk_day) / med)
            ratio = " x median day: records %.1f-%.1f events %.1f-%.1f" % (
                min(rs["records"]), max(rs["records"]), min(rs["events"]), max(rs["events"]))
        if at["shape"] == "new_account":
            for acc in at["accounts"]:
                if accs[acc] != t0:
                    bad("new_account %s seen before attack" % acc)
        if at["shape"] == "off_hours":
            for x in ts:
                h = ((x + Clock.offset(x)) % DAY) / H
                if 6 <= h < 21:
                    bad("off_hours event at local hour %.2f" % h)
        print("%-26s %-16s accts=%-2d events=%-6d records=%-8d %s .. %s local days %s%s" % (
            at["id"], at["org"], len(names), len(lines), rc, at["start"], at["end"],
            [ld for ld in ldays], ratio))
    print("benign labels: %d (%s)" % (len(lab["benign"]), ", ".join(sorted({b["kind"] for b in lab["benign"]}))))
    print("CHECK", "OK" if ok else "FAILED")
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--labels", required=True)
    ap.add_argument("--days", type=int, default=42)
    ap.add_argument("--accounts", type=int, default=1200)
    ap.add_argument("--no-role", action="store_true")
    ap.add_argument("--start", help="first local day (YYYY-MM-DD), default %s" % DEFAULT_START)
    ap.add_argument("--check", action="store_true", help="verify --out against --labels (regenerates)")
    args = ap.parse_args()
    if args.check:
        sys.exit(check(args))
    if args.days < 24:
        ap.error("--days must be at least 24 (attacks start after day 10 and last up to 2 weeks)")
    start = date.fromisoformat(args.start) if args.start else DEFAULT_START
    g = Gen(args.seed, args.days, args.accounts, args.no_role, start)
    with open(args.out, "w", encoding="utf-8") as f:
        def out(batch):
            f.write("".join(line + "\n" for _, _, line in batch))
        g.run(out)
    with open(args.labels, "w", encoding="utf-8") as f:
        json.dump(g.labels(), f, indent=1, ensure_ascii=False)
        f.write("\n")
    lab = g.labels()
    print("%s: %d events, %d records, %d accounts" % (args.out, lab["events"], lab["records"], lab["account_count"]),
          file=sys.stderr)


if __name__ == "__main__":
    main()
