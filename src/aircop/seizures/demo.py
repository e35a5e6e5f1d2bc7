"""Two years of synthetic seizures for the demo (`aircop demo`).

The records follow real trafficking corridors (cocaine from South America through West
Africa to Europe, methamphetamine from West Africa to Asia, falsified medicines into the
Sahel, wildlife from Central Africa to Asia, captagon in the Middle East ...), are
seized only at airports of the demo network's task forces, and use the register's code
lists exactly as validation.clean accepts them. People, names and figures are invented.

Written fast: objects are built directly and bulk-inserted in one transaction with one
audit entry; nothing is validated row by row. Deterministic for a seed and an end date.
Idempotent: records carry the note ``DEMO_NOTE``; when one exists nothing is added."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from aircop.audit.services import record
from aircop.network import reference
from aircop.network.models import AgencyKind, Airport, Membership, Unit, UnitAgency, UnitKind
from aircop.network.services import ensure_airport
from aircop.seizures import codes, figures
from aircop.seizures.models import Seizure, SeizureItem, SeizurePerson, item_copies

DEMO_NOTE = "Synthetic demo record (aircop demo): invented, not a real seizure."
DAYS = 730
BATCH = 1000
UTC = ZoneInfo("UTC")


@cache
def _w(spec: str) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """'NG:5 GH:3 SN' -> (("NG", "GH", "SN"), (5, 3, 1))."""
    names, weights = [], []
    for part in spec.split():
        name, _, weight = part.partition(":")
        names.append(name)
        weights.append(float(weight or 1))
    return tuple(names), tuple(weights)


def _pick(rng: random.Random, spec: tuple[tuple[str, ...], tuple[float, ...]]) -> str:
    return rng.choices(spec[0], weights=spec[1])[0]


# ----------------------------------------------------------------------------- goods
@dataclass(frozen=True, eq=False)
class Good:
    category: str
    subtype: str
    unit: str
    # flow class (body, bag, cargo, mail) -> (low, high) quantity, drawn log-uniformly
    sizes: dict[str, tuple[float, float]]
    form: str = ""
    usd_per_unit: float = 0.0  # for an estimated value; 0 = none
    swallowed: bool = False  # may be carried inside the body
    source: str = "origin"  # goods' country of origin: weights, "origin" (the route's), "" (none)


def _g(category, subtype, unit, body=None, bag=None, cargo=None, mail=None, **kw) -> Good:
    sizes = {k: v for k, v in (("body", body), ("bag", bag), ("cargo", cargo), ("mail", mail)) if v}
    return Good(category, subtype, unit, sizes, **kw)


D, M, W, C = "drugs", "medicines", "wildlife", "currency"
COCAINE = _g(
    D, "cocaine", "kg", (0.3, 1.6), (1, 6), (20, 400), (0.2, 2), form="powder", usd_per_unit=30000, swallowed=True,
    source="CO:5 PE:3 BO:2",
)  # fmt: skip
RESIN = _g(D, "cannabis_resin", "kg", (0.5, 3), (2, 30), (40, 600), (0.5, 5), form="resin", usd_per_unit=3000)
HERB = _g(D, "cannabis_herb", "kg", (0.5, 3), (2, 25), (30, 500), (0.5, 4), form="plant", usd_per_unit=2500)
HEROIN = _g(
    D, "heroin", "kg", (0.3, 1.2), (1, 6), (10, 120), (0.2, 1.5), form="powder", usd_per_unit=25000, swallowed=True,
    source="AF:6 PK:2 IR:1",
)  # fmt: skip
METH = _g(
    D, "methamphetamine", "kg", (0.3, 1.2), (0.5, 8), (10, 150), (0.2, 3), form="crystal",
    usd_per_unit=40000, swallowed=True,
)  # fmt: skip
MDMA = _g(D, "mdma", "tablets", (200, 2000), (500, 20000), (20000, 200000), (100, 5000), form="tablets")
TRAMADOL = _g(D, "tramadol", "tablets", None, (1000, 40000), (20000, 600000), (500, 10000), form="tablets")
CAPTAGON = _g(D, "captagon", "tablets", (200, 3000), (2000, 60000), (50000, 2000000), None, form="tablets")
KHAT = _g(D, "khat", "kg", None, (5, 40), (50, 400), (2, 20), form="plant", usd_per_unit=60)
ANTIMALARIALS = _g(
    M, "falsified_antimalarials", "tablets", None, (2000, 40000), (20000, 800000), (500, 10000)
)
ANTIBIOTICS = _g(M, "falsified_antibiotics", "tablets", None, (1000, 30000), (20000, 500000), (500, 8000))
PAINKILLERS = _g(M, "falsified_painkillers", "tablets", None, (1000, 30000), (10000, 300000), (500, 8000))
UNLICENSED = _g(M, "unlicensed_medicines", "kg", None, (3, 40), (50, 800), (1, 10))
PANGOLIN = _g(W, "pangolin_scales", "kg", None, (8, 80), (80, 1500), (2, 15), usd_per_unit=700)
IVORY = _g(W, "ivory", "kg", None, (4, 45), (50, 600), (1, 8), usd_per_unit=900)
RHINO = _g(W, "rhino_horn", "kg", None, (1, 18), (10, 60), (0.5, 3), usd_per_unit=25000)
SKINS = _g(W, "reptile_skins", "pieces", None, (10, 200), (100, 3000), (5, 50))
PARROTS = _g(W, "birds", "animals", None, (5, 60), (30, 400), None)
CASH_XOF = _g(C, "banknotes", "currency", (3e6, 4e7), (5e6, 1.5e8), None, (1e6, 1e7), source="")
CASH_XAF = _g(C, "banknotes", "currency", (3e6, 3e7), (5e6, 1e8), None, (1e6, 1e7), source="")
CASH_EUR = _g(C, "banknotes", "currency", (1.2e4, 1.5e5), (2e4, 4e5), None, (1e4, 6e4), source="")
CASH_USD = _g(C, "banknotes", "currency", (1.2e4, 2e5), (2e4, 6e5), None, (1e4, 8e4), source="")
GOLD = _g(C, "gold", "kg", (0.5, 4), (1, 25), (20, 150), None, usd_per_unit=60000)
FIREARMS = _g("weapons", "firearms", "pieces", (1, 2), (1, 6), (5, 60), (1, 3))
PARTS = _g("weapons", "firearm_parts", "pieces", None, (2, 30), (20, 300), (1, 20))
AMMO = _g("weapons", "ammunition", "pieces", (10, 100), (30, 1500), (500, 20000), (20, 500))
DOCUMENTS = _g(
    "counterfeit", "counterfeit_documents", "pieces", (1, 4), (1, 12), (50, 400), (5, 150), source=""
)
CIGARETTES = _g("tobacco", "cigarettes", "pieces", None, (200, 4000), (20000, 400000), None)
CURRENCY_OF = {CASH_XOF: "XOF", CASH_XAF: "XAF", CASH_EUR: "EUR", CASH_USD: "USD"}


# -------------------------------------------------------------------------- corridors
@dataclass(frozen=True)
class Corridor:
    name: str
    weight: float
    origins: str
    hubs: tuple[str, ...]  # transit sequences ("" = direct flight, "DXB ADD" = two stops)
    destinations: str
    goods: tuple[tuple[Good, float], ...] = ()
    flows: str = "body"
    nationalities: str = ""
    trend: float = 0.0  # -1 falling ... 1 rising over the two years
    extra: tuple[tuple[Good, float], ...] = ()  # a second item, with its probability
    high_risk: bool = False
    airports: frozenset = field(default=frozenset(), compare=False)

    def __post_init__(self):
        every = " ".join((self.origins, self.destinations, *self.hubs)).split()
        object.__setattr__(self, "airports", frozenset(c.partition(":")[0] for c in every))


SA = "GRU:5 BOG:3 LIM:3 EZE:2 CCS:2 VCP:2 SSA:1 REC:1 FOR:1 GIG:2 VVI:2 UIO:1 GYE:1"
WA = "LOS:5 ACC:4 LFW:3 DSS:3 ABJ:3 BKO:2 CKY:2 COO:2 OUA:1 FNA:1 ROB:1 BJL:1 OXB:1 NIM:1 ABV:2"
EU = "LIS:4 CDG:4 MAD:4 BRU:3 AMS:3 FRA:2 LHR:2 ORY:1 BCN:1 FCO:1 MXP:1"
EAST_ASIA = "KUL:4 BKK:3 NRT:2 CGK:2 MNL:2 HKG:3 SYD:1 ICN:1"
WILD_ASIA = "HKG:4 BKK:3 KUL:3 HAN:3 PVG:3 SGN:2 CAN:2"
SAHEL = "NIM:4 BKO:4 OUA:3 NDJ:3 ABV:2 COO:1 LFW:1 NKC:1 DSS:1 ACC:1 LOS:1"
GULF = ("DXB", "DOH", "ADD", "IST", "DXB ADD", "CMN", "CAI")
CENTRAL = "FIH:4 DLA:3 LBV:2 EBB:3 BZV:2 NSI:1 BGF:1 LOS:2 ABJ:1"
WA_NAT = "NG:6 GH:3 SN:2 CI:2 GN:2 ML:1 TG:1 BJ:1 SL:1 LR:1 GW:1 GM:1"
PAX = "body:4 checked_baggage:5 cabin_baggage:2"

CORRIDORS: tuple[Corridor, ...] = (
    Corridor(
        "cocaine: South America to West Africa", 14, SA, ("ADD", "", "CMN", "LFW", "LIS", "DOH"), WA,
        goods=((COCAINE, 1),), flows=PAX + " cargo:0.3 express_courier:0.4",
        nationalities="NG:4 BR:3 GH:1 CO:1 VE:2 GN:1 SN:1 BO:1 PE:1", extra=((CASH_USD, 0.03),),
    ),
    Corridor(
        "cocaine: South America to Europe via Africa", 10, SA,
        ("ADD", "LFW", "LOS", "ACC", "CMN", "DSS", "ABJ"), EU,
        goods=((COCAINE, 1),), flows=PAX + " crew:0.1",
        nationalities="NG:3 BR:3 PT:1 ES:1 VE:2 CO:2 NL:1 FR:1 GH:1 BO:1",
    ),
    Corridor(
        "cocaine: West Africa to Europe", 12, WA, ("", "", "CMN", "ADD", "IST", "DSS", "ABJ"), EU,
        goods=((COCAINE, 6), (HERB, 2), (HEROIN, 0.5)), flows=PAX + " express_courier:0.5 mail:0.3",
        nationalities=WA_NAT + " FR:1 PT:1 ES:1 NL:1", extra=((CASH_EUR, 0.02),),
    ),
    Corridor(
        "cocaine: Caribbean and Central America to Europe", 6,
        "SDQ:3 KIN:2 POS:2 GEO:2 BGI:1 PBM:2 PTY:3 GUA:1 SAL:1", ("", "", "PTY", "MAD"), EU,
        goods=((COCAINE, 5), (HERB, 1)), flows=PAX + " cargo:0.4",
        nationalities="DO:3 JM:2 TT:1 GY:1 SR:1 NL:2 ES:2 CO:1 VE:1 PA:1",
    ),
    Corridor(
        "cocaine: large cargo consignments", 2, "GRU GIG SSA BOG LIM GYE PTY EZE", ("", "LIS", "MAD"),
        "LIS MAD BRU AMS LOS ACC LFW ABJ DSS",
        goods=((COCAINE, 1),), flows="cargo", nationalities="BR:2 CO:2 NG:2 ES:1 PT:1 NL:1", trend=0.3,
    ),
    Corridor(
        "cannabis resin from Morocco", 5, "CMN:4 TUN:1", ("",),
        "DSS:3 ABJ:2 BKO:3 NKC:2 LOS:1 NIM:1 CAI:1 AMM:1",
        goods=((RESIN, 1),), flows="checked_baggage:5 cabin_baggage:1 body:1 cargo:0.5",
        nationalities="MA:5 SN:2 ML:2 MR:2 DZ:1 TN:1", trend=-0.2,
    ),
    Corridor(
        "cannabis herb from West Africa and the Caribbean", 6,
        "ACC:4 LOS:4 LFW:2 COO:1 FNA:1 ROB:1 KIN:3 POS:1 YYZ:2", ("", "", "CMN", "ADD", "IST"),
        "LHR:3 CDG:2 BRU:2 AMS:2 LGW:1 DSS:1 ABJ:1 KIN:1",
        goods=((HERB, 1),), flows=PAX + " mail:1 express_courier:1",
        nationalities="NG:3 GH:4 JM:3 SL:1 LR:1 GB:2 CA:1",
    ),
    Corridor(
        "heroin from South-West Asia through East Africa", 6, "ISB:2 LHE:2 KHI:3 IKA:1 KBL:1",
        ("DXB", "DOH", "ADD", "NBO", "DXB ADD", "DOH NBO", "ADD", "NBO"),
        "LOS:3 ACC:2 ABJ:1 LFW:1 COO:1 EBB:2 NBO:1 MPM:2 JNB:2 DAR:1 ADD:1",
        goods=((HEROIN, 1),), flows="body:4 checked_baggage:4 cabin_baggage:1 cargo:0.3",
        nationalities="PK:4 NG:3 TZ:2 KE:2 AF:1 MZ:1 ZA:1",
    ),
    Corridor(
        "methamphetamine from West Africa to Asia", 7, "LOS:5 ABV:2 ACC:2 LFW:1 COO:1 ABJ:1 FIH:1",
        ("ADD", "DXB", "DOH", "IST", "NBO", "JNB", "ADD", "CAI"), EAST_ASIA,
        goods=((METH, 1),), flows="body:3 checked_baggage:5 cabin_baggage:1 express_courier:1",
        nationalities="NG:7 GH:1 CM:1 ZA:1 MY:1 TH:1", trend=0.6,
    ),
    Corridor(
        "tramadol from India into the Sahel", 9, "BOM:4 DEL:3 AMD:1 HYD:1", GULF, SAHEL,
        goods=((TRAMADOL, 1),), flows="cargo:5 checked_baggage:3 express_courier:1 mail:0.5",
        nationalities="NE:2 ML:2 BF:1 TD:2 NG:3 IN:2 TG:1", trend=0.2, extra=((PAINKILLERS, 0.1),),
    ),
    Corridor(
        "falsified medicines into West Africa and the Sahel", 6, "BOM:3 DEL:2 CAN:3 PVG:1 HYD:1", GULF,
        SAHEL + " ABJ:2 CKY:2 FIH:1 DLA:1",
        goods=((ANTIMALARIALS, 5), (ANTIBIOTICS, 3), (PAINKILLERS, 1), (UNLICENSED, 2)),
        flows="cargo:6 checked_baggage:3 express_courier:1",
        nationalities="NG:3 NE:1 ML:1 BF:1 GN:1 CI:1 CN:2 IN:2 CM:1",
    ),
    Corridor(
        "captagon in the Middle East", 6, "DAM:3 BEY:4 AMM:1", ("", "", "AMM", "CAI", "BEY"),
        "JED:4 RUH:4 KWI:2 DMM:1 DXB:1 BGW:2 AMM:1 CAI:1",
        goods=((CAPTAGON, 1),), flows="checked_baggage:4 cargo:4 cabin_baggage:1 body:1",
        nationalities="SY:5 LB:3 JO:2 SA:1 IQ:1 EG:1",
    ),
    Corridor(
        "khat from the Horn of Africa", 5, "ADD:5 NBO:3 EBB:1", ("", "", "DXB", "IST", "BRU", "FRA"),
        "FRA:2 AMS:2 BRU:2 CDG:2 LHR:2 ARN:1 CPH:1 OSL:1 JED:2 RUH:1 YYZ:1",
        goods=((KHAT, 1),), flows="checked_baggage:5 cargo:2 mail:1 express_courier:2",
        nationalities="ET:4 SO:4 KE:2 SE:1 GB:1 NL:1", trend=-0.3,
    ),
    Corridor(
        "wildlife from Central Africa to Asia", 6, CENTRAL, ("ADD", "DXB", "DOH", "IST", "NBO", "ADD", "ADD"),
        WILD_ASIA, goods=((PANGOLIN, 5), (IVORY, 4), (SKINS, 1), (PARROTS, 1)),
        flows="cargo:4 checked_baggage:5 express_courier:1",
        nationalities="CN:4 VN:3 NG:2 CD:2 CM:2 GA:1 CG:1 UG:1", extra=((IVORY, 0.08),),
    ),
    Corridor(
        "rhino horn and ivory from southern Africa", 2, "JNB:3 MPM:3 NBO:1 DAR:1",
        ("DOH", "ADD", "DXB", "NBO", "ADD"), "HAN:3 SGN:2 KUL:2 BKK:1 HKG:1 PVG:1",
        goods=((RHINO, 3), (IVORY, 2)), flows="checked_baggage:5 cargo:2",
        nationalities="VN:4 CN:3 ZA:1 MZ:2 MY:1",
    ),
    Corridor(
        "cash and gold outbound from West Africa", 5, "DSS:2 ABJ:3 BKO:3 OUA:2 NIM:1 LFW:2 COO:1 NDJ:1 CKY:1 DLA:1 LBV:0.5",
        ("", "", "ADD", "CMN"), "DXB:5 IST:3 CMN:2 CAI:1 BEY:2 JED:1",
        goods=((CASH_XOF, 4), (GOLD, 3), (CASH_EUR, 1), (CASH_USD, 1)),
        flows="body:3 checked_baggage:3 cabin_baggage:3",
        nationalities="ML:3 BF:2 SN:2 CI:1 GN:2 NE:1 LB:2 TD:1 BJ:1 TG:1",
    ),
    Corridor(
        "cash outbound from Europe and Latin America", 4,
        "CDG:3 BRU:2 MAD:2 LIS:1 AMS:1 FRA:1 PTY:2 BOG:1 SDQ:1 GUA:1", ("", "", "CMN", "ADD", "MAD"),
        "DSS:2 ABJ:2 LOS:2 ACC:1 CKY:1 BOG:1 MEX:1 CCS:1 DXB:1",
        goods=((CASH_EUR, 3), (CASH_USD, 2)), flows="body:3 checked_baggage:4 cabin_baggage:3",
        nationalities="NG:2 SN:2 FR:2 CO:2 DO:1 ES:1 GN:1 VE:1 CI:1",
    ),
    Corridor(
        "firearms and ammunition", 1.5, "MIA:4 FLL:2 JFK:2 ATL:1 MCO:1 IST:2 ALG:1", ("", "", "PTY"),
        "KIN:3 POS:2 SDQ:2 GEO:1 PBM:1 BGI:1 BKO:1 NIM:1 NDJ:1 ABV:1",
        goods=((FIREARMS, 3), (PARTS, 2), (AMMO, 3)), flows="checked_baggage:3 mail:2 express_courier:3 cargo:1",
        nationalities="JM:3 TT:2 DO:2 US:2 GY:1 HT:1 NG:1 ML:1", extra=((AMMO, 0.25),),
    ),
    Corridor(
        "forged travel documents", 3, "CKY:2 DSS:2 ABJ:2 LOS:2 ACC:1 FNA:1 ROB:1 BJL:1 CAI:1 SDQ:1",
        ("", "", "CMN", "ADD", "IST", "LIS"), "CDG:3 MAD:2 BRU:2 LIS:1 FRA:2 AMS:1 LHR:1 GRU:1 MEX:1",
        goods=((DOCUMENTS, 1),), flows="body:2 cabin_baggage:2 checked_baggage:1 express_courier:2 mail:1",
        nationalities="GN:3 SN:2 CI:2 NG:2 GH:1 SL:1 GM:1 CM:1 EG:1 DO:1 SY:1",
    ),
    Corridor(
        "synthetic drugs outbound from Europe", 1.5, "AMS:3 BRU:2 CDG:1 FRA:1 MAD:1", ("", "", "LIS", "ADD"),
        "GRU:2 SDQ:2 PTY:1 LOS:1 ACC:1 JNB:2 BOG:1 DXB:1",
        goods=((MDMA, 1),), flows="checked_baggage:3 mail:2 express_courier:3",
        nationalities="NL:3 BE:2 BR:2 DO:1 NG:1 ZA:1",
    ),
    Corridor(
        "cigarettes into West Africa", 1, "DXB:3 IST:1 CAN:1", ("", "ADD"), "LOS:2 ACC:1 COO:1 NIM:1 NDJ:1 BKO:1",
        goods=((CIGARETTES, 1),), flows="cargo:3 checked_baggage:2", nationalities="NG:2 NE:2 TD:1 LB:2 AE:1",
    ),
    Corridor(
        "high-risk passengers (suspected foreign terrorist fighters)", 2.5,
        "TUN:4 CMN:3 CAI:2 ALG:2 AMM:2 BGW:1 BKO:1 NIM:1 NDJ:1 IST:2 DSS:1 ABV:1",
        ("", "", "IST", "CAI", "ADD", "CMN", "AMM"), "IST:3 BGW:2 BKO:2 NIM:2 NDJ:2 NKC:1 OUA:1 AMM:1 TUN:1 CMN:1",
        goods=(), flows="body", high_risk=True,
        nationalities="TN:4 MA:3 EG:2 DZ:2 JO:2 IQ:1 SY:1 ML:2 NE:1 TD:1 BF:1 FR:2 BE:1 NG:1 MR:1",
    ),
)  # fmt: skip


# ------------------------------------------------------------- flows and their details
FLOW_CLASS = {
    "passenger_body": "body",
    "checked_baggage": "bag",
    "cabin_baggage": "bag",
    "crew": "bag",
    "cargo": "cargo",
    "mail": "mail",
    "express_courier": "mail",
}
CONCEALMENT = {
    "passenger_body": _w("inside_body:5 strapped_to_body:3 clothing:2"),
    "checked_baggage": _w("baggage_lining:5 inside_goods:4 food:2 cosmetics:1 clothing:1 none:0.5"),
    "cabin_baggage": _w("inside_goods:3 baggage_lining:2 clothing:2 cosmetics:1 none:1"),
    "crew": _w("strapped_to_body:2 baggage_lining:1 aircraft_structure:0.5"),
    "cargo": _w("cargo_consignment:6 inside_goods:3 food:1 uld:1"),
    "mail": _w("mail_item:1"),
    "express_courier": _w("mail_item:3 inside_goods:2"),
}
DETECTION = {
    "body": _w("risk_profiling:5 behaviour:3 body_scanner:2 intelligence:1 dog:1 random:1"),
    "bag": _w("xray:5 risk_profiling:3 dog:2 random:1 intelligence:1 behaviour:1"),
    "cargo": _w("xray:3 document_check:2 intelligence:2 risk_profiling:2 dog:1"),
    "mail": _w("xray:4 dog:2 risk_profiling:1 intelligence:0.5"),
}
HIGH_RISK_DETECTION = _w("risk_profiling:6 intelligence:3 document_check:2 behaviour:1")
DOCUMENT_DETECTION = _w("document_check:6 risk_profiling:2 xray:1 behaviour:1")
PHASE = {
    "outbound": _w("departure:5 pre_departure:2"),
    "inbound": _w("arrival:6 post_arrival:1 pre_arrival:1"),
    "transit": _w("arrival:3 departure:2"),
}
AGENCIES = {
    "drugs": _w("customs:4 police:3 drug_enforcement:3"),
    "weapons": _w("police:3 customs:3 national_security:1"),
    "counterfeit": _w("immigration:4 police:2 customs:1"),
    "high_risk": _w("immigration:4 national_security:3 police:2"),
}
DEFAULT_AGENCIES = _w("customs:6 police:1")
COVERS = _w("spare_parts handicrafts textiles machine_parts books cosmetics food_supplements auto_parts")[0]
FOOD = _w("dried_fish cassava_flour gari coffee tea shea_butter spices palm_oil")[0]
DESCRIPTION = {
    "inside_body": "{n} pellets swallowed",
    "strapped_to_body": "packages strapped to the waist and legs",
    "clothing": "sewn into clothing and shoes",
    "baggage_lining": "false bottom of a suitcase",
    "inside_goods": "hidden inside {cover}",
    "food": "mixed with {food}",
    "cosmetics": "in cream and lotion containers",
    "cargo_consignment": "consignment declared as {cover}",
    "uld": "bags hidden in a unit load device",
    "mail_item": "parcel declared as {cover}",
    "aircraft_structure": "behind a panel of the aircraft",
}
# Airline of a leg: the first airport of the leg found here, in this order (hubs first).
CARRIERS = {
    "ADD": "ET", "DXB": "EK", "DOH": "QR", "IST": "TK", "CMN": "AT", "NBO": "KQ", "CAI": "MS",
    "AMM": "RJ", "BEY": "ME", "JNB": "SA", "CDG": "AF", "ORY": "AF", "AMS": "KL", "FRA": "LH",
    "BRU": "SN", "LIS": "TP", "MAD": "IB", "LHR": "BA", "PTY": "CM", "BOG": "AV", "LIM": "LA",
    "GRU": "LA", "EZE": "AR", "SDQ": "B6", "KIN": "BW", "POS": "BW", "TUN": "TU", "ALG": "AH",
    "JED": "SV", "RUH": "SV", "BGW": "IA", "LFW": "KP", "DSS": "HC", "ABJ": "HF", "LOS": "P4",
    "KUL": "MH", "BKK": "TG", "HKG": "CX", "MIA": "AA", "JFK": "DL",
}  # fmt: skip
FALLBACK_CARRIERS = ("ET", "AT", "AF", "TK", "EK", "KQ", "KP")
EURO = {"FR", "BE", "ES", "PT", "NL", "DE", "IT"}
XOF_COUNTRIES = {"SN", "CI", "ML", "BF", "NE", "TG", "BJ", "GW"}
XAF_COUNTRIES = {"CM", "GA", "CG", "TD", "CF", "GQ"}

SEX = _w("M:80 F:19 X:1")
AGE = _w("18-24:16 25-34:36 35-44:26 45-54:13 55-64:5 65+:1 unknown:3")
AGE_RANGE = {"18-24": (18, 24), "25-34": (25, 34), "35-44": (35, 44), "45-54": (45, 54), "55-64": (55, 64)}
AGE_RANGE["65+"] = (65, 78)
TLP = _w("amber:75 green:16 amber_strict:4 red:5")
HIGH_RISK_TLP = _w("amber:45 amber_strict:25 red:30")
HOURS = tuple(range(24))
HOUR_WEIGHTS = (2, 2, 2, 2, 3, 5, 7, 8, 8, 7, 6, 6, 6, 6, 6, 7, 7, 8, 8, 8, 7, 6, 4, 3)

# Invented names, grouped by language (synthetic; any resemblance is chance).
NAMES = {
    "fr": ("Diallo Sow Traoré Koné Ouédraogo Mensah Camara Kaboré Lefèvre Dupont Mbemba Ndiaye",
           "Amadou Moussa Ibrahim Jean Yves Serge Paul Didier", "Aïssatou Fatoumata Mariam Awa Claire Nadia"),
    "en": ("Okafor Adeyemi Mensah Boateng Johnson Williams Campbell Brown Clarke Otieno Mwangi Sesay",
           "Chinedu Emeka Kwame Kofi David Michael Andre Samuel", "Ngozi Abena Grace Mary Keisha Esther"),
    "pt": ("Silva Santos Oliveira Souza Pereira Costa Ferreira Almeida Gomes Mendes",
           "João Carlos Rafael Lucas Tiago Paulo", "Ana Mariana Juliana Beatriz Carla"),
    "es": ("García Rodríguez Martínez López Gómez Pérez Sánchez Ramírez Torres Vargas Castillo",
           "Juan Carlos Luis Andrés Diego Jorge Miguel", "María Carolina Daniela Lucía Paola"),
    "ar": ("Haddad Mansour Khalil Nasser Saleh Haddou Ben_Ali El_Amrani Bakri Hamdan Saadi",
           "Mohamed Ahmed Youssef Khaled Omar Karim Bilal", "Fatima Amina Salma Leila Nour"),
    "am": ("Tesfaye Bekele Haile Girma Abdi Mohamud Warsame Alemu", "Dawit Abebe Yonas Ahmed Hassan",
           "Hiwot Selam Hodan Meron"),
    "asia": ("Nguyen Tran Le Wang Li Zhang Chen Tan Lim Somchai Kumar Sharma Khan Ahmed",
             "Minh Wei Jun Arjun Rahul Imran Tuan", "Lan Mei Priya Ayesha Linh"),
    "nl": ("de_Vries Jansen Peeters Maes Bakker Visser Janssens Smit", "Jan Pieter Tom Bram Lars",
           "Emma Sophie Anouk Eva"),
}  # fmt: skip
_LANGUAGES = {
    "fr": "FR SN CI ML BF NE TG BJ GN CM CD GA CG TD CF MR HT",
    "en": "NG GH SL LR GM KE UG TZ ZA JM TT GY GB US CA BB",
    "pt": "BR PT GW MZ AO CV",
    "es": "CO VE PE BO ES AR EC DO PA MX GT SV",
    "ar": "MA TN DZ EG JO LB SY IQ SA LY SD AE",
    "am": "ET SO",
    "asia": "CN VN TH MY IN PK AF IR",
    "nl": "NL BE SE SR",
}
LANGUAGE = {country: lang for lang, countries in _LANGUAGES.items() for country in countries.split()}


# ----------------------------------------------------------------------------- drawing
def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _quantity(rng: random.Random, good: Good, flow_class: str) -> Decimal:
    low, high = good.sizes.get(flow_class) or good.sizes.get("bag") or next(iter(good.sizes.values()))
    value = _log_uniform(rng, low, high)
    if good.unit == "currency":
        step = 1000 if value > 1e6 else 50
        return Decimal(max(step, round(value / step) * step))
    if good.unit in codes.COUNT_UNITS:
        return Decimal(max(1, round(value, -2) if value > 5000 else round(value)))
    return Decimal(str(round(value, 3 if value < 10 else 1))).quantize(Decimal("0.001"))


def _day(rng: random.Random, end: date, trend: float) -> date:
    """A day of the two years: rising or falling with ``trend``, busier around the holidays."""
    while True:
        t = rng.random()
        day = end - timedelta(days=min(DAYS - 1, int((1 - t) * DAYS)))
        season = 1 + 0.2 * math.cos((day.timetuple().tm_yday - 355) / 365 * 2 * math.pi)
        weight = (1 + trend * (2 * t - 1)) * season
        if rng.random() * (1 + abs(trend)) * 1.2 <= weight:
            return day


def _route(rng: random.Random, corridor: Corridor) -> list[str]:
    origins, destinations = _w(corridor.origins), _w(corridor.destinations)
    for _attempt in range(50):
        route = [_pick(rng, origins), *rng.choice(corridor.hubs).split(), _pick(rng, destinations)]
        if len(set(route)) == len(route):
            return route
    return route[:1] + route[-1:] if route[0] != route[-1] else route[:1] + ["DXB"]


def _carrier(rng: random.Random, leg: list[str]) -> str:
    known = [c for c in CARRIERS if c in leg]
    return CARRIERS[known[0]] if known else rng.choice(FALLBACK_CARRIERS)


def _value(rng: random.Random, good: Good, quantity: Decimal, country: str) -> tuple[Decimal | None, str]:
    if not good.usd_per_unit or rng.random() < 0.35:
        return None, ""
    usd = float(quantity) * good.usd_per_unit * rng.uniform(0.6, 1.5)
    if country in EURO:
        return Decimal(round(usd * 0.92, -2)).quantize(Decimal("0.01")), "EUR"
    if country in XOF_COUNTRIES:
        return Decimal(round(usd * 600, -3)).quantize(Decimal("0.01")), "XOF"
    return Decimal(round(usd, -2)).quantize(Decimal("0.01")), "USD"


def _description(rng: random.Random, concealment: str, good: Good, quantity: Decimal) -> str:
    text = DESCRIPTION.get(concealment, "")
    if "{n}" in text:
        return text.format(n=max(12, int(float(quantity) * 1000 / rng.uniform(8, 13))))
    if good.unit == "animals":
        return "live animals in small crates"
    if rng.random() < 0.2:
        return ""
    return text.format(cover=rng.choice(COVERS), food=rng.choice(FOOD)).replace("_", " ")


def _nominal(rng: random.Random, nationality: str, sex: str, band: str, day: date) -> dict:
    # space-separated; an underscore joins a name of several words (de_Vries)
    names = NAMES[LANGUAGE.get(nationality, "en")]
    surnames, men, women = ([n.replace("_", " ") for n in part.split()] for part in names)
    nominal = {
        "surname": rng.choice(surnames).upper(),
        "given_names": rng.choice(women if sex == "F" else men),
        "document_type": "passport",
        "document_number": f"{rng.choice('ABCEGHKMNPT')}{rng.randrange(10**7):07d}",
        "document_country": nationality,
    }
    if band in AGE_RANGE:
        low, high = AGE_RANGE[band]
        born = day - timedelta(days=rng.randint(low * 365 + 1, high * 365 + 300))
        nominal["date_of_birth"] = born.isoformat()
    return nominal


def _person(rng, role: str, nationality: str, day: date, named: float) -> dict:
    sex, band = _pick(rng, SEX), _pick(rng, AGE)
    return {
        "role": role,
        "nationality_id": nationality,
        "sex": sex,
        "age_band": band,
        "nominal": _nominal(rng, nationality, sex, band, day) if rng.random() < named else {},
    }


def _persons(rng, corridor: Corridor, flow_class: str, route: list[str], countries: dict, day: date) -> list:
    pool = _w(corridor.nationalities)

    def nat(near: str | None = None) -> str:
        return countries[near] if near and rng.random() < 0.7 else _pick(rng, pool)

    if corridor.high_risk:
        n = rng.choices((1, 2, 3), weights=(75, 20, 5))[0]
        return [_person(rng, "high_risk", nat(), day, 0.8) for _ in range(n)]
    if flow_class in ("cargo", "mail"):
        roll = rng.random()
        if roll < (0.45 if flow_class == "cargo" else 0.5):
            return []
        if roll < 0.8:
            return [_person(rng, "sender", nat(route[0]), day, 0.5)]
        return [_person(rng, "recipient", nat(route[-1]), day, 0.5)]
    people = [_person(rng, "courier", nat(), day, 0.5)]
    if rng.random() < 0.12:
        people.append(_person(rng, "accomplice", nat(), day, 0.5))
    if rng.random() < 0.04:
        people.append(_person(rng, "organiser", nat(route[-1]), day, 0.5))
    return people


@dataclass
class _Context:
    units: dict  # iata -> (unit id, country, region, tz)
    agencies: dict  # unit id -> set of agency kinds
    officers: dict  # unit id -> user id
    heads: dict  # unit id -> user id
    countries: dict  # iata -> country iso2 (all route airports)
    end: date
    ceiling: datetime


def _one(rng: random.Random, corridor: Corridor, ctx: _Context):
    for _attempt in range(50):
        route = _route(rng, corridor)
        candidates = sorted(c for c in route if c in ctx.units)
        if candidates:
            break
    else:
        return None
    seized_at = rng.choice(candidates)
    position = route.index(seized_at)
    direction = "outbound" if position == 0 else "inbound" if position == len(route) - 1 else "transit"
    unit_id, country, region, tz = ctx.units[seized_at]
    flow = _pick(rng, _w(corridor.flows))
    flow = "passenger_body" if flow == "body" else flow
    flow_class = FLOW_CLASS[flow]
    goods = [_pick_good(rng, corridor.goods)] if corridor.goods else []
    goods += [good for good, chance in corridor.extra if rng.random() < chance and good not in goods]
    if CASH_XOF in goods and ctx.countries[route[0]] in XAF_COUNTRIES:
        goods[goods.index(CASH_XOF)] = CASH_XAF
    if corridor.high_risk:
        concealment, detection = "none", _pick(rng, HIGH_RISK_DETECTION)
    else:
        concealment = _pick(rng, CONCEALMENT[flow])
        if concealment == "inside_body" and not all(g.swallowed for g in goods):
            concealment = rng.choice(("strapped_to_body", "clothing"))
        if goods[0].unit == "animals":  # live animals travel in crates, in baggage or as cargo
            concealment = "cargo_consignment" if flow == "cargo" else "inside_goods"
        detection = _pick(rng, DOCUMENT_DETECTION if goods[0] is DOCUMENTS else DETECTION[flow_class])
    day = _day(rng, ctx.end, corridor.trend)
    local = datetime.combine(day, time(rng.choices(HOURS, weights=HOUR_WEIGHTS)[0], rng.randrange(60)))
    occurred_at = local.replace(tzinfo=ZoneInfo(tz)).astimezone(UTC)
    if occurred_at > ctx.ceiling - timedelta(minutes=5):  # not later than now
        occurred_at = ctx.ceiling - timedelta(minutes=rng.randint(5, 600))
    leg = route[position - 1 : position + 1] if direction == "inbound" else route[position : position + 2]
    flight = "" if flow_class in ("cargo", "mail") and rng.random() < 0.4 else _flight(rng, leg)
    kind = "high_risk" if corridor.high_risk else goods[0].category
    agency = _pick(rng, AGENCIES.get(kind, DEFAULT_AGENCIES))
    if agency not in ctx.agencies.get(unit_id, ()):
        agency = AgencyKind.CUSTOMS if kind != "high_risk" else AgencyKind.IMMIGRATION
    items = []
    for good in goods:
        quantity = _quantity(rng, good, flow_class)
        value, value_currency = _value(rng, good, quantity, country)
        items.append(
            {
                "category": good.category,
                "subtype": good.subtype,
                "drug_form": good.form,
                "quantity": quantity,
                "unit": good.unit,
                "currency": CURRENCY_OF.get(good, ""),
                "mass_kg": codes.mass_kg(quantity, good.unit),
                "count": int(quantity) if good.unit in codes.COUNT_UNITS else None,
                "estimated_value": value,
                "value_currency": value_currency,
                "description": _description(rng, concealment, good, quantity),
            }
        )
    persons = _persons(rng, corridor, flow_class, route, ctx.countries, day)
    tlp = _pick(rng, HIGH_RISK_TLP if corridor.high_risk else TLP)
    source = None
    if goods and goods[0].source and rng.random() < 0.7:
        spec = goods[0].source
        source = ctx.countries[route[0]] if spec == "origin" else _pick(rng, _w(spec))
    age = ctx.end - day
    status = _pick(rng, _w("draft:30 submitted:60 validated:10" if age.days < 7 else
                           "draft:5 submitted:35 validated:60" if age.days < 60 else
                           "draft:1 submitted:5 validated:94"))  # fmt: skip
    created = min(occurred_at + timedelta(hours=rng.uniform(0.5, 36)), ctx.ceiling)
    submitted = min(created + timedelta(hours=rng.uniform(0, 48)), ctx.ceiling) if status != "draft" else None
    validated = (
        min(submitted + timedelta(days=rng.uniform(0.2, 10)), ctx.ceiling) if status == "validated" else None
    )
    seizure = Seizure(
        occurred_at=occurred_at,
        airport_id=None,  # set from the airport table once every route airport exists
        unit_id=unit_id,
        country_id=country,
        region_id=region,
        reporting_agency=agency,
        flow=flow,
        phase=_pick(rng, PHASE[direction]),
        direction=direction,
        flight=flight,
        transit=route[1:-1],
        route_key=">".join(route),
        goods_origin_country_id=source,
        concealment=concealment,
        detection=detection,
        tlp=tlp,
        status=status,
        notes=DEMO_NOTE,
        created_by_id=ctx.officers.get(unit_id),
        created_at=created,
        updated_at=validated or submitted or created,
        submitted_at=submitted,
        validated_by_id=ctx.heads.get(unit_id) if validated else None,
        validated_at=validated,
    )
    return seizure, route, seized_at, items, persons


def _pick_good(rng: random.Random, goods: tuple[tuple[Good, float], ...]) -> Good:
    return rng.choices([g for g, _ in goods], weights=[w for _, w in goods])[0]


def _flight(rng: random.Random, leg: list[str]) -> str:
    return f"{_carrier(rng, leg)}{rng.randint(1, 999)}"


def _context(end: date) -> _Context | None:
    units = {}
    for unit in Unit.objects.filter(kind=UnitKind.JAITF, is_active=True).select_related("airport__country"):
        airport = unit.airport
        units[airport.iata] = (unit.pk, airport.country_id, airport.country.region_id, airport.tz)
    if not units:
        return None
    agencies: dict[int, set] = {}
    for unit_id, kind in UnitAgency.objects.filter(unit_id__in=[u[0] for u in units.values()]).values_list(
        "unit_id", "kind"
    ):
        agencies.setdefault(unit_id, set()).add(kind)
    officers, heads = {}, {}
    for unit_id, user_id, is_head in (
        Membership.objects.filter(unit_id__in=[u[0] for u in units.values()])
        .order_by("unit_id", "user_id")
        .values_list("unit_id", "user_id", "is_head")
    ):
        (heads if is_head else officers).setdefault(unit_id, user_id)
    end_of_day = datetime.combine(end, time(23, 59), tzinfo=UTC)
    ceiling = min(timezone.now(), end_of_day).replace(second=0, microsecond=0)
    return _Context(units, agencies, officers, heads, {}, end, ceiling)


def _airport_countries(codes_needed: set[str]) -> dict[str, str]:
    return {code: reference.airport_record(code)["country"] for code in codes_needed}


@transaction.atomic
def generate(count: int = 6000, *, seed: int = 2026, end: date | None = None) -> int:
    """Create ``count`` synthetic seizures over the two years ending ``end`` (default today).
    Returns how many were created: 0 when demo seizures exist already or there is no task force."""
    if count <= 0 or Seizure.objects.filter(notes=DEMO_NOTE).exists():
        return 0
    ctx = _context(end or timezone.localdate())
    if ctx is None:
        return 0
    every_code = set().union(*(c.airports for c in CORRIDORS))
    ctx.countries.update(_airport_countries(every_code))
    corridors = [c for c in CORRIDORS if c.airports & set(ctx.units)]
    weights = [c.weight for c in corridors]
    drawn, index = [], 0
    while len(drawn) < count and index < count * 3:
        rng = _rng(seed, index)
        index += 1
        one = _one(rng, rng.choices(corridors, weights=weights)[0], ctx)
        if one is not None:
            drawn.append(one)
    needed = {code for _s, route, _a, _i, _p in drawn for code in route}
    existing = dict(Airport.objects.filter(iata__in=needed).values_list("iata", "pk"))
    for code in sorted(needed - set(existing)):
        existing[code] = ensure_airport(actor=None, iata=code).pk
    for seizure, route, seized_at, _items, _persons in drawn:
        seizure.airport_id = existing[seized_at]
        seizure.origin_id = existing[route[0]]
        seizure.destination_id = existing[route[-1]]
    seizures = [d[0] for d in drawn]
    Seizure.objects.bulk_create(seizures, batch_size=BATCH)
    items, persons = [], []
    for seizure, _route, _at, item_rows, person_rows in drawn:
        for i, item in enumerate(item_rows):
            items.append(
                SeizureItem(
                    seizure_id=seizure.pk,
                    position=i,
                    **item_copies(seizure),
                    **item,
                )
            )
        persons += [SeizurePerson(seizure_id=seizure.pk, position=i, **p) for i, p in enumerate(person_rows)]
    SeizureItem.objects.bulk_create(items, batch_size=BATCH)
    SeizurePerson.objects.bulk_create(persons, batch_size=BATCH)
    record(None, "seizures.demo_generated", data={"count": len(seizures)}, object_type="seizures.seizure")
    figures.refresh(figures.cells_of(s for s in seizures if s.status in codes.COUNTED_STATUSES))
    return len(seizures)


def _rng(seed: int, index: int) -> random.Random:
    """One generator per record: record n is the same whatever the count asked for."""
    return random.Random(f"{seed}:{index}")
