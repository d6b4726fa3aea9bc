// A table too wide for the screen scrolls inside its box; the box can then be reached and
// scrolled with the keyboard, and is named after the table's caption (WCAG 2.1.1).
(function () {
  function focusableScrollers() {
    document.querySelectorAll(".atlas-table-wrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
        var caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent : "Table");
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusableScrollers);
  } else {
    focusableScrollers();
  }
})();
