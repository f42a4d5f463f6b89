/* KIM Portal: the review screen's bar on a phone. "Minta perbaikan" and "Tolak" jump to their form
   below the post and open it; without JavaScript the jump alone lands on the button that opens it. */
(function () {
  "use strict";
  document.querySelectorAll(".mod-sticky [data-open]").forEach(function (link) {
    link.addEventListener("click", function () {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      target.open = true;
      var field = target.querySelector("textarea, input:not([type=hidden])");
      setTimeout(function () { (field || target.querySelector("summary")).focus(); }, 0);
    });
  });
})();
