/**
 * Differential tests against llvm-objdump-19:
 *
 * - every executable section of every object in the shared corpus,
 *   testdata/obj and src/insn/testdata, with and without --mattr=+alu32;
 * - random instructions (every opcode, fields biased towards the values that
 *   matter) in objects built here, both byte orders, so that the decoder's
 *   corner cases (ignored fields, refused registers, atomics) stay checked.
 *
 * Skipped with a printed reason when llvm-objdump-19 is not installed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHT_PROGBITS,
  SHT_STRTAB,
  SHT_SYMTAB,
  STB_GLOBAL,
  STT_FILE,
  STT_FUNC,
  STT_SECTION,
  addSection,
  createElf,
  encodeSymbols,
  readElf,
  readSymbols,
  writeElf,
  type ElfFile,
  type ElfSection,
} from '../elf/index.js';
import { allObjects, label, which } from '../test-support/corpus.js';
import { decodeInsns, decodeSection, encodeInsns, executableSections } from './codec.js';
import { disassembleLines, type DisassembleOptions, type SectionSymbol } from './format.js';
import { insnKind, makeInsn, type Insn } from './insn.js';

const OBJDUMP = 'llvm-objdump-19';
const objdump = which(OBJDUMP);
if (objdump === undefined) console.log(`insn/objdump: ${OBJDUMP} is not on PATH (apt-get install llvm-19); skipping the differential tests`);
const insnTestdata = new URL('./testdata/', import.meta.url).pathname;
const objects = [...allObjects(), join(insnTestdata, 'isa_v4.bpfel.o'), join(insnTestdata, 'isa_v4.bpfeb.o')];

interface DumpLine {
  index: number;
  /** Instruction text without llvm-objdump's target annotation. */
  text: string;
  /** The whole text, annotation included. */
  full: string;
}

