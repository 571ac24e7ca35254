#!/usr/bin/env node
// The command the project's tslab kernelspec starts (set up by tools/setup/setup.mjs): tslab itself,
// made cheaper in two ways that change nothing it prints:
// - the lighter program builder of ./light-builder.cjs, which makes each cell's type-check cheaper
//   (KLAVIYO_GUIDES_TSLAB_BUILDER=stock leaves tslab's own);
// - a later tier-up to V8's optimising compiler (KLAVIYO_GUIDES_V8_TIERING=default leaves V8's).
// The benchmark (tools/bench/runner.ts) compares them with tslab as shipped.
"use strict";

const v8 = require("node:v8");
const { installLightBuilder } = require("./light-builder.cjs");

/**
 * The V8 release the budget below was measured on (Node 20's); with any other, V8's default stays.
 * Its tiering flags change meaning between releases.
 */
const TIERING_TESTED_V8 = "11.3";

/**
 * How much a function runs (V8 counts bytecodes executed) before V8 considers optimising it;
 * V8 11.3's default is 132 KB. A kernel spends most of its time in TypeScript's compiler, whose
 * code V8 starts afresh in every kernel: with the default, V8 optimises so many of its functions
 * that the background compiling threads take about 40 % of the kernel's CPU. With this budget the
 * guides' run uses about a sixth less CPU, its wall time within noise (`npm run bench` prints both).
 */
const INTERRUPT_BUDGET = 600_000;

/**
 * Raise V8's tier-up budget for what this process compiles from now on. Returns why not when this
 * V8 is not the measured release.
 * @returns {string | undefined}
 */
function delayTierUp() {
  if (!process.versions.v8.startsWith(`${TIERING_TESTED_V8}.`)) {
    return `V8 ${process.versions.v8} (the tier-up budget was measured on V8 ${TIERING_TESTED_V8})`;
  }
  v8.setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  return undefined;
}

if (process.env.KLAVIYO_GUIDES_V8_TIERING !== "default") {
  const skipped = delayTierUp();
  if (skipped) console.error(`tslab-kernel: V8's default tier-up: ${skipped}`);
}
if (process.env.KLAVIYO_GUIDES_TSLAB_BUILDER !== "stock") {
  const skipped = installLightBuilder();
  if (skipped) console.error(`tslab-kernel: running tslab as shipped: ${skipped}`);
}
require("tslab/dist/main.js").main();
