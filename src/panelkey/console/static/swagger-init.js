// Swagger UI over panelkey's own OpenAPI document; a file, since the CSP allows no inline script.
//
// "Try it out" runs as the console's session: the page asks the console for a short-lived
// key (made for this session, bound to this browser's address, listed under Keys) and
// authorizes Swagger UI with it, so the REST face checks, journals and audits the requests
// like any other. Every request says X-Requested-With, to which the REST face answers a
// 401 without a Basic challenge: no browser login prompt, even after Authorize's "Logout".
"use strict";
window.addEventListener("load", function () {
  const node = document.getElementById("swagger-ui");
  const status = document.getElementById("pk-auth");
  const key = fetch(node.dataset.keyUrl, {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRF-Token": node.dataset.csrf },
  }).then(function (answer) {
    if (!answer.ok) throw new Error("the console answered " + answer.status);
    return answer.json();
  });
  const ui = SwaggerUIBundle({
    url: node.dataset.url,
    domNode: node,
    deepLinking: true,
    validatorUrl: null, // no badge fetched from the swagger.io validator (no traffic leaves)
    persistAuthorization: false,
    requestInterceptor: function (request) {
      request.headers["X-Requested-With"] = "XMLHttpRequest";
      return request;
    },
    onComplete: function () {
      key.then(function (made) {
        ui.preauthorizeApiKey("APIKeyHeader", made.key);
        status.textContent = "“Try it out” runs as your console session: key " + made.id +
          ", valid until " + new Date(made.expires).toLocaleString() + ".";
        status.dataset.keyId = String(made.id);
      }).catch(function (e) {
        status.textContent = "No key for “Try it out” (" + e.message + "): use Authorize.";
      });
    },
  });
  window.ui = ui;
});
