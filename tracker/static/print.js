// Printing: paper cannot be clicked, so every folded <details> (such as "The activity as it was") prints open,
// and folds again once printing is done. Where the browser supports it, tracker.css shows their content in print
// without this script too (::details-content).
(() => {
  let opened = [];
  window.addEventListener("beforeprint", () => {
    opened = [...document.querySelectorAll("details:not([open])")];
    opened.forEach((details) => { details.open = true; });
  });
  window.addEventListener("afterprint", () => {
    opened.forEach((details) => { details.open = false; });
    opened = [];
  });
})();
