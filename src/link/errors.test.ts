/**
 * Every link error names both files, the symbol, and what to change. Each
 * C error case is also refused by bpftool 7.1 (checked when installed).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BpfkitError } from '../internal/errors.js';
import { testdataDir, which } from '../test-support/corpus.js';
import { Linker } from './index.js';
import { bpftoolLink } from './test-helpers.js';

const obj = (name: string, order = 'bpfel') => join(testdataDir, 'link/obj', `${name}.${order}.o`);
const tmp = mkdtempSync('/tmp/bpfkit-link-err-');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function linkError(files: string[]): BpfkitError {
  const l = new Linker();
  try {
    for (const f of files) l.addFile(f);
    l.finalize();
  } catch (e) {
    if (e instanceof BpfkitError) return e;
    throw e;
  }
  throw new Error(`linking ${files.join(' ')} succeeded`);
}

interface Case {
  name: string;
  files: string[];
  symbol?: string;
  /** Fragments the message must contain (from the C sources). */
  says: RegExp[];
}

const CASES: Case[] = [
  {
    name: 'two strong definitions',
    files: [obj('err_strong1'), obj('err_strong2')],
    symbol: 'dup_fn',
    says: [/err_strong1\.bpfel\.o/, /err_strong2\.bpfel\.o/, /make one of them __weak/],
  },
  {
    name: 'extern map with another max_entries (definition first)',
    files: [obj('err_map_def'), obj('err_map_use')],
    symbol: 'cfg_map',
    says: [/err_map_def/, /err_map_use/, /max_entries 16 vs 32/, /make the map definitions equal/],
  },
  {
    name: 'extern map with another max_entries (extern first)',
    files: [obj('err_map_use'), obj('err_map_def')],
    symbol: 'cfg_map',
    says: [/max_entries 32 vs 16/, /make the map definitions equal/],
  },
  {
    name: 'extern variable of another type',
    files: [obj('err_type_def'), obj('err_type_use')],
    symbol: 'shared_val',
    says: [/err_type_def/, /err_type_use/, /'int' \(4 bytes\) vs 'long' \(8 bytes\)/, /make the declaration match/],
  },
  {
    name: 'extern function with another prototype',
    files: [obj('err_type_def'), obj('err_proto_use')],
    symbol: 'shared_fn',
    says: [/err_proto_use/, /1 and 2 parameters/],
  },
  {
    name: 'extern map-in-map with another inner map',
    files: [obj('mim_def'), obj('err_mim_use')],
    symbol: 'outer',
    says: [/mim_def/, /err_mim_use/, /inner map max_entries 4 vs 8/, /make the map definitions equal/],
  },
  {
    name: 'different licenses',
    files: [obj('weak_a'), obj('err_license')],
    says: [/"GPL" vs "Dual BSD\/GPL"/, /license/],
  },
  {
    name: 'byte order mismatch',
    files: [obj('weak_a'), obj('weak_b', 'bpfeb')],
    says: [/weak_a\.bpfel\.o is little-endian/, /weak_b\.bpfeb\.o is big-endian/, /same -target/],
  },
];

describe('link errors', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const e = linkError(c.files);
      for (const re of c.says) expect(e.message).toMatch(re);
      if (c.symbol !== undefined) expect(e.symbol).toBe(c.symbol);
      expect(e.file).toBe(c.files[c.files.length - 1]);
    });
  }

  const bpftool = which('bpftool');
  it.skipIf(bpftool === undefined)('bpftool 7.1 refuses the same C error cases', () => {
    for (const c of CASES) {
      if (c.name === 'byte order mismatch') continue; // covered below with a crafted header
      const r = bpftoolLink(bpftool!, join(tmp, 'out.o'), c.files);
      expect(r.ok, `${c.name}: ${r.log}`).toBe(false);
    }
  });

  it('refuses to overwrite an input, and leaves it untouched', () => {
    const copy = join(tmp, 'in.o');
    writeFileSync(copy, readFileSync(obj('weak_a')));
    const before = readFileSync(copy);
    const l = new Linker();
    l.addFile(copy);
    expect(() => l.writeTo(copy)).toThrow(/is also an input/);
    expect(readFileSync(copy)).toEqual(before);
  });

  it('refuses what is not a relocatable BPF object', () => {
    const bytes = new Uint8Array(readFileSync(obj('weak_a')));
    bytes[16] = 2; // e_type = ET_EXEC
    expect(() => new Linker().addBuffer('exec.o', bytes)).toThrow(/not a relocatable BPF object/);
    expect(() => new Linker().addBuffer('text.o', new TextEncoder().encode('hello'))).toThrow(BpfkitError);
  });

  it('refuses unknown section types, naming the section', () => {
    const bytes = new Uint8Array(readFileSync(obj('weak_a')));
    const v = new DataView(bytes.buffer);
    const shoff = Number(v.getBigUint64(0x28, true));
    const shnum = v.getUint16(0x3c, true);
    // Turn the first PROGBITS section into SHT_NOTE (7).
    for (let i = 1; i < shnum; i++) {
      const at = shoff + i * 64;
      if (v.getUint32(at + 4, true) === 1) {
        v.setUint32(at + 4, 7, true);
        break;
      }
    }
    const e = (() => {
      try {
        new Linker().addBuffer('note.o', bytes);
      } catch (err) {
        return err as BpfkitError;
      }
      throw new Error('accepted');
    })();
    expect(e).toBeInstanceOf(BpfkitError);
    expect(e.code).toBe('UNSUPPORTED');
    expect(e.section).toBeDefined();
    expect(e.message).toMatch(/section type/);
  });

  it('needs at least one input, and stays failed after an error', () => {
    expect(() => new Linker().finalize()).toThrow(/nothing to link/);
    const l = new Linker();
    l.addFile(obj('err_strong1'));
    expect(() => l.addFile(obj('err_strong2'))).toThrow(/dup_fn/);
    expect(() => l.finalize()).toThrow(/earlier input failed/);
  });
});

describe('mutated inputs', () => {
  it('give a BpfkitError or a link, never another exception (300 seeded mutations)', () => {
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const sets = [['weak_a', 'weak_b'], ['extmap_use', 'extmap_def'], ['static_a', 'static_b'], ['kcfg_a', 'kcfg_b'], ['core_main', 'core_lib']];
    const originals = new Map(sets.flat().map((n) => [n, new Uint8Array(readFileSync(obj(n)))]));
    let refused = 0;
    for (let i = 0; i < 300; i++) {
      const set = sets[i % sets.length];
      const bufs = set.map((n) => originals.get(n)!.slice());
      const victim = bufs[Math.floor(rnd() * bufs.length)];
      for (let k = 1 + Math.floor(rnd() * 8); k > 0; k--) {
        const at = Math.floor(rnd() * victim.length);
        victim[at] = rnd() < 0.5 ? Math.floor(rnd() * 256) : victim[at] ^ (1 << Math.floor(rnd() * 8));
      }
      try {
        const l = new Linker();
        set.forEach((s, j) => l.addBuffer(s, bufs[j]));
        l.finalize();
      } catch (e) {
        expect(e, `mutation ${i}`).toBeInstanceOf(BpfkitError);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
  });
});
