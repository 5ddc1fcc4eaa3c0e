import { createRequire } from 'node:module';
import { BpfkitError } from '../internal/errors.js';

/**
 * LZ4 frame format (the `lz4` command's output, as BTFHub-style archives of
 * kernel BTF use it), decoded with a bound.
 *
 * The decompressor (lz4-napi) inflates a whole frame at once and has no
 * output limit, and LZ4 expands up to ~255x, so a small hostile file could
 * ask for gigabytes. Before decompressing, this walks the frame headers and
 * block sizes (cheap: no data is touched) and adds up what the frame can at
 * most produce: its declared content size, or each compressed block's
 * maximum block size. Only frames whose bound fits the cap are inflated.
 */

const FRAME_MAGIC = 0x184d2204;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const LEGACY_MAGIC = 0x184c2102;

export function isLz4Frame(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 4 && readU32(bytes, 0) === FRAME_MAGIC;
}

function readU32(b: Uint8Array, off: number): number {
  return (b[off]! | (b[off + 1]! << 8) | (b[off + 2]! << 16) | (b[off + 3]! << 24)) >>> 0;
}

/** Upper bound of the decompressed size of every frame in `bytes`;
 * throws a located error for malformed framing. */
export function lz4FrameBound(bytes: Uint8Array, file?: string): number {
  const fail = (msg: string, offset: number): BpfkitError => new BpfkitError('BAD_VALUE', `lz4: ${msg}`, { file, offset });
  let pos = 0;
  let total = 0;
  while (pos < bytes.byteLength) {
    if (pos + 4 > bytes.byteLength) throw fail('truncated frame magic', pos);
    const magic = readU32(bytes, pos);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      if (pos + 8 > bytes.byteLength) throw fail('truncated skippable frame', pos);
      const len = readU32(bytes, pos + 4);
      if (pos + 8 + len > bytes.byteLength) throw fail(`skippable frame of ${len} bytes runs past the end`, pos);
      pos += 8 + len;
      continue;
    }
    if (magic === LEGACY_MAGIC) throw fail('legacy LZ4 format (lz4 -l) is not supported; recompress with plain `lz4`', pos);
    if (magic !== FRAME_MAGIC) throw fail(`bad frame magic 0x${magic.toString(16)}`, pos);
    if (pos + 7 > bytes.byteLength) throw fail('truncated frame descriptor', pos);
    const flg = bytes[pos + 4]!;
    const bd = bytes[pos + 5]!;
    if (flg >> 6 !== 1) throw fail(`frame version ${flg >> 6} (expected 1)`, pos + 4);
    const blockChecksum = (flg & 0x10) !== 0;
    const hasContentSize = (flg & 0x08) !== 0;
    const contentChecksum = (flg & 0x04) !== 0;
    const hasDictId = (flg & 0x01) !== 0;
    const maxCode = (bd >> 4) & 7;
    if (maxCode < 4) throw fail(`block maximum size code ${maxCode} (expected 4-7)`, pos + 5);
    const blockMax = 1 << (8 + 2 * maxCode);
    let p = pos + 6;
    let declared: number | undefined;
    if (hasContentSize) {
      if (p + 8 > bytes.byteLength) throw fail('truncated content size', p);
      const lo = readU32(bytes, p);
      const hi = readU32(bytes, p + 4);
      declared = hi * 2 ** 32 + lo;
      p += 8;
    }
    if (hasDictId) p += 4;
    p += 1; // header checksum
    if (p > bytes.byteLength) throw fail('truncated frame descriptor', pos);
    let frameBound = 0;
    for (;;) {
      if (p + 4 > bytes.byteLength) throw fail('truncated block header (no end mark)', p);
      const word = readU32(bytes, p);
      p += 4;
      if (word === 0) break;
      const size = word & 0x7fffffff;
      const stored = (word & 0x80000000) !== 0;
      if (size > blockMax) throw fail(`block of ${size} bytes exceeds the frame's ${blockMax}-byte block size`, p - 4);
      if (p + size > bytes.byteLength) throw fail(`block of ${size} bytes runs past the end`, p - 4);
      frameBound += stored ? size : blockMax;
      p += size + (blockChecksum ? 4 : 0);
    }
    if (contentChecksum) p += 4;
    if (p > bytes.byteLength) throw fail('truncated content checksum', bytes.byteLength);
    total += declared !== undefined ? Math.min(declared, frameBound) : frameBound;
    pos = p;
  }
  return total;
}

type Lz4Napi = { decompressFrameSync(data: Uint8Array): Uint8Array };
let lz4: Lz4Napi | undefined;

/** Decompress LZ4 frames, refusing input that could inflate past `max`. */
export function decompressLz4Frames(bytes: Uint8Array, max: number, file?: string): Uint8Array {
  const bound = lz4FrameBound(bytes, file);
  if (bound > max) {
    throw new BpfkitError('TOO_LARGE', `lz4: frames may decompress to ${bound} bytes, over the ${max}-byte limit`, { file, offset: 0 });
  }
  // Loaded on first use: a native addon, needed by few commands.
  lz4 ??= createRequire(import.meta.url)('lz4-napi') as Lz4Napi;
  let out: Uint8Array;
  try {
    out = lz4.decompressFrameSync(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new BpfkitError('BAD_VALUE', `lz4 data does not decompress: ${(e as Error).message}`, { file, offset: 0 });
  }
  if (out.byteLength > max) throw new BpfkitError('TOO_LARGE', `lz4: decompressed to ${out.byteLength} bytes`, { file, offset: 0 });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
