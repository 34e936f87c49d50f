// "Use my location": asks the browser for a position and submits the register's filter form with
// it. Without JavaScript or geolocation the button stays hidden and the postcode field does the job.
(function () {
  "use strict";
  var form = document.querySelector("[data-near-me-form]");
  var wrapper = form && form.querySelector("[data-near-me]");
  if (!wrapper || !("geolocation" in navigator)) return;
  var button = wrapper.querySelector("[data-near-me-button]");
  var status = wrapper.querySelector("[data-near-me-status]");
  wrapper.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = "Finding your location…";
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.querySelector("[data-near-me-lat]").value = position.coords.latitude.toFixed(5);
        form.querySelector("[data-near-me-lng]").value = position.coords.longitude.toFixed(5);
        var postcode = form.querySelector("input[name=postcode]");
        if (postcode) postcode.value = "";
        form.submit();
      },
      function () {
        status.textContent = "We could not get your location. Enter a postcode instead.";
      },
      { timeout: 10000, maximumAge: 300000 }
    );
  });
})();
