/* Dispute registration: "add a party" copies the empty party form from its <template>. */
(function () {
  "use strict";
  var button = document.getElementById("add-party");
  if (!button) {
    return;
  }
  button.addEventListener("click", function () {
    var total = document.getElementById("id_parties-TOTAL_FORMS");
    var html = document.getElementById("party-template").innerHTML.replace(/__prefix__/g, total.value);
    document.getElementById("party-forms").insertAdjacentHTML("beforeend", html);
    total.value = parseInt(total.value, 10) + 1;
  });
})();
