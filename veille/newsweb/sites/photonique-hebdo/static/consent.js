/* Cookie consent banner (noise for the extractor). */
document.addEventListener("click", function (event) {
  if (event.target.matches(".btn-accept, .btn-refuse")) {
    document.getElementById("cookie-consent").hidden = true;
  }
});
