"""Checking one person or travel document on demand (docs/screening.md, "Checking a person or
a document"): an officer at the counter types a name and date of birth, or a passport's
machine-readable zone, and gets at once the matches in every active watchlist, with each
list's owner to call. The MRZ's check digits are verified (ICAO 9303) and its fields fill
what was not typed. Audited: which lists answered and the entry references, never the name."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from aircop.accounts.models import Role
from aircop.audit.services import record
from aircop.core.errors import ServiceError
from aircop.passengers.parsers.model import to_alpha3
from aircop.screening import mrz as mrz_reader
from aircop.screening import runner
from aircop.screening.matcher.engine import Person

CHECK_ROLES = {Role.OFFICER, Role.UNIT_HEAD, Role.COORDINATOR, Role.LIAISON}
LIMIT = 200


@dataclass
class Match:
    watchlist: str
    title: str
    kind: str
    owner: str
    owner_name: str
    reference: str
    score: float
    threshold: float
    reasons: list[str]


@dataclass
class CheckResult:
    lists: int
    matches: list[Match] = field(default_factory=list)
    mrz: mrz_reader.Mrz | None = None
    searched: dict = field(default_factory=dict)


def _text(name: str, value: str) -> str:
    value = (value or "").strip()
    if len(value) > LIMIT:
        raise ServiceError(_("longer than %(n)d characters") % {"n": LIMIT}, field=name)
    return value


def _country(name: str, value: str) -> str:
    value = _text(name, value).upper()
    if not value:
        return ""
    code = to_alpha3(value)
    if not code:
        raise ServiceError(
            _("unknown country %(code)r (ISO 3166 alpha-2 or alpha-3)") % {"code": value}, field=name
        )
    return code


def check(
    *,
    actor,
    surname: str = "",
    given_names: str = "",
    date_of_birth: date | str | None = None,
    nationality: str = "",
    sex: str = "",
    document_number: str = "",
    document_country: str = "",
    mrz: str = "",
) -> CheckResult:
    if actor.role not in CHECK_ROLES:
        raise ServiceError(
            _("your role cannot check people against the watchlists"), field="actor", code="forbidden"
        )
    surname, given_names = _text("surname", surname), _text("given_names", given_names)
    document_number = _text("document_number", document_number)
    nationality = _country("nationality", nationality)
    document_country = _country("document_country", document_country)
    if isinstance(date_of_birth, str):
        try:
            date_of_birth = date.fromisoformat(date_of_birth.strip()) if date_of_birth.strip() else None
        except ValueError:
            raise ServiceError(_("expected a date as YYYY-MM-DD"), field="date_of_birth") from None
    sex = _text("sex", sex).upper()
    if sex not in ("", "M", "F", "X"):
        raise ServiceError(_("expected M, F or X"), field="sex")
    read = None
    if (mrz or "").strip():
        try:
            read = mrz_reader.read(mrz)
        except mrz_reader.MrzError as exc:
            raise ServiceError(str(exc), field="mrz") from None
        # What was typed wins; the zone fills the rest (its country codes kept as written when
        # they are ICAO codes that ISO 3166 lacks).
        surname = surname or read.surname
        given_names = given_names or read.given_names
        date_of_birth = date_of_birth or read.date_of_birth
        nationality = nationality or to_alpha3(read.nationality) or read.nationality
        sex = sex or (read.sex if read.sex in ("M", "F") else "")
        document_number = document_number or read.document_number
        document_country = document_country or to_alpha3(read.issuing_state) or read.issuing_state
    born = date_of_birth
    if not surname and not document_number:
        raise ServiceError(_("give at least a surname or a document number"), field="surname")
    if document_number and not document_country:
        raise ServiceError(
            _("the document's issuing country is needed with its number"), field="document_country"
        )
    person = Person(
        "check",
        surname,
        given_names,
        born,
        nationality,
        sex,
        [(document_number, document_country)] if document_number else [],
    )
    lists = runner.active_watchlists()
    result = CheckResult(lists=len(lists), mrz=read)
    for watchlist in lists:
        have = runner.loaded(watchlist)
        for hit in have.index.screen(person, float(watchlist.threshold)):
            n = int(hit.entry_id)
            result.matches.append(
                Match(
                    watchlist=watchlist.name,
                    title=watchlist.title,
                    kind=watchlist.kind,
                    owner=watchlist.owner.code,
                    owner_name=watchlist.owner.name,
                    reference=have.references[n],
                    score=round(hit.score, 3),
                    threshold=float(watchlist.threshold),
                    reasons=hit.reasons,
                )
            )
    result.matches.sort(key=lambda m: (-m.score, m.watchlist, m.reference))
    result.searched = {
        "surname": surname,
        "given_names": given_names,
        "date_of_birth": born.isoformat() if born else "",
        "nationality": nationality,
        "sex": sex,
        "document_number": document_number,
        "document_country": document_country,
    }
    record(
        actor,
        "screening.checked",
        None,
        data={
            "lists": result.lists,
            "matches": [[m.watchlist, m.reference] for m in result.matches],
            "mrz": read is not None,
            "mrz_valid": read.valid if read is not None else None,
        },
    )
    return result
