"""UN/EDIFACT PAXLST (advance passenger information) -> ``model.Manifest``
(docs/passenger-data.md, "PAXLST").

Reads the WCO/IATA message (D02B, D05B and later: BGM, NAD+MS, TDT/LOC/DTM flight groups,
NAD/ATT/DTM/LOC/NAT/RFF/FTX traveller groups with DOC/DTM/LOC documents, CNT) and the older US
CEDIPAX layout (CTA, TDT, LOC 5/8/PT, DTM 136/132, UNS section markers, one PDT per person).

The segment groups are followed by a small state machine rather than a strict grammar, because
real feeds put segments out of place: such a segment is read where it obviously belongs, with
a warning. What makes the message unusable raises ``EdifactError`` with the message reference,
the segment number and tag, and the element/component: no flight, a traveller without a
surname, a date of birth or a flight time that is not a date. Peripheral values that cannot be
read (an unknown country, a bad expiry date) are left empty with a warning.
"""

from __future__ import annotations

from aircop.passengers.parsers import edifact, model
from aircop.passengers.parsers import paxlst_segments as ps
from aircop.passengers.parsers.edifact import Segment
from aircop.passengers.parsers.paxlst_segments import Context


class _Reader:
    def __init__(self, message: edifact.Message):
        self.message = message
        self.ctx = Context(message.ref)
        env = message.envelope
        self.manifest = model.Manifest(
            message_ref=message.ref,
            sender=env.sender or env.group_sender or None,
            version=message.version or None,
        )
        self.section = "header"  # header | party | flight | traveller | document | summary
        self.bgm: Segment | None = None
        self.routes: list[ps.Route] = []
        self.traveller: model.Traveller | None = None
        self.document: model.Document | None = None
        self.counts: list[tuple[Segment, str, int]] = []
        self.clearances: list[tuple[model.Traveller, str]] = []  # LOC+22, read once LOC+179 is known
        self.us_layout = False

    # ------------------------------------------------------------------ dispatch
    def read(self) -> model.Manifest:
        handlers: dict[str, object] = {}
        for seg in self.message.body:
            tag = seg.tag
            handler = handlers.get(tag, False)
            if handler is False:
                handler = getattr(self, f"_{tag.lower()}", None) if len(tag) == 3 and tag.isalpha() else None
                handlers[tag] = handler
            if handler is None:
                self.ctx.warn_at(seg, "not a PAXLST segment: ignored", key=f"tag:{seg.tag}")
                continue
            handler(seg)
        return self._finish()

    def _out_of_place(self, seg: Segment, where: str) -> None:
        self.ctx.warn_at(seg, f"out of place ({where}): read anyway", key=f"place:{seg.tag}:{where}")

    # ------------------------------------------------------------------ header
    def _bgm(self, seg: Segment) -> None:
        if self.bgm is not None or self.section != "header":
            self._out_of_place(seg, "BGM after the start of the message")
        self.bgm = seg
        code = seg.el(1)
        kind = ps.DOCUMENT_KINDS.get(code)
        if kind is None:
            self.ctx.warn_at(
                seg, f"document code {code!r} is not a passenger or crew list: read as passengers"
            )
        else:
            self.manifest.kind = kind
        note = ps.DOCUMENT_NOTES.get((code, seg.el(2).upper()))
        if note:
            self.ctx.warn_at(seg, f"BGM {code}+{seg.el(2)}: {note}")
        function = ps.MESSAGE_FUNCTIONS.get(seg.el(3))
        if function:
            self.ctx.warn_at(seg, f"message function {seg.el(3)}: {function} of a message sent before")

    def _uns(self, seg: Segment) -> None:
        # Section control of the US layout: H header, D detail (the persons), S summary.
        self.us_layout = True
        section = seg.el(1).upper()
        if section == "D":
            self.section, self.traveller, self.document = "traveller", None, None
        elif section == "S":
            self.section = "summary"
        elif section == "H":
            self.section = "header"
        else:
            self.ctx.warn_at(seg, f"section {section!r} is not H, D or S: ignored")

    def _cnt(self, seg: Segment) -> None:
        self.section = "summary"
        qualifier, value = seg.el(1), seg.el(1, 2)
        if not value and seg.el(2).isdigit():
            self.ctx.warn_at(seg, "the total is in element 2 instead of element 1 component 2: read anyway")
            value = seg.el(2)
        if not value.isdigit():
            self.ctx.warn_at(seg, f"control total {value!r} is not a number: ignored")
            return
        self.counts.append((seg, qualifier, int(value)))

    # ------------------------------------------------------------------ reporting party
    def _nad(self, seg: Segment) -> None:
        role = seg.el(1).upper()
        if role in ps.PARTY_ROLES or (role not in ps.TRAVELLER_ROLES and not self.routes):
            if role not in ps.PARTY_ROLES:
                self.ctx.warn_at(seg, f"NAD qualifier {role!r} is not known: read as the reporting party")
            if self.routes:
                self._out_of_place(seg, "reporting party after the flight")
            self.section = "party"
            if self.manifest.reporting_party is not None:
                self.ctx.warn_at(seg, "a second reporting party: ignored")
                self.section = "ignored"
                return
            name = " ".join(c for c in seg.components(4) if c) or " ".join(c for c in seg.components(2) if c)
            self.manifest.reporting_party = model.Party(
                name=model.clean_name(name),
                code=seg.el(2) or None,
                city=seg.el(6) or None,
                country=ps.country(self.ctx, seg, seg.el(9), "reporting party country"),
            )
            return
        self._traveller_nad(seg, role)

    def _cta(self, seg: Segment) -> None:
        # WCO: a contact of the reporting party (CTA+IC+:NAME); US CEDIPAX: the party itself,
        # with its numbers in the elements after the name.
        if self.section == "ignored":
            return
        if self.section not in ("header", "party"):
            self._out_of_place(seg, "contact outside the reporting party")
        party = self.manifest.reporting_party
        if party is None:
            self.us_layout = self.us_layout or len(seg.elements) > 2
            party = self.manifest.reporting_party = model.Party()
            self.section = "party"
        if not party.name:
            party.name = model.clean_name(seg.el(2, 2) or seg.el(2, 1))
        self._communication(seg, party, first_element=3)

    def _com(self, seg: Segment) -> None:
        if self.section in ("traveller", "document", "ignored"):
            return  # a traveller's own phone or e-mail: the model keeps none from PAXLST
        if self.section != "party" or self.manifest.reporting_party is None:
            self._out_of_place(seg, "COM outside the reporting party")
            if self.manifest.reporting_party is None:
                return
        self._communication(seg, self.manifest.reporting_party, first_element=1)

    def _communication(self, seg: Segment, party: model.Party, first_element: int) -> None:
        for element in range(first_element, len(seg.elements) + 1):
            number, channel = seg.el(element, 1), seg.el(element, 2).upper()
            if not number:
                continue
            field = ps.COMMUNICATION.get(channel)
            if field is None:
                self.ctx.warn_at(seg, f"communication channel {channel!r} is not TE, FX or EM: ignored")
            elif getattr(party, field) is None:
                setattr(party, field, number)

    # ------------------------------------------------------------------ flights
    def _tdt(self, seg: Segment) -> None:
        if self.section in ("traveller", "document", "summary"):
            self._out_of_place(seg, "flight after the travellers")
        self.section, self.traveller, self.document = "flight", None, None
        conveyance = seg.el(2)
        if not conveyance:
            raise self.ctx.error(seg, "the flight has no number (TDT element 2)", 2, 1)
        carrier, number = ps.split_flight(conveyance, [seg.el(5).upper(), seg.el(4).upper()])
        if seg.el(5) and not conveyance.upper().startswith(seg.el(5).upper()):
            self.ctx.warn_at(seg, f"carrier {seg.el(5)!r} is not the one of flight {conveyance!r}")
        self.routes.append(ps.Route(self.ctx, seg, carrier, number))

    def _loc(self, seg: Segment) -> None:
        qualifier = seg.el(1).upper()
        if self.section == "flight":
            if qualifier in ps.FLIGHT_LOCATIONS:
                self.routes[-1].loc(seg, qualifier)
            elif qualifier not in ps.IGNORED_FLIGHT_LOCATIONS:
                self.ctx.warn_at(seg, f"LOC qualifier {qualifier!r} is not a flight location: ignored")
        elif self.section in ("traveller", "document") and self.traveller is not None:
            self._traveller_loc(seg, qualifier)
        elif qualifier in ps.FLIGHT_LOCATIONS and self.routes:
            self._out_of_place(seg, "flight location after the travellers")
            self.routes[-1].loc(seg, qualifier)
        elif self.section not in ("header", "ignored"):
            self._out_of_place(seg, "LOC outside a flight or traveller group")

    def _dtm(self, seg: Segment) -> None:
        qualifier = seg.el(1)
        if self.section == "flight":
            self.routes[-1].dtm(seg, qualifier)
        elif self.section in ("traveller", "document") and self.traveller is not None:
            self._traveller_dtm(seg, qualifier)
        elif self.section not in ("header", "ignored"):
            self._out_of_place(seg, "DTM outside a flight or traveller group")

    # ------------------------------------------------------------------ travellers
    def _traveller_nad(self, seg: Segment, role: str) -> None:
        if not self.routes:
            self._out_of_place(seg, "traveller before any flight")
        kind = ps.TRAVELLER_ROLES.get(role)
        if kind is None:
            self.ctx.warn_at(seg, f"NAD qualifier {role!r} is not known: read as a passenger")
            kind = ("passenger", False)
        surname = model.clean_name(seg.el(4, 1))
        if not surname:
            raise self.ctx.error(seg, "the traveller has no surname", 4, 1)
        given = model.clean_name(" ".join(c for c in seg.components(4)[1:] if c))
        traveller = model.Traveller(type=kind[0], in_transit=kind[1], surname=surname, given_names=given)
        address = [" ".join(c for c in seg.components(n) if c) for n in (5, 6, 7, 8, 9)]
        if any(address):
            traveller.addresses.append(", ".join(a for a in address if a))
        self._add_traveller(traveller)

    def _add_traveller(self, traveller: model.Traveller) -> None:
        self.manifest.travellers.append(traveller)
        self.traveller, self.document = traveller, None
        self.section = "traveller"

    def _traveller_segment(self, seg: Segment) -> model.Traveller | None:
        if self.traveller is None or self.section not in ("traveller", "document"):
            self._out_of_place(seg, f"{seg.tag} outside a traveller group: ignored")
            return None
        if self.section == "document":
            self._out_of_place(seg, f"{seg.tag} after the traveller's DOC")
        return self.traveller

    def _att(self, seg: Segment) -> None:
        traveller = self._traveller_segment(seg)
        if traveller is None:
            return
        if seg.el(1) != "2":
            self.ctx.warn_at(seg, f"ATT qualifier {seg.el(1)!r} is not known: ignored")
            return
        code = (seg.el(3) or seg.el(2)).upper()
        if code not in ps.SEXES:
            self.ctx.warn_at(seg, f"sex {code!r} is not M, F, U or X: left empty")
        traveller.sex = ps.SEXES.get(code)

    def _nat(self, seg: Segment) -> None:
        traveller = self._traveller_segment(seg)
        if traveller is None:
            return
        if seg.el(1) not in ("2", ""):
            self.ctx.warn_at(seg, f"NAT qualifier {seg.el(1)!r} is not 2 (current nationality): ignored")
            return
        traveller.nationality = ps.country(self.ctx, seg, seg.el(2), "nationality")

    def _rff(self, seg: Segment) -> None:
        if self.section not in ("traveller", "document"):
            return  # message reference (RFF+TN): an identifier of the transaction only
        traveller = self._traveller_segment(seg)
        if traveller is None:
            return
        qualifier, value = seg.el(1).upper(), seg.el(1, 2)
        if qualifier == "AVF":
            traveller.booking_reference = value or None
        elif qualifier == "SEA":
            traveller.seat = value or None
        elif qualifier not in ps.IGNORED_REFERENCES:
            self.ctx.warn_at(seg, f"RFF qualifier {qualifier!r} is not known: ignored")

    def _ftx(self, seg: Segment) -> None:
        traveller = self._traveller_segment(seg)
        if traveller is not None and seg.el(1).upper() == "BAG":
            traveller.bag_tags += ps.bag_tags(self.ctx, seg, seg.el(4, 1).upper(), seg.el(4, 2))

    def _ignored_in_traveller(self, seg: Segment) -> None:
        self._traveller_segment(seg)

    _mea = _gei = _emp = _qty = _cpi = _gid = _aut = _ignored_in_traveller

    def _traveller_dtm(self, seg: Segment, qualifier: str) -> None:
        raw, fmt, element, component = ps.dtm_value(seg)
        if qualifier == "329":
            if self.section == "document":
                self._out_of_place(seg, "date of birth after the traveller's DOC")
            self.traveller.date_of_birth = ps.read_date(
                self.ctx, seg, raw, fmt, (element, component), "date of birth", past=True, strict=True
            )
        elif qualifier in ("36", "182"):
            if self.document is None:
                self._out_of_place(seg, "document date without a DOC: ignored")
                return
            what = "expiry date" if qualifier == "36" else "issue date"
            day = ps.read_date(self.ctx, seg, raw, fmt, (element, component), what, past=qualifier == "182")
            day = day.date() if hasattr(day, "date") else day
            setattr(self.document, "expiry_date" if qualifier == "36" else "issue_date", day)
        else:
            self.ctx.warn_at(seg, f"DTM qualifier {qualifier!r} is not known for a traveller: ignored")

    def _traveller_loc(self, seg: Segment, qualifier: str) -> None:
        traveller = self.traveller
        if qualifier == "91":
            if self.document is None:
                self._out_of_place(seg, "document issuing country without a DOC: ignored")
                return
            self.document.issuing_country = ps.country(self.ctx, seg, seg.el(2), "issuing country")
            return
        if self.section == "document":
            self._out_of_place(seg, f"LOC+{qualifier} after the traveller's DOC")
        code = seg.el(2).upper()
        if qualifier == "178":
            traveller.embarkation = ps.airport(code)
        elif qualifier == "179":
            traveller.debarkation = ps.airport(code)
        elif qualifier == "22":
            if code:
                self.clearances.append((traveller, ps.airport(code)))
        elif qualifier == "174":
            traveller.residence_country = ps.country(self.ctx, seg, code, "country of residence")
        elif qualifier == "180":
            traveller.place_of_birth = model.clean_name(seg.el(2, 4) or seg.el(2, 1))
        else:
            self.ctx.warn_at(seg, f"LOC qualifier {qualifier!r} is not known for a traveller: ignored")

    @staticmethod
    def _clearance(traveller: model.Traveller, code: str | None) -> None:
        """LOC+22: for a traveller in transit, the final destination (the airport where the
        flight is left becomes a transit airport); for others, the airport of clearance, a
        transit airport when it is not where they leave the flight."""
        if not code or code == traveller.debarkation or code in traveller.transit:
            return
        if traveller.in_transit:
            if traveller.debarkation:
                traveller.transit.append(traveller.debarkation)
            traveller.debarkation = code
        else:
            traveller.transit.append(code)

    def _doc(self, seg: Segment) -> None:
        if self.traveller is None or self.section not in ("traveller", "document"):
            self._out_of_place(seg, "DOC outside a traveller group: ignored")
            self.section = "ignored"
            return
        self.document = model.Document(type=seg.el(1).upper() or None, number=seg.el(2).upper() or None)
        if not self.document.number:
            self.ctx.warn_at(seg, "the document has no number")
        self.traveller.documents.append(self.document)
        self.section = "document"

    def _pdt(self, seg: Segment) -> None:
        """US CEDIPAX person: PDT+P/number:expiry:country+SURNAME:GIVEN:MIDDLE:YYMMDD:SEX
        +PAX|CRW|ITI+embarkation:debarkation (airports with their alpha-2 country)."""
        self.us_layout = True
        if self.section != "traveller":
            self._out_of_place(seg, "PDT before the UNS+D detail section")
        traveller = ps.pdt_traveller(self.ctx, seg)
        self._add_traveller(traveller)

    # ------------------------------------------------------------------ end
    def _finish(self) -> model.Manifest:
        manifest = self.manifest
        if not self.routes:
            first = next(
                (s for s in self.message.body if s.tag in ("NAD", "PDT") and s.el(1) not in ps.PARTY_ROLES),
                self.message.segments[-1],
            )
            raise self.ctx.error(first, "the message names no flight (no TDT segment)")
        for route in self.routes:
            manifest.flights += route.legs()
        for traveller, code in self.clearances:
            self._clearance(traveller, code)
        if self.bgm is None:
            if not self.us_layout:
                self.ctx.warn("no BGM segment: read as a passenger list")
            self._us_kind()
        crew = sum(t.type == "crew" for t in manifest.travellers)
        passengers = len(manifest.travellers) - crew
        if manifest.kind == "crew" and passengers:
            self.ctx.warn(f"a crew list that reports {passengers} passenger(s)")
        elif manifest.kind == "passenger" and crew and self.bgm is not None:
            self.ctx.warn(f"a passenger list that reports {crew} crew member(s)")
        ps.check_counts(self.ctx, self.message.segments[0], self.counts, passengers, crew)
        manifest.warnings = self.ctx.warnings()
        return manifest

    def _us_kind(self) -> None:
        """US CEDIPAX has no BGM: a crew manifest is a flight number ending in C (SA812C),
        or a list of crew members only."""
        travellers = self.manifest.travellers
        for leg in self.manifest.flights:
            if leg.number and len(leg.number) > 1 and leg.number.endswith("C") and leg.number[-2].isdigit():
                leg.number = leg.number[:-1]
                self.manifest.kind = "crew"
        if travellers and all(t.type == "crew" for t in travellers):
            self.manifest.kind = "crew"


def parse(message: edifact.Message) -> model.Manifest:
    """The manifest of one PAXLST message; ``EdifactError`` when it cannot be used."""
    if message.type != "PAXLST":
        raise edifact.EdifactError(
            f"message type {message.type!r} is not PAXLST",
            message=message.ref,
            segment=1,
            tag="UNH",
            element=2,
        )
    return _Reader(message).read()
