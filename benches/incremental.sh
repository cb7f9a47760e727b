#!/usr/bin/env bash
# Benchmark: a rebuild after one document's body changed, against a clean build (issue 19).
#
#   benches/incremental.sh [--n 10000] [--runs 3] [--work DIR] [--gazette BIN] [--seed 1] [--debug]
#                          [--site-only]
#
# 1. The site: generates (or reuses) the corpus of benches/compare.sh (examples/gen_corpus.rs),
#    copies it, then per run: a clean build (no output, no cache) with `gazette build --timings`,
#    then one document's body changed (a sentence appended) and a second build into the same
#    output with the same cache, then another sentence and a third build: the steady state of
#    a site rebuilt on every push, where the build writes over the site before last
#    (book: publishing.md#previous; the second build has none yet). Prints each build's wall
#    time and its stage times.
# 2. The search index alone (the site build runs it beside the list pages, so its stage time
#    includes them): $n synthetic documents (tests/js/lib/synth.mjs) through the search's build
#    cache with examples/search_dump.rs --cache, clean, then with one body changed.
# --site-only skips part 2 (to compare two binaries in turns, one run each at a time).
# Prints the medians as a Markdown table. Needs the release binaries (built unless --gazette)
# and node (--debug: the debug ones, to try the script, not for figures). No assertion on time:
# the figures go in book/performance.md.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
n=10000
runs=3
work=${BENCH_WORK:-/tmp/gazette-bench}
gazette=""
seed=1
as_of=2026-06-30
profile=release
site_only=0

while [ $# -gt 0 ]; do
  case "$1" in
    --n) n=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --gazette) gazette=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --debug) profile=debug; shift ;;
    --site-only) site_only=1; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "incremental.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
log() { echo "incremental.sh: $*" >&2; }

cd "$repo"
target="${CARGO_TARGET_DIR:-$repo/target}/$profile"
flag=--release
[ "$profile" = release ] || flag=""
if [ -z "$gazette" ]; then
  log "building gazette, the corpus generator and search_dump ($profile)"
  cargo build $flag --quiet --bin gazette --example gen_corpus --example search_dump
  gazette="$target/gazette"
else
  cargo build $flag --quiet --example gen_corpus --example search_dump
fi
dump="$target/examples/search_dump"
gen="$target/examples/gen_corpus"

mkdir -p "$work"
work=$(cd "$work" && pwd)
# The same corpus and stamp as compare.sh, so that either script reuses the other's.
gen_hash=$(cat "$repo"/examples/gen_corpus.rs "$repo"/examples/gen_corpus/*.rs | sha256sum | cut -c1-16)
stamp="n=$n seed=$seed gen=$gen_hash"
if [ "$(cat "$work/c$n.stamp" 2>/dev/null)" != "$stamp" ]; then
  log "generating $n documents into $work/c$n"
  rm -f "$work/c$n.stamp"
  "$gen" --n "$n" --seed "$seed" --out "$work/c$n" --hugo "$work/c$n-hugo" --force >&2
  echo "$stamp" >"$work/c$n.stamp"
fi

site="$work/incremental-$n"
# build LABEL: one build of $site into $site/public, its timings kept in $site.LABEL.txt.
build() {
  local start end
  start=$(date +%s.%N)
  "$gazette" build --root "$site" --as-of "$as_of" --quiet --timings 2>"$site.$1.txt"
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f\n", b - a }'
}
# stage LABEL NAME: the seconds of stage NAME in that build's timings.
stage() { awk -v name="$2" '$0 ~ name { print $1; exit }' "$site.$1.txt"; }

clean_walls=""; edit_walls=""; steady_walls=""; clean_search=""; edit_search=""; steady_search=""
clean_files=""; edit_files=""; steady_files=""; clean_pages=""; edit_pages=""; steady_pages=""
clean_check=""; edit_check=""; steady_check=""; clean_publish=""; edit_publish=""; steady_publish=""
for run in $(seq 1 "$runs"); do
  rm -rf "$site"
  cp -a "$work/c$n" "$site"
  rm -rf "$site/public" "$site/.gazette-cache" "$site/.cache"
  clean=$(build clean)
  # One document's body: the largest file's last paragraph gets a sentence more.
  doc=$(find "$site/content/documents" -name '*.md' -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2-)
  printf '\n本规定自发布之日起施行，由市司法局负责解释（第%s次修改）。\n' "$run" >>"$doc"
  edit=$(build edit)
  printf '\n本规定由市司法局负责解释（第%s次修改后）。\n' "$run" >>"$doc"
  steady=$(build steady)
  log "run $run: clean $clean s, after editing $(basename "$doc"): $edit s, after editing it again: $steady s"
  for b in clean edit steady; do
    sed "s/^/  $b /" "$site.$b.txt" >&2
    eval "${b}_walls+=\" \$$b\""
    eval "${b}_check+=\" $(stage $b 读取和检查)\""
    eval "${b}_pages+=\" $(stage $b 文件页面)\""
    eval "${b}_search+=\" $(stage $b 列表页面和检索索引)\""
    eval "${b}_files+=\" $(stage $b 数据、订阅和检索索引文件)\""
    eval "${b}_publish+=\" $(stage $b 发布)\""
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
row() { echo "| $1 | $(echo "$2" | median) s | $(echo "$3" | median) s | $(echo "$4" | median) s |"; }
site_table() {
  echo "| $n documents, median of $runs | clean build | one body changed (first rebuild) | one body changed (steady) |"
  echo "|---|---:|---:|---:|"
  row "whole build (wall)" "$clean_walls" "$edit_walls" "$steady_walls"
  row 读取和检查 "$clean_check" "$edit_check" "$steady_check"
  row 文件页面 "$clean_pages" "$edit_pages" "$steady_pages"
  row 列表页面和检索索引 "$clean_search" "$edit_search" "$steady_search"
  row 数据、订阅和检索索引文件 "$clean_files" "$edit_files" "$steady_files"
  row 发布 "$clean_publish" "$edit_publish" "$steady_publish"
}
if [ "$site_only" = 1 ]; then
  site_table
  exit 0
fi

# The search index alone.
synth="$work/incremental-synth-$n"
rm -rf "$synth"; mkdir -p "$synth"
node --input-type=module -e "
  import fs from 'node:fs';
  import { synthDocs } from '$repo/tests/js/lib/synth.mjs';
  const docs = synthDocs($n, 2026);
  fs.writeFileSync('$synth/docs.json', JSON.stringify(docs));
  docs[Math.floor(docs.length / 2)].body += '本规定自发布之日起施行，由市司法局负责解释。';
  fs.writeFileSync('$synth/edited.json', JSON.stringify(docs));
"
s_clean=""; s_edit=""
for run in $(seq 1 "$runs"); do
  rm -rf "$synth/cache" "$synth/out"
  a=$("$dump" index "$synth/docs.json" "$synth/out" --no-unsplit --cache "$synth/cache")
  b=$("$dump" index "$synth/edited.json" "$synth/out2" --no-unsplit --cache "$synth/cache")
  changed=$({ diff -rq "$synth/out/search" "$synth/out2/search" || true; } | wc -l)
  total=$(find "$synth/out/search" -type f | wc -l)
  rm -rf "$synth/out2"
  log "search alone, run $run: clean $a s, after one body changed $b s ($changed of $total files differ)"
  s_clean+=" $a"; s_edit+=" $b"
done

site_table
echo "| the search index alone ($n synthetic documents) | $(echo "$s_clean" | median) s | $(echo "$s_edit" | median) s | |"
echo "(files that differ after the edit: $changed of $total)"
