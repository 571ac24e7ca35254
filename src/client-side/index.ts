/**
 * Client-side requests (`/client/*`, public key only): wire types, body builders and the requester.
 * `connect()` binds a `ClientApi` to the guide's account as `kv.client`.
 */
export * from "./wire";
export * from "./bodies";
export * from "./send";
