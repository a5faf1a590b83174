#!/usr/bin/env python3
"""altgen4 -- an independent synthetic access log of France Travail's partner API.

Simulates ten weeks (Monday 3 November 2025 to Sunday 11 January 2026, 70
days) of the gateway log of the "API / portail partenaires" through which
partners of France Travail read job seekers' records: missions locales,
Cap emploi, départements (RSA insertion services), CAF, CCAS, training
bodies, private placement contractors and an outsourced call centre.
About 1,500-1,800 accounts in ~150 organisations of very unequal size (three
with 100+ accounts, dozens with 1-5).

Usage:
    python3 scripts/altgen4.py --seed S --out EVENTS.jsonl --labels LABELS.json
        [--trace TRACE.tsv]   # debug: "line<TAB>attack id" of each malicious event

Output schema (one JSON object per line, ECS-flavoured as a gateway would
write it, the same keys on every line, lines in time order):

    {"@timestamp": "2025-11-03T09:14:03.123+01:00",
     "event": {"action": "consultation_dossier", "outcome": "success", "duration_ms": 84},
     "user": {"name": "claire.martin@lenord.fr"},
     "structure": "Conseil départemental du Nord",   # the organisation
     "profil": "referent_rsa",                        # role; "" where the partner sends none
     "url": {"path": "/partenaire/v2/demandeurs/4821937K", "query": ""},
     "http": {"request": {"method": "GET"}, "response": {"status_code": 200}},
     "client_ip": "193.248.12.7",
     "user_agent": "Mozilla/5.0 (...) Chrome/142.0.0.0 Safari/537.36",
     "session_id": "9f0c2e7d41a3b6e1",
     "nb_resultats": 1,                # JSON number: records returned
     "demandeur_id": "4821937K"}       # job seeker read, or null when not one record

Time format: RFC 3339 local time with offset and milliseconds,
"2025-11-03T09:14:03.123+01:00" (Europe/Paris is on CET, +01:00, for the
whole period).

event.action values: connexion (0 records), jeton_api (0), recherche_demandeurs
(a list, usually 10-50; call centre searches by name 0-5), consultation_dossier
(1, with demandeur_id), consultation_parcours (1, with demandeur_id),
mise_a_jour_suivi (0, with demandeur_id), consultation_agenda (2-9),
export_liste (100-800; managers' month-end reports 200-2,000), extraction_lot (API
pages of 100-1,000). url.path holds the real path (job seeker ids in it).

Habits simulated (all labelled in LABELS.json "benign" except the
everyday noise): advisors working ~08:30-12:30 / 13:30-17:30 with
individual hours (early birds, late finishers), part-timers off on
Wednesdays or Fridays, teleworkers seen from a home ISP address on their
telework days, browser upgrades (Chrome/Edge 143, Firefox 146) in December,
sick days, sparse users (CCAS, training bodies use the portal a few days a
week), dormant accounts, a few advisors with an occasional Saturday
morning; roles in some organisations only, named differently in each;
account naming conventions that differ by organisation (e-mails,
prefixed logins, matricules).  Labelled benign habits: service accounts
(nightly syncs, an hourly connector, weekly paginated pulls, a monthly
statistics extract on the first working day of each month), an outsourced
call centre open 08:00-20:00 Monday-Friday and 08:00-18:00 on Saturdays,
managers' month-end reporting exports, public holidays (11 November, 25
December, 1 January) and the days after, bridges (10 November, 26 December,
2 January), Christmas weeks at reduced staff and volume, half days on 24
and 31 December, returns from 1-3 weeks of leave with a catch-up backlog,
new advisors joining mid-period (first days lighter), a team moving to
another organisation (a mission locale merger: same logins, new
structure), a 2-3 hour API outage (failed calls, then catch-up), a shared
team account used by several people at once, and an end-of-year review
campaign in which many advisors of three organisations read many files.

Attacks (6-8, all starting from 17 November; the malicious events only
are counted in the labels): bulk extraction through a hijacked advisor
account (throttled paginated searches in office hours from a VPS, a night
burst, or weekend exports), low-and-slow (2-3.5x the usual daily volume for
1-3 weeks, interleaved in the victim's own sessions), a new account that
pulls thousands of records within days, an organisation-wide rise (several
accounts of one organisation at 1.5-3x for a few days), and off-hours reads
(an ordinary day's volume pulled at night or on a Sunday).

LABELS.json: the schema asked for (seed, time_zone, start, end -- end is
exclusive, midnight after the last day --, days, account_count, events,
records, attacks, benign).  An attack's start/end are the exact @timestamp
strings of its first and last malicious events, its records and events
count only those events (a low-and-slow or org-wide victim's own ordinary
activity is not counted).  Benign entries without "accounts" concern
everyone.

Note for readers of the output: the first lines of the file are the
service accounts' night pulls, whose demandeur_id is null, so a reader that
guesses fields from the first lines may not see demandeur_id.

Deterministic for a seed (one random.Random(seed)); standard library only;
~2.1 million events and ~12 s per run.
"""

import argparse
import datetime as dt
import json
import math
import random
import sys
import time
import unicodedata
from bisect import bisect_right

# --------------------------------------------------------------------- calendar

START = dt.date(2025, 11, 3)  # a Monday
NDAYS = 70                    # to Sunday 11 January 2026
OFFSET = "+01:00"             # CET throughout the period (checked below when zoneinfo exists)
DAYS = [START + dt.timedelta(days=i) for i in range(NDAYS)]
DSTR = [d.isoformat() for d in DAYS]
DI = {d: i for i, d in enumerate(DAYS)}
HOLIDAYS = {dt.date(2025, 11, 11): "11 novembre", dt.date(2025, 12, 25): "Noël",
            dt.date(2026, 1, 1): "Jour de l'an"}
HALF_DAYS = [dt.date(2025, 12, 24), dt.date(2025, 12, 31)]
BRIDGES = {dt.date(2025, 11, 10): 0.35, dt.date(2025, 12, 26): 0.5, dt.date(2026, 1, 2): 0.45}
AFTER = {dt.date(2025, 11, 12): 1.25, dt.date(2025, 12, 29): 1.1, dt.date(2026, 1, 5): 1.3,
         dt.date(2026, 1, 6): 1.1}
XMAS1 = list(range(DI[dt.date(2025, 12, 22)], DI[dt.date(2025, 12, 28)] + 1))
XMAS2 = list(range(DI[dt.date(2025, 12, 29)], DI[dt.date(2026, 1, 4)] + 1))
XMAS = set(XMAS1) | set(XMAS2)
MONTH_END = {DI[dt.date(2025, 11, 27)]: "2025-11", DI[dt.date(2025, 11, 28)]: "2025-11",
             DI[dt.date(2025, 12, 30)]: "2025-12", DI[dt.date(2025, 12, 31)]: "2025-12"}
FIRST_WORKDAY_OF_MONTH = [DI[dt.date(2025, 11, 3)], DI[dt.date(2025, 12, 1)], DI[dt.date(2026, 1, 2)]]
ATTACK_FROM = 14  # Monday 17 November


def is_work(i):
    d = DAYS[i]
    return d.weekday() < 5 and d not in HOLIDAYS


WORK = [i for i in range(NDAYS) if is_work(i)]


def ts(di, ms):
    h, rem = divmod(ms, 3600000)
    m, rem = divmod(rem, 60000)
    s, milli = divmod(rem, 1000)
    return "%sT%02d:%02d:%02d.%03d%s" % (DSTR[di], h, m, s, milli, OFFSET)


def day_bound(di):
    if di >= NDAYS:
        d = (START + dt.timedelta(days=di)).isoformat()
    else:
        d = DSTR[di]
    return d + "T00:00:00" + OFFSET


def check_offset():
    try:
        from zoneinfo import ZoneInfo
        z = ZoneInfo("Europe/Paris")
    except Exception:
        return
    for d in (DAYS[0], DAYS[-1] + dt.timedelta(days=1)):
        off = dt.datetime(d.year, d.month, d.day, 12, tzinfo=z).utcoffset()
        assert off == dt.timedelta(hours=1), off


# --------------------------------------------------------------------- tables

# code: (event.action, http method, path prefix, path suffix or None when no subject in the path)
ACTIONS = [
    ("connexion", "POST", "/partenaire/v2/auth/session", None),                 # 0
    ("recherche_demandeurs", "GET", "/partenaire/v2/demandeurs", None),         # 1
    ("consultation_dossier", "GET", "/partenaire/v2/demandeurs/", ""),          # 2
    ("consultation_parcours", "GET", "/partenaire/v2/demandeurs/", "/parcours"),  # 3
    ("export_liste", "POST", "/partenaire/v2/demandeurs/export", None),         # 4
    ("mise_a_jour_suivi", "PUT", "/partenaire/v2/demandeurs/", "/suivi"),       # 5
    ("consultation_agenda", "GET", "/partenaire/v2/agenda", None),              # 6
    ("jeton_api", "POST", "/oauth2/token", None),                               # 7
    ("extraction_lot", "GET", "/partenaire/v2/demandeurs/modifications", None),  # 8
]

