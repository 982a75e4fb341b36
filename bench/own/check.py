#!/usr/bin/env python3
"""Validate the independent evaluation set in this directory (standard library only).

Checks: every line of questions.jsonl parses, required fields and allowed values,
unique ids, answerable/gold consistency, every gold doc exists in docs/, and every
gold quote occurs verbatim in its document. Prints counts per type, doc and lang.
Exit status 1 if any error was found.
"""

import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(HERE, "docs")
QFILE = os.path.join(HERE, "questions.jsonl")

FIELDS = ["id", "question", "lang", "type", "answerable", "gold", "answer_gist", "notes"]
TYPES = {"fact", "yes_no", "lookup", "multi", "unanswerable"}
LANGS = {"en", "de", "zh"}

errors, warnings = [], []


def err(msg):
    errors.append(msg)


def main():
    docs = {}
    for name in sorted(os.listdir(DOCS)):
        if name.endswith(".txt"):
            with open(os.path.join(DOCS, name), encoding="utf-8") as f:
                docs[name] = f.read()
    for name, text in docs.items():
        if not 6000 <= len(text) <= 20000:
            warnings.append(f"{name}: length {len(text)} outside 6,000-20,000 characters")

    ids = set()
    per_type, per_lang, per_doc = Counter(), Counter(), Counter()
    per_doc_unans = Counter()
    n = 0
    with open(QFILE, encoding="utf-8") as f:
        lines = f.read().splitlines()
    for ln, line in enumerate(lines, 1):
        if not line.strip():
            err(f"line {ln}: blank line")
            continue
        try:
            q = json.loads(line)
        except json.JSONDecodeError as e:
            err(f"line {ln}: JSON error: {e}")
            continue
        n += 1
        where = f"line {ln} ({q.get('id', '?')})"
        if list(q.keys()) != FIELDS:
            err(f"{where}: keys {list(q.keys())} != {FIELDS}")
        qid = q.get("id")
        if not isinstance(qid, str) or not qid:
            err(f"{where}: bad id")
        elif qid in ids:
            err(f"{where}: duplicate id {qid}")
        ids.add(qid)
        for k in ("question", "answer_gist", "notes"):
            if not isinstance(q.get(k), str) or not q.get(k).strip():
                err(f"{where}: empty or non-string {k}")
        typ, lang, ans, gold = q.get("type"), q.get("lang"), q.get("answerable"), q.get("gold")
        if typ not in TYPES:
            err(f"{where}: bad type {typ!r}")
        if lang not in LANGS:
            err(f"{where}: bad lang {lang!r}")
        if not isinstance(ans, bool):
            err(f"{where}: answerable must be a boolean")
        if not isinstance(gold, list):
            err(f"{where}: gold must be a list")
            continue
        per_type[typ] += 1
        per_lang[lang] += 1
        if typ == "unanswerable":
            if ans is not False or gold:
                err(f"{where}: unanswerable must have answerable=false and gold=[]")
            m = re.match(r"Target doc: (\S+\.txt)\.", q.get("notes", ""))
            if not m or m.group(1) not in docs:
                err(f"{where}: unanswerable notes must start with 'Target doc: <existing file>.'")
            else:
                per_doc[m.group(1)] += 1
                per_doc_unans[m.group(1)] += 1
            continue
        if ans is not True or not gold:
            err(f"{where}: answerable question needs answerable=true and at least one gold entry")
        if typ == "multi" and len(gold) < 2:
            err(f"{where}: multi needs at least two gold entries")
        seen_docs = set()
        for g in gold:
            if not isinstance(g, dict) or set(g) != {"doc", "quote"}:
                err(f"{where}: gold entry must be {{doc, quote}}: {g!r}")
                continue
            d, quote = g["doc"], g["quote"]
            if d not in docs:
                err(f"{where}: gold doc not in docs/: {d}")
                continue
            seen_docs.add(d)
            if not 20 <= len(quote) <= 400:
                err(f"{where}: quote length {len(quote)} outside 20-400")
            c = docs[d].count(quote)
            if c == 0:
                err(f"{where}: quote not found verbatim in {d}: {quote[:80]!r}")
            elif c > 1:
                warnings.append(f"{where}: quote occurs {c} times in {d}")
        for d in seen_docs:
            per_doc[d] += 1

    print(f"questions: {n}")
    print(f"answerable: {n - per_type['unanswerable']}  unanswerable: {per_type['unanswerable']}")
    print("per type: " + ", ".join(f"{k}={per_type[k]}" for k in sorted(per_type)))
    print("per lang: " + ", ".join(f"{k}={per_lang[k]}" for k in sorted(per_lang)))
    print("per doc (questions / of which unanswerable / doc length):")
    for d in sorted(docs):
        print(f"  {d}: {per_doc[d]} / {per_doc_unans[d]} / {len(docs[d])} chars")

    # Targets from the brief (reported as warnings, not errors).
    targets = [
        (len(docs) >= 6, f"at least 6 docs (have {len(docs)})"),
        (n >= 70, f"at least 70 questions (have {n})"),
        (per_type["unanswerable"] >= 12, f"at least 12 unanswerable (have {per_type['unanswerable']})"),
        (per_type["lookup"] >= 6, f"at least 6 lookup (have {per_type['lookup']})"),
        (
            per_lang["de"] + per_lang["zh"] >= 6,
            f"at least 6 non-English questions (have {per_lang['de'] + per_lang['zh']})",
        ),
    ] + [(per_doc[d] >= 8, f"at least 8 questions for {d} (have {per_doc[d]})") for d in docs]
    for ok, msg in targets:
        if not ok:
            warnings.append("target missed: " + msg)

    for w in warnings:
        print("WARNING:", w)
    for e in errors:
        print("ERROR:", e)
    print("OK" if not errors else f"FAILED with {len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
