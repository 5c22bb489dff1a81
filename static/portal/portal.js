// Show a section only while its switch is in the stated position ("use the portal's ..." switches),
// and Nmbrs-only / Loket-only parts only for that payroll source. A hidden section's controls are
// disabled: the browser then neither requires nor sends them (the server ignores that section too,
// by the same rule: portal.forms.settings.FormSection). The server renders the starting state.
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
      el.querySelectorAll("fieldset.section").forEach(function (set) { set.disabled = !visible; });
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
