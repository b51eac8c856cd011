"""Matching what people write to the dashboard's names: community areas by number or name, codebook themes
by name, and the areas and themes a note's own words suggest (for staff to confirm)."""

from __future__ import annotations

import re

from data.areas import N_WARDS


class AreaLookup:
    """Community areas by number or by name, ignoring case, punctuation and spacing (O'Hare = OHARE)."""

    def __init__(self, names: dict[int, str]):
        self.names = names
        self._by_key = {self.key(name): number for number, name in names.items()}

    @staticmethod
    def key(text: str) -> str:
        return re.sub(r"[^a-z0-9]", "", text.lower())

    def match(self, token: str) -> int | None:
        token = token.strip().lstrip("#")
        if token.isdigit():
            number = int(token)
            return number if number in self.names else None
        return self._by_key.get(self.key(token))

    def match_all(self, text: str) -> tuple[list[int], list[str]]:
        """Area numbers found in a ``;``/``,``/``|``-separated list, and the names that matched nothing."""
        found, unmatched = [], []
        for token in re.split(r"[;,|\n]", text or ""):
            if not token.strip():
                continue
            number = self.match(token)
            if number is None:
                unmatched.append(token.strip()[:80])
            elif number not in found:
                found.append(number)
        return found, unmatched


def match_themes(text: str, known: list[str]) -> tuple[list[str], list[str]]:
    lookup = {t.lower(): t for t in known}
    found, unmatched = [], []
    for token in re.split(r"[;,|\n]", text or ""):
        name = " ".join(token.split()).lower()
        if not name:
            continue
        if name in lookup:
            if lookup[name] not in found:
                found.append(lookup[name])
        else:
            unmatched.append(token.strip()[:80])
    return found, unmatched


def suggest_areas(text: str, places: dict[str, tuple[int, ...]]) -> list[int]:
    """The community areas a text names, from ``places`` (name → area numbers, see ``data/places.py``): whole
    words written with a capital letter, longest names first, so "West Englewood" is not also "Englewood";
    a neighborhood that spans two areas names both."""
    text = text.replace("\u2019", "'")  # O’Hare is O'Hare
    taken = [False] * len(text)
    found: set[int] = set()
    for name in sorted(places, key=len, reverse=True):
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE):
            start, end = match.span()
            if text[start].isupper() and not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                found.update(places[name])
    return sorted(found)


WARD_NAMES = re.compile(  # "Ward 20", "Ward #20", "20th Ward", "distrito 20", "Distrito núm. 20"
    r"(?<!\w)(?:ward\s*(?:no\.?\s*|number\s*|#\s*)?(\d{1,2})|(\d{1,2})\s*(?:st|nd|rd|th)\s+ward|"
    r"distrito\s*(?:n[úu]m(?:ero|\.)?\s*|#\s*)?(\d{1,2}))(?!\w)",
    re.IGNORECASE,
)


def suggest_wards(text: str) -> list[int]:
    """The City Council wards a text names ("Ward 20", "20th Ward", "distrito 20"), 1 to 50."""
    found = {int(next(g for g in match.groups() if g)) for match in WARD_NAMES.finditer(text)}
    return sorted(n for n in found if 1 <= n <= N_WARDS)


def suggest_themes(text: str, keywords: dict[str, list[str]]) -> list[str]:
    """The codebook themes whose keywords appear in ``text`` (a keyword matches the start of a word:
    "afford" matches "affordable")."""
    lowered = text.lower()
    return [
        theme
        for theme, words in keywords.items()
        if any(re.search(rf"(?<!\w){re.escape(w.lower())}", lowered) for w in words)
    ]
