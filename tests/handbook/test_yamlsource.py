"""Reading YAML (handbook/yamlsource.py): the quick way values are built gives exactly what PyYAML's own
constructor gives, repeated keys are still named with their line, and a file that cannot be read says why."""
from __future__ import annotations

import pytest
import yaml

from handbook.yamlsource import ContentLoader, parse_yaml

SAME_AS_PYYAML = {
    "every kind of value": "a: 1\nb: 1.4\nc: true\nd: null\ne: 2026-11-01\nf: [x, 2, {g: h}]\n'1.10': id\ny: 0x1F\n",
    "a merge key": "base: &b {x: 1, y: two}\nchild:\n  <<: *b\n  z: 3\n",
    "an alias": "first: &a [one, two]\nsecond: *a\n",
    "nested text": "parts:\n  - title: Read\n    prompts: [What did you notice?, 'So what?']\n",
}


@pytest.mark.parametrize("text", SAME_AS_PYYAML.values(), ids=SAME_AS_PYYAML.keys())
def test_values_are_what_pyyaml_makes(text):
    document, errors = parse_yaml(text, "activities/x.yml")
    assert errors == []
    expected = yaml.load(text, Loader=ContentLoader)  # noqa: S506 - ContentLoader is a SafeLoader
    assert document.data == expected and repr(document.data) == repr(expected)


@pytest.mark.parametrize("text,where", [("a: 1\na: 2\n", "activities/x.yml:2 a"),
                                        ("k: {a: 1, a: 2}\n", "activities/x.yml:1 k.a"),
                                        ("m:\n  <<: {x: 1}\n  y: 2\n  y: 3\n", "activities/x.yml:4 m.y")])
def test_a_repeated_key_is_named_with_its_line(text, where):
    _, errors = parse_yaml(text, "activities/x.yml")
    assert [str(e) for e in errors] == [f"{where}: duplicate key"]


def test_a_value_that_holds_itself_is_a_clear_error_not_a_crash():
    document, errors = parse_yaml("l: &l [1, *l]\n", "activities/x.yml")
    assert document is None
    assert [str(e) for e in errors] == ["activities/x.yml YAML error: an alias inside its own anchor"
                                        " (a value that holds itself)"]
