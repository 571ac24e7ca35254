/**
 * Retrying, in one engine: the loop, its attempts and their description (`engine.ts`), the limits
 * shared with the SDK's own retry policy (`policy.ts`), and raw `fetch` through the engine
 * (`fetch.ts`). SDK calls come through it as `withRetry` (src/server-side/retry.ts).
 */
export * from "./engine";
export * from "./policy";
export * from "./fetch";
