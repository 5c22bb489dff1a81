// Show a section only while its switch is in the stated position ("use the portal's ..." switches),
// and Nmbrs-only / Loket-only parts only for that payroll source. Without JavaScript all stay visible.
(function () {
  function sourceValue() {
    var select = document.getElementById("id_source");
    return select ? select.value : null;
  }
  function update() {
    document.querySelectorAll("[data-show-when]").forEach(function (el) {
      var parts = el.getAttribute("data-show-when").split(":");
      var box = document.getElementById(parts[0]);
      var visible = !box || (box.checked === (parts[1] === "on"));
      var source = el.getAttribute("data-source");
      if (source && sourceValue() && sourceValue() !== source) visible = false;
      el.hidden = !visible;
    });
    var src = sourceValue();
    if (src) {
      ["wage_tax_number", "use_portal_loket_access"].forEach(function (name) {
        var f = document.querySelector('[data-field="' + name + '"]'); if (f) f.hidden = src !== "loket";
      });
      ["use_portal_nmbrs_credentials"].forEach(function (name) {
        var f = document.querySelector('[data-field="' + name + '"]'); if (f) f.hidden = src !== "nmbrs";
      });
    }
  }
  document.addEventListener("change", update);
  document.addEventListener("DOMContentLoaded", update);
})();

// A select marked data-submit-on-change submits its form (the language switch). Here and not in an
// onchange attribute: the Content-Security-Policy allows no inline script.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("select[data-submit-on-change]") && target.form) target.form.submit();
});
