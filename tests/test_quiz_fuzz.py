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


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_random_documents_only_ever_give_problems(document):
    folder = Path(tempfile.mkdtemp())
    try:
        shutil.copy(ROOT / "exercises" / "schema.json", folder / "schema.json")
        target = folder / "fuzz.yml"
        target.write_bytes(document if isinstance(document, bytes) else document.encode("utf-8"))
        bank = load_bank(folder, folder)
        assert all(isinstance(p, Problem) and p.line >= 1 and p.format() for p in bank.problems)
    finally:
        shutil.rmtree(folder)


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
