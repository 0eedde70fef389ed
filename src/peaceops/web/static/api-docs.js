// peaceops explorer: starts Swagger UI (swagger-ui-bundle-v2, served by the app) on /api/docs.
"use strict";
(function startSwaggerUi() {
  const box = document.getElementById("swagger-ui");
  if (!box || typeof window.SwaggerUIBundle !== "function") return;
  window.ui = window.SwaggerUIBundle({
    url: box.dataset.openapi,
    domNode: box,
    deepLinking: true,
    docExpansion: "list",
    syntaxHighlight: false,
    validatorUrl: null, // the default validator is a remote site: nothing leaves the app
  });
})();
