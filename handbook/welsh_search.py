"""Welsh search that copes with initial mutations and inflections.

A Welsh word's first sound changes after certain words: *cyngor* 'council, advice', *ei gyngor* 'his
advice', *fy nghyngor* 'my advice', *ei chyngor* 'her advice'. A reader who types any one of these
must find the pages that hold any other. No stemmer in lunr, lunr-languages or Snowball handles Welsh,
so this module works on the built search index instead, with plain Python and no dependency.

The rules (docs: /work/shared/notes/welsh.md, the mutation table):

===========  =====  ======  ========
radical      soft   nasal   aspirate
===========  =====  ======  ========
p            b      mh      ph
t            d      nh      th
c            g      ngh     ch
b            f      m
d            dd     n
g            (lost) ng
m            f
ll           l
rh           r
vowel        h-     (h- before a vowel after *ei* 'her', *ein*, *eu*, ...)
===========  =====  ======  ========

`radicals(word)` reads a form back to every radical it could come from, testing the longest prefix
first (ngh/mh/nh before ng and n, ch/ph/th before c/p/t, dd before d, ll/rh/ff are radicals and stop
l/r/f): ngh→c, mh→p, nh→t, ng→g, ph→p, th→t, ch→c, dd→d, f→b or m, b→p, d→t, g→c, l→ll, r→rh, m→b,
n→d, h+vowel→vowel; and a word that begins with a vowel (Welsh vowels include w and y, with or without
a circumflex: â ê î ô û ŵ ŷ), or with l or r, may be a g-word that lost its g (*law* is *glaw* 'rain'
or *llaw* 'hand'; *wlad* is *gwlad*). Forms are ambiguous, so a word keeps its own form and gains all
its candidates; nothing is replaced. Short words are left alone: no reading back from, or mutating
to, a word under 3 letters, and no candidate under 3 letters (so *chi* 'you' is not read as *ci*
'dog', *yn* and *i* stay as they are, while *nhad* → *tad* and *mhen* → *pen* still work).

`search_forms(word)` is every form that should make the word findable: its radicals and every mutated
form (soft, nasal, aspirate, h-) of each radical. Two forms share a radical exactly when one is among
the other's search forms, so indexing a page's words with their search forms makes a query for any
form match a page holding any other: a page with *gyngor* gets *cyngor*, *nghyngor* and *chyngor*.

Why the index carries the forms rather than the query being expanded
---------------------------------------------------------------------
Material for MkDocs 9.8's search worker (material/templates/assets/javascripts/workers/
search.a7633da7.min.js) offers no hook for query expansion. Its `search(e){...}` does only this to the
query: CJK runs are segmented (`e.replace(new RegExp("\\p{sc=Han}+","gu"), ...)`), then `ce(e)`
(through `ue`) trims it, keeps quoted phrases, drops stray operators, drops `field:` prefixes other than
title/text/tags, splits each term with `lunr.tokenizer.separator`, and appends `*` to every term that
has no `+`/`-`/`~`/`^` (a trailing-wildcard prefix search, which lunr runs without its pipeline), and
hands the string to `this.index.search(e)`. Nothing in between is configurable from mkdocs.yml, and
the worker is a content-hashed file the theme ships. So the expansion has to be in the index.

The index can carry it without the reader seeing it. The worker's constructor does
`for (let [o, a] of Object.entries(e.fields)) this.field(o, {...a, extractor: i(o)})`: every entry of
the index's `config.fields` becomes a lunr field, read from the document property of the same name
(`Oe` returns `r[e]`) and tokenised like text (`ae`: HTML tags skipped, the separator applied, lower
case). A query with no field prefix searches all fields. The results page
(assets/javascripts/bundle.*.min.js, the function that builds `md-search-result__article`) renders only
`e.title`, `e.text` and `e.tags`, so an extra field is searched but never shown. The worker also
copies each matched document (extra field included) into its reply; that is the only cost at query
time.

`add_mutation_forms(index)` therefore adds a field `forms` (FIELD) to each document of a Material index:
the search forms of the words of its title and text that are not already among the document's own
words, space-separated and sorted. An elided word such as *gyda'r* or *mae'n* takes the forms of the
part before the apostrophe (the worker searches by prefix, so *gyda* already finds *gyda'r*). The field
is registered in `config.fields` with boost FORMS_BOOST, 0.5: half the weight of body text (title is
1000, tags 1e6), so a page that holds the typed form itself ranks above one that holds only a related
form. `rewrite_index(path)` rewrites a built index in place, and the `search_index.js` copy that the
offline plugin writes beside it (that copy is what the worker loads from file://).

Cost: on a page of ordinary Welsh prose (165 words) the page's index entry grows from 1.3 KB to 3.4 KB
(gzipped 0.75 KB to 1.5 KB): about twice the download and the in-browser indexing. Most of it is
guesses that are not words (*hysgol*, *ngysgol* beside *ysgol*); a Welsh word list (Bangor's CC0
lecsicon) could drop candidates that are not real radicals if that ever matters.

Inflections
-----------
A reader also types another form of the word the page uses: *ysgolion* for a page about one *ysgol*,
*plant* where the page says *plentyn*, *teuluoedd*, *swyddogion*. `inflections(word)` is every form of the
word's lemma in simplemma's Welsh lemma table (a maintained lemmatiser with no dependencies: 400,000 Welsh
forms, irregular plurals and mutated forms included, *blant* → *plentyn*), when the lemma has at most
FAMILY_LIMIT forms: nouns and adjectives; a verb's hundred forms (*gwneud*, *bod*) would swamp the index
for little gain. `index_forms(word)` adds them, and their mutations, to the word's search forms.

Zensical 0.0.73
---------------
Zensical writes its index elsewhere and in another shape: `site/search.json` (and `site/search.js`,
`var __index = {...};`, for file://), holding `{"config": {"lang": [...], "separator": ...},
"items": [{"location", "level", "title", "text", "path", "tags"}]}`: no `fields`, no `pipeline`, and
`items` rather than `docs`. Its worker (assets/javascripts/workers/search.*.min.js) is not lunr: the
fields are fixed in code, `fields:[C("title",n=>n.title,{weight:3}),C("text",n=>n.text),
C("path",n=>n.path,{weight:2})]` plus `tags` as a filter, so an extra property of an item is never
indexed; and its results show title, path (breadcrumbs) and an excerpt of text centred on the first
match, so forms appended to text or path would be displayed. So `rewrite_zensical_index(site)` adds the
forms as a property `forms` of each item and patches the built site's copy of the worker to index that
property too (ZENSICAL_FIELDS → ZENSICAL_FIELDS_WITH_FORMS, at the weight of body text divided by two):
searched, never shown. The worker is Zensical's, pinned at 0.0.73; if its code changes, the build fails
with a clear message rather than ship a search that silently lost its Welsh forms.
"""
from __future__ import annotations

