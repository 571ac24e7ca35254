import { afterEach, describe, expect, it, vi } from "vitest";
import { createRequire } from "node:module";
import { displayBundle, inNotebook } from "../src/display/mime";
import { formatJson, trimJson } from "../src/display/json";
import { escapeHtml, tableBundle } from "../src/display/table";
import { BASIC_TRACE_TYPES, FALLBACK_WITH_IMAGE, FALLBACK_WITHOUT_IMAGE, PLOTLY_MIME, STATIC_IMAGE_SLOT, figureBundle, plotlyBundleFor, plotlyCdnUrl, type Figure } from "../src/display/plot";

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

  it("pins both CDN URLs to the installed packages, which are the same plotly.js version", () => {
    const req = createRequire(__filename);
    const version = (req("plotly.js-dist/package.json") as { version: string }).version;
    expect((req("plotly.js-basic-dist-min/package.json") as { version: string }).version).toBe(version);
    expect(plotlyCdnUrl()).toBe(`https://cdn.jsdelivr.net/npm/plotly.js-dist-min@${version}/plotly.min.js`);
    expect(plotlyCdnUrl("basic")).toBe(`https://cdn.jsdelivr.net/npm/plotly.js-basic-dist-min@${version}/plotly-basic.min.js`);
  });

  it("loads the basic bundle for basic trace types, the full one as soon as one trace needs it", () => {
    expect(BASIC_TRACE_TYPES).toEqual(["bar", "pie", "scatter"]);
    expect(plotlyBundleFor(fig)).toBe("basic");
    expect(plotlyBundleFor({ data: [{ x: [1], y: [2] }] })).toBe("basic"); // no type: a scatter
    expect(plotlyBundleFor({ data: [{ type: "bar", x: [1], y: [2] }, { type: "heatmap", z: [[1]] }] })).toBe("full");
    expect(String(figureBundle(fig)["text/html"])).toContain(`var url = "${plotlyCdnUrl("basic")}";`);
    const heat = String(figureBundle({ data: [{ type: "heatmap", z: [[1]] }] })["text/html"]);
    expect(heat).toContain(`var url = "${plotlyCdnUrl("full")}";`);
    expect(heat).toContain('paths: { "klaviyo-guides-plotly": ');
  });

  it("loader: a window.Plotly that has the traces first, then RequireJS with a shim, else one shared injected script per bundle", () => {
    const html = String(figureBundle(fig)["text/html"]);
    const script = /<script type="text\/javascript">([\s\S]*)<\/script>$/.exec(html)?.[1] ?? "";
    expect(script).not.toBe("");
    expect(script).not.toContain("</script"); // the trace name's "</script>" is escaped
    const order = ["if (window.Plotly && supports(window.Plotly))", "window.requirejs.config", "loading = all[url] = new Promise", "loading.then(draw, fail)"].map((s) => script.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(script).toContain(`paths: { "klaviyo-guides-plotly-basic": "${plotlyCdnUrl("basic").replace(/\.js$/, "")}" }`);
    expect(script).toContain('shim: { "klaviyo-guides-plotly-basic": { exports: "Plotly" } }');
    expect(script).toContain("s.onload = function () { resolve(window.Plotly); }");
    expect(() => new Function(script)).not.toThrow(); // parses as JavaScript
  });

  it("when plotly.js cannot load, leaves one plain sentence under the image (the reason goes to the console)", async () => {
    const html = String(figureBundle(fig)["text/html"]);
    const script = /<script type="text\/javascript">([\s\S]*)<\/script>$/.exec(html)?.[1] ?? "";
    for (const [hasImage, sentence] of [[true, FALLBACK_WITH_IMAGE], [false, FALLBACK_WITHOUT_IMAGE]] as const) {
      const children: { className: string; textContent: string }[] = [];
      const div = { id: /id="([^"]+)"/.exec(html)?.[1], querySelector: (sel: string) => (sel === "img" && hasImage ? {} : sel === ".chart-note" ? (children[0] ?? null) : null), appendChild: (c: { className: string; textContent: string }) => children.push(c) };
      const head = { appendChild: (s: { onerror: () => void }) => setTimeout(() => s.onerror(), 0) };
      const document = { currentScript: { previousElementSibling: div }, getElementById: () => null, head, createElement: () => ({ className: "", textContent: "" }) };
      const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
      new Function("window", "document", script)({}, document);
      await new Promise((r) => setTimeout(r, 10));
      expect(children.map((c) => [c.className, c.textContent])).toEqual([["chart-note", sentence]]);
      expect(warn).toHaveBeenCalledOnce();
      warn.mockRestore();
    }
    expect(FALLBACK_WITH_IMAGE).not.toMatch(/require|error|http|script/i);
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
    const PlotSchema = { get: () => ({ traces: { bar: {}, pie: {}, scatter: {} } }) };
    const window = { Plotly: { PlotSchema, newPlot: (...args: unknown[]) => { calls.push(args); return Promise.resolve(); } } };
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
