import { describe, expect, it } from "vitest";
import { dataFrame, inferDtypes, loadDanfo } from "../src/display/danfo";
import { tableBundle } from "../src/display/table";

describe("danfo helpers", () => {
  it("loads danfojs-node with TensorFlow.js's banner kept out of stdout, stderr and the console", () => {
    const seen: string[] = [];
    const saved = { out: process.stdout.write, err: process.stderr.write, warn: console.warn, log: console.log };
    const capture = (chunk: unknown) => { seen.push(String(chunk)); return true; };
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    console.warn = (...a: unknown[]) => seen.push(a.join(" "));
    console.log = (...a: unknown[]) => seen.push(a.join(" "));
    try {
      const dfd = loadDanfo();
      const df = new dfd.DataFrame({ n: [1, 2, 3] });
      expect(df["n"].sum()).toBe(6); // tensor operations after loading stay quiet too
      console.warn("other warnings still show");
    } finally {
      Object.assign(process.stdout, { write: saved.out });
      Object.assign(process.stderr, { write: saved.err });
      Object.assign(console, { warn: saved.warn, log: saved.log });
    }
    expect(seen.join("\n")).not.toMatch(/TensorFlow\.js|={10}/);
    expect(seen).toContain("other warnings still show");
  }, 30_000);

  it("chooses dtypes from JavaScript types: epoch ms float32, numeric-looking ids stay strings", () => {
    const rows = [
      { id: "007", ms: 1764288000000, n: 3, ok: true, at: new Date(0), mixed: 1 },
      { id: "12", ms: 1700000000000, n: null, ok: false, at: new Date(1), mixed: "x" },
    ];
    expect(inferDtypes(rows, ["id", "ms", "n", "ok", "at", "mixed"])).toEqual(["string", "float32", "int32", "boolean", "datetime", "string"]);
  });

  it("builds DataFrames whose epoch-ms tensors do not wrap around", () => {
    const df = dataFrame([{ profile: "p1", ms: 1764288000000 }, { profile: "p2", ms: 1700000000000 }]);
    expect(df.dtypes).toEqual(["string", "float32"]);
    const values = Array.from(df["ms"].tensor.dataSync() as Float32Array);
    values.forEach((v, i) => expect(Math.abs(v - [1764288000000, 1700000000000][i])).toBeLessThan(200_000)); // float32: ~2 min resolution, no overflow
    expect(tableBundle(df)["text/plain"]).toContain("1764288000000");
    expect(dataFrame([], ["a"]).columns).toEqual(["a"]);
  });
});
