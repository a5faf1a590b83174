#!/usr/bin/env python3
"""altgen: an independent synthetic access-log generator (stdlib only).

Writes JSON-lines events (sorted per local day) and a JSON labels document
describing injected attacks and benign traps.
"""
import argparse
import datetime as dt
import json
import math
import sys
from operator import itemgetter
from random import Random
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Paris")

# ---------------------------------------------------------------- calendar

def easter(year):
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def french_holidays(year):
    e = easter(year)
    return {
        dt.date(year, 1, 1): "new_year",
        e + dt.timedelta(days=1): "easter_monday",
        dt.date(year, 5, 1): "labour_day",
        dt.date(year, 5, 8): "victory_1945",
        e + dt.timedelta(days=39): "ascension",
        e + dt.timedelta(days=50): "whit_monday",
        dt.date(year, 7, 14): "bastille_day",
        dt.date(year, 8, 15): "assumption",
        dt.date(year, 11, 1): "all_saints",
        dt.date(year, 11, 11): "armistice",
        dt.date(year, 12, 25): "christmas",
    }


def local_midnight(d):
    return dt.datetime(d.year, d.month, d.day, tzinfo=TZ)


def iso(t):
    return dt.datetime.fromtimestamp(t, TZ).isoformat(timespec="seconds")


WEEKDAY_FACTOR = [1.1, 1.2, 0.6, 1.15, 0.9, 0.0, 0.0]  # Mon..Sun

# ---------------------------------------------------------------- naming

SURNAMES = ("martin bernard thomas petit robert richard durand dubois moreau laurent "
            "simon michel lefebvre leroy roux david bertrand morel fournier girard "
            "bonnet dupont lambert fontaine rousseau vincent muller lefevre faure andre "
            "mercier blanc guerin boyer garnier chevalier francois legrand gauthier garcia "
            "perrin robin clement morin nicolas henry roussel mathieu gautier masson").split()
INITIALS = "abcdefghijklmnoprstvy"
CITIES = ("lille rouen caen rennes nantes tours dijon reims metz nancy angers brest "
          "limoges amiens poitiers orleans besancon grenoble nimes toulon perpignan "
          "pau bayonne annecy chambery valence troyes calais niort vannes quimper "
          "lorient cholet laval colmar mulhouse avignon arles sete beziers albi").split()
LARGE_KINDS = ["cd", "metropole", "region"]
SMALL_KINDS = ["ccas", "asso", "plie", "cio", "epide", "mif", "gip"]

BROWSER_UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36 Edg/121.0.2277.128",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:123.0) Gecko/20100101 Firefox/123.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:115.0) Gecko/20100101 Firefox/115.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
]
SERVICE_UAS = ["python-requests/2.31.0", "okhttp/4.12.0", "Go-http-client/2.0",
               "Talend-ESB/8.0.1", "PowerShell/7.4.1"]
SCRIPT_UA = "curl/8.4.0"

RES = {"view": "profile", "search": "directory", "export": "bulk_report",
       "login": "sso", "api": "api/v3/persons"}

# ---------------------------------------------------------------- model


class Org:
    __slots__ = ("idx", "name", "size", "members", "pool_lo", "pool_n", "net")


class Acct:
    __slots__ = ("idx", "name", "org", "role", "level", "late", "ua", "office_ip",
                 "home_ip", "telework", "p_view", "p_search", "gap", "portfolio",
                 "first_day", "last_day", "factor", "off", "svc_minute", "svc_volume",
                 "svc_page", "is_joiner", "protected")


def lognorm(rng, median, sigma):
    return median * math.exp(rng.gauss(0.0, sigma))


