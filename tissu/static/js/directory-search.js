// The directory's live search (progressive enhancement over a plain GET form, see htmx attributes).
// After a page change through htmx, focus moves to the results heading so that keyboard and screen
// reader users land on the new results rather than on a link that no longer exists.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function (event) {
    var source = event.detail && event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!source || !source.closest || !source.closest(".search-pagination")) { return; }
    var heading = document.getElementById("results-title");
    if (heading) { heading.focus(); heading.scrollIntoView({ block: "start" }); }
  });
})();
