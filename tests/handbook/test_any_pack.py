"""Another service's pack builds with no code change: its own sections, ids and wording."""
from __future__ import annotations

import re
from pathlib import Path

from handbook import sitebuild
from handbook.loader import load_project


def _as_youth_service(project: Path) -> Path:
    """The small test project, renamed for another service and given a seventh and a tenth section."""
    config = (project / "mkdocs.yml").resolve().read_text(encoding="utf-8")
    config = re.sub(r"(?m)^  service:\n(    .*\n)+",
                    "  service:\n    name: Youth Service\n    short_name: YS\n"
                    "    officer: Youth Worker\n    officer_short: YW\n    work: youth work\n    country: Wales\n",
                    config)
    (project / "mkdocs.yml").unlink()
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    for number in ("7", "10"):
        section = (project / "sections/1.yml").read_text(encoding="utf-8")
        section = section.replace('id: "1"', f'id: "{number}"').replace('"1.a"', f'"{number}.a"')
        section = section.replace("section-1/1a-intro.md", f"section-{number}/{number}a-intro.md")
        section = section.replace('activity: "1.1"', f'activity: "{number}.1"')
        (project / f"sections/{number}.yml").write_text(section, encoding="utf-8")
        page = (project / "content/section-1/1a-intro.md").read_text(encoding="utf-8")
        (project / f"content/section-{number}").mkdir()
        (project / f"content/section-{number}/{number}a-intro.md").write_text(
            page.replace("activities/1-01.md", f"activities/{number}-01.md"), encoding="utf-8")
        activity = (project / "activities/1-1.yml").read_text(encoding="utf-8")
        activity = activity.replace('id: "1.1"', f'id: "{number}.1"').replace('section: "1"', f'section: "{number}"')
        (project / f"activities/{number}-1.yml").write_text(activity.replace('"1.a"', f'"{number}.a"'),
                                                            encoding="utf-8")
    return project


def test_sections_and_ids_come_from_the_pack(project):
    pack = load_project(_as_youth_service(project))
    assert pack.errors == []
    assert set(pack.sections) == {"1", "7", "10"} and {"7.1", "10.1"} <= set(pack.activities)
    assert pack.service.short_name == "YS"


def test_another_services_pack_builds_with_its_own_words_and_order(project):
    project = _as_youth_service(project)
    assert sitebuild.build(project) == 0
    site = project / "site"
    assert (site / "section-10/activities/10-01.html").is_file()
    glossary_or_home = (site / "index.html").read_text(encoding="utf-8")
    nav = re.findall(r"Section (\d+):", glossary_or_home)
    assert nav.index("7") < nav.index("10")  # 7 before 10, not as text


def test_the_tracker_names_the_service_of_its_pack(project, tmp_path):
    from tracker import create_app
    project = _as_youth_service(project)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(tmp_path / "t.sqlite"),
                      "UPLOAD_FOLDER": str(tmp_path / "uploads"), "CONTENT_ROOT": str(project)})
    page = app.test_client().get("/login").get_data(as_text=True)
    assert "YS induction tracker" in page and "EWS" not in page
