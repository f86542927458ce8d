/* Map picker for a place's position: click, drag or use the arrow keys on the marker. The
   coordinates live in the form's labelled inputs, so the form works without JavaScript too.
   No tiles: the Kreis boundary is the background (closed network). */
(function () {
  "use strict";
  var box = document.getElementById("ort-auf-karte");
  var latInput = document.getElementById("id_latitude");
  var lonInput = document.getElementById("id_longitude");
  if (!box || !latInput || !lonInput || typeof L === "undefined") { return; }
  var boundaryNode = document.getElementById("picker-boundary");
  var boundary = boundaryNode ? JSON.parse(boundaryNode.textContent) : null;
  var status = document.getElementById("picker-status");
  box.hidden = false;

  var map = L.map(box.querySelector(".places-picker"), { attributionControl: false, keyboard: true });
  var outline = boundary ? L.geoJSON(boundary, { style: { color: "#0b4f6c", weight: 3, fillColor: "#9cc3d5", fillOpacity: 0.35 } })
    .addTo(map) : null;
  if (outline) { map.fitBounds(outline.getBounds()); } else { map.setView([51.1, 10.4], 6); }

  function parse(input) {
    var value = parseFloat(String(input.value).replace(",", "."));
    return isNaN(value) ? null : value;
  }

  var marker = L.marker(map.getCenter(), {
    draggable: true, keyboard: true, title: box.getAttribute("data-marker-label"),
    alt: box.getAttribute("data-marker-label"),
    icon: L.divIcon({ className: "places-picker__marker", iconSize: [22, 22], iconAnchor: [11, 11] })
  });

  function announce() {
    var p = marker.getLatLng();
    status.textContent = box.getAttribute("data-status-text")
      .replace("%(lat)s", p.lat.toFixed(5).replace(".", ","))
      .replace("%(lon)s", p.lng.toFixed(5).replace(".", ","));
  }

  function place(latlng, fromInputs) {
    marker.setLatLng(latlng);
    if (!map.hasLayer(marker)) { marker.addTo(map); bindKeys(); }
    if (!fromInputs) {
      latInput.value = latlng.lat.toFixed(6);
      lonInput.value = latlng.lng.toFixed(6);
    }
    announce();
  }

  function bindKeys() {
    var el = marker.getElement();
    if (!el || el.getAttribute("data-keys")) { return; }
    el.setAttribute("data-keys", "1");
    el.setAttribute("role", "button");
    el.setAttribute("aria-label", box.getAttribute("data-marker-label"));
    el.addEventListener("keydown", function (event) {
      var step = event.shiftKey ? 0.005 : 0.0005;
      var p = marker.getLatLng();
      var moves = { ArrowUp: [step, 0], ArrowDown: [-step, 0], ArrowLeft: [0, -step * 1.6],
                    ArrowRight: [0, step * 1.6] };
      var move = moves[event.key];
      if (!move) { return; }
      event.preventDefault();
      event.stopPropagation();
      place(L.latLng(p.lat + move[0], p.lng + move[1]), false);
    });
  }

  var lat = parse(latInput), lon = parse(lonInput);
  if (lat !== null && lon !== null) {
    place(L.latLng(lat, lon), true);
    map.setView([lat, lon], Math.max(map.getZoom(), 10));
  } else {
    // No position yet: the marker waits in the middle, the inputs stay empty until the user acts
    // (so the address can still give the first position when the form is saved).
    place(map.getCenter(), true);
    status.textContent = box.getAttribute("data-unset-text");
  }
  marker.on("dragend", function () { place(marker.getLatLng(), false); });
  map.on("click", function (event) { place(event.latlng, false); });
  [latInput, lonInput].forEach(function (input) {
    input.addEventListener("change", function () {
      var a = parse(latInput), b = parse(lonInput);
      if (a !== null && b !== null) { place(L.latLng(a, b), true); }
    });
  });
})();
