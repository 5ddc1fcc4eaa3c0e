import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readElf, type ElfFile } from '../elf/index.js';
import { BpfkitError } from '../internal/errors.js';
import { allObjects, corpusDir, label } from '../test-support/corpus.js';
import { decodeInsns, decodeSection, encodeInsns, executableSections } from './codec.js';
import { formatInsn } from './format.js';
import { branchTarget, imm64Of, insnKind, ldImm64, makeInsn, setImm64, type Insn } from './insn.js';
import { BPF_PSEUDO_MAP_VALUE, LD_IMM64 } from './opcodes.js';

const insnTestdata = new URL('./testdata/', import.meta.url).pathname;
const objects = [...allObjects(), join(insnTestdata, 'isa_v4.bpfel.o'), join(insnTestdata, 'isa_v4.bpfeb.o')];

function load(path: string): ElfFile {
  return readElf(new Uint8Array(readFileSync(path)), { file: path });
}

/** Bytes from 64-bit words as written in bpf_conformance's `-- raw` (little-endian slots). */
function wordsToBytes(words: bigint[]): Uint8Array {
  const out = new Uint8Array(words.length * 8);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => view.setBigUint64(i * 8, w, true));
  return out;
}

/** The same slots in the other byte order (registers swapped, off/imm reversed). */
function toBigEndian(le: Uint8Array): Uint8Array {
  const out = new Uint8Array(le.byteLength);
  for (let at = 0; at < le.byteLength; at += 8) {
    out[at] = le[at];
    out[at + 1] = ((le[at + 1] & 0xf) << 4) | (le[at + 1] >> 4);
    out[at + 2] = le[at + 3];
    out[at + 3] = le[at + 2];
    for (let k = 0; k < 4; k++) out[at + 4 + k] = le[at + 7 - k];
  }
  return out;
}

function expectError(fn: () => unknown, code: string, check: (e: BpfkitError) => void = () => {}): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BpfkitError);
    expect((e as BpfkitError).code).toBe(code);
    check(e as BpfkitError);
    return;
  }
  throw new Error('expected a BpfkitError');
}

describe('round trip over the corpus', () => {
  const totals = { objects: 0, sections: 0, instructions: 0, bigEndianSections: 0 };
  afterAll(() => {
    console.log(
      `insn/codec: re-encoded ${totals.instructions} slots in ${totals.sections} executable sections ` +
        `(${totals.bigEndianSections} big-endian) of ${totals.objects} objects`,
    );
  });

  it.each(objects.map((p) => [label(p), p]))('%s: encodeInsns(decodeInsns(x)) is x', (_name, path) => {
    const elf = load(path);
    for (const section of executableSections(elf)) {
      const insns = decodeSection(elf, section); // strict: the corpus has no unknown instructions
      expect(insns.length).toBe(section.data.byteLength / 8);
      expect(Buffer.compare(encodeInsns(insns, elf.littleEndian), section.data)).toBe(0);
      // The ld_imm64 pairs are consistent and walkable by size.
      for (let i = 0; i < insns.length; i += insns[i].size / 8) {
        expect(insns[i].continuation).toBeUndefined();
        if (insns[i].code === LD_IMM64) {
          expect(insns[i + 1].continuation).toBe(true);
          expect(insns[i].imm64).toBe(imm64Of(insns[i], insns[i + 1]));
        }
      }
      totals.sections++;
      totals.instructions += insns.length;
      if (!elf.littleEndian) totals.bigEndianSections++;
    }
    totals.objects++;
  });

  it('covered enough', () => {
    expect(totals.objects).toBeGreaterThanOrEqual(100);
    expect(totals.sections).toBeGreaterThanOrEqual(250);
    expect(totals.bigEndianSections).toBeGreaterThanOrEqual(100);
    expect(totals.instructions).toBeGreaterThanOrEqual(9000);
  });
});

