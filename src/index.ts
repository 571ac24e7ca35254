/**
 * "klaviyo-guides": the helpers the guide notebooks import by package name.
 * Connection and modes come first; each other concern lives in its own module.
 */
export { connect, disconnect, type Connection } from "./connect";
export type { Mode } from "./config";
export type { Guide } from "./guides";
export { redactHeaders, type WriteResult } from "./write-guard";
export { GuideError, FixtureInvalidError, FixtureMissingError, MissingKeyError, WriteBlockedError, type BlockedRequest, type RequestSummary } from "./errors";
export * from "./pagination";
export * from "./filters";
export * from "./rate-limits";
export * from "./retry";
export * from "./display";
export * from "./analysis";
export * from "./client-side";
export * from "./api-errors";
export { STEP_FAILED, STEP_SKIPPED, type Steps, type StepOptions } from "./steps";
export { guideParams, paramVariable, type ParamValue } from "./params";
export * from "./aggregates";
export * from "./sweeps";
export * from "./server-side";
export * from "./reporting";
export { csvText, type CsvRow } from "./csv";
export { OPERATIONS, scopesFor, type OperationFacts, type OperationId } from "./operations";
export { CONSENT_CHANNELS, consentChannelTable, type ChannelParameters, type ConsentChannels, type ConsentOperationId } from "./consent-channels";
export type { Clock } from "./clock";
