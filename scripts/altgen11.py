#!/usr/bin/env python3
"""altgen11 -- access log of the "Partage partenaires" portal, as written by its nginx front.

Deployment
==========
The portal ``https://partage.partenaires-emploi.fr`` lets partner organisations
(missions locales, Cap emploi, conseils departementaux, CAF, organismes de
formation, PLIE / structures d'insertion) consult the files of the job seekers
they follow.  A single-page application and a REST API (upstream ``partage-api``)
sit behind one nginx reverse proxy, which writes the access log described here.
Time zone of the host: Europe/Paris.

log_format
----------
::

    log_format partage '$remote_addr - $remote_user [$time_local] "$request" '
                       '$status $body_bytes_sent "$http_referer" "$http_user_agent" '
                       'rt=$request_time urt=$upstream_response_time '
                       'rid=$request_id user="$upstream_http_x_user"';
    access_log /var/log/nginx/partage/access.log partage;

* ``$remote_addr``: client address after ``real_ip`` (the office NAT of the partner,
  a home connection during telework -- IPv4 or IPv6 --, a server for integrations,
  10.20.0.x for the load-balancer health checks).
* ``$remote_user``: filled only for HTTP Basic authentication, which is what
  service accounts (integrations) use.  People authenticate with an OIDC bearer
  token, so it is ``-`` on their lines.
* ``$time_local``: ``[dd/Mon/yyyy:HH:MM:SS +0100]`` (CET) or ``+0200`` (CEST), the
  time the request completed.  The switch to summer time happens on 28/Mar/2027.
* ``$request``: request line as received; browsers talk HTTP/2.0, most
  integration clients HTTP/1.1.
* ``$body_bytes_sent``: JSON responses are gzip-compressed (``gzip on``); CSV
  exports are sent uncompressed.
* ``rt=`` request time, ``urt=`` upstream response time (``-`` when nginx answered by
  itself: static files, ``limit_req`` rejections, malformed requests).
* ``rid=`` 32 hex digit ``$request_id`` (also passed upstream as X-Request-Id).
* ``user="..."``: the ``X-User`` response header set by ``partage-api`` with the
  authenticated account.  People: their professional e-mail address as known to
  the identity provider (``prenom.nom@domaine`` or ``pnom@domaine``, with a digit
  suffix on homonyms; a few reception desks use a shared ``accueil@domaine``).
  Service accounts: ``svc-...`` (same string as in ``$remote_user``).  ``-`` when
  the API did not answer for an identified account (static files, 401, 429,
  502/504, scanners, health checks).

Organisation
------------
Every application URL is prefixed with the partner organisation's code:
``/o/{org}/`` for the application page and ``/o/{org}/api/v1/...`` for the API.
Codes look like ``ml-roubaix``, ``cape-59``, ``cd-59``, ``caf-59``,
``of-afpa-lille``, ``plie-amiens``, ``siae-envie-nantes``.  A few agents work
for two organisations and use both prefixes with the same login; the national
i-milo synchronisation account walks through every mission locale prefix.

API (what the lines mean)
-------------------------
* ``GET /o/{org}/api/v1/personnes?{criteria}&page={p}&size={n}`` -- search or list;
  returns one JSON page of person summaries: page ``p`` (zero-based) of size
  ``min(n, 200)``, fewer items on the last page.  Criteria used by the UI:
  ``nom``/``prenom``/``dateNaissance``, ``identifiant``, ``codePostal``,
  ``portefeuille=moi|structure|reaffectes`` (+ ``statut``, ``filtre``, ``sort``),
  ``doublons=true``.  The UI offers page sizes 20 (default), 50 and 100.
* ``GET /o/{org}/api/v1/personnes/{id}`` -- one person's file (``id`` = internal
  numeric identifier).  Tabs of the file are separate calls:
  ``/personnes/{id}/parcours``, ``/rendez-vous``, ``/documents``, ``/contacts``,
  ``/prescriptions``; ``POST /personnes/{id}/notes`` adds a note.
* ``GET /o/{org}/api/v1/exports/{name}?format=csv[&since=YYYY-MM-DD]&offset={o}&limit={l}``
  -- CSV export, one row per person, at most 5000 rows per call; the client pages
  with ``offset`` until a page comes back shorter than ``limit``.  Allowed for
  managers, local admins and service accounts (403 otherwise).
* Others: ``/me``, ``/notifications``, ``/rendez-vous?date=...``,
  ``PUT /rendez-vous/{id}``, ``POST /accueil/passages``, ``/stats/...``,
  ``/admin/utilisateurs...``.
* Outside the API: ``GET /o/{org}/`` (application page, ``no-cache`` so usually
  304), hashed assets under ``/static/`` (long cache, fetched again after a
  release), ``/favicon.ico``, ``/robots.txt``, ``GET /healthz`` (HAProxy checks
  every 60 s from 10.20.0.11 and 10.20.0.12, external probe every 5 min).
  ``limit_req`` (per client address) answers 429.  The Internet background noise
  (TLS on the clear port, empty connections ``"-" 400 0``, ``/.env``,
  ``/wp-login.php`` ...) is logged like everything else.

Files
-----
logrotate (``daily``, ``dateext``, ``dateyesterday``, ``compress``,
``delaycompress``, ``rotate 90``, ``postrotate`` = ``nginx -s reopen``), run by
the systemd ``logrotate.timer`` shortly after midnight (up to ~25 minutes late).
``access.log-YYYYMMDD`` therefore holds the day YYYY-MM-DD from a few minutes after
its midnight to a few minutes after the next midnight.  Every rotated file is
gzipped except the newest one (delaycompress).

Generated period: 56 days, Monday 15 March 2027 00:00 +01:00 to Monday 10 May
2027 00:00 +02:00.  OUTDIR receives ``access.log-20270315.gz`` ...
``access.log-20270508.gz`` and ``access.log-20270509`` (plain), the first file
starting at the period start and the last one ending at the period end, plus
``ALL.log``, every line of the period in time order in one plain file
(convenience copy, not part of the deployment).

Usage
-----
    python3 scripts/altgen11.py --seed S --outdir /tmp/ev11/sS --labels /tmp/ev11/lS.json

The output depends only on ``--seed``.  A notes file (``notesS.json``) is written
next to the labels file.
"""

import argparse
import bisect
import calendar
import datetime
import gzip
import json
import math
import os
import random
import re

# ----------------------------------------------------------------------------
# calendar / time
# ----------------------------------------------------------------------------
START = datetime.date(2027, 3, 15)          # a Monday
NDAYS = 56
HOST = "partage.partenaires-emploi.fr"
MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _last_sunday(y, m):
    d = datetime.date(y, m, calendar.monthrange(y, m)[1])
    return d - datetime.timedelta(days=(d.weekday() + 1) % 7)


def _dst(y):
    a = _last_sunday(y, 3)
    b = _last_sunday(y, 10)
    return (calendar.timegm((a.year, a.month, a.day, 1, 0, 0)),
            calendar.timegm((b.year, b.month, b.day, 1, 0, 0)))


DST = [_dst(2026), _dst(2027)]


def utc_off(e):
    for a, b in DST:
        if a <= e < b:
            return 7200
    return 3600


def local_to_epoch(naive):
    e = naive - 7200
    if utc_off(e) == 7200:
        return e
    return naive - 3600     # CET, or inside the spring gap (shifted forward like cron)


def rfc(e):
    s = int(e)
    off = utc_off(s)
    dt = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=s + off)
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + ("+02:00" if off == 7200 else "+01:00")


# ----------------------------------------------------------------------------
# reference data
# ----------------------------------------------------------------------------
FIRST = ("marie nathalie isabelle sylvie catherine sandrine valerie christine stephanie celine "
         "aurelie julie camille laura sarah emilie caroline sophie audrey elodie amandine pauline "
         "manon lea chloe ines yasmine fatima nadia karima jean pierre nicolas christophe stephane "
         "sebastien julien thomas david laurent frederic olivier eric mathieu guillaume antoine "
         "alexandre maxime kevin romain hugo lucas mehdi karim mohamed yannick patrick philippe "
         "thierry bruno francois cedric fabien anne helene agnes virginie delphine laetitia morgane "
         "oceane justine clement baptiste florian jeremy damien gaelle solene mathilde sonia "
         "myriam samia djamila rachid sofiane vincent benedicte veronique corinne").split()
LAST = ("martin bernard dubois thomas robert richard petit durand leroy moreau simon laurent "
        "lefebvre michel garcia david bertrand roux vincent fournier morel girard andre lefevre "
        "mercier dupont lambert bonnet francois martinez legrand garnier faure rousseau blanc "
        "guerin muller henry roussel nicolas perrin morin mathieu clement gauthier dumont lopez "
        "fontaine chevalier robin masson sanchez gerard nguyen boyer denis lemaire duval joly "
        "gautier roger roche roy noel meyer lucas meunier jean perez marchand dufour blanchard "
        "marie barbier brun dumas brunet schmitt leroux colin fernandez pierre renard arnaud "
        "rolland caron aubert giraud leclerc vidal bourgeois renaud lemoine picard gaillard "
        "philippe leclercq lacroix fabre dupuis olivier rodriguez da-silva hubert louis charles "
        "guillot riviere le-gall guillaume adam rey moulin gonzalez berger lecomte menard fleury "
        "deschamps carpentier julien benoit paris maillard marchal aubry vasseur le-roux renault "
        "jacquet collet prevost poirier charpentier royer huet baron dupuy pons paul laine carre "
        "breton remy schneider perrot guyot barre marty cousin ben-ali diallo traore benali "
        "haddad kone bouvier le-goff mendy cisse bouaziz kaya yilmaz ferreira pereira").split()
# city, department, school zone
CITIES = [
    ("paris", "75", "C"), ("marseille", "13", "B"), ("lyon", "69", "A"), ("toulouse", "31", "C"),
    ("nice", "06", "B"), ("nantes", "44", "B"), ("montpellier", "34", "C"), ("strasbourg", "67", "B"),
    ("bordeaux", "33", "A"), ("lille", "59", "B"), ("rennes", "35", "B"), ("reims", "51", "B"),
    ("toulon", "83", "B"), ("saint-etienne", "42", "A"), ("le-havre", "76", "B"), ("grenoble", "38", "A"),
    ("dijon", "21", "A"), ("angers", "49", "B"), ("nimes", "30", "C"), ("villeurbanne", "69", "A"),
    ("clermont-ferrand", "63", "A"), ("le-mans", "72", "B"), ("aix-en-provence", "13", "B"),
    ("brest", "29", "B"), ("tours", "37", "B"), ("amiens", "80", "B"), ("limoges", "87", "A"),
    ("perpignan", "66", "C"), ("metz", "57", "B"), ("besancon", "25", "A"), ("orleans", "45", "B"),
    ("rouen", "76", "B"), ("mulhouse", "68", "B"), ("caen", "14", "B"), ("nancy", "54", "B"),
    ("argenteuil", "95", "C"), ("saint-denis", "93", "C"), ("montreuil", "93", "C"),
    ("roubaix", "59", "B"), ("tourcoing", "59", "B"), ("avignon", "84", "B"), ("dunkerque", "59", "B"),
    ("poitiers", "86", "A"), ("pau", "64", "A"), ("la-rochelle", "17", "A"), ("calais", "62", "B"),
    ("cannes", "06", "B"), ("beziers", "34", "C"), ("colmar", "68", "B"), ("bourges", "18", "B"),
    ("quimper", "29", "B"), ("valence", "26", "A"), ("troyes", "10", "B"), ("chambery", "73", "A"),
    ("niort", "79", "A"), ("lorient", "56", "B"), ("vannes", "56", "B"), ("creteil", "94", "C"),
    ("evry", "91", "C"), ("cergy", "95", "C"), ("versailles", "78", "C"), ("nanterre", "92", "C"),
    ("bobigny", "93", "C"), ("saint-nazaire", "44", "B"), ("cholet", "49", "B"), ("laval", "53", "B"),
    ("angouleme", "16", "A"), ("agen", "47", "A"), ("albi", "81", "C"), ("tarbes", "65", "C"),
    ("montauban", "82", "C"), ("carcassonne", "11", "C"), ("lens", "62", "B"), ("arras", "62", "B"),
    ("valenciennes", "59", "B"), ("maubeuge", "59", "B"), ("saint-quentin", "02", "B"),
    ("beauvais", "60", "B"), ("chartres", "28", "B"), ("blois", "41", "B"), ("auxerre", "89", "A"),
    ("nevers", "58", "A"), ("macon", "71", "A"), ("annecy", "74", "A"), ("gap", "05", "B"),
    ("ales", "30", "C"), ("sete", "34", "C"), ("rodez", "12", "C"), ("cahors", "46", "C"),
    ("mont-de-marsan", "40", "A"), ("perigueux", "24", "A"), ("brive", "19", "A"),
    ("saint-brieuc", "22", "B"), ("cherbourg", "50", "B"), ("evreux", "27", "B"),
    ("epinal", "88", "B"), ("belfort", "90", "A"), ("chalon-sur-saone", "71", "A"),
    ("meaux", "77", "C"), ("melun", "77", "C"), ("sarcelles", "95", "C"), ("aulnay-sous-bois", "93", "C"),
]
FR_ENT = ["80.13", "80.14", "81.252", "82.127", "83.206", "84.14", "85.31", "87.231", "88.170",
          "90.63", "91.194", "92.103", "109.3", "176.162", "178.32", "185.24", "193.48", "193.252",
          "194.2", "194.167", "195.25", "195.101", "212.99", "212.234", "213.41", "217.108", "217.128"]
