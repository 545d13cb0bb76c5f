// The questionnaire page: warn before leaving with unsaved answers, and move focus to the
// error or conflict summary after a save that needs attention. Loaded as a file (CSP).
"use strict";

(function () {
  const form = document.getElementById("questionnaire-form");
  if (!form) {
    return;
  }

  const summary = document.getElementById("form-errors");
  if (summary) {
    summary.focus();
  }

  if (form.dataset.editable !== "true") {
    return;
  }

  // After a refused save or a conflict the page shows answers that are not stored yet.
  let dirty = form.dataset.unsaved === "true";

  // Inputs are tied to the form with form="questionnaire-form" rather than nested in it,
  // so evidence and review forms can sit beside each question; only count the form's own.
  function markDirty(event) {
    if (event.target && event.target.form === form) {
      dirty = true;
    }
  }

  document.addEventListener("input", markDirty);
  document.addEventListener("change", markDirty);

  form.addEventListener("submit", function () {
    dirty = false;
  });

  window.addEventListener("beforeunload", function (event) {
    if (!dirty) {
      return undefined;
    }
    event.preventDefault();
    // Older browsers need returnValue set to show their (generic) warning.
    event.returnValue = "";
    return "";
  });
})();
