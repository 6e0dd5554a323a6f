// The search page: Pagefind's UI, started with the query of the header's plain GET form (?q=...).
window.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") return;
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: element.dataset.bundle,
    showSubResults: true,  // each hit's section and date are its metadata (macros.html search_meta)
    showImages: false,
    resetStyles: false,
  });
  // Pagefind's input is labelled only by its title; give it an accessible name (WCAG 1.3.1, 4.1.2).
  var input = element.querySelector("input");
  if (input) input.setAttribute("aria-label", "Search the site");
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
});
