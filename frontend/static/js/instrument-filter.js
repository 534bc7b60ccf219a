/* A filter field over the instrument checkboxes (progressive enhancement: without this
   file the boxes stand grouped under their cornerstones). Typing part of a name shows only
   the matching boxes, and the boxes already chosen, so a keyboard reaches an instrument in
   a few tab stops instead of 26. It only hides boxes: the form sends the same
   "instruments" fields as without script. No inline script (CSP-friendly). */
(function () {
  "use strict";

  function fold(text) {
    // "Räumliches" matches "raum" and "räum"; German letters typed without umlauts too.
    return text
      .toLowerCase()
      .replace(/ä/g, "a")
      .replace(/ö/g, "o")
      .replace(/ü/g, "u")
      .replace(/ß/g, "ss")
      .replace(/ae/g, "a")
      .replace(/oe/g, "o")
      .replace(/ue/g, "u")
      .replace(/\s+/g, " ")
      .trim();
  }

  function count(number) {
    return number === 1 ? "1 Instrument" : number + " Instrumente";
  }

  function enhance(picker, index) {
    var groups = picker.querySelector(".instrument-picker__groups");
    if (!groups) {
      return;
    }
    var checks = Array.prototype.slice.call(picker.querySelectorAll(".kern-form-check"));
    var items = checks.map(function (check) {
      var box = check.querySelector("input[type=checkbox]");
      var label = check.querySelector("label");
      return { check: check, box: box, name: fold(label ? label.textContent : "") };
    });
    var id = "instrument-filter" + (index ? "-" + (index + 1) : "");

    var field = document.createElement("div");
    field.className = "kern-form-input instrument-filter";
    var label = document.createElement("label");
    label.className = "kern-label";
    label.htmlFor = id;
    label.textContent = "Instrumente filtern";
    var hint = document.createElement("div");
    hint.className = "kern-hint";
    hint.id = id + "-hint";
    hint.textContent =
      "Tippen Sie einen Teil des Namens, z. B. „Termin“. Gewählte Instrumente bleiben " +
      "sichtbar und gewählt.";
    var input = document.createElement("input");
    input.className = "kern-form-input__input";
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.setAttribute("aria-describedby", hint.id + " " + id + "-status");
    input.setAttribute("aria-controls", groups.id || (groups.id = id + "-groups"));
    var status = document.createElement("p");
    status.className = "kern-body kern-body--small instrument-filter__status";
    status.id = id + "-status";
    status.setAttribute("role", "status");
    field.appendChild(label);
    field.appendChild(hint);
    field.appendChild(input);
    field.appendChild(status);
    groups.parentNode.insertBefore(field, groups);

    function apply() {
      var wanted = fold(input.value);
      var shown = 0;
      items.forEach(function (item) {
        var visible = !wanted || item.box.checked || item.name.indexOf(wanted) !== -1;
        item.check.hidden = !visible;
        if (visible) {
          shown += 1;
        }
      });
      Array.prototype.forEach.call(
        groups.querySelectorAll(".instrument-picker__group"),
        function (group) {
          group.hidden = !group.querySelector(".kern-form-check:not([hidden])");
        }
      );
      status.textContent = wanted
        ? count(shown) + " von " + items.length + " angezeigt"
        : "Alle " + count(items.length) + " angezeigt";
    }

    input.addEventListener("input", apply);
    input.addEventListener("keydown", function (event) {
      // Enter in the filter would send the whole form: it moves to the first match instead.
      if (event.key === "Enter") {
        event.preventDefault();
        var first = groups.querySelector(".kern-form-check:not([hidden]) input");
        if (first) {
          first.focus();
        }
      }
    });
    apply();
  }

  Array.prototype.forEach.call(
    document.querySelectorAll("[data-instrument-filter]"),
    enhance
  );
})();
