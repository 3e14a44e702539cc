"""The content model: sections, activities, case studies, quizzes and page front matter.

Every definition is validated by pydantic; the loader turns pydantic's error
locations into 'file:line field: message'.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from .answers import LETTERS
from .due import parse_due
from .timeestimate import TimeEstimate, parse_time_estimate
from .words import N_

# Section ids come from sections/*.yml: numbered sections ("1" to "99") and lettered appendices ("A").
SECTION_ID = re.compile(r"^(?:[1-9]\d?|[A-Z])$")
ACTIVITY_KINDS = ("individual", "with-manager", "shadowing", "reading", "online-link")
# Methods in a section overview: the pack's six icons.
METHODS = ("read", "framework", "individual", "with-manager", "shadowing", "online")
KIND_LABELS = {
    "individual": N_("Individual activity"),
    "with-manager": N_("With a manager or experienced colleague"),
    "shadowing": N_("Shadowing"),
    "reading": N_("Reading"),
    "online-link": N_("Online link"),
}
METHOD_LABELS = {
    "read": N_("Read"),
    "framework": N_("Framework link"),
    "individual": N_("Individual activity"),
    "with-manager": N_("With a manager"),
    "shadowing": N_("Shadowing"),
    "online": N_("Online link"),
}
ACTIVITY_ID = re.compile(r"^([1-9]\d?)\.(\d{1,4})$")


def section_order(section_id: str) -> tuple:
    """Numbered sections in number order (2 before 10), then appendices by letter."""
    return (0, int(section_id), "") if section_id.isdigit() else (1, 0, section_id)


def _section_id(value: str) -> str:
    if not SECTION_ID.match(value):
        raise ValueError("section id must be a number like '3' or a capital letter like 'A' (write it in quotes)")
    return value


SectionId = Annotated[str, AfterValidator(_section_id)]
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

Text = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    """Unknown fields are errors: a typo in a key must not vanish silently."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


def _time_estimate(value: str) -> str:
    parse_time_estimate(value)  # raises ValueError with a readable message
    return value


def _due(value: str | None) -> str | None:
    if value is not None:
        parse_due(value)  # raises ValueError with a readable message
    return value


class Source(Strict):
    title: Text
    url: str | None = None
    note: str | None = None


# ---- sections -------------------------------------------------------------

class OverviewItem(Strict):
    method: Literal[METHODS]
    time: Text
    activity: str | None = None
    note: str | None = None

    _check_time = field_validator("time")(_time_estimate)


class Element(Strict):
    id: Text  # '1.a'
    title: Text
    page: Text  # Markdown page under content/, e.g. section-1/1a-introduction.md
    overview: list[OverviewItem] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _element_id(cls, value: str) -> str:
        if not re.fullmatch(r"(?:[1-9]\d?|[A-Z])\.[a-z]", value):
            raise ValueError("element id must look like '1.a'")
        return value


class Section(Strict):
    id: SectionId
    title: Text
    summary: str = ""
    aims: list[Text] = Field(min_length=1)
    elements: list[Element] = Field(min_length=1)
    due: str | None = None  # when its activities are usually done, unless they say (handbook/due.py)

    _check_due = field_validator("due")(_due)

    @model_validator(mode="after")
    def _elements_belong(self) -> "Section":
        for element in self.elements:
            if not element.id.startswith(self.id + "."):
                raise ValueError(f"element {element.id} does not belong to section {self.id}")
        return self

    @property
    def slug(self) -> str:
        return f"section-{self.id}" if self.id.isdigit() else f"appendix-{self.id.lower()}"

    @property
    def label(self) -> str:
        return f"Section {self.id}" if self.id.isdigit() else f"Appendix {self.id}"


# ---- case studies -----------------------------------------------------------

class CaseStudyPart(Strict):
    title: Text
    text: str = ""
    questions: list[Text] = Field(default_factory=list)


class CaseStudy(Strict):
    id: Text
    title: Text
    story: Text
    questions: list[Text] = Field(default_factory=list)
    parts: list[CaseStudyPart] = Field(default_factory=list)
    source: str | None = None

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG.match(value):
            raise ValueError("case study id must be lower-case words joined by hyphens, e.g. 'annie-thomas'")
        return value

    @model_validator(mode="after")
    def _has_questions(self) -> "CaseStudy":
        if not self.questions and not self.parts:
            raise ValueError("a case study needs questions or parts")
        return self


class CaseStudyRef(Strict):
    ref: Text


# ---- activities -------------------------------------------------------------

class FrameworkReference(Strict):
    document: Text
    where: str = ""
    note: str | None = None


class ActivityPart(Strict):
    title: Text
    intro: str = ""
    prompts: list[Text] = Field(min_length=1)


