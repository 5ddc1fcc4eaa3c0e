/**
 * Size and alignment against the C definitions in
 * testdata/src/bitfields.bpf.c (values worked out from the C rules, with
 * libbpf's packed-struct inference where C's own alignment is invisible in
 * BTF, as for aligned(16)).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testdataDir } from '../test-support/corpus.js';
import { alignOf, Kind, loadBtf, pointerSize, sizeOf, skipModsAndTypedefs, type CompositeType } from './index.js';

for (const order of ['bpfel', 'bpfeb']) {
  describe(`sizes and alignment (${order})`, () => {
    const btf = loadBtf(join(testdataDir, `obj/bitfields.${order}.o`));
    const struct = (name: string): CompositeType => {
      const t = btf.find(name, Kind.Struct) ?? btf.find(name, Kind.Union);
      if (t === undefined || (t.kind !== Kind.Struct && t.kind !== Kind.Union)) throw new Error(`no ${name}`);
      return t;
    };
    const member = (s: string, m: string): number => struct(s).members.find((x) => x.name === m)!.type;

    it('pointer size is 8 on BPF', () => {
      expect(pointerSize(btf)).toBe(8);
    });

    it('packed structs align to 1', () => {
      expect(sizeOf(btf, struct('bk_packed').id)).toBe(15); // 1 + 4 + 2 + 8
      expect(alignOf(btf, struct('bk_packed').id)).toBe(1);
      expect(alignOf(btf, struct('bk_packed_bits').id)).toBe(1);
    });

    it('natural structs align to their widest member', () => {
      expect(alignOf(btf, struct('bk_nested').id)).toBe(8);
      expect(alignOf(btf, struct('bk_odd_bits').id)).toBe(8);
      expect(alignOf(btf, struct('bk_flex').id)).toBe(4);
      expect(sizeOf(btf, struct('bk_flex').id)).toBe(4);
    });

    it('libbpf cannot see aligned(16): a lone byte member gives 1', () => {
      expect(sizeOf(btf, struct('bk_overaligned').id)).toBe(16);
      expect(alignOf(btf, struct('bk_overaligned').id)).toBe(1);
    });

    it('arrays multiply through every dimension', () => {
      expect(sizeOf(btf, member('bk_padded', 'grid'))).toBe(3 * 4 * 2 * 2);
      expect(sizeOf(btf, member('bk_padded', 'names'))).toBe(16);
      expect(alignOf(btf, member('bk_padded', 'grid'))).toBe(2);
      expect(sizeOf(btf, struct('bk_padded').id)).toBe(88);
    });

    it('void, functions and forward declarations have no size', () => {
      expect(() => sizeOf(btf, 0)).toThrow(/void/);
      const fwd = btf.find('bk_opaque', Kind.Fwd)!;
      expect(() => sizeOf(btf, fwd.id)).toThrow();
    });

    it('modifiers and typedefs are skipped', () => {
      const ops = struct('bk_ops');
      const handler = ops.members.find((m) => m.name === 'handler')!.type;
      const resolved = btf.type(skipModsAndTypedefs(btf, handler))!;
      expect(resolved.kind).toBe(Kind.Ptr);
      expect(sizeOf(btf, handler)).toBe(8);
    });
  });
}

describe('sizes on hostile BTF', () => {
  it('a struct whose members all refer back to it is an error, not an endless walk', async () => {
    const { Btf: BtfClass } = await import('./btf.js');
    const { StringTable } = await import('../internal/strings.js');
    const members = Array.from({ length: 16 }, (_, i) => ({ name: `m${i}`, nameOff: 0, type: 1, bitsOffset: i * 8, bitfieldSize: 0 }));
    const btf = new BtfClass({
      types: [{ id: 1, kind: Kind.Struct, name: 'loop', nameOff: 0, kflag: false, size: 16, members }],
      strings: new StringTable(new Uint8Array(0)),
      littleEndian: true,
    });
    expect(() => alignOf(btf, 1)).toThrow(/contains itself/);
    expect(sizeOf(btf, 1)).toBe(16);
  });
});
