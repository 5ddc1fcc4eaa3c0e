import { parseBtf } from '../btf/index.js';
import { emptyResult, kernelBtfBytes, type BenchContext, type BenchResult, type Benchmark } from './benchmark.js';
import { timeInProcess } from './measure.js';

/**
 * Parsing the kernel's BTF in-process: `parseBtf` builds only the lazy wire
 * index (every record located and checked, nothing decoded), and `btf.types`
 * decodes all ~126k records into the type model. The file is read once up
 * front so that disk and page cache stay out of the numbers.
 */
export const btfParse: Benchmark = {
  id: 'btf-parse',
  title: 'Parse vmlinux BTF in-process',
  run(ctx: BenchContext): BenchResult {
    const res = emptyResult(this);
    const input = kernelBtfBytes(ctx);
    if ('missing' in input) {
      res.skipped.push({ case: 'all', reason: input.missing });
      return res;
    }
    const bytes = input.bytes;
    const runs = ctx.runs(20, 5);
    // Nothing has parsed BTF in this process yet, so the first sample of the
    // first measurement is a true cold run (interpreter, then JIT); the
    // median shows the warm steady state.
    const idx = timeInProcess(
      runs,
      () => bytes,
      (b) => parseBtf(b),
      (i, n) => ctx.progress(`btf-parse: parseBtf ${i}/${n}`),
    );
    res.singles.push({ case: 'parseBtf (lazy wire index)', stats: idx });

    // Decode on a fresh parse each time: a Btf caches its decoded types.
    const decode = timeInProcess(
      runs,
      () => parseBtf(bytes),
      (btf) => btf.types.length,
      (i, n) => ctx.progress(`btf-parse: btf.types ${i}/${n}`),
    );
    res.singles.push({ case: 'btf.types (full model decode, after parse)', stats: decode });

    const both = timeInProcess(
      runs,
      () => bytes,
      (b) => parseBtf(b).types.length,
      (i, n) => ctx.progress(`btf-parse: parse+decode ${i}/${n}`),
    );
    res.singles.push({ case: 'parseBtf + btf.types', stats: both });
    res.input = `${input.name}: ${parseBtf(bytes).ownCount.toLocaleString('en-US')} types, ${(bytes.byteLength / 1e6).toFixed(1)} MB`;
    return res;
  },
};
