// "Copy" buttons for the citation boxes. Without JavaScript the buttons stay hidden and the
// text can be selected by hand.
(function () {
  document.querySelectorAll(".atlas-cite-buttons").forEach(function (box) {
    if (!navigator.clipboard) return;
    var status = box.querySelector(".atlas-copied");
    box.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var text = document.getElementById(button.dataset.copy).textContent;
        navigator.clipboard.writeText(text).then(function () {
          status.textContent = "Copied.";
        }, function () {
          status.textContent = "Copying failed: select the text and copy it by hand.";
        });
      });
    });
    box.hidden = false;
  });
})();
