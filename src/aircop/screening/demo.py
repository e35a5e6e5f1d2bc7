"""Demo screening data for `aircop demo` (docs/screening.md, "Demo"): two watchlists (wanted
persons with aliases in Arabic and Cyrillic script; stolen and lost passports), and a few
days of arriving manifests at demo airports, some of whose travellers are listed people under
another spelling or script, screened at once so that the review queues hold hits. Every name
is synthetic. Idempotent: nothing is added when the demo lists exist."""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from aircop.accounts.models import User
from aircop.passengers import services as passengers
from aircop.screening import runner
from aircop.screening.importer import import_entries
from aircop.screening.models import Watchlist
from aircop.screening.services import create_watchlist

WANTED = "demo-wanted"
DOCUMENTS = "demo-lost-passports"

# (Latin spelling on the list, another spelling a passport may carry, the name in its own script)
ARAB_GIVEN = [
    ("Mohammed", "Muhammad", "محمد"), ("Ahmed", "Ahmad", "أحمد"), ("Youssef", "Yusuf", "يوسف"),
    ("Omar", "Umar", "عمر"), ("Khaled", "Khalid", "خالد"), ("Hassan", "Hasan", "حسن"),
    ("Ibrahim", "Ebrahim", "إبراهيم"), ("Mustafa", "Moustafa", "مصطفى"), ("Tariq", "Tarek", "طارق"),
    ("Samir", "Sameer", "سمير"), ("Karim", "Kareem", "كريم"), ("Walid", "Waleed", "وليد"),
]  # fmt: skip
ARAB_SURNAME = [
    ("Abdullah", "Abdallah", "عبد الله"), ("Haddad", "Hadad", "حداد"), ("Mansour", "Mansur", "منصور"),
    ("Nasser", "Nasir", "ناصر"), ("Saleh", "Salih", "صالح"), ("Hamdan", "Hamdane", "حمدان"),
    ("Qasim", "Kassem", "قاسم"), ("Suleiman", "Sulayman", "سليمان"), ("Jaber", "Jabir", "جابر"),
]  # fmt: skip
RUS_GIVEN = [
    ("Sergey", "Sergei", "Сергей"), ("Aleksandr", "Alexander", "Александр"), ("Dmitriy", "Dmitry", "Дмитрий"),
    ("Yuliya", "Iuliia", "Юлия"), ("Andrey", "Andrei", "Андрей"), ("Timur", "Timour", "Тимур"),
]  # fmt: skip
RUS_SURNAME = [
    ("Volkov", "Wolkow", "Волков"), ("Kuznetsov", "Kusnezow", "Кузнецов"), ("Orlov", "Orloff", "Орлов"),
    ("Usmanov", "Ousmanov", "Усманов"), ("Sokolov", "Sokoloff", "Соколов"), ("Nazarov", "Nasarow", "Назаров"),
]  # fmt: skip
WEST_GIVEN = [("Mamadou", "Mamadu"), ("Ousmane", "Usman"), ("Aminata", "Aminatta"), ("Ibrahima", "Ebrima"),
              ("Chukwuemeka", "Chukwuemeka"), ("Kwame", "Kwami"), ("Fatoumata", "Fatumata"), ("Seydou", "Saidou")]  # fmt: skip
WEST_SURNAME = [("Diallo", "Jallow"), ("Traore", "Traoré"), ("Okafor", "Okafor"), ("Mensah", "Mensa"),
                ("Keita", "Keyta"), ("Adebayo", "Adebayo"), ("Coulibaly", "Kulibali"), ("Ndiaye", "Njie")]  # fmt: skip
LATAM_GIVEN = [("José", "Jose"), ("Luis", "Luiz"), ("María", "Maria"), ("Jhon", "John"), ("Andrés", "Andres")]
LATAM_SURNAME = [("González", "Gonzales"), ("Rodríguez", "Rodrigues"), ("Restrepo", "Restrepo"),
                 ("Vásquez", "Vasquez"), ("Ospina", "Ospina"), ("Zapata", "Sapata")]  # fmt: skip

