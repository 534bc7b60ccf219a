/* The API reference page: Scalar (loaded after this file) renders its own <main>. Without
   JavaScript the page's introduction is its main landmark; here, before Scalar mounts, the
   introduction becomes a region, so the page keeps exactly one main landmark. */
(function () {
  "use strict";
  var intro = document.querySelector("main[data-api-intro]");
  if (!intro || !document.getElementById("api-reference")) {
    return;
  }
  var section = document.createElement("section");
  Array.prototype.forEach.call(intro.attributes, function (attribute) {
    if (attribute.name !== "data-api-intro") {
      section.setAttribute(attribute.name, attribute.value);
    }
  });
  while (intro.firstChild) {
    section.appendChild(intro.firstChild);
  }
  intro.parentNode.replaceChild(section, intro);
})();
