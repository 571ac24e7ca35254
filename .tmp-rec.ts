import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { GUIDES } from "./src/guides";
import { settingsEnv, WRITES_ON } from "./src/settings";
import { guideNotebook, scratchDir } from "./tools/paths";
import { runNotebooks } from "./tools/runner/run";
import { standInSettings } from "./tools/standin/guide-settings";
import { startDemoServer } from "./tools/standin/server";
(async () => {
  const dir = scratchDir("recdiff");
  const files = GUIDES.map((g) => { const t = join(dir, g.notebook); copyFileSync(guideNotebook(g), t); return t; });
  const res = await runNotebooks(files, { mode: "record", env: { ...process.env, CHROMIUM_PATH: "none" }, prepare: async () => { const s = await startDemoServer(); return { env: settingsEnv({ ...standInSettings(s.url, s.account), allowWrites: WRITES_ON, fixturesDir: join(dir, "fx") }), release: () => s.close() }; } });
  console.log(dir, res.map((r) => `${r.notebook} ${r.status}`));
})();
