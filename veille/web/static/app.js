// Progressive enhancement only: every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Changing the sort order re-runs the search at once.
  const sort = document.querySelector(".searchbar select[name=sort]");
  if (sort) sort.addEventListener("change", () => sort.form.submit());
  // Ask before deleting a followed search.
  document.querySelectorAll(".follows form").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm("Supprimer cette recherche suivie ?")) event.preventDefault();
    });
  });
});
