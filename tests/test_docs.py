"""The documentation a newcomer finds things in: a short README that leads to the guides, links that
open, no references to a tracker of work a reader cannot see, a contents list for the decisions, a row
for every tracker feature in docs/architecture.md naming files that exist, and every command of the
tracker in docs/tracker.md."""
from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from helpers import ROOT, tracker_config
from tracker import create_app

README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [README, *DOCS]
# the word followed by a number: a reader has no such list of issues, so the text says the reason instead
ISSUE_NUMBER = re.compile(r"\bissues? \d+", re.IGNORECASE)
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
CODE_SPAN = re.compile(r"(`+).+?\1", re.S)
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
# The features the table must cover whatever the registry holds at the time: a reader looks these up.
FEATURES_DOCUMENTED = (
    "i18n", "auth", "oidc", "account_links", "admin", "dashboards", "plans", "records", "witness", "quizzes",
    "reflections", "pdp", "supervision", "portfolio", "pinned", "signing", "induction_sign_off", "subject_access",
    "erasure", "outbox", "notifications", "calendar_feed", "static", "mail", "mail_worker", "audit", "backup", "db",
    "content", "demo", "errors", "template_helpers", "security")


def prose(text: str) -> str:
    """The Markdown without code blocks and code spans, where a bracket is not a link."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def links(page: Path) -> list[str]:
    return LINK.findall(prose(page.read_text(encoding="utf-8")))


def heading_id(heading: str) -> str:
    """The id GitHub gives a heading: lower case, punctuation dropped, each space a hyphen."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_the_readme_is_short_enough_to_read_first():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 120, f"README.md has {len(lines)} lines: move detail into docs/ and link to it"


def test_the_readme_leads_to_every_guide():
    linked = {(README.parent / target.split("#")[0]).resolve() for target in links(README)}
    wanted = {ROOT / "BENCHMARKS.md", *(ROOT / "docs" / name for name in (
        "authoring.md", "tracker.md", "configuration.md", "deployment.md", "architecture.md", "decisions.md",
        "welsh-review.md", "content-map.md"))}
    assert wanted - linked == set()


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(ROOT).as_posix())
def test_every_relative_link_opens_a_file_that_exists(page):
    broken = []
    for target in links(page):
        if SCHEME.match(target) or target.startswith("#"):
            continue
        path = target.split("#", 1)[0].split("?", 1)[0]
        if not (page.parent / path).exists():
            broken.append(target)
    assert broken == [], f"{page.relative_to(ROOT)} links to files that do not exist"


def test_no_text_refers_to_a_numbered_issue():
    files = [*PAGES, ROOT / "BENCHMARKS.md", *sorted((ROOT / "tests").glob("*.py"))]
    found = [f"{file.relative_to(ROOT)}:{number}: {line.strip()}"
             for file in files
             for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1)
             if ISSUE_NUMBER.search(line)]
    assert found == []


def test_the_decisions_have_a_contents_list_linking_every_section():
    text = (ROOT / "docs" / "decisions.md").read_text(encoding="utf-8")
    contents, _, body = text.partition("\n## ")
    sections = re.findall(r"^## (.+)$", "## " + body, re.M)
    listed = {target[1:] for target in LINK.findall(contents) if target.startswith("#")}
    assert sections and {heading_id(section) for section in sections} - listed == set()
    assert listed - {heading_id(section) for section in sections} == set(), "a contents link leads nowhere"


def feature_table() -> dict[str, list[str]]:
    """docs/architecture.md's feature table: the feature's name -> its other cells."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = text.split("## Feature → files", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in table.splitlines():
        row = re.match(r"^\| `([a-z0-9_]+)` \|(.+)\|$", line)
        if row:
            rows[row[1]] = [cell.strip() for cell in row[2].split("|")]
    return rows


def registered_features() -> set[str]:
    """The feature modules the app registers, by their top-level name (records.routes is records)."""
    try:
        features = importlib.import_module("tracker.features").FEATURES
    except ModuleNotFoundError:  # before tracker/features.py held the list, the app factory did
        features = importlib.import_module("tracker").FEATURES
    return {name.split(".")[0] for name in features}


def test_every_tracker_feature_has_a_row_in_the_architecture_table():
    assert (registered_features() | set(FEATURES_DOCUMENTED)) - set(feature_table()) == set()


def test_every_file_the_feature_table_names_exists():
    """A renamed or moved module is found here, not by a newcomer who follows the table."""
    places = [ROOT, ROOT / "tracker", ROOT / "tracker" / "templates", ROOT / "tests",
              *(ROOT / "tests" / folder for folder in ("tracker", "handbook", "browser"))]
    missing = []
    for feature, cells in feature_table().items():
        for name in (name for cell in cells for name in re.findall(r"`([^`]+)`", cell)):
            if name.startswith("/") or not re.search(r"/|\.(py|html|sql|txt)$|\.\*$", name):
                continue  # an address, a command or a function's name
            if not any(list(place.glob(name)) if "*" in name else (place / name).exists() for place in places):
                missing.append(f"{feature}: {name}")
    assert missing == []


def test_every_command_of_the_tracker_is_in_the_tracker_guide(tmp_path):
    app = create_app(tracker_config(tmp_path, MIGRATE_ON_START=False))
    guide = (ROOT / "docs" / "tracker.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z-]+)[^`]*` \|", guide, re.M))
    assert set(app.cli.commands) - documented == set()
