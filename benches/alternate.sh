#!/usr/bin/env bash
# Benchmark: two gazette binaries, clean builds of the same site taken in turns (A, B, A, B …),
# so that a machine that slows down or speeds up during the run weighs on both alike.
#
#   benches/alternate.sh BIN_A BIN_B [--root SITE] [--runs 3] [--as-of 2026-06-30] [--work DIR]
#
# SITE defaults to the 10 000-document corpus of benches/compare.sh ($BENCH_WORK/c10000, made
# by compare.sh or incremental.sh). Each build starts without output and without cache. Prints
# one line per build: wall time, user+system CPU, peak memory, then the stage times
# (`--timings`). To compare computation only, put the site and the work folder on a memory
# file system (--work /dev/shm/x, and a SITE copied there): on a disk whose writes come and go,
# wall times are not comparable. No assertion on time: the figures go in book/performance.md.
set -euo pipefail

[ $# -ge 2 ] || { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
a=$1
b=$2
shift 2
root=${BENCH_WORK:-/tmp/gazette-bench}/c10000
runs=3
as_of=2026-06-30
work=$(mktemp -d)
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --as-of) as_of=$2; shift 2 ;;
    --work) work=$2; mkdir -p "$work"; shift 2 ;;
    *) echo "alternate.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -d "$root/content" ] || { echo "alternate.sh: no site at $root (run benches/compare.sh first)" >&2; exit 1; }

site="$work/site"
rm -rf "$site"
cp -a "$root" "$site"
for run in $(seq 1 "$runs"); do
  for who in A B; do
    bin=$a
    [ "$who" = B ] && bin=$b
    rm -rf "$site/.gazette-cache" "$work/out" "$work/.out.lock"
    /usr/bin/time -f "%e s wall, %U+%S s cpu, %M KiB" "$bin" build --root "$site" \
      --output "$work/out" --as-of "$as_of" --quiet --timings 2>"$work/report.txt"
    stages=$(grep '秒' "$work/report.txt" | sed 's/^ *//' | tr '\n' ';' | sed 's/;$//')
    echo "$who run $run: $(tail -1 "$work/report.txt") | $stages"
  done
done
rm -rf "$work/out" "$site"
