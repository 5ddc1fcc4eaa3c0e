import type { BenchResult } from './benchmark.js';
import type { Machine } from './env.js';
import type { Stats } from './measure.js';

/** The human-readable report: one block per benchmark, aligned columns. */

export interface Report {
  machine: Machine;
  bpftool: string;
  quick: boolean;
  results: BenchResult[];
}

function ms(v: number | undefined): string {
  if (v === undefined) return '-';
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function times(r: number): string {
  return `${r.toFixed(2)}x`;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  // First column left-aligned (names), numbers right-aligned.
  const line = (cells: string[]): string =>
    '  ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

function spread(s: Stats): string {
  return `${ms(s.min)}..${ms(s.max)}`;
}

export function formatReport(rep: Report): string {
  const m = rep.machine;
  const out: string[] = [];
  out.push(`bpfkit benchmarks${rep.quick ? ' (--quick)' : ''}`);
  out.push(`machine: ${m.cpus} x ${m.cpuModel}, ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}`);
  out.push(`bpftool: ${rep.bpftool}`);
  out.push(
    `load average (1 min): ${m.loadStart.toFixed(2)} at start, ${m.loadEnd?.toFixed(2) ?? '?'} at end` +
      ' (anything else running on the machine adds noise; commands are interleaved so it hits both sides)',
  );
  out.push('times are wall-clock milliseconds; ratio = bpfkit / bpftool (> 1: bpfkit slower)');
  for (const r of rep.results) {
    out.push('');
    out.push(`## ${r.id}: ${r.title}`);
    if (r.input !== undefined) out.push(`input: ${r.input}`);
    if (r.singles.length > 0) {
      out.push(
        ...table(
          ['case', 'median', 'min', 'first run', 'min..max', 'runs'],
          r.singles.map((s) => [s.case, ms(s.stats.median), ms(s.stats.min), ms(s.stats.first), spread(s.stats), String(s.stats.runs)]),
        ),
      );
      for (const s of r.singles) if (s.note !== undefined) out.push(`  ${s.case}: ${s.note}`);
    }
    if (r.pairs.length > 0) {
      if (r.singles.length > 0) out.push('');
      out.push(
        ...table(
          ['case', 'bpfkit median', 'bpfkit min', 'bpftool median', 'bpftool min', 'ratio median', 'ratio min', 'runs'],
          r.pairs.map((p) => [
            p.case,
            ms(p.ours.stats.median),
            ms(p.ours.stats.min),
            ms(p.theirs.stats.median),
            ms(p.theirs.stats.min),
            times(p.ratio.median),
            times(p.ratio.min),
            `${p.ours.stats.runs}+${p.theirs.stats.runs}`,
          ]),
        ),
      );
    }
    for (const s of r.skipped) out.push(`  skipped ${s.case}: ${s.reason}`);
    for (const w of r.warnings) out.push(`  WARNING: ${w}`);
  }
  return out.join('\n') + '\n';
}
