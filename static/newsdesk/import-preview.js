// The import preview: "Use the suggestion" puts the suggested headline in the row's headline box.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-fill]");
    if (!button) return;
    var box = document.getElementById(button.getAttribute("data-fill"));
    var suggestion = button.parentNode.querySelector("[data-suggestion]");
    if (box && suggestion) { box.value = suggestion.textContent.trim(); box.focus(); }
  });
})();
