"""Redaction of third parties' details in a court bundle (issue 8; emh 6.6-6.7): marked people
become "Witness A", "Witness B"; their addresses, phones, e-mail addresses and the listed words
become "[redacted]"."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable

from haven.cases.models import Party
from haven.letters.services.letters import address_lines

REDACTED = "[redacted]"


class Redactor:
    """Redaction of the marked people and words. A marked person is called "Witness A", "Witness B"
    ... (in the order they were added to the case); their full name, each part of it that is not
    also part of an unmarked person's name, their address lines, phone and e-mail become
    "[redacted]", as does every other word or phrase given. Case does not matter."""

    def __init__(self, parties: list[Party], marked: Iterable[int], terms: Iterable[str]) -> None:
        marked_ids = set(marked)
        chosen = [p for p in parties if p.pk in marked_ids]
        others = [p for p in parties if p.pk not in marked_ids]
        kept_words = {w.lower() for p in others for w in re.findall(r"\w+", p.display_name)}
        self.aliases = {p.pk: f"Witness {_letters(n)}" for n, p in enumerate(chosen)}
        names: dict[str, str] = {}
        words: set[str] = {t.strip() for t in terms if t.strip()}
        for p in chosen:
            alias = self.aliases[p.pk]
            full = p.display_name if not p.anonymous else ""
            if full and full != "Unknown person":
                names[full.lower()] = alias
                if p.person is not None:
                    names[f"{p.person.first_name} {p.person.last_name}".lower()] = alias
                for part in re.findall(r"\w+", full):
                    if len(part) >= 3 and part.lower() not in kept_words:
                        names.setdefault(part.lower(), alias)
            words.update(x for x in (p.phone, p.email) if x)
            words.update(line for line in address_lines(p) if len(line) >= 4)
        self.active = bool(names or words)
        self._names = names
        every = sorted({*names, *(w.lower() for w in words)}, key=len, reverse=True)
        self._pattern = re.compile("|".join(_bounded(w) for w in every), re.IGNORECASE) if every else None

    def __call__(self, text: str) -> str:
        if not text or self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self._names.get(m.group(0).lower(), REDACTED), text)

    def hits(self, text: str) -> bool:
        if self._pattern is None:
            return False
        squashed = re.sub(r"\s+", " ", text)
        return bool(self._pattern.search(text) or self._pattern.search(squashed))

    def name(self, party: Party | None) -> str:
        if party is None:
            return ""
        return self.aliases.get(party.pk, party.display_name)

    def address(self, party: Party) -> list[str]:
        return ["[address redacted]"] if party.pk in self.aliases else address_lines(party)


def _letters(n: int) -> str:
    """A, B, ... Z, AA, AB ..."""
    alphabet = string.ascii_uppercase
    return alphabet[n] if n < 26 else alphabet[n // 26 - 1] + alphabet[n % 26]


def _bounded(word: str) -> str:
    escaped = re.escape(word).replace(r"\ ", r"\s+")
    start = r"\b" if word[:1].isalnum() else ""
    end = r"\b" if word[-1:].isalnum() else ""
    return f"{start}{escaped}{end}"


# ---- building -----------------------------------------------------------------------------------------


