#!/usr/bin/env python3
"""Checks the links of the user guide (python3, standard library only).

mdBook 0.5 renders a link to a missing chapter or heading without a word, so this script reads
the Markdown itself and fails on:

  * a chapter listed in SUMMARY.md that does not exist, or a .md file in book/ missing from it;
  * a link to another chapter that is not in SUMMARY.md (`writing.md`, `../x.md`);
  * a link to a heading that the target chapter does not have (`status.md#as-of`, `#keys`);
  * a link to any other local file (an image, a download) that does not exist;
  * a diagnostic code of src/diag/codes.rs without its `## <code>` section in diagnostics.md.

Heading ids are computed as mdBook 0.5 does: an explicit `{#id}` after the heading text, or else
the heading's text, lower-cased, keeping letters, digits, `_` and `-`, whitespace turned into
`-`, and `-1`, `-2`, … appended to repeats within a chapter. Links inside code blocks and code
spans are not links and are skipped, as are external links (`https:`, `mailto:` …).

With `--html DIR` (the output of `mdbook build`), every anchor that a link points to is also
looked up in the rendered HTML, which checks the id computation above against mdBook itself.

Usage, from the repository root:

    mdbook build && python3 book/check-links.py --html target/book

Exit status: 0 when every link resolves, 1 otherwise (each problem printed as file:line: …).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from urllib.parse import unquote

BOOK = Path(__file__).resolve().parent
REPO = BOOK.parent

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
ATTRS = re.compile(r"\s*\{([^{}]*)\}\s*$")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
INLINE_LINK = re.compile(r"\]\(\s*<?([^()\s<>]*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)")
REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
HTML_HREF = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']*)["']""")
HTML_ID = re.compile(r"""\b(?:id|name)\s*=\s*["']([^"']+)["']""")
COMMENT = re.compile(r"<!--.*?-->", re.S)
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def blank_comments(text: str) -> str:
    """HTML comments → spaces (line numbers kept)."""
    return COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def prose_lines(text: str):
    """(line number, line) outside fenced code blocks."""
    fence = None
    for n, line in enumerate(text.split("\n"), 1):
        m = FENCE.match(line)
        if fence is None:
            if m:
                fence = m.group(1)
                continue
            yield n, line
        elif m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                and line.strip() == m.group(1):
            fence = None


def strip_code_spans(line: str, keep_text: bool) -> str:
    return CODE_SPAN.sub(lambda m: m.group(2).strip() if keep_text else "code", line)


def heading_text(raw: str) -> str:
    """The text content of a heading's Markdown: code spans, links, emphasis unwrapped."""
    s = strip_code_spans(raw, keep_text=True)
    s = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"!?\[([^\]]*)\]\[[^\]]*\]", r"\1", s)
    s = re.sub(r"<[^>]+>", "", s)
    s = re.sub(r"(\*\*|__|\*|_|~~)(?=\S)(.+?)(?<=\S)\1", r"\2", s)
    return s


def id_from_content(text: str) -> str:
    """mdbook-html 0.5 `utils::id_from_content`."""
    out = []
    for ch in text.strip().lower():
        if ch.isalnum() or ch in "_-":
            out.append(ch)
        elif ch.isspace():
            out.append("-")
    return "".join(out)


def unique(base: str, used: set[str]) -> str:
    if base not in used:
        used.add(base)
        return base
    n = 1
    while f"{base}-{n}" in used:
        n += 1
    used.add(f"{base}-{n}")
    return f"{base}-{n}"


class Chapter:
    def __init__(self, path: Path):
        self.path = path
        self.text = blank_comments(path.read_text(encoding="utf-8"))
        self.ids: set[str] = set()
        self.headings: list[str] = []
        used: set[str] = set()
        for _, line in prose_lines(self.text):
            m = HEADING.match(line)
            if m:
                raw = m.group(2)
                explicit = None
                a = ATTRS.search(raw)
                if a:
                    raw = raw[: a.start()]
                    for part in a.group(1).split():
                        if part.startswith("#"):
                            explicit = part[1:]
                hid = explicit if explicit is not None else id_from_content(heading_text(raw))
                hid = unique(hid, used)
                self.ids.add(hid)
                self.headings.append(hid)
            for hid in HTML_ID.findall(strip_code_spans(line, keep_text=False)):
                self.ids.add(hid)
                used.add(hid)

    def links(self):
        """(line number, target) of every link in the prose."""
        for n, line in prose_lines(self.text):
            code_free = strip_code_spans(line, keep_text=False)
            for target in INLINE_LINK.findall(code_free):
                yield n, target
            m = REF_DEF.match(code_free)
            if m:
                yield n, m.group(1)
            for target in HTML_HREF.findall(code_free):
                yield n, target


