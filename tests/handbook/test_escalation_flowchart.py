"""The escalation route for non-attendance on the legal powers overview: a flowchart drawn in HTML
and CSS (no image, nothing fetched), with the same route as a numbered list, in the built page and in
headless Chromium from file:// with the network cut off."""
from __future__ import annotations

import html
import re

import pytest
from playwright.sync_api import expect

from browser import axe_violations

PAGE = "reference/legal-powers/index.html"
WAIT = 30_000  # ms: a generous deadline for a condition, never a fixed pause
STEPS = [
    "The school acts first",
    "Referral to the EWS",
    "Assessment and support",
    "Parenting contract",
    "Formal warning",
    "Penalty notice",
    "Legal action",
]
OUTCOMES = ["Education supervision order", "Prosecution"]


def plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


@pytest.fixture(scope="module")
def page_html(real_site) -> str:
    return (real_site / PAGE).read_text(encoding="utf-8")


def flowchart(page_html: str) -> str:
    match = re.search(r'<div class="ews-flow" role="img" aria-label="([^"]+)">(.*?)</div>\s*<h3', page_html, re.S)
    assert match, "no flowchart (div.ews-flow with role=img) before the text version's heading"
    return match.group(0)


def test_the_flowchart_is_in_the_built_page_with_its_steps_in_order(page_html):
    chart = flowchart(page_html)
    label = re.search(r'aria-label="([^"]+)"', chart).group(1)
    assert "numbered list" in label  # tells a screen reader user where the words are
    boxes = [plain(b) for b in re.findall(r"<strong>(.*?)</strong>", chart, re.S)]
    assert [re.sub(r"^\d+\. ", "", b) for b in boxes[:7]] == [
        "The school acts first", "Referral to the EWS", "Assessment and support", "Parenting contract (optional)",
        "Formal warning", "Penalty notice", "Legal action: the authority decides"]
    assert boxes[7:] == OUTCOMES
    assert re.search(r'class="ews-flow-branch"', chart)
    for law in ["Anti-social Behaviour Act 2003 s19", "ss444A–444B", "Children Act 1989 s36",
                "Crime and Disorder Act 1998 s8"]:
        assert law in plain(chart), law
    assert "<img" not in chart and "<svg" not in chart and "http" not in chart


def test_the_route_is_also_a_numbered_list_with_links_to_each_power(page_html):
    after = page_html.split('id="the-route-in-words"', 1)
    assert len(after) == 2, "no 'The route in words' heading"
    ordered = re.search(r"<ol>(.*?)</ol>", after[1], re.S).group(1)
    items = re.findall(r"<li>(.*?)(?=<li>|\Z)", ordered, re.S)
    top = [plain(re.search(r"<strong>(.*?)</strong>", i, re.S).group(1)) for i in items
           if re.match(r"\s*<strong>", i)]
    assert len(top) == 7
    for text, step in zip(top, STEPS, strict=True):
        assert text.startswith(step), (text, step)
    words = plain(ordered)
    for outcome in ("education supervision order", "prosecution"):
        assert outcome in words.lower()
    for link in ["parenting-contracts-and-orders.html", "penalty-notices.html",
                 "education-supervision-orders.html", "non-attendance-offences.html"]:
        assert f'href="{link}"' in ordered, link
    # the conditions that decide each step
    for condition in ["voluntary", "cannot be made to sign", "threshold", "no underlying cause",
                      "no s444 prosecution is being considered", "£60 within 28 days", "£120 within 42 days",
                      "Full Code Test", "PACE", "not for a child in care", "parenting order"]:
        assert condition in words, condition


def test_section_3_links_to_the_route(real_site):
    text = (real_site / "section-3/3a-understanding-legal-powers.html").read_text(encoding="utf-8")
    assert 'href="../reference/legal-powers/index.html#the-escalation-route-for-non-attendance"' in text


@pytest.mark.browser
@pytest.mark.parametrize("width,scheme", [(1280, "light"), (360, "light"), (1280, "dark")])
def test_the_flowchart_renders_offline_fits_and_is_accessible(real_site, browser, width, scheme):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    context.set_default_timeout(WAIT)
    requested, errors = [], []
    context.route("http*://**/*", lambda route: (requested.append(route.request.url), route.abort()))
    page = context.new_page()
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto((real_site / PAGE).as_uri())
        chart = page.locator(".ews-flow")
        expect(chart).to_be_visible()
        expect(chart).to_have_attribute("role", "img")
        boxes = chart.locator(".ews-flow-step, .ews-flow-branch > div")
        expect(boxes).to_have_count(9)
        tops = [b["y"] for b in (boxes.nth(i).bounding_box() for i in range(9))]
        assert tops[:8] == sorted(tops[:8]), "the steps run down the page in order"
        eso, prosecution = boxes.nth(7).bounding_box(), boxes.nth(8).bounding_box()
        if width >= 1000:
            assert eso["y"] == prosecution["y"] and eso["x"] < prosecution["x"]  # the fork, side by side
        else:
            assert prosecution["y"] > eso["y"]  # stacked on a phone
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"sideways scrolling at {width}px: {widths}"
        chart_box = chart.bounding_box()
        assert chart_box["x"] >= 0 and chart_box["x"] + chart_box["width"] <= width
        expect(page.locator("#the-route-in-words + ol > li")).to_have_count(7)
        assert requested == [] and errors == []
        assert axe_violations(page, within="article") == []
    finally:
        context.close()
