"""PNRGOV reader: one ``model.Booking`` per PNR of a message (docs/passenger-data.md, "PNRGOV").

A message is a header (MSG, ORG, TVL = the flight the push is for, EQN = how many PNRs) and one
group per PNR starting at SRC. Inside a PNR the implementation guide nests groups, and the
group decides what a segment belongs to, so the reader walks the segments keeping its place:

    SRC RCI SSR DAT IFT ORG ADD EBD      the PNR (Gr.1)
      TIF FTI IFT REF EBD FAR SSR ADD    a traveller (Gr.2) ...
        TKT MON PTK TXD DAT              ... a ticket (Gr.3)
        FOP IFT ADD                      ... its payment (Gr.4; IFT 4:43 = the payer)
      TVL TRA RPI APD SSR RCI IFT DAT    a flight of the itinerary (Gr.5) ...
        TRI TIF SSD TBD                  ... a traveller checked in on it (Gr.6)
      EQN RCI                            PNRs split from this one (Gr.7: not read)
      MSG TVL                            hotels, cars (Gr.8: not read)
      ABI DAT SAC TIF SSR IFT TBD TVL    history (Gr.9-11): one entry per SAC
      LTS                                history as free text: one entry per line

SSRs are put on their travellers when the whole PNR is read (``pnrgov_ssr``): a flight's SSRs
may name a traveller known only from a later check-in.

Only a PNR without a record locator is an error (``EdifactError``: the message is rejected).
Everything else that does not read is a warning on the booking; the message's own warnings
(EQN count, header flight) go on its first booking. No full card number is kept: FOP numbers
are masked, and card numbers in any text copied (history, contacts, warnings) are masked too.
"""

from __future__ import annotations

import copy
import dataclasses
from collections import Counter
from datetime import datetime

from aircop.passengers.parsers import edifact, model
from aircop.passengers.parsers import pnrgov_segments as s
from aircop.passengers.parsers import pnrgov_ssr as ssrs

_HISTORY_WHAT = {"TVL": "flight", "TIF": "traveller", "SSR": "service", "TBD": "bags", "FOP": "payment"}
# LTS element codes (Amadeus history) in the same words; others are kept as sent.
_LTS_WHAT = {
    "NM": "traveller",
    "SS": "flight",
    "SR": "service",
    "SK": "service",
    "OS": "service",
    "FP": "payment",
    "TK": "ticket",
    "AP": "contact",
    "RM": "remark",
    "RX": "remark",
}
# Identifiers: never taken for card numbers in text.
_NOT_SCRUBBED = {
    "ticket_numbers",
    "frequent_flyer",
    "card_number",
    "number",
    "record_locator",
    "bag_tags",
    "tag",
}


def parse(message: edifact.Message, separators: edifact.Separators | None = None) -> list[model.Booking]:
    """Every PNR of ``message``. ``separators`` (``Reading.separators``) put back free text that
    a sender did not release; the defaults otherwise."""
    seps = separators or s.DEFAULT_SEPARATORS
    header, groups = _split(message.body)
    notes: list[str] = []
    header = s.unglue(header, notes.append)
    flight, announced = None, None
    for seg in header:
        if seg.tag == "TVL" and flight is None:
            flight = s.read_tvl(seg, notes.append)
        elif seg.tag == "TVL":
            notes.append(f"{s.where(seg)}: a second flight in the message header is not read")
        elif seg.tag == "EQN" and seg.el(1).isdigit():
            announced = int(seg.el(1))
        elif seg.tag not in ("MSG", "ORG", "EQN", "DAT"):
            notes.append(f"{s.where(seg)}: not expected before the first PNR (SRC): not read")
    if announced is not None and announced != len(groups):
        notes.append(f"EQN announces {announced} PNR(s), the message has {len(groups)}")
    if groups and flight is None:
        notes.append("the message header names no flight (TVL)")
    bookings = [_Pnr(message, flight, group, seps).read() for group in groups]
    if bookings:
        bookings[0].warnings[:0] = [s.scrub_cards(n) for n in notes]
    return bookings


