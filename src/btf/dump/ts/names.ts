/**
 * TypeScript names for BTF types.
 *
 * Rules (deterministic: they depend only on the BTF, processed in id order):
 *
 * - C names are kept as they are (`struct task_struct` → `task_struct`),
 *   because that is what users search for. Characters that cannot appear in
 *   a TS identifier become `_` (Rust types in vmlinux have `::`, `<>`), and
 *   a leading digit gets a `_` prefix.
 * - TS has one namespace where C has two (tags and ordinary identifiers),
 *   and each emitted C type takes both the TS type name and the TS value
 *   name (interface + codec, type alias + enum object, typedef + codec), so
 *   every name is claimed once in a single table. Claim order: named
 *   struct/union/enum tags (id order), then typedefs (id order), then
 *   anonymous types (below), then forward declarations.
 * - A taken name gets `__struct`, `__union`, `__enum`, `__typedef` or
 *   `__fwd`; if that is taken too, `_2`, `_3`, ... is appended.
 * - TS reserved words, TS predefined type names and the globals the
 *   generated code uses (DataView, BigInt, typed arrays, `Codec`,
 *   `BTF_LITTLE_ENDIAN`) get a trailing `_` before the collision check.
 * - `typedef struct foo foo;` (same name, same type) is not emitted: the
 *   typedef resolves to the struct's name. `typedef struct { ... } foo;`
 *   names the anonymous struct `foo`.
 * - Anonymous types used by value get a path name: the type of member `m`
 *   of `parent` is `parent__m` (through arrays and qualifiers), the type of
 *   a global variable `v` is `v`. Members of anonymous struct/union members
 *   are flattened into the parent (as C accesses them), so those anonymous
 *   types need no name. Anonymous enums (constant sets) are named
 *   `anon_enum__<first enumerator>`. Anything else still unnamed and used by
 *   value gets `anon_struct_<id>` / `anon_union_<id>` / `anon_enum_<id>`.
 */
import { Kind } from '../../kinds.js';
import { PRELUDE_NAMES } from './prelude.js';
import type { WireTypes } from './wire-types.js';

const TS_RESERVED = [
  // ECMAScript reserved words and strict-mode / contextual ones
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null',
  'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'as',
  'implements', 'interface', 'let', 'package', 'private', 'protected', 'public', 'static', 'yield', 'await',
  'arguments', 'eval', 'async', 'of', 'satisfies', 'accessor',
  // TS type keywords and predefined names that cannot name a type
  'any', 'unknown', 'never', 'number', 'bigint', 'boolean', 'string', 'symbol', 'object', 'undefined', 'type',
  'declare', 'module', 'namespace', 'require', 'global', 'keyof', 'readonly', 'infer', 'is', 'asserts', 'abstract',
  'constructor', 'get', 'set', 'from', 'out', 'override', 'unique', 'intrinsic', 'using',
  // globals and builtin types a reader of the module would expect intact
  'NaN', 'Infinity', 'Symbol', 'Error', 'Promise', 'Record', 'Partial', 'Readonly', 'Function', 'Boolean',
];

export const RESERVED = new Set<string>([...TS_RESERVED, ...PRELUDE_NAMES]);


/** Whether every character is one of [A-Za-z0-9_] (a loop: cheaper than a
 * regular expression for the 300k names of vmlinux). */
function identChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95)) return false;
  }
  return true;
}

/** Whether s matches /^[A-Za-z_][A-Za-z0-9_]*$/. */
function isIdent(s: string): boolean {
  if (s.length === 0) return false;
  const c = s.charCodeAt(0);
  return !(c >= 48 && c <= 57) && identChars(s);
}

export function sanitize(name: string): string {
  // Most names need no change: test before building a new string.
  let s = identChars(name) ? name : name.replace(/[^A-Za-z0-9_]/g, '_');
  if (s === '' || (s.charCodeAt(0) >= 48 && s.charCodeAt(0) <= 57)) s = '_' + s;
  if (RESERVED.has(s)) s += '_';
  return s;
}