def summary_chapters(problems: list[str]) -> list[Path]:
    summary = BOOK / "SUMMARY.md"
    chapters = []
    for n, line in prose_lines(summary.read_text(encoding="utf-8")):
        for target in INLINE_LINK.findall(strip_code_spans(line, keep_text=False)):
            if not target:
                continue  # a draft chapter: `[Title]()`
            path = (BOOK / unquote(target)).resolve()
            if not path.is_file():
                problems.append(f"{rel(summary)}:{n}: chapter `{target}` does not exist")
            else:
                chapters.append(path)
    return chapters


def rel(p: Path) -> str:
    try:
        return str(p.relative_to(REPO))
    except ValueError:
        return str(p)


def html_ids(html_dir: Path, chapter: Path, cache: dict) -> set[str] | None:
    page = html_dir / chapter.relative_to(BOOK).with_suffix(".html")
    if page not in cache:
        cache[page] = set(HTML_ID.findall(page.read_text(encoding="utf-8"))) if page.is_file() else None
    return cache[page]


def check_codes(chapters: dict[Path, Chapter], problems: list[str]) -> None:
    codes_rs = REPO / "src" / "diag" / "codes.rs"
    diag = BOOK / "diagnostics.md"
    if not codes_rs.is_file():
        return
    codes = re.findall(r'^\s*\w+\s*=\s*"([a-z0-9-]+)",\s*(?:Error|Warning),', codes_rs.read_text(encoding="utf-8"), re.M)
    chapter = chapters.get(diag)
    if chapter is None:
        problems.append(f"{rel(diag)}: missing: the troubleshooting chapter must be in SUMMARY.md")
        return
    sections = set()
    for _, line in prose_lines(chapter.text):
        m = re.match(r"^## (\S+)\s*$", line)
        if m:
            sections.add(m.group(1))
    for code in codes:
        if code not in sections:
            problems.append(f"{rel(diag)}: no section `## {code}` for the diagnostic code `{code}` of {rel(codes_rs)}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--html", type=Path, help="the mdbook build folder, to check anchors against the rendered pages too")
    args = ap.parse_args()

    problems: list[str] = []
    listed = summary_chapters(problems)
    chapters = {p: Chapter(p) for p in listed}
    for md in sorted(BOOK.rglob("*.md")):
        if md.name != "SUMMARY.md" and md.resolve() not in chapters:
            problems.append(f"{rel(md)}: not listed in book/SUMMARY.md (mdBook would not render it)")

    html_cache: dict = {}
    count = 0
    for path, chapter in chapters.items():
        for n, target in chapter.links():
            if not target or SCHEME.match(target) or target.startswith("//"):
                continue
            count += 1
            where = f"{rel(path)}:{n}"
            file_part, _, frag = target.partition("#")
            frag = unquote(frag)
            if file_part:
                dest = (path.parent / unquote(file_part)).resolve()
                if dest.suffix == ".md":
                    if dest not in chapters:
                        state = "is not in SUMMARY.md" if dest.is_file() else "does not exist"
                        problems.append(f"{where}: link `{target}`: chapter {rel(dest)} {state}")
                        continue
                elif dest.suffix in (".html", ""):
                    problems.append(f"{where}: link `{target}`: link to the chapter's .md file, not its page")
                    continue
                else:
                    if not dest.is_file():
                        problems.append(f"{where}: link `{target}`: file {rel(dest)} does not exist")
                    continue
            else:
                dest = path
            if not frag:
                continue
            if frag not in chapters[dest].ids:
                problems.append(f"{where}: link `{target}`: {rel(dest)} has no heading with id `{frag}`")
                continue
            if args.html:
                ids = html_ids(args.html, dest, html_cache)
                if ids is None:
                    problems.append(f"{where}: link `{target}`: no rendered page for {rel(dest)} in {args.html}")
                elif frag not in ids:
                    problems.append(f"{where}: link `{target}`: the rendered page of {rel(dest)} has no id `{frag}`")

    check_codes(chapters, problems)

    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"check-links: {len(problems)} problem(s) in {len(chapters)} chapters", file=sys.stderr)
        return 1
    print(f"check-links: {count} links in {len(chapters)} chapters, all resolve")
    return 0


if __name__ == "__main__":
    sys.exit(main())
