/* "换一张" for the offline challenge (templates/components/challenge.html): fetch a new
   picture and token without reloading the form, so typed fields are kept. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-challenge-refresh]") : null;
    if (!button) {
      return;
    }
    event.preventDefault();
    var box = button.closest("[data-challenge]");
    button.disabled = true;
    fetch(button.getAttribute("data-challenge-refresh"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        box.querySelector("[data-challenge-image]").src = data.image;
        box.querySelector("[data-challenge-token]").value = data.token;
        var answer = box.querySelector("[data-challenge-answer]");
        answer.value = "";
        answer.focus();
      })
      .catch(function () {
        /* too many refreshes (429) or offline: keep the current picture */
      })
      .finally(function () {
        button.disabled = false;
      });
  });
})();
