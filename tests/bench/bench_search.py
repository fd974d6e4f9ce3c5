#!/usr/bin/env python3
"""Benchmark of the site's search: recall and latency in the real search box, stock Material beside the project's.

Not a test: pytest never collects it (the name is bench_*, not test_*).
Run from the repository root with the project's venv:

    .venv/bin/python tests/bench/bench_search.py --quick     # smoke run: 20 queries, 50-lesson synthetic course
    .venv/bin/python tests/bench/bench_search.py             # full run: every query, 500-lesson synthetic course
    .venv/bin/python tests/bench/bench_search.py --json figures.json --misses

What it does, in one run:

1. builds the real course (`mkdocs build --strict`, SITE_URL under /training/) and makes two variants of the
   build: `project`, the build as produced, and `stock`, a copy in which the search worker
   (assets/javascripts/workers/search.*.min.js) is the pristine file of the installed Material package;
2. serves both on 127.0.0.1 (one http.server per variant, /training/ mapped to the build) and opens each in
   Debian's Chromium (Playwright, executable_path, the project's flags from deploy/chromium_flags.py);
3. types every query of tests/search/questions.tsv into the search box as an input method does (text
   inserted, no key events), waits until the result list is rendered and quiet, and reads every result link
   in DOM order; ranks the expected section and the expected page;
4. times keyup -> results in the page: from the input event that carries the text to the first change of
   the result list (a MutationObserver), after one throw-away query has set the index up (timed apart);
5. does the same timing on a synthetic course of N lessons (tests/bench/bench_exercises.py writes it);
6. reports the size of search/search_index.json of each build.

The script does not know how the project's search works: it measures whatever the build produces.
Both variants are measured query by query, alternately, in one browser. Nothing is written inside the
repository except what `mkdocs build` itself writes there (its cache folder), as the tests' builds do.
"""

from __future__ import annotations

import argparse
import csv
import functools
import gzip
import hashlib
import http.server
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_exercises as synthetic  # noqa: E402  (the synthetic course and the build subprocess)

sys.path.insert(0, str(ROOT / "deploy"))
from chromium_flags import CHROMIUM_ARGS  # noqa: E402

QUESTIONS = ROOT / "tests" / "search" / "questions.tsv"
CLASSES = ("question", "own-words", "mixed", "inner", "slip", "term")
PAGE_ONLY_CLASS = "term"  # tests/search/README.md: for terms only the page counts
VARIANTS = ("stock", "project")
WORKER_GLOB = "assets/javascripts/workers/search.*.min.js"
INDEX_FILE = "search/search_index.json"
SUB_PATH = "training"
SYNTHETIC_PATH = "synthetic"
SEARCH_FIELD = "input[data-md-component=search-query]"
WARM_QUERY = "信息"  # the throw-away query that sets the index up

TARGET_SECTION_AT_1 = 0.85
TARGET_SECTION_AT_5 = 0.95
TARGET_TERM_PAGE_AT_1 = 0.95
TARGET_COURSE_MEDIAN_MS = 50
TARGET_SYNTHETIC_MEDIAN_MS = 150

log = synthetic.log


# ---------------------------------------------------------------------------
# The query set
# ---------------------------------------------------------------------------


def read_questions(path: Path) -> list[dict]:
    """tests/search/questions.tsv: tab-separated, no quoting (queries may hold ASCII quotes)."""
    rows = []
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header != ["class", "query", "page", "anchor"]:
            raise SystemExit(f"{path}:1: header must be class<TAB>query<TAB>page<TAB>anchor, found {header}")
        for line, fields in enumerate(reader, start=2):
            if not fields or not "".join(fields).strip():
                continue
            if len(fields) != 4 or fields[0] not in CLASSES or not fields[1].strip() or not fields[2].endswith(".md"):
                raise SystemExit(f"{path}:{line}: expected 4 fields (class in {', '.join(CLASSES)}, query, page.md, "
                                 f"anchor), found {fields}")
            rows.append({"line": line, "class": fields[0], "query": fields[1], "page": fields[2], "anchor": fields[3]})
    return rows


