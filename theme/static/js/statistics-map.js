/* Optional interactive map of public incidents (vendored Leaflet, no tile server: the countries are
   drawn from our own GeoJSON). Without JavaScript the static SVG maps and the incident list remain. */
(function () {
  "use strict";
  var el = document.getElementById("interactive-map");
  if (!el || !window.L || !window.fetch) { return; }
  var colours = JSON.parse(el.dataset.colours);
  var labels = JSON.parse(el.dataset.labels);
  document.getElementById("interactive-section").hidden = false;
  var map = L.map(el, { preferCanvas: true, worldCopyJump: true, minZoom: 1, maxZoom: 10 }).setView([10, 20], 2);
  map.attributionControl.addAttribution("Natural Earth (world-atlas)");

  function text(tag, value) {  // third-party text goes in as text, never as HTML
    var node = document.createElement(tag);
    node.textContent = value;
    return node;
  }

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"];
  function humanDate(iso) {  // "2019-07-08" -> "8 July 2019", the site's one human date format
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return m ? Number(m[3]) + " " + MONTHS[Number(m[2]) - 1] + " " + m[1] : iso;
  }

  function popup(p) {
    var box = document.createElement("div");
    box.appendChild(text("strong", humanDate(p.date) + ": " + (labels[p.attack_type] || p.attack_type)));
    box.appendChild(text("p", [p.location_text || p.port, p.country_iso3].filter(Boolean).join(", ")));
    if (p.narrative) { box.appendChild(text("p", p.narrative)); }
    return box;
  }

  fetch(el.dataset.countries).then(function (r) { return r.json(); }).then(function (countries) {
    L.geoJSON(countries, { style: { color: "#8a96a3", weight: 0.5, fillColor: "#dfe3e8", fillOpacity: 1 } }).addTo(map);
    return fetch(el.dataset.incidents);
  }).then(function (r) { return r.json(); }).then(function (incidents) {
    L.geoJSON(incidents, {
      pointToLayer: function (feature, latlng) {
        var colour = colours[feature.properties.attack_type] || "#999999";
        return L.circleMarker(latlng, { radius: 4, color: "#ffffff", weight: 0.5, fillColor: colour, fillOpacity: 0.85 });
      },
      onEachFeature: function (feature, layer) { layer.bindPopup(function () { return popup(feature.properties); }); }
    }).addTo(map);
    el.dataset.loaded = String(incidents.features.length);
  });
})();
