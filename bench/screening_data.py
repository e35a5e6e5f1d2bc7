"""A deterministic synthetic watchlist, passenger manifest and labelled set for bench.screening.

Everything is drawn from ``random.Random`` seeded by ``seed`` (and, for a name's spellings, by
the seed and the name itself), so the same arguments give the same entries and travellers.

Names. A name part (a given name, a father's name or patronymic, a surname) is a *concept*: one
name with all the ways it is written. Concepts come from hand-written pools per region, listed
roughly from common to rare and drawn with Zipf-like weights (1 / rank^0.9 for given names,
^0.7 for surnames), plus generated long tails of surnames (flatter, 1 / rank^0.3) so that a
million entries do not all share a few hundred surnames: about 16,000 concepts in all, which
give about 45,000 distinct folded tokens over 1,000,000 entries. ``TAIL_SHARE`` is the share
of surnames drawn from the tail:

- arab: given names, family names and nisbas in our own canonical transcription (long vowels
  doubled, H = ح, S = ص, D = ض, T = ط, Z = ظ, ' = ع, 2 = hamza, "al-" the article, "A" a final
  alif). From it: the Arabic script (consonants and long vowels only, no short vowels, ة for a
  final -ah, ى for a final -aa, the article glued, doubled letters once), Cyrillic as Russian
  lists write Arabic names (h as г, ح as х, дж for j, аль- for the article), and Latin spellings
  in three styles drawn a few times each: "scholarly" (Muhammad, Abd al-Rahman), "anglo"
  (Mohammed, Abdul Rahman, Yousef, Hussein) and "franco" as in the Maghreb and the Levant
  (Mohamed, Abderrahmane, Youssef, Djamel, Chérif, Othmane, a dropped article). A name is
  given + father's name [+ grandfather] + family name: 35 % from the hand-written pool, 35 %
  from a tail of 3,000 names made from random three-letter roots and the patterns of Arabic
  names (kariim, najjaar, saalim, manSuur, Husayn; some as "al-" + nisba), 20 % a father's
  name, 10 % "bin / ibn / abu X".
- russia, central_asia: Cyrillic given names, surnames (feminine forms for women) and
  patronymics derived by rule (Сергей → Сергеевич / Сергеевна). Latin spellings by six
  romanisation tables of ours: ICAO 9303 (Russian passports since 2013: Iuliia, Sergei), the
  older passport table (Yuliya, Sergey), BGN-like (Yevgeniy, Alexei), French (Ioulia, Serguei),
  German (Julija, Schtschukin, Tschernow) and English with x for кс. Tails: Russian surnames
  from syllables + -ов/-ин/-ский/-енко/-ук (3,200), Central Asian ones from Arabic-origin names
  + -ов/-ев through the Cyrillic table (Юсуфов, Ибрагимов) and Turkic compounds (Нурбеков).
- west_africa, latam, europe (French, German, Dutch, Italian, English): Latin names with their
  known variant spellings written by hand (Mamadou/Mamadu, Diallo/Jallow/Jalloh,
  González/Gonzales, Müller/Mueller, Catherine/Katherine). Tails: Yoruba, Igbo and Ewe-like
  compounds (Adewale, Chukwunonso, Akobeko), Spanish and Basque compounds (Villanueva,
  Echeverría), German, Dutch, Italian, English and French compounds (Steinhuber, van der Veen,
  Bertolini, Ashford, Dupont), with Müller/Mueller-style variants. Latin Americans carry two
  surnames. A few of these entries (4 %) have a Cyrillic alias (a Russian-language list) by a
  generic Latin → Cyrillic table with a few rules per language.

Watchlist entries. Region mix ``REGIONS``; primary name in Latin, or in Arabic script (a third
of arab entries) or Cyrillic (half of russia/central_asia entries); 1 to 3 aliases: another
spelling, the other script, the name without middle parts, surname first, a kunya (Abu X).
Date of birth full (70 %), year-month (10 %) or year only (20 %); nationality from the region;
sex; a passport for 30 %. Each entry also gets a key (the concept ids of its names) used only
to tell namesakes apart below, never given to the engine.

Labelled set. For each of N listed people (targets inserted into the watchlist), one traveller
who IS that person under exactly one variation, ``POSITIVE_KINDS`` in equal shares:

- spelling: at least one part in another Latin spelling than any of the entry's, e.g. the
  ICAO passport form against a BGN-style list name;
- arabic script / cyrillic script (cross-script): the entry's names are all in that script; the
  traveller carries a passport spelling (for cyrillic: a Russian or Central Asian person, or
  in 30 % an Arabic name on a Russian-language list);
- order swap: surname and given names exchanged;
- middle missing (manifest): the list has the father's name / patronymic / second given name
  / second surname, the traveller does not; middle missing (list): the other way round;
- typo: one edit (substitution, deletion, insertion, transposition) in a part of 4+ letters;
- dob day/month swap: the list has the full date, day 1-12, the traveller's is swapped.
Otherwise the traveller uses exactly the spellings of one of the entry's Latin names, the true
date of birth (consistent with the list's, full or partial), the same nationality and sex,
and a passport number of their own (documents never make the match).

And as many hard negatives, each derived from a target and NOT anyone on the list, in equal
shares of ``NEGATIVE_KINDS``: a namesake with another date of birth (other year; nationality the
same half the time); the same given name with a similar surname (another surname of the pool
with Jaro-Winkler >= 0.8, or one consonant changed to another sound class) and another year of
birth; a similar given name with the same surname and another year; the same given and middle
names with another surname. A negative is redrawn when it could be someone on the list by
concept: same names (one set within the other, two shared at least) with a compatible date of
birth and sex; so every hit of a negative is a false positive. A positive's hit on an entry
other than its target is a false positive too, unless that entry is such a namesake
("ambiguous", counted apart).

The manifest. 400 travellers drawn with ``MANIFEST_REGIONS``, passport spellings, of whom a few
(``planted``) are listed people under a random variation."""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from aircop.screening.matcher.engine import Entry, Person


def _words(text: str) -> list[str]:
    return [w.replace("_", " ") for w in text.split()]


REGIONS = {
    "west_africa": 0.25,
    "arab": 0.22,
    "latam": 0.18,
    "europe": 0.15,
    "russia": 0.10,
    "central_asia": 0.10,
}
MANIFEST_REGIONS = {
    "west_africa": 0.35,
    "europe": 0.25,
    "arab": 0.15,
    "latam": 0.10,
    "russia": 0.075,
    "central_asia": 0.075,
}
POSITIVE_KINDS = (
    "spelling",
    "arabic script",
    "cyrillic script",
    "order swap",
    "middle missing (manifest)",
    "middle missing (list)",
    "typo",
    "dob day/month swap",
)
CROSS_SCRIPT = ("arabic script", "cyrillic script")
NEGATIVE_KINDS = (
    "namesake, other date of birth",
    "same given name, similar surname",
    "similar given name, same surname",
    "same given names, other surname",
)
NATIONALITIES = {
    "arab": "SYR IRQ EGY SAU YEM SDN LBY JOR LBN MAR DZA TUN ARE PSE KWT MRT",
    "russia": "RUS RUS RUS UKR BLR KAZ",
    "central_asia": "UZB TJK KGZ KAZ TKM AZE RUS",
    "west_africa": "NGA GHA SEN MLI GIN CIV TGO BEN BFA NER GMB SLE LBR",
    "latam": "COL MEX VEN PER BOL ECU GTM HND DOM ARG CHL PRY",
    "fr": "FRA FRA BEL CHE",
    "de": "DEU DEU AUT CHE",
    "nl": "NLD NLD BEL",
    "it": "ITA ITA CHE",
    "en": "GBR GBR IRL USA CAN",
}
# Share of surnames drawn from the generated tail rather than the hand-written pool (arab: see
# Generator.identity, 35 % pool, 35 % tail, 20 % a father's name, 10 % bin/abu X).
TAIL_SHARE = {"russia": 0.6, "central_asia": 0.4, "west_africa": 0.35, "latam": 0.3}
TAIL_SHARE.update(dict.fromkeys(("fr", "de", "nl", "it", "en"), 0.5))
FRANCO = {"MAR", "DZA", "TUN", "LBN", "SYR", "MRT"}  # Arabic names mostly spelt the French way

# ============================================================================ transliteration
# --- Arabic names: our canonical transcription -> Arabic script, Latin spellings, Cyrillic.
_DIGRAPH_UNITS = ("kh", "sh", "th", "dh", "gh", "aa", "ii", "uu")
_SHORT, _LONG = set("aiu"), {"aa", "ii", "uu", "A"}
_SUN = ("t", "th", "d", "dh", "r", "z", "s", "sh", "S", "D", "T", "Z", "l", "n")
_AR = dict(
    zip(
        _words("b t th j H kh d dh r z s sh S D T Z ' gh f q k l m n h w y"),
        _words("ب ت ث ج ح خ د ذ ر ز س ش ص ض ط ظ ع غ ف ق ك ل م ن ه و ي"),
        strict=True,
    )
)
_AR_WORDS = {"allaah": "الله", "abu": "أبو", "bin": "بن", "ibn": "ابن"}
_AR_CYR = dict(
    zip(
        _words("b t th j H kh d dh r z s sh S D T Z ' gh f q k l m n h w y 2"),
        _words("б т с дж х х д з р з с ш с д т з 0 г ф к к л м н г в й 0"),
        strict=True,
    )
)


def _closed(units: list[str], i: int) -> bool:
    """Is the vowel at i in the last syllable, closed by a final consonant (Ahm-a-d, Muhamm-a-d)?"""
    return i == len(units) - 2 and units[-1] not in _SHORT | _LONG | {"h", "'", "2", ""}


def _units(word: str) -> list[str]:
    """'ibraahiim' -> ['i', 'b', 'r', 'aa', 'h', 'ii', 'm']; '.' separates letters ('ad.ham')."""
    out, i = [], 0
    while i < len(word):
        if word[i] == ".":
            i += 1
            continue
        pair = word[i : i + 2]
        if pair in _DIGRAPH_UNITS:
            out.append(pair)
            i += 2
        else:
            out.append(word[i])
            i += 1
    return out


def arabic_script(canon: str) -> str:
    """Arabic letters without short vowels: 'muHammad' -> محمد, 'faaTimah' -> فاطمة."""
    words = []
    for word in canon.split():
        article = word.startswith("al-")
        if article:
            word = word[3:]
        if word in _AR_WORDS:
            words.append(_AR_WORDS[word])
            continue
        units, letters = _units(word), []
        for i, u in enumerate(units):
            first, last = i == 0, i == len(units) - 1
            prev = units[i - 1] if i else ""
            if u in _SHORT:
                if first and not article:
                    letters.append("إ" if u == "i" else "أ")
                elif first:
                    letters.append("ا")
                elif last and u == "i":
                    letters.append("ي")
            elif u in _LONG:
                if first:
                    letters.append({"aa": "آ", "A": "آ", "ii": "إي", "uu": "أو"}[u])
                elif u == "aa" and last:
                    letters.append("ى")
                else:
                    letters.append({"aa": "ا", "A": "ا", "ii": "ي", "uu": "و"}[u])
            elif u == "h" and last and prev == "a":
                letters.append("ة")
            elif u == "2":
                letters.append("ء" if last else "ئ")
            elif u != prev:  # a doubled letter is written once (no shadda)
                letters.append(_AR[u])
        words.append(("ال" if article else "") + "".join(letters))
    return " ".join(words)


