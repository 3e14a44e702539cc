"""The dashboards' charts and week-by-week view: progress by section as server-drawn SVG on 'My induction'
(and the manager's view of an inductee) and on 'My team', and the plan's target dates grouped by week.
Unit tests of the chart builder (tracker/charts.py) and the grouping (progress.by_week), the rendered pages
through the test client, and one browser test at 1280 and 360 px (no sideways scroll, axe-core clean,
the charts visible). Set TRACKER_SCREENSHOTS=/some/folder to keep screenshots of the dashboards."""
from __future__ import annotations

import datetime as dt
import itertools
import os
import re
from pathlib import Path

import pytest
from markupsafe import Markup, escape

from factories import set_target, set_user
from helpers import signed_in_client
from tracker import charts, progress
from tracker.progress import DueItem, SectionProgress

# ---- the chart builder -----------------------------------------------------------------------

FIGURES = [  # (required, completed, submitted, started)
    (6, 2, 0, 3), (7, 1, 1, 1), (3, 1, 1, 1), (13, 0, 1, 0), (5, 5, 0, 0), (5, 0, 0, 0), (1, 0, 0, 1), (9, 2, 3, 4),
]


def section(required=6, completed=2, submitted=1, started=2, title="Section 1: The service", section_id="1"):
    return SectionProgress(section_id, title, required, completed, submitted, started)


def percents(markup: str, tag: str = "rect", attribute: str = "width") -> list[float]:
    """The per-cent values of one attribute of the chart's shapes (the background and outlines left out)."""
    shapes = re.findall(rf'<{tag} [^>]*class="tracker-chart__\w+"[^>]*>', markup)
    return [float(re.search(rf'\b{attribute}="([\d.]+)%"', shape).group(1)) for shape in shapes]


@pytest.mark.parametrize("figures", FIGURES)
def test_segments_fill_the_bar_exactly_and_in_order(figures):
    required, completed, submitted, started = figures
    parts = charts.segments(section(required, completed, submitted, started))
    assert [p.key for p in parts] == ["completed", "submitted", "started", "not_started"]
    assert [p.count for p in parts] == [completed, submitted, started, required - completed - submitted - started]
    assert sum(p.size for p in parts) == charts.SCALE  # thirds and sevenths included: exactly 100%
    assert all(b.start == a.start + a.size for a, b in itertools.pairwise(parts)) and parts[0].start == 0
    for part in parts:  # each in proportion to its count, to the rounding of one unit
        assert abs(part.size - charts.SCALE * part.count / required) <= 1


@pytest.mark.parametrize("figures", FIGURES)
def test_the_bar_draws_each_part_with_widths_adding_up_to_100_per_cent(figures):
    required, completed, submitted, started = figures
    bar = charts.section_bar(section(required, completed, submitted, started), "s1")
    widths = percents(bar)
    parts = (completed, submitted, started, required - completed - submitted - started)
    assert len(widths) == sum(1 for n in parts if n)
    assert sum(widths) == pytest.approx(100, abs=0.002)
    xs = percents(bar, attribute="x")
    pairs = zip(itertools.pairwise(xs), widths[:-1], strict=True)
    assert all(x2 == pytest.approx(x1 + w1, abs=0.002) for (x1, x2), w1 in pairs)


