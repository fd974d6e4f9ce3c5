#!/usr/bin/env python3
"""Benchmark of the exercise engine (quiz.extension, hooks/exercise_hooks.py + hooks/quiz/).

Not a test: pytest never collects it (the name is bench_*, not test_*).
Run from the repository root with the project's venv:

    .venv/bin/python tests/bench/bench_exercises.py            # full run
    .venv/bin/python tests/bench/bench_exercises.py --quick    # smoke run, ~2 minutes
    .venv/bin/python tests/bench/bench_exercises.py --json figures.json

Everything is measured in one run and reported as ratios or per-lesson
differences between two builds of the same Markdown, never as absolute
timed assertions:

1. build time WITH the engine / WITHOUT it (no exercise_hooks.py, no quiz.extension), on the real
   course (copied to a temp dir) and on a synthetic course (default N=500
   lessons, M=10,000 exercises);                              target <= 1.10x
2. quiz.bank.load_bank over M exercises / bare yaml.load(CSafeLoader) of
   the same files, in-process;                                target <= 3x
3. the hooks' added seconds per lesson for several N (should stay flat), and
   the peak RSS of the build subprocess at the largest N, both sides;
4. bytes a lesson page with exercises adds over the same page without, and
   the gzip size of docs/javascripts/quiz.js + docs/stylesheets/quiz.css
                                                              target <= 15 KB

Builds run as subprocesses (`python -m mkdocs build -q -d OUT`), the two
sides alternating, the median of a few repetitions kept. The synthetic
course lives in a temp dir with two config files side by side over the same
docs/ and exercises/, so the Markdown is byte-identical on both sides; the
shortcodes are HTML comments that the baseline simply passes through.
Nothing is written inside the repository.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOOKS = ROOT / "hooks"
PYTHON = sys.executable
EXERCISE_HOOK_LINE = re.compile(r"^[ \t]*-[ \t]*hooks/exercise_hooks\.py[ \t]*\n", re.M)
EXTENSION_LINE = re.compile(r"^[ \t]*-[ \t]*quiz\.extension[ \t]*\n", re.M)

TARGET_BUILD_RATIO = 1.10  # the real course
TARGET_COLD_CPU_RATIO = 1.40  # synthetic N=500, M=10,000, no cache
TARGET_WARM_RATIO = 1.05  # the same, cache present
TARGET_SERVE_RATIO = 1.10  # serve: rebuild after an exercise edit / after a lesson edit
TARGET_RSS_RATIO = 1.5  # peak RSS at N=1,000
CACHE_FOLDER = ".exercise-cache"
ZENSICAL = ROOT / ".venv-zensical" / "bin" / "python"
TARGET_LOAD_RATIO = 3.0
TARGET_ASSETS_GZIP = 15 * 1024
ASSETS = ("docs/javascripts/quiz.js", "docs/stylesheets/quiz.css")
SIDES = ("with", "without")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Synthetic Chinese course text, deterministic from a seed
# ---------------------------------------------------------------------------

SUBJECTS = [
    "基层党组织", "信息工作人员", "各级党委", "报送单位", "调研组", "县委办公室",
    "乡镇党委", "信息员", "主管部门", "村级组织", "编辑人员", "分管领导",
]
VERBS = [
    "深入了解", "及时反映", "认真梳理", "准确把握", "如实报告", "系统分析",
    "重点关注", "持续跟踪", "综合研判", "全面掌握", "客观呈现", "提前预判",
]
OBJECTS = [
    "群众关心的热点问题", "工作中的新情况", "政策落实的实际效果", "基层的真实声音",
    "苗头性倾向性问题", "典型经验和做法", "决策所需的关键数据", "改革推进中的难点",
    "社会舆情的变化", "重点任务的进展", "产业发展的堵点", "民生领域的短板",
]
CLAUSES = [
    "为领导决策提供参考", "做到言之有物", "避免空话套话", "切实提高信息质量",
    "防止报喜不报忧", "把握时效性", "突出针对性和实用性", "体现调查研究的深度",
    "注重用事实和数据说话", "增强材料的说服力", "让领导读后用得上", "把问题讲清楚",
]
CONNECTORS = ["同时", "此外", "因此", "在此基础上", "总的来看", "实践表明", "需要注意的是", "换句话说"]
TOPICS = [
    "定好位", "选好题", "勤调研", "写好稿", "把好关", "用好数据", "抓好时效",
    "讲清问题", "提出建议", "核实情况", "改好标题", "精简篇幅",
]
STEPS = [
    "确定选题方向", "拟定调研提纲", "深入基层走访", "核实关键数据", "整理分析材料",
    "提炼观点标题", "撰写信息初稿", "征求各方意见", "审核把关定稿", "按程序报送",
]
SECTION_NAMES = ["第一节", "第二节", "第三节", "第四节", "第五节", "第六节"]
TAGS = ["辨析", "概念", "写作", "调研", "案例", "方法"]
DIFFICULTIES = ["基础", "提高", "挑战"]
EXERCISE_TYPES = ["single", "multiple", "true_false", "fill", "order", "open"]


class Text:
    """Plausible Chinese prose; every choice comes from one random.Random."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def pick(self, seq):
        return self.rng.choice(seq)

    def phrase(self, bold: float = 0.0) -> str:
        obj = self.pick(OBJECTS)
        if self.rng.random() < bold:
            obj = f"**{obj}**"
        return f"{self.pick(VERBS)}{obj}"

    def sentence(self, bold: float = 0.0) -> str:
        s, v, c = self.pick(SUBJECTS), self.pick(VERBS), self.pick(CLAUSES)
        o = self.pick(OBJECTS)
        if self.rng.random() < bold:
            o = f"**{o}**"
        forms = [
            f"{s}要{v}{o}，{c}。",
            f"{self.pick(CONNECTORS)}，{s}应当{v}{o}。",
            f"只有{v}{o}，才能{c}。",
            f"{o}是{s}需要{v}的内容，{c}。",
            f"{s}在{v}{o}时，要{c}。",
        ]
        return self.pick(forms)

    def paragraph(self, sentences: tuple[int, int] = (3, 5), bold: float = 0.15) -> str:
        return "".join(self.sentence(bold) for _ in range(self.rng.randint(*sentences)))

    def short(self) -> str:
        return self.sentence().rstrip("。")


