import { Btf, dedupBtf, parseBtf } from '../btf/index.js';
import { shiftIds } from '../btf/dedup/testing/shift.js';
import { emptyResult, kernelBtfBytes, type BenchContext, type BenchResult, type Benchmark } from './benchmark.js';
import { timeInProcess } from './measure.js';

/**
 * BTF deduplication in-process (libbpf's btf__dedup algorithm): the kernel's
 * BTF, which is already deduplicated (every struct is compared with no
 * candidate), and the same types appended twice, where every type of the
 * second copy is checked against the first (the struct graph walk runs for
 * every struct). The kernel BTF is timed as read from bytes (dedup copies
 * the wire records) and as a decoded type model (dedup encodes the
 * objects); the doubled BTF exists only as a model. Parsing and decoding
 * happen before timing; only dedupBtf is timed.
 */
export const btfDedup: Benchmark = {
  id: 'btf-dedup',
  title: 'Deduplicate vmlinux BTF in-process',
  run(ctx: BenchContext): BenchResult {
    const res = emptyResult(this);
    const input = kernelBtfBytes(ctx);
    if ('missing' in input) {
      res.skipped.push({ case: 'all', reason: input.missing });
      return res;
    }
    const runs = ctx.runs(5, 2);
    const wire = (): Btf => parseBtf(input.bytes);
    const single = (): Btf => {
      const b = parseBtf(input.bytes);
      void b.types;
      return b;
    };
    const doubled = (): Btf => {
      const b = parseBtf(input.bytes);
      const first = b.types;
      const n = first.length;
      return new Btf({ types: [...first, ...first.map((t) => shiftIds(t, n))], strings: b.strings, littleEndian: b.littleEndian });
    };
    const fromBytes = timeInProcess(runs, wire, (b) => dedupBtf(b), (i, n) => ctx.progress(`btf-dedup: vmlinux bytes ${i}/${n}`));
    res.singles.push({ case: 'dedupBtf(vmlinux read from bytes) (already deduplicated)', stats: fromBytes });
    const once = timeInProcess(runs, single, (b) => dedupBtf(b), (i, n) => ctx.progress(`btf-dedup: vmlinux ${i}/${n}`));
    res.singles.push({ case: 'dedupBtf(vmlinux as a type model)', stats: once });
    const twice = timeInProcess(runs, doubled, (b) => dedupBtf(b), (i, n) => ctx.progress(`btf-dedup: doubled ${i}/${n}`));
    const d = doubled();
    const out = dedupBtf(d).btf;
    res.singles.push({
      case: 'dedupBtf(vmlinux twice)',
      stats: twice,
      note: `${(d.typeCount - 1).toLocaleString('en-US')} -> ${(out.typeCount - 1).toLocaleString('en-US')} types`,
    });
    res.input = `${input.name}: ${parseBtf(input.bytes).ownCount.toLocaleString('en-US')} types`;
    return res;
  },
};
