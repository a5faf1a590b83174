#!/usr/bin/env python3
"""altgen10 -- W3C extended (IIS 10.0) access logs of the partner person-data API.

Usage
-----
    python3 scripts/altgen10.py --seed S --outdir DIR --labels FILE.json [--notes FILE.json]

The output is a pure function of --seed (Python 3 standard library only).
The notes file defaults to ``notes<S>.json`` next to the labels file.

System described
----------------
The partner API (``api-partenaires``) lets partner organisations (Cap emploi,
missions locales, conseils departementaux, CAF, training bodies, CCAS...) read
job seekers' records.  It is one IIS 10.0 site (W3SVC2) on host SRV-APIPART-01
(10.20.4.21, port 443) behind a pair of load balancers.  Load-balancer SNAT
addresses (10.20.1.11, 10.20.1.12) therefore appear in ``c-ip``; the real
client address is logged from the ``X-Forwarded-For`` request header.  The
load balancers' own health monitors (10.20.1.2, 10.20.1.3) connect directly.

Files
-----
``DIR/u_exYYMMDD_x.log``
    One file per UTC day (IIS "UTC time for file naming and rollover"; the
    ``_x`` suffix is what IIS appends when custom fields are logged).  Files
    run from u_ex270228_x.log to u_ex270425_x.log and cover the local period
    2027-03-01 00:00 Europe/Paris (2027-02-28 23:00 UTC) to 2027-04-26 00:00
    Europe/Paris (2027-04-25 22:00 UTC), 56 local days.  Each file starts with
    a directive block::

        #Software: Microsoft Internet Information Services 10.0
        #Version: 1.0
        #Date: YYYY-MM-DD HH:MM:SS
        #Fields: <field list below>

    IIS writes a new directive block in the middle of the current file each
    time the site or the web server restarts (planned maintenance or after a
    crash); ``#Date`` is then the time of the first entry written after the
    restart.  An unclean stop can leave the last buffered entry before the
    restart cut short (partial line, fewer fields than declared).  Entries are
    written in time order inside a file.

``DIR/ALL.log``
    The whole period concatenated in time order, same entry format, with a
    single directive block at its top (no mid-file blocks).

Entry format
------------
Space separated, ``-`` for an empty value, spaces inside values written as
``+`` (as IIS does).  ``#Fields:``::

    date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip
    cs-version cs(User-Agent) cs(Referer) sc-status sc-substatus
    sc-win32-status sc-bytes cs-bytes time-taken X-Forwarded-For X-Org-Id
    X-Result-Count

date, time
    UTC, ``YYYY-MM-DD`` and ``HH:MM:SS``.
cs-username
    Authenticated identity (Windows Negotiate/Kerberos through the partner
    federation).  People: ``DOMAIN\\login`` -- the shared partner domain
    ``PARTENAIRES`` (``PARTENAIRES\\jdupont``, ``PARTENAIRES\\marie.durand``,
    homonyms get a digit), some conseils departementaux authenticate through
    their own trusted domain (``CD59\\login``).  Technical (service) accounts
    are UPN-style: ``svc-<job>-<org>@partenaires.local`` or
    ``svc-<name>@partenaires.local``.  ``-`` for anonymous requests: CORS
    preflights (OPTIONS), the first leg of the Negotiate handshake
    (401 2 5), failed logons (401 1 ...), health monitors, internet noise.
X-Forwarded-For (custom field, request header)
    Client address as seen by the load balancer; IPv4 or IPv6; where the
    partner uses its own outbound proxy the header holds a chain
    ``client,+proxy``.  ``-`` when absent (health monitors).
X-Org-Id (custom field, request header)
    Code of the partner organisation of the caller, set by the partner
    portal / partner software, and by the API gateway for technical accounts.
    Codes: ``CAPE<dep>`` (Cap emploi, e.g. CAPE93), ``ML<dep><nnn>`` (mission
    locale, e.g. ML93012), ``CD<ddd>`` (conseil departemental, e.g. CD093),
    ``CAF<dep><n>`` (e.g. CAF931), ``OF<11 digits>`` (training body, its
    declaration number), ``CCAS<insee>``, and national bodies (``UNML``,
    ``CHEOPS``, ``DSI-PART``).  Not sent on CORS preflights; ``-`` when
    absent.
X-Result-Count (custom field, response header)
    Number of person (job seeker) records contained in the response body.
    ``0`` for an empty result or a not-found person; ``-`` when the endpoint
    returns no person data (referentials, indicators, appointments,
    administration, /moi, health) or the request failed (401, 403, 500...).
cs-uri-stem / cs-uri-query
    /api/v2/demandeurs (search; query ``nom=..&page=..&taille=..``,
    ``codePostal=..``, ``identifiant=..``), POST /api/v2/demandeurs/recherche
    (search with a JSON body), /api/v2/demandeurs/{id} (one
    record) and its sub-resources (/situation carries the record; /parcours,
    /formations, /rendez-vous do not), /api/v2/conseillers/moi/portefeuille
    (advisor's caseload, pages of 50), /api/v2/equipes/{team}/portefeuille
    (pages of 100), /api/v2/equipes/{team}/export, /api/v2/equipes/{team}/
    indicateurs, /api/v2/controle/echantillon, /api/v2/flux/demandeurs
    (change feed, ``depuis=..&curseur=..&taille=1000``),
    /api/v2/exports/{org}/demandeurs (``page=..&taille=5000``),
    /api/v2/referentiels/*, /api/v2/admin/*, /api/v2/moi, /api/v2/statut,
    /healthz.
time-taken
    Milliseconds.  sc-bytes / cs-bytes: bytes sent / received.

Time zone
---------
The organisations work in Europe/Paris local time (CET, CEST from
2027-03-28 01:00 UTC); the log itself is UTC throughout.

Ground truth (not part of the log)
----------------------------------
``--labels`` receives a JSON document describing the period, the injected
incidents and the injected unusual-but-legitimate situations; accounts in it
are spelled exactly as in ``cs-username`` (``DOMAIN\\login`` or the UPN),
organisations exactly as in ``X-Org-Id``; times are RFC 3339 with the Paris
offset.  ``events`` counts complete entries of the log (every entry,
anonymous ones included; partial entries excluded), ``records`` sums their
numeric X-Result-Count.  ``--notes`` receives free-text details.
"""

import argparse
import bisect
import datetime as _dt
import json
import math
import os
import random

# --------------------------------------------------------------------------
# calendar / time
# --------------------------------------------------------------------------
UTC = _dt.timezone.utc
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=UTC)


def _epoch(y, m, d, hh=0, mi=0, ss=0):
    return int((_dt.datetime(y, m, d, hh, mi, ss, tzinfo=UTC) - _EPOCH).total_seconds())


DAYS = 56
DAY0 = _dt.date(2027, 3, 1)                      # a Monday
DATES = [DAY0 + _dt.timedelta(days=i) for i in range(DAYS)]
WD = [x.weekday() for x in DATES]
DAY0_NAIVE = _epoch(2027, 3, 1)
DST_START = _epoch(2027, 3, 28, 1)
DST_END = _epoch(2027, 10, 31, 1)
FILE0 = _epoch(2027, 2, 28)                      # first UTC file day


def utc_offset(ts):
    return 7200 if DST_START <= ts < DST_END else 3600


def local_ts(day, sec):
    """UTC epoch seconds of local (Europe/Paris) day index + seconds."""
    naive = DAY0_NAIVE + day * 86400 + sec
    u = naive - 3600
    if u < DST_START:
        return u
    u2 = naive - 7200
    return u2 if u2 >= DST_START else u


PERIOD_START = local_ts(0, 0)
PERIOD_END = local_ts(DAYS, 0)


