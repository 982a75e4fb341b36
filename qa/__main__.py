"""python -m qa ask|lookup|eval : ask questions from the terminal.

Exit codes: 0 answered (or evaluated), 1 the documents do not address it / clause not found, 2 an error.
"""

from __future__ import annotations

import argparse
import hashlib
import ipaddress
import json
import signal
import sys
import time
from pathlib import Path

from ingest.errors import ClausewiseError
from ingest.load import iter_files
from qa.chain import Clausewise
from qa.errors import BadQuestion, UnknownDocument
from qa.evaluate import Scored, gold_problem, read_questions, report, score_one
from qa.settings import Settings
from qa.types import Answer


def _print_answer(a: Answer, as_json: bool, streamed: bool = False) -> None:
    if as_json:
        print(json.dumps(a.to_json(), ensure_ascii=False, indent=2))
        return
    if a.follows:
        titles = ", ".join(dict.fromkeys(c.title for c in [*a.citations, *a.related]))
        print(f"(read with the question before, “{a.follows}”, asked of {titles})", file=sys.stderr)
    if a.notice:
        print(a.notice, file=sys.stderr)
    if streamed:
        print()
    else:
        print(a.text)
    for c in a.citations:
        page = f" p. {c.page}" if c.page else ""
        print(f"  [{c.n}] {c.doc} {c.clause_id.split('#', 1)[1]}{page}  chars {c.start}-{c.end}")
        if c.change:
            print(f"      now:    {' '.join(c.quote.split())}")
            if c.previous and c.change != "moved":
                print(f"      before: {' '.join(c.previous.split())}")
    if a.related:
        print("Related:")
        for c in a.related:
            print(f"  - {c.title}, {' › '.join(c.path)}: {' '.join(c.quote.split())[:100]}")


def _engine(settings: Settings, corpus: str | None) -> Clausewise:
    if corpus is None:
        return Clausewise(settings)
    folder = Path(corpus).resolve()
    if not folder.is_dir():
        raise ClausewiseError(f"--corpus {corpus}: not a folder")
    # Each corpus folder gets its own index, so answers come from exactly those documents.
    tag = hashlib.sha256(str(folder).encode()).hexdigest()[:12]
    cw = Clausewise(settings.with_home(settings.home / "corpora" / f"{folder.name}-{tag}"))
    report_ = cw.ingest([folder])
    wanted = {p.name for p in iter_files([folder])}
    for did, meta in cw.store.documents_meta().items():
        if meta.source not in wanted:
            cw.store.delete_document(did)
    for path, reason in report_.failed:
        print(f"skipped {path}: {reason}", file=sys.stderr)
    return cw


def _short(text: str, n: int = 160) -> str:
    one = " ".join(text.split())
    return one if len(one) <= n else one[: n - 1] + "…"


def describe_miss(q: dict, res: dict, s: Scored) -> str:
    """A miss as a person reads it: the question, what was expected, what was cited."""
    lines = [f"## {q['id']} [{s.qtype}] {q['question']}", ""]
    if s.answerable:
        lines.append(f"Expected (any quote per document; missing: {', '.join(s.misses) or 'none'}):")
        lines += [f"- {g['doc']}: “{_short(g['quote'])}”" for g in q.get("gold", [])]
    else:
        lines.append("Expected: a statement that the documents do not address it.")
    lines.append(f"Answered: {res['status']}. Cited:")
    lines += [f"- [{c['n']}] {c['clause_id']}: “{_short(c['quote'])}”" for c in res["citations"]] or ["- nothing"]
    return "\n".join(lines) + "\n"


