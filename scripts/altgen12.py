#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""
DIADE - journaux applicatifs de production (extrait remis par la DSI)
=====================================================================

DIADE (« Dispositif d'Information et d'Accès aux Dossiers Emploi ») est
l'application web par laquelle les structures partenaires (Cap emploi,
missions locales, conseils départementaux, CAF, CCAS, organismes de
formation, PLIE) consultent les dossiers des demandeurs d'emploi. Elle est
servie par deux nœuds Spring Boot / Tomcat (pdiade-app01, pdiade-app02)
derrière un répartiteur de charge avec affinité de session. Les
traitements planifiés (synchronisations, exports, statistiques) ne
s'exécutent que sur pdiade-app01. Les interfaces des partenaires
(comptes techniques, authentification OAuth2 « client credentials »)
appellent l'API REST sans affinité.

Ce script produit l'extrait tel qu'il a été remis : huit semaines de
journaux Log4j2 des deux nœuds, du lundi 6 octobre 2025 00:00 au dimanche
30 novembre 2025 23:59 (heure de Paris).

Usage
-----
    python3 scripts/altgen12.py --seed S --outdir DIR --labels FICHIER.json

L'extrait dépend uniquement de --seed.

Arborescence
------------
    DIR/pdiade-app01/diade-AAAA-MM-JJ-1.log.gz
    DIR/pdiade-app02/diade-AAAA-MM-JJ-1.log.gz

Un fichier par nœud et par jour calendaire (RollingFileAppender,
TimeBasedTriggeringPolicy à minuit heure locale, compression gzip à la
rotation). Le suffixe « -1 » est le compteur de la politique de taille
(jamais atteinte sur la période). Un des fichiers a été décompressé sur le
serveur lors d'une analyse d'incident et est remis tel quel, sans
l'extension .gz.

Encodage
--------
UTF-8. Exception : jusqu'à son redémarrage du mardi 4 novembre 2025 vers
06:12, la JVM de pdiade-app02 tournait sans -Dfile.encoding et écrivait
en ISO-8859-1 ; les caractères non représentables dans ce jeu (notamment
l'espace fine insécable U+202F) y sont remplacés par « ? ».

Format d'une ligne
------------------
Motif Log4j2 :

    %d{yyyy-MM-dd HH:mm:ss,SSS} %-5level [%thread] %logger{1.} [%X{corr}|%X{user}|%X{structure}] %msg%n

* Horodatage en heure légale de Paris, sans indication de décalage. Au
  passage à l'heure d'hiver (dimanche 26 octobre 2025) la plage
  02:00:00-02:59:59 apparaît deux fois. Les lignes sont dans l'ordre
  d'écriture ; plusieurs threads écrivant en parallèle, l'ordre n'est pas
  strictement chronologique à la milliseconde près.
* Niveaux : DEBUG n'est pas activé ; INFO, WARN, ERROR.
* Les exceptions sont suivies de leur trace de pile Java sur plusieurs
  lignes (lignes commençant par une tabulation, « Caused by: », « ... N
  common frames omitted ») qui n'ont pas l'en-tête ci-dessus.
* MDC entre crochets, champs séparés par « | », vides si non renseignés :
  - corr : identifiant de requête HTTP (8 caractères hexadécimaux), numéro
    de ticket pour la fin d'un export (EXP-nnnnnnn), « job-N » pour un
    traitement planifié ;
  - user : identifiant de connexion. Comptes ProConnect : adresse
    électronique telle que transmise par le fournisseur d'identité (casse
    d'origine conservée). Comptes locaux (organismes de formation, PLIE) :
    identifiant local. Comptes techniques : nom du compte/client ;
  - structure : code de la structure de rattachement du compte
    (CE-0dd Cap emploi, CD-0dd conseil départemental, CAF-0dd,
    ML-0dd-nn mission locale, CCAS-<code INSEE>, OF-<SIREN>, PLIE-0dd-nn,
    DSI-DIADE exploitation). Le MDC n'est pas encore renseigné sur la ligne
    d'authentification (l'identifiant est alors dans le message) et la
    structure n'est pas propagée aux threads export-worker-N.

Messages d'accès aux dossiers
-----------------------------
Logger f.g.d.a.JournalAcces (threads https-jsse-nio-8443-exec-N) :

    Consultation dossier id_de=NNNNNNNN onglet=O motif=M
        une ligne par onglet ouvert d'un dossier (un dossier) ;
    Recherche dossiers critères={...} page=P taille=T : N résultat(s) affiché(s) sur M
        N dossiers renvoyés à l'écran pour cette page, M correspondances au total ;
    Affichage portefeuille page=P : N dossier(s)
        N dossiers de la page de portefeuille affichée ;
    Accès refusé au dossier id_de=... (hors périmètre de la structure)   [WARN]

Logger f.g.d.e.ExportService :

    Demande d'export FMT (périmètre=...) enregistrée sous le ticket EXP-nnnnnnn
        (thread HTTP, aucun dossier encore produit) ;
    Export EXP-nnnnnnn terminé : N ligne(s), X Ko, Y s
        (thread export-worker-N ; N avec séparateur de milliers U+202F,
        Y avec virgule décimale ; un export est plafonné à 5 000 lignes).

Logger f.g.d.api.DossiersApiController (comptes techniques) :

    GET /api/v2/dossiers?...&page=P&taille=T -> 200 (N dossier(s), D ms)

Traitements planifiés (pdiade-app01, threads scheduling-N) :

    f.g.d.b.SyncPartenaireJob
      Démarrage du traitement JOB (exécution n°E) : N dossier(s) à transmettre
      JOB - lot i/n transmis : k dossier(s)
      Fin du traitement JOB (exécution n°E) : N dossier(s) transmis en hh:mm:ss, statut=COMPLETED
      Échec du traitement JOB (exécution n°E) ...                       [ERROR]
      Relance manuelle du traitement JOB demandée par <compte>          [WARN]
    f.g.d.b.ExportHebdoJob
      JOB - fichier i/n : k dossier(s) extrait(s)   (+ lignes de début/fin)
    f.g.d.b.StatistiquesMensuellesJob
      STATS_MENSUELLES - tranche i/n : k dossier(s) lu(s)   (+ début/fin)

La ligne « Démarrage » annonce le volume prévu et la ligne « Fin »
récapitule le total des lots ; les dossiers sont lus lot par lot.
Les nombres de ces récapitulatifs utilisent l'espace insécable U+00A0
comme séparateur de milliers.

