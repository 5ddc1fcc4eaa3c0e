import { RecordWriter } from '../btf/dedup/records-writer.js';
import { Kind, LINKAGE_GLOBAL } from '../btf/kinds.js';
import { BpfkitError } from '../internal/errors.js';

/**
 * The output BTF while inputs are added: records in the dedup's layout
 * (wire words, names as string numbers; see src/btf/dedup/records.ts),
 * appended straight from each input's wire records with ids remapped
 * (btf-copy.ts) and handed to the dedup as they are, so no type object
 * exists for the 20,000 input types of a big link. The few places that
 * look at or change one output type (globals' VAR/FUNC, DATASEC
 * placement) use the accessors here. Ids start at 1.
 */
export class OutBtf extends RecordWriter {
  private ptrSize = 0;

  /** Number of ids in use including void (valid ids: 1 .. count-1). */
  get count(): number {
    return this.id;
  }

  has(id: number): boolean {
    return id > 0 && id < this.id;
  }

  kind(id: number): number {
    return (this.words[this.off[id] + 1] >>> 24) & 0x7f;
  }

  name(id: number): string {
    return this.strs[this.words[this.off[id]]];
  }

  /** The referenced type of a VAR, FUNC or modifier (the third word). */
  typeOf(id: number): number {
    return this.words[this.off[id] + 2];
  }

  setType(id: number, type: number): void {
    this.words[this.off[id] + 2] = type;
  }

  /** A VAR's or FUNC's linkage; -1 for other kinds. */
  linkage(id: number): number {
    const o = this.off[id];
    const k = this.kind(id);
    if (k === Kind.Var) return this.words[o + 3];
    if (k === Kind.Func) return this.words[o + 1] & 0xffffff;
    return -1;
  }

  /** Make a VAR or FUNC global (a FUNC keeps its linkage in the info word). */
  setGlobal(id: number): void {
    const o = this.off[id];
    const k = this.kind(id);
    if (k === Kind.Var) this.words[o + 3] = LINKAGE_GLOBAL;
    else if (k === Kind.Func) this.words[o + 1] = ((this.words[o + 1] & ~0xffffff) | LINKAGE_GLOBAL) >>> 0;
  }

  /** Number of parameters of a FUNC_PROTO; -1 for other kinds. */
  paramCount(id: number): number {
    return this.kind(id) === Kind.FuncProto ? this.words[this.off[id] + 1] & 0xffffff : -1;
  }

  setParamName(id: number, k: number, name: string): void {
    this.words[this.off[id] + 3 + 2 * k] = this.strNo(name);
  }

  /**
   * Size in bytes of a type, as src/btf/sizes.ts computes it for a type
   * model: through modifiers, typedefs and VARs, arrays multiplying, a
   * pointer the size of `long` (8 when no long is described).
   */
  sizeOf(start: number): number {
    let id = start;
    let nelems = 1;
    for (let depth = 0; depth < MAX_RESOLVE_DEPTH; depth++) {
      if (!this.has(id)) throw sizeError(start, 'void has no size');
      const o = this.off[id];
      let size: number;
      switch (this.kind(id)) {
        case Kind.Int:
        case Kind.Struct:
        case Kind.Union:
        case Kind.Enum:
        case Kind.Enum64:
        case Kind.Datasec:
        case Kind.Float:
          size = this.words[o + 2];
          break;
        case Kind.Ptr:
          size = this.pointerSize();
          break;
        case Kind.Typedef:
        case Kind.Volatile:
        case Kind.Const:
        case Kind.Restrict:
        case Kind.Var:
        case Kind.DeclTag:
        case Kind.TypeTag:
          id = this.words[o + 2];
          continue;
        case Kind.Array: {
          const n = this.words[o + 5];
          if (nelems !== 0 && n > 0xffffffff / nelems) throw sizeError(start, 'array size overflows 32 bits');
          nelems *= n;
          id = this.words[o + 3];
          continue;
        }
        default:
          throw sizeError(start, 'a type of this kind has no size');
      }
      if (nelems !== 0 && size > 0xffffffff / nelems) throw sizeError(start, 'size overflows 32 bits');
      return size * nelems;
    }
    throw sizeError(start, `type chain deeper than ${MAX_RESOLVE_DEPTH}`);
  }

  private pointerSize(): number {
    if (this.ptrSize === 0) {
      this.ptrSize = 8;
      for (let id = 1; id < this.id; id++) {
        const size = this.words[this.off[id] + 2];
        if (this.kind(id) === Kind.Int && LONG_NAMES.has(this.name(id)) && (size === 4 || size === 8)) {
          this.ptrSize = size;
          break;
        }
      }
    }
    return this.ptrSize;
  }
}

const MAX_RESOLVE_DEPTH = 32;
const LONG_NAMES = new Set(['long', 'long int', 'int long', 'unsigned long', 'long unsigned int', 'unsigned long int']);

function sizeError(id: number, what: string): BpfkitError {
  return new BpfkitError('BAD_VALUE', what, { typeId: id });
}
