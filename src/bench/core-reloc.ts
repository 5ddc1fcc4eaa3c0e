import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBtf } from '../btf/index.js';
import { BpfkitError } from '../internal/errors.js';
import { listFilesRecursive } from '../internal/files.js';
import { openObject, type BpfObject } from '../object/index.js';
import { relocateObject } from '../reloc/index.js';
import { essentialNameIndex } from '../reloc/match.js';
import { emptyResult, kernelBtfBytes, type BenchContext, type BenchResult, type Benchmark } from './benchmark.js';
import { repoRoot } from './env.js';
import { summarize, type Stats } from './measure.js';

/**
 * CO-RE relocation throughput (issue 5's target: every CO-RE object of
 * testdata and the corpus relocated against vmlinux in under 100 ms once
 * the BTF is parsed). Objects are opened up front; each sample relocates
 * all of them. "cold" samples use a freshly parsed vmlinux (types decoded
 * and the candidate name index built on demand, as in one `bpfkit core`
 * run); "warm" samples reuse one parsed vmlinux (a --matrix row, or a
 * long-running process).
 */
export const coreReloc: Benchmark = {
  id: 'core-reloc',
  title: 'CO-RE: relocate every CO-RE object of testdata + corpus against vmlinux (in-process)',
  run(ctx: BenchContext): BenchResult {
    const res = emptyResult(this);
    const input = kernelBtfBytes(ctx);
    if ('missing' in input) {
      res.skipped.push({ case: 'all', reason: input.missing });
      return res;
    }
    const vmlinux = input.bytes;
    const objects = coreObjects(ctx);
    const relocCount = (btf: ReturnType<typeof parseBtf>): number => {
      let n = 0;
      for (const o of objects) n += relocateObject(o, btf, { onError: 'collect' }).results.length;
      return n;
    };
    const runs = ctx.runs(15, 4);
    let relocs = 0;
    const cold: number[] = [];
    for (let i = 0; i < runs; i++) {
      const btf = parseBtf(vmlinux);
      const t0 = performance.now();
      relocs = relocCount(btf);
      cold.push(performance.now() - t0);
      ctx.progress(`core-reloc: cold ${i + 1}/${runs}`);
    }
    // The candidate index (types by essential name) is built once per
    // target, like parsing; relocating against an indexed but otherwise
    // untouched vmlinux is the "after BTF is parsed" number.
    const indexed: number[] = [];
    for (let i = 0; i < runs; i++) {
      const btf = parseBtf(vmlinux);
      essentialNameIndex(btf);
      const t0 = performance.now();
      relocCount(btf);
      indexed.push(performance.now() - t0);
      ctx.progress(`core-reloc: indexed ${i + 1}/${runs}`);
    }
    const shared = parseBtf(vmlinux);
    relocCount(shared);
    const warm: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      relocCount(shared);
      warm.push(performance.now() - t0);
      ctx.progress(`core-reloc: warm ${i + 1}/${runs}`);
    }
    const rate = (s: Stats): string => `${Math.round(relocs / (s.median / 1000)).toLocaleString('en-US')} relocations/s (median)`;
    const coldStats = summarize(cold, true);
    const indexedStats = summarize(indexed, true);
    const warmStats = summarize(warm, true);
    res.singles.push({ case: 'fresh vmlinux, name index built inside', stats: coldStats, note: rate(coldStats) });
    res.singles.push({ case: 'fresh vmlinux, name index built (target < 100 ms)', stats: indexedStats, note: rate(indexedStats) });
    res.singles.push({ case: 'vmlinux already used once (types decoded)', stats: warmStats, note: rate(warmStats) });
    res.input = `${objects.length} objects with ${relocs} CO-RE relocations, vmlinux ${(vmlinux.byteLength / 1e6).toFixed(1)} MB`;
    if (indexedStats.median >= 100) res.warnings.push(`relocating all objects after parsing took ${indexedStats.median.toFixed(0)} ms (target < 100 ms)`);
    return res;
  },
};


/** Every object under testdata/ and the corpus that opens and has CO-RE records. */
function coreObjects(ctx: BenchContext): BpfObject[] {
  const files = [...listFilesRecursive(join(repoRoot, 'testdata')), ...listFilesRecursive(join(ctx.corpusDir, 'cilium-ebpf'))];
  const out: BpfObject[] = [];
  for (const p of files.filter((f) => /\.(o|elf)$/.test(f))) {
    try {
      const o = openObject(readFileSync(p), { file: p });
      if (o.coreRelocationCount > 0) out.push(o);
    } catch (e) {
      if (!(e instanceof BpfkitError)) throw e;
    }
  }
  return out;
}
