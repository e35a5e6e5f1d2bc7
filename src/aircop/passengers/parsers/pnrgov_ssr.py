"""SSRs of a PNRGOV PNR: what their free text says (DOCS, DOCO, DOCA, INFT, TKNE, FQTV, CTC*)
and whom it is about.

An SSR names its travellers by reference (SSR+DOCS:HK:1:LH:::::/P/...+::1, SSR+SEAT:...+15A::1+15B::2);
one inside a traveller's group (Gr.2) without a reference is that traveller's; one without
either is the only adult's, when there is one. The sex codes FI and MI, INF before a ticket
number and SSR INFT are about the infant on that adult's lap: the infant the PNR lists (TIF
type IN), or one made from the SSR when it lists none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from aircop.passengers.parsers import edifact, model, values
from aircop.passengers.parsers import pnrgov_segments as s

Warn = s.Warn
# SSR DOCS sex codes: FI/MI are an infant's, travelling on an adult's lap; U is "undisclosed".
SEX_CODES = {
    "M": ("M", False),
    "F": ("F", False),
    "MI": ("M", True),
    "FI": ("F", True),
    "U": ("X", False),
    "X": ("X", False),
}
SEAT_SSRS = ("SEAT", "RQST", "NSST", "SMST", "NSSA", "NSSW", "NSSB", "SMSA", "SMSW", "SMSB")


@dataclass
class Ssr:
    code: str
    status: str
    carrier: str
    text: str
    refs: list[tuple[str, str]]  # (value, traveller reference) of the elements after the first
    seg: edifact.Segment


def read_ssr(seg: edifact.Segment, seps: edifact.Separators = s.DEFAULT_SEPARATORS) -> Ssr:
    """SSR+code:status:quantity:carrier:::board:off:free text+value::traveller ref+..."""
    refs = [(seg.el(n, 1), seg.el(n, 3)) for n in range(2, len(seg.elements) + 1)]
    return Ssr(
        code=seg.el(1).upper(),
        status=seg.el(1, 2).upper(),
        carrier=seg.el(1, 4).upper(),
        text=seps.component.join(seg.elements[0][8:]).strip() if seg.elements else "",
        refs=[r for r in refs if r[0] or r[1]],
        seg=seg,
    )


def _fields(text: str, size: int) -> list[str]:
    text = text.strip()
    if text.startswith("/"):
        text = text[1:]
    parts = [p.strip() for p in text.split("/")]
    return parts + [""] * (size - len(parts))


def _day(raw: str, what: str, ssr: Ssr, warn: Warn, *, past: bool = False):
    try:
        return values.ddmmmyy(raw, past=past)
    except ValueError as exc:
        warn(f"{s.where(ssr.seg)}: SSR {ssr.code} {what} left out: {exc}")
        return None


@dataclass
class Person:
    """What an SSR DOCS/DOCO/DOCA/INFT says about someone."""

    document: model.Document | None = None
    surname: str | None = None
    given_names: str | None = None
    date_of_birth: date | None = None
    sex: str | None = None
    nationality: str | None = None
    residence_country: str | None = None
    place_of_birth: str | None = None
    address: str | None = None
    infant: bool = False


def read_docs(ssr: Ssr, warn: Warn) -> Person:
    """/type/issuing country/number/nationality/date of birth/sex/expiry/surname/given/middle/H."""
    f = _fields(ssr.text, 11)
    person = Person(
        surname=model.clean_name(f[7]),
        given_names=model.clean_name(" ".join(p for p in f[8:10] if p)),
        date_of_birth=_day(f[4], "date of birth", ssr, warn, past=True),
        nationality=s.country(f[3], "SSR DOCS nationality", ssr.seg, warn),
    )
    sex = f[5].upper()
    if sex:
        if sex in SEX_CODES:
            person.sex, person.infant = SEX_CODES[sex]
        else:
            warn(f"{s.where(ssr.seg)}: SSR DOCS sex {sex!r} is not M, F, MI, FI, U or X")
    if f[0] or f[2]:
        person.document = model.Document(
            type=f[0].upper() or None,
            number=f[2].upper() or None,
            issuing_country=s.country(f[1], "SSR DOCS issuing country", ssr.seg, warn),
            expiry_date=_day(f[6], "expiry date", ssr, warn),
        )
    return person


def read_doco(ssr: Ssr, warn: Warn) -> Person:
    """/place of birth/type (V visa, K redress, R known traveller)/number/place of issue/issue date/
    country where valid/I. A visa is issued by the country it is valid for."""
    f = _fields(ssr.text, 7)
    person = Person(place_of_birth=model.clean_name(f[0]), infant=f[6].upper() == "I")
    if f[1] or f[2]:
        person.document = model.Document(
            type=f[1].upper() or None,
            number=f[2].upper() or None,
            issuing_country=s.country(f[5], "SSR DOCO country", ssr.seg, warn),
            issue_date=_day(f[4], "issue date", ssr, warn, past=True),
        )
    return person


def read_doca(ssr: Ssr, warn: Warn) -> Person:
    """/R (residence) or D (destination)/country/street/city/state/postal code/I."""
    f = _fields(ssr.text, 7)
    kind = {"R": "residence", "D": "destination"}.get(f[0].upper(), f[0] or "address")
    alpha3 = s.country(f[1], "SSR DOCA country", ssr.seg, warn)
    parts = [p for p in (f[2], f[3], f[4], f[5], alpha3 or f[1]) if p]
    person = Person(infant=f[6].upper() == "I")
    if parts:
        person.address = f"{', '.join(parts)} ({kind})"
    if f[0].upper() == "R":
        person.residence_country = alpha3
    return person


_INFT = re.compile(r"^\s*([^/]+)/([^/]*?)(?:[ /](\d{1,2}[A-Z]{3}\d{2,4}))?\s*(?:/.*)?$")


def read_inft(ssr: Ssr, warn: Warn) -> Person:
    """SURNAME/GIVEN 20SEP12 or SURNAME/GIVEN/10AUG11: the infant on this adult's lap."""
    match = _INFT.match(ssr.text.upper())
    if not match:
        return Person(infant=True)
    return Person(
        surname=model.clean_name(match.group(1)),
        given_names=model.clean_name(match.group(2)),
        date_of_birth=_day(match.group(3) or "", "date of birth", ssr, warn, past=True),
        infant=True,
    )


