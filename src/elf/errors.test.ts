import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir } from '../test-support/corpus.js';
import { BpfkitError, type ErrorCode } from '../internal/errors.js';
import {
  EHDR_OFFSET,
  SHDR_OFFSET,
  findSection,
  readElf,
  readRelocations,
  readSymbols,
  relocationSections,
  symbolTable,
  writeElf,
  type ElfFile,
} from './index.js';

const corpus = (rel: string): string => join(corpusDir, 'cilium-ebpf', rel);
const LE_PATH = corpus('testdata/loader-el.elf');
const BE_PATH = corpus('testdata/loader-eb.elf');
const le = new Uint8Array(readFileSync(LE_PATH));
const be = new Uint8Array(readFileSync(BE_PATH));

/** A copy of `bytes` edited through a DataView in the file's byte order. */
function patch(bytes: Uint8Array, edit: (dv: DataView, littleEndian: boolean) => void): Uint8Array {
  const out = bytes.slice();
  edit(new DataView(out.buffer), out[5] === 1);
  return out;
}

function shdrAt(bytes: Uint8Array, index: number): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset);
  return Number(dv.getBigUint64(EHDR_OFFSET.shoff, bytes[5] === 1)) + index * 64;
}

function indexOf(bytes: Uint8Array, name: string): number {
  return readElf(bytes).sections.findIndex((s) => s.name === name);
}

/** Run `fn` and return the BpfkitError it must throw. */
function failure(fn: () => unknown): BpfkitError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BpfkitError);
    return e as BpfkitError;
  }
  throw new Error('expected a BpfkitError, but nothing was thrown');
}

function expectFailure(bytes: Uint8Array, code: ErrorCode, offset: number, section?: string): BpfkitError {
  const e = failure(() => readElf(bytes, { file: 'bad.o' }));
  expect(e.code).toBe(code);
  expect(e.file).toBe('bad.o');
  expect(e.offset).toBe(offset);
  if (section !== undefined) expect(e.section).toBe(section);
  expect(e.message).toContain('bad.o');
  return e;
}

