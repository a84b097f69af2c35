// The maps of associations, events and missions (progressive enhancement): each page lists the same
// places without it. Any element with class "js-map" becomes a map; it reads its settings from data-
// attributes and its markers from a JSON data island (no inline script).
(function () {
  "use strict";
  function init() {
    if (typeof window.L === "undefined") { return; }
    Array.prototype.forEach.call(document.querySelectorAll(".js-map"), draw);
  }
  function draw(element) {
    var island = document.getElementById(element.dataset.markers);
    var markers = island ? JSON.parse(island.textContent) : [];
    if (!markers.length) { return; }
    element.hidden = false;
    var L = window.L;
    var map = L.map(element, { scrollWheelZoom: false });
    L.tileLayer(element.dataset.tileUrl, { maxZoom: 19, attribution: element.dataset.attribution }).addTo(map);
    var icon = L.icon({
      iconUrl: element.dataset.icon, iconRetinaUrl: element.dataset.iconRetina, shadowUrl: element.dataset.shadow,
      iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], tooltipAnchor: [16, -28], shadowSize: [41, 41]
    });
    var bounds = [];
    markers.forEach(function (item) {
      // Popup content built as DOM nodes: names are text, never HTML.
      var content = document.createElement("div");
      var title = document.createElement("strong");
      title.textContent = item.name;
      content.appendChild(title);
      [item.when, item.address].forEach(function (line) {
        if (!line) { return; }
        content.appendChild(document.createElement("br"));
        content.appendChild(document.createTextNode(line));
      });
      content.appendChild(document.createElement("br"));
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = element.dataset.linkLabel;
      content.appendChild(link);
      L.marker([item.lat, item.lng], { icon: icon, alt: item.name, title: item.name, keyboard: true })
        .bindPopup(content).addTo(map);
      bounds.push([item.lat, item.lng]);
    });
    map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16 });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
