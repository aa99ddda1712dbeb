// List pages (core.lists): the filter form sends only the filters that are set, so the address bar
// keeps a short link that opens the same list ("?scale=above&sort=-name", not a row of empty fields).
document.addEventListener("htmx:configRequest", function (event) {
  if (!event.detail.elt.closest || !event.detail.elt.closest("#list-filters")) return;
  var params = event.detail.parameters;
  Object.keys(params).forEach(function (name) {
    if (params[name] === "") delete params[name];
  });
});

// A picker marked data-autosubmit sends its form when changed (instead of an inline onchange,
// which the Content-Security-Policy refuses).
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-autosubmit]") && field.form) field.form.submit();
});
