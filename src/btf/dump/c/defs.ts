import { Kind } from '../../kinds.js';
import { emitTypeDecl } from './decl.js';
import { newline } from './indent.js';
import { alignOf, isPacked, resolveSize } from './layout.js';
import { putTypeName, resolveIdentName } from './names.js';
import { emitBitPadding } from './padding.js';
import type { DumpState } from './state.js';

/**
 * The definitions libbpf 1.1 prints: struct/union bodies with explicit
 * padding, enums, forward declarations and typedefs. Callers add the `;`.
 */

export function emitStructFwd(d: DumpState, id: number): void {
  const t = d.t;
  d.out.str(t.kind[id] === Kind.Struct ? 'struct' : 'union');
  if (t.words[(t.pos[id] >> 2)] !== 0) d.out.byte(32);
  putTypeName(d, id);
}

export function emitFwdDef(d: DumpState, id: number): void {
  d.out.str((d.t.words[(d.t.pos[id] >> 2) + 1] >>> 31) !== 0 ? 'union ' : 'struct ');
  putTypeName(d, id);
}

export function emitStructDef(d: DumpState, id: number, lvl: number): void {
  const t = d.t;
  const out = d.out;
  const isStruct = t.kind[id] === Kind.Struct;
  const vlen = (t.words[(t.pos[id] >> 2) + 1] & 0xffff);
  const align = alignOf(d, id);
  const packed = isStruct && isPacked(d, id);
  emitStructFwd(d, id);
  out.str(' {');
  let off = 0;
  let prevBitfield = false;
  // Members read straight from the record: name, type, offset word each.
  const words = t.words;
  const q = (t.pos[id] >> 2);
  const kflag = words[q + 1] >>> 31 !== 0;
  const inner = lvl + 1;
  for (let m = q + 3, end = q + 3 + 3 * vlen; m < end; m += 3) {
    const mType = words[m + 1];
    const offWord = words[m + 2];
    const bitSz = kflag ? offWord >>> 24 : 0;
    const mOff = kflag ? offWord & 0xffffff : offWord;
    // Padding only where there is a gap (alignOf has no effect but its memo).
    if (off < mOff) emitBitPadding(d, off, mOff, packed ? 1 : alignOf(d, mType), prevBitfield && bitSz !== 0, inner);
    newline(out, inner);
    emitTypeDecl(d, mType, words[m], inner);
    if (bitSz !== 0) {
      out.str(': ').int(bitSz);
      off = mOff + bitSz;
      prevBitfield = true;
    } else {
      const sz = resolveSize(d, mType);
      off = sz > 0 ? mOff + sz * 8 : mOff;
      prevBitfield = false;
    }
    out.byte(59);
  }
  if (isStruct) emitBitPadding(d, off, t.words[(t.pos[id] >> 2) + 2] * 8, align, false, lvl + 1);
  if (vlen !== 0 || t.words[(t.pos[id] >> 2) + 2] !== 0) {
    newline(out, lvl);
  }
  out.byte(125);
  if (packed) out.str(' __attribute__((packed))');
}

export function emitEnumDef(d: DumpState, id: number, lvl: number): void {
  const t = d.t;
  const out = d.out;
  const vlen = (t.words[(t.pos[id] >> 2) + 1] & 0xffff);
  out.str('enum');
  if (t.words[(t.pos[id] >> 2)] !== 0) out.byte(32);
  putTypeName(d, id);
  if (vlen === 0) return;
  out.str(' {');
  const signed = (t.words[(t.pos[id] >> 2) + 1] >>> 31) !== 0;
  const is64 = t.kind[id] === Kind.Enum64;
  const step = is64 ? 12 : 8;
  for (let i = 0; i < vlen; i++) {
    const rec = 12 + i * step;
    const nameOff = t.u32(id, rec);
    const dups = d.identNames.bump(nameOff);
    newline(out, lvl + 1);
    d.name(nameOff);
    if (dups > 1) out.str('___').int(dups);
    out.str(' = ');
    if (is64) {
      const lo = t.u32(id, rec + 4);
      const hi = t.u32(id, rec + 8);
      if (hi === 0) out.int(lo);
      else {
        const u = (BigInt(hi) << 32n) | BigInt(lo);
        out.str((signed ? BigInt.asIntN(64, u) : u).toString());
      }
      out.str(signed ? 'LL,' : 'ULL,');
    } else {
      out.int(signed ? t.i32(id, rec + 4) : t.u32(id, rec + 4)).byte(44);
    }
  }
  newline(out, lvl);
  out.byte(125);
}

export function emitTypedefDef(d: DumpState, id: number, lvl: number): void {
  const t = d.t;
  const suffix = resolveIdentName(d, id);
  if (t.words[(t.pos[id] >> 2) + 2] === 0 && suffix === 0 && t.words[(t.pos[id] >> 2)] !== 0 && t.strEquals(t.words[(t.pos[id] >> 2)], '__gnuc_va_list')) {
    d.out.str('typedef __builtin_va_list __gnuc_va_list');
    return;
  }
  d.out.str('typedef ');
  emitTypeDecl(d, t.words[(t.pos[id] >> 2) + 2], -id, lvl);
}
