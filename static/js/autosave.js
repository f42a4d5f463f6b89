/* KIM Portal: never lose a post being typed. Every ~15 s (and when the page is hidden) the fields,
   not the files, go to the server's autosave URL; a copy also stays in this device's storage until
   the server has it, and is offered back when it says something else than the server's version.
   Every save names the version the page is based on: a post changed meanwhile on another tab or
   device is not written over (the server answers 409 and this page stops saving). */
(function () {
  "use strict";
  var form = document.getElementById("post-form");
  if (!form || !window.fetch || !window.FormData) return;
  var status = document.getElementById("autosave-status");
  var banner = document.getElementById("restore-banner");
  var url = form.getAttribute("data-autosave-url");
  var key = "kim-draft:" + form.getAttribute("data-key");
  var version = form.elements.version, draft = form.elements.draft;
  var savedDrafts = (form.getAttribute("data-saved-drafts") || "").split(" ");
  var dirty = false, busy = null, submittedAt = 0, stopped = false, timer = null;
  // A form sent in the last few seconds: a second tap is ignored (the server would ignore it too),
  // but a send that never went (Stop, no network) leaves the buttons and autosave working again.
  function sending() { return Date.now() - submittedAt < 8000; }
  var SKIP = { csrfmiddlewaretoken: 1, pending_photos: 1, photos: 1, action: 1, draft: 1, version: 1, page: 1 };
  // A copy the server refused (edited elsewhere meanwhile) is kept apart: another tab of the same
  // post saving its own copy must not overwrite it. Only Restore or Dismiss removes it.
  var conflictKey = key + ":konflik";

  function store(fn) { try { return fn(window.localStorage); } catch (e) { return null; } }
  function say(text) { if (status) status.textContent = text; }
  function payload() {
    var data = new FormData(form);
    if (data.delete) data.delete("photos"); // files only travel with a real submit
    return data;
  }
  function fields() {
    var out = {};
    payload().forEach(function (value, name) { if (!SKIP[name] && typeof value === "string") out[name] = value; });
    return out;
  }
  // The body's words and link addresses, as a reader would see them: paragraphs, list items and line
  // breaks separate words ("<p>a</p><p>b</p>" is "a b", like the plain text "a\n\nb" the server shows
  // without the editor), while formatting inside a word does not. DOMParser documents are inert: no
  // image loads and no event handler runs, whatever the HTML holds.
  var BREAKS = "p,div,li,ul,ol,h2,h3,blockquote,br";
  function words(html) {
    var body = new DOMParser().parseFromString(html || "", "text/html").body;
    Array.prototype.forEach.call(body.querySelectorAll(BREAKS), function (el) { el.before(" "); el.after(" "); });
    var links = Array.prototype.map.call(body.querySelectorAll("a[href]"), function (a) { return a.getAttribute("href"); });
    return (body.textContent + " " + links.join(" ")).replace(/\s+/g, " ").trim();
  }
  // Compared as the server keeps them: the body's words, tags in any order, text trimmed; photo
  // order is renumbered and removed photos are gone, so neither says the copy is different.
  function tags(text) { return (text || "").split(",").map(function (t) { return t.trim().toLowerCase(); }).filter(Boolean).sort().join(","); }
  function same(name, a, b) {
    if (name === "body") return words(a) === words(b);
    if (name === "tags") return tags(a) === tags(b);
    return (a || "").trim() === (b || "").trim();
  }
  function differs(a, b) {
    for (var name in a) {
      if (!(name in b) || /^(order|remove)_/.test(name)) continue;
      if (!same(name, a[name], b[name])) return true;
    }
    return false;
  }
  function keepLocal(where) {
    var copy = { t: Date.now(), f: fields(), d: draft ? draft.value : "" };
    store(function (s) { s.setItem(where || key, JSON.stringify(copy)); });
  }
  function changed() {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(keepLocal, 800);
  }

  function save(leaving) {
    if (!dirty || sending() || stopped || busy) return busy;
    dirty = false;
    say(status.getAttribute("data-saving"));
    busy = fetch(url, { method: "POST", body: payload(), credentials: "same-origin", keepalive: !!leaving })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.conflict) { stopped = true; keepLocal(conflictKey); say(data.error + " " + status.getAttribute("data-conflict")); return; }
        if (!data.saved) { if (data.error) { say(data.error); } return; }
        if (data.edit_url && form.getAttribute("action") !== data.edit_url) {
          // The first autosave created the draft: from now on this page edits it.
          store(function (s) { s.removeItem(key); });
          key = key.replace(/:baru$/, ":" + data.id);
          form.setAttribute("action", data.edit_url);
          url = data.autosave_url;
          if (window.history.replaceState) window.history.replaceState(null, "", data.edit_url);
        }
        if (version && data.version) version.value = data.version;
        if (!dirty) store(function (s) { s.removeItem(key); });
        say(status.getAttribute("data-saved") + " " + new Date().toLocaleTimeString().slice(0, 5));
      })
      .catch(function () { dirty = true; keepLocal(); say(status.getAttribute("data-failed")); })
      .then(function () { busy = null; });
    return busy;
  }

  // Offer the device's copy back when it says something else than the server's version (a refused
  // copy first); a new post's copy whose form the server reports saved (sent on a weak connection
  // after autosaves failed) goes, and so does one that says what the server has.
  var offered = null, local = null;
  [conflictKey, key].forEach(function (k) {
    var copy = store(function (s) { return JSON.parse(s.getItem(k) || "null"); });
    if (!copy || offered) return;
    if ((copy.d && savedDrafts.indexOf(copy.d) !== -1) || !differs(copy.f, fields())) {
      store(function (s) { s.removeItem(k); });
    } else {
      offered = k; local = copy;
    }
  });
  if (local) {
    banner.querySelector("[data-when]").textContent = new Date(local.t).toLocaleString();
    banner.hidden = false;
    banner.querySelector("[data-restore]").addEventListener("click", function () {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!(el.name in local.f)) return;
        if (el.type === "radio") el.checked = el.value === local.f[el.name];
        else if (el.type !== "checkbox" && el.type !== "file" && el.type !== "hidden") el.value = local.f[el.name];
      });
      form.elements.body.dispatchEvent(new Event("kim:restored"));
      banner.hidden = true;
      store(function (s) { s.removeItem(offered); });
      keepLocal();  // the ordinary copy now, until the server has it
      dirty = true;
      save();
    });
    banner.querySelector("[data-dismiss]").addEventListener("click", function () {
      store(function (s) { s.removeItem(offered); });
      banner.hidden = true;
    });
  }
  // A new post saved by a plain submit leaves its "baru" copy behind: drop it once it is here.
  var fresh = key.replace(/:[0-9]+$/, ":baru");
  var early = fresh !== key && store(function (s) { return JSON.parse(s.getItem(fresh) || "null"); });
  if (early && !differs(early.f, fields())) store(function (s) { s.removeItem(fresh); });

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  setInterval(save, 15000);
  document.addEventListener("visibilitychange", function () { if (document.hidden) save(true); });
  window.addEventListener("pagehide", function () { save(true); });
  window.addEventListener("pageshow", function (e) { if (e.persisted) submittedAt = 0; }); // Back button
  form.addEventListener("submit", function (e) {
    if (sending()) { e.preventDefault(); return; } // a second tap on "Kirim" while the first is on its way
    if (busy) {
      // A new post's first autosave is on its way: wait for it (not forever, on a weak connection),
      // or the post would be made twice.
      e.preventDefault();
      var button = e.submitter;
      submittedAt = Date.now();
      Promise.race([busy, new Promise(function (done) { setTimeout(done, 6000); })]).then(function () {
        if (button && button.name) {
          var hidden = document.createElement("input");
          hidden.type = "hidden"; hidden.name = button.name; hidden.value = button.value;
          form.appendChild(hidden);
        }
        // form.submit() ignores the button's own address ("Kirim" goes to the review step's).
        if (button && button.hasAttribute("formaction")) form.setAttribute("action", button.formAction);
        form.submit();
      });
      return;
    }
    submittedAt = Date.now();
    keepLocal();
  });
})();
