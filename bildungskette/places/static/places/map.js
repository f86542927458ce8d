/* Lernortkarte: Leaflet (from the django-leaflet package) with server-side clusters.
   No tiles unless the installation configures a tile URL; the boundaries are drawn instead.
   Everything here is also available without JavaScript in the list view. */
(function () {
  "use strict";
  var element = document.getElementById("lernort-karte");
  if (!element || typeof L === "undefined") { return; }
  var config = JSON.parse(element.getAttribute("data-config"));
  var labels = config.labels;
  var statusEl = document.getElementById("inview-status");
  var listEl = document.getElementById("inview-list");

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return String(values[key]); });
  }
  function url(base, params) {
    var query = [config.query].concat(Object.keys(params).map(function (k) {
      return encodeURIComponent(k) + "=" + encodeURIComponent(params[k]);
    })).filter(Boolean).join("&");
    return base + (query ? "?" + query : "");
  }
  function detailUrl(id) { return config.detail.replace("{id}", id); }

  var map = L.map(element, {
    keyboard: true, minZoom: 5, maxZoom: 18, zoomSnap: 1, worldCopyJump: false,
    attributionControl: true, preferCanvas: false
  });
  map.attributionControl.setPrefix("Leaflet");
  if (config.tiles) {
    L.tileLayer(config.tiles, { attribution: config.tileAttribution, maxZoom: 18 }).addTo(map);
  } else {
    element.classList.add("places-map--plain");
  }
  var e = config.extent;
  map.fitBounds([[e[1], e[0]], [e[3], e[2]]], { padding: [12, 12], maxZoom: 15 });

  var boundaryLayer = L.geoJSON(null, {
    interactive: false,
    style: function (feature) {
      var p = feature.properties;
      var highlight = config.region && p.code.indexOf(config.region) === 0;
      return {
        color: p.kind === "stadtteil" ? "#4d5663" : "#0b4f6c",
        weight: highlight ? 2.5 : (p.kind === "land" ? 1.5 : 1),
        fillColor: highlight ? "#cfe1ea" : "#eef3f6",
        fillOpacity: config.tiles ? 0 : 0.6,
        dashArray: p.kind === "stadtteil" ? "3 3" : null
      };
    }
  }).addTo(map);
  map.attributionControl.addAttribution("© GeoBasis-DE / BKG 2019");
  var markerLayer = L.layerGroup().addTo(map);

  function clusterMarker(feature) {
    var n = feature.properties.count;
    var size = n < 10 ? 34 : n < 100 ? 40 : n < 1000 ? 48 : 56;
    var c = feature.geometry.coordinates;
    var label = format(labels.cluster, { n: n.toLocaleString("de-DE") });
    var marker = L.marker([c[1], c[0]], {
      keyboard: true, title: label, riseOnHover: true,
      icon: L.divIcon({ className: "places-cluster", html: "<span>" + n.toLocaleString("de-DE") + "</span>",
                        iconSize: [size, size] })
    });
    marker.on("click", function () { map.setView([c[1], c[0]], Math.min(map.getZoom() + 2, 18)); });
    marker.on("add", function () { marker.getElement().setAttribute("aria-label", label); });
    return marker;
  }

  function pointMarker(feature) {
    var p = feature.properties;
    var c = feature.geometry.coordinates;
    var marker = L.marker([c[1], c[0]], {
      keyboard: true, title: p.name + " (" + p.category_name + ")",
      icon: L.divIcon({ className: "places-point", html: "<span style=\"background:" + p.colour + "\"></span>",
                        iconSize: [18, 18] })
    });
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = detailUrl(p.id);
    link.textContent = p.name;
    box.appendChild(link);
    var meta = document.createElement("p");
    meta.textContent = p.category_name + (p.city ? " · " + p.city : "");
    box.appendChild(meta);
    marker.bindPopup(box);
    marker.on("popupopen", function () { link.focus(); });
    marker.on("add", function () {
      marker.getElement().setAttribute("aria-label", p.name + ", " + p.category_name);
    });
    return marker;
  }

  var pending = null;
  function refresh() {
    if (pending) { pending.abort(); }
    pending = new AbortController();
    var b = map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
      return v.toFixed(5);
    }).join(",");
    var signal = pending.signal;
    fetch(url(config.api, { bbox: bbox, zoom: map.getZoom() }), { signal: signal })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        markerLayer.clearLayers();
        data.features.forEach(function (f) {
          markerLayer.addLayer(f.properties.count ? clusterMarker(f) : pointMarker(f));
        });
        element.setAttribute("data-total", data.total);
      })
      .catch(function (err) { if (err.name !== "AbortError") { showError(); } });
    fetch(url(config.boundaries, { bbox: bbox, zoom: map.getZoom(), gebiet: config.region || "" }), { signal: signal })
      .then(function (r) { return r.json(); })
      .then(function (data) { boundaryLayer.clearLayers(); boundaryLayer.addData(data); })
      .catch(function () {});
    if (listEl) {
      fetch(url(config.list, { bbox: bbox, anzahl: 20 }), { signal: signal })
        .then(function (r) { return r.json(); })
        .then(renderList)
        .catch(function () {});
    }
  }

  function renderList(data) {
    listEl.textContent = "";
    data.ergebnisse.forEach(function (p) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = p.url;
      a.textContent = p.name;
      if (config.widget) { a.target = "_blank"; a.rel = "noopener"; }
      li.appendChild(a);
      var meta = document.createElement("span");
      meta.className = "muted";
      meta.textContent = " – " + p.kategorie_name + (p.adresse.ort ? ", " + p.adresse.ort : "");
      li.appendChild(meta);
      listEl.appendChild(li);
    });
    var text = data.anzahl === 0 ? labels.empty : format(labels.inView, { n: data.anzahl.toLocaleString("de-DE") });
    if (data.anzahl > data.ergebnisse.length) {
      text += " " + format(labels.more, { shown: data.ergebnisse.length, n: data.anzahl.toLocaleString("de-DE") });
    }
    statusEl.textContent = text;
  }

  function showError() {
    if (statusEl) { statusEl.textContent = labels.error; }
  }

  var timer = null;
  map.on("moveend", function () { clearTimeout(timer); timer = setTimeout(refresh, 150); });
  refresh();
})();