def _writable(path: str | None, flag: str) -> None:
    """Fail before answering anything when an output file cannot be written."""
    if path and not Path(path).resolve().parent.is_dir():
        raise ClausewiseError(f"{flag} {path}: the folder {Path(path).parent} does not exist")


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    src = Path(args.questions)
    if not src.is_file():
        raise ClausewiseError(f"{args.questions}: no such file")
    _writable(args.out, "--out")
    _writable(args.misses, "--misses")
    try:
        questions, problems = read_questions(src.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as e:
        raise ClausewiseError(f"{args.questions}: not valid UTF-8 (byte {e.start})") from None
    cw = _engine(settings, args.corpus)
    texts = {d.meta.source: d.text for d in cw.snapshot().docs.values()}
    scored = []
    misses: list[str] = []
    skipped = [(p.line, p.reason) for p in problems]
    out = open(args.out, "w", encoding="utf-8") if args.out else None  # noqa: SIM115
    t0 = time.perf_counter()
    try:
        for line, q in questions:
            scorable = "answerable" in q or "gold" in q
            why = gold_problem(q, texts) if scorable else None
            if why:
                skipped.append((line, why))
                continue
            try:
                a = cw.ask(q["question"], [q["doc"]] if q.get("doc") else None)
            except (BadQuestion, UnknownDocument) as e:
                skipped.append((line, str(e)))
                continue
            res = {"id": q["id"], **a.to_json()}
            if out:
                out.write(json.dumps(res, ensure_ascii=False) + "\n")
            if scorable:
                s = score_one(q, res, texts)
                scored.append(s)
                if not s.correct:
                    misses.append(describe_miss(q, res, s))
    finally:
        if out:
            out.close()
    for line, reason in sorted(skipped):
        print(f"{args.questions}:{line}: {reason}", file=sys.stderr)
    print(
        f"{len(questions) + len(problems) - len(skipped)} questions in {time.perf_counter() - t0:.1f}s", file=sys.stderr
    )
    if skipped:
        print(f"{len(skipped)} lines skipped (see above)", file=sys.stderr)
    if scored:
        print(report(scored))
        if args.misses:
            Path(args.misses).write_text("\n".join(misses) or "No misses.\n", encoding="utf-8")
            print(f"{len(misses)} misses written to {args.misses}")
    return 1 if skipped else 0


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    if not _loopback(args.host) and not settings.api_token:
        print(
            f"error: refusing to listen on {args.host} without CLAUSEWISE_API_TOKEN; set a token "
            "(clients send Authorization: Bearer <token>) or listen on 127.0.0.1",
            file=sys.stderr,
        )
        return 2
    import uvicorn

    from qa.api import create_app

    uvicorn.run(create_app(Clausewise(settings)), host=args.host, port=args.port, log_level="info")
    return 0


def cmd_changes(cw: Clausewise, args: argparse.Namespace) -> int:
    found = cw.changes(args.doc, args.from_version, args.to_version)
    if args.json:
        print(json.dumps(found.to_json(), ensure_ascii=False, indent=2))
        return 0
    print(f"{found.doc}: version {found.from_version} -> {found.to_version}, {len(found.changes)} changes")
    for c in found.changes:
        where = " › ".join(c.path) or c.label or "(unnumbered)"
        ids = f"{c.old_clause_id or '-'} -> {c.new_clause_id or '-'}"
        print(f"\n{c.kind.upper():<9} {where}  ({ids})")
        if c.old_text and c.kind != "moved":
            print(f"  before: {' '.join(c.old_text.split())}")
        if c.new_text:
            print(f"  {'now' if c.kind != 'added' else 'new'}:    {' '.join(c.new_text.split())}")
    return 0


def cmd_flags(cw: Clausewise, args: argparse.Namespace) -> int:
    doc_id, found = cw.flags(args.doc)
    meta = cw.snapshot().docs[doc_id].meta
    if args.json:
        print(
            json.dumps(
                {"doc": meta.source, "title": meta.title, "flags": [f.to_json() for f in found]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(f"{meta.title} ({meta.source}): {len(found)} flagged clause{'s' if len(found) != 1 else ''}")
    for f in found:
        c = f.citation
        where = " › ".join(c.path) + (f", p. {c.page}" if c.page else "")
        print(f"\n[{c.n}] {', '.join(f.type_names)} — {f.level_name} ({f.confidence:.0%} sure)")
        print(f"    {where}, characters {c.start}-{c.end}")
        print("    " + c.quote.replace("\n", "\n    "))
    print("\nFlags are a model's reading of the text, not legal advice.")
    return 0


def _version(raw: str) -> int:
    if not raw.strip().isdigit() or int(raw) < 1:
        raise argparse.ArgumentTypeError(f"must be a version number (1, 2, …), got {raw!r}")
    return int(raw)


def _port(raw: str) -> int:
    if not raw.strip().isdigit() or not 0 < int(raw) < 65536:
        raise argparse.ArgumentTypeError(f"must be a port number (1-65535), got {raw!r}")
    return int(raw)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m qa", description="Ask questions about the indexed documents.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("ask", help="answer a question with cited clauses")
    p.add_argument("question")
    p.add_argument("--doc", action="append", help="limit to a document (file name, title or name); repeatable")
    p.add_argument("--json", action="store_true", help="print the answer as JSON")
    p.add_argument(
        "--previous",
        metavar="QUESTION",
        help="the question asked before: one that only names documents ('And the App?') asks it again of them",
    )
    p = sub.add_parser("lookup", help="show a clause by number or heading, e.g. 'smartproxy 3.1.2'")
    p.add_argument("reference")
    p.add_argument("--doc", action="append")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("eval", help="answer a JSONL question set and score it")
    p.add_argument("questions")
    p.add_argument("--out", help="write one JSON answer per line here")
    p.add_argument("--corpus", help="answer over exactly the documents in this folder")
    p.add_argument("--misses", metavar="FILE", help="write the questions scored wrong (expected vs cited) here")
    p = sub.add_parser("changes", help="what changed between two versions of a document, clause by clause")
    p.add_argument("doc", help="file name, URL, id or name of the document")
    p.add_argument("--from", dest="from_version", type=_version, help="earlier version (default: the one before --to)")
    p.add_argument("--to", dest="to_version", type=_version, help="later version (default: the latest)")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("flags", help="the clauses to watch out for in a document, most serious first")
    p.add_argument("doc", help="file name, URL, id or name of the document")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("serve", help="run the HTTP API (OpenAPI docs at /docs)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_port, default=8000)
    args = ap.parse_args(argv)
    try:
        settings = Settings.from_env()
        if args.cmd == "eval":
            return cmd_eval(args, settings)
        if args.cmd == "serve":
            return cmd_serve(args, settings)
        cw = Clausewise(settings)
        if args.cmd == "changes":
            return cmd_changes(cw, args)
        if args.cmd == "flags":
            return cmd_flags(cw, args)
        if args.cmd == "ask":
            if args.json:
                a = cw.ask(args.question, args.doc, args.previous)
            else:
                streamed = False
                for event in cw.ask_stream(args.question, args.doc, args.previous):
                    if isinstance(event, Answer):
                        a = event
                    else:  # verified sentences of a written answer, as the model finishes each one
                        print(event, end="", flush=True)
                        streamed = True
                if streamed and a.mode != "llm":
                    print("\n(the written answer was withdrawn)", file=sys.stderr)
                    streamed = False
            _print_answer(a, args.json, streamed if not args.json else False)
            return 0 if a.status == "answered" else 1
        found = cw.lookup(args.reference, args.doc)
        if found is None:
            print(
                f"no clause matches {args.reference!r}; try a number such as 3.1.2 and a document name", file=sys.stderr
            )
            return 1
        _print_answer(found, args.json)
        return 0
    except ClausewiseError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    # Piped into `head`: stop quietly when the reader goes away, as command-line tools do.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
