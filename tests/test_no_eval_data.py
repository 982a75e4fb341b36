"""The product never reads the evaluation data: no file under ../shared/ or bench/eval/ is opened by
ingest, ask, lookup, serve or the app (an audit hook records every open)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import CORPUS, DEV_SET, ROOT, free_port, run_module


def _opened(tmp_path: Path, *args: str, home: Path) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    log = tmp_path / f"opens-{time.monotonic_ns()}.log"
    env = {"CLAUSEWISE_HOME": str(home), "PATH": "/usr/bin:/bin"}
    run = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "opens.py"), str(log), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return run, [p for p in log.read_text(encoding="utf-8").splitlines() if p]


@pytest.mark.skipif(not DEV_SET.exists(), reason="shared/eval is not beside the repo")
def test_the_audit_sees_a_read_of_evaluation_data(tmp_path: Path) -> None:
    run, opened = _opened(tmp_path, "-m", "json.tool", "--json-lines", str(DEV_SET), home=tmp_path)
    assert run.returncode == 0 and opened == [str(DEV_SET)]


@pytest.mark.slow
def test_ingest_ask_lookup_and_app_open_no_evaluation_data(tmp_path: Path) -> None:
    home = tmp_path / "home"
    for args in (
        ("-m", "ingest", str(CORPUS)),
        ("-m", "qa", "ask", "Can Smartproxy freeze my account?"),
        ("-m", "qa", "lookup", "smartproxy 3.1.2"),
        ("-m", "qa", "flags", "app-service-agreement.txt"),
        ("--app", "Can I refuse cookies on SMM's website?"),
    ):
        run, opened = _opened(tmp_path, *args, home=home)
        assert run.returncode == 0, run.stderr[-2000:]
        assert opened == [], f"{args} opened {opened}"


@pytest.mark.slow
def test_serve_opens_no_evaluation_data(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    assert run_module("ingest", str(CORPUS), home=tmp_path / "home").returncode == 0
    env = {"CLAUSEWISE_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}
    cmd = [sys.executable, str(ROOT / "tests" / "opens.py"), str(log), "-m", "qa", "serve", "--port", str(port)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        body = json.dumps({"question": "Can Smartproxy freeze my account?"}).encode()
        for _ in range(240):
            try:
                req = urllib.request.Request(
                    f"http://127.0.0.1:{port}/v1/ask", body, {"Content-Type": "application/json"}
                )
                with urllib.request.urlopen(req, timeout=60) as r:
                    assert json.load(r)["status"] == "answered"
                break
            except OSError:  # not listening yet
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                time.sleep(0.5)
        else:
            pytest.fail("the server did not answer")
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    opened = [p for p in log.read_text(encoding="utf-8").splitlines() if p]
    assert opened == []


def test_the_training_questions_share_no_wording_with_evaluation_questions() -> None:
    import re

    from qa.model.type_questions import OTHER_LANGUAGES, OTHER_QUESTIONS, TYPE_QUESTIONS, WATCH_QUESTIONS

    sets = [ROOT / "bench" / "own" / "questions.jsonl", ROOT / "bench" / "eval" / "corpus_questions.jsonl"]
    sets += [ROOT / "bench" / "eval" / "doc_questions.jsonl", DEV_SET]
    sets += [ROOT / "bench" / "languages" / "questions.jsonl", ROOT / "bench" / "languages" / "heldout.jsonl"]
    sets += [ROOT.parent / "shared" / "eval" / "policyqa-dev" / "questions.jsonl"]
    sets += [ROOT / "bench" / "labels" / "privacy-user" / "questions.jsonl"]
    asked = [json.loads(line)["question"] for f in sets if f.exists() for line in f.read_text().splitlines() if line]
    asked += [q for qs in json.loads((ROOT / "bench" / "claudette_questions.json").read_text()).values() for q in qs]

    def runs(text: str) -> set[str]:
        w = re.findall(r"\w+", text.lower())
        return {" ".join(w[i : i + 4]) for i in range(len(w) - 3)}

    used = set().union(*(runs(q) for q in asked))
    shared = {
        q: runs(q) & used
        for qs in [*TYPE_QUESTIONS.values(), OTHER_QUESTIONS, WATCH_QUESTIONS, *OTHER_LANGUAGES.values()]
        for q in qs
        if runs(q) & used
    }
    assert not shared, shared