import functools
import json
import os
import re
from collections import defaultdict
from pathlib import Path

FIELD = "forms"
FORMS_BOOST = 0.5
FAMILY_LIMIT = 16  # inflections are added for a lemma with at most this many forms (not a verb's hundred)
ZENSICAL_FIELDS = 'fields:[C("title",n=>n.title,{weight:3}),C("text",n=>n.text),C("path",n=>n.path,{weight:2})]'
ZENSICAL_FIELDS_WITH_FORMS = ('fields:[C("title",n=>n.title,{weight:3}),C("text",n=>n.text),'
                              'C("path",n=>n.path,{weight:2}),C("forms",n=>n.forms||"",{weight:0.5})]')
MIN_LENGTH = 3  # no reading back from, mutating into, or producing a word shorter than this

VOWELS = frozenset("aeiouwy" "âêîôûŵŷ" "áéíóúẃý" "àèìòùẁỳ" "äëïöüẅÿ")

# Reading back: prefix -> the radical prefixes it may come from. Longest prefixes are tried first and
# only the longest that matches applies; an empty tuple marks a radical that blocks a shorter rule
# (ll before l, rh before r, ff before f).
READ_BACK: dict[str, tuple[str, ...]] = {
    "ngh": ("c",), "mh": ("p",), "nh": ("t",), "ng": ("g",),
    "ph": ("p",), "th": ("t",), "ch": ("c",), "dd": ("d",),
    "ll": (), "rh": (), "ff": (),
    "f": ("b", "m"), "b": ("p",), "d": ("t",), "g": ("c",),
    "l": ("ll",), "r": ("rh",), "m": ("b",), "n": ("d",),
}
_READ_BACK_ORDER = sorted(READ_BACK, key=len, reverse=True)