Autres messages
---------------
Authentification (f.g.d.s.ProConnectSuccessHandler,
f.g.d.s.LocalAuthenticationProvider), échecs d'authentification
(f.g.d.s.AuthenticationFailureListener, WARN), déconnexion,
délivrance de jetons OAuth2 (f.g.d.s.ClientCredentialsTokenService),
gestion des comptes par les administrateurs locaux
(f.g.d.adm.GestionComptesService), rechargement des référentiels
(f.g.d.c.ReferentielCache : les nombres y sont des entrées de
référentiel), purge des sessions, erreurs techniques
(f.g.d.w.GlobalExceptionHandler), messages des frameworks en anglais
(Spring Boot, Tomcat, HikariCP) aux démarrages/arrêts et incidents.
"""

import argparse
import bisect
import gzip
import hashlib
import json
import math
import os
import random
import re
import unicodedata
from datetime import date, timedelta

# ---------------------------------------------------------------------------
# Calendar and time
# ---------------------------------------------------------------------------
START = date(2025, 10, 6)          # Monday
NDAYS = 56
EPOCH = date(1970, 1, 1)
D0 = (START - EPOCH).days


def didx(y, m, d):
    return (date(y, m, d) - START).days


HOLIDAYS = {didx(2025, 11, 1): "Toussaint", didx(2025, 11, 11): "Armistice 1918"}
BRIDGE = {didx(2025, 11, 10)}
SCHOOL = set(range(didx(2025, 10, 18), didx(2025, 11, 2) + 1))   # vacances de la Toussaint, toutes zones
DST_DAY = didx(2025, 10, 26)
MONTH_END = [didx(2025, 10, 31), didx(2025, 11, 28)]
MONTH_START = [didx(2025, 11, 3)]
POST_HOLIDAY = {didx(2025, 11, 12): 1.18, didx(2025, 11, 3): 1.08}
RESTART_ENC_DAY = didx(2025, 11, 4)
DOWF = [1.24, 1.05, 0.93, 1.0, 0.83, 0.55, 0.5]


def _last_sunday(y, m):
    d = date(y, m, 31)
    while d.weekday() != 6:
        d -= timedelta(days=1)
    return d


_TR = []
for _y in range(2023, 2030):
    _TR.append(((_last_sunday(_y, 3) - EPOCH).days * 86400 + 3600, 7200))
    _TR.append(((_last_sunday(_y, 10) - EPOCH).days * 86400 + 3600, 3600))
_TRU = [t for t, _ in _TR]


def offset(u):
    i = bisect.bisect_right(_TRU, u) - 1
    return _TR[i][1] if i >= 0 else 3600


def local_to_utc(d, s):
    """local seconds s after local midnight of period day d -> epoch (first occurrence if ambiguous)"""
    naive = (D0 + d) * 86400 + s
    u = naive - 7200
    if offset(u) == 7200:
        return u
    u = naive - 3600
    if offset(u) == 3600:
        return u
    return naive - 3600


_DCACHE = {}


def _dstr(di):
    s = _DCACHE.get(di)
    if s is None:
        s = (EPOCH + timedelta(days=di)).isoformat()
        _DCACHE[di] = s
    return s


def ts(u):
    lt = u + offset(u)
    di = int(lt // 86400)
    s = lt - di * 86400
    si = int(s)
    ms = int((s - si) * 1000)
    return "%s %02d:%02d:%02d,%03d" % (_dstr(di), si // 3600, si // 60 % 60, si % 60, ms)


def local_day(u):
    return int((u + offset(u)) // 86400) - D0


def rfc3339(u, ceil=False):
    u = math.ceil(u) if ceil else math.floor(u)
    off = offset(u)
    lt = u + off
    di = lt // 86400
    s = lt - di * 86400
    return "%sT%02d:%02d:%02d+%02d:00" % (_dstr(di), s // 3600, s // 60 % 60, s % 60, off // 3600)


def day_start(d):
    return local_to_utc(d, 0)


def day_end(d):
    return local_to_utc(d, 86399)


def working_day(d):
    return d % 7 < 5 and d not in HOLIDAYS


def next_working(d):
    while d < NDAYS and not working_day(d):
        d += 1
    return d


H = 3600.0
TICKET_RX = re.compile(r"EXP-#\d+#")
NBSP = "\u00a0"
NNBSP = "\u202f"


def grp(n, sep):
    s = str(int(n))
    if len(s) <= 3:
        return s
    parts = []
    while s:
        parts.append(s[-3:])
        s = s[:-3]
    return sep.join(reversed(parts))


def slug(s, space="-"):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("'", "").replace("’", "")
    s = s.replace(" ", space)
    return s.lower()


def ascii_only(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).replace("'", "")


# ---------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------
DEPTS = [
    ("29", "Finistère", "finistere.fr", [("Brest", "29019"), ("Quimper", "29232"), ("Morlaix", "29151"), ("Concarneau", "29039")]),
    ("35", "Ille-et-Vilaine", "ille-et-vilaine.fr", [("Rennes", "35238"), ("Saint-Malo", "35288"), ("Fougères", "35115"), ("Vitré", "35360")]),
    ("22", "Côtes-d'Armor", "cotesdarmor.fr", [("Saint-Brieuc", "22278"), ("Lannion", "22113"), ("Dinan", "22050"), ("Guingamp", "22070")]),
    ("56", "Morbihan", "morbihan.fr", [("Lorient", "56121"), ("Vannes", "56260"), ("Pontivy", "56178"), ("Lanester", "56098")]),
    ("44", "Loire-Atlantique", "loire-atlantique.fr", [("Nantes", "44109"), ("Saint-Nazaire", "44184"), ("Rezé", "44143"), ("Châteaubriant", "44036")]),
    ("49", "Maine-et-Loire", "maine-et-loire.fr", [("Angers", "49007"), ("Cholet", "49099"), ("Saumur", "49328"), ("Trélazé", "49353")]),
    ("72", "Sarthe", "sarthe.fr", [("Le Mans", "72181"), ("La Flèche", "72154"), ("Sablé-sur-Sarthe", "72264")]),
    ("59", "Nord", "lenord.fr", [("Lille", "59350"), ("Roubaix", "59512"), ("Tourcoing", "59599"), ("Dunkerque", "59183"), ("Valenciennes", "59606"), ("Maubeuge", "59392")]),
    ("62", "Pas-de-Calais", "pasdecalais.fr", [("Arras", "62041"), ("Calais", "62193"), ("Lens", "62498"), ("Boulogne-sur-Mer", "62160")]),
    ("80", "Somme", "somme.fr", [("Amiens", "80021"), ("Abbeville", "80001")]),
    ("33", "Gironde", "gironde.fr", [("Bordeaux", "33063"), ("Mérignac", "33281"), ("Pessac", "33318"), ("Libourne", "33243")]),
    ("31", "Haute-Garonne", "haute-garonne.fr", [("Toulouse", "31555"), ("Colomiers", "31149"), ("Muret", "31395"), ("Saint-Gaudens", "31483")]),
    ("34", "Hérault", "herault.fr", [("Montpellier", "34172"), ("Béziers", "34032"), ("Sète", "34301"), ("Lunel", "34145")]),
    ("13", "Bouches-du-Rhône", "departement13.fr", [("Marseille", "13055"), ("Aix-en-Provence", "13001"), ("Arles", "13004"), ("Martigues", "13056")]),
    ("69", "Rhône", "rhone.fr", [("Villefranche-sur-Saône", "69264"), ("Tarare", "69243"), ("Givors", "69091")]),
    ("38", "Isère", "isere.fr", [("Grenoble", "38185"), ("Vienne", "38544"), ("Échirolles", "38151"), ("Bourgoin-Jallieu", "38053")]),
    ("93", "Seine-Saint-Denis", "seinesaintdenis.fr", [("Saint-Denis", "93066"), ("Montreuil", "93048"), ("Aubervilliers", "93001"), ("Bobigny", "93008")]),
    ("94", "Val-de-Marne", "valdemarne.fr", [("Créteil", "94028"), ("Vitry-sur-Seine", "94081"), ("Champigny-sur-Marne", "94017")]),
    ("57", "Moselle", "moselle.fr", [("Metz", "57463"), ("Thionville", "57672"), ("Forbach", "57227")]),
    ("67", "Bas-Rhin", "bas-rhin.fr", [("Strasbourg", "67482"), ("Haguenau", "67180"), ("Sélestat", "67462")]),
    ("45", "Loiret", "loiret.fr", [("Orléans", "45234"), ("Montargis", "45208"), ("Gien", "45155")]),
    ("63", "Puy-de-Dôme", "puy-de-dome.fr", [("Clermont-Ferrand", "63113"), ("Riom", "63300"), ("Thiers", "63430")]),
    ("86", "Vienne", "lavienne86.fr", [("Poitiers", "86194"), ("Châtellerault", "86066")]),
    ("76", "Seine-Maritime", "seinemaritime.fr", [("Rouen", "76540"), ("Le Havre", "76351"), ("Dieppe", "76217"), ("Elbeuf", "76231")]),
    ("14", "Calvados", "calvados.fr", [("Caen", "14118"), ("Lisieux", "14366"), ("Bayeux", "14047")]),
    ("02", "Aisne", "aisne.fr", [("Saint-Quentin", "02691"), ("Laon", "02408"), ("Soissons", "02722")]),
    ("60", "Oise", "oise.fr", [("Beauvais", "60057"), ("Compiègne", "60159"), ("Creil", "60175")]),
    ("53", "Mayenne", "lamayenne.fr", [("Laval", "53130"), ("Mayenne", "53147")]),
    ("85", "Vendée", "vendee.fr", [("La Roche-sur-Yon", "85191"), ("Les Sables-d'Olonne", "85194"), ("Fontenay-le-Comte", "85092")]),
]

PRENOMS = ["Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Valérie", "Sandrine", "Stéphanie",
           "Christine", "Céline", "Sophie", "Émilie", "Aurélie", "Julie", "Camille", "Laure", "Hélène", "Virginie",
           "Caroline", "Anne", "Élodie", "Audrey", "Mélanie", "Laetitia", "Karine", "Delphine", "Gaëlle", "Morgane",
           "Claire", "Pauline", "Manon", "Léa", "Chloé", "Sarah", "Inès", "Fatima", "Nadia", "Samira", "Amandine",
           "Marion", "Anaïs", "Charlotte", "Justine", "Elsa", "Agnès", "Patricia", "Véronique", "Florence", "Corinne",
           "Maëlle", "Solène", "Anne-Sophie", "Marie-Laure", "Jean", "Pierre", "Michel", "Philippe", "Alain", "Nicolas",
           "Christophe", "Stéphane", "Laurent", "Frédéric", "Olivier", "Sébastien", "Julien", "Thomas", "David",
           "Jérôme", "Éric", "Guillaume", "Vincent", "Mathieu", "Antoine", "Romain", "Maxime", "Kevin", "Yannick",
           "Loïc", "Gwenaël", "Erwan", "Hugo", "Lucas", "Mehdi", "Karim", "Rachid", "Samir", "Thierry", "Pascal",
           "Patrick", "Bruno", "Franck", "Cédric", "Fabrice", "Arnaud", "Benoît", "François", "Jean-Pierre",
           "Jean-Marc", "Pierre-Yves", "Jean-Luc", "Hervé", "Didier", "Gilles", "Xavier", "Damien", "Aurélien",
           "Baptiste", "Florian", "Quentin", "Adrien", "Rémi", "Noémie", "Ophélie", "Aïcha", "Yasmine", "Cécile",
           "Béatrice", "Myriam", "Sabrina", "Leïla", "Mathilde", "Lucie", "Margaux", "Alexandre", "Benjamin"]
NOMS = ["Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent", "Simon",
        "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont",
        "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefèvre", "Faure", "André", "Mercier", "Blanc",
        "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin",
        "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand", "Duval",
        "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun", "Blanchard", "Giraud",
        "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud", "Martinez", "Gérard", "Roche",
        "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron", "Picard", "Roger", "Fabre", "Aubert",
        "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey",
        "Leclerc", "Payet", "Rolland", "Leclercq", "Guillaume", "Lecomte", "Lopez", "Jean", "Dupuis", "Guillot",
        "Hubert", "Berger", "Carpentier", "Sanchez", "Dupuy", "Moulin", "Louis", "Deschamps", "Huet", "Vasseur",
        "Perez", "Boucher", "Fleury", "Royer", "Klein", "Jacquet", "Adam", "Paris", "Poirier", "Marty", "Aubry",
        "Guyot", "Carré", "Charles", "Renault", "Charpentier", "Ménard", "Maillard", "Baron", "Bertin", "Bailly",
        "Hervé", "Schneider", "Fernandez", "Le Gall", "Le Goff", "Le Roux", "Le Bihan", "Le Guen", "Kerbrat",
        "Tanguy", "Quéméner", "Diallo", "N'Diaye", "Traoré", "Benali", "Haddad", "Da Silva", "Pereira", "Ferreira",
        "Nguyen", "Da Costa", "Lebrun", "Lefort", "Delattre", "Wojcik", "Kowalski", "Bouchard", "Delmas",
        "Cazenave", "Etcheverry", "Hamon", "Jaouen", "Riou", "Cadiou", "Bouvier", "Pons", "Collet", "Besnard"]

ONGLETS = ["PARCOURS", "COORDONNEES", "RDV", "CV", "DOCUMENTS", "ORIENTATION"]
ONGLET_W = [30, 20, 18, 12, 10, 10]
MOTIFS = {"CE": ["ACCOMPAGNEMENT", "ACCOMPAGNEMENT", "MAINTIEN_EMPLOI"],
          "ML": ["ACCOMPAGNEMENT", "ACCOMPAGNEMENT", "CEJ"],
          "CD": ["INSTRUCTION_RSA", "ACCOMPAGNEMENT", "ORIENTATION"],
          "CAF": ["VERIF_DROITS"],
          "CCAS": ["ACCUEIL", "AIDE_SOCIALE"],
          "OF": ["FORMATION"],
          "PLIE": ["ACCOMPAGNEMENT"],
          "DSI": ["SUPPORT"]}
PROFIL = {"CONSEILLER": "CONSEILLER", "GESTIONNAIRE": "GESTIONNAIRE", "REFERENT": "REFERENT_FORMATION",
          "ACCUEIL": "ACCUEIL", "RESPONSABLE": "RESPONSABLE", "ADMIN_LOCAL": "ADMIN_LOCAL", "SUPPORT": "SUPPORT_N2"}

# loggers (%logger{1.})
L_AUTH_PC = "f.g.d.s.ProConnectSuccessHandler"
L_AUTH_LOC = "f.g.d.s.LocalAuthenticationProvider"
L_AUTH_FAIL = "f.g.d.s.AuthenticationFailureListener"
L_LOGOUT = "f.g.d.s.DiadeLogoutHandler"
L_TOKEN = "f.g.d.s.ClientCredentialsTokenService"
L_JA = "f.g.d.a.JournalAcces"
L_EXP = "f.g.d.e.ExportService"
L_API = "f.g.d.api.DossiersApiController"
L_SYNC = "f.g.d.b.SyncPartenaireJob"
L_HEBDO = "f.g.d.b.ExportHebdoJob"
L_STATS = "f.g.d.b.StatistiquesMensuellesJob"
L_ADM = "f.g.d.adm.GestionComptesService"
L_REF = "f.g.d.c.ReferentielCache"
L_PURGE = "f.g.d.s.SessionPurgeTask"
L_ERR = "f.g.d.w.GlobalExceptionHandler"
L_HIK = "c.z.h.p.HikariPool"
L_APP = "f.g.d.DiadeApplication"
L_TOMCAT = "o.a.c.h.Http11NioProtocol"
L_SHUT = "o.s.b.w.e.t.GracefulShutdown"

OFFICE_OCT1 = [80, 81, 82, 83, 86, 88, 90, 92, 109, 176, 185, 193, 194, 195, 212, 213, 217]
HOME_OCT1 = [2, 5, 31, 37, 77, 78, 79, 82, 86, 88, 90, 92, 109, 176]
ATK_OCT1 = [45, 89, 91, 103, 141, 146, 154, 162, 185, 193, 194, 209]


def rand_ip(rng, firsts):
    return "%d.%d.%d.%d" % (rng.choice(firsts), rng.randint(1, 254), rng.randint(0, 255), rng.randint(1, 254))


# ---------------------------------------------------------------------------
# Population
# ---------------------------------------------------------------------------
class Org:
    def __init__(self, code, kind, dd, dname, towns, town, domain, style, name):
        self.code, self.kind, self.dd, self.dname = code, kind, dd, dname
        self.towns, self.town, self.domain, self.style, self.name = towns, town, domain, style, name
        self.members = []
        self.ips = []


class Person:
    kind = "person"

    def __init__(self, login, org, role, prenom, nom):
        self.login, self.org, self.role, self.prenom, self.nom = login, org, role, prenom, nom
        self.login2 = None
        self.rename_day = None
        self.start, self.end = 0, NDAYS - 1
        self.vac = set()
        self.special = {}
        self.mode = {}
        self.sick_until = -1
        self.trap = False

    def login_on(self, d):
        if self.rename_day is not None and d >= self.rename_day:
            return self.login2
        return self.login


class Service:
    kind = "service"

    def __init__(self, login, org, skind, job, base):
        self.login, self.org, self.skind, self.job, self.base = login, org, skind, job, base
        self.start = 0
        self.special = {}
        self.fail = {}
        self.trap = False


class Gen:
    def __init__(self, seed):
        self.seed = seed
        self.rng = self.sub("main")
        self.orgs = []
        self.persons = []
        self.services = []
        self.logins = set()
        self.benign = []
        self.notes_benign = []
        self.attacks = []
        self.atk_events = []
        self.atk_stats = {}
        self.seen = set()
        self.n_events = 0
        self.n_records = 0
        self.n_lines = 0
        self.normal_daily = {}
        self.ticket = 0
        self.ticket_seq = 0
        self.ticket_map = {}
        self.execn = 0

    def sub(self, name):
        h = hashlib.sha256(("altgen12:%d:%s" % (self.seed, name)).encode()).hexdigest()
        return random.Random(int(h[:32], 16))

    # ------------------------------------------------------------------
    def unique_login(self, base_local, domain, sep="."):
        cand = base_local + ("@" + domain if domain else "")
        k = 2
        while cand.lower() in self.logins:
            cand = base_local + str(k) + ("@" + domain if domain else "")
            k += 1
        self.logins.add(cand.lower())
        return cand

    def make_login(self, rng, org, prenom, nom):
        st = org.style
        p, n = ascii_only(prenom), ascii_only(nom)
        if st == "email":
            return self.unique_login("%s.%s" % (slug(p), slug(n)), org.domain)
        if st == "email_concat":
            return self.unique_login("%s.%s" % (slug(p), slug(n, "")), org.domain)
        if st == "email_caps":
            return self.unique_login("%s.%s" % (p.replace(" ", "-"), n.upper().replace(" ", "-")), org.domain)
        if st == "initial":
            return self.unique_login("%s%s" % (slug(p)[0], slug(n, "")), org.domain)
        if st == "local_of":
            return self.unique_login("of%s.%s%s" % (org.code[3:6], slug(p)[0], slug(n, "")), None)
        if st == "local_plie":
            return self.unique_login("PLIE%s-%s%s" % (org.dd, slug(p)[0].upper(), slug(n, "").upper()), None)
        raise ValueError(st)

    def add_org(self, rng, code, kind, dd, dname, towns, town, domain, style, name):
        o = Org(code, kind, dd, dname, towns, town, domain, style, name)
        for _ in range(1 if kind in ("OF", "CCAS", "PLIE") else rng.randint(1, 2)):
            o.ips.append(rand_ip(rng, OFFICE_OCT1))
        self.orgs.append(o)
        return o

    def new_person(self, rng, org, role, start=0):
        prenom, nom = rng.choice(PRENOMS), rng.choice(NOMS)
        login = self.make_login(rng, org, prenom, nom)
        a = Person(login, org, role, prenom, nom)
        a.start = start
        med = {("CE", "CONSEILLER"): 75, ("ML", "CONSEILLER"): 60, ("CD", "CONSEILLER"): 55,
               ("PLIE", "CONSEILLER"): 45, ("CCAS", "CONSEILLER"): 14, ("CAF", "GESTIONNAIRE"): 24,
               ("OF", "REFERENT"): 14, ("DSI", "SUPPORT"): 9}.get((org.kind, role))
        if med is None:
            med = {"ACCUEIL": 30 if org.kind != "CCAS" else 15, "RESPONSABLE": 35, "ADMIN_LOCAL": 10}.get(role, 20)
        a.base = max(3.0, med * math.exp(rng.gauss(0, 0.45)))
        a.sigma = rng.uniform(0.25, 0.5)
        # schedule
        a.arrive = rng.gauss(8.7, 0.45) * H
        if org.kind == "CAF":
            a.arrive -= 0.4 * H
        a.leave = rng.gauss(17.3, 0.5) * H
        a.lunch = rng.gauss(12.2, 0.25) * H
        a.lunch_len = rng.uniform(40, 95) * 60
        a.offdays, a.halfdays = set(), set()
        x = rng.random()
        if x < 0.11:
            a.offdays.add(2)
        elif x < 0.15:
            a.offdays.add(4)
        elif x < 0.17:
            a.offdays.add(0)
        elif x < 0.22:
            a.halfdays.add(2)
        elif x < 0.27:
            a.halfdays.add(4)
        x = rng.random()
        a.p_evening = 0.0 if x < 0.8 else (rng.uniform(0.03, 0.1) if x < 0.95 else rng.uniform(0.1, 0.25))
        x = rng.random()
        a.p_weekend = 0.0 if x < 0.9 else (rng.uniform(0.03, 0.08) if x < 0.98 else rng.uniform(0.1, 0.2))
        a.telework = set(rng.sample([0, 1, 2, 3, 4], rng.randint(1, 2))) if rng.random() < 0.4 else set()
        a.home_ip = rand_ip(rng, HOME_OCT1)
        a.taille = rng.choice([10, 20, 20, 20, 50])
        a.pf_page = rng.choice([20, 50])
        dd = int(org.dd)
        a.id_base = dd * 1000000 + rng.randrange(0, 990000)
        a.dept_base = dd * 1000000
        if role == "RESPONSABLE":
            a.pf_size = max(100, len(org.members) * rng.randint(60, 140))
        elif role in ("CONSEILLER", "GESTIONNAIRE"):
            a.pf_size = rng.randint(50, 190)
        else:
            a.pf_size = rng.randint(20, 90)
        org.members.append(a)
        self.persons.append(a)
        return a

    def build_population(self):
        rng = self.sub("population")
        depts = rng.sample(DEPTS, rng.randint(11, 15))
        for dd, dname, ddomain, towns in depts:
            d3 = dd.zfill(3)
            t0 = towns[0][0]
            ce_dom = rng.choice(["capemploi%s.com" % dd, "capemploi-%s.fr" % dd, "capemploi%s.org" % dd])
            self.add_org(rng, "CE-" + d3, "CE", dd, dname, towns, t0, ce_dom,
                         rng.choice(["email", "email", "initial"]), "Cap emploi " + dname)
            self.add_org(rng, "CD-" + d3, "CD", dd, dname, towns, t0, ddomain,
                         "email_caps" if rng.random() < 0.25 else "email", "Conseil départemental " + dname)
            self.add_org(rng, "CAF-" + d3, "CAF", dd, dname, towns, t0, "caf.cnafmail.fr", "email", "CAF " + dname)
            nml = rng.randint(2, min(4, len(towns)))
            for i, (town, insee) in enumerate(towns[:nml]):
                s = slug(town)
                dom = rng.choice(["ml-%s.fr" % s, "missionlocale-%s.org" % s, "mission-locale-%s.fr" % s])
                self.add_org(rng, "ML-%s-%02d" % (d3, i + 1), "ML", dd, dname, towns, town, dom,
                             rng.choice(["email", "email_concat", "initial"]), "Mission locale " + town)
            for town, insee in rng.sample(towns, rng.randint(0, min(3, len(towns)))):
                s = slug(town)
                dom = rng.choice(["ccas-%s.fr" % s, "ville-%s.fr" % s, "mairie-%s.fr" % s])
                self.add_org(rng, "CCAS-" + insee, "CCAS", dd, dname, towns, town, dom,
                             rng.choice(["initial", "email"]), "CCAS " + town)
            for i in range(rng.randint(0, 3)):
                siren = str(rng.randint(300000000, 899999999))
                self.add_org(rng, "OF-" + siren, "OF", dd, dname, towns, rng.choice(towns)[0], None, "local_of",
                             "Organisme de formation " + siren)
            if rng.random() < 0.45:
                self.add_org(rng, "PLIE-%s-01" % d3, "PLIE", dd, dname, towns, t0, None, "local_plie", "PLIE " + t0)
        dsi = self.add_org(rng, "DSI-DIADE", "DSI", "75", "Paris", [("Paris", "75056")], "Paris", "diade.gouv.fr",
                           "email", "DSI - exploitation DIADE")
        self.dsi = dsi
        sizes = {"CE": (8, 28), "ML": (5, 22), "CD": (10, 38), "CAF": (2, 8), "CCAS": (1, 5), "OF": (1, 4),
                 "PLIE": (3, 10), "DSI": (3, 5)}
        for o in self.orgs:
            n = rng.randint(*sizes[o.kind])
            roles = []
            if o.kind == "CE":
                roles = ["RESPONSABLE"] * (2 if n > 18 else 1) + ["ADMIN_LOCAL"] * (n > 10) + ["ACCUEIL"] * rng.randint(1, 2)
            elif o.kind == "ML":
                roles = ["RESPONSABLE"] + ["ACCUEIL"] * (1 + (n > 12)) + ["ADMIN_LOCAL"] * (n > 12)
            elif o.kind == "CD":
                roles = ["RESPONSABLE"] * rng.randint(2, 3) + ["ADMIN_LOCAL"] + ["ACCUEIL"] * rng.randint(1, 2)
            elif o.kind == "CAF":
                roles = ["RESPONSABLE"] * (n > 3)
            elif o.kind == "CCAS":
                roles = ["ACCUEIL"]
            elif o.kind == "PLIE":
                roles = ["RESPONSABLE"]
            fill = {"CE": "CONSEILLER", "ML": "CONSEILLER", "CD": "CONSEILLER", "CAF": "GESTIONNAIRE",
                    "CCAS": "CONSEILLER", "OF": "REFERENT", "PLIE": "CONSEILLER", "DSI": "SUPPORT"}[o.kind]
            roles = roles[:n] + [fill] * max(0, n - len(roles))
            # conseillers first so that responsables know their team size
            for r in sorted(roles, key=lambda r: r == "RESPONSABLE"):
                self.new_person(rng, o, r)
        # ops account (no reads)
        self.ops_login = self.unique_login("exploit.dsi", None)
        # services
        seen_ml_dept = set()
        for o in self.orgs:
            d3 = o.dd.zfill(3)
            if o.kind == "CAF":
                s = Service("svc-sync-caf" + d3, o, "sync", "SYNC_CAF" + d3, rng.randint(4000, 25000))
                s.start_min = rng.choice([75, 90, 105, 120, 135])
                s.days = {0, 1, 2, 3, 4, 5, 6} if rng.random() < 0.5 else {1, 2, 3, 4, 5}
                s.lot = rng.choice([500, 1000, 2000])
                self.services.append(s)
            elif o.kind == "CD" and rng.random() < 0.5:
                s = Service("SVC_API_CD" + d3, o, "api", None, rng.randint(2000, 12000))
                s.interval = rng.choice([10, 15, 20])
                s.taille = rng.choice([200, 500])
                self.services.append(s)
            elif o.kind == "CE" and rng.random() < 0.4:
                s = Service("svc-ce%s-sync" % d3, o, "sync", "SYNC_CE" + d3, rng.randint(1500, 8000))
                s.start_min = rng.choice([30, 45, 180, 210])
                s.days = {1, 2, 3, 4, 5}
                s.lot = rng.choice([500, 1000])
                self.services.append(s)
            elif o.kind == "ML" and o.dd not in seen_ml_dept:
                seen_ml_dept.add(o.dd)
                if rng.random() < 0.55:
                    s = Service("batch.imilo.ml" + d3, o, "weekly", "EXPORT_HEBDO_IMILO_" + d3, rng.randint(8000, 30000))
                    s.start_min = rng.choice([300, 330, 345])
                    self.services.append(s)
            elif o.kind == "OF" and rng.random() < 0.35:
                s = Service("WS-" + o.code, o, "ofws", None, rng.randint(50, 400))
                self.services.append(s)
        s = Service("svc-stats-diade", dsi, "monthly", "STATS_MENSUELLES", rng.randint(40000, 90000))
        self.services.append(s)
        for s in self.services:
            self.logins.add(s.login.lower())

    # ------------------------------------------------------------------
    def add_benign(self, kind, accounts, u0, u1, why):
        bid = "B%d" % (len(self.benign) + 1)
        self.benign.append({"id": bid, "kind": kind, "accounts": list(accounts),
                            "start": rfc3339(u0), "end": rfc3339(u1, ceil=True)})
        self.notes_benign.append({"id": bid, "kind": kind, "why": why})
        return bid

    def plan_calendar_traps(self):
        for d in range(NDAYS):
            if d % 7 == 0:
                self.add_benign("monday_peak", [], day_start(d), day_end(d),
                                "Les lundis concentrent les rendez-vous et le rattrapage du week-end (volume ~+25%).")
        for d, name in sorted(HOLIDAYS.items()):
            self.add_benign("public_holiday", [], day_start(d), day_end(d),
                            "Jour férié (%s) : quasi aucune activité humaine, traitements planifiés maintenus." % name)
        for d in sorted(BRIDGE):
            self.add_benign("bridge_day", [], day_start(d), day_end(d),
                            "Pont du lundi 10 novembre : plus de la moitié des agents absents.")
        for d, f in sorted(POST_HOLIDAY.items()):
            self.add_benign("post_holiday_catchup", [], day_start(d), day_end(d),
                            "Reprise après férié / vacances scolaires : volume x%.2f." % f)
        s0, s1 = min(SCHOOL), max(SCHOOL)
        self.add_benign("school_holidays", [], day_start(s0), day_end(s1),
                        "Vacances de la Toussaint (toutes zones) : beaucoup de congés, activité réduite.")
        self.add_benign("dst_change", [], local_to_utc(DST_DAY, 2 * 3600), local_to_utc(DST_DAY, 2 * 3600) + 2 * 3600 - 1,
                        "Passage à l'heure d'hiver : la plage 02:00-02:59 apparaît deux fois dans les horodatages locaux.")

    def plan_people(self):
        rng = self.sub("people")
        persons = list(self.persons)
        # vacations
        for a in persons:
            if a.org.kind == "DSI":
                continue
            x = rng.random()
            if x < 0.22 or x > 0.97:
                weeks = rng.choices([1, 2, 3], [0.55, 0.35, 0.10])[0]
                if x > 0.97:
                    s = -rng.randint(1, 10)
                elif rng.random() < 0.55:
                    s = rng.choice([14, 21])
                else:
                    s = 7 * rng.randint(0, 7) + (0 if rng.random() < 0.7 else rng.randint(1, 3))
                e = s + 7 * weeks - 3
                a.vac = set(d for d in range(s, e + 1) if 0 <= d < NDAYS)
                a.vac_range = (max(0, s), min(NDAYS - 1, e))
                ret = next_working(e + 1)
                if a.vac and ret < NDAYS:
                    a.special[ret] = a.special.get(ret, 1.0) * 1.6
                    r2 = next_working(ret + 1)
                    if r2 < NDAYS:
                        a.special[r2] = a.special.get(r2, 1.0) * 1.3
                    a.vac_return = ret
                    self.add_benign("vacation_return", [a.login_on(ret)], day_start(ret), day_end(min(NDAYS - 1, r2)),
                                    "Retour après %d semaine(s) d'absence : rattrapage (x1.6 puis x1.3)." % weeks)
        # departures
        for a in persons:
            if a.org.kind in ("DSI",) or a.role in ("RESPONSABLE", "ADMIN_LOCAL"):
                continue
            if rng.random() < 0.012:
                a.end = rng.randint(10, 50)
                a.vac = set(d for d in a.vac if d <= a.end)
                a.trap = True
                self.add_benign("departure", [a.login], day_start(a.end), day_end(a.end),
                                "Départ de l'agent : plus aucune activité après cette date.")
        # new joiners
        cands = [o for o in self.orgs if o.kind in ("CE", "ML", "CD", "CAF", "PLIE")]
        nj = max(6, int(len(persons) * 0.015))
        for _ in range(nj):
            o = rng.choice(cands)
            role = {"CAF": "GESTIONNAIRE"}.get(o.kind, "CONSEILLER")
            start = rng.choice([7, 14, 21, 28, 28, 42, 49] + [rng.randint(7, 52)])
            start = next_working(start)
            if start >= NDAYS - 2:
                start = 28
            a = self.new_person(rng, o, role, start=start)
            a.trap = True
            self.ramp(a, start, 1.0)
            self.add_benign("new_joiner", [a.login], day_start(start), day_end(min(NDAYS - 1, start + 13)),
                            "Nouvel agent : compte créé par l'administrateur local quelques jours avant, montée en charge progressive.")
        # portfolio takeover : a departing adviser replaced by a newcomer taking over the caseload
        deps = [a for a in persons if a.role == "CONSEILLER" and a.org.kind in ("CE", "ML", "CD") and not a.trap
                and not a.vac and a.start == 0]
        if deps:
            dep = rng.choice(deps)
            dep.end = rng.randint(12, 34)
            dep.trap = True
            self.add_benign("departure", [dep.login], day_start(dep.end), day_end(dep.end),
                            "Départ d'un conseiller dont le portefeuille est repris (voir portfolio_takeover).")
            st = next_working(dep.end + rng.randint(3, 10))
            nw = self.new_person(rng, dep.org, "CONSEILLER", start=st)
            nw.trap = True
            nw.base = dep.base * rng.uniform(0.9, 1.2)
            nw.pf_size = dep.pf_size
            k = 0
            dd = st
            while k < 3 and dd < NDAYS:
                if working_day(dd):
                    nw.special[dd] = [0.8, 3.2, 2.6][k] * rng.uniform(0.9, 1.15)
                    k += 1
                dd += 1
            nw.takeover = True
            self.add_benign("portfolio_takeover", [nw.login], day_start(st), day_end(min(NDAYS - 1, dd - 1)),
                            "Nouveau conseiller reprenant le portefeuille de %s : parcours intensif des dossiers les premiers jours."
                            % dep.login)
        # login rename (name change after marriage)
        cands = [a for a in persons if not a.trap and a.org.style in ("email", "email_concat") and a.start == 0
                 and a.end == NDAYS - 1 and a.role in ("CONSEILLER", "GESTIONNAIRE")
                 and a.prenom in PRENOMS[:54]]
        if cands:
            a = rng.choice(cands)
            a.trap = True
            nn = rng.choice(NOMS)
            a.login2 = self.unique_login("%s.%s" % (slug(ascii_only(a.prenom)), slug(ascii_only(nn))), a.org.domain)
            a.rename_day = next_working(rng.randint(15, 40))
            self.add_benign("login_renamed", [a.login, a.login2], day_start(a.rename_day), day_end(min(NDAYS - 1, a.rename_day + 6)),
                            "Changement de nom d'usage : l'ancien identifiant cesse, un nouvel identifiant apparaît avec la même activité.")
        # shared reception login
        o = rng.choice([o for o in self.orgs if o.kind in ("CCAS", "CE", "ML")])
        sh = Person(self.unique_login("accueil", o.domain) if o.domain else self.unique_login("accueil." + o.code.lower(), None),
                    o, "ACCUEIL", "Accueil", "Partagé")
        self.init_like(rng, sh, o)
        sh.base = rng.uniform(130, 190)
        sh.arrive, sh.leave, sh.lunch_len = 8.0 * H, 18.4 * H, 30 * 60
        sh.offdays, sh.halfdays, sh.p_evening, sh.p_weekend = set(), set(), 0.0, 0.0
        sh.trap = True
        self.persons.append(sh)
        o.members.append(sh)
        self.add_benign("shared_account", [sh.login], day_start(0), day_end(NDAYS - 1),
                        "Compte d'accueil partagé par plusieurs agents : volume élevé et régulier pour un profil ACCUEIL.")
        # replacement cover
        for _ in range(rng.randint(1, 3)):
            vacs = [a for a in persons if a.vac and a.role == "CONSEILLER" and len(a.vac) >= 5 and not a.trap]
            if not vacs:
                break
            v = rng.choice(vacs)
            cols = [c for c in v.org.members if c is not v and c.role == "CONSEILLER" and not c.trap and c.start == 0
                    and c.end == NDAYS - 1 and not (c.vac & set(range(min(v.vac) - 2, max(v.vac) + 3)))]
            if not cols:
                continue
            c = rng.choice(cols)
            c.trap = True
            f = rng.uniform(1.8, 2.5)
            for d in v.vac:
                c.special[d] = c.special.get(d, 1.0) * f
            self.add_benign("replacement_cover", [c.login], day_start(min(v.vac)), day_end(max(v.vac)),
                            "Remplacement d'un collègue absent (%s) : volume x%.1f pendant son absence." % (v.login, f))
        # org campaign(s)
        big = [o for o in self.orgs if o.kind in ("CD", "ML") and len(o.members) >= 6]
        self.campaign_orgs = set()
        for _ in range(rng.randint(1, 2)):
            o = rng.choice(big)
            self.campaign_orgs.add(o.code)
            d0 = next_working(rng.randint(8, 48))
            days = []
            dd = d0
            while len(days) < rng.randint(3, 5) and dd < NDAYS:
                if working_day(dd):
                    days.append(dd)
                dd += 1
            kind = "CONTROLE_RSA" if o.kind == "CD" else "RELANCE_CEJ"
            for a in o.members:
                for d in days:
                    a.special[d] = a.special.get(d, 1.0) * rng.uniform(1.5, 2.2)
            self.add_benign("org_campaign", [a.login for a in o.members if a.start <= days[-1]],
                            day_start(days[0]), day_end(days[-1]),
                            "Campagne interne %s de la structure %s : tous les agents revoient leurs dossiers (x1.5-2.2)."
                            % (kind, o.code))
        # national campaign on Cap emploi
        wk = rng.choice([7, 14, 35, 42])
        days = [d for d in range(wk, wk + 5) if working_day(d)]
        accs = []
        for a in self.persons:
            if a.org.kind == "CE" and a.role in ("CONSEILLER", "ACCUEIL", "RESPONSABLE"):
                f = rng.uniform(1.2, 1.45)
                for d in days:
                    a.special[d] = a.special.get(d, 1.0) * f
                accs.append(a.login)
        self.add_benign("national_campaign", accs, day_start(days[0]), day_end(days[-1]),
                        "Campagne nationale Cap emploi (revue des dossiers en obligation d'emploi) : +20-45% pour tout le réseau.")
        # off-hours legit work
        pool = [a for a in persons if not a.trap and a.role == "CONSEILLER" and a.start == 0]
        for kind in ["weekend_work", "late_evening_work"] * rng.randint(1, 2):
            a = rng.choice(pool)
            pool.remove(a)
            a.trap = True
            if kind == "weekend_work":
                d = rng.choice([d for d in range(5, NDAYS, 7) if d not in a.vac and d - 1 not in a.vac])
                a.mode[d] = "weekend_full"
                self.add_benign(kind, [a.login], local_to_utc(d, 8 * 3600), local_to_utc(d, 17 * 3600),
                                "Conseiller rattrapant son retard un samedi depuis son domicile : volume d'une journée normale.")
            else:
                d = rng.choice([d for d in range(3, NDAYS - 3) if working_day(d) and d not in a.vac])
                a.mode[d] = "late_evening"
                self.add_benign(kind, [a.login], local_to_utc(d, 19 * 3600), local_to_utc(d, 23 * 3600 + 1800),
                                "Préparation d'une commission le lendemain : l'essentiel de la journée travaillé en soirée.")
        # one-off large export by a manager
        resp = [a for a in persons if a.role == "RESPONSABLE" and a.org.kind in ("CD", "CE", "ML") and not a.trap]
        a = rng.choice(resp)
        a.trap = True
        d = next_working(rng.randint(9, 50))
        while d in a.vac or d >= NDAYS:
            d = next_working(rng.randint(9, 50))
        a.big_export = (d, rng.randint(4000, 12000))
        self.big_export_acct = a
        # label after generation (needs times)

    def init_like(self, rng, a, o):
        a.base = 30
        a.sigma = 0.3
        a.arrive, a.leave, a.lunch, a.lunch_len = 8.7 * H, 17.3 * H, 12.2 * H, 3600
        a.offdays, a.halfdays = set(), set()
        a.p_evening = a.p_weekend = 0.0
        a.telework = set()
        a.home_ip = rand_ip(rng, HOME_OCT1)
        a.taille = 20
        a.pf_page = 20
        a.id_base = int(o.dd) * 1000000 + rng.randrange(0, 990000)
        a.dept_base = int(o.dd) * 1000000
        a.pf_size = 60

    def ramp(self, a, start, mult):
        k = 0
        for d in range(start, NDAYS):
            if working_day(d):
                f = 0.15 if k == 0 else min(1.0, 0.3 + 0.07 * k)
                a.special[d] = a.special.get(d, 1.0) * f * mult
                k += 1

    def plan_services_traps(self):
        rng = self.sub("svctraps")
        syncs = [s for s in self.services if s.skind == "sync"]
        # job rerun
        s = rng.choice(syncs)
        s.trap = True
        d = rng.choice([d for d in range(8, 52) if working_day(d) and (d % 7) in s.days])
        s.fail[d] = "rerun"
        self.add_benign("job_rerun", [s.login], local_to_utc(d, 0), local_to_utc(d, 12 * 3600),
                        "Échec nocturne de %s puis relance manuelle le matin : lots envoyés deux fois, en heures ouvrées." % s.job)
        # job failure then catch-up
        others = [x for x in syncs if x is not s]
        if others:
            s2 = rng.choice(others)
            s2.trap = True
            d = rng.choice([d for d in range(8, 50) if (d % 7) in s2.days and ((d + 1) % 7) in s2.days])
            s2.fail[d] = "abort"
            s2.special[d + 1] = 2.0
            self.add_benign("job_catchup_after_failure", [s2.login], local_to_utc(d, 0), day_end(d + 1),
                            "Traitement %s en échec une nuit ; la nuit suivante transmet deux jours de modifications." % s2.job)
        # new interface with initial load
        cds = [o for o in self.orgs if o.kind == "CD" and not any(x.org is o and x.skind == "api" for x in self.services)]
        o = rng.choice(cds) if cds else rng.choice([o for o in self.orgs if o.kind == "ML"])
        d3 = o.dd.zfill(3)
        login = ("SVC_API_CD" + d3) if o.kind == "CD" else ("svc-api-" + o.code.lower())
        s = Service(login, o, "api", None, rng.randint(1500, 6000))
        s.interval = rng.choice([15, 20, 30])
        s.taille = 500
        s.start = next_working(rng.randint(14, 40))
        s.initial_load = rng.randint(25000, 70000)
        s.trap = True
        self.services.append(s)
        self.logins.add(login.lower())
        self.add_benign("new_interface", [login], day_start(s.start), day_end(NDAYS - 1),
                        "Mise en service d'une interface API partenaire : nouveau compte technique.")
        self.new_iface = s
        # monthly statistics
        st = [x for x in self.services if x.skind == "monthly"][0]
        d = didx(2025, 11, 1)
        self.add_benign("monthly_statistics_job", [st.login], local_to_utc(d, 3 * 3600), local_to_utc(d, 6 * 3600),
                        "Traitement statistique mensuel du 1er du mois : lecture massive nocturne, un samedi (et férié).")
        # outage and failover
        self.outage_day = rng.choice([d for d in range(8, 50) if working_day(d) and d not in BRIDGE])
        os_ = rng.uniform(9.5, 10.2) * H
        self.outage = (self.outage_day, os_, os_ + rng.uniform(70, 115) * 60)
        self.add_benign("outage_catchup", [], local_to_utc(self.outage_day, self.outage[1]),
                        local_to_utc(self.outage_day, 17.75 * H),
                        "Indisponibilité de la base (~1h30) puis rattrapage de l'activité l'après-midi.")
        fd = rng.choice([d for d in range(3, 45) if working_day(d) and working_day(d + 1) and d != self.outage_day])
        self.failover = (fd, rng.uniform(18.3, 19.2) * H, rng.uniform(7.6, 8.1) * H)
        self.add_benign("node_failover", [], local_to_utc(fd, self.failover[1]), local_to_utc(fd + 1, self.failover[2]),
                        "pdiade-app02 arrêté pour intervention : tout le trafic passe par pdiade-app01.")
        self.add_benign("application_restart", [], local_to_utc(RESTART_ENC_DAY, 6 * 3600), local_to_utc(RESTART_ENC_DAY, 6.5 * 3600),
                        "Redémarrage de pdiade-app02 (nouvelle version, correction de l'encodage ISO-8859-1 -> UTF-8).")

    # ------------------------------------------------------------------
    # emission
    # ------------------------------------------------------------------
    def emit(self, ev, u, node, level, thread, logger, corr, user, struct, msg, acct=None, rec=0, access=False, atk=None):
        ev.append((u, node, level, thread, logger, corr, user, struct, msg))
        if acct:
            self.seen.add(acct)
        if access:
            self.n_events += 1
            self.n_records += rec
            if atk:
                st = self.atk_stats[atk]
                st["events"] += 1
                st["records"] += rec
                if u < st["u0"]:
                    st["u0"] = u
                if u > st["u1"]:
                    st["u1"] = u
            else:
                nd = self.normal_daily.get(acct)
                if nd is None:
                    nd = self.normal_daily[acct] = [0] * NDAYS
                ld = local_day(u)
                if 0 <= ld < NDAYS:
                    nd[ld] += rec

    def tomcat(self, rng):
        return "https-jsse-nio-8443-exec-%d" % min(rng.randint(1, 200), rng.randint(1, 200))

    def corr(self, rng):
        return "%08x" % rng.getrandbits(32)

    def node_for(self, rng, d, t):
        fd, fs, fe = self.failover
        if (d == fd and t >= fs - 300) or (d == fd + 1 and t < fe + 120):
            return 1
        if d == RESTART_ENC_DAY and 6.05 * H <= t <= 6.4 * H:
            return 1
        return 1 if rng.random() < 0.52 else 2

    def emit_auth(self, rng, ev, u, node, a, login, ip, atk=None):
        org = a.org
        prof = PROFIL.get(a.role, a.role)
        if org.style.startswith("local"):
            self.emit(ev, u, node, "INFO", self.tomcat(rng), L_AUTH_LOC, self.corr(rng), "", "",
                      "Authentification locale réussie utilisateur=%s structure=%s profil=%s ip=%s" % (login, org.code, prof, ip),
                      acct=login)
        else:
            self.emit(ev, u, node, "INFO", self.tomcat(rng), L_AUTH_PC, self.corr(rng), "", "",
                      "Authentification réussie utilisateur=%s structure=%s profil=%s fournisseur=ProConnect ip=%s"
                      % (login, org.code, prof, ip), acct=login)

    def crit_precise(self, rng, a, idde):
        x = rng.random()
        town = rng.choice(a.org.towns)[0] if rng.random() < 0.3 else a.org.town
        if x < 0.3:
            return "identifiant=%08d" % idde, 1
        nom = ascii_only(rng.choice(NOMS)).upper()
        if x < 0.65:
            return "nom=%s*, commune=%s" % (nom[:rng.randint(3, 5)], town), None
        if x < 0.9:
            return "nom=%s, prénom=%s*" % (nom, ascii_only(rng.choice(PRENOMS))[:rng.randint(1, 3)].upper()), None
        return "nom=%s, dateNaissance=%d-%02d-%02d" % (nom, rng.randint(1960, 2007), rng.randint(1, 12), rng.randint(1, 28)), None

    def crit_broad(self, rng, a, town=None):
        town = town or (rng.choice(a.org.towns)[0] if rng.random() < 0.4 else a.org.town)
        k = a.org.kind
        opts = ["commune=%s, statut=INSCRIT" % town,
                "dateInscription>=2025-%02d-01, commune=%s" % (rng.randint(6, 10), town),
                "portefeuille=STRUCTURE, statut=SANS_RDV"]
        if k == "CD":
            opts.append("orientation=SOCIAL, commune=%s" % town)
            opts.append("droitRSA=OUVERT, commune=%s" % town)
        if k == "ML":
            opts.append("age<26, commune=%s" % town)
        if k == "CE":
            opts.append("rqth=OUI, commune=%s" % town)
        return rng.choice(opts)

    def motif(self, rng, a):
        return rng.choice(MOTIFS[a.org.kind])

    # task builders: items = (dt, kind, data, rec)
    def t_dossier(self, rng, a, p_search=0.6, maxtabs=5, pref=None, wide=False):
        items = []
        dt = 0.0
        idde = None
        if not wide and rng.random() < 0.85:
            idde = a.id_base + rng.randrange(a.pf_size)
        else:
            idde = a.dept_base + rng.randrange(999999)
        if rng.random() < p_search:
            crit, fixed = self.crit_precise(rng, a, idde)
            if fixed:
                found = 1 if rng.random() < 0.97 else 0
            else:
                y = rng.random()
                found = 0 if y < 0.06 else (1 if y < 0.6 else (rng.randint(2, 6) if y < 0.9 else rng.randint(7, 45)))
            shown = min(a.taille, found)
            items.append((0.0, "search", (crit, 1, a.taille, shown, found), shown))
            if found == 0:
                return items
            dt = rng.uniform(4, 25)
        k = 1 + min(maxtabs - 1, int(rng.expovariate(0.75)))
        mot = self.motif(rng, a)
        for j in range(k):
            if j == 0:
                ong = pref or "SYNTHESE"
            else:
                ong = rng.choices(ONGLETS, ONGLET_W)[0]
            items.append((dt, "consult", (idde, ong, mot), 1))
            dt += rng.uniform(6, 75)
        return items

    def t_pf(self, rng, a):
        items = []
        dt = 0.0
        pages = 1 + (rng.random() < 0.3) + (rng.random() < 0.1)
        for p in range(1, pages + 1):
            n = min(a.pf_page, a.pf_size - (p - 1) * a.pf_page)
            if n <= 0:
                break
            items.append((dt, "pf", (p, n), n))
            dt += rng.uniform(10, 90)
        return items

    def t_broad(self, rng, a, taille=None, pages=None, town=None):
        items = []
        dt = 0.0
        taille = taille or a.taille
        found = int(math.exp(rng.gauss(math.log(250), 1.1)))
        found = max(5, min(25000, found))
        crit = self.crit_broad(rng, a, town)
        pages = pages or (1 + (rng.random() < 0.25))
        for p in range(1, pages + 1):
            shown = min(taille, found - (p - 1) * taille)
            if shown <= 0:
                break
            items.append((dt, "search", (crit, p, taille, shown, found), shown))
            dt += rng.uniform(8, 60)
        return items

    def one_task(self, rng, a, mode="normal"):
        x = rng.random()
        r = a.role
        if mode == "takeover":
            return self.t_pf(rng, a) if x < 0.35 else self.t_dossier(rng, a, p_search=0.1)
        if r in ("CONSEILLER", "GESTIONNAIRE", "REFERENT"):
            if x < 0.80:
                return self.t_dossier(rng, a)
            if x < 0.90:
                return self.t_pf(rng, a)
            return self.t_broad(rng, a)
        if r == "ACCUEIL":
            if x < 0.9:
                return self.t_dossier(rng, a, p_search=0.95, maxtabs=2)
            return self.t_broad(rng, a)
        if r == "RESPONSABLE":
            if x < 0.45:
                return self.t_pf(rng, a)
            if x < 0.8:
                return self.t_dossier(rng, a)
            return self.t_broad(rng, a)
        return self.t_dossier(rng, a, p_search=0.9, maxtabs=3)

    def make_tasks(self, rng, a, target, mode="normal"):
        tasks = []
        got = 0
        guard = 0
        while got < target and guard < 20000:
            guard += 1
            t = self.one_task(rng, a, mode)
            tasks.append(t)
            got += sum(i[3] for i in t)
        return tasks

    def export_task(self, rng, fmt, perim, n):
        return [(0.0, "export", (fmt, perim, n), n)]

    def emit_item(self, rng, ev, d, t, node, a, login, kind, data, rec, atk):
        u = local_to_utc(d, t)
        org = a.org.code
        if kind == "search":
            crit, p, taille, shown, found = data
            if atk is None and found > 2000 and rng.random() < 0.03:
                self.emit_error(rng, ev, u, node, login, org, "GET /dossiers/recherche")
                return
            self.emit(ev, u, node, "INFO", self.tomcat(rng), L_JA, self.corr(rng), login, org,
                      "Recherche dossiers critères={%s} page=%d taille=%d : %d résultat(s) affiché(s) sur %d"
                      % (crit, p, taille, shown, found), acct=login, rec=shown, access=True, atk=atk)
        elif kind == "consult":
            idde, ong, mot = data
            if atk is None and rng.random() < 0.004:
                self.emit(ev, u, node, "WARN", self.tomcat(rng), L_JA, self.corr(rng), login, org,
                          "Accès refusé au dossier id_de=%08d (hors périmètre de la structure)" % idde, acct=login)
                return
            self.emit(ev, u, node, "INFO", self.tomcat(rng), L_JA, self.corr(rng), login, org,
                      "Consultation dossier id_de=%08d onglet=%s motif=%s" % (idde, ong, mot),
                      acct=login, rec=1, access=True, atk=atk)
        elif kind == "pf":
            p, n = data
            self.emit(ev, u, node, "INFO", self.tomcat(rng), L_JA, self.corr(rng), login, org,
                      "Affichage portefeuille page=%d : %d dossier(s)" % (p, n), acct=login, rec=n, access=True, atk=atk)
        elif kind == "export":
            fmt, perim, n = data
            self.ticket += 1
            tk = "EXP-#%d#" % self.ticket          # renumbered in request order when the day is written
            self.emit(ev, u, node, "INFO", self.tomcat(rng), L_EXP, self.corr(rng), login, org,
                      "Demande d'export %s (périmètre=%s) enregistrée sous le ticket %s" % (fmt, perim, tk), acct=login)
            dur = 1.5 + n * rng.uniform(0.002, 0.006)
            ko = max(1, int(n * rng.uniform(0.28, 0.45)))
            self.emit(ev, u + dur, node, "INFO", "export-worker-%d" % rng.randint(1, 4), L_EXP, tk, login, "",
                      "Export %s terminé : %s ligne(s), %s Ko, %s s" % (tk, grp(n, NNBSP), grp(ko, NNBSP),
                                                                       ("%.1f" % dur).replace(".", ",")),
                      acct=login, rec=n, access=True, atk=atk)

    def emit_error(self, rng, ev, u, node, login, org, what):
        tr = ("Erreur technique lors du traitement de la requête %s\n"
              "org.springframework.dao.QueryTimeoutException: PreparedStatementCallback; SQL [SELECT d.ID_DE, d.NOM, d.PRENOM, d.COMMUNE FROM DOSSIER_DE d WHERE ...]; ORA-01013: l'utilisateur a demandé l'annulation de l'opération en cours\n"
              "\tat org.springframework.jdbc.support.SQLStateSQLExceptionTranslator.doTranslate(SQLStateSQLExceptionTranslator.java:99)\n"
              "\tat org.springframework.jdbc.core.JdbcTemplate.translateException(JdbcTemplate.java:1575)\n"
              "\tat org.springframework.jdbc.core.JdbcTemplate.execute(JdbcTemplate.java:658)\n"
              "\tat fr.gouv.diade.dossier.RechercheDossierRepository.rechercher(RechercheDossierRepository.java:212)\n"
              "\tat fr.gouv.diade.dossier.RechercheService.rechercher(RechercheService.java:88)\n"
              "\tat fr.gouv.diade.web.RechercheController.rechercher(RechercheController.java:64)\n"
              "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)\n"
              "Caused by: java.sql.SQLTimeoutException: ORA-01013: l'utilisateur a demandé l'annulation de l'opération en cours\n"
              "\tat oracle.jdbc.driver.T4CTTIoer11.processError(T4CTTIoer11.java:629)\n"
              "\tat oracle.jdbc.driver.T4CTTIoer11.processError(T4CTTIoer11.java:563)\n"
              "\t... %d common frames omitted") % (what, rng.randint(95, 130))
        self.emit(ev, u, node, "ERROR", self.tomcat(rng), L_ERR, self.corr(rng), login, org, tr, acct=login)

    def place(self, rng, tasks, windows):
        lens = [max(0.0, e - s) for s, e in windows]
        tot = sum(lens)
        out = []
        if tot <= 0:
            return out
        for t in tasks:
            x = rng.random() * tot
            for wi, (s, e) in enumerate(windows):
                if x < lens[wi] or wi == len(windows) - 1:
                    out.append((wi, s + min(x, lens[wi]), t))
                    break
                x -= lens[wi]
        out.sort(key=lambda p: p[1])
        return out

    def run_tasks(self, rng, ev, d, a, login, tasks, windows, atk=None, ip=None, node=None, logout_p=0.25):
        placed = self.place(rng, tasks, windows)
        curw = None
        last = None
        nd = None
        for wi, t0, items in placed:
            if not items:
                continue
            if wi != curw or last is None or t0 - last > 35 * 60:
                if curw is not None and last is not None and rng.random() < logout_p:
                    self.emit(ev, local_to_utc(d, min(last + rng.uniform(5, 120), t0 - 1)), nd, "INFO", self.tomcat(rng),
                              L_LOGOUT, self.corr(rng), login, a.org.code, "Déconnexion", acct=login)
                nd = node if node is not None else self.node_for(rng, d, t0)
                ipx = ip or self.person_ip(rng, a, d)
                self.emit_auth(rng, ev, local_to_utc(d, t0 - rng.uniform(4, 75)), nd, a, login, ipx)
                curw = wi
            for dt, kind, data, rec in items:
                self.emit_item(rng, ev, d, t0 + dt, nd, a, login, kind, data, rec, atk)
            last = t0 + items[-1][0]

    def person_ip(self, rng, a, d):
        if (d % 7) >= 5 or (d % 7) in a.telework or rng.random() < 0.05:
            return a.home_ip
        return rng.choice(a.org.ips)

    def cut_outage(self, d, windows):
        od, s, e = self.outage
        if d != od:
            return windows
        out = []
        for ws, we in windows:
            if we <= s or ws >= e:
                out.append((ws, we))
            else:
                if ws < s:
                    out.append((ws, s))
                if we > e:
                    out.append((e, we))
        return out

    def day_windows(self, rng, a, d):
        dow = d % 7
        A = a.arrive + rng.gauss(0, 900)
        L = a.lunch + rng.gauss(0, 600)
        D = a.leave + rng.gauss(0, 1200) - (2700 if dow == 4 else 0)
        if dow in a.halfdays:
            return [(A, L)]
        return [(A, L), (L + a.lunch_len, max(L + a.lunch_len + 1800, D))]

    def person_plan(self, rng, a, d):
        if d < a.start or d > a.end or d in a.vac:
            return None
        dow = d % 7
        mode = a.mode.get(d)
        if mode == "weekend_full":
            s = rng.uniform(8.5, 9.5) * H
            return a.base * rng.uniform(0.9, 1.2), [(s, s + 3.5 * H), (s + 4.5 * H, s + 6.5 * H)], "ext"
        if d in HOLIDAYS:
            if rng.random() < 0.01:
                s = rng.uniform(9, 15) * H
                return a.base * 0.3, [(s, s + 1.5 * H)], "home"
            return None
        if dow >= 5:
            if a.p_weekend and rng.random() < a.p_weekend:
                s = rng.choice([rng.uniform(9, 11), rng.uniform(14, 17), rng.uniform(20, 21.5)]) * H
                return a.base * rng.uniform(0.2, 0.6), [(s, s + rng.uniform(0.7, 2.0) * H)], "home"
            return None
        if dow in a.offdays and rng.random() > 0.04:
            return None
        if a.sick_until >= d:
            return None
        if d >= a.start + 1 and rng.random() < 0.012:
            a.sick_until = d + rng.randint(0, 3)
            return None
        if d in BRIDGE and rng.random() < 0.55:
            return None
        f = DOWF[dow] * POST_HOLIDAY.get(d, 1.0) * a.special.get(d, 1.0) * math.exp(rng.gauss(0, a.sigma))
        if d in SCHOOL:
            f *= 0.95
        target = a.base * f
        win = self.day_windows(rng, a, d)
        if mode == "late_evening":
            s = rng.uniform(20.0, 20.8) * H
            win = [(win[0][0], win[0][0] + 1.2 * H), (s, s + 2.6 * H)]
        elif a.p_evening and rng.random() < a.p_evening:
            s = rng.uniform(19.5, 21.5) * H
            win.append((s, s + rng.uniform(0.5, 1.5) * H))
        return target, self.cut_outage(d, win), None

    def person_day(self, ev, a, d):
        rng = self.rng
        plan = self.person_plan(rng, a, d)
        if not plan:
            return
        target, windows, ipmode = plan
        if not windows:
            return
        login = a.login_on(d)
        mode = "takeover" if getattr(a, "takeover", False) and a.special.get(d, 1.0) > 1.5 else "normal"
        tasks = self.make_tasks(rng, a, target, mode)
        # exports
        if a.role == "RESPONSABLE" and a.org.kind in ("CE", "ML", "CD", "PLIE", "CAF"):
            if (d in MONTH_END or (d in MONTH_START and a.org.kind == "CD")) and rng.random() < 0.55:
                team = len(a.org.members)
                for _ in range(1 if rng.random() < 0.7 else 2):
                    n = min(5000, int(team * rng.uniform(8, 30)))
                    tasks.append(self.export_task(rng, rng.choice(["XLSX", "CSV"]), "STRUCTURE", n))
                self.month_end_accts.setdefault(d, set()).add(login)
            be = getattr(a, "big_export", None)
            if be and be[0] == d:
                tot = be[1]
                bt = []
                dt = 0.0
                while tot > 0:
                    n = min(5000, tot)
                    tot -= n
                    bt.append((dt, "export", ("XLSX", "STRUCTURE_HISTORIQUE", n), n))
                    dt += rng.uniform(120, 600)
                s = rng.uniform(14.2, 15.5) * H
                self.big_export_window = (local_to_utc(d, s), local_to_utc(d, s + dt + 300))
                placed_big = bt
                self.run_tasks(rng, ev, d, a, login, [placed_big], [(s, s + 1)])
        elif a.role in ("CONSEILLER", "GESTIONNAIRE") and rng.random() < 0.015:
            tasks.append(self.export_task(rng, rng.choice(["XLSX", "CSV", "PDF"]), "PORTEFEUILLE",
                                          rng.randint(20, min(250, a.pf_size + 20))))
        ip = a.home_ip if ipmode in ("home", "ext") or (d % 7) >= 5 else None
        if a.mode.get(d) == "late_evening":
            ip = None
        self.run_tasks(rng, ev, d, a, login, tasks, windows, ip=ip)

    # ------------------------------------------------------------------
    # services
    # ------------------------------------------------------------------
    def service_day(self, ev, s, d, jobs):
        rng = self.rng
        if d < s.start:
            return
        dow = d % 7
        if s.skind == "sync":
            if dow not in s.days:
                return
            prev = d - 1
            pf = 0.12 if (prev % 7 >= 5 or prev in HOLIDAYS) else (1.25 if prev % 7 == 0 else 1.0)
            vol = int(s.base * pf * math.exp(rng.gauss(0, 0.18)) * s.special.get(d, 1.0))
            t = s.start_min * 60 + rng.uniform(0.2, 40)
            u = local_to_utc(d, t)
            fail = s.fail.get(d)
            jobs.append((u, lambda th, u=u, vol=vol, fail=fail: self.run_sync(rng, ev, s, u, vol, fail, th)))
            if fail == "rerun":
                t2 = rng.uniform(9.3, 10.6) * H
                u2 = local_to_utc(d, t2)
                self.emit(ev, u2, 1, "WARN", self.tomcat(rng), L_SYNC, self.corr(rng), self.ops_login, self.dsi.code,
                          "Relance manuelle du traitement %s demandée par %s" % (s.job, self.ops_login), acct=self.ops_login)
                u3 = u2 + rng.uniform(2, 8)
                jobs.append((u3, lambda th, u3=u3, vol=vol: self.run_sync(rng, ev, s, u3, vol, None, th)))
        elif s.skind == "api":
            self.run_api(rng, ev, s, d)
        elif s.skind == "weekly":
            if dow != 0:
                return
            vol = int(s.base * math.exp(rng.gauss(0, 0.1)))
            u = local_to_utc(d, s.start_min * 60 + rng.uniform(0.2, 30))
            jobs.append((u, lambda th, u=u, vol=vol: self.run_files(rng, ev, s, u, vol, 5000, L_HEBDO, "fichier",
                                                                    "extrait(s)", th)))
        elif s.skind == "monthly":
            if (START + timedelta(days=d)).day != 1:
                return
            u = local_to_utc(d, 3 * 3600 + rng.uniform(0.2, 20))
            jobs.append((u, lambda th, u=u: self.run_files(rng, ev, s, u, s.base, 10000, L_STATS, "tranche", "lu(s)", th)))
        elif s.skind == "ofws":
            if not working_day(d):
                return
            for _ in range(rng.randint(2, 6)):
                t = rng.uniform(8, 18.5) * H
                n = max(0, int(s.base / 4 * math.exp(rng.gauss(0, 0.6))))
                u = local_to_utc(d, t)
                nd = self.node_for(rng, d, t)
                self.emit(ev, u - rng.uniform(0.2, 1.0), nd, "INFO", self.tomcat(rng), L_TOKEN, self.corr(rng), s.login, s.org.code,
                          "Jeton d'accès délivré au client %s (portée=dossiers.lecture, validité 3600 s)" % s.login, acct=s.login)
                self.emit(ev, u, nd, "INFO", self.tomcat(rng), L_API, self.corr(rng), s.login, s.org.code,
                          "GET /api/v2/dossiers?orientesVers=%s&page=1&taille=200 -> 200 (%d dossier(s), %d ms)"
                          % (s.org.code, n, rng.randint(80, 900)), acct=s.login, rec=n, access=True)

    def run_sync(self, rng, ev, s, u, vol, fail, th):
        self.execn += 1
        ex = self.base_exec + self.execn
        cid = "job-%d" % ex
        lot = s.lot
        nl = max(1, -(-vol // lot))
        self.emit(ev, u, 1, "INFO", th, L_SYNC, cid, s.login, s.org.code,
                  "Démarrage du traitement %s (exécution n°%d) : %s dossier(s) à transmettre" % (s.job, ex, grp(vol, NBSP)),
                  acct=s.login)
        t = u + rng.uniform(2, 15)
        if fail == "abort":
            t += rng.uniform(30, 90)
            self.emit(ev, t, 1, "ERROR", th, L_SYNC, cid, s.login, s.org.code,
                      "Échec du traitement %s (exécution n°%d) : connexion au partenaire impossible\n"
                      "java.net.ConnectException: Connection timed out\n"
                      "\tat java.base/sun.nio.ch.Net.connect0(Native Method)\n"
                      "\tat fr.gouv.diade.batch.sync.PartenaireSftpClient.ouvrir(PartenaireSftpClient.java:77)\n"
                      "\tat fr.gouv.diade.batch.sync.SyncPartenaireJob.executer(SyncPartenaireJob.java:141)\n"
                      "\t... 14 common frames omitted" % (s.job, ex), acct=s.login)
            return t
        stop = rng.randint(2, max(2, nl - 1)) if fail == "rerun" else None
        sent = 0
        for i in range(1, nl + 1):
            k = min(lot, vol - sent)
            t += rng.uniform(15, 70) * k / lot + 0.3
            if stop is not None and i == stop:
                self.emit(ev, t, 1, "ERROR", th, L_SYNC, cid, s.login, s.org.code,
                          "Échec du traitement %s (exécution n°%d) après le lot %d/%d\n"
                          "org.springframework.dao.DataAccessResourceFailureException: ORA-03113: fin de fichier sur canal de communication\n"
                          "\tat org.springframework.jdbc.support.SQLStateSQLExceptionTranslator.doTranslate(SQLStateSQLExceptionTranslator.java:105)\n"
                          "\tat fr.gouv.diade.batch.sync.SyncPartenaireJob.lireLot(SyncPartenaireJob.java:203)\n"
                          "Caused by: java.sql.SQLRecoverableException: ORA-03113: fin de fichier sur canal de communication\n"
                          "\t... 22 common frames omitted" % (s.job, ex, i - 1, nl), acct=s.login)
                return t
            self.emit(ev, t, 1, "INFO", th, L_SYNC, cid, s.login, s.org.code,
                      "%s - lot %d/%d transmis : %d dossier(s)" % (s.job, i, nl, k), acct=s.login, rec=k, access=True)
            sent += k
        dur = int(t + rng.uniform(1, 5) - u)
        self.emit(ev, t + rng.uniform(1, 5), 1, "INFO", th, L_SYNC, cid, s.login, s.org.code,
                  "Fin du traitement %s (exécution n°%d) : %s dossier(s) transmis en %02d:%02d:%02d, statut=COMPLETED"
                  % (s.job, ex, grp(sent, NBSP), dur // 3600, dur // 60 % 60, dur % 60), acct=s.login)
        return t + 5

    def run_files(self, rng, ev, s, u, vol, chunk, logger, unit, verb, th):
        self.execn += 1
        ex = self.base_exec + self.execn
        cid = "job-%d" % ex
        nl = max(1, -(-vol // chunk))
        self.emit(ev, u, 1, "INFO", th, logger, cid, s.login, s.org.code,
                  "Démarrage du traitement %s (exécution n°%d) : %s dossier(s) à traiter" % (s.job, ex, grp(vol, NBSP)),
                  acct=s.login)
        t = u + rng.uniform(3, 20)
        sent = 0
        for i in range(1, nl + 1):
            k = min(chunk, vol - sent)
            t += rng.uniform(40, 200) * k / chunk
            self.emit(ev, t, 1, "INFO", th, logger, cid, s.login, s.org.code,
                      "%s - %s %d/%d : %d dossier(s) %s" % (s.job, unit, i, nl, k, verb), acct=s.login, rec=k, access=True)
            sent += k
        dur = int(t - u) + 2
        self.emit(ev, t + rng.uniform(1, 4), 1, "INFO", th, logger, cid, s.login, s.org.code,
                  "Fin du traitement %s (exécution n°%d) : %s dossier(s) en %02d:%02d:%02d, statut=COMPLETED"
                  % (s.job, ex, grp(sent, NBSP), dur // 3600, dur // 60 % 60, dur % 60), acct=s.login)
        return t + 5

    def run_api(self, rng, ev, s, d):
        if d == s.start and getattr(s, "initial_load", None):
            t = rng.uniform(9.8, 10.4) * H
            tot = s.initial_load
            pages = -(-tot // s.taille)
            self.iface_window = [local_to_utc(d, t), None]
            nd = self.node_for(rng, d, t)
            self.emit(ev, local_to_utc(d, t - 1), nd, "INFO", self.tomcat(rng), L_TOKEN, self.corr(rng), s.login, s.org.code,
                      "Jeton d'accès délivré au client %s (portée=dossiers.lecture, validité 3600 s)" % s.login, acct=s.login)
            last_tok = t
            for p in range(1, pages + 1):
                n = min(s.taille, tot - (p - 1) * s.taille)
                ms = rng.randint(900, 3200)
                t += ms / 1000.0 + rng.uniform(1.0, 40.0)
                if t - last_tok > 3500:
                    last_tok = t
                    self.emit(ev, local_to_utc(d, t - 0.5), self.node_for(rng, d, t), "INFO", self.tomcat(rng), L_TOKEN,
                              self.corr(rng), s.login, s.org.code,
                              "Jeton d'accès délivré au client %s (portée=dossiers.lecture, validité 3600 s)" % s.login, acct=s.login)
                self.emit(ev, local_to_utc(d, t), self.node_for(rng, d, t), "INFO", self.tomcat(rng), L_API, self.corr(rng),
                          s.login, s.org.code,
                          "GET /api/v2/dossiers?page=%d&taille=%d -> 200 (%d dossier(s), %d ms)" % (p, s.taille, n, ms),
                          acct=s.login, rec=n, access=True)
            self.iface_window[1] = local_to_utc(d, t)
            t0 = t + 1800
        else:
            t0 = 7.0 * H
        if not working_day(d):
            return
        t = t0 + rng.uniform(0, 60)
        last = t - s.interval * 60
        npoll = max(1, int((19.5 * H - t0) / (s.interval * 60)))
        lam = s.base * math.exp(rng.gauss(0, 0.15)) * DOWF[d % 7] / npoll
        last_tok = -1e9
        while t < 19.5 * H:
            h = t / H
            w = 1.3 if 9 <= h < 12 or 14 <= h < 17 else 0.6
            n = max(0, int(rng.gauss(lam * w, math.sqrt(lam * w + 1))))
            if self.outage[0] == d and self.outage[1] <= t <= self.outage[2]:
                n = -1
            if t - last_tok > 3500:
                last_tok = t
                self.emit(ev, local_to_utc(d, t - 0.4), self.node_for(rng, d, t), "INFO", self.tomcat(rng), L_TOKEN,
                          self.corr(rng), s.login, s.org.code,
                          "Jeton d'accès délivré au client %s (portée=dossiers.lecture, validité 3600 s)" % s.login, acct=s.login)
            since = "%sT%02d:%02d:00" % ((START + timedelta(days=d)).isoformat(), int(last // 3600), int(last // 60 % 60))
            if n < 0:
                self.emit(ev, local_to_utc(d, t + 30), self.node_for(rng, d, t), "ERROR", self.tomcat(rng), L_API,
                          self.corr(rng), s.login, s.org.code,
                          "GET /api/v2/dossiers?modifiesDepuis=%s&page=1&taille=%d -> 503 (base de données indisponible)"
                          % (since, s.taille), acct=s.login)
            else:
                p = 1
                tt = t
                while True:
                    k = min(s.taille, n - (p - 1) * s.taille)
                    ms = rng.randint(120, 1500)
                    self.emit(ev, local_to_utc(d, tt), self.node_for(rng, d, tt), "INFO", self.tomcat(rng), L_API,
                              self.corr(rng), s.login, s.org.code,
                              "GET /api/v2/dossiers?modifiesDepuis=%s&page=%d&taille=%d -> 200 (%d dossier(s), %d ms)"
                              % (since, p, s.taille, max(0, k), ms), acct=s.login, rec=max(0, k), access=True)
                    if k < s.taille:
                        break
                    p += 1
                    tt += ms / 1000.0 + rng.uniform(0.05, 0.5)
                last = t
            t += s.interval * 60 + rng.uniform(-20, 40)

    # ------------------------------------------------------------------
    # background noise
    # ------------------------------------------------------------------
    def noise_day(self, ev, d, n_active):
        rng = self.rng
        for node in (1, 2):
            if not self.node_up(node, d, 5 * H):
                continue
            u = local_to_utc(d, 5 * 3600 + rng.uniform(0.1, 3))
            self.emit(ev, u, node, "INFO", "scheduling-%d" % rng.randint(1, 4), L_REF, "", "", "",
                      "Rechargement du référentiel COMMUNES : %s entrée(s) chargée(s)" % grp(34935, NBSP))
            self.emit(ev, u + rng.uniform(0.5, 2), node, "INFO", "scheduling-%d" % rng.randint(1, 4), L_REF, "", "", "",
                      "Rechargement du référentiel STRUCTURES : %d entrée(s) chargée(s)" % (len(self.orgs) + 3))
            u0 = day_start(d)
            nslots = int(round((day_start(d + 1) - u0) / 1800.0))
            for k in range(nslots):
                uu = u0 + k * 1800 + rng.uniform(0, 1.5)
                t = (uu + offset(uu)) % 86400
                if not self.node_up(node, d, t):
                    continue
                h = t / H
                act = n_active / 2.0 * (0.12 if (8 <= h <= 18 and working_day(d)) else 0.004)
                self.emit(ev, uu, node, "INFO", "scheduling-%d" % rng.randint(1, 4), L_PURGE, "", "", "",
                          "Purge des sessions expirées : %d session(s) supprimée(s)" % max(0, int(rng.gauss(act, math.sqrt(act + 1)))))
        # auth failures
        nf = int(n_active * rng.uniform(0.02, 0.05)) + rng.randint(0, 3)
        for _ in range(nf):
            a = rng.choice(self.persons)
            t = rng.uniform(8, 18) * H if working_day(d) else rng.uniform(0, 24) * H
            lg = a.login_on(d)
            if rng.random() < 0.25:
                lg = lg[:-1] if rng.random() < 0.5 else lg.upper()
            why = rng.choice(["mot de passe invalide", "mot de passe invalide", "compte inconnu",
                              "jeton ProConnect expiré", "compte verrouillé"])
            self.emit(ev, local_to_utc(d, t), self.node_for(rng, d, t), "WARN", self.tomcat(rng), L_AUTH_FAIL,
                      self.corr(rng), "", "", "Échec d'authentification pour l'identifiant «%s%s%s» (motif : %s)"
                      % (NBSP, lg, NBSP, why))
        # sporadic errors
        if working_day(d):
            for _ in range(rng.randint(1, 6)):
                a = rng.choice(self.persons)
                t = rng.uniform(8.5, 17.5) * H
                self.emit_error(rng, ev, local_to_utc(d, t), self.node_for(rng, d, t), a.login_on(d), a.org.code,
                                rng.choice(["GET /dossiers/recherche", "GET /dossiers/portefeuille", "POST /exports"]))
        # outage
        if d == self.outage[0]:
            _, s, e = self.outage
            t = s
            while t < e:
                node = 1 if rng.random() < 0.5 else 2
                self.emit(ev, local_to_utc(d, t), node, "WARN", "https-jsse-nio-8443-exec-%d" % rng.randint(1, 200), L_HIK,
                          "", "", "", "HikariPool-1 - Connection is not available, request timed out after 30000ms.")
                if rng.random() < 0.4:
                    a = rng.choice(self.persons)
                    self.emit(ev, local_to_utc(d, t + 0.01), node, "ERROR", self.tomcat(rng), L_ERR, self.corr(rng),
                              a.login_on(d), a.org.code,
                              "Erreur technique lors du traitement de la requête GET /dossiers/recherche\n"
                              "org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection\n"
                              "\tat org.springframework.jdbc.datasource.DataSourceUtils.getConnection(DataSourceUtils.java:84)\n"
                              "\tat fr.gouv.diade.dossier.RechercheDossierRepository.rechercher(RechercheDossierRepository.java:198)\n"
                              "Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.\n"
                              "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)\n"
                              "\t... 98 common frames omitted")
                t += rng.uniform(5, 40)
        # failover / restarts
        fd, fs, fe = self.failover
        if d == fd:
            self.shutdown(rng, ev, 2, local_to_utc(d, fs) + rng.uniform(0, 1))
        if d == fd + 1:
            self.startup(rng, ev, 2, local_to_utc(d, fe - 60) + rng.uniform(0, 1), "3.14.1")
        if d == RESTART_ENC_DAY:
            self.shutdown(rng, ev, 2, local_to_utc(d, 6.1 * H) + rng.uniform(0, 30))
            self.startup(rng, ev, 2, local_to_utc(d, 6.2 * H) + rng.uniform(0, 30), "3.14.2")

    def node_up(self, node, d, t):
        if node == 1:
            return True
        fd, fs, fe = self.failover
        if (d == fd and t >= fs) or (d == fd + 1 and t < fe):
            return False
        return True

    def shutdown(self, rng, ev, node, u):
        j = rng.uniform(0.8, 1.3)
        self.emit(ev, u, node, "INFO", "SpringApplicationShutdownHook", L_SHUT, "", "", "",
                  "Commencing graceful shutdown. Waiting for active requests to complete")
        self.emit(ev, u + 1.2 * j, node, "INFO", "tomcat-shutdown", L_SHUT, "", "", "", "Graceful shutdown complete")
        self.emit(ev, u + 1.5 * j, node, "INFO", "SpringApplicationShutdownHook", "c.z.h.HikariDataSource", "", "", "",
                  "HikariPool-1 - Shutdown initiated...")
        self.emit(ev, u + 1.9 * j, node, "INFO", "SpringApplicationShutdownHook", "c.z.h.HikariDataSource", "", "", "",
                  "HikariPool-1 - Shutdown completed.")

    def startup(self, rng, ev, node, u, ver):
        pid = rng.randint(1500, 40000)
        j = rng.uniform(0.85, 1.2)
        self.emit(ev, u, node, "INFO", "main", L_APP, "", "", "",
                  "Starting DiadeApplication v%s using Java 17.0.12 with PID %d (/opt/diade/diade.jar started by diade in /opt/diade)"
                  % (ver, pid))
        self.emit(ev, u + 0.05 * j, node, "INFO", "main", L_APP, "", "", "",
                  "The following 1 profile is active: \"prod\"")
        self.emit(ev, u + 31.2 * j, node, "INFO", "main", "c.z.h.HikariDataSource", "", "", "", "HikariPool-1 - Starting...")
        self.emit(ev, u + 32.9 * j, node, "INFO", "main", "c.z.h.HikariDataSource", "", "", "", "HikariPool-1 - Start completed.")
        self.emit(ev, u + 41.0 * j, node, "INFO", "main", L_TOMCAT, "", "", "", "Starting ProtocolHandler [\"https-jsse-nio-8443\"]")
        st = 41.0 * j + 0.4 + rng.uniform(0, 1.5)
        self.emit(ev, u + st, node, "INFO", "main", L_APP, "", "", "",
                  "Started DiadeApplication in %.3f seconds (process running for %.2f)" % (st - 0.4, st + 2.7))

    # ------------------------------------------------------------------
    # attacks
    # ------------------------------------------------------------------
    def eligible(self, a, days):
        return (a.kind == "person" and not a.trap and a.start == 0 and a.end == NDAYS - 1 and a.rename_day is None
                and not any(x in a.vac for x in range(min(days) - 1, max(days) + 2)) and a.org.kind != "DSI")

    def plan_attacks(self):
        rng = self.sub("attacks")
        shapes = ["bulk_extraction", "low_and_slow", "new_account", "org_wide", "off_hours"]
        extra = rng.choices(shapes, [3, 2, 1, 1, 2], k=rng.randint(1, 3))
        allsh = shapes + extra
        rng.shuffle(allsh)
        self.used_victims = set()
        self.used_orgs = set(self.campaign_orgs)
        busy_days = {self.outage_day}
        for i, sh in enumerate(allsh):
            aid = "A%d" % (i + 1)
            self.atk_stats[aid] = {"events": 0, "records": 0, "u0": 1e18, "u1": -1e18}
            for _try in range(200):
                ok = getattr(self, "atk_" + sh)(rng, aid, busy_days)
                if ok:
                    break
            else:
                raise RuntimeError("could not place attack %s" % sh)

    def pick_victim(self, rng, days, roles=("CONSEILLER",), kinds=("CE", "ML", "CD", "PLIE", "CAF")):
        pool = [a for a in self.persons if a.role in roles and a.org.kind in kinds and a not in self.used_victims
                and self.eligible(a, days)]
        if not pool:
            return None
        return rng.choice(pool)

    def wdays_from(self, d, n):
        out = []
        while len(out) < n and d < NDAYS - 1:
            if working_day(d):
                out.append(d)
            d += 1
        return out

    def rec_attack(self, aid, shape, accounts, org, detail):
        self.attacks.append({"id": aid, "shape": shape, "accounts": accounts, "org": org, "detail": detail})

    def atk_bulk_extraction(self, rng, aid, busy):
        d = next_working(rng.randint(8, 52))
        if d >= NDAYS - 1 or d in busy:
            return False
        a = self.pick_victim(rng, [d], roles=("CONSEILLER", "CONSEILLER", "GESTIONNAIRE", "ACCUEIL"))
        if a is None:
            return False
        tier = rng.choice(["small", "medium", "large"])
        total = {"small": rng.randint(3000, 8000), "medium": rng.randint(8000, 20000),
                 "large": rng.randint(20000, 45000)}[tier]
        method = rng.choice(["search", "consult", "export"])
        if method == "consult" and total > 15000:
            method = "search"
        evening = rng.random() < 0.4
        t0 = (rng.uniform(18.5, 21.5) if evening else rng.uniform(10, 15)) * H
        dur = rng.uniform(1.5, 6.0) * H
        ip = rand_ip(rng, ATK_OCT1)
        node = self.node_for(rng, d, t0)
        ev = self.atk_events
        login = a.login
        self.emit_auth(rng, ev, local_to_utc(d, t0 - rng.uniform(5, 40)), node, a, login, ip)
        got = 0
        if method == "consult":
            step = dur / total
            idd = a.dept_base + rng.randrange(0, 600000)
            ong = rng.choice(["COORDONNEES", "SYNTHESE"])
            t = t0
            mot = self.motif(rng, a)
            while got < total:
                idd += rng.choice([1, 1, 1, 2, 3])
                self.emit_item(rng, ev, d, t, node, a, login, "consult", (idd, ong, mot), 1, aid)
                got += 1
                t += step * rng.uniform(0.6, 1.4)
        elif method == "search":
            taille = rng.choice([50, 50, 100, 200])
            npages = -(-total // taille)
            step = dur / npages
            t = t0
            towns = [x[0] for x in a.org.towns]
            ti = 0
            while got < total:
                town = towns[ti % len(towns)]
                ti += 1
                found = rng.randint(1500, 9000)
                crit = rng.choice(["commune=%s" % town, "commune=%s, statut=INSCRIT" % town,
                                   "dateInscription>=2023-01-01, commune=%s" % town])
                p = 1
                while got < total and (p - 1) * taille < found:
                    shown = min(taille, found - (p - 1) * taille)
                    self.emit_item(rng, ev, d, t, node, a, login, "search", (crit, p, taille, shown, found), shown, aid)
                    got += shown
                    p += 1
                    t += step * rng.uniform(0.5, 1.5)
        else:
            nexp = max(1, -(-total // 4800))
            step = dur / nexp
            t = t0
            while got < total:
                n = min(total - got, rng.randint(3500, 5000))
                town = rng.choice(a.org.towns)[0]
                self.emit_item(rng, ev, d, t, node, a, login, "search",
                               ("commune=%s" % town, 1, a.taille, a.taille, n + rng.randint(0, 40)), a.taille, aid)
                got += a.taille
                self.emit_item(rng, ev, d, t + rng.uniform(5, 20), node, a, login, "export",
                               ("CSV", "RECHERCHE", n), n, aid)
                got += n
                t += step * rng.uniform(0.7, 1.3)
        self.used_victims.add(a)
        busy.add(d)
        self.rec_attack(aid, "bulk_extraction", [login], a.org.code,
                        {"victim_role": a.role, "method": method, "tier": tier, "planned_records": total,
                         "day": (START + timedelta(days=d)).isoformat(), "evening": evening,
                         "duration_h": round(dur / H, 2), "attacker_ip": ip})
        return True

    def atk_low_and_slow(self, rng, aid, busy):
        d0 = next_working(rng.randint(8, 44))
        days = self.wdays_from(d0, rng.randint(4, 10))
        if len(days) < 4:
            return False
        a = self.pick_victim(rng, days, roles=("CONSEILLER", "CONSEILLER", "GESTIONNAIRE", "ACCUEIL"))
        if a is None:
            return False
        f = rng.uniform(2.0, 4.0)
        ip = rand_ip(rng, HOME_OCT1)
        self._run_extra(rng, aid, a, days, lambda: (f - 1) * math.exp(rng.gauss(0, 0.2)), ip, "normal")
        self.used_victims.add(a)
        self.rec_attack(aid, "low_and_slow", [a.login], a.org.code,
                        {"victim_role": a.role, "factor": round(f, 2), "days": [(START + timedelta(days=x)).isoformat() for x in days],
                         "attacker_ip": ip})
        return True

    def _run_extra(self, rng, aid, a, days, fx, ip, mode):
        for d in days:
            target = a.base * DOWF[d % 7] * fx()
            win = self.day_windows(rng, a, d)
            tasks = self.make_tasks(rng, a, target, mode)
            self.run_tasks(rng, self.atk_events, d, a, a.login, tasks, win, atk=aid, ip=ip, logout_p=0.0)

    def atk_org_wide(self, rng, aid, busy):
        d0 = next_working(rng.randint(8, 48))
        days = self.wdays_from(d0, rng.randint(2, 5))
        if len(days) < 2:
            return False
        orgs = [o for o in self.orgs if o.kind in ("CE", "ML", "CD") and o.code not in self.used_orgs]
        o = rng.choice(orgs)
        pool = [a for a in o.members if a.role in ("CONSEILLER", "ACCUEIL", "RESPONSABLE") and a not in self.used_victims
                and self.eligible(a, days)]
        if len(pool) < 4:
            return False
        m = rng.randint(3, min(6, len(pool) - 1))
        vics = rng.sample(pool, m)
        ip = rand_ip(rng, ATK_OCT1)
        facs = {}
        for a in vics:
            fe = rng.uniform(0.5, 1.5)
            facs[a.login] = round(1 + fe, 2)
            self._run_extra(rng, aid, a, days, lambda fe=fe: fe * math.exp(rng.gauss(0, 0.2)), ip, "normal")
            self.used_victims.add(a)
        self.used_orgs.add(o.code)
        self.rec_attack(aid, "org_wide", [a.login for a in vics], o.code,
                        {"factors": facs, "days": [(START + timedelta(days=x)).isoformat() for x in days], "attacker_ip": ip})
        return True

    def atk_off_hours(self, rng, aid, busy):
        kind = rng.choice(["night", "weekend", "weekend_night"])
        if kind == "night":
            d = next_working(rng.randint(8, 53))
            t0 = rng.uniform(0.5, 3.5) * H
        elif kind == "weekend":
            d = 7 * rng.randint(1, 7) + rng.choice([5, 6])
            t0 = rng.uniform(10, 19) * H
        else:
            d = 7 * rng.randint(1, 7) + rng.choice([5, 6])
            t0 = rng.uniform(0.3, 4) * H
        if d >= NDAYS - 1 or d == DST_DAY:
            return False
        a = self.pick_victim(rng, [d], roles=("CONSEILLER", "GESTIONNAIRE", "ACCUEIL", "RESPONSABLE"))
        if a is None or a.p_weekend > 0 or a.p_evening > 0.1:
            return False
        f = rng.uniform(0.8, 2.5)
        target = a.base * f
        dur = rng.uniform(0.7, 2.5) * H
        ip = rand_ip(rng, ATK_OCT1)
        tasks = self.make_tasks(rng, a, target, "normal")
        self.run_tasks(rng, self.atk_events, d, a, a.login, tasks, [(t0, t0 + dur)], atk=aid, ip=ip, logout_p=0.0)
        self.used_victims.add(a)
        self.rec_attack(aid, "off_hours", [a.login], a.org.code,
                        {"victim_role": a.role, "kind": kind, "factor_of_base": round(f, 2),
                         "day": (START + timedelta(days=d)).isoformat(), "attacker_ip": ip})
        return True

    def atk_new_account(self, rng, aid, busy):
        d0 = next_working(rng.randint(10, 52))
        days = self.wdays_from(d0, rng.randint(1, 3))
        if not days:
            return False
        orgs = [o for o in self.orgs if o.kind in ("CE", "ML", "CD", "PLIE")
                and any(m.role in ("ADMIN_LOCAL", "RESPONSABLE") for m in o.members)]
        o = rng.choices(orgs, weights=[len(x.members) for x in orgs])[0]
        prenom, nom = rng.choice(PRENOMS), rng.choice(NOMS)
        login = self.make_login(rng, o, prenom, nom)
        a = Person(login, o, "CONSEILLER", prenom, nom)
        self.init_like(rng, a, o)
        a.taille = rng.choice([20, 50])
        a.pf_size = rng.randint(20, 60)
        a.start = days[0]
        admin = [m for m in o.members if m.role == "ADMIN_LOCAL"] or [m for m in o.members if m.role == "RESPONSABLE"]
        admin = admin[0]
        ip = rand_ip(rng, ATK_OCT1)
        ev = self.atk_events
        # account creation by the local admin (does not read records)
        tc = rng.uniform(8.6, 11.5) * H if rng.random() < 0.5 else rng.uniform(17.5, 19) * H
        dc = days[0]
        if tc >= 12 * H:
            dc = days[0] - 1
            while dc > 0 and not working_day(dc):
                dc -= 1
        self.emit(ev, local_to_utc(dc, tc), self.node_for(rng, dc, tc), "INFO", self.tomcat(rng), L_ADM, self.corr(rng),
                  admin.login, o.code, "Création du compte %s (profil CONSEILLER, structure %s)" % (login, o.code),
                  acct=admin.login)
        total = rng.randint(2000, 15000)
        per = [total // len(days)] * len(days)
        per[-1] += total - sum(per)
        evening = rng.random() < 0.4
        for d, tgt in zip(days, per):
            s = (rng.uniform(17.5, 19.5) if evening else rng.uniform(9, 13)) * H
            dur = rng.uniform(2.0, 5.0) * H
            tasks = []
            got = 0
            while got < tgt:
                if rng.random() < 0.55:
                    t = self.t_broad(rng, a, taille=a.taille, pages=rng.randint(2, 8))
                else:
                    t = self.t_dossier(rng, a, p_search=0.3, maxtabs=3, pref="COORDONNEES", wide=True)
                tasks.append(t)
                got += sum(i[3] for i in t)
            self.run_tasks(rng, ev, d, a, login, tasks, [(s, s + dur)], atk=aid, ip=ip, logout_p=0.0)
        self.logins.add(login.lower())
        self.rec_attack(aid, "new_account", [login], o.code,
                        {"created_by": admin.login, "planned_records": total,
                         "days": [(START + timedelta(days=x)).isoformat() for x in days], "evening": evening,
                         "attacker_ip": ip})
        return True

    # ------------------------------------------------------------------
    def admin_lines(self, ev, d):
        """account creations for joiners, deactivations for leavers"""
        rng = self.rng
        for a in self.persons:
            if a.start > 0:
                dc = a.start - 3
                while dc > 0 and not working_day(dc):
                    dc -= 1
                if dc == d:
                    admins = [m for m in a.org.members if m.role == "ADMIN_LOCAL"] or \
                             [m for m in a.org.members if m.role == "RESPONSABLE"] or [None]
                    adm = admins[0]
                    t = rng.uniform(9, 16.5) * H
                    alog = adm.login if adm else self.ops_login
                    astr = a.org.code if adm else self.dsi.code
                    self.emit(ev, local_to_utc(d, t), self.node_for(rng, d, t), "INFO", self.tomcat(rng), L_ADM,
                              self.corr(rng), alog, astr,
                              "Création du compte %s (profil %s, structure %s)" % (a.login, PROFIL[a.role], a.org.code),
                              acct=alog)
            if a.end < NDAYS - 1:
                dd = next_working(a.end + 2)
                if dd == d:
                    admins = [m for m in a.org.members if m.role == "ADMIN_LOCAL"] or \
                             [m for m in a.org.members if m.role == "RESPONSABLE"] or [None]
                    adm = admins[0]
                    alog = adm.login if adm else self.ops_login
                    astr = a.org.code if adm else self.dsi.code
                    t = rng.uniform(9, 16.5) * H
                    self.emit(ev, local_to_utc(d, t), self.node_for(rng, d, t), "INFO", self.tomcat(rng), L_ADM,
                              self.corr(rng), alog, astr, "Désactivation du compte %s (motif : départ)" % a.login, acct=alog)
            if a.rename_day is not None and d == a.rename_day - 1:
                t = rng.uniform(15, 17) * H
                self.emit(ev, local_to_utc(d, t), self.node_for(rng, d, t), "INFO", self.tomcat(rng), L_ADM,
                          self.corr(rng), self.ops_login, self.dsi.code,
                          "Mise à jour de l'identité du compte %s : nouvel identifiant %s (changement de nom d'usage)"
                          % (a.login, a.login2), acct=self.ops_login)

    # ------------------------------------------------------------------
    def renumber_tickets(self, ev):
        reqs = sorted((e for e in ev if e[4] == L_EXP and e[8].startswith("Demande")), key=lambda e: e[0])
        for e in reqs:
            m = TICKET_RX.search(e[8])
            if m and m.group(0) not in self.ticket_map:
                self.ticket_seq += 1
                self.ticket_map[m.group(0)] = "EXP-%07d" % (self.base_ticket + self.ticket_seq)
        out = []
        for e in ev:
            if e[4] == L_EXP:
                m = TICKET_RX.search(e[8])
                if m:
                    new = self.ticket_map[m.group(0)]
                    e = e[:5] + (e[5].replace(m.group(0), new),) + e[6:8] + (e[8].replace(m.group(0), new),)
            out.append(e)
        return out

    def write_day(self, outdir, d, ev, plain):
        rng = self.rng
        ev = self.renumber_tickets(ev)
        dstr = (START + timedelta(days=d)).isoformat()
        for node in (1, 2):
            lines = [e for e in ev if e[1] == node]
            lines.sort(key=lambda e: e[0] + rng.random() * 0.004)
            buf = []
            for u, _n, level, thread, logger, corr, user, struct, msg in lines:
                buf.append("%s %-5s [%s] %s [%s|%s|%s] %s\n" % (ts(u), level, thread, logger, corr, user, struct, msg))
                self.n_lines += 1 + msg.count("\n")
            text = "".join(buf)
            latin = (node == 2 and d < RESTART_ENC_DAY)
            if latin:
                data = text.encode("latin-1", errors="replace")
            else:
                data = text.encode("utf-8")
            if node == 2 and d == RESTART_ENC_DAY:
                # file written partly before restart (latin-1) and after (utf-8)
                cut = local_to_utc(d, 6.15 * H)
                parts = []
                for (u, _n, level, thread, logger, corr, user, struct, msg) in lines:
                    s = "%s %-5s [%s] %s [%s|%s|%s] %s\n" % (ts(u), level, thread, logger, corr, user, struct, msg)
                    parts.append(s.encode("latin-1", errors="replace") if u < cut else s.encode("utf-8"))
                data = b"".join(parts)
            ndir = os.path.join(outdir, "pdiade-app0%d" % node)
            name = "diade-%s-1.log" % dstr
            mt = int(day_end(d)) + 1
            if plain == (node, d):
                with open(os.path.join(ndir, name), "wb") as f:
                    f.write(data)
            else:
                with open(os.path.join(ndir, name + ".gz"), "wb") as f:
                    with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=mt, compresslevel=6) as g:
                        g.write(data)

    def run(self, outdir, labels_path, notes_path):
        self.build_population()
        self.plan_calendar_traps()
        self.plan_people()
        self.plan_services_traps()
        r = self.sub("ids")
        self.base_ticket = r.randint(30000, 90000)
        self.base_exec = r.randint(5000, 40000)
        self.month_end_accts = {}
        self.plan_attacks()
        # bucket attack events by local day
        atk_b = {}
        for e in self.atk_events:
            atk_b.setdefault(local_day(e[0]), []).append(e)
        for n in (1, 2):
            p = os.path.join(outdir, "pdiade-app0%d" % n)
            os.makedirs(p, exist_ok=True)
            for fn in os.listdir(p):
                if fn.startswith("diade-"):
                    os.remove(os.path.join(p, fn))
        plain = (2, self.sub("plain").randint(20, 40))
        spill = {}
        for d in range(NDAYS):
            ev = list(atk_b.get(d, [])) + spill.pop(d, [])
            mark = len(ev)
            for a in self.persons:
                self.person_day(ev, a, d)
            jobs = []
            for s in self.services:
                self.service_day(ev, s, d, jobs)
            jobs.sort(key=lambda j: j[0])
            slots = [0.0] * 4
            for u, fn in jobs:
                k = next((i for i in range(4) if slots[i] <= u), min(range(4), key=lambda i: slots[i]))
                slots[k] = fn("scheduling-%d" % (k + 1))
            self.admin_lines(ev, d)
            n_active = len(set(e[6] for e in ev[mark:] if e[6]))
            self.noise_day(ev, d, n_active)
            keep = []
            for e in ev:
                ld = local_day(e[0])
                if ld > d and ld < NDAYS:
                    spill.setdefault(ld, []).append(e)
                else:
                    keep.append(e)
            self.write_day(outdir, d, keep, plain)
        self.finish(labels_path, notes_path, plain)

    def finish(self, labels_path, notes_path, plain):
        # benign labels that need generation-time info
        a = self.big_export_acct
        if getattr(self, "big_export_window", None):
            u0, u1 = self.big_export_window
            self.add_benign("one_off_large_export", [a.login], u0, u1,
                            "Export exceptionnel de l'historique de la structure par un responsable (bilan annuel demandé par le financeur), %d lignes en plusieurs exports."
                            % a.big_export[1])
        for d, accs in sorted(self.month_end_accts.items()):
            self.add_benign("month_end_reporting" if d in MONTH_END else "month_start_reporting", sorted(accs),
                            day_start(d), day_end(d),
                            "Exports de reporting mensuel des responsables (quelques centaines à ~1 000 lignes chacun).")
        if getattr(self, "iface_window", None):
            self.add_benign("new_interface_initial_load", [self.new_iface.login], self.iface_window[0],
                            self.iface_window[1], "Chargement initial complet (%d dossiers) lors de la mise en service de l'interface."
                            % self.new_iface.initial_load)
        attacks = []
        notes_atk = []
        for at in self.attacks:
            st = self.atk_stats[at["id"]]
            attacks.append({"id": at["id"], "shape": at["shape"], "accounts": at["accounts"], "org": at["org"],
                            "start": rfc3339(st["u0"]), "end": rfc3339(st["u1"], ceil=True),
                            "records": st["records"], "events": st["events"]})
            med = {}
            for lg in at["accounts"]:
                arr = [x for x in self.normal_daily.get(lg, []) if x > 0]
                arr.sort()
                med[lg] = (arr[len(arr) // 2] if arr else 0)
            notes_atk.append({"id": at["id"], "shape": at["shape"], "accounts": at["accounts"], "org": at["org"],
                              "records": st["records"], "events": st["events"],
                              "victim_median_normal_daily_records": med, "detail": at["detail"]})
        labels = {"seed": self.seed, "time_zone": "Europe/Paris",
                  "start": rfc3339(day_start(0)), "end": rfc3339(day_end(NDAYS - 1), ceil=True), "days": NDAYS,
                  "account_count": len(self.seen), "events": self.n_events, "records": self.n_records,
                  "attacks": attacks, "benign": self.benign}
        os.makedirs(os.path.dirname(os.path.abspath(labels_path)), exist_ok=True)
        with open(labels_path, "w", encoding="utf-8") as f:
            json.dump(labels, f, ensure_ascii=False, indent=1)
        kinds = {}
        for o in self.orgs:
            kinds[o.kind] = kinds.get(o.kind, 0) + 1
        notes = {
            "seed": self.seed,
            "log_habit": ("Journaux applicatifs Log4j2 (Spring Boot/Tomcat) de l'application DIADE, deux nœuds de production, "
                          "un fichier gzip par nœud et par jour (pdiade-app0N/diade-AAAA-MM-JJ-1.log.gz), lignes texte en français "
                          "'%d{yyyy-MM-dd HH:mm:ss,SSS} %-5level [thread] logger [corr|user|structure] message', heure locale de Paris "
                          "sans décalage (heure 02:xx doublée le 26/10/2025), traces de pile multi-lignes, app02 en ISO-8859-1 "
                          "jusqu'au 04/11/2025 ~06:12, un fichier remis décompressé (" + "pdiade-app0%d, jour %s" % (
                              plain[0], (START + timedelta(days=plain[1])).isoformat()) + ")."),
            "where": {"account": "MDC user (2nd field inside [..|..|..]); on authentication lines: 'utilisateur=' in the message",
                      "organisation": "MDC structure (3rd field); empty on export-worker lines and on authentication lines "
                                      "(then 'structure=' in the message)",
                      "records": "per access line: Consultation=1; Recherche='N résultat(s) affiché(s)'; portefeuille='N dossier(s)'; "
                                 "'Export ... terminé : N ligne(s)' (N grouped with U+202F, '?' on app02 latin-1 files); "
                                 "API 'GET ... -> 200 (N dossier(s)'; batch 'lot i/n transmis : k', 'fichier i/n : k', 'tranche i/n : k'. "
                                 "Batch 'Démarrage'/'Fin' lines and 'Demande d'export' lines are not reads."},
            "event_definition": "labels 'events' = number of access lines (one per read operation, incl. 0-result searches/API pages); "
                                "'records' = sum of records over those lines. Attack events/records count only the attacker's lines.",
            "account_count_definition": "distinct identifiers appearing as MDC user or as 'utilisateur=' on a successful authentication "
                                        "(includes service accounts, the ops account exploit.dsi and attacker-created accounts).",
            "population": {"orgs": len(self.orgs), "org_kinds": kinds, "persons": len(self.persons),
                           "services": len(self.services)},
            "period": "2025-10-06 (lundi) -> 2025-11-30, Europe/Paris; DST end 2025-10-26; holidays 1 and 11 Nov; "
                      "bridge 10 Nov; Toussaint school holidays 18 Oct - 2 Nov.",
            "total_lines_physical": self.n_lines,
            "attacks": notes_atk,
            "benign": self.notes_benign,
        }
        with open(notes_path, "w", encoding="utf-8") as f:
            json.dump(notes, f, ensure_ascii=False, indent=1)


def main():
    ap = argparse.ArgumentParser(description="DIADE production log extract generator (altgen12)")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--labels", required=True)
    ap.add_argument("--notes", default=None)
    args = ap.parse_args()
    notes = args.notes or os.path.join(os.path.dirname(os.path.abspath(args.labels)), "notes%d.json" % args.seed)
    os.makedirs(args.outdir, exist_ok=True)
    Gen(args.seed).run(args.outdir, args.labels, notes)


if __name__ == "__main__":
    main()
