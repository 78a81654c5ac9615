// New account form: show the region for community staff and offices, the lawyer for advisors.
// Without script both stay visible and the server checks the pair.
document.addEventListener("DOMContentLoaded", function () {
  var role = document.getElementById("id_role");
  if (!role) return;
  function wrap(id) {
    var el = document.getElementById(id);
    return el ? el.closest(".field") : null;
  }
  var region = wrap("id_region");
  var lawyer = wrap("id_lawyer");
  function update() {
    var advisor = role.value === "advisor";
    if (region) region.hidden = advisor;
    if (lawyer) lawyer.hidden = !advisor && role.value !== "";
  }
  role.addEventListener("change", update);
  update();
});
