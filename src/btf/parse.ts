import { BpfkitError, withLocation } from '../internal/errors.js';
import { Reader } from '../internal/reader.js';
import { StringTable } from '../internal/strings.js';
import { Btf } from './btf.js';
import type { KindLayout } from './types.js';
import { btfByteOrder, readBtfHeader, type BtfHeader } from './wire.js';
import { BtfWire, indexTypeWords, typeWords } from './wire-index.js';

export interface ParseBtfOptions {
  /** Base BTF for split BTF (module BTF on top of vmlinux). */
  base?: Btf;
  /** File name for error messages. */
  file?: string;
  /** Section name for error messages (".BTF" when read from an ELF). */
  section?: string;
  /** Offset of the BTF bytes in the file, so errors carry file offsets. */
  fileOffset?: number;
}

/**
 * Decode raw BTF (the `.BTF` section or a raw blob such as
 * /sys/kernel/btf/vmlinux). The byte order comes from the magic.
 *
 * Every count is checked against the bytes that remain before anything is
 * allocated, every name offset and type id is checked against its table, and
 * any problem is one BpfkitError naming the type id and file offset.
 */
export function parseBtf(bytes: Uint8Array, opts: ParseBtfOptions = {}): Btf {
  return withLocation({ file: opts.file, section: opts.section ?? 'BTF', baseOffset: opts.fileOffset ?? 0 }, () =>
    parseInner(bytes, opts),
  );
}

function parseInner(bytes: Uint8Array, opts: ParseBtfOptions): Btf {
  const order = btfByteOrder(bytes);
  if (order === undefined) {
    throw new BpfkitError('BAD_MAGIC', bytes.byteLength < 2 ? 'BTF is shorter than its magic' : 'not BTF: bad magic', {
      offset: 0,
    });
  }
  const le = order === 'le';
  const base = opts.base;
  if (base !== undefined && base.littleEndian !== le) {
    throw new BpfkitError('BAD_VALUE', 'split BTF and its base have different byte orders', { offset: 0 });
  }
  const baseWire = base?.wire;
  if (base !== undefined && baseWire === undefined) {
    throw new BpfkitError('UNSUPPORTED', 'the base BTF has been edited; encode and re-parse it before using it as a base');
  }
  const r = new Reader(bytes, le);
  const h = readBtfHeader(r);
  const typesBytes = section(r, h, h.typeOff, h.typeLen, 'type');
  const strBytes = section(r, h, h.strOff, h.strLen, 'string');
  const layout = h.layoutLen !== undefined && h.layoutLen > 0 ? readLayout(r, h) : undefined;

  if (base === undefined && h.strLen > 0 && strBytes[0] !== 0) {
    throw new BpfkitError('BAD_VALUE', 'BTF string section does not start with an empty string', {
      offset: h.hdrLen + h.strOff,
    });
  }
  if (h.strLen > 0 && strBytes[h.strLen - 1] !== 0) {
    throw new BpfkitError('BAD_VALUE', 'BTF string section does not end with NUL', {
      offset: h.hdrLen + h.strOff + h.strLen - 1,
    });
  }
  const firstId = base === undefined ? 1 : base.typeCount;
  const strBase = base === undefined ? 0 : base.strOffsetBase + base.strings.size;
  const typeFileOff = h.hdrLen + h.typeOff;
  const words = typeWords(typesBytes, le);
  const offsets = indexTypeWords(words, typesBytes.byteLength, typeFileOff, firstId, strBase, strBytes.byteLength, layout);
  const strBuf = Buffer.from(strBytes.buffer, strBytes.byteOffset, strBytes.byteLength);
  const wire = new BtfWire(typesBytes, le, offsets, strBuf, strBase, firstId, baseWire, typeFileOff, layout, words);
  return new Btf({ wire, strings: new StringTable(strBytes), base, littleEndian: le, header: h, layout });
}

function section(r: Reader, h: BtfHeader, off: number, len: number, what: string): Uint8Array {
  const start = h.hdrLen + off;
  if (start > r.length || len > r.length - start) {
    throw new BpfkitError('TRUNCATED', `BTF ${what} section [${off}, +${len}) after the header runs past the end (${r.length} bytes)`, {
      offset: Math.min(start, r.length),
    });
  }
  return r.bytes.subarray(start, start + len);
}

function readLayout(r: Reader, h: BtfHeader): KindLayout[] {
  const bytes = section(r, h, h.layoutOff!, h.layoutLen!, 'layout');
  if (bytes.byteLength % 4 !== 0) {
    throw new BpfkitError('BAD_VALUE', `BTF layout section length ${bytes.byteLength} is not a multiple of 4`, {
      offset: h.hdrLen + h.layoutOff!,
    });
  }
  const lr = new Reader(bytes, r.littleEndian, h.hdrLen + h.layoutOff!);
  const out: KindLayout[] = [];
  while (lr.remaining > 0) out.push({ infoSize: lr.u8(), elemSize: lr.u8(), flags: lr.u16() });
  return out;
}
