"""How a quiz question's answer is written and how a typed short answer is compared.

One rule for the site (self-check pages) and the tracker (scoring on the server)."""
from __future__ import annotations

import re
import unicodedata

LETTERS = "ABCDEFGHIJ"  # option letters; a question has at most ten options

_UNITS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
    " sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * n for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
# Words that change nothing about an answer: "the Police and Criminal Evidence Act" is
# "Police and Criminal Evidence Act", "my ID" is "ID".
_FILLER = {"a", "an", "the", "my", "your", "their", "his", "her", "our", "its"}


def answer_text(question, letters: bool = True, gettext=lambda text: text) -> str:
    """The right answer in words: 'B. The parent', 'True', or the first accepted short answer."""
    def option(index: int) -> str:
        return f"{LETTERS[index]}. {question.options[index]}" if letters else question.options[index]
    if question.kind == "single":
        return option(question.answer)
    if question.kind == "multiple":
        return "; ".join(option(i) for i in sorted(set(question.answers)))
    if question.kind == "true-false":
        return gettext("True") if question.answer else gettext("False")
    return question.accepted[0]


def _numbers_to_digits(words: list[str]) -> list[str]:
    """'twenty one days' -> ['21', 'days']; 'one hundred' -> ['100']."""
    out: list[str] = []
    value: int | None = None
    for word in words:
        if word in _UNITS or word in _TENS:
            number = _UNITS.get(word, _TENS.get(word))
            if value is not None and value % 10 == 0 and value % 100 >= 20 and number < 10:
                value += number  # twenty one
            elif value is not None and value % 100 == 0 and value >= 100 and number < 100:
                value += number  # one hundred and five (the "and" is dropped below)
            else:
                if value is not None:
                    out.append(str(value))
                value = number
        elif word == "hundred" and value is not None and value < 10:
            value *= 100
        elif word == "and" and value is not None and value >= 100:
            continue
        else:
            if value is not None:
                out.append(str(value))
                value = None
            out.append(word)
    if value is not None:
        out.append(str(value))
    return out


def normalise(text: str) -> str:
    """Fold case, width and punctuation; number words become digits; 'per cent' becomes '%'.

    'At least fifteen days.' -> 'at least 15 days'; '60 %' and 'sixty per cent' -> '60%'."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)           # 1,000 -> 1000
    text = re.sub(r"\bper\s*cent\b|\bpercent\b", "%", text)
    text = re.sub(r"[^\w%]+", " ", text).replace("_", " ")   # punctuation and hyphens are spaces
    words = [w for w in text.split() if w not in _FILLER]
    joined = " ".join(_numbers_to_digits(words))
    return re.sub(r"(\d) %", r"\1%", joined)


def short_answer_matches(answer: str, accepted: list[str]) -> bool:
    given = normalise(answer)
    return bool(given) and given in {normalise(a) for a in accepted}