FIRST = ["Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Sandrine", "Valérie", "Christine",
         "Stéphanie", "Céline", "Aurélie", "Julie", "Camille", "Laura", "Sarah", "Émilie", "Claire",
         "Sophie", "Anne", "Caroline", "Audrey", "Élodie", "Mélanie", "Virginie", "Karine", "Hélène",
         "Léa", "Manon", "Chloé", "Inès", "Jean", "Philippe", "Nicolas", "Christophe", "Stéphane",
         "David", "Julien", "Sébastien", "Thomas", "Laurent", "Olivier", "Frédéric", "Mathieu",
         "Pierre", "Antoine", "Romain", "Karim", "Mehdi", "Yacine", "Samir", "Fatima", "Nadia",
         "Amina", "Sonia", "Leïla", "Kévin", "Maxime", "Guillaume", "Vincent", "Hugo", "Agnès",
         "Brigitte", "Françoise", "Martine", "Patricia", "Corinne", "Gaëlle", "Morgane", "Yann",
         "Erwan", "Loïc", "Jérôme", "Cédric", "Fabrice", "Hervé", "Pascal", "Delphine", "Émeline"]
LAST = ["Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
        "Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
        "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
        "Muller", "Lefèvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
        "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément",
        "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand", "Duval",
        "Denis", "Dumont", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun", "Blanchard",
        "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud", "Martinez",
        "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron", "Picard",
        "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier", "Bourgeois",
        "Benoît", "Rey", "Leclerc", "Payet", "Rolland", "Leclercq", "Lecomte", "Benali", "Haddad",
        "Mansouri", "Diallo", "Traoré", "Nguyen", "Le Gall", "Le Goff", "Kerbrat", "Ferreira",
        "Da Silva", "Lopez", "Sanchez", "Hamon", "Tanguy", "Jacob", "Weber", "Klein", "Carpentier"]

CDS = [("Conseil départemental du Nord", "59", "lenord.fr"),
       ("Département de la Seine-Saint-Denis", "93", "seinesaintdenis.fr"),
       ("Département des Bouches-du-Rhône", "13", "departement13.fr"),
       ("Département de la Gironde", "33", "gironde.fr"),
       ("Département du Pas-de-Calais", "62", "pasdecalais.fr"),
       ("Département de l'Hérault", "34", "herault.fr"),
       ("Département de l'Isère", "38", "isere.fr"),
       ("Département d'Ille-et-Vilaine", "35", "ille-et-vilaine.fr"),
       ("Département de Loire-Atlantique", "44", "loire-atlantique.fr")]
CAFS = [("CAF du Nord", "59"), ("CAF de la Gironde", "33"), ("CAF des Bouches-du-Rhône", "13"),
        ("CAF de Loire-Atlantique", "44"), ("CAF de l'Isère", "38"), ("CAF du Pas-de-Calais", "62")]
PRIVATE = [("Tremplin Conseil RH", "tremplin-rh.fr"), ("Parcours Avenir SAS", "parcours-avenir.com"),
           ("Alliance Emploi Services", "alliance-emploi.fr"), ("Horizon Insertion Conseil", "horizon-ic.fr"),
           ("Néo Compétences", "neo-competences.fr"), ("Cap Retour Emploi", "capretouremploi.fr")]
ML_TOWNS = [("du Pays de Brest", "29"), ("de Lorient", "56"), ("du Bassin Rennais", "35"),
            ("de l'Agglomération Nantaise", "44"), ("de Lille", "59"), ("de Roubaix-Tourcoing", "59"),
            ("de Marseille", "13"), ("du Pays d'Aix", "13"), ("de Bordeaux", "33"), ("du Libournais", "33"),
            ("de Montpellier Méditerranée", "34"), ("du Biterrois", "34"), ("de Grenoble", "38"),
            ("du Voironnais", "38"), ("de Strasbourg", "67"), ("de Toulouse", "31"), ("de Lyon", "69"),
            ("de Villeurbanne", "69"), ("de Saint-Denis", "93"), ("d'Aubervilliers", "93"),
            ("de Bobigny", "93"), ("de Montreuil", "93"), ("de Lens-Liévin", "62"), ("d'Arras", "62"),
            ("du Dunkerquois", "59"), ("du Valenciennois", "59"), ("du Douaisis", "59"),
            ("du Calaisis", "62"), ("de Saint-Nazaire", "44"), ("du Pays de Vannes", "56"),
            ("du Pays de Cornouaille", "29"), ("du Pays de Saint-Malo", "35"), ("du Bassin de Thau", "34"),
            ("de Nîmes Métropole", "30"), ("du Grand Avignon", "84"), ("de l'Aire Toulonnaise", "83"),
            ("du Bassin d'Arcachon", "33"), ("du Béarn", "64"), ("de Limoges", "87"), ("d'Angers", "49"),
            ("du Mans", "72"), ("de Tours", "37"), ("d'Orléans", "45"), ("du Médoc", "33")]
CAP_DEPTS = [("Nord", "59"), ("Gironde", "33"), ("Isère", "38"), ("Bouches-du-Rhône", "13"),
             ("Hérault", "34"), ("Loire-Atlantique", "44"), ("Ille-et-Vilaine", "35"), ("Finistère", "29"),
             ("Morbihan", "56"), ("Pas-de-Calais", "62"), ("Seine-Saint-Denis", "93"), ("Rhône", "69"),
             ("Haute-Garonne", "31"), ("Bas-Rhin", "67")]
TOWNS = ["Roubaix", "Tourcoing", "Lille", "Villeneuve-d'Ascq", "Wattrelos", "Douai", "Lens", "Liévin",
         "Arras", "Béthune", "Calais", "Boulogne-sur-Mer", "Dunkerque", "Maubeuge", "Valenciennes",
         "Denain", "Saint-Denis", "Aubervilliers", "Bobigny", "Montreuil", "Pantin", "Bondy", "Sevran",
         "Aulnay-sous-Bois", "Marseille", "Aix-en-Provence", "Martigues", "Aubagne", "Vitrolles",
         "Arles", "Istres", "Bordeaux", "Mérignac", "Pessac", "Talence", "Bègles", "Libourne",
         "Montpellier", "Béziers", "Sète", "Lunel", "Agde", "Grenoble", "Échirolles",
         "Saint-Martin-d'Hères", "Vienne", "Voiron", "Rennes", "Saint-Malo", "Fougères", "Vitré",
         "Nantes", "Saint-Nazaire", "Rezé", "Saint-Herblain", "Brest", "Quimper", "Morlaix",
         "Lorient", "Vannes", "Lanester", "Toulouse", "Colomiers", "Strasbourg", "Mulhouse",
         "Lyon", "Villeurbanne", "Vénissieux", "Vaulx-en-Velin", "Nîmes", "Avignon", "Toulon",
         "La Seyne-sur-Mer", "Limoges", "Angers", "Le Mans", "Tours", "Orléans", "Pau", "Bayonne"]
OFS = ["GRETA Bretagne Sud", "GRETA Nord Lille Métropole", "GRETA de l'Isère", "GRETA Provence",
       "AFPA Centre de Roubaix", "AFPA Centre de Bordeaux", "AFPA Centre de Rennes",
       "Institut de formation Sud Insertion", "Compétences Plus Formation", "CFA Métiers du Grand Nantes",
       "École de la 2e chance Marseille", "École de la 2e chance Montpellier", "Atelier Formation Emploi",
       "Form'Avenir 33", "Objectif Qualification", "Institut Régional du Travail Social",
       "Dynamique Formation Conseil", "Centre de formation Les Compagnons", "Ecti Formation Isère",
       "ADAPT Formation Hérault", "ACCESS Formation", "Bretagne Formation Insertion",
       "Savoir Faire Formation", "IFRA Nantes", "Formaction Lille", "Arobase Formation",
       "CNAM Hauts-de-France", "CLPS Rennes", "CIBC Gironde", "Retravailler Provence",
       "Elan Formation", "Ateliers de l'Avenir"]

ORG_NET = ["193.248", "194.2", "62.160", "212.234", "80.12", "83.206", "195.101", "217.108",
           "90.84", "185.24", "109.2", "46.218", "77.158", "213.41", "194.51", "178.23"]
HOME_NET = ["86.245", "90.112", "92.184", "78.201", "176.170", "81.64", "82.125", "88.168",
            "2.7", "37.165", "109.215", "90.3", "86.210", "77.136"]
VPS_NET = ["51.38", "51.75", "45.95", "185.220", "146.70", "193.32", "104.244", "5.188", "91.92"]
DC_NET = ["193.253", "194.199", "217.145", "185.56"]


def ip_in(r, nets):
    return "%s.%d.%d" % (r.choice(nets), r.randint(0, 255), r.randint(1, 254))


def chrome(v, mac=False):
    plat = "Macintosh; Intel Mac OS X 10_15_7" if mac else "Windows NT 10.0; Win64; x64"
    return "Mozilla/5.0 (%s) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36" % (plat, v)


def edge(v):
    return chrome(v) + " Edg/%d.0.0.0" % v


def firefox(v):
    return "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:%d.0) Gecko/20100101 Firefox/%d.0" % (v, v)


def fold(s):
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return s.replace(" ", "").replace("'", "").replace("-", "")


LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def subj_str(n):
    # a bijection of [0, 9e6) onto 7-digit numbers, plus a check letter
    return "%07d%s" % ((n * 7919 + 104729) % 9000000 + 1000000, LETTERS[n % 23])