def test_the_bar_is_an_image_labelled_with_its_figures_and_its_key_does_not_rely_on_colour():
    bar = charts.section_bar(section(7, 2, 1, 3), "section-1")
    assert isinstance(bar, Markup)
    assert 'role="img"' in bar and "<script" not in bar and "style=" not in bar  # the CSP forbids style attributes
    assert ('aria-label="Section 1: The service: 2 of 7 complete, 1 waiting for sign-off, 3 in progress, 1 not started"'
            in bar)
    assert "<title>Waiting for sign-off: 1 of 7</title>" in bar  # a tooltip on each part
    # patterns, not colour alone: hatching and dots, named after the chart so that charts on one page never clash
    assert 'fill="url(#section-1-submitted) #ffdd00"' in bar and 'fill="url(#section-1-started) #1d70b8"' in bar
    assert re.findall(r'<pattern id="([^"]+)"', bar) == ["section-1-submitted", "section-1-started"]
    key = charts.legend()
    assert [re.sub(r"<[^>]+>", "", item) for item in re.findall(r'<li class="tracker-legend__item">.*?</li>', key)] == [
        "Complete", "Waiting for sign-off", "In progress", "Not started"]
    assert 'aria-hidden="true"' in key and len(set(re.findall(r'<pattern id="([^"]+)"', key))) == 2


def test_a_section_with_nothing_required_draws_no_parts():
    empty = section(0, 0, 0, 0)
    assert all(p.size == 0 for p in charts.segments(empty))
    assert charts.describe(empty) == "Section 1: The service: no activities required"
    bar = charts.section_bar(empty, "s")
    assert percents(bar) == [] and 'aria-label="Section 1: The service: no activities required"' in bar
    columns = charts.section_columns([section(), empty], "Dafydd Morgan", "inductee-3")
    assert 'stroke-dasharray="3 3"' in columns  # a dashed outline: nothing to do there
    assert re.findall(r'<span class="tracker-columns__percent">([^<]+)</span>', columns) == ["33%", "none"]
    assert "Section 1: The service: no activities required." in columns


def test_the_team_chart_has_a_column_for_each_section_numbered_with_its_per_cent_complete():
    sections = [section(6, 2, 1, 2, "Section 1: The service", "1"), section(4, 4, 0, 0, "Section 2: Others", "2"),
                section(8, 0, 0, 0, "Section 3: Law", "3")]
    chart = charts.section_columns(sections, "Dafydd Morgan", "inductee-3")
    label = re.search(r'aria-label="([^"]+)"', chart).group(1)
    assert label == ("Progress by section for Dafydd Morgan."
                     " Section 1: The service: 2 of 6 complete, 1 waiting for sign-off, 2 in progress, 1 not started."
                     " Section 2: Others: 4 of 4 complete, 0 waiting for sign-off, 0 in progress, 0 not started."
                     " Section 3: Law: 0 of 8 complete, 0 waiting for sign-off, 0 in progress, 8 not started.")
    assert re.findall(r'<span class="tracker-columns__section">([^<]+)</span>', chart) == ["1", "2", "3"]
    assert re.findall(r'<span class="tracker-columns__percent">([^<]+)</span>', chart) == ["33%", "100%", "0%"]
    # a column's parts are stacked from the bottom and together fill its height
    heights = percents(chart.split("<g>")[1], attribute="height")
    assert sum(heights) + 100 * 1 / 6 == pytest.approx(100, abs=0.002)  # 1 of 6 not started is the column's background
    assert 'aria-hidden="true"' in chart.split('<ul class="tracker-columns__labels"')[1][:30]  # the label says it all


def test_names_and_titles_are_escaped():
    hostile = section(title='Section 1: <script>alert("x")</script> & more')
    bar = charts.section_bar(hostile, 'x"><script>')
    assert "<script>" not in bar and "&lt;script&gt;" in bar and "&amp; more" in bar
    chart = charts.section_columns([hostile], 'Dai "Bach" <b>Jones</b>', "p")
    assert "<b>" not in chart and "<script>" not in chart
    assert "Dai &#34;Bach&#34; &lt;b&gt;Jones&lt;/b&gt;" in chart


# ---- grouping by week --------------------------------------------------------------------------

def due(activity_id: str, target: dt.date, state: str = "not_started") -> DueItem:
    return DueItem(activity_id, f"Activity {activity_id}", target, state, False)


