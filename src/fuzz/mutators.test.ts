import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseBtf } from '../btf/index.js';
import { MUTATORS, aimedValue, mutatorByName, readUint, writeUint, type Mutator } from './mutators/index.js';
import { Rng, caseRng } from './rng.js';
import { loadSubjects, type Subject } from './subjects.js';

const subjects = loadSubjects();
const byName = (suffix: string): Subject => {
  const s = subjects.find((x) => x.name.endsWith(suffix));
  if (s === undefined) throw new Error(`no subject ${suffix}`);
  return s;
};
// Small, well-known seeds with every landmark: an object with .BTF and
// .BTF.ext, its raw .BTF, its raw .BTF.ext.
const elf = byName('testdata/obj/core.bpfel.o');
const elfBe = byName('testdata/obj/core.bpfeb.o');
const rawBtf = byName('testdata/obj/core.bpfel.o:.BTF');
const rawExt = byName('testdata/obj/core.bpfel.o:.BTF.ext');

function mutator(name: string): Mutator {
  const m = mutatorByName(name);
  if (m === undefined) throw new Error(`no mutator ${name}`);
  return m;
}

/** Byte equality; vitest's toEqual walks typed arrays element by element,
 * which is far too slow for tens of kilobytes times hundreds of checks. */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** Offsets where two equally long inputs differ. */
function diff(a: Uint8Array, b: Uint8Array): number[] {
  expect(b.byteLength).toBe(a.byteLength);
  const out: number[] = [];
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) out.push(i);
  return out;
}

describe('Rng', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 8 }, () => a.u32());
    expect(Array.from({ length: 8 }, () => b.u32())).toEqual(sa);
    expect(Array.from({ length: 8 }, () => c.u32())).not.toEqual(sa);
  });

  it('gives each case index of a seed its own stream', () => {
    const firsts = new Set<number>();
    for (let i = 0; i < 1000; i++) firsts.add(caseRng(7, i).u32());
    expect(firsts.size).toBe(1000);
    expect(caseRng(7, 123).u32()).toBe(caseRng(7, 123).u32());
    expect(caseRng(7, 123).u32()).not.toBe(caseRng(8, 123).u32());
  });

  it('keeps below() and range() within bounds and covers them', () => {
    const r = new Rng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.below(10);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(10);
      seen.add(v);
      const w = r.range(-3, 3);
      expect(w).toBeGreaterThanOrEqual(-3);
      expect(w).toBeLessThanOrEqual(3);
    }
    expect(seen.size).toBe(10);
  });
});

describe('field helpers', () => {
  it('write and read integers in both byte orders', () => {
    const b = new Uint8Array(8);
    writeUint(b, 0, 4, 0x11223344n, true);
    expect([...b.subarray(0, 4)]).toEqual([0x44, 0x33, 0x22, 0x11]);
    writeUint(b, 4, 4, 0x11223344n, false);
    expect([...b.subarray(4, 8)]).toEqual([0x11, 0x22, 0x33, 0x44]);
    expect(readUint(b, 0, 4, true)).toBe(0x11223344n);
    expect(readUint(b, 4, 4, false)).toBe(0x11223344n);
    writeUint(b, 0, 8, -1n, true);
    expect(readUint(b, 0, 8, false)).toBe(0xffffffffffffffffn);
  });

  it('drop writes past the end instead of growing the input', () => {
    const b = new Uint8Array(4);
    writeUint(b, 2, 4, 0xffffffffn, true);
    expect([...b]).toEqual([0, 0, 0, 0]);
  });

  it('aim values within the field width, hitting hints and huge values', () => {
    const r = new Rng(3);
    const seen = new Set<bigint>();
    for (let i = 0; i < 500; i++) {
      const v = aimedValue(r, 10n, 2, [1000]);
      expect(v >= 0n && v <= 0xffffn).toBe(true);
      seen.add(v);
    }
    expect(seen.has(0xffffn)).toBe(true);
    expect(seen.has(1000n)).toBe(true);
    expect(seen.has(11n) || seen.has(9n)).toBe(true);
  });
});

