import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resultOnVmlinux, type BenchContext, type BenchResult, type Benchmark } from './benchmark.js';
import type { HeapProbe } from './heap-probe.js';
import { ratio, runAlternating, runOnce, summarize, type Command } from './measure.js';

const probePath = fileURLToPath(new URL('./heap-probe.js', import.meta.url));

/**
 * `bpfkit btf dump` against `bpftool btf dump file`, whole process, raw text
 * and JSON, with stdout to /dev/null and to a regular file. A whole process
 * is what a user runs, so Node's start-up and module loading count.
 */
export const btfDump: Benchmark = {
  id: 'btf-dump',
  title: 'btf dump vmlinux: bpfkit vs bpftool (whole process)',
  run(ctx: BenchContext): BenchResult {
    const { res, present } = resultOnVmlinux(this, ctx);
    if (!present) return res;
    const file = ctx.vmlinux;
    const bpftool = 'path' in ctx.bpftool ? ctx.bpftool.path : undefined;
    if (bpftool === undefined && 'missing' in ctx.bpftool) {
      res.skipped.push({ case: 'bpftool comparison', reason: ctx.bpftool.missing });
    }
    const runs = ctx.runs(15, 5);
    const dir = ctx.tmpDir();

    // `--format ts` has no bpftool counterpart; it is timed beside bpftool's
    // `format c`, the nearest thing (both turn every type into source).
    for (const format of ['c', 'raw', 'json', 'ts'] as const) {
      const ours: Command = {
        label: 'bpfkit',
        file: process.execPath,
        args: [ctx.cli, 'btf', 'dump', file, ...(format === 'json' ? ['--json'] : format === 'raw' ? [] : ['--format', format])],
      };
      const cmds: Command[] = [ours];
      if (bpftool !== undefined) {
        cmds.push({
          label: 'bpftool',
          file: bpftool,
          args: [...(format === 'json' ? ['-j'] : []), 'btf', 'dump', 'file', file, ...(format === 'c' || format === 'ts' ? ['format', 'c'] : [])],
        });
      }
      const outFile = (c: number): { kind: 'file'; path: string } => ({ kind: 'file', path: join(dir, `${cmds[c].label}.${format}`) });

      // One run of each to a file before timing: it warms the page cache and
      // the binaries, and lets us check that both print the same bytes.
      for (let c = 0; c < cmds.length; c++) runOnce(cmds[c], outFile(c));
      if (cmds.length === 2) {
        const diff = firstDifference(readFileSync(outFile(0).path), readFileSync(outFile(1).path));
        if (diff !== undefined && format !== 'ts') res.warnings.push(`${format}: bpfkit and bpftool outputs differ (${diff})`);
      }

      for (const target of ['/dev/null', 'file'] as const) {
        const flag = format === 'json' ? ' --json' : format === 'raw' ? '' : ` --format ${format}${format === 'ts' ? ' (vs bpftool format c)' : ''}`;
        const name = `btf dump${flag} > ${target === 'file' ? 'regular file' : '/dev/null'}`;
        const stats = runAlternating(cmds, {
          runs,
          stdout: (c) => (target === 'file' ? outFile(c) : { kind: 'null' }),
          progress: (i, n) => ctx.progress(`btf-dump: ${name} ${i}/${n}`),
        });
        if (cmds.length === 2) {
          res.pairs.push({
            case: name,
            ours: { label: 'bpfkit', stats: stats[0] },
            theirs: { label: 'bpftool', stats: stats[1] },
            ratio: ratio(stats[0], stats[1]),
          });
        } else {
          res.singles.push({ case: `bpfkit ${name}`, stats: stats[0] });
        }
      }
    }
    heapOfC(ctx, res);
    return res;
  },
};

/**
 * Memory of `btf dump --format c`, measured in fresh processes (heap-probe.ts)
 * at the end of the dump: JS heap used plus external memory (ArrayBuffers:
 * the BTF bytes, the output, the dumper's typed arrays) against the size of
 * the BTF. The same processes time the dump alone, cold.
 */
function heapOfC(ctx: BenchContext, res: BenchResult): void {
  const probes: HeapProbe[] = [];
  for (let i = 0; i < ctx.runs(5, 2); i++) {
    const r = spawnSync(process.execPath, ['--expose-gc', probePath, ctx.vmlinux], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) {
      res.warnings.push(`heap probe failed: ${r.stderr.trim().slice(0, 300)}`);
      return;
    }
    probes.push(JSON.parse(r.stdout) as HeapProbe);
  }
  const mb = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MB`;
  // The largest of the runs: garbage not yet collected varies a little.
  const worst = probes.reduce((a, b) => (a.heapUsed + a.external >= b.heapUsed + b.external ? a : b));
  const total = worst.heapUsed + worst.external;
  const base = worst.baseHeapUsed + worst.baseExternal;
  const btf = worst.btfBytes;
  const stats = summarize(probes.map((p) => p.dumpMs));
  const note =
    `end of dump: JS heap ${mb(worst.heapUsed)} + external ${mb(worst.external)} (ArrayBuffers ${mb(worst.arrayBuffers)}) = ${mb(total)}, ` +
    `${(total / btf).toFixed(2)}x the BTF (${mb(btf)}); Node with the modules loaded and nothing read: ${mb(base)}, ` +
    `so the dump adds ${((total - base) / btf).toFixed(2)}x; after a GC, holding BTF and output: ${mb(worst.retainedHeapUsed + worst.retainedExternal)}`;
  res.singles.push({ case: 'format c in-process dump, cold (heap probe)', stats, note });
}

/** Where two outputs first differ, as "line N, byte M", or undefined. */
function firstDifference(a: Buffer, b: Buffer): string | undefined {
  if (a.equals(b)) return undefined;
  const n = Math.min(a.byteLength, b.byteLength);
  let line = 1;
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return `first at line ${line}, byte ${i}; sizes ${a.byteLength} and ${b.byteLength}`;
    if (a[i] === 10) line++;
  }
  return a.byteLength === b.byteLength ? undefined : `one is a prefix of the other; sizes ${a.byteLength} and ${b.byteLength}`;
}