class Activity(Strict):
    id: Text
    section: SectionId
    element: str | None = None
    title: Text
    kind: Literal[ACTIVITY_KINDS]
    time: Text
    framework: list[FrameworkReference] = Field(default_factory=list)
    summary: Text
    parts: list[ActivityPart] = Field(default_factory=list)
    case_studies: list[Union[CaseStudyRef, CaseStudy]] = Field(default_factory=list)
    evidence: list[Text] = Field(default_factory=list)
    sign_off: bool = True
    tags: list[Text] = Field(default_factory=list)
    links: list[Source] = Field(default_factory=list)
    due: str | None = None  # when it is usually done, e.g. 'week 2' (planning, not part of its version)
    standards: list[Text] = Field(default_factory=list)  # ids in standards.yml that the activity evidences

    _check_time = field_validator("time")(_time_estimate)
    _check_due = field_validator("due")(_due)

    @field_validator("id")
    @classmethod
    def _activity_id(cls, value: str) -> str:
        if not ACTIVITY_ID.match(value):
            raise ValueError("activity id must look like '1.4' or '2.13' (write it in quotes)")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "Activity":
        if self.id.split(".")[0] != self.section:
            raise ValueError(f"activity {self.id} is not in section {self.section}")
        if not self.parts and not self.case_studies:
            raise ValueError("an activity needs parts with prompts or case studies")
        return self

    @property
    def estimate(self) -> TimeEstimate:
        return parse_time_estimate(self.time)

    @property
    def number(self) -> tuple[int, int]:
        section, item = self.id.split(".")
        return int(section), int(item)


# ---- quizzes ----------------------------------------------------------------

class QuestionBase(Strict):
    prompt: Text
    explanation: Text
    source: Text


class SingleChoice(QuestionBase):
    kind: Literal["single"]
    options: list[Text] = Field(min_length=2, max_length=len(LETTERS))
    answer: int = Field(ge=0, description="index of the right option, counting from 0")

    @model_validator(mode="after")
    def _answer_in_range(self) -> "SingleChoice":
        if self.answer >= len(self.options):
            raise ValueError(f"answer {self.answer} is not an option (0 to {len(self.options) - 1})")
        return self


class MultipleChoice(QuestionBase):
    kind: Literal["multiple"]
    options: list[Text] = Field(min_length=2, max_length=len(LETTERS))
    answers: list[Annotated[int, Field(ge=0)]] = Field(min_length=1)

    @model_validator(mode="after")
    def _answers_in_range(self) -> "MultipleChoice":
        bad = [a for a in self.answers if a >= len(self.options)]
        if bad:
            raise ValueError(f"answers {bad} are not options (0 to {len(self.options) - 1})")
        return self


class TrueFalse(QuestionBase):
    kind: Literal["true-false"]
    answer: bool


class ShortAnswer(QuestionBase):
    kind: Literal["short-answer"]
    accepted: list[Text] = Field(min_length=1)


Question = Annotated[Union[SingleChoice, MultipleChoice, TrueFalse, ShortAnswer], Field(discriminator="kind")]


class Quiz(Strict):
    id: Text
    title: Text
    activity: str | None = None
    intro: str = ""
    pass_mark: int = Field(ge=1, le=100, description="percentage needed to pass")
    # strict: YAML's `yes` or "3" is a typo to report, not a number of attempts
    attempts: int | None = Field(default=None, ge=1, strict=True,
                                 description="how many times a person may take the quiz; absent: no limit")
    questions: list[Question] = Field(min_length=1)
    tags: list[Text] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG.match(value):
            raise ValueError("quiz id must be lower-case words joined by hyphens, e.g. 'legal-powers'")
        return value


# ---- Markdown pages -----------------------------------------------------------

class SearchSettings(Strict):
    boost: float = Field(default=1, gt=0, le=10)
    exclude: bool = False


class PageMeta(Strict):
    title: Text
    description: str | None = None
    reviewed: dt.date
    sources: list[Source] = Field(min_length=1)
    tags: list[Text] = Field(default_factory=list)
    order: int | None = None  # position among its siblings in the navigation
    hide: list[str] = Field(default_factory=list)
    search: SearchSettings | None = None  # Material's per-page search boost


# ---- glossary -----------------------------------------------------------------------

class GlossaryTerm(Strict):
    term: Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[A-Za-z][A-Za-z0-9&]*$")]
    meaning: Text
    note: str | None = None


class Glossary(Strict):
    terms: list[GlossaryTerm] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> "Glossary":
        seen = set()
        for term in self.terms:
            if term.term in seen:
                raise ValueError(f"term {term.term} is defined twice")
            seen.add(term.term)
        return self


# ---- standards ----------------------------------------------------------------------

STANDARD_ID = re.compile(r"^[A-Z]{1,4}[0-9]{1,3}$")


class Standard(Strict):
    id: Text
    title: Text
    text: Text

    @field_validator("id")
    @classmethod
    def _standard_id(cls, value: str) -> str:
        if not STANDARD_ID.match(value):
            raise ValueError("standard id must be capital letters then a number, like 'SS1' or 'AP4'")
        return value


class StandardsGroup(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    title: Text
    source: Text
    standards: list[Standard] = Field(min_length=1)


class Standards(Strict):
    """The standards the service works to (standards.yml): what activities evidence."""
    groups: list[StandardsGroup] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> "Standards":
        seen = set()
        for standard in self.all():
            if standard.id in seen:
                raise ValueError(f"standard {standard.id} is defined twice")
            seen.add(standard.id)
        return self

    def all(self) -> list[Standard]:
        return [standard for group in self.groups for standard in group.standards]

    def by_id(self) -> dict[str, Standard]:
        return {standard.id: standard for standard in self.all()}

    def group_of(self, standard_id: str) -> StandardsGroup | None:
        return next((g for g in self.groups if any(s.id == standard_id for s in g.standards)), None)
