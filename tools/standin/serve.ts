/**
 * Serves one of the stand-in's accounts on 127.0.0.1, to try live mode by hand:
 *
 *   npm run standin -- [demo|second|empty] [--port N]
 *
 * prints the variables that point the guides at it (put them in .env or the environment of
 * `npm run lab`); Ctrl-C stops it. Nothing leaves the machine.
 */
import { settingsEnv } from "../../src/settings";
import { standInSettings } from "./guide-settings";
import { startDemoServer } from "./server";
import { ACCOUNT_NAMES, accountSetup, type AccountName } from "./shapes";

async function main(args: string[]): Promise<void> {
  const name = (args.find((a) => !a.startsWith("--") && !/^\d+$/.test(a)) ?? "demo") as AccountName;
  if (!ACCOUNT_NAMES.includes(name)) throw new Error(`"${name}" is not an account; use one of: ${ACCOUNT_NAMES.join(", ")}.`);
  const portAt = args.indexOf("--port");
  const port = portAt === -1 ? 0 : Number(args[portAt + 1]);
  const setup = accountSetup(name);
  const server = await startDemoServer({ account: setup.account, quirks: setup.quirks, port });
  console.log(`Serving the ${name} account at ${server.url}. For the guides:`);
  for (const [variable, value] of Object.entries(settingsEnv(standInSettings(server.url, setup.account)))) console.log(`  ${variable}=${value}`);
  for (const [demo, own] of Object.entries(setup.renamed)) console.log(`  (the demo's "${demo}" is "${own}" here)`);
  process.once("SIGINT", () => void server.close().then(() => process.exit(0)));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