/** A property key as written in an interface or object literal. */
export function propKey(name: string): string {
  return isIdent(name) && name !== '__proto__' ? name : JSON.stringify(name);
}

/** A key in an object literal: `__proto__` must be computed, or it sets the prototype. */
export function objKey(name: string): string {
  return name === '__proto__' ? '["__proto__"]' : propKey(name);
}

/** `obj.name`, or `obj["name"]` when the name is not an identifier. */
export function propAccess(obj: string, name: string): string {
  return isIdent(name) && name !== '__proto__' ? `${obj}.${name}` : `${obj}[${JSON.stringify(name)}]`;
}

const KIND_WORD: Partial<Record<number, string>> = {
  [Kind.Struct]: 'struct',
  [Kind.Union]: 'union',
  [Kind.Enum]: 'enum',
  [Kind.Enum64]: 'enum',
  [Kind.Typedef]: 'typedef',
  [Kind.Fwd]: 'fwd',
};

function isModifier(k: number): boolean {
  return k === Kind.Const || k === Kind.Volatile || k === Kind.Restrict || k === Kind.TypeTag;
}

function isTagKind(k: number): boolean {
  return k === Kind.Struct || k === Kind.Union || k === Kind.Enum || k === Kind.Enum64;
}

function isComposite(k: number): boolean {
  return k === Kind.Struct || k === Kind.Union;
}

export class Names {
  /** Type id → TS name, for every struct/union/enum/typedef/fwd that has one. */
  readonly byId: (string | undefined)[];
  /** Typedef and FWD ids whose name is another type's (not emitted
   * themselves): the id they stand for, 0 for none. */
  readonly aliasOf: Uint32Array;
  private readonly taken = new Set<string>();
  /** Per `name__kind` base, the next `_k` suffix worth trying (every lower
   * one is taken), so that many types of one name take linear time. */
  private readonly nextSuffix = new Map<string, number>();
  /** The C name of each named struct/union/enum (step 1 reads them all;
   * the typedef and FWD steps compare with them). */
  private tagName: (string | undefined)[];
  /** skipModsAndArrays results, plus one (0: not worked out yet): every
   * member's type is looked up twice or more. */
  private stored: Uint32Array;

  constructor(private readonly w: WireTypes) {
    this.byId = new Array<string | undefined>(w.count).fill(undefined);
    this.tagName = new Array<string | undefined>(w.count).fill(undefined);
    this.aliasOf = new Uint32Array(w.count);
    this.stored = new Uint32Array(w.count);
    this.assign();
    // What only the naming needed, released for the rest of the dump.
    this.tagName = [];
    this.stored = new Uint32Array(0);
    this.taken.clear();
    this.nextSuffix.clear();
  }

  has(id: number): boolean {
    return this.byId[id] !== undefined;
  }

  private claim(base: string, kind: number): string {
    let n = sanitize(base);
    if (this.taken.has(n)) {
      const withKind = `${n}__${KIND_WORD[kind] ?? 'type'}`;
      n = withKind;
      let k = this.nextSuffix.get(withKind) ?? 2;
      if (this.taken.has(n)) {
        while (this.taken.has(`${withKind}_${k}`)) k++;
        n = `${withKind}_${k}`;
        this.nextSuffix.set(withKind, k + 1);
      }
    }
    this.taken.add(n);
    return n;
  }

  private setName(id: number, base: string, kind: number): string {
    const n = this.claim(base, kind);
    this.byId[id] = n;
    return n;
  }

  /** Skip const/volatile/restrict/type tags (not typedefs). */
  skipMods(id: number): number {
    const w = this.w;
    for (let d = 0; d < 64; d++) {
      if (id === 0 || !isModifier(w.kind[id])) return id;
      id = w.sot(id);
    }
    return id;
  }

