"""Small charts for the dashboards, drawn on the server as inline SVG: no JavaScript, and no style
attributes (the CSP allows only the tracker's stylesheet), so colours are SVG attributes and sizes come
from tracker.css. Each chart is an image (role="img") whose aria-label says every figure it shows, and the
pages show the figures as text too (the progress table, the percentages under the team's columns).

Colour is never the only difference: complete is solid, waiting for sign-off hatched, in progress dotted and
not started plain light grey, as the key shows. GOV.UK colours: green and blue are over 5:1 against white, the
yellow hatching is dark (#594d00), parts are parted by a white gap and every bar or column is outlined in dark
grey (#505a5f, 7:1), so each part stands out from the page and from its neighbours."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from .progress import SectionProgress, not_started

SCALE = 100_000  # positions in thousandths of a per cent: whole numbers, so the widths add up to exactly 100%

# (key, label): the order segments are drawn in, from the left (or the bottom of a column).
PARTS = (
    ("completed", _l("Complete")),
    ("submitted", _l("Waiting for sign-off")),
    ("started", _l("In progress")),
    ("not_started", _l("Not started")),
)
LABELS = dict(PARTS)
GREEN, YELLOW, DARK_YELLOW, BLUE, WHITE, LIGHT_GREY = "#00703c", "#ffdd00", "#594d00", "#1d70b8", "#ffffff", "#f3f2f1"
FALLBACK = {"completed": GREEN, "submitted": YELLOW, "started": BLUE, "not_started": LIGHT_GREY}


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    count: int
    start: int  # in SCALE units from the left (or the bottom)
    size: int  # in SCALE units

    @property
    def percent(self) -> str:
        return _percent(self.size)


def counts(section: SectionProgress) -> dict[str, int]:
    return {"completed": section.completed, "submitted": section.submitted, "started": section.started,
            "not_started": not_started(section)}


def segments(section: SectionProgress) -> list[Segment]:
    """The four parts of a section's bar, in order, zero-sized ones included. Each ends where the next
    starts and the last ends at SCALE (nothing when the section requires nothing)."""
    total = section.required
    result, done, start = [], 0, 0
    for key, count in counts(section).items():
        done += count
        end = round(SCALE * done / total) if total else 0
        result.append(Segment(key, LABELS[key], count, start, end - start))
        start = end
    return result


def describe(section: SectionProgress) -> str:
    """The figures a section's bar shows, as words (its text alternative)."""
    if not section.required:
        return gettext("%(section)s: no activities required", section=section.title)
    parts = counts(section)
    return gettext("%(section)s: %(completed)s of %(required)s complete, %(submitted)s waiting for sign-off,"
                   " %(started)s in progress, %(not_started)s not started", section=section.title,
                   required=section.required, **parts)


def of_text(label, count: int, total: int) -> str:
    return gettext("%(label)s: %(count)s of %(total)s", label=label, count=count, total=total)


def _percent(units: int) -> str:
    return f"{units / 1000:.3f}".rstrip("0").rstrip(".") + "%"


# Built with plain strings, every text from people or the handbook (names, titles, ids) passed through
# escape(): markupsafe's Markup.format escapes too, but is several times slower, and the team page draws a
# chart for every inductee.

PATTERNS = {  # hatching for 'waiting for sign-off', dots for 'in progress'; {id} is filled in per chart
    "submitted": '<pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
                 f'<rect width="6" height="6" fill="{YELLOW}"/><rect width="2" height="6" fill="{DARK_YELLOW}"/>'
                 '</pattern>',
    "started": '<pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse">'
               f'<rect width="6" height="6" fill="{BLUE}"/><circle cx="3" cy="3" r="1.4" fill="{WHITE}"/></pattern>',
}
OUTLINE = "#505a5f"


def _patterns(prefix: str, keys=tuple(PATTERNS)) -> str:
    """The patterns a chart uses, their ids starting with prefix (escaped): one set per chart, each whole on its own."""
    return "<defs>" + "".join(PATTERNS[key].replace("{id}", f"{prefix}-{key}") for key in keys) + "</defs>"


def _fill(prefix: str, key: str) -> str:
    if key in PATTERNS:
        return f"url(#{prefix}-{key}) {FALLBACK[key]}"  # the plain colour if the pattern is missing
    return FALLBACK[key]


def section_bar(section: SectionProgress, prefix: str) -> Markup:
    """One section's progress as a horizontal stacked bar, as wide as its container.
    prefix: unique on the page (the bar's patterns are named after it)."""
    prefix = escape(prefix)
    shapes, gaps = [], []
    for part in segments(section):
        if not part.size:
            continue
        x = _percent(part.start)
        shapes.append(f'<rect x="{x}" y="0" width="{part.percent}" height="100%" fill="{_fill(prefix, part.key)}"'
                      f' shape-rendering="crispEdges" class="tracker-chart__{part.key}">'
                      f'<title>{escape(of_text(part.label, part.count, section.required))}</title></rect>')
        if part.start:  # a white gap between parts
            gaps.append(f'<line x1="{x}" x2="{x}" y1="0" y2="100%" stroke="{WHITE}" stroke-width="2"/>')
    return Markup(f'<svg class="tracker-chart tracker-chart--bar" role="img" aria-label="{escape(describe(section))}"'
                  f' width="100%" height="20" focusable="false">{_patterns(prefix)}'
                  f'<rect width="100%" height="100%" fill="{LIGHT_GREY}" shape-rendering="crispEdges"/>'
                  f'{"".join(shapes)}{"".join(gaps)}</svg>')