def poisson(r, lam):
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(r.gauss(lam, math.sqrt(lam)) + 0.5))
    lim = math.exp(-lam)
    k = 0
    p = r.random()
    while p > lim:
        k += 1
        p *= r.random()
    return k


# ---------------------------------------------------------------- the world

KINDCFG = {
    #        scale, searches, views, others, p_export, p_use
    "cd":   (1.0, 5.0, 12.0, 3.0, 0.04, 0.92),
    "caf":  (0.8, 2.5, 16.0, 2.0, 0.02, 0.90),
    "ml":   (0.9, 4.0, 14.0, 4.0, 0.03, 0.90),
    "cap":  (0.8, 4.0, 10.0, 3.0, 0.03, 0.85),
    "ccas": (0.45, 2.0, 5.0, 1.0, 0.01, 0.50),
    "of":   (0.5, 3.0, 5.0, 1.0, 0.03, 0.40),
    "priv": (1.2, 7.0, 12.0, 4.0, 0.07, 0.93),
    "cc":   (0.8, 2.0, 8.0, 1.0, 0.05, 0.95),
}


class Org:
    def __init__(self, kind, name, code, domain, prefix, conv, roles, uafam, ips):
        self.kind, self.name, self.code, self.domain, self.prefix = kind, name, code, domain, prefix
        self.conv, self.roles, self.uafam, self.ips = conv, roles, uafam, ips
        self.accounts = []
        self.pool_base = 0
        self.pool_size = 0


class Acct:
    pass


def make_frag(name, org, role):
    return '"user":{"name":%s},"structure":%s,"profil":%s' % (
        json.dumps(name, ensure_ascii=False), json.dumps(org, ensure_ascii=False),
        json.dumps(role, ensure_ascii=False))


