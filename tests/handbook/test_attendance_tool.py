"""The attendance calculator (reference/attendance-calculator): its arithmetic, run in real headless
Chromium from the built site's own JavaScript (file://, network cut off), its code data against the
register codes page, and the page itself offline: the activity 4.4 example, charts, errors, accessibility."""
from __future__ import annotations

import json
import re

import pytest
import yaml
from playwright.sync_api import expect

from browser import axe_violations
from helpers import ROOT

DATA_FILE = ROOT / "overrides" / "assets" / "register-codes.js"
CODES_PAGE = ROOT / "content" / "reference" / "register-codes.md"
WELSH_CODES_PAGE = ROOT / "content" / "reference" / "register-codes.cy.md"
TOOL_PAGE = "reference/attendance-calculator.html"
WELSH_TOOL_PAGE = "cy/" + TOOL_PAGE
WAIT = 30_000  # ms: a generous deadline for a condition, never a fixed pause


def register_code_data() -> dict:
    text = DATA_FILE.read_text(encoding="utf-8")
    match = re.search(r"^window\.EWSRegisterCodes = (\{.*\});\s*\Z", text, re.S | re.M)
    assert match, "register-codes.js must be 'window.EWSRegisterCodes = {strict JSON};'"
    return json.loads(match.group(1))


# ---- the data file and the register codes page say the same ---------------------------

CATEGORY_ON_PAGE = {
    "Present": "present",
    "Approved educational activity": "educational",
    "Authorised absence": "authorised",
    "Unauthorised absence": "unauthorised",
    "Attendance not required": "not-required",
}


def page_code_table() -> dict[str, tuple[str, str]]:
    """code -> (meaning, category) from the Markdown table on the register codes page."""
    text = CODES_PAGE.read_text(encoding="utf-8")
    table = text.split("## Code table", 1)[1].split("\n### ", 1)[0]
    rows = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("Code", "---") or set(cells[0]) <= {"-"}:
            continue
        code, meaning, category = cells
        kind = next(v for k, v in CATEGORY_ON_PAGE.items() if category.startswith(k))
        if code == "`/` `\\`":
            rows["/"] = ("Present (morning)", kind)
            rows["\\"] = ("Present (afternoon)", kind)
        else:
            rows[code] = (meaning, kind)
    return rows


def test_the_code_data_matches_the_register_codes_page():
    data = register_code_data()
    in_data = {c["code"]: (c["meaning"], c["category"]) for c in data["codes"]}
    on_page = page_code_table()
    assert len(on_page) == 26
    assert in_data == on_page


def test_the_welsh_code_meanings_are_those_of_the_welsh_register_codes_page():
    """The Welsh site's calculator shows each code's meaning in Welsh, worded as the Welsh code table."""
    text = WELSH_CODES_PAGE.read_text(encoding="utf-8")
    table = text.split("{#code-table-to-be-verified}", 1)[1].split("\n### ", 1)[0]
    on_page = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("Cod", "---") or set(cells[0]) <= {"-"}:
            continue
        if cells[0] == "`/` `\\`":
            on_page["/"], on_page["\\"] = "Presennol (bore)", "Presennol (prynhawn)"
            assert cells[1] == "Presennol (bore / prynhawn)"
        else:
            on_page[cells[0]] = cells[1]
    data = register_code_data()
    assert {c["code"]: c.get("meaningCy") for c in data["codes"]} == on_page
    assert {c["code"] for c in data["codes"] if "noteCy" in c} == {c["code"] for c in data["codes"] if "note" in c}
    assert all(mark.get("meaningCy") for mark in data["toolMarks"])


def test_every_code_is_marked_as_needing_confirmation_for_wales():
    data = register_code_data()
    assert all(code["confirmed"] is False for code in data["codes"])
    assert "not yet confirmed" in data["status"].lower()
    page = CODES_PAGE.read_text(encoding="utf-8")
    assert "not yet been confirmed" in page  # the page says so too


