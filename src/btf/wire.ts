import { BpfkitError } from '../internal/errors.js';
import { Reader } from '../internal/reader.js';
import type { Writer } from '../internal/writer.js';
import { Kind } from './kinds.js';

/**
 * Wire-level BTF: the header and the record sizes of each kind, as the
 * kernel's uapi `linux/btf.h` lays them out. Nothing here knows about names
 * or the type model.
 */
export const BTF_MAGIC = 0xeb9f;

/** The header every BTF has (24 bytes); newer kernels append layout_off and
 * layout_len (32 bytes). Anything after the fields we know is kept verbatim. */
export const BTF_HEADER_MIN = 24;
export const BTF_HEADER_WITH_LAYOUT = 32;

export interface BtfHeader {
  version: number;
  flags: number;
  hdrLen: number;
  typeOff: number;
  typeLen: number;
  strOff: number;
  strLen: number;
  /** Present when hdrLen >= 32. */
  layoutOff?: number;
  layoutLen?: number;
  /** Header bytes beyond the fields above (hdrLen > 32), verbatim. */
  extra: Uint8Array;
}

/** Byte order from the magic, or undefined when the bytes are not BTF. */
export function btfByteOrder(bytes: Uint8Array): 'le' | 'be' | undefined {
  if (bytes.byteLength < 2) return undefined;
  if (bytes[0] === 0x9f && bytes[1] === 0xeb) return 'le';
  if (bytes[0] === 0xeb && bytes[1] === 0x9f) return 'be';
  return undefined;
}

export function readBtfHeader(r: Reader): BtfHeader {
  r.seek(0);
  const magic = r.u16();
  if (magic !== BTF_MAGIC) {
    throw new BpfkitError('BAD_MAGIC', `BTF magic is 0x${magic.toString(16)}, expected 0xeb9f`, { offset: r.base });
  }
  const version = r.u8();
  const flags = r.u8();
  if (version !== 1) {
    throw new BpfkitError('BAD_VERSION', `BTF version ${version} is not supported (only 1)`, { offset: r.base + 2 });
  }
  const hdrLen = r.u32();
  if (hdrLen < BTF_HEADER_MIN) {
    throw new BpfkitError('BAD_VALUE', `BTF hdr_len ${hdrLen} is shorter than the ${BTF_HEADER_MIN}-byte header`, {
      offset: r.base + 4,
    });
  }
  r.need(hdrLen, 0, 'BTF header');
  const h: BtfHeader = {
    version,
    flags,
    hdrLen,
    typeOff: r.u32(),
    typeLen: r.u32(),
    strOff: r.u32(),
    strLen: r.u32(),
    extra: new Uint8Array(0),
  };
  let known = BTF_HEADER_MIN;
  if (hdrLen >= BTF_HEADER_WITH_LAYOUT) {
    h.layoutOff = r.u32();
    h.layoutLen = r.u32();
    known = BTF_HEADER_WITH_LAYOUT;
  }
  if (hdrLen > known) h.extra = r.bytes.slice(known, hdrLen);
  return h;
}

export function writeBtfHeader(w: Writer, h: BtfHeader): void {
  w.u16(BTF_MAGIC).u8(h.version).u8(h.flags).u32(h.hdrLen);
  w.u32(h.typeOff).u32(h.typeLen).u32(h.strOff).u32(h.strLen);
  if (h.hdrLen >= BTF_HEADER_WITH_LAYOUT) w.u32(h.layoutOff ?? 0).u32(h.layoutLen ?? 0);
  w.bytes(h.extra);
}

/** Bytes after the 12-byte common header: [single record, per-vlen record].
 * undefined for kinds this code does not know. */
export function recordSizes(kind: number): readonly [number, number] | undefined {
  switch (kind) {
    case Kind.Int:
      return [4, 0];
    case Kind.Ptr:
    case Kind.Fwd:
    case Kind.Typedef:
    case Kind.Volatile:
    case Kind.Const:
    case Kind.Restrict:
    case Kind.Func:
    case Kind.Float:
    case Kind.TypeTag:
      return [0, 0];
    case Kind.Array:
      return [12, 0];
    case Kind.Struct:
    case Kind.Union:
      return [0, 12];
    case Kind.Enum:
      return [0, 8];
    case Kind.FuncProto:
      return [0, 8];
    case Kind.Var:
      return [4, 0];
    case Kind.Datasec:
      return [0, 12];
    case Kind.DeclTag:
      return [4, 0];
    case Kind.Enum64:
      return [0, 12];
    default:
      return undefined;
  }
}

/** Info word: vlen in bits 0-23, kind in bits 24-30, kind_flag in bit 31.
 * (Older kernels used 16 and 5 bits; the wider masks read those unchanged.) */
export function infoKind(info: number): number {
  return (info >>> 24) & 0x7f;
}
export function infoVlen(info: number): number {
  return info & 0xffffff;
}
export function infoKflag(info: number): boolean {
  return info >>> 31 === 1;
}
export function makeInfo(kind: number, kflag: boolean, vlen: number): number {
  return ((kflag ? 0x80000000 : 0) | ((kind & 0x7f) << 24) | (vlen & 0xffffff)) >>> 0;
}