def arabic_cyrillic(canon: str, rng: random.Random) -> str:
    """An Arabic name as a Russian-language list writes it: 'ibraahiim' -> Ибрагим."""
    words = []
    for word in canon.split():
        article = word.startswith("al-")
        if article:
            word = word[3:]
        units, out = _units(word), []
        for i, u in enumerate(units):
            last = i == len(units) - 1
            prev = units[i - 1] if i else ""
            if u in _SHORT or u in _LONG:
                if prev == "y" and u in ("a", "aa", "A", "u", "uu"):
                    out[-1] = "я" if u in ("a", "aa", "A") else "ю"
                    continue
                if u == "a" and i and _closed(units, i) and rng.random() < 0.35:
                    out.append("е")  # Ахмед, Мухаммед
                elif u == "u" and rng.random() < 0.3:
                    out.append("о")  # Омар, Осман
                else:
                    out.append({"a": "а", "aa": "а", "A": "а", "i": "и", "ii": "и", "u": "у", "uu": "у"}[u])
            elif u == "h" and last and prev == "a":
                continue  # Фатима
            elif u == prev and rng.random() < 0.3:
                continue
            else:
                letter = _AR_CYR[u]
                if u == "h" and rng.random() < 0.2:
                    letter = "х"
                elif u == "H" and rng.random() < 0.1:
                    letter = "г"  # Гасан, as in the Caucasus
                if letter == "0":
                    continue
                if u == "l" and last and rng.random() < 0.5:
                    letter = "ль"  # Исмаиль, Джамаль
                out.append(letter)
        text = "".join(out)
        if not text:
            continue
        text = text[0].upper() + text[1:]
        if article:
            r = rng.random()
            text = ("Аль-" if r < 0.6 else "Ал-" if r < 0.7 else "") + text
        words.append(text)
    return " ".join(words)


# Latin spelling of one unit, per style: {unit: [(text, weight), ...]}.
_LATIN_COMMON = {
    "b": "b", "t": "t", "th": "th", "j": "j", "H": "h", "kh": "kh", "d": "d", "dh": "dh", "r": "r",
    "z": "z", "s": "s", "sh": "sh", "S": "s", "D": "d", "T": "t", "Z": "z", "gh": "gh", "f": "f",
    "q": "q", "k": "k", "l": "l", "m": "m", "n": "n", "h": "h", "w": "w", "y": "y",
}  # fmt: skip
_LATIN_STYLE = {
    "scholarly": {"a": [("a", 1)], "aa": [("a", 1)], "A": [("a", 1)], "i": [("i", 1)], "ii": [("i", 1)],
                  "u": [("u", 1)], "uu": [("u", 1)], "'": [("'", 1)], "2": [("'", 1)]},
    "anglo": {"a": [("a", 1)], "aa": [("a", 9), ("aa", 1)], "A": [("a", 1)], "i": [("i", 4), ("e", 1)],
              "ii": [("i", 6), ("ee", 4)], "u": [("u", 1), ("o", 1)], "uu": [("u", 6), ("oo", 3), ("ou", 1)],
              "'": [("", 1)], "2": [("", 1)], "q": [("q", 7), ("k", 3)], "dh": [("dh", 6), ("z", 4)],
              "Z": [("z", 1), ("dh", 1)], "D": [("d", 4), ("dh", 1)]},
    "franco": {"a": [("a", 1)], "aa": [("a", 1)], "A": [("a", 1)], "i": [("i", 4), ("e", 1)], "ii": [("i", 1)],
               "u": [("ou", 6), ("o", 4)], "uu": [("ou", 1)], "'": [("", 1)], "2": [("", 1)],
               "sh": [("ch", 1)], "j": [("dj", 1), ("j", 1)], "q": [("k", 1), ("q", 1)],
               "th": [("t", 1), ("th", 1)], "dh": [("d", 1), ("dh", 1)], "w": [("w", 1), ("ou", 1)]},
}  # fmt: skip


def _pick(rng: random.Random, options: list[tuple[str, int]]) -> str:
    if len(options) == 1:
        return options[0][0]
    total = sum(w for _, w in options)
    r = rng.random() * total
    for text, w in options:
        r -= w
        if r < 0:
            return text
    return options[-1][0]


def _latin_word(word: str, style: str, rng: random.Random) -> str:
    units = _units(word)
    table = _LATIN_STYLE[style]
    out = []
    for i, u in enumerate(units):
        first, last = i == 0, i == len(units) - 1
        prev = units[i - 1] if i else ""
        nxt = units[i + 1] if not last else ""
        after = units[i + 2] if i + 2 < len(units) else ""
        if u == "h" and last and prev == "a":  # ta marbuta
            if style == "franco" or (style == "anglo" and rng.random() < 0.5):
                continue
            out.append("h")
            continue
        if u in ("'", "2") and first:
            continue
        if u == "a" and nxt in ("y", "w") and (not after or after not in _SHORT | _LONG):
            # a diphthong: Husayn / Hussein / Houssein, Shawqi / Chawki
            if nxt == "y":
                text = "ay" if style == "scholarly" else _pick(rng, [("ay", 4), ("ai", 3), ("ei", 3)])
            else:
                text = "aw" if style == "scholarly" else _pick(rng, [("aw", 5), ("ou", 3), ("ow", 2)])
            out.append(text)
            units[i + 1] = ""  # consumed
            continue
        if u == "":
            continue
        if u == "a" and style != "scholarly" and _closed(units, i):
            out.append("e" if rng.random() < (0.45 if style == "anglo" else 0.3) else "a")
            continue
        if u == "w" and style == "franco" and (first or prev in _SHORT | _LONG) and nxt in _SHORT | _LONG:
            out.append(_pick(rng, [("ou", 1), ("w", 1)]))
            continue
        single = {"scholarly": 0.0, "anglo": 0.3, "franco": 0.4}[style]
        if u == prev and u not in _SHORT | _LONG and rng.random() < single:  # a doubled consonant
            continue
        text = _pick(rng, table[u]) if u in table else _LATIN_COMMON.get(u, u)
        if u == "i" and last:
            text = "i"  # Ali, never Ale
        if u == "s" and style == "franco" and prev in _SHORT | _LONG and nxt in _SHORT | _LONG:
            text = "ss"  # Youssef, Moussa
        out.append(text)
    text = "".join(out)
    if (
        style == "franco"
        and text.endswith(("an", "in"))
        and units[-2:-1] in (["aa"], ["ii"])
        and rng.random() < 0.6
    ):
        text += "e"  # Othmane, Slimane, Yassine
    return text.capitalize() if text else text


def arabic_latin(canon: str, style: str, rng: random.Random) -> str:
    """One Latin spelling of a canonical Arabic name in a style (scholarly, anglo, franco)."""
    words = canon.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if word == "'abd" and nxt:
            rest = nxt[3:] if nxt.startswith("al-") else nxt
            if rest == "allaah":
                out.append(
                    _pick(
                        rng,
                        {
                            "scholarly": [("Abd Allah", 1), ("Abdallah", 1)],
                            "anglo": [("Abdullah", 5), ("Abdulla", 2), ("Abdallah", 2), ("Abd Allah", 1)],
                            "franco": [("Abdallah", 1), ("Abdellah", 1)],
                        }[style],
                    )  # fmt: skip
                )
                i += 2
                continue
            stem = _latin_word(rest, style, rng)
            sun = _units(rest)[0] in _SUN
            if style == "scholarly":
                form = "Abd a" + (stem[0].lower() if sun and rng.random() < 0.3 else "l") + "-" + stem
            elif style == "anglo":
                form = _pick(rng, [("Abdul " + stem, 3), ("Abdul" + stem.lower(), 2), ("Abd al-" + stem, 1),
                                   ("Abdel " + stem, 1), ("Abdur " + stem if sun and stem[0] == "R" else
                                                          "Abdul-" + stem, 1)])  # fmt: skip
            else:
                glued = "Abde" + (stem[0].lower() * 2 + stem[1:] if sun else "l" + stem.lower())
                form = _pick(
                    rng, [("Abdel " + stem, 3), ("Abdel" + stem.lower(), 2), (glued, 3), ("Abdel-" + stem, 1)]
                )
            out.append(form)
            i += 2
            continue
        if nxt.startswith("al-") and word not in ("abu", "bin", "ibn") and nxt[3:] == "diin":
            stem = _latin_word(word, style, rng)
            if style == "anglo" and rng.random() < 0.5:
                out.append(stem + "uddin")
            elif style == "franco" and rng.random() < 0.6:
                out.append(stem + "eddine")
            else:
                out.append(stem + (" ed-Din" if style == "franco" else " al-Din"))
            i += 2
            continue
        if word in ("abu", "bin", "ibn"):
            out.append(
                _pick(
                    rng,
                    {
                        "abu": [("Abu", 3), ("Abou", 2 if style == "franco" else 0)],
                        "bin": [("Bin", 3), ("Ben", 2 if style == "franco" else 0)],
                        "ibn": [("Ibn", 3), ("Ben", 1 if style == "franco" else 0)],
                    }[word],
                )  # fmt: skip
            )
            i += 1
            continue
        if word.startswith("al-"):
            stem = _latin_word(word[3:], style, rng)
            if style == "scholarly":
                out.append("al-" + stem)
            elif style == "anglo":
                out.append(
                    _pick(rng, [("Al-" + stem, 9), ("Al " + stem, 4), ("Al" + stem.lower(), 3), (stem, 4)])
                )
            else:
                out.append(_pick(rng, [("El-" + stem, 7), ("El " + stem, 3), ("Al-" + stem, 4), (stem, 6)]))
            i += 1
            continue
        out.append(_latin_word(word, style, rng))
        i += 1
    return " ".join(w for w in out if w)


# --- Cyrillic names -> Latin, six romanisation tables.
_RU_BASE = dict(
    zip(
        _words("а б в г д е ё ж з и й к л м н о п р с т у ф х ц ч ш щ ъ ы ь э ю я"),
        _words("a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch 0 y 0 e yu ya"),
        strict=True,
    )
)
_RU_SYSTEMS = {
    "icao": {**_RU_BASE, "й": "i", "ъ": "ie", "ю": "iu", "я": "ia"},
    "old_passport": dict(_RU_BASE),
    "bgn": {**_RU_BASE, "ё": "yo"},
    "french": {
        **_RU_BASE,
        "у": "ou",
        "ж": "j",
        "ш": "ch",
        "ч": "tch",
        "щ": "chtch",
        "й": "i",
        "ю": "iou",
        "я": "ia",
        "ё": "io",
        "х": "kh",
    },  # fmt: skip
    "german": {
        **_RU_BASE,
        "в": "w",
        "ж": "sch",
        "ш": "sch",
        "ч": "tsch",
        "щ": "schtsch",
        "ц": "z",
        "з": "s",
        "й": "j",
        "ю": "ju",
        "я": "ja",
        "х": "ch",
        "ё": "jo",
    },  # fmt: skip
    "english": {**_RU_BASE, "ё": "yo"},
}
RU_LIST_STYLES = ("icao", "old_passport", "bgn", "french", "german", "english")
RU_PASSPORT_STYLES = ("icao", "old_passport")
_RU_VOWELS = set("аеёиоуыэюяъь")