def build_orgs(rng, n_accounts):
    n_orgs = max(3, round(40 * n_accounts / 900))
    n_large = max(1, round(n_orgs * 6 / 40))
    weights = [rng.uniform(60, 120) for _ in range(n_large)] + \
              [rng.uniform(5, 15) for _ in range(n_orgs - n_large)]
    rng.shuffle(weights)
    tot = sum(weights)
    raw = [w * n_accounts / tot for w in weights]
    sizes = [max(3, int(x)) for x in raw]
    # fix the total with largest remainders / trimming the biggest
    diff = n_accounts - sum(sizes)
    order = sorted(range(n_orgs), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    k = 0
    while diff > 0:
        sizes[order[k % n_orgs]] += 1
        diff -= 1
        k += 1
    while diff < 0:
        j = max(range(n_orgs), key=lambda i: sizes[i])
        sizes[j] -= 1
        diff += 1
    orgs = []
    used = set()
    pool_lo = 100000
    for i, s in enumerate(sizes):
        o = Org()
        o.idx = i
        o.size = s
        while True:
            kind = rng.choice(LARGE_KINDS if s >= 40 else SMALL_KINDS)
            name = f"{kind}-{rng.choice(CITIES)}"
            if kind in ("ccas", "asso", "plie", "mif"):
                name += f"-{rng.randint(1, 9)}"
            if name not in used:
                used.add(name)
                break
        o.name = name
        o.members = []
        o.pool_n = max(2500, 180 * s)
        o.pool_lo = pool_lo
        pool_lo += o.pool_n
        o.net = f"10.{64 + i // 200}.{i % 200}"
        orgs.append(o)
    return orgs, pool_lo


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--accounts", type=int, default=900)
    ap.add_argument("--days", type=int, default=45)
    ap.add_argument("--start", default="2024-03-04")
    ap.add_argument("--out", default="events.jsonl")
    ap.add_argument("--labels", default="labels.json")
    ap.add_argument("--no-role", action="store_true")
    args = ap.parse_args()

    rng = Random(args.seed)
    start = dt.date.fromisoformat(args.start)
    ndays = args.days
    dates = [start + dt.timedelta(days=i) for i in range(ndays)]
    hol = {}
    for y in {d.year for d in dates}:
        hol.update(french_holidays(y))
    working = [d.weekday() < 5 and d not in hol for d in dates]
    wdays = [i for i in range(ndays) if working[i]]

    orgs, fresh_subject_base = build_orgs(rng, args.accounts)

    # ------------------------------------------------------------ accounts
    accts = []
    used_names = set()

    def new_name():
        while True:
            n = f"{rng.choice(INITIALS)}{rng.choice(SURNAMES)}{rng.randint(1, 99)}"
            if n not in used_names:
                used_names.add(n)
                return n

    n_service = max(1, round(0.02 * args.accounts))
    n_super = max(1, round(0.05 * args.accounts))
    n_manager = max(1, round(0.07 * args.accounts))
    slots = []
    for o in orgs:
        slots += [o] * o.size
    rng.shuffle(slots)
    roles = (["service"] * n_service + ["supervisor"] * n_super +
             ["manager"] * n_manager)
    roles += ["advisor"] * (len(slots) - len(roles))
    # service accounts go preferably to large orgs: sort so they land there
    large_slots = [o for o in slots if o.size >= 40]
    small_slots = [o for o in slots if o.size < 40]
    svc_orgs = []
    for _ in range(n_service):
        src = large_slots if (large_slots and rng.random() < 0.7) else (small_slots or large_slots)
        svc_orgs.append(src.pop(rng.randrange(len(src))))
    rest = large_slots + small_slots
    rng.shuffle(rest)
    assign = list(zip(svc_orgs, ["service"] * n_service)) + list(zip(rest, roles[n_service:]))
    for o, role in assign:
        a = Acct()
        a.idx = len(accts)
        a.org = o
        a.role = role
        if role == "service":
            a.name = f"etl.{o.name}.{rng.randint(1, 9)}{len(accts) % 10}"
            used_names.add(a.name)
        else:
            a.name = new_name()
        base = {"advisor": 1.0, "manager": 0.5, "supervisor": 0.8, "service": 1.0}[role]
        a.level = base * lognorm(rng, 26.0, 0.8)
        a.late = role == "advisor" and rng.random() < 0.12
        a.ua = rng.choice(SERVICE_UAS) if role == "service" else rng.choice(BROWSER_UAS)
        a.office_ip = f"{o.net}.{rng.randint(2, 250)}"
        a.home_ip = f"{rng.choice((78, 82, 86, 90, 92, 109))}.{rng.randint(1, 254)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        a.telework = rng.choice((0.0, 0.0, 0.2, 0.4)) if role != "service" else 0.0
        pe = min(0.15, 0.05 * math.exp(rng.gauss(0, 0.6)))
        if role in ("manager", "supervisor"):
            pe = min(0.2, pe * 1.5)
        ps = min(0.6, 0.35 * math.exp(rng.gauss(0, 0.25)))
        a.p_view = 1.0 - pe - ps
        a.p_search = ps
        a.gap = rng.uniform(15, 75)  # mean seconds between requests in a session
        if role == "advisor":
            a.portfolio = [o.pool_lo + rng.randrange(o.pool_n) for _ in range(300)]
        else:
            a.portfolio = None
        a.first_day = 0
        a.last_day = ndays - 1
        a.factor = {}
        a.off = set()
        a.is_joiner = False
        a.protected = False
        if role == "service":
            a.svc_minute = rng.randrange(0, 300)          # local minute 00:00..04:59
            a.svc_volume = rng.uniform(2000, 30000)
            a.svc_page = rng.choice((100, 200, 250, 500, 1000))
        o.members.append(a)
        accts.append(a)

    def mult(a, day, f):
        a.factor[day] = a.factor.get(day, 1.0) * f

    benign = []

    def add_benign(kind, accounts, s, e):
        b = {"id": f"ben-{len(benign) + 1}-{kind}", "kind": kind}
        if accounts:
            b["accounts"] = accounts
        b["start"] = s
        b["end"] = e
        benign.append(b)

    def day_start(i):
        return local_midnight(start + dt.timedelta(days=i)).isoformat()

    humans = [a for a in accts if a.role != "service"]
    advisors = [a for a in accts if a.role == "advisor"]
    supervisors = [a for a in accts if a.role == "supervisor"]
    services = [a for a in accts if a.role == "service"]

    late_wd = [i for i in wdays if i >= 15]

    def run_of_workdays(n, lo=15, hi=None):
        """n consecutive working days, all with index >= lo."""
        hi = ndays if hi is None else hi
        cands = []
        for k in range(len(wdays) - n + 1):
            if wdays[k] >= lo and wdays[k + n - 1] < hi:
                cands.append(wdays[k:k + n])
        return rng.choice(cands)

    # ------------------------------------------------------------ attacks (choose first, protect accounts)
    attacks = []
    small_orgs = [o for o in orgs if o.size < 40]
    # org_wide: org with size closest to 12 having >= 8 non-service humans
    ow_cands = [o for o in orgs if sum(1 for m in o.members if m.role != "service") >= 8]
    ow_org = min(ow_cands, key=lambda o: (abs(o.size - 12), rng.random()))
    # bulk: small partner org, 2 advisors (different org from org_wide)
    bk_cands = [o for o in small_orgs if o is not ow_org and
                sum(1 for m in o.members if m.role == "advisor") >= 2]
    bk_org = rng.choice(bk_cands)
    bk_accts = rng.sample([m for m in bk_org.members if m.role == "advisor"], 2)
    ow_accts = rng.sample([m for m in ow_org.members if m.role != "service"], 8)
    free_adv = [a for a in advisors if a.org is not ow_org and a.org is not bk_org]
    ls_acct, oh_acct, na_acct = rng.sample(free_adv, 3)
    for a in bk_accts + ow_accts + [ls_acct, oh_acct, na_acct]:
        a.protected = True

    def new_attack(shape, accounts, org):
        atk = {"id": f"atk-{len(attacks) + 1}-{shape}", "shape": shape,
               "accounts": [a.name for a in accounts], "org": org.name,
               "_t0": None, "_t1": None, "records": 0, "events": 0}
        attacks.append(atk)
        return len(attacks) - 1

    bk_days = run_of_workdays(3, 15, ndays - 1)
    ls_days = run_of_workdays(6, 15, ndays - 1)
    na_day = rng.choice([i for i in late_wd if i < ndays - 1])
    ow_days = run_of_workdays(2, 15, ndays - 1)
    oh_day = rng.choice([i for i in late_wd if i < ndays - 1])

    A_BK = new_attack("bulk_extraction", bk_accts, bk_org)
    A_LS = new_attack("low_and_slow", [ls_acct], ls_acct.org)
    A_NA = new_attack("new_account", [na_acct], na_acct.org)
    A_OW = new_attack("org_wide", ow_accts, ow_org)
    A_OH = new_attack("off_hours", [oh_acct], oh_acct.org)
    na_acct.first_day = na_day
    na_acct.last_day = na_day  # the account is used on one day only
    na_acct.level = lognorm(rng, 26.0, 0.3)
    bk_foreign = [f"185.{rng.randint(100, 230)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                  f"45.{rng.randint(128, 150)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"]

    # ------------------------------------------------------------ benign traps
    add_benign("service_nightly", [a.name for a in services], day_start(0), day_start(ndays))
    for i in range(ndays):
        if dates[i] in hol:
            add_benign("holiday", None, day_start(i), day_start(i + 1))
    # weekly report (Fridays) and quarter end for supervisors
    sup_names = [a.name for a in supervisors]
    for i in wdays:
        if dates[i].weekday() == 4:
            add_benign("weekly_report", sup_names, day_start(i), day_start(i + 1))
    qe_days = []
    for m in (3, 6, 9, 12):
        for y in sorted({d.year for d in dates}):
            last = dt.date(y, m, 28)
            while last.month == m:
                last += dt.timedelta(days=1)
            last -= dt.timedelta(days=1)
            got = []
            d = last
            while len(got) < 2:
                if d.weekday() < 5 and d not in hol:
                    got.append(d)
                d -= dt.timedelta(days=1)
            for g in got:
                i = (g - start).days
                if 0 <= i < ndays:
                    qe_days.append(i)
    qe_days.sort()
    if qe_days:
        add_benign("quarter_end", sup_names, day_start(qe_days[0]), day_start(qe_days[-1] + 1))
    for a in supervisors:
        for i in qe_days:
            mult(a, i, 4.0)
        for i in wdays:
            if dates[i].weekday() == 4 and i not in qe_days:
                a.factor.setdefault(("friday_report", i), True)
    # training day: a mid-size org (not an attack org) all at 0.2x
    tr_cands = [o for o in orgs if o is not ow_org and o is not bk_org and
                not any(m.protected for m in o.members)]
    tr_org = min(tr_cands, key=lambda o: (abs(o.size - 30), rng.random()))
    tr_day = rng.choice([i for i in wdays if i >= 8])
    tr_names = []
    for m in tr_org.members:
        if m.role != "service":
            mult(m, tr_day, 0.2)
            tr_names.append(m.name)
    add_benign("training_day", tr_names, day_start(tr_day), day_start(tr_day + 1))
    busy = set(id(m) for m in tr_org.members)  # avoid stacking other traps on the training org

    # new joiners (15): start mid-period at 0.5x, ramp to 1.0 over a week
    n_join = min(15, max(1, len(advisors) // 40))
    join_pool = [a for a in advisors if not a.protected and id(a) not in busy]
    joiners = rng.sample(join_pool, n_join)
    for a in joiners:
        busy.add(id(a))
        a.is_joiner = True
        fd = rng.choice([i for i in wdays if 10 <= i <= ndays - 8])
        a.first_day = fd
        k = 0
        for i in wdays:
            if i >= fd:
                mult(a, i, 0.5 + 0.5 * min(1.0, k / 5.0))
                k += 1
        add_benign("new_joiner", [a.name], day_start(fd), day_start(min(ndays, fd + 7)))

    # covering colleague: 3 advisors at 1.8x for a week while a colleague is on leave
    weeks = []
    for i in range(ndays):
        if dates[i].weekday() == 0 and i + 5 <= ndays:
            weeks.append(i)
    for _ in range(3):
        for _try in range(200):
            o = rng.choice([o for o in orgs if o.size >= 6])
            cands = [m for m in o.members if m.role == "advisor" and not m.protected
                     and id(m) not in busy]
            if len(cands) >= 2:
                break
        cov, away = rng.sample(cands, 2)
        busy.add(id(cov))
        busy.add(id(away))
        w = rng.choice(weeks)
        for i in range(w, w + 5):
            if working[i]:
                mult(cov, i, 1.8)
                away.off.add(i)
        add_benign("covering_colleague", [cov.name], day_start(w), day_start(w + 5))

    # two-week vacations for ~10% of advisors, 1.3x on the first day back
    vac_pool = [a for a in advisors if not a.protected and id(a) not in busy]
    n_vac = round(0.10 * len(advisors))
    for a in rng.sample(vac_pool, min(n_vac, len(vac_pool))):
        busy.add(id(a))
        w = rng.choice([i for i in weeks if i + 14 < ndays] or weeks)
        for i in range(w, min(ndays, w + 14)):
            a.off.add(i)
        back = next((i for i in range(w + 14, ndays) if working[i]), None)
        if back is not None:
            mult(a, back, 1.3)
            add_benign("vacation", [a.name], day_start(w), day_start(back + 1))
        else:
            add_benign("vacation", [a.name], day_start(w), day_start(ndays))

    # ------------------------------------------------------------ generation
    out = open(args.out, "w", buffering=1 << 20)
    no_role = args.no_role
    tot_events = 0
    tot_records = 0
    seen = set()
    r = rng.random
    expo = rng.expovariate
    randint = rng.randint
    uniform = rng.uniform
    getrandbits = rng.getrandbits
    log_lo, log_hi = math.log(10), math.log(201)

    def sess_id():
        return "%012x" % getrandbits(48)

    def pick_request(a, o, buf, t, sid, ip, mal, sizes=None):
        """Append one ordinary request by account a."""
        x = r()
        if sizes is not None:
            buf.append((t, a, "search", randint(sizes[0], sizes[1]), None, sid, ip, a.ua, mal))
            return
        if x < a.p_view:
            if a.portfolio is not None and r() < 0.88:
                subj = a.portfolio[int(r() * 300)]
            else:
                subj = o.pool_lo + int(r() * o.pool_n)
            buf.append((t, a, "view", 1, subj, sid, ip, a.ua, mal))
        elif x < a.p_view + a.p_search:
            buf.append((t, a, "search", int(math.exp(uniform(log_lo, log_hi))), None, sid, ip, a.ua, mal))
        else:
            n = int(500.0 / ((1.0 - r()) ** (1.0 / 1.6)))
            buf.append((t, a, "export", min(5000, n), None, sid, ip, a.ua, mal))

    def human_day(a, n, windows, hour0, buf, ip, mal, sizes=None):
        """n requests in sessions placed inside windows (local seconds of day)."""
        if n <= 0:
            return
        o = a.org
        nsess = max(1, min(7, int(n / 18.0 * uniform(0.6, 1.4) + 0.5)))
        span = sum(e - s for s, e in windows)
        counts = [0] * nsess
        for _ in range(n):
            counts[int(r() * nsess)] += 1
        for c in counts:
            if c == 0:
                continue
            x = r() * span
            for s, e in windows:
                if x < e - s:
                    sec = s + x
                    break
                x -= e - s
            t = hour0 + sec
            sid = sess_id()
            buf.append((int(t), a, "login", 0, None, sid, ip, a.ua, mal))
            t += uniform(2, 20)
            g = a.gap
            for _ in range(c):
                pick_request(a, o, buf, int(t), sid, ip, mal, sizes)
                t += expo(1.0 / g)

    STD = [(8 * 3600, 12.5 * 3600), (13.5 * 3600, 18.5 * 3600)]
    STD_WED = [(8 * 3600, 12.5 * 3600)]
    LATE = [(11 * 3600, 20 * 3600)]
    LATE_WED = [(11 * 3600, 15 * 3600)]

    for di in range(ndays):
        d = dates[di]
        m0 = local_midnight(d)
        hour_ep = [dt.datetime(d.year, d.month, d.day, h, tzinfo=TZ).timestamp() for h in range(24)]
        # seconds-of-day -> epoch: use anchor from noon for daytime, midnight for night
        day0 = hour_ep[12] - 12 * 3600   # correct for local times >= 03:00 on DST days
        buf = []
        wk = d.weekday()
        is_work = working[di]
        wf = WEEKDAY_FACTOR[wk]
        for a in accts:
            if di < a.first_day or di > a.last_day:
                continue
            o = a.org
            if a.role == "service":
                # nightly pull, every day
                h, mi = divmod(a.svc_minute, 60)
                t = hour_ep[h] + mi * 60 + randint(0, 59)
                sid = sess_id()
                ip = a.office_ip
                buf.append((int(t), a, "login", 0, None, sid, ip, a.ua, -1))
                vol = int(a.svc_volume * uniform(0.85, 1.15))
                page = a.svc_page
                t += uniform(1, 3)
                while vol > 0:
                    k = page if vol >= page else vol
                    buf.append((int(t), a, "api", k, None, sid, ip, a.ua, -1))
                    vol -= k
                    t += uniform(0.8, 4.0)
                if is_work:
                    sid = sess_id()
                    t = day0 + uniform(9 * 3600, 17 * 3600)
                    buf.append((int(t), a, "login", 0, None, sid, ip, a.ua, -1))
                    for _ in range(randint(2, 10)):
                        t += uniform(60, 2400)
                        buf.append((int(t), a, "api", randint(1, 80), None, sid, ip, a.ua, -1))
                continue
            if not is_work or di in a.off:
                continue
            if a is na_acct:
                continue  # handled by the attack code
            if r() < 0.025 and not a.protected:
                continue  # sick / meeting day
            f = a.factor.get(di, 1.0)
            lam = a.level * wf * f * math.exp(rng.gauss(0.0, 0.35))
            n = int(lam + r())
            ip = a.home_ip if r() < a.telework else a.office_ip
            if wk == 2:
                win = LATE_WED if a.late else STD_WED
            else:
                win = LATE if a.late else STD
            human_day(a, n, win, day0, buf, ip, -1)
            if a.role == "supervisor" and ("friday_report", di) in a.factor:
                # weekly report: two extra normal Fridays in the afternoon
                human_day(a, int(2 * lam + r()), [(14 * 3600, 18 * 3600)], day0, buf, ip, -1)
            # attacks riding on a normal day
            if a is ls_acct and di in ls_days:
                human_day(a, int(2 * lam + r()), win, day0, buf, ip, A_LS)
            if di in ow_days and a in ow_accts:
                human_day(a, int(1.5 * lam + r()), win, day0, buf, ip, A_OW)
            if a is oh_acct and di == oh_day:
                # about its normal (mean) daily record volume, spread over 22:00-23:30, from home
                mean_req = a.p_view * 1 + a.p_search * 64 + (1 - a.p_view - a.p_search) * 1120
                target = a.level * mean_req
                sid = sess_id()
                tmp = []
                got = 0
                while got < target:
                    pick_request(a, o, tmp, 0, sid, a.home_ip, A_OH)
                    got += tmp[-1][3]
                ts = sorted(int(day0 + 22 * 3600 + uniform(60, 5400)) for _ in tmp)
                buf.append((ts[0] - 30, a, "login", 0, None, sid, a.home_ip, a.ua, A_OH))
                for t, ev in zip(ts, tmp):
                    buf.append((t,) + ev[1:])
        # ---- attacks that are not riding on normal activity
        if di == na_day:
            a = na_acct
            target = uniform(6000, 12000)
            t = day0 + uniform(9 * 3600, 14 * 3600)
            end = t + 2 * 3600
            sid = sess_id()
            ip = a.office_ip
            buf.append((int(t), a, "login", 0, None, sid, ip, a.ua, A_NA))
            got = 0
            n_req = 0
            while got < target:
                t += expo(1.0 / 110.0)
                if t > end:
                    t = end - uniform(0, 200)
                n_req += 1
                if n_req % 25 == 0:
                    sid = sess_id()
                    buf.append((int(t), a, "login", 0, None, sid, ip, a.ua, A_NA))
                    t += uniform(2, 10)
                if r() < 0.25:
                    subj = a.org.pool_lo + int(r() * a.org.pool_n)
                    buf.append((int(t), a, "view", 1, subj, sid, ip, a.ua, A_NA))
                    continue
                k = randint(50, 300)
                buf.append((int(t), a, "search", k, None, sid, ip, a.ua, A_NA))
                got += k
        if di in bk_days:
            per_day = 300000 // 3
            for j, a in enumerate(bk_accts):
                budget = per_day // 2   # 6 account-days x 50,000 = 300,000
                ip = bk_foreign[j]
                t = day0 + uniform(9 * 3600, 11 * 3600) + j * uniform(600, 3600)
                while budget > 0:
                    blen = uniform(600, 2400)
                    bend = t + blen
                    sid = sess_id()
                    buf.append((int(t), a, "login", 0, None, sid, ip, SCRIPT_UA, A_BK))
                    t += uniform(0.5, 3)
                    while budget > 0 and t < bend:
                        # a train of quick requests, then a throttling pause
                        for _ in range(randint(5, 15)):
                            if budget <= 0:
                                break
                            if r() < 0.05:
                                subj = fresh_subject_base + randint(0, 10 ** 7)
                                buf.append((int(t), a, "view", 1, subj, sid, ip, SCRIPT_UA, A_BK))
                                budget -= 1
                            else:
                                k = min(budget, int(math.exp(uniform(math.log(200), math.log(2001)))))
                                if k < 200 and budget >= 200:
                                    k = 200
                                buf.append((int(t), a, "search", k, None, sid, ip, SCRIPT_UA, A_BK))
                                budget -= k
                            t += uniform(0.5, 3.0)
                        t += uniform(60, 240)
                    t += uniform(1800, 7200)  # until the next burst
        buf.sort(key=itemgetter(0))
        w = out.write
        last_ts_int = None
        ts_str = None
        for ev in buf:
            t, a, act, rec, subj, sid, ip, ua, mal = ev
            if t != last_ts_int:
                ts_str = dt.datetime.fromtimestamp(t, TZ).isoformat()
                last_ts_int = t
            if no_role:
                head = '{"ts":"%s","account":"%s","org":"%s","action":"%s","resource":"%s","records":%d' % (
                    ts_str, a.name, a.org.name, act, RES[act], rec)
            else:
                head = '{"ts":"%s","account":"%s","org":"%s","role":"%s","action":"%s","resource":"%s","records":%d' % (
                    ts_str, a.name, a.org.name, a.role, act, RES[act], rec)
            if subj is not None:
                head += ',"subject":"ind%08d"' % subj
            w('%s,"session":"%s","src_ip":"%s","user_agent":"%s"}\n' % (head, sid, ip, ua))
            tot_events += 1
            tot_records += rec
            seen.add(a.idx)
            if mal >= 0:
                atk = attacks[mal]
                atk["events"] += 1
                atk["records"] += rec
                if atk["_t0"] is None or t < atk["_t0"]:
                    atk["_t0"] = t
                if atk["_t1"] is None or t > atk["_t1"]:
                    atk["_t1"] = t
    out.close()

    for atk in attacks:
        atk["start"] = iso(atk.pop("_t0"))
        atk["end"] = iso(atk.pop("_t1"))
    # keep key order as documented
    attacks_out = [{k: atk[k] for k in ("id", "shape", "accounts", "org", "start", "end", "records", "events")}
                   for atk in attacks]
    labels = {
        "seed": args.seed,
        "time_zone": "Europe/Paris",
        "start": day_start(0),
        "end": day_start(ndays),
        "days": ndays,
        "account_count": len(seen),
        "events": tot_events,
        "records": tot_records,
        "attacks": attacks_out,
        "benign": benign,
    }
    with open(args.labels, "w") as fh:
        json.dump(labels, fh, indent=1)
        fh.write("\n")
    print(f"altgen: seed={args.seed} accounts={len(seen)} orgs={len(orgs)} events={tot_events} "
          f"records={tot_records}", file=sys.stderr)


if __name__ == "__main__":
    main()