def test_late_marks_and_persistent_absence_in_the_data():
    data = register_code_data()
    late = {c["code"]: c["category"] for c in data["codes"] if c["late"]}
    assert late == {"L": "present", "U": "unauthorised"}
    assert data["persistentAbsence"]["thresholdPercent"] == 10
    assert data["persistentAbsence"]["previousThresholdPercent"] == 20
    assert [m["code"] for m in data["toolMarks"]] == ["-"]
    assert set(data["categories"]) == set(CATEGORY_ON_PAGE.values())
    assert [k for k, v in data["categories"].items() if not v["possible"]] == ["not-required"]


def test_the_scripts_are_ascii_so_they_read_the_same_in_any_page_encoding():
    for name in ("register-codes.js", "attendance.js", "attendance-tool.js"):
        text = (ROOT / "overrides" / "assets" / name).read_text(encoding="utf-8")
        assert text.isascii(), f"{name}: write non-ASCII characters as \\u escapes"


# ---- the arithmetic, in Chromium, from the built site --------------------------------------

@pytest.fixture(scope="module")
def calculator(real_site, browser, tmp_path_factory):
    """A bare page that loads only the built site's code data and calculator module, over file://,
    with every http(s) request refused. Returns a function that calls EWSAttendance in the page."""
    harness = tmp_path_factory.mktemp("attendance") / "harness.html"
    scripts = "".join(f'<script src="{(real_site / "assets" / name).as_uri()}"></script>'
                      for name in ("register-codes.js", "attendance.js"))
    harness.write_text(f"<!doctype html><title>harness</title>{scripts}", encoding="utf-8")
    context = browser.new_context()
    requested = []
    context.route("http*://**/*", lambda route: (requested.append(route.request.url), route.abort()))
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(harness.as_uri())
    page.wait_for_function("window.EWSAttendance && window.EWSRegisterCodes", timeout=WAIT)

    def call(name, *args):
        return page.evaluate("([name, args]) => EWSAttendance[name](...args, window.EWSRegisterCodes)",
                             [name, list(args)])

    call.page = page
    yield call
    assert requested == [] and errors == []
    context.close()


def calculate(calculator, text: str) -> dict:
    return calculator("calculate", text)


def in_welsh(calculator, work):
    """Run work() with the harness page marked Welsh, as the Welsh site's pages are (<html lang="cy">)."""
    calculator.page.evaluate("document.documentElement.lang = 'cy'")
    try:
        return work()
    finally:
        calculator.page.evaluate("document.documentElement.lang = ''")


def totals(calculator, text: str) -> dict:
    result = calculate(calculator, text)
    assert result["errors"] == [], result["errors"]
    return result["summary"]["total"]


@pytest.mark.browser
def test_the_activity_4_4_example_gives_the_packs_term_figures(calculator):
    example = calculator.page.evaluate("EWSAttendance.EXAMPLE_4_4")
    result = calculate(calculator, example)
    assert result["errors"] == []
    total = result["summary"]["total"]
    assert (total["possible"], total["attended"], total["authorised"], total["unauthorised"], total["absent"],
            total["late"]) == (119, 81, 8, 30, 38, 5)
    assert total["percent"] == {"attendance": 68.07, "authorised": 6.72, "unauthorised": 25.21,
                                "absence": 31.93, "late": 4.2}
    assert result["summary"]["persistentAbsence"] == {"thresholdPercent": 10, "absent": True}
    formatted = calculator.page.evaluate("[68.07, 25.21, 4.2].map(EWSAttendance.formatPercent)")
    assert formatted == ["68.07%", "25.21%", "4.20%"]


def activity_4_4_weeks() -> list[dict]:
    """The weekly rows of the summary printed in activities/4-4.yml."""
    activity = yaml.safe_load((ROOT / "activities" / "4-4.yml").read_text(encoding="utf-8"))
    rows = []
    for line in activity["parts"][0]["intro"].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and re.match(r"\d+ \w+ 2013", cells[0]):
            rows.append(dict(zip(["week", "attendance", "absent", "authorised", "unauthorised", "late"], cells,
                                 strict=True)))
    assert len(rows) == 14
    return rows


