/* Keeps shared filter URLs short: empty fields are not sent (the server treats both the same). */
(function () {
  "use strict";
  document.querySelectorAll("form.places-filter").forEach(function (form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name && field.value === "") { field.disabled = true; }
      });
    });
  });
})();
