// The register's "Filter" disclosure is a plain <details>: closed on a phone (unless a filter is in
// use, when the page opens it), so the search and the first results fit the first screen. On a
// screen wide enough for the filters to sit beside the results, open it: it costs no scrolling there.
(function () {
  "use strict";
  var details = document.querySelector("[data-register-filters]");
  if (!details || !window.matchMedia) return;
  if (window.matchMedia("(min-width: 40.0625em)").matches) details.open = true;
})();
