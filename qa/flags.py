"""Risk flags: a document's clauses of the types consumer law watches, most serious first, each cited.

The types and fairness levels are CLAUDETTE's (Lippi et al., 2019). The level is predicted only for the
types whose labels vary (content removal, jurisdiction, limitation of liability, unilateral
termination); arbitration, unilateral change, choice of law and contract by using are always
"potentially unfair". Units the model calls fair are not flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from qa.cite import unit_citation
from qa.clause_types import TYPES, level, presence, unit_probabilities
from qa.corpus import Snapshot
from qa.types import Citation

RISK_TYPES = ("a", "ch", "cr", "j", "law", "ltd", "ter", "use")
LEVEL_NAMES = {3: "clearly unfair", 2: "potentially unfair", 1: "fair"}
PER_TYPE = 3  # the surest units of each type; a long document repeats itself
# Flags are for terms: CLAUDETTE's types, labels and levels are of consumer terms of service, not of
# privacy policies nor of contracts between businesses.
NOT_TERMS = frozenset({"privacy", "cookies", "dpa", "nda", "subscription", "employment"})


# A contract whose opening names two companies as its parties ("by and between Sykes HealthPlan
# Services, Inc., a Florida corporation, and HealthPlan Services, Inc."), where terms say "you".
_COMPANY = (
    r"[A-Z][\w&.,' -]{1,80}?\b(?:Inc|Corp|Corporation|Ltd|Limited|LLC|L\.L\.C|GmbH|AG|S\.A|SA|plc|PLC|N\.V|B\.V|Pty)\b"
)
_BETWEEN_COMPANIES = re.compile(rf"\bbetween\s+{_COMPANY}.{{0,300}}?\band\s+{_COMPANY}", re.S)
OPENING_CHARS = 3000


def is_terms(snap: Snapshot, doc_id: str) -> bool:
    """Whether a document may be flagged: not one whose title says it is a privacy or cookie policy, a
    data processing agreement, an NDA, a master services or subscription agreement, or an employment
    contract, nor one whose opening names two companies as its parties (an outsourcing agreement)."""
    if snap.kinds.get(doc_id, set()) & NOT_TERMS:
        return False
    opening = snap.docs[doc_id].text[:OPENING_CHARS]
    return not snap.once(("between companies", doc_id), lambda: _BETWEEN_COMPANIES.search(opening) is not None)


def _prose(text: str) -> bool:
    """Whether a unit says something: a title line alone ("Quillpad Notes Terms of Service") is no clause."""
    return any(ch in text for ch in ".;:!?。；：！？")


@dataclass(frozen=True)
class Flag:
    kinds: tuple[str, ...]  # ("ch", "ter"): one clause can be of several types
    level: int  # 3 clearly unfair, 2 potentially unfair
    confidence: float  # the probability that the unit is of its surest type
    citation: Citation

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level]

    @property
    def type_names(self) -> list[str]:
        return [TYPES[k].name for k in self.kinds]

    def to_json(self) -> dict:
        return {
            "types": list(self.kinds),
            "type_names": self.type_names,
            "level": self.level_name,
            "confidence": round(self.confidence, 3),
            "citation": self.citation.to_json(),
        }


def flags(snap: Snapshot, doc_id: str) -> list[Flag] | None:
    """The document's flagged clauses, clearly unfair first, then by confidence; None when no model ships.
    A privacy policy has none (see is_terms)."""
    if unit_probabilities(snap, doc_id) is None:
        return None
    if not is_terms(snap, doc_id):
        return []
    present = {k: f for k in RISK_TYPES if (f := presence(snap, doc_id, k)) is not None and f.present}
    # A unit is listed under a type when it is that type's surest unit in the document, or the type is
    # the surest of its own: a termination clause is not also flagged as every type it brushes against.
    prob = {k: dict(zip(f.units, f.probabilities, strict=True)) for k, f in present.items()}
    surest_of = {
        i: max((k for k in prob if i in prob[k]), key=lambda k: prob[k][i]) for ps in prob.values() for i in ps
    }
    by_unit: dict[int, tuple[list[str], int, float]] = {}
    for kind, found in present.items():
        picks = [
            (i, p)
            for n, (i, p) in enumerate(zip(found.units, found.probabilities, strict=True))
            if (n == 0 or surest_of[i] == kind) and _prose(snap.chunks[i].text)
        ]
        for i, p in picks[:PER_TYPE]:
            lv = level(snap, i, kind)
            if lv < 2:
                continue
            kinds, top, conf = by_unit.get(i, ([], 0, 0.0))
            by_unit[i] = ([*kinds, kind], max(top, lv), max(conf, p))
    out = []
    for i, (kinds, lv, conf) in by_unit.items():
        chunk = snap.chunks[i]
        out.append(Flag(tuple(kinds), lv, conf, unit_citation(snap, 0, chunk.clause_id, chunk.start, chunk.end)))
    out.sort(key=lambda f: (-f.level, -f.confidence, f.citation.start))
    return [replace(f, citation=replace(f.citation, n=n)) for n, f in enumerate(out, 1)]
