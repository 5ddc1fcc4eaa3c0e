import { putAscii, putCstrJson, putInt32, putUint, TextBuffer } from '../../internal/text-buffer.js';
import type { Btf } from '../btf.js';
import { dumpIds, enum64Value, intEncodingName, linkageName, safeKindName, WireCursor, type DumpOptions } from './raw.js';
import { wireOf } from './wire-of.js';
import { printersByKind } from './printer-table.js';

/**
 * `bpftool -j btf dump file X`, byte for byte as Debian's bpftool 7.1 prints
 * it: one compact JSON object `{"types":[...]}` and a newline, keys in
 * bpftool's order, strings escaped the way its json_writer escapes them.
 */
export function dumpJson(btf: Btf, opts: DumpOptions = {}): Uint8Array {
  const w = wireOf(btf);
  const out = new TextBuffer(Math.max(1 << 16, w.typeBytes.byteLength * 5));
  out.str('{"types":[');
  const c = new WireCursor(w);
  if (opts.rootIds !== undefined && opts.rootIds.length > 0) {
    const ids = dumpIds(w, opts);
    for (let i = 0; i < ids.length; i++) {
      if (i > 0) out.byte(44);
      jsonType(out, c, ids[i]);
    }
  } else {
    // Every own type in id order, without a list of 127k ids first.
    for (let id = w.firstId, end = w.typeCount; id < end; id++) {
      if (id > w.firstId) out.byte(44);
      jsonType(out, c, id);
    }
  }
  out.str(']}\n');
  return out.bytes();
}

export function formatJson(btf: Btf, opts: DumpOptions = {}): string {
  return Buffer.from(dumpJson(btf, opts)).toString('latin1');
}

/** A name as a JSON string; needs `jsonRoom` reserved. */
function putJsonName(b: Uint8Array, p: number, strs: Uint8Array, off: number): number {
  if (off === 0) return putAscii(b, p, '"(anon)"');
  b[p] = 34;
  p = putCstrJson(b, p + 1, strs, off);
  b[p] = 34;
  return p + 1;
}

/** Per-kind printers, small for the same reason as in raw.ts; they write
 * reserved bytes directly the same way. */
type KindPrinter = (out: TextBuffer, c: WireCursor, q: number, vlen: number, kflag: boolean, sot: number) => void;

const printType: KindPrinter = (out, _c, _q, _v, _k, sot) => {
  const b = out.reserve(32);
  out.pos = putUint(b, putAscii(b, out.pos, ',"type_id":'), sot);
};

const printSize: KindPrinter = (out, _c, _q, _v, _k, sot) => {
  const b = out.reserve(32);
  out.pos = putUint(b, putAscii(b, out.pos, ',"size":'), sot);
};

const printInt: KindPrinter = (out, c, q, _v, _k, sot) => {
  const d = c.words[q + 3];
  const b = out.reserve(128);
  let p = putUint(b, putAscii(b, out.pos, ',"size":'), sot);
  p = putUint(b, putAscii(b, p, ',"bits_offset":'), (d >>> 16) & 0xff);
  p = putUint(b, putAscii(b, p, ',"nr_bits":'), d & 0xff);
  p = putAscii(b, putAscii(b, p, ',"encoding":"'), intEncodingName((d >>> 24) & 0x0f));
  b[p] = 34;
  out.pos = p + 1;
};

const printArray: KindPrinter = (out, c, q) => {
  const words = c.words;
  const b = out.reserve(128);
  let p = putUint(b, putAscii(b, out.pos, ',"type_id":'), words[q + 3]);
  p = putUint(b, putAscii(b, p, ',"index_type_id":'), words[q + 4]);
  out.pos = putUint(b, putAscii(b, p, ',"nr_elems":'), words[q + 5]);
};

const printComposite: KindPrinter = (out, c, q, vlen, kflag, sot) => {
  const { words, strs, jsonRoom } = c;
  let b = out.reserve(64);
  let p = putUint(b, putAscii(b, out.pos, ',"size":'), sot);
  out.pos = putAscii(b, putUint(b, putAscii(b, p, ',"vlen":'), vlen), ',"members":[');
  for (let m = q + 3, end = q + 3 + 3 * vlen; m < end; m += 3) {
    b = out.reserve(jsonRoom);
    p = putAscii(b, out.pos, m === q + 3 ? '{"name":' : ',{"name":');
    p = putJsonName(b, p, strs, words[m]);
    p = putUint(b, putAscii(b, p, ',"type_id":'), words[m + 1]);
    const off = words[m + 2];
    p = putUint(b, putAscii(b, p, ',"bits_offset":'), kflag ? off & 0xffffff : off);
    if (kflag && off >>> 24 !== 0) p = putUint(b, putAscii(b, p, ',"bitfield_size":'), off >>> 24);
    b[p] = 125;
    out.pos = p + 1;
  }
  out.byte(93);
};

const printEnum: KindPrinter = (out, c, q, vlen, kflag, sot) => {
  const { words, strs, jsonRoom } = c;
  let b = out.reserve(96);
  let p = putAscii(b, out.pos, kflag ? ',"encoding":"SIGNED","size":' : ',"encoding":"UNSIGNED","size":');
  out.pos = putAscii(b, putUint(b, putAscii(b, putUint(b, p, sot), ',"vlen":'), vlen), ',"values":[');
  for (let m = q + 3, end = q + 3 + 2 * vlen; m < end; m += 2) {
    b = out.reserve(jsonRoom);
    p = putAscii(b, out.pos, m === q + 3 ? '{"name":' : ',{"name":');
    p = putAscii(b, putJsonName(b, p, strs, words[m]), ',"val":');
    const u = words[m + 1];
    if (kflag) p = putInt32(b, p, u | 0);
    else if (u < 0x80000000) p = putUint(b, p, u);
    // bpftool 7.1 keeps the value as __s32 and prints unsigned enums
    // through a 64-bit unsigned field, so values >= 2^31 come out
    // sign-extended (4026531839 prints as 18446744073441116159).
    else p = putAscii(b, p, (BigInt(u) + 0xffffffff00000000n).toString());
    b[p] = 125;
    out.pos = p + 1;
  }
  out.byte(93);
};

