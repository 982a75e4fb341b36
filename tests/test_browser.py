"""The real app in headless Chromium: upload a PDF in the sidebar, ask about it, see the page in the citation.

Needs Debian's chromium (/usr/bin/chromium) and the playwright package (requirements-dev.txt); .ci/run
installs chromium. Playwright only drives the browser: it never downloads one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .build_docs import pdf_of
from .conftest import ROOT, free_port
from .openai_stub import OpenAIStub, Reply
from .test_formats import PAGES

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    with _served_app(tmp_path, {}) as url:
        yield url


@pytest.fixture
def slow_app_url(tmp_path: Path) -> Iterator[str]:
    """The app with an LLM that takes 3 s and then fails: each answer is slow, and still comes (extractive)."""
    with OpenAIStub(Reply("", status=503, delay=3.0)) as stub:
        env = {"OPENAI_BASE_URL": stub.base_url, "OPENAI_API_KEY": "x", "CLAUSEWISE_LLM_RETRIES": "0"}
        with _served_app(tmp_path, env) as url:
            yield url


@contextlib.contextmanager
def _served_app(tmp_path: Path, extra: dict[str, str]) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "CLAUSEWISE_HOME": str(tmp_path / "home"), **extra}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless=true",
            f"--server.port={port}",
            "--server.address=127.0.0.1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(120):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_pdf_uploaded_in_the_chat_is_cited_with_its_page(app_url: str, tmp_path: Path) -> None:
    pdf = tmp_path / "acme-cloud.pdf"
    pdf.write_bytes(pdf_of(PAGES))
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        page.goto(app_url)
        page.get_by_placeholder("Ask", exact=False).wait_for(timeout=120_000)
        page.locator("section[data-testid='stSidebar'] input[type='file']").set_input_files(str(pdf))
        page.get_by_text("Acme Cloud Services Agreement: added").wait_for(timeout=120_000)
        box = page.get_by_placeholder("Ask", exact=False)
        box.fill("In the acme-cloud PDF, how long until Customer Data is deleted after termination?")
        box.press("Enter")
        page.get_by_text("Related clauses", exact=False).wait_for(timeout=120_000)
        first = page.locator("[data-testid='stChatMessage'] summary").first
        assert "3.2" in first.inner_text() and "p. 3" in first.inner_text()
        browser.close()


def test_a_question_typed_while_an_answer_is_written_loses_nothing(slow_app_url: str) -> None:
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        page.goto(slow_app_url)
        box = page.get_by_placeholder("Ask", exact=False)
        box.wait_for(timeout=120_000)
        box.fill("Can Smartproxy freeze my account?")
        box.press("Enter")
        page.get_by_text("writing an answer", exact=False).wait_for(timeout=60_000)
        box.fill("Does SMM share my data with third parties?")  # the first answer is still being found
        box.press("Enter")
        page.get_by_text("Related clauses", exact=False).nth(1).wait_for(timeout=120_000)
        messages = page.locator("[data-testid='stChatMessage']")
        texts = [messages.nth(i).inner_text() for i in range(messages.count())]
        assert len(texts) == 4, texts
        assert "Smartproxy freeze" in texts[0] and "Smartproxy" in texts[1] and "[1]" in texts[1]
        assert "SMM share" in texts[2] and "SMM" in texts[3] and "[1]" in texts[3]
        browser.close()


def test_the_watch_out_panel_in_the_browser(tmp_path: Path) -> None:
    shot = Path(os.environ.get("CLAUSEWISE_SCREENSHOTS", tmp_path)) / "watch-panel.png"
    with _served_app(tmp_path, {"CLAUSEWISE_CORPUS": str(ROOT / "tests" / "types")}) as url:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 1600})
            page.goto(url)
            page.get_by_placeholder("Ask", exact=False).wait_for(timeout=120_000)
            page.get_by_text("What to watch out for").click()
            page.get_by_text("clearly unfair").first.wait_for(timeout=60_000)
            page.locator("summary", has_text="5 Suspension and Termination").first.click()
            page.get_by_text("Brightlane may suspend or terminate", exact=False).first.wait_for(
                state="visible", timeout=30_000
            )
            page.wait_for_timeout(1500)  # the expander's opening animation, for the screenshot
            page.screenshot(path=str(shot), full_page=True)
            panel = page.locator("body").inner_text()
            browser.close()
    assert "Brightlane Streaming Terms of Use" in panel and "arbitration" in panel and "not legal advice" in panel
    assert shot.stat().st_size > 20_000
