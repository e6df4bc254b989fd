/* Site-wide behaviour. No inline scripts or on…= handlers: the Content-Security-Policy
   allows scripts from our own static files only. */
(function () {
  "use strict";

  // htmx would add its indicator styles as an inline <style>, which the CSP refuses;
  // the same rules are in css/fengqiao.css. Runs before htmx initialises (DOMContentLoaded).
  if (window.htmx) {
    window.htmx.config.includeIndicatorStyles = false;
  }

  // <select data-autosubmit>: submit the form on change (the language menu).
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) {
      field.form.submit();
    }
  });
})();