class World:
    def __init__(self, r):
        self.r = r
        self.orgs = []
        self.taken = set()
        self.advisors = []      # ordinary generation (incl. managers, supervisors, shared sub-profiles)
        self.cc_agents = []
        self.services = []      # callables (r, di, out)
        self.benign = []
        self.frag_info = {}     # frag -> (account, org)
        self.pool_next = 0
        self.moves = {}         # di -> [(acct, org)]
        self.build()

    # ---- organisations
    def add_org(self, kind, name, code, domain, prefix, size, conv, roles, uafam):
        r = self.r
        ips = [ip_in(r, ORG_NET) for _ in range(r.choice((1, 1, 2, 2, 3)))]
        o = Org(kind, name, code, domain, prefix, conv, roles, uafam, ips)
        o.size = size
        o.pool_base = self.pool_next
        o.pool_size = max(400, size * 260)
        self.pool_next += o.pool_size
        self.orgs.append(o)
        return o

    def login(self, o, first, last):
        r = self.r
        f, l = fold(first), fold(last)
        c = o.conv
        if c == "email":
            base = "%s.%s@%s" % (f, l, o.domain)
        elif c == "iemail":
            base = "%s%s@%s" % (f[0], l, o.domain)
        elif c == "prefix":
            base = "%s.%s%s" % (o.prefix, f[0], l)
        elif c == "matricule":
            base = "%s%05d" % (o.prefix.upper(), r.randint(1000, 99999))
        else:  # upper
            base = "%s_%s%s" % (o.prefix.upper(), l.upper(), f[0].upper())
        name, n = base, 2
        while name in self.taken:
            name = base.replace("@", "%d@" % n) if "@" in base else "%s%d" % (base, n)
            n += 1
        self.taken.add(name)
        return name

    def new_acct(self, o, role="", manager=False, kind=None, name=None):
        r = self.r
        a = Acct()
        first, last = r.choice(FIRST), r.choice(LAST)
        a.name = name or self.login(o, first, last)
        a.org = o
        a.role = role
        a.manager = manager
        a.kind = kind or o.kind
        a.frag = make_frag(a.name, o.name, role)
        self.frag_info[a.frag] = (a.name, o.name)
        sc, s, v, ot, pe, pu = KINDCFG[o.kind]
        a.scale = min(4.5, max(0.15, sc * r.lognormvariate(0, 0.65)))
        if manager:
            a.scale *= 0.5
        a.searches = s * a.scale * r.uniform(0.6, 1.5)
        a.views = v * a.scale * r.uniform(0.6, 1.5)
        a.others = ot * a.scale * r.uniform(0.5, 1.5)
        a.p_export = pe * r.uniform(0.2, 2.5)
        a.p_use = pu if r.random() > 0.05 else 0.1        # dormant accounts
        a.p_agenda = r.uniform(0.1, 0.6)
        a.search_size = r.uniform(14, 40)
        # schedule (minutes from midnight)
        u = r.random()
        if u < 0.15:
            a.start = r.uniform(465, 500)       # early bird
        elif u < 0.85:
            a.start = r.uniform(500, 545)
        else:
            a.start = r.uniform(545, 585)
        a.lunch = r.uniform(715, 770)
        a.lunch_len = r.uniform(40, 85)
        a.end = r.uniform(990, 1055) if r.random() > 0.07 else r.uniform(1080, 1150)
        a.offdays = set()
        u = r.random()
        if u < 0.12:
            a.offdays.add(2)
        elif u < 0.16:
            a.offdays.add(4)
        elif u < 0.18:
            a.offdays.add(0)
        a.sat = r.random() < 0.03
        a.tele = set()
        a.home_ip = None
        if o.kind in ("cd", "caf", "ml", "priv", "cap") and r.random() < 0.35:
            a.tele = set(r.sample([0, 1, 3, 4], r.choice((1, 1, 2))))
            a.home_ip = ip_in(r, HOME_NET)
        # browser and its December upgrade
        fam = o.uafam
        u = r.random()
        if fam == "edge":
            b = "edge" if u < 0.9 else "esr"
        elif fam == "esr":
            b = "esr" if u < 0.8 else "edge"
        else:
            b = "chrome" if u < 0.62 else "firefox" if u < 0.77 else "edge" if u < 0.94 else "mac"
        if b == "chrome":
            v0 = 142 if r.random() > 0.12 else 141
            a.ua1, a.ua2 = chrome(v0), chrome(143)
            a.ua_switch = DI[dt.date(2025, 12, 3)] + int(r.expovariate(1 / 6.0))
        elif b == "mac":
            a.ua1, a.ua2 = chrome(142, True), chrome(143, True)
            a.ua_switch = DI[dt.date(2025, 12, 3)] + int(r.expovariate(1 / 6.0))
        elif b == "edge":
            a.ua1, a.ua2 = edge(142), edge(143)
            a.ua_switch = DI[dt.date(2025, 12, 5)] + int(r.expovariate(1 / 8.0))
        elif b == "firefox":
            a.ua1, a.ua2 = firefox(145), firefox(146)
            a.ua_switch = DI[dt.date(2025, 12, 9)] + int(r.expovariate(1 / 4.0))
        else:
            a.ua1 = a.ua2 = firefox(140)
            a.ua_switch = NDAYS
        a.psize = r.randint(60, 400)
        a.pbase = o.pool_base + r.randrange(max(1, o.pool_size - a.psize))
        a.first, a.last = 0, NDAYS - 1
        a.absent = set()
        a.boost = {}
        a.extra = {}
        a.audit = {}
        a.ramp = False
        a.shared = False
        o.accounts.append(a)
        return a

    def build(self):
        r = self.r
        W = self
        # départements
        cd_sizes = [165, 128, 104, 66, 44, 31, 22]
        for (name, code, dom), size in zip(r.sample(CDS, len(cd_sizes)), cd_sizes):
            size = int(size * r.uniform(0.9, 1.1))
            conv = r.choice(("email", "email", "iemail", "prefix"))
            roles = r.choice([
                (["referent_rsa", "referent_rsa", "travailleur_social", "assistant_insertion"], "chef_de_service"),
                (["REFERENT", "REFERENT", "TS", "GEST"], "RESP"),
                (["Référent RSA", "Conseiller insertion", "Gestionnaire"], "Responsable de pôle"),
                None])
            self.add_org("cd", name, code, dom, "cd" + code, size, conv, roles, r.choice(("edge", "esr")))
        for (name, code), size in zip(r.sample(CAFS, 4), [112, 58, 30, 18]):
            size = int(size * r.uniform(0.9, 1.1))
            roles = r.choice([(["TECHNICIEN CONSEIL", "TECHNICIEN CONSEIL", "CONSEILLER SERVICES USAGERS"], "RESPONSABLE UNITE"),
                              (["TC", "TC", "CSU"], "RU")])
            self.add_org("caf", name, code, "caf%s.cnafmail.fr" % code, "caf" + code, size, "matricule", roles, "edge")
        for (name, dom), size in zip(r.sample(PRIVATE, 4), [146, 48, 19, 7]):
            size = int(size * r.uniform(0.9, 1.1))
            roles = r.choice([(["consultant", "consultant", "consultant_senior", "charge_relation_entreprise"], "manager"),
                              (["CONSULTANT", "CONSULTANT", "CHARGE_ACCOMPAGNEMENT"], "RESPONSABLE_AGENCE"),
                              None])
            self.add_org("priv", name, "", dom, fold(name)[:6], size, r.choice(("email", "iemail")), roles, "mixed")
        for (town, code) in r.sample(ML_TOWNS, 36):
            size = min(40, max(2, int(round(r.lognormvariate(math.log(8), 0.6)))))
            roles = r.choice([(["Conseiller(e)", "Conseiller(e)", "Conseiller(e)", "Chargé(e) d'accueil"], "Directeur(trice)"),
                              (["conseiller_ml", "conseiller_ml", "accueil"], "direction"),
                              None, None])
            slug = fold(town.split(" ")[-1])[:10]
            self.add_org("ml", "Mission locale " + town, code, "ml-%s.fr" % slug, "ml%s%s" % (code, slug[:5]),
                         size, r.choice(("email", "prefix", "iemail")), roles, "mixed")
        for (dep, code) in r.sample(CAP_DEPTS, 12):
            size = r.randint(3, 14)
            self.add_org("cap", "Cap emploi " + dep, code, "capemploi%s.com" % code, "cape" + code, size,
                         r.choice(("iemail", "upper")), None, "mixed")
        for town in r.sample(TOWNS, 58):
            size = r.choice((1, 1, 1, 2, 2, 2, 3, 3, 4, 5))
            self.add_org("ccas", "CCAS de " + town, "", "ccas-%s.fr" % fold(town)[:12], "ccas" + fold(town)[:8], size,
                         r.choice(("email", "iemail", "upper")), None, "mixed")
        for name in r.sample(OFS, 28):
            size = r.choice((1, 1, 2, 2, 3, 3, 4, 5, 6, 8))
            roles = r.choice((None, None, (["formateur", "referent_pedagogique"], "direction")))
            self.add_org("of", name, "", fold(name)[:14] + ".fr", fold(name)[:6], size,
                         r.choice(("email", "iemail")), roles, "mixed")
        cc = self.add_org("cc", "Relais Emploi Contact (plateforme téléphonique)", "", "relais-emploi-contact.fr",
                          "rec", 56, "upper", (["teleconseiller"], "superviseur"), "mixed")
        self.cc = cc

        # accounts
        for o in self.orgs:
            if o.kind == "cc":
                continue
            for i in range(o.size):
                manager = (o.size >= 6 and i % 15 == 0) or (o.size >= 3 and i == 0 and r.random() < 0.3)
                if o.roles:
                    role = o.roles[1] if manager else r.choice(o.roles[0])
                else:
                    role = ""
                a = self.new_acct(o, role, manager)
                self.advisors.append(a)
        for i in range(cc.size):
            sup = i < 4
            a = self.new_acct(cc, "superviseur" if sup else "teleconseiller", manager=sup)
            if sup:
                self.advisors.append(a)
            else:
                a.idx = i
                a.comp_day = r.choice((0, 1, 2, 3, 4))
                a.calls = r.uniform(22, 34)
                a.cc_scale = r.lognormvariate(0, 0.2)
                self.cc_agents.append(a)
        self.benign.append({"kind": "extended_hours_platform",
                            "note": "call centre Mon-Fri 08:00-20:00, Sat 08:00-18:00",
                            "accounts": [a.name for a in self.cc_agents],
                            "start": day_bound(0), "end": day_bound(NDAYS)})

        self.build_services()
        self.build_calendar_habits()

    # ---- service accounts
    def build_services(self):
        r = self.r
        by = lambda kind: sorted([o for o in self.orgs if o.kind == kind], key=lambda o: -o.size)
        cd, caf, priv, ml, of, cap = by("cd"), by("caf"), by("priv"), by("ml"), by("of"), by("cap")

        def svc(o, name, role_if_any):
            role = role_if_any if o.roles else ""
            a = Acct()
            a.name = name
            self.taken.add(name)
            a.org = o
            a.frag = make_frag(name, o.name, role)
            self.frag_info[a.frag] = (name, o.name)
            return a

        def pull(out, a, di, t_min, total, page, gap, ip, ua, q):
            sid = "%016x" % self.r.getrandbits(64)
            ms = int(t_min * 60000)
            out.append((ms, a.frag, 7, None, 0, ip, ua, sid, 200, "grant_type=client_credentials", None))
            p = 1
            left = total
            while left > 0:
                n = min(page, left)
                ms += int(self.r.uniform(*gap) * 1000)
                if ms >= 86399000:
                    break
                out.append((ms, a.frag, 8, None, n, ip, ua, sid, 200,
                            "%s&page=%d&taille=%d" % (q, p, page), None))
                left -= n
                p += 1

        ents = []
        # 1. nightly sync of the largest département, every night at 01:30
        a1 = svc(cd[0], "svc_sync_rsa_%s" % cd[0].code, "compte_technique")
        ip1, ua1 = ip_in(r, DC_NET), "Apache-HttpClient/4.5.14 (Java/17.0.12)"

        def nightly_cd(r, di, out):
            wd = DAYS[di].weekday()
            total = r.randint(6000, 14000) if wd in (1, 2, 3, 4, 5) else r.randint(1000, 3000)
            pull(out, a1, di, 90 + r.uniform(0, 3), total, 500, (0.6, 1.8), ip1, ua1,
                 "modifie_depuis=%sT01:30:00" % DSTR[max(0, di - 1)])
        self.services.append(nightly_cd)
        ents.append(("service_nightly_sync", a1, "every night ~01:30, 500-record pages"))

        # 2. CAF batch exchange, Tuesday-Saturday nights at 03:10
        a2 = svc(caf[0], "%s_BATCH_ECHANGE" % caf[0].prefix.upper(), "COMPTE TECHNIQUE")
        ip2, ua2 = ip_in(r, DC_NET), "Java/11.0.22"

        def nightly_caf(r, di, out):
            if DAYS[di].weekday() in (1, 2, 3, 4, 5):
                pull(out, a2, di, 190 + r.uniform(0, 2), r.randint(8000, 20000), 1000, (1.5, 4.0), ip2, ua2,
                     "flux=rsa&date=%s" % DSTR[max(0, di - 1)])
        self.services.append(nightly_caf)
        ents.append(("service_nightly_sync", a2, "Tue-Sat nights ~03:10, 1000-record pages"))

        # 3. second département, weekday evenings at 23:15
        a3 = svc(cd[1], "flux-rsa-nuit@%s" % cd[1].domain, "compte_technique")
        ip3, ua3 = ip_in(r, DC_NET), "Talend-ESB/8.0.1"

        def evening_cd(r, di, out):
            if DAYS[di].weekday() < 5:
                pull(out, a3, di, 23 * 60 + 15 + r.uniform(0, 2), r.randint(2000, 5000), 200, (0.4, 1.2), ip3, ua3,
                     "modifie_depuis=%sT23:15:00" % DSTR[max(0, di - 1)])
        self.services.append(evening_cd)
        ents.append(("service_nightly_sync", a3, "weekday evenings ~23:15, 200-record pages"))

        # 4. hourly connector of the largest mission locale, weekdays 07:05-19:05
        a4 = svc(ml[0], "connecteur-imilo@%s" % ml[0].domain, "technique")
        ip4, ua4 = ip_in(r, DC_NET), "i-milo-connector/3.4.1 okhttp/4.12.0"

        def hourly_ml(r, di, out):
            if not is_work(di):
                return
            for h in range(7, 20):
                pull(out, a4, di, h * 60 + 5 + r.uniform(0, 0.5), r.randint(20, 260), 100, (0.3, 0.9), ip4, ua4,
                     "modifie_depuis=%sT%02d:05:00" % (DSTR[di], h - 1))
        self.services.append(hourly_ml)
        ents.append(("service_hourly_sync", a4, "weekdays every hour 07:05-19:05, small deltas"))

        # 5. weekly pull of the largest contractor, Mondays 06:00
        a5 = svc(priv[0], "api_extract_%s" % priv[0].prefix, "api")
        ip5, ua5 = ip_in(r, DC_NET), "python-requests/2.31.0"

        def weekly_priv(r, di, out):
            if DAYS[di].weekday() == 0:
                pull(out, a5, di, 360 + r.uniform(0, 4), r.randint(18000, 30000), 200, (0.3, 1.2), ip5, ua5,
                     "portefeuille=complet")
        self.services.append(weekly_priv)
        ents.append(("service_weekly_pull", a5, "Mondays ~06:00, whole portfolio, 200-record pages"))

        # 6. weekly reporting pull of a training body, Sundays 22:30
        a6 = svc(of[0], "powerbi.%s@%s" % (of[0].prefix, of[0].domain), "technique")
        ip6, ua6 = ip_in(r, DC_NET), "Microsoft.Data.Mashup (https://go.microsoft.com/fwlink/?LinkID=304225)"

        def weekly_of(r, di, out):
            if DAYS[di].weekday() == 6:
                pull(out, a6, di, 22 * 60 + 30 + r.uniform(0, 3), r.randint(4000, 8000), 250, (1.0, 3.0), ip6, ua6,
                     "stagiaires=actifs")
        self.services.append(weekly_of)
        ents.append(("service_weekly_pull", a6, "Sundays ~22:30, 250-record pages"))

        # 7. monthly statistics extract, first working day of the month 04:00
        a7 = svc(cap[0], "EXTRACT_STATS_%s" % cap[0].prefix.upper(), "")
        ip7, ua7 = ip_in(r, DC_NET), "curl/8.5.0"

        def monthly_cap(r, di, out):
            if di in FIRST_WORKDAY_OF_MONTH:
                pull(out, a7, di, 240 + r.uniform(0, 2), r.randint(60000, 90000), 1000, (2.0, 5.0), ip7, ua7,
                     "mois=%s" % (DAYS[di] - dt.timedelta(days=DAYS[di].day)).strftime("%Y-%m"))
        self.services.append(monthly_cap)
        ents.append(("service_monthly_extract", a7, "first working day of each month ~04:00, 1000-record pages"))

        for kind, a, note in ents:
            self.benign.append({"kind": kind, "note": note, "accounts": [a.name],
                                "start": day_bound(0), "end": day_bound(NDAYS)})

    # ---- leave, holidays, new advisors, transfers, shared account, audit
    def build_calendar_habits(self):
        r = self.r
        base_advisors = list(self.advisors)
        # Christmas leave (call centre handled in cc_day)
        for a in base_advisors:
            u = r.random()
            if u < 0.2:
                a.absent.update(XMAS1 + XMAS2)
            elif u < 0.45:
                a.absent.update(XMAS1)
            elif u < 0.75:
                a.absent.update(XMAS2)
            if any(i in a.absent for i in XMAS2):
                a.boost[DI[dt.date(2026, 1, 5)]] = 1.4
                a.boost[DI[dt.date(2026, 1, 6)]] = 1.15
        # sick days
        for a in base_advisors:
            for di in WORK:
                if r.random() < 0.012:
                    a.absent.update(range(di, min(NDAYS, di + r.randint(1, 5))))
        # leave blocks of 1-3 weeks before Christmas, and catch-up on return
        returns = []
        for a in base_advisors:
            if a.p_use >= 0.85 and r.random() < 0.11:
                s = r.choice((7, 14, 21, 28, 35))
                w = r.choice((1, 1, 2, 2, 3))
                e = min(s + 7 * w, DI[dt.date(2025, 12, 20)])
                a.absent.update(range(s, e))
                back = [i for i in WORK if i >= e and i not in a.absent and DAYS[i].weekday() not in a.offdays][:3]
                if back and back[0] < XMAS1[0]:
                    for i, m in zip(back, (1.8, 1.45, 1.2)):
                        a.boost[i] = m
                    a.leave = (s, e)
                    returns.append((a, back[0], back[-1]))
        for a, b0, b1 in returns:
            self.benign.append({"kind": "return_from_leave", "note": "back after %d days away, backlog" % (b0 - a.leave[0]),
                                "accounts": [a.name], "start": day_bound(b0), "end": day_bound(b1 + 1)})

        # new advisors
        cands = [o for o in self.orgs if o.kind in ("cd", "caf", "ml", "priv", "cap") and o.size >= 4]
        joins = [i for i in WORK if 10 <= i <= 45] 
        self.new_advisors = []
        for k in range(r.randint(20, 28)):
            o = r.choice(cands)
            role = r.choice(o.roles[0]) if o.roles else ""
            a = self.new_acct(o, role)
            a.first = r.choice(joins) if k >= 4 else DI[dt.date(2026, 1, 5)]
            a.ramp = True
            a.p_use = max(a.p_use, 0.9)
            a.offdays = set()
            a.absent = set(i for i in XMAS if r.random() < 0.3)
            a.start = max(a.start, 540)
            self.advisors.append(a)
            self.new_advisors.append(a)
            self.benign.append({"kind": "new_advisor", "note": "joins, first days lighter",
                                "accounts": [a.name], "start": day_bound(a.first),
                                "end": day_bound(min(NDAYS, a.first + 14))})

        # team transfer: part of a mission locale merged into another on Monday 1 December
        mls = [o for o in self.orgs if o.kind == "ml" and o.size >= 8]
        src = r.choice(mls)
        dst = r.choice([o for o in self.orgs if o.kind == "ml" and o is not src and o.code == src.code] or
                       [o for o in self.orgs if o.kind == "ml" and o is not src])
        team = r.sample([a for a in src.accounts if not a.manager and not a.ramp], r.randint(5, min(9, src.size - 2)))
        mday = DI[dt.date(2025, 12, 1)]
        self.moves[mday] = [(a, dst) for a in team]
        self.transfer_team = team
        self.benign.append({"kind": "team_transfer",
                            "note": "team of %s moves to %s (same logins)" % (src.name, dst.name),
                            "accounts": [a.name for a in team], "start": day_bound(mday), "end": day_bound(NDAYS)})

        # shared team account (reception desk of a département), used by 4-6 people at once
        o = sorted([o for o in self.orgs if o.kind == "cd"], key=lambda o: -o.size)[r.randint(0, 2)]
        name = "accueil.insertion@%s" % o.domain
        self.taken.add(name)
        role = (o.roles[0][-1]) if o.roles else ""
        frag = make_frag(name, o.name, role)
        self.frag_info[frag] = (name, o.name)
        self.shared_subs = []
        for _ in range(r.randint(4, 6)):
            s = self.new_acct(o, role)
            o.accounts.remove(s)
            self.taken.discard(s.name)
            s.name, s.frag, s.shared = name, frag, True
            s.tele, s.home_ip, s.p_use = set(), None, 0.95
            self.advisors.append(s)
            self.shared_subs.append(s)
        self.shared_name = name
        self.benign.append({"kind": "shared_account", "note": "reception desk account used by %d people" % len(self.shared_subs),
                            "accounts": [name], "start": day_bound(0), "end": day_bound(NDAYS)})

        # end-of-year review campaign: three large organisations, four days
        big = [o for o in self.orgs if o.kind in ("cd", "caf") and o.size >= 25]
        self.audit_orgs = r.sample(big, 3)
        s = r.choice([DI[dt.date(2025, 12, 8)], DI[dt.date(2025, 12, 15)]])
        days = [s, s + 1, s + 2, s + 3]
        members = []
        for o in self.audit_orgs:
            for a in o.accounts:
                if not a.manager and not a.shared and r.random() < 0.65:
                    vm = r.uniform(3.0, 5.0)
                    for di in days:
                        a.audit[di] = vm
                    members.append(a)
        self.audit_members = members
        self.benign.append({"kind": "audit_campaign",
                            "note": "annual file review in " + ", ".join(o.name for o in self.audit_orgs),
                            "accounts": [a.name for a in members], "start": day_bound(days[0]),
                            "end": day_bound(days[-1] + 1)})

        # managers' month-end reporting
        managers = [a for a in self.advisors if a.manager]
        for month, d0, d1 in (("November", dt.date(2025, 11, 27), dt.date(2025, 11, 28)),
                              ("December", dt.date(2025, 12, 30), dt.date(2025, 12, 31))):
            self.benign.append({"kind": "month_end_reporting", "note": month + " reports (exports)",
                                "accounts": [a.name for a in managers],
                                "start": day_bound(DI[d0]), "end": day_bound(DI[d1] + 1)})

        # outage
        od = r.choice([i for i in WORK if 21 <= i <= 38 and DAYS[i].weekday() in (1, 2, 3)])
        os_ = r.uniform(9 * 60 + 20, 10 * 60 + 40)
        oe = os_ + r.uniform(120, 180)
        self.outage = (od, int(os_ * 60000), int(oe * 60000))
        self.benign.append({"kind": "outage", "note": "API unavailable (503) then catch-up in the afternoon",
                            "start": ts(od, int(os_ * 60000)), "end": ts(od, 19 * 3600000)})

        # calendar entries
        for d, name in HOLIDAYS.items():
            i = DI[d]
            self.benign.append({"kind": "public_holiday", "note": name, "start": day_bound(i), "end": day_bound(i + 1)})
        for d in BRIDGES:
            i = DI[d]
            self.benign.append({"kind": "bridge", "note": "pont, many absent", "start": day_bound(i), "end": day_bound(i + 1)})
        for d, m in AFTER.items():
            i = DI[d]
            self.benign.append({"kind": "after_holiday", "note": "back after a long weekend or the holidays, x%.2f" % m,
                                "start": day_bound(i), "end": day_bound(i + 1)})
        self.benign.append({"kind": "christmas_weeks", "note": "reduced staff and volume",
                            "start": day_bound(XMAS1[0]), "end": day_bound(XMAS2[-1] + 1)})
        for d in HALF_DAYS:
            i = DI[d]
            self.benign.append({"kind": "half_day", "note": "offices close at noon",
                                "start": ts(i, 12 * 3600000), "end": day_bound(i + 1)})