REGIONS = {
    "arab": (ARAB_GIVEN, ARAB_SURNAME, ["SDN", "SYR", "IRQ", "YEM", "LBY", "EGY"]),
    "russia": (RUS_GIVEN, RUS_SURNAME, ["RUS", "KAZ", "UZB"]),
    "west": (WEST_GIVEN, WEST_SURNAME, ["NGA", "GIN", "SEN", "MLI", "GHA"]),
    "latam": (LATAM_GIVEN, LATAM_SURNAME, ["COL", "VEN", "BRA", "PER"]),
}
FEMALE = {"Yuliya", "Aminata", "Fatoumata", "María"}
# Flights into demo airports with a task force: (carrier, number, from, to, hours in the air)
FLIGHTS = [
    ("ET", "0935", "ADD", "LFW", 5), ("AT", "0525", "CMN", "DSS", 3), ("KP", "0044", "BOG", "ACC", 11),
    ("MS", "0875", "CAI", "LOS", 5), ("AV", "0010", "BOG", "GRU", 6), ("RJ", "0501", "AMM", "CAI", 2),
]  # fmt: skip
PASSENGERS_PER_FLIGHT = 40
LISTED_PER_FLIGHT = 2
MANIFEST_COLUMNS = [
    "carrier", "flight_number", "departure_airport", "arrival_airport", "scheduled_departure",
    "scheduled_arrival", "type", "surname", "given_names", "sex", "date_of_birth", "nationality",
    "document_type", "document_number", "document_issuing_country", "document_expiry_date",
    "embarkation", "debarkation", "booking_reference", "seat", "bag_tags",
]  # fmt: skip
RULE = "demo-cocaine-route-no-bag"
RULE_TEXT = (
    'route.origin_country in ["COL", "BRA", "VEN", "PER", "BOL"] and flight.long_haul '
    "and traveller.checked_bags == 0"
)


def _person(rng: random.Random, region: str) -> dict:
    given, surnames, nationalities = REGIONS[region]
    g = rng.choice(given)
    s = rng.choice(surnames)
    born = date(rng.randint(1955, 2002), rng.randint(1, 12), rng.randint(1, 28))
    return {
        "region": region,
        "given": g,
        "surname": s,
        "sex": "F" if g[0] in FEMALE else "M",
        "born": born,
        "nationality": rng.choice(nationalities),
        "passport": f"{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{rng.randint(1000000, 9999999)}",
    }


def _entry(n: int, p: dict, rng: random.Random) -> dict:
    names = [f"{p['given'][0]} {p['surname'][0]}", f"{p['surname'][0]} {p['given'][0]}"]
    if len(p["given"]) == 3:  # the name in its own script
        names.append(f"{p['given'][2]} {p['surname'][2]}")
    dob = p["born"].isoformat() if rng.random() < 0.8 else str(p["born"].year)
    return {
        "reference": f"DW-{n:05d}",
        "names": names,
        "date_of_birth": dob,
        "nationality": p["nationality"],
        "sex": p["sex"],
        "reason": "demo: wanted for drug trafficking (synthetic)",
    }


def _lost_passports(rng: random.Random, n: int) -> list[dict]:
    out = []
    for i in range(n):
        country = rng.choice(["NGA", "GHA", "SEN", "COL", "VEN", "SYR", "EGY"])
        out.append(
            {
                "reference": f"LP-{i + 1:05d}",
                "document_number": f"{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{rng.randint(1000000, 9999999)}",
                "document_country": country,
                "document_type": "P",
                "reason": "demo: reported stolen (synthetic)",
            }
        )
    return out


