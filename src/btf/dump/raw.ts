import { TextBuffer } from '../../internal/text-buffer.js';
import type { Btf } from '../btf.js';
import { Kind, KIND_NAMES, MAX_KNOWN_KIND } from '../kinds.js';
import { infoKflag, infoKind, infoVlen } from '../wire.js';
import type { BtfWire } from '../wire-index.js';
import { wireOf } from './wire-of.js';

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
  const out = new TextBuffer(Math.max(1 << 16, w.typeBytes.byteLength * 3));
  const ids = dumpIds(w, opts);
  for (let i = 0; i < ids.length; i++) rawType(out, w, ids[i]);
  return out.bytes();
}

export function formatRaw(btf: Btf, opts: DumpOptions = {}): string {
  return Buffer.from(dumpRaw(btf, opts)).toString('latin1');
}

/**
 * Per-kind printers, one small function each: V8 compiles a small function
 * quickly and a kind first met late in the input (vmlinux ends with its
 * DATASECs) then deoptimises only its own printer, not one big switch.
 */
type KindPrinter = (out: TextBuffer, w: BtfWire, p: number, vlen: number, kflag: boolean, sot: number) => void;

const printType: KindPrinter = (out, _w, _p, _v, _k, sot) => {
  out.str(' type_id=').int(sot);
};

const printSize: KindPrinter = (out, _w, _p, _v, _k, sot) => {
  out.str(' size=').int(sot);
};

const printInt: KindPrinter = (out, w, p, _v, _k, sot) => {
  const d = w.u32(p + 12);
  out.str(' size=').int(sot).str(' bits_offset=').int((d >>> 16) & 0xff);
  out.str(' nr_bits=').int(d & 0xff).str(' encoding=').str(intEncodingName((d >>> 24) & 0x0f));
};

const printArray: KindPrinter = (out, w, p) => {
  out.str(' type_id=').int(w.u32(p + 12)).str(' index_type_id=').int(w.u32(p + 16)).str(' nr_elems=').int(w.u32(p + 20));
};

// bpftool 7.1 reads vlen as 16 bits; BTF it accepts never has more, so
// printing every record is the same output.
const printComposite: KindPrinter = (out, w, p, vlen, kflag, sot) => {
  out.str(' size=').int(sot).str(' vlen=').int(vlen);
  for (let j = 0, m = p + 12; j < vlen; j++, m += 12) {
    const off = w.u32(m + 8);
    out.str("\n\t'");
    putName(out, w, w.u32(m));
    out.str("' type_id=").int(w.u32(m + 4)).str(' bits_offset=').int(kflag ? off & 0xffffff : off);
    if (kflag && off >>> 24 !== 0) out.str(' bitfield_size=').int(off >>> 24);
  }
};

const printEnum: KindPrinter = (out, w, p, vlen, kflag, sot) => {
  out.str(kflag ? ' encoding=SIGNED' : ' encoding=UNSIGNED').str(' size=').int(sot).str(' vlen=').int(vlen);
  for (let j = 0, m = p + 12; j < vlen; j++, m += 8) {
    out.str("\n\t'");
    putName(out, w, w.u32(m));
    out.str("' val=").int(kflag ? w.i32(m + 4) : w.u32(m + 4));
  }
};

const printEnum64: KindPrinter = (out, w, p, vlen, kflag, sot) => {
  out.str(kflag ? ' encoding=SIGNED' : ' encoding=UNSIGNED').str(' size=').int(sot).str(' vlen=').int(vlen);
  for (let j = 0, m = p + 12; j < vlen; j++, m += 12) {
    out.str("\n\t'");
    putName(out, w, w.u32(m));
    out.str("' val=").str(enum64Text(w, m, kflag)).str(kflag ? 'LL' : 'ULL');
  }
};

const printFwd: KindPrinter = (out, _w, _p, _v, kflag) => {
  out.str(kflag ? ' fwd_kind=union' : ' fwd_kind=struct');
};

const printFunc: KindPrinter = (out, _w, _p, vlen, _k, sot) => {
  out.str(' type_id=').int(sot).str(' linkage=').str(linkageName(vlen));
};

const printFuncProto: KindPrinter = (out, w, p, vlen, _k, sot) => {
  out.str(' ret_type_id=').int(sot).str(' vlen=').int(vlen);
  for (let j = 0, m = p + 12; j < vlen; j++, m += 8) {
    out.str("\n\t'");
    putName(out, w, w.u32(m));
    out.str("' type_id=").int(w.u32(m + 4));
  }
};

const printVar: KindPrinter = (out, w, p, _v, _k, sot) => {
  out.str(' type_id=').int(sot).str(', linkage=').str(linkageName(w.u32(p + 12)));
};

const printDatasec: KindPrinter = (out, w, p, vlen, _k, sot) => {
  out.str(' size=').int(sot).str(' vlen=').int(vlen);
  const count = w.typeCount;
  for (let j = 0, m = p + 12; j < vlen; j++, m += 12) {
    const t = w.u32(m);
    out.str('\n\ttype_id=').int(t).str(' offset=').int(w.u32(m + 4)).str(' size=').int(w.u32(m + 8));
    if (t < count) {
      out.str(' (').str(safeKindName(w.kindOf(t))).str(" '");
      putName(out, w, w.nameOffOf(t));
      out.str("')");
    }
  }
};

const printDeclTag: KindPrinter = (out, w, p, _v, _k, sot) => {
  out.str(' type_id=').int(sot).str(' component_idx=').int(w.i32(p + 12));
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

function rawType(out: TextBuffer, w: BtfWire, id: number): void {
  const p = w.offsets[id - w.firstId];
  const info = w.u32(p + 4);
  const kind = infoKind(info);
  out.byte(91).int(id).str('] ').str(safeKindName(kind)).str(" '");
  putName(out, w, w.u32(p));
  out.byte(39);
  (PRINTERS[kind] ?? printNothing)(out, w, p, infoVlen(info), infoKflag(info), w.u32(p + 8));
  out.byte(10);
}

/** An ENUM64 value as decimal text, signed when the type's kflag says so. */
export function enum64Text(w: BtfWire, m: number, signed: boolean): string {
  const lo = w.u32(m + 4);
  const hi = w.u32(m + 8);
  if (hi === 0) return String(lo);
  const u = (BigInt(hi) << 32n) | BigInt(lo);
  return (signed ? BigInt.asIntN(64, u) : u).toString();
}
