// Filters the activity catalogue by section, kind and time. Without JavaScript
// the full table is shown. Works with Material's instant loading off or on.
function handbookCatalogue() {
  var form = document.querySelector("[data-catalogue-filters]");
  var table = document.querySelector("[data-catalogue]");
  if (!form || !table) return;
  form.hidden = false;
  var count = document.querySelector("[data-catalogue-count]");
  function apply() {
    var section = form.elements.section.value;
    var kind = form.elements.kind.value;
    var time = form.elements.time.value;
    var shown = 0;
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var minutes = Number(row.dataset.minutes);
      var fitsTime = !time || (time === "more" ? minutes > 225 : minutes <= Number(time));
      var ok = (!section || row.dataset.section === section) &&
               (!kind || row.dataset.kind === kind) && fitsTime;
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    // The page's language gives the words: data-one ("%s activity shown") and data-other.
    if (count) count.textContent = (shown === 1 ? count.dataset.one : count.dataset.other).replace("%s", shown);
  }
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  apply();
}
if (typeof document$ !== "undefined") { document$.subscribe(handbookCatalogue); }
else { document.addEventListener("DOMContentLoaded", handbookCatalogue); }
