#!/usr/bin/env python3
"""Benchmark the handbook build on a synthetic corpus (prints figures; not a test).

    .venv/bin/python bench/build.py                       # 2,000 pages + 5,000 activities
    .venv/bin/python bench/build.py --pages 200 --activities 500

Times `check` (load and validate everything), then the whole `build`
(check + generate + builder + swap) against a bare `mkdocs build` of the same
generated Markdown with the same configuration, and prints the ratio.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import build  # noqa: E402
from handbook import model  # noqa: E402
from handbook.loader import Project, _load_kind, load_project  # noqa: E402

WORDS = ("attendance school family pupil welfare officer register absence support referral "
         "parent reflective practice supervision safeguarding plan review consent home visit "
         "penalty notice education order persistent authorised unauthorised session").split()


def sentence(rng: random.Random, n: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def generate_corpus(root: Path, pages: int, activities: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    for shared in ("mkdocs.yml", "overrides", "node_modules"):
        os.symlink(ROOT / shared, root / shared)
    per_section_pages = max(1, pages // 6)
    per_section_activities = max(1, activities // 6)
    for section in range(1, 7):
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--activities", type=int, default=5000)
    parser.add_argument("--skip-build", action="store_true", help="time check only")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    try:
        root = work / "project"
        root.mkdir()
        generate_corpus(root, args.pages, args.activities)
        project, check_seconds = timed(lambda: load_project(root))
        assert project.ok, project.errors[:5]
        print(f"corpus: {len(project.pages)} Markdown pages, {len(project.activities)} activities")
        print(f"check (load + validate + links): {check_seconds:.3f} s "
              f"({check_seconds / len(project.activities) * 1e6:.0f} µs per activity)")
        only = Project(root)
        _, activities_seconds = timed(lambda: _load_kind(only, root / "activities", model.Activity, only.activities, "activity"))
        print(f"validate {len(only.activities)} activities alone: {activities_seconds:.3f} s (target < 1 s)")
        if args.skip_build:
            return 0

        code, whole_seconds = timed(lambda: build.build(root, site_dir=work / "site"))
        assert code == 0
        html = sum(1 for _ in (work / "site").rglob("*.html"))

        # The bare builder on exactly the Markdown and configuration build.py produced.
        bare = work / "bare"
        config = build.stage(root, project, bare / "docs", bare / "site", "")
        _, bare_seconds = timed(lambda: subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config)],
            check=True, env=build.builder_env(), capture_output=True))
        print(f"built site: {html} HTML pages")
        print(f"whole build (check + generate + mkdocs + swap): {whole_seconds:.1f} s")
        print(f"bare mkdocs build of the same Markdown: {bare_seconds:.1f} s")
        print(f"ratio whole / bare: {whole_seconds / bare_seconds:.2f} (target <= 1.2)")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
