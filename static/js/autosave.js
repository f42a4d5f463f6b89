/* KIM Portal: never lose a post being typed. Every ~15 s (and when the page is hidden) the fields,
   not the files, go to the server's autosave URL; a copy also stays in this device's storage and is
   offered back when it is newer than what the server has. */
(function () {
  "use strict";
  var form = document.getElementById("post-form");
  if (!form || !window.fetch || !window.FormData) return;
  var status = document.getElementById("autosave-status");
  var banner = document.getElementById("restore-banner");
  var url = form.getAttribute("data-autosave-url");
  var key = "kim-draft:" + form.getAttribute("data-key");
  var serverTime = Date.parse(form.getAttribute("data-updated")) || 0;
  var dirty = false, busy = null, submitting = false, timer = null;
  var SKIP = { csrfmiddlewaretoken: 1, pending_photos: 1, photos: 1, action: 1, draft: 1 };

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
  // DOMParser documents are inert: no image loads and no event handler runs, whatever the HTML holds.
  function words(html) { return new DOMParser().parseFromString(html || "", "text/html").body.textContent.replace(/\s+/g, " ").trim(); }
  function differs(a, b) {
    for (var name in a) {
      if (name === "body" ? words(a[name]) !== words(b[name]) : (a[name] || "") !== (b[name] || "")) return true;
    }
    return false;
  }
  function keepLocal() {
    store(function (s) { s.setItem(key, JSON.stringify({ t: Date.now(), f: fields() })); });
  }
  function changed() {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(keepLocal, 800);
  }

  function save(leaving) {
    if (!dirty || submitting || busy) return busy;
    dirty = false;
    say(status.getAttribute("data-saving"));
    busy = fetch(url, { method: "POST", body: payload(), credentials: "same-origin", keepalive: !!leaving })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (!data.saved) { if (data.error) { say(data.error); } return; }
        if (data.edit_url && form.getAttribute("action") !== data.edit_url) {
          // The first autosave created the draft: from now on this page edits it.
          store(function (s) { s.removeItem(key); });
          key = key.replace(/:baru$/, ":" + data.id);
          form.setAttribute("action", data.edit_url);
          url = data.autosave_url;
          if (window.history.replaceState) window.history.replaceState(null, "", data.edit_url);
        }
        serverTime = Date.parse(data.updated_at) || Date.now();
        if (!dirty) store(function (s) { s.removeItem(key); });
        say(status.getAttribute("data-saved") + " " + new Date().toLocaleTimeString().slice(0, 5));
      })
      .catch(function () { dirty = true; keepLocal(); say(status.getAttribute("data-failed")); })
      .then(function () { busy = null; });
    return busy;
  }

  // Offer the device's copy back when it is newer than the server's and says something else.
  var local = store(function (s) { return JSON.parse(s.getItem(key) || "null"); });
  if (local && local.t > serverTime && differs(local.f, fields())) {
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
      dirty = true;
      save();
    });
    banner.querySelector("[data-dismiss]").addEventListener("click", function () {
      store(function (s) { s.removeItem(key); });
      banner.hidden = true;
    });
  } else if (local) {
    store(function (s) { s.removeItem(key); });
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
  form.addEventListener("submit", function (e) {
    if (busy && !submitting) {
      // A new post's first autosave is on its way: wait for it, or the post would be made twice.
      e.preventDefault();
      var button = e.submitter;
      submitting = true;
      busy.then(function () {
        if (button && button.name) {
          var hidden = document.createElement("input");
          hidden.type = "hidden"; hidden.name = button.name; hidden.value = button.value;
          form.appendChild(hidden);
        }
        form.submit();
      });
      return;
    }
    submitting = true;
    keepLocal();
  });
})();
