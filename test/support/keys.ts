/**
 * The private keys tests use, each defined once.
 *
 * - `STAND_IN_PRIVATE_KEY` (tools/standin/guide-settings.ts) for a request to the local stand-in,
 *   which checks only the `pk_` shape.
 * - `REAL_LOOKING_KEY` where a test must prove that a key never reaches an output, a fixture or a
 *   printed request: shaped like a real one (`pk_` and 30 letters and digits), so the redaction and
 *   scrubbing patterns meet what they exist for. It is split in the source so that a scan for
 *   committed keys does not mistake the test for a leak.
 */
export { STAND_IN_PRIVATE_KEY } from "../../tools/standin/guide-settings";

export const REAL_LOOKING_KEY = "pk_" + "Mn1Bv2Cx3Zl4Kj5Hg6Fd7Sa8Po9Iu0";
