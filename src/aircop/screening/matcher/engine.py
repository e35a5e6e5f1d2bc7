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

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz.distance import JaroWinkler

from aircop.screening.matcher import normalise

TOKEN_SIMILARITY = 0.84  # below this a token is no candidate
SKELETON_SIMILARITY = 0.9  # what sharing a consonant skeleton counts for at least
RARE_ENTRIES = 50  # a token carried by at most this many entries is rare enough alone
DEFAULT_THRESHOLD = 0.8


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
        self.entries = entries
        self.dobs = [_dob(e.date_of_birth) for e in entries]
        self.vocab: dict[str, int] = {}
        self.tokens: list[str] = []
        self.postings: list[list[int]] = []
        self.aliases: list[list[tuple[int, ...]]] = []
        by_skeleton: dict[str, set[int]] = defaultdict(set)
        by_deletion: dict[str, set[int]] = defaultdict(set)
        for n, entry in enumerate(entries):
            forms = []
            seen: set[int] = set()
            for text in entry.names:
                name = normalise.parse(text)
                ids = []
                for token in name.key_tokens:
                    tid = self.vocab.get(token)
                    if tid is None:
                        tid = self.vocab[token] = len(self.tokens)
                        self.tokens.append(token)
                        self.postings.append([])
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
                    forms.append(tuple(ids))
            self.aliases.append(forms)
        self.by_skeleton = dict(by_skeleton)
        self.by_deletion = dict(by_deletion)
        total = max(len(entries), 1)
        self.weight = [math.log(1 + total / len(p)) for p in self.postings]
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
            skeleton_hits |= self.by_skeleton.get(key, set())
        found |= skeleton_hits
        for key in (token, *normalise.deletions(token)):
            found |= self.by_deletion.get(key, set())
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
        # Candidates: entries sharing two different tokens with the traveller. A token repeated
        # in the name (MOHAMMAD MOHAMMAD) counts once, so that it does not make every entry with
        # one Mohammed a candidate; such a traveller matches the entries that repeat it too.
        counts: dict[int, int] = defaultdict(int)
        for key in distinct:
            entries: set[int] = set()
            for tid in similar[key]:
                entries.update(self.postings[tid])
            for n in entries:
                counts[n] += 1
        if len(distinct) >= 2:
            rare = {
                n
                for per_token in similar.values()
                for tid in per_token
                if len(self.postings[tid]) <= RARE_ENTRIES
                for n in self.postings[tid]
            }
            candidates = {n for n, c in counts.items() if c >= 2} | rare
        elif len(tokens) >= 2 and distinct:  # one name, repeated
            found = set(similar[distinct[0]])
            candidates = {
                n for n in counts if any(sum(t in found for t in alias) >= 2 for alias in self.aliases[n])
            }
        else:
            candidates = set(counts)
        by_document = self._document_candidates(person)
        candidates |= set(by_document)
        hits = []
        for n in candidates:
            score, reasons = self._score(n, tokens, matches, person, by_document.get(n))
            if score >= threshold:
                hits.append(Hit(person.id, self.entries[n].id, score, reasons))
        hits.sort(key=lambda h: (-h.score, h.entry_id))
        return hits

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
        for alias in self.aliases[n]:
            name, reasons = self._alias_score(alias, tokens, matches)
            if name > best_name:
                best_name, best_reasons = name, reasons
        score, reasons = (
            best_name,
            [f"name {best_name:.2f}: " + "; ".join(best_reasons)] if best_reasons else [],
        )
        entry, dob = self.entries[n], self.dobs[n]
        if dob and person.date_of_birth:
            y, m, d = dob
            p = person.date_of_birth
            if (y, m, d) == (p.year, p.month, p.day):
                score += 0.15
                reasons.append("date of birth: same")
            elif m is None and y == p.year:
                score += 0.08
                reasons.append("date of birth: same year (the list gives the year only)")
            elif d is None and (y, m) == (p.year, p.month):
                score += 0.1
                reasons.append("date of birth: same year and month (the list gives no day)")
            elif d is not None and (y, m, d) == (p.year, p.day, p.month):
                score += 0.08
                reasons.append("date of birth: day and month swapped")
            elif y == p.year:
                score -= 0.05
                reasons.append("date of birth: same year, different day")
            else:
                score -= 0.2
                reasons.append("date of birth: different")
        if entry.nationality and person.nationality:
            if entry.nationality.upper() == person.nationality.upper():
                score += 0.03
                reasons.append("nationality: same")
            else:
                score -= 0.05
                reasons.append(f"nationality: different ({person.nationality} / {entry.nationality})")
        sexes = (entry.sex or "").upper(), (person.sex or "").upper()
        if sexes[0] in ("M", "F") and sexes[1] in ("M", "F") and sexes[0] != sexes[1]:
            score -= 0.15
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
            weight = max((self.weight[t] for t in alias if t == best_tid), default=1.0)
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