def local_day(ts):
    return int((ts + utc_offset(ts) - DAY0_NAIVE) // 86400)


def rfc3339(ts):
    ts = int(ts)
    off = utc_offset(ts)
    s = _dt.datetime.fromtimestamp(ts + off, UTC).strftime('%Y-%m-%dT%H:%M:%S')
    return s + ('+02:00' if off == 7200 else '+01:00')


def dix(y, m, d):
    return (_dt.date(y, m, d) - DAY0).days


EASTER_MON = dix(2027, 3, 29)
GOOD_FRI = dix(2027, 3, 26)          # public holiday in Alsace-Moselle only
STRIKE = dix(2027, 3, 18)
DST_DAY = dix(2027, 3, 28)
MONDAYS = [d for d in range(DAYS) if WD[d] == 0]

SCHOOL = {  # modelled school-holiday calendar 2027 (Saturday..Sunday)
    'A': [(_dt.date(2027, 2, 13), _dt.date(2027, 2, 28)), (_dt.date(2027, 4, 10), _dt.date(2027, 4, 25))],
    'B': [(_dt.date(2027, 2, 20), _dt.date(2027, 3, 7)), (_dt.date(2027, 4, 17), _dt.date(2027, 5, 2))],
    'C': [(_dt.date(2027, 2, 6), _dt.date(2027, 2, 21)), (_dt.date(2027, 4, 3), _dt.date(2027, 4, 18))],
}
SCHOOL_DAYS = {z: set(d for d in range(DAYS) for a, b in v if a <= DATES[d] <= b) for z, v in SCHOOL.items()}


def is_workday(d, alsace=False):
    return WD[d] < 5 and d != EASTER_MON and not (alsace and d == GOOD_FRI)


# --------------------------------------------------------------------------
# static vocabularies
# --------------------------------------------------------------------------
DEPS = [('75', 'C'), ('77', 'C'), ('78', 'C'), ('91', 'C'), ('92', 'C'), ('93', 'C'), ('94', 'C'), ('95', 'C'),
        ('31', 'C'), ('34', 'C'), ('30', 'C'), ('66', 'C'), ('11', 'C'),
        ('59', 'B'), ('62', 'B'), ('80', 'B'), ('76', 'B'), ('14', 'B'), ('35', 'B'), ('29', 'B'), ('56', 'B'),
        ('44', 'B'), ('49', 'B'), ('45', 'B'), ('37', 'B'), ('51', 'B'), ('54', 'B'), ('57', 'B'), ('67', 'B'),
        ('68', 'B'), ('13', 'B'), ('83', 'B'), ('06', 'B'), ('84', 'B'),
        ('69', 'A'), ('42', 'A'), ('38', 'A'), ('73', 'A'), ('74', 'A'), ('63', 'A'), ('21', 'A'), ('25', 'A'),
        ('33', 'A'), ('64', 'A'), ('24', 'A'), ('86', 'A'), ('17', 'A'), ('87', 'A')]
ALSACE_MOSELLE = {'57', '67', '68'}
REGION = {'75': '11', '77': '11', '78': '11', '91': '11', '92': '11', '93': '11', '94': '11', '95': '11',
          '31': '76', '34': '76', '30': '76', '66': '76', '11': '76', '59': '32', '62': '32', '80': '32',
          '76': '28', '14': '28', '35': '53', '29': '53', '56': '53', '44': '52', '49': '52', '45': '24',
          '37': '24', '51': '44', '54': '44', '57': '44', '67': '44', '68': '44', '13': '93', '83': '93',
          '06': '93', '84': '93', '69': '84', '42': '84', '38': '84', '73': '84', '74': '84', '63': '84',
          '21': '27', '25': '27', '33': '75', '64': '75', '24': '75', '86': '75', '17': '75', '87': '75'}

FIRST = ("jean marie pierre michel philippe nathalie isabelle sylvie catherine christine sandrine nicolas "
         "stephane laurent david julien sebastien thomas camille julie sophie aurelie celine emilie elodie laura "
         "lea manon chloe sarah ines yasmine nadia karim mehdi sofiane rachid samir fatima leila amina mohamed "
         "kevin anthony maxime romain guillaume alexandre antoine vincent olivier frederic christophe patrick "
         "thierry pascal eric gilles herve didier bruno alain franck cedric jerome mathieu benoit arnaud fabrice "
         "ludovic gaelle morgane audrey marion pauline claire anne helene agnes veronique valerie corinne "
         "virginie delphine stephanie caroline melanie marine justine charlotte oceane clement hugo lucas louis "
         "paul magali karine severine laetitia jessica mickael yannick florence martine brigitte").split()
LAST = ("martin bernard dubois thomas robert richard petit durand leroy moreau simon laurent lefebvre michel "
        "garcia david bertrand roux vincent fournier morel girard andre lefevre mercier dupont lambert bonnet "
        "francois martinez legrand garnier faure rousseau blanc guerin muller henry roussel nicolas perrin morin "
        "mathieu clement gauthier dumont lopez fontaine chevalier robin masson sanchez gerard nguyen boyer denis "
        "lemaire duval joly gautier roger roche roy noel meyer lucas meunier jean perez marchand dufour "
        "blanchard marie barbier brun dumas brunet schmitt leroux colin fernandez pierre renard arnaud rolland "
        "caron aubert giraud leclerc vidal bourgeois renaud lemoine picard gaillard philippe leclercq lacroix "
        "fabre dupuis olivier rodriguez da_silva hubert louis charles guillot riviere le_gall guillaume adam rey "
        "moulin gonzalez berger lecomte menard fleury deschamps carpentier julien benard paris maillard marchal "
        "aubry vasseur le_roux renault jacquet collet prevost poirier charpentier royer huet baron dupuy pons "
        "paul laine carre breton remy schneider perrot guyot barre marty cousin benali haddad bensaid diallo "
        "traore kone mendes ferreira tessier hoarau payet grondin le_bihan kerboriou").split()
LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ'

S_IP = '10.20.4.21'
LB_SNAT = ('10.20.1.11', '10.20.1.12')
HC_IPS = ('10.20.1.2', '10.20.1.3')
FIELDS = ('date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs-version '
          'cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken '
          'X-Forwarded-For X-Org-Id X-Result-Count')
PORTAL = 'https://portail.partenaires-emploi.fr/'
REFS = {'recherche': PORTAL + 'recherche', 'dossier': PORTAL + 'dossier', 'portefeuille': PORTAL + 'portefeuille',
        'equipe': PORTAL + 'equipe', 'admin': PORTAL + 'administration', 'accueil': PORTAL, 'rdv': PORTAL + 'agenda'}

UA_CHROME = 'Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/%d.0.0.0+Safari/537.36'
UA_EDGE = UA_CHROME + '+Edg/%d.0.%d.%d'
UA_FFESR = 'Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64;+rv:140.0)+Gecko/20100101+Firefox/140.0'
UA_FF = 'Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64;+rv:%d.0)+Gecko/20100101+Firefox/%d.0'
UA_MAC = 'Mozilla/5.0+(Macintosh;+Intel+Mac+OS+X+10_15_7)+AppleWebKit/605.1.15+(KHTML,+like+Gecko)+Version/19.3+Safari/605.1.15'
UA_IMILO = 'iMiloConnect/4.2.1+(Windows+NT+10.0;+.NET+8.0.11)'
UA_SOLIS = 'SolisInsertion/9.4.2+(WinHTTP)'
SVC_UAS = ['Apache-HttpClient/5.2.1+(Java/17.0.9)', 'Apache-HttpClient/4.5.14+(Java/11.0.21)', 'curl/8.4.0',
           'Mozilla/5.0+(Windows+NT;+Windows+NT+10.0;+fr-FR)+WindowsPowerShell/5.1.17763.6414',
           'python-requests/2.31.0', 'Talend-ESB/8.0.1', 'okhttp/4.12.0', 'Go-http-client/1.1',
           'Microsoft.Data.Mashup+(https://go.microsoft.com/fwlink/?LinkID=304225)', 'axios/1.6.8']
NOISE = [('GET', '/.env', 404, 0, 2), ('GET', '/wp-login.php', 404, 0, 2), ('GET', '/robots.txt', 404, 0, 2),
         ('GET', '/favicon.ico', 404, 0, 2), ('GET', '/api/v2/swagger.json', 401, 2, 5),
         ('POST', '/api/v2/demandeurs/recherche', 401, 2, 5), ('GET', '/.git/config', 404, 0, 2),
         ('GET', '/owa/auth/logon.aspx', 404, 0, 2), ('HEAD', '/', 403, 14, 0), ('GET', '/actuator/health', 404, 0, 2)]
NOISE_UA = ['Mozilla/5.0+zgrab/0.x', 'Mozilla/5.0+(compatible;+CensysInspect/1.1;++https://about.censys.io/)',
            'curl/7.68.0', 'python-requests/2.25.1', '-', 'Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)']

ROLE_BASE = {'conseiller': 30.0, 'accueil': 26.0, 'manager': 10.0, 'admin': 8.0, 'formateur': 8.0}
DOW_MULT = [1.28, 1.05, 0.93, 1.0, 0.82, 0.0, 0.0]
STRIKE_P = {'CD': 0.32, 'CAF': 0.30, 'CCAS': 0.28, 'ML': 0.12, 'CAPE': 0.08, 'OF': 0.03}


def pub_ip(rng, kind):
    if kind == 'org':
        a = rng.choice([193, 194, 195, 212, 213, 217, 80, 81, 62, 109, 185, 91])
        return '%d.%d.%d.%d' % (a, rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254))
    if kind == 'home':
        if rng.random() < 0.25:
            return '2a01:cb%02x:%x:%x:%x:%x:%x:%x' % (rng.randint(0, 255), rng.randint(0x100, 0xffff),
                                                      rng.randint(0, 0xffff), rng.randint(0, 0xffff),
                                                      rng.randint(0, 0xffff), rng.randint(0, 0xffff),
                                                      rng.randint(0, 0xffff))
        a = rng.choice([90, 86, 88, 92, 109, 176, 78, 82, 83, 91, 93, 37, 79])
        return '%d.%d.%d.%d' % (a, rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254))
    if kind == 'dc':
        a = rng.choice(['194.5', '212.83', '185.24', '213.32', '195.154', '62.210'])
        return '%s.%d.%d' % (a, rng.randint(0, 255), rng.randint(1, 254))
    # hosting / vpn ranges
    a = rng.choice(['185.220.101', '45.134.26', '51.75.64', '146.70.117', '193.32.127', '89.187.163',
                    '91.219.236', '104.244.75', '5.252.118', '162.247.74'])
    return '%s.%d' % (a, rng.randint(2, 250))


# --------------------------------------------------------------------------
# model objects
# --------------------------------------------------------------------------
class Org:
    __slots__ = ('code', 'kind', 'dep', 'zone', 'alsace', 'ips', 'proxy', 'client', 'domain', 'persons', 'legacy')

    def __init__(self, kind, code, dep):
        self.code, self.kind, self.dep = code, kind, dep
        self.zone = dict(DEPS)[dep]
        self.alsace = dep in ALSACE_MOSELLE
        self.persons = []
        self.domain = 'PARTENAIRES'


class Person:
    __slots__ = ('user', 'org', 'role', 'base', 'offday', 'halfday', 'start', 'end', 'lunch', 'evening',
                 'weekend', 'tt_days', 'home_ip', 'org_xff', 'ua0', 'ua1', 'uasw', 'browser', 'caseload',
                 'join', 'leave', 'absent', 'mult', 'tasks', 'kids', 'shared', 'team', 'team_records',
                 'busy', 'pid', 'psize')

    def __init__(self):
        self.absent = set()
        self.mult = {}
        self.tasks = {}
        self.busy = set()
        self.join = 0
        self.leave = DAYS
        self.shared = False
        self.evening = False
        self.weekend = False
        self.offday = -1
        self.halfday = -1
        self.tt_days = ()
        self.caseload = 0
        self.team = None
        self.team_records = 0

    def add_mult(self, d, m):
        self.mult[d] = self.mult.get(d, 1.0) * m
        self.busy.add(d)

    def add_task(self, d, t):
        self.tasks.setdefault(d, set()).add(t)
        self.busy.add(d)


def mk_login(rng, used, style):
    first, last = rng.choice(FIRST), rng.choice(LAST).replace('_', '')
    base = (first[0] + last) if style == 'i' else (first + '.' + last)
    base = base[:20]
    login, k = base, 2
    while login in used:
        login = base + str(k)
        k += 1
    used.add(login)
    return login


def browser_uas(rng):
    r = rng.random()
    lag = rng.randint(0, 9)
    if r < 0.45:
        return UA_CHROME % 160, UA_CHROME % 161, 22 + lag
    if r < 0.85:
        b = rng.randint(40, 90)
        return (UA_EDGE % (160, 160, 3400, b), UA_EDGE % (161, 161, 3500, rng.randint(20, 60)), 27 + lag)
    if r < 0.95:
        return UA_FFESR, UA_FFESR, DAYS
    if r < 0.98:
        return UA_FF % (152, 152), UA_FF % (153, 153), 29 + lag
    return UA_MAC, UA_MAC, DAYS


def make_person(rng, org, role, used, style):
    p = Person()
    p.org = org
    p.role = role
    login = mk_login(rng, used, style)
    p.user = '%s\\%s' % (org.domain, login)
    med = ROLE_BASE[role]
    if role == 'conseiller':
        med *= {'CD': 0.85, 'CAF': 1.15, 'ML': 1.05, 'CAPE': 1.0, 'CCAS': 0.8, 'OF': 0.5}[org.kind]
    p.base = med * rng.lognormvariate(0.0, 0.42)
    r = rng.random()
    if r < 0.14:
        p.offday = rng.choice([2, 2, 2, 4, 4, 0])
    elif r < 0.19:
        p.halfday = rng.choice([2, 4, 1, 3])
    p.start = rng.uniform(7.8, 9.5)
    p.end = min(19.2, p.start + rng.uniform(7.6, 9.3))
    p.lunch = rng.uniform(11.85, 12.9)
    p.kids = rng.random() < 0.45
    if role in ('conseiller', 'manager', 'admin', 'formateur') and rng.random() < 0.4:
        p.tt_days = tuple(rng.sample([0, 1, 2, 3, 4, 4, 2], rng.choice([1, 1, 2])))
    p.home_ip = pub_ip(rng, 'home')
    ip = rng.choice(org.ips)
    p.org_xff = ip + (org.proxy if org.proxy else '')
    if org.client != 'browser' and rng.random() < (0.85 if role in ('conseiller', 'accueil') else 0.3):
        ua = UA_IMILO if org.client == 'imilo' else UA_SOLIS
        p.ua0 = p.ua1 = ua
        p.uasw = DAYS
        p.browser = False
    else:
        p.ua0, p.ua1, p.uasw = browser_uas(rng)
        p.browser = True
    if role == 'conseiller':
        p.caseload = {'ML': rng.randint(70, 200), 'CAPE': rng.randint(50, 130), 'CD': rng.randint(80, 190),
                      'CCAS': rng.randint(30, 90), 'CAF': 0, 'OF': 0}[org.kind]
    elif role == 'formateur':
        p.caseload = rng.randint(10, 40)
    p.pid = len(used)
    p.psize = 50 if rng.random() < 0.2 else 20
    return p


