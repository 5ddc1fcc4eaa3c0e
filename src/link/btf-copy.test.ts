/**
 * The linker copies input types straight from the wire records into its
 * output records (appendWireTypes); the result must equal decoding each
 * type with the BTF model, copying it (copyType) and encoding the copy
 * (RecordWriter.addType, the encoder the dedup uses for type objects), for
 * every kind: the same records, names compared as strings. Checked over the running
 * kernel's BTF (every kind clang and pahole emit, 100k+ types) and over
 * every BTF object of the test data.
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
import { decodeRecord } from '../btf/dedup/records-dedup.js';
import { appendWireTypes, copyType } from './btf-copy.js';
import { OutBtf } from './out-btf.js';

if (!hasVmlinux) console.warn(`skipping the vmlinux wire-copy check: ${vmlinuxPath} is absent`);

/** Every own type of `btf` but DATASECs through both paths, with an
 * arbitrary id map; returns how many types were compared. */
function compareAll(btf: Btf): number {
  const w = btf.wire!;
  expect(w).toBeDefined();
  const n = btf.typeCount;
  // A map that is not the identity, so that a missed remap shows.
  const map = new Uint32Array(n);
  for (let id = 1; id < n; id++) map[id] = n - id + 7;
  const ids: number[] = [];
  for (let i = 0; i < w.count; i++) {
    const id = btf.firstId + i;
    const t = btf.type(id)!;
    if (t.kind === Kind.Datasec) continue; // rebuilt, never copied
    try {
      copyType(t, 100 + i, (r) => map[r], 'test');
    } catch (e) {
      if (!(e instanceof BpfkitError)) throw e;
      expect(() => appendWireTypes(new OutBtf(), btf, [id], map, 'test')).toThrow(e.message);
      continue;
    }
    ids.push(id);
  }
  const viaWire = new OutBtf();
  appendWireTypes(viaWire, btf, ids, map, 'test');
  const viaModel = new OutBtf();
  for (const id of ids) viaModel.addType(copyType(btf.type(id)!, viaModel.count, (r) => map[r], 'test'));
  const a = viaWire.records();
  const b = viaModel.records();
  expect(a.count).toBe(ids.length + 1);
  expect(b.count).toBe(a.count);
  // The same words but for string numbers, which depend on the order
  // strings were met in: compare records decoded with their names.
  const identity = new Uint32Array(n + 7).map((_, i) => i); // covers every map[id]
  for (let id = 1; id < a.count; id++) {
    expect(a.off[id + 1] - a.off[id]).toBe(b.off[id + 1] - b.off[id]);
    expect(decodeRecord(a, id, id, identity)).toStrictEqual(decodeRecord(b, id, id, identity));
  }
  // Names survive: each record's name is the type's.
  for (let k = 0; k < ids.length; k += 37) expect(viaWire.name(k + 1)).toBe(btf.type(ids[k])!.name);
  return ids.length;
}

describe('appendWireTypes = decode + copyType + encode', () => {
  it.skipIf(!hasVmlinux)('every type of the kernel BTF', () => {
    const btf = parseBtf(new Uint8Array(readFileSync(vmlinuxPath)));
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
