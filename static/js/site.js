// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // The "js" class and the phone menu's button are handled by the inline script in base.html's
  // head, which runs before the first paint: set here, after it, they moved the page.

  // Offline: say so, and never let a form go to the browser's own error page. What was typed
  // stays on the page and in the draft below.
  function text(name) {
    var meta = document.querySelector('meta[name="text-' + name + '"]');
    return meta ? meta.content : "";
  }

  var offlineBanner = document.querySelector("[data-offline-banner]");
  function showConnection() {
    if (offlineBanner) offlineBanner.hidden = navigator.onLine;
  }
  window.addEventListener("online", showConnection);
  window.addEventListener("offline", showConnection);
  showConnection();

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement) || navigator.onLine) return;
      event.preventDefault();
      event.stopPropagation();
      var note = form.querySelector("[data-offline-note]");
      if (!note) {
        note = document.createElement("p");
        note.className = "alert alert--warning";
        note.setAttribute("role", "alert");
        note.setAttribute("data-offline-note", "");
        form.insertBefore(note, form.firstChild);
      }
      note.textContent = text("offline-unsent");
    },
    true
  );

  // A write waiting for Final POS (calls paused): its button comes back when the dashboard
  // asks again, as the banner says. Without this file, a reload does the same.
  Array.prototype.forEach.call(document.querySelectorAll("[data-enable-after]"), function (button) {
    var seconds = parseInt(button.getAttribute("data-enable-after"), 10) || 0;
    window.setTimeout(function () {
      button.disabled = false;
    }, seconds * 1000);
  });

  // Drafts: a till form's typed values are kept on the device as they are typed, so a reload,
  // a closed tab or a lost connection loses nothing. The server names the drafts Final POS has
  // accepted (meta drafts-accepted), and those are forgotten.
  var DRAFT_PREFIX = "till-close:draft:";
  var accepted = document.querySelector('meta[name="drafts-accepted"]');
  (accepted ? accepted.content.split(" ") : []).forEach(function (key) {
    if (key) {
      try {
        localStorage.removeItem(DRAFT_PREFIX + key);
      } catch (error) {
        /* storage unavailable: nothing to forget */
      }
    }
  });

  function draftFields(form) {
    var ids = (form.getAttribute("data-draft-ids") || "").split(" ");
    return Array.prototype.filter.call(form.elements, function (field) {
      if (!field.name || field.name === "csrfmiddlewaretoken") return false;
      if (field.type === "submit" || field.type === "button") return false;
      if (field.type === "hidden") return ids.indexOf(field.name) !== -1;
      return true;
    });
  }

  function saveDraft(form) {
    var values = {};
    draftFields(form).forEach(function (field) {
      if (field.type === "radio" || field.type === "checkbox") {
        if (field.checked) values[field.name] = field.value;
      } else {
        values[field.name] = field.value;
      }
    });
    try {
      localStorage.setItem(
        DRAFT_PREFIX + form.getAttribute("data-draft"),
        JSON.stringify({ savedAt: Date.now(), values: values })
      );
    } catch (error) {
      /* storage full or disabled: the form still works */
    }
  }

  function choosable(select, value) {
    return Array.prototype.some.call(select.options, function (option) {
      return option.value === value && !option.disabled;
    });
  }

  function restoreDraft(form) {
    var key = DRAFT_PREFIX + form.getAttribute("data-draft");
    var draft = null;
    try {
      draft = JSON.parse(localStorage.getItem(key) || "null");
    } catch (error) {
      draft = null;
    }
    if (!draft || !draft.values) return;
    var restored = false;
    draftFields(form).forEach(function (field) {
      if (!(field.name in draft.values)) return;
      var value = draft.values[field.name];
      if (field.type === "radio" || field.type === "checkbox") {
        if (field.checked !== (field.value === value)) restored = true;
        field.checked = field.value === value;
      } else if (field.tagName === "SELECT" && !choosable(field, value)) {
        // e.g. a till opened since: the page chose none and says why
      } else if (field.value !== value) {
        field.value = value;
        restored = true;
      }
    });
    if (!restored) return;
    var note = document.createElement("p");
    note.className = "draft-note";
    note.setAttribute("role", "status");
    note.textContent = text("draft-restored") + " ";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button button--quiet";
    discard.textContent = text("draft-discard");
    discard.addEventListener("click", function () {
      try {
        localStorage.removeItem(key);
      } catch (error) {
        /* nothing to remove */
      }
      window.location.reload();
    });
    note.appendChild(discard);
    form.insertBefore(note, form.firstChild);
    form.querySelectorAll("[data-cash-count]").forEach(function (container) {
      if (container.querySelector("input[data-denomination]:not([value=''])")) container.open = true;
    });
  }

  // A form the server sent back (refused, or back to edit) already holds what was typed.
  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    var returned = form.hasAttribute("data-draft-returned");
    if (!form.hasAttribute("data-draft-keep") && !returned) restoreDraft(form);
    form.addEventListener("input", function () {
      if (!form.hasAttribute("data-draft-keep")) saveDraft(form);
    });
    form.addEventListener("change", function () {
      if (!form.hasAttribute("data-draft-keep")) saveDraft(form);
    });
  });

  // Cash in or out: only the reasons for the kind of movement chosen can be picked (the server
  // checks the pair too). After the drafts above, which may have chosen a kind.
  document.querySelectorAll("select[data-movement-reason]").forEach(function (select) {
    var form = select.form;
    // keepChosen: on load, a reason the server refused stays shown beside its error.
    function offerReasons(keepChosen) {
      var kind = form.querySelector('input[name="kind"]:checked');
      var chosen = select.options[select.selectedIndex];
      Array.prototype.forEach.call(select.options, function (option) {
        var kinds = option.getAttribute("data-kinds");
        var off = Boolean(kind && kinds && kinds.split(" ").indexOf(kind.value) === -1);
        if (keepChosen && option === chosen) off = false;
        option.disabled = off;
        option.hidden = off;
      });
      if (chosen && chosen.disabled) {
        select.value = "";
        select.dispatchEvent(new Event("change", { bubbles: true })); // the draft forgets it
      }
    }
    form.addEventListener("change", function (event) {
      if (event.target.name === "kind") offerReasons(false);
    });
    offerReasons(true);
  });

  // Opening a shift: the float starts at what the till's last shift left in the drawer.
  var station = document.getElementById("id_station");
  var float = document.getElementById("id_opening_amount");
  var hint = document.querySelector("[data-handover-hint]");
  if (station && float) {
    var prefilled = float.value;
    // A page that arrives with its till chosen (the till's own button) says it too.
    var arrived = station.options[station.selectedIndex];
    var arrivedLeft = arrived ? arrived.getAttribute("data-handover-float") : null;
    if (hint && arrivedLeft && float.value === arrivedLeft) hint.hidden = false;
    station.addEventListener("change", function () {
      var option = station.options[station.selectedIndex];
      var left = option ? option.getAttribute("data-handover-float") : null;
      if (float.value === "" || float.value === prefilled) {
        float.value = left || "";
        prefilled = float.value;
      }
      if (hint) hint.hidden = !left;
    });
  }

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
    if (form.hasAttribute("data-sent-goes-to") && button && button.value === "confirm") {
      try {
        sessionStorage.setItem(sentMark(form), "1");
      } catch (error) {
        /* storage unavailable: going back shows this page as it was */
      }
    }
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

  // Going back to a page restores it from the cache with the form still "submitting". A form
  // whose sending settles the page (data-sent-goes-to: the close's confirm step) is not shown
  // again as if nothing had been sent, once sent: the page it names shows what happened.
  function sentMark(form) {
    return "till-close:sent:" + form.getAttribute("data-sent-goes-to");
  }
  window.addEventListener("pageshow", function (event) {
    var navigation = performance.getEntriesByType("navigation")[0];
    var back = event.persisted || (navigation && navigation.type === "back_forward");
    var settled = document.querySelector("form[data-sent-goes-to]");
    var sent = false;
    try {
      sent = Boolean(settled && sessionStorage.getItem(sentMark(settled)));
    } catch (error) {
      /* storage unavailable: the page stays as it was */
    }
    if (back && sent) {
      window.location.replace(settled.getAttribute("data-sent-goes-to"));
      return;
    }
    if (settled && !back) {
      try {
        sessionStorage.removeItem(sentMark(settled)); // a new visit: not sent from this one yet
      } catch (error) {
        /* nothing to forget */
      }
    }
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
  // In thousandths of a unit: exact for currencies with 0, 2 or 3 decimals (JPY, USD, KWD).
  function thousandths(text) {
    var match = /^(\d+)(?:\.(\d{1,3}))?$/.exec(text);
    if (!match) return null;
    return parseInt(match[1], 10) * 1000 + parseInt(((match[2] || "") + "000").slice(0, 3), 10);
  }

  // The total as the page's language writes it, with the currency's decimals ("1.234,50").
  function formatAmount(total, decimals, sign, grouped) {
    var whole = Math.floor(total / 1000);
    var rest = String(total % 1000).padStart(3, "0").slice(0, decimals);
    var lang = document.documentElement.lang || "en";
    var text = grouped ? whole.toLocaleString(lang) : String(whole);
    return decimals > 0 ? text + sign + rest : text;
  }

  // fillTotal: only as the cashier types. A page that comes back shows the total as it was
  // typed, which the server's message may be about ("does not match the notes counted").
  function updateCount(container, fillTotal) {
    var total = 0;
    var any = false;
    var decimals = parseInt(container.getAttribute("data-decimals") || "2", 10);
    var sign = container.getAttribute("data-decimal-sign") || ".";
    var wrong = false; // a piece count that is not a whole number of 0 or more: no total
    container.querySelectorAll("input[data-denomination]").forEach(function (input) {
      var typed = input.value.trim();
      var value = thousandths(input.getAttribute("data-denomination"));
      var whole = typed === "" || /^\d+(\.0*)?$/.test(typed); // "2.0" is 2, as the server reads it
      var bad = (input.validity && input.validity.badInput) || !whole;
      if (bad) input.setAttribute("aria-invalid", "true");
      else if (input.getAttribute("aria-invalid") === "true") input.removeAttribute("aria-invalid");
      if (bad) {
        wrong = true;
        return;
      }
      if (typed === "") return;
      var quantity = parseInt(typed, 10);
      if (quantity > 0 && value !== null) {
        total += quantity * value;
        any = true;
      }
    });
    var output = container.querySelector("[data-count-total]");
    var counted = any && !wrong;
    // With the currency as the page writes money ("$60.00", "60,00 $"), unlike the total field.
    var prefix = container.getAttribute("data-money-prefix") || "";
    var suffix = container.getAttribute("data-money-suffix") || "";
    if (output) {
      output.textContent = counted ? prefix + formatAmount(total, decimals, sign, true) + suffix : "—";
    }
    var field = document.getElementById(container.getAttribute("data-total-field"));
    if (!field) return;
    var sum = counted ? formatAmount(total, decimals, sign, false) : "";
    // The total follows the count while it holds what the count put there (or nothing): one
    // the cashier typed is never replaced, and never left showing a sum the count no longer
    // makes ("Counted: —" beside it).
    var filled = field.getAttribute("data-filled-by-count");
    if (!fillTotal) {
      if (counted && field.value === sum) field.setAttribute("data-filled-by-count", sum);
      return;
    }
    if (field.value === "" || field.value === filled) {
      field.value = sum;
      field.setAttribute("data-filled-by-count", sum);
    }
  }

  document.addEventListener("input", function (event) {
    var container = event.target.closest && event.target.closest("[data-cash-count]");
    if (!container) return;
    updateCount(container, true);
    // The form saved its draft on this keystroke before the total above changed: again.
    var form = container.closest("form[data-draft]");
    if (form && !form.hasAttribute("data-draft-keep")) saveDraft(form);
  });
  document.querySelectorAll("[data-cash-count]").forEach(function (container) {
    updateCount(container, false);
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });

  // After a failed submit, take keyboard and screen-reader users to the explanation.
  var errors = document.getElementById("form-errors");
  if (errors) errors.focus();
})();
