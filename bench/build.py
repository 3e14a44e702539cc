#!/usr/bin/env python3
"""Benchmark the handbook build (prints figures; not a test).

    .venv/bin/python bench/build.py --real                 # the real handbook, both builders, 3 runs each
    .venv/bin/python bench/build.py                        # 2,000 pages + 5,000 activities, both builders
    .venv/bin/python bench/build.py --builder zensical --pages 200 --activities 500
    .venv/bin/python bench/build.py --skip-build           # check only

--real times `build.py build` as a person runs it (a new process: start-up, check,
generate, builder, swap) on a copy of the real handbook, both languages, so the first Zensical run
has a cold cache and the next ones a warm one, and prints the phases build.py reports; each run is
paired with a bare run of the builder on the same staged Markdown, and the ratio of each pair printed.

The synthetic corpus: times `check` (load and validate everything), generating the
Markdown and writing it (our own work), then the whole `build` against a bare run of
the builder on exactly the Markdown and configuration build.py produced, and prints
our own work as a share of the builder's time.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORDS = ("attendance school family pupil welfare officer register absence support referral "
         "parent reflective practice supervision safeguarding plan review consent home visit "
         "penalty notice education order persistent authorised unauthorised session").split()


def sentence(rng: random.Random, n: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def generate_corpus(root: Path, pages: int, activities: int, seed: int = 1, sections: int = 6) -> None:
    rng = random.Random(seed)
    for shared in ("mkdocs.yml", "overrides", "node_modules"):
        os.symlink(ROOT / shared, root / shared)
    per_section_pages = max(1, pages // sections)
    per_section_activities = max(1, activities // sections)
    for section in range(1, sections + 1):
        folder = root / "content" / f"section-{section}"
        folder.mkdir(parents=True)
        for number in range(per_section_pages):
            body = "\n\n".join(sentence(rng, 40) for _ in range(6))
            link = f"\n\nSee [the first activity](activities/{section}-01.md).\n" if number == 0 else ""
            (folder / f"page-{number:04d}.md").write_text(
                f"---\ntitle: Page {section}.{number}\nreviewed: 2026-11-01\nsources:\n  - title: Synthetic\n---\n\n"
                f"## Topic {number}\n\n{body}{link}", encoding="utf-8")
        (root / "sections").mkdir(exist_ok=True)
        (root / "sections" / f"{section}.yml").write_text(
            f'id: "{section}"\ntitle: Section {section}\naims: [learn]\nelements:\n'
            f'  - id: "{section}.a"\n    title: Element\n    page: section-{section}/page-0000.md\n'
            f'    overview:\n      - method: read\n        time: 10 minutes\n', encoding="utf-8")
        (root / "activities").mkdir(exist_ok=True)
        for item in range(1, per_section_activities + 1):
            prompts = "\n".join(f"      - {sentence(rng)}" for _ in range(3))
            (root / "activities" / f"{section}-{item}.yml").write_text(
                f'id: "{section}.{item}"\nsection: "{section}"\nelement: "{section}.a"\n'
                f"title: Activity {section}.{item}\nkind: {rng.choice(['individual', 'with-manager', 'shadowing'])}\n"
                f"time: {rng.choice(['10 minutes', '1 hour', 'half a day', 'a few days'])}\n"
                f"summary: {sentence(rng)}\nparts:\n  - title: Part 1\n    prompts:\n{prompts}\n"
                f"  - title: Part 2\n    prompts:\n{prompts}\nevidence:\n  - {sentence(rng)}\n"
                f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]\n", encoding="utf-8")
    (root / "content" / "index.md").write_text(
        "---\ntitle: Home\nreviewed: 2026-11-01\nsources:\n  - title: Synthetic\n---\n\nHome.\n", encoding="utf-8")


def timed(action):
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


PHASES = re.compile(r"check ([\d.]+) s, generate ([\d.]+) s, (\w+) ([\d.]+) s, search forms ([\d.]+) s,"
                    r" links ([\d.]+) s")


def real_handbook(builders: list[str], runs: int) -> None:
    """`build.py build` on a copy of the real handbook, in a new process each time, paired with a bare run of the
    builder on exactly the Markdown and configuration it stages (both languages at once, as build.py runs them):
    ours, bare, ours, bare... so that both see the same machine. The ratio is the median of the pairs' ratios."""
    from handbook import sitebuild
    work = Path(tempfile.mkdtemp(prefix="handbook-bench-real-"))
    try:
        root = work / "handbook"
        root.mkdir()
        for name in ("content", "activities", "quizzes", "sections", "glossary.yml", "glossary.cy.yml", "standards.yml",
                     "standards.cy.yml", "mkdocs.yml", "mkdocs.cy.yml"):
            (shutil.copytree if (ROOT / name).is_dir() else shutil.copyfile)(ROOT / name, root / name)
        for name in ("overrides", "node_modules"):
            os.symlink(ROOT / name, root / name)
        (root / "build.py").symlink_to(ROOT / "build.py")
        project = sitebuild.check(root, quiet=True)
        rows, pairs = [], {}
        for builder in builders:
            # the bare builder's folders stay between its runs, like build.py's, so Zensical's cache is warm alike
            configs = {language: sitebuild.stage(root, project, work / f"bare-{builder}-{language}" / "docs",
                                                 work / f"bare-{builder}-{language}" / "site", "", builder, language)
                       for language in sitebuild.site_languages(root)}
            for run in range(1, runs + 1):
                ours = ours_once(root, work, builder)
                cpu_before = os.times()
                problems, bare = timed(lambda b=builder, c=configs: sitebuild.run_builders(b, c))
                cpu_after = os.times()
                assert not any(problems.values()), problems
                bare_cpu = (cpu_after.children_user - cpu_before.children_user
                            + cpu_after.children_system - cpu_before.children_system)
                label = "first (cold cache)" if builder == "zensical" and run == 1 else f"run {run}"
                rows.append((builder, label, *ours, bare, bare_cpu))
                if label != "first (cold cache)":
                    pairs.setdefault(builder, []).append((ours[0], bare, ours[2:]))
        print(f"real handbook, both languages: {sum(1 for _ in (work / 'site').rglob('*.html'))} HTML pages; "
              f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
        print("builder   run                 ours s  CPU s  check s  generate s  builder s  search forms s  links s"
              "   bare s  bare CPU s")
        for builder, label, seconds, cpu, check_s, generate_s, builder_s, forms_s, links_s, bare, bare_cpu in rows:
            print(f"{builder:9} {label:19} {seconds:6.2f} {cpu:6.2f} {check_s:8.2f} {generate_s:11.2f} "
                  f"{builder_s:10.2f} {forms_s:15.2f} {links_s:8.2f} {bare:8.2f} {bare_cpu:11.2f}")
        goals = {"mkdocs": 1.10, "zensical": 1.25}
        for builder, measured in pairs.items():
            ratio = statistics.median(ours / bare for ours, bare, _ in measured)
            own = statistics.median(sum(phases[i] for i in (0, 1, 3, 4)) for _, _, phases in measured)
            whole = statistics.median(ours for ours, _, _ in measured)
            warm = " warm" if builder == "zensical" else ""
            print(f"{builder}{warm}, both languages: ours / bare {ratio:.2f}x (median of {len(measured)} pairs; goal"
                  f" <= {goals[builder]}x: {'met' if ratio <= goals[builder] else 'MISSED'}); our own work (check,"
                  f" generate, search forms, links) {own:.2f} s of {whole:.2f} s ({own / whole:.0%})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def ours_once(root: Path, work: Path, builder: str) -> tuple[float, ...]:
    """One `build.py build`: its wall and CPU time and the phases it prints (check, generate, builder, links)."""
    command = [sys.executable, str(ROOT / "build.py"), "--root", str(root), "build", "--builder", builder,
               "--site-dir", str(work / "site")]
    cpu_before = os.times()
    result, seconds = timed(lambda: subprocess.run(command, capture_output=True, text=True))
    cpu_after = os.times()
    assert result.returncode == 0, result.stdout + result.stderr
    cpu = cpu_after.children_user - cpu_before.children_user + cpu_after.children_system - cpu_before.children_system
    check_s, generate_s, _, builder_s, forms_s, links_s = PHASES.search(result.stdout).groups()
    return seconds, cpu, float(check_s), float(generate_s), float(builder_s), float(forms_s), float(links_s)


def main() -> int:
    from handbook import model, sitebuild
    from handbook.generate import SiteGenerator, write_tree
    from handbook.loader import Project, _load_kind

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--activities", type=int, default=5000)
    parser.add_argument("--sections", type=int, default=6)
    parser.add_argument("--builder", choices=("mkdocs", "zensical", "both"), default="both")
    parser.add_argument("--real", action="store_true", help="time build.py build on the real handbook")
    parser.add_argument("--runs", type=int, default=3, help="with --real: builds per builder")
    parser.add_argument("--skip-build", action="store_true", help="time check only")
    parser.add_argument("--skip-bare", action="store_true",
                        help="do not time a second, bare builder run"
                             " (Zensical needs ~13 min and ~19 GB at 7,000 pages)")
    args = parser.parse_args()
    builders = ["mkdocs", "zensical"] if args.builder == "both" else [args.builder]
    if args.real:
        real_handbook(builders, args.runs)
        return 0

    work = Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    try:
        root = work / "project"
        root.mkdir()
        generate_corpus(root, args.pages, args.activities, sections=args.sections)
        project, check_seconds = timed(lambda: sitebuild.check(root, quiet=True))
        assert project.ok, project.errors[:5]
        print(f"corpus: {len(project.pages)} Markdown pages, {len(project.activities)} activities; "
              f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
        print(f"check (load + validate + links): {check_seconds:.3f} s "
              f"({check_seconds / len(project.activities) * 1e6:.0f} µs per activity)")
        only = Project(root)
        _, activities_seconds = timed(lambda: _load_kind(only, root / "activities", model.Activity, only.activities,
                                                         "activity"))
        print(f"validate {len(only.activities)} activities alone: {activities_seconds:.3f} s (target < 1 s)")
        generator = SiteGenerator(project, "")
        pages, generate_seconds = timed(generator.generate)
        _, write_seconds = timed(lambda: (write_tree(pages, work / "written" / "docs", root),
                                          sitebuild.write_builder_config(root, work / "written" / "docs",
                                                                         work / "written" / "site", generator.nav(),
                                                                         "", work / "written" / "mkdocs.yml")))
        own = check_seconds + generate_seconds + write_seconds
        print(f"generate {len(pages)} Markdown pages: {generate_seconds:.3f} s; write them and the config: "
              f"{write_seconds:.3f} s")
        print(f"our own work (check + generate + write): {own:.2f} s")
        if args.skip_build:
            return 0

        for builder in builders:
            report = io.StringIO()
            with contextlib.redirect_stdout(report):
                code, whole_seconds = timed(
                    lambda builder=builder: sitebuild.build(root, site_dir=work / f"site-{builder}", builder=builder))
            print(report.getvalue().strip())
            assert code == 0
            builder_seconds = float(PHASES.search(report.getvalue()).group(4))
            html = sum(1 for _ in (work / f"site-{builder}").rglob("*.html"))
            print(f"{builder}: {html} HTML pages; whole build {whole_seconds:.1f} s, of which {builder} "
                  f"{builder_seconds:.1f} s; our own work / {builder} {own / builder_seconds:.1%} (target < 10%)")
            if args.skip_bare:
                continue
            # The bare builder, cold, on exactly the Markdown and configuration build.py produced.
            bare = work / f"bare-{builder}"
            config = sitebuild.stage(root, project, bare / "docs", bare / "site", "", builder)
            # /usr/bin/time -f %M: the builder's own peak memory (resident set, KB)
            bare_run, bare_seconds = timed(lambda builder=builder, config=config, bare=bare: subprocess.run(
                ["/usr/bin/time", "-f", "peak %M KB", *sitebuild.builder_command(builder, "build", config)], cwd=bare,
                check=True, env=sitebuild.builder_env(), capture_output=True, text=True))
            peak = re.findall(r"peak (\d+) KB", bare_run.stderr)
            print(f"{builder}: {html} HTML pages; whole build (check + generate + {builder} + swap) "
                  f"{whole_seconds:.1f} s; bare {builder} build of the same Markdown {bare_seconds:.1f} s "
                  f"({bare_seconds / html * 1000:.1f} ms a page; peak memory "
                  f"{int(peak[-1]) / 1024 if peak else float('nan'):.0f} MB)")
            print(f"{builder}: ratio whole / bare {whole_seconds / bare_seconds:.2f} (target <= 1.2); "
                  f"our own work / bare builder {own / bare_seconds:.1%} (target < 10%)")
            shutil.rmtree(bare, ignore_errors=True)
            shutil.rmtree(work / f"site-{builder}", ignore_errors=True)
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # run as a script (bench/build.py): the project's packages are one folder up
    sys.exit(main())
