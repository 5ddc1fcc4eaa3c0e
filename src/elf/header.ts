import type { Reader } from '../internal/reader.js';
import type { Writer } from '../internal/writer.js';
import { EI_DATA, EI_NIDENT, ELFDATA2LSB, ELFDATA2MSB } from './constants.js';
import type { ElfHeader, ElfSection } from './types.js';

/**
 * Byte offsets of the ELF64 header fields, used to point errors at the field
 * that holds a bad value.
 */
export const EHDR_OFFSET = {
  ident: 0,
  type: 16,
  machine: 18,
  version: 20,
  entry: 24,
  phoff: 32,
  shoff: 40,
  flags: 48,
  ehsize: 52,
  phentsize: 54,
  phnum: 56,
  shentsize: 58,
  shnum: 60,
  shstrndx: 62,
} as const;

/** Byte offsets of the ELF64 section header fields. */
export const SHDR_OFFSET = {
  name: 0,
  type: 4,
  flags: 8,
  addr: 16,
  offset: 24,
  size: 32,
  link: 40,
  info: 44,
  addralign: 48,
  entsize: 56,
} as const;

/** Decode the 64-byte header at the reader's start (bounds already known). */
export function decodeHeader(r: Reader): ElfHeader {
  r.seek(0);
  const ident = r.bytesView(EI_NIDENT, 'ELF identification').slice();
  return {
    ident,
    type: r.u16(),
    machine: r.u16(),
    version: r.u32(),
    entry: r.u64(),
    phoff: r.u64n('e_phoff'),
    shoff: r.u64n('e_shoff'),
    flags: r.u32(),
    ehsize: r.u16(),
    phentsize: r.u16(),
    phnum: r.u16(),
    shentsize: r.u16(),
    shnum: r.u16(),
    shstrndx: r.u16(),
  };
}

/** Encode a header; e_ident[EI_DATA] follows the writer's byte order so the
 * file always describes itself truthfully. */
export function encodeHeader(w: Writer, h: ElfHeader): void {
  const ident = new Uint8Array(EI_NIDENT);
  ident.set(h.ident.subarray(0, EI_NIDENT));
  ident[EI_DATA] = w.littleEndian ? ELFDATA2LSB : ELFDATA2MSB;
  w.bytes(ident);
  w.u16(h.type);
  w.u16(h.machine);
  w.u32(h.version);
  w.u64(h.entry);
  w.u64(h.phoff);
  w.u64(h.shoff);
  w.u32(h.flags);
  w.u16(h.ehsize);
  w.u16(h.phentsize);
  w.u16(h.phnum);
  w.u16(h.shentsize);
  w.u16(h.shnum);
  w.u16(h.shstrndx);
}

/** Encode one section header (of a model whose sizes already follow its data). */
export function encodeSectionHeader(w: Writer, s: ElfSection): void {
  w.u32(s.nameOffset);
  w.u32(s.type);
  w.u64(BigInt.asUintN(64, s.flags));
  w.u64(BigInt.asUintN(64, s.addr));
  w.u64(s.offset);
  w.u64(s.size);
  w.u32(s.link);
  w.u32(s.info);
  w.u64(s.addralign);
  w.u64(s.entsize);
}
