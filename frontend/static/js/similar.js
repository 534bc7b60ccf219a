/* Similar questions while a title is typed (progressive enhancement: the ask form works
   without this file). Asks GET /api/v1/search/similar?title=… 300 ms after the last
   keystroke and lists up to five links in the aria-live region; on any failure it shows
   nothing. No framework, no inline script (CSP-friendly). */
(function () {
  "use strict";
  var region = document.querySelector("[data-similar-for]");
  if (!region || !window.fetch) {
    return;
  }
  var input = document.getElementById(region.getAttribute("data-similar-for"));
  var url = region.getAttribute("data-similar-url");
  if (!input || !url) {
    return;
  }
  var timer = null;
  var asked = "";
  var latest = 0;

  function clear() {
    while (region.firstChild) {
      region.removeChild(region.firstChild);
    }
  }

  function render(items) {
    clear();
    if (!Array.isArray(items) || items.length === 0) {
      return;
    }
    var heading = document.createElement("p");
    heading.className = "similar-questions__heading";
    heading.textContent = "Ähnliche Fragen, die schon gestellt wurden:";
    region.appendChild(heading);
    var list = document.createElement("ul");
    list.className = "similar-questions__list";
    items.slice(0, 5).forEach(function (item) {
      if (!item || typeof item.url !== "string" || item.url.charAt(0) !== "/") {
        return;
      }
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.className = "kern-link";
      link.href = item.url;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = String(item.title || "");
      var note = document.createElement("span");
      note.className = "visually-hidden";
      note.textContent = " (öffnet in neuem Tab)";
      link.appendChild(note);
      li.appendChild(link);
      list.appendChild(li);
    });
    region.appendChild(list);
  }

  function ask() {
    var title = input.value.replace(/\s+/g, " ").trim();
    if (title === asked) {
      return;
    }
    asked = title;
    if (title.length < 3) {
      clear();
      return;
    }
    var number = ++latest;
    fetch(url + "?title=" + encodeURIComponent(title.slice(0, 200)), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (items) {
        if (number === latest && items) {
          render(items);
        }
      })
      .catch(function () {
        /* Search is a help, not a requirement: stay quiet. */
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 300);
  });
})();