# ---------------------------------------------------------------- activity

def windows_for(r, a, half, first_day=False):
    s = a.start + r.gauss(0, 12)
    if first_day:
        s = max(s, 600 + r.uniform(0, 60))
    if half:
        return [(s, 720 + r.uniform(-20, 30))]
    lu = a.lunch + r.gauss(0, 10)
    ll = max(30, a.lunch_len + r.gauss(0, 10))
    e = a.end + r.gauss(0, 15)
    if s > lu - 30:
        return [(lu + ll, e)]
    return [(s, lu), (lu + ll, e)]


def subject(r, a):
    if r.random() < 0.75:
        return subj_str(a.pbase + r.randrange(a.psize))
    o = a.org
    return subj_str(o.pool_base + r.randrange(o.pool_size))


def gen_activity(r, a, out, windows, parts, ip, ua, reporting=0, login_tag=None, min_acts=0):
    """Sessions in windows (minutes) holding the actions of each part
    (tag, mult, view mult, search mult, export boost)."""
    acts = []
    for tag, m, vm, sm, xb in parts:
        acts.extend([(1, tag)] * poisson(r, a.searches * m * sm))
        acts.extend([(2, tag)] * poisson(r, a.views * m * vm))
        acts.extend([(5, tag)] * poisson(r, a.others * m))
        pe = a.p_export * m * xb
        while pe > 0:
            if r.random() < pe:
                acts.append((4, tag))
            pe -= 1
    acts.extend([(9, None)] * reporting)
    while len(acts) < min_acts:
        acts.append((2, parts[0][0]))
    if not acts:
        return
    sessions = []
    for ws, we in windows:
        L = we - ws
        if L < 8:
            continue
        k = 1 if L < 80 else (r.choice((1, 2, 2, 3)) if L < 200 else r.choice((2, 3, 3, 4)))
        seg = L / k
        for i in range(k):
            s0 = ws + i * seg + r.uniform(0, 0.2 * seg)
            s1 = min(ws + (i + 1) * seg, s0 + seg * r.uniform(0.5, 0.95))
            sessions.append((s0, s1))
    if not sessions:
        return
    cum = []
    tot = 0.0
    for s0, s1 in sessions:
        tot += s1 - s0
        cum.append(tot)
    last = len(sessions) - 1
    sids = [None] * len(sessions)
    frag = a.frag
    app = out.append
    rnd = r.random
    for code, tag in acts:
        k = bisect_right(cum, rnd() * tot)
        if k > last:
            k = last
        s0, s1 = sessions[k]
        sid = sids[k]
        if sid is None:
            sid = sids[k] = "%016x" % r.getrandbits(64)
            t0 = int(s0 * 60000)
            app((t0, frag, 0, None, 0, ip, ua, sid, 200, "", login_tag))
            if rnd() < a.p_agenda:
                app((t0 + r.randint(3000, 90000), frag, 6, None, r.randint(2, 9), ip, ua, sid, 200,
                     "date=today", login_tag))
        t = int((s0 + 0.3 + rnd() * (s1 - s0 - 0.3)) * 60000)
        if code == 2:
            sj = subject(r, a)
            if rnd() < 0.012:
                app((t, frag, 2, sj, 0, ip, ua, sid, 404, "", tag))
                continue
            app((t, frag, 2, sj, 1, ip, ua, sid, 200, "", tag))
            if rnd() < 0.4:
                app((t + r.randint(4000, 60000), frag, 3, sj, 1, ip, ua, sid, 200, "", tag))
        elif code == 1:
            u = rnd()
            if u < 0.06:
                n = r.randint(0, 9)
            else:
                n = int(r.gauss(a.search_size, 8))
                n = 10 if n < 10 else 50 if n > 50 else n
            app((t, frag, 1, None, n, ip, ua, sid, 200, "page=1&taille=50", tag))
            if n == 50 and rnd() < 0.3:
                app((t + r.randint(5000, 40000), frag, 1, None, r.randint(10, 50), ip, ua, sid, 200,
                     "page=2&taille=50", tag))
        elif code == 5:
            app((t, frag, 5, subject(r, a), 0, ip, ua, sid, 200, "", tag))
        elif code == 4:
            n = int(math.exp(r.uniform(4.6, 6.68)))  # 100-800
            app((t, frag, 4, None, n, ip, ua, sid, 200, "format=csv", tag))
        else:  # 9: manager's month-end report
            n = int(math.exp(r.uniform(5.3, 7.6)))  # 200-2000
            app((t, frag, 4, None, n, ip, ua, sid, 200, "format=xlsx&periode=mois", tag))


