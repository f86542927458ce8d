/* "In meiner Nähe": only if the browser offers geolocation and only on the visitor's click.
   The position is rounded to three decimals (about 100 m) and sent only in the address of the
   GET request for the list; nothing is stored, here or on the server. */
(function () {
  "use strict";
  document.querySelectorAll("[data-nearby]").forEach(function (box) {
    var button = box.querySelector("[data-nearby-locate]");
    var status = box.querySelector("[data-nearby-status]");
    if (!button || !("geolocation" in navigator)) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = button.getAttribute("data-wait") || "…";
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (pos) {
        var lat = pos.coords.latitude.toFixed(3), lon = pos.coords.longitude.toFixed(3);
        window.location.href = box.getAttribute("data-url") + "?lat=" + lat + "&lon=" + lon;
      }, function () {
        button.disabled = false;
        status.textContent = button.getAttribute("data-denied");
      }, {maximumAge: 600000, timeout: 15000});
    });
  });
})();
