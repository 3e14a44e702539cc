#!/usr/bin/env python3
"""Edit -> preview latency of `build.py serve` (prints figures; not a test).

    .venv/bin/python bench/preview.py                      # both builders, 5 edits of each kind
    .venv/bin/python bench/preview.py --builder zensical --edits 10

Copies the real handbook into a temporary folder (the sources in this tree are
never touched), starts `build.py serve` on it, waits for the first build, then
edits one Markdown page, one activity's prompt (the page's body) or its summary
(also the page's description in its front matter) at a time and polls the served
page every 10 ms until the edit shows. The latency is from just before the file
is saved to the first response that holds the new text. After each edit it also
waits until the served search index holds the new word and checks the index
still has every page (a partial index would be wrong).

The baseline: the builder's own `serve` on the Markdown build.py stages, the same page's staged
Markdown edited directly; each builder's line gives our preview's median over the baseline's.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("content", "activities", "quizzes", "sections", "glossary.yml", "standards.yml", "mkdocs.yml")
SHARED = ("overrides", "node_modules")
PAGE = ("content/section-1/1c-reflective-practice.md", "section-1/1c-reflective-practice.html")
ACTIVITY = ("activities/1-4.yml", "section-1/activities/1-04.html")
SEARCH_INDEX = {"mkdocs": "search/search_index.json", "zensical": "search.json"}
DEADLINE = 120.0  # seconds; a change that has not shown by then is a failure


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(condition, deadline: float = DEADLINE, interval: float = 0.01):
    end = time.perf_counter() + deadline
    while time.perf_counter() < end:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise TimeoutError("the change did not show before the deadline")


def copy_handbook(target: Path) -> None:
    target.mkdir(parents=True)
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copyfile(source, target / name)
    for name in SHARED:
        os.symlink(ROOT / name, target / name)


def index_documents(builder: str, text: str) -> tuple[int, str]:
    """(number of pages, all text) of a served search index."""
    data = json.loads(text)
    docs = data["docs"] if builder == "mkdocs" else data["items"]
    pages = {doc["location"].split("#")[0] for doc in docs}
    return len(pages), " ".join(f"{doc['title']} {doc['text']}" for doc in docs)


def edit_page(root: Path, marker: str) -> None:
    file = root / PAGE[0]
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("\n## ", f"\nPreviewmarker {marker}.\n\n## ", 1), encoding="utf-8")


def edit_activity_prompt(root: Path, marker: str) -> None:
    """A prompt: the page's body changes."""
    file = root / ACTIVITY[0]
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    for number, line in enumerate(lines):
        if line.lstrip().startswith("- ") and lines[number - 1].strip() == "prompts:":
            lines[number] = line.replace("- ", f"- Previewmarker {marker}. ", 1)
            break
    else:
        raise SystemExit(f"{ACTIVITY[0]} has no prompts")
    file.write_text("".join(lines), encoding="utf-8")


def edit_activity(root: Path, marker: str) -> None:
    """The summary: it is also the page's description (front matter), so the builder redoes more."""
    file = root / ACTIVITY[0]
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    for number, line in enumerate(lines):
        if line.startswith("summary:"):
            if line.rstrip().endswith((">", "|")):  # a block scalar: the text starts on the next line
                indent = lines[number + 1][: len(lines[number + 1]) - len(lines[number + 1].lstrip())]
                lines[number + 1] = f"{indent}Previewmarker {marker}. {lines[number + 1].lstrip()}"
            else:
                lines[number] = line.replace("summary:", f"summary: Previewmarker {marker}.", 1)
            break
    else:
        raise SystemExit(f"{ACTIVITY[0]} has no 'summary:' line")
    file.write_text("".join(lines), encoding="utf-8")


def measure(builder: str, edits: int, show_log: bool = False) -> dict[str, list[float]]:
    work = Path(tempfile.mkdtemp(prefix="handbook-preview-"))
    root = work / "handbook"
    copy_handbook(root)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    started = time.perf_counter()
    command = [sys.executable, str(ROOT / "build.py"), "--root", str(root), "serve", "--builder", builder,
               "--dev-addr", f"127.0.0.1:{port}"]
    results: dict[str, list[float]] = {"page": [], "activity prompt": [], "activity summary": [],
                                       "search index": []}
    with served(command, work) as log:
        wait_for(lambda: fetch(base + SEARCH_INDEX[builder]) and fetch(base + PAGE[1]), interval=0.1)
        print(f"{builder}: first build served after {time.perf_counter() - started:.1f} s")
        pages, _ = index_documents(builder, fetch(base + SEARCH_INDEX[builder]))
        time.sleep(2)  # let the builder settle after its first build
        for trial in range(edits):
            for kind, edit, page in (("page", edit_page, PAGE[1]),
                                     ("activity prompt", edit_activity_prompt, ACTIVITY[1]),
                                     ("activity summary", edit_activity, ACTIVITY[1])):
                # letters only: the Welsh facts check would refuse an edit that adds a number
                marker = f"zq{builder[:2]}{kind[:2]}{kind[-2:]}{chr(97 + trial)}x"
                before = time.perf_counter()
                edit(root, marker)
                wait_for(lambda marker=marker, page=page: marker in (fetch(base + page) or ""))
                shown = time.perf_counter() - before

                def indexed(marker=marker):
                    text = fetch(base + SEARCH_INDEX[builder])
                    return text and marker in text and index_documents(builder, text)

                count, _ = wait_for(indexed)
                in_index = time.perf_counter() - before
                assert count == pages, f"the search index holds {count} pages after an edit, not {pages}"
                results[kind].append(shown)
                results["search index"].append(in_index)
                print(f"  {kind} edit {trial + 1}: shown after {shown:.2f} s,"
                      f" in the search index after {in_index:.2f} s")
                time.sleep(1)  # the next save comes after this one is fully built
        if show_log:
            log.seek(0)
            print(log.read())
    return results


