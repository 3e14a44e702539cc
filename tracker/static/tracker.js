// GOV.UK Frontend components. A module, so it runs only in browsers the design system supports.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
