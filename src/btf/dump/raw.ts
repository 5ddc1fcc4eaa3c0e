import { putAscii, putCstr, putInt32, putUint, TextBuffer } from '../../internal/text-buffer.js';
import type { Btf } from '../btf.js';
import { KIND_NAMES, MAX_KNOWN_KIND } from '../kinds.js';
import type { BtfWire } from '../wire-index.js';
import { wireOf } from './wire-of.js';
import { printersByKind } from './printer-table.js';

/**
 * `bpftool btf dump file X` (format raw), byte for byte as Debian's bpftool
 * 7.1 prints it: one `[id] KIND 'name' ...` line per type, with members,
 * values, parameters and section variables on tab-indented lines.
 *
 * It reads the wire records directly: the raw dump is a picture of them,
 * and skipping the model keeps a 12 MB vmlinux dump fast.
 */
export interface DumpOptions {
  /** Dump only these ids, in this order (bpftool's root ids). */
  rootIds?: readonly number[];
}

const INT_ENCODINGS: Record<number, string> = { 0: '(none)', 1: 'SIGNED', 2: 'CHAR', 4: 'BOOL' };
const LINKAGES = ['static', 'global', 'extern'];

export function intEncodingName(enc: number): string {
  return INT_ENCODINGS[enc] ?? 'UNKN';
}

export function linkageName(l: number): string {
  return LINKAGES[l] ?? '(unknown)';
}

/** bpftool's table lookup: kinds past the newest it knows print UNKNOWN. */
export function safeKindName(kind: number): string {
  return kind <= MAX_KNOWN_KIND ? KIND_NAMES[kind] : 'UNKNOWN';
}

/** Append a name as bpftool prints it: '(anon)' for offset 0 (not for any
 * empty string), otherwise the string's bytes. */
export function putName(out: TextBuffer, w: BtfWire, off: number): void {
  if (off === 0) out.str('(anon)');
  else if (off >= w.strBase) out.cstr(w.strBytes, off - w.strBase);
  else putName(out, w.base!, off);
}

/** Ids to dump: the roots given (base types are not part of a split dump),
 * or every own type in id order. */
export function dumpIds(w: BtfWire, opts: DumpOptions): number[] {
  if (opts.rootIds !== undefined && opts.rootIds.length > 0) return opts.rootIds.filter((id) => id >= w.firstId);
  const ids = new Array<number>(w.count);
  for (let i = 0; i < w.count; i++) ids[i] = w.firstId + i;
  return ids;
}

export function dumpRaw(btf: Btf, opts: DumpOptions = {}): Uint8Array {
  const w = wireOf(btf);
  const out = new TextBuffer(Math.max(1 << 16, w.typeBytes.byteLength * 4));
  const c = new WireCursor(w);
  if (opts.rootIds !== undefined && opts.rootIds.length > 0) {
    const ids = dumpIds(w, opts);
    for (let i = 0; i < ids.length; i++) rawType(out, c, ids[i]);
  } else {
    // Every own type in id order, without a list of 127k ids first.
    for (let id = w.firstId, end = w.typeCount; id < end; id++) rawType(out, c, id);
  }
  return out.bytes();
}

export function formatRaw(btf: Btf, opts: DumpOptions = {}): string {
  return Buffer.from(dumpRaw(btf, opts)).toString('latin1');
}

/**
 * What the printers read, in plain fields: the type section's words, the
 * combined string space and how much room one name can need. The printers
 * reserve room once per line or member and then write bytes directly (the
 * put* functions), instead of a checked method call per piece: the dump runs
 * once per process, mostly before V8 optimises it, where calls dominate.
 */
export class WireCursor {
  readonly words: Uint32Array;
  readonly offsets: Uint32Array;
  readonly firstId: number;
  readonly typeCount: number;
  readonly strs: Uint8Array;
  /** Bytes to reserve for one name plus the fixed text around it. */
  readonly room: number;
  /** The same for a name escaped as a JSON string (up to twice as long). */
  readonly jsonRoom: number;

  constructor(readonly w: BtfWire) {
    this.words = w.words;
    this.offsets = w.offsets;
    this.firstId = w.firstId;
    this.typeCount = w.typeCount;
    this.strs = w.allStrings();
    this.room = w.longestString() + 128;
    this.jsonRoom = 2 * w.longestString() + 128;
  }
}

/** A name as bpftool prints it: '(anon)' for offset 0 (not for any empty
 * string), otherwise the string's bytes. Needs `room` reserved. */
function putRawName(b: Uint8Array, p: number, strs: Uint8Array, off: number): number {
  return off === 0 ? putAscii(b, p, '(anon)') : putCstr(b, p, strs, off);
}

