import { BpfkitError } from '../internal/errors.js';
import { StringTableBuilder } from '../internal/strings.js';
import { Writer } from '../internal/writer.js';
import type { Btf } from './btf.js';
import { Kind } from './kinds.js';
import { isOpaque, type AnyBtfType } from './types.js';
import { BTF_HEADER_MIN, makeInfo, writeBtfHeader, type BtfHeader } from './wire.js';

export interface EncodeBtfOptions {
  /** Byte order of the output; defaults to the BTF's own. */
  littleEndian?: boolean;
}

/**
 * Encode a Btf (its own types; a split BTF stays split) to raw bytes.
 *
 * Names keep their original string offsets while the string there still
 * matches, and the header keeps its length, flags and section placement
 * while the sections keep their sizes, so decode→encode is the identity on
 * well-formed input. Changed or new names are appended to the string table.
 */
export function encodeBtf(btf: Btf, opts: EncodeBtfOptions = {}): Uint8Array {
  const le = opts.littleEndian ?? btf.littleEndian;
  const strBase = btf.strOffsetBase;
  const strings = new StringTableBuilder(btf.strings.size > 0 ? btf.strings.bytes : undefined);
  const nameOff = (name: string, off: number): number => {
    if (name === '') {
      // An empty name is offset 0 in the combined space, unless the input
      // pointed elsewhere at an empty string.
      if (off === 0 || safeStr(btf, off) === '') return off;
      return 0;
    }
    if (safeStr(btf, off) === name) return off;
    return strBase + strings.add(name);
  };

  const tw = new Writer(le, Math.max(4096, btf.ownCount * 40));
  for (const t of btf) writeType(tw, t, nameOff);
  const typeBytes = tw.finish();
  const strBytes = strings.finish();
  const layoutBytes = encodeLayout(btf, le);

  const h = planHeader(btf.header, typeBytes.byteLength, strBytes.byteLength, layoutBytes?.byteLength);
  const w = new Writer(le, h.hdrLen + typeBytes.byteLength + strBytes.byteLength + 64);
  writeBtfHeader(w, h);
  const place = (off: number, b: Uint8Array): void => {
    w.seek(h.hdrLen + off);
    w.bytes(b);
  };
  place(h.typeOff, typeBytes);
  place(h.strOff, strBytes);
  if (layoutBytes !== undefined) place(h.layoutOff!, layoutBytes);
  return w.finish();
}

function safeStr(btf: Btf, off: number): string | undefined {
  try {
    return btf.str(off);
  } catch {
    return undefined;
  }
}

/** Keep the input's header (and its section placement) when every section
 * kept its size; otherwise lay the sections out back to back. */
