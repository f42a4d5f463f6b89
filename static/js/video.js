// A post's video (templates/posts/includes/video.html): the still picture is a link to the video;
// tapping it puts the provider's player in its place, so nothing of YouTube or Facebook runs before
// the reader asks for it. The player's hosts are the only ones the CSP allows in frame-src.
(function () {
  "use strict";
  document.querySelectorAll("a[data-embed]").forEach(function (link) {
    link.setAttribute("role", "button"); // it plays here now, rather than going to the video's page
    var still = link.querySelector("img"); // gone (video deleted, offline): leave the dark box
    if (still && still.complete && !still.naturalWidth) still.remove();
    else if (still) still.addEventListener("error", function () { still.remove(); });
    link.addEventListener("keydown", function (event) {
      if (event.key === " ") { event.preventDefault(); link.click(); }
    });
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var src = link.dataset.embed;
      // Facebook's player lays itself out for the width it is given.
      if (link.dataset.provider === "facebook") src += "&width=" + Math.round(link.clientWidth);
      var frame = document.createElement("iframe");
      frame.className = "video-frame";
      frame.title = link.dataset.title;
      frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
      frame.referrerPolicy = "strict-origin-when-cross-origin"; // YouTube refuses to play without it
      frame.src = src;
      link.replaceWith(frame);
      frame.focus();
    });
  });
})();