@pytest.mark.browser
def test_the_example_agrees_with_every_weekly_row_of_activity_4_4(calculator):
    example = calculator.page.evaluate("EWSAttendance.EXAMPLE_4_4")
    weeks = calculate(calculator, example)["summary"]["weeks"]
    assert len(weeks) == 14
    for row, week in zip(activity_4_4_weeks(), weeks, strict=True):
        assert row["week"].startswith(week["label"]), (row, week["label"])
        if row["attendance"] == "Half-term holiday":
            assert week["possible"] == 0 and week["percent"]["attendance"] is None
            continue
        shown = {k: week["percent"][k] for k in ("attendance", "authorised", "unauthorised")}
        assert shown == {"attendance": float(row["attendance"]), "authorised": float(row["authorised"]),
                         "unauthorised": float(row["unauthorised"])}, row["week"]
        assert week["absent"] == int(row["absent"]), row["week"]
        assert week["late"] == int(row["late"]), row["week"]
    assert weeks[0]["possible"] == 8 and weeks[-1]["possible"] == 3  # Monday closed; part week to Tuesday AM


@pytest.mark.browser
def test_the_example_on_the_page_is_the_example_the_button_loads(calculator, real_site):
    example = calculator.page.evaluate("EWSAttendance.EXAMPLE_4_4")
    html = (real_site / TOOL_PAGE).read_text(encoding="utf-8")
    import html as htmllib
    blocks = [htmllib.unescape(re.sub(r"<[^>]+>", "", b)) for b in re.findall(r"<pre[^>]*>(.*?)</pre>", html, re.S)]
    assert example in [b.strip() for b in blocks]


@pytest.mark.browser
def test_a_plain_week_and_rounding(calculator):
    total = totals(calculator, "2025-09-01 /\\ /\\ OO /\\ I\\")
    assert (total["possible"], total["attended"], total["authorised"], total["unauthorised"]) == (10, 7, 1, 2)
    assert total["percent"]["attendance"] == 70.0
    thirds = totals(calculator, "2025-09-01 /\\ O# ## ## ##")  # 3 possible: 2 present, 1 absent
    assert thirds["possible"] == 3
    assert thirds["percent"]["attendance"] == 66.67 and thirds["percent"]["unauthorised"] == 33.33


@pytest.mark.browser
def test_holidays_are_not_possible_sessions(calculator):
    total = totals(calculator, "2025-10-20 /\\ /\\ /\\ /\\ OO\n2025-10-27 ## ## ## ## ##")
    assert total["possible"] == 10 and total["notRequired"] == 10
    assert total["percent"]["attendance"] == 80.0
    weeks = calculate(calculator, "2025-10-27 ##########")["summary"]
    assert weeks["total"]["possible"] == 0
    assert weeks["total"]["percent"]["attendance"] is None
    assert weeks["persistentAbsence"]["absent"] is None  # nothing to measure against


@pytest.mark.browser
def test_a_part_week_counts_only_the_sessions_taken(calculator):
    total = totals(calculator, "2025-09-01 /\\ /\\ O- -- --")
    assert total["possible"] == 5 and total["noMark"] == 5
    assert total["percent"]["attendance"] == 80.0 and total["percent"]["unauthorised"] == 20.0


@pytest.mark.browser
def test_school_closed_and_not_required_codes_are_left_out_of_possible_sessions(calculator):
    total = totals(calculator, "2025-09-15 /\\ ## OO XX I\\\n2025-09-22 YY ZZ /\\ /\\ /\\")
    # week 1: 6 possible (/\, OO, I\); week 2: 6 possible
    assert total["possible"] == 12 and total["notRequired"] == 8
    assert (total["attended"], total["authorised"], total["unauthorised"]) == (9, 1, 2)
    assert total["percent"] == {"attendance": 75.0, "authorised": 8.33, "unauthorised": 16.67,
                                "absence": 25.0, "late": 0.0}


