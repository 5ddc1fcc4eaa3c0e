import { gunzipSync } from 'node:zlib';
import { BpfkitError } from '../internal/errors.js';
import { readBytes } from '../internal/files.js';
import { readElf } from '../elf/read.js';
import { findSection } from '../elf/sections.js';
import type { Btf } from './btf.js';
import { parseBtf } from './parse.js';
import { btfByteOrder } from './wire.js';

export type BtfContainer = 'raw' | 'elf' | 'gzip';

/** Recognise what a file holds from its first bytes. */
export function sniffBtfContainer(bytes: Uint8Array): BtfContainer | undefined {
  if (bytes.byteLength >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46) return 'elf';
  if (bytes.byteLength >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
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
 * (/sys/kernel/btf/*, `.btf`), or a gzip-compressed raw blob.
 */
export function btfFromBytes(bytes: Uint8Array, opts: LoadBtfOptions = {}): Btf {
  const file = opts.file;
  switch (sniffBtfContainer(bytes)) {
    case 'elf': {
      const elf = readElf(bytes, { file });
      const sec = findSection(elf, '.BTF');
      if (sec === undefined) throw new BpfkitError('BAD_VALUE', 'the object has no .BTF section', { file });
      return parseBtf(sec.data, { base: opts.base, file, section: '.BTF', fileOffset: sec.offset });
    }
    case 'gzip': {
      let raw: Uint8Array;
      try {
        raw = gunzipSync(bytes, { maxOutputLength: 1 << 30 });
      } catch (e) {
        throw new BpfkitError('BAD_VALUE', `gzip data does not decompress: ${(e as Error).message}`, { file, offset: 0 });
      }
      if (btfByteOrder(raw) === undefined) throw new BpfkitError('BAD_MAGIC', 'gzip content is not raw BTF', { file, offset: 0 });
      return parseBtf(raw, { base: opts.base, file: file === undefined ? undefined : `${file} (decompressed)` });
    }
    case 'raw':
      return parseBtf(bytes, { base: opts.base, file });
    default:
      throw new BpfkitError('BAD_MAGIC', 'neither an ELF object nor raw BTF (nor gzip of one)', { file, offset: 0 });
  }
}

export function loadBtf(path: string, opts: LoadBtfOptions = {}): Btf {
  return btfFromBytes(readBytes(path), { ...opts, file: opts.file ?? path });
}
