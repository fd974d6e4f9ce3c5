// Keeps the theme working when the browser's storage is blocked or dirty.
//
// Material reads and writes its saved state (colour scheme, content tabs,
// search) through two inline helpers, __md_get and __md_set, and JSON.parse's
// what it reads. Where a browser refuses site storage (site data blocked by
// policy, some private modes) merely reading `localStorage` throws a
// SecurityError; an entry holding invalid JSON makes the parse throw. Either
// stops the theme's script half-way: search finds nothing and the light/dark
// toggle does nothing.
//
// Loaded from overrides/main.html in <head>: after the theme defines its
// helpers, before anything calls them.
(function () {
  "use strict";

  // Storage that lasts as long as the page: choices made while reading still
  // hold (and survive instant navigation), they are just not remembered.
  function memoryStorage() {
    const items = new Map();
    return {
      get length() { return items.size; },
      key: (n) => { const keys = Array.from(items.keys()); return n in keys ? keys[n] : null; },
      getItem: (k) => (items.has(String(k)) ? items.get(String(k)) : null),
      setItem: (k, v) => { items.set(String(k), String(v)); },
      removeItem: (k) => { items.delete(String(k)); },
      clear: () => { items.clear(); },
    };
  }

  // Only reading is probed: a full storage (writes refused) still holds
  // progress worth reading, and every writer here already catches.
  function readable(name) {
    try {
      const storage = window[name];
      storage.getItem("");
      return true;
    } catch (e) {
      return false;
    }
  }

  ["localStorage", "sessionStorage"].forEach((name) => {
    if (readable(name)) return;
    try {
      Object.defineProperty(window, name, { configurable: true, enumerable: true, value: memoryStorage() });
    } catch (e) { /* the helpers below still catch */ }
  });

  // An entry that cannot be read counts as none: the theme falls back to its
  // defaults and overwrites the entry on its next save.
  const get = window.__md_get;
  if (typeof get === "function") {
    window.__md_get = function () {
      try { return get.apply(this, arguments); } catch (e) { return null; }
    };
  }
  const set = window.__md_set;
  if (typeof set === "function") {
    window.__md_set = function () {
      try { set.apply(this, arguments); } catch (e) { /* not remembered */ }
    };
  }
})();