@pytest.mark.browser
def test_late_before_the_register_closes_is_present_and_after_is_unauthorised(calculator):
    total = totals(calculator, "2025-09-22 L\\ L\\ U\\ /\\ /\\")
    assert total["possible"] == 10 and total["attended"] == 9 and total["unauthorised"] == 1
    assert (total["late"], total["lateBeforeClose"], total["lateAfterClose"]) == (3, 2, 1)
    assert total["percent"]["attendance"] == 90.0 and total["percent"]["late"] == 30.0


@pytest.mark.browser
def test_approved_educational_activity_counts_as_present(calculator):
    total = totals(calculator, "2025-09-01 WW WW WW /\\ VV")
    assert total["attended"] == 10 and total["educational"] == 8 and total["absent"] == 0


@pytest.mark.browser
def test_persistent_absence_is_ten_percent_or_more_of_possible_sessions(calculator):
    def persistent(text):
        return calculate(calculator, text)["summary"]["persistentAbsence"]["absent"]
    good = "2025-09-08 /\\ /\\ /\\ /\\ /\\"
    assert persistent("2025-09-01 /\\ /\\ /\\ /\\ /O\n" + good) is False    # 1 of 20: 5%
    assert persistent("2025-09-01 /\\ /\\ /\\ /\\ IO\n" + good) is True     # 2 of 20: exactly 10%
    assert persistent("2025-09-01 /\\ /\\ /\\ /\\ /\\\n" + good) is False


@pytest.mark.browser
def test_pattern_by_weekday_and_weeks_in_date_order(calculator):
    summary = calculate(calculator, "2025-09-08 OO /\\ /\\ /\\ /\\\n2025-09-01 OO /\\ /\\ /\\ L\\")["summary"]
    assert [w["start"] for w in summary["weeks"]] == ["2025-09-01", "2025-09-08"]
    days = {d["day"]: d for d in summary["weekdays"]}
    assert days["Monday"]["possible"] == 4 and days["Monday"]["percent"]["attendance"] == 0.0
    assert days["Tuesday"]["percent"]["attendance"] == 100.0
    assert days["Friday"]["late"] == 1


@pytest.mark.browser
def test_dates_small_letters_and_spacing(calculator):
    one = totals(calculator, "01/09/2025 /\\/\\i\\/\\/\\")
    other = totals(calculator, "  2025-09-01   /\\ /\\ I\\ /\\ /\\  ")
    assert one == other and one["authorised"] == 1


@pytest.mark.browser
def test_an_unknown_code_is_an_error_not_a_guess(calculator):
    result = calculate(calculator, "2025-09-01 /\\ /\\ Q\\ /\\ /\\")
    assert result["summary"] is None
    [error] = result["errors"]
    assert error["line"] == 1 and "‘Q’" in error["message"] and "Wednesday morning" in error["message"]


@pytest.mark.browser
@pytest.mark.parametrize("text,expected", [
    ("2025-09-01 /\\ /\\ /\\ /\\ /", "has 9 marks"),
    ("2025-09-01 /\\ /\\ /\\ /\\ /\\ /\\", "has 12 marks"),
    ("2025-09-02 /\\ /\\ /\\ /\\ /\\", "is a Tuesday"),
    ("2025-02-30 /\\ /\\ /\\ /\\ /\\", "start the line with the date"),
    ("/\\ /\\ /\\ /\\ /\\", "start the line with the date"),
    ("2025-09-01 /\\ /\\ /\\ /\\ /\\\n2025-09-01 OO /\\ /\\ /\\ /\\", "already on line 1"),
    ("   \n\n", "Enter at least one week"),
])
def test_lines_that_cannot_be_read_are_reported(calculator, text, expected):
    result = calculate(calculator, text)
    assert result["summary"] is None
    assert any(expected in e["message"] for e in result["errors"]), result["errors"]


