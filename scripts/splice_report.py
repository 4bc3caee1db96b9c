#!/usr/bin/env python3
"""Copies sections of a `credo report` into a results document, so that the document's tables are the report's
and the report regenerates them from the committed run folders (tests/python/test_committed_results.py checks
that they match).

    scripts/splice_report.py docs/results/paper/report.md docs/results/paper.md

The document marks each section it holds with two comments; what lies between them is replaced:

    <!-- report section: The paper's claims -->
    ...
    <!-- end of report section -->

The section runs from the report's heading of that title to its next heading of the same or a higher level (or
its end). Its headings move to the level below the document's heading above the mark, and its relative links
(figures, tables) are rewritten to point from the document's folder into the report's. Nothing is written when a
mark names a section the report lacks; the document is replaced whole (temporary file, then rename).
"""
import os
import re
import sys
from pathlib import Path

BEGIN = re.compile(r"^<!-- report section: (.+?) -->$")
END = "<!-- end of report section -->"
HEADING = re.compile(r"^(#+) ")
RELATIVE_LINK = re.compile(r"\]\((?![a-z]+://|#|/)([^)]+)\)")


def section(report_lines, title):
    """The report's lines of the section titled `title`, its heading first, and the heading's level."""
    for start, line in enumerate(report_lines):
        match = HEADING.match(line)
        if match and line[len(match.group(1)) + 1:] == title:
            level = len(match.group(1))
            end = next((i for i in range(start + 1, len(report_lines))
                        if (m := HEADING.match(report_lines[i])) and len(m.group(1)) <= level), len(report_lines))
            lines = report_lines[start:end]
            while lines and not lines[-1].strip():
                lines.pop()
            return lines, level
    raise KeyError(title)


def moved(lines, shift, prefix):
    out = []
    for line in lines:
        match = HEADING.match(line)
        if match:
            line = "#" * (len(match.group(1)) + shift) + line[len(match.group(1)):]
        out.append(RELATIVE_LINK.sub(lambda m: f"]({prefix}{m.group(1)})", line))
    return out


def splice(document, report, prefix):
    """`document` (text) with each marked section replaced by the report's (text); links get `prefix`."""
    report_lines = report.splitlines()
    out, level, skipping, fenced = [], 1, False, False
    for line in document.splitlines():
        if skipping:
            if line == END:
                out.append(line)
                skipping = False
            continue
        out.append(line)
        fenced ^= line.startswith("```")
        if not fenced and (heading := HEADING.match(line)):
            level = len(heading.group(1))
        if (begin := BEGIN.match(line)):
            lines, report_level = section(report_lines, begin.group(1))
            out += [""] + moved(lines, level + 1 - report_level, prefix) + [""]
            skipping = True
    if skipping:
        raise ValueError(f"a '<!-- report section: ... -->' mark without its '{END}'")
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) != 3:
        print("usage: scripts/splice_report.py REPORT_MD DOCUMENT_MD (copies the report's marked sections)",
              file=sys.stderr)
        return 2
    report_path, document_path = Path(argv[1]), Path(argv[2])
    prefix = os.path.relpath(report_path.parent, document_path.parent).replace(os.sep, "/")
    prefix = "" if prefix == "." else prefix + "/"
    try:
        text = splice(document_path.read_text(), report_path.read_text(), prefix)
    except KeyError as e:
        print(f"{document_path}: marks section {e} that {report_path} lacks: check the title against the "
              "report's headings", file=sys.stderr)
        return 2
    except (OSError, ValueError) as e:
        print(f"{document_path}: {e}", file=sys.stderr)
        return 2
    tmp = document_path.with_name(f".{document_path.name}.tmp")
    tmp.write_text(text)
    tmp.replace(document_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
