/* Suggests people while "@…" is typed in a text field (progressive enhancement: without
   this file the handle is typed, and the preview shows it resolved or unknown). Asks
   GET /api/v1/notifications/mention-suggestions?q=… and lists buttons below the field;
   choosing one completes the handle. No inline script (CSP). */
(function () {
  "use strict";
  if (!window.fetch) {
    return;
  }
  var PATTERN = /(^|[\s(\[{"'„“*_~])@([A-Za-z0-9][A-Za-z0-9._-]{0,39})$/;
  var URL = "/api/v1/notifications/mention-suggestions?q=";
  var latest = 0;

  function listFor(field) {
    var list = field.parentNode.querySelector(".mention-suggestions");
    if (!list) {
      list = document.createElement("ul");
      list.className = "mention-suggestions";
      list.setAttribute("aria-label", "Personen erwähnen");
      field.parentNode.insertBefore(list, field.nextSibling);
    }
    return list;
  }

  function clear(list) {
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
  }

  function complete(field, start, end, handle) {
    var text = field.value;
    field.value = text.slice(0, start) + "@" + handle + " " + text.slice(end);
    var caret = start + handle.length + 2;
    field.focus();
    field.setSelectionRange(caret, caret);
  }

  function suggest(field) {
    var caret = field.selectionStart;
    var before = field.value.slice(0, caret);
    var match = PATTERN.exec(before);
    var list = listFor(field);
    if (!match) {
      clear(list);
      return;
    }
    var typed = match[2];
    var start = caret - typed.length - 1;
    var asked = ++latest;
    fetch(URL + encodeURIComponent(typed), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (people) {
        if (asked !== latest) {
          return;
        }
        clear(list);
        people.forEach(function (person) {
          var item = document.createElement("li");
          var button = document.createElement("button");
          button.type = "button";
          button.className = "link-button";
          button.setAttribute("data-handle", person.handle);
          button.textContent = "@" + person.handle + " – " + person.display_name + " (" + person.authority_name + ")";
          button.addEventListener("click", function () {
            complete(field, start, caret, person.handle);
            clear(list);
          });
          item.appendChild(button);
          list.appendChild(item);
        });
      })
      .catch(function () { clear(list); });
  }

  document.querySelectorAll("textarea[name=body]").forEach(function (field) {
    field.addEventListener("input", function () { suggest(field); });
  });
})();