# ---------------------------------------------------------------------------
# Builds and their two variants
# ---------------------------------------------------------------------------


def build(config: Path, out: Path, site_url: str) -> dict:
    """`python -m mkdocs build -q --strict` (bench_exercises.run_build) for `site_url`."""
    previous = os.environ.get("SITE_URL")
    os.environ["SITE_URL"] = site_url
    try:
        return synthetic.run_build(config, out, strict=True)
    finally:
        if previous is None:
            os.environ.pop("SITE_URL", None)
        else:
            os.environ["SITE_URL"] = previous


def stock_worker_folder() -> Path:
    import material  # the installed package of the venv this script runs in

    return Path(material.__file__).resolve().parent / "templates" / "assets" / "javascripts" / "workers"


def the_worker(site: Path) -> Path:
    found = sorted(site.glob(WORKER_GLOB))
    if len(found) != 1:
        raise SystemExit(f"{site}: expected exactly one {WORKER_GLOB}, found {[p.name for p in found]}")
    return found[0]


def make_stock_copy(project_site: Path, stock_site: Path) -> dict:
    """A copy of the build whose search worker is the installed Material's own file of the same name."""
    shutil.rmtree(stock_site, ignore_errors=True)
    shutil.copytree(project_site, stock_site)
    worker = the_worker(stock_site)
    pristine = stock_worker_folder() / worker.name
    if not pristine.is_file():
        raise SystemExit(f"the build names its worker {worker.name}, which the installed Material does not ship "
                         f"(in {pristine.parent}): cannot make the stock variant")
    shutil.copy2(pristine, worker)
    project_bytes, stock_bytes = the_worker(project_site).read_bytes(), pristine.read_bytes()
    return {
        "name": worker.name,
        "project_sha256": hashlib.sha256(project_bytes).hexdigest(),
        "stock_sha256": hashlib.sha256(stock_bytes).hexdigest(),
        "project_bytes": len(project_bytes),
        "stock_bytes": len(stock_bytes),
        "identical": project_bytes == stock_bytes,
    }


def index_size(site: Path) -> dict:
    data = (site / INDEX_FILE).read_bytes()
    docs = json.loads(data).get("docs", [])
    return {"bytes": len(data), "gzip6": len(gzip.compress(data, compresslevel=6, mtime=0)), "docs": len(docs),
            "pages": len({d.get("location", "").split("#")[0] for d in docs})}


# ---------------------------------------------------------------------------
# Serving on 127.0.0.1
# ---------------------------------------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the run's own log stays readable
        pass


