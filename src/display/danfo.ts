/**
 * danfojs-node for the tables a reader sees, with its known traps handled:
 * - TensorFlow.js (danfo's engine) prints a "Hi, looks like you are running TensorFlow.js in
 *   Node.js…" banner on the first tensor it creates, which would land in whichever cell first
 *   touches a tensor. `loadDanfo()` creates that first tensor itself with the banner filtered out.
 *   (Filtering just that message, rather than switching tf to PROD mode, leaves every other
 *   warning visible.)
 * - danfo infers integers as int32: epoch-millisecond columns wrap around in tensor operations, and
 *   numeric-looking strings (ids, zip codes) become numbers. `dataFrame()` chooses dtypes from the
 *   JavaScript types instead.
 * - Group-by is superlinear in the number of groups (7 s at 20 000 groups): reduce large event
 *   streams with `analysis.ts` first and give danfo the small result.
 */
import type * as Danfo from "danfojs-node";

/** The danfojs-node module. */
export type DanfoModule = typeof Danfo;

const BANNER = "looks like you are running TensorFlow.js in Node.js";
let loaded: DanfoModule | undefined;

/**
 * danfojs-node, loaded once (≈1.5 s) with TensorFlow.js's banner already consumed.
 *
 * @example
 * const dfd = loadDanfo();
 * const df = new dfd.DataFrame([{ day: "2025-11-28", orders: 12 }]);
 */
export function loadDanfo(): DanfoModule {
  if (loaded) return loaded;
  const dfd = require("danfojs-node") as DanfoModule;
  withoutBanner(() => dfd.tensorflow.tensor([0]).dispose());
  loaded = dfd;
  return dfd;
}

/** Runs `fn` with console messages that carry the TensorFlow.js banner dropped (others pass). */
function withoutBanner(fn: () => void): void {
  const saved = { warn: console.warn, log: console.log, info: console.info };
  const filter = (original: (...args: unknown[]) => void) => (...args: unknown[]) => {
    if (!args.some((a) => typeof a === "string" && a.includes(BANNER))) original(...args);
  };
  console.warn = filter(saved.warn);
  console.log = filter(saved.log);
  console.info = filter(saved.info);
  try {
    fn();
  } finally {
    Object.assign(console, saved);
  }
}

/** A danfo dtype. */
export type Dtype = "string" | "int32" | "float32" | "boolean" | "datetime";

/**
 * dtypes chosen from JavaScript types: numbers are int32 only when every value is an integer
 * inside int32's range (epoch milliseconds become float32 instead of wrapping), strings stay strings
 * even when they look numeric, `Date`s are datetime. Empty cells (null/undefined) are ignored.
 *
 * @example
 * inferDtypes([{ id: "007", ms: 1764288000000 }], ["id", "ms"]) // ["string", "float32"]
 */
export function inferDtypes(rows: ReadonlyArray<Record<string, unknown>>, columns: readonly string[]): Dtype[] {
  return columns.map((c) => {
    const values = rows.map((r) => r[c]).filter((v) => v !== null && v !== undefined);
    if (values.length > 0 && values.every((v) => typeof v === "number")) {
      const int32 = values.every((v) => Number.isInteger(v) && (v as number) >= -(2 ** 31) && (v as number) < 2 ** 31);
      return int32 ? "int32" : "float32";
    }
    if (values.length > 0 && values.every((v) => typeof v === "boolean")) return "boolean";
    if (values.length > 0 && values.every((v) => v instanceof Date)) return "datetime";
    return "string";
  });
}

/**
 * A DataFrame from rows with safe dtypes (see `inferDtypes`).
 *
 * @example
 * const df = dataFrame([{ day: "2025-11-28", first_time: 41, returning: 12 }]);
 * showTable(df);
 */
export function dataFrame(rows: ReadonlyArray<Record<string, unknown>>, columns?: readonly string[]): Danfo.DataFrame {
  const dfd = loadDanfo();
  const cols = columns ? [...columns] : [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (rows.length === 0) return new dfd.DataFrame([], { columns: cols });
  const data = rows.map((r) => cols.map((c) => r[c] ?? null));
  return new dfd.DataFrame(data, { columns: cols, dtypes: inferDtypes(rows, cols) });
}
