import { gunzipSync } from 'node:zlib';
import { BpfkitError } from '../internal/errors.js';
import { readBytes } from '../internal/files.js';
import { readElf } from '../elf/read.js';
import { findSection, hasFileData, sectionPosition } from '../elf/sections.js';
import type { ElfFile, ElfSection } from '../elf/types.js';
import type { Btf } from './btf.js';
import { parseBtf } from './parse.js';
import { parseBtfExt } from './ext/parse.js';
import type { BtfExt } from './ext/types.js';
import { decompressLz4Frames, isLz4Frame } from './lz4-frame.js';
import { btfByteOrder } from './wire.js';

/**
 * Largest decompressed BTF accepted. Kernel BTF is 5-10 MB; the cap keeps a
 * small hostile .gz from making the parser allocate gigabytes.
 */
export const MAX_DECOMPRESSED = 128 << 20;

/**
 * The named section, which must exist and hold bytes in the file (a NOBITS
 * or NULL section's offset means nothing, so errors could not point into it).
 */
export function sectionWithData(elf: ElfFile, name: string, file: string | undefined): ElfSection {
  const sec = findSection(elf, name);
  if (sec === undefined) throw new BpfkitError('BAD_VALUE', `the object has no ${name} section`, { file });
  if (!hasFileData(sec.type)) {
    throw new BpfkitError('BAD_VALUE', `${name} has section type ${sec.type}, which holds no data in the file`, {
      file,
      section: name,
      offset: Number(elf.header.shoff) + sectionPosition(elf, sec) * 64,
    });
  }
  return sec;
}

export type BtfContainer = 'raw' | 'elf' | 'gzip' | 'lz4';

/** Recognise what a file holds from its first bytes. */
export function sniffBtfContainer(bytes: Uint8Array): BtfContainer | undefined {
  if (bytes.byteLength >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46) return 'elf';
  if (bytes.byteLength >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  if (isLz4Frame(bytes)) return 'lz4';
  if (btfByteOrder(bytes) !== undefined) return 'raw';
  return undefined;
}

export interface LoadBtfOptions {
  base?: Btf;
  /** Name used in error messages (defaults to the path). */
  file?: string;
}

/**
 * BTF from bytes holding an ELF object (its `.BTF` section), a raw BTF blob
 * (/sys/kernel/btf/*, `.btf`), or a gzip- or lz4-compressed raw blob.
 */
export function btfFromBytes(bytes: Uint8Array, opts: LoadBtfOptions = {}): Btf {
  const file = opts.file;
  switch (sniffBtfContainer(bytes)) {
    case 'elf':
      return btfFromElf(readElf(bytes, { file }), opts);
    case 'gzip': {
      let raw: Uint8Array;
      try {
        raw = gunzipSync(bytes, { maxOutputLength: MAX_DECOMPRESSED });
      } catch (e) {
        throw new BpfkitError('BAD_VALUE', `gzip data does not decompress: ${(e as Error).message}`, { file, offset: 0 });
      }
      if (btfByteOrder(raw) === undefined) throw new BpfkitError('BAD_MAGIC', 'gzip content is not raw BTF', { file, offset: 0 });
      return parseBtf(raw, { base: opts.base, file: file === undefined ? undefined : `${file} (decompressed)` });
    }
    case 'lz4': {
      const raw = decompressLz4Frames(bytes, MAX_DECOMPRESSED, file);
      if (btfByteOrder(raw) === undefined) throw new BpfkitError('BAD_MAGIC', 'lz4 content is not raw BTF', { file, offset: 0 });
      return parseBtf(raw, { base: opts.base, file: file === undefined ? undefined : `${file} (decompressed)` });
    }
    case 'raw':
      return parseBtf(bytes, { base: opts.base, file });
    default:
      throw new BpfkitError('BAD_MAGIC', 'neither an ELF object nor raw BTF (nor gzip or lz4 of one)', { file, offset: 0 });
  }
}

/** The `.BTF` of an ELF object read with readElf. */
export function btfFromElf(elf: ElfFile, opts: LoadBtfOptions = {}): Btf {
  const file = opts.file ?? elf.fileName;
  const sec = sectionWithData(elf, '.BTF', file);
  return parseBtf(sec.data, { base: opts.base, file, section: '.BTF', fileOffset: sec.offset });
}

/** The `.BTF.ext` of an ELF object, with names resolved through its
 * `.BTF` when given; undefined when the object has none. */
export function btfExtFromElf(elf: ElfFile, btf: Btf | undefined, file = elf.fileName): BtfExt | undefined {
  if (findSection(elf, '.BTF.ext') === undefined) return undefined;
  const sec = sectionWithData(elf, '.BTF.ext', file);
  return parseBtfExt(sec.data, { btf, file, fileOffset: sec.offset });
}

export function loadBtf(path: string, opts: LoadBtfOptions = {}): Btf {
  return btfFromBytes(readBytes(path), { ...opts, file: opts.file ?? path });
}
