"""Plain text wrapped at a fixed column (a licence, terms saved as text, pdftotext output) is read as
its paragraphs, with the file's own offsets."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from ingest.clauses import parse_clauses
from ingest.load import load_document
from ingest.reflow import reflow

from .conftest import engine_over

# Written for these tests, wrapped at 72 columns as such files are: a short line inside a paragraph
# ("read-only for ninety days.", "unless a court has told us not to."), a number after "section" at a
# line start, a disclaimer in capitals whose first line reads like a heading, a centred title.
WRAPPED = """\
                 HARBOURLINE CLOUD STORAGE TERMS OF SERVICE
                           Version 2, March 2026

1. Accounts.

  You need an account to keep files with Harbourline. Keep your password
  to yourself and tell us at once if somebody else signs in as you. One
  person may hold one free account and any number of paid ones.

2. Storage Plans.

  The free plan holds five gigabytes. Paid plans hold more and renew
  every month until you cancel them on the billing page, and a cancelled
  plan keeps working until the end of the month you already paid for,
  after which your files become read-only for ninety days.

3. Removal of Files.

  We may take down a file that breaks the rules of these terms, and we
  will tell you which rule it broke by e-mail within two working days,
  unless a court has told us not to. Files we take down fall under section
  7. They stay in your trash for thirty days before they are gone for good.

4. Sharing Links.

  A link you share opens your file to anyone who holds it. You can turn
  a link off at any time; a link nobody has opened for a year turns
  itself off.

5. No Warranty.

  THE SERVICE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND. THE
  ENTIRE RISK AS TO THE SAFEKEEPING OF YOUR FILES IS WITH YOU, AND YOU
  SHOULD KEEP A SECOND COPY OF ANYTHING YOU CANNOT AFFORD TO LOSE.

6. Ending These Terms.

  You may close your account whenever you like. We may close it if you
  break these terms more than once, after warning you in writing and
  giving you thirty days to download your files.

7. Acceptable Use.

  You may not store malware, material you have no right to share, or
  files whose only purpose is to send spam.
