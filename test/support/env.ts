/**
 * Sets every variable connect() reads, blanking the ones not given: a developer's own `.env`
 * (dotenv never overrides a variable that is set, even to "") cannot leak into a test.
 */
import { vi } from "vitest";
import { SETTINGS, type SettingVariable } from "../../src/settings";

export type GuideVariable = SettingVariable;

export function guideEnv(values: Partial<Record<GuideVariable, string>>): void {
  for (const name of Object.values(SETTINGS)) vi.stubEnv(name, values[name] ?? "");
}
