// Character counters for every field with data-maxlength (the limit the server enforces).
// The field keeps no maxlength attribute, with which a browser would cut a pasted text
// short without a word: here the writer sees how much is left, or how much too much, and
// the server refuses what is too long with a message. Loaded as a file (CSP).
"use strict";

(function () {
  const number = new Intl.NumberFormat("en-GB");
  const PAUSE_MS = 600; // screen readers hear the count once typing pauses, not per key

  function describedBy(field, id) {
    const ids = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (ids.indexOf(id) === -1) {
      ids.push(id);
      field.setAttribute("aria-describedby", ids.join(" "));
    }
  }

  function hintFor(field, limit) {
    // Templates render the maximum ({% limit_hint %}); forms rendered by crispy get one here.
    let hint = field.id ? document.getElementById(field.id + "-limit") : null;
    if (!hint) {
      hint = document.createElement("div");
      hint.className = "form-text char-limit";
      hint.textContent = "Up to " + number.format(limit) + " characters.";
      if (field.id) {
        hint.id = field.id + "-limit";
        describedBy(field, hint.id);
      }
      field.insertAdjacentElement("afterend", hint);
    }
    return hint;
  }

  function message(length, limit) {
    if (length > limit) {
      const over = length - limit;
      return number.format(over) + (over === 1 ? " character" : " characters") +
        " too many (up to " + number.format(limit) + ").";
    }
    return number.format(limit - length) + " of " + number.format(limit) + " characters left.";
  }

  function attach(field) {
    const limit = parseInt(field.dataset.maxlength, 10);
    if (!limit || field.dataset.charCount === "on") {
      return;
    }
    field.dataset.charCount = "on";
    const hint = hintFor(field, limit);
    // The maximum stays as the server wrote it until something is typed; from then on the
    // hint counts (GOV.UK's character count does the same).
    const maximum = hint.textContent;
    const shown = document.createElement("span");
    shown.className = "char-count";
    shown.setAttribute("aria-hidden", "true");
    const spoken = document.createElement("span");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    hint.textContent = "";
    hint.appendChild(shown);
    hint.appendChild(spoken);
    let timer = null;
    function update(announce) {
      const length = field.value.length;
      const text = length ? message(length, limit) : maximum;
      shown.textContent = text;
      hint.classList.toggle("text-danger", length > limit);
      field.classList.toggle("is-over-limit", length > limit);
      if (announce) {
        clearTimeout(timer);
        timer = setTimeout(function () {
          spoken.textContent = text;
        }, PAUSE_MS);
      }
    }
    field.addEventListener("input", function () {
      update(true);
    });
    update(false);
  }

  function attachAll(root) {
    root.querySelectorAll("textarea[data-maxlength], input[data-maxlength]").forEach(attach);
  }

  attachAll(document);
  // Blocks htmx swaps in (evidence) bring fields of their own.
  document.addEventListener("htmx:load", function (event) {
    attachAll(event.target);
  });
})();
