#!/usr/bin/env bash
# Benchmark: gazette against Hugo + Pagefind on generated corpora of the same documents (issue 7).
#
#   benches/compare.sh [--sizes 1000,10000,100000] [--runs 3] [--big-runs 1] [--skip-hugo] [--skip-gazette]
#                      [--work DIR] [--gazette BIN] [--seed 1] [--mem-limit GIB] [--timeout SECS]
#
# For each size: generate (or reuse) the corpus with `examples/gen_corpus.rs`, then time clean
# builds with /usr/bin/time -v: median wall time over --runs, CPU (user+sys), peak RSS, output
# size, search-index size; for gazette also a second build with nothing changed. Prints a Markdown
# table and writes it to benches/results/<date>.md. See benches/README.md.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)

sizes=1000,10000,100000
runs=3
big_runs=1
skip_hugo=0
skip_gazette=0
work=${BENCH_WORK:-/tmp/gazette-bench}
gazette=""
seed=1
mem_limit_gib=20
timeout_s=3600
as_of=2026-06-30
result_file=""

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --big-runs) big_runs=$2; shift 2 ;;
    --skip-hugo) skip_hugo=1; shift ;;
    --skip-gazette) skip_gazette=1; shift ;;
    --work) work=$2; shift 2 ;;
    --gazette) gazette=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --mem-limit) mem_limit_gib=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    --out) result_file=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "compare.sh: unknown argument $1" >&2; usage 2 ;;
  esac
done

die() { echo "compare.sh: $*" >&2; exit 1; }
log() { echo "compare.sh: $*" >&2; }

[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"
mkdir -p "$work"
work=$(cd "$work" && pwd)

# A clean build starts with no output and no cache, as on a fresh CI runner. The previous run's
# output is moved aside, not deleted: ext4 makes new files slowly for minutes after a large
# delete (it skips recently freed inodes one by one: measured here, 19 000 new files took 2.6 s
# on a quiet disk and 12.3 s right after removing a tree of that size). Both tools get the
# same treatment; the moved folders are deleted when the script ends.
trash="$work/trash.$$"
clear_dir() {
  for d in "$@"; do
    [ -e "$d" ] || continue
    mkdir -p "$trash"
    mv "$d" "$trash/$(date +%s%N)"
  done
}
trap 'rm -rf "$trash"' EXIT

# --- tools -------------------------------------------------------------------------------------
cd "$repo"
if [ -z "$gazette" ] && [ "$skip_gazette" = 0 ]; then
  log "building the corpus generator and gazette (release)"
  cargo build --release --quiet --bin gazette --example gen_corpus
  gazette="$repo/target/release/gazette"
else
  log "building the corpus generator (release)"
  cargo build --release --quiet --example gen_corpus
fi
gen="$repo/target/release/examples/gen_corpus"

pagefind=""
if [ "$skip_hugo" = 0 ]; then
  command -v hugo >/dev/null || die "hugo is missing (apt-get install hugo)"
  pf_dir="$work/pagefind"
  pagefind="$pf_dir/node_modules/@pagefind/linux-x64/bin/pagefind_extended"
  if [ ! -x "$pagefind" ]; then
    command -v npm >/dev/null || die "npm is missing: it installs pagefind"
    log "installing pagefind into $pf_dir (not the project's package.json)"
    npm install --silent --prefix "$pf_dir" pagefind@1.6.0 >&2
  fi
  # The native binary, measured directly rather than through the node wrapper.
  [ -x "$pagefind" ] || pagefind="$pf_dir/node_modules/.bin/pagefind"
fi

# --- measuring ---------------------------------------------------------------------------------
# measure OUT_PREFIX CMD...: runs CMD under /usr/bin/time -v with the memory limit and timeout,
# sets ${OUT_PREFIX}_{wall,cpu,rss_kib,status}.
measure() {
  local prefix=$1; shift
  local tf; tf=$(mktemp)
  local status=0
  ( ulimit -v $((mem_limit_gib * 1024 * 1024)); exec timeout "$timeout_s" /usr/bin/time -v -o "$tf" "$@" ) \
    >"$tf.out" 2>&1 || status=$?
  if [ "$status" != 0 ]; then
    log "FAILED ($status): $*"; tail -5 "$tf.out" >&2
  fi
  local wall cpu rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$tf")
  cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' "$tf")
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tf")
  printf -v "${prefix}_wall" '%s' "${wall:-0}"
  printf -v "${prefix}_cpu" '%s' "${cpu:-0}"
  printf -v "${prefix}_rss_kib" '%s' "${rss:-0}"
  printf -v "${prefix}_status" '%s' "$status"
  rm -f "$tf" "$tf.out"
}

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
max() { tr ' ' '\n' | grep -v '^$' | sort -g | tail -1; }
bytes() { if [ -e "$1" ]; then du -sb "$1" | cut -f1; else echo 0; fi; }
fmt_s() { awk -v s="$1" 'BEGIN { if (s < 10) printf "%.2f s", s; else printf "%.1f s", s }'; }
fmt_mib() { awk -v b="$1" 'BEGIN { m = b / 1048576; if (m < 10) printf "%.1f MiB", m; else printf "%.0f MiB", m }'; }
fmt_kib() { fmt_mib $(( $1 * 1024 )); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a > 0) printf "%.1f×", a / b; else print "–" }'; }
thousands() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/ &/;ta'; }

