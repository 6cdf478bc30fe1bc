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
})();
