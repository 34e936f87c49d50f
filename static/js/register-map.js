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

  // On a phone the list comes first: the map follows it, in the page's order as on screen.
  var after = document.getElementById(container.getAttribute("data-phone-after") || "");
  if (after && window.matchMedia && window.matchMedia("(max-width: 40.0525em)").matches) {
    after.parentNode.insertBefore(container, after.nextSibling);
    container.setAttribute("aria-label", container.getAttribute("data-phone-label") || container.getAttribute("aria-label"));
  }
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
  // "Use my location": the person's own position, a dot unlike the venues' pins, named for screen
  // readers and in a line of text under the map. Only ever from this page's own address.
  var here = (container.getAttribute("data-here") || "").split(",").map(parseFloat);
  if (here.length === 2 && !isNaN(here[0]) && !isNaN(here[1])) {
    var dot = L.divIcon({
      className: "sh-map-here-icon",
      html: '<span class="sh-map-here" role="img" aria-label="Your location"></span>',
      iconSize: [20, 20],
      iconAnchor: [10, 10],
    });
    L.marker(here, { icon: dot, title: "Your location", keyboard: false, zIndexOffset: 1000 }).addTo(map);
    bounds.push(here);
    var legend = document.createElement("p");
    legend.className = "govuk-body-s sh-map-legend";
    legend.textContent = "The blue dot on the map is your location.";
    container.parentNode.insertBefore(legend, container.nextSibling);
  }
  if (bounds.length === 1) {
    map.setView(bounds[0], 16);
  } else {
    map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16 });
  }
})();
