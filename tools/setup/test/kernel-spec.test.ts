/**
 * The TypeScript kernel spec the set-up registers in .venv, started as VS Code's Jupyter extension
 * starts a kernel that is not Python's (its raw kernel launcher): it writes a connection file of its
 * own (hmac-sha256 key, five TCP ports on 127.0.0.1), puts that file's path in place of
 * `{connection_file}` in the spec's argv, and starts argv[0] itself, in the notebook's folder, with
 * its own environment: none of the variables the project's runner and `npm run lab` add. A Jupyter
 * client then runs the first guide's set-up cell on it, which must print what the guide says.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GUIDES } from "../../../src/guides";
import { loadNotebook, text } from "../../notebook";
import { guideNotebook, NOTEBOOKS_DIR, VENV_JUPYTER_DATA, VENV_PYTHON } from "../../paths";

/** Runs one cell through jupyter_client (the .venv's) and prints what it printed, as JSON. */
const CLIENT = `
import json, sys
from jupyter_client import BlockingKernelClient
client = BlockingKernelClient(connection_file=sys.argv[1])
client.load_connection_file()
# No heartbeat: a kernel still starting would count as dead (the extension waits for its ports instead).
client.start_channels(hb=False)
client.wait_for_ready(timeout=90)
msg_id = client.execute(sys.stdin.read())
out = {"stdout": "", "stderr": "", "errors": [], "status": None}
while True:
    msg = client.get_iopub_msg(timeout=120)
    if msg["parent_header"].get("msg_id") != msg_id:
        continue
    kind, content = msg["msg_type"], msg["content"]
    if kind == "stream":
        out[content["name"]] += content["text"]
    elif kind == "error":
        out["errors"].append(content["ename"] + ": " + content["evalue"])
    elif kind == "status" and content["execution_state"] == "idle":
        break
while out["status"] is None:
    reply = client.get_shell_msg(timeout=60)
    if reply["parent_header"].get("msg_id") == msg_id:
        out["status"] = reply["content"]["status"]
print(json.dumps(out))
`;

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve) => {
      const server = createServer();
      server.listen(0, "127.0.0.1", () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

describe("the TypeScript kernel spec, started as VS Code's Jupyter extension starts it", () => {
  const dir = mkdtempSync(join(tmpdir(), "kernel-spec-"));
  let kernel: ChildProcess | undefined;
  let kernelLog = "";

  afterAll(() => {
    kernel?.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs the first guide's set-up cell in replay mode, printing what the guide says", async () => {
    const spec = JSON.parse(readFileSync(join(VENV_JUPYTER_DATA, "kernels", "tslab", "kernel.json"), "utf8")) as { argv: string[]; env?: Record<string, string> };
    const [hb, control, shell, stdin, iopub] = await freePorts(5);
    const connectionFile = join(dir, `kernel-v3${randomUUID()}.json`);
    writeFileSync(
      connectionFile,
      JSON.stringify({ key: randomUUID(), signature_scheme: "hmac-sha256", transport: "tcp", ip: "127.0.0.1", hb_port: hb, control_port: control, shell_port: shell, stdin_port: stdin, iopub_port: iopub, kernel_name: "tslab" }),
    );
    const argv = spec.argv.map((a) => a.replace("{connection_file}", connectionFile));
    // The editor's own environment: `node` on its PATH, the spec's env, and no keys (replay).
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!/^(VITEST|KLAVIYO_|JUPYTER|NODE_ENV$|NODE_NO_WARNINGS$|TF_CPP)/.test(key)) env[key] = value;
    kernel = spawn(argv[0], argv.slice(1), {
      cwd: NOTEBOOKS_DIR,
      env: { ...env, ...spec.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}`, KLAVIYO_MODE: "replay" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    kernel.stdout!.on("data", (b: Buffer) => (kernelLog += b.toString()));
    kernel.stderr!.on("data", (b: Buffer) => (kernelLog += b.toString()));

    const setup = loadNotebook(guideNotebook(GUIDES[0])).code[0];
    const client = await new Promise<{ status: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(VENV_PYTHON, ["-c", CLIENT, connectionFile], { stdio: ["pipe", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout.on("data", (b: Buffer) => (out += b.toString()));
      child.stderr.on("data", (b: Buffer) => (err += b.toString()));
      child.once("close", (status) => resolve({ status, out, err }));
      child.stdin.end(text(setup.source));
    });
    expect(client.status, `${client.err}\nkernel:\n${kernelLog}`).toBe(0);
    const printed = (setup.outputs ?? []).filter((o) => o.output_type === "stream" && o.name === "stdout").map((o) => text(o.text)).join("");
    expect(JSON.parse(client.out)).toEqual({ stdout: printed, stderr: "", errors: [], status: "ok" });
    expect(printed).toMatch(/^Mode: replay/);
  }, 180_000);
});