def test_due_items_are_grouped_by_iso_week_monday_to_sunday():
    today = dt.date(2026, 12, 9)  # a Wednesday
    items = [due("2.1", dt.date(2026, 12, 13)), due("1.1", dt.date(2026, 11, 30)), due("1.2", dt.date(2026, 12, 7)),
             due("3.1", dt.date(2026, 12, 28)), due("3.2", dt.date(2027, 1, 3)), due("1.3", dt.date(2026, 12, 6)),
             due("4.1", dt.date(2027, 1, 4))]
    weeks = progress.by_week(items, today)
    assert [(w.start, [i.activity_id for i in w.items]) for w in weeks] == [
        (dt.date(2026, 11, 30), ["1.1", "1.3"]),  # Monday 30 November to Sunday 6 December
        (dt.date(2026, 12, 7), ["1.2", "2.1"]),  # Monday 7 to Sunday 13 December: this week
        (dt.date(2026, 12, 28), ["3.1", "3.2"]),  # across the new year: ISO week 53 of 2026
        (dt.date(2027, 1, 4), ["4.1"]),
    ]
    assert [w.number for w in weeks] == [49, 50, 53, 1]
    assert [w.ahead for w in weeks] == [-1, 0, 3, 4]
    assert [(w.past, w.current) for w in weeks] == [(True, False), (False, True), (False, False), (False, False)]
    assert weeks[0].end == dt.date(2026, 12, 6) and all(w.start.weekday() == 0 for w in weeks)
    assert progress.by_week([], today) == []


def test_a_week_counts_what_is_overdue():
    today = dt.date.today()
    monday = today - dt.timedelta(days=today.weekday())
    last_week = monday - dt.timedelta(days=7)
    items = [due("1.1", last_week), due("1.2", last_week, "submitted"), due("1.3", last_week, "in_progress")]
    [week] = progress.by_week(items, today)
    # submitted work waits on the manager, not the inductee (the one overdue rule, progress.is_overdue)
    assert [i.activity_id for i in week.overdue] == ["1.1", "1.3"] and week.past


# ---- the dashboards, through the test client ---------------------------------------------------

def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def set_targets(app, inductee_id: int, targets: dict[str, dt.date | None]) -> None:
    """Replace an inductee's target dates: only the activities named get one."""
    set_target(app, inductee_id, None, None)
    for activity_id, target in targets.items():
        set_target(app, inductee_id, activity_id, target.isoformat() if target else None)


def timeline(html: str) -> list[tuple[str, list[str]]]:
    """[(week heading, [activity ids])] from the week-by-week view, in page order (folded weeks included)."""
    view = html.split('id="week-by-week-view"')[1].split("</section>")[0]
    weeks = []
    for chunk in view.split('<h3 class="govuk-heading-s tracker-timeline__date">')[1:]:
        heading, rest = chunk.split("</h3>", 1)
        weeks.append((heading, re.findall(r'href="/records/\d+/([^"]+)"', rest.split("</ol>")[0])))
    return weeks


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def activity_ids(app) -> list[str]:
    from tracker import content
    with app.app_context():
        return [a.id for a in content.activities()]


def summary_of(app, inductee_id: int) -> progress.Induction:
    from tracker.accounts import get_user
    from tracker.db import get_db
    with app.app_context():
        return progress.summary(get_db(), get_user(get_db(), inductee_id))


