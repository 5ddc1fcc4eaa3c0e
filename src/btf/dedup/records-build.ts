import { BpfkitError } from '../../internal/errors.js';
import type { Btf } from '../btf.js';
import { Kind, MAX_KNOWN_KIND } from '../kinds.js';
import { isOpaque, type AnyBtfType } from '../types.js';
import { DedupRecords, nameStride } from './records.js';

/**
 * Build the dedup's records (see records.ts) for every id of `btf` and its
 * bases. A BTF still backed by its wire index is copied word by word (only
 * name offsets become string numbers); a BTF given as type objects (the
 * linker's, hand-built ones) is encoded from them. Own types are checked on
 * the way: a kind newer than this code cannot be deduplicated, and a
 * dangling id would otherwise surface as a crash deep inside a pass.
 */
export function buildRecords(btf: Btf, file: string | undefined): DedupRecords {
  const count = btf.typeCount;
  const b = new RecordsBuilder(count, btf.firstId, file);
  b.addLevel(btf);
  return new DedupRecords(b.words.subarray(0, b.used), b.off, btf.firstId, count, b.strs);
}

class RecordsBuilder {
  words: Uint32Array;
  used = 3; // void's record: three zero words
  readonly off: Uint32Array;
  readonly strs: string[] = [''];
  private readonly ids = new Map<string, number>([['', 0]]);
  private id = 1;

  constructor(
    private readonly count: number,
    private readonly firstOwn: number,
    private readonly file: string | undefined,
  ) {
    this.off = new Uint32Array(count + 1);
    // Kernel BTF averages about 6 words a record.
    this.words = new Uint32Array(Math.max(64, count * 8));
  }

  /** Bases first, then this level's own types, in id order. */
  addLevel(btf: Btf): void {
    if (btf.base !== undefined) this.addLevel(btf.base);
    const w = btf.wire;
    if (w !== undefined) this.fromWire(btf);
    else for (const t of btf) this.fromType(t);
  }

  strNo(s: string): number {
    let n = this.ids.get(s);
    if (n === undefined) {
      n = this.strs.length;
      this.strs.push(s);
      this.ids.set(s, n);
    }
    return n;
  }

  private reserve(n: number): void {
    if (this.used + n <= this.words.length) return;
    const more = new Uint32Array(Math.max(this.words.length * 2, this.used + n));
    more.set(this.words.subarray(0, this.used));
    this.words = more;
  }

  private start(): number {
    const at = this.used;
    this.off[this.id] = at;
    this.off[this.id + 1] = at; // kept as the end marker
    return at;
  }

  private end(len: number): void {
    this.used += len;
    this.id++;
    this.off[this.id] = this.used;
  }

  private ref(x: number): number {
    if (this.id >= this.firstOwn && !(Number.isInteger(x) && x >= 0 && x < this.count)) {
      throw new BpfkitError('OUT_OF_RANGE', `refers to type id ${x}, past the last type ${this.count - 1}`, { typeId: this.id, file: this.file });
    }
    return x;
  }

  /** Copy the wire records of one level, names turned into string numbers
   * (through a per-offset cache: equal offsets are equal strings). */
  private fromWire(btf: Btf): void {
    const w = btf.wire!;
    const src = w.words;
    const offsets = w.offsets;
    const space = btf.strOffsetBase + btf.strings.size;
    const cache = new Int32Array(space).fill(-1);
    const nameNo = (o: number): number => {
      let n = cache[o];
      if (n < 0) {
        n = this.strNo(btf.str(o));
        cache[o] = n;
      }
      return n;
    };
    const n = w.count;
    for (let i = 0; i < n; i++) {
      const q = offsets[i] >> 2;
      const len = (offsets[i + 1] - offsets[i]) >> 2;
      const info = src[q + 1];
      const kind = (info >>> 24) & 0x7f;
      const vlen = info & 0xffffff;
      this.reserve(len);
      const at = this.start();
      const dst = this.words;
      if (kind > MAX_KNOWN_KIND || kind === Kind.Unknown) {
        // A kind newer than this code (read through the layout section).
        if (this.id >= this.firstOwn) {
          throw new BpfkitError('BAD_KIND', `cannot deduplicate a type of unknown kind`, { typeId: this.id, file: this.file });
        }
        dst[at] = nameNo(src[q]);
        dst[at + 1] = 0;
        dst[at + 2] = 0;
        this.end(3);
        continue;
      }
      dst.set(src.subarray(q, q + len), at);
      dst[at] = nameNo(src[q]);
      const stride = nameStride(kind);
      if (stride !== 0) for (let k = 0, m = at + 3; k < vlen; k++, m += stride) dst[m] = nameNo(src[q + 3 + k * stride]);
      this.end(len);
    }
  }

  /** Encode one type object (the inverse of decoding its wire record). */
  private fromType(t: AnyBtfType): void {
    const own = this.id >= this.firstOwn;
    if (isOpaque(t)) {
      if (own) throw new BpfkitError('BAD_KIND', `cannot deduplicate a type of unknown kind`, { typeId: this.id, file: this.file });
      this.reserve(3);
      const at = this.start();
      this.words[at] = this.strNo(t.name);
      this.words[at + 1] = 0;
      this.words[at + 2] = 0;
      this.end(3);
      return;
    }
    const head = (vlen: number, sot: number, extra: number): number => {
      this.reserve(3 + extra);
      const at = this.start();
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