def _split(body: list[edifact.Segment]) -> tuple[list[edifact.Segment], list[list[edifact.Segment]]]:
    """The header and one list per PNR (from its SRC; from its RCI when SRC is left out)."""
    header: list[edifact.Segment] = []
    groups: list[list[edifact.Segment]] = []
    for seg in body:
        if seg.tag == "SRC" or (seg.tag == "RCI" and not groups):
            groups.append([seg])
        elif groups:
            groups[-1].append(seg)
        else:
            header.append(seg)
    return header, groups


class _Pnr:
    """The walk through one PNR group."""

    def __init__(self, message, flight, segments, seps):
        env = message.envelope
        self.msg, self.seps, self.first = message, seps, segments[0]
        self.b = model.Booking(
            record_locator="",
            sender=env.sender or env.group_sender or None,
            version=message.version or None,
            message_ref=message.ref,
            flight=copy.deepcopy(flight),
        )
        if self.first.tag != "SRC":
            self.warn(f"{s.where(self.first)}: the PNR starts without SRC")
        self.segments = s.unglue(segments, self.warn)
        self.level = "pnr"  # pnr | traveller | flight | split | nonair | history
        self.traveller: int | None = None  # the Gr.2 traveller segments belong to
        self.in_fop = False
        self.currency: str | None = None  # of the ticket (MON T), for its payment
        self.payments: list[model.Payment] = []  # of the current FOP: IFT 4:43 names the payer
        self.leg: int | None = None
        self.checkin: int | None = None  # the Gr.6 traveller
        self.tri_ref = ""
        self.history_at: datetime | None = None
        self.history_by = ""
        self.entry: tuple[model.HistoryEntry, list[str], list[str]] | None = None
        self.pending: list[tuple[ssrs.Ssr, int | None, int | None]] = []  # SSR, traveller, leg
        self.seats: dict[tuple[int, int], tuple[str, bool]] = {}  # (traveller, leg) -> seat, checked in
        self.bag_keys: set = set()
        self.not_read: Counter = Counter()

    def warn(self, text: str) -> None:
        self.b.warnings.append(text)

    def read(self) -> model.Booking:
        for seg in self.segments:
            self.feed(seg)
        if not self.b.record_locator:
            raise self.first.error("the PNR (SRC group) has no RCI with its record locator", self.msg.ref)
        self.close_entry()
        ssrs.Attacher(self.b, self.warn, self.seats, self.contact).run(self.pending)
        self.finish()
        return self.b

    def feed(self, seg: edifact.Segment) -> None:
        tag = seg.tag
        if tag in ("ABI", "SAC", "LTS"):
            self.close_entry()
            if tag == "LTS":
                self.lts(seg)
            elif tag == "ABI":
                self.level, self.history_at = "history", None
                self.history_by = " ".join(p for p in (seg.el(2, 2), seg.el(3), seg.el(5)) if p)
            else:
                self.level = "history"
                self.entry = (
                    model.HistoryEntry(action=seg.el(3).upper() or None, at=self.history_at),
                    [],
                    [],
                )
            return
        if self.level == "history":
            if tag == "DAT" and self.entry is None:
                self.history_at = self.moment(seg, seg.el(1, 2), seg.el(1, 3))
            elif self.entry is not None:
                self.history_item(seg)
            return
        if (self.level, tag) in (("split", "RCI"), ("nonair", "TVL")):
            return  # split PNRs' locators; hotels, cars
        handler = getattr(self, f"on_{tag.lower()}", None)
        if handler is not None:
            handler(seg)
        elif tag not in s.KNOWN_TAGS:
            self.not_read[tag] += 1

    # ------------------------------------------------------------------------- Gr.1: the PNR
    def on_rci(self, seg):
        if self.b.record_locator:
            return  # the locator of a flight's carrier
        if self.level != "pnr":
            self.warn(f"{s.where(seg)}: the PNR's RCI comes after its travellers or flights")
        for n in range(1, len(seg.elements) + 1):  # airline:locator:qualifier:date:time (+ others')
            if seg.el(n, 2):
                self.b.record_locator = seg.el(n, 2).upper()
                day, hhmm = seg.el(n, 4), seg.el(n, 5)
                if len(seg.el(n, 3)) == 6 and seg.el(n, 3).isdigit() and not seg.el(n, 5):
                    self.warn(f"{s.where(seg)}: creation date sent in the place of the qualifier")
                    day, hhmm = seg.el(n, 3), seg.el(n, 4)
                self.b.created_at = self.moment(seg, day, hhmm)
                return
        raise seg.error("RCI gives no record locator", self.msg.ref, element=1, component=2)

    def on_dat(self, seg):
        if self.level == "flight":
            return  # check-in dates (2, 3)
        for n in range(1, len(seg.elements) + 1):
            qualifier = seg.el(n)
            if qualifier not in ("700", "710"):
                continue
            moment = self.moment(seg, seg.el(n, 2), seg.el(n, 3))
            if moment is None:
                continue
            if qualifier == "700":  # the last PNR transaction
                if self.b.last_modified_at is None or moment > self.b.last_modified_at:
                    self.b.last_modified_at = moment
            elif moment not in self.b.ticketed_at:  # 710: a ticket issued
                self.b.ticketed_at.append(moment)

    def on_org(self, seg):
        if self.level == "pnr" and self.b.travel_agency is None:
            self.b.travel_agency = s.read_org(seg, self.warn)

    def on_add(self, seg):
        for kind, value in s.read_add(seg, self.warn):
            self.contact(kind, value, self.owner())

    def on_ift(self, seg):
        if self.in_fop and seg.el(1, 2) == "43":  # the payer: name + address + telephone
            for payment in self.payments:
                payment.card_holder = payment.card_holder or model.clean_name(seg.el(2))
            if seg.el(3):
                self.contact("address", seg.el(3), self.owner())
            if seg.el(4):
                self.contact("phone", seg.el(4), self.owner())
            return
        found = s.read_ctc(s.text_of(seg, 2, self.seps))
        if found:
            self.contact(*found, self.owner())

    def on_ebd(self, seg):
        entry = {"traveller": self.owner(), **s.read_ebd(seg)}
        key = tuple(sorted(entry.items(), key=str))
        if key not in self.bag_keys:
            self.bag_keys.add(key)
            self.b.bags.append(entry)

    def on_ssr(self, seg):
        in_flight = self.level == "flight"
        ssr = ssrs.read_ssr(seg, self.seps)
        self.pending.append((ssr, None if in_flight else self.owner(), self.leg if in_flight else None))

    def on_eqn(self, seg):
        self.level = "split"

    def on_msg(self, seg):
        self.level = "nonair"

    # ------------------------------------------------------------------------- Gr.2-4: travellers
    def on_tif(self, seg):
        tifs = s.read_tif(seg)
        if self.level == "flight":
            self.checkin = self.checked_in(seg, tifs)
            return
        for tif in tifs:  # none for a group name (TIF+ACME TEAM PARTY:G)
            self.b.travellers.append(tif.traveller())
            self.traveller = len(self.b.travellers) - 1
            self.level, self.in_fop, self.currency = "traveller", False, None

    def on_fti(self, seg):
        if self.traveller is not None and seg.el(1, 2):
            number = f"{seg.el(1).upper()} {seg.el(1, 2).upper()}".strip()
            if number not in self.b.travellers[self.traveller].frequent_flyer:
                self.b.travellers[self.traveller].frequent_flyer.append(number)

    def on_tkt(self, seg):
        self.in_fop = False
        if self.traveller is not None and seg.el(1):
            tickets = self.b.travellers[self.traveller].ticket_numbers
            if seg.el(1) not in tickets:
                tickets.append(seg.el(1))

    def on_mon(self, seg):
        for n in range(1, len(seg.elements) + 1):
            if seg.el(n) == "T" and seg.el(n, 3):
                self.currency = seg.el(n, 3).upper()

    def on_fop(self, seg):
        self.payments = s.read_fop(seg)
        for payment in self.payments:
            if payment.amount and self.currency:
                payment.currency = self.currency
        self.b.payments.extend(self.payments)
        self.in_fop = self.level == "traveller"

    # ------------------------------------------------------------------------- Gr.5-6: itinerary
    def on_tvl(self, seg):
        if self.level == "flight" and s.is_continuation(seg):
            return  # the operating flight number of a code share: the model has no field for it
        self.b.itinerary.append(s.read_tvl(seg, self.warn))
        self.leg = len(self.b.itinerary) - 1
        self.level, self.checkin, self.traveller, self.in_fop = "flight", None, None, False
        self.tri_ref = ""

    def on_tra(self, seg):
        if self.level == "flight" and self.leg is not None and seg.el(1):
            self.b.itinerary[self.leg].operating_carrier = seg.el(1).upper()

    def on_rpi(self, seg):
        if self.level == "flight" and self.leg is not None and seg.el(2):
            status = seg.el(2).upper()
            if not (len(status) == 2 and status.isalpha()):
                self.warn(f"{s.where(seg)}: RPI status {status!r} is not a status code")
            self.b.itinerary[self.leg].status = status

    def on_tri(self, seg):
        self.checkin, self.tri_ref = None, seg.el(2, 4)

    def checked_in(self, seg, tifs: list[s.Tif]) -> int | None:
        """The traveller of a check-in (TRI, TIF): by reference, then by name; added (with a
        warning) when the PNR does not list them."""
        if not tifs:
            return None
        tif = tifs[0]
        for ref in (tif.reference, self.tri_ref):
            found = ssrs.by_ref(self.b.travellers, ref)
            if found is not None:
                return found
        for i, t in enumerate(self.b.travellers):
            if (t.surname, t.given_names) == (tif.surname, tif.given_names):
                return i
        self.warn(
            f"{s.where(seg)}: checked-in traveller {tif.surname}/{tif.given_names} is not in the PNR: added"
        )
        self.b.travellers.append(tif.traveller())
        return len(self.b.travellers) - 1

    def on_ssd(self, seg):
        seat = ssrs.seat(seg.el(1))
        if seat and self.checkin is not None and self.leg is not None:
            self.seats[(self.checkin, self.leg)] = (seat, True)

    def on_tbd(self, seg):
        bags = s.read_tbd(seg, self.warn)
        who = self.checkin if self.level == "flight" else self.owner()
        key = (who, tuple(bags.tags), bags.count, bags.weight_kg)
        if key in self.bag_keys:
            return  # the same bags, repeated on each flight of the journey
        self.bag_keys.add(key)
        # One entry per tag, and one for pieces without a tag; the total weight on the first
        # entry only, so that counts and weights add up.
        entries = [_bag(who, tag, 1, dest) for tag, dest in bags.tags]
        untagged = (bags.count or 0) - len(entries)
        if untagged > 0 or not entries:
            if not entries and bags.count is None and bags.weight_kg is None:
                return
            entries.append(_bag(who, None, untagged if untagged > 0 else bags.count, None))
        entries[0]["weight_kg"] = bags.weight_kg
        self.b.bags.extend(entries)
        if who is not None:
            tags = self.b.travellers[who].bag_tags
            tags.extend(t for t, _ in bags.tags if t not in tags)

    # ------------------------------------------------------------------------- history
    def lts(self, seg):
        """LTS+14/A/SR/SSR DOCS...: envelope / action / element code / text (Amadeus style)."""
        text = s.text_of(seg, 1, self.seps)
        head = text.split("/")
        entry = model.HistoryEntry(text=text or None)
        if len(head) > 2 and head[0].strip().isdigit() and len(head[1]) == 1 and head[1].isalpha():
            entry.action = head[1]
            if len(head[2]) == 2 and head[2].isalpha():
                entry.what = _LTS_WHAT.get(head[2], head[2])
        self.b.history.append(entry)

    def history_item(self, seg):
        _, items, tags = self.entry
        tags.append(seg.tag)
        if seg.tag == "RPI" and items:
            items[-1] += f" {seg.el(2)}".rstrip()
        elif seg.tag == "TIF":
            items.append(f"{seg.el(1)}/{seg.el(2)}")
        elif seg.tag == "IFT":
            items.append(s.text_of(seg, 2, self.seps))
        elif seg.tag == "TVL":
            when = " ".join(x for x in (seg.el(1, n) for n in (1, 2, 3, 4)) if x)
            items.append(f"{seg.el(4)}{seg.el(5)} {seg.el(5, 2)} {seg.el(2)}-{seg.el(3)} {when}")
        else:
            items.append(f"{seg.tag} {s.text_of(seg, 1, self.seps)}")

    def close_entry(self):
        if self.entry is None:
            return
        entry, items, tags = self.entry
        entry.what = next(
            (what for tag, what in _HISTORY_WHAT.items() if tag in tags), "remark" if tags else None
        )
        text = "; ".join(" ".join(i.split()) for i in items if i.strip())
        if self.history_by:
            text = f"{text} (by {self.history_by})" if text else f"by {self.history_by}"
        entry.text = text or None
        self.b.history.append(entry)
        self.entry = None

    # ------------------------------------------------------------------------- helpers
    def owner(self) -> int | None:
        return self.traveller if self.level == "traveller" else None

    def moment(self, seg, day: str, hhmm: str) -> datetime | None:
        try:
            return s.utc_moment(day, hhmm)
        except ValueError as exc:
            self.warn(f"{s.where(seg)}: date left out: {exc}")
            return None

    def contact(self, kind: str, value: str, traveller: int | None) -> None:
        value = " ".join(value.split())
        item = model.Contact(kind=kind, value=value, traveller=traveller)
        if value and item not in self.b.contacts:
            self.b.contacts.append(item)

    def finish(self) -> None:
        b = self.b
        b.seats = [
            {"traveller": t, "flight": leg, "seat": seat}
            for (t, leg), (seat, _) in sorted(self.seats.items())
        ]
        for (t, leg), (seat, _) in sorted(self.seats.items()):
            if b.flight is not None and s.same_flight(b.itinerary[leg], b.flight):
                b.travellers[t].seat = seat  # the seat on the flight the push is for
        for t in b.travellers:
            t.booking_reference = b.record_locator
        b.ticketed_at.sort()
        if self.not_read:
            shown = ", ".join(f"{tag} ({n})" for tag, n in sorted(self.not_read.items()))
            self.warn(f"segments not read: {shown}")
        _scrub(b)


def _bag(who: int | None, tag: str | None, count: int | None, dest: str | None) -> dict:
    return {
        "traveller": who,
        "tag": tag,
        "count": count,
        "weight_kg": None,
        "destination": dest,
        "excess": False,
    }


def _scrub(obj) -> None:
    """Mask card numbers in every text of the booking, identifiers (ticket numbers...) aside."""
    if dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            if f.name in _NOT_SCRUBBED:
                continue
            value = getattr(obj, f.name)
            if isinstance(value, str):
                setattr(obj, f.name, s.scrub_cards(value))
            else:
                _scrub(value)
    elif isinstance(obj, list):
        for n, value in enumerate(obj):
            if isinstance(value, str):
                obj[n] = s.scrub_cards(value)
            else:
                _scrub(value)
    elif isinstance(obj, dict):
        for key, value in obj.items():
            if isinstance(value, str) and key not in _NOT_SCRUBBED:
                obj[key] = s.scrub_cards(value)
