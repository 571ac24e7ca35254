/** CSV export (src/csv.ts): RFC 4180 quoting, the header, and cells of every kind a report row holds. */
import { describe, expect, it } from "vitest";
import { csvText } from "../src/csv";

describe("csvText", () => {
  it("writes a header and one CRLF line per row, columns in first-seen order", () => {
    expect(csvText([{ a: 1, b: "x" }, { b: "y", c: true }])).toBe("a,b,c\r\n1,x,\r\n,y,true\r\n");
  });

  it("quotes a cell with a comma, a quote or a line break, doubling its quotes", () => {
    expect(csvText([{ name: 'Weekly picks, "autumn"', note: "two\nlines" }])).toBe('name,note\r\n"Weekly picks, ""autumn""","two\nlines"\r\n');
  });

  it("writes null and undefined as empty, dates in ISO 8601, objects as JSON, and only the columns asked for", () => {
    const rows = [{ at: new Date("2026-11-08T05:00:00Z"), tags: ["a"], none: null, skipped: "no" }];
    expect(csvText(rows, ["at", "tags", "none", "missing"])).toBe('at,tags,none,missing\r\n2026-11-08T05:00:00.000Z,"[""a""]",,\r\n');
  });

  it("gives only the header for no rows", () => {
    expect(csvText([], ["campaign", "open_rate"])).toBe("campaign,open_rate\r\n");
    expect(csvText([])).toBe("\r\n");
  });
});