/**
 * Per-kind printers, one small function each: V8 compiles a small function
 * quickly and a kind first met late in the input (vmlinux ends with its
 * DATASECs) then deoptimises only its own printer, not one big switch.
 * `q` is the index of the record's first word.
 */
type KindPrinter = (out: TextBuffer, c: WireCursor, q: number, vlen: number, kflag: boolean, sot: number) => void;

const printType: KindPrinter = (out, _c, _q, _v, _k, sot) => {
  const b = out.reserve(24);
  out.pos = putUint(b, putAscii(b, out.pos, ' type_id='), sot);
};

const printSize: KindPrinter = (out, _c, _q, _v, _k, sot) => {
  const b = out.reserve(24);
  out.pos = putUint(b, putAscii(b, out.pos, ' size='), sot);
};

const printInt: KindPrinter = (out, c, q, _v, _k, sot) => {
  const d = c.words[q + 3];
  const b = out.reserve(96);
  let p = putUint(b, putAscii(b, out.pos, ' size='), sot);
  p = putUint(b, putAscii(b, p, ' bits_offset='), (d >>> 16) & 0xff);
  p = putUint(b, putAscii(b, p, ' nr_bits='), d & 0xff);
  out.pos = putAscii(b, putAscii(b, p, ' encoding='), intEncodingName((d >>> 24) & 0x0f));
};

const printArray: KindPrinter = (out, c, q) => {
  const words = c.words;
  const b = out.reserve(96);
  let p = putUint(b, putAscii(b, out.pos, ' type_id='), words[q + 3]);
  p = putUint(b, putAscii(b, p, ' index_type_id='), words[q + 4]);
  out.pos = putUint(b, putAscii(b, p, ' nr_elems='), words[q + 5]);
};

// bpftool 7.1 reads vlen as 16 bits; BTF it accepts never has more, so
// printing every record is the same output.
const printComposite: KindPrinter = (out, c, q, vlen, kflag, sot) => {
  const { words, strs, room } = c;
  let b = out.reserve(48);
  out.pos = putUint(b, putAscii(b, putUint(b, putAscii(b, out.pos, ' size='), sot), ' vlen='), vlen);
  for (let m = q + 3, end = q + 3 + 3 * vlen; m < end; m += 3) {
    b = out.reserve(room);
    let p = out.pos;
    b[p++] = 10;
    b[p++] = 9;
    b[p++] = 39;
    p = putRawName(b, p, strs, words[m]);
    p = putUint(b, putAscii(b, p, "' type_id="), words[m + 1]);
    const off = words[m + 2];
    p = putUint(b, putAscii(b, p, ' bits_offset='), kflag ? off & 0xffffff : off);
    if (kflag && off >>> 24 !== 0) p = putUint(b, putAscii(b, p, ' bitfield_size='), off >>> 24);
    out.pos = p;
  }
};

const printEnum: KindPrinter = (out, c, q, vlen, kflag, sot) => {
  const { words, strs, room } = c;
  let b = out.reserve(64);
  let p = putAscii(b, out.pos, kflag ? ' encoding=SIGNED size=' : ' encoding=UNSIGNED size=');
  out.pos = putUint(b, putAscii(b, putUint(b, p, sot), ' vlen='), vlen);
  for (let m = q + 3, end = q + 3 + 2 * vlen; m < end; m += 2) {
    b = out.reserve(room);
    p = out.pos;
    b[p++] = 10;
    b[p++] = 9;
    b[p++] = 39;
    p = putRawName(b, p, strs, words[m]);
    p = putAscii(b, p, "' val=");
    out.pos = kflag ? putInt32(b, p, words[m + 1] | 0) : putUint(b, p, words[m + 1]);
  }
};

const printEnum64: KindPrinter = (out, c, q, vlen, kflag, sot) => {
  const { words, strs, room } = c;
  let b = out.reserve(64);
  let p = putAscii(b, out.pos, kflag ? ' encoding=SIGNED size=' : ' encoding=UNSIGNED size=');
  out.pos = putUint(b, putAscii(b, putUint(b, p, sot), ' vlen='), vlen);
  for (let m = q + 3, end = q + 3 + 3 * vlen; m < end; m += 3) {
    b = out.reserve(room);
    p = out.pos;
    b[p++] = 10;
    b[p++] = 9;
    b[p++] = 39;
    p = putRawName(b, p, strs, words[m]);
    p = putAscii(b, putAscii(b, p, "' val="), enum64Value(words[m + 1], words[m + 2], kflag));
    out.pos = putAscii(b, p, kflag ? 'LL' : 'ULL');
  }
};

