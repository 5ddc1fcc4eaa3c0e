/**
 * Every generated codec, on pseudo-random bytes, in both byte orders:
 *
 * - write(decode(r)) over a copy of r gives r back, byte for byte: the
 *   codec writes exactly the bits it read (bitfield masks, union overlap,
 *   strings, bools and NaNs included) and nothing else;
 * - decode(toBytes(decode(r))) equals decode(r): encode clears padding and
 *   loses nothing a member holds.
 *
 * For every corpus/testdata object with BTF, and for vmlinux (13k codecs).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { allObjects, hasVmlinux, label, testdataDir, vmlinuxPath } from '../../../test-support/corpus.js';
import type { Btf } from '../../btf.js';
import { loadBtf } from '../../load.js';
import { dumpTs } from './index.js';

interface Codec {
  size: number;
  decode(view: DataView, offset?: number, le?: boolean): unknown;
  write(value: unknown, view: DataView, offset: number, le: boolean): void;
  toBytes(value: unknown, le?: boolean): Uint8Array;
  fromBytes(bytes: Uint8Array, le?: boolean): unknown;
}

const tmp = mkdtempSync(join(tmpdir(), 'bpfkit-btf-ts-rt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let counter = 0;
async function load(source: string): Promise<Record<string, unknown>> {
  const js = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    reportDiagnostics: false,
  }).outputText;
  const file = join(tmp, `m${counter++}.mjs`);
  writeFileSync(file, js);
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

/** xorshift32, so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s & 0xff;
  };
}

const show = (x: unknown): string =>
  JSON.stringify(x, (_k, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number | bigint>, String) : v,
  );

/** Names of codecs that break either property (empty when all hold). */
function check(mod: Record<string, unknown>, seed: number): { count: number; bad: string[] } {
  const next = rng(seed);
  const bad: string[] = [];
  let count = 0;
  for (const [name, c] of Object.entries(mod)) {
    if (typeof c !== 'object' || c === null || typeof (c as Codec).decode !== 'function') continue;
    const codec = c as Codec;
    count++;
    const r = new Uint8Array(codec.size);
    for (let i = 0; i < r.length; i++) r[i] = next();
    for (const le of [true, false]) {
      const x = codec.decode(new DataView(r.buffer), 0, le);
      const copy = r.slice();
      codec.write(x, new DataView(copy.buffer), 0, le);
      if (!Buffer.from(copy).equals(Buffer.from(r))) bad.push(`${name} (${le ? 'le' : 'be'}): write(decode(r)) != r`);
      if (show(codec.fromBytes(codec.toBytes(x, le), le)) !== show(x)) bad.push(`${name} (${le ? 'le' : 'be'}): decode(encode(x)) != x`);
    }
  }
  return { count, bad };
}

describe('codec round trips on random bytes', () => {
  it('every corpus and testdata object with BTF', async () => {
    let total = 0;
    const inputs = [...allObjects(), join(testdataDir, 'btf-ts', 'obj', 'values.bpfel.o'), join(testdataDir, 'btf-ts', 'obj', 'values.bpfeb.o')];
    for (const [i, path] of inputs.entries()) {
      let btf: Btf;
      try {
        btf = loadBtf(path);
      } catch {
        continue; // no .BTF (compile.test.ts lists these)
      }
      const { count, bad } = check(await load(dumpTs(btf)), 1000 + i);
      total += count;
      expect(bad, label(path)).toEqual([]);
    }
    expect(total).toBeGreaterThan(100);
  });

  it.skipIf(!hasVmlinux)(
    'vmlinux',
    async () => {
      const t0 = performance.now();
      const mod = await load(dumpTs(loadBtf(vmlinuxPath)));
      const t1 = performance.now();
      const { count, bad } = check(mod, 42);
      console.info(`dumpTs round trips: ${count} vmlinux codecs checked in ${((performance.now() - t1) / 1000).toFixed(1)} s (generate+transpile+import ${((t1 - t0) / 1000).toFixed(1)} s)`);
      expect(count).toBeGreaterThan(5000);
      expect(bad).toEqual([]);
    },
    300_000,
  );
});
