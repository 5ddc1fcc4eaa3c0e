import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusDir } from '../test-support/corpus.js';
import { describe, expect, it } from 'vitest';
import {
  EHDR_OFFSET,
  EM_BPF,
  ET_REL,
  R_BPF_64_64,
  R_BPF_64_ABS64,
  SHF_ALLOC,
  SHF_EXCLUDE,
  SHF_EXECINSTR,
  SHF_INFO_LINK,
  SHF_WRITE,
  SHN_ABS,
  SHN_XINDEX,
  SHT_LLVM_ADDRSIG,
  SHT_NOBITS,
  SHT_PROGBITS,
  SHT_REL,
  SHT_RELA,
  SHT_STRTAB,
  SHT_SYMTAB,
  SHT_SYMTAB_SHNDX,
  STB_GLOBAL,
  STB_LOCAL,
  STT_FUNC,
  STT_NOTYPE,
  STT_OBJECT,
  STT_SECTION,
  STV_DEFAULT,
  STV_HIDDEN,
  addSection,
  createElf,
  encodeRelocations,
  encodeSymbolIndexes,
  encodeSymbols,
  findSection,
  keepsRecordedLayout,
  readElf,
  readRelocations,
  readSymbols,
  writeElf,
  type ElfFile,
  type ElfRelocation,
  type ElfSymbol,
} from './index.js';

const readelf = ['llvm-readelf-19', 'llvm-readelf', 'readelf'].find(
  (t) => spawnSync(t, ['--version'], { encoding: 'utf8' }).status === 0,
);

