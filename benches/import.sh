#!/usr/bin/env bash
# Importing 100 Word documents (issue 21): how long `gazette import` takes for a batch of
# official documents, and the `gazette check` that follows it.
#
#   benches/import.sh [--count N] [--runs R] [--gazette BIN] [--work DIR]
#
# The .docx files are generated here (python3's zipfile writing WordprocessingML, no Word
# needed): each is laid out as GB/T 9704 prescribes (发文字号, two-line 标题, 主送机关,
# 30 paragraphs of body under 一、/（一） headings, a 6×4 table with merged cells, a footnote,
# 落款, 成文日期, 版记). Each run imports all of them into a fresh copy of the sample site,
# then runs `gazette check` once. The median of the runs is printed as a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
count=100 runs=3 bin=target/release/gazette work=${BENCH_WORK:-/tmp/gazette-import-bench}
while [ $# -gt 0 ]; do
  case $1 in
    --count) count=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --gazette) bin=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ "$bin" = target/release/gazette ]; then
  nice cargo build --release --quiet
fi
bin=$(realpath "$bin")
rm -rf "$work"; mkdir -p "$work/word"
python3 - "$work/word" "$count" <<'PY'
import sys, zipfile
out, count = sys.argv[1], int(sys.argv[2])
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
def p(text, jc=None, extra=""):
    ppr = f'<w:pPr><w:jc w:val="{jc}"/></w:pPr>' if jc else ""
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r>{extra}</w:p>'
def table():
    rows = []
    for r in range(6):
        cells = []
        for c in range(4):
            pr = ""
            if c == 0 and r in (1, 3): pr = '<w:vMerge w:val="restart"/>'
            if c == 0 and r in (2, 4): pr = '<w:vMerge/>'
            if r == 0 and c == 2: pr = '<w:gridSpan w:val="2"/>'
            if r == 0 and c == 3: continue
            cells.append(f'<w:tc><w:tcPr>{pr}</w:tcPr>{p(f"第{r}行第{c}列")}</w:tc>')
        rows.append("<w:tr>" + "".join(cells) + "</w:tr>")
    return "<w:tbl>" + "".join(rows) + "</w:tbl>"
heads = ["一", "二", "三", "四", "五", "六"]
for i in range(1, count + 1):
    body = [p("洛阳市人民政府办公室文件", "center"), p(f"洛政办〔2025〕{i}号", "center"),
            p("洛阳市人民政府办公室", "center"), p(f"关于印发洛阳市第{i}项管理办法的通知", "center"),
            p("各县（市、区）人民政府，市人民政府各部门：")]
    for h in range(6):
        body.append(p(f"{heads[h]}、第{h + 1}部分"))
        body.append(p(f"（一）第{h + 1}部分的要求"))
        for k in range(4):
            note = '<w:r><w:footnoteReference w:id="1"/></w:r>' if h == 0 and k == 0 else ""
            body.append(p("为进一步规范管理工作，提高服务质量，根据有关法律法规，结合本市实际，制定本条规定。各单位要认真贯彻执行,确保各项措施落到实处。", extra=note))
        if h == 2: body.append(table())
    body += [p("附件：管理办法"), p("洛阳市人民政府办公室", "right"), p("2025年3月18日", "right"),
             p("（此件公开发布）"), p("抄送：市委各部门。"), p("洛阳市人民政府办公室 2025年3月20日印发")]
    doc = f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{"".join(body)}</w:body></w:document>'
    notes = f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes {W}><w:footnote w:id="1">{p("见有关规定。")}</w:footnote></w:footnotes>'
    with zipfile.ZipFile(f"{out}/通知{i:03}.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", doc)
        z.writestr("word/footnotes.xml", notes)
PY
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
imports=() checks=()
for r in $(seq "$runs"); do
  site="$work/site-$r"
  mkdir -p "$site"; cp gazette.toml "$site/"; cp -r content "$site/"
  s=$(date +%s.%N)
  "$bin" import --root "$site" --kind normative "$work"/word/*.docx 2>/dev/null
  e=$(date +%s.%N)
  imports+=("$(echo "$e - $s" | bc)")
  s=$(date +%s.%N)
  "$bin" check --root "$site" --as-of 2026-06-30 >/dev/null 2>&1 || true
  e=$(date +%s.%N)
  checks+=("$(echo "$e - $s" | bc)")
  made=$(grep -rl "gazette import" "$site/content/documents" | wc -l)
  [ "$made" -eq "$count" ] || { echo "run $r imported $made of $count" >&2; exit 1; }
done
imp=$(printf '%s\n' "${imports[@]}" | median)
chk=$(printf '%s\n' "${checks[@]}" | median)
size=$(du -sk "$work/word" | cut -f1)
echo "| 步骤 | $count 份（共 ${size} KB） | 每份 |"
echo "|---|---|---|"
printf '| gazette import | %.2f 秒 | %.1f 毫秒 |\n' "$imp" "$(echo "$imp * 1000 / $count" | bc -l)"
printf '| 随后的 gazette check | %.2f 秒 | |\n' "$chk"
echo
echo "（$runs 次取中位数；$(nproc) 核；$(date -u +%Y-%m-%d)，$(git rev-parse --short HEAD)。）"
