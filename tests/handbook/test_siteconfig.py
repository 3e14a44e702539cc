"""The site's configuration (mkdocs.yml, mkdocs.cy.yml) is read one way by the build, the content
loader and the tracker (handbook/siteconfig.py): INHERIT resolved, and a file that cannot be read
named with its line, never a traceback and never a failing tracker page. Also: build.py stays a thin
command line, and no module changes sys.path or patches another module."""
from __future__ import annotations

import ast
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from handbook.loader import load_project
from handbook.service import Service, load_service
from handbook.siteconfig import ConfigError, site_config
from helpers import ROOT, tracker_config, write

BASE = """\
site_name: A shared base
theme:
  name: material
  language: en
extra:
  service:
    name: Youth Service
    short_name: YS
    officer: Youth Worker
    officer_short: YW
    work: youth work
    country: Wales
"""
WELSH = """\
INHERIT: mkdocs.yml
site_name: Llawlyfr
theme:
  language: cy
extra:
  service:
    name: Gwasanaeth Ieuenctid
    short_name: GI
"""


def with_configs(project: Path, english: str, welsh: str | None = WELSH) -> Path:
    """The small project with its own mkdocs.yml (in place of the real one) and mkdocs.cy.yml."""
    (project / "mkdocs.yml").unlink()
    write(project, "mkdocs.yml", english)
    if welsh is not None:
        write(project, "mkdocs.cy.yml", welsh)
    return project


def tracker(project: Path, tmp_path: Path):
    from tracker import create_app
    return create_app(tracker_config(tmp_path, CONTENT_ROOT=str(project)))


def welsh_login_page(app) -> str:
    response = app.test_client().get("/login?lang=cy")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_inherit_is_resolved_for_the_site_the_loader_and_the_tracker(project, tmp_path):
    """mkdocs.cy.yml inherits mkdocs.yml, which itself inherits a shared base.yml: mappings merge key
    by key, so the Welsh site keeps the base's theme name and officer words and has its own name."""
    with_configs(project, "INHERIT: base.yml\nsite_name: The pack\n")
    write(project, "base.yml", BASE)
    welsh = site_config(project, "cy")
    assert welsh["site_name"] == "Llawlyfr" and welsh["theme"] == {"name": "material", "language": "cy"}
    assert site_config(project)["site_name"] == "The pack"
    assert load_project(project).service.short_name == "YS"  # mkdocs.yml's INHERIT is followed too
    service, errors = load_service(project, "cy")
    assert errors == [] and (service.short_name, service.name, service.officer) == (
        "GI", "Gwasanaeth Ieuenctid", "Youth Worker")
    page = welsh_login_page(tracker(project, tmp_path))
    assert "Traciwr sefydlu GI" in page


def test_the_loader_and_the_tracker_give_the_same_service_as_the_site_configuration(project, tmp_path):
    for configs in ("inherited", "real"):
        if configs == "inherited":
            with_configs(project, "INHERIT: base.yml\nsite_name: The pack\n")
            write(project, "base.yml", BASE)
        else:
            (project / "mkdocs.yml").unlink()
            (project / "mkdocs.yml").symlink_to(ROOT / "mkdocs.yml")
            (project / "mkdocs.cy.yml").unlink()
            (project / "mkdocs.cy.yml").symlink_to(ROOT / "mkdocs.cy.yml")
        (tmp_path / configs).mkdir()
        app = tracker(project, tmp_path / configs)
        from tracker import content
        for language in ("en", "cy"):
            expected = Service(**site_config(project, language)["extra"]["service"])
            assert load_service(project, language) == (expected, []), (configs, language)
            with app.test_request_context():
                assert content.service(language) == expected, (configs, language)
    assert "Traciwr sefydlu GLlA" in welsh_login_page(app)


BROKEN = [
    ("mkdocs.cy.yml", "INHERIT: mkdocs.yml\nsite_name: Llawlyfr\n  theme: material\n",
     "mkdocs.cy.yml:3 YAML syntax error: mapping values are not allowed"),
    ("mkdocs.cy.yml", "INHERIT: mkdocs.yml\nsite_name: !ENV [SITE_NAME, Llawlyfr]\n",
     "mkdocs.cy.yml:2 could not determine a constructor for the tag '!ENV' (write plain YAML"),
    ("mkdocs.cy.yml", "INHERIT: mkdocs-base.yml\n",
     "mkdocs.cy.yml INHERIT: names mkdocs-base.yml, which does not exist"),
    ("mkdocs.cy.yml", "INHERIT: mkdocs.yml\nextra:\n  service:\n    shortname: GLlA\n",
     "mkdocs.cy.yml extra.service.shortname: Extra inputs are not permitted"),
    ("mkdocs.yml", "site_name: EWS\nextra:\n  service: {name: EWS\ntheme: material\n",
     "mkdocs.yml:4 YAML syntax error: while parsing a flow mapping"),
]


