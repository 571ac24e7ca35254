/**
 * Headless Chromium, as every tool that needs a browser starts it: the runner drawing static chart
 * images, the browser and JupyterLab tests, the page benchmark. Debian's chromium (or the browser
 * named by CHROMIUM_PATH) driven by playwright-core; nothing is downloaded.
 */
import { existsSync } from "node:fs";

const SYSTEM_BROWSERS = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** The browser to draw with, or null when none is installed or `CHROMIUM_PATH=none` opts out. */
export function findBrowser(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.CHROMIUM_PATH === "none") return null;
  if (env.CHROMIUM_PATH) {
    if (!existsSync(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH is ${env.CHROMIUM_PATH}, which does not exist.`);
    return env.CHROMIUM_PATH;
  }
  return SYSTEM_BROWSERS.find((p) => existsSync(p)) ?? null;
}

/** Chromium flags for a closed network: no background traffic, no sandbox as root. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