def romanise(cyrillic: str, system: str) -> str:
    """Cyrillic -> Latin by one of the tables: 'Юлия' -> Iuliia (icao), Yuliya (old_passport)."""
    table = _RU_SYSTEMS[system]
    words = []
    for word in cyrillic.split():
        low = word.lower()
        out = []
        for i, ch in enumerate(low):
            prev = low[i - 1] if i else ""
            nxt = low[i + 1] if i + 1 < len(low) else ""
            text = table.get(ch, ch)
            if ch == "-":
                text = "-"
            elif ch == "е" and system in ("bgn", "english") and (not prev or prev in _RU_VOWELS):
                text = "ye"
            elif ch == "е" and system == "german" and (not prev or prev in _RU_VOWELS):
                text = "je"
            elif ch == "й" and prev in ("и", "ы") and not nxt and system in ("bgn", "english"):
                text = "y"
                if out:
                    out[-1] = "i"  # Yevgeniy
            elif ch == "г" and system == "french" and nxt in ("е", "и", "ё"):
                text = "gu"  # Serguei
            elif ch == "с" and system in ("french", "german") and prev in _RU_VOWELS and nxt in _RU_VOWELS:
                text = "ss"
            elif ch == "к" and nxt == "с" and system == "english":
                text = "x"
            elif ch == "с" and prev == "к" and system == "english":
                text = ""
            out.append("" if text == "0" else text)
        text = "".join(out)
        words.append("-".join(p.capitalize() for p in text.split("-")))
    return " ".join(words)


# --- Latin names -> Cyrillic, as a Russian-language list would write a Western name.
_WEST_CYR_MULTI = [
    ("sch", "ш"), ("tch", "ч"), ("sh", "ш"), ("th", "т"), ("ph", "ф"), ("ck", "к"), ("qu", "к"),
    ("ee", "и"), ("oo", "у"), ("ou", "у"), ("ae", "э"), ("oe", "ё"), ("ue", "ю"), ("ñ", "нь"),
]  # fmt: skip
_WEST_CYR_LANG = {
    "fr": [("eau", "о"), ("ean", "ан"), ("rre", "р"), ("ie", "ье"), ("eu", "ё"), ("oi", "уа"), ("gn", "нь"), ("u", "ю")],
    "de": [("ie", "и"), ("ei", "ай"), ("eu", "ой"), ("tz", "ц")],
    "nl": [("ij", "ей"), ("oe", "у"), ("ui", "ой"), ("aa", "а")],
    "es": [("ll", "ль"), ("que", "ке"), ("qui", "ки"), ("gue", "ге"), ("gui", "ги")],
    "it": [("gli", "льи"), ("gn", "нь"), ("cc", "чч"), ("ch", "к")],
    "en": [],
}  # fmt: skip
_WEST_CYR = dict(
    zip(
        _words("a b d e f g i k l m n o p r s t u v x z ä ö ü ß é è ê ë á í ó ú ï ç ã"),
        _words("а б д е ф г и к л м н о п р с т у в кс з э ё ю сс е е е е а и о у и с ан"),
        strict=True,
    )
)
_WEST_LANG = {  # ch, j, h, y, w, c before e/i, z
    "en": ("ч", "дж", "х", "и", "у", "с", "з"),
    "fr": ("ш", "ж", "", "и", "в", "с", "з"),
    "de": ("х", "й", "х", "и", "в", "ц", "ц"),
    "nl": ("х", "й", "х", "ей", "в", "с", "з"),
    "it": ("к", "дж", "", "и", "в", "ч", "ц"),
    "es": ("ч", "х", "", "и", "у", "с", "с"),
}


def latin_cyrillic(latin: str, lang: str) -> str:
    ch_, j_, h_, y_, w_, ce_, z_ = _WEST_LANG[lang]
    words = []
    for word in latin.lower().replace("'", "").split():
        out, i = [], 0
        while i < len(word):
            for a, b in _WEST_CYR_LANG[lang] + _WEST_CYR_MULTI:
                if word.startswith(a, i):
                    out.append(b)
                    i += len(a)
                    break
            else:
                c = word[i]
                nxt = word[i + 1] if i + 1 < len(word) else ""
                if c == "c":
                    out.append("ч" if nxt == "h" and ch_ == "ч" else (ce_ if nxt in ("e", "i") else "к"))
                    i += 2 if nxt == "h" else 1
                    continue
                if c == "e" and i == 0:
                    out.append("э")
                elif c in "jhywz":
                    out.append({"j": j_, "h": h_, "y": y_, "w": w_, "z": z_}[c])
                else:
                    out.append(_WEST_CYR.get(c, c if c == "-" else ""))
                i += 1
        text = "".join(out)
        if lang == "fr" and len(text) > 3 and text.endswith("е"):
            text = text[:-1]  # a mute final e
        if text:
            words.append("-".join(p[:1].upper() + p[1:] for p in text.split("-")))
    return " ".join(words)


# ============================================================================ name pools
def _variants(text: str) -> list[tuple[str, ...]]:
    """'Mamadou/Mamadu, Diallo/Jallow' -> [('Mamadou', 'Mamadu'), ('Diallo', 'Jallow')]."""
    return [tuple(v.strip() for v in item.split("/")) for item in text.split(",") if item.strip()]


