"""Open source checks live in docs/source-checks.md, not in the shipped data files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "qdlab" / "materials" / "data"
PAGE = ROOT / "docs" / "source-checks.md"
POINTER = "Open source checks of this record: docs/source-checks.md."
NOTE = re.compile(r"unverified|not verified|from memory", re.IGNORECASE)


@pytest.mark.parametrize("path", sorted(DATA.glob("*.toml")), ids=lambda p: p.name)
def test_data_files_carry_no_verification_notes(path):
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.lstrip().startswith("#"):
            assert not NOTE.search(line), f"{path.name}:{no}: move the note to {PAGE.name}"


def test_every_pointer_has_its_record_on_the_page():
    page = PAGE.read_text(encoding="utf-8")
    pointed = [p for p in sorted(DATA.glob("*.toml")) if POINTER in p.read_text(encoding="utf-8")]
    assert pointed
    for path in pointed:
        assert f"`{path.name}`" in page, path.name
