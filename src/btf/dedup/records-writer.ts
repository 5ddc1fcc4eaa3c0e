import { BpfkitError } from '../../internal/errors.js';
import { Kind } from '../kinds.js';
import { isOpaque, type AnyBtfType } from '../types.js';
import { DedupRecords } from './records.js';

/**
 * Records (see records.ts) under construction, one id after another from
 * id 1 (void's all-zero record is there from the start): the words and the
 * per-id offsets grow as needed, and names are numbered as they come.
 * Used by dedupBtf to load a BTF and by the static linker to collect its
 * output types without building type objects.
 */
export class RecordWriter {
  words: Uint32Array;
  /** Words in use (void's three come first). */
  used = 3;
  off: Uint32Array;
  /** The next id to be written. */
  id = 1;
  readonly strs: string[] = [''];
  private readonly ids = new Map<string, number>([['', 0]]);

  constructor(
    expectedIds = 64,
    /** Ids from which references are checked (< refLimit) as types are
     * encoded from objects; Infinity: none. */
    private readonly checkFrom = Infinity,
    private readonly refLimit = 0,
    private readonly file?: string,
  ) {
    this.off = new Uint32Array(Math.max(16, expectedIds + 1));
    // Kernel BTF averages about 6 words a record.
    this.words = new Uint32Array(Math.max(64, expectedIds * 8));
  }

  /** The number of a string if it has one. */
  readonly numberOf = (s: string): number | undefined => this.ids.get(s);

  /** The number of a string (equal strings, equal numbers). */
  strNo(s: string): number {
    let n = this.ids.get(s);
    if (n === undefined) {
      n = this.strs.length;
      this.strs.push(s);
      this.ids.set(s, n);
    }
    return n;
  }

  /** Make room for a record of n words and return where it starts. */
  begin(n: number): number {
    this.reserve(n, 1);
    this.off[this.id] = this.used;
    return this.used;
  }

  /** Make room for `words` more words and `ids` more ids (for a caller
   * that writes several records at once and sets `off`, `id` and `used`). */
  reserve(words: number, ids: number): void {
    if (this.used + words > this.words.length) {
      const more = new Uint32Array(Math.max(this.words.length * 2, this.used + words));
      more.set(this.words.subarray(0, this.used));
      this.words = more;
    }
    if (this.id + ids + 1 > this.off.length) {
      const more = new Uint32Array(Math.max(this.off.length * 2, this.id + ids + 1));
      more.set(this.off);
      this.off = more;
    }
  }

  /** The record begun last is n words long. */
  end(n: number): void {
    this.used += n;
    this.id++;
    this.off[this.id] = this.used;
  }

  /** Forget every id from `id` on (to undo appends). */
  truncate(id: number): void {
    this.id = id;
    this.used = this.off[id];
  }

  /** The records written so far (views of the writer's arrays: valid until
   * the next write). */
  records(firstId = 1): DedupRecords {
    return new DedupRecords(this.words.subarray(0, this.used), this.off.subarray(0, this.id + 1), firstId, this.id, this.strs, this.numberOf);
  }

  /** A copy of the records written so far, for a consumer that edits
   * them (the dedup rewrites references in place). */
  snapshot(firstId = 1): DedupRecords {
    // Strings are only ever added, so the numbering stays valid.
    return new DedupRecords(this.words.slice(0, this.used), this.off.slice(0, this.id + 1), firstId, this.id, this.strs.slice(), this.numberOf);
  }

  /** A base type of a kind newer than this code: [name, 0, 0]. */
  addOpaque(name: string): void {
    const at = this.begin(3);
    this.words[at] = this.strNo(name);
    this.words[at + 1] = 0;
    this.words[at + 2] = 0;
    this.end(3);
  }

  /** Whether the next id is one whose types are checked (an own type). */
  isOwn(): boolean {
    return this.id >= this.checkFrom;
  }

  private ref(x: number): number {
    if (this.isOwn() && !(Number.isInteger(x) && x >= 0 && x < this.refLimit)) {
      throw new BpfkitError('OUT_OF_RANGE', `refers to type id ${x}, past the last type ${this.refLimit - 1}`, { typeId: this.id, file: this.file });
    }
    return x;
  }

