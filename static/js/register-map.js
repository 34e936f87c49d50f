// The Safe Haven map: a progressive enhancement of the list beside it, which carries the same
// venues. Reads the GeoJSON embedded by the page (json_script) and the tile settings from data-*.
(function () {
  "use strict";
  var container = document.getElementById("register-map");
  if (!container || typeof L === "undefined") return;
  var source = document.getElementById(container.getAttribute("data-map-data"));
  if (!source) return;
  var data = JSON.parse(source.textContent);
  if (!data.features || !data.features.length) return;

  container.hidden = false;
  var map = L.map(container, { scrollWheelZoom: false });
  L.tileLayer(container.getAttribute("data-tile-url"), {
    maxZoom: 19,
    attribution: container.getAttribute("data-attribution"),
  }).addTo(map);

  var bounds = [];
  data.features.forEach(function (feature) {
    var lng = feature.geometry.coordinates[0];
    var lat = feature.geometry.coordinates[1];
    var props = feature.properties;
    // Pins are for pointing at; the list beside the map is the keyboard and screen-reader route to
    // the same venue pages (WCAG 2.5.8's "equivalent control"), so pins stay out of the tab order.
    var marker = L.marker([lat, lng], { alt: props.name, title: props.name, keyboard: false }).addTo(map);
    var popup = document.createElement("div");
    var link = document.createElement("a");
    link.href = props.url;
    link.textContent = props.name;
    link.className = "govuk-link";
    var address = document.createElement("p");
    address.className = "govuk-body-s govuk-!-margin-0";
    address.textContent = [props.address, props.postcode].filter(Boolean).join(", ");
    popup.appendChild(link);
    popup.appendChild(address);
    marker.bindPopup(popup);
    bounds.push([lat, lng]);
  });
  if (bounds.length === 1) {
    map.setView(bounds[0], 16);
  } else {
    map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16 });
  }
})();