function planHeader(orig: BtfHeader | undefined, typeLen: number, strLen: number, layoutLen: number | undefined): BtfHeader {
  const sameSizes =
    orig !== undefined &&
    orig.typeLen === typeLen &&
    orig.strLen === strLen &&
    (orig.layoutLen ?? 0) === (layoutLen ?? 0);
  if (sameSizes) return orig;
  const withLayout = layoutLen !== undefined && layoutLen > 0;
  const hdrLen = orig !== undefined ? orig.hdrLen : withLayout ? 32 : BTF_HEADER_MIN;
  if (withLayout && hdrLen < 32) throw new BpfkitError('BAD_VALUE', 'a layout section needs a 32-byte BTF header');
  const h: BtfHeader = {
    version: orig?.version ?? 1,
    flags: orig?.flags ?? 0,
    hdrLen,
    typeOff: 0,
    typeLen,
    strOff: typeLen,
    strLen,
    extra: orig?.extra ?? new Uint8Array(0),
  };
  if (hdrLen >= 32) {
    h.layoutOff = withLayout ? align4(typeLen + strLen) : 0;
    h.layoutLen = layoutLen ?? 0;
  }
  return h;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function encodeLayout(btf: Btf, le: boolean): Uint8Array | undefined {
  if (btf.layout === undefined) return undefined;
  const w = new Writer(le, btf.layout.length * 4 + 16);
  for (const l of btf.layout) w.u8(l.infoSize).u8(l.elemSize).u16(l.flags);
  return w.finish();
}

function writeType(w: Writer, t: AnyBtfType, nameOff: (name: string, off: number) => number): void {
  const no = nameOff(t.name, t.nameOff);
  if (isOpaque(t)) {
    w.u32(no).u32(makeInfo(t.rawKind, t.kflag, t.vlen)).u32(t.sizeOrType).bytes(t.data);
    return;
  }
  switch (t.kind) {
    case Kind.Int:
      w.u32(no).u32(makeInfo(t.kind, t.kflag, t.vlen)).u32(t.size);
      w.u32((((t.encoding & 0x0f) << 24) | ((t.bitsOffset & 0xff) << 16) | (t.bits & 0xff) | t.reservedBits) >>> 0);
      return;
    case Kind.Ptr:
    case Kind.Typedef:
    case Kind.Volatile:
    case Kind.Const:
    case Kind.Restrict:
    case Kind.TypeTag:
      w.u32(no).u32(makeInfo(t.kind, t.kflag, t.vlen)).u32(t.type);
      return;
    case Kind.Array:
      w.u32(no).u32(makeInfo(t.kind, t.kflag, t.vlen)).u32(t.sizeOrType);
      w.u32(t.type).u32(t.indexType).u32(t.nelems);
      return;
    case Kind.Struct:
    case Kind.Union:
      w.u32(no).u32(makeInfo(t.kind, t.kflag, t.members.length)).u32(t.size);
      for (const m of t.members) {
        w.u32(nameOff(m.name, m.nameOff)).u32(m.type);
        w.u32(t.kflag ? ((m.bitfieldSize << 24) | (m.bitsOffset & 0xffffff)) >>> 0 : m.bitsOffset);
      }
      return;
    case Kind.Enum:
      w.u32(no).u32(makeInfo(t.kind, t.kflag, t.values.length)).u32(t.size);
      for (const e of t.values) w.u32(nameOff(e.name, e.nameOff)).u32(e.value >>> 0);
      return;
    case Kind.Enum64:
      w.u32(no).u32(makeInfo(t.kind, t.kflag, t.values.length)).u32(t.size);
      for (const e of t.values) {
        const u = BigInt.asUintN(64, e.value);
        w.u32(nameOff(e.name, e.nameOff)).u32(Number(u & 0xffffffffn)).u32(Number(u >> 32n));
      }
      return;
    case Kind.Fwd:
      w.u32(no).u32(makeInfo(t.kind, t.kflag, t.vlen)).u32(t.sizeOrType);
      return;
    case Kind.Func:
      w.u32(no).u32(makeInfo(t.kind, t.kflag, t.linkage)).u32(t.type);
      return;
    case Kind.FuncProto:
      w.u32(no).u32(makeInfo(t.kind, t.kflag, t.params.length)).u32(t.returnType);
      for (const p of t.params) w.u32(nameOff(p.name, p.nameOff)).u32(p.type);
      return;
    case Kind.Var:
      w.u32(no).u32(makeInfo(t.kind, t.kflag, t.vlen)).u32(t.type).u32(t.linkage);
      return;
    case Kind.Datasec:
      w.u32(no).u32(makeInfo(t.kind, t.kflag, t.vars.length)).u32(t.size);
      for (const s of t.vars) w.u32(s.type).u32(s.offset).u32(s.size);
      return;
    case Kind.Float:
      w.u32(no).u32(makeInfo(t.kind, t.kflag, t.vlen)).u32(t.size);
      return;
    case Kind.DeclTag:
      w.u32(no).u32(makeInfo(t.kind, t.kflag, t.vlen)).u32(t.type).i32(t.componentIdx);
      return;
  }
}