/** Run readelf on bytes; undefined (with a printed reason) when it is absent. */
function readelfOn(bytes: Uint8Array, ...flags: string[]): { stdout: string; stderr: string; status: number | null } | undefined {
  if (readelf === undefined) {
    console.log('elf: readelf not installed, skipping its view of a hand-built file');
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'bpfkit-elf-'));
  try {
    const path = join(dir, 'x.o');
    writeFileSync(path, bytes);
    const r = spawnSync(readelf, [...flags, '-W', path], { encoding: 'utf8' });
    return { stdout: r.stdout, stderr: r.stderr, status: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sym(p: Partial<ElfSymbol> & Pick<ElfSymbol, 'index' | 'name' | 'nameOffset'>): ElfSymbol {
  return { value: 0n, size: 0n, bind: STB_LOCAL, type: STT_NOTYPE, visibility: STV_DEFAULT, other: 0, shndx: 0, ...p };
}

/** A small BPF-like object: code, a NOBITS map area, symbols and both relocation flavours. */
function buildObject(littleEndian: boolean): { elf: ElfFile; symbols: ElfSymbol[]; rel: ElfRelocation[]; rela: ElfRelocation[] } {
  const elf = createElf({ littleEndian, fileName: 'hand.o' });
  // lddw r1, 0 ; exit — the bytes only need to be plausible.
  const code = Uint8Array.of(0x18, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0);
  const text = addSection(elf, { name: 'xdp', type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_EXECINSTR, addralign: 8, data: code });
  const bss = addSection(elf, { name: '.bss', type: SHT_NOBITS, flags: SHF_ALLOC | SHF_WRITE, addralign: 8, size: 16 });
  const data = addSection(elf, { name: '.data', type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_WRITE, addralign: 4, data: Uint8Array.of(1, 2, 3, 4, 5) });
  const strtab = addSection(elf, { name: '.strtab', type: SHT_STRTAB, addralign: 1, data: new TextEncoder().encode('\0prog\0my_map\0ptr\0') });
  const symbols: ElfSymbol[] = [
    sym({ index: 0, name: '', nameOffset: 0 }),
    sym({ index: 1, name: '', nameOffset: 0, type: STT_SECTION, shndx: text.index }),
    sym({ index: 2, name: 'prog', nameOffset: 1, bind: STB_GLOBAL, type: STT_FUNC, shndx: text.index, size: 24n }),
    sym({ index: 3, name: 'my_map', nameOffset: 6, bind: STB_GLOBAL, type: STT_OBJECT, shndx: bss.index, size: 16n, visibility: STV_HIDDEN, other: STV_HIDDEN }),
    sym({ index: 4, name: 'ptr', nameOffset: 13, bind: STB_GLOBAL, type: STT_OBJECT, shndx: SHN_ABS, value: 0xffff_ffff_ffff_fff0n }),
  ];
  const symtab = addSection(elf, {
    name: '.symtab',
    type: SHT_SYMTAB,
    link: strtab.index,
    info: 2,
    addralign: 8,
    entsize: 24,
    data: encodeSymbols(symbols, littleEndian),
  });
  const rel: ElfRelocation[] = [{ index: 0, offset: 0n, symbol: 3, type: R_BPF_64_64 }];
  addSection(elf, {
    name: '.relxdp',
    type: SHT_REL,
    flags: SHF_INFO_LINK,
    link: symtab.index,
    info: text.index,
    addralign: 8,
    entsize: 16,
    data: encodeRelocations(rel, littleEndian, false),
  });
  const rela: ElfRelocation[] = [{ index: 0, offset: 0n, symbol: 4, type: R_BPF_64_ABS64, addend: -8n }];
  addSection(elf, {
    name: '.rela.data',
    type: SHT_RELA,
    flags: SHF_INFO_LINK,
    link: symtab.index,
    info: data.index,
    addralign: 8,
    entsize: 24,
    data: encodeRelocations(rela, littleEndian, true),
  });
  addSection(elf, { name: '.llvm_addrsig', type: SHT_LLVM_ADDRSIG, flags: SHF_EXCLUDE, link: symtab.index, data: Uint8Array.of(2, 3) });
  addSection(elf, { name: '.vendor', type: 0x7000_0001, addralign: 2, data: Uint8Array.of(0xde, 0xad, 0xbe, 0xef) });
  return { elf, symbols, rel, rela };
}

describe('hand-built objects', () => {
  for (const littleEndian of [true, false]) {
    const order = littleEndian ? 'little-endian' : 'big-endian';

    it(`writes and re-reads a ${order} object`, () => {
      const { elf, symbols, rel, rela } = buildObject(littleEndian);
      const bytes = writeElf(elf);
      const back = readElf(bytes, { file: 'hand.o' });
      expect(back.littleEndian).toBe(littleEndian);
      expect(back.header.machine).toBe(EM_BPF);
      expect(back.header.type).toBe(ET_REL);
      expect(back.sections.map((s) => s.name)).toEqual([
        '', '.shstrtab', 'xdp', '.bss', '.data', '.strtab', '.symtab', '.relxdp', '.rela.data', '.llvm_addrsig', '.vendor',
      ]);
      expect(findSection(back, '.bss')!.size).toBe(16);
      expect(findSection(back, '.bss')!.data.byteLength).toBe(0);
      expect(Array.from(findSection(back, '.vendor')!.data)).toEqual([0xde, 0xad, 0xbe, 0xef]);
      for (const s of back.sections) {
        // The model's name table was left alone; the written one gained the names.
        if (s.name !== '.shstrtab') expect(s.data).toEqual(elf.sections[s.index].data);
        if (s.addralign > 1) expect(s.offset % s.addralign).toBe(0);
      }
      expect(readSymbols(back)).toEqual(symbols);
      expect(readRelocations(back, findSection(back, '.relxdp')!)).toEqual(rel);
      expect(readRelocations(back, findSection(back, '.rela.data')!)).toEqual(rela);
      // Reading then writing the fresh file is exact, and writing is deterministic.
      expect(writeElf(back)).toEqual(bytes);
      expect(writeElf(elf)).toEqual(bytes);

      const view = readelfOn(bytes, '-S', '-s', '-r');
      if (view !== undefined) {
        expect(view.status).toBe(0);
        expect(view.stderr).toBe('');
        expect(view.stdout).toContain('.rela.data');
        expect(view.stdout).toMatch(/\bprog\b/);
        expect(view.stdout).toMatch(/\bmy_map\b/);
      }
    });
  }

  it('keeps the layout for shrunk sections and relays out grown ones', () => {
    const bytes = writeElf(buildObject(true).elf);
    const elf = readElf(bytes);
    const data = findSection(elf, '.data')!;
    data.data = Uint8Array.of(9);
    expect(keepsRecordedLayout(elf)).toBe(true);
    let back = readElf(writeElf(elf));
    expect(back.header.shoff).toBe(elf.header.shoff);
    expect(findSection(back, '.data')!.size).toBe(1);
    expect(findSection(back, '.data')!.offset).toBe(data.offset);

    data.data = new Uint8Array(100).fill(7);
    expect(keepsRecordedLayout(elf)).toBe(false);
    back = readElf(writeElf(elf));
    expect(findSection(back, '.data')!.data).toEqual(data.data);
    expect(readSymbols(back)).toEqual(readSymbols(elf));
    expect(findSection(back, '.vendor')!.data).toEqual(findSection(elf, '.vendor')!.data);
  });

  it('enters new and changed section names into the name table', () => {
    const elf = readElf(writeElf(buildObject(false).elf));
    const before = findSection(elf, '.shstrtab')!.data.byteLength;
    findSection(elf, '.vendor')!.name = '.data'; // an existing string: reused
    findSection(elf, '.llvm_addrsig')!.name = 'addrsig'; // new: appended
    addSection(elf, { name: '.maps', type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_WRITE, addralign: 8, data: new Uint8Array(32) });
    addSection(elf, { name: '.maps', type: SHT_PROGBITS, data: new Uint8Array(1) }); // appended once
    const back = readElf(writeElf(elf));
    expect(back.sections.map((s) => s.name).slice(-4)).toEqual(['addrsig', '.data', '.maps', '.maps']);
    expect(findSection(back, '.shstrtab')!.data.byteLength).toBe(before + 'addrsig\0.maps\0'.length);
    // Untouched sections keep their recorded name offsets.
    expect(findSection(back, 'xdp')!.nameOffset).toBe(findSection(elf, 'xdp')!.nameOffset);
    expect(findSection(back, '.maps')!.data.byteLength).toBe(32);
  });

  it('keeps program headers as opaque bytes', () => {
    const elf = buildObject(true).elf;
    const phdrs = new Uint8Array(2 * 56).map((_, i) => (i * 7) & 0xff);
    elf.programHeaders = phdrs;
    elf.header.phentsize = 56;
    const bytes = writeElf(elf);
    const back = readElf(bytes);
    expect(back.header.phnum).toBe(2);
    expect(back.header.phoff % 8).toBe(0);
    expect(back.programHeaders).toEqual(phdrs);
    expect(writeElf(back)).toEqual(bytes);
    delete back.programHeaders;
    const without = readElf(writeElf(back));
    expect(without.programHeaders).toBeUndefined();
    expect(without.header.phnum).toBe(0);
  });

  it('reads and reproduces extended section numbering in a small file', () => {
    const elf = buildObject(true).elf;
    elf.header.shnum = 0;
    elf.sections[0].size = elf.sections.length;
    elf.header.shstrndx = SHN_XINDEX;
    elf.sections[0].link = 1;
    const bytes = writeElf(elf);
    const dv = new DataView(bytes.buffer);
    expect(dv.getUint16(EHDR_OFFSET.shnum, true)).toBe(0);
    expect(dv.getUint16(EHDR_OFFSET.shstrndx, true)).toBe(SHN_XINDEX);
    const back = readElf(bytes);
    expect(back.sections.length).toBe(elf.sections.length);
    expect(back.sections[2].name).toBe('xdp');
    expect(writeElf(back)).toEqual(bytes);
    const view = readelfOn(bytes, '-S');
    if (view !== undefined) {
      expect(view.status).toBe(0);
      expect(view.stdout).toContain('.rela.data');
    }
  });

  it('escapes to extended numbering when there are more than 0xff00 sections', () => {
    const littleEndian = false;
    const elf = createElf({ littleEndian });
    const strtab = addSection(elf, { name: '.strtab', type: SHT_STRTAB, data: new TextEncoder().encode('\0far\0') });
    while (elf.sections.length < 0xff08) addSection(elf, { name: 's', type: SHT_PROGBITS });
    const far = addSection(elf, { name: 'far', type: SHT_PROGBITS, addralign: 8, data: new Uint8Array(8).fill(0xaa) });
    const names = addSection(elf, { name: '.shstrtab2', type: SHT_STRTAB, data: new TextEncoder().encode('\0') });
    elf.header.shstrndx = SHN_XINDEX;
    elf.sections[0].link = names.index;
    const symbols: ElfSymbol[] = [
      sym({ index: 0, name: '', nameOffset: 0 }),
      sym({ index: 1, name: 'far', nameOffset: 1, bind: STB_GLOBAL, type: STT_OBJECT, shndx: far.index, extendedIndex: true }),
    ];
    const symtab = addSection(elf, {
      name: '.symtab',
      type: SHT_SYMTAB,
      link: strtab.index,
      info: 1,
      entsize: 24,
      addralign: 8,
      data: encodeSymbols(symbols, littleEndian),
    });
    addSection(elf, { name: '.symtab_shndx', type: SHT_SYMTAB_SHNDX, link: symtab.index, entsize: 4, addralign: 4, data: encodeSymbolIndexes(symbols, littleEndian)! });

    const bytes = writeElf(elf);
    const dv = new DataView(bytes.buffer);
    expect(dv.getUint16(EHDR_OFFSET.shnum, littleEndian)).toBe(0);
    expect(dv.getUint16(EHDR_OFFSET.shstrndx, littleEndian)).toBe(SHN_XINDEX);
    const back = readElf(bytes);
    expect(back.sections.length).toBe(elf.sections.length);
    expect(back.sections[0].size).toBe(elf.sections.length);
    expect(back.sections[far.index].name).toBe('far');
    expect(back.sections[names.index].name).toBe('.shstrtab2');
    const syms = readSymbols(back);
    expect(syms[1].shndx).toBe(far.index);
    expect(syms[1].extendedIndex).toBe(true);
    expect(encodeSymbols(syms, littleEndian)).toEqual(findSection(back, '.symtab')!.data);
    // Buffer.compare: a deep toEqual over 4 MiB takes many seconds.
    expect(Buffer.compare(writeElf(back), bytes)).toBe(0);
  });
});

describe('corpus objects survive edits', () => {
  it('adding a section to a clang object keeps everything else readable', () => {
    const path = join(corpusDir, 'cilium-ebpf/testdata/loader-eb.elf');
    const bytes = new Uint8Array(readFileSync(path));
    const elf = readElf(bytes, { file: path });
    addSection(elf, { name: '.note.bpfkit', type: 7, addralign: 4, data: new Uint8Array(12).fill(1) });
    const out = writeElf(elf);
    const back = readElf(out);
    expect(back.sections.length).toBe(elf.sections.length);
    expect(findSection(back, '.note.bpfkit')!.data).toEqual(new Uint8Array(12).fill(1));
    expect(readSymbols(back)).toEqual(readSymbols(readElf(bytes)));
  });
});