describe('readElf rejects bad input', () => {
  for (const [order, base] of [['el', le], ['eb', be]] as const) {
    describe(order, () => {
      it('empty and truncated headers', () => {
        expectFailure(new Uint8Array(0), 'TRUNCATED', 0);
        expectFailure(base.slice(0, 10), 'TRUNCATED', 0);
        expectFailure(base.slice(0, 40), 'TRUNCATED', 0);
        expectFailure(base.slice(0, 63), 'TRUNCATED', 0);
      });

      it('wrong magic, ELF32, unknown class and data encoding', () => {
        expectFailure(patch(base, (dv) => dv.setUint8(1, 0x46)), 'BAD_MAGIC', 0);
        expectFailure(Uint8Array.of(0x7f, 0x45, 0x4c), 'TRUNCATED', 0);
        expectFailure(new TextEncoder().encode('hello'), 'BAD_MAGIC', 0);
        expectFailure(patch(base, (dv) => dv.setUint8(4, 1)), 'UNSUPPORTED', 4);
        expectFailure(patch(base, (dv) => dv.setUint8(4, 3)), 'BAD_VALUE', 4);
        expectFailure(patch(base, (dv) => dv.setUint8(5, 0)), 'BAD_VALUE', 5);
      });

      it('section header table beyond or past the end', () => {
        expectFailure(patch(base, (dv, l) => dv.setBigUint64(EHDR_OFFSET.shoff, BigInt(base.length + 100), l)), 'OUT_OF_RANGE', EHDR_OFFSET.shoff);
        expectFailure(patch(base, (dv, l) => dv.setBigUint64(EHDR_OFFSET.shoff, 1n << 62n, l)), 'OUT_OF_RANGE', EHDR_OFFSET.shoff);
        const late = base.length - 128;
        expectFailure(patch(base, (dv, l) => dv.setBigUint64(EHDR_OFFSET.shoff, BigInt(late), l)), 'TRUNCATED', late);
        expectFailure(base.slice(0, base.length - 1), 'TRUNCATED', shdrAt(base, 0));
      });

      it('huge or inconsistent section counts', () => {
        expectFailure(patch(base, (dv, l) => dv.setUint16(EHDR_OFFSET.shnum, 0xfeff, l)), 'TOO_LARGE', EHDR_OFFSET.shnum);
        // e_shnum 0: the count comes from section 0's sh_size.
        const sizeAt = shdrAt(base, 0) + SHDR_OFFSET.size;
        expectFailure(
          patch(base, (dv, l) => {
            dv.setUint16(EHDR_OFFSET.shnum, 0, l);
            dv.setBigUint64(sizeAt, 0xffff_ffffn, l);
          }),
          'TOO_LARGE',
          sizeAt,
        );
        expectFailure(patch(base, (dv, l) => dv.setUint16(EHDR_OFFSET.shnum, 0, l)), 'BAD_VALUE', sizeAt);
        expectFailure(patch(base, (dv, l) => dv.setUint16(EHDR_OFFSET.shentsize, 40, l)), 'BAD_VALUE', EHDR_OFFSET.shentsize);
      });

      it('a section outside the file', () => {
        const i = indexOf(base, 'xdp');
        const at = shdrAt(base, i) + SHDR_OFFSET.offset;
        expectFailure(patch(base, (dv, l) => dv.setBigUint64(at, BigInt(base.length + 8), l)), 'OUT_OF_RANGE', at, 'xdp');
        const sizeAt = shdrAt(base, i) + SHDR_OFFSET.size;
        expectFailure(patch(base, (dv, l) => dv.setBigUint64(sizeAt, BigInt(base.length), l)), 'TRUNCATED', at, 'xdp');
        // Beyond 2^53 a size cannot describe any input: OUT_OF_RANGE at the field.
        expectFailure(patch(base, (dv, l) => dv.setBigUint64(sizeAt, 1n << 60n, l)), 'OUT_OF_RANGE', sizeAt, `#${i}`);
        // NOBITS sections have no bytes, so a far offset is fine.
        const bss = indexOf(base, '.bss');
        const bssAt = shdrAt(base, bss) + SHDR_OFFSET.offset;
        const ok = readElf(patch(base, (dv, l) => dv.setBigUint64(bssAt, 1n << 40n, l)));
        expect(findSection(ok, '.bss')!.offset).toBe(2 ** 40);
      });

      it('bad section name table index', () => {
        expectFailure(patch(base, (dv, l) => dv.setUint16(EHDR_OFFSET.shstrndx, 200, l)), 'OUT_OF_RANGE', EHDR_OFFSET.shstrndx);
        const text = indexOf(base, '.text');
        expectFailure(patch(base, (dv, l) => dv.setUint16(EHDR_OFFSET.shstrndx, text, l)), 'BAD_VALUE', EHDR_OFFSET.shstrndx);
        const linkAt = shdrAt(base, 0) + SHDR_OFFSET.link;
        expectFailure(
          patch(base, (dv, l) => {
            dv.setUint16(EHDR_OFFSET.shstrndx, 0xffff, l);
            dv.setUint32(linkAt, 999, l);
          }),
          'OUT_OF_RANGE',
          linkAt,
        );
      });

      it('bad sh_name offset', () => {
        const at = shdrAt(base, 3) + SHDR_OFFSET.name;
        expectFailure(patch(base, (dv, l) => dv.setUint32(at, 0xfffff, l)), 'OUT_OF_RANGE', at, '#3');
        // A name running into the end of the table without a NUL.
        const names = readElf(base).sections[readElf(base).header.shstrndx];
        const lastByte = names.offset + names.size - 1;
        const noNul = patch(base, (dv, l) => {
          dv.setUint8(lastByte, 0x41);
          dv.setUint32(at, names.size - 1, l);
        });
        expectFailure(noNul, 'BAD_VALUE', at, '#3');
      });

      it('insane symbol and relocation tables', () => {
        const sym = indexOf(base, '.symtab');
        const entAt = shdrAt(base, sym) + SHDR_OFFSET.entsize;
        expectFailure(patch(base, (dv, l) => dv.setBigUint64(entAt, 0n, l)), 'BAD_VALUE', entAt, '.symtab');
        const sizeAt = shdrAt(base, sym) + SHDR_OFFSET.size;
        const size = readElf(base).sections[sym].size;
        expectFailure(patch(base, (dv, l) => dv.setBigUint64(sizeAt, BigInt(size - 1), l)), 'BAD_VALUE', sizeAt, '.symtab');
        const linkAt = shdrAt(base, sym) + SHDR_OFFSET.link;
        expectFailure(patch(base, (dv, l) => dv.setUint32(linkAt, 5000, l)), 'OUT_OF_RANGE', linkAt, '.symtab');
        expectFailure(patch(base, (dv, l) => dv.setUint32(linkAt, indexOf(base, '.text'), l)), 'BAD_VALUE', linkAt, '.symtab');
        const rel = indexOf(base, '.rel.text');
        const relEnt = shdrAt(base, rel) + SHDR_OFFSET.entsize;
        expectFailure(patch(base, (dv, l) => dv.setBigUint64(relEnt, 24n, l)), 'BAD_VALUE', relEnt, '.rel.text');
      });
    });
  }

  it('readSymbols reports a bad st_name at its absolute offset', () => {
    const elf = readElf(le, { file: 'x.o' });
    const symtab = symbolTable(elf)!;
    const dv = new DataView(symtab.data.buffer, symtab.data.byteOffset);
    dv.setUint32(3 * 24, 0xffffff, true);
    const e = failure(() => readSymbols(elf));
    expect(e.code).toBe('OUT_OF_RANGE');
    expect(e.file).toBe('x.o');
    expect(e.section).toBe('.symtab');
    expect(e.offset).toBe(symtab.offset + 3 * 24);
  });

  it('readRelocations refuses a section of the wrong type', () => {
    const elf = readElf(le);
    const e = failure(() => readRelocations(elf, findSection(elf, '.text')!));
    expect(e.code).toBe('BAD_KIND');
    expect(e.section).toBe('.text');
  });
});

