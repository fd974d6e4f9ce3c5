// Exercises: checks answers in the browser and keeps progress in
// localStorage. The HTML comes from hooks/quiz/render.py.
(() => {
  "use strict";

  const $ = (root, sel) => root.querySelector(sel);
  const $$ = (root, sel) => Array.from(root.querySelectorAll(sel));
  const text = (el) => (el ? el.textContent.replace(/\s+/g, " ").trim() : "");
  const states = new WeakMap(); // .quiz -> its state, for the set's reset

  // This file is <site>/javascripts/quiz.js: its address gives the site's base
  // path, however deep the page and after instant navigation alike.
  const script = document.currentScript;
  const sitePath = script && script.src ? new URL("..", script.src).pathname
    : (window.__md_scope && window.__md_scope.pathname) || "/";

  // Progress belongs to one site on a host (browsers keep one storage per
  // host): keyed by the site's base path and, once there are several, by its
  // edition, so that two courses or editions never overwrite each other.
  function progressKey(id) {
    const meta = document.querySelector('meta[name="course-edition"]');
    const edition = meta ? meta.content : "";
    return sitePath + ".course-quiz" + (edition ? "." + edition : "") + ":" + id;
  }
  const legacyKey = (id) => "course-quiz:" + id;

  // Storage may throw (private mode, blocked): then nothing is remembered.
  function load(id) {
    try {
      const key = progressKey(id);
      let raw = localStorage.getItem(key);
      if (raw === null) {
        // Releases before scoped keys saved under one key per host. The first
        // site to read it adopts it; removing it stops every other course or
        // edition on the host from adopting (and showing) it too.
        raw = localStorage.getItem(legacyKey(id));
        if (raw !== null) {
          try {
            localStorage.setItem(key, raw);
            localStorage.removeItem(legacyKey(id));
          } catch (e) { /* read now, adopted on a later visit */ }
        }
      }
      return JSON.parse(raw);
    } catch (e) { return null; }
  }
  function store(id, value) {
    try {
      if (value) localStorage.setItem(progressKey(id), JSON.stringify(value));
      else localStorage.removeItem(progressKey(id));
    } catch (e) { /* not remembered */ }
  }

  // Options appear in an order of this browser's own, the same on every visit:
  // drawn from a seed kept beside the progress and the exercise's id. Without
  // storage the seed lasts as long as the page. Inputs keep the YAML letters,
  // so the key and saved answers hold whatever the order.
  let seed = null;
  function browserSeed() {
    if (seed === null) {
      const key = sitePath + ".course-quiz-seed";
      try { seed = localStorage.getItem(key); } catch (e) { /* none kept */ }
      if (!seed) {
        seed = Math.random().toString(36).slice(2);
        try { localStorage.setItem(key, seed); } catch (e) { /* this page's own */ }
      }
      seed = String(seed).slice(0, 64); // whatever storage holds, a bounded amount of work
    }
    return seed;
  }

  // A generator of numbers in [0, 1) from a string: FNV-1a, then mulberry32.
  function random(words) {
    let h = 2166136261;
    for (let n = 0; n < words.length; n++) h = Math.imul(h ^ words.charCodeAt(n), 16777619);
    return () => {
      h = (h + 0x6d2b79f5) | 0;
      let t = Math.imul(h ^ (h >>> 15), 1 | h);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  // Shuffles the options but the pinned ones, then letters them in the shown
  // order: the options, their feedback and each letter the texts name them by.
  function shuffle(q, id) {
    const labels = $$(q, ".quiz__option");
    const order = labels.slice();
    const free = labels.map((l, n) => n).filter((n) => !labels[n].hasAttribute("data-pin"));
    const next = random(browserSeed() + ":" + id);
    for (let i = free.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[free[i]], order[free[j]]] = [order[free[j]], order[free[i]]];
    }
    const shown = {};
    const feedbacks = $(q, ".quiz__feedbacks");
    $(q, ".quiz__options").append(...order);
    order.forEach((label, n) => {
      const value = $(label, "input").value;
      shown[value] = String.fromCharCode(65 + n);
      $(label, ".quiz__letter").textContent = shown[value];
      const li = feedbacks && $(feedbacks, `[data-option="${value}"]`);
      if (li) {
        feedbacks.append(li);
        $(li, ".quiz__letter").textContent = shown[value];
      }
    });
    $$(q, ".quiz__ref").forEach((ref) => {
      ref.textContent = Array.from(ref.dataset.ref, (l) => shown[l] || l).sort().join("、");
    });
  }

  // Blanks compare as a Chinese reader would: width, case, spaces and
  // punctuation do not matter.
  const norm = (s) => String(s || "").normalize("NFKC").toLowerCase().replace(/[\s\p{P}]+/gu, "");

  // Words beside every mark, so that colour is never the only signal.
  function badge(words) {
    const b = document.createElement("span");
    b.className = "quiz__badge";
    b.textContent = words;
    return b;
  }

  // single, true_false (one value) and multiple (a list).
  const choice = (many) => ({
    read(q) {
      const values = $$(q, ".quiz__options input:checked").map((i) => i.value);
      return many ? values : values[0] || null;
    },
    write(q, r) {
      const values = [].concat(r || []);
      $$(q, ".quiz__options input").forEach((i) => { i.checked = values.includes(i.value); });
    },
    empty: (r) => !r || !r.length,
    grade(q, key, r) {
      const answer = [].concat(key.answer || []);
      const chosen = [].concat(r);
      // Every option is marked, chosen or not, in the form and the feedback.
      const mark = (el, value, first) => {
        const good = answer.includes(value);
        const mine = chosen.includes(value);
        el.classList.add(good ? "is-correct-option" : "is-wrong-option");
        el.classList.toggle("is-chosen", mine);
        el[first ? "prepend" : "append"](badge((good ? "✓ 正确选项" : "✗ 错误选项") + (mine ? "（你的选择）" : "")));
      };
      $$(q, ".quiz__option").forEach((label) => mark(label, $(label, "input").value));
      $$(q, ".quiz__feedback").forEach((li) => mark(li, li.dataset.option, true));
      const right = answer.length === chosen.length && answer.every((a) => chosen.includes(a));
      // The key as the trainee sees it: the shown letters, in the shown order.
      const shown = $$(q, ".quiz__option").filter((l) => answer.includes($(l, "input").value));
      return [right, shown.map((l) => text($(l, ".quiz__letter"))).join("、")];
    },
  });

  const TYPES = {
    single: choice(false),
    true_false: choice(false),
    multiple: choice(true),

    fill: {
      read(q) {
        const r = [];
        $$(q, ".quiz__blank").forEach((i) => { r[+i.dataset.blank] = i.value; });
        return r;
      },
      write(q, r) {
        $$(q, ".quiz__blank").forEach((i) => { i.value = (r && r[+i.dataset.blank]) || ""; });
      },
      empty: (r) => r.every((s) => !s.trim()),
      grade(q, key, r) {
        const accepted = key.blanks || [];
        let right = true;
        $$(q, ".quiz__blank").forEach((input) => {
          const n = +input.dataset.blank;
          const given = norm(r[n]);
          const good = given !== "" && (accepted[n] || []).some((a) => norm(a) === given);
          right = right && good;
          input.classList.add(good ? "is-right" : "is-wrong");
          if (!good) input.setAttribute("aria-invalid", "true");
          input.after(badge(good ? "✓" : "✗"));
        });
        const firsts = accepted.map((a) => a[0]);
        return [right, firsts.length > 1 ? firsts.map((a, n) => `第 ${n + 1} 空 ${a}`).join("；") : firsts[0]];
      },
    },

    order: {
      read: (q) => $$(q, ".quiz__item").map((li) => li.dataset.item),
      write(q, r) {
        const list = $(q, ".quiz__order");
        const items = $$(list, ".quiz__item");
        const sorted = (r || []).map((letter) => items.find((li) => li.dataset.item === letter));
        // A saved order that is not of these items is stale.
        if (sorted.length !== items.length || !sorted.every(Boolean)) throw new Error("stale order");
        list.append(...sorted);
      },
      empty: () => false, // the list always holds an order
      grade(q, key, r) {
        const answer = key.answer || [];
        $$(q, ".quiz__item").forEach((li, n) => {
          const good = answer[n] === li.dataset.item;
          li.classList.add(good ? "is-right" : "is-wrong");
          $(li, ".quiz__moves").before(badge(good ? "✓ 位置正确" : `✗ 应在第 ${answer.indexOf(li.dataset.item) + 1} 位`));
        });
        const name = (letter) => text($(q, `.quiz__item[data-item="${letter}"] .quiz__text`));
        return [r.join() === answer.join(), answer.map(name).join(" → ")];
      },
    },

    open: {
      read: (q) => $(q, ".quiz__answer").value,
      write(q, r) { $(q, ".quiz__answer").value = r || ""; },
      empty: (r) => !r.trim(),
      grade: () => [null],
    },
  };

  const isChecked = (q) => q.matches(".is-correct, .is-wrong, .is-done");

  function save(st, correct) {
    store(st.id, {
      v: st.version,
      response: st.type.read(st.q),
      correct,
      rubric: $$(st.q, ".quiz__criterion").map((c) => c.checked),
      level: st.level || "",
    });
  }

  // The level of a self-assessment, once the trainee has ticked: the first
  // whose least share (render.RUBRIC_LEVELS, in %) the criteria met reach.
  function selfAssessment(st) {
    const criteria = $$(st.q, ".quiz__criterion");
    const met = criteria.filter((c) => c.checked).length;
    const rubric = $(st.q, ".quiz__rubric");
    const out = $(st.q, ".quiz__level");
    if (st.rated && rubric && out && criteria.length) {
      const levels = (rubric.dataset.levels || "").split(",").map((l) => l.split(":"));
      const found = levels.find(([least]) => met * 100 >= criteria.length * +least);
      st.level = found ? found[1] : "";
    } else st.level = "";
    if (out) {
      out.hidden = !st.level;
      out.textContent = st.level ? `自评等级：${st.level}（符合 ${met} / ${criteria.length} 条要点）` : "";
    }
    st.result.textContent = "已作答，参考答案见下方。" +
      (criteria.length ? `自评：符合 ${met} / ${criteria.length} 条要点` +
        (st.level ? `，等级：${st.level}。` : "。勾选符合的要点后显示等级。") : "");
  }

  // Shows the checked state; `interactive` is false while restoring `saved`.
  // Returns false when there is nothing to check.
  function check(st, interactive, saved) {
    const { q, type } = st;
    if (isChecked(q)) return true;
    const response = type.read(q);
    if (type.empty(response)) {
      if (interactive) {
        // Emptied first, so that pressing again is announced again.
        st.result.textContent = "";
        setTimeout(() => { if (!isChecked(q)) st.result.textContent = "请先作答。"; }, 50);
      }
      return false;
    }
    const [correct, shown] = type.grade(q, st.key, response);
    q.classList.add(correct === null ? "is-done" : correct ? "is-correct" : "is-wrong");
    st.body.disabled = true; // disables every control in the fieldset
    st.solution.hidden = st.retryButton.hidden = false;
    st.checkButton.hidden = true;
    if (correct === null) {
      const rubric = saved && saved.rubric;
      $$(q, ".quiz__criterion").forEach((c, n) => { c.checked = !!(rubric && rubric[n]); });
      st.rated = !!(saved && saved.level);
      selfAssessment(st);
    } else {
      st.result.textContent = correct ? "✓ 回答正确。" : `✗ 回答错误。正确答案：${shown}。`;
    }
    if (interactive) {
      save(st, correct);
      st.retryButton.focus();
      summarize(q.closest(".quiz-set"));
    }
    return true;
  }

  const MARKS = ["is-correct-option", "is-wrong-option", "is-chosen", "is-right", "is-wrong"];

  function retry(st, interactive) {
    const { q } = st;
    q.classList.remove("is-correct", "is-wrong", "is-done");
    $$(q, ".quiz__badge").forEach((b) => b.remove());
    $$(q, "." + MARKS.join(", .")).forEach((el) => el.classList.remove(...MARKS));
    $$(q, "[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    $$(q, ".quiz__criterion").forEach((c) => { c.checked = false; });
    st.rated = false;
    // Retrying a writing exercise is revising it: the draft stays. A reset clears it.
    if (!(interactive && q.dataset.quizType === "open")) st.type.write(q, st.initialOrder);
    st.body.disabled = false;
    st.solution.hidden = st.retryButton.hidden = true;
    st.checkButton.hidden = false;
    st.result.textContent = "";
    store(st.id, null);
    if (interactive) {
      const first = $(st.body, "input, textarea, button");
      if (first) first.focus();
      summarize(q.closest(".quiz-set"));
    }
  }

  // Moves the neighbour rather than the item, so that the focused button
  // never leaves the document and keeps its focus.
  function move(st, button) {
    const li = button.closest(".quiz__item");
    const up = button.dataset.move === "up";
    const other = up ? li.previousElementSibling : li.nextElementSibling;
    if (other) li[up ? "after" : "before"](other);
    const name = `“${text($(li, ".quiz__text"))}”`;
    const position = $$(st.q, ".quiz__item").indexOf(li) + 1;
    st.result.textContent = `${name}${other ? "移到" : "已在"}第 ${position} 位`;
    button.focus();
  }

  function setup(q) {
    q.dataset.quizReady = "";
    const type = TYPES[q.dataset.quizType];
    const form = $(q, ".quiz__form");
    if (!type || !form) return; // e.g. a stand-in for a broken exercise
    let key = {};
    try { key = JSON.parse($(q, ".quiz__key").textContent) || {}; } catch (e) { /* none */ }
    const st = {
      q, type, key,
      id: q.dataset.quizId,
      version: q.dataset.quizVersion || "",
      body: $(q, ".quiz__body"),
      result: $(q, ".quiz__result"),
      solution: $(q, ".quiz__solution"),
      checkButton: $(q, ".quiz__check"),
      retryButton: $(q, ".quiz__retry"),
      // What retry puts back: the authored order, or nothing.
      initialOrder: q.dataset.quizType === "order" ? TYPES.order.read(q) : null,
    };
    states.set(q, st);
    if (q.hasAttribute("data-quiz-shuffle")) shuffle(q, st.id);

    form.addEventListener("submit", (e) => {
      e.preventDefault();
      check(st, true);
    });
    st.retryButton.addEventListener("click", () => retry(st, true));
    q.addEventListener("click", (e) => {
      const button = e.target.closest(".quiz__move");
      if (button) move(st, button);
    });
    q.addEventListener("change", (e) => {
      if (!e.target.matches(".quiz__criterion")) return;
      st.rated = true;
      selfAssessment(st);
      save(st, null);
    });
    // Enter that only commits an input-method composition must not submit
    // (some browsers report it with keyCode 229 only).
    q.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && e.target.matches(".quiz__blank") && (e.isComposing || e.keyCode === 229)) {
        e.preventDefault();
      }
    });

    const saved = load(st.id);
    if (!saved) return;
    // An exercise edited since (another version) starts afresh.
    if (saved.v === st.version) {
      try {
        type.write(q, saved.response);
        if (check(st, false, saved)) return;
      } catch (e) { /* unreadable */ }
    }
    retry(st, false);
  }

  function summarize(set) {
    const out = set && $(set, ".quiz-set__progress");
    if (!out) return;
    const quizzes = $$(set, ".quiz[data-quiz-id]");
    const done = quizzes.filter(isChecked).length;
    const right = quizzes.filter((x) => x.matches(".is-correct")).length;
    const open = quizzes.filter((x) => x.dataset.quizType === "open").length;
    const scored = quizzes.length - open;
    const lines = [`已完成 ${done} / ${quizzes.length} 题，答对 ${right} 题` + (open ? "（写作练习自评，不计对错）" : "")];
    if (set.hasAttribute("data-quiz-score") && scored) {
      lines.push(`得分：${right} / ${scored}（${Math.round((100 * right) / scored)}%）`);
      if (done === quizzes.length) {
        lines.push(right === scored ? "全部完成，全部答对。" : "全部完成。答错的题可点“重新作答”再练一次。");
      }
    }
    // Lines hold only digits and fixed words: no markup to escape.
    out.innerHTML = lines.map((line) => `<span class="quiz-set__line">${line}</span>`).join("");
  }

  // An exercise arrives as what a reader needs before answering (number,
  // prompt, choices); the exercise itself (its controls, hint and solution)
  // is raw text no search indexer reads, put in place only here. The set's
  // own button carries its words as data for the same reason.
  function unpack() {
    $$(document, ".quiz-set .quiz > style.quiz__data").forEach((data) => {
      const quiz = data.parentElement;
      const standIn = $(quiz, ".quiz__prompt");
      // The inverse of render.as_raw_text: the renderer's own "</" and "<!--", written so as not to end the element.
      quiz.innerHTML = data.textContent.replace(/<\\\//g, "</").replace(/<\\!--/g, "<!--");
      // The search's highlight (?h=…) marked the stand-in's prompt: keep it, unless inputs stand in its
      // gaps or letters naming options (YAML letters in the stand-in) are to follow the shown order.
      const prompt = $(quiz, ".quiz__prompt");
      if (standIn && prompt && quiz.dataset.quizType !== "fill" && standIn.querySelector("mark") &&
          !prompt.querySelector(".quiz__ref")) {
        prompt.replaceChildren(...standIn.childNodes);
      }
    });
    $$(document, ".quiz-set [data-content]").forEach((el) => {
      el.innerHTML = el.dataset.content;
      delete el.dataset.content;
    });
  }

  function init() {
    unpack();
    $$(document, ".quiz:not([data-quiz-ready])").forEach(setup);
    // One summary per set after restoring, not one per exercise.
    $$(document, ".quiz-set:not([data-quiz-ready])").forEach((set) => {
      set.dataset.quizReady = "";
      const reset = $(set, ".quiz-set__reset");
      if (reset) {
        reset.addEventListener("click", () => {
          if (!window.confirm("确定清除本组全部作答记录吗？")) return;
          $$(set, ".quiz").forEach((q) => states.has(q) && retry(states.get(q), false));
          summarize(set);
        });
      }
      summarize(set);
    });
  }

  // Material's instant navigation swaps pages without reloading and
  // announces each new page through its document$ observable.
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
