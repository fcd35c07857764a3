"""The register's and sampling's words live in the one message catalogue (kpt_audit.messages), complete in
both languages, and neither area keeps a bilingual table of its own again."""
from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from kpt_audit.messages import CATALOGUE, LANGS, text

PACKAGE = Path(__file__).resolve().parents[1] / "kpt_audit"
AREAS = ("register", "sampling")
AREA_KEYS = sorted(k for k in CATALOGUE if k.startswith(("register.", "sampling.", "cli.register.", "cli.sample.")))


def fields_of(entry: dict) -> dict:
    """A value for every field either language names (1 where it has a format spec such as :g)."""
    found = {}
    for lang in LANGS:
        for _, name, spec, _ in string.Formatter().parse(entry[lang]):
            if name:
                found[name] = 1 if spec else "x"
    return found


def test_the_areas_words_are_in_the_catalogue():
    assert {k.split(".")[0] for k in AREA_KEYS} == {"register", "sampling", "cli"}
    assert len(AREA_KEYS) > 200
    assert text("sampling.sheet.sample", "zh") == "样本" and text("cli.register.help", "en").startswith("the register")


@pytest.mark.parametrize("key", AREA_KEYS)
def test_each_text_of_the_areas_renders_in_both_languages_and_its_chinese_is_chinese(key):
    entry = CATALOGUE[key]
    assert set(entry) == set(LANGS) and all(entry[lang].strip() for lang in LANGS), key
    values = fields_of(entry)
    for lang in LANGS:
        assert text(key, lang, **values), (key, lang)
    literal = re.sub(r"\{[^}]*\}|kpt-audit", "", entry["zh"])
    if re.search(r"[A-Za-z]{3,}", literal):
        assert re.search(r"[\u4e00-\u9fff]", literal), key


def _bilingual_tables(path: Path) -> list[int]:
    """Lines of dict literals keyed by the languages themselves: a message table of the module's own."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Dict)
            and {k.value for k in node.keys if isinstance(k, ast.Constant)} >= set(LANGS)]


@pytest.mark.parametrize("area", AREAS)
def test_no_area_keeps_a_message_table_of_its_own(area):
    found = {str(f.relative_to(PACKAGE)): lines for f in sorted((PACKAGE / area).glob("*.py"))
             if (lines := _bilingual_tables(f))}
    assert found == {}, f"words belong in kpt_audit/messages.py: {found}"


def test_the_check_for_an_own_table_finds_one(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('TEXTS = {"hello": {"zh": "你好", "en": "hello"}}\n', encoding="utf-8")
    assert _bilingual_tables(module) == [1]