# Mutating: radical prefix -> its soft, nasal and aspirate prefixes ("" for g: the soft mutation drops
# it). Longest first; the prefixes that are themselves mutated forms (ph, th, ch, dd, mh, ng...) are no
# radicals, so a word beginning with them is not mutated again.
MUTATE: dict[str, tuple[str, ...]] = {
    "ll": ("l",), "rh": ("r",),
    "p": ("b", "mh", "ph"), "t": ("d", "nh", "th"), "c": ("g", "ngh", "ch"),
    "b": ("f", "m"), "d": ("dd", "n"), "g": ("", "ng"), "m": ("f",),
}
NOT_RADICAL = ("ph", "th", "ch", "dd", "mh", "nh", "ng", "ff")


def _g_may_be_lost(rest: str) -> bool:
    """Whether the soft mutation of g + rest drops a g that reading back must restore: g before a vowel,
    l (not ll) or r (not rh): *gwlad* → *wlad*, *glaw* → *law*, *gradd* → *radd*."""
    if not rest:
        return False
    if rest[0] in VOWELS:
        return True
    return (rest[0] == "l" and not rest.startswith("ll")) or (rest[0] == "r" and not rest.startswith("rh"))


def _add(found: list[str], form: str) -> None:
    if len(form) >= MIN_LENGTH and form not in found:
        found.append(form)


def radicals(word: str) -> list[str]:
    """The word (lower-cased) first, then every radical it could be a mutated form of."""
    word = word.lower()
    found = [word]
    if len(word) < MIN_LENGTH:
        return found
    for prefix in _READ_BACK_ORDER:
        if word.startswith(prefix):
            for radical in READ_BACK[prefix]:
                _add(found, radical + word[len(prefix):])
            break
    if word[0] == "h" and len(word) > 1 and word[1] in VOWELS:
        _add(found, word[1:])  # h- before a vowel: ei henw < enw
    if _g_may_be_lost(word):
        _add(found, "g" + word)  # soft mutation of g: law < glaw, wlad < gwlad, enw < genw
    return found


def mutations(radical: str) -> list[str]:
    """The soft, nasal and aspirate forms of a radical, and h- before a vowel (none for a short word)."""
    radical = radical.lower()
    found: list[str] = []
    if len(radical) < MIN_LENGTH or radical.startswith(NOT_RADICAL):
        return found
    if radical[0] in VOWELS:
        _add(found, "h" + radical)
    for prefix, forms in MUTATE.items():
        if radical.startswith(prefix):
            rest = radical[len(prefix):]
            for form in forms:
                if form or _g_may_be_lost(rest):
                    _add(found, form + rest)
            break
    return found


def search_forms(word: str) -> set[str]:
    """Every form that should make the word findable: its radicals and all their mutated forms."""
    forms = set(radicals(word))
    for radical in list(forms):
        forms.update(mutations(radical))
    return forms


@functools.cache
def _known() -> frozenset[str]:
    """Every form and lemma in simplemma's Welsh table: a word list of about 400,000 Welsh forms."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    table = DefaultDictionaryFactory().get_dictionary("cy")
    return frozenset(word.lower() for pair in table.items() for word in pair)


@functools.cache
def _families() -> dict[str, tuple[str, ...]]:
    """simplemma's Welsh table turned round: lemma -> its forms (lemmas with at most FAMILY_LIMIT forms)."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    grouped: dict[str, set[str]] = defaultdict(set)
    for form, lemma in DefaultDictionaryFactory().get_dictionary("cy").items():
        grouped[lemma.lower()].add(form.lower())
    return {lemma: tuple(sorted(forms | {lemma})) for lemma, forms in grouped.items() if len(forms) <= FAMILY_LIMIT}


def inflections(word: str) -> set[str]:
    """The forms of the word's lemma (plurals, feminine and comparative forms, mutated forms): *ysgolion*
    for *ysgol*, *plentyn* and *blant* for *plant*. Empty for a word the table does not know, or whose
    lemma has more than FAMILY_LIMIT forms."""
    import simplemma

    word = word.lower()
    if len(word) < MIN_LENGTH:
        return set()
    lemma = simplemma.lemmatize(word, lang="cy").lower()
    return {form for form in _families().get(lemma, ()) if len(form) >= MIN_LENGTH}