class Server:
    """http.server on 127.0.0.1 serving `root` (holding training/ and synthetic/), in a thread."""

    def __init__(self, root: Path):
        root.mkdir(parents=True, exist_ok=True)
        self.root = root
        handler = functools.partial(QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, name=f"http-{self.port}", daemon=True)
        self.thread.start()

    def url(self, sub_path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{sub_path}/"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)


# ---------------------------------------------------------------------------
# In the page: the moment the text arrives and every change of the results
# ---------------------------------------------------------------------------

# Installed in every page before its own scripts. The input listener sits on window in the capture
# phase, so it runs before the site's own listener (on document) turns the input into a keyup.
PROBE = r"""
(() => {
  const probe = window.__searchBench = { armed: false, t0: null, batches: [], observer: null };
  window.addEventListener("input", (event) => {
    const el = event.target;
    if (probe.armed && el && el.matches && el.matches("[data-md-component=search-query]")) {
      probe.t0 = performance.now();
      probe.armed = false;
    }
  }, true);
  probe.arm = () => {
    if (!probe.observer) {
      const root = document.querySelector("[data-md-component=search-result]")
        || document.querySelector(".md-search-result");
      if (!root) return false;
      probe.observer = new MutationObserver(() => probe.batches.push(performance.now()));
      probe.observer.observe(root, { childList: true, subtree: true, characterData: true });
    }
    probe.t0 = null;
    probe.batches = [];
    probe.armed = true;
    return true;
  };
})();
"""

# Settled: a change was seen and nothing has changed for `quiet` ms; or, when `empty_ms` > 0, nothing
# changed at all for that long after the text arrived (clearing a field that showed nothing).
SETTLED = r"""
([quiet, emptyMs]) => {
  const p = window.__searchBench, now = performance.now();
  if (p.batches.length) return now - p.batches[p.batches.length - 1] >= quiet;
  return emptyMs > 0 && p.t0 !== null && now - p.t0 >= emptyMs;
}
"""

READ_RESULTS = r"""
() => {
  const p = window.__searchBench;
  const meta = document.querySelector(".md-search-result__meta");
  return {
    t0: p.t0, batches: p.batches.slice(),
    meta: meta ? meta.textContent.trim() : null,
    items: document.querySelectorAll(".md-search-result__list > li").length,
    links: Array.from(document.querySelectorAll(".md-search-result a.md-search-result__link"), a => a.href),
  };
}
"""


class SearchBox:
    """One variant's site open in one tab; queries typed into its search field."""

    def __init__(self, context, base_url: str, docs: Path | None, quiet_ms: int, timeout_ms: int):
        self.base_url, self.docs = base_url, docs
        self.quiet_ms, self.timeout_ms = quiet_ms, timeout_ms
        self.page = context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self) -> dict:
        """The home page, and the index set-up: a throw-away query typed as soon as the page's HTML is parsed,
        so that its results wait for the search to get ready (the index fetched and loaded by the worker)."""
        self.page.goto(self.base_url, wait_until="domcontentloaded")
        self.page.focus(SEARCH_FIELD)  # focus opens the search as a click does, without waiting for animations
        first = self.type(WARM_QUERY, timeout_ms=max(self.timeout_ms, 120_000))
        first["typed_at_ms"] = first["t0"]
        first["since_navigation_ms"] = first["batches"][0] if first["batches"] else None
        first["timing"] = self.page.evaluate("""() => {
          const n = performance.getEntriesByType("navigation")[0];
          const index = performance.getEntriesByType("resource").find(e => e.name.includes("search_index.json"));
          return { dom_content_loaded_ms: n && n.domContentLoadedEventEnd, load_ms: n && n.loadEventEnd,
                   index_fetched_ms: index ? index.responseEnd : null };
        }""")
        self.page.click(SEARCH_FIELD)
        return first

    def clear(self) -> None:
        self.page.evaluate("window.__searchBench.arm()")
        self.page.fill(SEARCH_FIELD, "")
        self.page.wait_for_function(SETTLED, arg=[100, 1000], polling=20, timeout=self.timeout_ms)

    def type(self, text: str, timeout_ms: int | None = None) -> dict:
        self.page.bring_to_front()
        if not self.page.evaluate("window.__searchBench.arm()"):
            raise SystemExit(f"{self.base_url}: the page has no search result element (.md-search-result)")
        self.page.keyboard.insert_text(text)
        timed_out = False
        try:
            self.page.wait_for_function(SETTLED, arg=[self.quiet_ms, 0], polling=20,
                                        timeout=timeout_ms or self.timeout_ms)
        except Exception as error:  # playwright's TimeoutError: the results never changed
            if "Timeout" not in type(error).__name__:
                raise
            timed_out = True
        r = self.page.evaluate(READ_RESULTS)
        t0 = r["t0"]
        # Changes before the text arrived (the search getting ready and showing its placeholder) are not its results.
        batches = r["batches"] = [b for b in r["batches"] if t0 is not None and b >= t0]
        r["timed_out"] = timed_out
        r["first_ms"] = batches[0] - t0 if batches and t0 is not None else None
        r["settled_ms"] = batches[-1] - t0 if batches and t0 is not None else None
        # Changes after the first render, apart from it by more than a frame: results in several steps.
        r["late_steps"] = sum(1 for a, b in zip(batches, batches[1:]) if b - a > 50)
        r["results"] = [normalise(href, self.base_url, self.docs) for href in r.pop("links")]
        return r

    def search(self, text: str) -> dict:
        self.clear()
        return self.type(text)


