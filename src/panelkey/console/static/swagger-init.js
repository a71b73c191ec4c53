// Swagger UI over panelkey's own OpenAPI document; a file, since the CSP allows no inline script.
"use strict";
window.addEventListener("load", function () {
  const node = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({ url: node.dataset.url, domNode: node, deepLinking: true });
});
