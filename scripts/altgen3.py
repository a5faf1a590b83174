#!/usr/bin/env python3
"""altgen3: an independent, held-out generator of partner access logs.

Simulates partner organisations (missions locales, conseils departementaux,
Cap emploi, CCAS, PLIE, SPIP, CAF, ...) reading job seekers' records from a
national employment service, over a few weeks around the French "rentree",
with ordinary habits, legitimate surprises (labelled as benign) and a handful
of account-takeover attacks (labelled as attacks).

Standard library only; the output depends on --seed alone (one
random.Random(seed) drives every choice).

    python3 scripts/altgen3.py --seed 1 --out events.jsonl --labels labels.json
"""

import argparse
import json
import math
import random
import sys
from datetime import date, timedelta
from operator import itemgetter

SEC = 1000
MIN = 60 * SEC
H = 60 * MIN
DAY = 24 * H
EPOCH = date(1970, 1, 1)

# ---------------------------------------------------------------------------
# time zones (Europe/Paris with EU summer time, La Reunion UTC+4, Antilles UTC-4)
# ---------------------------------------------------------------------------

_DST = {}
FIXED_ZONES = {"reunion": 4 * H, "antilles": -4 * H}


def last_sunday(y, m):
    nxt = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
    d = nxt - timedelta(days=1)
    return d - timedelta(days=(d.weekday() - 6) % 7)