ARAB_M = _words("""
muHammad aHmad 'ali maHmuud muSTafaa Hasan Husayn ibraahiim yuusuf 'umar khaalid 'abd_allaah 'uthmaan
'abd_al-raHmaan saalim 'abd_al-'aziiz sa'iid Saalih 'abd_al-kariim Taariq ziyaad faySal fahd 'abd_al-qaadir
jamaal kamaal kariim naaSir raashid samiir sulaymaan waliid yaasir yaHyaa yuunus 'abd_al-naaSir Hamzah
bilaal anwar ashraf ayman ismaa'iil isHaaq ilyaas 'iisaa muusaa haaruun idriis jibriil qaasim haashim
'aadil 'aamir 'ammaar 'imaad ghassaan haytham hishaam muniir muraad nizaar 'abd_al-Hamiid majiid nabiil
faaris faaruuq riDA Taahaa zakariyyA raamii shariif Sabrii Talaal waa2il 'adnaan badr jaabir jawaad
nuur_al-diin SalaaH_al-diin 'izz_al-diin khaliil Hamiid Hamad Haamid marwaan 'abbaas 'abd_al-salaam
'abd_al-laTiif 'abd_al-raHiim 'abd_al-majiid salmaan mundhir quSayy ra'd mu'aawiyah
""")
ARAB_F = _words("""
faaTimah 'aa2ishah khadiijah maryam zaynab amiinah laylaa nuur hudaa salmaa ranA rashA Hanaan samiirah
jamiilah naadiyah saarah asmaa2 hind lubnaa 'abiir dunyA iimaan kawthar ruqayyah hibah yaasmiin ghaadah
najwaa raaniyah sumayyah Safiyyah 'aliyah manaal
""")
ARAB_FAMILY = _words("""
al-rashiid al-haashimii al-tikriitii al-maSrii al-baghdaadii manSuur Haddaad al-Halabii khaliil Saalih
al-dimashqii al-'iraaqii al-yamanii al-shariif al-qurashii al-zahraanii al-ghaamidii al-'utaybii
al-shammarii al-dawsarii al-qaHTaanii al-Harbii al-anSaarii al-Hakiim al-najjaar khayyaaT najjaar
Sabbaagh 'aTTaar naaSir jaabir 'awaD ramaDaan sha'baan 'abbaas qaasim salaamah barakaat darwiish
shaahiin Hamdaan zaydaan ghaanim jum'ah ma'ruuf mubaarak bakr abu_bakr abu_zayd bin_laadin bin_saalim
'alawii faraj ghazaal Hijaazii kaamil fawzii ramzii Siddiiq zakii 'ubayd kaaZim 'askarii sayyid
al-jabbuurii al-duurii al-'ubaydii al-'azzaawii al-mawSilii al-baSrii al-kuwaytii al-filisTiinii
al-suudaanii al-liibii al-tuunisii al-jazaa2irii al-maghribii
""")
RU_M = _words("""
Александр Сергей Дмитрий Андрей Алексей Михаил Владимир Иван Николай Евгений Игорь Юрий Виктор Олег
Павел Максим Роман Денис Артём Константин Вадим Антон Илья Кирилл Никита Руслан Вячеслав Валерий
Анатолий Геннадий Борис Григорий Пётр Фёдор Станислав Василий Леонид Георгий Егор Тимофей Степан
Ярослав Эдуард Аркадий Матвей
""")
RU_F = _words("""
Елена Ольга Наталья Татьяна Ирина Светлана Анна Мария Екатерина Юлия Марина Галина Людмила Анастасия
Ксения Дарья Валентина Оксана Алёна Вера Нина Полина Лариса Жанна Кристина Софья Яна Евгения
""")
RU_SURNAMES = _words("""
Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов Волков Алексеев
Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Никитин Захаров Зайцев
Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов Александров Дмитриев
Королёв Гусев Киселёв Ильин Максимов Поляков Сорокин Виноградов Ковалёв Белов Медведев Антонов
Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов Осипов Сидоров Матвеев
Титов Марков Миронов Крылов Куликов Карпов Власов Мельников Денисов Гаврилов Тихонов Казаков
Афанасьев Данилов Савельев Тимофеев Фомин Чернов Абрамов Мартынов Ефимов Федотов Щербаков Назаров
Калинин Исаев Чернышёв Быков Маслов Родионов Коновалов Лазарев Воронин Климов Филатов Пономарёв
Голубев Кудрявцев Прохоров Наумов Потапов Журавлёв Овчинников Трофимов Леонов Соболев Ермаков
Колесников Гончаров Емельянов Никифоров Грачёв Котов Гришин Ефремов Архипов Громов Кириллов Малышев
Панов Моисеев Румянцев Акимов Кондратьев Бирюков Горбунов Анисимов Ерёмин Тихомиров Галкин Лукьянов
Покровский Вишневский Высоцкий Островский Черных Шевченко Бондаренко Коваленко Ткаченко Кравченко
""")
RU_ROOTS = _words("""
Берез Волк Ворон Голуб Гусь Дуб Жук Зайц Зим Кедр Клен Коз Комар Кот Кузнец Лебед Лис Лун Медвед Мороз
Орл Пахом Рыб Сем Снег Сокол Сорок Тих Ум Хлеб Чайк Шуб Ястреб Бел Черн Красн Зелен Сед Добр Мал
Велик Горш Бочар Гончар Мельник Плотник Сапож Ткач Бондар Столяр Пекар Рыбак Косар Пастух Дьяк Поп
""")
CA_M = _words("""
Рустам Тимур Нурлан Ерлан Асхат Бахтиёр Шерзод Фарход Улугбек Жасур Азамат Бекзод Даврон Дилшод
Равшан Санжар Алишер Акмал Ильхом Нодир Отабек Зафар Фаррух Жамшид Умид Сардор Бобур Анвар Рашид
Камол Айбек Нурсултан Даулет Аскар Бахром Шухрат Улан Мурат Эльдар
""")
CA_F = _words("""
Дильноза Гульнара Малика Нигора Шахноза Зарина Динара Айгуль Асель Мадина Камила Феруза Лола Нодира
Севара Гулнора Айжан Жибек Алия Сабина
""")
CA_SURNAMES = _words("""
Каримов Рахимов Юсупов Абдуллаев Назаров Султанов Исмаилов Алиев Мамедов Гасанов Гусейнов Ибрагимов
Магомедов Ахмедов Расулов Умаров Хасанов Турсунов Эргашев Холматов Муминов Усманов Саидов Халилов
Мирзаев Азимов Насыров Жумабаев Нурмагомедов Кадыров Байрамов Рустамов Шарипов Бакиев Садыков
Тохтаров Нуриев Сулейманов Мусаев Валиев Джураев Файзуллаев Ташкентов Амиров Исаев Юлдашев Сафаров
""")
WA_M = _variants("""
Mamadou/Mamadu/Mamoudou, Ibrahima, Abdoulaye/Abdulai/Abdoulai, Moussa/Musa, Ousmane/Usman/Osman,
Amadou/Ahmadou/Amadu, Boubacar/Bubacarr/Aboubacar, Souleymane/Suleiman/Sulaiman, Seydou/Seidu,
Cheikh/Sheikh, Modou/Modu, Lamine/Lamin, Aliou/Alieu/Aliyu, Idrissa/Idrisa, Adama, Bakary/Bakari,
Oumar/Umaru, Salif/Salifou, Yacouba/Yakubu, Issa/Isa, Kwame/Kouame, Kofi/Koffi, Kwabena, Kwaku/Kouakou,
Yaw/Yao, Kwesi/Kwasi/Kouassi, Kojo/Kodjo, Emmanuel, Samuel, Daniel, Joseph, Ebenezer, Emeka, Chukwuemeka,
Chinedu, Obinna, Ikechukwu, Nnamdi, Olusegun, Oluwaseun/Oluseun, Adebayo, Babatunde, Olumide, Tunde,
Femi, Kayode, Gbenga, Youssouf/Yusuf/Yussuf, Sani, Garba, Abubakar/Aboubakar, Aminu, Bello, Kossi/Kosi,
Komlan, Koami/Kwami, Edem, Sena
""")
WA_F = _variants("""
Aminata/Aminatou, Fatoumata/Fatumata/Fatimata, Mariama/Mariame, Kadiatou/Kadiatu/Khadidiatou, Awa,
Aissatou/Aishatu/Aysatou, Hawa/Haoua, Fanta, Binta, Oumou/Umu, Ramatoulaye/Ramatu, Akosua, Ama, Abena,
Adjoa/Adwoa, Afua/Afia, Efua, Akua, Yaa, Ngozi, Chioma, Adaeze, Nkechi, Funmilayo, Folake, Yetunde,
Abimbola, Blessing, Grace, Comfort, Patience, Esther, Mercy, Dzifa, Enyonam, Akpene
""")
WA_SURNAMES = _variants("""
Diallo/Jallow/Jalloh/Djalo, Traoré/Traore, Koné/Kone, Coulibaly/Kulibali/Kulibaly, Ouédraogo/Wedraogo,
Sow/Sowe, Ba/Bah, Barry/Bari, Ndiaye/Njie, Diop/Jobe, Fall/Faal, Sy, Keita/Keïta, Camara/Kamara,
Touré/Toure/Ture, Cissé/Sisse/Sisay, Diarra/Jarra, Sanogo, Konaté/Konate, Sangaré/Sangare,
Doumbia/Dumbuya, Kouyaté/Kuyateh, Dembélé/Dembele, Bamba, Ouattara/Wattara, Yéo/Yeo, Kouadio/Kwadwo,
Konan, N'Guessan/Nguessan, Mensah/Mensa, Owusu, Asante/Ashanti, Boateng, Osei, Agyeman/Agyemang,
Appiah/Apia, Addo, Amoah, Darko, Ofori, Quaye, Ansah, Acheampong/Achampong, Okafor, Okonkwo, Eze, Nwosu,
Obi, Okeke, Nwachukwu, Okoro, Adeyemi, Ogunleye, Balogun, Bello, Abubakar, Lawal, Agbeko, Amouzou,
Ayivi, Kpodar, Gnassingbé/Gnassingbe, Adjovi, Houngbédji/Hounkpati, Hounsou, Tchalla, Kokou, Akakpo,
Dossou, Gbaguidi, Zinsou, Tossou, Lawson, Johnson, Wilson, Coker, Sesay/Sessay, Bangura, Conteh/Konte,
Turay/Touray, Kanu, Fofana/Fofanah
""")
YORUBA_PREFIX = _words("Ade Olu Oluwa Ola Oba Ayo Bola Ife Fola Ogun Oye Afo Ibi Ajo")
YORUBA_STEM = _words(
    "bayo yemi seun tunde wale kunle dele mide sola dapo gbenga tola bisi lade femi seyi toyin yinka kanmi"
)
IGBO = [
    p + s
    for p in ("Chukwu", "Nwa", "Oko", "Ezi", "Obi")
    for s in ("emeka", "di", "nonso", "dubem", "kelu", "ma")
]
LATAM_M = _variants("""
José, Juan, Luis, Carlos, Jorge, Miguel, Jesús, Pedro, Francisco, Manuel, Alejandro, Javier, Fernando,
Ricardo, Eduardo, Roberto, Rafael, Sergio, Andrés, Diego, Óscar, Raúl, Héctor, Víctor, Gustavo, Alberto,
Julio, Mario, Hugo, Pablo, Ramón, Rubén, Arturo, Enrique, Guillermo, Gerardo, Ernesto, Iván, Édgar/Edgard,
Wilmer/Wilmar, Yeison/Jeison, Jhon/John, Jaime, Álvaro, Mauricio, Nelson, Omar, Ángel, Cristian/Christian,
Esteban, Jonatan/Jonathan, Yerson/Jerson
""")
LATAM_F = _variants("""
María, Ana, Carmen, Rosa, Luz, Gloria, Martha/Marta, Sandra, Claudia, Patricia, Diana, Paola, Carolina,
Andrea, Natalia, Daniela, Alejandra, Mónica, Adriana, Verónica, Lucía, Isabel, Guadalupe, Yolanda,
Ximena/Jimena, Yesenia/Jessenia, Leidy/Leydi/Lady, Katherine/Katerine, Yennifer/Jennifer,
Elizabeth/Elisabeth, Johana/Yohana/Joana
""")
LATAM_SURNAMES = _variants("""
González/Gonzales, Rodríguez/Rodrigues, Hernández/Hernandes, García, Martínez, López/Lopes, Pérez/Peres,
Sánchez/Sanches, Ramírez/Ramires, Torres, Flores, Rivera, Gómez/Gomes, Díaz/Dias, Cruz, Morales, Reyes,
Gutiérrez/Gutierres, Ortiz/Ortis, Ruiz/Ruis, Mendoza/Mendosa, Castillo, Jiménez/Ximénez/Giménez, Vargas,
Romero, Herrera, Medina, Aguilar, Moreno, Castro, Vásquez/Vázquez, Suárez/Suares, Rojas, Guerrero, Ramos,
Restrepo, Cárdenas, Ospina, Valencia, Zapata, Arango, Quintero, Salazar/Salasar, Escobar, Henao, Gaviria,
Londoño/Londono, Montoya, Mejía/Megia, Ochoa, Orozco/Orosco, Osorio, Pineda, Villegas, Zambrano,
Álvarez/Alvares, Figueroa, Ibarra, Jaramillo, Muñoz/Munoz, Navarro, Ríos, Sandoval, Silva, Soto,
Trujillo, Vega, Velásquez/Velazquez, Cabrera, Carrillo, Contreras, Domínguez, Espinoza/Espinosa, Fuentes,
Guzmán, Ibáñez, Lara, León, Luna, Maldonado, Marín, Molina, Núñez, Peña, Quiroga, Rincón, Salinas,
Serrano, Tapia, Toro, Urrego, Villalobos
""")
EUROPE = {
    "fr": (
        _variants("""Jean, Pierre, Jean-Pierre, Jean-Luc, Michel, Philippe, Alain, Nicolas, François, Laurent,
        Julien, Sébastien, Christophe, Olivier, Thierry, Frédéric, Stéphane, Patrick, Éric, Guillaume, Antoine,
        Mathieu/Matthieu, Hugues, Yves"""),
        _variants("""Marie, Nathalie, Isabelle, Sylvie, Catherine, Sophie, Céline, Valérie, Christine, Sandrine,
        Aurélie, Camille, Élodie, Stéphanie, Émilie"""),
        _variants("""Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, Moreau, Simon,
        Laurent, Lefebvre/Lefèvre/Lefevre, Michel, David, Bertrand, Roux, Vincent, Fournier, Morel, Girard,
        André, Mercier, Dupont, Lambert, Bonnet, François, Legrand, Garnier, Faure, Rousseau, Blanc, Guérin,
        Henry, Roussel, Perrin, Morin, Clément, Gauthier/Gautier, Dumont, Fontaine, Chevalier, Robin, Masson,
        Gérard, Boyer, Denis, Lemaire, Duval, Joly, Gaillard, Brun, Barbier, Arnaud, Martel"""),
    ),
    "de": (
        _variants("""Thomas, Michael, Andreas, Stefan/Stephan, Christian, Markus/Marcus, Frank/Franck,
        Jürgen/Juergen, Uwe, Klaus/Claus, Wolfgang, Dieter, Peter, Hans, Matthias/Mathias, Sebastian, Tobias,
        Florian, Alexander"""),
        _variants("""Sabine, Andrea, Petra, Claudia, Susanne, Stefanie/Stephanie, Katharina/Katarina, Anja,
        Birgit, Monika, Ursula, Jutta, Heike"""),
        _variants("""Müller/Mueller, Schmidt/Schmitt/Schmid, Schneider, Fischer, Weber, Meyer/Meier/Mayer/Maier,
        Wagner, Becker, Schulz/Schultz, Hoffmann/Hofmann, Schäfer/Schaefer, Koch, Bauer, Richter, Klein,
        Wolf/Wolff, Schröder/Schroeder, Neumann, Schwarz/Schwartz, Zimmermann/Zimmerman, Braun,
        Krüger/Krueger, Hartmann, Lange, Werner, Schmitz, Krause, Lehmann, Schulze, Köhler/Koehler,
        Herrmann/Hermann, König/Koenig, Walter/Walther, Huber, Kaiser/Kayser, Fuchs, Peters, Lang, Scholz,
        Möller/Moeller, Weiß/Weiss, Jung, Hahn, Schubert, Vogel, Friedrich, Keller, Günther/Guenther, Frank,
        Berger, Winkler, Roth, Beck, Lorenz, Baumann, Franke, Albrecht, Schuster, Ludwig, Böhm/Boehm, Winter,
        Kraus/Krauss, Schumacher/Schuhmacher, Krämer/Kraemer, Vogt/Voigt, Stein, Jäger/Jaeger, Otto, Sommer,
        Groß/Gross, Seidel, Heinrich, Brandt/Brand"""),
    ),
    "nl": (
        _variants("""Jan, Pieter, Hendrik/Henk, Johannes/Johan, Willem, Cornelis/Kees, Dirk, Gerrit, Jeroen,
        Bram, Ruud, Sander, Thijs/Tijs, Joost, Bas"""),
        _variants("""Anna, Maria, Johanna, Cornelia, Sanne, Femke, Lotte, Anouk, Eva, Inge, Marieke"""),
        _variants("""de Jong/De Jong/Dejong, Jansen/Janssen, de Vries/Devries, van den Berg/Vandenberg,
        van Dijk/Van Dyk/Vandijk, Bakker, Visser, Smit/Smits, Meijer, de Boer, Mulder, de Groot, Bos, Vos,
        Hendriks/Hendrickx, van Leeuwen, Dekker, Brouwer, de Wit/De Witt, Dijkstra, de Graaf, van der Meer,
        van der Linden, Kok, Jacobs, de Haan, Vermeulen, van den Heuvel, van der Veen, van den Broek,
        de Bruijn/de Bruin/De Bruyn, van der Heijden/Van der Heyden, Schouten, van Beek, Willems, van Vliet,
        Hoekstra, Maas, Verhoeven, Koster, van Dam, van der Wal, Prins, Blom, Huisman, Peeters, Maes,
        Claes/Claessens, Goossens, Wouters, De Smet, Mertens"""),
    ),
    "it": (
        _variants("""Giuseppe, Giovanni, Antonio, Mario, Francesco, Luigi, Angelo, Vincenzo, Pietro, Salvatore,
        Carlo, Franco, Domenico, Bruno, Paolo, Michele, Giorgio, Aldo, Sergio, Luciano, Marco, Alessandro,
        Matteo, Lorenzo"""),
        _variants("""Giuseppina, Rosa, Angela, Giovanna, Teresa, Lucia, Carmela, Francesca, Giulia, Chiara,
        Sara, Valentina, Elena"""),
        _variants("""Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco, Bruno,
        Gallo, Conti, De Luca/Deluca, Mancini, Costa, Giordano, Rizzo, Lombardi, Moretti, Barbieri, Fontana,
        Santoro, Mariani, Rinaldi, Caruso, Ferrara, Galli, Martini, Leone, Longo, Gentile, Martinelli,
        Vitale, Lombardo, Serra, Coppola, De Santis, D'Angelo/Dangelo, Marchetti, Parisi, Villa, Conte,
        Ferraro, Ferri, Fabbri, Bianco, Marini, Grasso, Valentini, Messina, Sala, De Angelis, Gatti,
        Pellegrini, Palumbo, Sanna, Farina, Rizzi, Monti, Cattaneo, Morelli, Amato, Silvestri, Mazza, Testa,
        D'Amico/Damico, Orlando, Negri"""),
    ),
    "en": (
        _variants("""James, John, Robert, Michael, William, David, Richard, Joseph, Thomas, Charles,
        Christopher, Daniel, Matthew/Mathew, Anthony/Antony, Mark/Marc, Steven/Stephen, Paul, Andrew, Kevin,
        Brian/Bryan, George, Edward, Timothy, Jason, Jeffrey/Geoffrey, Ryan, Gary/Garry, Nicholas,
        Jonathan/Jonathon, Stuart/Stewart, Sean/Shaun/Shawn"""),
        _variants("""Mary, Patricia, Jennifer, Linda, Elizabeth/Elisabeth, Barbara, Susan, Jessica, Sarah/Sara,
        Karen, Lisa, Margaret, Ashley, Kimberly/Kimberley, Emily, Michelle, Amanda, Melissa, Deborah/Debra,
        Rebecca, Laura, Catherine/Katherine/Kathryn, Helen"""),
        _variants("""Smith, Jones, Williams, Taylor, Brown, Davies/Davis, Evans, Wilson, Thomas, Johnson,
        Roberts, Robinson, Thompson/Thomson, Wright, Walker, White, Edwards, Hughes, Green, Hall, Lewis,
        Harris, Clarke/Clark, Patel, Jackson, Wood, Turner, Cooper, Hill, Ward, Morris, Moore, Lee/Leigh,
        King, Baker, Harrison, Morgan, Allen/Allan, Scott, Phillips/Philips, Watson, Parker, Price,
        Bennett/Bennet, Young, Griffiths/Griffith, Mitchell, Kelly/Kelley, Cook/Cooke, Carter, Richardson,
        Bailey, Collins, Bell, Shaw, Murphy, Miller, Cox, Marshall, Anderson/Andersen, Simpson, Ellis, Adams,
        Wilkinson, Foster, Chapman, Powell, Webb, Rogers, Gray/Grey, Mason, Hunt, Campbell, Matthews, Owen,
        Palmer, Holmes, Mills, Barnes, Knight, Lloyd, Butler, Russell, Fisher, Stevens/Stephens, Jenkins,
        Murray, Dixon, Graham, Pearson, Fletcher, Walsh, Gibson, Howard, Elliott/Elliot, Reynolds,
        Saunders/Sanders, Payne, Pearce/Pierce, O'Brien/OBrien, Macdonald/McDonald, McCarthy/MacCarthy,
        O'Neill/ONeill, Reid/Reed"""),
    ),
}


