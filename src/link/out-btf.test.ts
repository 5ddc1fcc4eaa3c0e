/**
 * OutBtf.sizeOf reimplements src/btf/sizes.ts's sizeOf on records (the
 * linker sizes global VARs from its output records); it must agree with
 * sizeOf on the type model for every type of every test object with BTF:
 * the same size, or both refusing.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Btf } from '../btf/btf.js';
import { btfFromElf } from '../btf/load.js';
import { sizeOf } from '../btf/sizes.js';
import { readElf } from '../elf/read.js';
import { BpfkitError } from '../internal/errors.js';
import { parseBtf } from '../btf/parse.js';
import { allObjects, hasVmlinux, label, vmlinuxPath } from '../test-support/corpus.js';
import { OutBtf } from './out-btf.js';

if (!hasVmlinux) console.warn(`skipping the vmlinux sizeOf check: ${vmlinuxPath} is absent`);

function sizeOrError(f: () => number): number | string {
  try {
    return f();
  } catch (e) {
    if (e instanceof BpfkitError) return 'refused';
    throw e;
  }
}

/** Compare the size of every `step`-th type; returns [compared, refused]. */
function compareSizes(btf: Btf, name: string, step = 1): [number, number] {
  const out = new OutBtf();
  for (const t of btf) out.addType(t); // ids stay the same: 1, 2, ...
  let refused = 0;
  let compared = 0;
  for (let id = 1; id < btf.typeCount; id += step) {
    compared++;
    const want = sizeOrError(() => sizeOf(btf, id));
    const got = sizeOrError(() => out.sizeOf(id));
    if (got !== want) expect(got, `${name} [${id}]`).toBe(want);
    if (want === 'refused') refused++;
  }
  return [compared, refused];
}

describe('OutBtf.sizeOf = sizes.ts sizeOf', () => {
  it.skipIf(!hasVmlinux)('every 5th type of the kernel BTF', () => {
    // Every 5th: a refusal builds an error with a stack trace, and a third
    // of kernel types (FUNC, FUNC_PROTO) have no size.
    const [compared, refused] = compareSizes(parseBtf(new Uint8Array(readFileSync(vmlinuxPath))), 'vmlinux', 5);
    expect(compared).toBeGreaterThan(10_000);
    expect(refused).toBeGreaterThan(0);
  });

  it('every type of every test object with BTF', () => {
    let compared = 0;
    let refused = 0;
    for (const f of allObjects().filter((x) => x.endsWith('.o'))) {
      let btf: Btf;
      try {
        const elf = readElf(new Uint8Array(readFileSync(f)));
        if (!elf.sections.some((s) => s.name === '.BTF')) continue;
        btf = btfFromElf(elf);
      } catch (e) {
        if (e instanceof BpfkitError) continue; // the broken ones
        throw e;
      }
      if (btf.base !== undefined || [...btf].some((t) => 'opaque' in t)) continue;
      const [c, r] = compareSizes(btf, label(f));
      compared += c;
      refused += r;
    }
    expect(compared).toBeGreaterThan(1000);
    // Some types have no size (FUNC, FUNC_PROTO, FWD): refusals are compared too.
    expect(refused).toBeGreaterThan(0);
  });
});
