"""scripts/splice_report.py copies a report's sections into a document between marks: headings moved under the
document's, links pointing into the report's folder, nothing else of the document touched, and the same result
when run twice. A mark naming a section the report lacks is one line, exit 2, the document unchanged."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import splice_report  # noqa: E402

REPORT = """# credo report

## Returns

| a | b |
|---|---|
| 1 | 2 |

## The claims

Read [claims.csv](claims.csv), see [elsewhere](https://example.org/x.png) and [below](#claim-1).

### Claim 1

![Claim 1](claim-1.png)

## Last section

not copied
"""

DOCUMENT = """# Study

## Results

```
# a comment in a code block, not a heading
```

<!-- report section: The claims -->
stale text
<!-- end of report section -->

After.
"""


def test_the_section_lands_under_the_documents_heading_with_its_links_moved():
    out = splice_report.splice(DOCUMENT, REPORT, "study/")
    assert out.splitlines() == [
        "# Study", "", "## Results", "", "```", "# a comment in a code block, not a heading", "```", "",
        "<!-- report section: The claims -->", "",
        "### The claims", "",
        "Read [claims.csv](study/claims.csv), see [elsewhere](https://example.org/x.png) and [below](#claim-1).", "",
        "#### Claim 1", "", "![Claim 1](study/claim-1.png)", "",
        "<!-- end of report section -->", "", "After."]
    assert splice_report.splice(out, REPORT, "study/") == out


def test_the_command_rewrites_the_document_and_refuses_a_section_the_report_lacks(tmp_path):
    (tmp_path / "study").mkdir()
    report, document = tmp_path / "study" / "report.md", tmp_path / "study.md"
    report.write_text(REPORT)
    document.write_text(DOCUMENT)
    script = str(ROOT / "scripts" / "splice_report.py")
    done = subprocess.run([sys.executable, script, str(report), str(document)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert document.read_text() == splice_report.splice(DOCUMENT, REPORT, "study/")

    wrong = DOCUMENT.replace("The claims", "The verdicts")
    document.write_text(wrong)
    refused = subprocess.run([sys.executable, script, str(report), str(document)], capture_output=True, text=True)
    assert refused.returncode == 2
    assert len(refused.stderr.strip().splitlines()) == 1 and "'The verdicts'" in refused.stderr
    assert document.read_text() == wrong
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study", "study.md"]
