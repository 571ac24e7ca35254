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
 * A cell says each thing once: a dependent in the cell whose step just failed
 * (`kv.after([metrics], () => showTable(…))` right after the read) is skipped silently, since that
 * line said why, and once a write of a cell failed, the cell sends no more writes (the rest of an
 * order waits for a re-run rather than arriving half). A 401 is said once: after it, the steps skip
 * every request instead of repeating one that must fail.
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
   * (none in the cell whose step just failed: its line said why) and returns `fallback`. For a
   * dependent that reads, use `read` with `{ needs }`.
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
}

/** What the running cell has said already, so that it says each thing once. */
interface CellState {
  /** Fallbacks handed out, and missing inputs named, in this cell. */
  said: WeakSet<object>;
  /** The line of this cell's write that failed (or was refused for the key): later writes stay unsent. */
  failedWrite?: string;
  /** Whether this cell said that the key was refused. */
  keyRefusalSaid?: boolean;
}

/** A step whose result is missing: what it was, and what happened to it. */
interface Missing {
  subject: string;
  /** "could not be read" or "failed": the end of "needs X, which … above". */
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
  /** Each fallback handed out, with the steps whose results it stands in for. */
  const fallbacks = new WeakMap<object, readonly Missing[]>();
  /** The step that met the first 401: later steps send nothing. */
  let keyRefusedIn: string | undefined;
  /**
   * What the running cell has said. A cell runs in one turn of the event loop as long as it only
   * awaits its own requests, and the next cell's request arrives in a later turn, so this starts
   * afresh once the turn ends.
   */
  let cell: CellState | undefined;
  const thisCell = (): CellState => {
    if (cell === undefined) {
      cell = { said: new WeakSet() };
      setImmediate(() => (cell = undefined));
    }
    return cell;
  };

  const remember = (value: unknown, missing: readonly Missing[]): void => {
    if (!isObject(value)) return;
    // Objects directly inside too, so that `const { a, b } = await kv.read(…)` keeps the mark on both.
    for (const object of [value, ...Object.values(value).filter(isObject)]) {
      if (object !== value && fallbacks.has(object)) continue;
      fallbacks.set(object, missing);
      thisCell().said.add(object);
    }
  };

  /**
   * Whether a step must be skipped because one of `needs` is a fallback: then prints "Skipped:
   * needs …" (unless this cell already named them all) and gives that line and what is missing.
   */
  const skipFor = (needs: readonly (object | undefined)[] | undefined, tail = ""): { line: string; missing: Missing[] } | undefined => {
    const missing: Missing[] = [];
    const unsaid: Missing[] = [];
    const named: object[] = [];
    for (const [i, need] of (needs ?? []).entries()) {
      if (need === undefined || need === null) continue;
      if (!isObject(need)) {
        throw new TypeError(`needs[${i}] is a ${typeof need}: pass the object an earlier step returned (its array, table or result), since only an object can be told apart from a fallback.`);
      }
      const of = fallbacks.get(need);
      if (of === undefined) continue;
      missing.push(...of);
      named.push(need);
      if (!thisCell().said.has(need)) unsaid.push(...of);
    }
    if (missing.length === 0) return undefined;
    const line = `${STEP_SKIPPED}${needsText(unsaid.length > 0 ? unsaid : missing)}${tail}.`;
    if (unsaid.length > 0) print(line);
    for (const need of named) thisCell().said.add(need);
    return { line, missing };
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
    const line = `${STEP_FAILED}${what}: ${explainFailure(failure, action)}`;
    print(line);
    return line;
  };

  /** "Skipped: the private key was refused…", once per cell. */
  const keyRefused = (nothing: string): string => {
    const line = `${STEP_SKIPPED}the private key was refused (401) above, at "${keyRefusedIn}"; ${nothing}. Fix the key and run the guide again from the set-up cell.`;
    if (!thisCell().keyRefusalSaid) print(line);
    thisCell().keyRefusalSaid = true;
    return line;
  };

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
      const own: Missing[] = [{ subject: `"${label}"`, verb: "failed" }];
      // A failed write ends the cell's writing: the rest of an order, of a batch, waits for a re-run.
      const failedWrite = thisCell().failedWrite;
      if (failedWrite !== undefined) return unsent(failedWrite, own);
      if (keyRefusedIn !== undefined) return unsent(keyRefused("nothing was sent"), own);
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
      return unsent(problem, own);
    },
  };
}
