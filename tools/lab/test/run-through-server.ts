/**
 * Runs a notebook's code cells, in order, through a running Jupyter server as a browser does: the
 * REST API opens a session on the notebook (its kernel starts in the notebook's folder), and each
 * cell goes to the kernel's websocket as an execute request. Writes one JSON report (RunReport) to
 * a file. binder.test.ts runs it inside the server's own network namespace, where the test itself
 * cannot reach.
 *
 *   node --import tsx tools/lab/test/run-through-server.ts <server url> <token> <notebook path on the server> <report.json>
 *
 * Needs a global WebSocket (Node 22 and later; Node 20 with --experimental-websocket).
 */
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { text, type NotebookCell } from "../../notebook";

/** What one code cell did. */
export interface CellRun {
  /** The execute reply's status: "ok", "error" (tslab's compile errors too) or "aborted". */
  status: string;
  stdout: string;
  stderr: string;
  /** Error outputs, as `ename: evalue`. */
  errors: string[];
}

export interface RunReport {
  /** The argv of the server's `tslab` kernelspec: where the server found the kernel. */
  kernelArgv: string[];
  /** JupyterLab's default for "Fetch official Jupyter news" as this server serves it. */
  fetchNewsDefault: unknown;
  cells: CellRun[];
}

interface NotebookJson {
  cells: NotebookCell[];
}

interface KernelMessage {
  channel: string;
  header: { msg_type: string };
  parent_header: { msg_id?: string };
  content: { name?: string; text?: string; ename?: string; evalue?: string; execution_state?: string; status?: string };
}

const CELL_TIMEOUT_MS = 120_000;

/** The cells nbclient (and so the project's runner) sends to the kernel, in order. */
export function executableCells(notebook: NotebookJson): NotebookCell[] {
  return notebook.cells.filter((c) => c.cell_type === "code" && !(c.metadata?.tags ?? []).includes("skip-execution") && text(c.source).trim() !== "");
}

async function rest<T>(base: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `token ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} answered HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** Opens the kernel's websocket; resolves once it is open. */
function connect(base: string, token: string, kernelId: string, session: string): Promise<WebSocket> {
  const url = `${base.replace(/^http/, "ws")}/api/kernels/${kernelId}/channels?session_id=${session}&token=${token}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error(`could not open the kernel websocket ${url.replace(token, "…")}`));
  });
}

/** Sends one cell and collects its outputs until the kernel is idle again and has replied. */
function execute(ws: WebSocket, session: string, code: string): Promise<CellRun> {
  const msgId = randomUUID();
  const run: CellRun = { status: "", stdout: "", stderr: "", errors: [] };
  return new Promise((resolve, reject) => {
    let idle = false;
    const timer = setTimeout(() => reject(new Error(`no reply within ${CELL_TIMEOUT_MS / 1000} s to:\n${code.slice(0, 200)}`)), CELL_TIMEOUT_MS);
    ws.onmessage = (event: MessageEvent) => {
      const msg = JSON.parse(String(event.data)) as KernelMessage;
      if (msg.parent_header.msg_id !== msgId) return;
      const { msg_type: type } = msg.header;
      if (type === "stream") run[msg.content.name === "stderr" ? "stderr" : "stdout"] += msg.content.text ?? "";
      else if (type === "error") run.errors.push(`${msg.content.ename}: ${msg.content.evalue}`);
      else if (type === "status" && msg.content.execution_state === "idle") idle = true;
      else if (type === "execute_reply") run.status = msg.content.status ?? "";
      if (idle && run.status) {
        clearTimeout(timer);
        resolve(run);
      }
    };
    ws.send(
      JSON.stringify({
        channel: "shell",
        header: { msg_id: msgId, msg_type: "execute_request", session, username: "", date: new Date().toISOString(), version: "5.3" },
        parent_header: {},
        metadata: {},
        content: { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true },
        buffers: [],
      }),
    );
  });
}

async function main(base: string, token: string, notebookPath: string): Promise<RunReport> {
  const specs = await rest<{ kernelspecs: Record<string, { spec: { argv: string[] } }> }>(base, token, "GET", "/api/kernelspecs");
  const settings = await rest<{ schema: { properties: Record<string, { default?: unknown }> } }>(base, token, "GET", "/lab/api/settings/@jupyterlab/apputils-extension:notification");
  const contents = await rest<{ content: NotebookJson }>(base, token, "GET", `/api/contents/${notebookPath}?content=1`);
  const opened = await rest<{ id: string; kernel: { id: string } }>(base, token, "POST", "/api/sessions", {
    path: notebookPath,
    name: notebookPath.split("/").pop(),
    type: "notebook",
    kernel: { name: "tslab" },
  });
  const session = randomUUID();
  const ws = await connect(base, token, opened.kernel.id, session);
  const cells: CellRun[] = [];
  try {
    for (const cell of executableCells(contents.content)) cells.push(await execute(ws, session, text(cell.source)));
  } finally {
    ws.close();
    await rest(base, token, "DELETE", `/api/sessions/${opened.id}`);
  }
  return { kernelArgv: specs.kernelspecs.tslab?.spec.argv ?? [], fetchNewsDefault: settings.schema.properties.fetchNews?.default, cells };
}

if (require.main === module) {
  const [base, token, notebookPath, reportFile] = process.argv.slice(2);
  main(base, token, notebookPath)
    .then((report) => writeFileSync(reportFile, `${JSON.stringify(report)}\n`))
    .catch((err: Error) => {
      console.error(`run-through-server: ${err.message}`);
      process.exit(1);
    });
}
