/**
 * Sets every variable connect() reads, blanking the ones not given: a developer's own `.env`
 * (dotenv never overrides a variable that is set, even to "") cannot leak into a test.
 */
import { vi } from "vitest";

const VARIABLES = [
  "KLAVIYO_MODE", "KLAVIYO_PRIVATE_KEY", "KLAVIYO_PUBLIC_KEY", "KLAVIYO_BASE_URL",
  "KLAVIYO_FIXTURES_DIR", "KLAVIYO_ALLOW_WRITES", "KLAVIYO_CLOCK",
] as const;
export type GuideVariable = (typeof VARIABLES)[number];

export function guideEnv(values: Partial<Record<GuideVariable, string>>): void {
  for (const name of VARIABLES) vi.stubEnv(name, values[name] ?? "");
}