# --- generated long tails of surnames (a million entries need tens of thousands of surnames)
_AR_ROOT_LETTERS = _words("b t j H kh d r z s sh S T ' gh f q k l m n h b d r s k l m n f q H")
_AR_PATTERNS = _words("1a2ii3 1a22aa3 1aa2i3 ma1.2uu3 1u2ay3 1a2a3 1i2aa3 1a2aa3 mu1a22i3 1u2uu3 ma1.2a3")


def arabic_tail(rng: random.Random, n: int) -> list[str]:
    """Family names in the canonical transcription from random roots and the patterns of
    Arabic names (kariim, najjaar, saalim, manSuur, Husayn ...), some as "al-" and a nisba."""
    out: dict[str, None] = {}
    while len(out) < n:
        root = rng.sample(_AR_ROOT_LETTERS, 3)
        if len(set(root)) < 3:
            continue
        word = rng.choice(_AR_PATTERNS)
        for digit, letter in zip("123", root, strict=True):
            word = word.replace(digit, letter)
        r = rng.random()
        if r < 0.35:
            word = "al-" + word + "ii"
        elif r < 0.55:
            word = "al-" + word
        out[word] = None
    return list(out)


def russian_tail(rng: random.Random, n: int) -> list[str]:
    first = _words("Б В Г Д З К Л М Н П Р С Т Ф Х Ч Ш Бр Гр Др Кр Пр Тр Ст Сл См Гл Пл Сп Зв Бел Чер Сер Ков")
    second = _words("б в г д з к л м н п р с т х ч ш ш к н л р в д т м")
    codas = ["", "", "", "", "", "л", "н", "р", "к", "в", "д", "т", "м", "с"]
    suffixes = ["ов"] * 10 + ["ин"] * 5 + ["ский"] * 2 + ["енко"] * 2 + ["ук"]
    out: dict[str, None] = {}
    while len(out) < n:
        stem = rng.choice(first) + rng.choice("аоеуи") + rng.choice(codas)
        if rng.random() < 0.7:
            stem += rng.choice(second) + rng.choice("аоеуи") + rng.choice(codas[:9])
        suffix = rng.choice(suffixes)
        if stem[-1] in "аоеуи":
            stem = stem[:-1] if suffix[0] in "ие" else stem + "р"
        if suffix == "ов" and stem[-1] in "жшчщ":
            suffix = "ев"
        out[stem + suffix] = None
    return list(out)


def turkic_tail(rng: random.Random, n: int) -> list[str]:
    first = _words(
        "Ай Бек Нур Тур Жан Кул Бай Тал Ер Ас Кан Кара Ак Сары Мир Эр Жума Ташкул Акыл Бахт Дос Ораз Сайд"
    )
    second = _words("сун бек бай жан мурад али кул назар тай бол ғали берди мат хан гул дар")
    out: dict[str, None] = {}
    while len(out) < n:
        stem = rng.choice(first) + rng.choice(second).replace("ғ", "г")
        out[stem + ("ев" if stem[-1] in "аеиуйжшч" else "ов")] = None
    return list(out)


def ewe_tail(rng: random.Random, n: int) -> list[str]:
    onsets = _words("A Ako Ada Aku Amé Aye Gba Kpo Ho Ko To Do Ze Se Lo Ba Sa Dja Tse Ega Hou Gna")
    middles = _words("be bo jo ou vi zo ga ku me no la ti dé ssi wo")
    ends = ["ko", "vi", "zou", "dji", "non", "nou", "to", "kpo", "gan", "su", "tsi", "nyo", ""]
    out: dict[str, None] = {}
    while len(out) < n:
        out[rng.choice(onsets) + rng.choice(middles) + rng.choice(ends)] = None
    return list(out)


LATAM_TAIL = (
    [a + b for a in _words("Villa Monte Valle Torre Castel Fuente Casa Agua Alba Campo Mira Sal Val Ver Bar Pie")
     for b in _words("nueva real alta verde blanca lobos rroya nde jo mayor dares fuerte flor cruz longa")]
    + [a + b for a in _words("Eche Etxe Goi Urru Zu Iri Larra Ara Elor Mendi Olea Aran Beri Ola Gara")
       for b in _words("verría tia coechea luaga barren goitia zabal ondo zaga aga rreta")]
    + ["de la " + w for w in _words("Cruz Torre Rosa Fuente Peña Vega Hoz Cerda Parra Garza Calle Cueva Barrera")]
)  # fmt: skip
EUROPE_TAIL = {
    "de": [a + b for a in _words("Schwarz Weiß Klein Groß Neu Alt Hoch Stein Berg Wald Feld Hof Bach Rosen Linden "
                                 "Eichen Sonnen Winter Kirch Mühl Brand Hart Lieb Wein Holz Kohl Busch Lehn Dorn")
           for b in _words("mann er berg feld hof bach baum stein meier huber hauser wald ner inger dorf brunner")],
    "nl": [f"van {d}{w}" for d in ("der ", "den ", "de ", "") for w in _words(
               "Berg Dijk Veen Meer Wal Heuvel Broek Laan Bosch Hoek Velde Zande Beek Vliet Wijk Steen Hout Kamp "
               "Brink Leeuw Dam Pol Rijn Loon Acker Gaal")]
          + [a + b for a in _words("Hoek Dijk Wester Zwart Bos Veen Hof Haak Sikk Kramer Post Jan Tjeerd Wiers")
             for b in ("stra", "ma", "sen", "ink", "huis")],
    "it": [a + b for a in _words("Ross Bianc Ner Grass Ferr Marin Gall Bell Mor Ricc Sant Lombard Romagn Vent Mazz "
                                 "Bertol Fior Gentil Pagan Cors Zan Bonf Cerv Tedesc Fabbr Giacom Lucch Pell Rinald")
           for b in _words("i o elli etti ini ucci one ato otti azzi esi")],
    "en": [a + b for a in _words("Ash Brad Burn Cal Chat Crom Dun Fair Fen Hal Hart Kings Lang Mar Mid New North Oak "
                                 "Ram Ruther Shel Stan Stock Wal West Whit Wood Brook Ches Ed Thorn")
           for b in _words("ford ley ton field wood worth well by ham ridge more wick")],
    "fr": [a + b for a in _words("Bern Gill Guill Mich Pierr Jacqu Thib Rich Bouch Lamb Roch Garn Chev Mart Perr Col "
                                 "Gir Rob Aub Bert Mor Ren Gaut Bur Mass Pag Ros")
           for b in _words("et ot ard ier eau on in aud elin enet")]
          + ["Du" + w.lower() for w in _words("Bois Pont Mont Val Champ Pré Moulin Chêne Fresne Bourg Fort Clos Roche Mas")],
}  # fmt: skip


