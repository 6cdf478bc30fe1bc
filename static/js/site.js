// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // A form marked data-submit-once can be sent once: the button shows progress and a second
  // tap is ignored while Final POS answers.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-submit-once")) return;
    if (form.dataset.submitting === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "true";
    var button = event.submitter || form.querySelector("[type=submit]");
    if (button) {
      button.setAttribute("aria-busy", "true");
      if (button.name) {
        // A disabled button is not submitted, so keep its value in a hidden field.
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = button.name;
        hidden.value = button.value;
        form.appendChild(hidden);
      }
      button.disabled = true;
    }
  });

  // Going back to a page restores it from the cache with the form still "submitting".
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      delete form.dataset.submitting;
      form.querySelectorAll("[aria-busy=true]").forEach(function (button) {
        button.removeAttribute("aria-busy");
        button.disabled = false;
      });
    });
  });

  // Counting by notes and coins: the total is worked out as the cashier types and written
  // into the cash total field. The server checks the same sum; this is only a convenience.
  function cents(text) {
    var match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
    if (!match) return null;
    return parseInt(match[1], 10) * 100 + parseInt(((match[2] || "") + "00").slice(0, 2), 10);
  }

  function formatCents(total) {
    var whole = Math.floor(total / 100);
    var rest = String(total % 100).padStart(2, "0");
    return whole.toLocaleString("en-US") + "." + rest;
  }

  function updateCount(container) {
    var total = 0;
    var any = false;
    container.querySelectorAll("input[data-denomination]").forEach(function (input) {
      var quantity = parseInt(input.value, 10);
      var value = cents(input.getAttribute("data-denomination"));
      if (!isNaN(quantity) && quantity > 0 && value !== null) {
        total += quantity * value;
        any = true;
      }
    });
    var output = container.querySelector("[data-count-total]");
    if (output) output.textContent = any ? formatCents(total) : "—";
    var field = document.getElementById(container.getAttribute("data-total-field"));
    if (field && any) field.value = formatCents(total).replace(/,/g, "");
  }

  document.addEventListener("input", function (event) {
    var container = event.target.closest && event.target.closest("[data-cash-count]");
    if (container) updateCount(container);
  });
  document.querySelectorAll("[data-cash-count]").forEach(updateCount);

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });

  // After a failed submit, take keyboard and screen-reader users to the explanation.
  var errors = document.getElementById("form-errors");
  if (errors) errors.focus();
})();