def index_forms(word: str) -> set[str]:
    """Every form that should make the word findable in the index: its search forms, and the inflections of
    each radical it may come from, with their own search forms. For a word the Welsh word list knows (it or
    a radical), only forms the list knows are kept: the mutation rules also make forms no one writes
    (*hysgolion*), which cost index size and find nothing. An unknown word (a new term, a name) keeps them all."""
    word = word.lower()
    forms = search_forms(word)
    for radical in radicals(word):
        for form in inflections(radical):
            forms |= search_forms(form)
    known = _known()
    if word in known or any(radical in known for radical in radicals(word)):
        forms = {form for form in forms if form in known} | {word}
    return forms


# ---- the search index --------------------------------------------------------------------------------

_TAG = re.compile(r"<[^>]*>")
_APOSTROPHE = re.compile(r"['\u2019\u2018]")
_DEFAULT_SEPARATOR = r"[\s\-]+"


def _separator(pattern: str | None) -> re.Pattern[str]:
    """The index's separator (a JavaScript regular expression) in Python; Material's default if Python
    cannot read it."""
    try:
        return re.compile(pattern or _DEFAULT_SEPARATOR)
    except re.error:
        return re.compile(_DEFAULT_SEPARATOR)


def _words(text: str, separator: re.Pattern[str]) -> list[str]:
    """Tokens as Material's worker makes them: HTML tags skipped, split on the separator (before
    lower-casing, since the default handbook separator splits camelCase), lower-cased, empty ones
    dropped."""
    words: list[str] = []
    for chunk in _TAG.split(text):
        words.extend(token.lower() for token in separator.split(chunk) if token)
    return words


def _as_list(value) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _forms_field(texts: list[str], tags: list[str], separator: re.Pattern[str], cache: dict[str, set[str]]) -> str:
    """The forms a document's words may be typed as that the document does not hold itself, space-separated."""
    own_words: list[str] = []
    for value in texts:
        own_words.extend(_words(value, separator))
    own = set(own_words)
    for tag in tags:
        own.update(_words(tag, separator))
    # Welsh elides with apostrophes (gyda'r, mae'n, i'w): the mutating word is the part before one,
    # and a query for it already finds the whole token (the worker searches by prefix).
    pieces = {piece for word in own_words for piece in _APOSTROPHE.split(word) if piece}
    own |= pieces
    extra: set[str] = set()
    for word in pieces:
        if word not in cache:
            cache[word] = index_forms(word)
        extra.update(cache[word])
    extra -= own
    # A form the worker would split again (a separator inside it) is left out: it could never match; so is an
    # elided form ('da for gyda), which the worker reads as two tokens.
    return " ".join(sorted(form for form in extra if _words(form, separator) == [form]
                           and not _APOSTROPHE.search(form)))


def add_mutation_forms(index: dict, cache: dict[str, set[str]] | None = None) -> dict:
    """Add the mutation field FIELD to every document of a Material for MkDocs search index (the parsed
    search/search_index.json) and register it in config.fields with boost FORMS_BOOST. Changes the index
    in place and returns it; running it again gives the same index. A Zensical index (items, no
    config.fields) is refused with ValueError: its worker would ignore the field (see the module's
    docstring)."""
    config = index.get("config")
    if "docs" not in index or not isinstance(config, dict):
        if "items" in index:
            raise ValueError("a Zensical search index (search.json with 'items'): Zensical's worker"
                             " indexes only title, text and path, so a mutation field would be ignored")
        raise ValueError("not a Material for MkDocs search index (no 'config' and 'docs')")
    separator = _separator(config.get("separator"))
    cache = {} if cache is None else cache
    for doc in index["docs"]:
        forms = _forms_field(_as_list(doc.get("title")) + _as_list(doc.get("text")), _as_list(doc.get("tags")),
                             separator, cache)
        if forms:
            doc[FIELD] = forms
        else:
            doc.pop(FIELD, None)
    fields = config.setdefault("fields", {})
    fields[FIELD] = {"boost": FORMS_BOOST}
    return index