def test_the_week_by_week_view_groups_the_plans_target_dates(tracker_app):
    ceri = tracker_app.config["DEMO_IDS"]["inductee2@example.org"]
    ids = activity_ids(tracker_app)[:6]
    assert len(ids) == 6
    this_week = monday_of(dt.date.today())
    targets = {ids[0]: this_week - dt.timedelta(days=5),  # last week's Wednesday: overdue
               ids[1]: this_week, ids[2]: this_week + dt.timedelta(days=6),  # this week's Monday and Sunday
               ids[3]: this_week + dt.timedelta(days=7),  # next Monday
               ids[4]: this_week + dt.timedelta(weeks=6, days=2),  # later, but shown: at least four weeks are
               ids[5]: this_week + dt.timedelta(weeks=8, days=4)}  # later still: folded away
    set_targets(tracker_app, ceri, targets)
    page = signed_in_client(tracker_app, "inductee2@example.org").get("/my-induction").get_data(as_text=True)
    assert timeline(page) == [
        (f"Week of {long_date(this_week - dt.timedelta(days=7))}", [ids[0]]),
        (f"Week of {long_date(this_week)}", [ids[1], ids[2]]),
        (f"Week of {long_date(this_week + dt.timedelta(days=7))}", [ids[3]]),
        (f"Week of {long_date(this_week + dt.timedelta(weeks=6))}", [ids[4]]),
        (f"Week of {long_date(this_week + dt.timedelta(weeks=8))}", [ids[5]]),
    ]
    view = page.split('id="week-by-week-view"')[1].split("</section>")[0]
    weeks = view.split('<li class="tracker-timeline__week')[1:]
    assert "tracker-timeline__week--overdue" in weeks[0] and "1 activity due, 1 overdue" in weeks[0]
    assert weeks[0].count(">Overdue</strong>") == 1 and "tracker-timeline__week--past" in weeks[0]
    assert ">This week</strong>" in weeks[1] and "2 activities due" in weeks[1]
    assert ">Overdue</strong>" not in weeks[2]
    # the weeks up to three ahead are shown, and at least four; later ones are folded in a details
    assert view.index(long_date(this_week + dt.timedelta(weeks=6))) < view.index("<details")
    assert view.index("<details") < view.index(long_date(this_week + dt.timedelta(weeks=8)))
    assert f"Later weeks: 1 activity due from {long_date(this_week + dt.timedelta(weeks=8))}" in view
    # every activity shows its state; those still to do without a target date are counted
    states = re.findall(r'<strong class="govuk-tag govuk-tag--\w+">([^<]+)</strong>', weeks[1])
    assert states and set(states) <= {"Not started", "In progress", "Waiting for sign-off", "Returned for changes",
                                      "Done"}
    undated = summary_of(tracker_app, ceri)
    left = undated.required - undated.completed - 6
    if left:
        assert f"{left} {'activity' if left == 1 else 'activities'} still to do" in view


def test_the_week_by_week_view_without_target_dates(tracker_app):
    ceri = tracker_app.config["DEMO_IDS"]["inductee2@example.org"]
    set_targets(tracker_app, ceri, {})
    page = signed_in_client(tracker_app, "inductee2@example.org").get("/my-induction").get_data(as_text=True)
    view = page.split('id="week-by-week-view"')[1].split("</section>")[0]
    assert 'id="no-target-dates"' in view and "No target dates yet" in view and "tracker-timeline" not in view
    assert f'href="/plan/{ceri}"' in view


def test_my_induction_and_the_managers_view_of_it_chart_each_section_with_the_figures_as_text(tracker_app):
    dafydd = tracker_app.config["DEMO_IDS"]["inductee@example.org"]
    induction = summary_of(tracker_app, dafydd)
    mine = signed_in_client(tracker_app, "inductee@example.org").get("/my-induction").get_data(as_text=True)
    theirs = signed_in_client(tracker_app, "manager@example.org").get(f"/team/{dafydd}").get_data(as_text=True)
    for page in (mine, theirs):
        table = page.split('aria-labelledby="progress-by-section"')[1].split("</table>")[0]
        assert '<ul class="tracker-legend">' in page.split('id="progress-by-section"')[1].split("<table")[0]
        rows = table.split('<tr class="govuk-table__row">')[2:]
        assert len(rows) == len(induction.sections) > 0
        for row, sec in zip(rows, induction.sections, strict=True):
            chart = re.search(r'<svg class="tracker-chart tracker-chart--bar" role="img" aria-label="([^"]+)"', row)
            assert chart and chart.group(1) == escape(charts.describe(sec))
            # the same figures as text in the table: complete, waiting, in progress, not started
            cells = re.findall(r'data-label="[^"]+">(\d+)</td>', row)
            assert cells == [str(sec.submitted), str(sec.started), str(progress.not_started(sec))]
            assert f"{sec.completed} of {sec.required} complete" in row
        ids = re.findall(r'<pattern id="([^"]+)"', page)
        assert len(ids) == len(set(ids))  # one set of patterns per chart, never two with one name
        assert '<ol class="tracker-timeline">' in page.split('id="week-by-week-view"')[1]  # the demo plan has dates


