/* The course's search, inside Material's search worker (hooks/search_worker.py
   puts this file in front of the worker's own code when the site is built).

   Material's worker answers two messages: set-up (the index) and a query. This
   code answers both itself, with the same message shapes, so Material's search
   box, result list and highlighting stay as they are; only the ranking is ours:

   - a query is read the way the index was written: full/half width and case
     folded, Latin letters and digits apart from Chinese, Chinese segmented
     against the index's own words (jieba's, the course terms among them);
   - question and function words (search/stopwords.txt) are dropped;
   - each remaining word also matches its synonyms (search/synonyms.txt), the
     longer indexed words it is part of, and a word one character away when the
     word itself is unknown (an input-method slip);
   - a section is scored by where the words stand: its heading and the questions
     an instructor attached to it (a lesson's front matter) weigh most, then its
     text; a section holding every word beats one holding some; pages' search
     boosts and the exercises' weight (hooks/search_index.py) scale the score;
   - results come grouped by page as Material shows them, the best section of
     each group first, with its heading as the title.

   If anything here fails while setting up, Material's own search takes over. */
(function () {
  "use strict";
  try {
    install();
  } catch (error) {
    console.error("课程搜索无法启动，改用主题自带的搜索：", error);
  }

  function install() {

  // Built at run time, not written as literals: a browser without Unicode property escapes then
  // fails here, inside the try below, and Material's search answers instead of none at all.
  var HAN = new RegExp("\\p{sc=Han}", "u");
  // Letters and digits (Chinese among them): what a query and the index are made of.
  var PIECES = new RegExp("[\\p{L}\\p{N}]+", "gu");
  var SCRIPT_SPLIT = new RegExp("\\p{sc=Han}+|[^\\p{sc=Han}]+", "gu");
  var COUNT = new RegExp("(^|[^\\d.])(10|[1-9])(?=\\p{sc=Han})", "gu");

  // Where a word stands, and how much that says about a section teaching it.
  var FIELD_WEIGHT = { title: 6, questions: 5, text: 1 };
  // How sure a match is: the word itself, a synonym, one character off, inside a longer word.
  var MATCH_WEIGHT = { exact: 1, synonym: 0.9, slip: 0.7, inner: 0.55, loose: 0.5 };
  // BM25's saturation and length normalisation for the text.
  var K1 = 1.2;
  var B = 0.75;
  // At most this many longer words are tried for a word inside them, and this many results returned.
  var INNER_LIMIT = 40;
  var RARE = 3;
  var RESULT_LIMIT = 60;
  var EXCERPT = 90;

  function normalize(text) {
    return String(text || "").normalize("NFKC").toLowerCase().replace(/\u200b/g, " ");
  }

  var ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'", nbsp: " " };

  function plain(html) {
    return String(html || "")
      .replace(/<[^>]*>/g, " ")
      .replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/g, function (_, name) { return ENTITIES[name]; });
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (ch) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[ch];
    });
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  /* The words of an indexed field: split where the index's separator says
     (jieba's cuts are zero-width spaces), then Chinese apart from the rest. */
  function words(text, separator) {
    var found = [];
    normalize(plain(text)).split(separator).forEach(function (token) {
      (token.match(PIECES) || []).forEach(function (piece) {
        (piece.match(SCRIPT_SPLIT) || []).forEach(function (part) { found.push(part); });
      });
    });
    return found;
  }

  function Index(setup) {
    var config = setup.config || {};
    var course = config.course || {};
    this.separator = new RegExp(config.separator || "[\\s\\-]+", "u");
    this.stopwords = new Set((course.stopwords || []).map(normalize));
    // Words the segmenter trusts: the index's words jieba's dictionary has (or the course terms), not
    // the odd pieces jieba guessed at in running text (现在报, 透怎么办), and the pieces of those words.
    this.dictionary = new Set((course.words || []).map(normalize));
    this.fragments = new Set();
    var fragments = this.fragments;
    this.dictionary.forEach(function (word) {
      for (var start = 0; start < word.length; start++) {
        for (var end = start + 2; end <= word.length && end - start < word.length; end++) fragments.add(word.slice(start, end));
      }
    });
    this.synonyms = new Map();
    var self = this;
    (course.synonyms || []).forEach(function (group) {
      var members = group.map(normalize);
      members.forEach(function (word) {
        var others = self.synonyms.get(word) || [];
        members.forEach(function (other) { if (other !== word && others.indexOf(other) < 0) others.push(other); });
        self.synonyms.set(word, others);
      });
    });
    this.docs = [];
    this.postings = new Map(); // word -> [[doc, title tf, questions tf, text tf], ...]
    var pages = new Map();
    var totalLength = 0;
    (setup.docs || []).forEach(function (doc) {
      var location = String(doc.location || "");
      var page = location.split("#")[0];
      var entry = {
        doc: doc,
        page: page,
        isPage: location.indexOf("#") < 0,
        weight: (typeof doc.boost === "number" ? doc.boost : 1) * (typeof doc.weight === "number" ? doc.weight : 1),
        length: 0
      };
      if (entry.isPage) pages.set(page, entry);
      var counts = new Map();
      var fields = [words(doc.title, self.separator), words((doc.questions || []).join(" "), self.separator),
                    words(doc.text, self.separator)];
      fields.forEach(function (list, field) {
        list.forEach(function (word) {
          var tf = counts.get(word);
          if (!tf) counts.set(word, tf = [0, 0, 0]);
          tf[field] += 1;
        });
      });
      entry.length = fields[2].length;
      entry.heading = fields[0].join("");
      entry.asked = fields[1].join("");
      entry.titleLength = entry.heading.length || 1;
      totalLength += entry.length;
      var number = self.docs.push(entry) - 1;
      counts.forEach(function (tf, word) {
        var list = self.postings.get(word);
        if (!list) self.postings.set(word, list = []);
        list.push([number, tf[0], tf[1], tf[2]]);
      });
    });
    this.pages = pages;
    this.averageLength = this.docs.length ? totalLength / this.docs.length || 1 : 1;
    // Words by length, for one-character slips; every word, for words inside longer ones.
    this.vocabulary = Array.from(this.postings.keys());
    this.byLength = new Map();
    this.vocabulary.forEach(function (word) {
      if (!HAN.test(word)) return;
      var list = self.byLength.get(word.length);
      if (!list) self.byLength.set(word.length, list = []);
      list.push(word);
    });
    this.longest = 1;
    this.vocabulary.forEach(function (word) { if (word.length > self.longest) self.longest = Math.min(word.length, 12); });
    this.innerCache = new Map();
    this.scoreCache = new Map();
    // What a query's word was read as: mended slips (typed -> words), characters kept together (-> pairs).
    this.slipCache = new Map();
    this.looseCache = new Map();
  }

  Index.prototype.known = function (word) {
    return this.postings.has(word) || this.stopwords.has(word) || this.synonyms.has(word);
  };

  /* What a piece of a query costs the segmentation: a word of the dictionary, a
     question word or a synonym least, then a piece of a longer word, a
     character alone, and last a piece jieba guessed at in the index's text. */
  Index.prototype.cost = function (piece) {
    if (piece.length === 1) return this.known(piece) ? 1.6 : 2;
    if (this.dictionary.has(piece) || this.stopwords.has(piece) || this.synonyms.has(piece)) return 1;
    if (this.fragments.has(piece)) return 1.3;
    return this.postings.has(piece) ? 4 : Infinity;
  };

  /* A run of Chinese as words: the cheapest pieces (see cost). */
  Index.prototype.segment = function (run) {
    var n = run.length;
    var cost = new Array(n + 1).fill(Infinity);
    var back = new Array(n + 1).fill(0);
    cost[0] = 0;
    for (var end = 1; end <= n; end++) {
      for (var start = Math.max(0, end - this.longest); start < end; start++) {
        var step = this.cost(run.slice(start, end));
        if (cost[start] + step < cost[end]) {
          cost[end] = cost[start] + step;
          back[end] = start;
        }
      }
    }
    var pieces = [];
    for (var at = n; at > 0; at = back[at]) pieces.unshift(run.slice(back[at], at));
    return pieces;
  };

  /* Words one character away (a wrong, missing or extra character) of `word`. */
  Index.prototype.slips = function (word) {
    var found = [];
    var self = this;
    // A missing or extra character only in a long phrase: in a short one it makes another word.
    var lengths = word.length >= 4 ? [word.length, word.length + 1, word.length - 1] : [word.length];
    lengths.forEach(function (length) {
      if (length < 2) return;
      (self.byLength.get(length) || []).forEach(function (candidate) {
        if (oneApart(word, candidate)) found.push(candidate);
      });
    });
    return found;
  };

  function oneApart(a, b) {
    if (a === b) return false;
    if (a.length === b.length) {
      var differ = 0;
      for (var i = 0; i < a.length && differ < 2; i++) if (a[i] !== b[i]) differ++;
      return differ === 1;
    }
    var longer = a.length > b.length ? a : b;
    var shorter = a.length > b.length ? b : a;
    for (var j = 0; j < longer.length; j++) {
      if (longer.slice(0, j) + longer.slice(j + 1) === shorter) return true;
    }
    return false;
  }

  /* Longer indexed words holding `word`, the rarer first. */
  Index.prototype.inner = function (word) {
    if (this.innerCache.has(word)) return this.innerCache.get(word);
    var postings = this.postings;
    var found = this.vocabulary.filter(function (other) {
      return other.length > word.length && other.indexOf(word) >= 0;
    });
    found.sort(function (a, b) { return postings.get(a).length - postings.get(b).length; });
    found = found.slice(0, INNER_LIMIT);
    this.innerCache.set(word, found);
    return found;
  };

  var NUMERALS = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

  /* A small number counting something as the lessons write it: 4个 → 四个, 3股 → 三股. */
  function numerals(text) {
    return text.replace(COUNT, function (_, before, digits) {
      return before + NUMERALS[Number(digits)];
    });
  }

  /* The query as concepts: each a word the trainee typed, with what may stand for it. */
  Index.prototype.concepts = function (query) {
    var self = this;
    var typed = [];
    (numerals(normalize(query)).match(PIECES) || []).forEach(function (piece) {
      (piece.match(SCRIPT_SPLIT) || []).forEach(function (part) {
        if (HAN.test(part)) typed = typed.concat(self.loose(self.slipped(self.segment(part))));
        else typed.push(part);
      });
    });
    var kept = typed.filter(function (word) { return !self.stopwords.has(word); });
    if (!kept.length) kept = typed; // a query of question words only: search for them as typed
    var seen = new Set();
    var concepts = [];
    kept.forEach(function (word) {
      if (seen.has(word)) return;
      seen.add(word);
      concepts.push({ word: word, alternatives: self.alternatives(word) });
    });
    return concepts;
  };

  /* Characters left standing alone side by side are most often one word the index lacks
     (社情民意 → 社 情 民 意): kept together, found through the two-character words in it
     the index has (民意); alone again when it has none. */
  Index.prototype.loose = function (pieces) {
    var self = this;
    var result = [];
    var run = [];
    function flush() {
      var joined = run.join("");
      var pairs = [];
      for (var i = 0; i + 2 <= joined.length; i++) {
        var pair = joined.slice(i, i + 2);
        if (self.postings.has(pair) && !self.stopwords.has(pair) && pairs.indexOf(pair) < 0) pairs.push(pair);
      }
      if (run.length >= 2 && pairs.length) {
        self.looseCache.set(joined, pairs);
        result.push(joined);
      } else {
        result = result.concat(run);
      }
      run = [];
    }
    pieces.forEach(function (piece) {
      if (piece.length === 1 && !self.stopwords.has(piece) && !self.slipCache.has(piece)) run.push(piece);
      else {
        if (run.length) flush();
        result.push(piece);
      }
    });
    if (run.length) flush();
    return result;
  };

  /* Runs of single unknown-looking characters joined back and mended when one
     character away from a known word: 信息亮 → 信息量, 为谁抱 → 为谁报. */
  Index.prototype.slipped = function (pieces) {
    var self = this;
    var result = [];
    var i = 0;
    while (i < pieces.length) {
      var mended = null;
      // The longest window of pieces around a single character that is one character off a word.
      for (var span = Math.min(4, pieces.length - i); span >= 1 && !mended; span--) {
        var window = pieces.slice(i, i + span);
        var joined = window.join("");
        var hasSingle = window.some(function (p) { return p.length === 1 && !self.stopwords.has(p); });
        var hasStopword = window.some(function (p) { return self.stopwords.has(p); });
        if (joined.length < 2 || !hasSingle || hasStopword || self.postings.has(joined)) continue;
        var near = self.slips(joined).filter(function (word) { return !self.stopwords.has(word); });
        if (near.length === 1 || (near.length > 1 && joined.length >= 3)) mended = { span: span, words: near, typed: joined };
      }
      if (mended) {
        // The typed word stays the concept; alternatives() finds what it was mended to.
        self.slipCache.set(mended.typed, mended.words);
        result.push(mended.typed);
        i += mended.span;
      } else {
        result.push(pieces[i]);
        i += 1;
      }
    }
    return result;
  };

  Index.prototype.alternatives = function (word) {
    var self = this;
    var list = [];
    var seen = new Set();
    function add(tokens, weight) {
      var key = tokens.join(" ");
      if (seen.has(key)) return;
      seen.add(key);
      list.push({ tokens: tokens, weight: weight, anywhere: anywhere });
    }
    var anywhere = true;
    var slips = self.slipCache.get(word);
    var pairs = self.looseCache.get(word);
    if (pairs) {
      pairs.forEach(function (pair) { add([pair], MATCH_WEIGHT.loose); });
      return list;
    }
    if (slips) {
      slips.forEach(function (near) { add([near], MATCH_WEIGHT.slip / Math.sqrt(slips.length)); });
    } else {
      add([word], MATCH_WEIGHT.exact);
    }
    (self.synonyms.get(word) || []).forEach(function (other) {
      var tokens = [];
      (other.match(PIECES) || []).forEach(function (piece) {
        (piece.match(SCRIPT_SPLIT) || []).forEach(function (part) {
          tokens = tokens.concat(HAN.test(part) ? self.segment(part) : [part]);
        });
      });
      add(tokens, MATCH_WEIGHT.synonym);
    });
    // Inside longer words, for a word the index has rarely or never on its own (纽带 in 桥梁纽带).
    var own = self.postings.get(word);
    anywhere = false;
    if (word.length >= 2 && HAN.test(word) && (!own || own.length <= RARE)) {
      self.inner(word).forEach(function (longer) { add([longer], MATCH_WEIGHT.inner); });
    }
    return list;
  };

  /* How strongly one word speaks for each section that holds it: doc -> [score, where]. A word
     that stands inside a heading or a question counts there even when jieba cut it otherwise
     (推动 in the heading 推动落实的重要手段). */
  Index.prototype.wordScores = function (word, anywhere) {
    var key = (anywhere ? "*" : "") + word;
    if (this.scoreCache.has(key)) return this.scoreCache.get(key);
    var list = this.postings.get(word) || [];
    var scores = new Map();
    var total = this.docs.length;
    var idf = Math.log(1 + (total - list.length + 0.5) / (list.length + 0.5));
    this.scoreCache.set(key, scores);
    // Only for a word as the trainee typed it (or its synonym): the indexed words a match found stand whole.
    if (anywhere && word.length >= 2) {
      this.docs.forEach(function (entry, number) {
        var inTitle = entry.heading.indexOf(word) >= 0;
        var inAsked = !inTitle && entry.asked.indexOf(word) >= 0;
        if (inTitle || inAsked) {
          scores.set(number, [idf * (inTitle ? FIELD_WEIGHT.title : FIELD_WEIGHT.questions), inTitle ? "title" : "questions", inTitle]);
        }
      });
    }
    var docs = this.docs;
    var average = this.averageLength;
    list.forEach(function (posting) {
      var entry = docs[posting[0]];
      var tf = posting[3];
      var text = tf ? (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * entry.length) / average)) : 0;
      var before = scores.get(posting[0]);
      var placed = before ? before[0] : idf * (FIELD_WEIGHT.title * (posting[1] ? 1 : 0) + FIELD_WEIGHT.questions * (posting[2] ? 1 : 0));
      var where = before ? before[1] : posting[1] ? "title" : posting[2] ? "questions" : "text";
      // Whether the word can be seen on the page (its heading or text), to highlight it there.
      var visible = (before && before[2]) || posting[1] > 0 || tf > 0;
      scores.set(posting[0], [placed + idf * text, where, visible]);
    });
    return scores;
  };

  Index.prototype.search = function (query) {
    var self = this;
    var concepts = this.concepts(query);
    if (!concepts.length) return { items: [] };
    var perDoc = new Map(); // doc -> {total, matched, inTitle, words: Map concept -> matched token}
    concepts.forEach(function (concept, number) {
      var best = new Map(); // doc -> [score, token, where]
      concept.alternatives.forEach(function (alternative) {
        var combined = null;
        alternative.tokens.forEach(function (token) {
          var scores = self.wordScores(token, alternative.anywhere);
          if (combined === null) {
            combined = new Map();
            scores.forEach(function (value, doc) { combined.set(doc, [value[0], value[1], value[2]]); });
          } else {
            combined.forEach(function (value, doc) {
              var other = scores.get(doc);
              if (!other) combined.delete(doc);
              else {
                value[0] = Math.min(value[0], other[0]);
                value[2] = value[2] && other[2];
              }
            });
          }
        });
        var tokens = alternative.tokens.join("");
        (combined || new Map()).forEach(function (value, doc) {
          var score = value[0] * alternative.weight;
          var current = best.get(doc);
          if (!current) best.set(doc, current = [0, "", "text", "", 0]);
          if (score > current[0]) {
            current[0] = score;
            current[1] = tokens;
            current[2] = value[1];
          }
          // The best of the words that stand on the page: what its highlight marks.
          if (value[2] && score > current[4]) {
            current[3] = tokens;
            current[4] = score;
          }
        });
      });
      best.forEach(function (value, doc) {
        var state = perDoc.get(doc);
        if (!state) perDoc.set(doc, state = { total: 0, matched: 0, headed: 0, titled: 0, found: new Map() });
        state.total += value[0];
        state.matched += 1;
        if (value[2] !== "text") state.headed += 1;
        if (value[2] === "title") state.titled += value[1].length;
        if (value[3]) state.found.set(number, value[3]);
      });
    });
    var ranked = [];
    perDoc.forEach(function (state, doc) {
      var entry = self.docs[doc];
      var coverage = state.matched / concepts.length;
      // Every word in the heading or the instructor's questions: the section is about it.
      var focus = state.headed === concepts.length ? 1.5 : 1;
      // A heading the query covers whole (为谁报 for “为谁报”) before one it covers in part (“为谁报、报什么”).
      focus *= 1 + Math.min(1, state.titled / entry.titleLength);
      ranked.push({ doc: doc, state: state, score: state.total * coverage * coverage * focus * entry.weight });
    });
    ranked.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    ranked = ranked.slice(0, RESULT_LIMIT);
    return { items: this.groups(ranked, concepts) };
  };

  /* Material's result shape: a list of groups, each of one page's documents; its renderer
     shows a page's document (no '#') as the group's head if there is one, else the last
     document. Sections follow one another by score: those of one page side by side make a
     group, whose best section is put last so that it is shown first, with its heading; the
     page itself heads a group only when it is the best match of it. */
  Index.prototype.groups = function (ranked, concepts) {
    var self = this;
    var runs = [];
    ranked.forEach(function (hit) {
      var page = self.docs[hit.doc].page;
      var last = runs[runs.length - 1];
      if (last && last.page === page) last.hits.push(hit);
      else runs.push({ page: page, hits: [hit] });
    });
    return runs.map(function (run) {
      var best = run.hits[0];
      var rest = run.hits.slice(1).filter(function (hit) { return !self.docs[hit.doc].isPage; });
      var shown = self.docs[best.doc].isPage ? [best].concat(rest) : rest.concat([best]);
      return shown.map(function (hit) { return self.result(hit, concepts, hit === best); });
    });
  };

  Index.prototype.result = function (hit, concepts, head) {
    var entry = this.docs[hit.doc];
    var doc = entry.doc;
    var terms = {};
    var marked = [];
    // What the page it leads to highlights (Material's ?h=): whole words; a lone Chinese character
    // (找 of 怎么找) would light up all over the page, so it is left out unless it is all there is.
    var whole = concepts.some(function (concept) { return !(HAN.test(concept.word) && concept.word.length === 1); });
    concepts.forEach(function (concept, number) {
      var token = hit.state.found.get(number);
      if (whole && HAN.test(concept.word) && concept.word.length === 1) return;
      if (token) {
        terms[token] = true;
        marked.push(token);
      } else {
        terms[concept.word] = false;
      }
    });
    var title = highlight(String(doc.title || "").replace(/\u200b/g, ""), marked);
    var text = excerpt(doc.text, marked);
    var page = this.pages.get(entry.page);
    if (head && !entry.isPage) {
      // Material shows a group's head as a title without its text: the page and a sentence go in the title.
      if (page) title += ' <span class="course-search__page">' + String(page.doc.title || "").replace(/\u200b/g, "") + "</span>";
      if (text) title += '<span class="course-search__teaser">' + text.replace(/^<p>|<\/p>$/g, "") + "</span>";
      text = "";
    }
    return {
      location: doc.location,
      title: title,
      text: text,
      tags: doc.tags,
      score: hit.score,
      terms: terms
    };
  };

  /* Marks the words in escaped HTML text (a title), never inside a tag or an entity. */
  function highlight(html, marked) {
    if (!marked.length) return html;
    var pattern = new RegExp("(" + marked.slice().sort(function (a, b) { return b.length - a.length; })
      .map(function (word) { return word.split("").map(escapeRegExp).join("\u200b?"); }).join("|") + ")", "giu");
    return html.split(/(<[^>]*>|&[#\w]+;)/).map(function (part, index) {
      return index % 2 ? part : part.replace(pattern, "<mark>$1</mark>");
    }).join("");
  }

  /* A sentence or two of a section's text around its first matched word, as escaped HTML. */
  function excerpt(html, marked) {
    var text = plain(html).replace(/\u200b/g, "").replace(/\s+/g, " ").trim();
    if (!text) return "";
    var lower = normalize(text);
    var at = -1;
    marked.forEach(function (word) {
      var found = lower.indexOf(word);
      if (found >= 0 && (at < 0 || found < at)) at = found;
    });
    var start = Math.max(0, at - EXCERPT / 3);
    var piece = text.slice(start, start + EXCERPT);
    return "<p>" + (start > 0 ? "…" : "") + highlight(escapeHtml(piece), marked) + (start + EXCERPT < text.length ? "…" : "") + "</p>";
  }

  var index = null;

  function answer(message) {
    if (!message || typeof message !== "object") return false;
    if (message.type === 0) {
      index = new Index(message.data || {});
      postMessage({ type: 1 });
      return true;
    }
    if (message.type === 2 && index) {
      var result;
      try {
        result = index.search(String(message.data || ""));
      } catch (error) {
        console.error("课程搜索出错：", error);
        result = { items: [] };
      }
      postMessage({ type: 3, data: result });
      return true;
    }
    return false;
  }

  var listen = self.addEventListener.bind(self);
  self.addEventListener = function (type, listener, options) {
    if (type !== "message") return listen(type, listener, options);
    return listen(type, function (event) {
      var taken = false;
      try {
        taken = answer(event.data);
      } catch (error) {
        console.error("课程搜索无法建立索引，改用主题自带的搜索：", error);
        index = null;
      }
      if (!taken) listener.call(this, event);
    }, options);
  };
  }
})();