def lesson_markdown(text: Text, number: int, stem: str, sections: list[str], paragraphs=(2, 3)) -> str:
    rng = text.rng
    parts = [f"# 第 {number} 讲：{text.pick(TOPICS)}", "", text.paragraph(), ""]
    for name in sections:
        parts += [f"## {name}", ""]
        for _ in range(rng.randint(*paragraphs)):
            parts += [text.paragraph(), ""]
        roll = rng.random()
        if roll < 0.3:
            parts += [f"- {text.phrase()}；" for _ in range(rng.randint(3, 4))] + [""]
        elif roll < 0.45:
            parts += ['!!! note "提示"', "", "    " + text.paragraph((2, 3), 0.0), ""]
        elif roll < 0.55:
            parts += ["| 要素 | 说明 |", "| --- | --- |"]
            parts += [f"| {text.pick(TOPICS)} | {text.pick(CLAUSES)} |" for _ in range(3)] + [""]
    parts += ["## 课后练习", "", "完成下面的练习，检验本讲的学习效果。", "", f"<!-- exercises: {stem} -->", ""]
    return "\n".join(parts)


def exercise(text: Text, kind: str, ex_id: str, section: str) -> dict:
    rng = text.rng
    ex: dict = {"id": ex_id, "type": kind, "section": section}
    if rng.random() < 0.7:
        ex["difficulty"] = text.pick(DIFFICULTIES)
    if rng.random() < 0.3:
        ex["tags"] = rng.sample(TAGS, rng.randint(1, 2))
    bold = 0.25  # some prompts need the Markdown renderer, most are plain text
    if kind in ("single", "multiple"):
        count = rng.randint(4, 5) if kind == "multiple" else 4
        ex["prompt"] = f"关于{text.phrase(bold)}，下列说法{'正确的有哪些' if kind == 'multiple' else '最恰当的是哪一项'}？"
        ex["options"] = [
            {"text": text.sentence(), "feedback": text.sentence()} for _ in range(count)
        ]
        if kind == "single":
            ex["answer"] = "ABCD"[rng.randrange(count)]
        else:
            ex["answer"] = sorted(rng.sample("ABCDE"[:count], rng.randint(2, count - 1)))
    elif kind == "true_false":
        ex["prompt"] = text.sentence(bold)
        ex["answer"] = text.pick(["对", "错"])
        ex["feedback"] = {"对": text.sentence(), "错": text.sentence()}
    elif kind == "fill":
        holes = rng.randint(1, 2)
        s, v, o, c = text.pick(SUBJECTS), text.pick(VERBS), text.pick(OBJECTS), text.pick(CLAUSES)
        if holes == 1:
            ex["prompt"] = f"{s}要____{o}，{c}。"
            ex["blanks"] = [[v, text.pick(VERBS)]]
        else:
            ex["prompt"] = f"{s}要____{o}，____。"
            ex["blanks"] = [[v], [c, text.pick(CLAUSES)]]
    elif kind == "order":
        count = rng.randint(3, 5)
        start = rng.randrange(len(STEPS) - count + 1)
        steps = STEPS[start : start + count]
        shown = steps[:]
        rng.shuffle(shown)
        ex["prompt"] = "请把下列工作环节按正确的先后顺序排列。"
        ex["items"] = shown
        ex["answer"] = ["ABCDE"[shown.index(step)] for step in steps]
    else:  # open
        ex["prompt"] = f"请围绕{text.phrase(bold)}，写一段两百字左右的信息。"
        ex["reference"] = text.paragraph((3, 4), 0.0)
        ex["rubric"] = [text.short() for _ in range(rng.randint(2, 4))]
    if kind != "open":
        ex["explanation"] = text.paragraph((1, 2), bold)
    if rng.random() < 0.4:
        ex["hint"] = f"想一想：怎样{text.phrase()}？"
    return ex


