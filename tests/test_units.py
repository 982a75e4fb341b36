"""Citable units: a policy without numbering still has units to rank and cite, each of a readable size."""

from __future__ import annotations

from ingest.chunk import chunk_clauses
from ingest.clauses import parse_clauses
from ingest.types import SourceDoc
from ingest.units import MAX_CHARS

PARAGRAPH = (
    "We may share {what} with service providers who process it on our behalf, under contracts that "
    "limit their use of it to the services they provide to us and require them to keep it secure. "
    "They may not sell it or use it for their own marketing, and they delete it when the work ends. "
)


def policy() -> str:
    """An unnumbered web policy: a title, heading lines, paragraphs of several lengths, one very long."""
    parts = ["Lumen Notes Privacy Policy", ""]
    for heading, what, repeat in [
        ("Information We Collect", "your name", 1),
        ("How We Share Information", "contact details", 2),
        ("Advertising Partners", "device identifiers", 9),  # one paragraph far longer than a unit
        ("Your Choices", "preferences", 1),
    ]:
        parts += [heading, ""]
        for i in range(3):
            parts += ["".join(PARAGRAPH.format(what=f"{what} ({i}.{r})") for r in range(repeat)).strip(), ""]
    return "\n".join(parts)


def test_an_unnumbered_policy_gets_units_with_heading_paths_that_rebuild_the_text() -> None:
    text = policy()
    clauses = parse_clauses("lumen", text)
    own = sorted(clauses, key=lambda c: c.start)
    assert "".join(text[c.start : c.body_end] for c in own) == text  # nothing lost, nothing twice
    assert len(clauses) >= 12  # not one clause for the whole policy
    assert all(c.body_end - c.start <= MAX_CHARS["en"] + 2 for c in clauses)  # + the blank line after
    long_one = [c for c in clauses if "device identifiers" in text[c.start : c.body_end]]
    assert len(long_one) >= 3  # the long paragraph is cut at sentence boundaries
    assert all(c.path[-1] == "Advertising Partners" or c.heading == "Advertising Partners" for c in long_one)
    for c in long_one:
        assert text[c.start : c.body_end].rstrip().endswith(".")  # whole sentences


def test_a_short_numbered_clause_stays_one_unit() -> None:
    text = "Terms\n\n1. Fees\n\nFees are due monthly.\n\nLate fees apply after ten days.\n\n2. Law\n\nThe law of Ohio applies.\n"
    ids = [c.clause_id for c in parse_clauses("t", text)]
    assert ids == ["t#preamble", "t#1", "t#2"]


def test_a_list_of_short_bullets_is_read_as_one_unit_with_the_words_that_list_it() -> None:
    # Each "• Education" a unit of its own outranked the clause that answered: it holds its section's
    # heading words and nothing else.
    text = (
        "# Larkspur Privacy Notice\n\n## 2. What we collect\n\nWe collect:\n\n• Email address\n\n• Username\n\n"
        "• Education\n\n## 3. Cookies\n\n• Necessary cookies\nThey keep you signed in.\n\n• Analytics\n\n"
        "## 4. Keeping data\n\n• Logs: 90 days\n\n• Analytics: 365 days\n\n"
        + "".join(f"• Backups of type {i} are kept for {i} weeks and then overwritten.\n\n" for i in range(40))
    )
    doc = SourceDoc("lark", "Larkspur Privacy Notice", "lark.md", text, sha256="x", lang="en")
    chunks = chunk_clauses(doc, parse_clauses("lark", text))
    listing = next(c for c in chunks if "We collect:" in c.text)
    assert listing.clause_id == "lark#2" and listing.text.endswith("• Education")
    assert not any(c.text == "• Username" for c in chunks)
    titled = next(c for c in chunks if c.text.startswith("• Necessary cookies"))
    assert "• Analytics" not in titled.text, "an item with a title of its own is its own unit"
    kept = [c for c in chunks if "days" in c.text or "weeks" in c.text]
    assert kept[0].text.startswith("• Logs: 90 days\n\n• Analytics: 365 days"), "items with no words before them join"
    assert len(kept) > 1 and all(len(c.text) <= MAX_CHARS["en"] for c in kept), "…up to one window"
    assert "".join(c.text for c in kept).count("• ") == 42


def test_a_clause_whose_title_runs_into_its_first_sentence_keeps_that_sentence() -> None:
    # A numbered title alone on its line, over its items, says nothing of its own and is no unit; one run
    # into a sentence is the clause's own text, chunked and quoted with its first sentence.
    text = (
        "2. Your Content. You keep every right in what you post, and we only show it as you choose.\n\n"
        "(a) We may remove content that breaks the law.\n\n(b) You may delete your content at any time.\n"
    )
    doc = SourceDoc("t", "Terms", "t.txt", text, sha256="x", lang="en")
    clauses = parse_clauses("t", text)
    assert clauses[0].heading == "Your Content"
    chunks = chunk_clauses(doc, clauses)
    assert chunks[0].clause_id == "t#2" and "You keep every right" in chunks[0].text


def test_words_that_introduce_what_follows_open_the_unit_of_what_they_introduce() -> None:
    # Packed with the paragraphs before it, "…in the following circumstances:" ended a unit and was
    # quoted without the circumstances.
    text = "\n\n".join(
        [
            "Quillfeather Privacy Policy",
            *(PARAGRAPH.format(what=f"usage records ({i})").strip() for i in range(4)),
            "As for information that identifies you, we may disclose it only in the following circumstances:",
            *(PARAGRAPH.format(what=f"account details ({i})").strip() for i in range(3)),
        ]
    )
    clauses = parse_clauses("quill", text)
    assert "".join(text[c.start : c.body_end] for c in sorted(clauses, key=lambda c: c.start)) == text
    opening = next(c for c in clauses if "following circumstances:" in text[c.start : c.body_end])
    unit = text[opening.start : opening.body_end].strip()
    assert unit.startswith("As for information that identifies you"), unit[:80]
    assert "account details (0)" in unit
