// The API documentation page (/api/docs): Swagger UI from our own static files, no CDN.
(function () {
  const settings = JSON.parse(document.getElementById("swagger-settings").textContent);
  const csrfToken = document.body.dataset.csrfToken;
  settings.dom_id = "#swagger-ui";
  settings.presets = [SwaggerUIBundle.presets.apis];
  if (csrfToken) {
    // "Try it out" writes with the browser session, which needs the CSRF token like the pages.
    settings.requestInterceptor = (req) => {
      req.headers["X-CSRFToken"] = csrfToken;
      return req;
    };
  }
  window.ui = SwaggerUIBundle(settings);
})();
