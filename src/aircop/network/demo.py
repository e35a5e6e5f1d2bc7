"""The demo network loaded by `aircop demo`: real airports and countries, synthetic units,
decrees and people. Idempotent: every object is keyed by a stable code and only created
when missing, so a second run writes nothing (and audits nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import transaction

from aircop.accounts.models import Role, User, VettingStatus
from aircop.accounts.services import create_user
from aircop.core.errors import ServiceError
from aircop.network import services
from aircop.network.models import AgencyKind, Membership, Unit, UnitGroup, UnitKind

# region code -> (name, partner?, airports)
REGIONS: dict[str, tuple[str, bool, list[str]]] = {
    "wca": (
        "West and Central Africa",
        False,
        [
            "DSS",
            "LFW",
            "ACC",
            "LOS",
            "ABV",
            "BKO",
            "OUA",
            "NIM",
            "COO",
            "ABJ",
            "CKY",
            "OXB",
            "BJL",
            "FNA",
            "ROB",
            "RAI",
            "NKC",
            "DLA",
            "LBV",
            "NDJ",
            "FIH",
            "BZV",
        ],
    ),
    "esa": ("Eastern and Southern Africa", False, ["ADD", "NBO", "EBB", "MPM", "JNB"]),
    "lac": (
        "Latin America and the Caribbean",
        False,
        [
            "BOG",
            "PTY",
            "SDQ",
            "KIN",
            "BGI",
            "POS",
            "LIM",
            "UIO",
            "GRU",
            "EZE",
            "VVI",
            "SAL",
            "GUA",
            "PBM",
            "GEO",
        ],
    ),
    "mena": ("Middle East and North Africa", False, ["AMM", "BEY", "TUN", "CMN", "CAI", "BGW"]),
    "europe": ("Europe (partner destinations)", True, ["CDG", "BRU", "MAD", "LIS", "AMS", "FRA"]),
}

# Extra member agencies, rotated over the task forces (customs, police, immigration are in all).
EXTRA_AGENCIES = [
    [AgencyKind.DRUG_ENFORCEMENT],
    [AgencyKind.NATIONAL_SECURITY, AgencyKind.AIRPORT_AUTHORITY],
    [AgencyKind.DRUG_ENFORCEMENT, AgencyKind.NATIONAL_SECURITY],
    [AgencyKind.AIRPORT_AUTHORITY],
]

# country -> national headquarters (with a coordinator-<iso2>)
NATIONAL_HQ = ["SN", "TG", "NG", "CO", "DO", "JO"]
# liaison post: country of posting -> airports covered
LIAISON = {"SN": ["DSS", "BJL", "OXB"], "GH": ["ACC", "LFW", "COO"], "CO": ["BOG", "PTY", "UIO"]}
# airline security contacts: designator -> (name, country)
AIRLINES = {
    "AF": ("Air France security", "FR"),
    "ET": ("Ethiopian Airlines security", "ET"),
    "AT": ("Royal Air Maroc security", "MA"),
}
REGIONAL_OFFICES = {
    "ro-dakar": ("wca", "SN"),
    "ro-nairobi": ("esa", "KE"),
    "ro-panama": ("lac", "PA"),
    "ro-amman": ("mena", "JO"),
}
PROGRAMME_UNIT = "aircop-pcu"


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, n: int = 1):
        if n:
            self.created[kind] = self.created.get(kind, 0) + n

    @property
    def changed(self) -> bool:
        return bool(self.created)


class DemoRefused(ServiceError):
    pass


def refuse_if_real_users() -> None:
    real = User.objects.filter(is_demo=False).order_by("username").values_list("username", flat=True)[:3]
    if real:
        raise DemoRefused(
            "the database holds non-demo users (" + ", ".join(real) + "); the demo only loads into an "
            "empty or demo database",
            field="database",
        )


def _jaitf_name(airport) -> str:
    return f"JAITF {airport.city or airport.name} ({airport.iata})"


def _ordinal_date(i: int, start_year: int = 2011) -> date:
    return date(start_year + i % 14, 1 + (i * 5) % 12, 1 + (i * 7) % 27)


@transaction.atomic
def load(*, password: str) -> DemoReport:
    refuse_if_real_users()
    report = DemoReport()
    report.add("countries", services.load_countries(actor=None))
    password_hash = None

    def user(username: str, role: str, first: str, last: str) -> User:
        nonlocal password_hash
        found = User.objects.filter(username=username).first()
        if found:
            return found
        if password_hash is None:
            # One Argon2 computation for all demo users: they share the documented password.
            password_hash = make_password(password)
        report.add("users")
        return create_user(
            actor=None,
            username=username,
            password=None,
            password_hash=password_hash,
            role=role,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.aircop.invalid",
            vetting_status=VettingStatus.VETTED,
            vetting_date=date(2025, 1, 15),
            is_demo=True,
        )

    def member(u: User, unit: Unit, agency: str, is_head: bool = False):
        if not Membership.objects.filter(user=u, unit=unit).exists():
            services.add_member(actor=None, user=u, unit=unit, agency=agency, is_head=is_head)
            report.add("memberships")

    def unit(code: str, **kwargs) -> Unit:
        found = Unit.objects.filter(code=code).first()
        if found:
            return found
        report.add("units")
        return services.create_unit(actor=None, code=code, **kwargs)

    regions = {}
    jaitfs_by_region: dict[str, list[Unit]] = {}
    index = 0
    for code, (name, partner, iatas) in REGIONS.items():
        airports = [services.ensure_airport(actor=None, iata=i) for i in iatas]
        region = services.ensure_region(
            actor=None,
            code=code,
            name=name,
            is_partner=partner,
            countries=sorted({a.country_id for a in airports}),
        )
        regions[code] = region
        for airport in airports:
            index += 1
            agencies = [AgencyKind.CUSTOMS, AgencyKind.POLICE, AgencyKind.IMMIGRATION]
            agencies += EXTRA_AGENCIES[index % len(EXTRA_AGENCIES)]
            iata = airport.iata.lower()
            jaitf = unit(
                f"jaitf-{iata}",
                kind=UnitKind.JAITF,
                name=_jaitf_name(airport)
                if not partner
                else f"Airport interdiction unit {airport.city} ({airport.iata})",
                country_code=airport.country_id,
                airport_iata=airport.iata,
                decree_reference="" if partner else f"Decree {100 + index}/{2010 + index % 14}",
                decree_date=None if partner else _ordinal_date(index, 2010),
                connected_on=_ordinal_date(index),
                agencies=[(a, "") for a in agencies],
            )
            jaitfs_by_region.setdefault(code, []).append(jaitf)
            officer = user(f"officer-{iata}", Role.OFFICER, "Officer", airport.iata)
            head = user(f"head-{iata}", Role.UNIT_HEAD, "Head", airport.iata)
            member(officer, jaitf, AgencyKind.CUSTOMS)
            member(head, jaitf, AgencyKind.POLICE, is_head=True)

    for n, iso2 in enumerate(NATIONAL_HQ):
        country = services.country(iso2)
        hq = unit(
            f"hq-{iso2.lower()}",
            kind=UnitKind.NATIONAL_HQ,
            name=f"National AIRCOP headquarters, {country.name}",
            country_code=iso2,
            connected_on=date(2012 + n, 3 + n, 1),
            agencies=[(AgencyKind.CUSTOMS, ""), (AgencyKind.POLICE, "")],
        )
        member(
            user(f"coordinator-{iso2.lower()}", Role.COORDINATOR, "Coordinator", country.name),
            hq,
            AgencyKind.POLICE,
            is_head=True,
        )

    for n, (iso2, covered) in enumerate(LIAISON.items()):
        country = services.country(iso2)
        post = unit(
            f"liaison-{iso2.lower()}",
            kind=UnitKind.LIAISON,
            name=f"Liaison officer post, {country.name}",
            country_code=iso2,
            connected_on=date(2015 + 2 * n, 9, 1),
            covered_airports=covered,
            agencies=[(AgencyKind.POLICE, "")],
        )
        member(
            user(f"liaison-{iso2.lower()}", Role.LIAISON, "Liaison", country.name), post, AgencyKind.POLICE
        )

    for n, (designator, (name, iso2)) in enumerate(AIRLINES.items()):
        contact = unit(
            f"airline-{designator.lower()}",
            kind=UnitKind.AIRLINE,
            name=name,
            country_code=iso2,
            connected_on=date(2018 + n, 1, 15),
            airline_code=designator,
            agencies=[(AgencyKind.OTHER, name)],
        )
        member(
            user(f"airline-{designator.lower()}", Role.AIRLINE, "Security", designator),
            contact,
            AgencyKind.OTHER,
        )

    for n, (code, (region_code, iso2)) in enumerate(REGIONAL_OFFICES.items()):
        unit(
            code,
            kind=UnitKind.REGIONAL_OFFICE,
            name=f"AIRCOP regional office, {regions[region_code].name}",
            country_code=iso2,
            connected_on=date(2011 + n, 1, 10),
            region=regions[region_code],
            agencies=[(AgencyKind.OTHER, "Programme")],
        )
    pcu = unit(
        PROGRAMME_UNIT,
        kind=UnitKind.REGIONAL_OFFICE,
        name="AIRCOP programme coordination unit",
        country_code="AT",
        connected_on=date(2010, 11, 1),
        agencies=[(AgencyKind.OTHER, "Programme")],
    )
    member(user("analyst", Role.ANALYST, "Analyst", "Programme"), pcu, AgencyKind.OTHER)
    member(user("admin", Role.ADMIN, "Administrator", "Programme"), pcu, AgencyKind.OTHER)
    member(user("auditor", Role.AUDITOR, "Auditor", "Programme"), pcu, AgencyKind.OTHER)

    group_specs = [
        ("west-central-africa-jaitfs", "West and Central Africa JAITFs", jaitfs_by_region["wca"]),
        ("eastern-southern-africa-jaitfs", "Eastern and Southern Africa JAITFs", jaitfs_by_region["esa"]),
        ("latin-america-caribbean-jaitfs", "Latin America and Caribbean JAITFs", jaitfs_by_region["lac"]),
        ("mena-jaitfs", "Middle East and North Africa JAITFs", jaitfs_by_region["mena"]),
        ("european-partners", "European partner airports", jaitfs_by_region["europe"]),
        (
            "atlantic-cocaine-route",
            "Atlantic cocaine route",
            list(
                Unit.objects.filter(
                    code__in=[
                        f"jaitf-{c}"
                        for c in (
                            "bog",
                            "gru",
                            "sdq",
                            "lfw",
                            "acc",
                            "los",
                            "abj",
                            "dss",
                            "cdg",
                            "mad",
                            "lis",
                            "bru",
                        )
                    ]
                )
            ),
        ),
    ]
    for slug, name, members in group_specs:
        if not UnitGroup.objects.filter(slug=slug).exists():
            services.create_group(actor=None, slug=slug, name=name, units=members)
            report.add("groups")
    return report