  /** Skip modifiers and arrays: the type an array-of-X member stores. */
  private skipModsAndArrays(id: number): number {
    const k = this.w.kind[id];
    if (!isModifier(k) && k !== Kind.Array) return id;
    const known = this.stored[id];
    if (known !== 0) return known - 1;
    const r = this.skipModsAndArraysOnce(id);
    this.stored[id] = r + 1;
    return r;
  }

  private skipModsAndArraysOnce(id: number): number {
    const w = this.w;
    for (let d = 0; d < 64; d++) {
      id = this.skipMods(id);
      if (id === 0 || w.kind[id] !== Kind.Array) return id;
      id = w.arrayElem(id);
    }
    return id;
  }

  private assign(): void {
    const w = this.w;
    const kind = w.kind;
    for (const r of RESERVED) this.taken.add(r);
    const count = w.count;
    // The ids each step looks at, in id order (one pass over all ids
    // instead of one per step: vmlinux has 126k, mostly functions). The
    // steps index them: for-of runs the iterator protocol, slow in code
    // V8 has not optimised yet.
    const tags: number[] = [];
    const typedefs: number[] = [];
    const vars: number[] = [];
    const fwds: number[] = [];
    /** Typedefs, arrays, structs and unions: what may use a type by value. */
    const users: number[] = [];
    for (let id = 1; id < count; id++) {
      switch (kind[id]) {
        case Kind.Struct:
        case Kind.Union:
          tags.push(id);
          users.push(id);
          break;
        case Kind.Enum:
        case Kind.Enum64:
          tags.push(id);
          break;
        case Kind.Typedef:
          typedefs.push(id);
          users.push(id);
          break;
        case Kind.Array:
          users.push(id);
          break;
        case Kind.Var:
          vars.push(id);
          break;
        case Kind.Fwd:
          fwds.push(id);
          break;
        default:
          break;
      }
    }

    // 1. Named tags.
    for (let i = 0; i < tags.length; i++) {
      const id = tags[i];
      const off = w.nameOff(id);
      if (w.isAnon(off)) continue;
      const name = w.name(off);
      this.tagName[id] = name;
      this.setName(id, name, kind[id]);
    }
    // 2. Typedefs.
    for (let i = 0; i < typedefs.length; i++) {
      const id = typedefs[i];
      if (w.isAnon(w.nameOff(id))) continue;
      const name = w.name(w.nameOff(id));
      const target = this.skipMods(w.sot(id));
      const tk = kind[target];
      if (target !== 0 && isTagKind(tk)) {
        const existing = this.byId[target];
        if (existing === undefined) {
          // typedef struct { ... } name;
          this.byId[id] = this.setName(target, name, tk);
          this.aliasOf[id] = target;
          continue;
        }
        if (existing === sanitize(name) && this.tagName[target] === name) {
          // typedef struct foo foo;
          this.byId[id] = existing;
          this.aliasOf[id] = target;
          continue;
        }
      }
      this.setName(id, name, Kind.Typedef);
    }
    // 3. Anonymous types by path: members of named composites, then types
    //    of variables.
    for (let i = 0; i < tags.length; i++) {
      const id = tags[i];
      if (isComposite(kind[id]) && this.byId[id] !== undefined) this.nameChildren(id, this.byId[id]!, 0, undefined);
    }
    for (let i = 0; i < vars.length; i++) {
      const id = vars[i];
      if (w.isAnon(w.nameOff(id))) continue;
      this.nameAnon(this.skipModsAndArrays(w.sot(id)), w.name(w.nameOff(id)));
    }
    // Anonymous enums: constant sets.
    for (let i = 0; i < tags.length; i++) {
      const id = tags[i];
      const k = kind[id];
      if ((k === Kind.Enum || k === Kind.Enum64) && this.byId[id] === undefined) {
        // The first enumerator's name is the record's first vlen word.
        this.setName(id, w.vlen(id) > 0 ? `anon_enum__${w.name(w.words[(w.pos[id] >> 2) + 3])}` : `anon_enum_${id}`, k);
      }
    }
    // Anything anonymous still used by value (array elements, typedef targets through arrays).
    for (let i = 0; i < users.length; i++) {
      const id = users[i];
      const k = kind[id];
      if (k === Kind.Typedef) this.usedByValue(w.sot(id));
      else if (k === Kind.Array) this.usedByValue(w.arrayElem(id));
      else {
        const words = w.words;
        const q = (w.pos[id] >> 2);
        const vlen = words[q + 1] & 0xffffff;
        for (let j = 0, m = q + 3; j < vlen; j++, m += 3) if (w.strs[words[m]] !== 0) this.usedByValue(words[m + 1]);
      }
    }
    // 4. Forward declarations: the definition's name when there is one (the
    //    first struct or union of that name, by id).
    const fwdNames = new Set<string>();
    for (let i = 0; i < fwds.length; i++) if (!w.isAnon(w.nameOff(fwds[i]))) fwdNames.add(w.name(w.nameOff(fwds[i])));
    const defs = fwdNames.size > 0 ? this.firstDefinitions(tags, fwdNames) : [];
    for (let i = 0; i < fwds.length; i++) {
      const id = fwds[i];
      if (w.isAnon(w.nameOff(id))) continue;
      const name = w.name(w.nameOff(id));
      const def = defs[w.kflag(id) ? 1 : 0].get(name);
      if (def !== undefined && this.byId[def] !== undefined) {
        this.byId[id] = this.byId[def];
        this.aliasOf[id] = def;
      } else this.setName(id, name, Kind.Fwd);
    }
  }