# --- corpora -----------------------------------------------------------------------------------
gen_hash=$(cat "$repo"/examples/gen_corpus.rs "$repo"/examples/gen_corpus/*.rs | sha256sum | cut -c1-16)
corpus() {
  local n=$1 dir="$work/c$n" hdir="$work/c$n-hugo"
  local stamp="n=$n seed=$seed gen=$gen_hash"
  if [ "$(cat "$work/c$n.stamp" 2>/dev/null)" != "$stamp" ]; then
    log "generating $n documents into $dir and $hdir"
    rm -f "$work/c$n.stamp"
    "$gen" --n "$n" --seed "$seed" --out "$dir" --hugo "$hdir" --force >&2
    echo "$stamp" >"$work/c$n.stamp"
  else
    log "reusing the corpus in $dir ($stamp)"
  fi
}

# --- one size ----------------------------------------------------------------------------------
rows=""
# Peak RSS (KiB) per document of the last Hugo and Pagefind runs, to skip a size whose
# extrapolated peak would not fit under --mem-limit rather than run into it for an hour.
hugo_kib_per_doc=0
pagefind_kib_per_doc=0
add_row() { rows+="$1"$'\n'; log "row: $1"; }
notes=""

bench_size() {
  local n=$1 dir="$work/c$n" hdir="$work/c$n-hugo" label
  label=$(thousands "$n")
  # Sizes of 100 000 and more take many minutes a run: --big-runs of them (default 1).
  local runs=$runs
  [ "$n" -lt 100000 ] || runs=$big_runs
  corpus "$n"
  local g_walls="" g_cpus="" g_rss="" g_ok=1 g_out=0 g_search=0 g2_walls="" g2_cpus="" g2_rss=""
  if [ "$skip_gazette" = 0 ]; then
    for r in $(seq "$runs"); do
      clear_dir "$dir/public" "$dir/.gazette-cache"
      log "gazette clean build, $n documents, run $r/$runs"
      measure g "$gazette" build --root "$dir" --as-of "$as_of" --quiet
      [ "$g_status" = 0 ] || g_ok=0
      g_walls+=" $g_wall"; g_cpus+=" $g_cpu"; g_rss+=" $g_rss_kib"
    done
    g_out=$(bytes "$dir/public")
    # The index only: the search page itself (search/index.html) is not part of it.
    g_search=$(( $(bytes "$dir/public/search") - $(bytes "$dir/public/search/index.html") ))
    for r in $(seq "$runs"); do
      log "gazette second build (nothing changed), $n documents, run $r/$runs"
      measure g2 "$gazette" build --root "$dir" --as-of "$as_of" --quiet
      g2_walls+=" $g2_wall"; g2_cpus+=" $g2_cpu"; g2_rss+=" $g2_rss_kib"
    done
    local gw gc gr g2w
    gw=$(echo "$g_walls" | median); gc=$(echo "$g_cpus" | median); gr=$(echo "$g_rss" | max)
    g2w=$(echo "$g2_walls" | median)
    if [ "$g_ok" = 1 ]; then
      add_row "| $label | gazette | $(fmt_s "$gw") | $(fmt_s "$gc") | $(fmt_kib "$gr") | $(fmt_mib "$g_out") | $(fmt_mib "$g_search") |"
      add_row "| $label | gazette, second build, nothing changed | $(fmt_s "$g2w") ($(awk -v a="$g2w" -v b="$gw" 'BEGIN { printf "%.0f %%", 100 * a / b }') of clean) | $(fmt_s "$(echo "$g2_cpus" | median)") | $(fmt_kib "$(echo "$g2_rss" | max)") | | |"
    else
      add_row "| $label | gazette | failed | | | | |"
    fi
  fi
  [ "$skip_hugo" = 0 ] || return 0
  # Skip a program whose peak RSS, extrapolated per document from the previous size, would not
  # fit under --mem-limit, rather than run into the limit for an hour.
  local limit_kib=$((mem_limit_gib * 1024 * 1024)) run_h=1 run_p=1 need
  need=$(awk -v p="$hugo_kib_per_doc" -v n="$n" 'BEGIN { printf "%d", p * n }')
  if [ "$need" -gt "$limit_kib" ]; then
    run_h=0; run_p=0
    notes+="- $label documents: Hugo (and so Pagefind) not run: its peak RSS per document at the previous size gives about $(fmt_kib "$need") here, more than \`--mem-limit\` ${mem_limit_gib} GiB."$'\n'
  fi
  need=$(awk -v p="$pagefind_kib_per_doc" -v n="$n" 'BEGIN { printf "%d", p * n }')
  if [ "$run_p" = 1 ] && [ "$need" -gt "$limit_kib" ]; then
    run_p=0
    notes+="- $label documents: Pagefind not run: its peak RSS per document at the previous size gives about $(fmt_kib "$need") here, more than \`--mem-limit\` ${mem_limit_gib} GiB (the machine has $(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo) GiB)."$'\n'
  fi
  local h_walls="" h_cpus="" h_rss="" p_walls="" p_cpus="" p_rss="" t_walls="" t_cpus="" h_ok=$run_h p_ok=$run_p
  for r in $(seq "$runs"); do
    [ "$h_ok" = 1 ] || break
    clear_dir "$hdir/public" "$hdir/resources"
    log "hugo build, $n documents, run $r/$runs"
    measure h hugo --quiet --source "$hdir" --destination "$hdir/public"
    if [ "$h_status" != 0 ]; then
      h_ok=0; p_ok=0
      notes+="- $label documents: Hugo failed (exit $h_status) within \`--timeout\` ${timeout_s} s and \`--mem-limit\` ${mem_limit_gib} GiB."$'\n'
      break
    fi
    h_walls+=" $h_wall"; h_cpus+=" $h_cpu"; h_rss+=" $h_rss_kib"
    [ "$p_ok" = 1 ] || continue
    log "pagefind, $n documents, run $r/$runs"
    measure p "$pagefind" --site "$hdir/public" --silent
    if [ "$p_status" != 0 ]; then
      p_ok=0
      notes+="- $label documents: Pagefind failed (exit $p_status) within \`--timeout\` ${timeout_s} s and \`--mem-limit\` ${mem_limit_gib} GiB."$'\n'
      continue
    fi
    p_walls+=" $p_wall"; p_cpus+=" $p_cpu"; p_rss+=" $p_rss_kib"
    t_walls+=" $(awk -v a="$h_wall" -v b="$p_wall" 'BEGIN { print a + b }')"
    t_cpus+=" $(awk -v a="$h_cpu" -v b="$p_cpu" 'BEGIN { print a + b }')"
  done
  local hw hc hr pw pc pr tw tc tr h_out p_search
  if [ "$h_ok" = 1 ]; then
    hw=$(echo "$h_walls" | median); hc=$(echo "$h_cpus" | median); hr=$(echo "$h_rss" | max)
    h_out=$(bytes "$hdir/public"); p_search=$(bytes "$hdir/public/pagefind")
    hugo_kib_per_doc=$(awk -v r="$hr" -v n="$n" 'BEGIN { print r / n }')
    add_row "| $label | Hugo $(hugo version | grep -o 'v[0-9.]*' | head -1) | $(fmt_s "$hw") | $(fmt_s "$hc") | $(fmt_kib "$hr") | $(fmt_mib $((h_out - p_search))) | |"
  else
    add_row "| $label | Hugo | not run or failed | | | | |"
  fi
  if [ "$p_ok" = 1 ]; then
    pw=$(echo "$p_walls" | median); pc=$(echo "$p_cpus" | median); pr=$(echo "$p_rss" | max)
    tw=$(echo "$t_walls" | median); tc=$(echo "$t_cpus" | median)
    tr=$(( hr > pr ? hr : pr ))
    pagefind_kib_per_doc=$(awk -v r="$pr" -v n="$n" 'BEGIN { print r / n }')
    add_row "| $label | Pagefind $("$pagefind" --version | awk '{ print $2 }') | $(fmt_s "$pw") | $(fmt_s "$pc") | $(fmt_kib "$pr") | | $(fmt_mib "$p_search") |"
    add_row "| $label | **Hugo + Pagefind** | **$(fmt_s "$tw")** | $(fmt_s "$tc") | $(fmt_kib "$tr") | $(fmt_mib "$h_out") | $(fmt_mib "$p_search") |"
    if [ "$skip_gazette" = 0 ] && [ "$g_ok" = 1 ]; then
      add_row "| $label | **Hugo + Pagefind ÷ gazette** | **$(ratio "$tw" "$gw")** | $(ratio "$tc" "$gc") | $(ratio "$tr" "$gr") | $(ratio "$h_out" "$g_out") | $(ratio "$p_search" "$g_search") |"
    fi
  else
    add_row "| $label | Pagefind | not run or failed | | | | |"
  fi
}

IFS=, read -r -a size_list <<<"$sizes"
for n in "${size_list[@]}"; do
  bench_size "$n"
done

# --- report ------------------------------------------------------------------------------------
cpu_model=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
versions="rustc $(rustc --version | awk '{ print $2 }')"
[ "$skip_hugo" = 0 ] && versions+=", $(hugo version | awk '{ print "Hugo " $2 }'), Pagefind $("$pagefind" --version | awk '{ print $2 }')"
[ "$skip_gazette" = 0 ] && versions+=", gazette $(git -C "$repo" rev-parse --short HEAD)"
load=$(cut -d' ' -f1-3 /proc/loadavg)

report=$(cat <<EOF
## Benchmark: gazette and Hugo + Pagefind, $(date +%F)

Machine: $(nproc) cores ($cpu_model), $mem memory, $(uname -sr); load average before the run: $load.
Versions: $versions.
Corpus: \`gen_corpus --seed $seed\` (the same public documents for both tools); status as of $as_of.
Clean builds, median wall time of $runs runs ($big_runs at 100 000 documents and more); CPU = user + system time; peak RSS is the largest
of the runs (for Hugo + Pagefind, the larger of the two programs, which run one after the other).

| documents | tool | wall time | CPU time | peak RSS | output | search index |
|---:|---|---:|---:|---:|---:|---:|
${rows%$'\n'}
${notes:+
$notes}
EOF
)

echo "$report"
mkdir -p "$here/results"
out=${result_file:-"$here/results/$(date +%F).md"}
echo "$report" >"$out"
log "written to $out"
