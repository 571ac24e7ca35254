import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readFixtureFile } from "../src/fixtures/format";
import { startRecording } from "../src/fixtures/record";
import { scrubValue } from "../src/fixtures/scrub";
import type { Exchange } from "../src/http/transport";

function exchange(path: string, status: number, response: unknown): Exchange {
  return {
    request: { method: "GET", url: `http://127.0.0.1:9/${path.replace(/^\//, "")}`, body: "", headers: {} },
    status,
    headers: { "content-type": "application/vnd.api+json" },
    response,
  };
}

describe("recording keeps what replay needs, once", () => {
  it("skips an exchange identical to the last one recorded for the same request, and keeps changed answers in order", () => {
    const file = join(mkdtempSync(join(tmpdir(), "dedupe-")), "g.json");
    const record = startRecording({ file, revision: "2026-07-15", recordedAt: new Date("2026-11-20T12:00:00Z"), publicKey: "DemoCo", allowWrites: true }).append;
    record(exchange("/api/lists", 200, { data: [1] }));
    record(exchange("/api/metrics", 200, { data: [] }));
    record(exchange("/api/lists", 200, { data: [1] })); // a re-run cell: nothing new
    record(exchange("/api/lists", 429, { errors: [] })); // a new answer: kept
    record(exchange("/api/lists", 200, { data: [1] })); // differs from the last answer (429): kept
    const fixture = readFixtureFile(file)!;
    expect(fixture.interactions.map((i) => `${i.path} ${i.status}`)).toEqual(["/api/lists 200", "/api/metrics 200", "/api/lists 429", "/api/lists 200"]);
  });

  it("knows a request as replay does: the same query in another order is the same request", () => {
    const file = join(mkdtempSync(join(tmpdir(), "dedupe-")), "g.json");
    const record = startRecording({ file, revision: "2026-07-15", recordedAt: new Date("2026-11-20T12:00:00Z"), publicKey: "DemoCo", allowWrites: true }).append;
    record(exchange("/api/events?page%5Bsize%5D=5&sort=datetime", 200, { data: [] }));
    record(exchange("/api/events?sort=datetime&page%5Bsize%5D=5", 200, { data: [] }));
    expect(readFixtureFile(file)!.interactions).toHaveLength(1);
  });

  it("writes one interaction per line", () => {
    const file = join(mkdtempSync(join(tmpdir(), "lines-")), "g.json");
    const record = startRecording({ file, revision: "2026-07-15", recordedAt: new Date("2026-11-20T12:00:00Z"), publicKey: "DemoCo", allowWrites: true }).append;
    record(exchange("/api/lists", 200, { data: [{ id: "a" }, { id: "b" }] }));
    record(exchange("/api/metrics", 200, { data: [] }));
    const lines = readFileSync(file, "utf8").split("\n");
    expect(lines.filter((l) => l.includes('"scope"'))).toHaveLength(2);
    expect(JSON.parse(readFileSync(file, "utf8")).interactions).toHaveLength(2);
  });

  it("says how the run was made when it was not the demo's way: writes off, parameters from the environment; the demo's way adds nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "made-"));
    const plain = join(dir, "plain.json");
    startRecording({ file: plain, revision: "2026-07-15", recordedAt: new Date("2026-11-20T12:00:00Z"), publicKey: "DemoCo", allowWrites: true });
    expect(Object.keys(JSON.parse(readFileSync(plain, "utf8")))).toEqual(["about", "revision", "recordedAt", "publicKey", "interactions"]);

    const careful = join(dir, "careful.json");
    const recorder = startRecording({ file: careful, revision: "2026-07-15", recordedAt: new Date("2026-11-20T12:00:00Z"), publicKey: "DemoCo", allowWrites: false });
    recorder.noteParams({ consentList: "Weekly news" });
    recorder.append(exchange("/api/lists", 200, { data: [] }));
    const fixture = readFixtureFile(careful)!;
    expect(fixture.allowWrites).toBe(false);
    expect(fixture.params).toEqual({ consentList: "Weekly news" });
    expect(fixture.interactions).toHaveLength(1);
    // A parameter holding personal data is scrubbed as the requests it shapes are.
    recorder.noteParams({ segmentOwner: "jordan.ellis@gmail.com" });
    expect(readFileSync(careful, "utf8")).not.toContain("jordan.ellis@gmail.com");
    expect(readFixtureFile(careful)!.params).toEqual({ consentList: "Weekly news", segmentOwner: scrubValue("jordan.ellis@gmail.com") });
  });
});
