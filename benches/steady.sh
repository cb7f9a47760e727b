#!/usr/bin/env bash
# Benchmark: two gazette binaries in the steady state of a site rebuilt on every push — one
# sentence appended to one document, then `gazette build` into the same output with the same
# cache — taken in turns (A, B, A, B …), so that a machine that slows down or speeds up during
# the run weighs on both alike.
#
#   benches/steady.sh BIN_A BIN_B [--root SITE] [--runs 9] [--work DIR] [--file REL]
#
# SITE defaults to the 10 000-document corpus of benches/compare.sh ($BENCH_WORK/c10000). Each
# binary gets its own copy of the site, built three times first (the first builds after a
# change of binary cannot take up the site before last: book/publishing.md#previous). REL is
# the document edited (default: the largest under content/documents). Prints the medians of
# wall time, user CPU, peak memory and the stage times (`--timings`) for each binary. Put
# --work on a memory file system (/dev/shm/x) to compare computation, not a disk. No assertion
# on time: the figures go in book/performance.md.
set -euo pipefail

[ $# -ge 2 ] || { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
a=$1
b=$2
shift 2
root=${BENCH_WORK:-/tmp/gazette-bench}/c10000
runs=9
work=$(mktemp -d)
file=""
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --work) work=$2; mkdir -p "$work"; shift 2 ;;
    --file) file=$2; shift 2 ;;
    *) echo "steady.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -d "$root/content" ] || { echo "steady.sh: no site at $root (run benches/compare.sh first)" >&2; exit 1; }
if [ -z "$file" ]; then
  file=$(cd "$root" && find content/documents -name '*.md' -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2)
fi

build() { # bin site out-file
  ( cd "$2" && echo "追加一句。" >> "$file" \
    && /usr/bin/time -f "%e %U %M" -o "$work/time.txt" "$1" build --timings >/dev/null 2>"$work/err.txt" )
  printf '%s %s\n' "$(cat "$work/time.txt")" \
    "$(grep -E '秒  (读取|文件页面|列表|数据)' "$work/err.txt" | awk '{print $1}' | tr '\n' ' ')" >> "$3"
}

for who in A B; do
  rm -rf "${work:?}/site-$who"
  cp -a "$root" "$work/site-$who"
  : > "$work/$who.txt"
done
for _ in 1 2 3; do
  build "$a" "$work/site-A" /dev/null
  build "$b" "$work/site-B" /dev/null
done
for _ in $(seq 1 "$runs"); do
  build "$a" "$work/site-A" "$work/A.txt"
  build "$b" "$work/site-B" "$work/B.txt"
done
echo "median of $runs (edited: $file): wall s, user s, peak KB, 读取和检查, 文件页面, 列表页面和检索索引, 数据…"
for who in A B; do
  bin=$a
  [ "$who" = B ] && bin=$b
  median=""
  cols=$(head -1 "$work/$who.txt" | wc -w)
  for i in $(seq 1 "$cols"); do
    median="$median $(cut -d' ' -f"$i" "$work/$who.txt" | sort -g | awk '{ v[NR] = $1 } END {
      if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"
  done
  echo "$who $bin: $median"
done
