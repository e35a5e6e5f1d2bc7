"""Names as the matcher compares them (docs/screening.md, "Names").

A name in any script becomes lower-case ASCII tokens: Unicode NFKC, case folding, then
transliteration of every script to Latin letters (anyascii: Arabic, Cyrillic, Greek, Hebrew,
Devanagari, CJK ...), marks and punctuation removed. Arabic script writes no short vowels, so
"محمد" becomes "mhmd" while the Latin spellings are "mohammed", "muhammad", "mohamed"; they
meet on the **consonant skeleton**: vowels and the semivowels w and y dropped, look-alike
consonants merged (kh → h, q → k, c → k, z → s, p → b, v → f, j/dj → g ...), doubled
letters collapsed (before the vowels are dropped): all four give "mhmd". Russian
transliteration writes the Arabic h as g ("Ибрагим" for Ibrahim), so a token from Cyrillic
script gets a second skeleton with g read as h.

Particles that are part of a name in one spelling and a separate token in another (al-, el-,
bin, ibn, abd ...) are joined to the next token for the keys ("abd allah" and "abdallah"
meet), and kept as they are for display.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

# Joined to the following token: "al rashid" -> "alrashid", "abd al rahman" -> "abdalrahman".
PARTICLES = frozenset(
    {"al", "el", "ul", "ed", "ad", "as", "ar", "abd", "abdel", "abdul", "abu", "bin", "ibn", "ben", "bint"}
    # ... and the same particles folded from Arabic script, which writes no short vowels.
    | {"bd", "bn", "bw", "bnt"}
)
# Dropped from the keys (they say nothing about who the person is).
TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "mstr", "master", "sir", "mme", "mlle", "sr", "sra", "srta"}
)

_NOT_LETTER = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")
_DIGRAPHS = (
    ("kh", "h"),
    ("gh", "g"),
    ("sh", "s"),
    ("ch", "s"),
    ("th", "t"),
    ("dh", "d"),
    ("ph", "f"),
    ("dj", "g"),
    ("dzh", "g"),  # Cyrillic дж (Джамал) before dz
    ("dz", "s"),
    ("ts", "s"),
    ("zh", "g"),
    ("ck", "k"),
)
_LETTERS = str.maketrans({"q": "k", "c": "k", "z": "s", "x": "s", "j": "g", "p": "b", "v": "f"})
_VOWELS = str.maketrans("", "", "aeiouyw")
_CYRILLIC = re.compile("[\u0400-\u04ff]")


@dataclass(frozen=True)
class Name:
    text: str  # as given
    tokens: tuple[str, ...]  # lower-case ASCII, titles removed, particles kept as tokens
    key_tokens: tuple[str, ...]  # particles joined to the next token
    cyrillic: bool  # written in Cyrillic script (a second skeleton reads g as h)


def fold(text: str) -> str:
    """Any script to lower-case ASCII letters and single spaces."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = anyascii(text).lower()
    text = text.replace("-", " ")
    return _SPACES.sub(" ", _NOT_LETTER.sub("", text)).strip()


_NON_LATIN = re.compile("[\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u0750-\u077f\u08a0-\u08ff]")


@lru_cache(maxsize=200_000)
def parse(text: str) -> Name:
    # Titles are dropped from names written in Latin script only: folded Arabic "عمر" (Omar)
    # is "mr", which is no title.
    folded = fold(text).split()
    tokens = tuple(folded) if _NON_LATIN.search(text or "") else tuple(t for t in folded if t not in TITLES)
    joined: list[str] = []
    carry = ""
    for token in tokens:
        if token in PARTICLES:
            carry += token
            continue
        joined.append(carry + token)
        carry = ""
    if carry:  # a particle at the end: keep it on its own
        joined.append(carry)
    return Name(text, tokens, tuple(joined), bool(_CYRILLIC.search(text or "")))


@lru_cache(maxsize=500_000)
def skeleton(token: str, g_as_h: bool = False) -> str:
    """The consonant skeleton of a folded token ("mohammed" -> "mhmd")."""
    s = token
    if len(s) > 3 and s[:2] == "di" and s[2] in "aeou":
        s = "j" + s[2:]  # West African Diallo / Jallow / Djalo, Diop / Jop
    for a, b in _DIGRAPHS:
        s = s.replace(a, b)
    s = s.translate(_LETTERS)
    if g_as_h:
        s = s.replace("g", "h")
    # Doubled letters are collapsed before the vowels go (Muhammad / محمد), not after: Traoré
    # (t-r-r) and Ouattara (t-r) stay apart, as do Mamadou (m-m-d) and Modou (m-d).
    out = []
    for ch in s:
        if not out or out[-1] != ch:
            out.append(ch)
    out = list("".join(out).translate(_VOWELS))
    # A final h is often silent (Arabic ta marbuta: "fatimah" / "fatima", "usamah" / "osama").
    if len(out) > 2 and out[-1] == "h":
        out.pop()
    return "".join(out)


def skeletons(token: str, cyrillic: bool) -> tuple[str, ...]:
    plain = skeleton(token)
    if cyrillic and "g" in token:
        other = skeleton(token, g_as_h=True)
        if other != plain:
            return (plain, other)
    return (plain,)


def deletions(token: str) -> tuple[str, ...]:
    """The token with each one letter removed (distance-1 neighbourhood, symmetric: two tokens
    one edit apart share a key)."""
    if len(token) < 4:
        return ()
    return tuple(dict.fromkeys(token[:i] + token[i + 1 :] for i in range(len(token))))