def section_columns(sections: list[SectionProgress], name: str, prefix: str) -> Markup:
    """One inductee's progress as a column for each section (filled from the bottom), with the section's
    number and per cent complete written under it. name: whose progress (for the text alternative)."""
    prefix = escape(prefix)
    shapes = []
    slot = SCALE // max(len(sections), 1)
    width = slot * 3 // 5
    w = _percent(width)
    for index, section in enumerate(sections):
        left = index * slot + (slot - width) // 2
        x, x2 = _percent(left), _percent(left + width)
        title = escape(describe(section))
        if not section.required:  # an outline only, dashed: nothing to do in this section
            shapes.append(f'<g><title>{title}</title><rect x="{x}" y="0" width="{w}" height="100%" fill="{WHITE}"'
                          f' stroke="{OUTLINE}" stroke-dasharray="3 3"/></g>')
            continue
        parts = [f'<rect x="{x}" y="0" width="{w}" height="100%" fill="{LIGHT_GREY}"/>']  # the background: not started
        for part in segments(section):
            if part.size and part.key != "not_started":
                top = _percent(SCALE - part.start - part.size)
                parts.append(f'<rect x="{x}" y="{top}" width="{w}" height="{part.percent}"'
                             f' fill="{_fill(prefix, part.key)}" class="tracker-chart__{part.key}"/>')
                if part.start:  # a white gap between parts
                    y = _percent(SCALE - part.start)
                    parts.append(f'<line x1="{x}" x2="{x2}" y1="{y}" y2="{y}" stroke="{WHITE}" stroke-width="2"/>')
        parts.append(f'<rect x="{x}" y="0" width="{w}" height="100%" fill="none" stroke="{OUTLINE}"/>')
        shapes.append(f'<g><title>{title}</title>{"".join(parts)}</g>')
    label = escape(gettext("Progress by section for %(name)s.", name=name) + " "
                   + ". ".join(describe(s) for s in sections) + ".")
    none = escape(gettext("none"))
    labels = "".join(
        f'<li class="tracker-columns__label"><span class="tracker-columns__section">{escape(s.section_id)}</span>'
        f'<span class="tracker-columns__percent">{f"{s.percent}%" if s.required else none}</span></li>'
        for s in sections)
    return Markup(f'<div class="tracker-columns"><svg class="tracker-chart tracker-chart--columns" role="img"'
                  f' aria-label="{label}" width="100%" height="48" focusable="false">'
                  f'{_patterns(prefix)}{"".join(shapes)}</svg>'
                  f'<ul class="tracker-columns__labels" aria-hidden="true">{labels}</ul></div>')


def legend(prefix: str = "key") -> Markup:
    """The key to the charts: a swatch and a word for each part (prefix: unique on the page)."""
    prefix = escape(prefix)
    items = "".join(
        f'<li class="tracker-legend__item"><svg class="tracker-legend__swatch" width="18" height="18"'
        f' aria-hidden="true" focusable="false">{_patterns(prefix, [key]) if key in PATTERNS else ""}'
        f'<rect x="0.5" y="0.5" width="17" height="17" fill="{_fill(prefix, key)}" stroke="{OUTLINE}"/>'
        f'</svg>{escape(label)}</li>'
        for key, label in PARTS)
    return Markup(f'<ul class="tracker-legend">{items}</ul>')


RAG_COLOURS = {"red": "#d4351c", "amber": "#f47738", "green": GREEN}  # GOV.UK's red, orange and green


def rag_bar(counts: dict[str, int], labels: dict, name: str) -> Markup:
    """How many inductees are behind, need attention and are on track, as one horizontal stacked bar (the service
    lead's report). counts: {'red': n, 'amber': n, 'green': n}; labels: the words for each; name: whose (a team).
    The words and numbers are its text alternative, and are written beside it on the page."""
    total = sum(counts.values())
    shapes, start = [], 0
    for key in ("red", "amber", "green"):
        if not counts.get(key) or not total:
            continue
        size = SCALE * counts[key] // total if key != "green" else SCALE - start
        shapes.append(f'<rect x="{_percent(start)}" y="0" width="{_percent(size)}" height="100%"'
                      f' fill="{RAG_COLOURS[key]}" shape-rendering="crispEdges"><title>{escape(labels[key])}:'
                      f' {counts[key]}</title></rect>')
        if start:
            shapes.append(f'<line x1="{_percent(start)}" x2="{_percent(start)}" y1="0" y2="100%" stroke="{WHITE}"'
                          f' stroke-width="2"/>')
        start += size
    text = f"{name}: " + ", ".join(f"{labels[key]} {counts.get(key, 0)}" for key in ("red", "amber", "green"))
    return Markup(f'<svg class="tracker-chart tracker-chart--bar" role="img" aria-label="{escape(text)}"'
                  f' width="100%" height="20" focusable="false"><rect width="100%" height="100%" fill="{LIGHT_GREY}"'
                  f' shape-rendering="crispEdges"/>{"".join(shapes)}</svg>')
