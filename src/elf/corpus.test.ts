import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir, corpusObjects, label, testdataDir, testdataObjects } from '../test-support/corpus.js';
import {
  R_BPF_64_32,
  R_BPF_64_64,
  R_BPF_64_ABS32,
  R_BPF_64_ABS64,
  R_BPF_64_NODYLD32,
  R_BPF_NONE,
  SHT_REL,
  SHT_RELA,
  SHT_SYMTAB,
  STT_SECTION,
  bpfRelocationTypeName,
  encodeRelocations,
  encodeSymbols,
  keepsRecordedLayout,
  readElf,
  readRelocations,
  readSymbols,
  relocationSections,
  symbolTable,
  writeElf,
  type ElfFile,
} from './index.js';

const corpusFiles = corpusObjects();
const testdataFiles = testdataObjects();
const allFiles = [...corpusFiles, ...testdataFiles];

/** Byte equality without vitest's element-by-element diff, which is slow on large arrays. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.byteLength).toBe(expected.byteLength);
  expect(Buffer.compare(actual, expected)).toBe(0);
}

function load(path: string): { bytes: Uint8Array; elf: ElfFile } {
  const bytes = new Uint8Array(readFileSync(path));
  return { bytes, elf: readElf(bytes, { file: path }) };
}

describe('corpus', () => {
  it('finds the shared corpus', () => {
    console.log(`elf corpus: ${corpusFiles.length} objects in ${corpusDir}, ${testdataFiles.length} in ${testdataDir}`);
    // Far fewer than the ~100 objects means the path is wrong, not that the corpus shrank.
    expect(corpusFiles.length).toBeGreaterThanOrEqual(50);
  });

  it.each(allFiles.map((p) => [label(p), p]))('%s: writeElf(readElf(x)) is x', (_name, path) => {
    const { bytes, elf } = load(path);
    expect(keepsRecordedLayout(elf)).toBe(true);
    const out = writeElf(elf);
    expect(out.byteLength).toBe(bytes.byteLength);
    expectSameBytes(out, bytes);
  });

  it.each(allFiles.map((p) => [label(p), p]))('%s: symbols and relocations re-encode exactly', (_name, path) => {
    const { elf } = load(path);
    const symtab = symbolTable(elf);
    expect(symtab).toBeDefined();
    const symbols = readSymbols(elf);
    expectSameBytes(encodeSymbols(symbols, elf.littleEndian), symtab!.data);
    for (const s of symbols) {
      if (s.shndx !== 0 && s.shndx < 0xff00) expect(s.shndx).toBeLessThan(elf.sections.length);
    }
    for (const sec of relocationSections(elf)) {
      const relocs = readRelocations(elf, sec);
      expectSameBytes(encodeRelocations(relocs, elf.littleEndian, sec.type === SHT_RELA), sec.data);
      for (const r of relocs) expect(r.symbol).toBeLessThan(symbols.length);
    }
  });

  it.each(allFiles.map((p) => [label(p), p]))('%s: fresh layout re-reads to the same content', (_name, path) => {
    const { elf } = load(path);
    const fresh = writeElf(elf, { layout: 'fresh' });
    const again = readElf(fresh);
    expect(again.sections.map(summary)).toEqual(elf.sections.map(summary));
    expect(readSymbols(again)).toEqual(readSymbols(elf));
    for (const sec of relocationSections(elf)) {
      expect(readRelocations(again, again.sections[sec.index])).toEqual(readRelocations(elf, sec));
    }
    // The fresh layout is itself stable: written again it does not move.
    expectSameBytes(writeElf(again), fresh);
    expectSameBytes(writeElf(elf, { layout: 'fresh' }), fresh);
    let last = 64;
    for (const s of again.sections) {
      if (s.data.byteLength === 0) continue;
      expect(s.offset).toBeGreaterThanOrEqual(last);
      if (s.addralign > 1) expect(s.offset % s.addralign).toBe(0);
      last = s.offset + s.data.byteLength;
    }
    expect(again.header.shoff % 8).toBe(0);
    expect(again.header.shoff).toBeGreaterThanOrEqual(last);
    expect(again.header.shoff + again.sections.length * 64).toBe(fresh.byteLength);
  });
});

/** Everything about a section except where it sits in the file. */
function summary(s: ElfFile['sections'][number]): unknown {
  return {
    index: s.index,
    name: s.name,
    nameOffset: s.nameOffset,
    type: s.type,
    flags: s.flags,
    addr: s.addr,
    size: s.size,
    link: s.link,
    info: s.info,
    addralign: s.addralign,
    entsize: s.entsize,
    data: Buffer.from(s.data).toString('hex'),
  };
}