def cal_mult(di):
    d = DAYS[di]
    m = (1.08, 1.0, 0.92, 1.0, 0.85, 0.5, 0.5)[d.weekday()]
    m *= AFTER.get(d, 1.0)
    if di in XMAS:
        m *= 0.72
    return m


def advisor_day(r, a, di, out, calm, work):
    if di < a.first or di > a.last:
        return
    d = DAYS[di]
    wd = d.weekday()
    if not work:
        if wd == 5 and a.sat and d not in HOLIDAYS and di not in XMAS and r.random() < 0.15:
            w = [(540 + r.uniform(0, 60), 660 + r.uniform(0, 50))]
            gen_activity(r, a, out, w, [(None, 0.3, 1.0, 1.0, 0.0)], a.home_ip or a.org.ips[0], a.ua1)
        return
    first_day = a.ramp and di == a.first  # a newcomer's first day: always there
    if (di in a.absent or wd in a.offdays) and not first_day:
        return
    if d in BRIDGES and r.random() < BRIDGES[d] and not first_day:
        return
    extra = a.extra.get(di)
    if r.random() > a.p_use and not extra and not first_day and a.boost.get(di, 1.0) < 1.3:
        return
    m = calm * a.boost.get(di, 1.0) * r.lognormvariate(0, 0.3)
    if a.ramp:
        k = di - a.first
        m *= 0.2 if k == 0 else 0.45 if k < 5 else 0.7 if k < 12 else 1.0
    vm = a.audit.get(di, 1.0)
    sm = 1.8 if vm > 1.0 else 1.0
    parts = [(None, m, vm, sm, 1.0)]
    if extra:  # an attack's share, following the calendar but not the day's mood
        tag, em, evm, esm, exb = extra
        parts.append((tag, em * calm, evm, esm, exb))
    if wd in a.tele and a.home_ip:
        ip = a.home_ip if r.random() > 0.08 else ip_in(r, HOME_NET)
    else:
        ip = a.org.ips[0] if len(a.org.ips) == 1 else r.choice(a.org.ips)
    ua = a.ua2 if di >= a.ua_switch else a.ua1
    rep = r.choice((0, 1, 1, 2, 3)) if a.manager and di in MONTH_END else 0
    gen_activity(r, a, out, windows_for(r, a, d in HALF_DAYS, first_day), parts, ip, ua, rep,
                 min_acts=3 if first_day else 0)


def cc_day(r, a, di, out):
    d = DAYS[di]
    wd = d.weekday()
    if d in HOLIDAYS or wd == 6:
        return
    week = di // 7
    if wd == 5:
        if (a.idx + week) % 3 != 0:
            return
    elif (a.idx + week) % 3 == 0 and wd == a.comp_day:
        return
    if di in XMAS and r.random() < 0.4:
        return
    if r.random() < 0.035:
        return
    late = (a.idx + week) % 2 == 1
    if wd == 5:
        s, e = (480, 780) if not late else (780, 1080)
    elif d in HALF_DAYS:
        s, e = (480, 750) if not late else (720, 1020)
    else:
        s, e = (480, 870) if not late else (810, 1200)
    brk = s + (e - s) * r.uniform(0.4, 0.6)
    wins = [(s + r.uniform(0, 4), brk), (brk + r.uniform(15, 25), e - r.uniform(0, 6))]
    m = a.cc_scale * (e - s) / 390.0 * (1.2 if wd == 0 else 1.0) * (0.8 if di in XMAS else 1.0)
    ncalls = poisson(r, a.calls * m)
    ip = a.org.ips[0] if len(a.org.ips) == 1 else r.choice(a.org.ips)
    ua = a.ua2 if di >= a.ua_switch else a.ua1
    frag = a.frag
    app = out.append
    for ws, we in wins:
        if we - ws < 5:
            continue
        sid = "%016x" % r.getrandbits(64)
        app((int(ws * 60000), frag, 0, None, 0, ip, ua, sid, 200, "", None))
        n = max(0, int(ncalls * (we - ws) / (e - s) + 0.5))
        for _ in range(n):
            t = int((ws + 0.5 + r.random() * (we - ws - 1.5)) * 60000)
            if r.random() < 0.1:
                app((t, frag, 1, None, 0, ip, ua, sid, 200, "nom=*&page=1&taille=20", None))
                t += r.randint(8000, 30000)
            app((t, frag, 1, None, r.choice((1, 1, 1, 2, 2, 3, 4, 5)), ip, ua, sid, 200, "nom=*&page=1&taille=20", None))
            sj = subj_str(r.randrange(8000000))
            t += r.randint(10000, 60000)
            app((t, frag, 2, sj, 1, ip, ua, sid, 200, "", None))
            if r.random() < 0.5:
                t += r.randint(10000, 60000)
                app((t, frag, 3, sj, 1, ip, ua, sid, 200, "", None))
            if r.random() < 0.25:
                app((t + r.randint(60000, 300000), frag, 5, sj, 0, ip, ua, sid, 200, "", None))


def apply_outage(r, out, os_, oe):
    end_cap = 18 * 3600000 + 45 * 60000
    res = []
    for ev in out:
        t = ev[0]
        if os_ <= t < oe:
            if ev[10] is None and r.random() < 0.15:
                ev = (t,) + ev[1:4] + (0,) + ev[5:8] + (503,) + ev[9:]
            else:
                nt = oe + int(r.expovariate(1.0 / 3600000))
                if nt > end_cap:
                    nt = oe + r.randrange(end_cap - oe)
                ev = (nt,) + ev[1:]
        res.append(ev)
    return res


