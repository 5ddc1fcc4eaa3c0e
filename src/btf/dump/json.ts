import { TextBuffer } from '../../internal/text-buffer.js';
import type { Btf } from '../btf.js';
import { Kind } from '../kinds.js';
import { infoKflag, infoKind, infoVlen } from '../wire.js';
import type { BtfWire } from '../wire-index.js';
import { dumpIds, enum64Text, intEncodingName, linkageName, safeKindName, type DumpOptions } from './raw.js';
import { wireOf } from './wire-of.js';

/**
 * `bpftool -j btf dump file X`, byte for byte as Debian's bpftool 7.1 prints
 * it: one compact JSON object `{"types":[...]}` and a newline, keys in
 * bpftool's order, strings escaped the way its json_writer escapes them.
 */
export function dumpJson(btf: Btf, opts: DumpOptions = {}): Uint8Array {
  const w = wireOf(btf);
  const out = new TextBuffer(Math.max(1 << 16, w.typeBytes.byteLength * 4));
  out.str('{"types":[');
  const ids = dumpIds(w, opts);
  for (let i = 0; i < ids.length; i++) {
    if (i > 0) out.byte(44);
    jsonType(out, w, ids[i]);
  }
  out.str(']}\n');
  return out.bytes();
}

export function formatJson(btf: Btf, opts: DumpOptions = {}): string {
  return Buffer.from(dumpJson(btf, opts)).toString('latin1');
}

/** json_writer's escaping: only these seven characters; other bytes pass. */
const ESCAPES: Record<number, string> = { 34: '\\"', 92: '\\\\', 10: '\\n', 13: '\\r', 9: '\\t', 12: '\\f', 8: '\\b' };

function putJsonName(out: TextBuffer, w: BtfWire, off: number): void {
  if (off === 0) {
    out.str('"(anon)"');
    return;
  }
  if (off < w.strBase) {
    putJsonName(out, w.base!, off);
    return;
  }
  const table = w.strBytes;
  const local = off - w.strBase;
  out.byte(34);
  let end = local;
  while (end < table.byteLength && table[end] !== 0) {
    if (ESCAPES[table[end]] !== undefined) break;
    end++;
  }
  if (end >= table.byteLength || table[end] === 0) {
    out.cstr(table, local);
  } else {
    for (let i = local; i < table.byteLength && table[i] !== 0; i++) {
      const e = ESCAPES[table[i]];
      if (e !== undefined) out.str(e);
      else out.byte(table[i]);
    }
  }
  out.byte(34);
}

function jsonType(out: TextBuffer, w: BtfWire, id: number): void {
  const p = w.offsets[id - w.firstId];
  const info = w.u32(p + 4);
  const kind = infoKind(info);
  const vlen = infoVlen(info);
  const kflag = infoKflag(info);
  const sot = w.u32(p + 8);
  const q = p + 12;
  out.str('{"id":').int(id).str(',"kind":"').str(safeKindName(kind)).str('","name":');
  putJsonName(out, w, w.u32(p));
  switch (kind) {
    case Kind.Int: {
      const d = w.u32(q);
      out.str(',"size":').int(sot).str(',"bits_offset":').int((d >>> 16) & 0xff).str(',"nr_bits":').int(d & 0xff);
      out.str(',"encoding":"').str(intEncodingName((d >>> 24) & 0x0f)).byte(34);
      break;
    }
    case Kind.Ptr:
    case Kind.Const:
    case Kind.Volatile:
    case Kind.Restrict:
    case Kind.Typedef:
    case Kind.TypeTag:
      out.str(',"type_id":').int(sot);
      break;
    case Kind.Array:
      out.str(',"type_id":').int(w.u32(q)).str(',"index_type_id":').int(w.u32(q + 4)).str(',"nr_elems":').int(w.u32(q + 8));
      break;
    case Kind.Struct:
    case Kind.Union:
      out.str(',"size":').int(sot).str(',"vlen":').int(vlen).str(',"members":[');
      for (let j = 0, m = q; j < vlen; j++, m += 12) {
        const off = w.u32(m + 8);
        out.str(j === 0 ? '{"name":' : ',{"name":');
        putJsonName(out, w, w.u32(m));
        out.str(',"type_id":').int(w.u32(m + 4)).str(',"bits_offset":').int(kflag ? off & 0xffffff : off);
        if (kflag && off >>> 24 !== 0) out.str(',"bitfield_size":').int(off >>> 24);
        out.byte(125);
      }
      out.byte(93);
      break;
    case Kind.Enum:
      out.str(kflag ? ',"encoding":"SIGNED"' : ',"encoding":"UNSIGNED"').str(',"size":').int(sot).str(',"vlen":').int(vlen);
      out.str(',"values":[');
      for (let j = 0, m = q; j < vlen; j++, m += 8) {
        out.str(j === 0 ? '{"name":' : ',{"name":');
        putJsonName(out, w, w.u32(m));
        out.str(',"val":');
        if (kflag) out.int(w.i32(m + 4));
        else {
          // bpftool 7.1 keeps the value as __s32 and prints unsigned enums
          // through a 64-bit unsigned field, so values >= 2^31 come out
          // sign-extended (4026531839 prints as 18446744073441116159).
          const u = w.u32(m + 4);
          if (u < 0x80000000) out.int(u);
          else out.str((BigInt(u) + 0xffffffff00000000n).toString());
        }
        out.byte(125);
      }
      out.byte(93);
      break;
    case Kind.Enum64:
      out.str(kflag ? ',"encoding":"SIGNED"' : ',"encoding":"UNSIGNED"').str(',"size":').int(sot).str(',"vlen":').int(vlen);
      out.str(',"values":[');
      for (let j = 0, m = q; j < vlen; j++, m += 12) {
        out.str(j === 0 ? '{"name":' : ',{"name":');
        putJsonName(out, w, w.u32(m));
        out.str(',"val":').str(enum64Text(w, m, kflag)).byte(125);
      }
      out.byte(93);
      break;
    case Kind.Fwd:
      out.str(kflag ? ',"fwd_kind":"union"' : ',"fwd_kind":"struct"');
      break;
    case Kind.Func:
      out.str(',"type_id":').int(sot).str(',"linkage":"').str(linkageName(vlen)).byte(34);
      break;
    case Kind.FuncProto:
      out.str(',"ret_type_id":').int(sot).str(',"vlen":').int(vlen).str(',"params":[');
      for (let j = 0, m = q; j < vlen; j++, m += 8) {
        out.str(j === 0 ? '{"name":' : ',{"name":');
        putJsonName(out, w, w.u32(m));
        out.str(',"type_id":').int(w.u32(m + 4)).byte(125);
      }
      out.byte(93);
      break;
    case Kind.Var:
      out.str(',"type_id":').int(sot).str(',"linkage":"').str(linkageName(w.u32(q))).byte(34);
      break;
    case Kind.Datasec:
      out.str(',"size":').int(sot).str(',"vlen":').int(vlen).str(',"vars":[');
      for (let j = 0, m = q; j < vlen; j++, m += 12) {
        out.str(j === 0 ? '{"type_id":' : ',{"type_id":').int(w.u32(m));
        out.str(',"offset":').int(w.u32(m + 4)).str(',"size":').int(w.u32(m + 8)).byte(125);
      }
      out.byte(93);
      break;
    case Kind.Float:
      out.str(',"size":').int(sot);
      break;
    case Kind.DeclTag:
      out.str(',"type_id":').int(sot).str(',"component_idx":').int(w.i32(q));
      break;
    default:
      break;
  }
  out.byte(125);
}
