#!/usr/bin/env python3
"""Write the small sample PDFs that the sample site ships under content/.

The PDFs are tiny, valid PDF 1.4 files (one page, ASCII text in Helvetica, a
correct cross-reference table) and byte-for-byte reproducible: no dates, no
random file identifiers. Run from anywhere:

    python3 scripts/make-sample-pdf.py            # (re)write every sample PDF
    python3 scripts/make-sample-pdf.py OUT.pdf "Title" "line" "line" ...

Standard library only.
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Path (relative to the repository root) -> (title, body lines).
SAMPLES = {
    "content/documents/2025/zfxxgk-ndbg-2024.pdf": (
        "2024 Annual Report on Government Information Disclosure",
        [
            "Luoyang Municipal People's Government",
            "SAMPLE DOCUMENT - for demonstration only, no legal effect.",
            "",
            "1. Overview: 18,600 items proactively disclosed; 64 press conferences;",
            "   312 policy interpretations; 12 gazette issues published.",
            "2. Rules and normative documents: 2 rules and 47 normative documents issued.",
            "3. Requests: 436 received, 12 carried over, 431 answered, 17 carried forward.",
            "4. Reviews and lawsuits: 18 administrative reviews, 7 lawsuits.",
            "5. Problems and improvements: see the web version of this report.",
        ],
    ),
    "content/gazette/2025-06.pdf": (
        "Gazette of the Luoyang Municipal People's Government",
        [
            "2025 No. 6 (Total No. 330)    Published 2025-06-27",
            "SAMPLE ISSUE - for demonstration only, no legal effect.",
            "",
            "Contents",
            "  Luo Zheng Ban [2025] No. 15: Key points of government affairs",
            "    openness work in 2025 ............................................. 2",
            "  Luo Zheng Ren [2025] No. 9: Appointments and removals ................ 6",
            "  Luo Shi Jian Notice [2025] No. 12: Food safety sampling results ...... 7",
        ],
    ),
}


def _escape(text):
    """Escape a string for a PDF literal string (ASCII only)."""
    text.encode("ascii")  # raises on non-ASCII: the base-14 fonts cannot show it
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(title, lines):
    """Return the bytes of a one-page A4 PDF showing title and lines."""
    ops = ["BT", "/F1 16 Tf", "20 TL", "72 770 Td", "(%s) Tj" % _escape(title), "/F1 11 Tf", "16 TL", "T*"]
    for line in lines:
        ops.append("(%s) '" % _escape(line))
    ops.append("ET")
    stream = ("\n".join(ops) + "\n").encode("ascii")

    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream",
        ("<< /Title (%s) /Producer (gazette sample generator) >>" % _escape(title)).encode("ascii"),
    ]

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def write(path, title, lines):
    data = make_pdf(title, lines)
    with open(path, "wb") as f:
        f.write(data)
    print("wrote %s (%d bytes)" % (os.path.relpath(path), len(data)))


def main(argv):
    if len(argv) >= 3:
        write(argv[1], argv[2], argv[3:])
        return 0
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    for rel, (title, lines) in SAMPLES.items():
        write(os.path.join(ROOT, rel), title, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
