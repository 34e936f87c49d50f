// Runs first in <body>: marks that JavaScript is available so GOV.UK Frontend styles apply.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