def normalise(href: str, base_url: str, docs: Path | None) -> tuple[str, str]:
    """A result link as (page under docs/, heading id): directory URLs back to their Markdown file."""
    url = urlsplit(href)
    base = urlsplit(base_url)
    path = unquote(url.path)
    if url.netloc != base.netloc or not path.startswith(base.path):
        return (href, "")  # not a page of this site: never equal to an expected page
    rel = path[len(base.path):]
    if rel.endswith("index.html"):
        rel = rel[: -len("index.html")]
    if rel == "":
        page = "index.md"
    elif rel.endswith("/"):
        page = rel[:-1] + ".md"
        if docs is not None and not (docs / page).is_file() and (docs / rel / "index.md").is_file():
            page = rel + "index.md"
    else:
        page = rel
    return (page, unquote(url.fragment))


# ---------------------------------------------------------------------------
# Ranks and figures
# ---------------------------------------------------------------------------


def ranks(results: list[tuple[str, str]], page: str, anchor: str) -> dict:
    """section: among all links; anchored: among links to a heading only (stock Material heads each
    page's group with the page's own link, which can never be the expected section); page: among
    distinct pages in order of first appearance."""
    def first(links):
        return next((i for i, r in enumerate(links, start=1) if r == (page, anchor)), None)
    pages = list(dict.fromkeys(p for p, _ in results))
    return {"section_rank": first(results), "anchored_rank": first([r for r in results if r[1]]),
            "page_rank": pages.index(page) + 1 if page in pages else None}


def recall(values: list[int | None], k: int) -> float | None:
    return sum(1 for v in values if v is not None and v <= k) / len(values) if values else None


def latency_summary(samples: list[dict]) -> dict:
    first = [s["first_ms"] for s in samples if s["first_ms"] is not None]
    found = [s["first_ms"] for s in samples if s["first_ms"] is not None and s["items"]]
    settled = [s["settled_ms"] for s in samples if s["settled_ms"] is not None]
    return {
        "queries": len(samples),
        "median_ms": statistics.median(first) if first else None,
        "p90_ms": percentile(first, 90),
        "max_ms": max(first) if first else None,
        "found_median_ms": statistics.median(found) if found else None,
        "settled_median_ms": statistics.median(settled) if settled else None,
        "settled_p90_ms": percentile(settled, 90),
        "timeouts": sum(1 for s in samples if s["timed_out"]),
        "late_steps": sum(1 for s in samples if s["late_steps"]),
        "with_results": sum(1 for s in samples if s["items"]),
    }


