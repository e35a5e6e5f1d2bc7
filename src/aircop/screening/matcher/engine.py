"""The screening engine: an index of watchlist entries and the scoring of the few candidates
it yields for a traveller (docs/screening.md). Never traveller-by-entry loops.

Index. Every alias of every entry is parsed into key tokens (normalise.parse); each distinct
token is indexed three ways: as itself, by its consonant skeleton(s), and by its one-letter
deletions (a symmetric neighbourhood: two tokens one edit apart share a key). Postings map
each token to the entries that carry it; a token's rarity (inverse entry frequency) weighs it.
Documents are indexed by (issuing country, number) and by the number's one-character deletions.

Query. A traveller's tokens find their candidate tokens through the three keys, keep those
similar enough (Jaro-Winkler on the folded spellings, or the same skeleton), and the entries
carrying them become candidates when they share two tokens with the traveller (or one rare
token, or the traveller has a single name). A document number matching exactly, or with one
character wrong, for the same issuing country, makes its entry a candidate too. Each candidate
is scored: name similarity weighted by rarity, then date of birth, nationality, sex and
document evidence; each hit lists its reasons.
"""

from __future__ import annotations

import gc
import math
from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from rapidfuzz.distance import JaroWinkler

from aircop.screening.matcher import normalise

TOKEN_SIMILARITY = 0.84  # below this a token is no candidate
SKELETON_SIMILARITY = 0.9  # what sharing a consonant skeleton counts for at least
UNMATCHED_WEIGHT = 1.5  # of a traveller's name part with no counterpart (rarity weights: log(1 + N / n))
RARE_ENTRIES = 50  # a token carried by at most this many entries is rare enough alone
DEFAULT_THRESHOLD = 0.8

# Evidence besides the name (added to the name score, docs/screening.md "Scoring").
DOB_SAME = 0.12
DOB_SAME_MONTH = 0.06  # the list gives year and month only
DOB_SAME_YEAR = 0.02  # the list gives the year only: weak evidence (one year in sixty)
DOB_SWAPPED = 0.08  # day and month swapped
DOB_YEAR_SLIP = -0.05  # same day and month, the year one off
DOB_OTHER_DAY = -0.15  # same year, another day or month
DOB_DIFFERENT = -0.3
NATIONALITY_SAME = 0.03
NATIONALITY_DIFFERENT = -0.1
SEX_DIFFERENT = -0.15
# The best a name can add up to with an unknown or agreeing nationality: a candidate whose
# other evidence keeps it below the threshold even then is not scored at all.
_BEST_REST = NATIONALITY_SAME


def dob_evidence(listed: tuple[int, int | None, int | None] | None, born: date | None) -> tuple[float, str]:
    """What the dates of birth say: (score change, reason); (0, "") when one is unknown."""
    if not listed or born is None:
        return 0.0, ""
    y, m, d = listed
    if m is None:
        if y == born.year:
            return DOB_SAME_YEAR, "date of birth: same year (the list gives the year only)"
        return DOB_DIFFERENT, "date of birth: different"
    if d is None:
        if (y, m) == (born.year, born.month):
            return DOB_SAME_MONTH, "date of birth: same year and month (the list gives no day)"
        if y == born.year:
            return DOB_OTHER_DAY, "date of birth: same year, different month"
        return DOB_DIFFERENT, "date of birth: different"
    if (y, m, d) == (born.year, born.month, born.day):
        return DOB_SAME, "date of birth: same"
    if (y, m, d) == (born.year, born.day, born.month):
        return DOB_SWAPPED, "date of birth: day and month swapped"
    if y == born.year:
        return DOB_OTHER_DAY, "date of birth: same year, different day"
    if abs(y - born.year) == 1 and (m, d) == (born.month, born.day):
        return DOB_YEAR_SLIP, "date of birth: same day, year one off"
    return DOB_DIFFERENT, "date of birth: different"


