import { afterEach, describe, expect, it, vi } from "vitest";
import { createRequire } from "node:module";
import { displayBundle, inNotebook } from "../src/display/mime";
import { formatJson, trimJson } from "../src/display/json";
import { escapeHtml, tableBundle } from "../src/display/table";
import { PLOTLY_MIME, STATIC_IMAGE_SLOT, figureBundle, plotlyCdnUrl, type Figure } from "../src/display/plot";

afterEach(() => vi.restoreAllMocks());

describe("trimJson", () => {
  it("cuts arrays, strings and depth, and says how much was cut", () => {
    const value = { data: [1, 2, 3, 4, 5], note: "x".repeat(100), deep: { a: { b: { c: 1 } }, list: [[1, 2]], flat: [1, 2] } };
    expect(trimJson(value, { maxItems: 2, maxString: 10, maxDepth: 2 })).toEqual({
      data: [1, 2, "… 3 more"],
      note: `${"x".repeat(10)}…`,
      deep: { a: "{…}", list: "[… 1 item]", flat: "[… 2 items]" },
    });
  });

  it("turns SDK model instances and Dates into plain JSON, dropping undefined and functions", () => {
    class Attributes { email = "a@example.com"; created = new Date("2025-11-28T10:00:00Z"); title?: string = undefined; }
    class Resource { type = "profile"; id = "p1"; attributes = new Attributes(); static attributeTypeMap = []; describe() { return "x"; } }
    expect(trimJson(new Resource())).toEqual({ type: "profile", id: "p1", attributes: { email: "a@example.com", created: "2025-11-28T10:00:00.000Z" } });
  });

  it("handles cycles, Maps, Sets, bigint and non-finite numbers", () => {
    const a: Record<string, unknown> = { n: Number.NaN, big: 10n, m: new Map([["k", 1]]), s: new Set([1]) };
    a.self = a;
    expect(trimJson(a)).toEqual({ n: null, big: "10", m: { k: 1 }, s: [1], self: "[Circular]" });
  });

  it("formats as indented JSON text", () => {
    expect(formatJson({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
  });
});

describe("tableBundle", () => {
  const rows = [
    { day: "2025-11-28", first_time: 41, share: 0.756, note: "<b>&</b>" },
    { day: "2025-11-29", first_time: 7, share: 1 / 3, note: null },
    { day: "2025-11-30", first_time: 12, share: 0.5, note: "x" },
  ];

  it("makes an escaped HTML table with no styles and an aligned text table", () => {
    const b = tableBundle(rows, { maxRows: 2 });
    expect(Object.keys(b)).toEqual(["text/html", "text/plain"]);
    expect(b["text/html"]).toContain("<th>first_time</th>");
    expect(b["text/html"]).toContain("<td>&lt;b&gt;&amp;&lt;/b&gt;</td>");
    expect(b["text/html"]).not.toMatch(/style=|<b>/);
    expect(b["text/html"]).toContain('<td colspan="4">… 1 more row</td>');
    expect(b["text/plain"]).toBe([
      "day         first_time  share  note",
      "----------  ----------  -----  --------",
      "2025-11-28          41   0.76  <b>&</b>",
      "2025-11-29           7   0.33",
      "… 1 more row",
    ].join("\n"));
  });

  it("reads a danfo-like DataFrame, with a column selection, and reports unknown columns", () => {
    const df = { columns: ["a", "b"], values: [[1, new Date("2025-11-28T00:00:00Z")], [2, new Date("2025-11-28T05:00:00Z")]] };
    expect(tableBundle(df, { columns: ["b"] })["text/plain"]).toBe("b\n------------------------\n2025-11-28\n2025-11-28T05:00:00.000Z");
    expect(() => tableBundle(df, { columns: ["zzz"] })).toThrow(/no column "zzz" \(it has a, b\)/);
    expect(tableBundle({ columns: ["only"], values: [3, 4] })["text/plain"]).toBe("only\n----\n   3\n   4");
  });

  it("escapes quotes too", () => {
    expect(escapeHtml(`"'`)).toBe("&quot;&#39;");
  });
});

describe("figureBundle", () => {
  const fig: Figure = {
    data: [{ type: "bar", x: ["Fri", "Sat"], y: [41, 37], name: "first-time" }, { type: "bar", x: ["Fri", "Sat"], y: [12, 9], name: "returning </script>" }],
    layout: { title: { text: "Orders per day" }, barmode: "stack" },
  };

  it("has plotly JSON, a loader in HTML and a plain-text fallback", () => {
    const b = figureBundle(fig);
    expect(Object.keys(b)).toEqual([PLOTLY_MIME, "text/html", "text/plain"]);
    expect(b[PLOTLY_MIME]).toEqual({ data: fig.data, layout: fig.layout, config: {} });
    expect(b["text/plain"]).toBe("Figure: Orders per day (2 traces)");
    expect(typeof b[PLOTLY_MIME]).toBe("object"); // nbformat and renderers want the JSON itself, not a string
  });

  it("is byte-identical for the same figure, and differs for another", () => {
    expect(figureBundle(fig)).toEqual(figureBundle(JSON.parse(JSON.stringify(fig)) as Figure));
    const other = figureBundle({ ...fig, layout: { title: { text: "Other" } } });
    const id = (html: unknown) => /id="(plotly-[0-9a-f]{16})"/.exec(String(html))?.[1];
    expect(id(other["text/html"])).toBeDefined();
    expect(id(other["text/html"])).not.toBe(id(figureBundle(fig)["text/html"]));
    expect(figureBundle(fig)["text/html"]).not.toMatch(/Math\.random|Date\.now/);
  });

  it("pins the CDN URL to the installed plotly.js-dist version", () => {
    const version = (createRequire(__filename)("plotly.js-dist/package.json") as { version: string }).version;
    expect(plotlyCdnUrl()).toBe(`https://cdn.jsdelivr.net/npm/plotly.js-dist-min@${version}/plotly.min.js`);
  });

  it("loader: window.Plotly first, then RequireJS with a shim, else one shared injected script awaited before drawing", () => {
    const html = String(figureBundle(fig)["text/html"]);
    const script = /<script type="text\/javascript">([\s\S]*)<\/script>$/.exec(html)?.[1] ?? "";
    expect(script).not.toBe("");
    expect(script).not.toContain("</script"); // the trace name's "</script>" is escaped
    const order = ["if (window.Plotly)", "window.requirejs.config", "window.__klaviyoGuidesPlotly = new Promise", "loading.then(draw, fail)"].map((s) => script.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(script).toContain(`paths: { "klaviyo-guides-plotly": "${plotlyCdnUrl().replace(/\.js$/, "")}" }`);
    expect(script).toContain('shim: { "klaviyo-guides-plotly": { exports: "Plotly" } }');
    expect(script).toContain("s.onload = function () { resolve(window.Plotly); }");
    expect(() => new Function(script)).not.toThrow(); // parses as JavaScript
  });

  it("leaves a slot for the static image inside the chart's div, before the script", () => {
    const html = String(figureBundle(fig)["text/html"]);
    expect(html).toMatch(new RegExp(`^<div id="plotly-[0-9a-f]{16}" class="plotly-graph-div">${STATIC_IMAGE_SLOT}</div>\n<script`));
  });

  it("draws with a fake browser where Plotly is already on the page", async () => {
    const html = String(figureBundle(fig)["text/html"]);
    const script = /<script type="text\/javascript">([\s\S]*)<\/script>$/.exec(html)?.[1] ?? "";
    const removed: unknown[] = [];
    const staticImage = { tag: "img" };
    const div = {
      id: /id="([^"]+)"/.exec(html)?.[1],
      firstChild: staticImage as unknown,
      removeChild(child: unknown) {
        removed.push(child);
        this.firstChild = null;
      },
    };
    const calls: unknown[][] = [];
    const window = { Plotly: { newPlot: (...args: unknown[]) => { calls.push(args); return Promise.resolve(); } } };
    const document = { currentScript: { previousElementSibling: div }, getElementById: () => null };
    new Function("window", "document", script)(window, document);
    expect(calls).toHaveLength(1);
    expect(removed).toEqual([staticImage]); // the static image makes way for the live chart
    expect(calls[0][0]).toBe(div);
    expect(calls[0][2]).toEqual(fig.layout);
  });
});

describe("displayBundle", () => {
  it("prints text/plain outside tslab", () => {
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    expect(inNotebook()).toBe(false);
    displayBundle({ "text/html": "<b>x</b>", "text/plain": "x" });
    expect(out).toHaveBeenCalledWith("x\n");
  });

  it("sends one multi-mime display_data through tslab's writer inside a kernel", () => {
    const jupyter = createRequire(__filename)("tslab/dist/jupyter") as { lastWriteDisplayData: unknown };
    const sent: unknown[] = [];
    jupyter.lastWriteDisplayData = (d: unknown, update: boolean) => sent.push([d, update]);
    try {
      expect(inNotebook()).toBe(true);
      displayBundle({ "text/html": "<b>x</b>", "text/plain": "x" });
      expect(sent).toEqual([[{ data: { "text/html": "<b>x</b>", "text/plain": "x" }, metadata: {}, transient: {} }, false]]);
    } finally {
      jupyter.lastWriteDisplayData = null;
    }
  });
});
