// Copy links: `data-copy="<input id>"` buttons copy that input's text (shown only with JavaScript),
// and `data-select-on-focus` inputs select their whole text when focused.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var input = document.getElementById(button.dataset.copy);
      input.select();
      var done = function () { button.textContent = button.dataset.done; };
      var fallback = function () { document.execCommand("copy"); done(); };
      if (navigator.clipboard) { navigator.clipboard.writeText(input.value).then(done, fallback); }
      else { fallback(); }
    });
  });
  document.querySelectorAll("[data-select-on-focus]").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
})();