_TICKET = re.compile(r"(INF)?\.?(\d{13,15})")


def read_tkne(ssr: Ssr) -> tuple[str, bool] | None:
    """SSR TKNE: (ticket number, an infant's): 1392178947000C2, INF1392178947000C2, TKT NBR ..."""
    match = _TICKET.search(ssr.text.upper())
    return (match.group(2), bool(match.group(1))) if match else None


_FQTV = re.compile(r"^\s*([A-Z0-9]{2})\s*([A-Z0-9]{4,})")


def read_fqtv(text: str) -> str | None:
    """SSR FQTV: SQ8794285757 ... as "SQ 8794285757" (the form FTI gives)."""
    match = _FQTV.match(text.upper())
    return f"{match.group(1)} {match.group(2)}" if match else None


# ----------------------------------------------------------------------------- whom an SSR is about
def by_ref(travellers: list[model.Traveller], ref: str | None) -> int | None:
    """The traveller with TIF reference ``ref`` (002 is 2)."""
    if not ref:
        return None
    ref = ref.strip().upper()
    for i, t in enumerate(travellers):
        mine = (t.reference or "").upper()
        if mine == ref or (mine.isdigit() and ref.isdigit() and int(mine) == int(ref)):
            return i
    return None


def seat(raw: str) -> str | None:
    """15A; 039G as 39G; XXX (no seat yet) as None."""
    raw = raw.strip().upper()
    if not raw or set(raw) == {"X"}:
        return None
    row = raw[:-1].lstrip("0")
    return f"{row}{raw[-1]}" if row.isdigit() and raw[-1].isalpha() else raw


