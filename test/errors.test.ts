import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import * as guides from "../src/index";
import { FixtureInvalidError, GuideError, MissingKeyError, WriteBlockedError } from "../src/errors";
import { ValidationError } from "../src/client-side/validation";
import { PageRequestError, PaginationError } from "../src/pagination";
import { typeScriptFiles } from "./support/imports";

const SRC = join(__dirname, "..", "src");

describe("the helpers' errors", () => {
  it("every error class the package exports extends GuideError", () => {
    const errorClasses = Object.entries(guides).filter(([k, v]) => typeof v === "function" && v.prototype instanceof Error && k !== "GuideError");
    expect(errorClasses.map(([k]) => k).sort()).toEqual(
      ["FixtureInvalidError", "FixtureMissingError", "JobTimeoutError", "MissingKeyError", "PageRequestError", "PaginationError", "ReportBudgetError", "RetriesExhaustedError", "ValidationError", "WriteBlockedError"],
    );
    for (const [name, cls] of errorClasses) expect((cls as { prototype: object }).prototype instanceof GuideError, name).toBe(true);
  });

  it("take their name from their class, set in one place", () => {
    const errors = [
      new FixtureInvalidError("data/x.json", "is not valid JSON"),
      new MissingKeyError("KLAVIYO_PRIVATE_KEY", ".env", "Live mode needs a key"),
      new WriteBlockedError({ method: "POST", url: "https://a.klaviyo.com/api/lists", headers: {}, body: "" }, ".env"),
      new ValidationError("profile", [{ field: "email", value: "x", reason: "has no @", fix: "Write name@domain.tld." }]),
      new PageRequestError(400, "https://a.klaviyo.com/api/events", "{}"),
      new PaginationError("repeated-cursor", 2, "the first page", "https://a.klaviyo.com/api/events?page%5Bcursor%5D=x", "its links.next repeats a cursor."),
    ];
    for (const e of errors) {
      expect(e.name).toBe(e.constructor.name);
      expect(String(e)).toMatch(new RegExp(`^${e.constructor.name}: `));
    }
  });

  it("no module but src/errors.ts sets an error's name or extends Error itself", () => {
    const offenders = typeScriptFiles(SRC)
      .filter((f) => f !== join(SRC, "errors.ts"))
      .flatMap((f) => readFileSync(f, "utf8").split("\n").map((line, i) => ({ where: `${relative(SRC, f)}:${i + 1}`, line })))
      .filter(({ line }) => /\bextends Error\b|\bthis\.name\s*=|\boverride name\b/.test(line))
      .map(({ where, line }) => `${where}: ${line.trim()}`);
    expect(offenders).toEqual([]);
  });
});
