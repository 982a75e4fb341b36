"""Load test: N concurrent clients asking the HTTP API on 127.0.0.1 for T seconds (then it stops).

    python bench/load.py [--clients 16] [--seconds 60] [--url http://127.0.0.1:8000]
    python bench/load.py --home /tmp/scale100k       # an index bench/scale.py built, and its questions

Without --url it starts `python -m qa serve` on a free loopback port (rate limit off) over --home, or
over the bundled corpus indexed into a temporary home, runs the load, and stops the server. Prints
requests/s, latency p50/p95/p99 and errors. Questions cycle through the `questions.json` that
bench/scale.py writes beside its index (4,000 distinct ones, more than a 60 s load test asks, so no question repeats), else
the development set, else a built-in list.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from questions import ROOT, pct, questions  # noqa: E402


def run_load(url: str, clients: int, seconds: float, headers: dict[str, str], qs: list[str]) -> None:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(i: int) -> None:
        with httpx.Client(base_url=url, timeout=30, headers=headers) as c:
            n = i
            while time.monotonic() < deadline:
                # A question is asked of the document it names without the name, so the pool's wordings
                # repeat across documents; a request number keeps every question's vector new.
                q = f"{qs[n % len(qs)]} (request {n})"
                n += clients
                t = time.perf_counter()
                try:
                    r = c.post("/v1/ask", json={"question": q})
                    ok = r.status_code == 200 and "citations" in r.json()
                    key = None if ok else f"HTTP {r.status_code}"
                except httpx.HTTPError as e:
                    key = type(e).__name__
                ms = (time.perf_counter() - t) * 1000
                with lock:
                    if key:
                        errors[key] = errors.get(key, 0) + 1
                    else:
                        latencies.append(ms)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - t0
    done = len(latencies) + sum(errors.values())
    print(f"{clients} clients x {seconds:g} s against {url}, {len(qs)} distinct questions")
    print(f"requests: {done} ({done / took:.1f}/s), errors: {sum(errors.values())} {errors or ''}")
    if latencies:
        print(
            f"latency ms: p50 {statistics.median(latencies):.0f}  p95 {pct(latencies, 0.95):.0f}  "
            f"p99 {pct(latencies, 0.99):.0f}  max {max(latencies):.0f}"
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--url", help="an API already running (else one is started on 127.0.0.1)")
    ap.add_argument("--home", type=Path, help="serve this index (else the bundled corpus, indexed afresh)")
    args = ap.parse_args()
    if args.clients <= 0 or args.seconds <= 0:
        sys.exit("--clients and --seconds must be > 0")
    token = os.environ.get("CLAUSEWISE_API_TOKEN")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    pool = args.home / "questions.json" if args.home else None
    qs = json.loads(pool.read_text(encoding="utf-8")) if pool and pool.exists() else questions()
    if args.url:
        run_load(args.url, args.clients, args.seconds, headers, qs)
        return
    with tempfile.TemporaryDirectory() as scratch:
        home = str(args.home or scratch)
        env = {**os.environ, "CLAUSEWISE_HOME": home, "CLAUSEWISE_RATE_LIMIT": "0"}
        if not args.home:
            subprocess.run(
                [sys.executable, "-m", "ingest", str(ROOT / "corpus")],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "qa", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(1200):  # a large index takes a while to open
                try:
                    if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            httpx.post(f"{url}/v1/ask", json={"question": "warm up"}, timeout=300)
            run_load(url, args.clients, args.seconds, headers, qs)
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
