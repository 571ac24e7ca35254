/**
 * Client-side requests (`/client/*`, public key only): wire types, body builders, the checks made
 * before sending (and the spec limits they enforce) and the requester.
 * `connect()` binds a `ClientApi` to the guide's account as `kv.client`.
 */
export * from "./wire";
export * from "./bodies";
export * from "./validation";
export * from "./send";
