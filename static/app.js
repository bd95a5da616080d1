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
