// The PDF panel (#report-status, templates/reports/_report_status.html) after htmx swaps
// it: focus follows the panel's news (the download link, the retry button, a refusal, the
// progress) so keyboard and screen-reader users land on it, but only when focus was in
// the panel or nowhere; someone who has moved on elsewhere keeps their place, and the
// surrounding live region still announces the change.
(function () {
  "use strict";

  var PANEL_ID = "report-status";
  var refocus = false;

  function isPanel(element) {
    return Boolean(element) && element.id === PANEL_ID;
  }

  function focusWasHere(panel) {
    var active = document.activeElement;
    return !active || active === document.body || panel.contains(active);
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!isPanel(target)) {
      return;
    }
    refocus = event.detail.shouldSwap && focusWasHere(target);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!refocus || !isPanel(event.detail.elt)) {
      return;
    }
    refocus = false;
    var next = event.detail.elt.querySelector("[data-report-focus]");
    if (next) {
      next.focus();
    }
  });

  // A request that got no usable answer (a network failure, a 500, a 403) swaps nothing:
  // say so in the panel instead of leaving the button silently enabled again.
  function showError(event, message) {
    var panel = document.getElementById(PANEL_ID);
    var source = event.detail.elt;
    if (!panel || !source || !panel.contains(source)) {
      return;
    }
    var slot = panel.querySelector("[data-report-error]");
    if (slot) {
      slot.textContent = message;
      slot.hidden = false;
    }
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    showError(
      event,
      status === 403
        ? "Your role may not create PDF scorecards."
        : "The server could not take the request (error " + status + "). Try again in a moment."
    );
  });

  document.addEventListener("htmx:sendError", function (event) {
    showError(event, "The request did not reach the server. Check your connection and try again.");
  });
})();