def _umlaut_variants(name: str) -> tuple[str, ...]:
    """'Mühlbauer' -> ('Mühlbauer', 'Muehlbauer'); 'Weißmann' -> ('Weißmann', 'Weissmann')."""
    out = [name]
    if any(ch in name for ch in "äöüß"):
        out.append(name.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss"))
    if name.lower().startswith("van "):
        out.append(name.replace(" ", "").capitalize())  # van der Berg / Vanderberg
    return tuple(out)


# ============================================================================ concepts
@dataclass(slots=True)
class Concept:
    id: int
    region: str
    role: str  # given, surname, patronymic, kunya
    sex: str  # M, F or "" (surnames of either sex)
    spellings: dict[str, tuple[str, ...]]  # Latin spellings by style ("*" when there are no styles)
    passport: tuple[str, ...]  # the spellings a passport would carry
    arabic: str = ""
    cyrillic: tuple[str, ...] = ()

    @property
    def preferred(self) -> str:
        return next(iter(self.spellings.values()))[0]

    def all_latin(self) -> set[str]:
        return {_key(s) for v in self.spellings.values() for s in v}


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalpha())


@dataclass(slots=True)
class Pool:
    concepts: list[Concept]
    cum: list[float]  # cumulative Zipf weights

    def draw(self, rng: random.Random) -> Concept:
        return self.concepts[bisect.bisect_left(self.cum, rng.random() * self.cum[-1])]


def _pool(concepts: list[Concept], exponent: float = 0.9) -> Pool:
    cum, total = [], 0.0
    for rank in range(len(concepts)):
        total += 1.0 / (rank + 1) ** exponent
        cum.append(total)
    return Pool(concepts, cum)


class Names:
    """Every concept of every pool, built once for a seed."""

    def __init__(self, seed: int):
        self.seed = seed
        self.concepts: list[Concept] = []
        self.by_text: dict[tuple[str, str, str], Concept] = {}
        self.folded: dict[str, list[Concept]] = {}  # Latin spelling key -> concepts (to name a mutation)
        self.canon: dict[int, str] = {}  # Arabic concepts: their canonical transcription
        arab_m = [self.arabic(c, "given", "M") for c in ARAB_M]
        self.pools: dict[tuple[str, str], Pool] = {
            ("arab", "M"): _pool(arab_m),
            ("arab", "F"): _pool([self.arabic(c, "given", "F") for c in ARAB_F]),
            ("arab", "surname"): _pool([self.arabic(c, "surname", "") for c in ARAB_FAMILY]),
            ("russia", "M"): _pool([self.cyrillic(c, "russia", "given", "M") for c in RU_M]),
            ("russia", "F"): _pool([self.cyrillic(c, "russia", "given", "F") for c in RU_F]),
            ("central_asia", "M"): _pool([self.cyrillic(c, "central_asia", "given", "M") for c in CA_M]),
            ("central_asia", "F"): _pool([self.cyrillic(c, "central_asia", "given", "F") for c in CA_F]),
            ("west_africa", "M"): _pool([self.latin(v, "west_africa", "given", "M", "fr") for v in WA_M]),
            ("west_africa", "F"): _pool([self.latin(v, "west_africa", "given", "F", "fr") for v in WA_F]),
            ("west_africa", "surname"): _pool(
                [self.latin(v, "west_africa", "surname", "", "fr") for v in WA_SURNAMES]
            ),
            ("latam", "M"): _pool([self.latin(v, "latam", "given", "M", "es") for v in LATAM_M]),
            ("latam", "F"): _pool([self.latin(v, "latam", "given", "F", "es") for v in LATAM_F]),
            ("latam", "surname"): _pool(
                [self.latin(v, "latam", "surname", "", "es") for v in LATAM_SURNAMES], 0.7
            ),
        }
        for lang, (males, females, surnames) in EUROPE.items():
            self.pools[(lang, "M")] = _pool([self.latin(v, lang, "given", "M", lang) for v in males])
            self.pools[(lang, "F")] = _pool([self.latin(v, lang, "given", "F", lang) for v in females])
            self.pools[(lang, "surname")] = _pool(
                [self.latin(v, lang, "surname", "", lang) for v in surnames], 0.7
            )
        # Surnames by sex for Cyrillic regions (Петров / Петрова), with a generated tail.
        for region, base, tail in (
            (
                "russia",
                RU_SURNAMES,
                [r + s for r in RU_ROOTS for s in ("ов", "ин", "ский", "енко")]
                + russian_tail(random.Random(f"{seed}:ru"), 3000),
            ),
            (
                "central_asia",
                CA_SURNAMES,
                self._ca_tail(ARAB_M + CA_M) + turkic_tail(random.Random(f"{seed}:ca"), 300),
            ),
        ):
            for sex in "MF":
                self.pools[(region, "surname" + sex)] = _pool(
                    [self.cyrillic(_feminine(s) if sex == "F" else s, region, "surname", sex) for s in base]
                )
                self.pools[(region, "tail" + sex)] = _pool(
                    [self.cyrillic(_feminine(s) if sex == "F" else s, region, "surname", sex) for s in tail],
                    0.3,
                )
        tail_rng = random.Random(f"{seed}:tails")
        west_african = (
            [p + s.lower() for p in YORUBA_PREFIX for s in YORUBA_STEM] + IGBO + ewe_tail(tail_rng, 2000)
        )
        self.pools[("west_africa", "tail")] = _pool(
            [self.latin((w,), "west_africa", "surname", "", "fr") for w in west_african], 0.3
        )
        self.pools[("arab", "tail")] = _pool(
            [self.arabic(c, "surname", "") for c in arabic_tail(tail_rng, 3000)], 0.3
        )
        self.pools[("latam", "tail")] = _pool(
            [self.latin((w,), "latam", "surname", "", "es") for w in LATAM_TAIL], 0.3
        )
        for lang, names in EUROPE_TAIL.items():
            self.pools[(lang, "tail")] = _pool(
                [self.latin(_umlaut_variants(w), lang, "surname", "", lang) for w in names], 0.3
            )
        self._similar: dict[int, list[Concept]] = {}

    # --- building concepts
    def _add(self, key: tuple[str, str, str], make) -> Concept:
        concept = self.by_text.get(key)
        if concept is None:
            concept = make(len(self.concepts))
            self.concepts.append(concept)
            self.by_text[key] = concept
            for text in concept.all_latin():
                self.folded.setdefault(text, []).append(concept)
        return concept

    def arabic(self, canon: str, role: str, sex: str) -> Concept:
        def make(cid: int) -> Concept:
            rng = random.Random(f"{self.seed}:ar:{canon}")
            spellings = {}
            for style, draws in (("anglo", 6), ("franco", 5), ("scholarly", 2)):
                spellings[style] = tuple(dict.fromkeys(arabic_latin(canon, style, rng) for _ in range(draws)))
            cyr = tuple(dict.fromkeys(arabic_cyrillic(canon, rng) for _ in range(2)))
            passport = tuple(dict.fromkeys(spellings["anglo"] + spellings["franco"]))
            self.canon[cid] = canon
            return Concept(cid, "arab", role, sex, spellings, passport, arabic_script(canon), cyr)

        return self._add(("ar", canon, role + sex), make)

    def cyrillic(self, text: str, region: str, role: str, sex: str) -> Concept:
        def make(cid: int) -> Concept:
            spellings = {style: (romanise(text, style),) for style in RU_LIST_STYLES}
            passport = tuple(dict.fromkeys(romanise(text, s) for s in RU_PASSPORT_STYLES))
            return Concept(cid, region, role, sex, spellings, passport, "", (text,))

        return self._add(("cy", text, role + sex), make)

    def latin(self, variants: tuple[str, ...], region: str, role: str, sex: str, lang: str) -> Concept:
        def make(cid: int) -> Concept:
            return Concept(
                cid, region, role, sex, {"*": variants}, variants, "", (latin_cyrillic(variants[0], lang),)
            )

        return self._add(("la", variants[0], role + sex + region), make)

    def _ca_tail(self, givens: list[str]) -> list[str]:
        out = []
        for g in givens:
            if " " in g or "-" in g:
                continue
            cyrillic = all("\u0400" <= ch <= "\u04ff" for ch in g)
            base = g if cyrillic else arabic_cyrillic(g, random.Random(f"{self.seed}:ca:{g}"))
            base = base.rstrip("ьй")
            if base.endswith(("а", "я")):
                base = base[:-1]
            out.append(base + ("ев" if base[-1:] in "жшчщцийеу" else "ов"))
        return list(dict.fromkeys(out))

    def patronymic(self, father: Concept, sex: str) -> Concept:
        text = _patronymic(father.cyrillic[0], sex)
        return self.cyrillic(text, father.region, "patronymic", sex)

    def kunya(self, son: Concept) -> Concept:
        canon = "abu " + self.canon[son.id]
        return self.arabic(canon, "kunya", "M")

    def bin_name(self, father: Concept, word: str) -> Concept:
        return self.arabic(word + " " + self.canon[father.id], "surname", "")

    # --- similar concepts (hard negatives)
    def similar(self, concept: Concept, pool: Pool) -> list[Concept]:
        if concept.id not in self._similar:
            choices = [c.preferred.lower() for c in pool.concepts]
            found = process.extract(
                concept.preferred.lower(), choices, scorer=JaroWinkler.normalized_similarity, limit=8,
                score_cutoff=0.8,
            )  # fmt: skip
            self._similar[concept.id] = [
                pool.concepts[i] for _, _, i in found if pool.concepts[i].id != concept.id
            ]
        return self._similar[concept.id]


def _feminine(surname: str) -> str:
    for a, b in (
        ("ский", "ская"),
        ("цкий", "цкая"),
        ("ов", "ова"),
        ("ев", "ева"),
        ("ёв", "ёва"),
        ("ин", "ина"),
    ):
        if surname.endswith(a):
            return surname[: -len(a)] + b
    return surname


_PATRONYMIC_IRREGULAR = {
    "Пётр": "Петр", "Павел": "Павл", "Лев": "Льв", "Илья": "Иль", "Никита": "Никит",
    "Дмитрий": "Дмитри", "Георгий": "Георги", "Анатолий": "Анатоль", "Валерий": "Валерь",
    "Василий": "Василь", "Геннадий": "Геннадь", "Григорий": "Григорь", "Евгений": "Евгень", "Юрий": "Юрь",
}  # fmt: skip


def _patronymic(father: str, sex: str) -> str:
    if father in ("Илья", "Никита"):
        stem = _PATRONYMIC_IRREGULAR[father]
        return stem + ("ич" if sex == "M" else ("инична" if father == "Илья" else "ична"))
    stem = _PATRONYMIC_IRREGULAR.get(father)
    if stem is not None:
        soft = stem.endswith(("ь", "и"))
        if soft:
            return stem + ("евич" if sex == "M" else "евна")
        return stem + ("ович" if sex == "M" else "овна")
    if father.endswith(("ей", "ай")):
        return father[:-1] + ("евич" if sex == "M" else "евна")
    if father.endswith("ь"):
        return father[:-1] + ("евич" if sex == "M" else "евна")
    if father[-1] in "жшчщц":
        return father + ("евич" if sex == "M" else "евна")
    return father + ("ович" if sex == "M" else "овна")


# ============================================================================ people and entries
@dataclass(slots=True)
class Identity:
    region: str  # arab, russia, central_asia, west_africa, latam, fr, de, nl, it, en
    sex: str
    nationality: str
    dob: date
    given: list[Concept]  # first given name, then other given names / father's names / patronymic
    surname: list[Concept]  # one or two parts

    @property
    def has_middle(self) -> bool:
        return len(self.given) > 1 or len(self.surname) > 1

    def parts(self, middle: bool = True) -> list[Concept]:
        return [*(self.given if middle else self.given[:1]), *self.surname]


