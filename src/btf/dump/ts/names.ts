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
import type { Btf } from '../../btf.js';
import { Kind } from '../../kinds.js';
import type { AnyBtfType, CompositeType } from '../../types.js';
import { PRELUDE_NAMES } from './prelude.js';

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

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function sanitize(name: string): string {
  let s = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (s === '' || /^[0-9]/.test(s)) s = '_' + s;
  if (RESERVED.has(s)) s += '_';
  return s;
}

/** A property key as written in an interface or object literal. */
export function propKey(name: string): string {
  return IDENT.test(name) && name !== '__proto__' ? name : JSON.stringify(name);
}

/** A key in an object literal: `__proto__` must be computed, or it sets the prototype. */
export function objKey(name: string): string {
  return name === '__proto__' ? '["__proto__"]' : propKey(name);
}

/** `obj.name`, or `obj["name"]` when the name is not an identifier. */
export function propAccess(obj: string, name: string): string {
  return IDENT.test(name) && name !== '__proto__' ? `${obj}.${name}` : `${obj}[${JSON.stringify(name)}]`;
}

const KIND_WORD: Partial<Record<number, string>> = {
  [Kind.Struct]: 'struct',
  [Kind.Union]: 'union',
  [Kind.Enum]: 'enum',
  [Kind.Enum64]: 'enum',
  [Kind.Typedef]: 'typedef',
  [Kind.Fwd]: 'fwd',
};

const MODIFIERS = new Set<number>([Kind.Const, Kind.Volatile, Kind.Restrict, Kind.TypeTag]);

export class Names {
  /** Type id → TS name, for every struct/union/enum/typedef/fwd that has one. */
  readonly byId = new Map<number, string>();
  /** Typedef and FWD ids whose name is another type's (not emitted themselves). */
  readonly aliasOf = new Map<number, number>();
  private readonly taken = new Set<string>();
  /** Per `name__kind` base, the next `_k` suffix worth trying (every lower
   * one is taken), so that many types of one name take linear time. */
  private readonly nextSuffix = new Map<string, number>();

  constructor(private readonly btf: Btf) {
    this.assign();
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
    this.byId.set(id, n);
    return n;
  }

  /** Skip const/volatile/restrict/type tags (not typedefs). */
  skipMods(id: number): number {
    for (let d = 0; d < 64; d++) {
      const t = this.btf.type(id);
      if (t === undefined || !MODIFIERS.has(t.kind)) return id;
      id = (t as { type: number }).type;
    }
    return id;
  }

  /** Skip modifiers and arrays: the type an array-of-X member stores. */
  private skipModsAndArrays(id: number): number {
    for (let d = 0; d < 64; d++) {
      id = this.skipMods(id);
      const t = this.btf.type(id);
      if (t === undefined || t.kind !== Kind.Array) return id;
      id = t.type;
    }
    return id;
  }

  private isTagKind(t: AnyBtfType): boolean {
    return t.kind === Kind.Struct || t.kind === Kind.Union || t.kind === Kind.Enum || t.kind === Kind.Enum64;
  }

