"""Hostile files beside good ones: hundreds of them, each refused with one line saying why, no traceback,
the good documents still indexed, and all of it inside a 2 GiB address space."""

from __future__ import annotations

import io
import os
import random
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

from .build_docs import PAGES_GOOD, docx_of, pdf_of
from .conftest import FIXTURES, ROOT

COPIES = 30
LIMIT = 2 << 30  # bytes of address space the ingest may use


def _bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z, z.open("word/document.xml", "w") as f:
        zeros = b"\0" * (1 << 20)
        for _ in range(110):
            f.write(zeros)
    return buf.getvalue()


def hostile(folder: Path) -> dict[str, str]:
    """COPIES files of each hostile kind; returns {file name: the words its refusal must contain}."""
    rng = random.Random(7)
    pdf = pdf_of(PAGES_GOOD)
    bomb = _bomb()
    deep = b"<html><body>" + b"<div>" * 200_000 + b"</div>" * 200_000 + b"</body></html>"
    expect = {}
    for i in range(COPIES):
        cut = pdf[: rng.randrange(200, len(pdf) // 2)]
        kinds = {
            f"truncated-{i}.pdf": (cut, "not a readable PDF"),
            f"not-a-zip-{i}.docx": (rng.randbytes(3000), "not a Word file"),
            f"bomb-{i}.docx": (bomb, "unpacks to 110 MiB"),
            f"deep-{i}.html": (deep, "no readable text"),
            f"random-{i}.txt": (rng.randbytes(5000), "not"),
            f"empty-{i}.md": (b"", "empty file"),
        }
        for name, (raw, reason) in kinds.items():
            (folder / name).write_bytes(raw)
            expect[name] = reason
        huge = folder / f"huge-{i}.txt"
        with huge.open("wb") as f:
            f.truncate(26 * 1024 * 1024)  # sparse: 26 MB on paper, refused before it is read
        expect[huge.name] = "too large (26 MiB"
    return expect


def test_hundreds_of_hostile_files_beside_good_ones(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    expect = hostile(folder)
    for good in FIXTURES.iterdir():
        (folder / good.name).write_bytes(good.read_bytes())
    (folder / "initech-terms.docx").write_bytes(docx_of([(0, "Fees", ""), (1, "Fees are due monthly in advance.", "")]))
    env = {**os.environ, "CLAUSEWISE_HOME": str(tmp_path / "home")}

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))

    run = subprocess.run(
        [sys.executable, "-m", "ingest", str(folder)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        preexec_fn=limited,
    )
    assert run.returncode == 1, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    assert f"3 added, 0 replaced, 0 unchanged, {len(expect)} failed" in run.stdout
    lines = [ln for ln in run.stderr.splitlines() if ln.startswith("skipped ")]
    assert len(lines) == len(expect) == 7 * COPIES
    for line in lines:
        name = Path(line.removeprefix("skipped ").split(": ", 1)[0]).name
        assert expect[name] in line, line
