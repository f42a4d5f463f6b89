/* KIM Portal: writing without signal. The member area is an installable app whose pages open
   offline (sw.js). A post form sent while offline is kept on this device (IndexedDB, the "outbox"),
   listed on the page, and sent when the connection returns: by Background Sync where the browser has
   it, else by the next page of the member area that finds the connection. It goes to the form's
   autosave address with the form's own draft token, which the server already uses so that one form
   makes one draft: however often it is sent, it arrives once. */
(function () {
  "use strict";
  var script = document.currentScript;
  var box = document.getElementById("outbox");
  if (!box || !window.indexedDB || !window.fetch) return;
  var list = box.querySelector("[data-list]");
  var form = document.getElementById("post-form");

  if ("serviceWorker" in navigator && script) {
    navigator.serviceWorker.register(script.getAttribute("data-sw")).catch(function () { /* no app, still a page */ });
  }

  function open() {
    return new Promise(function (done, fail) {
      var request = indexedDB.open("kim", 1);
      request.onupgradeneeded = function () { request.result.createObjectStore("outbox", { keyPath: "key" }); };
      request.onsuccess = function () { done(request.result); };
      request.onerror = function () { fail(request.error); };
    });
  }
  function withStore(mode, fn) {
    return open().then(function (db) {
      return new Promise(function (done, fail) {
        var tx = db.transaction("outbox", mode), result = fn(tx.objectStore("outbox"));
        tx.oncomplete = function () { done(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { fail(tx.error); };
      });
    });
  }
  function all() { return withStore("readonly", function (store) { return store.getAll(); }); }

  function show(entries) {
    list.textContent = "";
    (entries || []).forEach(function (entry) {
      var item = document.createElement("li");
      item.textContent = (entry.title || box.getAttribute("data-untitled")) + " · " +
        (entry.error ? box.getAttribute("data-refused") + ": " + entry.error : box.getAttribute("data-waiting"));
      list.appendChild(item);
    });
    box.hidden = !entries || !entries.length;
  }
  function refresh() { return all().then(show); }

  // Send each waiting post once; a post the server refuses for good (4xx) stays listed with why.
  var flushing = null;
  function flush() {
    if (flushing || !navigator.onLine) return flushing;
    // One sender at a time across this page, other tabs and the service worker (Web Locks): each
    // reads the outbox inside the lock, so a post one of them sent is gone before the next looks.
    flushing = locked(function () { return all().then(send); })
      .catch(function () { /* still no connection: the next chance sends it */ })
      .then(function () { flushing = null; return refresh(); });
    return flushing;
  }
  function locked(fn) { return navigator.locks ? navigator.locks.request("kim-outbox", fn) : fn(); }
  function send(entries) {
    return entries.reduce(function (chain, entry) {
      return chain.then(function () {
        if (entry.error) return;
        var data = new FormData();
        entry.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
        return fetch(entry.url, { method: "POST", body: data, credentials: "same-origin" }).then(function (response) {
          if (response.ok) return withStore("readwrite", function (store) { store.delete(entry.key); });
          if (response.status >= 400 && response.status < 500) {
            return response.json().catch(function () { return {}; }).then(function (answer) {
              entry.error = answer.error || String(response.status);
              return withStore("readwrite", function (store) { store.put(entry); });
            });
          }
        });
      });
    }, Promise.resolve());
  }

  if (form) {
    // Before autosave.js: a form that cannot reach the server stays here instead of a browser error page.
    form.addEventListener("submit", function (e) {
      if (navigator.onLine || e.defaultPrevented) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      var fields = [];
      new FormData(form).forEach(function (value, name) { if (typeof value === "string") fields.push([name, value]); });
      var token = form.elements.draft ? form.elements.draft.value : form.elements.page.value;
      var entry = {
        key: form.getAttribute("data-key") + ":" + token,
        url: form.getAttribute("data-autosave-url"),
        title: form.elements.title.value.trim(),
        fields: fields,
        at: Date.now()
      };
      withStore("readwrite", function (store) { store.put(entry); }).then(function () {
        refresh();
        box.scrollIntoView();
        if (navigator.serviceWorker && window.SyncManager) {
          navigator.serviceWorker.ready.then(function (registration) { return registration.sync.register("kim-outbox"); })
            .catch(function () { /* the next visit sends it */ });
        }
      });
    }, true);  // capture: runs before the other scripts' submit handlers
  }
  window.addEventListener("online", flush);
  if (navigator.serviceWorker) navigator.serviceWorker.addEventListener("message", function (e) { if (e.data === "kim-outbox") refresh(); });
  refresh().then(flush);
})();