@contextmanager
def served(command: list[str], work: Path, **popen):
    """A server running `command` (its output in work/serve.log, shown if anything fails); stopped, and work
    removed, afterwards."""
    log = open(work / "serve.log", "w+", encoding="utf-8")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **popen)
    try:
        yield log
    except Exception:
        log.seek(0)
        print(log.read()[-3000:], file=sys.stderr)
        raise
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
        shutil.rmtree(work, ignore_errors=True)


def measure_bare(builder: str, edits: int) -> dict[str, list[float]]:
    """The baseline: the builder's own `serve` on exactly the Markdown build.py stages, the staged Markdown of the
    same page and activity edited directly (what a preview costs with nothing of ours in between)."""
    from handbook import sitebuild
    work = Path(tempfile.mkdtemp(prefix="handbook-preview-bare-"))
    root = work / "handbook"
    copy_handbook(root)
    project = sitebuild.check(root, quiet=True)
    config = sitebuild.stage(root, project, work / "docs", work / "site", "", builder)
    staged = {"page": work / "docs" / PAGE[1].replace(".html", ".md"),
              "activity page": work / "docs" / ACTIVITY[1].replace(".html", ".md")}
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    command = sitebuild.builder_command(builder, "serve", config) + ["--dev-addr", f"127.0.0.1:{port}"]
    results: dict[str, list[float]] = {"page": [], "activity page": []}
    with served(command, work, cwd=work, env=sitebuild.builder_env()):
        wait_for(lambda: fetch(base + PAGE[1]), interval=0.1)
        time.sleep(2)
        for trial in range(edits):
            for kind, page in (("page", PAGE[1]), ("activity page", ACTIVITY[1])):
                marker = f"zqbare{kind[:2]}{chr(97 + trial)}x"
                text = staged[kind].read_text(encoding="utf-8")
                body = text.index("\n## ") if "\n## " in text else len(text)
                before = time.perf_counter()
                staged[kind].write_text(f"{text[:body]}\n\nPreviewmarker {marker}.\n{text[body:]}", encoding="utf-8")
                wait_for(lambda marker=marker, page=page: marker in (fetch(base + page) or ""))
                results[kind].append(time.perf_counter() - before)
                print(f"  bare {builder} serve, {kind} edit {trial + 1}: shown after {results[kind][-1]:.2f} s")
                time.sleep(1)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--builder", choices=("mkdocs", "zensical", "both"), default="both")
    parser.add_argument("--edits", type=int, default=5, help="edits of each kind per builder")
    parser.add_argument("--log", action="store_true", help="print what build.py serve printed")
    args = parser.parse_args()
    builders = ("zensical", "mkdocs") if args.builder == "both" else (args.builder,)
    summary, ratios = [], []
    for builder in builders:
        results = measure(builder, args.edits, args.log)
        bare = measure_bare(builder, args.edits)
        for kind, figures in results.items():
            summary.append((builder, kind, statistics.median(figures), min(figures), max(figures)))
        for kind, figures in bare.items():
            summary.append((f"{builder} bare", kind, statistics.median(figures), min(figures), max(figures)))
        ratios.append((builder, "page", statistics.median(results["page"]) / statistics.median(bare["page"])))
        ratios.append((builder, "activity", statistics.median(results["activity prompt"])
                       / statistics.median(bare["activity page"])))
    print("\nbuilder        edit               median    min    max  (seconds from save to the served change)")
    for builder, kind, median, low, high in summary:
        print(f"{builder:14} {kind:17} {median:7.2f} {low:6.2f} {high:6.2f}")
    for builder, kind, ratio in ratios:
        print(f"{builder} preview, {kind} edit: {ratio:.2f}x the builder's own serve (medians)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # run as a script: the project's packages are one folder up
    sys.exit(main())
