"""Versions and what changed: earlier versions are kept, answers come from the latest, and the
clause-level changes are listed (CLI, API, chat question) with renumbered clauses moved, not re-added."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.chain import Clausewise
from qa.changes import changed_words, diff
from qa.errors import NoVersions
from qa.settings import Settings

from .conftest import run_module


def zephyr(*sections: tuple[str, str]) -> str:
    """The Zephyr terms with these numbered sections."""
    body = "\n\n".join(f"{n}. {heading}\n{text}" for n, (heading, text) in enumerate(sections, 1))
    return f"Zephyr Terms of Service\n\n{body}\n"


FEES = ("Fees", "Fees are billed monthly and are not refundable.")
LAW = ("Governing Law", "These terms are governed by the laws of Ireland.")
V1 = zephyr(
    ("Accounts", "You must be 18 or older to open a Zephyr account."),
    FEES,
    ("Termination", "Zephyr may close your account after 30 days notice."),
    ("Data Export", "You may export your data at any time from the settings page."),
    LAW,
)
# 1 modified in place; 3 added; Termination renumbered 3 -> 4 and reworded; Data Export removed;
# Governing Law unchanged; Fees unchanged.
V2 = zephyr(
    ("Accounts", "You must be 16 or older to open a Zephyr account."),
    FEES,
    ("Arbitration", "Any dispute will be resolved by binding arbitration in Dublin."),
    ("Termination", "Zephyr may close your account at any time without notice."),
    LAW,
)

# Only renumbered: a clause inserted at the top pushes the others down, words unchanged.
V3 = V2.replace("1. Accounts", "1. Welcome\nThanks for choosing Zephyr.\n\n2. Accounts", 1)
for old, new in (("2. Fees", "3. Fees"), ("3. Arbitration", "4. Arbitration"), ("4. Termination", "5. Termination")):
    V3 = V3.replace(old, new, 1)
V3 = V3.replace("5. Governing Law", "6. Governing Law", 1)


def kinds(changes: object) -> dict[str, tuple[str | None, str | None]]:
    return {f"{c.kind} {c.label}": (c.old_clause_id, c.new_clause_id) for c in changes.changes}  # type: ignore[attr-defined]


def test_changes_are_added_removed_modified_and_moved() -> None:
    got = kinds(diff("z", V1, V2, 1, 2, "z.txt"))
    assert got == {
        "modified 1": ("z#1", "z#1"),
        "added 3": (None, "z#3"),
        "modified 4": ("z#3", "z#4"),  # renumbered and reworded: one change with both ids
        "removed 4": ("z#4", None),
    }
    renumbered = kinds(diff("z", V2, V3, 2, 3, "z.txt"))
    assert renumbered["added 1"] == (None, "z#1")
    assert {k for k in renumbered if k.startswith("moved")} == {"moved 2", "moved 3", "moved 4", "moved 5", "moved 6"}
    assert len(renumbered) == 6  # nothing else: unchanged words are not listed as removed and added


def test_the_changed_words_are_found() -> None:
    new = "Zephyr may close your account at any time without notice."
    spans = [new[s:e] for s, e in changed_words("Zephyr may close your account after 30 days notice.", new)]
    assert spans == ["at any time without"]


@pytest.fixture
def zephyr(tmp_path: Path) -> Clausewise:
    cw = Clausewise(Settings(home=tmp_path / "home"))
    assert cw.ingest_upload(V1.encode(), "zephyr-terms.txt")[0] == "added"
    return cw


def test_versions_are_kept_and_questions_answer_from_the_latest(zephyr: Clausewise) -> None:
    with pytest.raises(NoVersions, match="only one version"):
        zephyr.changes("zephyr-terms.txt")
    assert zephyr.ingest_upload(V2.encode(), "zephyr-terms.txt")[0] == "replaced"
    assert zephyr.ingest_upload(V2.encode(), "zephyr-terms.txt")[0] == "unchanged"
    versions = zephyr.store.document_versions("zephyr-terms")
    assert [v.version for v in versions] == [1, 2] and versions[0].sha256 != versions[1].sha256
    a = zephyr.ask("How old must I be to open a Zephyr account?")
    assert "16 or older" in a.citations[0].quote
    assert zephyr.changes("zephyr-terms.txt", 1, 2).to_json()["to_version"] == 2
    with pytest.raises(NoVersions, match="no version 7"):
        zephyr.changes("zephyr-terms.txt", 1, 7)


def test_what_changed_is_answered_from_the_changes(zephyr: Clausewise) -> None:
    zephyr.ingest_upload(V2.encode(), "zephyr-terms.txt")
    a = zephyr.ask("What changed in the Zephyr terms?")
    assert a.kind == "changes" and a.status == "answered"
    assert "2 modified, 1 added, 1 removed" in a.text and "Removed: 4 Data Export" in a.text
    by_label = {c.label: c for c in a.citations}
    text = zephyr.snapshot().docs["zephyr-terms"].text
    assert by_label["4"].change == "modified" and "after 30 days notice" in (by_label["4"].previous or "")
    assert all(c.quote == text[c.start : c.end] for c in a.citations)
    assert by_label["3"].change == "added" and by_label["3"].previous is None


def test_cli_changes_json(zephyr: Clausewise) -> None:
    zephyr.ingest_upload(V2.encode(), "zephyr-terms.txt")
    run = run_module("qa", "changes", "zephyr-terms.txt", "--json", home=zephyr.settings.home)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert (out["doc"], out["from_version"], out["to_version"]) == ("zephyr-terms.txt", 1, 2)
    assert {c["kind"] for c in out["changes"]} == {"added", "removed", "modified"}
    first = out["changes"][0]
    assert set(first) == {"kind", "old_clause_id", "new_clause_id", "label", "path", "old_text", "new_text"}
    run = run_module("qa", "changes", "zephyr-terms.txt", "--from", "0", home=zephyr.settings.home)
    assert run.returncode == 2 and "version number" in run.stderr


ITEMS = """Widget Terms

1. Fees
(a) Fees are due monthly.
(b) Fees are not refundable.

2. Termination
(a) We may end the service on 30 days notice.
(b) You may end the service at any time.
"""


def test_items_of_the_same_letter_are_matched_within_their_own_clause() -> None:
    new = ITEMS.replace("due monthly", "due yearly").replace("30 days notice", "60 days notice")
    got = sorted((c.kind, c.old_clause_id, c.new_clause_id) for c in diff("w", ITEMS, new, 1, 2, "w.txt").changes)
    assert got == [("modified", "w#1.a", "w#1.a"), ("modified", "w#2.a", "w#2.a")]


def test_a_reworded_heading_leaves_its_unchanged_items_unlisted() -> None:
    new = ITEMS.replace("2. Termination", "2. Ending the agreement")
    listed = {c.old_clause_id or c.new_clause_id for c in diff("w", ITEMS, new, 1, 2, "w.txt").changes}
    assert not listed & {"w#2.a", "w#2.b", "w#1.a", "w#1.b"}


def test_a_clause_renumbered_in_words_is_moved() -> None:
    old = "Terms\n\nSection 1. Scope\nThese terms cover the app.\n\nSection 2. Fees\nFees are due monthly.\n"
    new = "Terms\n\nSection 1. Scope\nThese terms cover the app.\n\nSection 2. Privacy\nWe keep data safe.\n\n"
    new += "Section 3. Fees\nFees are due monthly.\n"
    changes = diff("t", old, new, 1, 2, "t.txt").changes
    assert ("moved", "3") in {(c.kind, c.label) for c in changes}
    assert "modified" not in {c.kind for c in changes}
