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
