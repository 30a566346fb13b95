#!/usr/bin/env bash
# Run the benchmarks at the given corpus sizes, one machine, one run.
#
#   bench/run_all.sh                 # 1000 and 10000 items
#   bench/run_all.sh 1000            # one size
#   bench/run_all.sh 1000 10000 100000
#
# Environment: PYTHON (default .venv/bin/python, else python3), LEVANT_KG_BENCH
# (work folder for corpora and stores, default /tmp/levant-kg-bench),
# RDFLIB_AT (sizes at which rdflib is timed too, default 10000 and smaller),
# LIMIT (seconds per rdflib query, default 60), WHOLE_LIMIT (seconds for
# whole-graph pyshacl, default 600). Output goes to stdout and to
# $LEVANT_KG_BENCH/results-<date>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
[ -x "$PY" ] || PY=python3
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000)
WORK=${LEVANT_KG_BENCH:-/tmp/levant-kg-bench}
LIMIT=${LIMIT:-60}
WHOLE_LIMIT=${WHOLE_LIMIT:-600}
mkdir -p "$WORK"
OUT="$WORK/results-$(date +%Y%m%d-%H%M%S).txt"
CSV=$(IFS=,; echo "${SIZES[*]}")
if [ -z "${RDFLIB_AT:-}" ]; then
  RDFLIB_AT=$(for n in "${SIZES[@]}"; do [ "$n" -le 10000 ] && echo "$n"; done | paste -sd, -)
fi

{
  echo "# levant-kg benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), sizes $CSV"
  echo "# $(nproc) CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); $(free -g | awk '/Mem:/{print $2}') GB RAM; load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  "$PY" bench/ingest.py --items "$CSV"
  echo
  "$PY" bench/queries.py --items "$CSV" --rdflib-at "${RDFLIB_AT:-0}" --limit "$LIMIT"
  echo
  "$PY" bench/validation.py --items "$CSV" --whole-limit "$WHOLE_LIMIT"
  for n in "${SIZES[@]}"; do
    echo
    "$PY" bench/centrality.py --store "$WORK/store-$n-s1" --items "$n"
  done
  echo
  echo "# load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$OUT"
echo "results in $OUT" >&2
