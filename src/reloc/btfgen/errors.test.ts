/**
 * Bad input gives one clear BpfkitError each (an object without .BTF.ext,
 * a target that is not BTF, an output path naming an input), the CLI
 * subcommand writes what the library computes, and hand-built BTF checks
 * rules bpftool's corpus output cannot reach: a type cycle through a
 * function prototype (bpftool recurses forever there) and the kind_flag
 * of a struct whose kept members are not bitfields.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Btf, encodeBtf, btfExtFromElf, btfFromElf, CoreReloKind, Kind, loadBtf, type AnyBtfType, type BtfExt, type CoreRelo } from '../../btf/index.js';
import { readElf } from '../../elf/index.js';
import { BpfkitError } from '../../internal/errors.js';
import { StringTable } from '../../internal/strings.js';
import { testdataDir, which } from '../../test-support/corpus.js';
import { genMinCoreBtfSubcommand, runMinCoreBtf } from '../../cli/commands/gen-min-core-btf.js';
import { minCoreBtf, minCoreBtfBytes, readBtfgenObject } from './index.js';
import { createRequire } from 'node:module';
import type { Argv } from 'yargs';

const btfgen = join(testdataDir, 'btfgen');
const kernel = join(btfgen, 'kernel.bpfel.o');
const prog = join(btfgen, 'prog.bpfel.o');
const noExt = join(btfgen, 'no_ext.bpfel.o');
const work = mkdtempSync(join(tmpdir(), 'bpfkit-btfgen-err-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function thrown(fn: () => unknown): BpfkitError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BpfkitError);
    return e as BpfkitError;
  }
  throw new Error('expected a BpfkitError');
}

async function rejected(p: Promise<unknown>): Promise<BpfkitError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(BpfkitError);
    return e as BpfkitError;
  }
  throw new Error('expected a BpfkitError');
}

describe('bad input', () => {
  it('an object without .BTF.ext', () => {
    const e = thrown(() => minCoreBtf(loadBtf(kernel), [readBtfgenObject(noExt)]));
    expect(e.code).toBe('BAD_VALUE');
    expect(e.file).toBe(noExt);
    expect(e.message).toContain('.BTF.ext');
  });

  const bpftool = which('bpftool');
  it.skipIf(bpftool === undefined)('bpftool refuses the object without .BTF.ext too', () => {
    const r = spawnSync(bpftool!, ['gen', 'min_core_btf', kernel, join(work, 'x.btf'), noExt], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('.BTF.ext not found');
  });

  it('an input that is not BTF', async () => {
    const junk = join(work, 'junk.btf');
    writeFileSync(junk, 'this is not BTF at all\n');
    const e = await rejected(runMinCoreBtf({ input: junk, output: join(work, 'out.btf'), objs: [prog] }));
    expect(e.code).toBe('BAD_MAGIC');
    expect(e.file).toBe(junk);
    expect(() => statSync(join(work, 'out.btf'))).toThrow();
  });

  it('an output path that is the input, or one of the objects, or a link to it', async () => {
    const input = join(work, 'kernel.o');
    copyFileSync(kernel, input);
    const before = readFileSync(input);
    for (const output of [input, join(work, '.', 'kernel.o'), prog]) {
      const e = await rejected(runMinCoreBtf({ input, output, objs: [prog] }));
      expect(e.code).toBe('BAD_VALUE');
      expect(e.message).toContain('overwrite');
    }
    expect(readFileSync(input).equals(before)).toBe(true);
  });
});

describe('CLI subcommand', () => {
  it('writes the library result and reports a summary', async () => {
    const output = join(work, 'cli.btf');
    const s = await runMinCoreBtf({ input: kernel, output, objs: [prog] });
    const want = minCoreBtfBytes(loadBtf(kernel), [readBtfgenObject(prog)]);
    expect(new Uint8Array(readFileSync(output))).toEqual(want);
    expect(s.bytesOut).toBe(want.byteLength);
    expect(s.bytesIn).toBe(statSync(kernel).size);
    expect(s.typesKept).toBe(loadBtf(output).typeCount - 1);
    expect(s.typesIn).toBe(loadBtf(kernel).typeCount - 1);
    // prog.bpf.c: 24 records in btfgen_fields, 8 in btfgen_types
    expect(s.relocations).toBe(32);
  });

  it('reads a raw or gzip-compressed target like the ELF it came from', async () => {
    const raw = join(work, 'kernel.btf');
    writeFileSync(raw, encodeBtf(loadBtf(kernel)));
    const gz = join(work, 'kernel.btf.gz');
    writeFileSync(gz, gzipSync(readFileSync(raw)));
    const fromElf = await runMinCoreBtf({ input: kernel, output: join(work, 'elf.btf'), objs: [prog] });
    for (const input of [raw, gz]) {
      const output = join(work, 'from-' + input.split('/').pop()!);
      const s = await runMinCoreBtf({ input, output, objs: [prog] });
      expect(s.bytesIn).toBe(statSync(input).size);
      expect(s.typesKept).toBe(fromElf.typesKept);
      expect(readFileSync(output).equals(readFileSync(join(work, 'elf.btf')))).toBe(true);
    }
  });

  it('mounts as `min_core_btf <input> <output> <objs..>`', async () => {
    const yargs = createRequire(import.meta.url)('yargs/yargs') as (args: string[]) => Argv;
    const output = join(work, 'mounted.btf');
    const y = genMinCoreBtfSubcommand(yargs(['min_core_btf', kernel, output, prog, prog]).strict().exitProcess(false));
    await y.parseAsync();
    const want = minCoreBtfBytes(loadBtf(kernel), [readBtfgenObject(prog)]);
    expect(new Uint8Array(readFileSync(output))).toEqual(want);
  });
});

/** A local BTF and .BTF.ext with one relocation against `typeId`. */
function objectWith(local: Btf, rec: Omit<CoreRelo, 'insnOff' | 'accessStrOff'>) {
  const info = <R>(sections: { secName: string; secNameOff: number; records: R[] }[]) => ({ recSize: 16, sections });
  const btfExt: BtfExt = {
    littleEndian: true,
    header: { version: 1, flags: 0, hdrLen: 32, funcInfoOff: 0, funcInfoLen: 0, lineInfoOff: 0, lineInfoLen: 0, extra: new Uint8Array(0), trailing: new Uint8Array(0) },
    funcInfo: info([]),
    lineInfo: info([]),
    coreRelo: info([{ secName: 'x', secNameOff: 0, records: [{ ...rec, insnOff: 0, accessStrOff: 0 }] }]),
  };
  return { file: 'hand-built', btf: local, btfExt };
}

