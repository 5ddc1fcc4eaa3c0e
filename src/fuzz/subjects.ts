/**
 * The seed inputs of the fuzz harness and a map of where their structures
 * lie ("landmarks"), so that mutators can aim at the fields parsers trust
 * (counts, offsets, kinds) instead of hitting them by chance.
 *
 * Landmarks come from parsing each unmutated input once with bpfkit itself.
 * That is sound because the corpus objects are well-formed; an input that
 * does not parse simply gets fewer landmarks (generic mutators still apply).
 *
 * This file is compiled to dist/fuzz/, so it finds the corpus itself rather
 * than through src/test-support (which the build excludes).
 */
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBtf, parseBtfExt, type Btf } from '../btf/index.js';
import {
  SHT_DYNSYM,
  SHT_REL,
  SHT_RELA,
  SHT_SYMTAB,
  findSection,
  readElf,
  type ElfFile,
  type ElfSection,
} from '../elf/index.js';
import { listFilesRecursive } from '../internal/files.js';

/** src/fuzz/x.ts and dist/fuzz/x.js both sit two levels below the root. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const corpusDir = join(repoRoot, '..', 'shared', 'corpus');
export const testdataObjDir = join(repoRoot, 'testdata', 'obj');
const testmodBtf = join(corpusDir, 'cilium-ebpf', 'btf', 'testdata', 'btf_testmod.btf');
const testmodBase = join(corpusDir, 'cilium-ebpf', 'btf', 'testdata', 'btf_testmod.btf.base');

/** ELF object, raw BTF blob, or raw .BTF.ext blob. */
export type SubjectKind = 'elf' | 'btf' | 'btfext';

export interface ElfMarks {
  shoff: number;
  /** Absolute offset of each section header. */
  headers: number[];
  /** Per section: type and where its data lies (absolute). */
  sections: { type: number; offset: number; size: number }[];
  /** Absolute offsets of every symbol entry (24 bytes each). */
  symbols: number[];
  /** Absolute offsets of every relocation entry. */
  relocations: number[];
}

export interface BtfMarks {
  /** Where the BTF bytes start in the subject. */
  at: number;
  /** The BTF is the whole subject (a raw blob), so its length may change. */
  standalone: boolean;
  len: number;
  hdrLen: number;
  /** Absolute offsets of the type and string sections. */
  typeStart: number;
  typeLen: number;
  strStart: number;
  strLen: number;
  /** Absolute offset of each type record. */
  records: number[];
  /** Number of ids valid in this BTF (base included), for aimed type ids. */
  typeCount: number;
  /** Size of the combined string space (base included). */
  strSpace: number;
}

export interface ExtInfoMarks {
  /** Absolute offset of rec_size. */
  recSizeAt: number;
  recSize: number;
  /** Absolute offsets of each btf_ext_info_sec header (sec_name_off, num_info). */
  secHeaders: number[];
  /** Absolute offsets of each record. */
  records: number[];
}

export interface ExtMarks {
  at: number;
  len: number;
  hdrLen: number;
  infos: ExtInfoMarks[];
}

export interface Landmarks {
  littleEndian: boolean;
  elf?: ElfMarks;
  btf?: BtfMarks;
  ext?: ExtMarks;
}

export interface Subject {
  /** Short name for reports (path relative to the corpus or repo). */
  name: string;
  kind: SubjectKind;
  bytes: Uint8Array;
  marks: Landmarks;
  /** For split raw BTF: the (unmutated, shared) base. */
  base?: Btf;
  /** For .BTF.ext blobs: the object's unmutated .BTF, to resolve strings. */
  btf?: Btf;
  /** Relative chance of being picked among subjects of its kind (default 1). */
  weight?: number;
}

function shortName(p: string): string {
  return p.startsWith(corpusDir) ? 'corpus/' + relative(corpusDir, p) : relative(repoRoot, p);
}

