// Show a section only while its switch is in the stated position ("use the portal's ..." switches),
// and a source's parts only while that payroll source is chosen: a section names it in data-source, a
// field the sources that show it in data-sources (portal.forms.parts). A hidden section's controls are
// disabled: the browser then neither requires nor sends them (the server ignores that section too,
// by the same rule: portal.forms.parts.FormSection). The server renders the starting state.
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
      document.querySelectorAll("[data-sources]").forEach(function (field) {
        field.hidden = field.getAttribute("data-sources").split(" ").indexOf(src) < 0;
      });
    }
  }
  document.addEventListener("change", update);
  document.addEventListener("DOMContentLoaded", update);
})();

// A form that came back with errors: a summary at its top (each error links to its field) and the focus
// on the first field in error, so nobody has to hunt for what went wrong. The text comes from the page.
(function () {
  function labelOf(field) {
    var label = field.querySelector("label");
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }
  function summarise(form) {
    var fields = form.querySelectorAll(".field.has-error");
    var loose = Array.prototype.filter.call(form.querySelectorAll(".error"), function (el) {
      return !el.closest(".field");
    });
    if (!fields.length && !loose.length) return;
    var box = document.createElement("div");
    box.className = "error-summary";
    box.setAttribute("role", "alert");
    box.setAttribute("tabindex", "-1");
    box.setAttribute("data-testid", "error-summary");
    var title = document.createElement("p");
    title.className = "title";
    title.textContent = document.body.getAttribute("data-error-summary") || "";
    box.appendChild(title);
    var list = document.createElement("ul");
    fields.forEach(function (field) {
      var control = field.querySelector("input:not([type=hidden]), select, textarea");
      field.querySelectorAll(".error").forEach(function (error) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.textContent = labelOf(field) + ": " + error.textContent.trim();
        if (control && control.id) {
          link.href = "#" + control.id;
          link.addEventListener("click", function (event) { event.preventDefault(); control.focus(); });
        }
        item.appendChild(link);
        list.appendChild(item);
      });
      if (control) control.setAttribute("aria-invalid", "true");
    });
    loose.forEach(function (error) {
      var item = document.createElement("li");
      item.textContent = error.textContent.trim();
      list.appendChild(item);
    });
    box.appendChild(list);
    form.insertBefore(box, form.firstChild);
    var first = form.querySelector(".field.has-error input:not([type=hidden]), .field.has-error select, " +
                                   ".field.has-error textarea");
    (first || box).focus();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = Array.prototype.find.call(document.querySelectorAll("form"), function (f) {
      return f.querySelector(".field.has-error, .error");
    });
    if (form) summarise(form);
  });
})();

// Yuki's advice (docs/vendors/loket.md, "Schedule": at least seven days between the first and the last import day), next to the window
// while it is typed, before saving. The text and the number of days come from the page.
(function () {
  function update(advice) {
    var scope = advice.closest("fieldset, form") || document;
    var first = scope.querySelector('input[name$="first_day"]');
    var last = scope.querySelector('input[name$="last_day"]');
    if (!first || !last) return;
    var a = parseInt(first.value, 10), b = parseInt(last.value, 10);
    var days = parseInt(advice.getAttribute("data-window-advice"), 10);
    advice.hidden = !(a >= 1 && b >= a && b - a < days);
  }
  function all() { document.querySelectorAll("[data-window-advice]").forEach(update); }
  document.addEventListener("input", function (event) {
    if (/(first|last)_day$/.test(event.target.name || "")) all();
  });
  document.addEventListener("DOMContentLoaded", all);
})();

// A select marked data-submit-on-change submits its form (the language switch). Here and not in an
// onchange attribute: the Content-Security-Policy allows no inline script.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("select[data-submit-on-change]") && target.form) target.form.submit();
});