def generate(*, entries: int = 400, days: int = 3, seed: int = 2026) -> dict:
    """Create the demo lists, manifests and hits; {} when they exist already."""
    if Watchlist.objects.filter(name__in=[WANTED, DOCUMENTS]).exists():
        return {}
    rng = random.Random(seed)
    owner = User.objects.get(username="officer-dss")
    wanted = create_watchlist(
        actor=owner,
        name=WANTED,
        title="Demo: wanted persons (synthetic)",
        kind="wanted",
        source="AIRCOP demo",
        owner="jaitf-dss",
        tlp="amber",
    )
    listed = [_person(rng, rng.choice(list(REGIONS))) for _ in range(entries)]
    data = json.dumps([_entry(i + 1, p, rng) for i, p in enumerate(listed)]).encode()
    import_entries(actor=owner, watchlist=wanted, data=data, name="demo-wanted.json", fmt="json")
    acc = User.objects.get(username="officer-acc")
    lost = create_watchlist(
        actor=acc,
        name=DOCUMENTS,
        title="Demo: stolen and lost passports (synthetic)",
        kind="documents",
        source="AIRCOP demo",
        owner="jaitf-acc",
        tlp="amber",
    )
    documents = _lost_passports(rng, 200)
    import_entries(
        actor=acc, watchlist=lost, data=json.dumps(documents).encode(), name="lost.json", fmt="json"
    )

    flights = 0
    today = timezone.localdate()
    for day_offset in range(days):
        day = today - timedelta(days=day_offset)
        for carrier, number, origin, destination, hours in FLIGHTS:
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(MANIFEST_COLUMNS)
            leaves = datetime.combine(day, time(rng.randint(6, 20), rng.choice((0, 15, 30, 45))))
            arrives = leaves + timedelta(hours=hours)
            people = [_person(rng, rng.choice(list(REGIONS))) for _ in range(PASSENGERS_PER_FLIGHT)]
            for i in range(LISTED_PER_FLIGHT):  # listed people, travelling under another spelling
                p = dict(rng.choice(listed))
                p["given"] = (p["given"][1], *p["given"][1:])
                p["surname"] = (p["surname"][1], *p["surname"][1:])
                people[i] = p
            people[-1]["passport"] = rng.choice(documents)["document_number"]  # a lost passport
            people[-1]["nationality"] = next(
                d for d in documents if d["document_number"] == people[-1]["passport"]
            )["document_country"]
            rng.shuffle(people)
            for seat, p in enumerate(people, 1):
                writer.writerow(
                    [
                        carrier, number, origin, destination, leaves.isoformat(timespec="minutes"),
                        arrives.isoformat(timespec="minutes"), "passenger", p["surname"][0].upper(),
                        p["given"][0].upper(), p["sex"], p["born"].isoformat(), p["nationality"], "P",
                        p["passport"], p["nationality"], "2032-01-01", origin, destination,
                        f"D{rng.randint(10000, 99999)}", f"{seat // 6 + 1}{'ABCDEF'[seat % 6]}",
                        "" if rng.random() < 0.08 else f"{carrier}{rng.randint(100000, 999999)}",
                    ]
                )  # fmt: skip
            report = passengers.ingest(
                out.getvalue().encode(), name=f"demo-{carrier}{number}-{day}.csv", source="cli"
            )
            flights += sum(len(m.flight_ids) for m in report.messages)
    # Screen now rather than when the server's worker starts, so that the queues are full.
    from aircop.core.tasks import run_queued

    while run_queued(limit=50):
        pass
    # A risk rule of Accra's, tried on these days' manifests, activated, then run on them.
    from aircop.passengers.models import Flight
    from aircop.screening import services_rules
    from aircop.screening.models import Hit

    rule = services_rules.create_rule(
        actor=acc,
        name=RULE,
        title="Demo: from a cocaine source country, long haul, no checked bag",
        owner="jaitf-acc",
        expression=RULE_TEXT,
        description="Demo indicator (synthetic): a long-haul passenger from South America travelling without hold baggage.",
        severity="medium",
    )
    version = rule.versions.get(number=1)
    services_rules.test_version(actor=acc, version=version, since=today - timedelta(days=days), until=today)
    services_rules.activate(actor=acc, rule=rule, version_number=1)
    runner.screen_flights(
        list(Flight.objects.filter(travellers__source="csv").values_list("pk", flat=True).distinct())
    )
    runner.forget()
    return {"entries": entries + len(documents), "flights": flights, "hits": Hit.objects.count()}