def write_course(dest: Path, lessons: int, exercises: int, seed: int, rng_salt: str = "",
                 paragraphs=(2, 3)) -> dict:
    """docs/ (index + N lessons) and exercises/ (one file per lesson, M in all)."""
    rng = random.Random(f"{seed}:{lessons}:{exercises}:{rng_salt}")
    text = Text(rng)
    docs, bank = dest / "docs", dest / "exercises"
    docs.mkdir(parents=True, exist_ok=True)
    bank.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "exercises" / "schema.json", bank / "schema.json")
    # Random exercises meet the format, not the course's content rules: the bench measures the engine.
    (bank / "policy.yml").write_text(
        "option_feedback: false\ntrue_false_feedback: false\nrubric_minimum: 0\nrubric_maximum: 100\n"
        "section_minimum: 0\nsets:\n  default: {minimum: 0, every_type: false, open_minimum: 0}\n",
        encoding="utf-8",
    )
    width = max(3, len(str(lessons)))
    stems = [f"lesson{i:0{width}d}" for i in range(1, lessons + 1)]
    # M exercises over N files as evenly as possible; types cycle so every type appears.
    per_file = [exercises // lessons + (1 if i < exercises % lessons else 0) for i in range(lessons)]
    serial = 0
    chars = 0
    import yaml  # the venv's PyYAML, only for writing the synthetic files

    (docs / "index.md").write_text(
        "# 课程首页\n\n" + text.paragraph() + "\n\n" + text.paragraph() + "\n", encoding="utf-8"
    )
    for number, (stem, count) in enumerate(zip(stems, per_file), start=1):
        sections = SECTION_NAMES[: rng.randint(3, 5)]
        markdown = lesson_markdown(text, number, stem, sections, paragraphs)
        chars += len(markdown)
        (docs / f"{stem}.md").write_text(markdown, encoding="utf-8")
        items = []
        for k in range(count):
            kind = EXERCISE_TYPES[serial % len(EXERCISE_TYPES)]
            serial += 1
            section = f"{stem}.md#{text.pick(sections)}"
            items.append(exercise(text, kind, f"{stem}-{k + 1:02d}", section))
        rng.shuffle(items)
        if items:
            body = yaml.safe_dump(
                {"title": f"第 {number} 讲练习", "exercises": items},
                allow_unicode=True, sort_keys=False, width=1000,
            )
            (bank / f"{stem}.yml").write_text("# yaml-language-server: $schema=schema.json\n" + body, encoding="utf-8")
    return {"stems": stems, "per_file": per_file, "lesson_chars": round(chars / max(lessons, 1))}


# ---------------------------------------------------------------------------
# Projects and their two configs
# ---------------------------------------------------------------------------


def without_exercise_hook(config_text: str) -> str:
    result, count = EXERCISE_HOOK_LINE.subn("", config_text)
    if count != 1:
        raise SystemExit("mkdocs.yml: could not find exactly one `- hooks/exercise_hooks.py` line")
    result, count = EXTENSION_LINE.subn("", result)
    if count != 1:
        raise SystemExit("mkdocs.yml: could not find exactly one `- quiz.extension` line")
    return result


def with_prune(config_text: str) -> str:
    match = re.search(r"^([ \t]*)features:[ \t]*\n([ \t]*)-", config_text, re.M)
    if not match:
        raise SystemExit("mkdocs.yml: no theme.features list to add navigation.prune to")
    if "navigation.prune" in config_text:
        return config_text
    insert = f"{match.group(2)}- navigation.prune\n"
    at = match.start(2)
    return config_text[:at] + insert + config_text[at:]


def with_nav(config_text: str, nav_yaml: str) -> str:
    lines = config_text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(r"nav:\s*$", line)), None)
    if start is None:
        return config_text.rstrip("\n") + "\n\n" + nav_yaml
    end = next(
        (i for i in range(start + 1, len(lines)) if re.match(r"[A-Za-z_]", lines[i])), len(lines)
    )
    return "".join(lines[:start]) + nav_yaml + "".join(lines[end:])


def synthetic_nav(stems: list[str], chapter: int = 20) -> str:
    """Units of `chapter` lessons as top-level entries (tabs).

    With navigation.tabs + navigation.sections, everything inside the active
    tab is visible, so navigation.prune cannot drop it: one big "课程" tab
    would put all N lessons on every page and make the plain build quadratic.
    One tab per unit keeps each page's navigation at N/chapter + chapter links.
    """
    out = ["nav:", "  - 首页: index.md"]
    for c in range(0, len(stems), chapter):
        out.append(f"  - 第 {c // chapter + 1} 单元:")
        for i, stem in enumerate(stems[c : c + chapter], start=c + 1):
            out.append(f"      - 第 {i} 讲: {stem}.md")
    return "\n".join(out) + "\n"


def copy_tree(name: str, dest: Path) -> None:
    source = ROOT / name
    if source.is_dir():
        shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)
    elif source.exists():
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, dest / name)


def write_configs(project: Path, config_text: str) -> dict[str, Path]:
    configs = {"with": project / "mkdocs.with.yml", "without": project / "mkdocs.without.yml"}
    configs["with"].write_text(config_text, encoding="utf-8")
    configs["without"].write_text(without_exercise_hook(config_text), encoding="utf-8")
    return configs


