"""Every setting is in one table (tracker/config.py), with its default and meaning, and
docs/configuration.md is that table: an operator reads there every setting the tracker has."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from helpers import ROOT, TEST_PACK
from tracker import config, create_app

DOC = ROOT / "docs" / "configuration.md"
# app.config["NAME"] and app.config.get("NAME") in Python; config.NAME and config["NAME"] in templates
READ = re.compile(r"""\bconfig(?:\[\s*|\.get\(\s*)["']([A-Z][A-Z0-9_]*)["']""")
TEMPLATE_READ = re.compile(r"""\bconfig\.([A-Z][A-Z0-9_]*)\b""")
SECOND_DEFAULT = re.compile(r"""\bconfig\.get\(\s*["']([A-Z][A-Z0-9_]*)["']\s*,""")


def tracker_code() -> dict[Path, str]:
    files = [*(ROOT / "tracker").rglob("*.py"), *(ROOT / "tracker" / "templates").rglob("*.html")]
    return {file: file.read_text(encoding="utf-8") for file in files}


@pytest.fixture
def bare_environment(tmp_path, monkeypatch) -> Path:
    """No TRACKER_* setting from the environment this test runs in; the instance folder in tmp_path."""
    for name in list(os.environ):
        if name.startswith("TRACKER_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path / "instance"))
    return tmp_path / "instance"


def test_the_settings_documentation_is_made_from_the_table(bare_environment):
    expected = config.markdown()
    assert DOC.read_text(encoding="utf-8") == expected, \
        "run: flask --app tracker settings-doc > docs/configuration.md"
    printed = create_app().test_cli_runner().invoke(args=["settings-doc"])
    assert printed.exit_code == 0 and printed.output == expected
    for setting in config.SETTINGS:  # each with its environment variable, default and meaning
        assert re.search(rf"^\| `TRACKER_{setting.name}` \| [^|]+ \| [^|]+ \|$", expected, re.M), setting.name


def test_every_setting_the_tracker_reads_is_in_the_table():
    read: dict[str, set[str]] = {}
    for file, text in tracker_code().items():
        names = READ.findall(text) + (TEMPLATE_READ.findall(text) if file.suffix == ".html" else [])
        for name in names:
            read.setdefault(name, set()).add(str(file.relative_to(ROOT)))
    assert len(read) > 30, "the scan found too few settings to be reading the code"
    assert {name: files for name, files in read.items() if name not in config.BY_NAME} == {}


def test_no_code_gives_a_setting_a_default_of_its_own():
    """The table's default is the only one: a second, in the code, would differ from it one day."""
    found = {str(file.relative_to(ROOT)): SECOND_DEFAULT.findall(text) for file, text in tracker_code().items()}
    assert {file: names for file, names in found.items() if names} == {}


def test_the_app_starts_from_the_tables_defaults(bare_environment, monkeypatch):
    monkeypatch.setenv("TRACKER_CONTENT_ROOT", str(TEST_PACK))  # the one setting changed, to load quickly
    app = create_app()
    expected = config.defaults(bare_environment)
    expected["CONTENT_ROOT"] = str(TEST_PACK)
    expected["TRUSTED_HOSTS"] = ["localhost", "127.0.0.1"]  # with no PUBLIC_URL, this machine's names only
    assert {name: dict.get(app.config, name) for name in expected} == expected
    assert expected["DATABASE"] == str(bare_environment / "tracker.sqlite")  # paths from the instance folder


def test_a_setting_comes_from_its_environment_variable(bare_environment, monkeypatch):
    monkeypatch.setenv("TRACKER_CONTENT_ROOT", str(TEST_PACK))
    monkeypatch.setenv("TRACKER_WITNESS_LINK_DAYS", "3")
    monkeypatch.setenv("TRACKER_MAIL_FROM", "Tracker <tracker@example.gov.wales>")
    app = create_app()
    assert app.config["WITNESS_LINK_DAYS"] == 3
    assert app.config["MAIL_FROM"] == "Tracker <tracker@example.gov.wales>"


def test_each_setting_is_named_once_and_explained():
    names = [setting.name for setting in config.SETTINGS]
    assert len(names) == len(set(names))
    assert [name for name in names if not re.fullmatch(r"[A-Z][A-Z0-9_]*", name)] == []
    assert [setting.name for setting in config.SETTINGS if len(setting.help) < 10] == []