def test_the_team_page_charts_each_inductee_by_section(tracker_app):

    ids = tracker_app.config["DEMO_IDS"]
    set_user(tracker_app, ids["inductee2@example.org"], name='Ceri <b>"Williams"</b> & co')  # must be escaped
    page = signed_in_client(tracker_app, "manager@example.org").get("/team").get_data(as_text=True)
    assert "<b>" not in page
    block = page.split('id="team-progress-by-section"')[1].split('<h2 class="govuk-heading-m">Overdue</h2>')[0]
    assert '<ul class="tracker-legend">' in block
    labels = re.findall(r'<svg class="tracker-chart tracker-chart--columns" role="img" aria-label="([^"]+)"', block)
    assert len(labels) == 3  # one for each inductee in Rhian's team: Dafydd, Ceri and Gwenllian
    dafydd = summary_of(tracker_app, ids["inductee@example.org"])
    label = next(label for label in labels if "Dafydd Morgan" in label)
    assert label.startswith("Progress by section for Dafydd Morgan. ")
    for sec in dafydd.sections:
        assert escape(charts.describe(sec)) in label
        assert re.search(rf'tracker-columns__section">{re.escape(sec.section_id)}</span>'
                         rf'<span class="tracker-columns__percent">{sec.percent}%</span>', block)
    assert any(label.startswith("Progress by section for Ceri &lt;b&gt;&#34;Williams&#34;&lt;/b&gt; &amp; co. ")
               for label in labels)
    # the table's own progress bars are still the only things labelled '<name>: n of m complete'
    assert len(re.findall(r'aria-label="Dafydd Morgan: \d+ of \d+ complete"', page)) == 1


# ---- in a browser, at 1280 and 360 px ---------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 360])
def test_the_charts_fit_are_visible_and_accessible(browser, live_tracker, width):
    from playwright.sync_api import expect

    from browser import axe_violations, new_page, sign_in

    base, ids = live_tracker.url, live_tracker.ids
    shots = os.environ.get("TRACKER_SCREENSHOTS")
    errors: list[str] = []
    pages = [("inductee@example.org", "/my-induction", "my-induction", "svg.tracker-chart--bar"),
             ("manager@example.org", "/team", "team", "svg.tracker-chart--columns"),
             ("manager@example.org", f"/team/{ids['inductee@example.org']}", "team-inductee", "svg.tracker-chart--bar")]
    for email, path, name, chart in pages:
        page = new_page(browser, errors)
        page.set_viewport_size({"width": width, "height": 900})
        sign_in(page, base, email)
        page.goto(base + path)
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        svg = page.locator(chart).first
        expect(svg).to_be_visible()
        box = svg.bounding_box()
        assert box["width"] >= 80 and box["height"] >= 16, (path, width, box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (path, width, box)
        expect(page.locator(".tracker-legend")).to_be_visible()
        if chart.endswith("--bar"):
            expect(page.locator(".tracker-timeline").first).to_be_visible()
        sizes = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert sizes[0] <= sizes[1], f"{path} scrolls sideways at {width} px: {sizes}"
        violations = axe_violations(page)
        assert violations == [], f"axe-core violations on {path} at {width} px: {violations}"
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(shots) / f"charts-{name}-{width}.png"), full_page=True)
        page.context.close()
    assert errors == [], errors