def real_project(dest: Path) -> dict[str, Path]:
    for name in ("docs", "exercises", "hooks", "search", "overrides"):
        copy_tree(name, dest)
    return write_configs(dest, (ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


def synthetic_project(dest: Path, lessons: int, exercises: int, seed: int, prune: bool = True,
                      paragraphs=(2, 3)) -> tuple[dict, dict]:
    for name in ("hooks", "search", "overrides", "docs/stylesheets", "docs/javascripts"):
        copy_tree(name, dest)
    info = write_course(dest, lessons, exercises, seed, paragraphs=paragraphs)
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = with_nav(text, synthetic_nav(info["stems"]))
    if prune:
        text = with_prune(text)
    return write_configs(dest, text), info


# ---------------------------------------------------------------------------
# Builds
# ---------------------------------------------------------------------------


class BuildFailed(RuntimeError):
    pass


def build_env(project: Path) -> dict:
    """The environment of a build: the engine imported from the project's own copy of hooks/, taken when the
    run started, so that editing the working tree during a run changes nothing it measures."""
    return dict(os.environ, NO_MKDOCS_2_WARNING="1",
                PYTHONPATH=os.pathsep.join(filter(None, [str(project / "hooks"), os.environ.get("PYTHONPATH")])))


def run_build(config: Path, out: Path, strict: bool) -> dict:
    """One `mkdocs build` subprocess: wall seconds, CPU seconds and peak RSS (wait4)."""
    env = build_env(config.parent)
    args = [PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(out)]
    if strict:
        args.append("--strict")
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=config.parent, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            # Re-run without -q so that the warnings themselves are shown.
            again = subprocess.run(args[:4] + args[5:], cwd=config.parent, env=env, capture_output=True, text=True)
            raise BuildFailed(f"{config.name} failed (exit {proc.returncode}):\n{again.stderr[-4000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "maxrss_kb": usage.ru_maxrss}


def clear_caches(project: Path) -> None:
    """A cold build: no exercise piece, no segmented text, no Zensical cache kept from before."""
    for name in (CACHE_FOLDER, ".cache"):
        shutil.rmtree(project / name, ignore_errors=True)


def measure_pair(project: Path, configs: dict, reps: int, warmup: int, strict: bool, label: str,
                 cold: bool = True, build=None) -> dict:
    """Alternate the two sides; keep the last build of each side in project/out-<side>.

    cold: every build starts without the caches (.exercise-cache/, which both sides share for the
    segmented search text, and Zensical's .cache/); warm: they stay, filled by the warm-up builds.
    """
    build = build or run_build
    samples: dict[str, list[dict]] = {side: [] for side in SIDES}
    scratch = project / "out-scratch"
    for w in range(max(warmup, 0 if cold else 1)):
        for side in SIDES:
            if cold:
                clear_caches(project)
            t = build(configs[side], scratch, strict)
            shutil.rmtree(scratch, ignore_errors=True)
            log(f"{label}: warm-up {side:7s} {t['wall']:7.2f} s")
    for rep in range(reps):
        for side in (SIDES if rep % 2 == 0 else SIDES[::-1]):
            last = rep == reps - 1
            out = project / f"out-{side}" if last else scratch
            shutil.rmtree(out, ignore_errors=True)
            if cold:
                clear_caches(project)
            t = build(configs[side], out, strict)
            if not last:
                shutil.rmtree(out, ignore_errors=True)
            samples[side].append(t)
            log(f"{label}: rep {rep + 1}/{reps} {side:7s} {t['wall']:7.2f} s  cpu {t['cpu']:7.2f} s  "
                f"rss {t['maxrss_kb'] / 1024:6.0f} MB")
    result = {"reps": reps, "cache": "cold" if cold else "warm"}
    for side in SIDES:
        result[side] = {
            "wall_median": statistics.median(s["wall"] for s in samples[side]),
            "cpu_median": statistics.median(s["cpu"] for s in samples[side]),
            "maxrss_mb_max": max(s["maxrss_kb"] for s in samples[side]) / 1024,
            "wall_samples": [round(s["wall"], 3) for s in samples[side]],
        }
    result["ratio"] = result["with"]["wall_median"] / result["without"]["wall_median"]
    result["cpu_ratio"] = result["with"]["cpu_median"] / result["without"]["cpu_median"]
    result["added_s"] = result["with"]["wall_median"] - result["without"]["wall_median"]
    result["added_cpu_s"] = result["with"]["cpu_median"] - result["without"]["cpu_median"]
    return result


def run_zensical(config: Path, out: Path, strict: bool) -> dict:
    """One `zensical build` subprocess of a throw-away config that inherits `config` and names `out`."""
    inherit = config.parent / f".zensical-{config.stem}.yml"
    inherit.write_text(f"INHERIT: {config.name}\nsite_dir: {out.relative_to(config.parent)}\n", encoding="utf-8")
    env = build_env(config.parent)
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([str(ZENSICAL), "-m", "zensical", "build", "-f", str(inherit)],
                                cwd=config.parent, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise BuildFailed(f"zensical {config.name} failed:\n{err.read()[-4000:].decode('utf-8', 'replace')}")
    inherit.unlink()
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "maxrss_kb": usage.ru_maxrss}


# `mkdocs serve` in one process, as its rebuilds run: the configuration loaded anew, the
# modules (and what they keep in memory) staying. Prints one JSON line per rebuild.
SERVE_DRIVER = r"""
import json, logging, sys, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

config_file, site_dir, lesson, exercise, reps = sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]), int(sys.argv[5])
logging.disable(logging.INFO)  # as quiet as serve's console is made by -q
serve_url = "http://127.0.0.1:8000/"

def rebuild():
    config = load_config(config_file=config_file, site_dir=site_dir)
    config.site_url = serve_url
    wall, cpu = time.perf_counter(), time.process_time()
    build(config, serve_url=serve_url)
    return time.perf_counter() - wall, time.process_time() - cpu

first = load_config(config_file=config_file, site_dir=site_dir)
first.plugins.on_startup(command="serve", dirty=False)
first.site_url = serve_url
build(first, serve_url=serve_url)
lesson_text, exercise_text = lesson.read_text(encoding="utf-8"), exercise.read_text(encoding="utf-8")
for rep in range(reps):
    # A new sentence each time, so that each rebuild meets content it has not seen.
    lesson.write_text(lesson_text + f"\n\n第 {rep + 1} 次修改：补充一句新的说明文字，检验预览的重建。\n", encoding="utf-8")
    wall, cpu = rebuild()
    print(json.dumps({"edit": "lesson", "wall": wall, "cpu": cpu}), flush=True)
    exercise.write_text(exercise_text.replace("prompt: ", f"prompt: 第{rep + 1}次修改的", 1), encoding="utf-8")
    wall, cpu = rebuild()
    print(json.dumps({"edit": "exercise", "wall": wall, "cpu": cpu}), flush=True)
lesson.write_text(lesson_text, encoding="utf-8")
exercise.write_text(exercise_text, encoding="utf-8")
"""


def measure_serve(project: Path, config: Path, lesson: Path, exercise: Path, reps: int) -> dict:
    """serve's rebuild after editing one exercise file / after editing one lesson, alternating."""
    driver = project / "serve_driver.py"
    driver.write_text(SERVE_DRIVER, encoding="utf-8")
    env = build_env(project)
    done = subprocess.run([PYTHON, str(driver), str(config), str(project / "out-serve"), str(lesson), str(exercise), str(reps)],
                          cwd=project, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BuildFailed(f"serve driver failed:\n{done.stderr[-4000:]}")
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    result = {"reps": reps}
    for edit in ("lesson", "exercise"):
        walls = [r["wall"] for r in rows if r["edit"] == edit]
        result[edit] = {"wall_median": statistics.median(walls), "wall_samples": [round(w, 3) for w in walls],
                        "cpu_median": statistics.median(r["cpu"] for r in rows if r["edit"] == edit)}
        log(f"serve rebuild after a {edit} edit: median {result[edit]['wall_median']:.2f} s of {walls}")
    result["ratio"] = result["exercise"]["wall_median"] / result["lesson"]["wall_median"]
    result["cpu_ratio"] = result["exercise"]["cpu_median"] / result["lesson"]["cpu_median"]
    return result


def check_exercises_clean(project: Path) -> list[str]:
    """The engine's own verdict on a synthetic course: it must find no problem."""
    sys.path.insert(0, str(HOOKS))
    from quiz.session import QuizSession

    session = QuizSession(project, project / "docs")
    docs = project / "docs"
    for page in sorted(docs.rglob("*.md")):
        session.scan_page(page.relative_to(docs).as_posix(), page.read_text(encoding="utf-8-sig"))
    return [p.format() for p in session.finish()]


# ---------------------------------------------------------------------------
# Loading and validating, in-process
# ---------------------------------------------------------------------------


def timed(fn) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_bank(folder: Path, expected: int, reps: int) -> dict:
    sys.path.insert(0, str(HOOKS))
    import yaml
    from quiz import cache, schema, yamlsource
    from quiz.bank import exercise_files, load_bank

    files = exercise_files(folder)
    shown = {f: f.relative_to(folder.parent).as_posix() for f in files}
    schema_path = folder / "schema.json"

    def bare():
        for f in files:
            yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

    def compose():
        for f in files:
            yaml.compose(f.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

    def strict_yaml():
        for f in files:
            yamlsource.load(f, shown[f])

    def cold_schema():
        # A build compiles the schema once: drop every compiled-schema cache.
        for value in vars(schema).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()

    def strict_yaml_schema():
        cold_schema()
        for f in files:
            document, _ = yamlsource.load(f, shown[f])
            schema.validate(document, shown[f], schema_path)

    def bank():
        cold_schema()
        cache.clear_memory()  # every file read and checked: what a cold build pays
        result = load_bank(folder, folder.parent)
        if result.problems or len(result.exercises) != expected:
            raise SystemExit(
                f"load_bank: {len(result.exercises)} exercises, {len(result.problems)} problems "
                f"(expected {expected}, 0): {result.problems[:3]}"
            )

    stages = {
        "yaml.load CSafeLoader (bare)": bare,
        "yaml.compose CSafeLoader only": compose,
        "yamlsource.load (compose + build)": strict_yaml,
        "yamlsource.load + schema.validate": strict_yaml_schema,
        "load_bank (read, check, render)": bank,
    }
    names = list(stages)
    times: dict[str, list[float]] = {name: [] for name in names}
    bank()  # warm imports and file cache; not counted
    for rep in range(reps):
        order = names if rep % 2 == 0 else names[::-1]
        for name in order:
            times[name].append(timed(stages[name]))
    medians = {name: statistics.median(v) for name, v in times.items()}
    base = medians[names[0]]
    return {
        "files": len(files),
        "exercises": expected,
        "reps": reps,
        "seconds": medians,
        "ratio_to_bare": {name: t / base for name, t in medians.items()},
        "ratio": medians["load_bank (read, check, render)"] / base,
    }


# ---------------------------------------------------------------------------
# Bytes
# ---------------------------------------------------------------------------


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def page_bytes(project: Path, stem: str, exercises: int) -> dict:
    pages = {side: (project / f"out-{side}" / stem / "index.html").read_bytes() for side in SIDES}
    shown = pages["with"].count(b"data-quiz-id=")
    if shown != exercises:
        raise SystemExit(f"{stem}: built page shows {shown} exercises, expected {exercises}")
    if f"<!-- exercises: {stem} -->".encode() not in pages["without"]:
        raise SystemExit(f"{stem}: the baseline page lost the shortcode comment")
    result = {"page": f"{stem}/index.html", "exercises": exercises}
    for side in SIDES:
        result[side] = {"bytes": len(pages[side]), "gzip": gz(pages[side])}
    result["added_bytes"] = result["with"]["bytes"] - result["without"]["bytes"]
    result["added_gzip"] = result["with"]["gzip"] - result["without"]["gzip"]
    result["added_bytes_per_exercise"] = result["added_bytes"] / exercises if exercises else 0
    return result


def asset_sizes() -> dict:
    files = {}
    for name in ASSETS:
        path = ROOT / name
        files[name] = {"bytes": path.stat().st_size, "gzip": gz(path.read_bytes())} if path.exists() else "missing"
    present = [v for v in files.values() if v != "missing"]
    total = sum(v["gzip"] for v in present) if len(present) == len(ASSETS) else "missing"
    return {"files": files, "gzip_total": total}


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def verdict(value, target) -> str:
    if value == "missing":
        return "missing"
    return "ok" if value <= target else "MISSED"


def table(rows: list[list[str]], header: list[str]) -> str:
    def width(s: str) -> int:  # CJK characters take two columns
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)

    cols = [max(width(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    def line(r):
        return "  ".join(str(c) + " " * (cols[i] - width(str(c))) for i, c in enumerate(r)).rstrip()
    sep = "  ".join("-" * c for c in cols)
    return "\n".join([line(header), sep] + [line(r) for r in rows])


def git_state(paths=None, clean: str = "engine clean") -> str:
    """HEAD and whether the measured code (`paths`; the engine's by default) differs from it: the figures
    belong to that code."""
    def git(*args):
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            return ""
    head = git("rev-parse", "--short", "HEAD").strip() or "unknown"
    dirty = git("status", "--porcelain", "--", *(paths or ["hooks", "exercises", "mkdocs.yml", *ASSETS]))
    changed = [line[3:] for line in dirty.splitlines() if line.strip()]
    return head + (f" + uncommitted changes in {', '.join(changed)}" if changed else f" ({clean})")


def report(figures: dict) -> str:
    out = []
    a = figures["args"]
    out.append(f"Exercise engine benchmark  ({figures['machine']})")
    out.append(f"code: {figures['git']}")
    out.append(f"python {figures['python']}; seed {a['seed']}; mode {'quick' if a['quick'] else 'full'}; "
               f"total {figures['elapsed_s']:.0f} s")
    out.append("")

    out.append("1. Build time, WITH the exercise engine / WITHOUT (median of alternating subprocess builds)")
    out.append("   cold: no .exercise-cache/ (nor Zensical's .cache/) before each build; warm: caches left by the last build")
    rows = []
    targets = {"real-cold": ("wall", TARGET_BUILD_RATIO), "real-warm": ("wall", TARGET_BUILD_RATIO),
               "synthetic-cold": ("cpu", TARGET_COLD_CPU_RATIO), "synthetic-warm": ("wall", TARGET_WARM_RATIO)}
    for key, r in figures["build"].items():
        engine, _, cache = key.partition("-")
        size = f"{r['lessons']} pages" if engine == "real" else f"N={r['lessons']}, M={r['exercises']}"
        kind, target = targets.get(key, (None, None))
        judged = r["cpu_ratio"] if kind == "cpu" else r["ratio"]
        rows.append([
            {"real": "real course", "synthetic": "synthetic", "zensical": "Zensical synthetic"}[engine], cache, size,
            f"{r['with']['wall_median']:.2f}", f"{r['without']['wall_median']:.2f}",
            f"{r['ratio']:.3f}x", f"{r['cpu_ratio']:.3f}x", str(r["reps"]),
            "context" if target is None else f"{kind} <={target}x: {verdict(judged, target)}",
        ])
    out.append(table(rows, ["course", "cache", "size", "with s", "without s", "wall ratio", "cpu ratio", "reps", "target"]))
    note = figures["build"].get("real-cold", {}).get("note")
    if note:
        out.append("   note: " + note)
    sv = figures.get("serve")
    if sv:
        out.append(f"   serve rebuild (synthetic N={figures['build']['synthetic-cold']['lessons']}): after one exercise file "
                   f"edited {sv['exercise']['wall_median']:.2f} s, after one lesson edited {sv['lesson']['wall_median']:.2f} s "
                   f"= {sv['ratio']:.3f}x (cpu {sv['cpu_ratio']:.3f}x) over {sv['reps']} edits each; "
                   f"target <={TARGET_SERVE_RATIO}x: {verdict(sv['ratio'], TARGET_SERVE_RATIO)}")
    out.append("")

    b = figures["bank"]
    out.append(f"2. Loading + validating M={b['exercises']} exercises in {b['files']} files, in-process "
               f"(median of {b['reps']})")
    rows = [[name, f"{t:.3f}", f"{b['ratio_to_bare'][name]:.2f}x"] for name, t in b["seconds"].items()]
    out.append(table(rows, ["stage", "seconds", "/ bare"]))
    out.append(f"   load_bank / bare yaml.load = {b['ratio']:.2f}x   "
               f"target <={TARGET_LOAD_RATIO:.0f}x: {verdict(b['ratio'], TARGET_LOAD_RATIO)}")
    out.append("")

    out.append("3. Added cost per lesson (with - without), exercises per lesson held constant")
    rows = []
    for r in figures["scaling"]:
        rows.append([
            str(r["lessons"]), str(r["exercises"]), f"{r['with']['wall_median']:.2f}",
            f"{r['without']['wall_median']:.2f}", f"{r['added_s']:+.2f}",
            f"{1000 * r['added_s'] / r['lessons']:+.1f}", f"{1000 * r['added_cpu_s'] / r['lessons']:+.1f}",
            f"{1000 * r['added_s'] / max(r['exercises'], 1):+.2f}", f"{r['ratio']:.3f}x",
        ])
    out.append(table(rows, ["N", "M", "with s", "without s", "added s", "ms/lesson", "cpu ms/lesson",
                            "ms/exercise", "ratio"]))
    big = max(figures["scaling"], key=lambda r: r["lessons"])
    for label, r in (("cold", big), ("warm", figures.get("rss_warm"))):
        if not r:
            continue
        ratio = r["with"]["maxrss_mb_max"] / r["without"]["maxrss_mb_max"]
        out.append(f"   peak RSS of the build subprocess at N={r['lessons']}, {label}: with "
                   f"{r['with']['maxrss_mb_max']:.0f} MB, without {r['without']['maxrss_mb_max']:.0f} MB "
                   f"= {ratio:.2f}x; target <={TARGET_RSS_RATIO}x: {verdict(ratio, TARGET_RSS_RATIO)}")
    out.append("")

    p = figures["page"]
    out.append(f"4. Bytes: {p['page']} ({p['exercises']} exercises), with vs without")
    out.append(table([
        ["with", str(p["with"]["bytes"]), str(p["with"]["gzip"])],
        ["without", str(p["without"]["bytes"]), str(p["without"]["gzip"])],
        ["added", f"{p['added_bytes']:+d}", f"{p['added_gzip']:+d}"],
        ["added / exercise", f"{p['added_bytes_per_exercise']:.0f}", f"{p['added_gzip'] / max(p['exercises'], 1):.0f}"],
    ], ["page", "bytes", "gzip bytes"]))
    s = figures["assets"]
    rows = [[name, "missing" if v == "missing" else str(v["bytes"]), "missing" if v == "missing" else str(v["gzip"])]
            for name, v in s["files"].items()]
    total = s["gzip_total"]
    rows.append(["together", "", total if total == "missing" else f"{total} ({total / 1024:.1f} KB)"])
    out.append(table(rows, ["asset", "bytes", "gzip -9 bytes"]))
    out.append(f"   quiz.js + quiz.css gzip target <=15 KB: {verdict(total, TARGET_ASSETS_GZIP)}")
    return "\n".join(out)


# ---------------------------------------------------------------------------


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes only (N=10/50, M=200): a smoke run")
    ap.add_argument("--lessons", type=int, help="N of the main synthetic course (default 500; quick 50)")
    ap.add_argument("--exercises", type=int, help="M of the main synthetic course (default 10000; quick 200)")
    ap.add_argument("--scale", help="comma-separated N for the per-lesson table (default 10,100,1000; quick 10,50); "
                                    "exercises per lesson stay at M/N of the main course")
    ap.add_argument("--bank-exercises", type=int, help="M for the in-process load benchmark (default = --exercises)")
    ap.add_argument("--reps", type=int, help="timed builds per side (default 3; quick 2)")
    ap.add_argument("--real-reps", type=int, help="timed builds per side of the real course (default 5; quick 3)")
    ap.add_argument("--bank-reps", type=int, default=5, help="in-process repetitions of the load benchmark")
    ap.add_argument("--serve-reps", type=int, help="serve rebuilds per kind of edit (default 4; quick 2)")
    ap.add_argument("--no-zensical", action="store_true", help="leave out the Zensical builds (context only)")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--paragraphs", default="2,3",
                    help="paragraphs per lesson section, MIN,MAX (default 2,3: lessons of about 1,300 characters; "
                         "the real lessons are 4,000-8,000, about 10,10)")
    ap.add_argument("--no-prune", action="store_true", help="leave navigation.prune out of the synthetic configs")
    ap.add_argument("--no-strict", action="store_true",
                    help="build the synthetic course without --strict (by default both sides must be warning-free)")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON to this path")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir and print its path")
    ap.add_argument("--tmp", type=Path, help="parent of the temp dir (default: system temp)")
    args = ap.parse_args(argv)
    quick = args.quick
    args.lessons = args.lessons or (50 if quick else 500)
    args.exercises = args.exercises if args.exercises is not None else (200 if quick else 10_000)
    args.scale = [int(x) for x in (args.scale or ("10,50" if quick else "10,100,1000")).split(",") if x]
    args.bank_exercises = args.bank_exercises or args.exercises
    args.reps = args.reps or (2 if quick else 3)
    args.real_reps = args.real_reps or (3 if quick else 5)
    args.serve_reps = args.serve_reps or (2 if quick else 4)
    low, _, high = args.paragraphs.partition(",")
    args.paragraphs = (int(low), int(high or low))
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    try:
        import mkdocs  # noqa: F401
    except ImportError:
        raise SystemExit(f"{PYTHON} has no mkdocs: run with the project's venv, .venv/bin/python")
    tmp = Path(tempfile.mkdtemp(prefix="bench-exercises-", dir=args.tmp))
    log(f"temp dir {tmp}")
    strict = not args.no_strict
    per_lesson = args.exercises / args.lessons
    figures: dict = {
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "git": git_state(),
        "build": {},
    }
    try:
        # 1a. The real course, as it stands in the working tree: cold and warm.
        project = tmp / "real"
        configs = real_project(project)
        problems = check_exercises_clean(project)
        for cold in (True, False):
            r = measure_pair(project, configs, args.real_reps, 1, False, f"real course {'cold' if cold else 'warm'}", cold)
            r["lessons"] = len(list((project / "docs").rglob("*.md")))
            if problems:
                r["note"] = (f"the real course currently has {len(problems)} exercise problem(s), "
                             f"e.g. {problems[0]}; built without --strict")
            figures["build"]["real-cold" if cold else "real-warm"] = r
        shutil.rmtree(project, ignore_errors=True)

        # 1b + 4. The main synthetic course: cold, warm, serve's rebuilds, Zensical.
        sizes = sorted(set(args.scale))
        scaling: dict[int, dict] = {}
        project = tmp / f"synthetic-{args.lessons}"
        log(f"generating N={args.lessons}, M={args.exercises}")
        configs, info = synthetic_project(project, args.lessons, args.exercises, args.seed, not args.no_prune,
                                          args.paragraphs)
        problems = check_exercises_clean(project)
        if problems:
            raise SystemExit("synthetic course has exercise problems:\n" + "\n".join(problems[:10]))
        for cold in (True, False):
            r = measure_pair(project, configs, args.reps, 0, strict, f"synthetic N={args.lessons} {'cold' if cold else 'warm'}", cold)
            r.update(lessons=args.lessons, exercises=args.exercises, lesson_chars=info["lesson_chars"])
            figures["build"]["synthetic-cold" if cold else "synthetic-warm"] = r
            if cold and abs(args.exercises - per_lesson * args.lessons) < 1:
                scaling[args.lessons] = r
        figures["page"] = page_bytes(project, info["stems"][0], info["per_file"][0])
        stem = info["stems"][len(info["stems"]) // 2]
        figures["serve"] = measure_serve(project, configs["with"], project / "docs" / f"{stem}.md",
                                         project / "exercises" / f"{stem}.yml", args.serve_reps)
        if ZENSICAL.exists() and not args.no_zensical:
            for cold in (True, False):
                r = measure_pair(project, configs, args.reps, 0, False, f"zensical N={args.lessons} {'cold' if cold else 'warm'}",
                                 cold, build=run_zensical)
                r.update(lessons=args.lessons, exercises=args.exercises)
                figures["build"]["zensical-cold" if cold else "zensical-warm"] = r
        shutil.rmtree(project, ignore_errors=True)

        # 2. Loading and validating, in-process.
        folder = tmp / "bank"
        log(f"generating M={args.bank_exercises} exercises for the load benchmark")
        write_course(folder, args.lessons, args.bank_exercises, args.seed, "bank")
        figures["bank"] = bench_bank(folder / "exercises", args.bank_exercises, args.bank_reps)
        shutil.rmtree(folder, ignore_errors=True)

        # 3. Per-lesson cost at several sizes.
        for n in sizes:
            if n in scaling:
                continue
            m = round(per_lesson * n)
            project = tmp / f"synthetic-{n}"
            log(f"generating N={n}, M={m}")
            configs, _ = synthetic_project(project, n, m, args.seed, not args.no_prune, args.paragraphs)
            r = measure_pair(project, configs, args.reps, 1 if n <= 100 else 0, strict, f"synthetic N={n}")
            r.update(lessons=n, exercises=m)
            scaling[n] = r
            if n == max(sizes):  # the peak memory of a warm build too
                warm = measure_pair(project, configs, args.reps, 0, strict, f"synthetic N={n} warm", cold=False)
                warm.update(lessons=n, exercises=m)
                figures["rss_warm"] = warm
            shutil.rmtree(project, ignore_errors=True)
        figures["scaling"] = [scaling[n] for n in sorted(scaling)]
        figures["assets"] = asset_sizes()
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    figures["elapsed_s"] = time.perf_counter() - started
    print(report(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
        log(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