def percentile(values: list[float], p: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def recall_table(per_query: list[dict]) -> dict:
    groups = {c: [q for q in per_query if q["class"] == c] for c in CLASSES}
    groups = {c: g for c, g in groups.items() if g}
    groups["all"] = per_query
    groups["all but term"] = [q for q in per_query if q["class"] != PAGE_ONLY_CLASS]
    table = {}
    for name, group in groups.items():
        row = {"n": len(group)}
        for v in VARIANTS:
            sec = [q[v]["section_rank"] for q in group]
            pag = [q[v]["page_rank"] for q in group]
            anc = [q[v]["anchored_rank"] for q in group]
            row[v] = {"section@1": recall(sec, 1), "section@5": recall(sec, 5),
                      "page@1": recall(pag, 1), "page@5": recall(pag, 5),
                      "anchored@1": recall(anc, 1), "anchored@5": recall(anc, 5)}
        table[name] = row
    return table


# ---------------------------------------------------------------------------
# The runs in the browser
# ---------------------------------------------------------------------------


def warm_up_browser(page, url: str) -> None:
    """What the first site opened in the browser would pay alone (renderer, the CJK fonts, compiling the theme's
    scripts): paid on a third origin serving the stock copy, whose caches no variant shares."""
    page.goto(url, wait_until="load")
    page.wait_for_timeout(1000)


def setup_figures(first: dict) -> dict:
    return {"first_query_ms": first["first_ms"], "typed_at_ms": first["typed_at_ms"],
            "results_since_navigation_ms": first["since_navigation_ms"], "timed_out": first["timed_out"],
            **{k: round(v, 1) for k, v in first["timing"].items() if v is not None}}


def run_course(context, urls: dict, docs: Path, questions: list[dict], quiet_ms: int, timeout_ms: int) -> dict:
    boxes = {v: SearchBox(context, urls[v], docs, quiet_ms, timeout_ms) for v in VARIANTS}
    setup = {}
    for v in VARIANTS:
        first = boxes[v].open()
        setup[v] = setup_figures(first)
        log(f"course {v}: set-up {setup[v]}")
    per_query, samples = [], {v: [] for v in VARIANTS}
    for i, q in enumerate(questions):
        row = {k: q[k] for k in ("line", "class", "query", "page", "anchor")}
        for v in (VARIANTS if i % 2 == 0 else VARIANTS[::-1]):  # alternate who goes first
            r = boxes[v].search(q["query"])
            row[v] = {**ranks(r["results"], q["page"], q["anchor"]), "first_ms": r["first_ms"],
                      "settled_ms": r["settled_ms"], "late_steps": r["late_steps"], "timed_out": r["timed_out"],
                      "items": r["items"], "meta": r["meta"],
                      "top": [f"{p}#{a}" if a else p for p, a in r["results"][:10]]}
            samples[v].append(r)
        per_query.append(row)
        if (i + 1) % 20 == 0 or i + 1 == len(questions):
            log(f"course: {i + 1}/{len(questions)} queries")
    errors = {v: boxes[v].errors for v in VARIANTS}
    for box in boxes.values():
        box.page.close()
    return {"setup": setup, "latency": {v: latency_summary(samples[v]) for v in VARIANTS},
            "recall": recall_table(per_query), "queries": per_query, "page_errors": errors}


def run_latency(context, urls: dict, queries: list[str], quiet_ms: int, timeout_ms: int) -> dict:
    boxes = {v: SearchBox(context, urls[v], None, quiet_ms, timeout_ms) for v in VARIANTS}
    setup, samples = {}, {v: [] for v in VARIANTS}
    for v in VARIANTS:
        first = boxes[v].open()
        setup[v] = setup_figures(first)
        log(f"synthetic {v}: set-up {setup[v]}")
    per_query = []
    for i, text in enumerate(queries):
        row = {"query": text}
        for v in (VARIANTS if i % 2 == 0 else VARIANTS[::-1]):
            r = boxes[v].search(text)
            samples[v].append(r)
            row[v] = {"first_ms": r["first_ms"], "settled_ms": r["settled_ms"], "items": r["items"],
                      "timed_out": r["timed_out"]}
        per_query.append(row)
    errors = {v: boxes[v].errors for v in VARIANTS}
    for box in boxes.values():
        box.page.close()
    return {"setup": setup, "latency": {v: latency_summary(samples[v]) for v in VARIANTS},
            "queries": per_query, "page_errors": errors}


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def fmt(value, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def verdict(value, target, at_most: bool) -> str:
    if value is None:
        return "n/a"
    return "ok" if (value <= target if at_most else value >= target) else "MISSED"


def md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.machine()}, {os.cpu_count()} CPUs" + (f", {model}" if model else "")


def git_state() -> str:
    return synthetic.git_state(["hooks", "search", "docs/javascripts", "overrides", "mkdocs.yml"], "search code clean")


def report(f: dict) -> str:
    out = ["# Search benchmark", ""]
    out.append(f"- date: {f['date']}")
    out.append(f"- machine: {f['machine']}")
    out.append(f"- browser: {f['chromium']}")
    out.append(f"- code: {f['git']}; mode {'quick' if f['args']['quick'] else 'full'}; total {f['elapsed_s']:.0f} s")
    w = f["worker"]
    out.append(f"- worker {w['name']}: project {w['project_bytes']} bytes (sha256 {w['project_sha256'][:12]}), "
               f"stock {w['stock_bytes']} bytes (sha256 {w['stock_sha256'][:12]})"
               + ("; IDENTICAL, the two variants are the same search" if w["identical"] else ""))
    out.append("- variants: project = the build as produced; stock = the same build with only that worker file "
               "replaced by the installed Material's own (index, pages and other scripts are the build's)")
    out.append("")

    c = f["course"]
    n = len(c["queries"])
    out.append(f"## Recall on the real course ({n} queries, {f['args']['questions']})")
    out.append("")
    out.append("section = rank of the expected heading's link among all result links; page = rank of the expected "
               "page among distinct pages in order of first appearance; recall@k = share with rank ≤ k.")
    out.append("")
    metrics = ("section@1", "section@5", "page@1", "page@5")
    header = ["class", "n"] + [f"{m} {v}" for m in metrics for v in VARIANTS]
    rows = []
    for name, row in c["recall"].items():
        cells = [name, str(row["n"])]
        for m in metrics:
            cells += [fmt(row[v][m], 3) for v in VARIANTS]
        rows.append(cells)
    out.append(md_table(header, rows))
    out.append("")
    out.append("The same section ranks counted among links to a heading only (stock Material puts each page's own "
               "link first in its group, so its section@1 above is near zero by construction):")
    out.append("")
    metrics = ("anchored@1", "anchored@5")
    rows = [[name, str(row["n"])] + [fmt(row[v][m], 3) for m in metrics for v in VARIANTS]
            for name, row in c["recall"].items() if name != PAGE_ONLY_CLASS]
    out.append(md_table(["class", "n"] + [f"{m} {v}" for m in metrics for v in VARIANTS], rows))
    out.append("")
    rec = c["recall"]
    proj = lambda group, m: rec.get(group, {}).get("project", {}).get(m)  # noqa: E731
    out.append("Targets (project; the term class counts at page level only, so section targets are on "
               "\"all but term\"; \"all\" shown for reference):")
    out.append("")
    out.append(md_table(["target", "project", "stock", "verdict"], [
        [f"section@1 ≥ {TARGET_SECTION_AT_1}", fmt(proj("all but term", "section@1"), 3),
         fmt(rec.get("all but term", {}).get("stock", {}).get("section@1"), 3),
         verdict(proj("all but term", "section@1"), TARGET_SECTION_AT_1, False)],
        [f"section@5 ≥ {TARGET_SECTION_AT_5}", fmt(proj("all but term", "section@5"), 3),
         fmt(rec.get("all but term", {}).get("stock", {}).get("section@5"), 3),
         verdict(proj("all but term", "section@5"), TARGET_SECTION_AT_5, False)],
        [f"term page@1 ≥ {TARGET_TERM_PAGE_AT_1}", fmt(proj(PAGE_ONLY_CLASS, "page@1"), 3),
         fmt(rec.get(PAGE_ONLY_CLASS, {}).get("stock", {}).get("page@1"), 3),
         verdict(proj(PAGE_ONLY_CLASS, "page@1"), TARGET_TERM_PAGE_AT_1, False)],
    ]))
    out.append("")

    out.append("## Latency, keyup → results (ms, in the page: input event → first change of the result list)")
    out.append("")
    rows = []
    runs = [("course", c, TARGET_COURSE_MEDIAN_MS)]
    if f.get("synthetic"):
        runs.append((f"synthetic N={f['synthetic']['lessons']}", f["synthetic"], TARGET_SYNTHETIC_MEDIAN_MS))
    for label, run, target in runs:
        for v in VARIANTS:
            lat, setup = run["latency"][v], run["setup"][v]
            rows.append([label, v, str(lat["queries"]), f"{lat['with_results']}",
                         f"{fmt(setup['first_query_ms'])} / {fmt(setup['results_since_navigation_ms'], 0)}",
                         fmt(lat["median_ms"]), fmt(lat["p90_ms"]), fmt(lat["max_ms"]), fmt(lat["found_median_ms"]),
                         fmt(lat["settled_median_ms"]), str(lat["late_steps"]), str(lat["timeouts"]),
                         f"≤ {target}: {verdict(lat['median_ms'], target, True)}" if v == "project" else ""])
    out.append(md_table(["course", "variant", "queries", "with results", "set-up: 1st query / since navigation", "median", "p90", "max",
                         "median with results", "settled median", "late steps", "timeouts", "target (median)"], rows))
    out.append("")
    out.append(f"set-up = the throw-away first query ({WARM_QUERY}), typed as soon as the home page's HTML was parsed "
               "so that it waits for the index: its keyup → results, and when its results came after the navigation "
               "started; not counted in the rest. "
               f"settled = the last change before {f['args']['quiet_ms']} ms of quiet; late steps = "
               "queries whose results changed again more than 50 ms after the first render; median with results = "
               "over the queries that found something (a query that finds nothing is cheap).")
    out.append("")

    out.append("## Search index size (search/search_index.json; the same file in both variants)")
    out.append("")
    rows = [[name, str(s["bytes"]), str(s["gzip6"]), str(s["pages"]), str(s["docs"]), fmt(b.get("wall"), 1)]
            for name, s, b in [("course", f["index"]["course"], f["builds"]["course"])]
            + ([(f"synthetic N={f['synthetic']['lessons']}", f["index"]["synthetic"], f["builds"]["synthetic"])]
               if f.get("synthetic") else [])]
    out.append(md_table(["build", "bytes", "gzip -6 bytes", "pages", "entries", "build s"], rows))
    errors = {k: v for run in (c, f.get("synthetic") or {}) for k, v in (run.get("page_errors") or {}).items() if v}
    if errors:
        out.append("")
        out.append("Page errors: " + "; ".join(f"{k}: {v[:3]}" for k, v in errors.items()))
    return "\n".join(out)


def misses(course: dict, which: str) -> str:
    """Each query the variant(s) missed (section rank ≠ 1; for term: page rank ≠ 1), with both variants' top 3."""
    wanted = VARIANTS if which == "all" else (which,)
    out = ["", f"## Misses of {' and '.join(wanted)} (section rank ≠ 1; for term: page rank ≠ 1), "
               "top 3 links of each variant", ""]
    count = 0
    for q in course["queries"]:
        key = "page_rank" if q["class"] == PAGE_ONLY_CLASS else "section_rank"
        if all(q[v][key] == 1 for v in wanted):
            continue
        count += 1
        out.append(f"- [{q['class']}] {q['query']}  →  {q['page']}#{q['anchor']}  (line {q['line']})")
        for v in VARIANTS:
            r = q[v]
            out.append(f"    - {v}: section {r['section_rank'] or '–'} (anchored {r['anchored_rank'] or '–'}), "
                       f"page {r['page_rank'] or '–'}; {r['meta']!r}; " + " | ".join(r["top"][:3]))
    out.append("")
    out.append(f"{count} of {len(course['queries'])} queries")
    return "\n".join(out)


# ---------------------------------------------------------------------------


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="first 20 queries, a 50-lesson synthetic course")
    ap.add_argument("--synthetic", type=int, help="lessons of the synthetic course (default 500; quick 50; 0 = none)")
    ap.add_argument("--synthetic-queries", type=int, help="term queries timed on it (default 30; quick 10)")
    ap.add_argument("--limit", type=int, help="only the first N queries of the set (quick: 20)")
    ap.add_argument("--questions", type=Path, default=QUESTIONS, help="the query set (TSV)")
    ap.add_argument("--quiet-ms", type=int, default=400, help="results count as settled after this long unchanged")
    ap.add_argument("--timeout-ms", type=int, default=20_000, help="give up waiting for one query's results")
    ap.add_argument("--json", type=Path, help="also write every figure and each query's results to this file")
    ap.add_argument("--misses", nargs="?", const="project", choices=(*VARIANTS, "all"),
                    help="list the queries the project (or: stock, all) missed, with the top 3 links of each variant")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (the builds) and print its path")
    ap.add_argument("--tmp", type=Path, help="parent of the temp dir (default: system temp)")
    args = ap.parse_args(argv)
    args.synthetic = (50 if args.quick else 500) if args.synthetic is None else args.synthetic
    args.synthetic_queries = args.synthetic_queries or (10 if args.quick else 30)
    args.limit = args.limit or (20 if args.quick else None)
    return args