@pytest.mark.parametrize("name,text,message", BROKEN, ids=["syntax", "tag", "inherit", "field", "english"])
def test_a_broken_configuration_is_named_with_its_line_by_check(project, name, text, message):
    (project / "mkdocs.cy.yml").symlink_to(ROOT / "mkdocs.cy.yml")
    (project / name).unlink()
    write(project, name, text)
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(project), "check"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert sum(line.startswith(message) for line in lines) == 1, result.stderr  # once, not once per language
    assert lines[-1].startswith("check FAILED: 1 errors")


@pytest.mark.parametrize("name,text,message", BROKEN[:4], ids=["syntax", "tag", "inherit", "field"])
def test_a_broken_welsh_configuration_leaves_the_tracker_in_english_words_and_says_why(
        project, tmp_path, caplog, name, text, message):
    write(project, name, text)
    app = tracker(project, tmp_path)
    with caplog.at_level(logging.WARNING):
        page = welsh_login_page(app)
    assert "Traciwr sefydlu EWS" in page  # the English service's words, in a Welsh page that works
    assert any(record.getMessage().startswith(message) for record in caplog.records), caplog.text


def test_site_config_raises_one_clear_error():
    with pytest.raises(ConfigError) as raised:
        site_config(Path("/nonexistent"), "cy")
    assert str(raised.value) == "mkdocs.cy.yml does not exist"


# ---- the shape of the code -------------------------------------------------------------------------

def test_build_py_is_a_thin_command_line():
    lines = (ROOT / "build.py").read_text(encoding="utf-8").count("\n")
    assert lines <= 150, f"build.py has {lines} lines: put the work in handbook/ (sitebuild, preview, ...)"


def patches(file: Path) -> list[str]:
    """Where a module changes sys.path or assigns into another module (or something imported from one):
    `yamlsource.parse_yaml = ...`, `pages.Page.render = ...`, setattr(module, ...)."""
    tree = ast.parse(file.read_text(encoding="utf-8"))
    imported = {alias.asname or alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names}

    def base(node) -> str | None:
        while isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        return node.id if isinstance(node, ast.Name) else None

    found = []
    for node in ast.walk(tree):
        targets = (node.targets if isinstance(node, ast.Assign) else [node.target]
                   if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else [])
        while any(isinstance(target, (ast.Tuple, ast.List, ast.Starred)) for target in targets):  # a, b = ...
            targets = [part for target in targets for part in (
                target.elts if isinstance(target, (ast.Tuple, ast.List)) else
                [target.value] if isinstance(target, ast.Starred) else [target])]
        for target in targets:
            if isinstance(target, (ast.Attribute, ast.Subscript)) and base(target) in imported:
                found.append(f"{file.name}:{target.lineno} assigns into {ast.unparse(target)}")
        if isinstance(node, ast.Call):
            call = ast.unparse(node.func)
            if call in ("setattr", "delattr") and node.args and base(node.args[0]) in imported:
                found.append(f"{file.name}:{node.lineno} {call}({ast.unparse(node.args[0])}, ...)")
            if call.startswith("sys.path."):
                found.append(f"{file.name}:{node.lineno} {call}(...)")
    return sorted(found, key=lambda problem: int(problem.split(":")[1].split(" ")[0]))


def test_no_module_changes_sys_path_or_patches_another_module(tmp_path):
    files = [ROOT / "build.py", *sorted((ROOT / "handbook").glob("*.py"))]
    assert [problem for file in files for problem in patches(file)] == []
    sample = write(tmp_path, "sample.py", """\
        import sys
        from handbook import loader, yamlsource
        from mkdocs.structure import pages
        sys.path.insert(0, "x")
        yamlsource.parse_yaml = loader.parse_yaml = len
        pages.Page.render = len
        setattr(loader, "x", 1)
        """)
    assert [line.split(" ", 1)[0] for line in patches(sample)] == [
        "sample.py:4", "sample.py:5", "sample.py:5", "sample.py:6", "sample.py:7"]
