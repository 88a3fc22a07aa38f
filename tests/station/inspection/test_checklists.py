"""Checklist templates: the shipped ones are complete, bad files are refused with file and line,
the last good version stays in use, and a version once used never changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from station.core.errors import ConfigError, NotFound
from station.inspection.checklists import SHIPPED_DIR, ChecklistLibrary, ItemKind, read_checklist

DATA = Path(__file__).resolve().parents[2] / "data" / "qc"
CATEGORIES = ["apparel", "shoes", "electronics", "small_appliances", "cosmetics"]


@pytest.fixture
def library(tmp_path: Path) -> ChecklistLibrary:
    return ChecklistLibrary(override_dir=tmp_path / "config", archive_dir=tmp_path / "archive")


class TestShippedTemplates:
    def test_one_valid_template_per_demo_category_plus_general(self, library):
        assert library.problems == ()
        assert sorted(c.category for c in library.all()) == sorted(CATEGORIES + ["general"])

    @pytest.mark.parametrize("category", CATEGORIES)
    def test_template_has_5_to_12_bilingual_questions(self, library, category):
        checklist = library.for_category(category)
        assert 5 <= len(checklist.items) <= 12
        for item in checklist.items:
            assert item.en and item.zh and item.en != item.zh
        kinds = {i.kind for i in checklist.items}
        assert ItemKind.PASS_FAIL in kinds and ItemKind.TEXT in kinds

    def test_every_kind_and_a_condition_are_used_somewhere(self, library):
        items = [i for c in library.all() for i in c.items]
        assert {i.kind for i in items} == set(ItemKind)
        assert any(i.ask_if for i in items)
        assert all(i.unit and i.tolerance is not None for i in items if i.kind == ItemKind.NUMBER)

    def test_unknown_category_gets_the_general_checklist(self, library):
        assert library.for_category("garden_tools").id == "general"
        assert library.for_category(None).id == "general"

    def test_cosmetics_broken_seal_is_critical(self, library):
        seal = library.for_category("cosmetics").item("seal_intact")
        assert seal.severity.value == "critical" and seal.photo_on_fail


class TestBadTemplateRefused:
    @pytest.mark.parametrize(
        ("name", "line", "words"),
        [
            ("bad_syntax.toml", 6, "TOML syntax error"),
            ("unknown_field.toml", 18, "unknown field 'photo_on_failure'"),
            ("duplicate_id.toml", 20, "duplicate question id 'tags'"),
            ("missing_condition.toml", 18, "no earlier question has that id"),
            ("no_grade_fallback.toml", 7, "last grade rule must have no 'when'"),
        ],
    )
    def test_refused_with_file_line_and_reason(self, name, line, words):
        with pytest.raises(ConfigError) as err:
            read_checklist(DATA / name)
        message = str(err.value)
        assert message.startswith(f"{DATA / name}, line {line}: "), message
        assert words in message

    def test_condition_to_a_later_question_is_refused(self, tmp_path):
        text = (SHIPPED_DIR / "electronics.toml").read_text(encoding="utf-8")
        # move the screen question (which looks back at powers_on) before powers_on
        text = text.replace('ask_if = { item = "powers_on", answer = ["pass"] }\nchoices',
                            'ask_if = { item = "packaging", answer = ["pass"] }\nchoices')
        path = tmp_path / "electronics.toml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError, match="only look back"):
            read_checklist(path)

    @pytest.mark.parametrize(
        ("old", "new", "words"),
        [
            ("when = { minor = 3 }", "when = { minor = 4 }", "needs 4 minor failures but only 3"),
            ("when = { minor = 3 }", "when = { major = 2 }", "rule 2 before it matches every unit it would"),
        ],
    )
    def test_grade_rule_that_can_never_apply_is_refused(self, tmp_path, old, new, words):
        path = tmp_path / "small_appliances.toml"
        path.write_text((SHIPPED_DIR / path.name).read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        with pytest.raises(ConfigError, match=rf"{path}, line 22: grade rule 3 .*{words}"):
            read_checklist(path)

    def test_broken_site_copy_keeps_shipped_version_and_reports(self, tmp_path):
        config = tmp_path / "config"
        config.mkdir()
        shutil.copy(DATA / "duplicate_id.toml", config / "apparel.toml")
        library = ChecklistLibrary(override_dir=config, archive_dir=tmp_path / "archive")
        assert library.for_category("apparel").version == 1
        assert library.for_category("apparel").source == str(SHIPPED_DIR / "apparel.toml")
        assert len(library.problems) == 1 and "duplicate question id" in str(library.problems[0])

    def test_reload_after_a_bad_edit_keeps_the_last_good_site_version(self, tmp_path):
        config = tmp_path / "config"
        config.mkdir()
        site = config / "shoes.toml"
        good = (SHIPPED_DIR / "shoes.toml").read_text(encoding="utf-8").replace("version = 1", "version = 2")
        site.write_text(good, encoding="utf-8")
        library = ChecklistLibrary(override_dir=config, archive_dir=tmp_path / "archive")
        assert library.for_category("shoes").version == 2
        site.write_text(good.replace('severity = "minor"', 'severity = "tiny"', 1), encoding="utf-8")
        problems = library.reload()
        assert len(problems) == 1 and "severity 'tiny'" in str(problems[0])
        assert f"{site}, line " in str(problems[0])
        assert library.for_category("shoes").version == 2  # last good, not shipped v1


class TestVersions:
    def _site_copy(self, config: Path, version: int, question: str) -> Path:
        config.mkdir(exist_ok=True)
        text = (SHIPPED_DIR / "apparel.toml").read_text(encoding="utf-8")
        text = text.replace("version = 1", f"version = {version}")
        text = text.replace("Are the original tags attached?", question)
        path = config / "apparel.toml"
        path.write_text(text, encoding="utf-8")
        return path

    def test_old_version_stays_loadable_after_the_template_changes(self, tmp_path):
        config, archive = tmp_path / "config", tmp_path / "archive"
        library = ChecklistLibrary(override_dir=config, archive_dir=archive)
        v1 = library.for_category("apparel")
        library.pin(v1)
        self._site_copy(config, 2, "Tags on?")
        library.reload()
        assert library.for_category("apparel").version == 2
        old = library.get("apparel", 1)
        assert old.item("tags_attached").en == "Are the original tags attached?"
        assert library.get("apparel", 2).item("tags_attached").en == "Tags on?"

    def test_editing_a_used_version_in_place_is_refused(self, tmp_path):
        config, archive = tmp_path / "config", tmp_path / "archive"
        library = ChecklistLibrary(override_dir=config, archive_dir=archive)
        library.pin(library.for_category("apparel"))
        self._site_copy(config, 1, "Tags on?")
        problems = library.reload()
        assert len(problems) == 1
        assert "already used for inspections" in str(problems[0])
        assert library.for_category("apparel").item("tags_attached").en == "Are the original tags attached?"

    def test_a_comment_only_edit_is_not_a_change(self, tmp_path):
        config, archive = tmp_path / "config", tmp_path / "archive"
        library = ChecklistLibrary(override_dir=config, archive_dir=archive)
        library.pin(library.for_category("apparel"))
        config.mkdir()
        text = "# reviewed by QC lead\n" + (SHIPPED_DIR / "apparel.toml").read_text(encoding="utf-8")
        (config / "apparel.toml").write_text(text, encoding="utf-8")
        assert library.reload() == ()

    def test_unknown_version_is_not_found(self, library):
        with pytest.raises(NotFound, match="version 7"):
            library.get("apparel", 7)
