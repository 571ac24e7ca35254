#!/usr/bin/env node
// The command the project's tslab kernelspec starts (set up by scripts/setup.mjs): tslab itself,
// with the lighter program builder of ./light-builder.cjs, which makes each cell's type-check
// cheaper and changes nothing it prints. KLAVIYO_GUIDES_TSLAB_BUILDER=stock runs tslab as shipped
// (the benchmark compares the two).
"use strict";

const { installLightBuilder } = require("./light-builder.cjs");

if (process.env.KLAVIYO_GUIDES_TSLAB_BUILDER !== "stock") {
  const skipped = installLightBuilder();
  if (skipped) console.error(`tslab-kernel: running tslab as shipped: ${skipped}`);
}
require("tslab/dist/main.js").main();
