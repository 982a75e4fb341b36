"""The whole development question set over the bundled corpus: every shown quote is an exact slice."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from qa.evaluate import score_one

from .conftest import CORPUS, DEV_SET, run_module


@pytest.mark.slow
@pytest.mark.skipif(not DEV_SET.exists(), reason="shared/eval is not beside the repo")
def test_dev_set_run_cites_only_exact_slices_and_prints_scores(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    home = tmp_path / "home"
    run = run_module("qa", "eval", str(DEV_SET), "--out", str(out), "--corpus", str(CORPUS), home=home)
    assert run.returncode == 0, run.stderr
    assert "answerable with every gold document cited" in run.stdout and "unanswerable declined" in run.stdout
    # Quality does not slip below what the README promises (dev set: 37/43, 5/6, 0/43, precision 0.69).
    for name, low in (("answerable with every gold document cited", 0.86), ("unanswerable declined", 0.8)):
        got, n = map(int, re.search(rf"{name}: (\d+)/(\d+)", run.stdout).groups())
        assert got / n >= low, (name, got, n)
    assert re.search(r"^answerable declined: 0/", run.stdout, re.M), run.stdout
    assert float(re.search(r"citation precision \(answerable, mean\): ([\d.]+)", run.stdout).group(1)) >= 0.69
    files = {p.name: p.read_bytes().decode("utf-8") for p in CORPUS.iterdir()}
    questions = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    results = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in results] == [q["id"] for q in questions]
    shown = 0
    for r in results:
        assert r["status"] in ("answered", "not_addressed")
        for c in r["citations"] + r["related"]:
            assert files[c["doc"]][c["start"] : c["end"]] == c["quote"], (r["id"], c["clause_id"])
            shown += 1
    assert shown > len(results)


def test_the_newer_terms_labels_hold_at_their_offsets_and_speak_for_every_type() -> None:
    # bench/claudette.py --set modern scores shown units against these offsets: one off, and a right
    # clause scores as a miss.
    root = Path(__file__).resolve().parent.parent / "bench" / "labels" / "modern"
    docs = {p.name: p.read_text(encoding="utf-8") for p in (root / "docs").glob("*.txt")}
    labels = [json.loads(line) for line in (root / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    absent = {(a["doc"], a["category"]) for a in map(json.loads, (root / "absent.jsonl").read_text().splitlines())}
    assert labels and all(docs[lab["doc"]][lab["start"] : lab["end"]] == lab["text"] for lab in labels)
    kinds = ("a", "ch", "cr", "j", "law", "ltd", "ter", "use")
    found = {(lab["doc"], lab["category"]) for lab in labels}
    assert {(d, k) for d in docs for k in kinds} == found | absent and not found & absent
    split = json.loads((root.parent.parent / "splits" / "modern.json").read_text(encoding="utf-8"))
    assert sorted(split["tune"] + split["heldout"]) == sorted(docs)


def test_the_privacy_user_questions_hold_at_their_offsets_and_each_is_asked_of_every_policy() -> None:
    # bench/policyqa.py --set privacy-user scores shown units against these offsets.
    root = Path(__file__).resolve().parent.parent / "bench" / "labels" / "privacy-user"
    docs = {p.name: p.read_text(encoding="utf-8") for p in (root / "docs").glob("*.txt")}
    rows = [json.loads(line) for line in (root / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(docs[g["doc"]][g["start"] : g["end"]] == g["quote"] for r in rows for g in r["gold"])
    assert all(r["answerable"] == bool(r["gold"]) for r in rows)
    asked = {r["question"] for r in rows}
    assert {(r["question"], r["doc"]) for r in rows} == {(q, d) for q in asked for d in docs}
    split = json.loads((root.parent.parent / "splits" / "privacy-user.json").read_text(encoding="utf-8"))
    assert sorted(split["tune"] + split["heldout"]) == sorted(docs)


def test_ranking_scores_count_shown_units_and_the_words_the_first_citation_quotes() -> None:
    text = "Intro words here. " * 5 + "We keep your data for 30 days. " + "Other words follow. " * 5
    gold_at = text.index("30 days")
    q = {"id": "q", "doc": "p.txt", "gold": [{"doc": "p.txt", "start": gold_at, "end": gold_at + 7}]}
    sentence = (text.index("We keep"), text.index("days.") + 5)
    unit = {"doc": "p.txt", "start": 0, "end": len(text), "focus": list(sentence)}
    elsewhere = {"doc": "p.txt", "start": 0, "end": 17}
    first = score_one(q, {"status": "answered", "citations": [unit], "related": []}, {"p.txt": text})
    assert first.hit1 and first.hit5 and first.correct
    assert first.p1 == pytest.approx(7 / len(text))
    assert first.p1_quoted == pytest.approx(7 / (sentence[1] - sentence[0]))
    later = score_one(q, {"status": "answered", "citations": [elsewhere], "related": [unit]}, {"p.txt": text})
    assert not later.hit1 and later.hit5 and not later.correct and later.p1 == later.p1_quoted == 0