def chromium_executable() -> str:
    executable = os.environ.get("COURSE_CHROMIUM") or shutil.which("chromium")
    if not executable or not Path(executable).exists():
        raise SystemExit("no Chromium: install Debian's chromium or name it in COURSE_CHROMIUM (never downloaded)")
    return executable


def stop_on_sigterm(*_):
    raise KeyboardInterrupt


def main(argv=None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    try:
        import mkdocs  # noqa: F401
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise SystemExit(f"{sys.executable}: {error}; run with the project's venv, .venv/bin/python")
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    questions = read_questions(args.questions)
    if args.limit:
        questions = questions[: args.limit]
    terms = [q["query"] for q in read_questions(args.questions) if q["class"] == PAGE_ONLY_CLASS]
    terms = terms[: args.synthetic_queries]
    executable = chromium_executable()

    tmp = Path(tempfile.mkdtemp(prefix="bench-search-", dir=args.tmp))
    log(f"temp dir {tmp}")
    figures: dict = {
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "machine": machine(),
        "git": git_state(),
        "builds": {},
        "index": {},
    }
    servers: dict[str, Server] = {}
    profile = tmp / "chromium-profile"
    try:
        servers = {v: Server(tmp / v) for v in VARIANTS}
        servers["warm-up"] = Server(tmp / "stock")  # another origin over the stock copy, for warm_up_browser
        urls = {v: servers[v].url(SUB_PATH) for v in VARIANTS}

        log("building the real course")
        project_site = tmp / "project" / SUB_PATH
        figures["builds"]["course"] = build(ROOT / "mkdocs.yml", project_site, urls["project"])
        figures["worker"] = make_stock_copy(project_site, tmp / "stock" / SUB_PATH)
        figures["index"]["course"] = index_size(project_site)
        log(f"built in {figures['builds']['course']['wall']:.1f} s; index {figures['index']['course']['bytes']} bytes")

        synthetic_urls = None
        if args.synthetic > 0:
            n = args.synthetic
            log(f"generating and building a synthetic course of {n} lessons")
            source = tmp / "synthetic-source"
            configs, _ = synthetic.synthetic_project(source, n, n, seed=20240601)
            synthetic_urls = {v: servers[v].url(SYNTHETIC_PATH) for v in VARIANTS}
            synthetic_site = tmp / "project" / SYNTHETIC_PATH
            figures["builds"]["synthetic"] = build(configs["with"], synthetic_site, synthetic_urls["project"])
            make_stock_copy(synthetic_site, tmp / "stock" / SYNTHETIC_PATH)
            figures["index"]["synthetic"] = index_size(synthetic_site)
            log(f"built in {figures['builds']['synthetic']['wall']:.1f} s; "
                f"index {figures['index']['synthetic']['bytes']} bytes")

        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(profile), executable_path=executable, args=CHROMIUM_ARGS, headless=True)
            try:
                context.add_init_script(PROBE)
                page = context.new_page()
                version = context.new_cdp_session(page).send("Browser.getVersion")
                figures["chromium"] = f"{version.get('product')} ({executable})"
                warm_up_browser(page, servers["warm-up"].url(SUB_PATH))
                page.close()
                figures["course"] = run_course(context, urls, ROOT / "docs", questions, args.quiet_ms, args.timeout_ms)
                if synthetic_urls:
                    figures["synthetic"] = run_latency(context, synthetic_urls, terms, args.quiet_ms, args.timeout_ms)
                    figures["synthetic"]["lessons"] = args.synthetic
            finally:
                try:
                    context.close()
                except Exception:  # the browser may already be gone after Ctrl+C
                    pass
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    except synthetic.BuildFailed as error:
        raise SystemExit(f"build failed: {error}")
    finally:
        for server in servers.values():
            server.stop()
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    figures["elapsed_s"] = time.perf_counter() - started
    print(report(figures))
    if args.misses:
        print(misses(figures["course"], args.misses))
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
        log(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
