/**
 * Helpers for the linker's tests: id-independent views of a linked object
 * (BTF types, symbols, sections, relocations) so that bpfkit's output and
 * bpftool's can be compared "up to id order", and kernel loading through
 * bpftool. Not part of the library API.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { btfFromElf, Kind, kindName, type Btf } from '../btf/index.js';
import { readElf, readRelocations, readSymbols, SHT_NOBITS, SHT_PROGBITS, SHT_REL, STB_LOCAL, STT_SECTION, type ElfFile } from '../elf/index.js';

/** One line per type, references rendered by name (named types) or
 * structure (anonymous ones). `datasecOffsets: false` leaves DATASEC
 * variable offsets and sizes out (bpftool 7.1 gets some wrong, see the
 * tests; check them with datasecMatchesSymbols). */
export function canonicalBtf(btf: Btf, opts: { datasecOffsets?: boolean } = {}): string[] {
  const ref = (id: number, depth: number): string => {
    if (id === 0) return 'void';
    const t = btf.type(id)!;
    const k = kindName(t.kind).toLowerCase();
    if (t.name !== '' && t.kind !== Kind.Int && t.kind !== Kind.Float) return `${k} ${t.name}`;
    if (depth > 12) return `${k}…`;
    return full(id, depth + 1);
  };
  const full = (id: number, depth: number): string => {
    const t = btf.type(id)!;
    const k = kindName(t.kind).toLowerCase();
    const head = `${k} '${t.name}'`;
    switch (t.kind) {
      case Kind.Int:
        return `${head} size=${t.size} enc=${t.encoding} bits=${t.bits}@${t.bitsOffset}`;
      case Kind.Float:
        return `${head} size=${t.size}`;
      case Kind.Fwd:
        return `${head} ${t.kflag ? 'union' : 'struct'}`;
      case Kind.Ptr:
      case Kind.Typedef:
      case Kind.Volatile:
      case Kind.Const:
      case Kind.Restrict:
      case Kind.TypeTag:
        return `${head} -> ${ref(t.type, depth)}`;
      case Kind.Array:
        return `${head} ${ref(t.type, depth)}[${t.nelems}] idx ${ref(t.indexType, depth)}`;
      case Kind.Struct:
      case Kind.Union:
        return `${head} size=${t.size} {${t.members.map((m) => `${m.name}:${ref(m.type, depth)}@${m.bitsOffset}/${m.bitfieldSize}`).join('; ')}}`;
      case Kind.Enum:
      case Kind.Enum64:
        return `${head} size=${t.size} signed=${t.kflag} {${t.values.map((v) => `${v.name}=${v.value}`).join(', ')}}`;
      case Kind.Func:
        return `${head} linkage=${t.linkage} -> ${ref(t.type, depth)}`;
      case Kind.FuncProto:
        return `${head} (${t.params.map((p) => `${p.name}:${ref(p.type, depth)}`).join(', ')}) -> ${ref(t.returnType, depth)}`;
      case Kind.Var:
        return `${head} linkage=${t.linkage} -> ${ref(t.type, depth)}`;
      case Kind.Datasec: {
        const vars = t.vars
          .map((v) => `${btf.type(v.type)!.name}${opts.datasecOffsets === false ? '' : `@${v.offset}:${v.size}`}`)
          .sort();
        return `${head} size=${t.size} [${vars.join(', ')}]`;
      }
      case Kind.DeclTag:
        return `${head} ${t.componentIdx} -> ${ref(t.type, depth)}`;
      default:
        return `${head}`;
    }
  };
  const out: string[] = [];
  for (const t of btf) out.push(full(t.id, 0));
  return [...new Set(out)].sort();
}

export function elfOf(bytes: Uint8Array, name: string): ElfFile {
  return readElf(bytes, { file: name });
}

export function btfOf(elf: ElfFile): Btf {
  return btfFromElf(elf);
}

/** Symbols as "name section type bind visibility value size", sorted;
 * section symbols are named by their section. */
