import type { CoreRelocResult } from './relocate.js';
import type { Reachability } from './reach.js';

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
  /** For a poisoned instruction: whether the verifier can reach it once
   * the other relocations are applied (see reach.ts); null otherwise or
   * when reachability was not computed. */
  reachable: boolean | null;
  reason: string | null;
  error: string | null;
}

export function coreReport(results: readonly CoreRelocResult[], reach?: Reachability): CoreReportEntry[] {
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
    reachable: r.poisoned && reach !== undefined ? reach.reachable(r.sectionIndex, r.slot) : null,
    reason: r.reason ?? null,
    error: r.error?.message ?? null,
  }));
}

/** What makes `bpfkit core` fail: relocations libbpf would refuse, and
 * poisoned instructions the verifier would reach. */
export function coreFailures(entries: readonly CoreReportEntry[]): CoreReportEntry[] {
  return entries.filter((e) => e.error !== null || (e.poisoned && e.reachable !== false));
}

/** One line per relocation, libbpf's notation for specs, then a summary. */
export function formatCoreReport(entries: readonly CoreReportEntry[]): string {
  const out: string[] = [];
  for (const e of entries) {
    const head = `prog '${e.program}': relo #${e.relo}: insn #${e.insn} ${e.kind}: ${e.localSpec ?? '(no local spec)'}`;
    let result: string;
    if (e.error !== null) result = `error: ${e.error}`;
    else if (e.poisoned) {
      const where = e.reachable === true ? ' (reachable)' : e.reachable === false ? ' (unreachable after relocation)' : '';
      result = `poisoned${where}: ${e.reason ?? 'no matching target'}`;
    } else result = `-> ${e.candidate ?? '(local)'}: ${e.orig} -> ${e.value}`;
    out.push(`${head}\n    ${result}`);
  }
  const poisoned = entries.filter((e) => e.poisoned).length;
  const failed = entries.filter((e) => e.error !== null).length;
  const reachable = entries.filter((e) => e.poisoned && e.reachable === true).length;
  out.push(
    `${entries.length} relocations: ${entries.length - poisoned - failed} resolved, ${poisoned} poisoned` +
      ` (${reachable} reachable), ${failed} failed`,
  );
  const failures = coreFailures(entries);
  if (failures.length > 0) {
    out.push(`FAIL: ${failures.length} relocation${failures.length === 1 ? '' : 's'} would make the load fail:`);
    for (const e of failures) {
      out.push(`  prog '${e.program}' insn #${e.insn}: ${e.error !== null ? e.error : `${e.kind} poisoned: ${e.reason ?? 'no matching target'}`}`);
    }
  }
  return out.join('\n') + '\n';
}
