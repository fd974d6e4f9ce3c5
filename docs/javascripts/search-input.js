// Material's search box starts a search only on "keyup". Text that arrives
// without a key press (pasted with the mouse, entered by a handwriting or
// voice input method, or committed by an IME) would start none, so such
// input is re-announced as a keyup on the search field.
(function () {
  "use strict";

  function isSearchField(el) {
    return !!(el && el.matches && el.matches("[data-md-component=search-query]"));
  }

  function announce(event) {
    // Mid-composition input is not yet the text the reader means.
    if (!isSearchField(event.target) || event.isComposing) return;
    event.target.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }

  // Listening on the document survives Material's instant navigation.
  document.addEventListener("input", announce, true);
  document.addEventListener("compositionend", announce, true);
})();
