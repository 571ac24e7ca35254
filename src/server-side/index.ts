/**
 * Server-side requests (`/api/*`, private key): the plumbing the server-side guide would otherwise
 * repeat in its cells: polling a bulk job, pacing a backfill, retrying what the SDK does not,
 * deciding whether the revenue mapping is the guide's to change.
 */
export * from "./jobs";
export * from "./pacing";
export * from "./retry";
export * from "./revenue-mapping";
