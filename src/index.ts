/**
 * "klaviyo-guides": the helpers the guide notebooks import by package name.
 * Connection and modes come first; each other concern lives in its own module.
 */
export { connect, disconnect, type Connection } from "./connect";
export type { Guide, Mode } from "./config";
export { redactHeaders, type WriteResult } from "./write-guard";
export { FixtureMissingError, MissingKeyError, WriteBlockedError, type BlockedRequest, type RequestSummary } from "./errors";
export * from "./pagination";
export * from "./filters";
export * from "./rate-limits";
export * from "./display/index";
export * from "./analysis";
export * from "./client-side/index";
export * from "./validation";
export * from "./api-errors";
export * from "./server-side/index";
