/* Interactive map of public incidents (vendored Leaflet, no tile server: the countries are drawn
   from our own GeoJSON, 1:110m and, zoomed in, 1:50m). Dots come from the compact incident index
   shared with the incident list (statistics-data.js); a dot's narrative is fetched when selected.
   Filters are kept in the URL's query and the view in its hash (#zoom/lat/lon). Without JavaScript
   the static SVG map and the incident list remain. */
(function () {
  "use strict";
  var S = window.CSOAStats;
  var el = document.getElementById("interactive-map");
  var form = document.getElementById("map-filters");
  if (!el || !form || !S || !window.L || !window.fetch || !window.URLSearchParams) { return; }
  var FINE_ZOOM = 4;  // from this zoom on, 1:110m coastlines are kilometres off: load 1:50m
  var colours = JSON.parse(el.dataset.colours);
  var counter = document.getElementById("map-filters-count");
  var listLink = document.getElementById("map-list-link");
  el.hidden = false;
  form.hidden = false;
  document.getElementById("interactive-help").hidden = false;
  document.getElementById("points-static").hidden = true;

  var map = L.map(el, { minZoom: 1, maxZoom: 8, worldCopyJump: true, maxBounds: [[-85, -240], [85, 240]] });
  map.attributionControl.addAttribution("Natural Earth (world-atlas)");
  map.createPane("land").style.zIndex = 350;  // below the dots' overlay pane, whichever loads first
  var land = L.svg({ padding: 0.5, pane: "land" });  // few paths, styled by CSS so they follow the colour scheme
  var dots = L.canvas({ padding: 0.5 });  // thousands of dots
  var index, narratives, state = {}, viewSet = false, markerOf = [];
  var pointsLayer = L.featureGroup().addTo(map);
  pointsLayer.on("click", function (e) {
    // beside the zoom buttons, within the map, however narrow
    var box = L.popup({ maxWidth: Math.min(320, el.clientWidth - 80), maxHeight: Math.max(160, el.clientHeight - 90),
                        autoPanPaddingTopLeft: [56, 10] });
    // the narrative arrives after the popup opened: lay it out and pan to it again then
    box.setLatLng(e.layer.getLatLng()).setContent(popup(e.layer.position, function () {
      if (box.isOpen()) { box.update(); }
    })).openOn(map);
  });

  function style(name, fallback) {
    return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
  }

  /* --- countries: the detail that fits the zoom --- */
  var atlases = {}, atlasShown = null;
  function ring(deltas, scale) {  // [x0, y0, dx1, dy1, ...] (client_data.py) -> [[lat, lon], ...]
    var x = 0, y = 0, out = [];
    for (var k = 0; k < deltas.length; k += 2) {
      x += deltas[k];
      y += deltas[k + 1];
      out.push([y * scale, x * scale]);
    }
    return out;
  }
  function atlas(resolution) {
    if (!atlases[resolution]) {
      atlases[resolution] = S.getJSON(el.dataset.countries + resolution + ".json").then(function (doc) {
        var layers = [];
        doc.countries.forEach(function (country) {
          // one path per polygon: a country on both sides of the antimeridian (Fiji, Russia) is not
          // one path as wide as the world
          country[1].forEach(function (rings) {
            layers.push(L.polygon(rings.map(function (r) { return ring(r, doc.scale); }), {
              renderer: land, interactive: false, weight: 0.6, className: country[2] ? "map-land map-land-cut" : "map-land" }));
          });
        });
        return L.layerGroup(layers);
      });
    }
    return atlases[resolution];
  }
  function showDetail() {
    var wanted = map.getZoom() >= FINE_ZOOM ? "50m" : "110m";
    return atlas(wanted).then(function (layer) {
      if (wanted !== (map.getZoom() >= FINE_ZOOM ? "50m" : "110m")) { return; }  // zoomed again meanwhile
      Object.keys(atlases).forEach(function (r) { atlases[r].then(function (l) { if (l !== layer) { map.removeLayer(l); } }); });
      if (!map.hasLayer(layer)) { layer.addTo(map); }
      atlasShown = wanted;
      el.dataset.detail = atlasShown;
    });
  }

  /* --- dots --- */
  function text(tag, value) {  // third-party text goes in as text, never as HTML
    var node = document.createElement(tag);
    node.textContent = value;
    return node;
  }

  function popup(i, loaded) {
    var c = index.columns, l = index.labels, box = document.createElement("div");
    box.appendChild(text("strong", S.humanDate(c.date[i]) + ": " + l.attack_type[c.attack_type[i]]));
    box.appendChild(text("p", [c.location[i], l.country[c.country[i]], l.region[c.region[i]]].filter(Boolean).join(", ")));
    if (!c.in_scope[i]) {
      box.appendChild(text("p", "Out of scope: listed, but not counted in the figures (see below the map)."));
    }
    var narrative = box.appendChild(text("p", "Loading the summary\u2026"));
    narratives.get(i).then(function (value) { narrative.textContent = value; },
                           function () { narrative.textContent = "The summary could not be loaded."; }).then(loaded);
    box.appendChild(text("p", "Source: " + l.source[c.source[i]])).className = "popup-source";
    return box;
  }

  function drawDots() {
    var c = index.columns, shown = S.matching(index, state);
    // the least severe first, so that hijackings stay visible on top (codes run from the most severe)
    shown.sort(function (a, b) { return (c.attack_type[b] - c.attack_type[a]) || (b - a); });
    var outline = style("--map-dot-outline", "#ffffff");
    var markers = shown.map(function (i) {  // made once per dot: a filter change only regroups them
      if (!markerOf[i]) {
        markerOf[i] = L.circleMarker([c.lat[i], c.lon[i]], { renderer: dots, radius: 4, color: outline, weight: 0.6,
          fillColor: colours[index.codes.attack_type[c.attack_type[i]]] || "#999999", fillOpacity: 0.85 });
        markerOf[i].position = i;
      }
      return markerOf[i];
    });
    pointsLayer.clearLayers();
    markers.forEach(function (marker) { pointsLayer.addLayer(marker); });  // in drawing order
    counter.textContent = S.count(shown.length) + " of " + S.count(index.count) + " incidents shown";
    listLink.href = listLink.href.split("?")[0] + S.query(state, S.FILTERS);
    if (!el.dataset.loaded && window.performance && performance.mark) { performance.mark("csoa-ready"); }
    el.dataset.loaded = String(shown.length);
  }

  /* --- the URL: filters in the query, the view in the hash --- */
  function viewFromHash() {
    var m = /^#(\d{1,2})\/(-?[\d.]+)\/(-?[\d.]+)$/.exec(location.hash);
    return m ? { zoom: Number(m[1]), center: [Number(m[2]), Number(m[3])] } : null;
  }
  function address() {
    var centre = map.getCenter().wrap();
    return S.query(state, S.FILTERS) + "#" + map.getZoom() + "/" + centre.lat.toFixed(2) + "/" + centre.lng.toFixed(2);
  }
  function fromUrl() {
    state = S.readFilters(location.search, form);
    S.showInForm(form, state);
    var view = viewFromHash();
    if (view) { map.setView(view.center, view.zoom, { animate: false }); }
    else if (!viewSet) { map.setView([12, 40], el.clientWidth < 600 ? 1 : 2, { animate: false }); }
    viewSet = true;
  }

  form.addEventListener("change", function () {
    state = S.readForm(form);
    drawDots();
    history.pushState(null, "", address());
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  map.on("moveend", function () { history.replaceState(null, "", address()); });
  map.on("zoomend", showDetail);
  window.addEventListener("popstate", function () { fromUrl(); if (index) { drawDots(); } });
  if (window.matchMedia) {  // the dots' outline follows a change of colour scheme
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", function () {
      markerOf = [];
      if (index) { drawDots(); }
    });
  }

  fromUrl();
  showDetail();
  S.getJSON(el.dataset.index).then(function (data) {
    index = data;
    narratives = new S.Narratives(el.dataset.narratives, index.block);
    drawDots();
  });
})();