RESID4 = ["86.192", "86.238", "90.3", "90.91", "92.184", "78.192", "78.243", "82.64", "176.128",
          "176.145", "88.122", "109.215", "37.165", "77.136", "93.2", "91.170", "81.65"]
RESID6 = ["2a01:cb1c", "2a01:e0a", "2a01:cb08", "2001:861", "2a02:8428", "2a01:cb19"]
VPS = ["45.134.26", "185.220.101", "91.92.251", "194.26.192", "5.181.80", "146.70.117",
       "37.120.233", "185.107.56", "89.185.85", "193.142.147", "141.98.11", "79.137.195"]
SRV = ["193.17.71", "193.17.72", "51.91.12", "51.178.64", "20.74.18", "40.66.41", "213.32.90",
       "92.222.11", "194.5.171", "185.181.60"]
SUBS = ["parcours", "rendez-vous", "documents", "contacts", "prescriptions"]
SUB_BYTES = {"parcours": (900, 7000), "rendez-vous": (250, 2600), "documents": (180, 2200),
             "contacts": (300, 1400), "prescriptions": (200, 3000)}
DOWF = [1.22, 1.05, 0.93, 1.0, 0.82, 1.0, 1.0]
ROLE_BASE = {
    "conseiller": {"search": 5.0, "view": 7.0, "plist": 0.8, "rdv": 1.6},
    "accueil": {"search": 14.0, "view": 3.0, "plist": 0.0, "rdv": 2.5},
    "responsable": {"search": 2.2, "view": 3.2, "plist": 1.1, "rdv": 0.4, "stats": 2.0},
    "admin_local": {"search": 1.4, "view": 1.4, "plist": 0.2, "rdv": 0.0, "admin": 3.5},
    "occasionnel": {"search": 2.4, "view": 2.8, "plist": 0.3, "rdv": 0.5},
}
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36"
EDGE = CHROME + " Edg/{v}.0.0.0"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{v}.0) Gecko/20100101 Firefox/{v}.0"
MACSAF = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/20.{v} Safari/605.1.15"
EXPORT_NAME = {"caf": "allocataires-suivis", "cd": "beneficiaires-rsa", "cape": "beneficiaires-oeth",
               "ml": "jeunes-accompagnes", "of": "stagiaires", "plie": "participants", "siae": "participants"}
KIND_LABEL = {"ml": "mission_locale", "cape": "cap_emploi", "cd": "departement", "caf": "caf",
              "of": "organisme_formation", "plie": "plie", "siae": "structure_insertion"}


def poisson(rng, lam):
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    lim = math.exp(-lam)
    k = 0
    p = 1.0
    while True:
        p *= rng.random()
        if p <= lim:
            return k
        k += 1


def ip4(rng, prefixes):
    p = rng.choice(prefixes)
    if p.count(".") == 2:
        return f"{p}.{rng.randint(2, 254)}"
    return f"{p}.{rng.randint(0, 255)}.{rng.randint(2, 254)}"


def ip_home(rng):
    if rng.random() < 0.3:
        return (f"{rng.choice(RESID6)}:{rng.getrandbits(16):x}:{rng.getrandbits(16):x}:"
                f"{rng.getrandbits(16):x}:{rng.getrandbits(16):x}:{rng.getrandbits(16):x}:{rng.getrandbits(16):x}")
    return ip4(rng, RESID4)


def q_name(rng):
    nom = rng.choice(LAST)
    if "-" in nom and rng.random() < 0.6:
        nom = nom.replace("-", "%20")
    if rng.random() < 0.3:
        nom = nom.upper()
    q = f"nom={nom}"
    if rng.random() < 0.35:
        q += f"&prenom={rng.choice(FIRST)}"
    if rng.random() < 0.08:
        q += f"&dateNaissance={rng.randint(1962, 2008)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return q


def name_hits(rng):
    r = rng.random()
    if r < 0.08:
        return 0
    if r < 0.62:
        return rng.randint(1, 3)
    if r < 0.88:
        return rng.randint(4, 12)
    return rng.randint(13, 70)


def search_bytes(rng, n):
    if n == 0:
        return rng.randint(96, 112)
    return int(170 + n * rng.uniform(250, 340))


def csv_bytes(rng, n):
    return int(186 + n * rng.uniform(392, 436))


# ----------------------------------------------------------------------------
# data model
# ----------------------------------------------------------------------------
class Org:
    def __init__(self, code, kind, city, dep, zone, domain):
        self.code, self.kind, self.city, self.dep, self.zone, self.domain = code, kind, city, dep, zone, domain
        self.ips = []
        self.pool = []
        self.accounts = []
        self.style = "pn"
        self.join = 0
        self.browser = "chrome"


class Acct:
    pass


class Svc:
    pass


class Sess:
    __slots__ = ("W", "rng", "ip", "ua", "user", "ruser", "proto", "ev", "lim_p")

    def __init__(self, W, rng, ip, ua, user, ruser="-", proto="HTTP/2.0"):
        self.W, self.rng, self.ip, self.ua, self.user, self.ruser, self.proto = W, rng, ip, ua, user, ruser, proto
        self.ev = []
        self.lim_p = 0.0

    def _emit(self, t, method, path, status, nbytes, ref, rt, urt_s, xu, rec):
        line = (f'{self.ip} - {self.ruser} [{self.W.tl(t)}] "{method} {path} {self.proto}" {status} {nbytes} '
                f'"{ref}" "{self.ua}" rt={rt:.3f} urt={urt_s} rid={self.rng.getrandbits(128):032x} user="{xu}"')
        self.ev.append((t, line, rec, None if xu == "-" else xu))

    def api(self, t, path, rec=0, status=200, nbytes=None, ref="-", urt=None, method="GET"):
        W = self.W
        rng = self.rng
        if W.out0 <= t < W.out1:
            if rng.random() < 0.75:
                st, nb, u = 502, 157, rng.uniform(0.0004, 0.004)
            else:
                st, nb, u = 504, 167, 60.0 + rng.uniform(0, 0.003)
            self._emit(t + u, method, path, st, nb, ref, u + rng.random() * 0.001, f"{u:.3f}", "-", 0)
            return 0
        if self.lim_p and rng.random() < self.lim_p:
            self._emit(t, method, path, 429, 169, ref, 0.0, "-", "-", 0)
            t += rng.uniform(1.0, 2.5)
        if urt is None:
            urt = rng.lognormvariate(-2.9, 0.5)
        if status >= 400:
            rec = 0
        if nbytes is None:
            nbytes = rng.randint(150, 900)
        rt = urt + rng.random() * 0.003 + (nbytes / 5e6 if self.proto == "HTTP/2.0" else 0.0)
        if status == 499:
            self._emit(t + rt, method, path, 499, 0, ref, rt, f"{urt:.3f}", "-", 0)
            return 0
        xu = "-" if status == 401 else self.user
        self._emit(t + rt, method, path, status, nbytes, ref, rt, f"{urt:.3f}", xu, rec)
        return rec

    def static(self, t, path, status, nbytes, ref):
        rt = (nbytes / 4e6 + self.rng.random() * 0.002) if status == 200 else 0.0
        self._emit(t + rt, "GET", path, status, nbytes, ref, rt, "-", "-", 0)

    def limited(self, t, path, ref="-", method="GET"):
        self._emit(t, method, path, 429, 169, ref, 0.0, "-", "-", 0)


class World:
    def __init__(self, seed):
        self.seed = seed
        self.rng = random.Random(f"altgen11|{seed}|world")
        self.day_naive = []
        for d in range(NDAYS + 1):
            dt = START + datetime.timedelta(days=d)
            self.day_naive.append(calendar.timegm((dt.year, dt.month, dt.day, 0, 0, 0)))
        self.day_e = [local_to_epoch(n) for n in self.day_naive]
        self.start_e, self.end_e = self.day_e[0], self.day_e[NDAYS]
        self.dates = [START + datetime.timedelta(days=d) for d in range(NDAYS + 1)]
        self._tl_cache = {}
        self.buckets = [[] for _ in range(NDAYS)]
        self.total_rec = 0
        self.seen = set()
        self.mult = {}
        self.special = {}
        self.absent = set()
        self.campaign = {}
        self.benign = []
        self.notes_benign = []
        self.out0 = self.out1 = 0.0
        self._calendar()

    # ---- time helpers
    def tl(self, e):
        s = int(e)
        off = utc_off(s)
        dn, sod = divmod(s + off, 86400)
        p = self._tl_cache.get(dn)
        if p is None:
            dt = datetime.date(1970, 1, 1) + datetime.timedelta(days=dn)
            p = f"{dt.day:02d}/{MON[dt.month - 1]}/{dt.year}:"
            self._tl_cache[dn] = p
        h, r = divmod(sod, 3600)
        m, sec = divmod(r, 60)
        return f"{p}{h:02d}:{m:02d}:{sec:02d} {'+0200' if off == 7200 else '+0100'}"

    def ep(self, d, sod):
        return local_to_epoch(self.day_naive[d] + sod)

    def _calendar(self):
        hol = {datetime.date(2027, 3, 29): "lundi de Paques", datetime.date(2027, 5, 1): "fete du travail",
               datetime.date(2027, 5, 6): "Ascension", datetime.date(2027, 5, 8): "Victoire 1945"}
        self.holidays = hol
        self.daykind = []
        for d in range(NDAYS):
            dt = self.dates[d]
            if dt in hol:
                self.daykind.append("holiday")
            elif dt.weekday() >= 5:
                self.daykind.append("weekend")
            elif dt == datetime.date(2027, 5, 7):
                self.daykind.append("pont")
            else:
                self.daykind.append("work")
        self.workdays = [d for d in range(NDAYS) if self.daykind[d] == "work"]
        # spring school holidays 2027 (first and last day off), by zone
        self.school = {"A": (datetime.date(2027, 4, 10), datetime.date(2027, 4, 25)),
                       "B": (datetime.date(2027, 4, 17), datetime.date(2027, 5, 2)),
                       "C": (datetime.date(2027, 4, 3), datetime.date(2027, 4, 18))}
        self.school_d = {}
        for z, (a, b) in self.school.items():
            self.school_d[z] = ((a - START).days, (b - START).days)

    def next_workday(self, d):
        while d < NDAYS and self.daykind[d] != "work":
            d += 1
        return d

    def add_events(self, evs):
        n = 0
        rec = 0
        de = self.day_e
        s0, s1 = self.start_e, self.end_e
        for t, line, r, xu in evs:
            if t < s0 or t >= s1:
                continue
            day = bisect.bisect_right(de, t) - 1
            self.buckets[day].append((t, line))
            n += 1
            rec += r
            if xu is not None:
                self.seen.add(xu)
        self.total_rec += rec
        return n, rec

    def label(self, kind, accounts, d0, d1, why, e0=None, e1=None):
        bid = f"B{len(self.benign) + 1}"
        st = rfc(e0 if e0 is not None else self.day_e[max(0, d0)])
        en = rfc(e1 if e1 is not None else self.day_e[min(NDAYS, d1)])
        self.benign.append({"id": bid, "kind": kind, "accounts": list(accounts), "start": st, "end": en})
        self.notes_benign.append({"id": bid, "kind": kind, "why": why})


