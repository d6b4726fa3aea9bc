/* The search page: Pagefind's interface, which fetches the index in small pieces only when
 * someone searches. ?q= in the address fills the box and runs the search, so a search can be
 * linked; the address follows what is typed. */
(function () {
  "use strict";
  var ui = new PagefindUI({
    element: "#atlas-search",
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    // A system's page is long; its length must not push it below a short page that names it.
    ranking: { pageLength: 0.2 },
    translations: { placeholder: "Search the atlas: a name, code or place" }
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { ui.triggerSearch(query); }
  var input = document.querySelector("#atlas-search input");
  if (input) {
    input.setAttribute("aria-label", "Search the atlas");
    input.addEventListener("input", function () {
      var url = new URL(window.location.href);
      if (input.value) { url.searchParams.set("q", input.value); } else { url.searchParams.delete("q"); }
      window.history.replaceState(null, "", url);
    });
  }
})();
