#!/usr/bin/env node
// The command the project's tslab kernelspec starts (set up by tools/setup/setup.mjs): tslab itself,
// with a later tier-up to V8's optimising compiler on Node 20 (KLAVIYO_GUIDES_V8_TIERING=default
// leaves V8's). What tslab compiles and prints is unchanged. The other half of the kernel's speed is
// not here: the set-up bundles klaviyo-api's declarations into one file
// (./klaviyo-declarations.mjs). The benchmark (tools/bench/kernel.ts) compares with tslab as shipped.
"use strict";

const v8 = require("node:v8");

/**
 * The V8 release the budget below was measured on (Node 20's); with any other, V8's default stays.
 * Its tiering flags change meaning between releases.
 */
const TIERING_TESTED_V8 = "11.3";

/**
 * How much a function runs (V8 counts bytecodes executed) before V8 considers optimising it;
 * V8 11.3's default is 132 KB. A kernel spends most of its time in TypeScript's compiler, whose
 * code V8 starts afresh in every kernel: with the default, V8 optimises so many of its functions
 * that its background compiling threads take about a fifth of the kernel's CPU. With this budget,
 * and klaviyo-api's declarations in one file, the guides' run used 22 % less CPU and 21 % less wall
 * time on a loaded two-core machine (`npm run bench` prints both).
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
require("tslab/dist/main.js").main();