function readFile(p: string): Uint8Array {
  // A private copy: Buffers from readFileSync may share a pooled ArrayBuffer.
  return new Uint8Array(readFileSync(p));
}

/** Every object file of the shared corpus and testdata/obj. */
export function objectPaths(): string[] {
  const out = [...listFilesRecursive(corpusDir), ...listFilesRecursive(testdataObjDir)];
  return out.filter((p) => p.endsWith('.o') || p.endsWith('.elf'));
}

function elfMarks(elf: ElfFile): ElfMarks {
  const shoff = elf.header.shoff;
  const symbols: number[] = [];
  const relocations: number[] = [];
  for (const s of elf.sections) {
    const isSym = s.type === SHT_SYMTAB || s.type === SHT_DYNSYM;
    const entry = isSym ? 24 : s.type === SHT_REL ? 16 : s.type === SHT_RELA ? 24 : 0;
    if (entry === 0) continue;
    const list = isSym ? symbols : relocations;
    for (let p = 0; p + entry <= s.size; p += entry) list.push(s.offset + p);
  }
  return {
    shoff,
    headers: elf.sections.map((_, i) => shoff + i * 64),
    sections: elf.sections.map((s) => ({ type: s.type, offset: s.offset, size: s.size })),
    symbols,
    relocations,
  };
}

function btfMarks(btf: Btf, at: number, standalone: boolean): BtfMarks | undefined {
  const h = btf.header;
  const w = btf.wire;
  if (h === undefined || w === undefined) return undefined;
  const typeStart = at + h.hdrLen + h.typeOff;
  const records: number[] = [];
  for (let i = 0; i < w.count; i++) records.push(typeStart + w.offsets[i]);
  return {
    at,
    standalone,
    len: h.hdrLen + Math.max(h.typeOff + h.typeLen, h.strOff + h.strLen),
    hdrLen: h.hdrLen,
    typeStart,
    typeLen: h.typeLen,
    strStart: at + h.hdrLen + h.strOff,
    strLen: h.strLen,
    records,
    typeCount: btf.typeCount,
    strSpace: btf.strOffsetBase + btf.strings.size,
  };
}

function extMarks(bytes: Uint8Array, at: number, btf: Btf | undefined): ExtMarks | undefined {
  let ext;
  try {
    ext = parseBtfExt(bytes, { btf });
  } catch {
    return undefined;
  }
  const h = ext.header;
  const infos: ExtInfoMarks[] = [];
  const add = (off: number | undefined, info: { recSize: number; sections: { records: unknown[] }[] }): void => {
    if (off === undefined || info.sections.length === 0) return;
    const start = at + h.hdrLen + off;
    const m: ExtInfoMarks = { recSizeAt: start, recSize: info.recSize, secHeaders: [], records: [] };
    let p = start + 4;
    for (const s of info.sections) {
      m.secHeaders.push(p);
      p += 8;
      for (let i = 0; i < s.records.length; i++, p += info.recSize) m.records.push(p);
    }
    infos.push(m);
  };
  add(h.funcInfoOff, ext.funcInfo);
  add(h.lineInfoOff, ext.lineInfo);
  add(h.coreReloOff, ext.coreRelo);
  return { at, len: bytes.byteLength, hdrLen: h.hdrLen, infos };
}

function sectionBytes(s: ElfSection | undefined): Uint8Array | undefined {
  return s === undefined || s.data.byteLength === 0 ? undefined : s.data;
}

