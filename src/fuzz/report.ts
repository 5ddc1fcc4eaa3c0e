/**
 * Formatting a tally for people: the summary table main.ts prints and the
 * reproduction lines for each distinct bug. Presentation only; nothing here
 * feeds back into a run.
 */
import type { Failure, Tally } from './tally.js';
import { TARGETS, isBug, type Outcome } from './targets.js';

/** Error codes seen across all targets. */
export function codesSeen(t: Tally): string[] {
  const out = new Set<string>();
  for (const per of Object.values(t.targets)) {
    for (const k of Object.keys(per)) if (k !== 'ok' && !isBug(k as Outcome)) out.add(k);
  }
  return [...out].sort();
}

/** A readable tally: outcomes per case, per entry point, per mutator. */
export function formatTally(t: Tally): string {
  const lines: string[] = [];
  const rate = t.elapsedMs > 0 ? (t.cases / t.elapsedMs) * 1000 : 0;
  lines.push(
    `fuzz: ${t.cases} cases, seed ${t.seed} (0x${t.seed.toString(16)}), ${(t.elapsedMs / 1000).toFixed(1)} s, ${rate.toFixed(0)} cases/s`,
  );
  lines.push(`subjects: elf ${t.subjects.elf}, raw btf ${t.subjects.btf}, raw btf.ext ${t.subjects.btfext}`);
  lines.push('');
  lines.push('outcome per case');
  const outcomes = Object.entries(t.outcomes).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0));
  for (const [k, v] of outcomes) {
    lines.push(`  ${(isBug(k as Outcome) ? k + ' (BUG)' : k).padEnd(18)} ${String(v).padStart(9)}  ${pct(v ?? 0, t.cases)}`);
  }
  lines.push('');
  const cols = ['ok', ...new Set(Object.values(t.targets).flatMap((p) => Object.keys(p)).filter((k) => k !== 'ok'))];
  lines.push('per entry point');
  lines.push('  ' + 'target'.padEnd(16) + cols.map((c) => c.padStart(13)).join('') + '  time (s)'.padStart(11));
  for (const target of TARGETS) {
    const per = t.targets[target];
    if (Object.keys(per).length === 0) continue;
    const time = (t.targetMs[target] / 1000).toFixed(1).padStart(11);
    lines.push('  ' + target.padEnd(16) + cols.map((c) => String(per[c as Outcome] ?? 0).padStart(13)).join('') + time);
  }
  lines.push('');
  lines.push('per mutator          cases     all ok   bugs');
  for (const [m, v] of Object.entries(t.mutators).sort()) {
    lines.push(`  ${m.padEnd(16)} ${String(v.cases).padStart(9)} ${String(v.ok).padStart(10)} ${String(v.bugs).padStart(6)}`);
  }
  lines.push('');
  if (t.slowest !== undefined) {
    lines.push(`slowest case: #${t.slowest.index} ${t.slowest.ms.toFixed(1)} ms (${t.slowest.subject}, ${t.slowest.mutators})`);
  }
  if (t.maxAllocated !== undefined) {
    lines.push(`largest memory growth in one case: ${(t.maxAllocated.bytes / 2 ** 20).toFixed(1)} MiB (#${t.maxAllocated.index})`);
  }
  lines.push(`RSS: ${(t.startRss / 2 ** 20).toFixed(0)} MiB at start, ${(t.peakRss / 2 ** 20).toFixed(0)} MiB peak`);
  lines.push(`error codes seen: ${codesSeen(t).join(', ') || '(none)'}`);
  lines.push('');
  if (t.bugs === 0) {
    lines.push('no bugs: every entry point returned or threw BpfkitError');
  } else {
    lines.push(`${t.bugs} BUG outcome(s), ${t.failures.length} distinct (first example of each):`);
    for (const f of t.failures) lines.push(formatFailure(f));
  }
  return lines.join('\n');
}

export function formatFailure(f: Failure): string {
  const out = [
    `- ${f.outcome} in ${f.target} (${f.count}x): case #${f.index}, ${f.subject}, mutators ${f.mutators}`,
    `    reproduce: node dist/fuzz/main.js --seed ${f.seed} --case ${f.index} [--write FILE]`,
    `    ${f.message}`,
  ];
  if (f.note !== undefined) out.push(`    (${f.note})`);
  if (f.stack !== undefined) out.push(...f.stack.split('\n').slice(1, 9).map((l) => `    ${l.trim()}`));
  return out.join('\n');
}

function pct(n: number, of: number): string {
  return of > 0 ? `${((n / of) * 100).toFixed(2)}%` : '';
}