def ids_of(concepts: list[Concept]) -> tuple[int, ...]:
    return tuple(sorted({c.id for c in concepts}))


@dataclass(slots=True)
class Case:
    traveller: Person
    kind: str  # one of POSITIVE_KINDS or NEGATIVE_KINDS, or "background"
    positive: bool
    key: tuple[int, ...]  # concept ids of the traveller's name
    origin: str  # the person's region
    cross_script: bool = False
    target: str = ""  # the entry the traveller is (positives) or was derived from (negatives)
    identity: Identity | None = None
    entry: Entry | None = None  # the target's entry (positives)
    entry_key: tuple[int, ...] = ()
    spellings: dict[int, str] = field(default_factory=dict)  # concept id -> the entry's Latin spelling


@dataclass
class Watchlist:
    entries: list[Entry]
    keys: list[tuple[int, ...]]  # concept ids of each entry's names (never given to the engine)
    by_concept: dict[int, list[int]] = field(default_factory=dict)

    def index_concepts(self) -> None:
        by: dict[int, list[int]] = {}
        for n, key in enumerate(self.keys):
            for cid in key:
                by.setdefault(cid, []).append(n)
        self.by_concept = by

    def namesakes(self, key: tuple[int, ...], sex: str, dob: date | None) -> list[int]:
        """Entries that could be this traveller by concept (see ``compatible``)."""
        counts: dict[int, int] = {}
        for cid in key:
            for n in self.by_concept.get(cid, ()):
                counts[n] = counts.get(n, 0) + 1
        return [
            n
            for n, c in counts.items()
            if c >= 2 and compatible(key, sex, dob, self.entries[n], self.keys[n])
        ]


def compatible(
    key: tuple[int, ...], sex: str, dob: date | None, entry: Entry, entry_key: tuple[int, ...]
) -> bool:
    """Could the traveller be this entry's person? Same names (one set of concepts within the
    other, at least two shared), same sex, and a date of birth the list's does not contradict
    (same year / year-month / date, or day and month swapped)."""
    a, b = set(key), set(entry_key)
    if len(a & b) < 2 or not (a <= b or b <= a):
        return False
    if entry.sex and sex and entry.sex != sex:
        return False
    if not entry.date_of_birth or dob is None:
        return True
    parts = [int(p) for p in entry.date_of_birth.split("-")]
    if parts[0] != dob.year:
        return False
    if len(parts) == 1:
        return True
    if len(parts) == 2:
        return parts[1] == dob.month
    return (parts[1], parts[2]) in ((dob.month, dob.day), (dob.day, dob.month))


def _cum(weights: dict[str, float]) -> tuple[list[str], list[float]]:
    names, cum, total = [], [], 0.0
    for name, w in weights.items():
        total += w
        names.append(name)
        cum.append(total)
    return names, cum