@pytest.mark.browser
@pytest.mark.parametrize("text,expected", [
    ("2025-09-01 /\\ /\\ /\\ /\\ /", "Llinell 1 (yr wythnos yn dechrau 1 Medi 2025): 9 o farciau sydd arni."),
    ("2025-09-01 /", "1 marc sydd arni"),
    ("2025-09-02 /\\ /\\ /\\ /\\ /\\", "Llinell 1: mae 2 Medi 2025 yn ddydd Mawrth."),
    ("2025-02-30 /\\ /\\ /\\ /\\ /\\", "dechreuwch y llinell â dyddiad y dydd Llun"),
    ("2025-09-01 /\\ /\\ /\\ /\\ /\\\n2025-09-01 OO /\\ /\\ /\\ /\\", "eisoes ar linell 1"),
    ("   \n\n", "Rhowch farciau ar gyfer o leiaf un wythnos"),
    ("2025-09-01 /\\ /\\ Q\\ /\\ /\\", "nid yw ‘Q’ (bore dydd Mercher) yn god"),
    ("2025-09-01 /\\ /\\ Q? /\\ /\\", "‘?’ (prynhawn dydd Mercher) yn godau"),
])
def test_on_a_welsh_page_the_problems_are_reported_in_welsh(calculator, text, expected):
    messages = in_welsh(calculator, lambda: [e["message"] for e in calculate(calculator, text)["errors"]])
    assert any(expected in m for m in messages), messages
    english = ("Line ", "week beginning", "mark", "is a ", "Monday", "Wednesday", "September", "Enter ", "code")
    assert not [word for word in english for m in messages if word in m], messages


@pytest.mark.browser
def test_on_a_welsh_page_the_figures_are_the_same_and_the_days_and_codes_welsh(calculator):
    example = calculator.page.evaluate("EWSAttendance.EXAMPLE_4_4")
    english = calculate(calculator, example)["summary"]
    welsh = in_welsh(calculator, lambda: calculate(calculator, example)["summary"])
    assert welsh["total"] == english["total"] and welsh["persistentAbsence"] == english["persistentAbsence"]
    assert [d["day"] for d in welsh["weekdays"]] == ["Dydd Llun", "Dydd Mawrth", "Dydd Mercher", "Dydd Iau",
                                                     "Dydd Gwener"]
    october, november = welsh["weeks"][5], welsh["weeks"][9]
    assert (october["label"], october["short"]) == ("7 Hydref 2013", "7 Hyd 2013")
    assert (november["label"], november["short"]) == ("4 Tachwedd 2013", "4 Tach 2013")
    meanings = {c["code"]: c["meaning"] for c in welsh["codesUsed"]}
    assert meanings["I"] == "Salwch" and meanings["#"] == "Ysgol ar gau i ddisgyblion"
    assert calculator.page.evaluate("EWSAttendance.language()") == "en"  # and back to English for the other tests


@pytest.mark.browser
def test_an_error_points_at_its_line(calculator):
    text = "2025-09-01 /\\ /\\ /\\ /\\ /\\\n2025-09-08 /\\ ?\\ /\\ /\\ /\\"
    [error] = calculate(calculator, text)["errors"]
    assert error["line"] == 2 and text[error["from"]:error["to"]] == text.splitlines()[1]


# ---- the page, offline ---------------------------------------------------------------------

@pytest.fixture
def offline_tool(real_site, browser):
    """The calculator page from file:// with the network cut off: http(s) requests and errors recorded."""
    contexts = []

    def open_page(width=1280, color_scheme="light", path=TOOL_PAGE):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=color_scheme)
        context.set_default_timeout(WAIT)
        contexts.append(context)
        requested, errors = [], []
        context.route("http*://**/*", lambda route: (requested.append(route.request.url), route.abort()))
        page = context.new_page()
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto((real_site / path).as_uri())
        return page, requested, errors

    yield open_page
    for context in contexts:
        context.close()


def load_example(page, button="Load the activity 4.4 example"):
    page.get_by_role("button", name=button).click()
    expect(page.locator("[data-results] svg.ews-chart")).to_have_count(2, timeout=WAIT)


