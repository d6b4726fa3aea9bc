// Give the theme's search dialog an accessible name (WCAG 4.1.2); the theme leaves it unnamed.
(function () {
  function nameSearchDialog() {
    document.querySelectorAll('.md-search[role="dialog"]').forEach(function (dialog) {
      if (!dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search the site");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", nameSearchDialog);
  } else {
    nameSearchDialog();
  }
})();