# ---------------------------------------------------------------- attacks

class Attack:
    def __init__(self, aid, shape, accounts, org, note):
        self.id, self.shape, self.accounts, self.org, self.note = aid, shape, accounts, org, note
        self.by_day = {}

    def add(self, di, ev):
        self.by_day.setdefault(di, []).append(ev)


def plan_attacks(r, W):
    excluded = set(a.name for a in W.transfer_team) | {W.shared_name}
    excluded |= set(a.name for a in W.new_advisors)
    audit = set(a.name for a in W.audit_members)
    used = set()
    ordinary = [a for a in W.advisors if not a.manager and not a.shared and not a.ramp and a.name not in excluded
                and a.org.kind != "cc" and a.p_use > 0.3]

    def pick(pred):
        c = [a for a in ordinary if a.name not in used and pred(a)]
        a = r.choice(c)
        used.add(a.name)
        return a

    shapes = ["bulk_extraction", "low_and_slow", "new_account", "org_wide", "off_hours"]
    extras = r.sample(["bulk_extraction", "low_and_slow", "off_hours", "new_account", "org_wide"], r.randint(1, 3))
    shapes += extras
    bulk_modes = ["office_hours"] + r.sample(["night_burst", "weekend_exports"], 2)
    off_modes = ["night", "sunday"]
    attacks = []
    seen = {}
    # organisation-wide attacks last, in organisations no other attack touches
    shapes.sort(key=lambda x: x == "org_wide")
    for n, shape in enumerate(shapes):
        k = seen.get(shape, 0)
        seen[shape] = k + 1
        aid = "atk%d-%s" % (n + 1, shape)
        if shape == "bulk_extraction":
            attacks.append(bulk(r, W, aid, pick(lambda a: a.org.kind in ("cd", "caf", "ml", "priv", "cap")), bulk_modes[k]))
        elif shape == "low_and_slow":
            attacks.append(low_and_slow(r, W, aid, k, pick, audit))
        elif shape == "new_account":
            attacks.append(new_account(r, W, aid, k))
        elif shape == "org_wide":
            busy = set(a.org.name for a in ordinary if a.name in used) | set(x.org for x in attacks)
            attacks.append(org_wide(r, W, aid, k, ordinary, used, audit, busy))
        else:
            attacks.append(off_hours(r, W, aid, pick(lambda a: a.scale >= 0.8), off_modes[k]))
    return attacks


def login_ev(r, a, ms, ip, ua, tag):
    sid = "%016x" % r.getrandbits(64)
    return sid, (ms, a.frag, 0, None, 0, ip, ua, sid, 200, "", tag)


def bulk(r, W, aid, v, mode):
    atk = Attack(aid, "bulk_extraction", [v.name], v.org.name, "")
    ip = ip_in(r, VPS_NET)
    cps = ["%s%03d" % (v.org.code or "75", r.randint(0, 990)) for _ in range(400)]
    state = {"pages": 0, "page": 0, "cp": None}

    def next_req():
        if state["pages"] == 0:
            state["cp"] = r.choice(cps)
            state["pages"] = r.randint(5, 60)
            state["page"] = 0
        state["pages"] -= 1
        state["page"] += 1
        n = 50 if state["pages"] > 0 else r.randint(1, 49)
        return n, "code_postal=%s&page=%d&taille=50" % (state["cp"], state["page"])

    if mode == "office_hours":
        ua = v.ua1 if r.random() < 0.5 else "python-requests/2.32.3"
        target = r.randint(30000, 80000)
        di = r.choice([i for i in WORK if ATTACK_FROM <= i <= 55 and DAYS[i] not in HALF_DAYS])
        taken = 0
        while taken < target and di < NDAYS:
            if is_work(di) and DAYS[di] not in HALF_DAYS:
                for ws, we in ((540 + r.uniform(0, 15), 730 + r.uniform(0, 20)),
                               (820 + r.uniform(0, 20), 1050 + r.uniform(0, 15))):
                    t = ws * 60.0
                    sid, ev = login_ev(r, v, int(t * 1000), ip, ua, aid)
                    atk.add(di, ev)
                    relog = t + r.uniform(3600, 7200)
                    while t < we * 60 and taken < target:
                        t += r.uniform(30, 90)
                        if r.random() < 0.015:
                            t += r.uniform(300, 1200)
                        if t > relog:
                            sid, ev = login_ev(r, v, int(t * 1000), ip, ua, aid)
                            atk.add(di, ev)
                            relog = t + r.uniform(3600, 7200)
                            t += r.uniform(2, 6)
                        n, q = next_req()
                        atk.add(di, (int(t * 1000), v.frag, 1, None, n, ip, ua, sid, 200, q, aid))
                        taken += n
            di += 1
        atk.note = "hijacked account, throttled paginated searches in office hours from a VPS (%s)" % ip
    elif mode == "night_burst":
        ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/142.0.0.0 Safari/537.36"
        target = r.randint(25000, 45000)
        di = r.randint(ATTACK_FROM + 1, 66)
        t = (40 + r.uniform(0, 30)) * 60.0
        sid, ev = login_ev(r, v, int(t * 1000), ip, ua, aid)
        atk.add(di, ev)
        taken = 0
        while taken < target and t < 5.75 * 3600:
            t += r.uniform(3, 8)
            n, q = next_req()
            atk.add(di, (int(t * 1000), v.frag, 1, None, n, ip, ua, sid, 200, q, aid))
            taken += n
        atk.note = "hijacked account, scripted night burst of paginated searches from %s" % ip
    else:  # weekend_exports
        ua = firefox(146)
        target = r.randint(35000, 60000)
        sat = r.choice([i for i in range(ATTACK_FROM, 68) if DAYS[i].weekday() == 5])
        taken = 0
        for di, ws, we, share in ((sat, 600, 990, r.uniform(0.5, 0.7)), (sat + 1, 840, 1110, 1.0)):
            goal = int(target * share)
            t = (ws + r.uniform(0, 20)) * 60.0
            sid, ev = login_ev(r, v, int(t * 1000), ip, ua, aid)
            atk.add(di, ev)
            relog = t + 3600
            while t < we * 60 and taken < goal:
                t += r.uniform(180, 420)
                if t > relog:
                    sid, ev = login_ev(r, v, int(t * 1000), ip, ua, aid)
                    atk.add(di, ev)
                    relog = t + 3600
                    t += 5
                n = min(goal - taken, r.randint(500, 800))
                atk.add(di, (int(t * 1000), v.frag, 4, None, n, ip, ua, sid, 200, "format=csv&perimetre=structure", aid))
                taken += n
        atk.note = "hijacked account, repeated exports over a weekend from %s" % ip
    return atk