class Attacher:
    """Puts the PNR's SSRs on its travellers once they are all known."""

    def __init__(self, booking: model.Booking, warn: Warn, seats: dict, contact: Callable):
        self.b, self.warn, self.seats, self.contact = booking, warn, seats, contact
        self.infant_of: dict[int, int] = {}  # adult -> infant

    def run(self, pending: list[tuple[Ssr, int | None, int | None]]) -> None:
        self.link_infants()
        # INFT first: an infant's DOCS then finds the infant it names.
        for ssr, traveller, leg in sorted(pending, key=lambda p: p[0].code != "INFT"):
            self.attach(ssr, traveller, leg)

    def link_infants(self) -> None:
        """Each infant (TIF type IN) to its adult: reference 12 for 12I, else the adult before it
        who travels with an infant, else the adult just before it."""
        ts = self.b.travellers
        for i, t in enumerate(ts):
            if not t.infant:
                continue
            free = [j for j in range(len(ts)) if not ts[j].infant and j not in self.infant_of]
            ref = (t.reference or "").upper()
            named = [j for j in free if ts[j].reference and ref == ts[j].reference.upper() + "I"]
            before = [j for j in free if j < i]
            flagged = [j for j in before if ts[j].with_infant]
            pick = (named or flagged[-1:] or before[-1:] or [None])[0]
            if pick is not None:
                self.infant_of[pick] = i
                ts[pick].with_infant = True

    def targets(self, ssr: Ssr, fallback: int | None) -> list[int]:
        refs = [r for _, r in ssr.refs if r]
        found = []
        for ref in refs:
            i = by_ref(self.b.travellers, ref)
            if i is None and fallback is None:
                self.warn(f"{s.where(ssr.seg)}: SSR {ssr.code} names traveller {ref!r}, not in the PNR")
            found.append(i if i is not None else fallback)
        if not refs:
            adults = [i for i, t in enumerate(self.b.travellers) if not t.infant]
            found = [fallback] if fallback is not None else adults if len(adults) == 1 else []
        return [i for i in dict.fromkeys(found) if i is not None]

    def infant(self, adult: int, person: Person) -> int:
        ts = self.b.travellers
        if ts[adult].infant:
            return adult
        for i, t in enumerate(ts):
            if t.infant and s.same_person(t, person.surname, person.given_names):
                return i
        if adult in self.infant_of:  # one infant per lap, whatever the spelling
            return self.infant_of[adult]
        ts.append(model.Traveller(surname=person.surname, given_names=person.given_names, infant=True))
        self.infant_of[adult] = len(ts) - 1
        ts[adult].with_infant = True
        return len(ts) - 1

    def attach(self, ssr: Ssr, traveller: int | None, leg: int | None) -> None:
        code, ts = ssr.code, self.b.travellers
        if code in SEAT_SSRS:
            for value, ref in ssr.refs:
                i, where = by_ref(ts, ref), seat(value)
                if where and i is not None and leg is not None and (i, leg) not in self.seats:
                    self.seats[(i, leg)] = (where, False)  # a check-in seat (SSD) comes first
            return
        readers = {"DOCS": read_docs, "DOCO": read_doco, "DOCA": read_doca, "INFT": read_inft}
        if code in readers:
            targets = self.targets(ssr, traveller)
            if not targets:
                self.warn(f"{s.where(ssr.seg)}: SSR {code} names no traveller: not read")
                return
            person = readers[code](ssr, self.warn)
            for i in targets:
                self.apply(self.infant(i, person) if person.infant else i, person, ssr)
        elif code in ("TKNE", "TKNA"):
            found = read_tkne(ssr)
            for i in self.targets(ssr, traveller) if found else []:
                number, for_infant = found
                t = ts[self.infant(i, Person(infant=True)) if for_infant else i]
                if number not in t.ticket_numbers:
                    t.ticket_numbers.append(number)
        elif code == "FQTV":
            number = read_fqtv(ssr.text)
            for i in self.targets(ssr, traveller) if number else []:
                if number not in ts[i].frequent_flyer:
                    ts[i].frequent_flyer.append(number)
        elif code.startswith("CTC") and len(code) == 4:
            found = s.read_ctc(f"{code} {ssr.text}")
            for i in self.targets(ssr, traveller) if found else []:
                self.contact(*found, i)

    def apply(self, i: int, person: Person, ssr: Ssr) -> None:
        t = self.b.travellers[i]
        doc = person.document
        key = (doc.type, doc.number, doc.issuing_country) if doc else None
        if doc is not None and all((d.type, d.number, d.issuing_country) != key for d in t.documents):
            t.documents.append(doc)
        for name in ("date_of_birth", "sex", "nationality", "residence_country", "place_of_birth"):
            value, current = getattr(person, name), getattr(t, name)
            if value is None:
                continue
            if current is None:
                setattr(t, name, value)
            elif current != value and name in ("date_of_birth", "nationality"):
                what = name.replace("_", " ")
                self.warn(
                    f"{s.where(ssr.seg)}: SSR {ssr.code} gives another {what} ({value}): kept {current}"
                )
        if t.surname is None and person.surname:
            t.surname, t.given_names = person.surname, person.given_names
        if person.address and person.address not in t.addresses:
            t.addresses.append(person.address)
