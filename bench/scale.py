"""How Clausewise behaves with N chunks indexed: build, cold start, query latency, add, delete, memory.

    python bench/scale.py --chunks 10000
    python bench/scale.py --chunks 100000 --json
    python bench/scale.py --chunks 100000 --chroma-server     # the same against a `chroma run` it starts

Synthetic documents: the bundled corpus's units recombined into many terms of service, with their
words varied (company names, numbers, the order of sentences), so the lexical index and the related
clauses stay realistic. Embedding 100k real chunks takes hours here, so each unit's vector is its
shipped seed vector plus noise, at about 0.9 cosine to it; the vectors go into the embedding cache
first and the documents then go through the real ingest pipeline, store and snapshot code.

Measured and printed as one JSON line: chunks, build_s, cold_start_s (a new process, start to first
answer), query_p50_ms / query_p95_ms (extractive, 200 questions never asked before, real query
embeddings), add_doc_s (one more 20-clause document until it answers, its embedding excluded and
reported as add_doc_embed_s), delete_doc_s, other_sees_add_s (from the add answering until a second
read view, sharing nothing but the store as another API process would, holds it; views check the
store once a second), rss_mb (the serving process).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.embed import SEED_DIR, E5Embedding, EmbeddingCache, text_key  # noqa: E402
from ingest.load import iter_files, load_document, parse_bytes  # noqa: E402
from ingest.pipeline import ingest_documents, prepare  # noqa: E402
from ingest.store import open_store  # noqa: E402
from qa.model.type_questions import OTHER_QUESTIONS, TYPE_QUESTIONS  # noqa: E402
from qa.settings import Settings  # noqa: E402

UNITS_PER_DOC = 50
LOAD_POOL = 4000  # distinct questions written beside the index: more than a 60 s load test asks
NOISE_COS = 0.9
NAMES = ("Smartproxy", "SMM", "SocialSmartly", "MaiBang", "App")
SYLLABLES = ("bri", "lo", "ven", "tar", "qui", "mo", "zel", "dra", "pen", "kor", "ath", "lume", "sto", "vex")


def company(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def source_units() -> list[tuple[str, np.ndarray]]:
    """The bundled corpus's English units and their shipped vectors."""
    seed = np.load(SEED_DIR / "multilingual-e5-small.npz")
    vec = dict(zip(seed["keys"], seed["vectors"], strict=True))
    model = E5Embedding().model_id
    out = []
    for f in iter_files([ROOT / "corpus"]):
        for c in prepare(load_document(f)).chunks:
            v = vec.get(text_key(model, c.embed_text))
            if v is not None and c.text.isascii() and len(c.text) > 80:
                out.append((c.text, v))
    return out


def vary(text: str, name: str, rng: random.Random) -> str:
    for n in NAMES:
        text = re.sub(rf"\b{re.escape(n)}\b", name, text)
    text = re.sub(r"\d+", lambda m: str(rng.randint(1, 99)), text)
    sentences = re.split(r"(?<=[.;])\s+", text)
    if len(sentences) > 2 and rng.random() < 0.5:
        i = rng.randrange(len(sentences) - 1)
        sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
    return " ".join(sentences)


