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

function putJsonName(out: TextBuffer, w: BtfWire, off: number): void {
  if (off === 0) out.str('"(anon)"');
  else if (off >= w.strBase) out.byte(34).cstrJson(w.strBytes, off - w.strBase).byte(34);
  else putJsonName(out, w.base!, off);
}

/** Per-kind printers, small for the same reason as in raw.ts. */
type KindPrinter = (out: TextBuffer, w: BtfWire, p: number, vlen: number, kflag: boolean, sot: number) => void;

const printType: KindPrinter = (out, _w, _p, _v, _k, sot) => {
  out.str(',"type_id":').int(sot);
};

const printSize: KindPrinter = (out, _w, _p, _v, _k, sot) => {
  out.str(',"size":').int(sot);
};

const printInt: KindPrinter = (out, w, p, _v, _k, sot) => {
  const d = w.u32(p + 12);
  out.str(',"size":').int(sot).str(',"bits_offset":').int((d >>> 16) & 0xff).str(',"nr_bits":').int(d & 0xff);
  out.str(',"encoding":"').str(intEncodingName((d >>> 24) & 0x0f)).byte(34);
};

const printArray: KindPrinter = (out, w, p) => {
  out.str(',"type_id":').int(w.u32(p + 12)).str(',"index_type_id":').int(w.u32(p + 16)).str(',"nr_elems":').int(w.u32(p + 20));
};

const printComposite: KindPrinter = (out, w, p, vlen, kflag, sot) => {
  out.str(',"size":').int(sot).str(',"vlen":').int(vlen).str(',"members":[');
  for (let j = 0, m = p + 12; j < vlen; j++, m += 12) {
    const off = w.u32(m + 8);
    out.str(j === 0 ? '{"name":' : ',{"name":');
    putJsonName(out, w, w.u32(m));
    out.str(',"type_id":').int(w.u32(m + 4)).str(',"bits_offset":').int(kflag ? off & 0xffffff : off);
    if (kflag && off >>> 24 !== 0) out.str(',"bitfield_size":').int(off >>> 24);
    out.byte(125);
  }
  out.byte(93);
};

const printEnum: KindPrinter = (out, w, p, vlen, kflag, sot) => {
  out.str(kflag ? ',"encoding":"SIGNED"' : ',"encoding":"UNSIGNED"').str(',"size":').int(sot).str(',"vlen":').int(vlen);
  out.str(',"values":[');
  for (let j = 0, m = p + 12; j < vlen; j++, m += 8) {
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
};

const printEnum64: KindPrinter = (out, w, p, vlen, kflag, sot) => {
  out.str(kflag ? ',"encoding":"SIGNED"' : ',"encoding":"UNSIGNED"').str(',"size":').int(sot).str(',"vlen":').int(vlen);
  out.str(',"values":[');
  for (let j = 0, m = p + 12; j < vlen; j++, m += 12) {
    out.str(j === 0 ? '{"name":' : ',{"name":');
    putJsonName(out, w, w.u32(m));
    out.str(',"val":').str(enum64Text(w, m, kflag)).byte(125);
  }
  out.byte(93);
};

const printFwd: KindPrinter = (out, _w, _p, _v, kflag) => {
  out.str(kflag ? ',"fwd_kind":"union"' : ',"fwd_kind":"struct"');
};

const printFunc: KindPrinter = (out, _w, _p, vlen, _k, sot) => {
  out.str(',"type_id":').int(sot).str(',"linkage":"').str(linkageName(vlen)).byte(34);
};

const printFuncProto: KindPrinter = (out, w, p, vlen, _k, sot) => {
  out.str(',"ret_type_id":').int(sot).str(',"vlen":').int(vlen).str(',"params":[');
  for (let j = 0, m = p + 12; j < vlen; j++, m += 8) {
    out.str(j === 0 ? '{"name":' : ',{"name":');
    putJsonName(out, w, w.u32(m));
    out.str(',"type_id":').int(w.u32(m + 4)).byte(125);
  }
  out.byte(93);
};

const printVar: KindPrinter = (out, w, p, _v, _k, sot) => {
  out.str(',"type_id":').int(sot).str(',"linkage":"').str(linkageName(w.u32(p + 12))).byte(34);
};

const printDatasec: KindPrinter = (out, w, p, vlen, _k, sot) => {
  out.str(',"size":').int(sot).str(',"vlen":').int(vlen).str(',"vars":[');
  for (let j = 0, m = p + 12; j < vlen; j++, m += 12) {
    out.str(j === 0 ? '{"type_id":' : ',{"type_id":').int(w.u32(m));
    out.str(',"offset":').int(w.u32(m + 4)).str(',"size":').int(w.u32(m + 8)).byte(125);
  }
  out.byte(93);
};

const printDeclTag: KindPrinter = (out, w, p, _v, _k, sot) => {
  out.str(',"type_id":').int(sot).str(',"component_idx":').int(w.i32(p + 12));
};

const printNothing: KindPrinter = () => {};

const PRINTERS: KindPrinter[] = [];
PRINTERS[Kind.Int] = printInt;
PRINTERS[Kind.Ptr] = printType;
PRINTERS[Kind.Array] = printArray;
PRINTERS[Kind.Struct] = printComposite;
PRINTERS[Kind.Union] = printComposite;
PRINTERS[Kind.Enum] = printEnum;
PRINTERS[Kind.Fwd] = printFwd;
PRINTERS[Kind.Typedef] = printType;
PRINTERS[Kind.Volatile] = printType;
PRINTERS[Kind.Const] = printType;
PRINTERS[Kind.Restrict] = printType;
PRINTERS[Kind.Func] = printFunc;
PRINTERS[Kind.FuncProto] = printFuncProto;
PRINTERS[Kind.Var] = printVar;
PRINTERS[Kind.Datasec] = printDatasec;
PRINTERS[Kind.Float] = printSize;
PRINTERS[Kind.DeclTag] = printDeclTag;
PRINTERS[Kind.TypeTag] = printType;
PRINTERS[Kind.Enum64] = printEnum64;

function jsonType(out: TextBuffer, w: BtfWire, id: number): void {
  const p = w.offsets[id - w.firstId];
  const info = w.u32(p + 4);
  const kind = infoKind(info);
  out.str('{"id":').int(id).str(',"kind":"').str(safeKindName(kind)).str('","name":');
  putJsonName(out, w, w.u32(p));
  (PRINTERS[kind] ?? printNothing)(out, w, p, infoVlen(info), infoKflag(info), w.u32(p + 8));
  out.byte(125);
}
