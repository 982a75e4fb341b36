"""Crash safety: `python -m ingest` killed with SIGKILL at random points, again and again.

After every kill the documents ingested before are intact and an interrupted document is either
absent, its previous version, or complete; the next ingest repairs everything (no orphans, no
duplicates).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT, run_module

pytestmark = pytest.mark.slow
KILLS = 20


def write_corpus(folder: Path, version: int) -> None:
    """Four documents whose text changes with `version`, so every run has real work to do."""
    folder.mkdir(exist_ok=True)
    for d in range(4):
        lines = [f"Document {d} Terms (edition {version})", ""]
        for s in range(1, 9):
            lines += [f"{s}. Section {s}", ""]
            for k in range(1, 9):
                lines.append(
                    f"{s}.{k} In edition {version}, rule {s}.{k} of document {d} says item {k * 7 + d} applies."
                )
            lines.append("")
        (folder / f"doc-{d}.txt").write_text("\n".join(lines), encoding="utf-8")


def state(home: Path) -> dict:
    run = subprocess.run(
        [sys.executable, "-m", "tests.crash_check", str(home)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_sigkill_during_ingest_never_leaves_a_half_document(tmp_path: Path) -> None:
    rng = random.Random(20261122)
    home, stable, changing = tmp_path / "home", tmp_path / "stable", tmp_path / "changing"
    write_corpus(stable, 0)
    for f in stable.iterdir():
        f.rename(stable / f"stable-{f.name}")
    assert run_module("ingest", str(stable), home=home).returncode == 0
    before = state(home)["docs"]
    assert len(before) == 4
    killed_mid_run = 0
    for i in range(1, KILLS + 1):
        write_corpus(changing, i)
        env = {"CLAUSEWISE_HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        proc = subprocess.Popen(
            [sys.executable, "-m", "ingest", "--batch-size", "4", str(changing)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # The ingest takes about 6 s here (start-up 1 s, then 260 short chunks): most kills land inside it.
        time.sleep(rng.uniform(1.0, 5.0))
        if proc.poll() is None:
            killed_mid_run += 1
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        now = state(home)
        for d, rec in before.items():
            assert now["docs"][d] == rec, f"kill {i}: {d}, ingested before, changed"
        for d, rec in now["docs"].items():
            assert rec["committed_chunks"] == rec["n_chunks"], f"kill {i}: {d} is visible but incomplete"
        assert now["ids_unique"]
    assert killed_mid_run >= KILLS // 2, "most kills should land while the ingest is running"
    assert run_module("ingest", str(stable), str(changing), home=home).returncode == 0
    final = state(home)
    assert len(final["docs"]) == 8
    assert final["total_chunks"] == sum(r["n_chunks"] for r in final["docs"].values()), "no orphans, no duplicates"
    assert all(r["committed_chunks"] == r["n_chunks"] for r in final["docs"].values())