/** Pairs of objects built from one source for both byte orders. */
function twins(): [string, string][] {
  const out: [string, string][] = [];
  for (const el of objects) {
    const eb = el.replace(/-el\.elf$/, '-eb.elf').replace(/_bpfel\.o$/, '_bpfeb.o').replace(/\.bpfel\.o$/, '.bpfeb.o');
    if (eb !== el && existsSync(eb)) out.push([el, eb]);
  }
  return out;
}

describe('byte orders', () => {
  const twinStats = { sections: 0, identical: 0, instructions: 0 };
  afterAll(() =>
    console.log(
      `insn/codec: el/eb twins: ${twinStats.identical} of ${twinStats.sections} sections decode identically (${twinStats.instructions} instructions)`,
    ),
  );

  it.each(objects.filter((p) => !load(p).littleEndian).map((p) => [label(p), p]))(
    '%s: decodes as its byte-mirrored little-endian form',
    (_name, path) => {
      const elf = load(path);
      for (const section of executableSections(elf)) {
        const be = decodeSection(elf, section);
        const mirrored = toBigEndian(section.data); // the mirror is its own inverse
        expect(decodeInsns(mirrored, true)).toEqual(be);
        expect(Buffer.compare(encodeInsns(be, true), mirrored)).toBe(0);
      }
    },
  );

  it.each(twins().map(([el, eb]) => [label(el), el, eb]))('%s and its big-endian twin', (_name, elPath, ebPath) => {
    const el = load(elPath);
    const eb = load(ebPath);
    expect(el.littleEndian).toBe(true);
    expect(eb.littleEndian).toBe(false);
    const elSections = executableSections(el);
    const ebSections = executableSections(eb);
    expect(ebSections.map((s) => s.name)).toEqual(elSections.map((s) => s.name));
    elSections.forEach((s, i) => {
      // The compiler may generate different code for the two byte orders
      // (byte swaps, bitfield shifts), so only count the identical ones.
      const a = decodeSection(el, s);
      const b = decodeSection(eb, ebSections[i]);
      twinStats.sections++;
      if (JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) === JSON.stringify(b, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))) {
        twinStats.identical++;
        twinStats.instructions += a.length;
      }
    });
  });

  it('most twins are identical', () => {
    expect(twinStats.sections).toBeGreaterThanOrEqual(150);
    expect(twinStats.identical).toBeGreaterThanOrEqual(twinStats.sections * 0.8);
  });

  it('the instruction-layer twins are identical', () => {
    const el = load(join(insnTestdata, 'isa_v4.bpfel.o'));
    const eb = load(join(insnTestdata, 'isa_v4.bpfeb.o'));
    const sections = executableSections(el);
    expect(sections.length).toBeGreaterThan(0);
    for (const s of sections) {
      const t = executableSections(eb).find((x) => x.name === s.name)!;
      expect(decodeSection(eb, t)).toEqual(decodeSection(el, s));
      // and each re-encodes to the other byte order's bytes
      expect(Buffer.compare(encodeInsns(decodeSection(el, s), false), t.data)).toBe(0);
    }
  });
});

