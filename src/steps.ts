/**
 * Steps: how a guide cell reads, derives and writes so that one refused request costs one step, not
 * the rest of the guide. In tslab a name declared in a cell that threw never exists for the cells
 * after it, so a cell that reads declares its names whatever happens:
 *
 * - `kv.read(what, read, fallback)` runs a read; if it fails, the cell prints one line (what was
 *   refused, why, what to do) and gets `fallback` (an empty array, an empty table…).
 * - `kv.after(needs, compute, fallback)` runs what depends on earlier results; if one of them is a
 *   fallback, it prints one line saying it is skipped and why, and gives `fallback`.
 * - `kv.write(label, send)` sends a write through the write guard; a failure prints one line, and a
 *   write whose `needs` were not read is not sent.
 *
 * A dependent must not take an empty fallback for "the account has none", so every fallback (and
 * each object directly inside it, for destructuring) is remembered with the step it stands in for.
 * Only objects can be remembered: a step others depend on returns an object (an array, a table, a
 * result), and `needs` takes such objects (`undefined` needs nothing: a write not attempted).
 *
 * A cell says why once: after its first line, its skips stay silent (`kv.after([metrics], () =>
 * showTable(…))` right after a failed read prints nothing more), and once a write of a cell failed,
 * the cell sends no more writes (the rest of an order waits for a re-run rather than arriving half).
 * A 401 is said once: after it, the steps skip every request instead of repeating one that must fail.
 */
import { exchangeFailure, explainFailure, networkFailure, readFailure, type Failure, type StepAction } from "./failures";
import type { RequestWatch } from "./http/watch";
import type { WriteResult } from "./write-guard";

/** Every line a failed step prints starts with this, e.g. "Could not read the metrics: …". */
export const STEP_FAILED = "Could not ";
/** Every line a skipped step prints starts with this, e.g. "Skipped: needs the metrics, which could not be read above." */
export const STEP_SKIPPED = "Skipped: ";

/** Options of `read` and `write`. */
export interface StepOptions {
  /**
   * Results of earlier steps this one needs; if one is a fallback, this step is skipped. `undefined`
   * needs nothing (a write that was not attempted); any other value that is not an object is refused.
   */
  needs?: readonly (object | undefined)[];
}

/** The steps of one connection (`kv.read`, `kv.after`, `kv.write`). */
export interface Steps {
  /**
   * Runs `read`; on a failed request prints one line and returns `fallback` instead.
   *
   * @example
   * const metrics = await kv.read("the metrics", () => collectAll((cursor) => kv.metrics.getMetrics({ pageCursor: cursor })), []);
   */
  read<T>(what: string, read: () => Promise<T>, fallback: T, options?: StepOptions): Promise<T>;
  /**
   * Runs `compute` unless one of `needs` is a fallback of an earlier step; then prints one line
   * (none if this cell already said why) and returns `fallback`. For a dependent that reads, use
   * `read` with `{ needs }`.
   *
   * @example
   * const names = kv.after([metrics], () => metrics.map((m) => m.attributes.name), []);
   * kv.after([metrics], () => showTable(metrics.map((m) => ({ name: m.attributes.name }))));
   */
  after<T>(needs: readonly (object | undefined)[], compute: () => T, fallback: T): T;
  after(needs: readonly (object | undefined)[], compute: () => void): void;
  /**
   * Sends a write through the write guard (writes off: prints the request, `sent: false`). A failure
   * the reader can act on (key, scope, rate limit, Klaviyo's side, network) prints one line and gives
   * `sent: false`; a request the API refused as invalid (400, 404, 409…) is thrown, for the cell to
   * show or fix. With `needs`, it is not sent when one of them is a fallback.
   *
   * @example
   * const created = await kv.write("create the list", () => kv.lists.createList(body), { needs: [buyers] });
   */
  write<T>(label: string, send: () => Promise<T>, options?: StepOptions): Promise<WriteResult<T>>;
}

