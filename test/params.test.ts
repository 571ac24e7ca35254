import { describe, expect, it, vi } from "vitest";
import { describeParams, guideParams, paramVariable, resolveParams } from "../src/params";

const defaults = { newsletterList: "Newsletter", pageSize: 100 };

describe("guide parameters", () => {
  it("names each variable KLAVIYO_PARAM_<UPPER_SNAKE>", () => {
    expect(paramVariable("newsletterList")).toBe("KLAVIYO_PARAM_NEWSLETTER_LIST");
    expect(paramVariable("bfcmStart")).toBe("KLAVIYO_PARAM_BFCM_START");
    expect(paramVariable("timezone")).toBe("KLAVIYO_PARAM_TIMEZONE");
  });

  it("uses the defaults when nothing is set", () => {
    expect(resolveParams("live", defaults, {})).toEqual({ values: defaults, overridden: [], ignored: [], replayed: false });
  });

  it("takes values from the environment in live and record mode, numbers parsed", () => {
    const env = { KLAVIYO_PARAM_NEWSLETTER_LIST: " VIP ", KLAVIYO_PARAM_PAGE_SIZE: "50" };
    for (const mode of ["live", "record"] as const) {
      const r = resolveParams(mode, defaults, env);
      expect(r.values).toEqual({ newsletterList: "VIP", pageSize: 50 });
      expect(r.overridden).toEqual(["newsletterList", "pageSize"]);
    }
  });

  it("keeps the recording's values in replay (the defaults for the demo's) and says which variables it ignored", () => {
    const r = resolveParams("replay", defaults, { KLAVIYO_PARAM_NEWSLETTER_LIST: "VIP", KLAVIYO_PARAM_PAGE_SIZE: "" });
    expect(r.values).toEqual(defaults);
    expect(r.ignored).toEqual(["newsletterList"]);
    expect(describeParams(r)).toContain("KLAVIYO_PARAM_NEWSLETTER_LIST ignored");
  });

  it("refuses a number parameter that is not a number, naming the variable", () => {
    expect(() => resolveParams("live", defaults, { KLAVIYO_PARAM_PAGE_SIZE: "many" })).toThrow(/KLAVIYO_PARAM_PAGE_SIZE="many" is not a number/);
  });

  it("prints one line per parameter and returns the values", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const values = guideParams({ mode: "live" }, defaults, { KLAVIYO_PARAM_PAGE_SIZE: "10" });
    expect(values).toEqual({ newsletterList: "Newsletter", pageSize: 10 });
    expect(log.mock.calls[0][0]).toBe(
      "Parameters (some set in your environment):\n" +
        '  newsletterList = "Newsletter"\n' +
        "  pageSize       = 10  (from KLAVIYO_PARAM_PAGE_SIZE)",
    );
    log.mockRestore();
  });

  it("replays a recording with the values it was made with, and a record run notes the ones it took from the environment", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const noted: Record<string, unknown>[] = [];
    const recorded = guideParams({ mode: "record", paramsRecord: { note: (p) => noted.push(p) } }, defaults, { KLAVIYO_PARAM_NEWSLETTER_LIST: "Weekly news" });
    expect(noted).toEqual([{ newsletterList: "Weekly news" }]);
    // A reader replays it later, whatever their environment now says.
    const replayed = guideParams({ mode: "replay", paramsRecord: { recorded: noted[0] as Record<string, string> } }, defaults, { KLAVIYO_PARAM_NEWSLETTER_LIST: "Something else" });
    expect(replayed).toEqual(recorded);
    expect(log.mock.calls[1][0]).toContain('newsletterList = "Weekly news"  (from KLAVIYO_PARAM_NEWSLETTER_LIST)');
    expect(log.mock.calls[1][0]).toMatch(/^Parameters \(some set in the environment of the run that made this recording\):/);
    expect(log.mock.calls[1][0]).toContain("KLAVIYO_PARAM_NEWSLETTER_LIST ignored");
    // Nothing to note when the defaults applied, and a recorded value of the wrong type is not taken.
    const none: unknown[] = [];
    guideParams({ mode: "record", paramsRecord: { note: (p) => none.push(p) } }, defaults, {});
    expect(none).toEqual([]);
    expect(resolveParams("replay", defaults, {}, { pageSize: "many" }).values).toEqual(defaults);
    log.mockRestore();
  });
});
