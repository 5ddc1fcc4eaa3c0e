/**
 * The portability matrix: every object relocated against every target
 * kernel, answering "on which kernels does this object load?" without
 * loading anything.
 *
 * A cell fails when a relocation cannot be resolved at all (libbpf refuses
 * the object) or when a poisoned instruction is reachable (the verifier
 * refuses the program). Poisoned instructions behind guards that resolve
 * to "absent" on that kernel are fine, as they are in the kernel.
 */
import type { Btf } from '../btf/index.js';
import { BpfkitError } from '../internal/errors.js';
import type { BpfObject } from '../object/index.js';
import { checkCore } from './check.js';
import { coreFailures, type CoreReportEntry } from './report.js';
import type { CoreTarget } from './targets.js';

export interface MatrixObject {
  name: string;
  obj: BpfObject;
}

export interface MatrixCell {
  object: string;
  target: string;
  relocations: number;
  poisoned: number;
  /** Poisoned instructions the verifier would reach. */
  reachablePoisoned: number;
  /** Relocations libbpf would refuse outright (ambiguity, bad records). */
  errors: number;
  ok: boolean;
  /** The relocations that make this cell fail. */
  failures: CoreReportEntry[];
  /** Set when the target could not be read: every cell of it fails. */
  targetError?: string;
}

export interface MatrixResult {
  objects: string[];
  targets: string[];
  cells: MatrixCell[];
}

export interface MatrixOptions {
  /** Base BTF for split (module) targets. */
  base?: Btf;
  /** Reads a target (tests inject; default: loadBtf). */
  load: (t: CoreTarget, base: Btf | undefined) => Btf;
  /** Called after each target with the number done so far. */
  onProgress?: (done: number, total: number, current: string) => void;
}

export function coreMatrix(objects: readonly MatrixObject[], targets: readonly CoreTarget[], opts: MatrixOptions): MatrixResult {
  const cells: MatrixCell[] = [];
  targets.forEach((t, ti) => {
    let btf: Btf | undefined;
    let targetError: string | undefined;
    try {
      btf = opts.load(t, opts.base);
    } catch (e) {
      if (!(e instanceof BpfkitError)) throw e;
      targetError = e.message;
    }
    for (const o of objects) {
      if (btf === undefined) {
        cells.push({ object: o.name, target: t.name, relocations: 0, poisoned: 0, reachablePoisoned: 0, errors: 0, ok: false, failures: [], targetError });
        continue;
      }
      const report = checkCore(o.obj, btf);
      const failures = coreFailures(report);
      cells.push({
        object: o.name,
        target: t.name,
        relocations: report.length,
        poisoned: report.filter((e) => e.poisoned).length,
        reachablePoisoned: report.filter((e) => e.poisoned && e.reachable === true).length,
        errors: report.filter((e) => e.error !== null).length,
        ok: failures.length === 0,
        failures,
      });
    }
    opts.onProgress?.(ti + 1, targets.length, t.name);
  });
  return { objects: objects.map((o) => o.name), targets: targets.map((t) => t.name), cells };
}

/** The matrix as a text table (one row per kernel, one column per object),
 * then every failing relocation by object and kernel. */
export function formatMatrix(m: MatrixResult): string {
  const cellText = (c: MatrixCell): string => {
    if (c.targetError !== undefined) return 'unreadable';
    if (c.ok) return c.poisoned > 0 ? `ok (${c.poisoned} guarded)` : 'ok';
    return `FAIL (${c.failures.length})`;
  };
  const byKey = new Map(m.cells.map((c) => [`${c.target}\0${c.object}`, c]));
  const header = ['kernel', ...m.objects];
  const rows = m.targets.map((t) => [t, ...m.objects.map((o) => cellText(byKey.get(`${t}\0${o}`)!))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((v, i) => (i === r.length - 1 ? v : v.padEnd(widths[i]!))).join('  ');
  const out = [line(header), ...rows.map(line)];
  const failing = m.cells.filter((c) => !c.ok);
  if (failing.length > 0) {
    out.push('', 'failures:');
    for (const c of failing) {
      if (c.targetError !== undefined) {
        out.push(`  ${c.target}: cannot read the target: ${c.targetError}`);
        continue;
      }
      for (const e of c.failures) {
        const why = e.error !== null ? e.error : `poisoned (reachable): ${e.reason ?? 'no matching target'}`;
        out.push(`  ${c.object} on ${c.target}: prog '${e.program}' relo #${e.relo} insn #${e.insn} ${e.kind} ${e.localSpec ?? ''}: ${why}`);
      }
    }
  }
  const okCount = m.cells.filter((c) => c.ok).length;
  out.push('', `${okCount} of ${m.cells.length} object/kernel pairs load; ${m.cells.length - okCount} fail`);
  return out.join('\n') + '\n';
}
