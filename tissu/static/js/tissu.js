// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("#error-summary");
    if (summary) { summary.focus(); }
  }
  // A table wider than the screen scrolls inside its wrapper: keyboard users must be able to reach it.
  // Templates mark most wrappers themselves (role, name, tabindex); this covers the others once they overflow.
  function focusableScrollers(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(".table-wrapper:not([tabindex])"), function (wrapper) {
      if (wrapper.scrollWidth <= wrapper.clientWidth) { return; }
      var caption = wrapper.querySelector("caption");
      wrapper.setAttribute("tabindex", "0");
      wrapper.setAttribute("role", "region");
      if (caption && caption.textContent.trim()) { wrapper.setAttribute("aria-label", caption.textContent.trim()); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { focusErrorSummary(document); focusableScrollers(document); });
  document.addEventListener("htmx:afterSwap", function (event) {
    focusErrorSummary(event.target);
    focusableScrollers(event.target);
  });
  window.addEventListener("resize", function () { focusableScrollers(document); });
})();