const printEnum64: KindPrinter = (out, c, q, vlen, kflag, sot) => {
  const { words, strs, jsonRoom } = c;
  let b = out.reserve(96);
  let p = putAscii(b, out.pos, kflag ? ',"encoding":"SIGNED","size":' : ',"encoding":"UNSIGNED","size":');
  out.pos = putAscii(b, putUint(b, putAscii(b, putUint(b, p, sot), ',"vlen":'), vlen), ',"values":[');
  for (let m = q + 3, end = q + 3 + 3 * vlen; m < end; m += 3) {
    b = out.reserve(jsonRoom);
    p = putAscii(b, out.pos, m === q + 3 ? '{"name":' : ',{"name":');
    p = putAscii(b, putJsonName(b, p, strs, words[m]), ',"val":');
    p = putAscii(b, p, enum64Value(words[m + 1], words[m + 2], kflag));
    b[p] = 125;
    out.pos = p + 1;
  }
  out.byte(93);
};

const printFwd: KindPrinter = (out, _c, _q, _v, kflag) => {
  const b = out.reserve(32);
  out.pos = putAscii(b, out.pos, kflag ? ',"fwd_kind":"union"' : ',"fwd_kind":"struct"');
};

const printFunc: KindPrinter = (out, _c, _q, vlen, _k, sot) => {
  const b = out.reserve(64);
  const p = putAscii(b, putAscii(b, putUint(b, putAscii(b, out.pos, ',"type_id":'), sot), ',"linkage":"'), linkageName(vlen));
  b[p] = 34;
  out.pos = p + 1;
};

const printFuncProto: KindPrinter = (out, c, q, vlen, _k, sot) => {
  const { words, strs, jsonRoom } = c;
  let b = out.reserve(64);
  let p = putUint(b, putAscii(b, out.pos, ',"ret_type_id":'), sot);
  out.pos = putAscii(b, putUint(b, putAscii(b, p, ',"vlen":'), vlen), ',"params":[');
  for (let m = q + 3, end = q + 3 + 2 * vlen; m < end; m += 2) {
    b = out.reserve(jsonRoom);
    p = putAscii(b, out.pos, m === q + 3 ? '{"name":' : ',{"name":');
    p = putJsonName(b, p, strs, words[m]);
    p = putUint(b, putAscii(b, p, ',"type_id":'), words[m + 1]);
    b[p] = 125;
    out.pos = p + 1;
  }
  out.byte(93);
};

const printVar: KindPrinter = (out, c, q, _v, _k, sot) => {
  const b = out.reserve(64);
  const p = putAscii(b, putAscii(b, putUint(b, putAscii(b, out.pos, ',"type_id":'), sot), ',"linkage":"'), linkageName(c.words[q + 3]));
  b[p] = 34;
  out.pos = p + 1;
};

const printDatasec: KindPrinter = (out, c, q, vlen, _k, sot) => {
  const words = c.words;
  let b = out.reserve(64);
  let p = putUint(b, putAscii(b, out.pos, ',"size":'), sot);
  out.pos = putAscii(b, putUint(b, putAscii(b, p, ',"vlen":'), vlen), ',"vars":[');
  for (let m = q + 3, end = q + 3 + 3 * vlen; m < end; m += 3) {
    b = out.reserve(96);
    p = putUint(b, putAscii(b, out.pos, m === q + 3 ? '{"type_id":' : ',{"type_id":'), words[m]);
    p = putUint(b, putAscii(b, p, ',"offset":'), words[m + 1]);
    p = putUint(b, putAscii(b, p, ',"size":'), words[m + 2]);
    b[p] = 125;
    out.pos = p + 1;
  }
  out.byte(93);
};

const printDeclTag: KindPrinter = (out, c, q, _v, _k, sot) => {
  const b = out.reserve(64);
  out.pos = putInt32(b, putAscii(b, putUint(b, putAscii(b, out.pos, ',"type_id":'), sot), ',"component_idx":'), c.words[q + 3] | 0);
};

const printNothing: KindPrinter = () => {};

const PRINTERS = printersByKind<KindPrinter>({
  int: printInt,
  ref: printType,
  array: printArray,
  composite: printComposite,
  enum: printEnum,
  fwd: printFwd,
  func: printFunc,
  funcProto: printFuncProto,
  var: printVar,
  datasec: printDatasec,
  float: printSize,
  declTag: printDeclTag,
  enum64: printEnum64,
});

/** `"kind":"KIND","name":` for each kind number. */
const KIND_HEADS: string[] = [];
for (let k = 0; k < 128; k++) KIND_HEADS.push(`,"kind":"${safeKindName(k)}","name":`);

function jsonType(out: TextBuffer, c: WireCursor, id: number): void {
  const q = c.offsets[id - c.firstId] >> 2;
  const info = c.words[q + 1];
  const kind = (info >>> 24) & 0x7f;
  const b = out.reserve(c.jsonRoom);
  const p = putUint(b, putAscii(b, out.pos, '{"id":'), id);
  out.pos = putJsonName(b, putAscii(b, p, KIND_HEADS[kind]), c.strs, c.words[q]);
  (PRINTERS[kind] ?? printNothing)(out, c, q, info & 0xffffff, info >>> 31 === 1, c.words[q + 2]);
  out.byte(125);
}