export function canonicalSymbols(elf: ElfFile): string[] {
  return readSymbols(elf)
    .filter((s) => s.index !== 0)
    .map((s) => {
      const sec = s.shndx > 0 && s.shndx < elf.sections.length ? elf.sections[s.shndx].name : `#${s.shndx}`;
      const name = s.type === STT_SECTION ? `[section ${sec}]` : s.name;
      return `${name} in ${sec} type=${s.type} bind=${s.bind} vis=${s.visibility} value=${s.value} size=${s.size}`;
    })
    .sort();
}

/** Data and code sections: name -> {size, align, bytes as hex}. */
export function dataSections(elf: ElfFile): Map<string, { size: number; align: number; hex: string }> {
  const m = new Map<string, { size: number; align: number; hex: string }>();
  for (const s of elf.sections) {
    if ((s.type !== SHT_PROGBITS && s.type !== SHT_NOBITS) || s.name === '.BTF' || s.name === '.BTF.ext') continue;
    m.set(s.name, { size: s.size, align: s.addralign, hex: Buffer.from(s.data).toString('hex') });
  }
  return m;
}

/** Relocations as "section+offset type symbol-name", in order. */
export function canonicalRelocations(elf: ElfFile): string[] {
  const syms = readSymbols(elf);
  const out: string[] = [];
  for (const s of elf.sections) {
    if (s.type !== SHT_REL) continue;
    const target = elf.sections[s.info].name;
    for (const r of readRelocations(elf, s)) {
      const sym = syms[r.symbol];
      const name = sym.type === STT_SECTION ? `[section ${elf.sections[sym.shndx].name}]` : sym.name;
      out.push(`${target}+${r.offset} type=${r.type} ${name}`);
    }
  }
  return out.sort();
}

export interface LoadResult {
  ok: boolean;
  programs: string[];
  maps: string[];
  log: string;
  /** What `inspect` returned while the maps were still pinned. */
  inspected?: unknown;
}

/** `bpftool prog loadall FILE DIR pinmaps DIR2`: what got pinned; pins are removed. */
export function loadWithBpftool(bpftool: string, file: string, inspect?: (mapsDir: string) => unknown): LoadResult {
  const base = mkdtempSync('/sys/fs/bpf/bpfkit-link-');
  const progs = join(base, 'progs');
  const maps = join(base, 'maps');
  try {
    const r = spawnSync(bpftool, ['prog', 'loadall', file, progs, 'pinmaps', maps], { encoding: 'utf8' });
    const list = (d: string): string[] => {
      try {
        return readdirSync(d).sort();
      } catch {
        return [];
      }
    };
    const res: LoadResult = { ok: r.status === 0, programs: list(progs), maps: list(maps), log: `${r.stdout}${r.stderr}` };
    if (res.ok && inspect !== undefined) res.inspected = inspect(maps);
    return res;
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

/** `bpftool gen object OUT IN...`; the exit status and messages. */
export function bpftoolLink(bpftool: string, out: string, inputs: string[]): { ok: boolean; log: string } {
  const r = spawnSync(bpftool, ['gen', 'object', out, ...inputs], { encoding: 'utf8' });
  return { ok: r.status === 0, log: `${r.stdout}${r.stderr}` };
}

/** DATASEC entries of defined globals that disagree with `syms` (a symbol
 * table taken as the truth): "section/name offset:size vs value:size". */
export function datasecVsSymbols(btf: Btf, syms: ElfFile): string[] {
  const bySym = new Map(readSymbols(syms).filter((s) => s.shndx !== 0 && s.bind !== STB_LOCAL).map((s) => [s.name, s]));
  const bad: string[] = [];
  for (const t of btf) {
    if (t.kind !== Kind.Datasec) continue;
    for (const v of t.vars) {
      const name = btf.type(v.type)!.name;
      const s = bySym.get(name);
      if (s === undefined) continue;
      if (v.offset !== Number(s.value) || v.size !== Number(s.size)) bad.push(`${t.name}/${name} ${v.offset}:${v.size} vs ${s.value}:${s.size}`);
    }
  }
  return bad;
}

/** `bpftool -j map ...` parsed. */
export function bpftoolJson(bpftool: string, args: string[]): unknown {
  const r = spawnSync(bpftool, ['-j', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bpftool ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
