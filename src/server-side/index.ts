/**
 * Server-side requests (`/api/*`, private key): the plumbing the server-side guide would otherwise
 * repeat in its cells: polling a bulk job, pacing a backfill, retrying what the SDK does not.
 */
export * from "./jobs";
export * from "./pacing";
export * from "./retry";