const printFwd: KindPrinter = (out, _c, _q, _v, kflag) => {
  const b = out.reserve(24);
  out.pos = putAscii(b, out.pos, kflag ? ' fwd_kind=union' : ' fwd_kind=struct');
};

const printFunc: KindPrinter = (out, _c, _q, vlen, _k, sot) => {
  const b = out.reserve(48);
  out.pos = putAscii(b, putAscii(b, putUint(b, putAscii(b, out.pos, ' type_id='), sot), ' linkage='), linkageName(vlen));
};

const printFuncProto: KindPrinter = (out, c, q, vlen, _k, sot) => {
  const { words, strs, room } = c;
  let b = out.reserve(48);
  out.pos = putUint(b, putAscii(b, putUint(b, putAscii(b, out.pos, ' ret_type_id='), sot), ' vlen='), vlen);
  for (let m = q + 3, end = q + 3 + 2 * vlen; m < end; m += 2) {
    b = out.reserve(room);
    let p = out.pos;
    b[p++] = 10;
    b[p++] = 9;
    b[p++] = 39;
    p = putRawName(b, p, strs, words[m]);
    out.pos = putUint(b, putAscii(b, p, "' type_id="), words[m + 1]);
  }
};

const printVar: KindPrinter = (out, c, q, _v, _k, sot) => {
  const b = out.reserve(48);
  out.pos = putAscii(b, putAscii(b, putUint(b, putAscii(b, out.pos, ' type_id='), sot), ', linkage='), linkageName(c.words[q + 3]));
};

const printDatasec: KindPrinter = (out, c, q, vlen, _k, sot) => {
  const { words, strs, room, w } = c;
  let b = out.reserve(48);
  out.pos = putUint(b, putAscii(b, putUint(b, putAscii(b, out.pos, ' size='), sot), ' vlen='), vlen);
  const count = c.typeCount;
  for (let m = q + 3, end = q + 3 + 3 * vlen; m < end; m += 3) {
    const t = words[m];
    b = out.reserve(room);
    let p = putUint(b, putAscii(b, out.pos, '\n\ttype_id='), t);
    p = putUint(b, putAscii(b, p, ' offset='), words[m + 1]);
    p = putUint(b, putAscii(b, p, ' size='), words[m + 2]);
    if (t < count) {
      p = putAscii(b, putAscii(b, putAscii(b, p, ' ('), safeKindName(w.kindOf(t))), " '");
      p = putAscii(b, putRawName(b, p, strs, w.nameOffOf(t)), "')");
    }
    out.pos = p;
  }
};

const printDeclTag: KindPrinter = (out, c, q, _v, _k, sot) => {
  const b = out.reserve(48);
  out.pos = putInt32(b, putAscii(b, putUint(b, putAscii(b, out.pos, ' type_id='), sot), ' component_idx='), c.words[q + 3] | 0);
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

/** `[id] KIND 'name'`, the printer's fields, a newline. */
const KIND_HEADS: string[] = [];
for (let k = 0; k < 128; k++) KIND_HEADS.push(`] ${safeKindName(k)} '`);

function rawType(out: TextBuffer, c: WireCursor, id: number): void {
  const q = c.offsets[id - c.firstId] >> 2;
  const info = c.words[q + 1];
  const kind = (info >>> 24) & 0x7f;
  const b = out.reserve(c.room);
  let p = out.pos;
  b[p++] = 91;
  p = putUint(b, p, id);
  p = putRawName(b, putAscii(b, p, KIND_HEADS[kind]), c.strs, c.words[q]);
  b[p++] = 39;
  out.pos = p;
  (PRINTERS[kind] ?? printNothing)(out, c, q, info & 0xffffff, info >>> 31 === 1, c.words[q + 2]);
  out.byte(10);
}

/** An ENUM64 value from its two words as decimal text, signed when the
 * type's kflag says so. */
export function enum64Value(lo: number, hi: number, signed: boolean): string {
  if (hi === 0) return String(lo);
  const u = (BigInt(hi) << 32n) | BigInt(lo);
  return (signed ? BigInt.asIntN(64, u) : u).toString();
}

/** An ENUM64 value as decimal text, signed when the type's kflag says so. */
export function enum64Text(w: BtfWire, m: number, signed: boolean): string {
  const lo = w.u32(m + 4);
  const hi = w.u32(m + 8);
  if (hi === 0) return String(lo);
  const u = (BigInt(hi) << 32n) | BigInt(lo);
  return (signed ? BigInt.asIntN(64, u) : u).toString();
}