def paris_is_summer(utc_ms):
    y = (EPOCH + timedelta(days=utc_ms // DAY)).year
    b = _DST.get(y)
    if b is None:
        b = ((last_sunday(y, 3) - EPOCH).days * DAY + H,
             (last_sunday(y, 10) - EPOCH).days * DAY + H)
        _DST[y] = b
    return b[0] <= utc_ms < b[1]


def utc_offset(zone, utc_ms):
    f = FIXED_ZONES.get(zone)
    if f is not None:
        return f
    return 2 * H if paris_is_summer(utc_ms) else H


def local_to_utc(zone, local_ms):
    f = FIXED_ZONES.get(zone)
    if f is not None:
        return local_ms - f
    for off in (2 * H, H):
        u = local_ms - off
        if utc_offset("paris", u) == off:
            return u
    return local_ms - H  # inside the spring-forward gap


def date_ms(d):
    return (d - EPOCH).days * DAY


_DAYSTR = {}


def _daystr(n):
    s = _DAYSTR.get(n)
    if s is None:
        s = (EPOCH + timedelta(days=n)).isoformat()
        _DAYSTR[n] = s
    return s


def fmt_utc(ms):
    n, r = divmod(ms, DAY)
    s, milli = divmod(r, 1000)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    return "%sT%02d:%02d:%02d.%03dZ" % (_daystr(n), h, m, s, milli)


def fmt_local(ms, zone="paris"):
    off = utc_offset(zone, ms)
    n, r = divmod(ms + off, DAY)
    s, milli = divmod(r, 1000)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    sign = "+" if off >= 0 else "-"
    oh, om = divmod(abs(off) // MIN, 60)
    return "%sT%02d:%02d:%02d.%03d%s%02d:%02d" % (_daystr(n), h, m, s, milli, sign, oh, om)


def easter(y):
    a = y % 19
    b, c = divmod(y, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(y, month, day + 1)


def public_holidays(y, zone):
    e = easter(y)
    out = [date(y, 1, 1), e + timedelta(days=1), date(y, 5, 1), date(y, 5, 8),
           e + timedelta(days=39), e + timedelta(days=50), date(y, 7, 14),
           date(y, 8, 15), date(y, 11, 1), date(y, 11, 11), date(y, 12, 25)]
    if zone == "reunion":
        out.append(date(y, 12, 20))
    if zone == "antilles":
        out.append(date(y, 5, 27))
    return out


# ---------------------------------------------------------------------------
# vocabularies
# ---------------------------------------------------------------------------

FIRST = ("camille nicolas sophie julien marie thomas nathalie sebastien isabelle christophe "
         "aurelie mathieu celine guillaume emilie olivier sandrine stephane claire vincent "
         "laetitia frederic caroline alexandre virginie david audrey jerome helene laurent "
         "amandine pierre elodie romain karine antoine melanie francois delphine maxime lucie "
         "yannick samira karim fatima mehdi nadia youssef ines rachid leila sarah kevin manon "
         "florian pauline benoit charlotte cedric ophelie gaelle loic morgane fabrice severine "
         "mickael angelique patrice sylvie didier valerie thierry corinne pascal brigitte "
         "jean-marc anne-laure marie-helene josiane ludovic fanny hugo clemence jessica oceane "
         "murielle eddy marlene gilles annick christelle joel nicole steeve ketty ingrid "
         "rose-marie johan priscilla aissatou moussa bintou").split()
LAST = ("martin bernard dubois thomas robert richard petit durand leroy moreau simon laurent "
        "lefebvre michel garcia david bertrand roux vincent fournier morel girard andre lefevre "
        "mercier dupont lambert bonnet francois martinez legrand garnier faure rousseau blanc "
        "guerin muller henry roussel nicolas perrin morin mathieu clement gauthier dumont lopez "
        "fontaine chevalier robin masson sanchez gerard nguyen boyer denis lemaire duval joly "
        "gautier roger roche roy noel meyer lucas meunier jean perez marchand dufour blanchard "
        "barbier brun dumas brunet schmitt leroux colin fernandez renard arnaud rolland caron "
        "aubert giraud leclerc vidal bourgeois renaud lemoine picard gaillard philippe leclercq "
        "lacroix fabre dupuis olivier rodriguez da-silva hubert louis charles guillot riviere "
        "le-gall guillaume adam rey moulin gonzalez berger lecomte menard fleury deschamps "
        "carpentier julien benard maillard marchal aubry vasseur le-roux renault jacquet collet "
        "prevost poirier charpentier royer huet baron dupuy pons paul laine carre breton remy "
        "schneider perrot guyot barre marty cousin payet hoarau grondin lebon techer maillot "
        "jacob sery valentin ho-sing diallo traore kone belkacem haddad benali").split()

# (slug, departement, region)
PLACES = [
    ("lille", "59", "hdf"), ("roubaix", "59", "hdf"), ("amiens", "80", "hdf"), ("lens", "62", "hdf"),
    ("rouen", "76", "normandie"), ("caen", "14", "normandie"), ("le-havre", "76", "normandie"),
    ("rennes", "35", "bretagne"), ("brest", "29", "bretagne"), ("lorient", "56", "bretagne"),
    ("nantes", "44", "pdl"), ("angers", "49", "pdl"), ("le-mans", "72", "pdl"),
    ("tours", "37", "cvl"), ("orleans", "45", "cvl"), ("bourges", "18", "cvl"),
    ("bordeaux", "33", "naq"), ("limoges", "87", "naq"), ("poitiers", "86", "naq"), ("pau", "64", "naq"),
    ("toulouse", "31", "occitanie"), ("montpellier", "34", "occitanie"), ("nimes", "30", "occitanie"),
    ("perpignan", "66", "occitanie"), ("marseille", "13", "paca"), ("nice", "06", "paca"),
    ("toulon", "83", "paca"), ("avignon", "84", "paca"), ("lyon", "69", "ara"),
    ("grenoble", "38", "ara"), ("saint-etienne", "42", "ara"), ("clermont", "63", "ara"),
    ("dijon", "21", "bfc"), ("besancon", "25", "bfc"), ("strasbourg", "67", "grand-est"),
    ("metz", "57", "grand-est"), ("reims", "51", "grand-est"), ("nancy", "54", "grand-est"),
    ("saint-denis-93", "93", "idf"), ("creteil", "94", "idf"), ("evry", "91", "idf"),
    ("cergy", "95", "idf"), ("paris-13", "75", "idf"), ("nanterre", "92", "idf"),
    ("meaux", "77", "idf"), ("versailles", "78", "idf"), ("ajaccio", "2a", "corse"),
]
OVERSEAS = [
    ("saint-denis-974", "974", "reunion", "reunion"), ("saint-pierre-974", "974", "reunion", "reunion"),
    ("le-port", "974", "reunion", "reunion"), ("pointe-a-pitre", "971", "guadeloupe", "antilles"),
    ("basse-terre", "971", "guadeloupe", "antilles"), ("fort-de-france", "972", "martinique", "antilles"),
    ("le-lamentin", "972", "martinique", "antilles"),
]

# type: weight, size range, roles (None: the org's logs carry no role), manager role, naming schemes
ORG_TYPES = {
    "ml": (17, (8, 55), [("conseiller", 72), ("charge_accompagnement", 14), ("conseiller_emploi", 8)],
           "responsable_secteur", ["prenom.nom", "email"]),
    "cd": (9, (30, 150), [("referent_rsa", 55), ("travailleur_social", 25), ("gestionnaire", 12)],
           "responsable", ["matricule", "ldap"]),
    "cap": (8, (5, 30), [("conseiller", 85), ("charge_maintien", 15)], "responsable", ["email", "prenom.nom"]),
    "ccas": (8, (2, 9), None, None, ["prenom.nom", "email"]),
    "plie": (6, (3, 14), [("referent_parcours", 100)], "coordinateur", ["email", "ldap"]),
    "e2c": (4, (2, 12), [("formateur", 60), ("conseiller", 40)], "directeur", ["prenom.nom"]),
    "spip": (4, (5, 25), [("cpip", 90), ("secretariat", 10)], "directeur", ["matricule"]),
    "caf": (4, (10, 60), [("technicien_conseil", 70), ("travailleur_social", 30)], "cadre", ["ldap", "matricule"]),
    "siae": (6, (2, 7), None, None, ["prenom.nom", "email"]),
    "cr": (3, (10, 40), [("charge_formation", 80), ("gestionnaire", 20)], "responsable", ["email"]),
}
SIAE_NAMES = ["regie-quartier", "ateliers-solidaires", "jardins-insertion", "ressourcerie",
              "chantier-ecole", "tremplin", "envol-emploi", "passerelle"]

DIALECTS = {
    "fr_api": {
        "login": ("connexion", ["/api/partenaires/v2/auth/session"]),
        "view": ("consulter_dossier", ["/api/partenaires/v2/dossiers/identite", "/api/partenaires/v2/dossiers/parcours",
                                        "/api/partenaires/v2/dossiers/indemnisation", "/api/partenaires/v2/dossiers/documents"]),
        "search": ("rechercher_individu", ["/api/partenaires/v2/recherche"]),
        "list": ("lister_portefeuille", ["/api/partenaires/v2/portefeuille", "/api/partenaires/v2/portefeuille/rdv-du-jour",
                                          "/api/partenaires/v2/alertes"]),
        "export": ("exporter_liste", ["/api/partenaires/v2/exports/csv"]),
        "report": ("extraire_indicateurs", ["/api/partenaires/v2/pilotage/indicateurs"]),
        "batch": ("extraction_flux", ["/api/partenaires/v2/flux/quotidien"]),
        "page": ("rechercher_individu", ["/api/partenaires/v2/recherche"]),
    },
    "en_rest": {
        "login": ("auth.login", ["/sso/oauth2/token"]),
        "view": ("record.read", ["/dossier-usager/v1/identite", "/dossier-usager/v1/situation",
                                 "/dossier-usager/v1/formation", "/dossier-usager/v1/contacts"]),
        "search": ("record.search", ["/dossier-usager/v1/search"]),
        "list": ("caseload.list", ["/dossier-usager/v1/caseload"]),
        "export": ("caseload.export", ["/dossier-usager/v1/caseload/export"]),
        "report": ("stats.extract", ["/dossier-usager/v1/reporting"]),
        "batch": ("feed.pull", ["/dossier-usager/v1/feed/daily"]),
        "page": ("caseload.list", ["/dossier-usager/v1/caseload"]),
    },
    "rec": {
        "view": ("LECTURE_FICHE", ["fiche/etat-civil", "fiche/parcours", "fiche/droits", "fiche/rdv"]),
        "search": ("LECTURE_FICHE", ["fiche/resultat-recherche"]),
        "list": ("LECTURE_FICHE", ["fiche/synthese-portefeuille"]),
        "export": ("LECTURE_FICHE", ["fiche/export"]),
        "report": ("LECTURE_FICHE", ["fiche/pilotage"]),
        "page": ("LECTURE_FICHE", ["fiche/synthese-portefeuille"]),
    },
}

UA_T = {
    "chrome": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36",
    "edge": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36 Edg/%d.0.0.0",
    "ffesr": "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "firefox": "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:%d.0) Gecko/20100101 Firefox/%d.0",
    "safari": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Safari/605.1.15",
}


def ua_string(family, updated):
    if family == "chrome":
        return UA_T["chrome"] % (140 if updated else 139)
    if family == "edge":
        v = 140 if updated else 139
        return UA_T["edge"] % (v, v)
    if family == "firefox":
        v = 143 if updated else 142
        return UA_T["firefox"] % (v, v)
    return UA_T[family]


IP_OFFICE = [(193, 48, 57), (194, 2, 9), (195, 6, 8), (212, 234, 234), (80, 14, 15), (217, 108, 109)]
IP_HOME = [(90, 0, 127), (86, 192, 255), (78, 192, 255), (82, 64, 127), (176, 128, 191), (92, 88, 95),
           (109, 8, 31), (88, 120, 127)]
IP_REUNION = [(102, 35, 35), (154, 67, 67), (197, 231, 231)]
IP_ANTILLES = [(190, 60, 63), (200, 47, 47), (82, 127, 127)]
IP_VPS = [(45, 132, 159), (185, 100, 250), (5, 180, 189), (91, 92, 92), (146, 70, 70), (194, 26, 29)]

CHECK = "ABCDEFGHJKLMNPRSTUVWXYZ"


def subject_id(n):
    return "%07d%s" % (n, CHECK[n % 23])


# ---------------------------------------------------------------------------
# model
# ---------------------------------------------------------------------------


class Org:
    def __init__(self, oid, otype, place, dept, region, zone):
        self.id = oid
        self.type = otype
        self.place = place
        self.dept = dept
        self.region = region
        self.zone = zone
        self.size = 0
        self.accounts = []
        self.per_record = False
        self.dialect = "fr_api"
        self.has_roles = True
        self.naming = "prenom.nom"
        self.domain = ""
        self.office_ips = []
        self.server_ip = ""
        self.vpn = False
        self.saturday = False
        self.connector_ua = None
        self.ua_family = "chrome"
        self.ua_update_day = 0
        self.pool = []


class Person:
    """A human (or job) behind an account."""

    def __init__(self):
        self.sched = "full"
        self.days = (0, 1, 2, 3, 4)
        self.am = (8 * 60 + 50, 12 * 60 + 15)
        self.pm = (13 * 60 + 40, 17 * 60 + 20)
        self.req_mean = 20.0
        self.c_view = 0.6
        self.c_search = 0.72
        self.c_list = 0.99
        self.list_mu = math.log(20)
        self.home_ip = ""
        self.telework = ()
        self.office_idx = 0
        self.ua_family = "chrome"
        self.absent = {}
        self.mult = {}


class Account:
    def __init__(self, name, org, role, kind):
        self.name = name
        self.org = org
        self.role = role
        self.kind = kind  # std, mgr, accueil, shared, batch, batch_new, intruder
        self.persons = []
        self.join_day = 0
        self.ramp = False
        self.leave_day = None
        self.growth_from = None
        self.growth_rate = 0.0
        self.keep_ts = False
        self.flagged = False  # involved in a labelled benign surprise or an attack
        self.caseload = None


class Gen:
    def __init__(self, seed, start, days):
        self.seed = seed
        self.rng = random.Random(seed)
        self.start = start
        self.days = days
        self.p0 = local_to_utc("paris", date_ms(start))
        self.p1 = local_to_utc("paris", date_ms(start + timedelta(days=days)))
        self.events = []
        self.benign = []
        self.attacks = []
        self.used_names = {}
        self.day_stats = {}
        self.outage = None
        self.zone_days = {}
        for zone in ("paris", "reunion", "antilles"):
            hol = {}
            for y in range(start.year, (start + timedelta(days=days)).year + 1):
                for h in public_holidays(y, zone):
                    hol[h] = True
            rows = []
            for d in range(days):
                dt = start + timedelta(days=d)
                base = local_to_utc(zone, date_ms(dt) + 12 * H) - 12 * H
                rows.append((dt, base, dt.weekday(), dt in hol, self.season(dt, zone)))
            self.zone_days[zone] = rows

    # -- helpers ----------------------------------------------------------

    @staticmethod
    def season(dt, zone):
        if zone == "reunion":
            return 1.0  # their school year started in mid-August
        m, d = dt.month, dt.day
        if m == 7:
            return 0.85
        if m == 8:
            return 0.62 if d < 15 else 0.74
        if m == 9:
            if d <= 7:
                return 0.93
            if d <= 14:
                return 1.0
            if d <= 21:
                return 1.04
            return 1.07
        if m == 10:
            return 1.07 if d < 18 else 0.9
        return 1.0

    def ip(self, pool):
        r = self.rng
        a, lo, hi = r.choice(pool)
        return "%d.%d.%d.%d" % (a, r.randint(lo, hi), r.randint(0, 255), r.randint(1, 254))

    def sid(self):
        return "%016x" % self.rng.getrandbits(64)

    def unique(self, name):
        if name not in self.used_names:
            self.used_names[name] = 1
            return name
        k = self.used_names[name]
        while True:
            k += 1
            cand = name.replace("@", str(k) + "@") if "@" in name else name + str(k)
            if cand not in self.used_names:
                self.used_names[name] = k
                self.used_names[cand] = 1
                return cand

    def person_name(self, org):
        r = self.rng
        f, l_ = r.choice(FIRST), r.choice(LAST)
        sch = org.naming
        if sch == "prenom.nom":
            return self.unique("%s.%s" % (f, l_))
        if sch == "email":
            return self.unique("%s.%s@%s" % (f[0], l_, org.domain))
        if sch == "matricule":
            while True:
                n = "u%s%05d" % (org.dept, r.randint(0, 99999))
                if n not in self.used_names:
                    self.used_names[n] = 1
                    return n
        base = (f[0] + l_.replace("-", ""))[:8]
        return self.unique(base)

    def workdays(self, zone, lo, hi):
        rows = self.zone_days[zone]
        return [d for d in range(max(0, lo), min(self.days, hi)) if rows[d][2] < 5 and not rows[d][3]]

    def monday(self, week):
        """Index of the Monday of the given week (week 0 holds day 0)."""
        return week * 7 - self.start.weekday()

    # -- population ----------------------------------------------------------

    def build(self):
        r = self.rng
        n_orgs = r.randint(56, 74)
        orgs = []
        ids = {}
        n_reu = r.randint(2, 3)
        n_ant = r.randint(1, 2)
        overseas_r = [p for p in OVERSEAS if p[3] == "reunion"]
        overseas_a = [p for p in OVERSEAS if p[3] == "antilles"]
        r.shuffle(overseas_r)
        r.shuffle(overseas_a)
        specs = []
        for p in overseas_r[:n_reu] + overseas_a[:n_ant]:
            specs.append((r.choice(["ml", "cd", "cap", "caf", "ml"]), p))
        types = list(ORG_TYPES)
        weights = [ORG_TYPES[t][0] for t in types]
        while len(specs) < n_orgs:
            t = r.choices(types, weights)[0]
            pl = r.choice(PLACES)
            specs.append((t, (pl[0], pl[1], pl[2], "paris")))
        for t, (place, dept, region, zone) in specs:
            if t == "ml":
                oid = "ml." + place
            elif t == "cd":
                oid = "cd%s.insertion" % dept
            elif t == "cap":
                oid = "capemploi.%s" % dept
            elif t == "ccas":
                oid = "ccas." + place
            elif t == "plie":
                oid = "plie." + place
            elif t == "e2c":
                oid = "e2c." + place
            elif t == "spip":
                oid = "spip%s" % dept
            elif t == "caf":
                oid = "caf%s.partenariat" % dept
            elif t == "siae":
                oid = "siae.%s-%s" % (r.choice(SIAE_NAMES), place)
            else:
                oid = "region.%s.formation" % region
            if oid in ids:
                continue
            ids[oid] = True
            o = Org(oid, t, place, dept, region, zone)
            lo, hi = ORG_TYPES[t][1]
            o.size = math.exp(r.uniform(math.log(lo), math.log(hi)))
            orgs.append(o)
        # rescale sizes to the target population
        target = r.randint(1500, 1780)
        tot = sum(o.size for o in orgs)
        for o in orgs:
            o.size = max(2, min(148, int(round(o.size * target / tot))))
        big = max(orgs, key=lambda o: (o.type == "cd", o.size))
        big.size = max(big.size, r.randint(132, 148))
        smalls = [o for o in orgs if o.type in ("ccas", "siae")]
        for o in smalls[:3]:
            o.size = 2
        self.orgs = orgs

        # per-org habits
        cands = [o for o in orgs if 8 <= o.size <= 70 and o.type not in ("cd",)]
        r.shuffle(cands)
        for o in cands[:r.randint(4, 6)]:
            o.per_record = True
        for o in orgs:
            o.dialect = "rec" if o.per_record else ("fr_api" if r.random() < 0.6 else "en_rest")
            roles = ORG_TYPES[o.type][2]
            o.has_roles = roles is not None and r.random() > 0.15
            o.naming = r.choice(ORG_TYPES[o.type][4])
            o.domain = o.id.replace(".", "-") + ".fr"
            pool = IP_REUNION if o.zone == "reunion" else IP_ANTILLES if o.zone == "antilles" else IP_OFFICE
            o.office_ips = [self.ip(pool) for _ in range(1 if o.size < 40 else 2)]
            o.server_ip = self.ip(pool)
            o.vpn = r.random() < 0.35
            o.ua_family = r.choice(["chrome", "edge", "edge", "firefox", "ffesr"])
            o.ua_update_day = r.randint(8, 30)
            pool_n = max(200, int(o.size * r.uniform(120, 220)))
            base = r.randint(1000000, 9000000)
            o.pool = [subject_id(base + i * r.randint(1, 3)) for i in range(pool_n)] if o.per_record else []
        sat = [o for o in orgs if o.type in ("ml", "ccas", "e2c") and o.zone == "paris" and o.size >= 3]
        r.shuffle(sat)
        sat.sort(key=lambda o: o.type != "ml")
        for o in sat[:r.randint(2, 3)]:
            o.saturday = True
        conn = [o for o in orgs if o.type in ("cd", "caf") and not o.per_record]
        r.shuffle(conn)
        for o in conn[:2]:
            o.connector_ua = "PortailInsertion/6.%d.%d (+%s)" % (r.randint(1, 4), r.randint(0, 9), o.id)

        # accounts
        self.accounts = []
        shared_orgs = [o for o in orgs if o.size >= 15 and o.type in ("ml", "cd", "caf", "cap")]
        r.shuffle(shared_orgs)
        shared_orgs = shared_orgs[:r.randint(3, 5)]
        for o in orgs:
            n = o.size
            n_mgr = (1 if n >= 6 else 0) + (1 if n >= 40 else 0) + (1 if n >= 100 else 0)
            n_acc = max(1, n // 12) if (o.type in ("ml", "cd", "caf", "ccas") and n >= 10) else 0
            n_shared = 1 if o in shared_orgs else 0
            n_std = n - n_mgr - n_acc - n_shared
            for _ in range(n_mgr):
                self.add_account(o, "mgr")
            for _ in range(n_acc):
                self.add_account(o, "accueil")
            for _ in range(n_shared):
                self.add_account(o, "shared")
            for _ in range(n_std):
                self.add_account(o, "std")

    def role_for(self, o, kind):
        if not o.has_roles:
            return None
        if kind == "mgr":
            return ORG_TYPES[o.type][3]
        if kind == "accueil":
            return "agent_accueil"
        if kind == "shared":
            return "equipe_accueil"
        if kind in ("batch", "batch_new"):
            return "batch"
        roles = ORG_TYPES[o.type][2]
        return self.rng.choices([x[0] for x in roles], [x[1] for x in roles])[0]

    def add_account(self, o, kind, name=None):
        r = self.rng
        if name is None:
            if kind == "shared":
                name = self.unique(r.choice(["accueil.%s", "equipe-accueil.%s", "guichet.%s"]) % o.place)
            else:
                name = self.person_name(o)
        a = Account(name, o, self.role_for(o, kind), kind)
        if kind == "shared":
            for i in range(r.randint(5, 10)):
                p = self.make_person(o, "accueil", shift="acc_am" if i % 2 == 0 else "acc_pm")
                p.req_mean *= r.uniform(0.8, 1.2)
                a.persons.append(p)
        elif kind in ("std", "mgr", "accueil", "intruder"):
            a.persons.append(self.make_person(o, kind))
        if o.per_record and kind in ("std", "mgr", "accueil"):
            k = r.randint(60, 220)
            s = r.randrange(len(o.pool))
            a.caseload = [o.pool[(s + i * 3) % len(o.pool)] for i in range(k)]
        o.accounts.append(a)
        self.accounts.append(a)
        return a

    def make_person(self, o, kind, shift=None):
        r = self.rng
        p = Person()
        # schedule
        if shift:
            p.sched = shift
        elif kind == "accueil":
            p.sched = r.choice(["acc_am", "acc_pm"])
        elif o.saturday and r.random() < 0.35:
            p.sched = "sat"
        else:
            p.sched = r.choices(["full", "nowed", "mtt", "mornings", "late", "four"],
                                [58, 14, 6, 7, 6, 9])[0]
        p.days = {"full": (0, 1, 2, 3, 4), "nowed": (0, 1, 3, 4), "mtt": (0, 1, 3), "mornings": (0, 1, 2, 3, 4),
                  "late": (0, 1, 2, 3, 4), "four": (1, 2, 3, 4), "sat": (1, 2, 3, 4, 5),
                  "acc_am": (0, 1, 2, 3, 4), "acc_pm": (0, 1, 2, 3, 4)}[p.sched]
        g = r.gauss
        if o.zone == "reunion":
            am0, am1, lunch, pm1 = g(7 * 60 + 40, 15), g(12 * 60, 10), g(60, 10), g(16 * 60, 20)
        elif o.zone == "antilles":
            am0, am1, lunch, pm1 = g(7 * 60 + 30, 15), g(12 * 60 + 30, 15), g(75, 10), g(16 * 60 + 15, 20)
        else:
            am0, am1, lunch, pm1 = g(8 * 60 + 50, 20), g(12 * 60 + 15, 12), g(72, 14), g(17 * 60 + 20, 25)
        am0 = min(max(am0, 7 * 60 + 15), 10 * 60)
        lunch = min(max(lunch, 40), 110)
        pm1 = min(max(pm1, 15 * 60 + 30), 18 * 60 + 50)
        if p.sched == "late":
            am0, pm1 = g(9 * 60 + 50, 10), g(19 * 60, 15)
        if p.sched == "mornings":
            am1 = g(12 * 60 + 30, 10)
        p.am = (am0, am1)
        p.pm = (am1 + lunch, pm1)
        if p.sched == "acc_am":
            p.am, p.pm = (g(7 * 60 + 30, 5), g(13 * 60, 5)), None
        elif p.sched == "acc_pm":
            p.am, p.pm = (g(12 * 60, 5), g(19 * 60 + 30, 5)), None
        elif p.sched == "mornings":
            p.pm = None
        # volume and mix
        if kind == "mgr":
            p.req_mean = min(60, r.lognormvariate(math.log(10), 0.4))
            v, s, lst = r.uniform(0.35, 0.5), r.uniform(0.05, 0.1), r.uniform(0.35, 0.5)
            p.list_mu = math.log(r.uniform(22, 40))
            exp_p = r.uniform(0.01, 0.03)
        elif kind == "accueil":
            p.req_mean = min(110, r.lognormvariate(math.log(28), 0.35))
            v, s, lst = r.uniform(0.6, 0.75), r.uniform(0.15, 0.25), r.uniform(0.03, 0.08)
            p.list_mu = math.log(r.uniform(11, 16))
            exp_p = 0.0
        else:
            p.req_mean = min(120, max(4, r.lognormvariate(math.log(21), 0.45)))
            v, s = r.uniform(0.5, 0.72), r.uniform(0.07, 0.15)
            lst = r.uniform(0.12, 0.28) if not o.per_record else r.uniform(0.07, 0.14)
            p.list_mu = math.log(r.uniform(13, 30))
            exp_p = 0.0 if r.random() < 0.65 else r.uniform(0.003, 0.012)
        if o.per_record:
            p.req_mean *= 0.65
        tot = v + s + lst + exp_p
        p.c_view = v / tot
        p.c_search = (v + s) / tot
        p.c_list = (v + s + lst) / tot
        # where from
        if o.zone == "paris":
            p.home_ip = self.ip(IP_HOME)
            if kind in ("std", "mgr") and r.random() < 0.45:
                p.telework = tuple(sorted(r.sample([0, 1, 3, 4], r.choice([1, 1, 2]))))
        else:
            p.home_ip = self.ip(IP_REUNION if o.zone == "reunion" else IP_ANTILLES)
        p.office_idx = r.randrange(len(o.office_ips))
        p.ua_family = o.ua_family if r.random() < 0.8 else r.choice(["chrome", "edge", "firefox", "ffesr", "safari"])
        return p

    # -- planning of absences and surprises -----------------------------------

    def next_workdays(self, a, p, zone, d, k):
        rows = self.zone_days[zone]
        out = []
        while d < self.days and len(out) < k:
            if rows[d][2] in p.days and not rows[d][3]:
                out.append(d)
            d += 1
        return out

    def plan_absences(self):
        r = self.rng
        days = self.days
        sep1 = (date(self.start.year, 9, 1) - self.start).days
        reu_hol = ((date(self.start.year, 9, 27) - self.start).days, (date(self.start.year, 10, 13) - self.start).days)
        self.returns = []  # (return day, zone, ndays, account)
        for a in self.accounts:
            zone = a.org.zone
            for p in a.persons:
                # sick leave
                for w in range(days // 7 + 1):
                    if r.random() < 0.02:
                        d0 = w * 7 + r.randint(0, 4)
                        for d in range(d0, d0 + r.randint(1, 3)):
                            p.absent[d] = True
                if a.kind not in ("std", "mgr", "accueil"):
                    if a.kind == "shared" and r.random() < 0.4:
                        w = r.randint(0, max(0, days // 7 - 1))
                        for d in range(w * 7, w * 7 + 7):
                            p.absent[d] = True
                    continue
                x = r.random()
                ret = None
                if zone == "reunion" and 0 < reu_hol[1] < days and x < 0.33:
                    for d in range(max(0, reu_hol[0]), reu_hol[1]):
                        p.absent[d] = True
                    ret = reu_hol[1]
                elif zone != "reunion" and 1 <= sep1 < days and x < 0.32:
                    y = r.random()
                    ret = sep1 if y < 0.7 else (sep1 + 7 if y < 0.9 else sep1 - 4)
                    ret = max(1, min(ret, days - 1))
                    for d in range(0, ret):
                        p.absent[d] = True
                elif x < 0.42 and days >= 28:
                    w = r.randint(min(3, days // 7 - 1), max(3, days // 7 - 2))
                    m = self.monday(w)
                    for d in range(m, m + 7):
                        p.absent[d] = True
                    ret = m + 7
                if ret is not None and ret < days:
                    k = r.choice([2, 3])
                    peak = r.uniform(1.5, 2.5)
                    wd = self.next_workdays(a, p, zone, ret, k)
                    for i, d in enumerate(wd):
                        p.mult[d] = p.mult.get(d, 1.0) * (1 + (peak - 1) * (1.0, 0.6, 0.3)[i])
                    if wd:
                        self.returns.append((ret, zone, wd[-1], a))

    def clear_absences(self, a, lo, hi):
        for p in a.persons:
            for d in range(lo, hi + 1):
                p.absent.pop(d, None)
                p.mult.pop(d, None)
        self.returns = [x for x in self.returns if not (x[3] is a and x[0] <= hi + 3 and x[2] >= lo - 3)]

    def plan(self):
        r = self.rng
        days = self.days
        nweeks = days // 7
        std = [a for a in self.accounts if a.kind == "std"]

        # outage: one working day in weeks 3-4
        od = r.choice([d for d in self.workdays("paris", self.monday(min(3, nweeks - 1)) + 1,
                                                     self.monday(min(5, nweeks)) - 2)] or [days // 2])
        base = self.zone_days["paris"][od][1]
        os_ = base + r.randint(9 * 60 + 20, 11 * 60) * MIN + r.randint(0, 59999)
        oe = os_ + r.randint(150, 300) * MIN
        self.outage = (os_, oe)
        self.outage_day = od
        self.benign.append(("outage", None, os_, oe))
        self.benign.append(("outage_catchup", None, oe, oe + 3 * H))

        # regional strike: Tuesday or Thursday of week 5 or 6
        sd = self.monday(min(r.choice([5, 6]), nweeks - 1)) + r.choice([1, 3])
        regions = sorted({o.region for o in self.orgs if o.zone == "paris"})
        r.shuffle(regions)
        strike_regions = []
        n_acc = 0
        for reg in regions:
            strike_regions.append(reg)
            n_acc += sum(len(o.accounts) for o in self.orgs if o.region == reg)
            if n_acc >= 80 or len(strike_regions) == 2:
                break
        self.strike_orgs = [o for o in self.orgs if o.region in strike_regions]
        self.strike_day = sd
        struck = []
        for o in self.strike_orgs:
            for a in o.accounts:
                if a.kind in ("batch", "batch_new"):
                    continue
                struck.append(a)
                for p in a.persons:
                    if r.random() < 0.85:
                        p.absent[sd] = True
                    else:
                        p.mult[sd] = p.mult.get(sd, 1.0) * 0.5
                    nd = self.next_workdays(a, p, o.zone, sd + 1, 1)
                    if nd:
                        p.mult[nd[0]] = p.mult.get(nd[0], 1.0) * 1.25
        rows = self.zone_days["paris"]
        self.benign.append(("regional_strike", [a.name for a in struck], rows[sd][1],
                            rows[min(sd + 2, days - 1)][1] if sd + 2 < days else self.p1))

        # new joiners
        sep1 = (date(self.start.year, 9, 1) - self.start).days
        join_days = []
        for w in (2, 3, 5, 6):
            if self.monday(w) < days - 5:
                join_days.append(self.monday(w))
        if 1 <= sep1 < days - 5:
            join_days = [sep1, sep1] + join_days
        pool = [a for a in std if a.persons[0].sched in ("full", "nowed", "four")]
        r.shuffle(pool)
        self.joiners = []
        for a in pool[:r.randint(10, 16)]:
            jd = r.choice(join_days)
            if a.org.zone == "reunion":
                jd = max(1, jd)  # same calendar, local time
            a.join_day = jd
            a.ramp = r.random() < 0.5
            a.flagged = True
            a.persons[0].absent = {}
            a.persons[0].mult = {}
            self.returns = [x for x in self.returns if x[3] is not a]
            self.joiners.append(a)
            rowsz = self.zone_days[a.org.zone]
            end = jd + (14 if a.ramp else 7)
            self.benign.append(("new_joiner", [a.name], rowsz[jd][1],
                                rowsz[end][1] if end < days else self.p1))

        # caseload transfer between two advisors of one org
        cand = [o for o in self.orgs if o.zone == "paris" and o not in self.strike_orgs and
                sum(1 for a in o.accounts if a.kind == "std" and not a.flagged and a.persons[0].sched == "full") >= 6]
        cand.sort(key=lambda o: o.id)
        o = r.choice(cand)
        pair = [a for a in o.accounts if a.kind == "std" and not a.flagged and a.persons[0].sched == "full"]
        A, B = r.sample(pair, 2)
        td = self.monday(r.choice([w for w in (3, 4, 5) if self.monday(w) < days - 5] or [max(1, nweeks // 2)]))
        A.leave_day = td
        for x in (A, B):
            x.flagged = True
            for d in range(td - 7, days):
                x.persons[0].absent.pop(d, None)
                x.persons[0].mult.pop(d, None)
        for d in range(td, days):
            B.persons[0].mult[d] = 2.0
        self.returns = [x for x in self.returns if not ((x[3] is A or x[3] is B) and x[2] >= td - 7)]
        self.benign.append(("caseload_transfer", [A.name, B.name], self.zone_days["paris"][td][1], self.p1))

        # advisor with a steadily rising caseload (+5% a week)
        pool = [a for a in std if not a.flagged and a.org.zone == "paris" and a.persons[0].sched == "full"]
        pool.sort(key=lambda a: a.name)
        C = r.choice(pool)
        C.flagged = True
        C.growth_from = 7
        C.growth_rate = 0.05
        self.benign.append(("rising_caseload", [C.name], self.zone_days["paris"][7][1], self.p1))
        self.rising = C

        # service accounts: nightly exports, a monthly full export, a new weekly batch
        bo = [o for o in self.orgs if o.type in ("cd", "caf") and not o.per_record and o.zone == "paris"]
        bo.sort(key=lambda o: -o.size)
        self.nightly = []
        for o in bo[:r.randint(2, 3)]:
            name = self.unique(r.choice(["svc-flux-nuit.%s", "batch_export_%s", "sync-sirh.%s"]) % o.id.split(".")[0])
            a = self.add_account(o, "batch", name)
            a.flagged = True
            a.nightly_mean = o.size * r.uniform(25, 45)
            a.page = r.choice([250, 500, 1000])
            a.at = r.randint(60, 110)  # minutes after local midnight
            a.ua = r.choice(["Apache-HttpClient/4.5.14 (Java/17.0.10)", "python-httpx/0.27.0", "curl/8.5.0"])
            self.nightly.append(a)
        wo = [o for o in self.orgs if o.type in ("cd", "caf", "ml") and not o.per_record and
              o.zone == "paris" and o not in bo[:3]]
        wo.sort(key=lambda o: o.id)
        o = r.choice(wo)
        a = self.add_account(o, "batch_new", self.unique("batch-relance-hebdo.%s" % o.id.replace(".", "-")))
        a.flagged = True
        a.first_run = self.monday(r.choice([4, 5]))
        a.ua = "Java/21.0.4"
        a.page = 250
        a.weekly_mean = r.uniform(2500, 7000)
        self.weekly = a

        # managers' month-end reporting: last two working days of each month
        self.month_end = {}
        hol = {}
        for y in range(self.start.year, (self.start + timedelta(days=days)).year + 2):
            for h in public_holidays(y, "paris"):
                hol[h] = True
        for d in self.workdays("paris", 0, days):
            dt = self.start + timedelta(days=d)
            later = 0
            x = dt + timedelta(days=1)
            while x.month == dt.month:
                if x.weekday() < 5 and x not in hol:
                    later += 1
                x += timedelta(days=1)
            if later <= 1:
                self.month_end[d] = True
        self.managers = [a for a in self.accounts if a.kind == "mgr"]
        for a in self.managers:
            a.flagged = True
        med = sorted(self.month_end)
        groups = []
        for d in med:
            if groups and d - groups[-1][-1] <= 3:
                groups[-1].append(d)
            else:
                groups.append([d])
        for g_ in groups:
            for zone in ("paris", "reunion", "antilles"):
                mg = [a.name for a in self.managers if a.org.zone == zone]
                if mg:
                    rz = self.zone_days[zone]
                    self.benign.append(("month_end", mg, rz[g_[0]][1],
                                        rz[g_[-1] + 1][1] if g_[-1] + 1 < days else self.p1))

    def plan_attacks(self):
        r = self.rng
        days = self.days
        first = 21 if days >= 28 else days // 2
        excluded = {self.outage_day: True, self.strike_day: True}
        nweeks = days // 7
        # campaign day decided here so attacks avoid it
        cday = self.monday(min(r.choice([6, 7]), nweeks - 1)) + r.choice([1, 2, 3])
        if cday in excluded or cday >= days:
            cday = self.monday(nweeks - 1) + 2
        self.campaign_day = cday
        excluded[cday] = True

        def ok_days(zone):
            return [d for d in self.workdays(zone, first, days - 1) if d not in excluded]

        used_orgs = {}

        def eligible(pred):
            out = []
            for a in self.accounts:
                if a.kind != "std" or a.flagged or a.org.id in used_orgs or a.org in self.strike_orgs:
                    continue
                if a.persons[0].sched not in ("full", "nowed", "four", "late"):
                    continue
                if pred(a):
                    out.append(a)
            return out

        def take(a, lo, hi):
            a.flagged = True
            a.keep_ts = True
            used_orgs[a.org.id] = True
            self.clear_absences(a, lo - 7, hi + 1)

        plans = []
        shapes = ["bulk_script", "bulk_hijack", "low_slow", "new_account", "org_wide", "off_night", "off_sunday"]
        if r.random() < 0.5:
            shapes.remove(r.choice(["bulk_hijack", "off_sunday"]))
        for shape in shapes:
            if shape == "bulk_script":
                c = eligible(lambda a: not a.org.per_record and a.org.zone == "paris")
                a = r.choice(c)
                d = r.choice(ok_days("paris")[:-1])
                take(a, d, d + 1)
                plans.append((shape, [a], d))
            elif shape == "bulk_hijack":
                c = eligible(lambda a: a.org.per_record and a.org.zone == "paris")
                if not c:
                    c = eligible(lambda a: a.org.per_record)
                a = r.choice(c)
                d = r.choice([x for x in ok_days(a.org.zone) if self.zone_days[a.org.zone][x][2] in a.persons[0].days])
                take(a, d, d)
                plans.append((shape, [a], d))
            elif shape == "low_slow":
                c = eligible(lambda a: not a.org.per_record and a.persons[0].sched in ("full", "late"))
                a = r.choice(c)
                n = r.randint(6, 12)
                od = ok_days(a.org.zone)
                starts = [x for x in od if len([y for y in od if y >= x]) >= n] or od[:1]
                s = r.choice(starts[: max(1, len(starts) // 2 + 1)])
                dl = [y for y in od if y >= s][:n]
                take(a, dl[0], dl[-1])
                plans.append((shape, [a], dl))
            elif shape == "new_account":
                c = [o for o in self.orgs if not o.per_record and len(o.accounts) >= 5 and
                     o.id not in used_orgs and o not in self.strike_orgs and o.has_roles]
                c.sort(key=lambda o: o.id)
                o = r.choice(c)
                used_orgs[o.id] = True
                od = ok_days(o.zone)
                k = r.randint(2, 3)
                s = r.choice(od[:-k] or od)
                dl = [y for y in od if y >= s][:k]
                plans.append((shape, o, dl))
            elif shape == "org_wide":
                by = {}
                for a in eligible(lambda a: a.org.zone == "paris"):
                    by.setdefault(a.org.id, []).append(a)
                c = sorted([k for k, v in by.items() if len(v) >= 6])
                oid = r.choice(c)
                grp = by[oid]
                k = r.randint(3, min(10, max(3, len(grp) // 2)))
                accts = r.sample(grp, k)
                od = ok_days("paris")
                n = r.randint(2, 4)
                s = r.choice(od[:-n] or od)
                dl = [y for y in od if y >= s][:n]
                for a in accts:
                    take(a, dl[0], dl[-1])
                plans.append((shape, accts, dl))
            elif shape == "off_night":
                busy = lambda a: a.persons[0].req_mean >= 16
                c = eligible(lambda a: a.org.zone == "reunion" and busy(a)) or \
                    eligible(lambda a: a.org.zone == "antilles" and busy(a)) or eligible(busy)
                a = r.choice(c)
                d = r.choice(ok_days(a.org.zone))
                take(a, d - 1, d)
                plans.append((shape, [a], d))
            elif shape == "off_sunday":
                c = eligible(lambda a: a.org.zone == "paris" and not a.org.per_record and a.persons[0].req_mean >= 16)
                a = r.choice(c)
                suns = [d for d in range(first, days - 1) if self.zone_days["paris"][d][2] == 6]
                suns = suns or [d for d in range(first, days) if self.zone_days["paris"][d][2] == 6]
                d = r.choice(suns)
                take(a, d - 6, d)
                plans.append((shape, [a], d))
        self.attack_plans = plans

        # campaign: several RSA-side organisations, most advisors at 3x for one day
        co = [o for o in self.orgs if o.type in ("cd", "caf", "ccas") and o.id not in used_orgs and
              o not in self.strike_orgs]
        co.sort(key=lambda o: o.id)
        r.shuffle(co)
        camp = []
        for o in co[:r.randint(3, 5)]:
            for a in o.accounts:
                if a.kind in ("std", "accueil") and not a.flagged and r.random() < 0.7:
                    p = a.persons[0]
                    if cday in p.absent or self.zone_days[o.zone][cday][2] not in p.days:
                        continue
                    p.mult[cday] = p.mult.get(cday, 1.0) * 3.0
                    camp.append(a)
        for zone in ("paris", "reunion", "antilles"):
            names = [a.name for a in camp if a.org.zone == zone]
            if names:
                rz = self.zone_days[zone]
                self.benign.append(("campagne", names, rz[cday][1], rz[cday + 1][1] if cday + 1 < days else self.p1))

        # vacation returns still standing, grouped by return day
        groups = {}
        for ret, zone, last, a in self.returns:
            groups.setdefault((ret, zone, last), []).append(a.name)
        for (ret, zone, last) in sorted(groups):
            rz = self.zone_days[zone]
            self.benign.append(("vacation_return", groups[(ret, zone, last)], rz[ret][1],
                                rz[last + 1][1] if last + 1 < days else self.p1))

        # public holidays in the period (population-wide)
        for d, row in enumerate(self.zone_days["paris"]):
            if row[3]:
                self.benign.append(("public_holiday", None, row[1], row[1] + DAY))

    # -- ordinary activity -----------------------------------------------------

    def intervals(self, p, wd):
        r = self.rng
        g = r.gauss
        if wd == 5:
            return [(int((9 * 60 + g(0, 5)) * MIN), int((12 * 60 + 30 + g(0, 8)) * MIN))]
        out = []
        a0, a1 = p.am
        out.append((a0 + g(0, 8), a1 + g(0, 8)))
        if p.pm is not None:
            b0, b1 = p.pm
            if wd == 4 and p.sched not in ("late",):
                b1 -= 40
            if r.random() < 0.04:
                b1 += r.uniform(50, 100)  # long day
            out.append((b0 + g(0, 7), b1 + g(0, 12)))
        return [(int(s * MIN), int(e * MIN)) for s, e in out if e - s > 20]

    def poisson(self, lam):
        r = self.rng
        if lam <= 0:
            return 0
        if lam < 40:
            L = math.exp(-lam)
            k = 0
            p = r.random()
            while p > L:
                k += 1
                p *= r.random()
            return k
        return max(0, int(round(r.gauss(lam, math.sqrt(lam)))))

    def request_times(self, ivs, n):
        r = self.rng
        total = sum(e - s for s, e in ivs)
        out = []
        while len(out) < n:
            k = min(n - len(out), 1 + int(r.expovariate(1 / 1.8)))
            pos = r.random() * total
            for i, (s, e) in enumerate(ivs):
                if pos < e - s:
                    t = s + pos
                    break
                pos -= e - s
            else:
                i, (s, e) = len(ivs) - 1, ivs[-1]
                t = s
            for _ in range(k):
                out.append((int(t), i))
                t += 3000 + r.expovariate(1 / 45000)
                if t >= e:
                    t = e - r.random() * 120000
        out.sort()
        return out

    def gen_ordinary(self):
        r = self.rng
        rnd = r.random
        ev = self.events
        os_, oe = self.outage
        p0, p1 = self.p0, self.p1
        WD = (0.92, 1.08, 0.96, 1.05, 0.9, 1.0, 1.0)
        for a in self.accounts:
            if a.kind not in ("std", "mgr", "accueil", "shared"):
                continue
            o = a.org
            zone = o.zone
            rows = self.zone_days[zone]
            dia = DIALECTS[o.dialect]
            rec = o.per_record
            role = a.role
            name = a.name
            oid = o.id
            for d in range(a.join_day, self.days if a.leave_day is None else a.leave_day):
                dt, base, wd, hol, season = rows[d]
                if hol:
                    continue
                for p in a.persons:
                    if wd not in p.days or d in p.absent:
                        continue
                    f = season * WD[wd] * r.lognormvariate(0, 0.28) * p.mult.get(d, 1.0)
                    if a.growth_from is not None and d >= a.growth_from:
                        f *= (1 + a.growth_rate) ** ((d - a.growth_from) / 7.0)
                    if a.join_day and a.ramp:
                        k = d - a.join_day
                        f *= min(1.0, 0.3 + 0.07 * k)
                    if rnd() < 0.04:
                        f *= 0.3  # training, meetings, field day
                    ivs = self.intervals(p, wd)
                    if not ivs:
                        continue
                    n = self.poisson(p.req_mean * f)
                    reqs = self.request_times(ivs, n) if n else []
                    # month-end reporting
                    if a.kind == "mgr" and d in self.month_end:
                        extra = self.request_times(ivs, r.randint(2, 4))
                        reqs = sorted(reqs + [(t, i, "report") for t, i in extra])
                    # system outage: requests move to just after it, with retries
                    if base + ivs[0][0] < oe and base + ivs[-1][1] > os_:
                        ol, el = os_ - base, oe - base
                        last_end = ivs[-1][1]
                        moved = []
                        for q in reqs:
                            if ol <= q[0] < el:
                                if last_end > el + 5 * MIN:
                                    nt = el + min(int(r.expovariate(1 / (40.0 * MIN))), last_end - el - 1)
                                    moved.append((nt, len(ivs) - 1) + q[2:])
                                    if rnd() < 0.2:
                                        moved.append((nt + r.randint(2000, 60000), len(ivs) - 1) + q[2:])
                            else:
                                moved.append(q)
                        reqs = sorted(moved)
                    if not reqs:
                        continue
                    if o.connector_ua:
                        ua = o.connector_ua
                        ip = o.server_ip
                    else:
                        ua = ua_string(p.ua_family, d >= o.ua_update_day)
                        ip = p.home_ip if (wd in p.telework and not o.vpn) else o.office_ips[p.office_idx]
                    sess = [self.sid() for _ in ivs]
                    seen = [False] * len(ivs)
                    tot = 0
                    tslist = [] if a.keep_ts else None
                    for q in reqs:
                        t, iv = q[0], q[1]
                        ts = base + t + r.randint(0, 999)
                        if ts < p0 or ts >= p1 or os_ <= ts < oe:
                            continue
                        s = sess[iv]
                        if not rec and not seen[iv]:
                            seen[iv] = True
                            act, res = dia["login"]
                            ev.append((ts - r.randint(1500, 25000), name, oid, role, ip, ua, act, res[0], s, None, 0))
                        if len(q) > 2:
                            kind = "report"
                            nrec = int(r.uniform(80, 300))
                        else:
                            u = rnd()
                            if u < p.c_view:
                                kind, nrec = "view", 1
                            elif u < p.c_search:
                                kind, nrec = "search", r.choice((0, 1, 1, 1, 2, 2, 3, 4, 6))
                            elif u < p.c_list:
                                kind = "list"
                                nrec = min(50, max(10, int(r.lognormvariate(p.list_mu, 0.35))))
                            else:
                                kind = "export"
                                nrec = min(900, int(100 * r.paretovariate(1.5)))
                        act, res = dia[kind]
                        rs = res[0] if len(res) == 1 else res[int(rnd() * len(res))]
                        if rec:
                            if nrec == 0:
                                continue
                            if kind == "view" or kind == "search":
                                cl = a.caseload or o.pool
                                for j in range(nrec):
                                    ev.append((ts + j * 7, name, oid, role, ip, ua, act, rs, s, cl[int(rnd() * len(cl))], 1))
                            else:
                                pool = o.pool
                                st = int(rnd() * len(pool))
                                step = 0
                                for j in range(nrec):
                                    step += 3 + int(rnd() * 25)
                                    ev.append((ts + step, name, oid, role, ip, ua, act, rs, s, pool[(st + j) % len(pool)], 1))
                        else:
                            ev.append((ts, name, oid, role, ip, ua, act, rs, s, None, nrec))
                        tot += nrec
                        if tslist is not None:
                            tslist.append(ts)
                    if a.keep_ts and tot:
                        st_ = self.day_stats.setdefault((name, d), [0, [], ip, ua])
                        st_[0] += tot
                        st_[1].extend(tslist)

    # -- service accounts ------------------------------------------------------

    def gen_pages(self, a, ts, total, page, gap, dia_key):
        """One batch run: pages of `page` records until `total`; returns (first, last)."""
        r = self.rng
        o = a.org
        act, res = DIALECTS[o.dialect][dia_key]
        first = ts
        left = int(total)
        while left > 0:
            n = min(page, left)
            self.events.append((ts, a.name, o.id, a.role, o.server_ip, a.ua, act, res[0], None, None, n))
            left -= n
            last = ts
            ts += int(r.uniform(*gap) * 1000)
        return first, last

    def gen_batches(self):
        r = self.rng
        days = self.days
        rows = self.zone_days["paris"]
        month_runs = {}
        for d in range(days):
            dt = self.start + timedelta(days=d)
            if d >= 21 and rows[d][2] < 5 and not rows[d][3] and dt.month not in month_runs:
                prev = [x for x in range(d) if (self.start + timedelta(days=x)).month == dt.month]
                if not prev or all(rows[x][2] >= 5 or rows[x][3] for x in prev):
                    month_runs[dt.month] = d
        for i, a in enumerate(self.nightly):
            zr = self.zone_days[a.org.zone]
            for d in range(days):
                wd = zr[d][2]
                # runs in the night after each working day (Tue..Sat at ~01:30)
                if d == 0 or zr[d - 1][2] >= 5 or zr[d - 1][3]:
                    continue
                tot = a.nightly_mean * r.lognormvariate(0, 0.18)
                if d - 1 == self.outage_day:
                    tot *= 1.3
                if zr[d - 1][2] == 0:
                    tot *= 1.2
                ts = zr[d][1] + (a.at + r.randint(0, 12)) * MIN + r.randint(0, 59999)
                f, l_ = self.gen_pages(a, ts, tot, a.page, (0.4, 2.5), "batch")
                self.benign.append(("service_nightly", [a.name], f, l_ + SEC))
            if i == 0:
                for m, d in sorted(month_runs.items()):
                    ts = zr[d][1] + 3 * H + 30 * MIN + r.randint(0, 600000)
                    f, l_ = self.gen_pages(a, ts, r.uniform(15000, 30000), 1000, (0.8, 3.0), "export")
                    self.benign.append(("monthly_batch", [a.name], f, l_ + SEC))
        a = self.weekly
        zr = self.zone_days[a.org.zone]
        for d in range(max(0, a.first_run), days, 7):
            if zr[d][3]:
                continue
            ts = zr[d][1] + 6 * H + r.randint(0, 8 * 60000)
            f, l_ = self.gen_pages(a, ts, a.weekly_mean * r.lognormvariate(0, 0.15), a.page, (1.0, 4.0), "list")
            self.benign.append(("new_batch", [a.name], f, l_ + SEC))

    # -- attacks -------------------------------------------------------------------

    def baseline(self, a, before):
        vals = [v[0] for (n, d), v in self.day_stats.items() if n == a.name and d < before and v[0] > 0]
        if len(vals) >= 3:
            vals.sort()
            return float(sum(vals)) / len(vals)
        p = a.persons[0]
        return p.req_mean * 6.0

    def emit_attack(self, acc, a, ts, ip, ua, kind, nrec, sess, subj_state=None, role=None, name=None):
        r = self.rng
        o = a.org
        act, res = DIALECTS[o.dialect][kind]
        rs = res[0] if len(res) == 1 else r.choice(res)
        name = name or a.name
        role = a.role if role is None else role
        if not (self.p0 <= ts < self.p1) or self.outage[0] <= ts < self.outage[1]:
            return
        if o.per_record:
            if nrec == 0:
                return
            for j in range(nrec):
                subj_state[0] += 1 + int(r.random() * 30)
                e = (ts + j * (3 + int(r.random() * 12)), name, o.id, role, ip, ua, act, rs, sess,
                     subject_id(subj_state[0]), 1)
                self.events.append(e)
                acc.append(e)
        else:
            e = (ts, name, o.id, role, ip, ua, act, rs, sess, None, nrec)
            self.events.append(e)
            acc.append(e)

    def gen_attacks(self):
        r = self.rng
        out = []
        for idx, (shape, who, when) in enumerate(self.attack_plans):
            acc = []
            subj = [r.randint(1000000, 8000000)]
            if shape == "bulk_script":
                a = who[0]
                zr = self.zone_days[a.org.zone]
                d = when
                ip = self.ip(IP_VPS)
                ua = r.choice(["python-requests/2.32.3", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/128.0.0.0 Safari/537.36", "okhttp/4.12.0"])
                page = r.choice([50, 100, 150, 200])
                slots = [(d, r.randint(19 * 60 + 20, 21 * 60)), (d + 1, r.randint(5 * 60 + 40, 6 * 60 + 30)),
                         (d + 1, r.randint(12 * 60 + 5, 12 * 60 + 40))]
                slots = slots[:r.choice([2, 3])]
                for sd, m in slots:
                    ts = zr[sd][1] + m * MIN + r.randint(0, 59999)
                    sess = self.sid()
                    if not a.org.per_record:
                        self.emit_attack(acc, a, ts - r.randint(2000, 9000), ip, ua, "login", 0, sess, subj)
                    for _ in range(r.randint(150, 450)):
                        if r.random() < 0.02:
                            self.emit_attack(acc, a, ts, ip, ua, "page", 0, sess, subj)  # throttled
                            ts += r.randint(30000, 90000)
                            continue
                        self.emit_attack(acc, a, ts, ip, ua, "page", page if r.random() > 0.01 else r.randint(1, page), sess, subj)
                        ts += int(r.uniform(1.0, 5.0) * 1000)
            elif shape == "bulk_hijack":
                a = who[0]
                d = when
                zr = self.zone_days[a.org.zone]
                st = self.day_stats.get((a.name, d))
                ip = st[2] if st else a.org.office_ips[0]
                ua = st[3] if st else ua_string(a.persons[0].ua_family, True)
                sess = self.sid()
                ts = zr[d][1] + r.randint(13 * 60 + 50, 15 * 60) * MIN + r.randint(0, 59999)
                page = 50
                for _ in range(r.randint(600, 1200)):
                    self.emit_attack(acc, a, ts, ip, ua, "page", page, sess, subj)
                    ts += int(r.uniform(2.0, 5.0) * 1000)
            elif shape in ("low_slow", "org_wide"):
                dl = when
                m_common = r.uniform(2.2, 3.5)
                shared_ip = self.ip(IP_HOME) if (shape == "org_wide" and r.random() < 0.5) else None
                for a in who:
                    base = self.baseline(a, dl[0])
                    m = m_common if shape == "low_slow" else r.uniform(2.0, 4.0)
                    p = a.persons[0]
                    for d in dl:
                        st = self.day_stats.get((a.name, d))
                        if not st or not st[1]:
                            continue
                        target = (m - 1.0) * base * r.lognormvariate(0, 0.12)
                        ip = shared_ip or st[2]
                        ua = st[3]
                        sess = self.sid()
                        tss = sorted(st[1])
                        got = 0
                        while got < target:
                            t0 = tss[int(r.random() * len(tss))] + r.randint(-240000, 240000)
                            u = r.random()
                            if u < 0.3:
                                kind, n = "view", 1
                            elif u < 0.4:
                                kind, n = "search", r.randint(1, 6)
                            else:
                                kind, n = "list", min(50, max(10, int(r.lognormvariate(max(p.list_mu, math.log(25)), 0.3))))
                            self.emit_attack(acc, a, t0, ip, ua, kind, n, sess, subj)
                            got += n
            elif shape == "new_account":
                o = who
                a = self.add_account(o, "intruder")
                ip = self.ip(IP_HOME)
                ua = ua_string("chrome", True)
                zr = self.zone_days[o.zone]
                for d in when:
                    sess = self.sid()
                    ts = zr[d][1] + r.randint(9 * 60, 10 * 60) * MIN + r.randint(0, 59999)
                    end = zr[d][1] + r.randint(16 * 60 + 30, 17 * 60 + 45) * MIN
                    self.emit_attack(acc, a, ts - 5000, ip, ua, "login", 0, sess, subj)
                    target = r.uniform(1800, 4500)
                    n_req = int(target / 125) + 1
                    gap = (end - ts) / n_req
                    got = 0
                    while got < target:
                        n = r.randint(50, 200)
                        self.emit_attack(acc, a, int(ts), ip, ua, r.choice(["list", "search", "list"]), n, sess, subj)
                        got += n
                        ts += gap * r.uniform(0.3, 1.7)
                        if 12 * 60 * MIN + 15 * MIN < ts - zr[d][1] < 13 * 60 * MIN + 20 * MIN:
                            ts += 65 * MIN
                who = [a]
            elif shape in ("off_night", "off_sunday"):
                a = who[0]
                d = when
                p = a.persons[0]
                zr = self.zone_days[a.org.zone]
                base = self.baseline(a, d)
                target = base * r.uniform(0.8, 1.3)
                if shape == "off_night":
                    ip = self.ip(IP_VPS)
                    ts = zr[d][1] + r.randint(60, 120) * MIN + r.randint(0, 59999)
                    end = zr[d][1] + r.randint(235, 290) * MIN
                else:
                    ip = self.ip(IP_HOME)
                    ts = zr[d][1] + r.randint(13 * 60 + 30, 15 * 60) * MIN + r.randint(0, 59999)
                    end = ts + r.randint(120, 240) * MIN
                ua = ua_string(p.ua_family, True)
                sess = self.sid()
                if not a.org.per_record:
                    self.emit_attack(acc, a, ts - r.randint(2000, 20000), ip, ua, "login", 0, sess, subj)
                reqs = []
                got = 0
                while got < target:
                    u = r.random()
                    if u < 0.45:
                        kind, n = "view", 1
                    elif u < 0.55:
                        kind, n = "search", r.randint(0, 5)
                    else:
                        kind, n = "list", min(50, max(10, int(r.lognormvariate(p.list_mu, 0.35))))
                    reqs.append((kind, n))
                    got += n
                gap = (end - ts) / max(1, len(reqs))
                for kind, n in reqs:
                    self.emit_attack(acc, a, int(ts), ip, ua, kind, n, sess, subj)
                    ts += gap * r.uniform(0.4, 1.6)
            label_shape = {"bulk_script": "bulk_extraction", "bulk_hijack": "bulk_extraction",
                           "low_slow": "low_and_slow", "new_account": "new_account", "org_wide": "org_wide",
                           "off_night": "off_hours", "off_sunday": "off_hours"}[shape]
            tss = [e[0] for e in acc]
            out.append({
                "id": "atk%d-%s" % (idx + 1, shape.replace("_", "-")),
                "shape": label_shape,
                "accounts": sorted(x.name for x in who),
                "org": who[0].org.id,
                "start_ms": min(tss),
                "end_ms": max(tss),
                "records": sum(e[10] for e in acc),
                "events": len(acc),
            })
        self.attack_labels = out

    # -- output ------------------------------------------------------------------

    def write(self, out_path, labels_path):
        os_, oe = self.outage
        ev = [e for e in self.events if self.p0 <= e[0] < self.p1 and not (os_ <= e[0] < oe)]
        ev.sort(key=itemgetter(0))
        n_rec = 0
        accounts = {}
        with open(out_path, "w", encoding="ascii", newline="\n", buffering=1 << 20) as f:
            w = f.write
            buf = []
            for ts, acct, org, role, ip, ua, act, res, sess, subj, nrec in ev:
                n_rec += nrec
                accounts[acct] = True
                line = '{"ts":"%s","account":"%s","org":"%s",' % (fmt_utc(ts), acct, org)
                if role is not None:
                    line += '"role":"%s",' % role
                line += '"src_ip":"%s","user_agent":"%s","action":"%s","resource":"%s",' % (ip, ua, act, res)
                if sess is not None:
                    line += '"session":"%s",' % sess
                if subj is not None:
                    line += '"subject":"%s",' % subj
                buf.append(line + '"records":%d}\n' % nrec)
                if len(buf) >= 20000:
                    w("".join(buf))
                    buf = []
            w("".join(buf))
        attacks = []
        for x in self.attack_labels:
            attacks.append({"id": x["id"], "shape": x["shape"], "accounts": x["accounts"], "org": x["org"],
                            "start": fmt_local(x["start_ms"]), "end": fmt_local(x["end_ms"]),
                            "records": x["records"], "events": x["events"]})
        benign = []
        bl = sorted(self.benign, key=lambda b: (b[2], b[0], b[3]))
        for i, (kind, accts, s, e) in enumerate(bl):
            b = {"id": "bn%03d-%s" % (i + 1, kind.replace("_", "-")), "kind": kind}
            if accts:
                b["accounts"] = sorted(accts)
            b["start"] = fmt_local(max(s, self.p0))
            b["end"] = fmt_local(min(e, self.p1))
            benign.append(b)
        labels = {
            "seed": self.seed,
            "time_zone": "Europe/Paris",
            "start": fmt_local(self.p0).replace(".000", ""),
            "end": fmt_local(self.p1).replace(".000", ""),
            "days": self.days,
            "account_count": len(accounts),
            "events": len(ev),
            "records": n_rec,
            "attacks": attacks,
            "benign": benign,
        }
        with open(labels_path, "w", encoding="ascii") as f:
            json.dump(labels, f, indent=1)
            f.write("\n")
        return len(ev), n_rec, len(accounts)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True, help="events, JSON lines sorted by ts")
    ap.add_argument("--labels", required=True, help="ground truth, JSON")
    ap.add_argument("--days", type=int, default=56)
    ap.add_argument("--start", default="2025-08-25", help="first day (Paris local date, YYYY-MM-DD)")
    args = ap.parse_args(argv)
    if args.days < 28:
        ap.error("--days must be at least 28")
    if args.seed < 0:
        ap.error("--seed must be non-negative")
    g = Gen(args.seed, date.fromisoformat(args.start), args.days)
    g.build()
    g.plan_absences()
    g.plan()
    g.plan_attacks()
    g.gen_ordinary()
    g.gen_batches()
    g.gen_attacks()
    n, rec, acc = g.write(args.out, args.labels)
    sys.stderr.write("altgen3: %d events, %d records, %d accounts, %d attacks, %d benign\n"
                     % (n, rec, acc, len(g.attack_labels), len(g.benign)))


if __name__ == "__main__":
    main()
