// Maillage: the little JavaScript the pages need; everything also works without it.
// No inline scripts: the Content-Security-Policy forbids them.
"use strict";

// Forms with data-confirm ask before a destructive change ("Deactivate the account?").
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

// Buttons with data-print open the browser's print dialog (plans, minutes, agendas).
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});

// Texts typed on the live meeting page (forms with data-autosave) are never lost: htmx sends
// them on a short pause and on leaving the field; what is still unsent when the page is hidden
// or left goes with navigator.sendBeacon (the CSRF token travels in the form body). The browser
// is warned before leaving while a save failed. Nothing is kept in browser storage.
(function () {
  var edits = {};    // form action -> edits typed
  var sent = {};     // form action -> edits covered by the last request sent
  var failed = {};   // form action -> true when the last save did not succeed
  var inflight = {}; // form action -> true while htmx is sending it

  function autosaveForm(element) {
    return element && element.closest && element.closest("form[data-autosave]");
  }

  // While a save travels, a page loaded next waits for it: a 10-second cookie names the row and
  // the version saved from (never the text).
  function markPending(form, version) {
    var pending = form.getAttribute("data-pending");
    if (pending && version) {
      document.cookie = "maillage-saving=" + pending + "." + version +
        "; path=/; max-age=10; SameSite=Strict";
    }
  }

  function status(form, text) {
    var line = form && form.querySelector(".save-status");
    if (line && text) {
      line.textContent = text;
    }
  }

  document.addEventListener("input", function (event) {
    var form = autosaveForm(event.target);
    if (form) {
      edits[form.action] = (edits[form.action] || 0) + 1;
      // From the first key, a page loaded next waits for this text to be saved.
      var version = form.querySelector("[name=version]");
      markPending(form, version && version.value);
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = autosaveForm(event.detail.elt);
    if (form) {
      sent[form.action] = edits[form.action] || 0;
      inflight[form.action] = true;
      markPending(form, new FormData(form).get("version"));
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = autosaveForm(event.detail.elt) || event.detail.elt;
    var action = form.action;
    if (!action || !(action in sent)) {
      return;
    }
    delete inflight[action];
    if (event.detail.successful) {
      delete failed[action];
      document.cookie = "maillage-saving=; path=/; max-age=0; SameSite=Strict";
      if ((edits[action] || 0) <= sent[action]) {
        delete edits[action];
      }
    } else {
      failed[action] = true;
      status(autosaveForm(event.detail.elt), form.getAttribute("data-unsaved"));
    }
  });

  // Send with a beacon every form typed in since its last request.
  function flush() {
    Object.keys(edits).forEach(function (action) {
      // A request still in flight may be cut by the navigation: send its text again.
      if ((edits[action] || 0) <= (sent[action] || 0) && !failed[action] && !inflight[action]) {
        return;
      }
      var form = document.querySelector('form[data-autosave][action="' + new URL(action).pathname + '"]');
      if (!form || !navigator.sendBeacon) {
        return;
      }
      var data = new FormData(form);
      data.append("beacon", "1");
      if (navigator.sendBeacon(form.action, data)) {
        sent[action] = edits[action] || 0;
        delete inflight[action];
        markPending(form, data.get("version"));
      }
    });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      flush();
    }
  });
  window.addEventListener("pagehide", flush);
  window.addEventListener("beforeunload", function (event) {
    flush();
    if (Object.keys(failed).length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
