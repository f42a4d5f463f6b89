/* KIM Portal: a small rich-text editor over the body textarea, which alone still works without JS.
   The server sanitises whatever arrives (posts/html.py); this only makes formatting easy. */
(function () {
  "use strict";
  var box = document.getElementById("body-editor");
  var field = document.getElementById("id_body");
  if (!box || !field || !document.execCommand || !("contentEditable" in box)) return;
  var area = box.querySelector(".editor-area");
  var TAG = /<[a-zA-Z\/!][^>]*>/;

  function esc(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  // Plain text (typed without JS, or restored) as paragraphs, the same rule as the server's.
  function toHtml(text) {
    if (TAG.test(text)) return text;
    return text.split(/\n\s*\n/).filter(function (p) { return p.trim(); }).map(function (p) {
      return "<p>" + esc(p.trim()).replace(/\n/g, "<br>") + "</p>";
    }).join("");
  }
  // The same allow-list as the server's sanitiser (posts/html.py), applied before the HTML goes live
  // in the page: a draft restored from this device's storage never runs a script or handler.
  var KEEP = { P: 1, BR: 1, STRONG: 1, B: 1, EM: 1, I: 1, H2: 1, H3: 1, UL: 1, OL: 1, LI: 1, A: 1, BLOCKQUOTE: 1 };
  function clean(html) {
    var body = new DOMParser().parseFromString(html, "text/html").body;
    (function walk(node) {
      Array.prototype.slice.call(node.children).forEach(function (el) {
        walk(el);
        if (!KEEP[el.tagName]) { el.replaceWith.apply(el, el.tagName === "SCRIPT" || el.tagName === "STYLE" ? [] : el.childNodes); return; }
        var href = el.tagName === "A" ? el.getAttribute("href") || "" : "";
        Array.prototype.slice.call(el.attributes).forEach(function (a) { el.removeAttribute(a.name); });
        if (/^(https?:|mailto:)/i.test(href)) el.setAttribute("href", href);
      });
    })(body);
    return body.innerHTML;
  }
  function load() { area.innerHTML = clean(toHtml(field.value)) || "<p><br></p>"; }
  function sync() {
    field.value = area.textContent.trim() ? area.innerHTML : "";
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  load();
  box.hidden = false;
  field.hidden = true;
  var plainHelp = document.getElementById("id_body_helptext");
  if (plainHelp) plainHelp.hidden = true;  // "blank line between paragraphs" is for the plain box only
  try { document.execCommand("defaultParagraphSeparator", false, "p"); } catch (e) { /* old engines */ }

  var bar = box.querySelector(".editor-bar");
  // Keep the selection in the text when a button is pressed.
  bar.addEventListener("mousedown", function (e) { e.preventDefault(); });
  bar.addEventListener("click", function (e) {
    var button = e.target.closest("button");
    if (!button) return;
    var cmd = button.getAttribute("data-cmd");
    var sel = window.getSelection();
    var range = sel.rangeCount ? sel.getRangeAt(0) : null;
    if (cmd === "link") {
      var url = window.prompt(button.getAttribute("data-prompt"), "https://");
      area.focus();
      if (range) { sel.removeAllRanges(); sel.addRange(range); }
      if (url && /^(https?:\/\/|mailto:)\S+$/i.test(url.trim())) {
        if (range && range.collapsed) document.execCommand("insertText", false, url.trim());
        else document.execCommand("createLink", false, url.trim());
      }
    } else if (cmd === "h2") {
      area.focus();
      var current = String(document.queryCommandValue("formatBlock")).toLowerCase();
      document.execCommand("formatBlock", false, current === "h2" ? "<p>" : "<h2>");
    } else {
      area.focus();
      document.execCommand(cmd, false, null);
    }
    sync();
  });
  area.addEventListener("input", sync);
  // Pasted web pages bring styles and scripts along: take the words only.
  area.addEventListener("paste", function (e) {
    var text = e.clipboardData && e.clipboardData.getData("text/plain");
    if (!text) return;
    e.preventDefault();
    document.execCommand("insertText", false, text);
  });
  field.form.addEventListener("submit", sync);
  // autosave.js restores a copy kept on the device into the textarea, then tells us.
  field.addEventListener("kim:restored", load);
})();