@dataclass
class Entry:
    id: str
    names: list[str]  # the name and its aliases, any script
    date_of_birth: str = ""  # "1975-03-02", "1975-03" or "1975"
    nationality: str = ""  # ISO alpha-3
    sex: str = ""  # M, F, X or ""
    documents: list[tuple[str, str]] = field(default_factory=list)  # (number, issuing country alpha-3)


@dataclass
class Person:
    id: str
    surname: str
    given_names: str = ""
    date_of_birth: date | None = None
    nationality: str = ""
    sex: str = ""
    documents: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Hit:
    person_id: str
    entry_id: str
    score: float
    reasons: list[str]

    def as_json(self) -> dict:
        return {
            "passenger_id": self.person_id,
            "watchlist_id": self.entry_id,
            "score": round(self.score, 4),
            "reasons": self.reasons,
        }


def _dob(raw: str) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) from "YYYY", "YYYY-MM" or "YYYY-MM-DD"; None when empty."""
    raw = (raw or "").strip()
    if not raw:
        return None
    parts = raw.split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        raise ValueError(f"not a date YYYY, YYYY-MM or YYYY-MM-DD: {raw!r}")
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else None
    day = int(parts[2]) if len(parts) > 2 else None
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"not a month: {raw!r}")
    if day is not None:
        date(year, month, day)  # raises ValueError for 2001-02-30
    return year, month, day


def _doc(number: str) -> str:
    return "".join(ch for ch in (number or "").upper() if ch.isalnum())


class Index:
    """Built once per watchlist (``Index(entries)``); ``screen(person)`` answers hits."""

    def __init__(self, entries: list[Entry]):
        # Millions of small objects: the cyclic collector would walk them again and again while
        # they are made, and then at every later collection; none of them forms a cycle.
        enabled = gc.isenabled()
        gc.disable()
        try:
            self._build(entries)
        finally:
            if enabled:
                gc.enable()
        gc.freeze()

    def _build(self, entries: list[Entry]) -> None:
        self.entries = entries
        # Dates of birth as three arrays (0: unknown), compact at a million entries; the year
        # serves the candidates' first cut.
        count = len(entries)
        self.years = np.zeros(count, dtype=np.int16)
        self.months = np.zeros(count, dtype=np.int8)
        self.days = np.zeros(count, dtype=np.int8)
        for n, entry in enumerate(entries):
            dob = _dob(entry.date_of_birth)
            if dob:
                self.years[n], self.months[n], self.days[n] = dob[0], dob[1] or 0, dob[2] or 0
        self.scored = 0  # candidates scored since the index was built (bench/screening reads it)
        self.vocab: dict[str, int] = {}
        self.tokens: list[str] = []
        self.postings = []  # per token: array('i') of entries while building, then numpy
        # Every alias of every entry as token ids, flat: entry n's aliases are the alias numbers
        # entry_aliases[n]:entry_aliases[n + 1]; alias a's tokens alias_tokens[alias_bounds[a]:
        # alias_bounds[a + 1]].
        alias_tokens, alias_bounds, entry_aliases = array("i"), array("i", [0]), array("i", [0])
        by_skeleton: dict[str, set[int]] = defaultdict(set)
        by_deletion: dict[str, set[int]] = defaultdict(set)
        for n, entry in enumerate(entries):
            seen: set[int] = set()
            for text in entry.names:
                name = normalise.parse(text)
                ids = []
                for token in name.key_tokens:
                    tid = self.vocab.get(token)
                    if tid is None:
                        tid = self.vocab[token] = len(self.tokens)
                        self.tokens.append(token)
                        self.postings.append(array("i"))
                        for key in normalise.skeletons(token, name.cyrillic):
                            by_skeleton[key].add(tid)
                        for key in (token, *normalise.deletions(token)):
                            by_deletion[key].add(tid)
                    elif name.cyrillic:
                        for key in normalise.skeletons(token, True):
                            by_skeleton[key].add(tid)
                    ids.append(tid)
                    if tid not in seen:
                        seen.add(tid)
                        self.postings[tid].append(n)
                if ids:
                    alias_tokens.extend(ids)
                    alias_bounds.append(len(alias_tokens))
            entry_aliases.append(len(alias_bounds) - 1)
        self.alias_tokens = np.frombuffer(alias_tokens, dtype=np.int32).copy()
        self.alias_bounds = np.frombuffer(alias_bounds, dtype=np.int32).copy()
        self.entry_aliases = np.frombuffer(entry_aliases, dtype=np.int32).copy()
        del alias_tokens, alias_bounds, entry_aliases
        # The caches of names seen while building would keep a million entries' names alive.
        normalise.parse.cache_clear()
        normalise.skeleton.cache_clear()
        self.by_skeleton = {key: tuple(tids) for key, tids in by_skeleton.items()}
        self.by_deletion = {key: tuple(tids) for key, tids in by_deletion.items()}
        del by_skeleton, by_deletion
        total = max(len(entries), 1)
        self.weight = [math.log(1 + total / len(p)) for p in self.postings]
        # Each token's entries ordered by year of birth (unknown, 0, first), so that the entries
        # born within a year of a traveller are one slice (plus the unknown ones).
        postings, posting_years = [], []
        for p in self.postings:
            ids = np.frombuffer(p, dtype=np.int32)
            years = self.years[ids]
            order = np.argsort(years, kind="stable")
            postings.append(ids[order])
            posting_years.append(years[order])
        self.postings, self.posting_years = postings, posting_years
        self.documents: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.document_deletions: dict[tuple[str, str], list[int]] = defaultdict(list)
        for n, entry in enumerate(entries):
            for number, country in entry.documents:
                number = _doc(number)
                if not number:
                    continue
                country = (country or "").upper()
                self.documents[(country, number)].append(n)
                for i in range(len(number)):
                    self.document_deletions[(country, number[:i] + number[i + 1 :])].append(n)

    # ------------------------------------------------------------------ candidates
    def _similar_tokens(self, token: str, cyrillic: bool) -> dict[int, tuple[float, str]]:
        """Vocabulary tokens similar to ``token``: tid -> (similarity, how)."""
        found: set[int] = set()
        exact = self.vocab.get(token)
        if exact is not None:
            found.add(exact)
        skeleton_hits: set[int] = set()
        for key in normalise.skeletons(token, cyrillic):
            skeleton_hits.update(self.by_skeleton.get(key, ()))
        found |= skeleton_hits
        for key in (token, *normalise.deletions(token)):
            found.update(self.by_deletion.get(key, ()))
        out = {}
        for tid in found:
            other = self.tokens[tid]
            if tid == exact:
                out[tid] = (1.0, "same spelling")
                continue
            similarity = JaroWinkler.similarity(token, other)
            how = "similar spelling"
            if tid in skeleton_hits and similarity < SKELETON_SIMILARITY:
                similarity, how = SKELETON_SIMILARITY, "same consonants"
            if similarity >= TOKEN_SIMILARITY:
                out[tid] = (similarity, how)
        return out

    def screen(self, person: Person, threshold: float = DEFAULT_THRESHOLD) -> list[Hit]:
        names = [normalise.parse(person.surname or ""), normalise.parse(person.given_names or "")]
        tokens = [(t, n.cyrillic) for n in names for t in n.key_tokens]
        distinct = list(dict.fromkeys(tokens))
        similar = {key: self._similar_tokens(*key) for key in distinct}
        matches = [similar[key] for key in tokens]
        window = self._year_window(person, threshold)
        # The entries carrying each distinct token (or one similar to it), born in the window;
        # a token repeated in the name (MOHAMMAD MOHAMMAD) counts once, so that it does not
        # make every entry with one Mohammed a candidate.
        per_token = []
        rare_parts = []
        for key in distinct:
            arrays = [self._carrying(tid, window) for tid in similar[key]]
            arrays = [a for a in arrays if len(a)]
            if not arrays:
                continue
            per_token.append(np.unique(np.concatenate(arrays)) if len(arrays) > 1 else arrays[0])
            rare_parts.extend(
                self._carrying(tid, window) for tid in similar[key] if len(self.postings[tid]) <= RARE_ENTRIES
            )
        if not per_token:
            candidates = np.empty(0, dtype=np.int32)
        elif len(distinct) >= 2:
            # Entries sharing two different tokens with the traveller, or one rare token.
            ids, counts = np.unique(np.concatenate(per_token), return_counts=True)
            candidates = ids[counts >= 2]
            if rare_parts:
                candidates = np.union1d(candidates, np.concatenate(rare_parts))
        elif len(tokens) >= 2:
            # One name, repeated: the entries that repeat it too.
            found_tids = set(similar[distinct[0]])
            candidates = [
                n
                for n in per_token[0].tolist()
                if any(sum(t in found_tids for t in alias) >= 2 for alias in self.aliases(n))
            ]
        else:
            candidates = per_token[0]
        by_document = self._document_candidates(person)
        todo = set(candidates.tolist() if isinstance(candidates, np.ndarray) else candidates)
        todo.update(by_document)
        hits = []
        for n in todo:
            document = by_document.get(n)
            if document is None and self._bound(n, person) < threshold:
                continue
            self.scored += 1
            score, reasons = self._score(n, tokens, matches, person, document)
            if score >= threshold:
                hits.append(Hit(person.id, self.entries[n].id, score, reasons))
        hits.sort(key=lambda h: (-h.score, h.entry_id))
        return hits

    def _year_window(self, person: Person, threshold: float) -> tuple[int, int] | None:
        """The years of birth that leave an entry a chance, (first, last), when a different date
        alone keeps an entry below the threshold (entries of unknown year always have one);
        None when nothing can be cut."""
        born = person.date_of_birth
        if born is None or threshold <= 1.0 + DOB_DIFFERENT + _BEST_REST:
            return None
        return born.year - 1, born.year + 1

    def _carrying(self, tid: int, window: tuple[int, int] | None) -> np.ndarray:
        """The entries carrying token ``tid``, those born in ``window`` or of unknown year."""
        ids = self.postings[tid]
        if window is None:
            return ids
        years = self.posting_years[tid]
        unknown = int(np.searchsorted(years, 1))
        start, end = np.searchsorted(years, window[0]), np.searchsorted(years, window[1], side="right")
        if not unknown:
            return ids[start:end]
        if start >= end:
            return ids[:unknown]
        return np.concatenate((ids[:unknown], ids[start:end]))

    def aliases(self, n: int) -> list[tuple[int, ...]]:
        """Entry ``n``'s names and aliases as tuples of token ids."""
        first, last = int(self.entry_aliases[n]), int(self.entry_aliases[n + 1])
        bounds = self.alias_bounds[first : last + 1].tolist()
        tokens = self.alias_tokens[bounds[0] : bounds[-1]].tolist() if bounds else []
        start = bounds[0] if bounds else 0
        return [tuple(tokens[a - start : b - start]) for a, b in zip(bounds, bounds[1:], strict=False)]

    def listed_dob(self, n: int) -> tuple[int, int | None, int | None] | None:
        year = int(self.years[n])
        if not year:
            return None
        return year, int(self.months[n]) or None, int(self.days[n]) or None

    def _bound(self, n: int, person: Person) -> float:
        """The highest score entry ``n`` could reach with a perfect name."""
        bound = 1.0 + dob_evidence(self.listed_dob(n), person.date_of_birth)[0]
        entry = self.entries[n]
        if entry.nationality and person.nationality:
            same = entry.nationality.upper() == person.nationality.upper()
            bound += NATIONALITY_SAME if same else NATIONALITY_DIFFERENT
        sexes = (entry.sex or "").upper(), (person.sex or "").upper()
        if sexes[0] in ("M", "F") and sexes[1] in ("M", "F") and sexes[0] != sexes[1]:
            bound += SEX_DIFFERENT
        return bound

    def _document_candidates(self, person: Person) -> dict[int, str]:
        out: dict[int, str] = {}
        for number, country in person.documents:
            number, country = _doc(number), (country or "").upper()
            if not number:
                continue
            for n in self.documents.get((country, number), ()):
                out[n] = f"document {number} ({country}) on the list"
            near = set(self.document_deletions.get((country, number), ()))
            for i in range(len(number)):
                key = (country, number[:i] + number[i + 1 :])
                near.update(self.documents.get(key, ()))
                near.update(self.document_deletions.get(key, ()))
            for n in near:
                out.setdefault(n, f"document {number} ({country}) one character from a listed one")
        return out

    # ------------------------------------------------------------------ scoring
    def _score(self, n, tokens, matches, person: Person, document: str | None) -> tuple[float, list[str]]:
        best_name, best_reasons = 0.0, []
        for alias in self.aliases(n):
            name, reasons = self._alias_score(alias, tokens, matches)
            if name > best_name:
                best_name, best_reasons = name, reasons
        score, reasons = (
            best_name,
            [f"name {best_name:.2f}: " + "; ".join(best_reasons)] if best_reasons else [],
        )
        entry = self.entries[n]
        change, reason = dob_evidence(self.listed_dob(n), person.date_of_birth)
        if reason:
            score += change
            reasons.append(reason)
        if entry.nationality and person.nationality:
            if entry.nationality.upper() == person.nationality.upper():
                score += NATIONALITY_SAME
                reasons.append("nationality: same")
            else:
                score += NATIONALITY_DIFFERENT
                reasons.append(f"nationality: different ({person.nationality} / {entry.nationality})")
        sexes = (entry.sex or "").upper(), (person.sex or "").upper()
        if sexes[0] in ("M", "F") and sexes[1] in ("M", "F") and sexes[0] != sexes[1]:
            score += SEX_DIFFERENT
            reasons.append("sex: different")
        if document:
            exact = "on the list" in document
            score = max(score, 0.97 if exact else 0.85) if exact or best_name >= 0.5 else max(score, 0.8)
            reasons.append(document)
        return max(0.0, min(1.0, score)), reasons

    def _alias_score(self, alias, tokens, matches) -> tuple[float, list[str]]:
        """How well the traveller's tokens cover one alias: rarity-weighted similarity of the
        best pairing, on both sides (a missing middle name costs little, a missing surname much)."""
        used: set[int] = set()
        got = total = 0.0
        reasons = []
        for (token, _cyr), per_token in zip(tokens, matches, strict=True):
            best, best_tid, how = 0.0, None, ""
            for tid in alias:
                if tid in used:
                    continue
                sim = per_token.get(tid)
                if sim and sim[0] > best:
                    best, best_tid, how = sim[0], tid, sim[1]
            # A name part with no counterpart in the alias has a fixed weight, that of a fairly
            # common token (its own rarity would make a Latin spelling that the list holds only
            # in Arabic script weigh as a unique name).
            weight = self.weight[best_tid] if best_tid is not None else UNMATCHED_WEIGHT
            total += weight
            if best_tid is not None:
                used.add(best_tid)
                got += weight * best
                reasons.append(f"{token} ~ {self.tokens[best_tid]} ({how}, {best:.2f})")
            else:
                reasons.append(f"{token}: no match")
        if not total:
            return 0.0, []
        traveller_side = got / total
        alias_weight = sum(self.weight[t] for t in alias)
        covered = sum(self.weight[t] for t in alias if t in used)
        alias_side = covered / alias_weight if alias_weight else 0.0
        missing = [self.tokens[t] for t in alias if t not in used]
        if missing:
            reasons.append("not in the traveller's name: " + ", ".join(missing))
        return 0.7 * traveller_side + 0.3 * alias_side, reasons
