/**
 * What a few tests need from the machine beyond the project, and how such a test skips without it:
 * with a note saying what is missing and how to get it, which `npm test` repeats in its closing
 * line (test/support/skip-summary.ts). On a set-up checkout these are the only reasons to skip.
 */
import type { TestContext } from "vitest";
import { findBrowser } from "../../tools/chromium";
import { DOCUMENT_HINT, findDocument } from "../../tools/spec/project";

export interface Requirement {
  /** Whether this machine has it. */
  present: boolean;
  /** "needs WHAT: HOW", the skip note. */
  note: string;
}

/**
 * Headless Chromium: the browser tests and the chart images. CI installs it, and fails when the
 * closing line still says "[needs Chromium" (.ci/run).
 */
export const CHROMIUM: Requirement = {
  present: findBrowser() !== null,
  note: "needs Chromium: install Debian's chromium or set CHROMIUM_PATH",
};

/** Klaviyo's whole OpenAPI document: only to check that the committed subset is what it gives. */
export const OPENAPI_DOCUMENT: Requirement = {
  present: findDocument() !== undefined,
  note: `needs Klaviyo's OpenAPI document: ${DOCUMENT_HINT}`,
};

/**
 * Skips the running test, with the requirement's note, when the machine lacks it; in a
 * `beforeEach`, skips every test of the block.
 */
export function skipWithout(context: TestContext, requirement: Requirement): void {
  if (!requirement.present) context.skip(requirement.note);
}
