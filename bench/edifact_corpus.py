"""A deterministic corpus of advance passenger messages for bench.edifact.

``paxlst(...)`` is one interchange (UNA, UNB, UNH ... UNT, UNZ) holding a D05B passenger list:
the reporting party, one flight (TDT with its departure and arrival LOC/DTM), then per traveller
NAD (name, and an address for some), ATT, DTM+329, LOC+178/179, NAT, RFF+AVF and RFF+SEA, a
passport (DOC, DTM+36, LOC+91), for some a visa as a second document and bag tags (FTX+BAG).
``with_release`` puts release characters in a few names (O?'BRIEN, D?'SOUZA: a file with any
release character goes through the reader's slower path).

``pnrgov(...)`` is one interchange holding a PNRGOV push for one flight: MSG, ORG, TVL, EQN, then
per PNR SRC, RCI, DAT, ORG, ADD, and per traveller TIF, FTI, SSR+DOCS, TKT, MON, FOP, then the
itinerary (TVL, RPI, SSR+SEAT, TBD). One segment per line, as most airline systems send them.

Everything is drawn from ``random.Random(seed)``: the same arguments give the same bytes."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

# (IATA, alpha-3 country): airports known to the reference data, so local times resolve.
AIRPORTS = [
    ("LFW", "TGO"),
    ("ACC", "GHA"),
    ("LOS", "NGA"),
    ("ABJ", "CIV"),
    ("DSS", "SEN"),
    ("ADD", "ETH"),
    ("CMN", "MAR"),
    ("CDG", "FRA"),
    ("AMS", "NLD"),
    ("BRU", "BEL"),
    ("LIS", "PRT"),
    ("MAD", "ESP"),
    ("FRA", "DEU"),
    ("IST", "TUR"),
    ("DXB", "ARE"),
    ("GRU", "BRA"),
    ("BOG", "COL"),
    ("JFK", "USA"),
]
CARRIERS = ["ET", "AF", "KL", "TK", "AT", "SN", "TP", "IB", "LH", "EK"]
NATIONALITIES = ["TGO", "GHA", "NGA", "CIV", "SEN", "ETH", "FRA", "NLD", "BEL", "PRT", "ESP", "BRA", "COL"]
SURNAMES = [
    "MENSAH",
    "KOFFI",
    "DIALLO",
    "OKAFOR",
    "TRAORE",
    "BEKELE",
    "MARTIN",
    "DE JONG",
    "PEETERS",
    "SILVA",
    "GARCIA",
    "SANTOS",
    "RESTREPO GOMEZ",
    "AGBEKO",
    "ADEBAYO",
    "NDIAYE",
    "HAILE",
    "DUPONT",
    "VAN DAM",
    "PEREIRA",
]
RELEASED_SURNAMES = ["O?'BRIEN", "D?'SOUZA", "N?'DIAYE", "DELL?'ACQUA", "SMITH?+JONES"]
GIVEN = ["AMA", "KWAME", "FATOU", "CHIDI", "AWA", "ABEBE", "MARIE", "PIETER", "ANA", "JUAN", "LUCAS", "ESI"]
STREETS = ["RUE DU COMMERCE 12", "AVENUE 24 JANVIER", "CALLE MAYOR 5", "RUA AUGUSTA 100", "HIGH STREET 7"]
CITIES = ["LOME", "ACCRA", "LAGOS", "PARIS", "LISBOA", "MADRID", "BOGOTA"]


def _flight(rng: random.Random, index: int) -> tuple[str, str, str, str, datetime, datetime]:
    (dep, _), (arr, _) = rng.sample(AIRPORTS, 2)
    carrier = CARRIERS[index % len(CARRIERS)]
    number = f"{carrier}{100 + index % 9000:04d}"
    leaving = datetime(2026, 1, 1, 6, 0) + timedelta(days=index // 50 % 300, minutes=rng.randrange(0, 960, 5))
    arriving = leaving + timedelta(minutes=rng.randrange(90, 720, 5))
    return carrier, number, dep, arr, leaving, arriving


def _dob(rng: random.Random) -> str:
    born = datetime(1945, 1, 1) + timedelta(days=rng.randrange(0, 365 * 60))
    return born.strftime("%y%m%d")


def paxlst(
    index: int, travellers: int = 300, *, seed: int = 2026, with_release: bool = True, flight=None
) -> str:
    """One PAXLST interchange. ``flight`` overrides (carrier, number, dep, arr, leaving, arriving)."""
    rng = random.Random(seed * 1_000_003 + index)
    carrier, number, dep, arr, leaving, arriving = flight or _flight(rng, index)
    ref = f"{carrier}{index:08d}"
    body = [
        "BGM+745",
        f"RFF+TN:{ref}:::1",
        f"NAD+MS+++{carrier} APIS DESK",
        f"COM+228 22 000000:TE+apis@{carrier.lower()}.example:EM",
        f"TDT+20+{number}+++{carrier}",
        f"LOC+125+{dep}",
        f"DTM+189:{leaving:%y%m%d%H%M}:201",
        f"LOC+87+{arr}",
        f"DTM+232:{arriving:%y%m%d%H%M}:201",
    ]
    released = 0
    for t in range(travellers):
        if with_release and rng.random() < 0.02:
            surname = rng.choice(RELEASED_SURNAMES)
            released += 1
        else:
            surname = rng.choice(SURNAMES)
        given = rng.choice(GIVEN)
        middle = rng.choice(GIVEN) if rng.random() < 0.3 else ""
        name = f"{surname}:{given}" + (f":{middle}" if middle else "")
        if rng.random() < 0.4:
            city = rng.choice(CITIES)
            body.append(f"NAD+FL+++{name}+{rng.choice(STREETS)}+{city}++{rng.randrange(1000, 99999)}+TG")
        else:
            body.append(f"NAD+FL+++{name}")
        nationality = rng.choice(NATIONALITIES)
        body += [
            f"ATT+2++{rng.choice('MF')}",
            f"DTM+329:{_dob(rng)}",
            f"LOC+178+{dep}",
            f"LOC+179+{arr}",
            f"NAT+2+{nationality}",
            f"RFF+AVF:{rng.randrange(36**6):06X}"[:14],
            f"RFF+SEA:{rng.randrange(1, 45)}{rng.choice('ABCDEF')}",
        ]
        if rng.random() < 0.25:
            body.append(f"FTX+BAG+++{carrier}{rng.randrange(10**6):06d}:{rng.randrange(1, 3)}")
        body += [
            f"DOC+P:110:111+{nationality[:2]}{rng.randrange(10**7):07d}",
            f"DTM+36:{(leaving + timedelta(days=rng.randrange(60, 3600))):%y%m%d}",
            f"LOC+91+{nationality}",
        ]
        if rng.random() < 0.15:
            body += [
                f"DOC+V:110:111+V{rng.randrange(10**8):08d}",
                f"DTM+182:{(leaving - timedelta(days=rng.randrange(10, 300))):%y%m%d}",
                f"DTM+36:{(leaving + timedelta(days=rng.randrange(30, 300))):%y%m%d}",
                f"LOC+91+{rng.choice(NATIONALITIES)}",
            ]
        del t
    body.append(f"CNT+42:{travellers}")
    msg_ref = f"M{index:08d}"
    segments = [f"UNH+{msg_ref}+PAXLST:D:05B:UN:IATA+{number}/{leaving:%d%m%y/%H%M}+01:F", *body]
    segments.append(f"UNT+{len(segments) + 1}+{msg_ref}")
    head = [
        "UNA:+.? '",
        f"UNB+UNOA:4+{carrier}APIS:ZZ+XXAPI:ZZ+{leaving:%y%m%d:%H%M}+{ref}++APIS'",
    ]
    return "\n".join(head + [s + "'" for s in segments] + [f"UNZ+1+{ref}'"]) + "\n"


def pnrgov(index: int, pnrs: int = 30, *, seed: int = 2026) -> str:
    """One PNRGOV interchange: ``pnrs`` bookings of one to four travellers for one flight."""
    rng = random.Random(seed * 1_000_033 + index)
    carrier, number, dep, arr, leaving, arriving = _flight(rng, index)
    flight_no = number[len(carrier) :]
    tvl = f"TVL+{leaving:%d%m%y:%H%M}:{arriving:%d%m%y:%H%M}+{dep}+{arr}+{carrier}+{flight_no}"
    body = ["MSG+:22", f"ORG+{carrier}:{dep}+{rng.randrange(10**8):08d}", tvl, f"EQN+{pnrs}"]
    for p in range(pnrs):
        locator = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))
        booked = leaving - timedelta(days=rng.randrange(1, 120), minutes=rng.randrange(0, 1440))
        body += [
            "SRC",
            f"RCI+{carrier}:{locator}::{booked:%d%m%y:%H%M}",
            f"DAT+700:{booked:%d%m%y:%H%M}",
            f"ORG+{carrier}:{dep}+{rng.randrange(10**8):08d}:{dep}+++A+TG:XOF",
            f"ADD++700:{rng.choice(STREETS)}:{rng.choice(CITIES)}:::TG",
        ]
        people = rng.randint(1, 4)
        for n in range(1, people + 1):
            surname = rng.choice(RELEASED_SURNAMES) if rng.random() < 0.02 else rng.choice(SURNAMES)
            given = rng.choice(GIVEN)
            sex = rng.choice("MF")
            nationality = rng.choice(NATIONALITIES)
            born = datetime(1945, 1, 1) + timedelta(days=rng.randrange(0, 365 * 60))
            expiry = leaving + timedelta(days=rng.randrange(60, 3600))
            body += [
                f"TIF+{surname}+{given}:A:{n}",
                f"FTI+{carrier}:{rng.randrange(10**9):09d}:::GOLD",
                f"SSR+DOCS:HK:1:{carrier}:::::/P/{nationality}/{nationality[:2]}{rng.randrange(10**7):07d}"
                f"/{nationality}/{born:%d%b%y}/{sex}/{expiry:%d%b%y}/{surname}/{given}"
                f"+::{n}".upper(),
                f"TKT+{rng.randrange(10**12, 10**13)}:T:1",
                f"MON+B:{rng.randrange(200, 2000)}.00:EUR+T:{rng.randrange(2000, 2500)}.00:EUR",
                f"FOP+CC:::VI:XXXXXXXXXXXX{rng.randrange(10**4):04d}:"
                f"{rng.randrange(1, 13):02d}{rng.randrange(27, 31)}",
            ]
        body += [tvl + ":Y", f"RPI+{people}+HK"]
        for n in range(1, people + 1):
            body.append(
                f"SSR+SEAT:HK:1:{carrier}:::{dep}:{arr}+{rng.randrange(1, 45)}{rng.choice('ABCDEF')}::{n}"
            )
        if rng.random() < 0.5:
            body.append(f"TBD++1:23:700++HP+{carrier}+{carrier}{rng.randrange(10**6):06d}:1:{arr}")
        del p
    ref = f"P{index:09d}"
    segments = [f"UNH+1+PNRGOV:13:1:IA+{ref}", *body]
    segments.append(f"UNT+{len(segments) + 1}+1")
    head = ["UNA:+.?*'", f"UNB+IATA:1+{carrier}+XXPNR+{leaving:%y%m%d:%H%M}+{ref}'"]
    return "\n".join(head + [s + "'" for s in segments] + [f"UNZ+1+{ref}'"]) + "\n"


def message(index: int, *, travellers: int = 300, pnrgov_every: int = 5, seed: int = 2026) -> tuple[str, str]:
    """The corpus's message ``index``: (kind, text). Every ``pnrgov_every``-th is a PNRGOV push;
    half the PAXLST lists have release characters in a few names."""
    if pnrgov_every and index % pnrgov_every == pnrgov_every - 1:
        return "pnrgov", pnrgov(index, seed=seed)
    return "paxlst", paxlst(index, travellers, seed=seed, with_release=index % 2 == 0)
