// GOV.UK Frontend components. A module, so it runs only in browsers the design system supports.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// The header's menu on phones (base.html): GOV.UK's service navigation opens and closes it with its button.
// Escape closes it too, from the button or any link in it, and puts focus back on the button.
const menuButton = document.querySelector(".tracker-header__toggle");
menuButton?.closest("nav").addEventListener("keydown", (event) => {
  if (event.key === "Escape" && menuButton.getAttribute("aria-expanded") === "true") {
    menuButton.click();
    menuButton.focus();
  }
});