@pytest.mark.browser
def test_the_example_shows_the_packs_figures_and_charts_offline(offline_tool):
    page, requested, errors = offline_tool()
    load_example(page)
    summary = page.locator("[data-summary]")
    expect(summary).to_contain_text("68.07%")
    expect(summary).to_contain_text("25.21%")
    expect(summary).to_contain_text("6.72%")
    expect(summary).to_contain_text("Persistently absent?Yes")
    expect(page.locator("[data-results]")).to_contain_text("reconstructed")
    expect(page.locator("#attendance-results")).to_be_focused()
    for chart in page.locator("[data-results] svg.ews-chart").all():
        assert chart.get_attribute("role") == "img"
        assert chart.locator("title").text_content().startswith("Attendance by")
        box = chart.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 100
        drawn = chart.evaluate("svg => [...svg.querySelectorAll('rect.ews-seg')].filter(r => "
                               "r.getBoundingClientRect().width > 0).length")
        assert drawn >= 5
    week_table = page.locator("table", has=page.locator("caption", has_text="Attendance by week"))
    expect(week_table.locator("tbody tr")).to_have_count(15)  # 14 weeks and the total
    expect(week_table.locator("tr.ews-total")).to_contain_text("68.07%")
    expect(week_table).to_contain_text("No possible sessions")  # half-term
    day_table = page.locator("table", has=page.locator("caption", has_text="Attendance by day"))
    expect(day_table.locator("tbody tr")).to_have_count(6)
    assert requested == [], f"the page tried to reach the network: {requested}"
    assert errors == []  # before axe-core, whose own attempts to read the stylesheets file:// refuses
    assert axe_violations(page, within="article") == []


@pytest.mark.browser
def test_the_code_list_comes_from_the_data_file(offline_tool):
    page, _, errors = offline_tool()
    rows = page.locator("[data-codes-table] tbody tr")
    expect(rows).to_have_count(len(register_code_data()["codes"]) + 1)  # and the calculator's '-'
    expect(page.locator("[data-codes-table]")).to_contain_text("not yet confirmed for Wales")
    assert errors == []
    assert axe_violations(page) == []  # the whole page, as it opens


@pytest.mark.browser
def test_errors_are_summarised_and_lead_to_the_line(offline_tool):
    page, requested, errors = offline_tool()
    box = page.get_by_label("Register marks, one week a line")
    box.fill("2025-09-01 /\\ /\\ /\\ /\\ /\\\n2025-09-08 /\\ Q\\ /\\ /\\ /\n2025-09-16 /\\ /\\ /\\ /\\ /\\")
    page.get_by_role("button", name="Calculate").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("has 9 marks")
    expect(summary).to_contain_text("‘Q’")
    expect(summary).to_contain_text("is a Tuesday")
    expect(page.locator("[data-field-error]")).to_contain_text("lines 2 and 3")
    expect(box).to_have_attribute("aria-invalid", "true")
    assert page.title().startswith("Error: ")
    expect(page.locator("[data-results]")).to_be_hidden()
    summary.get_by_role("link", name=re.compile("is a Tuesday")).click()
    expect(box).to_be_focused()
    selected = box.evaluate("t => t.value.slice(t.selectionStart, t.selectionEnd)")
    assert selected == "2025-09-16 /\\ /\\ /\\ /\\ /\\"
    box.fill("2025-09-15 /\\ /\\ /\\ /\\ /\\")
    page.get_by_role("button", name="Calculate").click()
    expect(page.locator("[data-summary]")).to_contain_text("100.00%")
    expect(summary).to_be_hidden()
    assert not page.title().startswith("Error: ")
    page.locator("[data-attendance-tool]").get_by_role("button", name="Clear").click()
    expect(box).to_have_value("")
    expect(page.locator("[data-results]")).to_be_hidden()
    assert requested == [] and errors == []


