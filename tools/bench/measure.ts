/** Figures the benchmarks share: medians, and the CPU time Linux reports for finished children. */
import * as fs from "node:fs";

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * CPU seconds used so far by this process's finished children and everything they waited for
 * (cutime + cstime of /proc/self/stat, in Linux's fixed 100 ticks per second); undefined elsewhere.
 */
export function childrenCpuSeconds(): number | undefined {
  try {
    const stat = fs.readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}
