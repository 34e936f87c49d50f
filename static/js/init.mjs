// Starts GOV.UK Frontend components: Exit this page (Shift three times), error summary, buttons.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();