"""


def test_a_wrapped_text_keeps_its_length_and_offsets_and_only_its_wrapping_breaks_become_spaces(
    tmp_path: Path,
) -> None:
    path = tmp_path / "harbourline-terms.txt"
    path.write_text(WRAPPED, encoding="utf-8")
    text = load_document(path).text
    assert len(text) == len(WRAPPED)
    changed = [i for i, (a, b) in enumerate(zip(WRAPPED, text, strict=True)) if a != b]
    assert changed and all(WRAPPED[i] == "\n" and text[i] == " " for i in changed)
    # Paragraphs, numbered titles and the centred title lines stay lines of their own.
    assert "\n\n2. Storage Plans.\n\n" in text and "OF SERVICE\n" in text
    sentence = "Keep your password to yourself and tell us at once if somebody else signs in as you."
    assert sentence in " ".join(text.split())
    assert "\n" not in text[text.index("Keep your") : text.index("signs in as you.")]
    # "under section" / "7. They stay in your trash": the number is the section referred to, not a clause.
    assert "section   7. They stay" in text


def test_a_wrapped_text_with_windows_line_ends_is_read_as_its_paragraphs_too(tmp_path: Path) -> None:
    path = tmp_path / "harbourline-terms.txt"
    path.write_bytes(WRAPPED.replace("\n", "\r\n").encode("utf-8"))
    text = load_document(path).text
    assert len(text) == len(WRAPPED.replace("\n", "\r\n"))
    assert "\r\n" not in text[text.index("Keep your") : text.index("signs in as you.")]
    assert "\r\n\r\n2. Storage Plans.\r\n\r\n" in text


def test_a_text_wrapped_unevenly_is_read_as_its_paragraphs(tmp_path: Path) -> None:
    # As pdftotext writes a typeset contract: a proportional font's lines end anywhere from 66 to 72
    # columns, each numbered clause follows the last line of the one before, and a few lines run wide.
    paragraphs = [" ".join(line.split()) for line in WRAPPED.split("\n\n") if line.startswith("  ")]
    lines = []
    for n, p in enumerate(paragraphs * 2, 1):
        lines += textwrap.wrap(f"{n}.1 SECTION {n}. {p}", 66 + 3 * (n % 3))
        if n % 3 == 0:
            lines.append("Harbourline Storage Ltd, 1 Harbour Street, Port Town, registered number 0000000")
    path = tmp_path / "harbourline-terms.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    loaded = load_document(path).text
    assert "Keep your password to yourself and tell us at once if somebody else signs in as you." in loaded
    assert "\n2.1 SECTION 2." in loaded


def test_items_numbered_in_small_roman_numerals_stay_items_in_a_wrapped_text(tmp_path: Path) -> None:
    # As CC0 sets its list: a numeral per item, right-aligned, each item wrapped under its text.
    items = "1. Rights Covered.\n\n  The rights this dedication covers include:\n\n" + "".join(
        textwrap.fill(text, 72, initial_indent=f"{numeral:>3}. ", subsequent_indent="     ") + "\n"
        for numeral, text in [
            ("i", "the right to copy, adapt, share and show the Work in any medium;"),
            ("ii", "moral rights retained by the original authors and/or performers;"),
            ("iii", "rights over the likeness of a person who appears in the Work, as far as the law allows;"),
            ("iv", "rights against unfair competition in connection with the Work."),
        ]
    )
    path = tmp_path / "harbourline-dedication.txt"
    path.write_text(WRAPPED + "\n" + items, encoding="utf-8")
    doc = load_document(path)
    labels = [c.label for c in parse_clauses(doc.doc_id, doc.text) if c.label in ("i", "ii", "iii", "iv")]
    assert labels == ["i", "ii", "iii", "iv"]


@pytest.mark.parametrize("name", ["harbourline-terms.txt", "harbourline-terms.md"])
def test_a_text_double_spaced_line_by_line_is_read_as_its_paragraphs(tmp_path: Path, name: str) -> None:
    # As Alpha Vantage publishes its terms: a PDF's lines pasted into a page, each a paragraph of its own
    # and paragraphs parted by more blank lines. Each line was a unit: "section 2" showed its title
    # alone, a title's first line of text passed for a clause, and quotes stopped mid-sentence.
    double = "\n\n".join(line.strip() for line in WRAPPED.splitlines())
    path = tmp_path / name
    path.write_text(double, encoding="utf-8")
    doc = load_document(path)
    got = {c.label: c for c in parse_clauses(doc.doc_id, doc.text) if c.label}
    assert list(got) == [str(n) for n in range(1, 8)]
    assert "read-only for ninety days" in doc.text[got["2"].start : got["2"].end]
    assert "\n" not in doc.text[doc.text.index("Keep your") : doc.text.index("signs in as you.")]
    assert "\n\n2. Storage Plans.\n\n" in doc.text
    if name.endswith(".txt"):
        assert len(doc.text) == len(double)  # the file's own offsets
        crlf = reflow(double.replace("\n", "\r\n"))  # ...and with Windows line ends, none left mid-sentence
        assert not any(c in crlf[crlf.index("Keep your") : crlf.index("signs in as you.")] for c in "\r\n")


def test_text_not_wrapped_at_a_column_is_read_as_it_is() -> None:
    long_lines = "\n".join(
        f"{n}. Clause {n} says a good deal more than fits on one screen line, for it runs on and on with "
        "conditions, exceptions and the conditions of its exceptions, as terms written as one line do."
        for n in range(1, 30)
    )
    assert reflow(long_lines) == long_lines
    addresses = "\n".join(f"Harbourline Office {n}\nHarbour Street {n}\nPort Town" for n in range(1, 12))
    assert reflow(addresses) == addresses


def test_a_page_with_its_menus_is_read_as_it_is(tmp_path: Path) -> None:
    # A privacy statement copied with its site's menus (Aetna's): short menu lines set the column, and its
    # paragraphs, each far wider, were joined to the titles after them as if wrapped ("…in any way.
    # What types of information do we collect? We may collect…"), so no title was found.
    menu = "\n".join(
        f"*   {name} plans, coverage and services for our members" for name in ("Dental", "Vision", "Drug") * 20
    )
    sections = "\n\n".join(
        f"{title}\n\n" + f"We describe {title.lower()[:-1]} here in full, with every condition that applies to it. " * 6
        for title in (
            "What types of information do we collect?",
            "How do we use your information?",
            "How do we protect your information?",
            "Who do we share it with?",
        )
    )
    path = tmp_path / "orbit-privacy.md"
    path.write_text(f"{menu}\n\nOrbit Privacy Statement\n\n{sections}\n", encoding="utf-8")
    doc = load_document(path)
    assert "\n\nWhat types of information do we collect?\n\n" in doc.text
    titles = [c.heading for c in parse_clauses(doc.doc_id, doc.text)]
    assert "How do we protect your information?" in titles and "Who do we share it with?" in titles


def test_numbered_titles_closing_with_a_full_stop_hold_their_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "harbourline-terms.txt"
    path.write_text(WRAPPED, encoding="utf-8")
    doc = load_document(path)
    clauses = parse_clauses(doc.doc_id, doc.text)
    got = {c.label: c for c in clauses if c.label}
    assert [c.label for c in clauses if c.label] == [str(n) for n in range(1, 8)]
    assert got["2"].heading == "Storage Plans."
    assert "read-only for ninety days" in doc.text[got["2"].start : got["2"].end]
    # The capitals of the disclaimer are its text, not a title over it.
    assert got["5"].heading == "No Warranty."
    assert "SECOND COPY" in doc.text[got["5"].start : got["5"].end]
    assert "thirty days before they are gone" in doc.text[got["3"].start : got["3"].end]


def test_a_wrapped_text_is_quoted_by_whole_sentences_at_the_files_offsets(tmp_path: Path) -> None:
    cw = engine_over(tmp_path, {"harbourline-terms.txt": WRAPPED})
    ans = cw.ask("Can I still use a paid plan after I cancel it?")
    assert ans.status == "answered"
    first = ans.citations[0]
    assert first.label == "2"
    # A whole sentence, though the file breaks it over four lines; the offsets are the file's own.
    assert " ".join(WRAPPED[first.start : first.end].split()) == " ".join(first.quote.split())
    assert "a cancelled plan keeps working until the end of the month" in " ".join(first.quote.split())
    assert first.quote.rstrip().endswith("ninety days.")
    assert cw.lookup("section 2 of the Harbourline terms").citations[0].quote.startswith("2. Storage Plans.")


UNDERLINED = (
    "Harbourline Licence\n\n1. Grants\n-----------\n\nHarbourline grants you the right to run the client on "
    "your own devices.\n\n2. Disputes\n-------------\n\nAny dispute about this licence goes before the courts "
    "of the place where the defendant has its seat.\n"
)
# As pdftotext writes a typeset agreement: each heading's number on a line of its own, a contents page.
TYPESET = (
    "SUPPLY AGREEMENT\n\nTABLE OF CONTENTS\n\n1.\n\nDefinitions.......................3\n\n2.\n\n"
    "Term of Agreement.................4\n\n3.\n\nFees..............................4\n\nPage 1\n\n1.\n\n"
    "DEFINITIONS\nIn this Agreement, Goods means the goods listed in the order.\n\nPage 2\n\n2.\n\n"
    "TERM OF AGREEMENT\nThis Agreement runs for three years from the date of the first order and then "
    "renews for one year at a time.\n\n3.\n\nFEES\nThe Buyer pays each invoice within thirty days.\n"
)


@pytest.mark.parametrize(
    ("text", "question", "opening"),
    [
        # not "-------------\nAny dispute…"
        (UNDERLINED, "Which courts decide disputes about the Harbourline licence?", "Any dispute about this licence"),
        # not "TERM OF AGREEMENT\nThis…"
        (TYPESET, "What term does the Harbourline agreement run for?", "This Agreement runs for three years"),
    ],
)
def test_a_quote_starts_with_the_clauses_words_not_the_lines_of_its_title(
    tmp_path: Path, text: str, question: str, opening: str
) -> None:
    cw = engine_over(tmp_path, {"harbourline-terms.txt": text})
    first = cw.ask(question).citations[0]
    assert first.label == "2"
    assert first.quote.startswith(opening)


def test_a_box_drawn_around_a_clause_is_read_as_the_clause(tmp_path: Path) -> None:
    # As licences set their disclaimers: each line framed by asterisks, under and over a rule of them.
    width = 70
    inner = textwrap.wrap(
        "Harbourline keeps no promise about your files beyond what these terms say, and the whole risk of "
        "losing them is yours. Nothing here limits a right the law gives you and no contract can take away.",
        width - 6,
    )
    box = ["*" * width, "*" + " " * (width - 2) + "*", "*  8. No Promises" + " " * (width - 19) + "*"]
    box += ["*  " + line.ljust(width - 5) + "*" for line in inner] + ["*" * width]
    text = WRAPPED + "\n" + "\n".join(box) + "\n"
    path = tmp_path / "harbourline-boxed.txt"
    path.write_text(text, encoding="utf-8")
    doc = load_document(path)
    assert len(doc.text) == len(text), "one character for one: the file's offsets hold"
    clauses = parse_clauses(doc.doc_id, doc.text)
    eight = next(c for c in clauses if c.label == "8")
    assert eight.heading == "No Promises"
    assert not [c for c in clauses if c.clause_id.startswith(eight.clause_id + ".")], "no line is an item"
    body = " ".join(doc.text[eight.start : eight.end].split())
    assert "whole risk of losing them is yours" in body and "*" not in body.rstrip("*"), "the frame is gone"