describe('mutators', () => {
  it('are pure and deterministic, and change their input for most seeds', () => {
    for (const m of MUTATORS) {
      const s = [elf, rawBtf, rawExt].find((x) => m.applies(x.marks));
      expect(s, `${m.name} applies to no test subject`).toBeDefined();
      const before = s!.bytes.slice();
      let changed = 0;
      for (let seed = 0; seed < 20; seed++) {
        const out = m.mutate(s!.bytes, new Rng(seed), s!.marks);
        expect(same(m.mutate(s!.bytes, new Rng(seed), s!.marks), out)).toBe(true);
        if (out.byteLength !== before.byteLength || diff(before, out).length > 0) changed++;
      }
      expect(same(s!.bytes, before), `${m.name} modified its input`).toBe(true);
      expect(changed, `${m.name} changed only ${changed} of 20 inputs`).toBeGreaterThanOrEqual(10);
    }
  });

  it('truncate returns a strict prefix; extend keeps the input as prefix', () => {
    for (let seed = 0; seed < 20; seed++) {
      const t = mutator('truncate').mutate(elf.bytes, new Rng(seed), elf.marks);
      expect(t.byteLength).toBeLessThan(elf.bytes.byteLength);
      expect(same(t, elf.bytes.subarray(0, t.byteLength))).toBe(true);
      const e = mutator('extend').mutate(elf.bytes, new Rng(seed), elf.marks);
      expect(e.byteLength).toBeGreaterThan(elf.bytes.byteLength);
      expect(same(e.subarray(0, elf.bytes.byteLength), elf.bytes)).toBe(true);
    }
  });

  it('bitflip flips between 1 and 8 bits', () => {
    let flipped = 0;
    for (let seed = 0; seed < 50; seed++) {
      const out = mutator('bitflip').mutate(elf.bytes, new Rng(seed), elf.marks);
      let bits = 0;
      for (const i of diff(elf.bytes, out)) for (let x = elf.bytes[i] ^ out[i]; x !== 0; x &= x - 1) bits++;
      expect(bits).toBeLessThanOrEqual(8);
      if (bits > 0) flipped++; // two flips of the same bit cancel out
    }
    expect(flipped).toBeGreaterThanOrEqual(45);
  });

  for (const s of [rawBtf, elf, elfBe]) {
    it(`btf-kind rewrites only the kind bits of one info word (${s.name})`, () => {
      const b = s.marks.btf!;
      const le = s.marks.littleEndian;
      for (let seed = 0; seed < 30; seed++) {
        const out = mutator('btf-kind').mutate(s.bytes, new Rng(seed), s.marks);
        const d = diff(s.bytes, out);
        if (d.length === 0) continue; // the same kind drawn again
        const rec = b.records.find((p) => d.every((i) => i >= p + 4 && i < p + 8));
        expect(rec, `changed bytes ${d.join(',')} are not one info word`).toBeDefined();
        const before = Number(readUint(s.bytes, rec! + 4, 4, le));
        const after = Number(readUint(out, rec! + 4, 4, le));
        expect((after & 0x80ffffff) >>> 0).toBe((before & 0x80ffffff) >>> 0);
      }
    });
  }

  it('btf-vlen rewrites only the vlen of one record', () => {
    const b = rawBtf.marks.btf!;
    for (let seed = 0; seed < 30; seed++) {
      const out = mutator('btf-vlen').mutate(rawBtf.bytes, new Rng(seed), rawBtf.marks);
      const d = diff(rawBtf.bytes, out);
      if (d.length === 0) continue;
      const rec = b.records.find((p) => d.every((i) => i >= p + 4 && i < p + 8))!;
      expect(rec).toBeDefined();
      const before = Number(readUint(rawBtf.bytes, rec + 4, 4, true));
      const after = Number(readUint(out, rec + 4, 4, true));
      expect(after & 0xff000000).toBe(before & 0xff000000);
    }
  });

  it('btf-header aims at a header field of the .BTF inside an ELF', () => {
    const b = elf.marks.btf!;
    for (let seed = 0; seed < 30; seed++) {
      const out = mutator('btf-header').mutate(elf.bytes, new Rng(seed), elf.marks);
      for (const i of diff(elf.bytes, out)) {
        expect(i).toBeGreaterThanOrEqual(b.at);
        expect(i).toBeLessThan(b.at + b.hdrLen);
      }
    }
  });

  it('ext-numinfo changes a btf_ext_info_sec header', () => {
    const heads = rawExt.marks.ext!.infos.flatMap((i) => i.secHeaders);
    let hits = 0;
    for (let seed = 0; seed < 30; seed++) {
      const out = mutator('ext-numinfo').mutate(rawExt.bytes, new Rng(seed), rawExt.marks);
      const d = diff(rawExt.bytes, out);
      if (d.length === 0) continue;
      expect(heads.some((h) => d.every((i) => i >= h && i < h + 8))).toBe(true);
      hits++;
    }
    expect(hits).toBeGreaterThan(20);
  });

  it('btf-layout builds a parseable BTF with a layout section and new kinds', () => {
    let parsed = 0;
    let opaque = 0;
    for (let seed = 0; seed < 30; seed++) {
      const out = mutator('btf-layout').mutate(rawBtf.bytes, new Rng(seed), rawBtf.marks);
      let btf;
      try {
        btf = parseBtf(out);
      } catch {
        continue; // some seeds deliberately write a broken layout_len
      }
      parsed++;
      expect(btf.header!.hdrLen).toBe(32);
      expect(btf.layout!.length).toBeGreaterThanOrEqual(20);
      if (btf.types.some((t) => 'opaque' in t)) opaque++;
    }
    expect(parsed).toBeGreaterThanOrEqual(20);
    expect(opaque).toBeGreaterThanOrEqual(10);
  });

  it('btf-gzip compresses the input losslessly', () => {
    const out = mutator('btf-gzip').mutate(rawBtf.bytes, new Rng(1), rawBtf.marks);
    expect(same(new Uint8Array(gunzipSync(out)), rawBtf.bytes)).toBe(true);
  });

  it('elf-xindex links a SYMTAB_SHNDX section to the symbol table', () => {
    let linked = 0;
    for (let seed = 0; seed < 30; seed++) {
      const out = mutator('elf-xindex').mutate(elf.bytes, new Rng(seed), elf.marks);
      const hs = elf.marks.elf!.headers;
      if (hs.some((h) => readUint(out, h + 4, 4, true) === 18n)) linked++;
      expect(elf.marks.elf!.symbols.some((p) => readUint(out, p + 6, 2, true) === 0xffffn)).toBe(true);
    }
    expect(linked).toBeGreaterThan(15);
  });
});
