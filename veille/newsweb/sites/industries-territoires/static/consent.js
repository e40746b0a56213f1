/* Bandeau de consentement : masque le bandeau une fois le choix fait. */
document.addEventListener("click", function (event) {
  if (event.target.matches("#consentement button")) {
    document.getElementById("consentement").hidden = true;
  }
});