/** Instruction lines of `llvm-objdump -d --no-show-raw-insn`, per section in output order. */
function runObjdump(path: string, extra: string[] = []): { name: string; lines: DumpLine[] }[] {
  const out = execFileSync(OBJDUMP, ['-d', '--no-show-raw-insn', ...extra, path], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const sections: { name: string; lines: DumpLine[] }[] = [];
  for (const line of out.split('\n')) {
    const sec = /^Disassembly of section (.*):$/.exec(line);
    if (sec) {
      sections.push({ name: sec[1], lines: [] });
      continue;
    }
    const m = /^ *(\d+):\t(.*)$/.exec(line);
    if (m && sections.length > 0) {
      const full = m[2];
      sections[sections.length - 1].lines.push({ index: Number(m[1]), text: stripAnnotation(full), full });
    }
  }
  return sections;
}

/** Drop a trailing ` <symbol+0x..>` (but `<unknown>` is an instruction text). */
function stripAnnotation(t: string): string {
  return t === '<unknown>' ? t : t.replace(/ <[^<>]*>$/, '');
}

/** The symbols llvm-objdump can name jump targets after: those defined in the section. */
function sectionSymbols(elf: ElfFile, section: ElfSection): SectionSymbol[] {
  return readSymbols(elf)
    .filter((s) => s.shndx === section.index && s.type !== STT_SECTION && s.type !== STT_FILE)
    .map((s) => ({ name: s.name, offset: Number(s.value) }));
}

const totals = { files: 0, sections: 0, instructions: 0, alu32Instructions: 0, annotated: 0, annotationMismatches: 0 };

describe.skipIf(objdump === undefined)(`disassembly equals ${OBJDUMP}`, () => {
  afterAll(() => {
    console.log(
      `insn/objdump: compared ${totals.instructions} instructions in ${totals.sections} sections of ${totals.files} objects ` +
        `(+${totals.alu32Instructions} with --mattr=+alu32); ${totals.annotated} jump annotations compared`,
    );
  });

  it.each(objects.map((p) => [label(p), p]))('%s', (_name, path) => {
    const elf = readElf(new Uint8Array(readFileSync(path)), { file: path });
    // llvm-objdump skips empty sections.
    const ours = executableSections(elf).filter((s) => s.data.byteLength > 0);
    for (const [extra, alu32] of [[[], false], [['--mattr=+alu32'], true]] as const) {
      const theirs = runObjdump(path, [...extra]);
      expect(theirs.map((s) => s.name)).toEqual(ours.map((s) => s.name));
      ours.forEach((section, i) => {
        const insns = decodeSection(elf, section, { allowUnknown: true });
        const opts: DisassembleOptions = { alu32, symbols: sectionSymbols(elf, section) };
        const lines = disassembleLines(insns, opts);
        const expected = theirs[i].lines;
        const strip = (l: { index: number; text: string }) => `${l.index}: ${stripAnnotation(l.text)}`;
        expect(lines.map(strip), `${section.name}`).toEqual(expected.map(strip));
        if (alu32) {
          totals.alu32Instructions += lines.length;
          return;
        }
        totals.sections++;
        totals.instructions += lines.length;
        // With the section's symbols the whole line, annotation included, matches.
        lines.forEach((l, j) => {
          if (l.target === undefined) return;
          totals.annotated++;
          expect(`${l.index}: ${l.text}`).toBe(`${expected[j].index}: ${expected[j].full}`);
        });
      });
    }
    totals.files++;
  });

  it('compared enough', () => {
    // The corpus has ~120 objects and ~9000 instructions; far fewer means
    // the objects were not found, not that the corpus shrank.
    expect(totals.files).toBeGreaterThanOrEqual(100);
    expect(totals.sections).toBeGreaterThanOrEqual(200);
    expect(totals.instructions).toBeGreaterThanOrEqual(8000);
    expect(totals.annotated).toBeGreaterThanOrEqual(800);
  });
});

/** A deterministic PRNG (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

/** Opcodes the ISA defines for some values of the other fields. */
const DEFINED_CODES = Array.from({ length: 256 }, (_, c) => c).filter((c) =>
  [0, 1, 8].some((off) => [0, 16, 0x100].some((imm) => insnKind(makeInsn(c, 1, 0, off, imm)) !== 'unknown')),
);

/** Random instructions whose fields hit the values the decoders care about. */
function randomProgram(seed: number, count: number): Insn[] {
  const r = rng(seed);
  const offs = [1, 8, 16, 32, -1, -8, 2, 0x7fff, -0x8000, 4];
  const imms = [0, 0, 1, 16, 32, 64, -1, 0x7fffffff, -0x80000000, 0x100, 0x110, 0x101, 0xe1, 0xf1, 0x41, 0x51, 0xa1, 0x40, 0x50, 0xa0, 0x10001];
  const out: Insn[] = [];
  for (let i = 0; i < count; i++) {
    const code = r() < 0.75 ? pick(r, DEFINED_CODES) : Math.floor(r() * 256);
    const reg = () => (r() < 0.85 ? Math.floor(r() * 11) : Math.floor(r() * 16));
    const off = r() < 0.5 ? 0 : r() < 0.6 ? pick(r, offs) : Math.floor(r() * 0x10000) - 0x8000;
    const imm = r() < 0.6 ? pick(r, imms) : (Math.floor(r() * 0x100000000) | 0) >> (r() < 0.5 ? 0 : Math.floor(r() * 32));
    out.push(makeInsn(code, reg(), reg(), off, imm));
  }
  return out;
}

/** Slots written field by field, independently of encodeInsns. */
function rawBytes(program: readonly Insn[], littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(program.length * 8);
  const view = new DataView(out.buffer);
  program.forEach((x, i) => {
    out[i * 8] = x.code;
    out[i * 8 + 1] = littleEndian ? (x.src << 4) | x.dst : (x.dst << 4) | x.src;
    view.setInt16(i * 8 + 2, x.off, littleEndian);
    view.setInt32(i * 8 + 4, x.imm, littleEndian);
  });
  return out;
}

/** A relocatable BPF object with one executable section holding `code`. */
function objectWith(code: Uint8Array, littleEndian: boolean): Uint8Array {
  const elf = createElf({ littleEndian });
  const text = addSection(elf, { name: '.text', type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_EXECINSTR, addralign: 8, data: code });
  const strtab = addSection(elf, { name: '.strtab', type: SHT_STRTAB, addralign: 1, data: new TextEncoder().encode('\0f\0') });
  const symbols = [
    { index: 0, name: '', nameOffset: 0, value: 0n, size: 0n, bind: 0, type: 0, visibility: 0, other: 0, shndx: 0 },
    { index: 1, name: 'f', nameOffset: 1, value: 0n, size: BigInt(code.byteLength), bind: STB_GLOBAL, type: STT_FUNC, visibility: 0, other: 0, shndx: text.index },
  ];
  addSection(elf, { name: '.symtab', type: SHT_SYMTAB, link: strtab.index, info: 1, entsize: 24, addralign: 8, data: encodeSymbols(symbols, littleEndian) });
  return writeElf(elf);
}

describe.skipIf(objdump === undefined)(`random instructions vs ${OBJDUMP}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfkit-insn-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let compared = 0;
  let unknown = 0;

  it.each([
    [1, true],
    [2, false],
    [3, true],
    [4, false],
  ])('seed %i, little-endian %s', (seed, littleEndian) => {
    // An instruction at the very end is never a 0x18 (that is a decode error).
    const program = randomProgram(seed, 4000);
    if (program[program.length - 1].code === 0x18) program[program.length - 1].code = 0x95;
    const bytes = rawBytes(program, littleEndian);
    const path = join(dir, `random-${seed}.o`);
    writeFileSync(path, objectWith(bytes, littleEndian));
    const insns = decodeInsns(bytes, littleEndian, { allowUnknown: true });
    expect(Buffer.compare(encodeInsns(insns, littleEndian), bytes)).toBe(0);
    const symbols = [{ name: 'f', offset: 0 }];
    for (const [extra, opts] of [
      [[], {}],
      [['--mattr=+alu32'], { alu32: true }],
    ] as const) {
      const expected = runObjdump(path, [...extra]);
      expect(expected.length).toBe(1);
      const got = disassembleLines(insns, { ...opts, symbols }).map((l) => `${l.index}: ${l.text}`);
      expect(got).toEqual(expected[0].lines.map((l) => `${l.index}: ${l.full}`));
      compared += got.length;
      unknown += got.filter((l) => l.endsWith("<unknown>")).length;
    }
  });

  it('compared enough random instructions', () => {
    console.log(`insn/objdump: ${compared} random instructions compared (${unknown} of them <unknown>)`);
    // Most random opcodes decode, so the comparison is not just of <unknown>s.
    expect(unknown).toBeLessThan(compared * 0.5);
    expect(compared).toBeGreaterThanOrEqual(25000);
  });
});
