/* KIM Portal's service worker, served at /kelola/sw.js: its scope is the member area.
   - Pages of the member area: from the network, a copy kept for when there is none (then the last
     copy of that page, else the "Tulis baru" form), so the app opens offline.
   - CSS, JS and icons: from the copy kept, refreshed in the background.
   - Background Sync "kim-outbox": sends the posts written offline (IndexedDB, see outbox.js) to
     their autosave address, each with its form's draft token, so each arrives once. */
"use strict";
var PAGES = "kim-pages-v1", STATIC = "kim-static-v1";
var NEW_POST = new URL("tulisan/baru/", self.registration.scope).href;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(PAGES).then(function (cache) { return cache.add(NEW_POST); }).catch(function () {}).then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (request.mode === "navigate" && request.url.indexOf(self.registration.scope) === 0) {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) { var copy = response.clone(); caches.open(PAGES).then(function (cache) { cache.put(request, copy); }); }
      return response;
    }).catch(function () {
      return caches.match(request).then(function (kept) { return kept || caches.match(NEW_POST); });
    }));
    return;
  }
  if (url.origin === self.location.origin && url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.open(STATIC).then(function (cache) {
      return cache.match(request).then(function (kept) {
        var fresh = fetch(request).then(function (response) { if (response.ok) cache.put(request, response.clone()); return response; });
        return kept || fresh;
      });
    }));
  }
});

function outbox(mode, fn) {
  return new Promise(function (done, fail) {
    var open = indexedDB.open("kim", 1);
    open.onupgradeneeded = function () { open.result.createObjectStore("outbox", { keyPath: "key" }); };
    open.onerror = function () { fail(open.error); };
    open.onsuccess = function () {
      var tx = open.result.transaction("outbox", mode), result = fn(tx.objectStore("outbox"));
      tx.oncomplete = function () { done(result && "result" in result ? result.result : undefined); };
      tx.onerror = function () { fail(tx.error); };
    };
  });
}

function sendOutbox() {
  // The same lock as the pages' (outbox.js): one sender at a time, each reading the outbox inside it.
  var run = function () { return sendWaiting(); };
  return self.navigator.locks ? self.navigator.locks.request("kim-outbox", run) : run();
}

function sendWaiting() {
  return outbox("readonly", function (store) { return store.getAll(); }).then(function (entries) {
    return Promise.all(entries.filter(function (entry) { return !entry.error; }).map(function (entry) {
      var data = new FormData();
      entry.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
      return fetch(entry.url, { method: "POST", body: data, credentials: "same-origin" }).then(function (response) {
        if (response.ok) return outbox("readwrite", function (store) { store.delete(entry.key); });
        if (response.status >= 400 && response.status < 500) {
          entry.error = String(response.status);
          return outbox("readwrite", function (store) { store.put(entry); });
        }
        throw new Error("server busy: try again later");
      });
    }));
  }).then(function () {
    return self.clients.matchAll().then(function (clients) { clients.forEach(function (client) { client.postMessage("kim-outbox"); }); });
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === "kim-outbox") event.waitUntil(sendOutbox());
});
