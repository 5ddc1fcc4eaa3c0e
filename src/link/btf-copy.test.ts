/**
 * The linker copies input types straight from the wire records
 * (WireCopier); the result must equal decoding each type with the BTF
 * model and copying it (copyType), for every kind. Checked over the
 * running kernel's BTF (every kind clang and pahole emit, 100k+ types,
 * a string table large enough for NameCache's map) and over every BTF
 * object of the test data.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Btf } from '../btf/btf.js';
import { Kind } from '../btf/kinds.js';
import { btfFromElf } from '../btf/load.js';
import { parseBtf } from '../btf/parse.js';
import { readElf } from '../elf/read.js';
import { BpfkitError } from '../internal/errors.js';
import { allObjects, hasVmlinux, label, vmlinuxPath } from '../test-support/corpus.js';
import { copyType, NameCache, WireCopier } from './btf-copy.js';

if (!hasVmlinux) console.warn(`skipping the vmlinux wire-copy check: ${vmlinuxPath} is absent`);

/** Every own type of `btf` through both paths, with an arbitrary id map. */
function compareAll(btf: Btf): number {
  const w = btf.wire!;
  expect(w).toBeDefined();
  const n = btf.typeCount;
  // A map that is not the identity, so that a missed remap shows.
  const map = new Uint32Array(n);
  for (let id = 1; id < n; id++) map[id] = n - id + 7;
  const names = new NameCache(btf, new Map());
  const copier = new WireCopier(btf, w, map, 'test', names);
  let compared = 0;
  for (let i = 0; i < w.count; i++) {
    const id = btf.firstId + i;
    const t = btf.type(id)!;
    if (t.kind === Kind.Datasec) continue; // rebuilt, never copied
    let viaModel: unknown;
    try {
      viaModel = copyType(t, 100 + i, (r) => map[r], 'test');
    } catch (e) {
      if (!(e instanceof BpfkitError)) throw e;
      expect(() => copier.copy(i, 100 + i)).toThrow(e.message);
      continue;
    }
    expect(copier.copy(i, 100 + i)).toStrictEqual(viaModel);
    compared++;
  }
  for (let off = 0; off < btf.strings.size; off += 97) expect(names.get(off)).toBe(btf.str(off));
  return compared;
}

describe('WireCopier = decode + copyType', () => {
  it.skipIf(!hasVmlinux)('every type of the kernel BTF', () => {
    const btf = parseBtf(new Uint8Array(readFileSync(vmlinuxPath)));
    expect(btf.strings.size).toBeGreaterThan(1 << 20); // NameCache's map
    expect(compareAll(btf)).toBeGreaterThan(10_000);
  });

  const objects = allObjects().filter((f) => f.endsWith('.o') || f.endsWith('.elf'));
  it('every type of every test object with BTF', () => {
    let withBtf = 0;
    for (const f of objects) {
      let btf: Btf;
      try {
        const elf = readElf(new Uint8Array(readFileSync(f)));
        if (!elf.sections.some((s) => s.name === '.BTF')) continue;
        btf = btfFromElf(elf);
      } catch (e) {
        if (e instanceof BpfkitError) continue; // the broken ones
        throw e;
      }
      expect(compareAll(btf), label(f)).toBeGreaterThanOrEqual(0);
      withBtf++;
    }
    expect(withBtf).toBeGreaterThan(objects.length / 2);
  });
});