@pytest.mark.browser
def test_the_error_summary_is_accessible(offline_tool):
    page, _, errors = offline_tool()
    page.get_by_label("Register marks, one week a line").fill("2025-09-02 /\\ /\\ /\\ /\\ /\\\nnot a week")
    page.get_by_role("button", name="Calculate").click()
    expect(page.locator("[data-error-summary] li")).to_have_count(2)
    assert errors == []  # before axe-core, whose own attempts to read the stylesheets file:// refuses
    assert axe_violations(page, within="article") == []


@pytest.mark.browser
def test_the_page_fits_a_phone_with_no_sideways_scrolling(offline_tool):
    page, _, errors = offline_tool(width=360)
    load_example(page)
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    for table in page.locator("[data-results] .ews-table-wrap").all():
        assert table.evaluate("w => w.scrollWidth <= w.clientWidth + 1"), table.get_attribute("aria-label")
    assert errors == []


@pytest.mark.browser
def test_the_results_are_accessible_in_the_dark_scheme(offline_tool):
    page, _, errors = offline_tool(color_scheme="dark")
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    load_example(page)
    assert errors == []
    assert axe_violations(page, within="article") == []


# ---- the Welsh page: the same figures, every word in Welsh -----------------------------------

# Words the English page shows or gives a screen reader; none may be left on the Welsh page.
ENGLISH_WORDS = ("Results", "Possible", "Attendance", "Attended", "Authorised", "Unauthorised", "Late", "absence",
                 "Persistently", "Yes.", "pupil", "By week", "By day", "Week beginning", "All weeks", "All days",
                 "Codes used", "Meaning", "Counted as", "Sessions", "Monday", "Tuesday", "Friday", "September",
                 "Sep ", "Dec ", "attended", "possible session", "reconstructed", "not yet confirmed", "Lowest",
                 "Highest", "striped", "Present", "Illness", "No mark yet", "calculator", "Line ", "marks",
                 "There is a problem", "There are", "problems", "Error", "is a ", "week")


def welsh_page_words(page) -> str:
    """The tool's and the code list's text, their aria labels and the document title, as one string."""
    return page.evaluate("""() => {
        const parts = [document.title];
        for (const root of document.querySelectorAll('[data-attendance-tool], [data-code-list]')) {
            parts.push(root.textContent);
            for (const node of root.querySelectorAll('[aria-label]')) parts.push(node.getAttribute('aria-label'));
        }
        return parts.join(' | ');
    }""")


def english_left_on(page) -> list[str]:
    text = welsh_page_words(page)
    return [word for word in ENGLISH_WORDS if word in text]


@pytest.mark.browser
def test_the_welsh_page_gives_the_same_figures_in_welsh_offline(offline_tool):
    page, requested, errors = offline_tool(path=WELSH_TOOL_PAGE)
    assert page.get_attribute("html", "lang") == "cy"
    expect(page.locator("[data-codes-table]")).to_contain_text("heb eu cadarnhau eto ar gyfer Cymru")
    expect(page.locator("[data-codes-table]")).to_contain_text("Salwch")
    load_example(page, button="Llwytho enghraifft gweithgaredd 4.4")
    summary = page.locator("[data-summary]")
    expect(summary).to_contain_text("68.07%")
    expect(summary).to_contain_text("25.21%")
    expect(summary).to_contain_text("6.72%")
    expect(summary).to_contain_text("Absennol yn barhaus?Ydy")
    expect(summary).to_contain_text("Absenoldeb heb awdurdod25.21%: 30 sesiwn")
    results = page.locator("[data-results]")
    expect(results).to_contain_text("Canlyniadau")
    expect(results).to_contain_text("wedi'u hail-greu")
    expect(page.locator("#attendance-results")).to_be_focused()
    titles = page.locator("[data-results] svg.ews-chart title").all_text_contents()
    assert titles == ["Presenoldeb fesul wythnos", "Presenoldeb fesul diwrnod o'r wythnos"]
    week_table = page.locator("table", has=page.locator("caption", has_text="Presenoldeb fesul wythnos"))
    expect(week_table.locator("tbody tr")).to_have_count(15)
    expect(week_table.locator("tr.ews-total")).to_contain_text("Pob wythnos")
    expect(week_table.locator("tr.ews-total")).to_contain_text("68.07%")
    expect(week_table).to_contain_text("28 Hyd 2013")
    expect(week_table).to_contain_text("Dim sesiynau posibl")  # half-term
    day_table = page.locator("table", has=page.locator("caption", has_text="Presenoldeb fesul diwrnod"))
    expect(day_table.locator("tbody th")).to_have_text(["Dydd Llun", "Dydd Mawrth", "Dydd Mercher", "Dydd Iau",
                                                        "Dydd Gwener", "Pob diwrnod"])
    assert english_left_on(page) == []
    assert requested == [] and errors == []
    assert axe_violations(page, within="article") == []


