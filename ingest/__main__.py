"""python -m ingest PATH... : index documents, with a progress bar and a summary.

Exit codes: 0 all went in, 1 some files failed (the rest went in), 2 bad usage or no index.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

from ingest.embed import EmbeddingCache
from ingest.errors import ClausewiseError
from ingest.fetch import is_url
from ingest.pipeline import ingest_paths
from ingest.settings import Settings
from ingest.store import open_store


class ProgressBar:
    """One line on stderr, redrawn in place; ended before anything else is printed."""

    def __init__(self) -> None:
        self.open = False  # the bar's line has no newline yet
        self.shown = (-1, -1)

    def __call__(self, done: int, total: int, label: str) -> None:
        if not sys.stderr.isatty() and done not in (0, total):
            return
        if done >= total and self.shown == (done, total):
            return  # finished already: the last document's last batch said so
        self.shown = (done, total)
        width = 30
        filled = width * done // total if total else width
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} chunks  {label[:40]:<40}")
        self.open = done < total
        if not self.open:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def end(self) -> None:
        if self.open:
            sys.stderr.write("\n")
            self.open = False


def _positive_int(raw: str) -> int:
    if not raw.strip().isdigit() or int(raw) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, got {raw!r}")
    return int(raw)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m ingest", description="Index documents (PDF, HTML, DOCX, .txt, .md, or URLs) for Clausewise."
    )
    ap.add_argument("paths", nargs="+", help="files, folders or http(s) URLs")
    ap.add_argument("--rebuild", action="store_true", help="drop the index first and re-embed everything")
    ap.add_argument("--batch-size", type=_positive_int, default=16, help="chunks per embedding call (default 16)")
    ap.add_argument(
        "--workers",
        type=_positive_int,
        default=1,
        help="embed in N processes (at most one per core; default 1, which already uses every core), "
        "or with CLAUSEWISE_EMBED_URL send N batches to the server at once",
    )
    args = ap.parse_args(argv)
    missing = [p for p in args.paths if not is_url(p) and not Path(p).exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    bar = ProgressBar()
    try:
        settings = Settings.from_env()
        store = open_store(settings)
        if args.rebuild:
            store.reset()
        t0 = time.perf_counter()
        report = ingest_paths(
            args.paths,
            store,
            EmbeddingCache(settings.cache_path),
            bar,
            args.batch_size,
            settings.allow_private_urls,
            args.workers,
        )
    except ClausewiseError as e:
        bar.end()
        print(f"error: {e}", file=sys.stderr)
        return 2
    for path, reason in report.failed:
        # Reasons start with the file's name; the full path is already printed once.
        shown = path if is_url(path) else Path(path).name
        print(f"skipped {path}: {reason.removeprefix(shown + ': ')}", file=sys.stderr)
    print(f"{report.summary()} in {time.perf_counter() - t0:.1f}s")
    return 0 if report.ok else 1


if __name__ == "__main__":
    # Piped into `head`: stop quietly when the reader goes away, as command-line tools do.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
