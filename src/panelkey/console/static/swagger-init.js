// Swagger UI over panelkey's own OpenAPI document; a file, since the CSP allows no inline script.
"use strict";
window.addEventListener("load", function () {
  const node = document.getElementById("swagger-ui");
  // validatorUrl null: no badge fetched from the swagger.io validator (no traffic leaves).
  window.ui = SwaggerUIBundle({ url: node.dataset.url, domNode: node, deepLinking: true, validatorUrl: null });
});