def axe_reading_stylesheets(error: str) -> bool:
    """axe-core reads each stylesheet (the theme's and the handbook's own) with XMLHttpRequest, which file://
    refuses: its messages can arrive late."""
    return ("XMLHttpRequest" in error and ".css'" in error) or error.endswith("net::ERR_FAILED")


@pytest.mark.browser
def test_the_welsh_page_reports_problems_in_welsh(offline_tool):
    page, requested, errors = offline_tool(path=WELSH_TOOL_PAGE)
    box = page.get_by_label("Marciau cofrestr, un wythnos ar bob llinell")
    box.fill("2025-09-01 /\\ /\\ /\\ /\\ /\\\n2025-09-08 /\\ Q\\ /\\ /\\ /\n2025-09-16 /\\ /\\ /\\ /\\ /\\")
    page.get_by_role("button", name="Cyfrifo").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Mae problem")
    expect(summary).to_contain_text("9 o farciau sydd arni")
    expect(summary).to_contain_text("nid yw ‘Q’ (bore dydd Mawrth) yn god")
    expect(summary).to_contain_text("mae 16 Medi 2025 yn ddydd Mawrth")
    expect(page.locator("[data-field-error]")).to_contain_text("Gwall: Mae 3 o broblemau, ar linellau 2 a 3.")
    assert page.title().startswith("Gwall: ")
    assert english_left_on(page) == []
    assert errors == []  # before axe-core, whose own attempts to read the stylesheets file:// refuses
    assert axe_violations(page, within="article") == []
    errors.clear()  # and any of axe-core's refused reads still arriving are left out below
    summary.get_by_role("link", name=re.compile("yn ddydd Mawrth")).click()
    expect(box).to_be_focused()
    box.fill("2025-09-15 DD /\\ /\\ /\\ YY")
    page.get_by_role("button", name="Cyfrifo").click()
    expect(page.locator("[data-summary]")).to_contain_text("100.00%")
    expect(page.locator("[data-results]")).to_contain_text("yn enwedig D ac Y (gweler Codau a ddefnyddiwyd, isod)")
    expect(summary).to_be_hidden()
    assert not page.title().startswith("Gwall")
    assert english_left_on(page) == []
    assert requested == [] and [e for e in errors if not axe_reading_stylesheets(e)] == []


@pytest.mark.browser
def test_the_welsh_results_fit_a_phone(offline_tool):
    page, _, errors = offline_tool(width=360, path=WELSH_TOOL_PAGE)
    load_example(page, button="Llwytho enghraifft gweithgaredd 4.4")
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths
    for table in page.locator("[data-results] .ews-table-wrap").all():
        assert table.evaluate("w => w.scrollWidth <= w.clientWidth + 1"), table.get_attribute("aria-label")
    assert errors == []


def test_activity_4_4_and_the_register_codes_page_link_to_the_calculator(real_site):
    for page in ("section-4/activities/4-04.html", "reference/register-codes.html"):
        html = (real_site / page).read_text(encoding="utf-8")
        assert re.search(r'href="[./]*(reference/)?attendance-calculator\.html"', html), page