# ----------------------------------------------------------------------------
# population
# ----------------------------------------------------------------------------
def build_population(W):
    rng = W.rng
    cities = CITIES[:]
    rng.shuffle(cities)
    n_orgs = rng.randint(88, 122)
    kinds = ["ml", "cape", "cd", "caf", "of", "plie"]
    kw = [0.33, 0.12, 0.12, 0.07, 0.21, 0.15]
    size_rng = {"ml": (6, 36), "cape": (5, 17), "cd": (8, 42), "caf": (4, 15), "of": (2, 9), "plie": (2, 10)}
    codes = set()
    orgs = []
    caf_ips = [ip4(rng, ["193.17.70", "193.17.71"]) for _ in range(2)]
    afpa_ips = [ip4(rng, ["194.51.208"]) for _ in range(2)]
    ci = 0
    tries = 0
    while len(orgs) < n_orgs and tries < 5000:
        tries += 1
        k = rng.choices(kinds, kw)[0]
        city, dep, zone = cities[ci % len(cities)] if k in ("ml", "plie", "of") else rng.choice(CITIES)
        if k in ("ml", "plie", "of"):
            ci += 1
        if k == "ml":
            code, dom = f"ml-{city}", f"missionlocale-{city}.fr"
        elif k == "cape":
            code, dom = f"cape-{dep}", f"capemploi{dep}.fr"
        elif k == "cd":
            code, dom = f"cd-{dep}", f"departement{dep}.fr"
        elif k == "caf":
            code, dom = f"caf-{dep}", f"caf{dep}.cnafmail.fr"
        elif k == "of":
            brand, dom = rng.choice([("afpa", "afpa.fr"), ("greta", f"greta-{city}.fr"), ("cnam", "lecnam.net"),
                                     ("ifac", "ifac.asso.fr"), ("cesi", "cesi.fr"), ("aftral", "aftral.com"),
                                     ("retravailler", f"retravailler-{city}.fr"), ("infrep", "infrep.org")])
            code = f"of-{brand}-{city}"
        else:
            if rng.random() < 0.6:
                code, dom = f"plie-{city}", f"plie-{city}.fr"
            else:
                nm = rng.choice(["tremplin", "envie", "emmaus", "id-ees", "solidarite-emploi", "le-relais", "ares"])
                code, dom, k = f"siae-{nm}-{city}", f"{nm}-{city}.org", "siae"
        if code in codes:
            continue
        codes.add(code)
        o = Org(code, k, city, dep, zone, dom)
        if k == "caf":
            o.ips = caf_ips[:]
        elif code.startswith("of-afpa"):
            o.ips = afpa_ips[:]
        else:
            o.ips = [ip4(rng, FR_ENT) for _ in range(rng.choice([1, 1, 1, 2, 2, 3]))]
        o.style = "pn" if rng.random() < 0.7 else "in"
        o.browser = rng.choices(["chrome", "edge", "firefox"],
                                [0.3, 0.6, 0.1] if k in ("cd", "caf") else [0.55, 0.25, 0.2])[0]
        lo, hi = size_rng["plie" if k == "siae" else k]
        o.size = int(lo + (hi - lo) * rng.random() ** 1.3)
        orgs.append(o)
    tot = sum(o.size for o in orgs)
    target = rng.randint(1300, 1800)
    scale = target / tot
    for o in orgs:
        o.size = max(2, int(round(o.size * scale)))
        o.pool = [rng.randrange(1000000, 48000000) for _ in range(max(400, o.size * 170))]
    W.orgs = orgs
    W.org_by_code = {o.code: o for o in orgs}

    logins = set()

    def mk_login(o, fn, ln):
        base = f"{fn}.{ln}" if o.style == "pn" else f"{fn[0]}{ln.replace('-', '')}"
        lg = f"{base}@{o.domain}"
        k = 2
        while lg in logins:
            lg = f"{base}{k}@{o.domain}"
            k += 1
        logins.add(lg)
        return lg

    W.logins = logins
    W.mk_login = mk_login
    humans = []

    def mk_acct(o, role, join=0):
        a = Acct()
        a.login = mk_login(o, rng.choice(FIRST), rng.choice(LAST))
        init_acct(W, rng, a, o, role, join)
        humans.append(a)
        o.accounts.append(a)
        return a

    W.mk_acct = mk_acct
    for o in orgs:
        n = o.size
        roles = []
        nm = max(1, int(round(n * 0.08)))
        roles += ["responsable"] * nm
        if n >= 4:
            roles.append("admin_local")
        if o.kind in ("ml", "cape", "cd"):
            roles += ["accueil"] * int(round(n * 0.12))
        rest = n - len(roles)
        fill = "occasionnel" if o.kind in ("of", "plie", "siae") else "conseiller"
        for i in range(max(0, rest)):
            roles.append(fill if (fill == "conseiller" or rng.random() < 0.7) else "conseiller")
        for r in roles:
            mk_acct(o, r)
    W.humans = humans


def init_acct(W, rng, a, o, role, join=0):
    a.org = o
    a.org2 = None
    a.role = role
    a.join = join
    a.leave = None
    a.shared = False
    a.vol = rng.lognormvariate(0, 0.45) * (0.75 if o.kind == "caf" else 1.0)
    a.activity = {"conseiller": 0.9, "accueil": 0.86, "responsable": 0.86, "admin_local": 0.55,
                  "occasionnel": rng.uniform(0.2, 0.55)}[role] * rng.uniform(0.9, 1.0)
    a.start_h = min(10.0, max(7.3, rng.gauss(8.6, 0.45)))
    a.end_h = min(19.0, max(15.5, rng.gauss(17.3, 0.5)))
    a.lunch_h = min(13.0, max(11.6, rng.gauss(12.25, 0.3)))
    a.lunch_len = rng.uniform(0.75, 1.5)
    a.off_day = None
    a.half_day = None
    r = rng.random()
    if r < 0.17:
        a.off_day = rng.choices([2, 4, 0], [0.6, 0.25, 0.15])[0]
    elif r < 0.22:
        a.half_day = 2
    a.telework = set()
    if role in ("conseiller", "responsable", "admin_local") and rng.random() < 0.4:
        a.telework = set(rng.sample([1, 3, 4, 0, 2], rng.choice([1, 1, 2])))
    a.office_ip = rng.choice(o.ips)
    a.home_ip = ip_home(rng)
    a.evening_p = 0.0
    a.weekend_p = 0.0
    a.page_size = rng.choices([20, 50, 100], [0.8, 0.15, 0.05])[0]
    fam = o.browser if rng.random() < 0.8 else rng.choice(["chrome", "edge", "firefox", "safari"])
    if fam == "firefox":
        v0 = rng.choice([148, 149])
        tpl = FIREFOX
    elif fam == "safari":
        v0 = rng.choice([2, 3])
        tpl = MACSAF
    else:
        v0 = rng.choice([159, 160, 160, 161])
        tpl = CHROME if fam == "chrome" else EDGE
    a.ua_tpl, a.ua_v0 = tpl, v0
    a.ua_switch = rng.randint(3, 70)
    a.ua0 = tpl.format(v=v0)
    a.ua1 = tpl.format(v=v0 + 1)
    npf = {"conseiller": int(min(260, max(30, rng.gauss(125, 45)))), "accueil": 10, "responsable": 40,
           "admin_local": 10, "occasionnel": int(rng.uniform(10, 60))}[role]
    a.portfolio = rng.sample(o.pool, min(npf, len(o.pool)))


def ua_on(a, d):
    return a.ua1 if d >= a.ua_switch else a.ua0