# --------------------------------------------------------------------------
# population
# --------------------------------------------------------------------------
def build_population(seed):
    rng = random.Random('altgen10/%d/population' % seed)
    used = set()
    deps = [d for d, _ in DEPS]
    orgs = []
    for dep in rng.sample(deps, rng.randint(12, 19)):
        orgs.append(Org('CAPE', 'CAPE' + dep, dep))
    codes = set()
    for _ in range(rng.randint(28, 48)):
        while True:
            dep = rng.choice(deps)
            code = 'ML%s%03d' % (dep, rng.randint(1, 60))
            if code not in codes:
                codes.add(code)
                break
        orgs.append(Org('ML', code, dep))
    for dep in rng.sample(deps, rng.randint(8, 13)):
        orgs.append(Org('CD', 'CD%03d' % int(dep), dep))
    for dep in rng.sample(deps, rng.randint(4, 7)):
        orgs.append(Org('CAF', 'CAF%s%d' % (dep, rng.choice([1, 1, 1, 2])), dep))
    for _ in range(rng.randint(10, 22)):
        dep = rng.choice(deps)
        orgs.append(Org('OF', 'OF%s%s%07d' % (REGION[dep], dep, rng.randrange(10 ** 7)), dep))
    for _ in range(rng.randint(4, 9)):
        dep = rng.choice(deps)
        orgs.append(Org('CCAS', 'CCAS%s%03d' % (dep, rng.randint(1, 400)), dep))
    cds = [o for o in orgs if o.kind == 'CD']
    for o in rng.sample(cds, 2):
        o.domain = 'CD%d' % int(o.dep)
    sizes = []
    for o in orgs:
        o.ips = [pub_ip(rng, 'org') for _ in range(rng.choice([1, 1, 2, 3]))]
        o.proxy = (',+10.%d.%d.%d' % (rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254))
                   if rng.random() < 0.15 else '')
        o.client = 'browser'
        if o.kind == 'ML' and rng.random() < 0.4:
            o.client = 'imilo'
        elif o.kind == 'CD' and rng.random() < 0.5:
            o.client = 'solis'
        o.legacy = rng.random() < 0.2
        med, sig, lo, hi = {'CAPE': (14, .4, 6, 30), 'ML': (15, .5, 5, 42), 'CD': (36, .4, 18, 80),
                            'CAF': (15, .4, 7, 32), 'OF': (4, .4, 2, 8), 'CCAS': (6, .3, 3, 10)}[o.kind]
        sizes.append(max(lo, min(hi, int(med * rng.lognormvariate(0, sig)))))
    tot = sum(sizes)
    if tot > 1850:
        sizes = [max(2, int(s * 1850 / tot)) for s in sizes]
    persons = []
    for o, size in zip(orgs, sizes):
        style = 'd' if o.legacy else 'i'
        n_mgr = max(1, int(round(size / 10.0)))
        n_adm = 1 if size >= 8 else 0
        acc_share = {'CAPE': .15, 'ML': .15, 'CD': .08, 'CAF': .25, 'OF': 0.0, 'CCAS': .3}[o.kind]
        n_acc = int(round(size * acc_share))
        roles = ['manager'] * n_mgr + ['admin'] * n_adm + ['accueil'] * n_acc
        other = 'formateur' if o.kind == 'OF' else 'conseiller'
        roles += [other] * max(1, size - len(roles))
        for role in roles:
            p = make_person(rng, o, role, used, style)
            o.persons.append(p)
            persons.append(p)
        mgrs = [p for p in o.persons if p.role == 'manager']
        cs = sum(p.caseload for p in o.persons if p.role in ('conseiller', 'formateur'))
        for k, m in enumerate(mgrs):
            m.team = '%s-EQ%d' % (o.code, k + 1)
            m.team_records = max(150, min(5200, cs // len(mgrs) if cs else rng.randint(200, 900)))
    # evening / weekend workers
    for p in persons:
        if p.role in ('conseiller', 'manager', 'formateur') and rng.random() < 0.03:
            p.evening = True
        if p.role in ('conseiller', 'manager') and rng.random() < 0.015:
            p.weekend = True
    # shared reception logins
    cands = [o for o in orgs if o.kind in ('ML', 'CCAS') and not o.legacy]
    shared = []
    for o in rng.sample(cands, min(2, len(cands))):
        p = make_person(rng, o, 'accueil', used, 'i')
        login = 'accueil.%s' % o.code.lower()
        used.add(login)
        p.user = '%s\\%s' % (o.domain, login)
        p.base *= 2.6
        p.shared = True
        p.tt_days = ()
        p.start, p.end = 8.3, 17.6
        o.persons.append(p)
        persons.append(p)
        shared.append(p)
    return orgs, persons, used, shared


# --------------------------------------------------------------------------
# technical accounts
# --------------------------------------------------------------------------
def build_services(seed, orgs):
    rng = random.Random('altgen10/%d/services' % seed)
    svcs = []

    def add(user, org, kind, base, at, utc=False, wd=None, page=1000, frm=0, ua=None, note=''):
        s = dict(user=user, org=org, kind=kind, base=base, at=at, utc=utc, wd=wd, page=page, frm=frm,
                 ua=ua or rng.choice(SVC_UAS[:7]), ip=pub_ip(rng, 'dc'), fail=set(), backlog=0,
                 resync=None, note=note)
        svcs.append(s)
        return s

    for o in orgs:
        n = len(o.persons)
        c = o.code.lower()
        if o.kind == 'CD':
            add('svc-sync-%s@partenaires.local' % c, o.code, 'nightly', int(n * rng.uniform(12, 60)),
                rng.uniform(1.5, 4.5), utc=rng.random() < 0.5, note='nightly change feed for the SI insertion')
            if rng.random() < 0.55:
                add('svc-export-%s@partenaires.local' % c, o.code, 'weekly', int(rng.uniform(15000, 60000)),
                    rng.uniform(2.5, 5.0), utc=rng.random() < 0.4, wd=6, page=5000,
                    note='weekly full export of the RSA caseload')
        elif o.kind == 'CAF':
            add('svc-flux-%s@partenaires.local' % c, o.code, 'nightly', int(rng.uniform(800, 4000)),
                rng.uniform(0.5, 3.0), utc=rng.random() < 0.5, note='nightly change feed')
            add('svc-siweb-%s@partenaires.local' % c, o.code, 'bizapi', int(rng.uniform(220, 650)), 0,
                ua='Apache-HttpClient/4.5.14+(Java/11.0.21)', note='case-management back-end, one call per file')
            if rng.random() < 0.45:
                add('svc-stats-%s@partenaires.local' % c, o.code, 'monthly', int(rng.uniform(20000, 70000)),
                    rng.uniform(4.0, 6.0), page=5000, note='monthly statistics extraction (1st of month)')
    add('svc-imilo-sync@partenaires.local', 'UNML', 'nightly', int(rng.uniform(8000, 20000)), 1.5, utc=True,
        ua='Apache-HttpClient/5.2.1+(Java/17.0.9)', note='national mission-locale software sync, cron in UTC')
    add('svc-cheops-flux@partenaires.local', 'CHEOPS', 'nightly', int(rng.uniform(3000, 9000)),
        rng.uniform(3.0, 4.0), note='national Cap emploi software sync')
    add('svc-cheops-stats@partenaires.local', 'CHEOPS', 'monthly', int(rng.uniform(25000, 45000)), 5.5, page=5000,
        note='monthly national Cap emploi statistics')
    mls = sorted([o for o in orgs if o.kind == 'ML'], key=lambda o: -len(o.persons))[:rng.randint(2, 5)]
    for o in mls:
        add('svc-pilotage-%s@partenaires.local' % o.code.lower(), o.code, 'weekly', int(rng.uniform(1500, 7000)),
            rng.uniform(6.0, 7.0), wd=0, page=5000, ua='Microsoft.Data.Mashup+(https://go.microsoft.com/fwlink/?LinkID=304225)',
            note='Monday-morning dashboard refresh (BI tool)')
    ofs = [o for o in orgs if o.kind == 'OF']
    for o in rng.sample(ofs, min(len(ofs), rng.randint(2, 4))):
        add('svc-lms-%s@partenaires.local' % o.code.lower(), o.code, 'weekly', int(rng.uniform(300, 2500)),
            rng.uniform(18.5, 20.5), wd=4, page=1000, ua='python-requests/2.31.0',
            note='Friday-evening learner sync of the training platform')
    add('svc-stats-dsi@partenaires.local', 'DSI-PART', 'monthly', int(rng.uniform(40000, 90000)), 5.0, page=5000,
        ua='Talend-ESB/8.0.1', note='operator monthly activity statistics')
    add('svc-sonde@partenaires.local', 'DSI-PART', 'probe', 0, 0,
        ua='check_http/v2.4.9+(monitoring-plugins+2.4.9)', note='synthetic monitoring, test person every 5 min')
    return svcs


# --------------------------------------------------------------------------
# output sink
# --------------------------------------------------------------------------
class Sink:
    def __init__(self, outages):
        self.buckets = {}
        self.drop = [(o['start'], o['end']) for o in outages]
        self.pre = [(o['pre'], o['start']) for o in outages if o['kind'] == 'crash']

    def emit(self, ts, method, stem, query, user, ua, ref, status, sub, win, scb, csb, tt, xff, org, cnt,
             atk=None, cip=None, ver='HTTP/1.1'):
        if ts < PERIOD_START or ts >= PERIOD_END:
            return
        for a, b in self.drop:
            if a <= ts < b:
                return
        for a, b in self.pre:
            if a <= ts < b and stem != '/healthz' and status < 400:
                status, sub, win, cnt = 500, 0, 0, None
                tt = 20000 + int(ts * 997) % 10000
                scb = 1208 + int(ts * 31) % 90
        if cip is None:
            cip = LB_SNAT[int(ts * 10) & 1]
        c = '-' if cnt is None else cnt
        body = '%s %s %s %s 443 %s %s %s %s %s %s %s %s %s %s %s %s %s %s' % (
            S_IP, method, stem, query, user, cip, ver, ua, ref, status, sub, win, scb, csb, tt, xff, org, c)
        fi = int((ts - FILE0) // 86400)
        lst = self.buckets.get(fi)
        if lst is None:
            lst = self.buckets[fi] = []
        lst.append((ts, body, user, -1 if cnt is None else cnt, atk))


class Collect:
    """Stand-in sink used to estimate typical volumes (no output)."""

    def __init__(self):
        self.total = 0

    def emit(self, ts, method, stem, query, user, ua, ref, status, sub, win, scb, csb, tt, xff, org, cnt,
             atk=None, cip=None, ver=None):
        if cnt:
            self.total += cnt


TIMES = ['%02d:%02d:%02d' % (h, m, s) for h in range(24) for m in range(60) for s in range(60)]


def directive(date_s, time_s):
    return ('#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: %s %s\n#Fields: %s'
            % (date_s, time_s, FIELDS))


class Writer:
    def __init__(self, outdir, outages, seed, track):
        self.outdir = outdir
        self.all = open(os.path.join(outdir, 'ALL.log'), 'w', encoding='utf-8', newline='\n')
        self.all_started = False
        self.crashes = [o for o in outages if o['kind'] == 'crash']
        self.restarts = sorted(o['end'] for o in outages)
        self.rng = random.Random('altgen10/%d/writer' % seed)
        self.events = 0
        self.records = 0
        self.users = set()
        self.atk = {}
        self.track = track
        self.daily = {}
        self.truncated = []
        self.files = 0

    def flush(self, fi, items):
        items.sort(key=lambda x: x[0])
        day = _dt.date(2027, 2, 28) + _dt.timedelta(days=fi)
        ds = day.isoformat()
        fname = 'u_ex%s_x.log' % day.strftime('%y%m%d')
        day0 = FILE0 + fi * 86400
        tss = [x[0] for x in items]
        trunc = set()
        for o in self.crashes:
            if day0 <= o['start'] < day0 + 86400:
                k = bisect.bisect_left(tss, o['start']) - 1
                if k >= 0:
                    trunc.add(k)
        rs = [r for r in self.restarts if day0 <= r < day0 + 86400]
        rp = 0
        out = []
        allout = []
        for k, (ts, body, user, cnt, atk) in enumerate(items):
            ts_i = int(ts)
            tstr = TIMES[ts_i - day0]
            if not out:
                out.append(directive(ds, tstr))
                if not self.all_started:
                    allout.append(directive(ds, tstr))
                    self.all_started = True
            while rp < len(rs) and ts >= rs[rp]:
                if len(out) > 1:
                    out.append(directive(ds, tstr))
                rp += 1
            line = ds + ' ' + tstr + ' ' + body
            if k in trunc:
                cut = int(len(line) * self.rng.uniform(0.35, 0.85))
                line = line[:cut]
                out.append(line)
                allout.append(line)
                self.truncated.append(dict(file=fname, time=ds + ' ' + tstr, user=user, attack=atk))
                continue
            out.append(line)
            allout.append(line)
            self.events += 1
            if cnt > 0:
                self.records += cnt
            if user != '-':
                self.users.add(user)
            if atk is not None:
                st = self.atk.get(atk)
                if st is None:
                    st = self.atk[atk] = [0, 0, ts, ts]
                st[0] += 1
                st[1] += max(cnt, 0)
                st[2] = min(st[2], ts)
                st[3] = max(st[3], ts)
            elif user in self.track:
                key = (user, local_day(ts))
                self.daily[key] = self.daily.get(key, 0) + max(cnt, 0)
        if out:
            with open(os.path.join(self.outdir, fname), 'w', encoding='utf-8', newline='\n') as f:
                f.write('\n'.join(out))
                f.write('\n')
            self.files += 1
        if allout:
            self.all.write('\n'.join(allout))
            self.all.write('\n')

    def close(self):
        self.all.close()


# --------------------------------------------------------------------------
# request building blocks
# --------------------------------------------------------------------------
NAMEQ = []
for _n in LAST:
    _u = _n.upper().replace('_', '%20')
    NAMEQ.append(_u)
    NAMEQ.append(_u[:max(3, len(_u) - 2)] + '*')
FIRSTQ = [f.upper() for f in FIRST]
SUBRES = ['situation', 'parcours', 'formations', 'rendez-vous']
REFERENTIELS = [('/api/v2/referentiels/communes', 'cp=%05d'), ('/api/v2/referentiels/rome', 'q=%s'),
                ('/api/v2/referentiels/motifs-rdv', '-'), ('/api/v2/referentiels/structures', 'dep=%s')]


def pid(rng):
    return '%07d%s' % (rng.randrange(10000000), LETTERS[rng.randrange(len(LETTERS))])


def search_count(rng, size):
    r = rng.random()
    if r < 0.16:
        return 0
    if r < 0.50:
        return 1
    if r < 0.74:
        return rng.randint(2, 5)
    if r < 0.93:
        return rng.randint(6, size - 1)
    return size


def a_search(rng, size=20):
    r = rng.random()
    if r < 0.12:
        return ('GET', '/api/v2/demandeurs', 'identifiant=' + pid(rng), 1 if rng.random() < 0.85 else 0)
    if r < 0.16:
        q = 'codePostal=%05d&statut=inscrit&page=1&taille=%d' % (rng.randint(1000, 95999), size)
        return ('GET', '/api/v2/demandeurs', q, size if rng.random() < 0.7 else rng.randint(0, size))
    nq = NAMEQ[rng.randrange(len(NAMEQ))]
    if r < 0.55:
        q = 'nom=%s&page=1&taille=%d' % (nq, size)
    elif r < 0.8:
        q = 'nom=%s&prenom=%s&page=1&taille=%d' % (nq, FIRSTQ[rng.randrange(len(FIRSTQ))], size)
    else:
        q = 'nom=%s&dateNaissance=%d-%02d-%02d&page=1&taille=%d' % (
            nq, rng.randint(1962, 2009), rng.randint(1, 12), rng.randint(1, 28), size)
    return ('GET', '/api/v2/demandeurs', q, search_count(rng, size))


def b_search(p, rng, size=20):
    m, s, q, c = a_search(rng, size)
    acts = [(0.0, m, s, q, c, 140, 'recherche', 200)]
    if c == size and rng.random() < 0.35:
        acts.append((rng.uniform(4, 30), m, s, q.replace('page=1', 'page=2'), rng.randint(1, size), 140,
                     'recherche', 200))
    if c:
        k = min(c, 1 + int(rng.expovariate(1.3)))
        for _ in range(k):
            acts.extend(b_dossier(p, rng, lead=rng.uniform(3, 45)))
    return acts


def b_dossier(p, rng, lead=0.0):
    i = pid(rng)
    if rng.random() < 0.02:
        return [(lead, 'GET', '/api/v2/demandeurs/' + i, '-', 0, 45, 'dossier', 404)]
    acts = [(lead, 'GET', '/api/v2/demandeurs/' + i, '-', 1, 45, 'dossier', 200)]
    r = rng.random()
    nsub = 0 if r < 0.35 else (1 if r < 0.7 else (2 if r < 0.92 else 3))
    for sr in rng.sample(SUBRES, nsub):
        acts.append((rng.uniform(1.5, 25), 'GET', '/api/v2/demandeurs/%s/%s' % (i, sr), '-',
                     1 if sr == 'situation' else None, 60, 'dossier', 200))
    return acts


def b_ref(p, rng):
    stem, q = REFERENTIELS[rng.randrange(len(REFERENTIELS))]
    if '%05d' in q:
        q = q % (int(p.org.dep) * 1000 + rng.randint(0, 999))
    elif '%s' in q:
        q = q % (p.org.dep if 'dep' in q else rng.choice(['M1607', 'K1801', 'N1103', 'G1603', 'J1501']))
    return [(0.0, 'GET', stem, q, None, 30, 'accueil', 200)]


def b_rdv(p, rng):
    i = pid(rng)
    return [(0.0, 'GET', '/api/v2/demandeurs/' + i, '-', 1, 45, 'rdv', 200),
            (rng.uniform(20, 120), 'POST', '/api/v2/demandeurs/%s/rendez-vous' % i, '-', None, 90, 'rdv', 201)]


def b_portfolio(p, rng, full):
    pages = int(math.ceil(p.caseload / 50.0)) if full else 1
    acts = []
    for pg in range(1, pages + 1):
        c = min(50, p.caseload - (pg - 1) * 50)
        acts.append((0.0 if pg == 1 else rng.uniform(2, 14), 'GET', '/api/v2/conseillers/moi/portefeuille',
                     'page=%d&taille=50&tri=prochainRdv' % pg, c, 260, 'portefeuille', 200))
    return acts


def b_team(p, rng, full):
    n = p.team_records
    pages = int(math.ceil(n / 100.0)) if full else 1
    acts = []
    for pg in range(1, pages + 1):
        c = min(100, n - (pg - 1) * 100)
        acts.append((0.0 if pg == 1 else rng.uniform(2, 10), 'GET', '/api/v2/equipes/%s/portefeuille' % p.team,
                     'page=%d&taille=100' % pg, c, 380, 'equipe', 200))
    return acts


def b_indic(p, rng, d):
    return [(0.0, 'GET', '/api/v2/equipes/%s/indicateurs' % p.team,
             'periode=%s' % DATES[d].strftime('%Y-%m'), None, 420, 'equipe', 200)]


def b_admin(p, rng):
    if rng.random() < 0.15:
        return [(0.0, 'POST', '/api/v2/admin/habilitations', '-', None, 150, 'admin', 201)]
    return [(0.0, 'GET', '/api/v2/admin/utilisateurs', 'structure=%s&page=1' % p.org.code, None, 110, 'admin', 200)]


def make_burst(p, rng, d):
    r = rng.random()
    role = p.role
    if role == 'conseiller':
        if r < 0.52:
            return b_search(p, rng, p.psize)
        if r < 0.78:
            return b_dossier(p, rng)
        if r < 0.86 and p.caseload:
            return b_portfolio(p, rng, False)
        if r < 0.93:
            return b_ref(p, rng)
        return b_rdv(p, rng)
    if role == 'accueil':
        if r < 0.68:
            return b_search(p, rng, 10)
        if r < 0.82:
            return b_dossier(p, rng)
        if r < 0.94:
            return b_rdv(p, rng)
        return b_ref(p, rng)
    if role == 'manager':
        if r < 0.32:
            return b_indic(p, rng, d)
        if r < 0.62:
            return b_search(p, rng, p.psize)
        if r < 0.80:
            return b_dossier(p, rng)
        if r < 0.92:
            return b_team(p, rng, False)
        return b_ref(p, rng)
    if role == 'admin':
        if r < 0.6:
            return b_admin(p, rng)
        if r < 0.85:
            return b_search(p, rng)
        return b_dossier(p, rng)
    # formateur
    if r < 0.45:
        return b_search(p, rng)
    if r < 0.8:
        return b_dossier(p, rng)
    if r < 0.9 and p.caseload:
        return b_portfolio(p, rng, False)
    return b_ref(p, rng)


def special_bursts(p, rng, d, tasks):
    out = []
    for t in sorted(tasks):
        if t == 'portfolio_full' and p.caseload:
            out.append(b_portfolio(p, rng, True))
        elif t in ('monthend', 'quarterend') and p.team:
            out.append(b_indic(p, rng, d) + b_team(p, rng, True))
            if t == 'quarterend':
                out.append([(0.0, 'GET', '/api/v2/equipes/%s/export' % p.team, 'format=csv&periode=2027-T1',
                             p.team_records, 6000, 'equipe', 200)])
        elif t == 'audit':
            acts = []
            for k in range(rng.randint(2, 3)):
                acts.append((0.0 if k == 0 else rng.uniform(60, 900), 'GET', '/api/v2/controle/echantillon',
                             'taille=500&graine=%d' % rng.randint(1000, 99999), 500, 5000, 'admin', 200))
            out.append(acts)
    return out


def emit_action(sink, rng, ts, act, user, ua, ref_on, xff, org, atk=None):
    gap, method, stem, query, cnt, ttb, refk, status = act
    sub = win = 0
    r = rng.random()
    if r < 0.0012:
        status, cnt = 500, None
        ttb *= 8
    elif r < 0.003 and stem.startswith('/api/v2/demandeurs/'):
        status, cnt = 403, None
    elif r < 0.0045:
        win = 64 if r < 0.004 else 1236
    tt = int(ttb * rng.lognormvariate(0.0, 0.45)) + (int(cnt * 1.4) if cnt else 0)
    if cnt is None:
        scb = 180 + rng.randrange(3200)
    else:
        scb = 410 + cnt * 1870 + rng.randrange(400)
    csb = 560 + rng.randrange(900) + (700 if method == 'POST' else 0)
    ref = REFS[refk] if ref_on else '-'
    sink.emit(ts, method, stem, query, user, ua, ref, status, sub, win, scb, csb, tt, xff, org, cnt, atk)
    return ts + tt / 1000.0


def preamble(sink, rng, ts, user, ua, browser, xff, org, atk=None):
    """Start of a portal/client session: CORS preflight, Negotiate challenge, /moi."""
    if browser:
        sink.emit(ts, 'OPTIONS', '/api/v2/moi', '-', '-', ua, PORTAL, 204, 0, 0, 260, 640, rng.randint(0, 3),
                  xff, '-', None)
        ts += rng.uniform(0.05, 0.4)
    sink.emit(ts, 'GET', '/api/v2/moi', '-', '-', ua, PORTAL if browser else '-', 401, 2, 5, 1293, 610,
              rng.randint(0, 4), xff, org, None)
    ts += rng.uniform(0.05, 0.5)
    sink.emit(ts, 'GET', '/api/v2/moi', '-', user, ua, PORTAL if browser else '-', 200, 0, 0,
              900 + rng.randrange(400), 3200 + rng.randrange(2600), rng.randint(15, 140), xff, org, None, atk)
    return ts + rng.uniform(1, 6)


# --------------------------------------------------------------------------
# one person, one local day
# --------------------------------------------------------------------------
def person_day(p, d, rng, sink, school=None):
    if d < p.join or d >= p.leave or d in p.absent:
        return
    wd = WD[d]
    org = p.org
    tasks = p.tasks.get(d)
    holiday = d == EASTER_MON or (d == GOOD_FRI and org.alsace)
    home = p.home_ip
    if wd >= 5 or holiday:
        if tasks and 'saturday_event' in tasks:
            windows = [(rng.uniform(8.8, 9.2), rng.uniform(12.6, 13.2), 1.0, p.org_xff)]
            n = int(p.base * rng.uniform(0.7, 1.1))
        elif p.weekend and not holiday and ((wd == 5 and rng.random() < 0.4) or (wd == 6 and rng.random() < 0.2)):
            h = rng.uniform(9.0, 16.0) if wd == 5 else rng.uniform(17.0, 20.0)
            windows = [(h, h + rng.uniform(0.7, 2.2), 1.0, home)]
            n = int(p.base * rng.uniform(0.2, 0.5)) + 1
        elif rng.random() < 0.004:
            h = rng.uniform(10.0, 21.5)
            windows = [(h, h + 0.3, 1.0, home)]
            n = rng.randint(1, 5)
        else:
            return
    else:
        if wd == p.offday:
            if rng.random() < 0.03:
                h = rng.uniform(9.0, 17.0)
                windows = [(h, h + 0.25, 1.0, home)]
                n = rng.randint(1, 4)
            else:
                return
        else:
            if d == STRIKE and rng.random() < STRIKE_P[org.kind]:
                return
            mult = DOW_MULT[wd] * p.mult.get(d, 1.0)
            if d == EASTER_MON + 1:
                mult *= 1.15
            if org.kind == 'ML' and school and d in school[org.zone]:
                mult *= 0.9
            n = int(p.base * mult * rng.lognormvariate(0.0, 0.3) + rng.random())
            a = p.start + rng.gauss(0, 0.2)
            l1 = p.lunch + rng.gauss(0, 0.2)
            l2 = l1 + rng.uniform(0.55, 1.3)
            e = p.end + rng.gauss(0, 0.3) - (0.5 if wd == 4 else 0.0)
            xff = home if wd in p.tt_days else p.org_xff
            if p.halfday == wd:
                windows = [(a, l1, 1.0, xff)]
            else:
                windows = [(a, l1, 1.0, xff), (l2, max(l2 + 0.6, e), 0.85, xff)]
            if p.evening and rng.random() < 0.45:
                windows.append((rng.uniform(20.0, 21.0), rng.uniform(21.8, 23.4), 1.2, home))
    ua = p.ua0 if d < p.uasw else p.ua1
    bursts = []
    if tasks:
        bursts.extend(special_bursts(p, rng, d, tasks))
    if p.caseload and p.role == 'conseiller' and wd < 5 and rng.random() < (0.3 if wd == 0 else 0.04):
        bursts.append(b_portfolio(p, rng, True))
    tot = 0
    while tot < n:
        b = make_burst(p, rng, d)
        bursts.append(b)
        tot += len(b)
    weights = [(w[1] - w[0]) * w[2] for w in windows]
    wsum = sum(weights)
    sched = []
    for b in bursts:
        x = rng.random() * wsum
        i = 0
        while i < len(windows) - 1 and x > weights[i]:
            x -= weights[i]
            i += 1
        h0, h1 = windows[i][0], windows[i][1]
        sched.append((h0 + rng.random() * (h1 - h0), i, b))
    sched.sort(key=lambda s: s[0])
    seen = set()
    last = 0.0
    user = p.user
    org_code = org.code
    br = p.browser
    for h, i, b in sched:
        ts = local_ts(d, h * 3600.0)
        if ts < last:
            ts = last + rng.uniform(2, 40)
        xff = windows[i][3]
        if p.shared and rng.random() < 0.5:
            ua = p.ua1
        if i not in seen:
            seen.add(i)
            ts = preamble(sink, rng, ts, user, ua, br, xff, org_code)
        elif rng.random() < 0.04:
            sink.emit(ts, 'GET', '/api/v2/demandeurs', '-', '-', ua, PORTAL if br else '-', 401, 2, 5, 1293, 600,
                      rng.randint(0, 3), xff, org_code, None)
            ts += rng.uniform(0.05, 0.3)
        for act in b:
            ts += act[0]
            ts = emit_action(sink, rng, ts, act, user, ua, br, xff, org_code)
        last = ts


# --------------------------------------------------------------------------
# technical accounts, one local day
# --------------------------------------------------------------------------
NIGHT_DOW = [0.18, 1.3, 1.0, 1.0, 1.0, 1.0, 0.22]   # feed run on day d carries changes of day d-1


def svc_start(s, d, hour):
    if s['utc']:
        return FILE0 + (d + 1) * 86400 + hour * 3600.0
    return local_ts(d, hour * 3600.0)


def paged_pull(sink, rng, s, ts, total, page, mode, d, atk=None, ua=None, xff=None, since=None):
    user, org = s['user'], s['org']
    ua = ua or s['ua']
    xff = xff or s['ip']
    n = max(1, int(math.ceil(total / float(page))))
    cursor = rng.getrandbits(48)
    left = total
    for k in range(n):
        c = min(page, left)
        left -= c
        if mode == 'flux':
            stem = '/api/v2/flux/demandeurs'
            q = 'depuis=%s&taille=%d' % (since, page)
            if k:
                q += '&curseur=%012x' % (cursor + k * 7919)
        else:
            stem = '/api/v2/exports/%s/demandeurs' % org
            q = 'page=%d&taille=%d&perimetre=%s' % (k + 1, page, mode)
        tt = int(300 + c * rng.uniform(1.0, 2.6))
        scb = 520 + c * 1850 + rng.randrange(500)
        sink.emit(ts, 'GET', stem, q, user, ua, '-', 200, 0, 0, scb, 380 + rng.randrange(200), tt, xff, org, c, atk)
        ts += tt / 1000.0 + rng.uniform(0.1, 1.2)
    return ts


def service_day(s, d, rng, sink):
    if d < s['frm']:
        return
    kind = s['kind']
    wd = WD[d]
    if kind == 'probe':
        t = local_ts(d, 0) + 17 + (d * 13) % 60
        t1 = local_ts(d + 1, 0)
        while t < t1:
            sink.emit(t, 'GET', '/api/v2/statut', '-', s['user'], s['ua'], '-', 200, 0, 0, 312, 420,
                      rng.randint(2, 9), s['ip'], s['org'], None)
            sink.emit(t + 0.4, 'GET', '/api/v2/demandeurs/0000001A', '-', s['user'], s['ua'], '-', 200, 0, 0,
                      2290 + rng.randrange(40), 430, rng.randint(18, 70), s['ip'], s['org'], 1)
            t += 300
        return
    if kind == 'bizapi':
        if not is_workday(d):
            return
        n = int(s['base'] * DOW_MULT[wd] * rng.lognormvariate(0, 0.2))
        if d == STRIKE:
            n = int(n * 0.7)
        for _ in range(n):
            while True:
                h = rng.uniform(7.6, 18.8)
                if not (12.2 < h < 13.6) or rng.random() < 0.45:
                    break
            ts = local_ts(d, h * 3600)
            if rng.random() < 0.12:
                c = rng.choice([0, 1, 1, 1, 2, 3])
                sink.emit(ts, 'POST', '/api/v2/demandeurs/recherche', '-', s['user'], s['ua'], '-', 200, 0, 0,
                          400 + c * 1870, 900 + rng.randrange(300), rng.randint(60, 400), s['ip'], s['org'], c)
            else:
                nf = rng.random() < 0.03
                sink.emit(ts, 'GET', '/api/v2/demandeurs/%s/situation' % pid(rng), '-', s['user'], s['ua'], '-',
                          404 if nf else 200, 0, 0, 300 if nf else 2100 + rng.randrange(300), 450,
                          rng.randint(20, 180), s['ip'], s['org'], 0 if nf else 1)
        return
    if kind == 'nightly':
        ts = svc_start(s, d, s['at']) + rng.uniform(0, 100)
        since = _dt.datetime.fromtimestamp(ts - 86400, UTC).strftime('%Y-%m-%dT%H:00:00Z')
        vol = int(s['base'] * NIGHT_DOW[wd] * (0.25 if d == EASTER_MON + 1 else 1.0) * rng.lognormvariate(0, 0.18))
        if d in s['fail']:
            for _ in range(rng.randint(3, 6)):
                sink.emit(ts, 'GET', '/api/v2/flux/demandeurs', 'depuis=%s&taille=1000' % since, s['user'], s['ua'],
                          '-', 503, 0, 0, 320, 410, rng.randint(30000, 60000), s['ip'], s['org'], None)
                ts += rng.uniform(60, 180)
            s['backlog'] += vol
            return
        vol += s['backlog']
        s['backlog'] = 0
        paged_pull(sink, rng, s, ts, max(1, vol), s['page'], 'flux', d, since=since)
        if s['resync'] is not None and d == s['resync'][0]:
            t2 = local_ts(d, s['resync'][1] * 3600)
            paged_pull(sink, rng, s, t2, s['resync'][2], 1000, 'flux', d, since='2015-01-01T00:00:00Z')
        return
    if kind == 'weekly':
        if wd != s['wd'] or (wd < 5 and not is_workday(d)):
            return
        ts = svc_start(s, d, s['at']) + rng.uniform(0, 60)
        vol = int(s['base'] * rng.lognormvariate(0, 0.06))
        paged_pull(sink, rng, s, ts, vol, s['page'], 'actifs', d)
        return
    if kind == 'monthly':
        if DATES[d].day != 1:
            return
        ts = svc_start(s, d, s['at']) + rng.uniform(0, 60)
        vol = int(s['base'] * rng.lognormvariate(0, 0.05))
        paged_pull(sink, rng, s, ts, vol, s['page'], 'tous', d)


def infra_day(d, rng, sink):
    t0, t1 = local_ts(d, 0), local_ts(d + 1, 0)
    for i, ip in enumerate(HC_IPS):
        t = t0 + (d * 37 + i * 53) % 120 + 0.021 * (i + 1)
        while t < t1:
            sink.emit(t, 'GET', '/healthz', '-', '-', '-', '-', 200, 0, 0, 168, 88, 0 if rng.random() < 0.8 else 1,
                      '-', '-', None, cip=ip, ver='HTTP/1.0')
            t += 120
    for _ in range(rng.randint(4, 30)):
        m, stem, st, sub, win = NOISE[rng.randrange(len(NOISE))]
        ts = t0 + rng.random() * (t1 - t0)
        sink.emit(ts, m, stem, '-', '-', rng.choice(NOISE_UA), '-', st, sub, win, 1245 if st == 404 else 1293,
                  150 + rng.randrange(300), rng.randint(0, 15), pub_ip(rng, 'hosting' if rng.random() < 0.5 else 'home'),
                  '-', None)
    # failed logons (wrong password / expired account)
    n = rng.randint(2, 12) if WD[d] < 5 else rng.randint(0, 3)
    for _ in range(n):
        ts = local_ts(d, rng.uniform(7.5, 19.0) * 3600)
        sink.emit(ts, 'GET', '/api/v2/moi', '-', '-', UA_CHROME % 160, PORTAL, 401, 1,
                  rng.choice([1326, 1326, 1909, 2148074254]), 1293, 2900 + rng.randrange(2000), rng.randint(2, 30),
                  pub_ip(rng, 'org'), '-', None)


# --------------------------------------------------------------------------
# benign situations
# --------------------------------------------------------------------------
class Labels:
    def __init__(self):
        self.items = []
        self.why = []

    def add(self, kind, accounts, t0, t1, why):
        bid = 'B%d' % (len(self.items) + 1)
        self.items.append(dict(id=bid, kind=kind, accounts=list(accounts), start=rfc3339(t0), end=rfc3339(t1)))
        self.why.append(dict(id=bid, kind=kind, why=why))
        return bid

    def add_days(self, kind, accounts, d0, d1, why):
        """d0..d1 inclusive local days; end is the following local midnight."""
        return self.add(kind, accounts, local_ts(d0, 0), local_ts(d1 + 1, 0), why)


def workdays_of(p, d0, count):
    """next `count` days >= d0 on which p normally works."""
    out = []
    d = d0
    while d < DAYS and len(out) < count:
        if is_workday(d, p.org.alsace) and WD[d] != p.offday and d not in p.absent:
            out.append(d)
        d += 1
    return out


def plan_traps(seed, orgs, persons, services, used, shared, benign):
    rng = random.Random('altgen10/%d/traps' % seed)
    extra_persons = []
    zone_school = {'A': [42], 'B': [0, 49], 'C': [35, 42]}

    # ---------------- absences: RTT days, sick leave, vacations
    for p in persons:
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
            d = rng.randrange(DAYS)
            if WD[d] < 5:
                p.absent.add(d)
        if rng.random() < 0.07:
            d = rng.randrange(DAYS)
            for x in range(d, min(DAYS, d + rng.randint(1, 6))):
                p.absent.add(x)
        prob = 0.30 + (0.25 if p.kids else 0.0)
        if rng.random() < prob and not p.shared:
            weeks = rng.choice([1, 1, 2, 2, 3])
            if p.kids and rng.random() < 0.7:
                start = rng.choice(zone_school[p.org.zone])
                if start == 0:
                    weeks = 1
                    start = -rng.choice([0, 7])
            else:
                start = 7 * rng.randint(-1, 7)
            if rng.random() < 0.2:
                start += rng.randint(1, 3)
            end = start + 7 * weeks - (3 if rng.random() < 0.2 else 0)
            vac = [x for x in range(max(0, start), min(DAYS, end))]
            if not vac:
                continue
            p.absent.update(vac)
            wdays = sum(1 for x in vac if WD[x] < 5)
            ret = max(vac) + 1
            while ret < DAYS and (not is_workday(ret, p.org.alsace) or WD[ret] == p.offday or ret in p.absent):
                ret += 1
            if ret < DAYS and wdays >= 4:
                back = workdays_of(p, ret, 2)
                if back:
                    m1 = rng.uniform(1.8, 2.6)
                    p.add_mult(back[0], m1)
                    if p.caseload and rng.random() < 0.6:
                        p.add_task(back[0], 'portfolio_full')
                    if len(back) > 1:
                        p.add_mult(back[1], rng.uniform(1.3, 1.6))
                    benign.add_days('vacation_return', [p.user], back[0], back[-1],
                                    'back after %d working days of leave (%s .. %s); catch-up volume x%.1f on the '
                                    'first day' % (wdays, DATES[min(vac)], DATES[max(vac)], m1))
            p.busy.update(vac)

    # ---------------- interim replacements for long vacations
    longv = [p for p in persons if p.role == 'conseiller' and p.org.kind in ('CAPE', 'ML')
             and sum(1 for x in p.absent if WD[x] < 5) >= 9]
    for p in rng.sample(longv, min(len(longv), rng.randint(1, 2))):
        days = sorted(x for x in p.absent)
        blocks = [x for x in days if x >= 3]
        if not blocks:
            continue
        st = blocks[0]
        en = st
        while en + 1 in p.absent:
            en += 1
        q = make_person(rng, p.org, 'conseiller', used, 'i')
        q.join, q.leave = st, en + 1
        q.caseload = p.caseload
        q.base = p.base * 0.8
        wdq = workdays_of(q, st, 2)
        for x in wdq:
            q.add_task(x, 'portfolio_full')
        if wdq:
            q.add_mult(wdq[0], 0.6)
        p.org.persons.append(q)
        extra_persons.append(q)
        benign.add_days('interim_replacement', [q.user], st, en,
                        'temporary agent covering the caseload of %s during leave; new login, reviews the whole '
                        'caseload on the first days' % p.user)

    # ---------------- new joiners (individual + one hiring wave)
    def make_joiner(o, role, day):
        q = make_person(rng, o, role, used, 'd' if o.legacy else 'i')
        q.join = day
        ramp = [0.25, 0.45, 0.65, 0.8, 0.9]
        for k, x in enumerate(workdays_of(q, day, len(ramp))):
            q.add_mult(x, ramp[k])
            if k == 3 and q.caseload:
                q.add_task(x, 'portfolio_full')
        o.persons.append(q)
        extra_persons.append(q)
        return q

    cand_orgs = [o for o in orgs if o.kind in ('CAPE', 'ML', 'CD', 'CAF')]
    for _ in range(int(len(persons) * rng.uniform(0.015, 0.025))):
        o = rng.choice(cand_orgs)
        day = 7 * rng.randint(1, 7) + (1 if rng.random() < 0.2 else 0)
        if day >= DAYS or not is_workday(day):
            day = 7 * rng.randint(1, 6)
        q = make_joiner(o, rng.choice(['conseiller', 'conseiller', 'conseiller', 'accueil']), day)
        benign.add_days('new_joiner', [q.user], day, min(DAYS - 1, day + 13),
                        'new staff member, first login on %s, ramping up over the first week' % DATES[day])
    wave_org = rng.choice([o for o in orgs if o.kind in ('CD', 'ML', 'CAPE') and len(o.persons) >= 15])
    wday = 7 * rng.randint(2, 6)
    wave = [make_joiner(wave_org, 'conseiller', wday) for _ in range(rng.randint(3, 6))]
    benign.add_days('joiner_wave', [q.user for q in wave], wday, min(DAYS - 1, wday + 13),
                    'hiring wave at %s: %d advisors start the same Monday (%s)' % (wave_org.code, len(wave),
                                                                                   DATES[wday]))

    # ---------------- leavers and caseload takeovers
    base_pool = [p for p in persons if p.role == 'conseiller' and p.caseload and not p.shared]
    nleave = max(2, int(len(persons) * rng.uniform(0.008, 0.014)))
    for p in rng.sample(base_pool, nleave):
        if p.leave < DAYS or p.join > 0:
            continue
        lday = 7 * rng.randint(2, 7)
        if lday >= DAYS:
            continue
        p.leave = lday
        mates = [q for q in p.org.persons if q is not p and q.role == 'conseiller' and q.join == 0
                 and q.leave == DAYS and q.caseload and not q.shared]
        benign.add_days('leaver', [p.user], lday, DAYS - 1, 'staff member left on %s; account unused afterwards'
                        % DATES[lday - 3])
        if not mates:
            continue
        q = rng.choice(mates)
        wdq = workdays_of(q, lday, rng.randint(5, 8))
        m = rng.uniform(1.9, 2.7)
        old = q.caseload
        q.caseload += p.caseload
        for k, x in enumerate(wdq):
            q.add_mult(x, m if k < 3 else 1.0 + (m - 1.0) * 0.6)
            if k < 2:
                q.add_task(x, 'portfolio_full')
        if wdq:
            benign.add_days('portfolio_takeover', [q.user], wdq[0], wdq[-1],
                            'takes over the caseload of departed %s (%d -> %d persons), reviews it over %d days '
                            '(x%.1f)' % (p.user, old, q.caseload, len(wdq), m))

    # ---------------- departmental campaign (org-level, benign)
    cd = rng.choice([o for o in orgs if o.kind == 'CD'])
    cstart = 7 * rng.randint(2, 6) + rng.randint(0, 2)
    members = [p for p in cd.persons if p.role == 'conseiller' and not p.shared]
    cdays = [x for x in range(cstart, DAYS) if is_workday(x, cd.alsace)][:rng.randint(6, 8)]
    for p in members:
        m = rng.uniform(1.4, 2.1)
        for k, x in enumerate(cdays):
            p.add_mult(x, m)
            if k == 0 and p.caseload:
                p.add_task(x, 'portfolio_full')
    benign.add_days('org_campaign', [p.user for p in members], cdays[0], cdays[-1],
                    '%s review campaign of RSA beneficiaries: every advisor re-reads the caseload, x1.4-2.1 for '
                    '%d working days' % (cd.code, len(cdays)))

    # ---------------- national mission-locale campaign
    nw = 7 * rng.randint(1, 6)
    ndays = [x for x in range(nw, nw + 5) if is_workday(x)]
    mlp = [p for p in persons if p.org.kind == 'ML' and p.role == 'conseiller']
    for p in mlp:
        m = rng.uniform(1.15, 1.35)
        for x in ndays:
            p.add_mult(x, m)
    benign.add_days('network_campaign', [p.user for p in mlp], ndays[0], ndays[-1],
                    'national youth-guarantee relaunch week: all mission-locale advisors x1.15-1.35')

    # ---------------- month-end / quarter-end reporting by managers
    mgrs = [p for p in persons if p.role == 'manager' and p.team]
    feb, q1 = [], []
    for p in mgrs:
        if rng.random() < 0.7:
            for x in rng.sample([0, 1], rng.choice([1, 1, 2])):
                if is_workday(x, p.org.alsace):
                    p.add_task(x, 'monthend')
            feb.append(p.user)
        if rng.random() < 0.8:
            for x in rng.sample([29, 30, 31], rng.choice([1, 2])):
                p.add_task(x, 'quarterend' if x in (30, 31) else 'monthend')
            q1.append(p.user)
    benign.add_days('month_end_reporting', feb, 0, 1, 'February closing: managers pull their team caseload')
    benign.add_days('quarter_end_reporting', q1, 29, 31,
                    'Q1 closing: managers pull their team caseload and a full team export')

    # ---------------- internal audits
    auds = [p for p in persons if p.role in ('manager', 'admin') and p.org.kind in ('CD', 'CAF')]
    for p in rng.sample(auds, min(len(auds), rng.randint(1, 2))):
        x = rng.choice([y for y in range(5, DAYS) if is_workday(y, p.org.alsace) and y not in p.absent])
        p.add_task(x, 'audit')
        benign.add_days('internal_audit', [p.user], x, x,
                        'internal control: random sample of 1000-1500 files pulled in one day')

    # ---------------- Saturday events (job fairs)
    for o in rng.sample([o for o in orgs if o.kind in ('ML', 'CAPE') and len(o.persons) >= 8], 2):
        sat = rng.choice([d for d in range(7, DAYS) if WD[d] == 5])
        staff = [p for p in o.persons if p.role in ('accueil', 'conseiller') and sat not in p.absent]
        staff = rng.sample(staff, min(len(staff), rng.randint(3, 6)))
        for p in staff:
            p.add_task(sat, 'saturday_event')
        benign.add_days('saturday_event', [p.user for p in staff], sat, sat,
                        '%s job fair on Saturday %s: staff work on site 9:00-13:00' % (o.code, DATES[sat]))

    allp = persons + extra_persons
    # ---------------- evening / weekend workers, shared logins
    for p in allp:
        if p.evening:
            benign.add_days('evening_worker', [p.user], 0, DAYS - 1,
                            'habitually works some evenings (20:00-23:30) from home')
        if p.weekend:
            benign.add_days('weekend_worker', [p.user], 0, DAYS - 1,
                            'occasionally works on Saturday or Sunday evening from home')
    for p in shared:
        benign.add_days('shared_account', [p.user], 0, DAYS - 1,
                        'reception desk login shared by several agents: 2-3x a single agent, two browsers')

    # ---------------- calendar-wide situations
    for d in MONDAYS:
        benign.add_days('monday_peak', [], d, d, 'Monday: highest weekday volume and weekly caseload reviews')
    benign.add_days('public_holiday', [], EASTER_MON, EASTER_MON, 'Easter Monday, national holiday')
    benign.add_days('post_holiday_catchup', [], EASTER_MON + 1, EASTER_MON + 1, 'Tuesday after Easter Monday')
    als = [p.user for p in allp if p.org.alsace]
    if als:
        benign.add_days('regional_holiday', als, GOOD_FRI, GOOD_FRI, 'Good Friday: holiday in Alsace-Moselle only')
    benign.add_days('dst_change', [], DST_DAY, DST_DAY, 'switch to CEST: local 02:00-03:00 does not exist')
    benign.add_days('strike_day', [], STRIKE, STRIKE, 'national strike: many public-sector agents absent')
    for z, ranges in sorted(SCHOOL.items()):
        dd = sorted(SCHOOL_DAYS[z])
        if not dd:
            continue
        # split into contiguous blocks
        blocks, cur = [], [dd[0]]
        for x in dd[1:]:
            if x == cur[-1] + 1:
                cur.append(x)
            else:
                blocks.append(cur)
                cur = [x]
        blocks.append(cur)
        acc = [p.user for p in allp if p.org.zone == z]
        for bl in blocks:
            benign.add_days('school_holidays', acc, bl[0], bl[-1],
                            'school holidays zone %s: more staff on leave, fewer young visitors' % z)
    benign.add_days('browser_update', [], 22, 40, 'browser auto-update: user agents change version over weeks')

    # ---------------- technical accounts
    nightly = [s for s in services if s['kind'] == 'nightly']
    for s in rng.sample(nightly, min(len(nightly), rng.randint(1, 2))):
        x = rng.randint(8, 50)
        s['fail'].add(x)
        benign.add_days('job_failure_catchup', [s['user']], x, x + 1,
                        'nightly feed failed on %s (503), next run carries two days of changes' % DATES[x])
    rs = rng.choice([s for s in nightly if s['org'] not in ('UNML', 'CHEOPS')])
    rday = rng.choice([d for d in range(18, 52) if WD[d] == 5])
    s_vol = int(rng.uniform(40000, 90000))
    rs['resync'] = (rday, rng.uniform(9.0, 11.0), s_vol)
    benign.add_days('one_off_resync', [rs['user']], rday, rday,
                    'software migration: full re-synchronisation (%d records) run on Saturday morning' % s_vol)
    cds_wo = [o for o in orgs if o.kind == 'CD' and not any(s['org'] == o.code and s['kind'] == 'weekly'
                                                            for s in services)]
    if cds_wo:
        o = rng.choice(cds_wo)
        frm = rng.choice([d for d in range(21, 42) if WD[d] == 6])
        s = dict(user='svc-entrepot-%s@partenaires.local' % o.code.lower(), org=o.code, kind='weekly',
                 base=int(rng.uniform(20000, 45000)), at=rng.uniform(3.0, 5.0), utc=False, wd=6, page=5000, frm=frm,
                 ua='Talend-ESB/8.0.1', ip=pub_ip(rng, 'dc'), fail=set(), backlog=0, resync=None,
                 note='new data-warehouse load put in production')
        services.append(s)
        benign.add_days('new_service_account', [s['user']], frm, DAYS - 1,
                        'new weekly data-warehouse export put in production on %s (first seen that day)' % DATES[frm])
    for s in services:
        kindname = {'nightly': 'service_nightly_job', 'weekly': 'service_weekly_job', 'monthly': 'service_monthly_job',
                    'bizapi': 'service_business_hours', 'probe': 'monitoring_probe'}[s['kind']]
        benign.add_days(kindname, [s['user']], s['frm'], DAYS - 1, s['note'])
    utcs = [s['user'] for s in services if s['utc']]
    if utcs:
        benign.add_days('utc_scheduled_job', utcs, DST_DAY, DAYS - 1,
                        'jobs scheduled in UTC run one hour later in local time after the DST switch')
    return extra_persons


# --------------------------------------------------------------------------
# restarts / crashes
# --------------------------------------------------------------------------
def plan_outages(seed, benign):
    rng = random.Random('altgen10/%d/outages' % seed)
    outs = []
    d = rng.choice([x for x in range(5, 50) if WD[x] in (1, 2, 3) and is_workday(x)])
    st = local_ts(d, rng.uniform(10.0, 16.0) * 3600)
    gap = rng.uniform(240, 900)
    outs.append(dict(kind='crash', pre=st - rng.uniform(40, 120), start=st, end=st + gap))
    if rng.random() < 0.8:
        d2 = rng.choice([x for x in range(3, 54) if x != d])
        st2 = local_ts(d2, rng.uniform(3.2, 5.0) * 3600)
        outs.append(dict(kind='crash', pre=st2 - rng.uniform(20, 60), start=st2, end=st2 + rng.uniform(60, 300)))
    for dd in (dix(2027, 3, 10), dix(2027, 4, 14)):
        if rng.random() < 0.75:
            st3 = FILE0 + (dd + 1) * 86400 + rng.uniform(4.1, 4.6) * 3600
            outs.append(dict(kind='planned', pre=st3, start=st3, end=st3 + rng.uniform(35, 110)))
    outs.sort(key=lambda o: o['start'])
    for o in outs:
        if o['kind'] == 'crash':
            benign.add('service_outage_restart', [], o['pre'], o['end'] + 1800,
                       'worker crash: a minute of 500 errors, a gap in the log, restart (new directive block)')
        else:
            benign.add('planned_restart', [], o['start'], o['end'] + 60, 'planned maintenance restart (patching)')
    return outs


# --------------------------------------------------------------------------
# attacks
# --------------------------------------------------------------------------
def estimate_daily(p, seed):
    vals = []
    for d in range(DAYS):
        if len(vals) >= 30:
            break
        if not is_workday(d, p.org.alsace) or d in p.busy or d in p.absent or WD[d] == p.offday:
            continue
        c = Collect()
        person_day(p, d, random.Random('altgen10/%d/est/%s/%d' % (seed, p.user, d)), c)
        vals.append(c.total)
    vals.sort()
    return vals[len(vals) // 2] if vals else 100


def atk_search_acts(rng, size, style):
    """one attacker 'UI-like' burst: a broad search returning mostly full pages, a few file views."""
    if style == 'cp':
        q = 'codePostal=%05d&page=%d&taille=%d' % (rng.randint(1000, 95999), rng.randint(1, 6), size)
    else:
        q = 'nom=%s&page=%d&taille=%d' % (NAMEQ[rng.randrange(len(NAMEQ))], rng.choice([1, 1, 1, 2, 2, 3]), size)
    c = rng.randint(size // 2, size) if rng.random() < 0.8 else rng.randint(1, size)
    acts = [(0.0, 'GET', '/api/v2/demandeurs', q, c, 160, 'recherche', 200)]
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        i = pid(rng)
        acts.append((rng.uniform(2, 20), 'GET', '/api/v2/demandeurs/' + i, '-', 1, 45, 'dossier', 200))
    return acts


def spread_bursts(sink, rng, aid, user, ua, browser, xff, org, target, d, h0, h1, size, style,
                  lunch=True, preamble_first=True):
    """emit UI-like bursts until `target` records, spread uniformly over local hours h0..h1 of day d."""
    bursts, tot = [], 0
    while tot < target:
        b = atk_search_acts(rng, size, style)
        bursts.append(b)
        tot += sum(a[4] or 0 for a in b)
    hs = []
    for _ in bursts:
        while True:
            h = rng.uniform(h0, h1)
            if not lunch or not (12.3 < h < 13.5) or rng.random() < 0.3:
                break
        hs.append(h)
    hs.sort()
    last = 0
    first = True
    for h, b in zip(hs, bursts):
        ts = local_ts(d, h * 3600)
        if ts < last:
            ts = last + rng.uniform(1, 10)
        if first and preamble_first:
            ts = preamble(sink, rng, ts, user, ua, browser, xff, org, atk=aid)
        first = False
        for act in b:
            ts += act[0]
            ts = emit_action(sink, rng, ts, act, user, ua, browser, xff, org, atk=aid)
        last = ts
    return tot


def scripted_pull(sink, rng, aid, user, ua, xff, org, t0, t1, target, mode, size=100):
    """machine-paced extraction between t0 and t1."""
    acts = []
    tot = 0
    if mode == 'detail':
        while tot < target:
            i = pid(rng)
            nf = rng.random() < 0.04
            acts.append(('GET', '/api/v2/demandeurs/' + i, '-', 0 if nf else 1, 404 if nf else 200))
            tot += 0 if nf else 1
    else:
        while tot < target:
            cp = rng.randint(1000, 95999)
            nres = rng.randint(120, 2600)
            pages = int(math.ceil(nres / float(size)))
            done = False
            for pg in range(1, pages + 1):
                c = min(size, nres - (pg - 1) * size)
                acts.append(('GET', '/api/v2/demandeurs', 'codePostal=%05d&statut=inscrit&page=%d&taille=%d'
                             % (cp, pg, size), c, 200))
                tot += c
                if tot >= target:
                    done = True
                    break
            if not done and c == size:
                acts.append(('GET', '/api/v2/demandeurs', 'codePostal=%05d&statut=inscrit&page=%d&taille=%d'
                             % (cp, pages + 1, size), 0, 200))
    step = (t1 - t0) / max(1, len(acts))
    ts = t0
    ts = preamble(sink, rng, ts, user, ua, ua.startswith('Mozilla'), xff, org, atk=aid)
    for m, stem, q, c, st in acts:
        if rng.random() < 0.01:
            sink.emit(ts, m, stem, q, user, ua, '-', 429, 0, 0, 410, 640, rng.randint(1, 5), xff, org, None, aid)
            ts += rng.uniform(5, 30)
        tt = int(rng.uniform(40, 160) + c * rng.uniform(1.2, 2.0))
        sink.emit(ts, m, stem, q, user, ua, '-', st, 0, 0, 410 + c * 1870 + rng.randrange(300),
                  600 + rng.randrange(300), tt, xff, org, c, aid)
        ts += max(tt / 1000.0 + 0.05, step * rng.uniform(0.55, 1.45))
    return tot


def plan_attacks(seed, orgs, persons, services, used, sink):
    rng = random.Random('altgen10/%d/attacks' % seed)
    used_victims = set()
    used_orgs = set()
    attacks = []

    def eligible(p, days):
        return (p.role == 'conseiller' and p.join == 0 and p.leave == DAYS and not p.shared and not p.evening
                and not p.weekend and p.user not in used_victims and p.org.kind != 'OF'
                and p.org.code not in used_orgs
                and not any(x in p.busy or x in p.absent for x in days))

    def workdays(d0, n, alsace=False):
        return [x for x in range(d0, DAYS) if is_workday(x, alsace)][:n]

    def pick_victim(days, pool=None, min_base=0.0):
        pool = pool or persons
        c = [p for p in pool if eligible(p, days) and p.base >= min_base]
        p = rng.choice(c)
        used_victims.add(p.user)
        return p

    def new(shape, accounts, org, details):
        a = dict(shape=shape, accounts=accounts, org=org, details=details, key=len(attacks))
        used_orgs.add(org)
        attacks.append(a)
        return a

    plan = ['bulk_extraction', 'low_and_slow', 'new_account', 'org_wide', 'off_hours']
    extras = rng.sample(['bulk_small', 'off_hours_weekend', 'low_and_slow', 'service_bulk', 'new_account'],
                        rng.randint(1, 3))
    plan += extras

    for shape in plan:
        key = 'X%d' % len(attacks)
        if shape in ('bulk_extraction', 'bulk_small'):
            d = rng.choice([x for x in range(10, 54) if is_workday(x)])
            v = pick_victim([d])
            med = estimate_daily(v, seed)
            if shape == 'bulk_extraction':
                target = int(math.exp(rng.uniform(math.log(6000), math.log(40000))))
                h = rng.uniform(10.0, 16.0) if rng.random() < 0.6 else rng.uniform(17.5, 20.5)
                dur = rng.uniform(2.0, 6.0)
                mode = 'search' if target > 12000 or rng.random() < 0.6 else 'detail'
                ua = rng.choice(['python-requests/2.32.3', 'python-requests/2.31.0', v.ua0,
                                 'Mozilla/5.0+(X11;+Linux+x86_64;+rv:128.0)+Gecko/20100101+Firefox/128.0'])
                ip = pub_ip(rng, 'hosting')
                size = 100
            else:
                target = int(rng.uniform(2500, 6000))
                h = rng.uniform(9.5, 15.0)
                dur = rng.uniform(1.5, 3.0)
                mode = 'search'
                ua = v.ua0
                ip = pub_ip(rng, 'home')
                size = 50
            t0 = local_ts(d, h * 3600)
            t1 = t0 + dur * 3600
            got = scripted_pull(sink, rng, key, v.user, ua, ip, v.org.code, t0, t1, target, mode, size)
            new('bulk_extraction', [v.user], v.org.code,
                dict(key=key, variant=shape, victim_median_daily_records_estimated=med, mode=mode, page_size=size,
                     user_agent=ua, client_ip=ip, planned_records=got, day=str(DATES[d]),
                     description='scripted extraction through one advisor account, %s-paced over %.1f h from %s'
                                 % ('page' if mode == 'search' else 'record', dur, ip)))
        elif shape == 'low_and_slow':
            d0 = rng.choice([x for x in range(12, 42) if WD[x] == 0 or rng.random() < 0.3])
            n = rng.randint(6, 10)
            days = workdays(d0, n)
            v = pick_victim(days)
            med = estimate_daily(v, seed)
            same_ip = rng.random() < 0.5
            ip = v.org_xff if same_ip else pub_ip(rng, 'home')
            fac = rng.uniform(1.0, 2.2)
            tot = 0
            for x in days:
                if WD[x] == v.offday or not is_workday(x, v.org.alsace):
                    continue
                extra = int(med * fac * rng.uniform(0.8, 1.2))
                tot += spread_bursts(sink, rng, key, v.user, v.ua0 if x < v.uasw else v.ua1, v.browser, ip,
                                     v.org.code, extra, x, 9.0, 18.0, rng.choice([20, 50]), 'nom')
            new('low_and_slow', [v.user], v.org.code,
                dict(key=key, victim_median_daily_records_estimated=med, extra_factor=round(fac, 2),
                     days=[str(DATES[x]) for x in days], same_ip_as_victim=same_ip, client_ip=ip,
                     planned_records=tot,
                     description='stolen session/credentials used during office hours, UI-like requests spread '
                                 'over the day, victim keeps working; total ~%.1fx normal' % (1 + fac)))
        elif shape == 'new_account':
            o = rng.choice([o for o in orgs if o.kind in ('ML', 'CAPE', 'CD', 'CCAS') and o.code not in used_orgs])
            login = mk_login(rng, used, 'd' if o.legacy else 'i')
            user = '%s\\%s' % (o.domain, login)
            d0 = rng.choice([x for x in range(14, 52) if is_workday(x, o.alsace)])
            ndays = rng.randint(1, 3)
            days = workdays(d0, ndays, o.alsace)
            total = int(math.exp(rng.uniform(math.log(2000), math.log(15000))))
            ua = rng.choice([UA_CHROME % (160 if d0 < 25 else 161), UA_EDGE % (161, 161, 3500, 41)])
            ip = pub_ip(rng, 'hosting' if rng.random() < 0.5 else 'home')
            tot = 0
            for k, x in enumerate(days):
                share = total // len(days)
                h0 = rng.uniform(8.5, 11.0) if k or rng.random() < 0.7 else rng.uniform(14.0, 16.0)
                tot += spread_bursts(sink, rng, key, user, ua, True, ip, o.code, share, x, h0,
                                     min(19.5, h0 + rng.uniform(4.0, 8.0)), 50, 'cp', lunch=False)
            new('new_account', [user], o.code,
                dict(key=key, days=[str(DATES[x]) for x in days], client_ip=ip, planned_records=tot,
                     description='account created through a compromised local administrator, never used before, '
                                 'pulls by postcode through the portal API'))
        elif shape == 'org_wide':
            d0 = rng.choice([x for x in range(14, 48) if is_workday(x)])
            days = workdays(d0, rng.randint(3, 5))
            cands = []
            for o in orgs:
                if o.kind in ('OF',) or o.alsace:
                    continue
                el = [p for p in o.persons if eligible(p, days)]
                if len(el) >= 6:
                    cands.append((o, el))
            o, el = rng.choice(cands)
            k = rng.randint(3, min(6, len(el) - 2))
            vs = rng.sample(el, k)
            for p in vs:
                used_victims.add(p.user)
            net = '.'.join(pub_ip(rng, 'hosting').split('.')[:3])
            ips = ['%s.%d' % (net, rng.randint(2, 250)) for _ in range(2)]
            meds = {}
            tot = 0
            for p in vs:
                med = estimate_daily(p, seed)
                meds[p.user] = med
                fac = rng.uniform(0.6, 1.4)
                for x in days:
                    if WD[x] == p.offday:
                        continue
                    ua = p.ua0 if x < p.uasw else p.ua1
                    tot += spread_bursts(sink, rng, key, p.user, ua, p.browser, rng.choice(ips), o.code,
                                         int(med * fac * rng.uniform(0.8, 1.2)), x, 9.0, 18.0, 20, 'nom')
            new('org_wide', [p.user for p in vs], o.code,
                dict(key=key, victims_median_daily_records_estimated=meds, days=[str(DATES[x]) for x in days],
                     client_ips=ips, planned_records=tot,
                     description='phishing wave on one organisation: several advisors each pulled ~1.6-2.4x their '
                                 'normal volume the same days, from one hosting /24'))
        elif shape in ('off_hours', 'off_hours_weekend'):
            weekend = shape == 'off_hours_weekend' or ('off_hours_weekend' not in plan and rng.random() < 0.35)
            if weekend:
                d = rng.choice([x for x in range(10, 55) if WD[x] >= 5])
                h = rng.uniform(10.0, 18.0)
            else:
                d = rng.choice([x for x in range(10, 55) if WD[x] in (1, 2, 3, 4)])
                h = rng.uniform(0.6, 4.5)
            v = pick_victim([d - 1, d, d + 1] if d + 1 < DAYS else [d - 1, d], min_base=34.0)
            med = estimate_daily(v, seed)
            target = int(med * rng.uniform(1.0, 2.3))
            ua = v.ua0 if rng.random() < 0.6 else 'python-requests/2.32.3'
            ip = pub_ip(rng, 'hosting' if rng.random() < 0.6 else 'home')
            dur = rng.uniform(0.7, 2.5)
            got = spread_bursts(sink, rng, key, v.user, ua, ua.startswith('Mozilla'), ip, v.org.code, target, d,
                                h, h + dur, 50, 'nom', lunch=False)
            new('off_hours', [v.user], v.org.code,
                dict(key=key, victim_median_daily_records_estimated=med, day=str(DATES[d]),
                     local_hours='%.1f-%.1f' % (h, h + dur), client_ip=ip, user_agent=ua, planned_records=got,
                     description='about one normal day of records pulled %s' % (
                         'on a weekend day' if weekend else 'in the middle of the night')))
        elif shape == 'service_bulk':
            s = rng.choice([s for s in services if s['kind'] == 'nightly' and s['org'] not in ('UNML',)
                            and s['org'] not in used_orgs])
            d = rng.choice([x for x in range(12, 54) if is_workday(x)])
            t0 = local_ts(d, rng.uniform(11.0, 16.0) * 3600)
            target = int(rng.uniform(20000, 55000))
            ua = rng.choice(['python-requests/2.32.3', 'Go-http-client/1.1', s['ua']])
            ip = pub_ip(rng, 'hosting')
            paged_pull(sink, rng, s, t0, target, 1000, 'flux', d, atk=key, ua=ua, xff=ip,
                       since='2015-01-01T00:00:00Z')
            new('bulk_extraction', [s['user']], s['org'],
                dict(key=key, variant='service_account', day=str(DATES[d]), client_ip=ip, user_agent=ua,
                     planned_records=target,
                     description='stolen technical-account secret used in daytime to replay the full change feed '
                                 'from a hosting address'))
    return attacks


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--seed', type=int, required=True)
    ap.add_argument('--outdir', required=True)
    ap.add_argument('--labels', required=True)
    ap.add_argument('--notes', default=None)
    a = ap.parse_args()
    seed = a.seed
    os.makedirs(a.outdir, exist_ok=True)
    for f in os.listdir(a.outdir):
        if (f.startswith('u_ex') and f.endswith('.log')) or f == 'ALL.log':
            os.remove(os.path.join(a.outdir, f))
    ldir = os.path.dirname(os.path.abspath(a.labels))
    os.makedirs(ldir, exist_ok=True)
    notes_path = a.notes or os.path.join(ldir, 'notes%d.json' % seed)

    benign = Labels()
    orgs, persons, used, shared = build_population(seed)
    services = build_services(seed, orgs)
    extra = plan_traps(seed, orgs, persons, services, used, shared, benign)
    persons = persons + extra
    outages = plan_outages(seed, benign)
    sink = Sink(outages)
    attacks = plan_attacks(seed, orgs, persons, services, used, sink)
    track = set()
    for at in attacks:
        track.update(at['accounts'])
    writer = Writer(a.outdir, outages, seed, track)

    next_fi = 0
    for d in range(DAYS):
        rng = random.Random('altgen10/%d/day/%d' % (seed, d))
        infra_day(d, rng, sink)
        for p in persons:
            person_day(p, d, rng, sink, SCHOOL_DAYS)
        for s in services:
            service_day(s, d, rng, sink)
        while next_fi <= d:
            writer.flush(next_fi, sink.buckets.pop(next_fi, []))
            next_fi += 1
    last_fi = max(sink.buckets) if sink.buckets else next_fi - 1
    while next_fi <= last_fi:
        writer.flush(next_fi, sink.buckets.pop(next_fi, []))
        next_fi += 1
    writer.close()

    # ------------------------------------------------ labels
    order = sorted(attacks, key=lambda x: writer.atk.get(x['details']['key'], [0, 0, 1e18])[2])
    lab_attacks, note_attacks = [], []
    for i, at in enumerate(order):
        st = writer.atk.get(at['details']['key'])
        if st is None:
            continue
        aid = 'A%d' % (len(lab_attacks) + 1)
        lab_attacks.append(dict(id=aid, shape=at['shape'], accounts=at['accounts'], org=at['org'],
                                start=rfc3339(st[2]), end=rfc3339(st[3]), records=st[1], events=st[0]))
        det = dict(at['details'])
        det.pop('key', None)
        obs = {}
        for u in at['accounts']:
            vals = sorted(v for (uu, dd), v in writer.daily.items()
                          if uu == u and 0 <= dd < DAYS and is_workday(dd) and v > 0)
            obs[u] = vals[len(vals) // 2] if vals else 0
        det['victim_median_daily_records_observed_benign_workdays'] = obs
        note_attacks.append(dict(id=aid, shape=at['shape'], accounts=at['accounts'], org=at['org'], **det))
    labels = {
        'seed': seed, 'time_zone': 'Europe/Paris', 'start': rfc3339(PERIOD_START), 'end': rfc3339(PERIOD_END),
        'days': DAYS, 'account_count': len(writer.users), 'events': writer.events, 'records': writer.records,
        'attacks': lab_attacks, 'benign': benign.items,
    }
    with open(a.labels, 'w', encoding='utf-8') as f:
        json.dump(labels, f, indent=1, ensure_ascii=False)
    notes = {
        'seed': seed,
        'generator': 'altgen10 (IIS W3C extended log habit)',
        'account_spelling': 'accounts are written exactly as in cs-username: DOMAIN\\login for people '
                            '(PARTENAIRES\\x or a departmental domain such as CD59\\x), UPN '
                            'svc-...@partenaires.local for technical accounts',
        'org_field': 'X-Org-Id custom field (request header), last-but-one field',
        'records_field': 'X-Result-Count custom field (response header), last field; - when no person data',
        'period': 'start inclusive, end exclusive (local midnight); labels end times of benign items are the '
                  'local midnight after the last day (exclusive)',
        'counting': 'events = complete log entries (all users, anonymous lines and health checks included; '
                    'partial entries left by crashes excluded); records = sum of numeric X-Result-Count over '
                    'them; attack records/events count only the attacker entries written under the attacked '
                    'account (cs-username); the anonymous 401 2 5 / OPTIONS legs of the attacker sessions are in '
                    'the log but not counted in the attack',
        'population': dict(orgs=len(orgs), persons=len(persons), services=len(services),
                           org_kinds={k: sum(1 for o in orgs if o.kind == k)
                                      for k in ('CAPE', 'ML', 'CD', 'CAF', 'OF', 'CCAS')}),
        'restarts': [dict(kind=o['kind'], start=rfc3339(o['start']), restart=rfc3339(o['end'])) for o in outages],
        'truncated_lines': writer.truncated,
        'attacks': note_attacks,
        'benign': benign.why,
    }
    with open(notes_path, 'w', encoding='utf-8') as f:
        json.dump(notes, f, indent=1, ensure_ascii=False)


if __name__ == '__main__':
    main()
