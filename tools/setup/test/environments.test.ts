/**
 * The places that say what the guides run with agree: package.json's `engines` (the Node lines that
 * are tested), CI's Node (.ci/run), the set-up's minimum Node and Python (tools/setup/setup.mjs),
 * the dev container (.devcontainer/devcontainer.json) and Binder (binder/). They are JSON, shell and
 * a dependency-free script, so none can import the others' facts: this test holds them together.
 */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { LAB_CONFIG_DIR, PROJECT_ROOT, VENV_JUPYTER_DATA } from "../../paths";

const read = (file: string) => readFileSync(join(PROJECT_ROOT, file), "utf8");

/** The Node majors `engines.node` lists, written as `20 || 22 || 24`. */
function engineMajors(): number[] {
  const range = (JSON.parse(read("package.json")) as { engines: { node: string } }).engines.node;
  const majors = range.split("||").map((part) => part.trim());
  expect(majors.every((m) => /^\d+$/.test(m)), `engines.node is "${range}"; list the tested majors as "20 || 22 || 24"`).toBe(true);
  return majors.map(Number);
}

/** A constant of tools/setup/setup.mjs (a script that runs when imported, so it is read, not imported). */
function setupConstant(name: string): number[] {
  const match = new RegExp(`const ${name} = \\[?([\\d, ]+)\\]?;`).exec(read("tools/setup/setup.mjs"));
  expect(match, `tools/setup/setup.mjs no longer defines ${name}`).not.toBeNull();
  return match![1].split(",").map(Number);
}

/** devcontainer.json, whose format allows whole-line `//` comments. */
function devContainer(): {
  image: string;
  features: Record<string, { version?: string }>;
  postCreateCommand: string;
  forwardPorts: number[];
  portsAttributes: Record<string, { label?: string }>;
  customizations: { vscode: { extensions: string[] } };
} {
  return JSON.parse(read(".devcontainer/devcontainer.json").replace(/^\s*\/\/.*$/gm, ""));
}

const atLeast = (version: number[], minimum: number[]) => {
  const differs = minimum.findIndex((part, i) => (version[i] ?? 0) !== part);
  return differs < 0 || (version[differs] ?? 0) > minimum[differs];
};

describe("what the guides run with", () => {
  it("CI runs the suite on the newest Node line engines lists and checks the guides on another, and the set-up refuses only what is below the oldest", () => {
    const majors = engineMajors();
    const ciMajor = (name: string) => Number(new RegExp(`^${name}=(\\d+)$`, "m").exec(read(".ci/run"))?.[1]);
    expect(ciMajor("CI_NODE_MAJOR")).toBe(Math.max(...majors));
    expect(majors).toContain(ciMajor("CHECK_NODE_MAJOR"));
    expect(ciMajor("CHECK_NODE_MAJOR")).not.toBe(ciMajor("CI_NODE_MAJOR"));
    expect(setupConstant("MIN_NODE")).toEqual([Math.min(...majors)]);
  });

  it("the dev container has a tested Node, a Python the set-up accepts, the set-up as its create command and JupyterLab's port", () => {
    const config = devContainer();
    expect(engineMajors()).toContain(Number(config.features["ghcr.io/devcontainers/features/node:1"]?.version));
    // The image's Python line (its newest patch release): 1-3.11-bookworm is 3.11.
    const python = /python:\d+-(\d+)\.(\d+)-/.exec(config.image);
    expect(python, `${config.image} names no Python line`).not.toBeNull();
    expect(atLeast([Number(python![1]), Number(python![2]), Infinity], setupConstant("MIN_PYTHON"))).toBe(true);
    expect(config.postCreateCommand).toBe("npm run setup");
    expect(config.forwardPorts).toContain(8888);
    expect(config.portsAttributes["8888"]?.label).toBe("JupyterLab");
    expect(config.customizations.vscode.extensions).toContain("ms-toolsai.jupyter");
  });

  it("Binder builds with the set-up, on a Python line it accepts, and starts Jupyter with the project's kernels and lab defaults", () => {
    const python = /^python-(\d+)\.(\d+)$/.exec(read("binder/runtime.txt").trim());
    expect(python, "binder/runtime.txt is python-X.Y").not.toBeNull();
    expect(atLeast([Number(python![1]), Number(python![2]), Infinity], setupConstant("MIN_PYTHON"))).toBe(true);
    const postBuild = read("binder/postBuild");
    // repo2docker ignores a failing postBuild command unless the script stops on it.
    expect(postBuild).toMatch(/^set -euo pipefail$/m);
    expect(postBuild).toMatch(/^npm run setup$/m);
    const start = read("binder/start");
    expect(start).toContain(`export JUPYTER_PATH="$repo/${relative(PROJECT_ROOT, VENV_JUPYTER_DATA)}`);
    expect(start).toContain(`export JUPYTER_CONFIG_PATH="$repo/${relative(PROJECT_ROOT, LAB_CONFIG_DIR)}`);
    expect(start.trim().split("\n").pop()).toBe('exec "$@"');
  });
});
