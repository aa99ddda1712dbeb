// Rows of a Django formset added and removed in the page: a container [data-formset="prefix"] holds
// the rows ([data-formset-row]), a <template data-formset-empty> with the empty form (__prefix__), and
// a button [data-formset-add]. Removing a row ticks its DELETE box and hides it, so the server decides.
(function () {
  function setUp(root) {
    root.querySelectorAll("[data-formset]").forEach(function (box) {
      if (box.dataset.formsetReady) return;
      box.dataset.formsetReady = "1";
      var prefix = box.dataset.formset;
      var total = box.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
      var empty = box.querySelector("template[data-formset-empty]");
      var rows = box.querySelector("[data-formset-rows]");
      box.addEventListener("click", function (event) {
        var add = event.target.closest("[data-formset-add]");
        var remove = event.target.closest("[data-formset-remove]");
        if (add) {
          var n = parseInt(total.value, 10);
          var html = empty.innerHTML.replace(/__prefix__/g, String(n));
          rows.insertAdjacentHTML("beforeend", html);
          total.value = String(n + 1);
        } else if (remove) {
          var row = remove.closest("[data-formset-row]");
          var box2 = row.querySelector("input[name$='-DELETE']");
          if (box2) box2.checked = true;
          row.hidden = true;
        }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:afterSwap", function (event) { setUp(event.target); });
})();
