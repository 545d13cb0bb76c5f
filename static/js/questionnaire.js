// The questionnaire page. Loaded as a file (CSP). Everything here improves a page that
// works without it: the domain list opens on wide screens, the error summary takes focus,
// N/A shows its justification, leaving through the page's own links saves first, other
// exits warn about unsaved answers, and evidence swapped in place gets focus.
"use strict";

(function () {
  // The domain list is a <details>, closed in the HTML so that a phone shows the questions
  // first; on a wide screen, where it sits beside them, it is open.
  const nav = document.getElementById("questionnaire-nav-details");
  if (nav) {
    const wide = window.matchMedia("(min-width: 992px)");
    const follow = function () {
      nav.open = wide.matches;
    };
    follow();
    wide.addEventListener("change", follow);
  }

  // The GOV.UK error summary: focus on load, and its links focus the field they name.
  const summary = document.getElementById("error-summary") || document.getElementById("form-errors");
  if (summary) {
    summary.focus();
  }
  document.addEventListener("click", function (event) {
    const link = event.target.closest("a[data-error-target]");
    if (!link) {
      return;
    }
    const input = document.getElementById(link.dataset.errorTarget);
    if (!input) {
      return;
    }
    event.preventDefault();
    const around = input.closest("fieldset") || input;
    around.scrollIntoView({ block: "start" });
    input.focus({ preventScroll: true });
    history.replaceState(null, "", "#" + input.id);
  });

  // N/A: its justification shows while N/A is chosen (or when it holds text or an error).
  function naToggles(fieldset) {
    return fieldset.querySelectorAll("[data-na-choice]");
  }
  function showJustification(fieldset) {
    const why = fieldset.querySelector(".na-justification");
    if (!why) {
      return;
    }
    const chosen = Array.prototype.some.call(naToggles(fieldset), function (input) {
      return input.checked;
    });
    const text = why.querySelector("textarea");
    why.hidden = !(chosen || why.hasAttribute("data-keep-open") || (text && text.value.trim()));
  }
  document.querySelectorAll("fieldset.question").forEach(showJustification);
  document.addEventListener("change", function (event) {
    const fieldset = event.target.closest && event.target.closest("fieldset.question");
    if (fieldset && event.target.type !== "textarea") {
      showJustification(fieldset);
    }
  });

  // Evidence swapped in by htmx: focus its outcome, so a screen reader hears it.
  document.addEventListener("htmx:afterSettle", function () {
    const outcome = document.querySelector(".evidence [data-focus-after-swap]");
    if (outcome) {
      outcome.removeAttribute("data-focus-after-swap");
      outcome.focus();
    }
  });

  // A response htmx does not swap (a server error, a lost connection): say so in the
  // block, rather than leave a click that seemed to do nothing.
  function failedNote(block, text) {
    let note = block.querySelector(".evidence-failed");
    if (!note) {
      note = document.createElement("p");
      note.className = "alert alert-danger py-2 small evidence-failed";
      note.setAttribute("role", "alert");
      note.tabIndex = -1;
      block.insertBefore(note, block.querySelector(".evidence-add"));
    }
    note.textContent = text + " Nothing was changed; your answers on this page are still here.";
    note.focus();
  }
  function evidenceFailed(event) {
    const block = event.detail.elt && event.detail.elt.closest(".evidence");
    if (block) {
      const status = event.detail.xhr && event.detail.xhr.status;
      failedNote(block, status ? "The server refused this (status " + status + ")." :
        "The server could not be reached.");
    }
  }
  document.addEventListener("htmx:responseError", evidenceFailed);
  document.addEventListener("htmx:sendError", evidenceFailed);
  // Anything but this question's block (e.g. the login page after the session ended, which
  // the request was redirected to) is not swapped into the page.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    const block = elt && elt.closest && elt.closest(".evidence");
    const response = event.detail.serverResponse || "";
    if (!block || !event.detail.shouldSwap || response.indexOf('id="' + block.id + '"') !== -1) {
      return;
    }
    event.detail.shouldSwap = false;
    failedNote(block, "The server answered with another page; your session may have ended " +
      "(log in again in a new tab, then try again here).");
  });

  const form = document.getElementById("questionnaire-form");
  if (!form || form.dataset.editable !== "true") {
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

  form.addEventListener("submit", function (event) {
    dirty = false;
    // A destination left from an earlier "save first" that the browser did not submit
    // (a field it found invalid) must not redirect a later plain save.
    const stale = document.getElementById("questionnaire-then");
    if (stale && event.submitter) {
      stale.remove();
    }
  });

  // Another domain (the list, previous, next) with unsaved answers: save first, then go
  // there. The server goes to the domain named by `then` after a successful save, and
  // stays to show the errors otherwise.
  document.addEventListener("click", function (event) {
    const link = event.target.closest("a[data-save-first]");
    if (!link || !dirty || event.defaultPrevented || event.button !== 0 ||
        event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return;
    }
    event.preventDefault();
    let then = document.getElementById("questionnaire-then");
    if (!then) {
      then = document.createElement("input");
      then.type = "hidden";
      then.name = "then";
      then.id = "questionnaire-then";
      form.appendChild(then);
    }
    then.value = link.dataset.saveFirst;
    form.requestSubmit();
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