function tryParseBtf(bytes: Uint8Array, base?: Btf): Btf | undefined {
  try {
    return parseBtf(bytes, { base });
  } catch {
    return undefined;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Load every seed: each object as an ELF subject, and, because most BTF
 * mutations inside an ELF die in readElf's checks or never reach deep BTF
 * code, each distinct .BTF and .BTF.ext section again as a raw blob. The
 * split module BTF from cilium/ebpf comes with its base. The 1.4 MB gzipped
 * vmlinux is left out on purpose: one parse of it costs as much as hundreds
 * of small cases.
 */
export function loadSubjects(): Subject[] {
  const elfs: Subject[] = [];
  const btfs: Subject[] = [];
  const exts: Subject[] = [];
  const seenBtf: Uint8Array[] = [];
  const seenExt: Uint8Array[] = [];
  for (const path of objectPaths()) {
    const bytes = readFile(path);
    const name = shortName(path);
    let elf: ElfFile;
    try {
      elf = readElf(bytes);
    } catch {
      // Deliberately broken corpus objects are still useful seeds.
      elfs.push({ name, kind: 'elf', bytes, marks: { littleEndian: bytes[5] !== 2 } });
      continue;
    }
    const marks: Landmarks = { littleEndian: elf.littleEndian, elf: elfMarks(elf) };
    const btfSec = findSection(elf, '.BTF');
    const btfData = sectionBytes(btfSec);
    const btf = btfData !== undefined ? tryParseBtf(btfData) : undefined;
    if (btf !== undefined && btfSec !== undefined) marks.btf = btfMarks(btf, btfSec.offset, false);
    const extSec = findSection(elf, '.BTF.ext');
    const extData = sectionBytes(extSec);
    if (extData !== undefined && extSec !== undefined) marks.ext = extMarks(extData, extSec.offset, btf);
    elfs.push({ name, kind: 'elf', bytes, marks });

    if (btf !== undefined && btfData !== undefined && !seenBtf.some((b) => sameBytes(b, btfData))) {
      seenBtf.push(btfData);
      const m = btfMarks(btf, 0, true);
      btfs.push({ name: `${name}:.BTF`, kind: 'btf', bytes: btfData.slice(), marks: { littleEndian: btf.littleEndian, btf: m } });
    }
    if (extData !== undefined && !seenExt.some((b) => sameBytes(b, extData))) {
      seenExt.push(extData);
      const m = extMarks(extData, 0, btf);
      if (m !== undefined) {
        exts.push({
          name: `${name}:.BTF.ext`,
          kind: 'btfext',
          bytes: extData.slice(),
          marks: { littleEndian: extData[0] === 0x9f, ext: m },
          btf,
        });
      }
    }
  }
  if (existsSync(testmodBase) && existsSync(testmodBtf)) {
    const baseBytes = readFile(testmodBase);
    const base = tryParseBtf(baseBytes);
    if (base !== undefined) {
      btfs.push({ name: shortName(testmodBase), kind: 'btf', bytes: baseBytes, marks: { littleEndian: base.littleEndian, btf: btfMarks(base, 0, true) } });
      const modBytes = readFile(testmodBtf);
      const mod = tryParseBtf(modBytes, base);
      if (mod !== undefined) {
        btfs.push({
          name: shortName(testmodBtf),
          kind: 'btf',
          bytes: modBytes,
          marks: { littleEndian: mod.littleEndian, btf: btfMarks(mod, 0, true) },
          base,
        });
      }
    }
  }
  // btfFromBytes also takes gzip: one compressed blob mutated by the generic
  // strategies covers damage to the gzip framing itself (the btf-gzip
  // strategy covers damaged BTF inside intact framing).
  const small = btfs.find((s) => s.bytes.byteLength >= 1000 && s.bytes.byteLength <= 4000);
  if (small !== undefined) {
    btfs.push({ name: `${small.name}.gz`, kind: 'btf', bytes: new Uint8Array(gzipSync(small.bytes)), marks: { littleEndian: small.marks.littleEndian } });
  }
  // Split BTF is one subject among a hundred raw blobs, yet the only one
  // that drives the base/split paths: give it about 5% of the BTF cases.
  for (const s of btfs) if (s.base !== undefined) s.weight = Math.max(1, Math.round(btfs.length * 0.05));
  if (elfs.length === 0) {
    throw new Error(`fuzz: no seed objects found under ${corpusDir} or ${testdataObjDir}`);
  }
  return [...elfs, ...btfs, ...exts];
}