const c = { nameOff: 0, kflag: false };
const btfOf = (types: AnyBtfType[]) => new Btf({ types, strings: new StringTable(new Uint8Array(1)), littleEndian: true });

describe('hand-built BTF', () => {
  // struct loop { int a; void (*cb)(struct loop by_value); }
  const loopTypes = (): AnyBtfType[] => [
    { id: 1, kind: Kind.Int, name: 'int', ...c, vlen: 0, size: 4, encoding: 1, bitsOffset: 0, bits: 32, reservedBits: 0 },
    {
      id: 2,
      kind: Kind.Struct,
      name: 'loop',
      ...c,
      size: 16,
      members: [
        { name: 'a', nameOff: 0, type: 1, bitsOffset: 0, bitfieldSize: 0 },
        { name: 'cb', nameOff: 0, type: 3, bitsOffset: 64, bitfieldSize: 0 },
      ],
    },
    { id: 3, kind: Kind.Ptr, name: '', ...c, vlen: 0, type: 4 },
    { id: 4, kind: Kind.FuncProto, name: '', ...c, returnType: 0, params: [{ name: 'by_value', nameOff: 0, type: 2 }] },
  ];

  it('type_matches through a prototype taking the struct by value ends, keeping the cycle', () => {
    const target = btfOf(loopTypes());
    const min = minCoreBtf(target, [objectWith(btfOf(loopTypes()), { typeId: 2, accessStr: '0', kind: CoreReloKind.TypeMatches })]);
    // everything is reachable by value from the root: all 4 types, same ids
    expect(min.typeCount).toBe(5);
    const loop = min.type(2)!;
    expect(loop.kind === Kind.Struct && loop.members.map((m) => [m.name, m.type])).toEqual([
      ['a', 1],
      ['cb', 3],
    ]);
    const proto = min.type(4)!;
    expect(proto.kind === Kind.FuncProto && proto.params[0].type).toBe(2);
  });

  it('a struct with bitfields keeps kind_flag only when a kept member is a bitfield', () => {
    const types = (): AnyBtfType[] => [
      { id: 1, kind: Kind.Int, name: 'int', ...c, vlen: 0, size: 4, encoding: 1, bitsOffset: 0, bits: 32, reservedBits: 0 },
      {
        id: 2,
        kind: Kind.Struct,
        name: 'bits',
        nameOff: 0,
        kflag: true,
        size: 8,
        members: [
          { name: 'flag', nameOff: 0, type: 1, bitsOffset: 0, bitfieldSize: 3 },
          { name: 'whole', nameOff: 0, type: 1, bitsOffset: 32, bitfieldSize: 0 },
        ],
      },
    ];
    const target = btfOf(types());
    const local = btfOf(types());
    // access "0:1": member #1 (whole) of the root
    const onlyWhole = minCoreBtf(target, [objectWith(local, { typeId: 2, accessStr: '0:1', kind: CoreReloKind.FieldByteOffset })]);
    const s = onlyWhole.find('bits')!;
    expect(s.kind === Kind.Struct && [s.kflag, s.members.map((m) => m.name)]).toEqual([false, ['whole']]);
    const withFlag = minCoreBtf(target, [objectWith(local, { typeId: 2, accessStr: '0:0', kind: CoreReloKind.FieldExists })]);
    const f = withFlag.find('bits')!;
    expect(f.kind === Kind.Struct && [f.kflag, f.members.map((m) => [m.name, m.bitfieldSize])]).toEqual([true, [['flag', 3]]]);
  });

  it('a relocation that matches nothing keeps nothing', () => {
    const target = btfOf(loopTypes());
    const other: AnyBtfType[] = [{ id: 1, kind: Kind.Struct, name: 'absent', ...c, size: 0, members: [] }];
    const min = minCoreBtf(target, [objectWith(btfOf(other), { typeId: 1, accessStr: '0', kind: CoreReloKind.TypeExists })]);
    expect(min.typeCount).toBe(1);
  });
});