class Generator:
    def __init__(self, seed: int = 2026):
        self.seed = seed
        self.names = Names(seed)
        self._regions = _cum(REGIONS)
        self._manifest_regions = _cum(MANIFEST_REGIONS)
        self._nat = {k: v.split() for k, v in NATIONALITIES.items()}

    # --- identities
    def region(self, rng: random.Random, manifest: bool = False) -> str:
        names, cum = self._manifest_regions if manifest else self._regions
        region = names[bisect.bisect_left(cum, rng.random() * cum[-1])]
        return rng.choice(tuple(EUROPE)) if region == "europe" else region

    def identity(
        self, rng: random.Random, region: str, *, middle: bool | None = None, small_day: bool = False
    ) -> Identity:
        """A person of the region; ``middle`` True forces a middle part, False forbids it."""
        pools = self.names.pools
        sex = "M" if rng.random() < 0.8 else "F"
        nationality = rng.choice(self._nat[region])
        dob = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 55 * 365))
        if small_day:  # a day that can be read as a month, not equal to the month
            dob = dob.replace(day=rng.randint(1, 12))
            if dob.day == dob.month:
                dob = dob.replace(day=dob.day % 12 + 1)

        def wants(p: float) -> bool:
            return middle if middle is not None else rng.random() < p

        given = [pools[(region, sex)].draw(rng)]
        if region == "arab":
            if wants(1.0):
                given.append(pools[("arab", "M")].draw(rng))  # the father's name
                if middle is None and rng.random() < 0.25:
                    given.append(pools[("arab", "M")].draw(rng))  # the grandfather's
            r = rng.random()
            if r < 0.35:
                surname = [pools[("arab", "surname")].draw(rng)]
            elif r < 0.7:
                surname = [pools[("arab", "tail")].draw(rng)]
            elif r < 0.9:
                surname = [pools[("arab", "M")].draw(rng)]
            else:
                word = rng.choice(("bin", "ibn", "abu"))
                surname = [self.names.bin_name(pools[("arab", "M")].draw(rng), word)]
        elif region in ("russia", "central_asia"):
            if wants(0.7):
                given.append(self.names.patronymic(pools[(region, "M")].draw(rng), sex))
            tail = "tail" if rng.random() < TAIL_SHARE[region] else "surname"
            surname = [pools[(region, tail + sex)].draw(rng)]
        elif region == "west_africa":
            if wants(0.3):
                given.append(self._other(rng, pools[(region, sex)], given))
            surname = [pools[(region, "tail" if rng.random() < TAIL_SHARE[region] else "surname")].draw(rng)]
        elif region == "latam":
            if wants(0.4):
                given.append(self._other(rng, pools[(region, sex)], given))
            surname = [self._surname(rng, region, [])]
            if rng.random() < 0.75:
                surname.append(self._surname(rng, region, surname))
        else:  # Europe
            if wants(0.3):
                given.append(self._other(rng, pools[(region, sex)], given))
            surname = [self._surname(rng, region, [])]
        return Identity(region, sex, nationality, dob, given, surname)

    def _surname(self, rng: random.Random, region: str, taken: list[Concept]) -> Concept:
        pool = self.names.pools[(region, "tail" if rng.random() < TAIL_SHARE[region] else "surname")]
        return self._other(rng, pool, taken)

    @staticmethod
    def _other(rng: random.Random, pool: Pool, taken: list[Concept]) -> Concept:
        for _ in range(10):
            c = pool.draw(rng)
            if c not in taken:
                return c
        return rng.choice(pool.concepts)

    # --- spellings
    @staticmethod
    def _style(identity: Identity, rng: random.Random, passport: bool) -> str:
        if identity.region == "arab":
            franco = identity.nationality in FRANCO
            if passport:
                return "franco" if franco and rng.random() < 0.8 else "anglo"
            return _pick(rng, [("anglo", 5), ("franco", 4 if franco else 2), ("scholarly", 2)])
        if identity.region in ("russia", "central_asia"):
            if passport:
                return "icao" if rng.random() < 0.7 else "old_passport"
            return rng.choice(RU_LIST_STYLES)
        return "*"

    @staticmethod
    def spell(concept: Concept, style: str, rng: random.Random, passport: bool = False) -> str:
        options = concept.passport if passport else (concept.spellings.get(style) or concept.passport)
        if len(options) == 1 or rng.random() < 0.5:
            return options[0]
        return rng.choice(options)

    def latin_parts(
        self, identity: Identity, parts: list[Concept], rng: random.Random, passport: bool
    ) -> list[str]:
        style = self._style(identity, rng, passport)
        return [self.spell(c, style, rng, passport) for c in parts]

    # --- entries
    @staticmethod
    def _dob_text(identity: Identity, rng: random.Random, full: bool = False) -> str:
        d, r = identity.dob, 0.0 if full else rng.random()
        if r < 0.7:
            return d.isoformat()
        return f"{d.year:04d}-{d.month:02d}" if r < 0.8 else f"{d.year:04d}"

    @staticmethod
    def _document(nationality: str, rng: random.Random) -> tuple[str, str]:
        return rng.choice("ABCEGHKLMNPRSTUVXZ") + str(rng.randrange(10**7, 10**8)), nationality

    def entry(
        self,
        identity: Identity,
        rng: random.Random,
        *,
        mode: str = "any",
        middle: bool = True,
        full_dob: bool = False,
    ) -> tuple[Entry, tuple[int, ...], list[list[str]]]:
        """A watchlist entry for the person: the entry, its key, and the spellings of each of its
        Latin names part by part (the first is the primary name when ``mode`` is "latin").
        ``mode``: any, latin (a Latin primary name), arabic or cyrillic (every name in that script)."""
        region = identity.region
        parts, short = identity.parts(middle), identity.parts(False)
        scripts = ["latin"]
        if region == "arab":
            scripts.append("arabic")
            if rng.random() < 0.15:
                scripts.append("cyrillic")
        elif region in ("russia", "central_asia") or rng.random() < 0.04:
            scripts.append("cyrillic")
        if mode in ("arabic", "cyrillic"):
            primary = mode
            scripts = [mode] + (["cyrillic"] if mode == "arabic" and rng.random() < 0.2 else [])
        elif mode == "latin":
            primary = "latin"
        elif region == "arab":
            primary = "arabic" if rng.random() < 0.35 else "latin"
        elif region in ("russia", "central_asia"):
            primary = "cyrillic" if rng.random() < 0.5 else "latin"
        else:
            primary = "latin"
        latin_names: list[list[str]] = []

        def render(script: str, which: list[Concept], surname_first: bool = False) -> str:
            if script == "latin":
                tokens = self.latin_parts(identity, which, rng, passport=False)
                latin_names.append(tokens)
            elif script == "arabic":
                tokens = [c.arabic for c in which]
            else:
                tokens = [rng.choice(c.cyrillic) for c in which]
            if surname_first:
                n = len(identity.surname)
                tokens = tokens[-n:] + tokens[:-n]
            return " ".join(tokens)

        names = [render(primary, parts)]
        kinds = (
            ("respell", "script", "short", "reorder", "kunya")
            if region == "arab"
            else ("respell", "script", "short", "reorder")
        )
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            kind = rng.choice(kinds)
            if kind == "respell" and "latin" in scripts:
                text = render("latin", parts)
            elif kind == "script" and len(scripts) > 1:
                text = render(rng.choice([s for s in scripts if s != primary]), parts)
            elif kind == "short" and len(parts) > len(short):
                text = render(rng.choice(scripts), short)
            elif kind == "reorder":
                text = render(rng.choice(scripts), parts, surname_first=True)
            elif kind == "kunya":
                kunya = self.names.kunya(self.names.pools[("arab", "M")].draw(rng))
                if "latin" in scripts:
                    text = self.spell(kunya, "anglo", rng)
                else:
                    text = kunya.arabic if primary == "arabic" else kunya.cyrillic[0]
            else:
                continue
            if text not in names:
                names.append(text)
        documents = [self._document(identity.nationality, rng)] if rng.random() < 0.3 else []
        entry = Entry(
            "", names, self._dob_text(identity, rng, full_dob), identity.nationality, identity.sex, documents
        )
        return entry, ids_of(parts), latin_names

    def watchlist(self, n: int, planted: list[Case], rng: random.Random, progress=None) -> Watchlist:
        """``n`` entries: the planted cases' entries at random places among generated ones. Ids
        are W0000001...; the cases' ``target`` is set to their entry's id."""
        entries: list[Entry] = []
        keys: list[tuple[int, ...]] = []
        where = dict(zip(sorted(rng.sample(range(n), len(planted))), planted, strict=True))
        for i in range(n):
            case = where.get(i)
            if case is not None:
                entry, key = case.entry, case.entry_key
            else:
                entry, key, _ = self.entry(self.identity(rng, self.region(rng)), rng)
            entry.id = f"W{i + 1:07d}"
            if case is not None:
                case.target = entry.id
            entries.append(entry)
            keys.append(key)
            if progress and (i + 1) % 200_000 == 0:
                progress(i + 1)
        return Watchlist(entries, keys)

    # --- travellers
    def person(
        self,
        pid: str,
        identity: Identity,
        given: list[str],
        surname: list[str],
        dob: date,
        nationality: str = "",
    ) -> Person:
        nationality = nationality or identity.nationality
        return Person(
            pid,
            " ".join(surname).upper(),
            " ".join(given).upper(),
            dob,
            nationality,
            identity.sex,
            [self._document(nationality, random.Random(f"{self.seed}:doc:{pid}"))],
        )

    def background(self, pid: str, rng: random.Random) -> Case:
        """A traveller drawn from the manifest's region mix (not planted on the list)."""
        identity = self.identity(rng, self.region(rng, manifest=True))
        tokens = self.latin_parts(identity, identity.parts(), rng, passport=True)
        n = len(identity.surname)
        traveller = self.person(pid, identity, tokens[:-n], tokens[-n:], identity.dob)
        return Case(
            traveller, "background", False, ids_of(identity.parts()), identity.region, identity=identity
        )

    def positive(self, pid: str, kind: str, rng: random.Random) -> Case:
        """A listed person (the entry, not yet in a watchlist) and a traveller who is that person
        under the variation ``kind``."""
        for _ in range(100):
            case = self._positive(pid, kind, rng)
            if case is not None:
                return case
        raise RuntimeError(f"could not draw a {kind!r} case")

    def _positive(self, pid: str, kind: str, rng: random.Random) -> Case | None:
        if kind == "arabic script":
            region = "arab"
        elif kind == "cyrillic script":
            region = "arab" if rng.random() < 0.3 else rng.choice(("russia", "central_asia"))
        else:
            region = self.region(rng)
        needs_middle = kind.startswith("middle missing")
        identity = self.identity(
            rng, region, middle=True if needs_middle else None, small_day=kind.startswith("dob")
        )
        if needs_middle and not identity.has_middle:
            return None
        n_sur = len(identity.surname)
        if kind in CROSS_SCRIPT:
            entry, key, _ = self.entry(identity, rng, mode=kind.split()[0])
            tokens = self.latin_parts(identity, identity.parts(), rng, passport=True)
            traveller = self.person(pid, identity, tokens[:-n_sur], tokens[-n_sur:], identity.dob)
            return Case(
                traveller, kind, True, ids_of(identity.parts()), region, True, "", identity, entry, key,
                {c.id: t for c, t in zip(identity.parts(), tokens, strict=True)},
            )  # fmt: skip
        list_middle = kind != "middle missing (list)"
        if kind == "middle missing (list)" and len(identity.given) < 2:
            return None
        entry, key, latin_names = self.entry(
            identity, rng, mode="latin", middle=list_middle, full_dob=kind.startswith("dob")
        )
        parts = identity.parts(list_middle)
        tokens = list(latin_names[0])
        spellings = {c.id: t for c, t in zip(parts, tokens, strict=True)}
        n_given = len(parts) - n_sur
        dob, traveller_parts = identity.dob, list(parts)
        swap = False
        if kind == "spelling":
            # The traveller's passport spellings, at least one part spelt unlike any of the entry's
            # Latin names.
            used = [
                {_key(names[i]) for names in latin_names if len(names) == len(parts)}
                for i in range(len(parts))
            ]
            tokens = self.latin_parts(identity, parts, rng, passport=True)
            if all(_key(t) in used[i] for i, t in enumerate(tokens)):
                movable = [i for i, c in enumerate(parts) if any(_key(s) not in used[i] for s in c.passport)]
                if not movable:
                    return None
                i = rng.choice(movable)
                tokens[i] = rng.choice([s for s in parts[i].passport if _key(s) not in used[i]])
        elif kind == "order swap":
            swap = True
        elif kind == "middle missing (manifest)":
            drop = 1 if len(identity.given) > 1 else len(parts) - 1  # a middle given name, or the 2nd surname
            del tokens[drop]
            del traveller_parts[drop]
            if drop < n_given:
                n_given -= 1
        elif kind == "middle missing (list)":
            middles = self.latin_parts(identity, identity.given[1:], rng, passport=True)
            tokens[1:1] = middles
            traveller_parts = identity.parts()
            n_given += len(middles)
        elif kind == "typo":
            long = [i for i, t in enumerate(tokens) if sum(ch.isalpha() for ch in t) >= 4]
            if not long:
                return None
            i = rng.choice(long)
            tokens[i] = typo(tokens[i], rng)
        elif kind == "dob day/month swap":
            dob = date(dob.year, dob.day, dob.month)
        given, surname = tokens[:n_given], tokens[n_given:]
        if swap:
            given, surname = surname, given
        traveller = self.person(pid, identity, given, surname, dob)
        return Case(
            traveller, kind, True, ids_of(traveller_parts), region, False, "", identity, entry, key, spellings
        )

    def negative(self, pid: str, kind: str, target: Case, rng: random.Random) -> Case | None:
        """A traveller similar to the listed person of ``target`` who is not that person: the
        parts shared with the listed person keep the entry's spellings."""
        identity = target.identity
        pools = self.names.pools
        region = identity.region
        given, surname = list(identity.given), list(identity.surname)
        if kind == "same given name, similar surname":
            given = given[:1] if rng.random() < 0.5 else given
            surname = [self._similar_or_mutated(surname[0], self._surname_pool(identity), rng), *surname[1:]]
        elif kind == "similar given name, same surname":
            first = self._similar_or_mutated(given[0], pools[(region, identity.sex)], rng)
            given = [first, *given[1:]] if rng.random() < 0.5 else [first]
        elif kind == "same given names, other surname":
            surname = [self._other(rng, self._surname_pool(identity), surname)]
        if any(c is None for c in given + surname):
            return None
        style = self._style(identity, rng, passport=True)
        tokens = [
            target.spellings.get(c.id) or self.spell(c, style, rng, passport=True) for c in given + surname
        ]
        low, high = (2, 25) if kind.startswith("namesake") else (1, 20)
        year = identity.dob.year + rng.randint(low, high) * rng.choice((-1, 1))
        if not 1930 <= year <= 2008:
            year = identity.dob.year - (year - identity.dob.year)
        dob = date(year, rng.randint(1, 12), rng.randint(1, 28))
        nationality = identity.nationality if rng.random() < 0.5 else rng.choice(self._nat[region])
        n = len(surname)
        traveller = self.person(pid, identity, tokens[:-n], tokens[-n:], dob, nationality)
        return Case(
            traveller, kind, False, ids_of(given + surname), region, target=target.target, identity=identity
        )

    def _surname_pool(self, identity: Identity) -> Pool:
        if identity.region in ("russia", "central_asia"):
            return self.names.pools[(identity.region, "surname" + identity.sex)]
        return self.names.pools[(identity.region, "surname")]

    def _similar_or_mutated(self, concept: Concept, pool: Pool, rng: random.Random) -> Concept | None:
        similar = self.names.similar(concept, pool)
        if similar and rng.random() < 0.6:
            return rng.choice(similar)
        return self.mutated(concept, rng)

    def mutated(self, concept: Concept, rng: random.Random) -> Concept | None:
        """Another name: one consonant of a passport spelling replaced by a consonant of another
        sound class (so not a mere spelling variant); an existing concept when it spells one."""
        base = self.spell(concept, "", rng, passport=True)
        positions = [i for i, ch in enumerate(base.lower()) if ch in _CLASS_OF]
        rng.shuffle(positions)
        known = concept.all_latin()
        for i in positions:
            ch = base[i].lower()
            new = (
                base[:i]
                + rng.choice([c for c in _CONSONANTS if _CLASS_OF[c] != _CLASS_OF[ch]])
                + base[i + 1 :]
            )
            new = new[0].upper() + new[1:]
            if _key(new) in known:
                continue
            existing = self.names.folded.get(_key(new))
            if existing:
                return existing[0]
            return self.names.latin((new,), concept.region, concept.role, concept.sex, "en")
        return None

    # --- the sets
    def labelled(self, positives: int, negatives: int, entries: int, rng: random.Random, progress=None):
        """(watchlist, cases): ``positives`` listed people planted in a watchlist of ``entries``
        and a traveller for each under a variation (kinds in equal shares), then ``negatives``
        hard negatives derived from them (kinds in equal shares), none of them a namesake of
        anyone on the list."""
        cases = [
            self.positive(f"L{i + 1:05d}", POSITIVE_KINDS[i % len(POSITIVE_KINDS)], rng)
            for i in range(positives)
        ]
        watchlist = self.watchlist(entries, cases, rng, progress)
        watchlist.index_concepts()
        out = list(cases)
        for j in range(negatives):
            kind = NEGATIVE_KINDS[j % len(NEGATIVE_KINDS)]
            for _ in range(50):
                negative = self.negative(f"N{j + 1:05d}", kind, rng.choice(cases), rng)
                if negative is None:
                    continue
                t = negative.traveller
                if watchlist.namesakes(negative.key, t.sex, t.date_of_birth):
                    continue
                out.append(negative)
                break
        return watchlist, out

    def manifest(self, passengers: int, planted: int, rng: random.Random) -> list[Case]:
        """Background travellers and ``planted`` listed people under a random variation (their
        entries still to be put in the watchlist)."""
        cases = [self.positive(f"P{i + 1:03d}", rng.choice(POSITIVE_KINDS), rng) for i in range(planted)]
        cases += [self.background(f"P{i + 1:03d}", rng) for i in range(planted, passengers)]
        rng.shuffle(cases)
        return cases


_CLASSES = ("bpvfw", "ckqgx", "sz", "dt", "mn", "lr", "jy", "h")
_CLASS_OF = {ch: i for i, group in enumerate(_CLASSES) for ch in group}
_CONSONANTS = "bcdfghjklmnpqrstvwxz"


def typo(token: str, rng: random.Random) -> str:
    """One edit: substitution, deletion, insertion or transposition of adjacent letters (never
    the first letter)."""
    letters = [i for i, ch in enumerate(token) if ch.isalpha()][1:]
    i = rng.choice(letters)
    op = rng.choice(("sub", "del", "ins", "swap"))
    alphabet = "abcdefghijklmnopqrstuvwxyz"
    if op == "sub":
        return token[:i] + rng.choice([c for c in alphabet if c != token[i].lower()]) + token[i + 1 :]
    if op == "del":
        return token[:i] + token[i + 1 :]
    if op == "ins":
        return token[:i] + rng.choice(alphabet) + token[i:]
    j = i + 1 if i + 1 < len(token) and token[i + 1].isalpha() else i - 1
    if token[i].lower() == token[j].lower() or j == 0:
        return token[:i] + rng.choice([c for c in alphabet if c != token[i].lower()]) + token[i + 1 :]
    chars = list(token)
    chars[i], chars[j] = chars[j], chars[i]
    return "".join(chars)
