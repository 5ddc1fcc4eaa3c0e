import type { CoreRelocResult } from './relocate.js';

/** A JSON-safe number: exact up to 2^53, a decimal string beyond. */
function num(v: bigint): number | string {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

/** One relocation as `bpfkit core --json` prints it. */
export interface CoreReportEntry {
  program: string;
  section: string;
  relo: number;
  insn: number;
  kind: string;
  localSpec: string | null;
  candidate: string | null;
  orig: number | string;
  value: number | string;
  poisoned: boolean;
  reason: string | null;
  error: string | null;
}

export function coreReport(results: readonly CoreRelocResult[]): CoreReportEntry[] {
  return results.map((r) => ({
    program: r.program,
    section: r.section,
    relo: r.relo,
    insn: r.insn,
    kind: r.kind,
    localSpec: r.localSpec ?? null,
    candidate: r.candidate ?? null,
    orig: num(r.orig),
    value: num(r.value),
    poisoned: r.poisoned,
    reason: r.reason ?? null,
    error: r.error?.message ?? null,
  }));
}

/** One line per relocation, libbpf's notation for specs. */
export function formatCoreReport(entries: readonly CoreReportEntry[]): string {
  const out: string[] = [];
  for (const e of entries) {
    const head = `prog '${e.program}': relo #${e.relo}: insn #${e.insn} ${e.kind}: ${e.localSpec ?? '(no local spec)'}`;
    let result: string;
    if (e.error !== null) result = `error: ${e.error}`;
    else if (e.poisoned) result = `poisoned: ${e.reason ?? 'no matching target'}`;
    else result = `-> ${e.candidate ?? '(local)'}: ${e.orig} -> ${e.value}`;
    out.push(`${head}\n    ${result}`);
  }
  const poisoned = entries.filter((e) => e.poisoned).length;
  const failed = entries.filter((e) => e.error !== null).length;
  out.push(`${entries.length} relocations: ${entries.length - poisoned - failed} resolved, ${poisoned} poisoned, ${failed} failed`);
  return out.join('\n') + '\n';
}
