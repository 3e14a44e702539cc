#!/usr/bin/env python3
"""What Welsh search's added forms cost in the Welsh search index (prints figures; not a test).

    .venv/bin/python bench/welsh_search_index.py SITE_DIR     # a site built by build.py (its cy/ folder is read)

For each builder's index found under SITE_DIR/cy/ (MkDocs: search/search_index.json; Zensical: search.json),
the size, plain and gzipped, of the index as the builder wrote it (no added forms), with the mutated forms
only (handbook/welsh_search.search_forms), and with mutations and inflections (index_forms, what the build
ships), and how many forms the pages gain. Build the site first: `build.py build [--builder zensical]`.
"""
from __future__ import annotations

import argparse
import copy
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handbook import welsh_search  # noqa: E402


def sizes(data: dict) -> tuple[int, int]:
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return len(text), len(gzip.compress(text, 9))


def with_forms(index: dict, key: str, forms_of) -> tuple[dict, int]:
    """A copy of the index whose documents carry the forms `forms_of(word)` adds; and how many forms."""
    original = welsh_search.index_forms
    welsh_search.index_forms = forms_of  # the field builder calls index_forms: swap in the variant measured
    try:
        index = copy.deepcopy(index)
        separator = welsh_search._separator((index.get("config") or {}).get("separator"))
        cache: dict = {}
        total = 0
        for doc in index[key]:
            forms = welsh_search._forms_field(welsh_search._as_list(doc.get("title")) +
                                              welsh_search._as_list(doc.get("text")),
                                              welsh_search._as_list(doc.get("tags")), separator, cache)
            doc.pop(welsh_search.FIELD, None)
            if forms:
                doc[welsh_search.FIELD] = forms
                total += len(forms.split())
        return index, total
    finally:
        welsh_search.index_forms = original


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    args = parser.parse_args()
    found = 0
    indexes = (("MkDocs", "search/search_index.json", "docs"), ("Zensical", "search.json", "items"))
    for builder, relative, key in indexes:
        path = args.site / "cy" / relative
        if not path.exists():
            continue
        found += 1
        built = json.loads(path.read_text(encoding="utf-8"))
        plain = copy.deepcopy(built)
        for doc in plain[key]:
            doc.pop(welsh_search.FIELD, None)
        started = time.perf_counter()
        mutated, mutated_count = with_forms(plain, key, welsh_search.search_forms)
        full, full_count = with_forms(plain, key, welsh_search.index_forms)
        took = time.perf_counter() - started
        base = sizes(plain)
        print(f"{builder} Welsh index ({len(plain[key])} documents), bytes / gzipped:")
        rows = (("as built, no added forms", plain, 0), ("with mutated forms", mutated, mutated_count),
                ("with mutations and inflections", full, full_count))
        for name, data, count in rows:
            plain_size, gzipped = sizes(data)
            print(f"  {name:<32} {plain_size / 1024:8.0f} KB  {gzipped / 1024:6.0f} KB gzipped"
                  f"  ({gzipped / base[1]:.2f}x; {count:,} forms)")
        print(f"  computing both variants took {took:.1f} s")
    if not found:
        print(f"no Welsh search index under {args.site / 'cy'}: build the site first", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