/** Deterministic byte flips in the .BTF/.BTF.ext of the program or in the
 * target's .BTF: whatever happens, only BpfkitError may come out. */
describe('hostile input', () => {
  function mutants(path: string, sections: string[], count: number, seed: number): Uint8Array[] {
    const orig = new Uint8Array(readFileSync(path));
    const secs = readElf(orig).sections.filter((s) => sections.includes(s.name));
    let x = seed;
    const rnd = () => (x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff);
    const out: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      const b = orig.slice();
      const s = secs[rnd() % secs.length];
      for (let k = 0, n = 1 + (rnd() % 4); k < n; k++) b[Number(s.offset) + (rnd() % Number(s.size))] = rnd() & 0xff;
      out.push(b);
    }
    return out;
  }
  const open = (b: Uint8Array) => {
    const elf = readElf(b);
    const btf = btfFromElf(elf);
    return { file: 'mutant', btf, btfExt: btfExtFromElf(elf, btf) };
  };
  const outcome = (fn: () => unknown): string => {
    try {
      fn();
      return 'ok';
    } catch (e) {
      if (e instanceof BpfkitError) return e.code;
      throw e;
    }
  };

  it('damaged objects', () => {
    const target = loadBtf(kernel);
    const codes = mutants(prog, ['.BTF', '.BTF.ext'], 300, 1).map((b) => outcome(() => minCoreBtf(target, [open(b)])));
    // some mutants must actually be refused, or the test proves nothing
    expect(codes.filter((c) => c !== 'ok').length).toBeGreaterThan(10);
  });

  it('damaged targets', () => {
    const obj = readBtfgenObject(prog);
    const codes = mutants(kernel, ['.BTF'], 300, 2).map((b) => outcome(() => minCoreBtf(open(b).btf, [obj])));
    expect(codes.filter((c) => c !== 'ok').length).toBeGreaterThan(10);
  });
});