def low_and_slow(r, W, aid, k, pick, audit):
    if k == 0:
        v = pick(lambda a: 0.5 <= a.scale <= 1.6 and a.p_use > 0.8 and a.name not in audit)
    else:
        v = pick(lambda a: a.org.kind in ("cd", "caf") and a.org.size >= 40 and a.scale >= 0.6 and a.name not in audit)
    factor = r.uniform(2.0, 3.5) if k == 0 else r.uniform(2.0, 2.6)
    length = r.randint(7, 15)
    cands = [i for i in WORK if ATTACK_FROM <= i and i + length * 7 // 5 + 2 < XMAS1[0]]
    s = r.choice(cands)
    days = [i for i in WORK if i >= s][:length]
    for di in days:
        v.absent.discard(di)
        v.extra[di] = (aid, factor - 1.0, 1.0, 1.1, 1.5)
    atk = Attack(aid, "low_and_slow", [v.name], v.org.name,
                 "insider at x%.1f of the usual daily volume for %d working days" % (factor, len(days)))
    return atk


def new_account(r, W, aid, k):
    kinds = ("priv",) if k == 0 else ("of", "ml", "cap")
    o = r.choice([o for o in W.orgs if o.kind in kinds and o.size >= 3 and o is not W.cc])
    role = r.choice(o.roles[0]) if o.roles else ""
    a = W.new_acct(o, role)
    a.start = 560
    atk = Attack(aid, "new_account", [a.name], o.name, "")
    insider = r.random() < 0.5
    ip = (o.ips[0]) if insider else ip_in(r, HOME_NET)
    ua = chrome(142) if r.random() < 0.7 else edge(142)
    d0 = r.choice([i for i in WORK if ATTACK_FROM + 1 <= i <= 55])
    # day 0: looks like a newcomer
    gen_day = []
    gen_activity(r, a, gen_day, [(600 + r.uniform(0, 30), 690), (840, 960)],
                 [(aid, 0.6, 1.0, 1.0, 0.0)], ip, ua, login_tag=aid, min_acts=4)
    for ev in gen_day:
        atk.add(d0, ev)
    target = r.randint(4000, 15000)
    taken = 0
    nd = r.randint(2, 4)
    days = [i for i in WORK if i > d0][:nd]
    per_day = target // len(days) + 1
    for di in days:
        got = 0
        for ws, we in ((560 + r.uniform(0, 30), 720), (830 + r.uniform(0, 20), 1050)):
            t = ws * 60.0
            sid, ev = login_ev(r, a, int(t * 1000), ip, ua, aid)
            atk.add(di, ev)
            cp = "%s%03d" % (o.code or "33", r.randint(0, 990))
            page = 0
            while t < we * 60 and got < per_day and taken < target:
                if r.random() < 0.12:
                    t += r.uniform(120, 600)
                    n = min(r.randint(600, 800), target - taken)
                    atk.add(di, (int(t * 1000), a.frag, 4, None, n, ip, ua, sid, 200, "format=csv&perimetre=departement", aid))
                else:
                    t += r.uniform(20, 60)
                    page += 1
                    n = min(50, target - taken)
                    atk.add(di, (int(t * 1000), a.frag, 1, None, n, ip, ua, sid, 200,
                                 "code_postal=%s&page=%d&taille=50" % (cp, page), aid))
                    if page >= 40 and r.random() < 0.1:
                        cp = "%s%03d" % (o.code or "33", r.randint(0, 990))
                        page = 0
                got += n
                taken += n
    atk.note = "account created %s, then %d days of exports and paginated searches from %s" % (
        DSTR[d0], len(days), "the organisation's network" if insider else "a home ISP address")
    return atk


def org_wide(r, W, aid, k, ordinary, used, audit, busy):
    kinds = ("priv", "ml") if k == 0 else ("ml", "cap", "cd")
    best = []
    for o in W.orgs:
        if o.kind not in kinds or o is W.cc or o.name in busy:
            continue
        mem = [a for a in ordinary if a.org is o and a.name not in used and a.name not in audit and a.p_use > 0.8]
        if 6 <= o.size <= 60 and len(mem) >= 4:
            best.append((o, mem))
    o, mem = r.choice(best)
    members = r.sample(mem, min(len(mem), r.randint(4, 7)))
    for a in members:
        used.add(a.name)
    nd = r.randint(3, 5)
    s = r.choice([i for i in WORK if ATTACK_FROM <= i <= 50 and (i + nd + 2) < XMAS1[0] or 63 <= i <= 64])
    days = [i for i in WORK if i >= s][:nd]
    for a in members:
        f = r.uniform(1.5, 3.0)
        for di in days:
            a.absent.discard(di)
            a.extra[di] = (aid, f - 1.0, 1.0, 1.2, 2.0)
    return Attack(aid, "org_wide", [a.name for a in members], o.name,
                  "%d accounts of the organisation at 1.5-3x for %d working days" % (len(members), len(days)))


def off_hours(r, W, aid, v, mode):
    atk = Attack(aid, "off_hours", [v.name], v.org.name, "")
    ip = v.home_ip if (v.home_ip and r.random() < 0.6) else ip_in(r, HOME_NET)
    ua = v.ua1
    if mode == "night":
        nights = r.sample([i for i in range(ATTACK_FROM, 67) if DAYS[i].weekday() in (1, 2, 3, 4)], r.randint(1, 2))
        for di in nights:
            out = []
            w = [(60 + r.uniform(0, 40), 210 + r.uniform(0, 35))]
            gen_activity(r, v, out, w, [(aid, r.uniform(1.0, 1.6), 1.0, 1.0, 1.5)],
                         ip, v.ua2 if di >= v.ua_switch else ua, login_tag=aid)
            for ev in out:
                atk.add(di, ev)
        atk.note = "an ordinary day's volume read between 01:00 and 04:00 on %d night(s)" % len(nights)
    else:
        sun = r.choice([i for i in range(ATTACK_FROM, NDAYS) if DAYS[i].weekday() == 6])
        out = []
        gen_activity(r, v, out, [(840 + r.uniform(0, 60), 1020 + r.uniform(0, 90))],
                     [(aid, r.uniform(1.0, 1.5), 1.0, 1.0, 2.0)], ip,
                     v.ua2 if sun >= v.ua_switch else ua, login_tag=aid)
        for ev in out:
            atk.add(sun, ev)
        atk.note = "an ordinary day's volume (or more) read on a Sunday afternoon"
    return atk


# ---------------------------------------------------------------- main

LINE = ('{"@timestamp":"%s","event":{"action":"%s","outcome":"%s","duration_ms":%d},%s,'
        '"url":{"path":"%s","query":"%s"},"http":{"request":{"method":"%s"},"response":{"status_code":%d}},'
        '"client_ip":"%s","user_agent":"%s","session_id":"%s","nb_resultats":%d,"demandeur_id":%s}\n')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--labels", required=True)
    ap.add_argument("--trace", help="debug: write line number and attack id of each malicious event")
    args = ap.parse_args()
    t0 = time.time()
    check_offset()
    r = random.Random(args.seed)
    W = World(r)
    attacks = plan_attacks(r, W)
    for o in W.orgs:
        for a in o.accounts:
            W.frag_info.setdefault(a.frag, (a.name, o.name))

    stats = {a.id: {"events": 0, "records": 0, "first": None, "last": None, "accounts": set(), "orgs": set()}
             for a in attacks}
    names = set()
    n_events = 0
    n_records = 0
    lineno = 0
    fout = open(args.out, "w", encoding="utf-8")
    ftrace = open(args.trace, "w") if args.trace else None
    info = W.frag_info
    for di in range(NDAYS):
        for a, o in W.moves.get(di, ()):
            a.org = o
            a.role = (r.choice(o.roles[0]) if o.roles else "")
            a.frag = make_frag(a.name, o.name, a.role)
            info[a.frag] = (a.name, o.name)
        out = []
        work = is_work(di)
        calm = cal_mult(di)
        for a in W.advisors:
            advisor_day(r, a, di, out, calm, work)
        for a in W.cc_agents:
            cc_day(r, a, di, out)
        for svc in W.services:
            svc(r, di, out)
        for atk in attacks:
            out.extend(atk.by_day.get(di, ()))
        if di == W.outage[0]:
            out = apply_outage(r, out, W.outage[1], W.outage[2])
        out = [ev for ev in out if 0 <= ev[0] < 86400000]
        out.sort(key=lambda ev: ev[0])
        day = DSTR[di]
        buf = []
        for ms, frag, act, subj, recs, ip, ua, sid, status, q, tag in out:
            h, rem = divmod(ms, 3600000)
            mi, rem = divmod(rem, 60000)
            s, milli = divmod(rem, 1000)
            stamp = "%sT%02d:%02d:%02d.%03d+01:00" % (day, h, mi, s, milli)
            name, method, pre, suf = ACTIONS[act]
            if suf is not None:
                path = pre + subj + suf
                sj = '"' + subj + '"'
            else:
                path = pre
                sj = "null"
            dur = 25 + (ms * 2654435761 >> 9) % 180 + recs // 4
            buf.append(LINE % (stamp, name, "success" if status < 400 else "failure", dur, frag, path, q,
                               method, status, ip, ua, sid, recs, sj))
            lineno += 1
            n_records += recs
            if tag is not None:
                st = stats[tag]
                st["events"] += 1
                st["records"] += recs
                if st["first"] is None:
                    st["first"] = stamp
                st["last"] = stamp
                acc, org = info[frag]
                st["accounts"].add(acc)
                st["orgs"].add(org)
                if ftrace:
                    ftrace.write("%d\t%s\n" % (lineno, tag))
        n_events += len(out)
        for frag in set(ev[1] for ev in out):
            names.add(info[frag][0])
        fout.write("".join(buf))
    fout.close()
    if ftrace:
        ftrace.close()

    lab_attacks = []
    for atk in attacks:
        st = stats[atk.id]
        assert st["events"] > 0, atk.id
        assert st["accounts"] <= set(atk.accounts) and len(st["orgs"]) == 1 and atk.org in st["orgs"], atk.id
        lab_attacks.append({"id": atk.id, "shape": atk.shape, "accounts": sorted(st["accounts"]), "org": atk.org,
                            "start": st["first"], "end": st["last"], "records": st["records"],
                            "events": st["events"]})
        print("  %s %s %s (%s): %d events, %d records, %s .. %s; %s" % (
            atk.id, atk.shape, ",".join(sorted(st["accounts"])), atk.org, st["events"], st["records"],
            st["first"], st["last"], atk.note), file=sys.stderr)
    lab_attacks.sort(key=lambda x: x["start"])
    benign = []
    for i, b in enumerate(W.benign):
        e = {"id": "b%03d-%s" % (i + 1, b["kind"]), "kind": b["kind"]}
        if "accounts" in b:
            e["accounts"] = b["accounts"]
        e["start"], e["end"] = b["start"], b["end"]
        benign.append(e)
    labels = {"seed": args.seed, "time_zone": "Europe/Paris", "start": day_bound(0), "end": day_bound(NDAYS),
              "days": NDAYS, "account_count": len(names), "events": n_events, "records": n_records,
              "attacks": lab_attacks, "benign": benign}
    with open(args.labels, "w", encoding="utf-8") as f:
        json.dump(labels, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("altgen4 seed %d: %d events, %d records, %d accounts, %d organisations, %d attacks (%s), %.1fs"
          % (args.seed, n_events, n_records, len(names), len(W.orgs), len(lab_attacks),
             ", ".join(a["shape"] for a in lab_attacks), time.time() - t0), file=sys.stderr)


if __name__ == "__main__":
    main()
