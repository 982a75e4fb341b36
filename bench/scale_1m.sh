#!/usr/bin/env bash
# The million-chunk run in one command: builds the synthetic index (about 50 minutes on 2 cores, 15 GB
# of disk), then measures it as bench/scale.py does, then the dense crossover. Run it again with the
# same folder to measure again without rebuilding.
#
#   bash bench/scale_1m.sh [/path/to/folder]
set -euo pipefail
cd "$(dirname "$0")/.."
HOME_DIR="${1:-/tmp/clausewise-1m}"
PY="${PYTHON:-python}"
"$PY" bench/scale.py --chunks 1000000 --home "$HOME_DIR"
"$PY" bench/dense_crossover.py --home "$HOME_DIR" --questions 50