  private assign(): void {
    const btf = this.btf;
    for (const r of RESERVED) this.taken.add(r);
    const first = 1;
    const count = btf.typeCount;

    // 1. Named tags.
    for (let id = first; id < count; id++) {
      const t = btf.type(id)!;
      if (this.isTagKind(t) && t.name !== '') this.setName(id, t.name, t.kind);
    }
    // 2. Typedefs.
    for (let id = first; id < count; id++) {
      const t = btf.type(id)!;
      if (t.kind !== Kind.Typedef || t.name === '') continue;
      const target = this.skipMods(t.type);
      const tt = target === 0 ? undefined : btf.type(target);
      if (tt !== undefined && this.isTagKind(tt)) {
        const existing = this.byId.get(target);
        if (existing === undefined) {
          // typedef struct { ... } name;
          this.setName(target, t.name, tt.kind);
          this.byId.set(id, this.byId.get(target)!);
          this.aliasOf.set(id, target);
          continue;
        }
        if (existing === sanitize(t.name) && tt.name === t.name) {
          // typedef struct foo foo;
          this.byId.set(id, existing);
          this.aliasOf.set(id, target);
          continue;
        }
      }
      this.setName(id, t.name, Kind.Typedef);
    }
    // 3. Anonymous types by path: members of named composites, then types
    //    of variables.
    for (let id = first; id < count; id++) {
      const t = btf.type(id)!;
      if ((t.kind === Kind.Struct || t.kind === Kind.Union) && this.byId.has(id)) this.nameChildren(t, this.byId.get(id)!);
    }
    for (let id = first; id < count; id++) {
      const t = btf.type(id)!;
      if (t.kind !== Kind.Var || t.name === '') continue;
      this.nameAnon(this.skipModsAndArrays(t.type), t.name);
    }
    // Anonymous enums: constant sets.
    for (let id = first; id < count; id++) {
      const t = btf.type(id)!;
      if ((t.kind === Kind.Enum || t.kind === Kind.Enum64) && !this.byId.has(id)) {
        this.setName(id, t.values.length > 0 ? `anon_enum__${t.values[0].name}` : `anon_enum_${id}`, t.kind);
      }
    }
    // Anything anonymous still used by value (array elements, typedef targets through arrays).
    const usedByValue = (target: number): void => {
      const r = this.skipModsAndArrays(target);
      const tt = r === 0 ? undefined : btf.type(r);
      if (tt !== undefined && (tt.kind === Kind.Struct || tt.kind === Kind.Union) && !this.byId.has(r)) {
        this.setName(r, `anon_${tt.kind === Kind.Struct ? 'struct' : 'union'}_${r}`, tt.kind);
        this.nameChildren(tt, this.byId.get(r)!);
      }
    };
    for (let id = first; id < count; id++) {
      const t = btf.type(id)!;
      if (t.kind === Kind.Typedef || t.kind === Kind.Array) usedByValue(t.type);
      else if (t.kind === Kind.Struct || t.kind === Kind.Union) {
        for (const m of t.members) if (m.name !== '') usedByValue(m.type);
      }
    }
    // 4. Forward declarations: the definition's name when there is one
    //    (looked up once per name and kind: BTF may hold many same-named FWDs).
    const defs = new Map<string, number | undefined>();
    for (let id = first; id < count; id++) {
      const t = btf.type(id)!;
      if (t.kind !== Kind.Fwd || t.name === '') continue;
      const kind = t.kflag ? Kind.Union : Kind.Struct;
      const key = `${kind}:${t.name}`;
      let def: number | undefined;
      if (defs.has(key)) def = defs.get(key);
      else {
        def = btf.idsByName(t.name).find((x) => btf.type(x)!.kind === kind);
        defs.set(key, def);
      }
      if (def !== undefined && this.byId.has(def)) {
        this.byId.set(id, this.byId.get(def)!);
        this.aliasOf.set(id, def);
      } else this.setName(id, t.name, Kind.Fwd);
    }
  }

  private nameAnon(id: number, base: string): void {
    const t = id === 0 ? undefined : this.btf.type(id);
    if (t === undefined || !this.isTagKind(t) || t.name !== '' || this.byId.has(id)) return;
    const n = this.setName(id, base, t.kind);
    if (t.kind === Kind.Struct || t.kind === Kind.Union) this.nameChildren(t, n);
  }

  /** Name the anonymous types of t's members; anonymous composite members
   * are walked into once each (a second walk would find everything named). */
  private nameChildren(t: CompositeType, prefix: string, depth = 0, walked = new Set<CompositeType>([t])): void {
    if (depth > 32) return;
    for (const m of t.members) {
      const target = this.skipModsAndArrays(m.type);
      if (m.name !== '') {
        this.nameAnon(target, `${prefix}__${m.name}`);
        continue;
      }
      const tt = target === 0 ? undefined : this.btf.type(target);
      if (tt !== undefined && (tt.kind === Kind.Struct || tt.kind === Kind.Union) && !walked.has(tt)) {
        walked.add(tt);
        this.nameChildren(tt, prefix, depth + 1, walked);
      }
    }
  }
}
