#!/usr/bin/env python3
"""Build the EWS induction handbook.

    python build.py check            validate every YAML and Markdown file; exit 1 on any error
                                     (--spelling-report: the Welsh spelling file by file)
    python build.py build            generate pages and build the static site into site/
    python build.py serve            live-reloading preview for authors
    python build.py translated FILE  record that a translation (e.g. activities/1-1.cy.yml) is up to date
    python build.py translated --reviewed --by NAME FILE   ... and that NAME, a Welsh speaker, reviewed it

Both build and serve take --builder mkdocs|zensical (default: $HANDBOOK_BUILDER,
else mkdocs): the same mkdocs.yml builds with MkDocs + Material and with Zensical.

build.py generates the Markdown itself (YAML -> Jinja2 -> Markdown) and then
calls the builder on a generated copy of mkdocs.yml, so the builder stays
swappable (see docs/decisions.md).
"""
# This file is the command line only (its docstring is the --help text). The work is in
# handbook/sitebuild.py (check, build), handbook/preview.py (serve), handbook/siteconfig.py
# (the one reader of mkdocs.yml and mkdocs.cy.yml) and handbook/linkcheck.py.
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from handbook import translations
from handbook.preview import serve
from handbook.sitebuild import BUILDER_SETTING, BUILDERS, DEFAULT_BUILDER, build, check

ROOT = Path(__file__).resolve().parent


def mark_translated(root: Path, files: list[Path], reviewed_by: str | None = None) -> int:
    failed = 0
    for file in files:
        try:
            recorded = translations.stamp(root, file if file.exists() else root / file, reviewed_by)
            state = f"reviewed by {reviewed_by}" if reviewed_by else "a draft until a Welsh speaker reviews it"
            print(f"{file}: the translation of the English as it is now ({recorded}), {state}")
        except (ValueError, OSError) as exc:
            print(f"translated: {exc}", file=sys.stderr)
            failed = 1
    return failed


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder (default: this file's folder)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{check,build,serve,translated}")
    check_parser = commands.add_parser("check", help="validate content; exit 1 on any error")
    check_parser.add_argument("--spelling-report", action="store_true",
                              help="also list each Welsh file's share of words the Welsh dictionary does not know")
    build_parser = commands.add_parser("build", help="build the static site")
    build_parser.add_argument("--site-dir", type=Path, default=None, help="where to put the site (default: site/)")
    serve_parser = commands.add_parser("serve", help="live-reloading preview")
    serve_parser.add_argument("--dev-addr", default="127.0.0.1:8000")
    serve_parser.add_argument("--language", default="en", help="preview this language's site (en, cy); one at a time")
    translated_parser = commands.add_parser(
        "translated", help="record that translated files are up to date with their English files")
    translated_parser.add_argument("files", nargs="+", type=Path, help="e.g. activities/1-1.cy.yml content/index.cy.md")
    translated_parser.add_argument("--reviewed", action="store_true",
                                   help="a Welsh speaker has reviewed these files against the English as it is now")
    translated_parser.add_argument("--by", default=None, metavar="NAME", help="with --reviewed: who reviewed them")
    for sub in (build_parser, serve_parser):
        sub.add_argument("--tracker-url", default=os.environ.get("TRACKER_URL", ""),
                         help="link activity pages to this tracker (default: $TRACKER_URL)")
        sub.add_argument("--builder", choices=sorted(BUILDERS), default=None,
                         help=f"static site builder (default: ${BUILDER_SETTING}, else {DEFAULT_BUILDER})")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = parser()
    args = arguments.parse_args(argv)
    root = args.root.resolve()
    if args.command == "check":
        return 0 if check(root, spelling_by_file=args.spelling_report).ok else 1
    if args.command == "translated":
        if args.reviewed != bool(args.by):
            arguments.error("--reviewed needs --by NAME (who reviewed the files), and --by goes with --reviewed")
        return mark_translated(root, args.files, args.by if args.reviewed else None)
    if args.command == "build":
        return build(root, site_dir=args.site_dir, tracker_url=args.tracker_url, builder=args.builder)
    return serve(root, address=args.dev_addr, tracker_url=args.tracker_url, builder=args.builder,
                 language=args.language)


if __name__ == "__main__":
    sys.exit(main())
