/* KIM Portal: photos for weak mobile data. A chosen photo shows at once with its caption field; the
   browser shrinks it (longest side 2048 px, upright, no GPS or other metadata: the canvas keeps only
   pixels) and sends each photo on its own request with a progress bar. A photo whose request fails
   is sent again on its own (the "Coba lagi" button, or by itself when the connection is back); the
   photos already sent stay, and so does everything typed. Each photo carries a token, so a photo
   sent twice is stored once. The server still checks and re-encodes every file.
   Without this script the file field goes with the form, as before. */
(function () {
  "use strict";
  var form = document.getElementById("post-form");
  var picker = document.getElementById("photo-picker");
  var list = document.getElementById("photo-uploads");
  var template = document.getElementById("photo-upload-row");
  if (!form || !picker || !list || !template || !window.FormData || !window.XMLHttpRequest || !("content" in template)) return;
  var input = picker.querySelector("input[type=file]");
  var errors = document.getElementById("photo-picker-errors");
  var reminder = document.getElementById("caption-reminder");
  var pending = form.elements.pending_photos;
  var MAX_SIDE = 2048, QUALITY = 0.7;  // ~300 KB for a 12 MP photo: 3 s at 750 kbps
  var maxPhotos = parseInt(picker.getAttribute("data-max-photos"), 10);
  var maxBytes = parseInt(picker.getAttribute("data-max-bytes"), 10);
  var uploadUrl = picker.getAttribute("data-upload-url");
  var text = function (name) { return picker.getAttribute("data-" + name); };
  // {row, blob, token, name, id, state: "preparing" | "queued" | "sending" | "done" | "failed" | "refused"}
  var uploads = [];
  var waitingSubmit = null, reminded = false, counter = 0, shrinking = Promise.resolve();

  function token() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    var out = "";
    for (var i = 0; i < 32; i++) out += Math.floor(Math.random() * 16).toString(16);
    return out;
  }

  // --- shrinking in the browser -----------------------------------------------------------------
  function encode(canvas, type) {
    return new Promise(function (done) { canvas.toBlob(done, type, QUALITY); });
  }
  function shrink(file) {
    if (!window.createImageBitmap) return Promise.resolve(file);
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      var context = canvas.getContext("2d");
      context.imageSmoothingQuality = "high";
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) bitmap.close();
      // WebP where the browser writes it (smaller), else JPEG; toBlob answers PNG for a type it lacks.
      return encode(canvas, "image/webp").then(function (blob) {
        return blob && blob.type === "image/webp" ? blob : encode(canvas, "image/jpeg");
      });
    }).catch(function () { return file; });  // HEIC and the like: the server decodes what this cannot
  }

  // --- one row per photo ------------------------------------------------------------------------
  function rowsShown() {
    var rows = form.querySelectorAll(".photo-row");
    return Array.prototype.filter.call(rows, function (row) {
      var remove = row.querySelector("input[type=checkbox]");
      return !(remove && remove.checked);
    }).length;
  }
  function say(upload, state, message) {
    upload.state = state;
    upload.row.setAttribute("data-upload", state);
    upload.row.querySelector("[data-state]").textContent = message;
    upload.row.querySelector("[data-retry]").hidden = state !== "failed";
    upload.row.querySelector("progress").hidden = state === "done" || state === "failed";
  }
  function addRow(file) {
    var row = template.content.firstElementChild.cloneNode(true);
    var number = ++counter;
    var caption = row.querySelector("[data-caption]");
    caption.id = "new-photo-caption-" + number;
    row.querySelector("[data-caption-label]").setAttribute("for", caption.id);
    row.querySelector("[data-state]").id = "new-photo-state-" + number;
    caption.setAttribute("aria-describedby", "new-photo-state-" + number);
    list.appendChild(row);
    var upload = { row: row, blob: null, token: token(), name: file.name, state: "preparing", id: null };
    uploads.push(upload);
    say(upload, "preparing", text("preparing"));
    row.querySelector("[data-retry]").addEventListener("click", function () { send(upload); });
    return upload;
  }
  function refuse(message) {
    var line = document.createElement("p");
    line.textContent = message;
    errors.appendChild(line);
  }

  // --- sending: one photo at a time, so the first is safe before the second starts -------------
  function send(upload) {
    if (upload.state !== "done" && upload.state !== "sending") say(upload, "queued", text("waiting"));
    pump();
  }
  function pump() {
    if (uploads.some(function (u) { return u.state === "sending"; })) return;
    var next = uploads.filter(function (u) { return u.state === "queued"; })[0];
    if (next) transmit(next);
  }
  function transmit(upload) {
    say(upload, "sending", text("uploading"));
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    data.append("token", upload.token);
    var extension = upload.blob.type === "image/webp" ? ".webp" : upload.blob.type === "image/jpeg" ? ".jpg" : "";
    data.append("photo", upload.blob, extension ? upload.name.replace(/\.[^.]*$/, "") + extension : upload.name);
    var xhr = new XMLHttpRequest();
    var progress = upload.row.querySelector("progress");
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      progress.value = Math.round((100 * e.loaded) / e.total);
      upload.row.setAttribute("data-sent", e.loaded);
      upload.row.setAttribute("data-total", e.total);
      upload.row.querySelector("[data-state]").textContent = text("uploading") + " " + progress.value + "%";
    });
    xhr.addEventListener("load", function () {
      var answer = {};
      try { answer = JSON.parse(xhr.responseText); } catch (e) { /* an HTML error page */ }
      if (xhr.status === 200 && answer.id) { done(upload, answer); return; }
      if (xhr.status >= 400 && xhr.status < 500 && answer.error) {
        // Refused for good (not a photo, too big): say why, and take it out of the form.
        refuse(upload.name + ": " + answer.error);
        upload.row.remove();
        upload.state = "refused";
        settle();
        pump();
        return;
      }
      failed(upload);
    });
    xhr.addEventListener("error", function () { failed(upload); });
    xhr.addEventListener("abort", function () { failed(upload); });
    xhr.open("POST", uploadUrl);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.send(data);
  }
  function failed(upload) {
    say(upload, "failed", text("failed"));
    settle();
    pump();
  }
  function done(upload, answer) {
    upload.id = answer.id;
    var row = upload.row;
    row.querySelector("[data-caption]").name = "caption_" + answer.id;
    var cover = row.querySelector("[data-cover]");
    cover.value = answer.id;
    if (!form.querySelector("input[name=cover]:checked")) cover.checked = true;
    row.querySelector("[data-remove]").name = "remove_" + answer.id;
    row.querySelector("[data-opts]").hidden = false;
    var ids = pending.value ? pending.value.split(",") : [];
    if (ids.indexOf(String(answer.id)) === -1) ids.push(answer.id);
    pending.value = ids.join(",");
    say(upload, "done", text("done"));
    form.dispatchEvent(new Event("change"));  // autosave: the draft gets its photos soon
    settle();
    pump();
  }
  // After each photo's end: a submit that waited for the photos goes once none is on its way.
  function settle() {
    if (!waitingSubmit || uploads.some(function (u) { return u.state === "preparing" || u.state === "queued" || u.state === "sending"; })) return;
    if (uploads.some(function (u) { return u.state === "failed"; })) return;  // the member decides
    var button = waitingSubmit;
    waitingSubmit = null;
    submitWith(button);
  }
  function submitWith(button) {
    if (form.requestSubmit) { form.requestSubmit(button && button.form === form ? button : undefined); return; }
    if (button && button.name) {
      var hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = button.name; hidden.value = button.value;
      form.appendChild(hidden);
    }
    if (button && button.hasAttribute("formaction")) form.setAttribute("action", button.formAction);
    form.submit();
  }
  window.addEventListener("online", function () {
    uploads.forEach(function (upload) { if (upload.state === "failed") send(upload); });
  });

  // --- choosing ---------------------------------------------------------------------------------
  input.addEventListener("change", function () {
    var files = Array.prototype.slice.call(input.files || []);
    input.value = "";  // these go on their own requests, not with the form
    errors.textContent = "";
    var room = maxPhotos - rowsShown();
    files.forEach(function (file, index) {
      if (index >= room) {
        if (index === room) refuse(text("too-many") + " " + files.slice(room).map(function (f) { return f.name; }).join(", "));
        return;
      }
      if (file.size > maxBytes) {
        refuse(file.name + " " + text("too-big") + " " + Math.round(maxBytes / 1048576) + " MB.");
        room++;
        return;
      }
      var upload = addRow(file);
      // One photo decoded at a time: a 12 MP photo takes ~48 MB of memory on a cheap phone.
      shrinking = shrinking.then(function () { return shrink(file); }).then(function (blob) {
        upload.blob = blob;
        upload.row.querySelector("img").src = URL.createObjectURL(blob);
        send(upload);
      });
    });
  });

  // --- before the form goes -----------------------------------------------------------------------
  // Registered before autosave.js's handler (this script comes first), so a submit held here for the
  // photos or the captions reminder goes no further.
  form.addEventListener("submit", function (e) {
    var button = e.submitter;
    var sendsForReview = button && button.value === "submit";
    if (sendsForReview && !reminded) {
      var empty = Array.prototype.filter.call(form.querySelectorAll(".photo-row"), function (row) {
        var caption = row.querySelector("input[type=text]");
        var remove = row.querySelector("input[type=checkbox]");
        return caption && !caption.value.trim() && !(remove && remove.checked);
      });
      if (empty.length) {
        reminded = true;
        e.preventDefault();
        e.stopImmediatePropagation();
        reminder.querySelector("[data-count]").textContent =
          empty.length === 1 ? reminder.getAttribute("data-one") : empty.length + " " + reminder.getAttribute("data-many");
        reminder.hidden = false;
        empty[0].querySelector("input[type=text]").focus();
        return;
      }
    }
    var busy = uploads.some(function (u) { return u.state !== "done" && u.state !== "refused"; });
    if (busy) {
      e.preventDefault();
      e.stopImmediatePropagation();
      waitingSubmit = button || null;
      errors.textContent = "";
      refuse(text("wait"));
      uploads.forEach(function (upload) { if (upload.state === "failed") send(upload); });
    }
  });
})();
