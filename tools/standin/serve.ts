/**
 * Serves one of the stand-in's accounts on 127.0.0.1, to try live mode by hand:
 *
 *   npm run standin -- [demo|second|empty] [--port N] [--fault NAME ...]
 *
 * prints the variables that point the guides at it (put them in .env or the environment of
 * `npm run lab`); Ctrl-C stops it. Nothing leaves the machine. `--help` lists the faults.
 */
import { parseArgs } from "node:util";
import { settingsEnv } from "../../src/settings";
import { faultHelp, parseFaults } from "./faults/catalog";
import { standInSettings } from "./guide-settings";
import { startDemoServer } from "./server";
import { ACCOUNT_NAMES, accountSetup, type AccountName } from "./shapes";

const USAGE = `npm run standin -- [${ACCOUNT_NAMES.join("|")}] [--port N] [--fault NAME ...]

Serves a stand-in account (demo by default) on 127.0.0.1 and prints the variables that point the
guides at it. --port N: a fixed port (any free one by default). --fault NAME: answer as Klaviyo
does when that goes wrong (repeat it, or give a comma-separated list, to combine faults):

${faultHelp()}`;

async function main(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { port: { type: "string" }, fault: { type: "string", multiple: true }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const name = (positionals[0] ?? "demo") as AccountName;
  if (!ACCOUNT_NAMES.includes(name) || positionals.length > 1) {
    throw new Error(`"${positionals.join(" ")}" is not an account; use one of: ${ACCOUNT_NAMES.join(", ")} (--help for the options).`);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${values.port} is not a port number (0–65535).`);
  const faults = parseFaults(values.fault ?? []);
  const setup = accountSetup(name);
  const server = await startDemoServer({
    account: setup.account,
    quirks: setup.quirks,
    port,
    faults,
    onFault: (e) => console.log(`fault ${e.fault}: ${e.method} ${e.path} (${e.operation}) → ${e.status}`),
  });
  const withFaults = faults.length ? ` with the faults ${faults.map((f) => f.name).join(", ")}` : "";
  console.log(`Serving the ${name} account at ${server.url}${withFaults}. For the guides:`);
  const env = settingsEnv(standInSettings(server.url, setup.account));
  for (const [variable, value] of Object.entries(env)) console.log(`  ${variable}=${value}`);
  for (const [demo, own] of Object.entries(setup.renamed)) console.log(`  (the demo's "${demo}" is "${own}" here)`);
  process.once("SIGINT", () => void server.close().then(() => process.exit(0)));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