def noisy(v: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    sigma = np.sqrt((1 / NOISE_COS**2 - 1) / len(v))
    out = v / np.linalg.norm(v) + rng.normal(0, sigma, len(v))
    return (out / np.linalg.norm(out)).astype(np.float32)


def synthetic_doc(i: int, units: list[tuple[str, np.ndarray]], n: int, rng: random.Random):  # noqa: ANN201
    """A terms-of-service document of n numbered sections, and the source vector of each section."""
    name = company(rng) + str(i)
    picks = [rng.choice(units) for _ in range(n)]
    body = "\n\n".join(f"{k}. {vary(t, name, rng).replace(chr(10), ' ')}" for k, (t, _) in enumerate(picks, 1))
    text = f"{name} Terms of Service\n\n{body}\n"
    return parse_bytes(text.encode(), f"{name.lower()}-terms.txt"), [v for _, v in picks]


def seed_vectors(doc, vectors: list[np.ndarray], cache: EmbeddingCache, model: str, rng: np.random.Generator) -> int:  # noqa: ANN001
    """Put each chunk's vector (its section's source vector, with noise) in the cache; chunks made."""
    chunks = prepare(doc).chunks
    items = {}
    for c in chunks:
        m = re.match(r"(\d+)\.", c.text)
        k = int(m.group(1)) - 1 if m and int(m.group(1)) <= len(vectors) else 0
        items[text_key(model, c.embed_text)] = noisy(vectors[k], rng)
    cache.put_many(items)
    return len(chunks)


def questions(n: int, names: list[str], rng: random.Random) -> list[str]:
    """n distinct questions, each naming a document. A question is asked of the document it names
    without the name, so its wording is drawn without replacement: the first len(pool) questions (the
    200 timed here among them) all embed different text."""
    pool = [q for qs in TYPE_QUESTIONS.values() for q in qs] + list(OTHER_QUESTIONS)
    out: dict[str, None] = {}  # distinct, in the order drawn
    while len(out) < min(n, len(pool) * len(names)):
        for q in rng.sample(pool, len(pool)):
            out[f"{q.rstrip('?')} — in the {rng.choice(names)} terms?"] = None
    return list(out)[:n]


SERVE = r"""
import json, os, resource, sys, time
t0 = time.perf_counter()
sys.path.insert(0, {root!r})
from qa.chain import Clausewise
from qa.settings import Settings
settings = Settings.from_env()
cw = Clausewise(settings)
cw.ask("Can they suspend my account?")
cold = time.perf_counter() - t0
qs = json.loads(open({qfile!r}).read())[:200]
lat = []
for q in qs:
    t = time.perf_counter(); cw.ask(q); lat.append((time.perf_counter() - t) * 1000)
rss = int(open("/proc/self/status").read().split("VmRSS:")[1].split()[0]) / 1024
print(json.dumps({{"cold_start_s": cold, "lat": lat, "rss_mb": rss}}))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chunks", type=int, default=10_000)
    ap.add_argument("--json", action="store_true", help="print only the JSON line")
    ap.add_argument("--chroma-server", action="store_true", help="run against a `chroma run` started here")
    ap.add_argument(
        "--home", help="index folder, kept (default: a temporary one, removed); an index already there is reused"
    )
    args = ap.parse_args()
    rng, nrng = random.Random(13), np.random.default_rng(13)
    home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="clausewise-scale-"))
    env = {**os.environ, "CLAUSEWISE_HOME": str(home)}
    server = None
    if args.chroma_server:
        from tests.conftest import chroma_binary, free_port  # a free port on 127.0.0.1

        port = free_port()
        server = subprocess.Popen(
            [chroma_binary(), "run", "--path", str(home / "chroma-server"), "--host", "127.0.0.1", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        env |= {"CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(port)}
        time.sleep(5)
    os.environ.update(env)
    try:
        settings = Settings.from_env()
        store = open_store(settings)
        cache = EmbeddingCache(settings.cache_path)
        model = store.ef.model_id
        units = source_units()
        say = (lambda *a: None) if args.json else (lambda *a: print(*a, file=sys.stderr, flush=True))
        say(f"{len(units)} source units; building {args.chunks} chunks in {home}")
        t0 = time.perf_counter()
        made, i, names = 0, 0, []
        batch = []
        if args.home and store.count() >= args.chunks:  # measure an index built by an earlier run
            made, names = store.count(), [m.title.split()[0] for m in store.documents_meta().values()]
            i = len(names)
            say(f"  reusing the {made} chunks in {home}")
        while made < args.chunks:
            doc, vecs = synthetic_doc(i, units, min(UNITS_PER_DOC, args.chunks - made), rng)
            made += seed_vectors(doc, vecs, cache, model, nrng)
            batch.append(doc)
            names.append(doc.title.split()[0])
            i += 1
            if len(batch) == 20 or made >= args.chunks:
                report = ingest_documents(batch, store, cache)
                assert report.ok, report.failed
                batch = []
                say(f"  {made} chunks, {time.perf_counter() - t0:.0f} s")
        build_s = time.perf_counter() - t0
        qfile = home / "questions.json"
        # 200 for the latency figures; bench/load.py --home asks all of them, so its answer cache rarely helps.
        qfile.write_text(json.dumps(questions(LOAD_POOL, names, rng)))
        run = subprocess.run(
            [sys.executable, "-c", SERVE.format(root=str(ROOT), qfile=str(qfile))],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        served = json.loads(run.stdout.strip().splitlines()[-1])
        lat = np.array(served["lat"])
        # One more document, its vectors embedded for real (timed apart), then indexed until it answers.
        from qa.chain import Clausewise

        cw = Clausewise(settings, store=store)
        cw.ask("Can they suspend my account?")  # this process's snapshot, as a serving process has one
        # Another serving process's view: told nothing, it notices the add through the store.
        other = Clausewise(settings, store=store)
        other.ask("Can they suspend my account?")
        doc, _ = synthetic_doc(i, units, 20, rng)
        chunks = prepare(doc).chunks
        t = time.perf_counter()
        vectors = store.ef.passages([c.embed_text for c in chunks])
        add_embed_s = time.perf_counter() - t
        cache.put_many({text_key(model, c.embed_text): v for c, v in zip(chunks, vectors, strict=True)})
        name = doc.title.split()[0]
        t = time.perf_counter()
        cw.ingest_upload(doc.text.encode(), doc.source)  # as the app's and the API's uploads do
        answered = cw.ask(f"Can {name} suspend my account?", [doc.doc_id])
        add_doc_s = time.perf_counter() - t
        # Answered from it: cited, or, when it has no such clause ("… has no termination clause"), its
        # nearest clauses shown as related reading.
        shown = [c.doc_id for c in [*answered.citations, *answered.related]]
        assert doc.doc_id in shown, f"the added document did not answer: {answered.status}, showed {shown[:3]}"
        while doc.doc_id not in other.snapshot().docs:  # it looks once a second
            time.sleep(0.01)
        other_sees_add_s = time.perf_counter() - t - add_doc_s
        del other
        t = time.perf_counter()
        cw.delete(doc.doc_id)
        cw.ask("Can they suspend my account?")
        delete_doc_s = time.perf_counter() - t
        result = {
            "chunks": store.count(),
            "build_s": round(build_s, 1),
            "cold_start_s": round(served["cold_start_s"], 2),
            "query_p50_ms": round(float(np.percentile(lat, 50)), 1),
            "query_p95_ms": round(float(np.percentile(lat, 95)), 1),
            "add_doc_s": round(add_doc_s, 2),
            "add_doc_embed_s": round(add_embed_s, 2),
            "delete_doc_s": round(delete_doc_s, 2),
            "other_sees_add_s": round(other_sees_add_s, 2),
            "rss_mb": round(served["rss_mb"]),
            "chroma": "server" if args.chroma_server else "embedded",
        }
        print(json.dumps(result))
        return 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not args.home:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
