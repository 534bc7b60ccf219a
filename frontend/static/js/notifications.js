/* The unread count in the header, kept current through server-sent events (progressive
   enhancement: without this file the count is the one the page was rendered with). */
(function () {
  "use strict";
  var badge = document.querySelector("[data-unread-count]");
  if (!badge || !window.EventSource) {
    return;
  }
  var source = new EventSource("/benachrichtigungen/live");
  source.addEventListener("unread", function (event) {
    var count = parseInt(event.data, 10);
    if (isNaN(count)) {
      return;
    }
    badge.textContent = String(count);
    badge.classList.toggle("unread-count--none", count === 0);
  });
  window.addEventListener("pagehide", function () {
    source.close();
  });
})();