# ----------------------------------------------------------------------------
# benign scenario planning
# ----------------------------------------------------------------------------
def plan_benign(W):
    rng = random.Random(f"altgen11|{W.seed}|benign")
    humans = W.humans
    wd = W.workdays
    trap = set()

    # calendar-wide labels
    for dt, name in sorted(W.holidays.items()):
        d = (dt - START).days
        if W.dates[d].weekday() < 5:
            W.label("public_holiday", [], d, d + 1, f"{name}: jour ferie, quasi aucune activite humaine")
    W.label("bridge_day", [], 53, 54, "pont de l'Ascension (vendredi 7 mai): la plupart des agents absents")
    W.label("dst_switch", [], 13, 14, "passage a l'heure d'ete (28 mars 2027): decalage +0100 -> +0200, nuit de 23 h")
    for d in range(0, NDAYS, 7):
        if W.daykind[d] == "work":
            W.label("monday_peak", [], d, d + 1, "les lundis concentrent plus de rendez-vous et de recherches")
    for z in sorted(W.school_d):
        a, b = W.school_d[z]
        W.label(f"school_holidays_zone_{z}", [], a, min(NDAYS, b + 1),
                f"vacances scolaires de printemps zone {z}: plus de conges dans les structures de la zone")

    # shared reception logins
    cand = [o for o in W.orgs if o.kind in ("ml", "cape", "cd") and o.size >= 10]
    for o in rng.sample(cand, min(len(cand), rng.randint(2, 3))):
        a = Acct()
        a.login = f"accueil@{o.domain}"
        if a.login in W.logins:
            continue
        W.logins.add(a.login)
        init_acct(W, rng, a, o, "accueil")
        a.shared = True
        a.vol = rng.uniform(2.2, 3.2)
        a.activity = 0.99
        a.off_day = a.half_day = None
        a.start_h, a.end_h = 8.5, 17.5
        a.telework = set()
        humans.append(a)
        o.accounts.append(a)
        trap.add(a.login)
        W.label("shared_reception_login", [a.login], 0, NDAYS,
                "identifiant d'accueil partage par plusieurs agents d'accueil: volume de recherches 2-3x un accueil")

    # evening / weekend workers
    ev_list, we_list = [], []
    for a in humans:
        if a.shared or a.role not in ("conseiller", "responsable", "occasionnel"):
            continue
        r = rng.random()
        if r < 0.035:
            a.evening_p = rng.uniform(0.25, 0.6)
            ev_list.append(a.login)
        elif r < 0.05:
            a.weekend_p = rng.uniform(0.2, 0.5)
            we_list.append(a.login)
    for lg in ev_list:
        trap.add(lg)
        W.label("evening_worker", [lg], 0, NDAYS, "agent qui termine regulierement ses saisies le soir (20h-23h) depuis chez lui")
    for lg in we_list:
        trap.add(lg)
        W.label("weekend_worker", [lg], 0, NDAYS, "agent qui travaille certains samedis matin ou dimanches soir")

    # multi-organisation staff
    ml = [o for o in W.orgs if o.kind == "ml"]
    pl = [o for o in W.orgs if o.kind in ("plie", "siae")]
    for a in rng.sample([x for x in humans if x.role == "conseiller" and x.org.kind == "ml" and not x.shared],
                        min(4, len(ml))):
        if not pl:
            break
        same = [o for o in pl if o.city == a.org.city]
        a.org2 = same[0] if same else rng.choice(pl)
        trap.add(a.login)
        W.label("multi_org_staff", [a.login], 0, NDAYS,
                f"conseiller partage entre {a.org.code} et {a.org2.code}: meme identifiant sous deux prefixes d'organisation")

    # new joiners
    joiners = []
    for _ in range(rng.randint(12, 22)):
        o = rng.choice([o for o in W.orgs if o.kind in ("ml", "cape", "cd", "caf")])
        d0 = rng.choice(wd[4:-6])
        if rng.random() < 0.7:
            d0 = W.next_workday(d0 - d0 % 7)
        a = W.mk_acct(o, "conseiller", join=d0)
        joiners.append(a)
    for a in joiners:
        trap.add(a.login)
        d0 = a.join
        ramp = [0.3, 0.45, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95]
        k = 0
        for d in range(d0, NDAYS):
            if W.daykind[d] == "work":
                W.mult[(a.login, d)] = ramp[k] if k < len(ramp) else 1.0
                k += 1
        tdays = [d for d in range(d0 + 1, min(NDAYS, d0 + 6)) if W.daykind[d] == "work"][:rng.randint(1, 3)]
        npf = rng.randint(140, 520)
        pf = rng.sample(a.org.pool, npf)
        a.portfolio = pf[:]
        for d in tdays:
            W.special.setdefault((a.login, d), []).append(("takeover", npf, pf, rng.randint(10, 30)))
        W.label("new_joiner", [a.login], d0, d0 + 10,
                f"nouvel agent arrive le {W.dates[d0]}; reprend un portefeuille de {npf} personnes (listes paginees) les premiers jours")

    # leavers and portfolio transfers
    advisors = [a for a in humans if a.role == "conseiller" and a.join == 0 and not a.shared and a.login not in trap]
    for a in rng.sample(advisors, rng.randint(6, 11)):
        dl = rng.choice(wd[6:-5])
        cols = [c for c in a.org.accounts if c.role == "conseiller" and c is not a and c.join == 0
                and c.login not in trap and c.leave is None]
        a.leave = dl
        trap.add(a.login)
        W.label("leaver", [a.login], dl, NDAYS, "depart de l'agent: le compte cesse d'apparaitre")
        if not cols:
            continue
        c = rng.choice(cols)
        trap.add(c.login)
        days = [d for d in range(dl, NDAYS) if W.daykind[d] == "work"][:rng.randint(2, 4)]
        P = len(a.portfolio)
        c.portfolio = c.portfolio + a.portfolio
        for d in days:
            W.special.setdefault((c.login, d), []).append(("takeover", P, a.portfolio, rng.randint(8, 25)))
            W.mult[(c.login, d)] = W.mult.get((c.login, d), 1.0) * 1.25
        if days:
            W.label("portfolio_transfer", [c.login], days[0], days[-1] + 1,
                    f"reprise du portefeuille de {a.login} ({P} personnes) sur {len(days)} jours: listes et consultations en plus")

    # vacations and sick leave (returns labelled)
    for a in humans:
        if a.shared:
            continue
        if rng.random() < 0.36:
            z = a.org.zone
            if rng.random() < 0.55:
                sa, sb = W.school_d[z]
                d0 = sa + 2 + rng.choice([0, 0, 7])
            else:
                d0 = rng.choice(range(-7, NDAYS - 3, 7))
            if rng.random() < 0.15:
                d0 += 2
            ln = rng.choices([7, 14, 21], [0.55, 0.35, 0.10])[0]
            if rng.random() < 0.12:
                ln -= 2
            d1 = d0 + ln
            for d in range(max(0, d0), min(NDAYS, d1)):
                W.absent.add((a.login, d))
            ret = W.next_workday(max(0, d1))
            if d1 > 0 and ret < NDAYS and ret >= a.join and (a.leave is None or ret < a.leave):
                W.mult[(a.login, ret)] = W.mult.get((a.login, ret), 1.0) * 1.7
                r2 = W.next_workday(ret + 1)
                if r2 < NDAYS:
                    W.mult[(a.login, r2)] = W.mult.get((a.login, r2), 1.0) * 1.3
                trap.add(a.login)
                W.label("vacation_return", [a.login], ret, ret + 2,
                        f"retour de conges ({ln} jours): rattrapage ~1.7x puis 1.3x")
        elif rng.random() < 0.035:
            d0 = rng.randrange(0, NDAYS - 5)
            ln = rng.randint(3, 11)
            for d in range(d0, min(NDAYS, d0 + ln)):
                W.absent.add((a.login, d))
            ret = W.next_workday(d0 + ln)
            if ret < NDAYS and ret >= a.join and (a.leave is None or ret < a.leave):
                W.mult[(a.login, ret)] = W.mult.get((a.login, ret), 1.0) * 1.4
                trap.add(a.login)
                W.label("sick_leave_return", [a.login], ret, ret + 2, f"retour d'arret maladie ({ln} jours)")

    # campaigns
    camp_start = rng.choice([d for d in wd if 14 <= d <= 38 and W.daykind[d + 1] == "work" and W.daykind[d + 2] == "work"])
    cdays = [d for d in range(camp_start, NDAYS) if W.daykind[d] == "work"][:rng.randint(3, 4)]
    accs = [a for a in humans if a.org.kind == "ml" and a.role in ("conseiller", "responsable")]
    for a in accs:
        for d in cdays:
            W.mult[(a.login, d)] = W.mult.get((a.login, d), 1.0) * 1.7
            W.campaign[(a.login, d)] = "cej-sans-activite"
    W.label("campaign_relance_cej", sorted(a.login for a in accs), cdays[0], cdays[-1] + 1,
            "campagne nationale de relance des jeunes en CEJ sans activite: tous les conseillers ML listent et ouvrent plus de dossiers (~1.7x)")
    cds = [o for o in W.orgs if o.kind == "cd"]
    sel = rng.sample(cds, min(len(cds), rng.randint(2, 4)))
    d0 = rng.choice([d for d in range(7, 40, 7) if d != camp_start - camp_start % 7])
    cdays2 = [d for d in range(d0, NDAYS) if W.daykind[d] == "work"][:5]
    accs2 = [a for o in sel for a in o.accounts if a.role in ("conseiller", "responsable")]
    for a in accs2:
        for d in cdays2:
            W.mult[(a.login, d)] = W.mult.get((a.login, d), 1.0) * 1.5
            W.campaign[(a.login, d)] = "controle-rsa"
    if accs2:
        W.label("campaign_controle_rsa", sorted(a.login for a in accs2), cdays2[0], cdays2[-1] + 1,
                "controle annuel des engagements RSA dans " + ", ".join(o.code for o in sel) + " (~1.5x pendant une semaine)")
    capes = [o for o in W.orgs if o.kind == "cape"]
    dd = rng.choice([d for d in wd if 20 <= d <= 45])
    cdays3 = [d for d in range(dd, NDAYS) if W.daykind[d] == "work"][:2]
    accs3 = [a for o in capes for a in o.accounts if a.role in ("conseiller", "accueil")]
    for a in accs3:
        for d in cdays3:
            W.mult[(a.login, d)] = W.mult.get((a.login, d), 1.0) * 1.45
    if accs3:
        W.label("campaign_actualisation_cap_emploi", sorted(a.login for a in accs3), cdays3[0], cdays3[-1] + 1,
                "mise a jour des situations avant la remontee trimestrielle Cap emploi (~1.45x sur 2 jours)")
    fo = rng.choice([o for o in W.orgs if o.kind in ("ml", "cape") and o.size >= 8])
    fd = rng.choice([d for d in wd if 8 <= d <= 50 and W.dates[d].weekday() in (1, 3)])
    accs4 = [a for a in fo.accounts if a.role in ("conseiller", "accueil")]
    for a in accs4:
        W.mult[(a.login, fd)] = W.mult.get((a.login, fd), 1.0) * 2.3
    W.label("job_dating_forum", sorted(a.login for a in accs4), fd, fd + 1,
            f"forum emploi / job dating organise par {fo.code}: accueil et conseillers ouvrent beaucoup de dossiers ce jour-la")

    # month-end reporting
    for (days, mname) in (([d for d in (11, 12, 13, 15, 16, 17) if W.daykind[d] == "work"][-3:], "2027-03"),
                          ([44, 45, 46, 49], "2027-04")):
        days = [d for d in days if W.daykind[d] == "work"]
        who = []
        for a in humans:
            if a.role in ("responsable", "admin_local") and rng.random() < (0.7 if a.role == "responsable" else 0.25):
                d = rng.choice(days)
                if (a.login, d) in W.absent or d < a.join or (a.leave is not None and d >= a.leave):
                    continue
                n = int(len(a.org.pool) * rng.uniform(0.45, 0.85))
                W.special.setdefault((a.login, d), []).append(("month_end", n, mname))
                who.append(a.login)
        W.label("month_end_reporting", sorted(who), days[0], days[-1] + 1,
                f"cloture {mname}: les responsables exportent le portefeuille de la structure (CSV pagine par 1000) pour le reporting")
        trap.update(who)

    # audit and data quality cleanup
    mgrs = [a for a in humans if a.role == "responsable" and a.join == 0 and a.leave is None and a.login not in trap]
    for a in rng.sample(mgrs, 2):
        d = rng.choice(wd[5:-3])
        if (a.login, d) in W.absent:
            continue
        k = rng.randint(150, 380)
        W.special.setdefault((a.login, d), []).append(("audit", k))
        trap.add(a.login)
        W.label("quality_audit", [a.login], d, d + 1, f"controle qualite: un responsable ouvre {k} dossiers tires au sort dans la journee")
    adm = [a for a in humans if a.role == "admin_local" and a.join == 0 and a.leave is None and a.login not in trap
           and a.org.size >= 15]
    if adm:
        a = rng.choice(adm)
        d = rng.choice([d for d in wd[5:-4] if W.daykind[d + 1] == "work"])
        W.activity_force = getattr(W, "activity_force", set())
        tot = 0
        for dd in (d, d + 1):
            k = rng.randint(12, 30)
            tot += k
            W.special.setdefault((a.login, dd), []).append(("cleanup", k))
            W.absent.discard((a.login, dd))
            W.activity_force.add((a.login, dd))
        trap.add(a.login)
        W.label("data_quality_cleanup", [a.login], d, d + 2,
                f"administrateur local qui traite la liste des doublons ({tot} pages de 100) sur deux jours")

    # organisation onboarding
    k = rng.choice(["cape", "ml", "cd"])
    used = set(o.code for o in W.orgs)
    for city, dep, zone in rng.sample(CITIES, len(CITIES)):
        code = {"cape": f"cape-{dep}", "ml": f"ml-{city}", "cd": f"cd-{dep}"}[k]
        if code not in used:
            break
    dom = {"cape": f"capemploi{dep}.fr", "ml": f"missionlocale-{city}.fr", "cd": f"departement{dep}.fr"}[k]
    o = Org(code, k, city, dep, zone, dom)
    o.ips = [ip4(rng, FR_ENT)]
    o.size = rng.randint(7, 14)
    o.pool = [rng.randrange(1000000, 48000000) for _ in range(max(400, o.size * 170))]
    o.join = rng.choice([21, 28, 35])
    o.browser = "edge"
    W.orgs.append(o)
    W.org_by_code[o.code] = o
    W.onboard = o
    onb = []
    for i in range(o.size):
        role = "responsable" if i == 0 else ("admin_local" if i == 1 else ("accueil" if i == 2 else "conseiller"))
        jd = o.join if i < 3 else W.next_workday(o.join + rng.choice([0, 0, 1, 2, 3, 7]))
        a = W.mk_acct(o, role, join=jd)
        onb.append(a.login)
        trap.add(a.login)
        k2 = 0
        for d in range(jd, NDAYS):
            if W.daykind[d] == "work":
                W.mult[(a.login, d)] = [0.4, 0.6, 0.8][k2] if k2 < 3 else 1.0
                k2 += 1
    W.label("org_onboarding", onb, o.join, o.join + 10,
            f"deploiement de l'outil dans une nouvelle structure {o.code}: tous ses comptes apparaissent la meme semaine")

    # outage
    od = rng.choice([d for d in wd if 8 <= d <= 50 and W.dates[d].weekday() in (1, 2, 3)])
    o0 = rng.uniform(9.9, 14.5) * 3600
    W.out0, W.out1 = W.ep(od, o0), W.ep(od, o0 + rng.uniform(25, 50) * 60)
    W.label("upstream_outage", [], od, od + 1,
            "panne de l'API (502/504 pendant 25-50 min) puis reprise: activite reportee sur le reste de la journee",
            e0=W.out0, e1=W.out1)
    # releases
    tues = [d for d in range(1, NDAYS, 7)]
    W.deploys = sorted(rng.sample(tues[1:-1], 3))
    W.deploy_e = [W.ep(d, 19.5 * 3600 + rng.uniform(0, 900)) for d in W.deploys]
    for d, e in zip(W.deploys, W.deploy_e):
        W.label("release", [], d, d + 2, "mise en production (mardi soir): assets statiques re-telecharges les jours suivants, healthz en 502 2 min",
                e0=e, e1=W.day_e[min(NDAYS, d + 2)])
    W.fullp = [0.03] * (NDAYS + 1)
    for d in W.deploys:
        W.fullp[d + 1] = 0.8
        W.fullp[d + 2] = 0.3
    W.assets = []
    for i in range(4):
        h = [f"{rng.getrandbits(32):08x}" for _ in range(3)]
        W.assets.append([(f"/static/js/app.{h[0]}.js", rng.randint(380000, 420000)),
                         (f"/static/js/vendor.{h[1]}.js", rng.randint(610000, 660000)),
                         (f"/static/css/app.{h[2]}.css", rng.randint(41000, 47000))])
    W.trap = trap
    W.humans.sort(key=lambda a: a.login)


# ----------------------------------------------------------------------------
# human day
# ----------------------------------------------------------------------------
def page_load(W, s, t, org, d, rng, ref_path):
    P = f"/o/{org}/"
    st = 200 if rng.random() < 0.2 else 304
    s.static(t, P + (ref_path if rng.random() < 0.3 else ""), st, 1846 if st == 200 else 0, "-")
    page = f"https://{HOST}{P}"
    if rng.random() < W.fullp[d]:
        v = bisect.bisect_right(W.deploy_e, t)
        for i, (name, size) in enumerate(W.assets[v]):
            s.static(t + 0.08 + 0.03 * i + rng.random() * 0.05, name, 200, size, page)
        s.static(t + 0.3, "/static/fonts/Marianne-Regular.woff2", 304, 0, page)
        s.static(t + 0.35, "/favicon.ico", 304, 0, page)
    elif rng.random() < 0.15:
        s.static(t + 0.2, "/favicon.ico", 200 if rng.random() < 0.2 else 304, 1150, page)


