"""Browser journeys for reflections, quizzes, development plans and supervision, in a real
headless Chromium against the real tracker, with axe-core on every page visited."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from browser import assert_accessible, menu, new_page, sign_in

pytestmark = pytest.mark.browser


def test_inductee_writes_and_shares_a_reflection_and_the_manager_comments(browser, live_tracker):
    base = live_tracker.url
    inductee, manager = new_page(browser, []), new_page(browser, [])
    sign_in(inductee, base, "inductee@example.org")
    menu(inductee, "Reflective log").click()
    assert_accessible(inductee, "the reflective log")
    inductee.get_by_role("link", name="Write a reflection").click()
    inductee.get_by_label("Title").fill("Shadowing a court hearing")
    inductee.get_by_label("What?", exact=True).fill("I sat in on a prosecution hearing with a senior colleague.")
    inductee.get_by_label("So what?", exact=True).fill("I had not realised how much the evidence bundle matters.")
    inductee.get_by_label("Now what?", exact=True).fill("I will keep case notes as if a magistrate might read them.")
    inductee.get_by_label("Linked activity (optional)").select_option("3.4")
    assert_accessible(inductee, "the reflection form")
    inductee.get_by_role("button", name="Save reflection").click()
    expect(inductee.get_by_text("Only you can see it until you share it.")).to_be_visible()
    expect(inductee.get_by_text("Private", exact=True)).to_be_visible()
    inductee.get_by_role("button", name="Share with my manager").click()
    expect(inductee.get_by_text("Shared with your manager.")).to_be_visible()
    assert_accessible(inductee, "a shared reflection")

    sign_in(manager, base, "manager@example.org")
    menu(manager, "Shared reflections").click()
    manager.get_by_role("link", name="Shadowing a court hearing").click()
    expect(manager.get_by_text("I had not realised how much the evidence bundle matters.")).to_be_visible()
    manager.get_by_label("Your comment").fill("Good point about the bundle. Bring your notes to supervision.")
    assert_accessible(manager, "the manager's view of a reflection")
    manager.get_by_role("button", name="Add comment").click()
    inductee.reload()
    expect(inductee.get_by_text("Good point about the bundle. Bring your notes to supervision.")).to_be_visible()


def test_identifying_details_warning_in_the_browser(browser, live_tracker):
    page = new_page(browser, [])
    sign_in(page, live_tracker.url, "inductee@example.org")
    page.goto(live_tracker.url + "/reflections/new")
    page.get_by_label("Title").fill("Visit")
    page.get_by_label("What?", exact=True).fill("I visited the family at CF10 1AA.")
    page.get_by_label("So what?", exact=True).fill("It went well.")
    page.get_by_label("Now what?", exact=True).fill("Follow up next week.")
    page.get_by_role("button", name="Save reflection").click()
    expect(page.get_by_text(re.compile("This may identify a child or family: a postcode"))).to_be_visible()
    expect(page.get_by_label("What?", exact=True)).to_have_value("I visited the family at CF10 1AA.")
    assert_accessible(page, "the identifying-details warning")
    page.get_by_label("What?", exact=True).fill("I visited a family at home.")
    page.get_by_role("button", name="Save anyway").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Visit")


def test_inductee_takes_quiz_3_1_and_sees_feedback(browser, live_tracker):
    from tracker.content import project
    with live_tracker.app.app_context():
        quiz = project().quizzes["legal-powers"]
    page = new_page(browser, [])
    sign_in(page, live_tracker.url, "inductee@example.org")
    menu(page, "Quizzes").click()
    page.get_by_role("link", name=quiz.title).click()
    html = page.content()
    assert all(q.explanation[:60] not in html for q in quiz.questions), "answers reached the browser"
    assert_accessible(page, "quiz 3.1")
    first = page.locator("fieldset").first  # question 1: choose an answer as a person would, leave the rest
    first.get_by_role("radio").first.check()
    page.get_by_role("button", name="Submit answers").click()
    summary = page.locator(".govuk-error-summary")  # refused: every question needs an answer
    expect(summary.get_by_role("link")).to_have_count(len(quiz.questions) - 1)
    expect(first.get_by_role("radio").first).to_be_checked()  # what was answered is kept
    assert all(q.explanation[:60] not in page.content() for q in quiz.questions), "a refused attempt showed answers"
    assert_accessible(page, "quiz 3.1 with questions unanswered")
    for fieldset in page.locator("fieldset").all()[1:]:
        fieldset.get_by_role("radio").first.check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Passed|Not passed yet"))
    expect(page.get_by_text(re.compile(rf"\d+ of {len(quiz.questions)} \(\d+%\)"))).to_be_visible()
    expect(page.get_by_text(f"Attempt 1 of {quiz.attempts}")).to_be_visible()
    for q in quiz.questions:
        expect(page.get_by_text(q.source, exact=True).first).to_be_visible()
    expect(page.get_by_text(re.compile("Question 2: (Right|Wrong)"))).to_be_visible()
    assert_accessible(page, "the quiz results")


def test_inductee_writes_a_development_plan(browser, live_tracker):
    page = new_page(browser, [])
    sign_in(page, live_tracker.url, "inductee@example.org")
    menu(page, "Development plan").click()
    assert_accessible(page, "the development plan form")
    page.get_by_label("My strengths").fill("Building rapport with young people")
    page.get_by_label("In the next three months I want to").fill("Lead a home visit on my own")
    page.get_by_label("Objective for objective 1").fill("Understand school attendance orders")
    page.get_by_label("Action for objective 1").fill("Shadow a senior EWO through one case")
    page.get_by_label("Status for objective 1").select_option("In progress")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.get_by_text("Development plan saved as version 1.")).to_be_visible()
    expect(page.get_by_label("Objective for objective 1")).to_have_value("Understand school attendance orders")
    page.get_by_label("My strengths").fill("Building rapport; clear notes")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.get_by_role("link", name=re.compile("Version 1,"))).to_be_visible()  # the earlier version is kept


def test_manager_records_supervision_and_the_inductee_confirms(browser, live_tracker):
    base = live_tracker.url
    dafydd = live_tracker.ids["inductee@example.org"]
    manager, inductee = new_page(browser, []), new_page(browser, [])
    sign_in(manager, base, "manager@example.org")
    manager.goto(f"{base}/team/{dafydd}")
    manager.locator("main").get_by_role("link", name="Supervision", exact=True).click()
    assert_accessible(manager, "the supervision overview")
    manager.get_by_role("link", name="Record a supervision session").click()
    held = dt.date.today() - dt.timedelta(days=2)  # never the demo's own session, held on the first day
    manager.get_by_label("Date of the session").fill(held.isoformat())
    manager.get_by_label("Agenda").fill("Progress on Section 3; wellbeing")
    manager.get_by_label("Decisions").fill("Start Section 4 next week")
    manager.get_by_label("What needs doing for action 1").fill("Read the register codes page")
    manager.get_by_label("Due date for action 1").fill((held + dt.timedelta(days=7)).isoformat())
    assert_accessible(manager, "the supervision session form")
    manager.get_by_role("button", name="Save session record").click()
    expect(manager.get_by_text("Waiting for the inductee to confirm")).to_be_visible()

    sign_in(inductee, base, "inductee@example.org")
    menu(inductee, "Supervision").click()
    expect(inductee.locator("#open-actions")).to_contain_text("Read the register codes page")
    inductee.get_by_role("link", name=f"{held.day} {held:%B %Y}").click()
    expect(inductee.get_by_text("Start Section 4 next week")).to_be_visible()
    assert_accessible(inductee, "a supervision record")
    inductee.get_by_role("button", name="Confirm this record").click()
    expect(inductee.get_by_text("Confirmed by the inductee")).to_be_visible()
    inductee.get_by_role("link", name="Printable version of all supervision records").click()
    expect(inductee.get_by_text("Progress on Section 3; wellbeing")).to_be_visible()


def test_portfolio_page_and_pdf(browser, live_tracker):
    page = new_page(browser, [])
    sign_in(page, live_tracker.url, "inductee@example.org")
    menu(page, "Portfolio").click()
    expect(page.get_by_role("heading", name="Completed activities")).to_be_visible()
    assert_accessible(page, "the portfolio")
    href = page.get_by_role("link", name="Download as PDF").get_attribute("href")
    response = page.request.get(live_tracker.url + href)
    assert response.status == 200 and response.body()[:5] == b"%PDF-"
