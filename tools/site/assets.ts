/**
 * What the guides' pages load from CDNs, mapped to the same files in node_modules, so browser tests
 * and the page benchmark run offline with the bytes a reader would download.
 */
import { join } from "node:path";
import { PROJECT_ROOT as ROOT } from "../paths";

/** CDN URL pattern -> local file with the same content (the first match wins). */
export const LOCAL_ASSETS: readonly [RegExp, string][] = [
  [/plotly\.js-basic-dist-min@[^/]+\/plotly-basic\.min\.js(\?.*)?$/, join(ROOT, "node_modules/plotly.js-basic-dist-min/plotly-basic.min.js")],
  [/plotly[^/]*\.js(\?.*)?$/, join(ROOT, "node_modules/plotly.js-dist/plotly.js")],
  // The CDN serves require.min.js; node_modules has the same version unminified (larger).
  [/require(\.min)?\.js(\?.*)?$/, join(ROOT, "node_modules/requirejs/require.js")],
];

/** The local copy of a CDN script, or undefined when the URL is none of the known ones. */
export function localAsset(url: string): string | undefined {
  return LOCAL_ASSETS.find(([pattern]) => pattern.test(url))?.[1];
}
