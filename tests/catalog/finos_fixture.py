"""A small FINOS AI Governance Framework checkout, written for the tests: two risks, two
mitigations and three reference lists, every value chosen by hand."""

from __future__ import annotations

from pathlib import Path

COMMIT = "0123456789abcdef0123456789abcdef01234567"

MI_2 = """---
sequence: 2
title: Keep a model inventory
layout: mitigation
doc-status: Draft
type: PREV
mitigates:
  - ri-1   # a comment, as the real files have
  - ri-2
  - ri-1
iso-42001_references:
  - A-6-2-3
  - A-9-9
owasp-llm_references:
  - llm01-2025
related_mitigations:
  - mi-10
---

## Purpose

Know **which models** run where.

* First point
  continued here
    * nested point
1. numbered

| Level | Scope |
| ----- | ----- |
| 0 | Org |

See [the guide](https://example.org/guide) and `code`.

<script>alert(1)</script>
"""

MI_10 = """---
sequence: 10
title: Watch the bill
layout: mitigation
doc-status: Draft
type: DET
mitigates:
  - ri-2
---
Alert on spend.
"""

RI_1 = """---
sequence: 1
title: Prompt trickery
layout: risk
doc-status: Draft
type: SEC
owasp-llm_references:
  - llm01-2025
nist-sp-800-53r5_references:
  - si-10
related_risks:
  - ri-2
---
##\u00a0Summary

Inputs that **steer** the model.

## Description

Read [a paper](https://example.org/paper) or [an old page](http://example.org/old).
"""

RI_2 = """---
sequence: 2
title: Drift
layout: risk
doc-status: Draft
type: OP
---
Plain text only.
"""

ISO = """title: "ISO/IEC 42001"
description: "Not our words, and not imported."
source_url: "https://www.iso.org/standard/81230.html"
entries:
  A-6-2-3:
    title: "A.6.2.3 Design documentation"
    url: "https://www.iso.org/standard/81230.html"
  A-7-2:
    title: "A.7.2 Data for development"
    url: "https://www.iso.org/standard/81230.html"
"""

OWASP = """title: OWASP LLM Top 10
description: Also not imported.
source_url: https://genai.owasp.org/
entries:
  llm01-2025:
    title: "LLM01:2025 Prompt Injection"
    url: https://genai.owasp.org/llmrisk/llm01-prompt-injection/
"""

NIST = """title: NIST SP 800-53 Rev 5
description: Neither is this.
entries:
  si-10:
    title: SI-10 Information Input Validation
    url: https://csrc.nist.gov/
"""

FILES = {
    "docs/_mitigations/mi-2_keep-a-model-inventory.md": MI_2,
    "docs/_mitigations/mi-10_watch-the-bill.md": MI_10,
    # Not a mitigation page: only mi-*.md files are read.
    "docs/_mitigations/README.md": "# not a page\n",
    "docs/_risks/ri-1_prompt-trickery.md": RI_1,
    "docs/_risks/ri-2_drift.md": RI_2,
    "docs/_data/references/iso-42001.yml": ISO,
    "docs/_data/references/owasp-llm.yml": OWASP,
    "docs/_data/references/nist-sp-800-53r5.yml": NIST,
    "SOURCE_COMMIT": COMMIT + "\n",
}

MI_2_DESCRIPTION = (
    "**Purpose**\n\n"
    "Know **which models** run where.\n\n"
    "- First point continued here\n"
    "- \N{EN DASH} nested point\n"
    "- 1. numbered\n\n"
    "- Level; Scope\n"
    "- 0; Org\n\n"
    "See the guide (https://example.org/guide) and code.\n\n"
    "<script>alert(1)</script>"
)


def write_finos(root: Path) -> Path:
    """The checkout under `root`; a test changes or removes a file afterwards as it needs."""
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