  /** The first struct ([0]) and union ([1]) of each of these names. */
  private firstDefinitions(tags: readonly number[], names: Set<string>): Map<string, number>[] {
    const w = this.w;
    const structs = new Map<string, number>();
    const unions = new Map<string, number>();
    for (let i = 0; i < tags.length; i++) {
      const id = tags[i];
      const k = w.kind[id];
      const name = this.tagName[id];
      if (!isComposite(k) || name === undefined || !names.has(name)) continue;
      const m = k === Kind.Struct ? structs : unions;
      if (!m.has(name)) m.set(name, id);
    }
    return [structs, unions];
  }

  private usedByValue(target: number): void {
    const r = this.skipModsAndArrays(target);
    const k = this.w.kind[r];
    if (r !== 0 && isComposite(k) && this.byId[r] === undefined) {
      this.setName(r, `anon_${k === Kind.Struct ? 'struct' : 'union'}_${r}`, k);
      this.nameChildren(r, this.byId[r]!, 0, undefined);
    }
  }

  /** Whether nameAnon would name id. */
  private wantsName(id: number): boolean {
    return id !== 0 && isTagKind(this.w.kind[id]) && this.w.isAnon(this.w.nameOff(id)) && this.byId[id] === undefined;
  }

  private nameAnon(id: number, base: string): void {
    if (!this.wantsName(id)) return;
    const n = this.setName(id, base, this.w.kind[id]);
    if (isComposite(this.w.kind[id])) this.nameChildren(id, n, 0, undefined);
  }

  /** Name the anonymous types of a composite's members; anonymous composite
   * members are walked into once each (a second walk would find everything
   * named). `walked` is made when the first one is met. */
  private nameChildren(id: number, prefix: string, depth: number, walked: Set<number> | undefined): void {
    if (depth > 32) return;
    const w = this.w;
    const words = w.words;
    const q = (w.pos[id] >> 2);
    const vlen = words[q + 1] & 0xffffff;
    for (let j = 0, m = q + 3; j < vlen; j++, m += 3) {
      const target = this.skipModsAndArrays(words[m + 1]);
      const mo = words[m];
      if (w.strs[mo] !== 0) {
        // The path name is built only for a member that gets it.
        if (this.wantsName(target)) this.nameAnon(target, `${prefix}__${w.name(mo)}`);
        continue;
      }
      if (target !== 0 && isComposite(w.kind[target])) {
        walked ??= new Set<number>([id]);
        if (walked.has(target)) continue;
        walked.add(target);
        this.nameChildren(target, prefix, depth + 1, walked);
      }
    }
  }
}