def rewrite_index(path: Path, cache: dict[str, set[str]] | None = None) -> None:
    """Rewrite a built Material search index (site/search/search_index.json) in place with the mutation
    field, in the compact form MkDocs writes, and its search_index.js copy beside it if the offline
    plugin wrote one (the worker loads that copy from file://)."""
    path = Path(path)
    index = add_mutation_forms(json.loads(path.read_text(encoding="utf-8")), cache)
    data = json.dumps(index, separators=(",", ":"), default=str)
    path.write_text(data, encoding="utf-8")
    script = path.with_name("search_index.js")
    if script.exists():
        script.write_text(f"var __index = {data}", encoding="utf-8")


def rewrite_zensical_index(site: Path, cache: dict[str, set[str]] | None = None) -> None:
    """Zensical's Welsh search index (site/search.json and its search.js copy) with a `forms` property on
    each item, and the site's copy of its search worker patched to index that property (module docstring).
    Raises ValueError if the worker is not the one this was written for."""
    site = Path(site)
    workers = sorted((site / "assets" / "javascripts" / "workers").glob("search.*.js"))
    if not workers:
        raise ValueError(f"no Zensical search worker under {site / 'assets/javascripts/workers'}")
    for worker in workers:
        code = worker.read_text(encoding="utf-8")
        if ZENSICAL_FIELDS_WITH_FORMS in code:
            continue
        if code.count(ZENSICAL_FIELDS) != 1:
            raise ValueError(f"{worker.name}: Zensical's search worker no longer declares its fields as"
                             f" {ZENSICAL_FIELDS!r}: Welsh search forms cannot be added (handbook/welsh_search.py)")
        worker.write_text(code.replace(ZENSICAL_FIELDS, ZENSICAL_FIELDS_WITH_FORMS), encoding="utf-8")
    path = site / "search.json"
    index = json.loads(path.read_text(encoding="utf-8"))
    if "items" not in index:
        raise ValueError(f"{path}: not a Zensical search index (no 'items')")
    separator = _separator((index.get("config") or {}).get("separator"))
    cache = {} if cache is None else cache
    for item in index["items"]:
        forms = _forms_field(_as_list(item.get("title")) + _as_list(item.get("text")), _as_list(item.get("tags")),
                             separator, cache)
        if forms:
            item[FIELD] = forms
        else:
            item.pop(FIELD, None)
    data = json.dumps(index, separators=(",", ":"), ensure_ascii=False)
    path.write_text(data, encoding="utf-8")
    script = site / "search.js"
    if script.exists():
        script.write_text(f"var __index = {data};", encoding="utf-8")


def rewrite_site(site: Path, kept: Path | None = None) -> None:
    """The built Welsh site's search index, whichever builder wrote it: MkDocs' (search/search_index.json)
    or Zensical's (search.json, whose worker is patched to read the forms). With `kept`, each word's forms
    are kept in that file between builds (KeptForms), so that a build works out only the new words'."""
    cache = KeptForms(kept) if kept else None
    index = Path(site) / "search" / "search_index.json"
    if index.exists():
        rewrite_index(index, cache)
    elif (Path(site) / "search.json").exists():
        rewrite_zensical_index(site, cache)
    if cache is not None:
        cache.save()


class KeptForms(dict):
    """Each word's index forms (index_forms), read from and saved to a JSON file. Working out a word's
    inflections asks simplemma (about 0.4 ms a word, and 2 s to load its Welsh table): with the forms kept,
    a build after a small change loads nothing and works out only the words it has not seen. The file is
    used only if it was made by the same rules (this module's source) and the same simplemma; otherwise it
    is started again. It is a cache: deleting it only makes the next build slower."""

    def __init__(self, path: Path):
        super().__init__()
        self.path, self.version = Path(path), _rules_version()
        try:
            kept = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            kept = {}
        if isinstance(kept, dict) and kept.get("version") == self.version and isinstance(kept.get("forms"), dict):
            self.update({word: set(forms) for word, forms in kept["forms"].items()})
        self.loaded = len(self)

    def save(self) -> None:
        if len(self) == self.loaded:
            return
        import tempfile

        self.path.parent.mkdir(parents=True, exist_ok=True)
        # a file of its own to write, then one atomic rename: two builds at once (the tests' workers) never mix
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name, suffix=".part")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump({"version": self.version, "forms": {w: sorted(f) for w, f in self.items()}}, out,
                      ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, self.path)


def _rules_version() -> str:
    import hashlib
    from importlib.metadata import version

    return hashlib.sha256(Path(__file__).read_bytes() + version("simplemma").encode()).hexdigest()[:16]
