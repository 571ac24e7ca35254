import { describe, expect, it } from "vitest";
import { FilterBuilder } from "klaviyo-api";
import { and, any, equals, greaterOrEqual, greaterThan, has, lessOrEqual, lessThan } from "../src/filters";

describe("filters", () => {
  it("quotes strings with double quotes, escaping quote and backslash", () => {
    expect(equals("email", 'sam "the cat"@example.com')).toBe('equals(email,"sam \\"the cat\\"@example.com")');
    expect(equals("external_id", "a\\b")).toBe('equals(external_id,"a\\\\b")');
    expect(equals("metric_id", "Xy'Z")).toBe(`equals(metric_id,"Xy'Z")`);
  });

  it("writes Dates as unquoted ISO 8601, numbers and booleans bare", () => {
    const start = new Date("2025-11-28T00:00:00Z");
    expect(greaterOrEqual("datetime", start)).toBe("greater-or-equal(datetime,2025-11-28T00:00:00.000Z)");
    expect(lessThan("datetime", new Date("2025-12-02T00:00:00Z"))).toBe("less-than(datetime,2025-12-02T00:00:00.000Z)");
    expect(greaterThan("timestamp", 1764288000)).toBe("greater-than(timestamp,1764288000)");
    expect(lessOrEqual("joined_group_at", start)).toBe("less-or-equal(joined_group_at,2025-11-28T00:00:00.000Z)");
    expect(equals("is_starred", true)).toBe("equals(is_starred,true)");
  });

  it("formats any() lists and has()", () => {
    expect(any("email", ["a@example.com", 'b"@example.com'])).toBe('any(email,["a@example.com","b\\"@example.com"])');
    expect(any("id", [1, 2])).toBe("any(id,[1,2])");
    expect(has("profile")).toBe("has(profile)");
  });

  it("and() joins with commas, nesting flattens", () => {
    const window = and(greaterOrEqual("datetime", new Date("2025-11-28T00:00:00Z")), lessThan("datetime", new Date("2025-12-02T00:00:00Z")));
    expect(and(equals("metric_id", "M1"), window)).toBe(
      'equals(metric_id,"M1"),greater-or-equal(datetime,2025-11-28T00:00:00.000Z),less-than(datetime,2025-12-02T00:00:00.000Z)',
    );
  });

  it("matches the SDK FilterBuilder's output for the same expressions", () => {
    const d = new Date("2021-11-25T00:00:00Z");
    const sdk = new FilterBuilder().greaterThan("datetime", d).equals("metric_id", 'a"b').any("email", ["x"]).has("profile").build();
    expect(and(greaterThan("datetime", d), equals("metric_id", 'a"b'), any("email", ["x"]), has("profile"))).toBe(sdk);
  });

  it("refuses values the server would reject, naming the field", () => {
    expect(() => greaterThan("datetime", new Date("not a date"))).toThrow(/datetime is an invalid Date/);
    expect(() => equals("value", Number.NaN)).toThrow(/value is NaN/);
    expect(() => lessThan("timestamp", Infinity)).toThrow(/finite numbers/);
    expect(() => any("email", [])).toThrow(/at least one value/);
    expect(() => any("id", ["a", 1] as unknown as string[])).toThrow(/mixes string and number/);
    expect(() => equals("bad field)", "x")).toThrow(/not a field name/);
    expect(() => greaterThan("datetime", "2025-11-28" as unknown as Date)).toThrow(/wrap ISO strings with new Date/);
    expect(() => and()).toThrow(/at least one/);
  });
});