describe('decoding fields', () => {
  it('reads the register byte per byte order', () => {
    const le = Uint8Array.of(0xbf, 0x21, 0xf8, 0xff, 0x78, 0x56, 0x34, 0x12);
    const be = Uint8Array.of(0xbf, 0x12, 0xff, 0xf8, 0x12, 0x34, 0x56, 0x78);
    const want: Insn = { code: 0xbf, dst: 1, src: 2, off: -8, imm: 0x12345678, size: 8 };
    // (mov with off -8 is not an instruction; allowUnknown keeps it)
    expect(decodeInsns(le, true, { allowUnknown: true })).toEqual([want]);
    expect(decodeInsns(be, false, { allowUnknown: true })).toEqual([want]);
    expect(encodeInsns([want], true)).toEqual(le);
    expect(encodeInsns([want], false)).toEqual(be);
  });

  it('gives ld_imm64 two slots with the value on the first', () => {
    const bytes = Uint8Array.of(0x18, 0x21, 0, 0, 0x88, 0x77, 0x66, 0x55, 0, 0, 0, 0, 0x44, 0x33, 0x22, 0x11, 0x95, 0, 0, 0, 0, 0, 0, 0);
    const insns = decodeInsns(bytes, true);
    expect(insns).toEqual([
      { code: 0x18, dst: 1, src: 2, off: 0, imm: 0x55667788, size: 16, imm64: 0x1122334455667788n },
      { code: 0, dst: 0, src: 0, off: 0, imm: 0x11223344, size: 8, continuation: true },
      { code: 0x95, dst: 0, src: 0, off: 0, imm: 0, size: 8 },
    ]);
    expect(insnKind(insns[0])).toBe('ld_imm64');
    expect(insnKind(insns[1])).toBe('ld_imm64_continuation');
    expect(encodeInsns(insns, true)).toEqual(bytes);
    // big-endian: same model, mirrored bytes
    expect(decodeInsns(toBigEndian(bytes), false)).toEqual(insns);
    expect(encodeInsns(insns, false)).toEqual(toBigEndian(bytes));
  });

  it('keeps imm64 unsigned', () => {
    const [head, tail] = ldImm64(0, -1n);
    expect(head.imm64).toBe(0xffff_ffff_ffff_ffffn);
    expect([head.imm, tail.imm]).toEqual([-1, -1]);
    const back = decodeInsns(encodeInsns([head, tail], true), true);
    expect(back[0].imm64).toBe(0xffff_ffff_ffff_ffffn);
    expect(formatInsn(back[0])).toBe('r0 = -0x1 ll');
  });
});

describe('bpf_conformance raw words', () => {
  const dir = join(corpusDir, 'bpf_conformance', 'tests');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.data')) : [];

  it('finds the suite', () => {
    expect(files.length).toBeGreaterThanOrEqual(300);
  });

  it.each(files.filter((f) => readFileSync(join(dir, f), 'utf8').includes('-- raw')))('%s', (f) => {
    const text = readFileSync(join(dir, f), 'utf8');
    const raw = text.split('-- raw')[1].split(/\n-- /)[0];
    const words = raw
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .filter((l) => l !== '')
      .map((l) => BigInt(l));
    expect(words.length).toBeGreaterThan(0);
    const bytes = wordsToBytes(words);
    for (const [b, le] of [
      [bytes, true],
      [toBigEndian(bytes), false],
    ] as const) {
      const insns = decodeInsns(b, le);
      expect(insns.length).toBe(words.length);
      expect(Buffer.compare(encodeInsns(insns, le), b)).toBe(0);
      if (f === 'lddw.data') {
        // lddw %r0, 0x1122334455667788 ; exit
        expect(insns[0]).toMatchObject({ code: 0x18, dst: 0, src: 0, imm64: 0x1122334455667788n, size: 16 });
        expect(insnKind(insns[2])).toBe('exit');
        expect(formatInsn(insns[0])).toBe('r0 = 0x1122334455667788 ll');
      }
    }
  });
});

