/* People to invite while a name is typed (progressive enhancement: the search form works
   without this file and leads to the same result list). 300 ms after the last keystroke it
   asks the result page itself (GET …/einladen?q=…) and shows its result list, whose
   invitation forms are the server's own, in the form's aria-live region. No framework, no
   inline script (CSP-friendly). */
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser) {
    return;
  }
  var forms = document.querySelectorAll("form[data-person-search]");
  Array.prototype.forEach.call(forms, function (form) {
    var input = form.querySelector("input[name=q]");
    var region = document.getElementById(form.getAttribute("data-person-search"));
    if (!input || !region) {
      return;
    }
    var timer = null;
    var latest = 0;
    function show(nodes) {
      while (region.firstChild) {
        region.removeChild(region.firstChild);
      }
      nodes.forEach(function (node) {
        region.appendChild(document.importNode(node, true));
      });
    }
    function ask() {
      var q = input.value.trim();
      if (q.length < 2) {
        show([]);
        return;
      }
      var ticket = ++latest;
      var url = form.getAttribute("action") + "?q=" + encodeURIComponent(q);
      fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          return response.ok ? response.text() : "";
        })
        .then(function (text) {
          if (ticket !== latest || !text) {
            return;
          }
          var page = new DOMParser().parseFromString(text, "text/html");
          var results = page.getElementById("einladen-ergebnisse");
          show(results ? Array.prototype.slice.call(results.childNodes) : []);
        })
        .catch(function () {
          show([]);
        });
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 300);
    });
  });
})();
