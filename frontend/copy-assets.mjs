// Copy the browser files the site serves from node_modules into static_build/ (not committed).
import { cpSync, mkdirSync } from "node:fs";

const copies = [
  ["node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", "static_build/govuk/govuk-frontend.min.js"],
  // Source maps too: collectstatic's manifest storage follows every sourceMappingURL and fails without them.
  ["node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js.map", "static_build/govuk/govuk-frontend.min.js.map"],
  ["node_modules/govuk-frontend/dist/govuk/assets", "static_build/govuk/assets"],
  ["node_modules/leaflet/dist/leaflet.js", "static_build/leaflet/leaflet.js"],
  ["node_modules/leaflet/dist/leaflet.js.map", "static_build/leaflet/leaflet.js.map"],
  ["node_modules/leaflet/dist/leaflet.css", "static_build/leaflet/leaflet.css"],
  ["node_modules/leaflet/dist/images", "static_build/leaflet/images"],
];

for (const [from, to] of copies) {
  mkdirSync(to.split("/").slice(0, -1).join("/"), { recursive: true });
  cpSync(from, to, { recursive: true });
}