/** What `createSteps` needs. */
export interface StepsSetup {
  /** Runs a write through the write guard (connect() passes `guardedWrite` bound to its `.env`). */
  guard<T>(label: string, send: () => Promise<T>): Promise<WriteResult<T>>;
  /** The transport's record of requests and answers, to name a failed answer a step's code met. */
  watch?: RequestWatch;
  /** Where the one-line messages go (default console.log). */
  print?: (line: string) => void;
  /**
   * What tells one notebook cell from the next (default: the identity of `process.stdout.write`,
   * which tslab replaces for every cell it runs, to send that cell's output to the notebook).
   */
  cell?: () => unknown;
}

/** What the running cell has done, so that it says one thing once. */
interface CellState {
  /** Whether a step of this cell printed its line: later skips in the cell stay silent. */
  spoke: boolean;
  /** The line of this cell's write that failed (or was refused for the key): later writes stay unsent. */
  failedWrite?: string;
}

/** A step whose result is missing: what it was, and what happened to it. */
interface Missing {
  subject: string;
  /** "could not be read", "failed" or "was not sent": the end of "needs X, which … above". */
  verb: string;
}

function isObject(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

/** "a", "a and b", "a, b and c". */
function listOf(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** "needs the metrics, which could not be read above", grouping the missing results by what happened to them. */
function needsText(missing: readonly Missing[]): string {
  const byVerb = new Map<string, string[]>();
  for (const m of missing) {
    const subjects = byVerb.get(m.verb) ?? [];
    if (!subjects.includes(m.subject)) subjects.push(m.subject);
    byVerb.set(m.verb, subjects);
  }
  return `needs ${[...byVerb].map(([verb, subjects]) => `${listOf(subjects)}, which ${verb} above`).join("; and ")}`;
}

/**
 * The steps of one connection: its memory of fallbacks and whether the key was refused. connect()
 * makes one per connection, so connecting again (a re-run set-up cell) starts afresh.
 *
 * @example
 * const steps = createSteps({ guard: (label, send) => guardedWrite(label, send, envFile) });
 * const lists = await steps.read("the lists", () => collectAll((c) => kv.lists.getLists({ pageCursor: c })), []);
 */
export function createSteps(setup: StepsSetup): Steps {
  const print = setup.print ?? ((line: string) => console.log(line));
  const cellKey = setup.cell ?? (() => process.stdout.write);
  /** Each fallback handed out, with the steps whose results it stands in for. */
  const fallbacks = new WeakMap<object, readonly Missing[]>();
  /** The step that met the first 401: later steps send nothing. */
  let keyRefusedIn: string | undefined;
  /** What the running cell has done, with the cell it was. */
  let cell: { key: unknown; state: CellState } | undefined;
  const thisCell = (): CellState => {
    const key = cellKey();
    if (cell === undefined || cell.key !== key) cell = { key, state: { spoke: false } };
    return cell.state;
  };
  /** A failure's line, always printed. */
  const say = (line: string): string => {
    print(line);
    thisCell().spoke = true;
    return line;
  };
  /** A skip's line, printed unless this cell already said why. */
  const sayOnce = (line: string): string => (thisCell().spoke ? line : say(line));

  const remember = (value: unknown, missing: readonly Missing[]): void => {
    if (!isObject(value)) return;
    fallbacks.set(value, missing);
    // Objects directly inside too, so that `const { a, b } = await kv.read(…)` keeps the mark on both.
    for (const inner of Object.values(value)) if (isObject(inner) && !fallbacks.has(inner)) fallbacks.set(inner, missing);
  };

  /** Whether a step must be skipped because one of `needs` is a fallback: then its line, and what is missing. */
  const skipFor = (needs: readonly (object | undefined)[] | undefined, tail = ""): { line: string; missing: Missing[] } | undefined => {
    const missing: Missing[] = [];
    for (const [i, need] of (needs ?? []).entries()) {
      if (need === undefined || need === null) continue;
      if (!isObject(need)) {
        throw new TypeError(`needs[${i}] is a ${typeof need}: pass the object an earlier step returned (its array, table or result), since only an object can be told apart from a fallback.`);
      }
      missing.push(...(fallbacks.get(need) ?? []));
    }
    return missing.length === 0 ? undefined : { line: sayOnce(`${STEP_SKIPPED}${needsText(missing)}${tail}.`), missing };
  };

  /** What went wrong, from what the step threw or, failing that, from the failed answer it met. */
  const failureIn = (error: unknown, since: number | undefined): Failure | undefined => {
    const failure = readFailure(error);
    const watch = setup.watch;
    if (failure === undefined && watch && since !== undefined) {
      const answer = watch.failedSince(since);
      if (answer) return exchangeFailure(answer);
    }
    if (failure?.kind === "network" && failure.request === undefined && watch && since !== undefined) {
      const sent = watch.sentSince(since);
      if (sent) return networkFailure(failure.detail, sent);
    }
    return failure;
  };

  /** Prints the failure's line and remembers a 401 of the private key. */
  const report = (failure: Failure, action: StepAction, what: string): string => {
    if (failure.kind === "key" && failure.request?.includes(" /api/")) keyRefusedIn ??= what;
    return say(`${STEP_FAILED}${what}: ${explainFailure(failure, action)}`);
  };

  /** "Skipped: the private key was refused…", unless this cell already said why. */
  const keyRefused = (nothing: string): string => sayOnce(`${STEP_SKIPPED}the private key was refused (401) above, at "${keyRefusedIn}"; ${nothing}. Fix the key and run the guide again from the set-up cell.`);

  /** A write that was not sent, or failed: its line, remembered as a missing input for what follows. */
  const unsent = (problem: string, missing: readonly Missing[]): WriteResult<never> => {
    const result: WriteResult<never> = { sent: false, problem };
    remember(result, missing);
    return result;
  };

  return {
    async read(what, read, fallback, options = {}) {
      const skip = skipFor(options.needs);
      if (skip !== undefined) {
        remember(fallback, skip.missing);
        return fallback;
      }
      const own: Missing[] = [{ subject: what, verb: "could not be read" }];
      if (keyRefusedIn !== undefined) {
        keyRefused("this read was not sent");
        remember(fallback, own);
        return fallback;
      }
      const since = setup.watch?.mark();
      try {
        return await read();
      } catch (error) {
        const failure = failureIn(error, since);
        if (failure === undefined) throw error;
        report(failure, "read", `read ${what}`);
        remember(fallback, own);
        return fallback;
      }
    },

    after<T>(needs: readonly (object | undefined)[], compute: () => T, fallback?: T): T | undefined {
      const skip = skipFor(needs);
      if (skip === undefined) return compute();
      remember(fallback, skip.missing);
      return fallback;
    },

    async write(label, send, options = {}) {
      const skip = skipFor(options.needs, "; nothing was sent");
      if (skip !== undefined) return unsent(skip.line, skip.missing);
      const failed: Missing[] = [{ subject: `"${label}"`, verb: "failed" }];
      const notSent: Missing[] = [{ subject: `"${label}"`, verb: "was not sent" }];
      // A failed write ends the cell's writing: the rest of an order, of a batch, waits for a re-run.
      const failedWrite = thisCell().failedWrite;
      if (failedWrite !== undefined) return unsent(failedWrite, notSent);
      if (keyRefusedIn !== undefined) return unsent(keyRefused("nothing was sent"), notSent);
      const since = setup.watch?.mark();
      let failure: Failure | undefined;
      try {
        const result = await setup.guard(label, send);
        // Plain fetch resolves on any status: a failed answer the reader can act on is a failure too.
        if (!(result.sent && result.result instanceof Response && !result.result.ok)) return result;
        const answer = setup.watch?.failedSince(since ?? 0);
        failure = answer ? exchangeFailure(answer) : undefined;
        if (failure === undefined || failure.kind === "request") return result;
      } catch (error) {
        failure = failureIn(error, since);
        // A request the API refused as invalid is the cell's to show or fix (the guides show some on purpose).
        if (failure === undefined || failure.kind === "request") throw error;
      }
      const problem = report(failure, "write", label);
      thisCell().failedWrite = problem;
      return unsent(problem, failed);
    },
  };
}