/** mulberry32: small, seedable, and the same on every platform. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Everything this layer can do with a file; must only ever throw BpfkitError. */
function exercise(bytes: Uint8Array): ElfFile {
  const elf = readElf(bytes, { file: 'mutant.o' });
  readSymbols(elf);
  for (const s of relocationSections(elf)) readRelocations(elf, s);
  return elf;
}

describe('mutated corpus objects only ever raise BpfkitError', () => {
  const bases = [le, be, new Uint8Array(readFileSync(corpus('testdata/linked-el.elf')))];

  it('survives 2000 seeded mutations', () => {
    const rand = prng(0x5eed);
    const pick = (n: number): number => Math.floor(rand() * n);
    const stats = { parsed: 0, rejected: 0, rewritten: 0 };
    const codes = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const base = bases[i % bases.length];
      let m = base.slice();
      const shoff = shdrAt(base, 0);
      switch (pick(4)) {
        case 0: // truncate anywhere
          m = m.slice(0, pick(m.length));
          break;
        case 1: // flip bits in the header or section header table, where they matter most
          for (let k = 1 + pick(4); k > 0; k--) {
            const at = rand() < 0.3 ? pick(64) : shoff + pick(m.length - shoff);
            m[at] ^= 1 << pick(8);
          }
          break;
        case 2: // flip bits anywhere
          for (let k = 1 + pick(8); k > 0; k--) m[pick(m.length)] ^= 1 << pick(8);
          break;
        default: {
          // overwrite a header field with an extreme value
          const at = rand() < 0.3 ? pick(56) : shoff + pick(m.length - shoff - 8);
          const v = [0x00, 0xff, 0x7f, 0x80][pick(4)];
          m.fill(v, at, at + [1, 2, 4, 8][pick(4)]);
        }
      }
      let elf: ElfFile | undefined;
      try {
        elf = exercise(m);
        stats.parsed++;
      } catch (e) {
        if (!(e instanceof BpfkitError)) throw new Error(`mutation ${i} threw a non-BpfkitError: ${String(e)}`);
        expect(typeof e.offset, `mutation ${i}: ${e.message}`).toBe('number');
        expect(e.file).toBe('mutant.o');
        stats.rejected++;
        codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
      }
      if (elf === undefined) continue;
      // Whatever was accepted can be written and read back (writing may
      // refuse absurd layouts, but only with a BpfkitError).
      try {
        for (const layout of ['auto', 'fresh'] as const) {
          const out = writeElf(elf, { layout });
          const again = readElf(out);
          expect(again.sections.map((s) => s.name)).toEqual(elf.sections.map((s) => s.name));
        }
        stats.rewritten++;
      } catch (e) {
        if (!(e instanceof BpfkitError)) throw e;
      }
    }
    console.log(`elf mutations: ${JSON.stringify(stats)}, rejections by code: ${JSON.stringify(Object.fromEntries(codes))}`);
    expect(stats.parsed + stats.rejected).toBe(2000);
    expect(stats.rejected).toBeGreaterThan(100);
  });
});