def human_day(W, a, d):
    if d < a.join or (a.leave is not None and d >= a.leave):
        return None
    if (a.login, d) in W.absent:
        return None
    rng = random.Random(f"altgen11|{W.seed}|h|{a.login}|{d}")
    kind = W.daykind[d]
    dow = d % 7
    fac = a.vol * math.exp(rng.gauss(0, 0.3))
    home = False
    blocks = []
    forced = (a.login, d) in getattr(W, "activity_force", ())
    if kind == "holiday":
        if rng.random() < 0.012 and a.role in ("conseiller", "responsable"):
            s0 = rng.uniform(9.5, 16) * 3600
            blocks = [(s0, s0 + rng.uniform(900, 4000))]
            fac *= 0.25
            home = True
        else:
            return None
    elif kind == "weekend":
        if a.weekend_p and rng.random() < a.weekend_p:
            if dow == 5:
                s0 = rng.uniform(9.0, 10.5) * 3600
                blocks = [(s0, s0 + rng.uniform(1.5, 3.0) * 3600)]
            else:
                s0 = rng.uniform(19.5, 21.0) * 3600
                blocks = [(s0, s0 + rng.uniform(0.8, 2.0) * 3600)]
            fac *= 0.35
            home = True
        elif rng.random() < 0.003 and a.role in ("responsable", "conseiller"):
            s0 = rng.uniform(10, 18) * 3600
            blocks = [(s0, s0 + rng.uniform(600, 2400))]
            fac *= 0.12
            home = True
        else:
            return None
    else:
        if not forced:
            if kind == "pont" and rng.random() < 0.7:
                return None
            if a.off_day == dow:
                return None
            if rng.random() < 0.02:
                return None
            if rng.random() > a.activity:
                return None
        st = a.start_h * 3600 + rng.gauss(0, 900)
        ls = a.lunch_h * 3600 + rng.gauss(0, 600)
        le = ls + a.lunch_len * 3600 + rng.gauss(0, 600)
        en = a.end_h * 3600 + rng.gauss(0, 1500) - (2700 if dow == 4 else 0)
        if ls < st + 1800:
            ls = st + 1800
        if le < ls + 1800:
            le = ls + 1800
        if en < le + 3600:
            en = le + 3600
        if a.half_day == dow:
            blocks = [(st, ls)]
            fac *= 0.55
        else:
            r = rng.random()
            if r < 0.1:
                blocks = [(st + rng.uniform(1.5, 2.5) * 3600, ls), (le, en)]
            elif r < 0.2:
                blocks = [(st, ls), (le, le + rng.uniform(0.3, 0.8) * (en - le))]
            else:
                blocks = [(st, ls), (le, en)]
        fac *= DOWF[dow]
        if a.evening_p and rng.random() < a.evening_p:
            s0 = rng.uniform(20.0, 21.6) * 3600
            blocks.append((s0, s0 + rng.uniform(0.5, 1.5) * 3600))
        if a.org.kind == "ml" and W.school_d[a.org.zone][0] <= d <= W.school_d[a.org.zone][1]:
            fac *= 0.9
        home = dow in a.telework
    fac *= W.mult.get((a.login, d), 1.0)
    org = a.org
    if a.org2 is not None and rng.random() < 0.35:
        org = a.org2
    O = org.code
    ip = a.home_ip if home else a.office_ip
    s = Sess(W, rng, ip, ua_on(a, d), a.login)
    if org.kind == "caf" and not home:
        s.lim_p = 0.002
    A = f"/o/{O}/api/v1"
    R = f"https://{HOST}/o/{O}"
    date_s = W.dates[d].isoformat()
    lens = [max(60.0, b - a_) for a_, b in blocks]
    tot = sum(lens)
    ep0 = W.day_naive[d]

    def when():
        x = rng.random() * tot
        for (b0, b1), ln in zip(blocks, lens):
            if x < ln:
                return local_to_epoch(ep0 + b0 + x)
            x -= ln
        return local_to_epoch(ep0 + blocks[-1][0])

    role = a.role
    for b0, b1 in blocks:
        t = local_to_epoch(ep0 + b0 - rng.uniform(5, 120))
        page_load(W, s, t, O, d, rng, "accueil")
        t += rng.uniform(0.4, 1.2)
        if rng.random() < 0.05:
            s.api(t, A + "/me", status=401, nbytes=73, ref=R + "/")
            t += rng.uniform(2.5, 9)
            page_load(W, s, t, O, d, rng, "")
            t += 0.6
        s.api(t, A + "/me", nbytes=rng.randint(380, 470), ref=R + "/")
        s.api(t + rng.uniform(0.02, 0.2), A + "/notifications?nonLues=true", nbytes=rng.randint(90, 1400), ref=R + "/")
        if role in ("conseiller", "accueil", "occasionnel"):
            s.api(t + rng.uniform(0.05, 0.3), f"{A}/rendez-vous?date={date_s}&conseiller=moi",
                  nbytes=rng.randint(120, 2600), ref=R + "/agenda")

    base = ROLE_BASE[role]
    psize = a.page_size
    camp = W.campaign.get((a.login, d))

    def view(t, pid, ref, subs=True):
        st = 200
        r = rng.random()
        if r < 0.005:
            st = 404
        elif r < 0.008:
            st = 403
        s.api(t, f"{A}/personnes/{pid}", rec=1, status=st, nbytes=rng.randint(1900, 5200) if st == 200 else 98,
              ref=ref, urt=rng.lognormvariate(-2.7, 0.5))
        if st != 200 or not subs:
            return
        k = rng.choices([0, 1, 2, 3], [0.42, 0.3, 0.18, 0.1])[0]
        for sub in rng.sample(SUBS, k):
            lo, hi = SUB_BYTES[sub]
            s.api(t + rng.uniform(0.3, 2.0) + rng.expovariate(1 / 25.0), f"{A}/personnes/{pid}/{sub}",
                  nbytes=rng.randint(lo, hi), ref=f"{R}/personnes/{pid}")
        if role in ("conseiller", "occasionnel") and rng.random() < 0.15:
            s.api(t + rng.uniform(60, 900), f"{A}/personnes/{pid}/notes", method="POST", status=201,
                  nbytes=rng.randint(120, 260), ref=f"{R}/personnes/{pid}")

    n_search = poisson(rng, base["search"] * fac)
    for _ in range(n_search):
        t = when()
        if role == "accueil" and rng.random() < 0.45:
            q = f"identifiant={rng.randint(1000000, 9999999)}{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}"
            n = 1 if rng.random() < 0.93 else 0
        else:
            q = q_name(rng)
            n = name_hits(rng)
        size = 20 if role == "accueil" else psize
        ret = min(size, n)
        if rng.random() < 0.002:
            s.api(t, f"{A}/personnes?{q}&page=0&size={size}", status=499, ref=R + "/recherche")
            continue
        s.api(t, f"{A}/personnes?{q}&page=0&size={size}", rec=ret, nbytes=search_bytes(rng, ret),
              ref=R + "/recherche", urt=0.06 + ret * 0.004 * rng.lognormvariate(0, 0.4))
        if n > size and rng.random() < 0.35:
            t += rng.uniform(6, 40)
            r2 = min(size, n - size)
            s.api(t, f"{A}/personnes?{q}&page=1&size={size}", rec=r2, nbytes=search_bytes(rng, r2),
                  ref=R + "/recherche", urt=0.06 + r2 * 0.004 * rng.lognormvariate(0, 0.4))
        if ret and rng.random() < 0.7:
            view(t + rng.uniform(4, 40), rng.choice(org.pool), R + "/recherche", subs=role != "accueil" or rng.random() < 0.3)
        if role == "accueil" and rng.random() < 0.5:
            s.api(t + rng.uniform(30, 200), f"{A}/accueil/passages", method="POST", status=201,
                  nbytes=rng.randint(60, 120), ref=R + "/accueil")
    pf = a.portfolio if org is a.org else org.pool
    for _ in range(poisson(rng, base["view"] * fac)):
        view(when(), rng.choice(pf), R + ("/portefeuille" if rng.random() < 0.6 else "/agenda"))
    for _ in range(poisson(rng, base["plist"] * fac * (1.6 if camp else 1.0))):
        t = when()
        if role == "responsable":
            P, sz, qq = len(org.pool) // 2, 100, "portefeuille=structure&statut=actif"
        else:
            P, sz, qq = len(pf), 50, "portefeuille=moi&statut=actif"
        if camp:
            qq += f"&filtre={camp}"
            P = max(5, int(P * rng.uniform(0.15, 0.4)))
        pages = -(-P // sz)
        npg = 1 if rng.random() < 0.55 else rng.randint(1, max(1, min(pages, 6)))
        for p in range(npg):
            ret = max(0, min(sz, P - p * sz))
            s.api(t, f"{A}/personnes?{qq}&page={p}&size={sz}&sort=nom,asc", rec=ret, nbytes=search_bytes(rng, ret),
                  ref=R + "/portefeuille", urt=0.08 + ret * 0.003 * rng.lognormvariate(0, 0.3))
            t += rng.uniform(5, 70)
    for _ in range(poisson(rng, base["rdv"] * fac)):
        t = when()
        s.api(t, f"{A}/rendez-vous/{rng.randint(2000000, 9000000)}", method="PUT", nbytes=rng.randint(150, 400),
              ref=R + "/agenda")
    for _ in range(poisson(rng, base.get("stats", 0) * fac)):
        t = when()
        s.api(t, f"{A}/stats/tableau-de-bord?periode={date_s[:7]}", nbytes=rng.randint(2000, 9000),
              ref=R + "/pilotage", urt=rng.uniform(0.3, 2.5))
    for _ in range(poisson(rng, base.get("admin", 0) * fac)):
        t = when()
        r = rng.random()
        if r < 0.75:
            s.api(t, f"{A}/admin/utilisateurs?page=0&size=50", nbytes=rng.randint(3000, 9000), ref=R + "/admin")
        elif r < 0.9:
            s.api(t, f"{A}/admin/utilisateurs", method="POST", status=201, nbytes=rng.randint(200, 300), ref=R + "/admin")
        else:
            s.api(t, f"{A}/admin/utilisateurs/{rng.randint(10000, 99999)}/desactivation", method="PUT",
                  nbytes=rng.randint(100, 200), ref=R + "/admin")

    for sp in W.special.get((a.login, d), ()):
        if sp[0] == "takeover":
            _, P, pids, nv = sp
            t = when()
            pages = -(-P // 50)
            for p in range(pages):
                ret = max(0, min(50, P - p * 50))
                s.api(t, f"{A}/personnes?portefeuille=reaffectes&page={p}&size=50&sort=nom,asc", rec=ret,
                      nbytes=search_bytes(rng, ret), ref=R + "/portefeuille", urt=0.1 + ret * 0.003)
                t += rng.uniform(8, 90)
            for _ in range(nv):
                view(when(), rng.choice(pids), R + "/portefeuille")
        elif sp[0] == "month_end":
            _, N, mname = sp
            t = local_to_epoch(ep0 + rng.choice([rng.uniform(9.5, 11.5), rng.uniform(14, 16.8)]) * 3600)
            s.api(t, f"{A}/stats/indicateurs?mois={mname}", nbytes=rng.randint(4000, 12000), ref=R + "/pilotage",
                  urt=rng.uniform(0.8, 3.0))
            t += rng.uniform(20, 120)
            off = 0
            while True:
                n = max(0, min(1000, N - off))
                u = 0.3 + n * 0.0016 * rng.lognormvariate(0, 0.2)
                s.api(t, f"{A}/exports/portefeuille-structure?format=csv&offset={off}&limit=1000", rec=n,
                      nbytes=csv_bytes(rng, n), ref=R + "/pilotage", urt=u)
                t += u + rng.uniform(0.05, 0.4)
                off += 1000
                if n < 1000:
                    break
        elif sp[0] == "audit":
            for _ in range(sp[1]):
                view(when(), rng.choice(org.pool), R + "/controle")
        elif sp[0] == "cleanup":
            k = sp[1]
            t = when()
            for p in range(k):
                s.api(t, f"{A}/personnes?doublons=true&page={p}&size=100", rec=100, nbytes=search_bytes(rng, 100),
                      ref=R + "/admin/doublons", urt=rng.uniform(0.4, 1.4))
                t += rng.uniform(20, 400) if rng.random() < 0.8 else rng.uniform(600, 2400)
                if rng.random() < 0.3:
                    s.api(t, f"{A}/personnes/{rng.choice(org.pool)}/fusion", method="POST", status=200,
                          nbytes=rng.randint(200, 500), ref=R + "/admin/doublons")
    return s.ev


# ----------------------------------------------------------------------------
# service accounts
# ----------------------------------------------------------------------------
def build_services(W):
    rng = random.Random(f"altgen11|{W.seed}|services")
    svcs = []

    def mk(login, orgs, kind, hh, export, base, limit, ua, **kw):
        s = Svc()
        s.login, s.orgs, s.kind, s.hh, s.export, s.base, s.limit, s.ua = login, orgs, kind, hh, export, base, limit, ua
        s.ip = kw.get("ip") or ip4(rng, SRV)
        s.dow = kw.get("dow")
        s.start = kw.get("start", 0)
        s.initial = kw.get("initial", 0)
        s.change = None
        s.proto = "HTTP/2.0" if ua.startswith("curl") else "HTTP/1.1"
        svcs.append(s)
        return s

    cnaf_ip = ip4(rng, ["193.17.71"])
    orgs = [o for o in W.orgs if o is not W.onboard]
    ml_orgs = sorted([o for o in orgs if o.kind == "ml"], key=lambda o: o.code)
    if ml_orgs:
        mk("svc-imilo-sync", ml_orgs, "nightly", 1.5, "jeunes-accompagnes", 0, 1000,
           "Apache-HttpClient/4.5.14 (Java/17.0.12)", ip=ip4(rng, ["185.181.60"]))
    for o in orgs:
        r = rng.random()
        if o.kind == "caf" and r < 0.85:
            mk(f"svc-{o.code}-sync", [o], "nightly", rng.uniform(1.0, 3.5), "allocataires-suivis",
               rng.randint(500, 3000), 1000, "Apache-HttpClient/4.5.13 (Java/11.0.22)", ip=cnaf_ip)
        elif o.kind == "cd":
            if r < 0.6:
                mk(f"svc-{o.code}-sync-nuit", [o], "nightly", rng.uniform(0.5, 4.0), "beneficiaires-rsa",
                   rng.randint(300, 2500), rng.choice([500, 1000]), rng.choice(["Talend-ESB/8.0.1", "python-requests/2.32.3"]))
            if rng.random() < 0.38:
                mk(f"svc-{o.code}-entrepot", [o], "weekly", rng.uniform(3.0, 5.0), "accompagnements",
                   rng.randint(8000, 45000), 5000, "python-requests/2.31.0", dow=6)
            if rng.random() < 0.2:
                mk(f"svc-{o.code}-facturation", [o], "monthly", rng.uniform(4.5, 6.0), "beneficiaires-rsa",
                   rng.randint(15000, 60000), 5000, "Java/17.0.10")
            if rng.random() < 0.12:
                mk(f"svc-{o.code}-crm", [o], "daytime", 0, "", rng.randint(150, 600), 0, "okhttp/4.12.0")
        elif o.kind == "cape":
            if r < 0.3:
                mk(f"svc-{o.code}-reporting", [o], "weekly", rng.uniform(5.5, 7.0), "beneficiaires-oeth",
                   rng.randint(3000, 12000), 1000, "python-requests/2.32.3", dow=5)
            elif r < 0.4:
                mk(f"svc-{o.code}-crm", [o], "daytime", 0, "", rng.randint(120, 500), 0,
                   "Apache-HttpClient/5.2.1 (Java/17.0.9)")
        elif o.kind == "ml" and r < 0.08:
            mk(f"svc-{o.code}-stats", [o], "weekly", rng.uniform(5.0, 6.0), "jeunes-accompagnes",
               rng.randint(2000, 8000), 1000, "R/4.3.2 (httr2)", dow=0)
        elif o.kind == "of" and r < 0.08:
            mk(f"svc-{o.code}-bilan", [o], "monthly", rng.uniform(4.0, 5.0), "stagiaires",
               rng.randint(1000, 6000), 1000, "curl/8.9.1")
        elif o.kind in ("plie", "siae") and r < 0.1:
            mk(f"svc-{o.code}-suivi", [o], "weekly", rng.uniform(21.5, 23.0), "participants",
               rng.randint(1000, 5000), 500, "python-requests/2.28.2", dow=4)
    while len(svcs) < 26:
        o = rng.choice([o for o in orgs if o.kind in ("cd", "cape", "ml")])
        lg = f"svc-{o.code}-export"
        if any(s.login == lg for s in svcs):
            continue
        mk(lg, [o], "weekly", rng.uniform(2.0, 6.0), EXPORT_NAME[o.kind], rng.randint(4000, 30000), 1000,
           "python-requests/2.32.3", dow=rng.choice([5, 6]))
    # onboarding integration with initial load
    ob = W.onboard
    s_ob = mk(f"svc-{ob.code}-sync", [ob], "nightly", rng.uniform(1.0, 3.0), EXPORT_NAME[ob.kind],
              rng.randint(300, 1500), 1000, "python-requests/2.32.3", start=ob.join + rng.randint(1, 4),
              initial=rng.randint(15000, 40000))
    W.label("service_initial_load", [s_ob.login], s_ob.start, s_ob.start + 1,
            f"nouvelle integration de {ob.code}: premier passage = chargement complet ({s_ob.initial} lignes) au lieu d'un delta")
    W.services = svcs
    # per-service labels
    for s in svcs:
        kind = {"nightly": "service_nightly_sync", "weekly": "service_weekly_export",
                "monthly": "service_monthly_export", "daytime": "service_daytime_api"}[s.kind]
        W.label(kind, [s.login], s.start, NDAYS, f"compte de service {s.kind} ({len(s.orgs)} organisation(s)), "
                f"volume de base {s.base} personnes par passage/jour")
    nightly = [s for s in svcs if s.kind == "nightly" and s.start == 0 and s.login != "svc-imilo-sync"]
    W.svc_fail = {}
    for s in rng.sample(nightly, min(len(nightly), rng.randint(2, 3))):
        d = rng.choice(W.workdays[3:-3])
        W.svc_fail[(s.login, d)] = True
        W.label("service_job_rerun", [s.login], d, d + 1,
                "echec du passage de nuit (502/504 en cours de pagination), relance manuelle le matin par l'exploitation")
    left = [s for s in nightly if all(k[0] != s.login for k in W.svc_fail)]
    if left:
        s = rng.choice(left)
        s.change = rng.randint(20, 40)
        W.label("service_schedule_change", [s.login], s.change, s.change + 2,
                "job de nuit deplace a 22h40 (la veille): deux passages le jour du changement")
        left.remove(s)
    W.svc_auth = {}
    if left:
        s = rng.choice(left)
        d = rng.randint(10, 45)
        W.svc_auth[(s.login, d)] = 1
        W.svc_auth[(s.login, d + 1)] = 1
        W.svc_auth[(s.login, d + 2)] = 2
        W.label("service_auth_failure", [s.login], d, d + 3,
                "mot de passe du compte de service renouvele sans mise a jour du job: 401 deux nuits, puis rattrapage du delta")
        left.remove(s)
    W.svc_backfill = {}
    big = [s for s in svcs if s.kind in ("nightly", "weekly") and s.login != "svc-imilo-sync" and s.start == 0]
    if big:
        s = rng.choice(big)
        d = rng.randint(12, 48)
        W.svc_backfill[(s.login, d)] = rng.randint(20000, 60000)
        W.label("service_backfill", [s.login], d, d + 1,
                "reprise d'historique apres correctif: export complet since=2020-01-01 lance a la main en soiree")


def svc_run(W, s, sess, rng, t, org, total, since, fail_at=None, ref="-"):
    A = f"/o/{org.code}/api/v1/exports/{s.export}"
    off = 0
    lim = s.limit
    page = 0
    while True:
        n = max(0, min(lim, total - off))
        q = f"format=csv&since={since}&offset={off}&limit={lim}" if since else f"format=csv&offset={off}&limit={lim}"
        if fail_at is not None and page >= fail_at:
            for _ in range(3):
                st = 502 if rng.random() < 0.5 else 504
                u = rng.uniform(0.001, 0.01) if st == 502 else 60.0
                sess._emit(t + u, "GET", f"{A}?{q}", st, 157 if st == 502 else 167, ref, u + 0.0005, f"{u:.3f}", "-", 0)
                t += u + rng.uniform(30, 90)
            return t
        u = 0.25 + n * 0.0014 * rng.lognormvariate(0, 0.25)
        sess.api(t, f"{A}?{q}", rec=n, nbytes=csv_bytes(rng, n), urt=u, ref=ref)
        t += u + rng.uniform(0.02, 0.5)
        off += lim
        page += 1
        if n < lim:
            return t


def delta_factor(W, d):
    """changes accumulated since the previous nightly run (day d-1's activity)"""
    if d == 0:
        return 1.0
    k = W.daykind[d - 1]
    return {"work": 1.0, "weekend": 0.2, "holiday": 0.15, "pont": 0.5}[k]


def service_day(W, s, d):
    if d < s.start:
        return []
    rng = random.Random(f"altgen11|{W.seed}|s|{s.login}|{d}")
    sess = Sess(W, rng, s.ip, s.ua, s.login, ruser=s.login, proto=s.proto)
    ep0 = W.day_naive[d]
    if s.kind == "nightly":
        runs = []
        hh = s.hh
        if s.change is None or d <= s.change:
            runs.append((hh * 3600 + rng.uniform(0, 90), delta_factor(W, d)))
        if s.change is not None and d >= s.change:
            runs.append((22 * 3600 + 40 * 60 + rng.uniform(0, 60), 0.6 if W.daykind[d] == "work" else 0.15))
        for sod, df in runs:
            t = local_to_epoch(ep0 + sod)
            auth = W.svc_auth.get((s.login, d))
            since = (START + datetime.timedelta(days=d - 1)).isoformat()
            for org in s.orgs:
                if org.join > d:
                    continue
                base = s.base if s.login != "svc-imilo-sync" else max(40, org.size * 28)
                total = int(base * df * rng.lognormvariate(0, 0.25))
                if s.initial and d == s.start:
                    total, sn = s.initial, None
                else:
                    sn = since
                if auth == 1:
                    for _ in range(3):
                        sess.api(t, f"/o/{org.code}/api/v1/exports/{s.export}?format=csv&since={sn}&offset=0&limit={s.limit}",
                                 status=401, nbytes=73, urt=rng.uniform(0.005, 0.02))
                        t += rng.uniform(60, 300)
                    continue
                if auth == 2:
                    total = int(total * 3.2)
                    sn = (START + datetime.timedelta(days=d - 3)).isoformat()
                fail = W.svc_fail.get((s.login, d))
                if fail:
                    t = svc_run(W, s, sess, rng, t, org, total, sn, fail_at=rng.randint(0, max(0, total // s.limit)))
                    t2 = local_to_epoch(ep0 + rng.uniform(9.2, 10.8) * 3600)
                    rs = Sess(W, rng, ip4(rng, FR_ENT), "curl/8.5.0", s.login, ruser=s.login, proto="HTTP/1.1")
                    svc_run(W, s, rs, rng, t2, org, total, sn)
                    sess.ev.extend(rs.ev)
                else:
                    t = svc_run(W, s, sess, rng, t, org, total, sn)
                t += rng.uniform(0.5, 3)
    elif s.kind == "weekly":
        if W.dates[d].weekday() == s.dow:
            t = local_to_epoch(ep0 + s.hh * 3600 + rng.uniform(0, 120))
            total = int(s.base * (1 + 0.004 * d) * rng.lognormvariate(0, 0.03))
            svc_run(W, s, sess, rng, t, s.orgs[0], total, None)
    elif s.kind == "monthly":
        if W.dates[d].day == 1:
            t = local_to_epoch(ep0 + s.hh * 3600 + rng.uniform(0, 60))
            total = int(s.base * rng.lognormvariate(0, 0.03))
            svc_run(W, s, sess, rng, t, s.orgs[0], total, None)
    elif s.kind == "daytime":
        if W.daykind[d] == "work":
            n = poisson(rng, s.base * DOWF[d % 7])
            org = s.orgs[0]
            for _ in range(n):
                h = rng.choice([rng.uniform(8.3, 12.2), rng.uniform(8.3, 12.2), rng.uniform(13.6, 17.6),
                                rng.uniform(13.6, 17.6), rng.uniform(7.0, 19.0)])
                t = local_to_epoch(ep0 + h * 3600)
                pid = rng.choice(org.pool)
                st = 200 if rng.random() > 0.01 else 404
                sess.api(t, f"/o/{org.code}/api/v1/personnes/{pid}?fields=identite,contact", rec=1, status=st,
                         nbytes=rng.randint(600, 1500) if st == 200 else 98, urt=rng.lognormvariate(-3.0, 0.4))
            if rng.random() < 0.25:
                # batch refresh of an agent's list: parallel lookups, some rejected by limit_req
                t = local_to_epoch(ep0 + rng.uniform(8.5, 17.5) * 3600)
                sess.lim_p = 0.12
                for _ in range(rng.randint(30, 90)):
                    pid = rng.choice(org.pool)
                    sess.api(t, f"/o/{org.code}/api/v1/personnes/{pid}?fields=identite,contact", rec=1,
                             nbytes=rng.randint(600, 1500), urt=rng.lognormvariate(-3.0, 0.4))
                    t += rng.uniform(0.02, 0.15)
                sess.lim_p = 0.0
    bf = W.svc_backfill.get((s.login, d))
    if bf:
        t = local_to_epoch(ep0 + rng.uniform(20.0, 21.0) * 3600)
        rs = Sess(W, rng, s.ip, s.ua, s.login, ruser=s.login, proto=s.proto)
        svc_run(W, s, rs, rng, t, s.orgs[0], bf, "2020-01-01")
        sess.ev.extend(rs.ev)
    return sess.ev


# ----------------------------------------------------------------------------
# infrastructure noise
# ----------------------------------------------------------------------------
SCAN_UA = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
           "Mozilla/5.0 zgrab/0.x", "curl/7.88.1", "python-requests/2.25.1", "Go-http-client/1.1",
           "Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)",
           "Mozilla/5.0 (Macintosh; Intel Mac OS X 13_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36",
           "Expanse, a Palo Alto Networks company, searches across the global IPv4 space multiple times per day",
           "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"]
SCAN_PATHS = ["/.env", "/wp-login.php", "/.git/config", "/admin/.env", "/phpmyadmin/", "/actuator/env",
              "/api/.env", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "/owa/auth/logon.aspx",
              "/cgi-bin/luci/;stok=/locale", "/server-status", "/.aws/credentials", "/config.json",
              "/?XDEBUG_SESSION_START=phpstorm", "/solr/admin/info/system?wt=json", "/boaform/admin/formLogin",
              "/api/v1/personnes", "/o/", "/remote/fgt_lang?lang=/../../../..//////////dev/cmdb/sslvpn_websession",
              "/robots.txt", "/sitemap.xml", "/.well-known/security.txt", "/wp-content/plugins/", "/login"]


def infra_day(W, d):
    rng = random.Random(f"altgen11|{W.seed}|infra|{d}")
    s = Sess(W, rng, "-", "-", "-", proto="HTTP/1.1")
    t0, t1 = W.day_e[d], W.day_e[d + 1]
    for node, ph in (("10.20.0.11", 7.3), ("10.20.0.12", 37.9)):
        t = t0 + ph
        s.ip = node
        while t < t1:
            down = W.out0 <= t < W.out1 or any(e <= t < e + 130 for e in W.deploy_e)
            if down:
                u = rng.uniform(0.0005, 0.003)
                s._emit(t + u, "GET", "/healthz", 502, 157, "-", u, f"{u:.3f}", "-", 0)
            else:
                u = rng.uniform(0.001, 0.006)
                s._emit(t + u, "GET", "/healthz", 200, 15, "-", u + 0.0002, f"{u:.3f}", "-", 0)
            t += 60.0 + rng.uniform(-0.02, 0.02)
    s.ua = "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)"
    t = t0 + 113.0
    probes = ["216.144.250.150", "69.162.124.235", "63.143.42.248"]
    while t < t1:
        s.ip = rng.choice(probes)
        down = W.out0 <= t < W.out1
        u = rng.uniform(0.001, 0.005)
        s._emit(t + u, "HEAD", "/healthz", 502 if down else 200, 0, "-", u + 0.0003, f"{u:.3f}", "-", 0)
        t += 300.0 + rng.uniform(-0.3, 0.3)
    for _ in range(poisson(rng, 45)):
        t = t0 + rng.random() * (t1 - t0)
        s.ip = ip4(rng, VPS + ["167.94.138", "162.142.125", "198.235.24", "35.203.211", "147.185.132",
                               "87.236.176", "71.6.199", "64.62.197"])
        s.ua = rng.choice(SCAN_UA)
        r = rng.random()
        if r < 0.2:
            s.ua = "-"
            line = (f'{s.ip} - - [{W.tl(t)}] "-" 400 0 "-" "-" rt=0.{rng.randint(0, 300):03d} urt=- '
                    f'rid={rng.getrandbits(128):032x} user="-"')
            s.ev.append((t, line, 0, None))
        elif r < 0.35:
            garb = "".join(f"\\x{rng.getrandbits(8):02X}" for _ in range(rng.randint(8, 40)))
            line = (f'{s.ip} - - [{W.tl(t)}] "\\x16\\x03\\x01{garb}" 400 157 "-" "-" rt=0.{rng.randint(0, 90):03d} urt=- '
                    f'rid={rng.getrandbits(128):032x} user="-"')
            s.ev.append((t, line, 0, None))
        elif r < 0.42:
            line = (f'{s.ip} - - [{W.tl(t)}] "MGLNDD_{s.ip}_443" 400 157 "-" "-" rt=0.{rng.randint(0, 90):03d} urt=- '
                    f'rid={rng.getrandbits(128):032x} user="-"')
            s.ev.append((t, line, 0, None))
        else:
            p = rng.choice(SCAN_PATHS)
            if p == "/api/v1/personnes":
                s.api(t, p, status=401, nbytes=73, urt=rng.uniform(0.004, 0.02))
            elif p in ("/robots.txt",):
                s.static(t, p, 200, 26, "-")
            elif p == "/o/":
                s._emit(t, "GET", p, 302, 145, "-", 0.0, "-", "-", 0)
            elif p == "/login":
                s._emit(t, "GET", p, 302, 145, "-", 0.0, "-", "-", 0)
            else:
                s._emit(t, rng.choice(["GET", "GET", "GET", "POST"]), p, 404, 153, "-", 0.0, "-", "-", 0)
    return s.ev


# ----------------------------------------------------------------------------
# attacks
# ----------------------------------------------------------------------------
def daily_series(W, a):
    out = []
    for d in range(NDAYS):
        ev = human_day(W, a, d)
        out.append(sum(e[2] for e in ev) if ev else 0)
    return out


def median(xs):
    xs = sorted(xs)
    if not xs:
        return 0
    n = len(xs)
    return xs[n // 2] if n % 2 else 0.5 * (xs[n // 2 - 1] + xs[n // 2])


def pick_ua_attack(rng, victim):
    r = rng.random()
    if r < 0.45:
        return rng.choice(["python-requests/2.31.0", "python-httpx/0.27.0", "Python-urllib/3.11",
                           "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/158.0.0.0 Safari/537.36"])
    return victim.ua0 if victim else CHROME.format(v=160)


def ui_chunks(rng, target, pool, size=50, p_search=0.45, crit=None):
    ch = []
    tot = 0
    while tot < target:
        if rng.random() < p_search:
            T = rng.randint(30, 420)
            q = crit(rng) if crit else q_name(rng)
            pages = -(-T // size)
            for p in range(rng.randint(1, pages)):
                ret = min(size, T - p * size)
                ch.append(("s", q, p, ret, size))
                tot += ret
                if tot >= target:
                    break
        else:
            ch.append(("v", rng.choice(pool)))
            tot += 1
    return ch


def mimic_chunks(rng, target, pool, dep):
    """requests shaped like an agent's own day: file views, name searches, a few list pages"""
    ch = []
    tot = 0
    crit = cp_crit(dep)
    while tot < target:
        r = rng.random()
        if r < 0.6:
            ch.append(("v", rng.choice(pool)))
            tot += 1
        elif r < 0.94:
            ret = min(20, name_hits(rng))
            ch.append(("s", q_name(rng), 0, ret, 20))
            tot += ret
        else:
            q = crit(rng) + "&statut=actif"
            T = rng.randint(40, 300)
            for p in range(rng.randint(1, 3)):
                ret = max(0, min(50, T - p * 50))
                if tot + ret > target + 10:
                    break
                ch.append(("s", q, p, ret, 50))
                tot += ret
    return ch


def emit_chunks(sess, rng, O, chunks, times, size=None, ref=True, subs=0.3):
    A = f"/o/{O}/api/v1"
    R = f"https://{HOST}/o/{O}"
    for c, t in zip(chunks, times):
        if c[0] == "s":
            _, q, p, ret, size = c
            sess.api(t, f"{A}/personnes?{q}&page={p}&size={size}", rec=ret, nbytes=search_bytes(rng, ret),
                     ref=(R + "/recherche") if ref else "-", urt=0.06 + ret * 0.004 * rng.lognormvariate(0, 0.4))
        else:
            pid = c[1]
            sess.api(t, f"{A}/personnes/{pid}", rec=1, nbytes=rng.randint(1900, 5200),
                     ref=(R + "/recherche") if ref else "-", urt=rng.lognormvariate(-2.7, 0.5))
            if rng.random() < subs:
                sub = rng.choice(SUBS)
                lo, hi = SUB_BYTES[sub]
                sess.api(t + rng.uniform(0.3, 3), f"{A}/personnes/{pid}/{sub}", nbytes=rng.randint(lo, hi),
                         ref=(f"{R}/personnes/{pid}") if ref else "-")


def spread_times(W, rng, days, h0, h1, n):
    """n sorted epochs spread uniformly over [h0,h1) local hours of the given days"""
    out = []
    for _ in range(n):
        d = rng.choice(days)
        out.append(local_to_epoch(W.day_naive[d] + rng.uniform(h0, h1) * 3600))
    out.sort()
    return out


def cp_crit(dep):
    def f(rng):
        return f"codePostal={dep}{rng.choice([0, 100, 110, 120, 130, 140, 200, 210, 220, 230, 250, 270, 300, 310, 330, 350, 400, 410, 440, 500, 510, 530, 560, 600, 610, 640, 680, 700, 720, 750, 760, 800, 850, 900]):03d}"
    return f


def build_attacks(W):
    rng = random.Random(f"altgen11|{W.seed}|attacks")
    shapes = ["bulk_extraction", "low_and_slow", "new_account", "org_wide", "off_hours"]
    extra = rng.choice([1, 2, 2, 3])
    shapes += [rng.choice(["bulk_extraction", "low_and_slow", "off_hours", "new_account", "org_wide"]) for _ in range(extra)]
    rng.shuffle(shapes)
    # candidate victims
    elig = [a for a in W.humans if a.join == 0 and a.leave is None and not a.shared and a.org2 is None
            and a.login not in W.trap and a.role in ("conseiller", "accueil", "occasionnel", "responsable")
            and a.org is not W.onboard]
    elig.sort(key=lambda a: a.login)
    rng.shuffle(elig)
    series = {}
    used = set()
    used_orgs = set()

    def evaluate(a):
        if a.login not in series:
            series[a.login] = daily_series(W, a)
        sr = series[a.login]
        act = [x for x in sr if x > 0]
        return sr, (median(act) if act else 0), len(act)

    kinds_used = []

    def take_victim(min_med=25, min_act=22, roles=("conseiller", "accueil", "occasionnel")):
        for avoid in (True, False):
            for a in elig:
                if a.login in used or a.role not in roles or a.org.code in used_orgs:
                    continue
                if avoid and a.org.kind in kinds_used:
                    continue
                sr, m, n = evaluate(a)
                if m >= min_med and n >= min_act:
                    used.add(a.login)
                    kinds_used.append(a.org.kind)
                    return a, sr, m
        for a in elig:
            if a.login in used:
                continue
            sr, m, n = evaluate(a)
            if m >= 10 and n >= 10:
                used.add(a.login)
                return a, sr, m
        raise RuntimeError("no victim")

    attacks = []
    notes = []
    for i, shape in enumerate(shapes):
        aid = f"A{i + 1}"
        arng = random.Random(f"altgen11|{W.seed}|attack|{aid}")
        sessions = []
        note = {"id": aid, "shape": shape}
        wd = [d for d in W.workdays if 10 <= d <= 53]
        if shape == "bulk_extraction":
            v, sr, m = take_victim()
            O = v.org.code
            d = arng.choice(wd)
            R = arng.choices([arng.randint(4000, 9000), arng.randint(10000, 25000), arng.randint(28000, 60000)],
                             [0.35, 0.4, 0.25])[0]
            variant = "harvest_then_views" if R <= 25000 and arng.random() < 0.6 else "search_pages"
            if arng.random() < 0.6:
                h = arng.uniform(9.3, 14.5)
            else:
                h = arng.uniform(18.5, 21.5)
            ipk = arng.random()
            ip = ip4(arng, VPS) if ipk < 0.6 else (ip4(arng, RESID4) if ipk < 0.85 else v.office_ip)
            ua = pick_ua_attack(arng, v)
            scripted_ref = not ua.startswith("Mozilla")
            sess = Sess(W, arng, ip, ua, v.login, proto="HTTP/1.1" if scripted_ref else "HTTP/2.0")
            A = f"/o/{O}/api/v1"
            t = W.ep(d, h * 3600)
            sess.api(t, A + "/me", nbytes=arng.randint(380, 470))
            t += arng.uniform(1, 5)
            if arng.random() < 0.5:
                sess.api(t, f"{A}/exports/beneficiaires?format=csv&offset=0&limit=5000", status=403, nbytes=112)
                t += arng.uniform(3, 30)
            crit = cp_crit(v.org.dep) if arng.random() < 0.6 else q_name
            size = arng.choice([100, 200]) if variant == "search_pages" else 100
            iv = arng.uniform(4.0, 14.0) if variant == "search_pages" else arng.uniform(0.7, 2.2)
            par = variant == "harvest_then_views" and arng.random() < 0.35
            rec = 0
            extpool = v.org.pool + [arng.randrange(1000000, 48000000) for _ in range(3000)]
            while rec < R:
                q = crit(arng)
                T = arng.randint(60, 900)
                ids = []
                for p in range(-(-T // size)):
                    ret = min(size, T - p * size)
                    rec += sess.api(t, f"{A}/personnes?{q}&page={p}&size={size}", rec=ret,
                                    nbytes=search_bytes(arng, ret), urt=0.08 + ret * 0.0035 * arng.lognormvariate(0, 0.3))
                    ids += [arng.choice(extpool) for _ in range(ret)]
                    t += iv * arng.lognormvariate(0, 0.25)
                    if rec >= R:
                        break
                if variant == "harvest_then_views":
                    for pid in ids:
                        if rec >= R:
                            break
                        path = f"{A}/personnes/{pid}"
                        if par and arng.random() < 0.03:
                            sess.limited(t, path)
                            t += arng.uniform(0.5, 1.5)
                        rec += sess.api(t, path, rec=1, nbytes=arng.randint(1900, 5200), urt=arng.lognormvariate(-2.7, 0.5))
                        if arng.random() < 0.25:
                            sess.api(t + arng.uniform(0.1, 0.6), f"{path}/contacts", nbytes=arng.randint(300, 1400))
                        t += (iv / (3.0 if par else 1.0)) * arng.lognormvariate(0, 0.25)
                if arng.random() < 0.02:
                    t += arng.uniform(120, 900)
            sessions.append(sess)
            note.update(variant=variant, victim=v.login, victim_role=v.role, victim_median_daily_records=m,
                        target_records=R, ip=ip, user_agent=ua, page_size=size, interval_s=round(iv, 2),
                        parallel_workers=par,
                        description="compte de conseiller compromis, extraction scriptee en quelques heures")
            accounts, org = [v.login], O
        elif shape == "low_and_slow":
            v, sr, m = take_victim()
            k = arng.uniform(2.0, 4.0)
            n = arng.randint(3, 8)
            starts = [d for d in wd if d + n + 2 < NDAYS]
            best = None
            for _ in range(30):
                d0 = arng.choice(starts)
                days = [d for d in range(d0, NDAYS) if W.daykind[d] == "work"][:n]
                pres = sum(1 for d in days if sr[d] > 0)
                if best is None or pres > best[0]:
                    best = (pres, days)
            days = best[1]
            O = v.org.code
            ip = v.office_ip if arng.random() < 0.5 else ip_home(arng)
            sess = Sess(W, arng, ip, v.ua0, v.login)
            for d in days:
                E = (k - 1) * m * arng.lognormvariate(0, 0.15)
                ch = mimic_chunks(arng, E, v.portfolio + v.org.pool[:300], v.org.dep)
                times = spread_times(W, arng, [d], 8.8, 18.2, len(ch))
                emit_chunks(sess, arng, O, ch, times)
            sessions.append(sess)
            note.update(victim=v.login, victim_role=v.role, victim_median_daily_records=m, multiplier=round(k, 2),
                        days=[W.dates[d].isoformat() for d in days], ip=ip,
                        description="volume additionnel (k-1) x mediane chaque jour ouvre, etale sur 8h45-18h15, via l'interface")
            accounts, org = [v.login], O
        elif shape == "new_account":
            cands = [o for o in W.orgs if o.kind in ("ml", "cape", "cd", "plie", "siae", "of") and o.code not in used_orgs
                     and o is not W.onboard]
            o = arng.choice(cands)
            login = W.mk_login(o, arng.choice(FIRST), arng.choice(LAST))
            O = o.code
            R = arng.choice([arng.randint(2000, 5000), arng.randint(5000, 15000)])
            d = arng.choice(wd[:-2])
            ndays = arng.choice([1, 1, 2])
            size = arng.choice([50, 100])
            h_first = arng.uniform(9.0, 15.0)
            days = [x for x in range(d, NDAYS) if W.daykind[x] == "work"][:ndays]
            ipk = arng.random()
            ip = ip4(arng, VPS) if ipk < 0.5 else ip_home(arng)
            ua = CHROME.format(v=arng.choice([159, 160, 161])) if arng.random() < 0.6 else "python-requests/2.31.0"
            ui = ua.startswith("Mozilla")
            sess = Sess(W, arng, ip, ua, login, proto="HTTP/2.0" if ui else "HTTP/1.1")
            A = f"/o/{O}/api/v1"
            t = W.ep(days[0], h_first * 3600)
            if ui:
                page_load(W, sess, t - 1.0, O, days[0], arng, "")
            sess.api(t, A + "/me", nbytes=arng.randint(380, 470), ref=f"https://{HOST}/o/{O}/" if ui else "-")
            per = R / len(days)
            for di, dd in enumerate(days):
                ch = ui_chunks(arng, per, o.pool, size=size, p_search=0.7,
                               crit=cp_crit(o.dep) if arng.random() < 0.5 else None)
                h0 = h_first + 0.01 if di == 0 else arng.uniform(8.8, 13.0)
                span = arng.uniform(2.5, 7.0)
                times = spread_times(W, arng, [dd], h0, min(23.5, h0 + span), len(ch))
                emit_chunks(sess, arng, O, ch, times, ref=ui, subs=0.2)
            sessions.append(sess)
            note.update(account=login, org_kind=KIND_LABEL[o.kind], target_records=R,
                        victim_median_daily_records=None, baseline="none: the account never appears before the attack",
                        days=[W.dates[x].isoformat() for x in days], ip=ip, user_agent=ua,
                        description="compte jamais vu (cree par un administrateur local abuse ou par usurpation), extraction de quelques milliers de fiches")
            accounts, org = [login], O
            W.trap.add(login)
        elif shape == "org_wide":
            orgs = {}
            for a in elig:
                if a.role == "conseiller" and a.login not in used and a.org.code not in used_orgs:
                    orgs.setdefault(a.org.code, []).append(a)
            big = sorted([c for c, lst in orgs.items() if len(lst) >= 6]) or \
                sorted([c for c, lst in orgs.items() if len(lst) >= 4])
            code = arng.choice(big)
            members = orgs[code]
            arng.shuffle(members)
            nm = arng.randint(3, min(6, len(members)))
            chosen = []
            for a in members:
                sr, m, n = evaluate(a)
                if m >= 15 and n >= 18:
                    chosen.append((a, sr, m))
                if len(chosen) >= nm:
                    break
            if len(chosen) < 3:
                for a in members:
                    if all(a is not c[0] for c in chosen):
                        sr, m, n = evaluate(a)
                        if m >= 5:
                            chosen.append((a, sr, m))
                    if len(chosen) >= 3:
                        break
            for a, _, _ in chosen:
                used.add(a.login)
            nd = arng.randint(1, 3)
            d0 = arng.choice([d for d in wd if d + nd + 3 < NDAYS])
            days = [d for d in range(d0, NDAYS) if W.daykind[d] == "work"][:nd]
            shared_ip = ip4(arng, VPS) if arng.random() < 0.5 else None
            per = []
            for a, sr, m in chosen:
                f = arng.uniform(0.7, 2.0)
                ip = shared_ip or a.office_ip
                sess = Sess(W, arng, ip, a.ua0, a.login)
                for d in days:
                    ch = mimic_chunks(arng, f * m * arng.lognormvariate(0, 0.15), a.org.pool, a.org.dep)
                    times = spread_times(W, arng, [d], 9.0, 18.0, len(ch))
                    emit_chunks(sess, arng, code, ch, times)
                sessions.append(sess)
                per.append({"account": a.login, "median_daily_records": m, "extra_factor": round(f, 2), "ip": ip})
            note.update(members=per, days=[W.dates[d].isoformat() for d in days],
                        description="plusieurs comptes de la meme structure compromis (hameconnage), chacun moderement au-dessus de sa normale")
            accounts, org = [a.login for a, _, _ in chosen], code
        else:  # off_hours
            v, sr, m = take_victim(min_med=20)
            g = arng.uniform(0.8, 2.0)
            R = max(40, int(g * m))
            O = v.org.code
            mode = arng.choices(["night", "weekend", "late_evening"], [0.5, 0.3, 0.2])[0]
            if mode == "weekend":
                d = arng.choice([d for d in range(10, 54) if W.daykind[d] == "weekend"])
                h0 = arng.uniform(9.5, 15.0)
            elif mode == "night":
                d = arng.choice([d for d in range(10, 54) if d % 7 in (1, 2, 3, 4)])
                h0 = arng.uniform(0.5, 3.5)
            else:
                d = arng.choice([d for d in range(10, 54) if d % 7 in (0, 1, 2, 3)])
                h0 = arng.uniform(22.0, 23.2)
            span = arng.uniform(1.2, 3.5)
            ip = ip4(arng, VPS) if arng.random() < 0.5 else ip_home(arng)
            sess = Sess(W, arng, ip, v.ua0, v.login)
            ch = mimic_chunks(arng, R, v.portfolio + v.org.pool[:300], v.org.dep) if arng.random() < 0.7 else \
                ui_chunks(arng, R, v.org.pool, size=50, p_search=0.35)
            t0 = W.ep(d, h0 * 3600)
            times = sorted(t0 + arng.uniform(0, span * 3600) for _ in ch)
            page_load(W, sess, t0 - 3, O, d, arng, "")
            sess.api(t0 - 2, f"/o/{O}/api/v1/me", nbytes=arng.randint(380, 470), ref=f"https://{HOST}/o/{O}/")
            emit_chunks(sess, arng, O, ch, times)
            sessions.append(sess)
            note.update(victim=v.login, victim_role=v.role, victim_median_daily_records=m, factor=round(g, 2),
                        mode=mode, day=W.dates[d].isoformat(), start_local_hour=round(h0, 2), span_hours=round(span, 2),
                        ip=ip, description="volume d'une journee normale tire la nuit ou le week-end avec l'identifiant du conseiller")
            accounts, org = [v.login], O
        used_orgs.add(org)
        # register events
        n_ev = 0
        n_rec = 0
        t_min, t_max = None, None
        for sess in sessions:
            n, r = W.add_events(sess.ev)
            n_ev += n
            n_rec += r
            for e in sess.ev:
                if W.start_e <= e[0] < W.end_e:
                    t_min = e[0] if t_min is None else min(t_min, e[0])
                    t_max = e[0] if t_max is None else max(t_max, e[0])
        attacks.append({"id": aid, "shape": shape, "accounts": accounts, "org": org,
                        "start": rfc(t_min), "end": rfc(t_max), "records": n_rec, "events": n_ev})
        note.update(records=n_rec, events=n_ev, org=org)
        notes.append(note)
    return attacks, notes


# ----------------------------------------------------------------------------
# output
# ----------------------------------------------------------------------------
class Writer:
    def __init__(self, W, outdir):
        self.W = W
        self.outdir = outdir
        rng = random.Random(f"altgen11|{W.seed}|rotate")
        self.rot = [W.start_e] + [W.day_e[d] + rng.uniform(3, 1500) for d in range(1, NDAYS)] + [W.end_e]
        self.cur = -1
        self.fh = None
        self.all = open(os.path.join(outdir, "ALL.log"), "w", encoding="utf-8", newline="\n")
        self.lines = 0
        self.raw = None

    def _open(self, k):
        if self.fh:
            self.fh.close()
            if self.raw:
                self.raw.close()
        name = "access.log-" + self.W.dates[k].strftime("%Y%m%d")
        self.raw = None
        if k < NDAYS - 1:
            self.raw = open(os.path.join(self.outdir, name + ".gz"), "wb")
            self.fh = gzip.GzipFile(filename=name, mode="wb", compresslevel=6, fileobj=self.raw,
                                    mtime=int(self.rot[k + 1]))
        else:
            self.fh = open(os.path.join(self.outdir, name), "wb")
        self.cur = k

    def write_sorted(self, items):
        i = 0
        n = len(items)
        while i < n:
            t = items[i][0]
            while self.cur < 0 or t >= self.rot[self.cur + 1]:
                self._open(self.cur + 1)
            lim = self.rot[self.cur + 1]
            j = i
            chunk = []
            while j < n and items[j][0] < lim:
                chunk.append(items[j][1])
                j += 1
            data = "\n".join(chunk) + "\n"
            self.all.write(data)
            self.fh.write(data.encode("utf-8"))
            self.lines += len(chunk)
            i = j

    def close(self):
        while self.cur < NDAYS - 1:
            self._open(self.cur + 1)
        self.fh.close()
        if self.raw:
            self.raw.close()
        self.all.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--labels", required=True)
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    for f in os.listdir(args.outdir):
        if re.match(r"^(access\.log-\d{8}(\.gz)?|ALL\.log)$", f):
            os.remove(os.path.join(args.outdir, f))
    W = World(args.seed)
    build_population(W)
    plan_benign(W)
    build_services(W)
    attacks, attack_notes = build_attacks(W)
    wr = Writer(W, args.outdir)
    for d in range(NDAYS):
        for a in W.humans:
            ev = human_day(W, a, d)
            if ev:
                W.add_events(ev)
        for s in W.services:
            ev = service_day(W, s, d)
            if ev:
                W.add_events(ev)
        W.add_events(infra_day(W, d))
        b = W.buckets[d]
        b.sort()
        wr.write_sorted(b)
        W.buckets[d] = None
    wr.close()
    labels = {"seed": args.seed, "time_zone": "Europe/Paris", "start": rfc(W.start_e), "end": rfc(W.end_e),
              "days": NDAYS, "account_count": len(W.seen), "events": wr.lines, "records": W.total_rec,
              "attacks": attacks, "benign": W.benign}
    ld = os.path.dirname(os.path.abspath(args.labels))
    os.makedirs(ld, exist_ok=True)
    with open(args.labels, "w", encoding="utf-8") as f:
        json.dump(labels, f, indent=1, ensure_ascii=False)
    notes = {
        "seed": args.seed,
        "generator": "altgen11 (nginx access log of the partner portal, no record count in lines)",
        "definitions": {
            "events": "number of log lines (each line is one request) -- top level: every line of the period; attack: requests made by the attacker, whatever their status",
            "records": "person records returned: rows actually returned by a search/list page (min(size,200) or fewer on the last page), 1 per GET /personnes/{id} with status 200, rows of CSV export pages; sub-resources (/parcours, /documents...), notes, agenda, stats return 0; errors (4xx/5xx/429/499) return 0",
            "account_count": "distinct values of user=\"...\" on the lines (people, service accounts, attacker-created accounts)",
            "victim_median_daily_records": "median, over the days where the account had benign activity, of its benign records per day",
        },
        "period": {"start": rfc(W.start_e), "end": rfc(W.end_e),
                   "dst_switch": "2027-03-28 02:00 -> 03:00", "public_holidays": ["2027-03-29", "2027-05-06"],
                   "weekend_holidays": ["2027-05-01", "2027-05-08"], "bridge_day": "2027-05-07"},
        "population": {"organisations": len(W.orgs), "human_accounts": len(W.humans), "service_accounts": len(W.services),
                       "orgs": [{"code": o.code, "kind": KIND_LABEL[o.kind], "accounts": len(o.accounts), "zone": o.zone}
                                for o in W.orgs]},
        "attacks": attack_notes,
        "benign": W.notes_benign,
    }
    base = os.path.basename(args.labels)
    m = re.match(r"^l(.*)\.json$", base)
    nname = f"notes{m.group(1)}.json" if m else f"notes{args.seed}.json"
    with open(os.path.join(ld, nname), "w", encoding="utf-8") as f:
        json.dump(notes, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
