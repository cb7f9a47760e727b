#!/usr/bin/env bash
# Benchmark: the instructions two or more gazette binaries execute for one clean build of the
# same site, counted by valgrind's callgrind (issue 19, "no slower").
#
#   benches/instructions.sh BIN... [--n 2000] [--seed 1] [--work DIR] [--as-of 2026-06-30]
#
# Wall times on a shared machine move by 20 % or more from one minute to the next (book:
# performance.md); an instruction count does not: the same binary, site and date give the same
# count within a few parts in ten thousand, whatever else the machine is doing. It is not a
# time (a cache miss costs more than an add), so the figures go beside the wall times of
# benches/alternate.sh, not instead of them. Each build starts without output and without
# cache; rayon's threads are counted alike, serialised. About 5 minutes per binary at 2 000
# documents. Prints one line per binary: instructions, and the ratio to the first.
# Needs valgrind (Debian: apt-get install valgrind) and the corpus generator (built here).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
n=2000
seed=1
as_of=2026-06-30
work=${BENCH_WORK:-/tmp/gazette-bench}
bins=()
while [ $# -gt 0 ]; do
  case "$1" in
    --n) n=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --as-of) as_of=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) bins+=("$1"); shift ;;
  esac
done
[ ${#bins[@]} -ge 1 ] || { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind is not installed" >&2; exit 1; }

cd "$repo"
cargo build --release --quiet --example gen_corpus
gen="${CARGO_TARGET_DIR:-$repo/target}/release/examples/gen_corpus"
mkdir -p "$work"
work=$(cd "$work" && pwd)
corpus="$work/i$n"
stamp="n=$n seed=$seed $(cat examples/gen_corpus.rs examples/gen_corpus/*.rs | sha256sum | cut -c1-16)"
if [ "$(cat "$corpus.stamp" 2>/dev/null)" != "$stamp" ]; then
  "$gen" --n "$n" --seed "$seed" --out "$corpus" --force >&2
  echo "$stamp" >"$corpus.stamp"
fi

first=""
for bin in "${bins[@]}"; do
  run="$work/instructions-run"
  rm -rf "$run"
  mkdir -p "$run"
  cp -a "$corpus" "$run/site"
  valgrind --tool=callgrind --callgrind-out-file="$run/callgrind.out" \
    "$bin" build --root "$run/site" --output "$run/out" --as-of "$as_of" --quiet \
    2>"$run/valgrind.txt"
  count=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$run/valgrind.txt")
  [ -n "$first" ] || first=$count
  ratio=$(awk -v a="$count" -v b="$first" 'BEGIN { printf "%.3f", a / b }')
  printf '%s\t%s instructions\t%s of the first\n' "$bin" "$count" "$ratio"
done
