/**
 * The Reporting API: paced requests (`pacer.ts`) and their answers as rows (`results.ts`).
 */
export * from "./pacer";
export * from "./results";
