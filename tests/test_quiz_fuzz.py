"""Whatever an instructor types, the validator answers with problems, never a crash."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from quiz.bank import load_bank
from quiz.limits import MAX_DEPTH
from quiz.problems import Problem

FIELDS = ["id", "type", "section", "prompt", "options", "answer", "explanation", "hint", "blanks",
          "items", "reference", "rubric", "feedback", "text", "tags", "difficulty", "exercises", "title", "对"]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
    st.sampled_from(["single", "multiple", "true_false", "fill", "order", "open", "A", "B", "对",
                     "p.md#x", "____", "demo-1"]),
    st.text(max_size=12),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(FIELDS), inner, max_size=6),
    ),
    max_leaves=25,
)
documents = st.one_of(
    values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
    st.dictionaries(st.just("exercises"), st.lists(values, max_size=3)).map(
        lambda v: yaml.safe_dump(v, allow_unicode=True)
    ),
    st.text(max_size=200),
    st.binary(max_size=100),
)


def problems_of(document: str | bytes) -> list[Problem]:
    """The problems load_bank finds in a folder holding `document` as its one exercise file."""
    folder = Path(tempfile.mkdtemp())
    try:
        shutil.copy(ROOT / "exercises" / "schema.json", folder / "schema.json")
        target = folder / "fuzz.yml"
        target.write_bytes(document if isinstance(document, bytes) else document.encode("utf-8"))
        problems = load_bank(folder, folder).problems
        assert all(isinstance(p, Problem) and p.line >= 1 and p.format() for p in problems)
        return problems
    finally:
        shutil.rmtree(folder)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_random_documents_only_ever_give_problems(document):
    problems_of(document)


# Nesting: block mappings, then flow lists and mappings inside them, closed or not.
@st.composite
def nested(draw):
    block = draw(st.integers(0, 2 * MAX_DEPTH))
    flow = draw(st.lists(st.sampled_from([("[", "]"), ("{a: ", "}"), ("[1, ", ", 2]")]),
                         max_size=2 * MAX_DEPTH))
    flow *= draw(st.sampled_from([1, 1, 1, 1000]))  # now and then far past any limit
    closed = draw(st.booleans())
    keys = draw(st.lists(st.sampled_from(FIELDS), min_size=block, max_size=block))
    text = "".join("  " * level + f"{key}:\n" for level, key in enumerate(keys))
    text += "  " * block + "".join(o for o, _ in flow) + "x" + ("".join(c for _, c in reversed(flow)) if closed else "")
    return text, block + len(flow), closed or not flow


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nested())
def test_nesting_past_the_limit_is_one_problem(case):
    text, depth, closed = case
    problems = problems_of(text)
    deep = [p for p in problems if f"超过了 {MAX_DEPTH} 层" in p.message]
    if depth > MAX_DEPTH:
        assert len(problems) == 1 and deep
    else:
        assert not deep
        assert closed or any("YAML 格式错误" in p.message for p in problems)


# Anchors and aliases: nested laughs of any size, or any value written twice (PyYAML dumps that as &id001 … *id001).
@st.composite
def aliased(draw):
    if draw(st.booleans()):
        names = draw(st.lists(st.from_regex(r"[a-z][a-z0-9_-]{0,6}", fullmatch=True),
                              min_size=1, max_size=10, unique=True))
        fan_out = draw(st.integers(1, 12))
        lines = [f"{names[0]}: &{names[0]} [{', '.join(['lol'] * fan_out)}]"]
        lines += [f"{name}: &{name} [{', '.join([f'*{before}'] * fan_out)}]" for before, name in zip(names, names[1:])]
        return "\n".join(lines) + "\n", names[0]
    shared = draw(st.one_of(st.lists(values, max_size=3), st.dictionaries(st.sampled_from(FIELDS), values, max_size=3)))
    return yaml.safe_dump({"exercises": [shared, shared]}, allow_unicode=True), "id001"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(aliased())
def test_anchors_and_aliases_are_one_problem(case):
    text, first_anchor = case
    problems = problems_of(text)
    assert len(problems) == 1
    assert f"不支持 YAML 的锚点和引用（这里是 &{first_anchor}）" in problems[0].message


exercise_like = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["demo-1", "Demo 1", "x"]),
        "type": st.sampled_from(["single", "multiple", "true_false", "fill", "order", "open", "单选"]),
        "section": st.sampled_from(["lesson.md#小节", "lesson#x", "a.md#b"]),
        "prompt": st.sampled_from(["题干", ""]),
    },
    optional={
        "options": st.lists(st.fixed_dictionaries({"text": st.sampled_from(["甲", ""])},
                                                  optional={"feedback": st.just("说明")}), max_size=3),
        "answer": st.one_of(st.sampled_from(["A", "B", "对", "Z1"]), st.lists(st.sampled_from(["A", "B", "C"]), max_size=3)),
        "explanation": st.sampled_from(["解析", ""]),
        "blanks": st.lists(st.lists(st.sampled_from(["分析", ""]), max_size=2), max_size=2),
        "items": st.lists(st.just("步骤"), max_size=3),
        "reference": st.just("参考"),
        "rubric": st.lists(st.just("要点"), max_size=3),
        "feedback": st.dictionaries(st.sampled_from(["对", "错", "x"]), st.just("说明"), max_size=2),
        "difficulty": st.sampled_from(["基础", "难"]),
        "tags": st.lists(st.sampled_from(["甲", "乙"]), max_size=2),
    },
)


@settings(max_examples=400, deadline=None)
@given(st.fixed_dictionaries({"exercises": st.lists(exercise_like, max_size=2)}, optional={"title": st.just("练习")}))
def test_fast_gate_and_jsonschema_always_agree(document):
    # The fast check only decides whether jsonschema must explain; they must never differ.
    import fastjsonschema

    from quiz import schema

    path = ROOT / "exercises" / "schema.json"
    try:
        schema.quick_check_for(path)(document)
        quick = True
    except fastjsonschema.JsonSchemaException:
        quick = False
    assert quick == schema.validator_for(path).is_valid(document)