describe('bad input', () => {
  const exit = Uint8Array.of(0x95, 0, 0, 0, 0, 0, 0, 0);

  it('rejects a length that is not a multiple of 8', () => {
    expectError(() => decodeInsns(new Uint8Array(12), true, { section: 'xdp' }), 'BAD_VALUE', (e) => {
      expect(e.section).toBe('xdp');
      expect(e.offset).toBe(8);
      expect(e.message).toMatch(/not a multiple of 8/);
    });
  });

  it('rejects an ld_imm64 without its second half', () => {
    const bytes = new Uint8Array(16);
    bytes.set(exit);
    bytes[8] = 0x18;
    expectError(() => decodeInsns(bytes, true, { section: 'socket', file: 'x.o', baseOffset: 0x40 }), 'TRUNCATED', (e) => {
      expect(e.file).toBe('x.o');
      expect(e.section).toBe('socket');
      expect(e.offset).toBe(0x48);
      expect(e.message).toMatch(/instruction 1: ld_imm64 has no second half/);
    });
    // allowUnknown does not make a pair out of nothing
    expectError(() => decodeInsns(bytes, true, { allowUnknown: true }), 'TRUNCATED');
  });

  it('rejects unknown opcodes with the instruction index and offset', () => {
    const bytes = new Uint8Array(24);
    bytes.set(exit, 0);
    bytes.set(exit, 16);
    bytes[8] = 0xff;
    expectError(() => decodeInsns(bytes, true, { section: '.text' }), 'BAD_VALUE', (e) => {
      expect(e.offset).toBe(8);
      expect(e.message).toMatch(/section \.text, offset 0x8: instruction 1: unknown instruction \(code 0xff/);
    });
    const kept = decodeInsns(bytes, true, { allowUnknown: true });
    expect(kept[1]).toEqual({ code: 0xff, dst: 0, src: 0, off: 0, imm: 0, size: 8 });
    expect(insnKind(kept[1])).toBe('unknown');
    expect(formatInsn(kept[1])).toBe('<unknown>');
    expect(encodeInsns(kept, true)).toEqual(bytes);
  });

  it.each([
    ['sdiv with off 2', makeInsn(0x3f, 1, 2, 2)],
    ['mov with off 7', makeInsn(0xbf, 1, 2, 7)],
    ['32-bit movsx from 32 bits', makeInsn(0xbc, 1, 2, 32)],
    ['addr_space_cast in the ALU class', makeInsn(0xbc, 1, 2, 1)],
    ['byte swap of 24 bits', makeInsn(0xd4, 1, 0, 0, 24)],
    ['bswap with the X bit', makeInsn(0xdf, 1, 0, 0, 16)],
    ['neg with the X bit', makeInsn(0x8f, 1, 2)],
    ['atomic sub', makeInsn(0xdb, 1, 2, 0, 0x10)],
    ['8-bit atomic add', makeInsn(0xd3, 1, 2, 0, 0)],
    ['ld_imm64 with pseudo source 7', makeInsn(0x18, 1, 7)],
    ['call with src 3', makeInsn(0x85, 0, 3, 0, 1)],
    ['exit in JMP32', makeInsn(0x96)],
    ['call in JMP32', makeInsn(0x86)],
    ['may_goto with src 1', makeInsn(0xe5, 0, 1)],
    ['JA with the X bit', makeInsn(0x0d)],
    ['jump op 0xf0', makeInsn(0xf5)],
    ['LD ABS of 8 bytes', makeInsn(0x38)],
    ['LDX MEMSX of 8 bytes', makeInsn(0x99, 1, 2)],
    ['ST ATOMIC', makeInsn(0xc2, 1, 2)],
    ['LD MEM', makeInsn(0x61 & ~1)],
  ])('%s is unknown', (_name, insn) => {
    expect(insnKind(insn)).toBe('unknown');
    const bytes = encodeInsns(insn.code === 0x18 ? [insn, { ...makeInsn(0), continuation: true }] : [insn], true);
    expectError(() => decodeInsns(bytes, true), 'BAD_VALUE', (e) => expect(e.offset).toBe(0));
    expect(decodeInsns(bytes, true, { allowUnknown: true })[0]).toMatchObject({ code: insn.code });
  });

  it('rejects a non-zero second half of ld_imm64 unless allowUnknown', () => {
    const [head, tail] = ldImm64(1, 5n);
    const bytes = encodeInsns([head, { ...tail, code: 0x07, dst: 1 }], true);
    expectError(() => decodeInsns(bytes, true), 'BAD_VALUE', (e) => {
      expect(e.offset).toBe(8);
      expect(e.message).toMatch(/second half of ld_imm64/);
    });
    const kept = decodeInsns(bytes, true, { allowUnknown: true });
    expect(kept[1]).toMatchObject({ code: 0x07, dst: 1, continuation: true });
    expect(encodeInsns(kept, true)).toEqual(bytes);
  });

  it('names the file, section and file offset through decodeSection', () => {
    const elf = load(join(insnTestdata, 'isa_v4.bpfel.o'));
    const section = executableSections(elf).find((s) => s.name === 'socket')!;
    const broken = { ...section, data: section.data.slice() };
    broken.data[8 * 5] = 0xff;
    expectError(() => decodeSection(elf, broken), 'BAD_VALUE', (e) => {
      expect(e.file).toBe(elf.fileName);
      expect(e.section).toBe('socket');
      expect(e.offset).toBe(section.offset + 40);
      expect(e.message).toMatch(/instruction 5/);
    });
  });

  it('validates fields when encoding', () => {
    expectError(() => encodeInsns([{ ...makeInsn(0x07), dst: 16 }], true), 'BAD_VALUE', (e) => expect(e.message).toMatch(/instruction 0: dst 16/));
    expectError(() => encodeInsns([makeInsn(0x95), { ...makeInsn(0x07), off: 0x10000 }], true), 'BAD_VALUE', (e) => expect(e.message).toMatch(/instruction 1: off/));
    expectError(() => encodeInsns([{ ...makeInsn(0x07), imm: 2 ** 32 }], true), 'BAD_VALUE');
    expectError(() => encodeInsns([{ ...makeInsn(0x07), imm: 1.5 }], true), 'BAD_VALUE');
    // unsigned spellings are accepted and stored modulo 2^16 / 2^32
    expect(encodeInsns([{ ...makeInsn(0x07), off: 0xffff, imm: 0xffffffff }], true)).toEqual(encodeInsns([makeInsn(0x07, 0, 0, -1, -1)], true));
  });
});

describe('ld_imm64 editing', () => {
  it('refuses an imm64 that disagrees with the slots', () => {
    const insns: Insn[] = [...ldImm64(1, 0x1_0000_0002n), makeInsn(0x95)];
    insns[0].imm = 7; // changed one field only
    expectError(() => encodeInsns(insns, true), 'BAD_VALUE', (e) => expect(e.message).toMatch(/imm64 .* disagrees/));
    setImm64(insns, 0, 0xdead_beef_0000_0007n);
    const back = decodeInsns(encodeInsns(insns, true), true);
    expect(back[0].imm64).toBe(0xdead_beef_0000_0007n);
    expect(back[1].imm).toBe(0xdeadbeef | 0);
  });

  it('encodes an ld_imm64 without a continuation element from imm64', () => {
    const [head] = ldImm64(2, 0x1122334455667788n, BPF_PSEUDO_MAP_VALUE);
    const bytes = encodeInsns([head, makeInsn(0x95)], true);
    expect(bytes.byteLength).toBe(24);
    const back = decodeInsns(bytes, true);
    expect(back[0]).toEqual(head);
    expect(back[2]).toEqual(makeInsn(0x95));
  });

  it('encodes an ld_imm64 without imm64 or continuation as a zero upper half', () => {
    const bytes = encodeInsns([makeInsn(0x18, 1, 0, 0, 5)], true);
    expect(decodeInsns(bytes, true)[0].imm64).toBe(5n);
  });
});

describe('branchTarget', () => {
  it('follows goto, gotol, conditional jumps, may_goto and local calls', () => {
    const insns: Insn[] = [
      makeInsn(0x05, 0, 0, 2), // goto +2 -> 3
      makeInsn(0x06, 0, 0, 0, -2), // gotol -2 -> 0
      makeInsn(0x15, 1, 0, 1, 0), // if r1 == 0 goto +1 -> 4
      makeInsn(0xe5, 0, 0, -4), // may_goto -4 -> 0
      makeInsn(0x85, 0, 1, 0, 1), // call local +1 -> 6
      makeInsn(0x85, 0, 0, 0, 1), // helper call: none
      makeInsn(0x95),
    ];
    expect(insns.map((_, i) => branchTarget(insns, i))).toEqual([3, 0, 4, 0, 6, undefined, undefined]);
  });
});
