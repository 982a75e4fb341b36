"""Bad and foreign input at every entry point: a clear line saying what to fix, never a traceback."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from ingest.errors import ClausewiseError
from qa.api import RateLimiter
from qa.chain import Clausewise
from qa.settings import Settings

from .conftest import FIXTURES, LANGUAGES, run_module

HARBOR = """Harbor Lane Storage Rental Terms

1. Access
Tenants may access their storage unit every day between 6 a.m. and 10 p.m. using their personal gate code.

2. Rent
Rent is due on the first day of each month. A late fee of 15 dollars applies when rent is more than ten days overdue.

3. Ending the rental
Either party may end the rental with thirty days written notice.
"""


def nested(depth: int) -> str:
    """A list nested `depth` levels deep: "(a)" under "(1)" under "(a)"…, each one level further in."""
    lines = ["Deep Nesting Terms", ""]
    lines += [("(a) " if d % 2 else "(1) ") + f"Level {d}" for d in range(1, depth + 1)]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mixed")
    shutil.copytree(FIXTURES, folder / "good")
    shutil.copytree(LANGUAGES, folder / "foreign")
    (folder / "harbor-lane-storage.txt").write_bytes(HARBOR.encode("utf-16"))  # with its byte-order mark
    (folder / "numbers.txt").write_text("\n".join(str(i * 7919 % 10007) for i in range(400)), encoding="utf-8")
    (folder / "deep.txt").write_text(nested(1200), encoding="utf-8")
    (folder / "noise.txt").write_bytes(os.urandom(4096) + b"\x00")
    (folder / "gone.txt").symlink_to(folder / "deleted-since.txt")
    os.mkfifo(folder / "pipe.txt")  # reading it would wait forever
    (folder / "good" / "loop").symlink_to(folder)  # a linked folder is not followed
    return folder


@pytest.fixture(scope="module")
def mixed_run(mixed_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    home = tmp_path_factory.mktemp("mixed-home")
    return home, run_module("ingest", str(mixed_folder), home=home)


def test_a_folder_with_bad_files_indexes_the_good_ones_and_names_each_bad_one(mixed_run: tuple) -> None:
    _home, run = mixed_run
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert "6 added, 0 replaced, 0 unchanged, 4 failed" in run.stdout
    skipped = [line for line in run.stderr.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == 4
    assert any(line.endswith("gone.txt: no such file (a broken link)") for line in skipped)
    assert any(line.endswith("pipe.txt: not a regular file") for line in skipped)
    assert any("numbers.txt: no text to index (only 0 letters" in line for line in skipped)
    assert any("noise.txt: not a text file" in line for line in skipped)


@pytest.mark.parametrize(
    ("question", "source", "words"),
    [
        ("Может ли компания заблокировать мою учётную запись без уведомления?", "polarlink", "заблокировать"),
        ("Где разрешаются споры?", "polarlink", "Споры"),
        ("Kann Bergwerk mein Nutzerkonto sperren?", "bergwerk", "sperren"),
        ("Welches Recht gilt für den Vertrag?", "bergwerk", "Recht der Bundesrepublik"),
        ("Was steht in Abschnitt 5 der Bergwerk-Bedingungen?", "bergwerk", "Bergwerk haftet unbeschränkt"),
        ("When is rent due for the storage unit?", "harbor-lane", "first day of each month"),
        ("How old must I be to open an Acme account?", "acme", "16 years"),
    ],
)
def test_documents_in_any_language_and_encoding_are_answered_in_their_own_language(
    mixed_run: tuple, question: str, source: str, words: str
) -> None:
    home, _run = mixed_run
    cw = Clausewise(Settings(home=home))
    a = cw.ask(question)
    assert a.status == "answered", (question, a.text)
    first = a.citations[0]
    assert first.doc.startswith(source) and words in first.quote, (first.doc, first.quote)
    text = cw.snapshot().docs[first.clause_id.split("#")[0]].text
    assert text[first.start : first.end] == first.quote


def test_deep_nesting_is_flattened_not_refused(mixed_run: tuple) -> None:
    home, _run = mixed_run
    view = Clausewise(Settings(home=home)).snapshot().docs["deep"]
    depths = [c.depth for c in view.clauses.values()]
    assert max(depths) < 64 and len(depths) > 64
    assert "Level 1200" in view.text and sum(c.end - c.start for c in view.clauses.values() if c.depth == 0) > 0


def write_lines(path: Path, lines: list[object]) -> None:
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", encoding="utf-8")


def test_eval_skips_malformed_lines_with_file_and_line_and_reads_subfolders(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "privacy").mkdir(parents=True)
    shutil.copy(FIXTURES / "acme-terms.txt", corpus)
    shutil.copy(FIXTURES / "globex-privacy.md", corpus / "privacy")
    quote = (FIXTURES / "acme-terms.txt").read_text(encoding="utf-8").split("\n")[6].strip()
    questions = tmp_path / "q.jsonl"
    good = {"id": "g1", "question": "How old must I be to open an account?", "doc": "acme-terms.txt",
            "answerable": True, "gold": [{"doc": "acme-terms.txt", "quote": quote}]}  # fmt: skip
    write_lines(
        questions,
        [
            good,
            "42",  # line 2: a bare number
            {"id": "n1", "question": None},  # 3
            '{"id": "j1", "question": "broken',  # 4: invalid JSON
            {"id": "u1", "question": "Who gets my data?", "gold": [{"text": "x", "span": [1, 2]}]},  # 5
            {"id": "m1", "question": "Who gets my data?", "gold": [{"doc": "nowhere.txt", "quote": "x"}]},  # 6
            {"id": "s1", "question": "Does Globex share my data?", "doc": "globex-privacy.md"},  # 7: in a subfolder
            {"id": "d1", "question": "Who gets my data?", "doc": "no-such-doc.txt"},  # 8
        ],
    )
    out = tmp_path / "out.jsonl"
    run = run_module("qa", "eval", str(questions), "--corpus", str(corpus), "--out", str(out), home=tmp_path / "h")
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    for line, reason in [
        (2, "expected a JSON object, got int"),
        (3, "needs a 'question'"),
        (4, "not JSON"),
        (5, "unknown gold format"),
        (6, "gold document 'nowhere.txt' is not in the corpus"),
        (8, "no document matches 'no-such-doc.txt'"),
    ]:
        assert f"{questions}:{line}: {reason}" in run.stderr, (line, run.stderr)
    assert "6 lines skipped" in run.stderr
    results = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert set(results) == {"g1", "s1"}
    assert results["s1"]["citations"] and results["s1"]["citations"][0]["doc"] == "globex-privacy.md"
    assert "answerable with every gold document cited: 1/1" in run.stdout


def test_eval_says_what_is_missing_before_answering_anything(tmp_path: Path) -> None:
    run = run_module("qa", "eval", str(tmp_path / "missing.jsonl"), home=tmp_path / "h")
    assert run.returncode == 2 and run.stderr.strip() == f"error: {tmp_path / 'missing.jsonl'}: no such file"
    questions = tmp_path / "q.jsonl"
    write_lines(questions, [{"id": "a", "question": "Who gets my data?"}])
    for flag in ("--out", "--misses"):
        run = run_module("qa", "eval", str(questions), flag, str(tmp_path / "nope" / "x"), home=tmp_path / "h")
        assert run.returncode == 2 and "does not exist" in run.stderr and "Traceback" not in run.stderr


def test_lookup_finds_a_clause_by_its_heading_words(corpus_engine: Clausewise) -> None:
    for reference in ("force majeure section of the Smartproxy terms", "smartproxy force majeure"):
        found = corpus_engine.lookup(reference)
        assert found is not None, reference
        assert "Force majeure" in found.citations[0].path[-1] or "Force majeure" in found.citations[0].quote
        assert found.citations[0].doc == "smartproxy-user-service-agreement.txt"
    assert corpus_engine.lookup("zebra migration patterns") is None


def test_cli_lookup_by_heading_words(tmp_path: Path) -> None:
    home = tmp_path / "h"
    assert run_module("ingest", str(FIXTURES), home=home).returncode == 0
    run = run_module("qa", "lookup", "acme termination", home=home)
    assert run.returncode == 0, run.stderr
    assert "Termination" in run.stdout


@pytest.mark.parametrize("value", ["0", "-3", "abc", "1.5x", ""])
@pytest.mark.parametrize("flag", ["--batch-size", "--workers"])
def test_ingest_batch_size_and_workers_must_be_positive_whole_numbers(tmp_path: Path, value: str, flag: str) -> None:
    run = run_module("ingest", str(FIXTURES), flag, value, home=tmp_path / "h")
    assert run.returncode == 2 and f"{flag}: must be a whole number of at least 1" in run.stderr
    assert "Traceback" not in run.stderr


def test_rate_limit_takes_positive_decimals_and_names_the_variable_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUSEWISE_RATE_LIMIT", " 0.5 ")  # pasted with spaces around it
    assert Settings.from_env().rate_limit == 0.5
    monkeypatch.setenv("CLAUSEWISE_RATE_LIMIT", "0")
    assert Settings.from_env().rate_limit == 0  # documented: off
    for bad in ("-1", "abc", "nan", "inf", "1/2"):
        monkeypatch.setenv("CLAUSEWISE_RATE_LIMIT", bad)
        with pytest.raises(ClausewiseError, match=f"CLAUSEWISE_RATE_LIMIT must be a number >= 0, got '{bad}'"):
            Settings.from_env()
    limiter = RateLimiter(0.5)  # one request every two minutes
    assert limiter.check("a") == 0.0
    assert 119 < limiter.check("a") <= 120
    assert limiter.check("b") == 0.0


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("CLAUSEWISE_LLM_RETRIES", "1.5", "must be a whole number"),
        ("CLAUSEWISE_LLM_MAX_TOKENS", "0", "must be a whole number > 0"),
        ("CLAUSEWISE_MAX_UPLOAD_MB", "0", "must be a number > 0"),
        ("CLAUSEWISE_LLM_TIMEOUT", "nan", "must be a number > 0"),
        ("CHROMA_PORT", "99999", "must be a port number"),
        ("CLAUSEWISE_EMBED_URL", "bigbox:8080", "must be an http"),
        ("CLAUSEWISE_MIRROR_CHUNKS", "lots", "must be a whole number >= 0"),
        ("CLAUSEWISE_EMBEDDING", "huge-model", "must be one of: multilingual-e5-small"),
        ("CLAUSEWISE_LLM_STREAM", "maybe", "must be 1 or 0"),
    ],
)
def test_other_settings_refuse_values_that_would_misbehave(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, says: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ClausewiseError, match=f"{name} {says}"):
        Settings.from_env()


def test_a_bad_setting_is_one_line_at_the_command_line(tmp_path: Path) -> None:
    env_run = run_module("qa", "ask", "anything", home=tmp_path / "h", env={"CLAUSEWISE_RATE_LIMIT": "fast"})
    assert env_run.returncode == 2
    assert env_run.stderr.strip() == "error: CLAUSEWISE_RATE_LIMIT must be a number >= 0, got 'fast'"
    run = run_module("qa", "serve", "--port", "99999", home=tmp_path / "h")
    assert run.returncode == 2 and "must be a port number" in run.stderr and "Traceback" not in run.stderr