  /** Encode one type object: the words its wire record would hold, with
   * string numbers for names. */
  addType(t: AnyBtfType): void {
    if (isOpaque(t)) {
      if (this.isOwn()) throw new BpfkitError('BAD_KIND', `cannot deduplicate a type of unknown kind`, { typeId: this.id, file: this.file });
      this.addOpaque(t.name);
      return;
    }
    const head = (vlen: number, sot: number, extra: number): number => {
      const at = this.begin(3 + extra);
      const d = this.words;
      d[at] = this.strNo(t.name);
      d[at + 1] = ((t.kind << 24) | (t.kflag ? 0x80000000 : 0) | vlen) >>> 0;
      d[at + 2] = sot;
      return at;
    };
    let at: number;
    let len = 3;
    switch (t.kind) {
      case Kind.Int:
        at = head(t.vlen, t.size, 1);
        this.words[at + 3] = (((t.encoding & 0x0f) << 24) | ((t.bitsOffset & 0xff) << 16) | (t.bits & 0xff) | t.reservedBits) >>> 0;
        len = 4;
        break;
      case Kind.Ptr:
      case Kind.Typedef:
      case Kind.Volatile:
      case Kind.Const:
      case Kind.Restrict:
      case Kind.TypeTag:
        head(t.vlen, this.ref(t.type), 0);
        break;
      case Kind.Func:
        head(t.linkage, this.ref(t.type), 0);
        break;
      case Kind.Fwd:
        head(t.vlen, t.sizeOrType, 0);
        break;
      case Kind.Float:
        head(t.vlen, t.size, 0);
        break;
      case Kind.Var:
        at = head(t.vlen, this.ref(t.type), 1);
        this.words[at + 3] = t.linkage;
        len = 4;
        break;
      case Kind.DeclTag:
        at = head(t.vlen, this.ref(t.type), 1);
        this.words[at + 3] = t.componentIdx;
        len = 4;
        break;
      case Kind.Array:
        at = head(t.vlen, t.sizeOrType, 3);
        this.words[at + 3] = this.ref(t.type);
        this.words[at + 4] = this.ref(t.indexType);
        this.words[at + 5] = t.nelems;
        len = 6;
        break;
      case Kind.Struct:
      case Kind.Union: {
        const ms = t.members;
        at = head(ms.length, t.size, 3 * ms.length);
        for (let k = 0, m = at + 3; k < ms.length; k++, m += 3) {
          const x = ms[k];
          this.words[m] = this.strNo(x.name);
          this.words[m + 1] = this.ref(x.type);
          this.words[m + 2] = t.kflag ? ((x.bitfieldSize << 24) | (x.bitsOffset & 0xffffff)) >>> 0 : x.bitsOffset;
        }
        len = 3 + 3 * ms.length;
        break;
      }
      case Kind.Enum: {
        const vs = t.values;
        at = head(vs.length, t.size, 2 * vs.length);
        for (let k = 0, m = at + 3; k < vs.length; k++, m += 2) {
          this.words[m] = this.strNo(vs[k].name);
          this.words[m + 1] = vs[k].value >>> 0;
        }
        len = 3 + 2 * vs.length;
        break;
      }
      case Kind.Enum64: {
        const vs = t.values;
        at = head(vs.length, t.size, 3 * vs.length);
        for (let k = 0, m = at + 3; k < vs.length; k++, m += 3) {
          const u = BigInt.asUintN(64, vs[k].value);
          this.words[m] = this.strNo(vs[k].name);
          this.words[m + 1] = Number(u & 0xffffffffn);
          this.words[m + 2] = Number(u >> 32n);
        }
        len = 3 + 3 * vs.length;
        break;
      }
      case Kind.FuncProto: {
        const ps = t.params;
        at = head(ps.length, this.ref(t.returnType), 2 * ps.length);
        for (let k = 0, m = at + 3; k < ps.length; k++, m += 2) {
          this.words[m] = this.strNo(ps[k].name);
          this.words[m + 1] = this.ref(ps[k].type);
        }
        len = 3 + 2 * ps.length;
        break;
      }
      case Kind.Datasec: {
        const vs = t.vars;
        at = head(vs.length, t.size, 3 * vs.length);
        for (let k = 0, m = at + 3; k < vs.length; k++, m += 3) {
          this.words[m] = this.ref(vs[k].type);
          this.words[m + 1] = vs[k].offset;
          this.words[m + 2] = vs[k].size;
        }
        len = 3 + 3 * vs.length;
        break;
      }
    }
    this.end(len);
  }
}