describe('byte-order twins', () => {
  const twinOf = (p: string): string | undefined => {
    const b = basename(p);
    const swapped = b.replace(/-el\.elf$/, '-eb.elf').replace(/_bpfel\.o$/, '_bpfeb.o');
    return swapped === b ? undefined : join(p, '..', swapped);
  };
  const pairs = corpusFiles
    .map((p) => [p, twinOf(p)] as const)
    .filter((x): x is readonly [string, string] => x[1] !== undefined && existsSync(x[1]));

  it('has twins to compare', () => {
    console.log(`elf twins: ${pairs.length} little/big-endian pairs`);
    expect(pairs.length).toBeGreaterThanOrEqual(20);
  });

  it.each(pairs.map(([el, eb]) => [label(el), el, eb]))('%s matches its big-endian twin', (_name, elPath, ebPath) => {
    const el = load(elPath).elf;
    const eb = load(ebPath).elf;
    expect(el.littleEndian).toBe(true);
    expect(eb.littleEndian).toBe(false);
    expect(eb.header.machine).toBe(el.header.machine);
    expect(eb.sections.map((s) => [s.name, s.type])).toEqual(el.sections.map((s) => [s.name, s.type]));
    const names = (e: ElfFile): string[] => readSymbols(e).map((s) => `${s.name}/${s.bind}/${s.type}/${s.shndx}`);
    expect(names(eb)).toEqual(names(el));
    // Offsets may differ: byte-order helpers (bpf_ntohs etc.) compile to
    // different code per order (so even .BTF.ext line-info counts differ);
    // compare which symbols are relocated how.
    const relocs = (e: ElfFile): string[] =>
      relocationSections(e).map((s) => {
        const syms = readSymbols(e);
        const kinds = readRelocations(e, s).map((r) => `${r.type}:${syms[r.symbol].name}`);
        return `${s.name}: ${[...new Set(kinds)].sort().join(' ')}`;
      });
    expect(relocs(eb)).toEqual(relocs(el));
  });
});

const KNOWN_TYPES = new Set([R_BPF_NONE, R_BPF_64_64, R_BPF_64_ABS64, R_BPF_64_ABS32, R_BPF_64_NODYLD32, R_BPF_64_32]);

/** Prefer llvm-readelf (knows every BPF relocation name); fall back to GNU readelf. */
function findReadelf(): string | undefined {
  for (const tool of ['llvm-readelf-19', 'llvm-readelf', 'readelf']) {
    if (spawnSync(tool, ['--version'], { encoding: 'utf8' }).status === 0) return tool;
  }
  return undefined;
}

describe('agrees with readelf', () => {
  const tool = findReadelf();
  if (tool === undefined) {
    it.skip('readelf is not installed', () => {});
    console.log('elf: skipping readelf cross-check: no llvm-readelf or readelf on PATH');
    return;
  }

  it.each(allFiles.map((p) => [label(p), p]))(`%s: symbols and relocations match ${tool}`, (_name, path) => {
    const { elf } = load(path);
    const run = (flag: string): string => {
      const r = spawnSync(tool, [flag, '-W', path], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      return r.stdout;
    };

    // Symbols: "  Num: Value Size Type Bind Vis Ndx Name"
    const theirs = run('-s')
      .split('\n')
      .map((l) => /^\s*(\d+):\s+([0-9a-f]+)\s+(\d+|0x[0-9a-f]+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s?(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null);
    const ours = readSymbols(elf);
    expect(theirs.length).toBe(ours.length);
    const typeNames: Record<number, string> = { 0: 'NOTYPE', 1: 'OBJECT', 2: 'FUNC', 3: 'SECTION', 4: 'FILE' };
    const bindNames: Record<number, string> = { 0: 'LOCAL', 1: 'GLOBAL', 2: 'WEAK' };
    for (const m of theirs) {
      const s = ours[Number(m[1])];
      expect(BigInt('0x' + m[2])).toBe(s.value);
      expect(BigInt(m[3])).toBe(s.size);
      expect(m[4]).toBe(typeNames[s.type]);
      expect(m[5]).toBe(bindNames[s.bind]);
      const ndx = m[7] === 'UND' ? 0 : m[7] === 'ABS' ? 0xfff1 : m[7] === 'COM' ? 0xfff2 : Number(m[7]);
      expect(ndx).toBe(s.shndx);
      // Section symbols are displayed with their section's name, not their own.
      if (s.type !== STT_SECTION) expect(m[8]).toBe(s.name);
    }

    // Relocations: one block per section, rows "Offset Info Type ...".
    const blocks = run('-r').split(/\nRelocation section '/).slice(1);
    const relSecs = relocationSections(elf);
    expect(blocks.length).toBe(relSecs.length);
    blocks.forEach((block, i) => {
      const sec = relSecs[i];
      expect(block.startsWith(`${sec.name}'`)).toBe(true);
      const rows = block
        .split('\n')
        .map((l) => /^([0-9a-f]{16})\s+([0-9a-f]{16})\s+(\S+)/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null);
      const relocs = readRelocations(elf, sec);
      expect(rows.length).toBe(relocs.length);
      rows.forEach((m, j) => {
        const r = relocs[j];
        expect(BigInt('0x' + m[1])).toBe(r.offset);
        const info = BigInt('0x' + m[2]);
        expect(Number(info >> 32n)).toBe(r.symbol);
        expect(Number(info & 0xffffffffn)).toBe(r.type);
        // GCC objects may carry types LLVM does not name (e.g. 12, binutils' R_BPF_DATA_64).
        if (tool.startsWith('llvm')) expect(m[3]).toBe(KNOWN_TYPES.has(r.type) ? bpfRelocationTypeName(r.type) : 'Unknown');
      });
    });
    expect(elf.sections.some((s) => s.type === SHT_SYMTAB)).toBe(true);
    expect(relSecs.every((s) => s.type === SHT_REL || s.type === SHT_RELA)).toBe(true);
  });
});
