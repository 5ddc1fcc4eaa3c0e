/**
 * The generated modules type-check with `tsc --strict`: for every object in
 * the corpus and testdata that has BTF (all in one tsc run), for subsets
 * chosen with rootIds, and for the running kernel's vmlinux (its own run,
 * timed; about 45 s and 0.9 GB on the development machine).
 *
 * The tsconfig has `"types": []` and `"lib": ["ES2022"]`, so the modules
 * must stand alone: no DOM, no Node types, no imports.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allObjects, corpusDir, hasVmlinux, label, repoRoot, testdataDir, vmlinuxPath } from '../../../test-support/corpus.js';
import type { Btf } from '../../btf.js';
import { Kind } from '../../kinds.js';
import { loadBtf } from '../../load.js';
import { dumpTs } from './index.js';

const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
const tmp = mkdtempSync(join(tmpdir(), 'bpfkit-btf-ts-tsc-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Run tsc --strict --noEmit over these files; returns its output ('' when clean). */
function typeCheck(dir: string, files: string[]): { status: number | null; output: string; ms: number } {
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2022'],
        types: [],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
      },
      files,
    }),
  );
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--max-old-space-size=4096', tsc, '-p', join(dir, 'tsconfig.json')], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  return { status: r.status, output: (r.stdout ?? '') + (r.stderr ?? ''), ms: performance.now() - t0 };
}

function btfTs(): string[] {
  const dir = join(testdataDir, 'btf-ts', 'obj');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.o')).sort().map((f) => join(dir, f)) : [];
}

describe('dumpTs output passes tsc --strict', () => {
  it('every corpus and testdata object with BTF, in one tsc run', () => {
    const dir = join(tmp, 'objects');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const files: string[] = [];
    const skipped: string[] = [];
    const inputs = [...allObjects(), ...btfTs()];
    for (const [i, path] of inputs.entries()) {
      let btf: Btf;
      try {
        btf = loadBtf(path);
      } catch (e) {
        skipped.push(`${label(path)}: ${(e as Error).message}`);
        continue;
      }
      const name = `m${String(i).padStart(3, '0')}.ts`;
      writeFileSync(join(dir, name), dumpTs(btf, { source: label(path) }));
      files.push(name);
      // A subset by root too: the first struct, through rootIds.
      const firstStruct = [...btf].find((t) => t.kind === Kind.Struct);
      if (firstStruct !== undefined) {
        const sub = `m${String(i).padStart(3, '0')}-root.ts`;
        writeFileSync(join(dir, sub), dumpTs(btf, { rootIds: [firstStruct.id], source: label(path) }));
        files.push(sub);
      }
    }
    // Split BTF: a module's own types plus the base types they use by value.
    const split = join(corpusDir, 'cilium-ebpf', 'btf', 'testdata', 'btf_testmod.btf');
    if (existsSync(split) && existsSync(split + '.base')) {
      const base = loadBtf(split + '.base');
      const btf = loadBtf(split, { base });
      const out = dumpTs(btf, { source: 'btf_testmod.btf' });
      for (let id = btf.firstId; id < btf.typeCount; id++) {
        const t = btf.type(id)!;
        if (t.kind === Kind.Struct && t.name !== '') expect(out).toMatch(new RegExp(`^export interface ${t.name}\\b`, 'm'));
      }
      writeFileSync(join(dir, 'split.ts'), out);
      files.push('split.ts');
    } else skipped.push('btf_testmod.btf (split BTF pair not in the corpus)');
    if (skipped.length > 0) console.info(`dumpTs tsc: ${skipped.length} inputs without usable BTF skipped:\n  ${skipped.join('\n  ')}`);
    expect(files.length).toBeGreaterThan(20);
    const r = typeCheck(dir, files);
    console.info(`dumpTs tsc: ${files.length} modules type-checked in ${(r.ms / 1000).toFixed(1)} s`);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });

  it.skipIf(!hasVmlinux)(
    'vmlinux (generation timed, then its own tsc run)',
    () => {
      const dir = join(tmp, 'vmlinux');
      mkdirSync(dir, { recursive: true });
      const btf = loadBtf(vmlinuxPath);
      const t0 = performance.now();
      const out = dumpTs(btf, { source: vmlinuxPath });
      const genMs = performance.now() - t0;
      writeFileSync(join(dir, 'vmlinux.ts'), out);
      // task_struct and what it holds by value, as a skeleton would ask for.
      const task = btf.find('task_struct', Kind.Struct);
      const files = ['vmlinux.ts'];
      if (task !== undefined) {
        writeFileSync(join(dir, 'task.ts'), dumpTs(btf, { rootIds: [task.id], source: vmlinuxPath }));
        files.push('task.ts');
      }
      const r = typeCheck(dir, files);
      console.info(
        `dumpTs vmlinux: ${btf.typeCount} types -> ${(out.length / 1e6).toFixed(1)} MB in ${(genMs / 1000).toFixed(1)} s; ` +
          `tsc --strict --noEmit ${(r.ms / 1000).toFixed(1)} s`,
      );
      expect(genMs).toBeLessThan(15_000);
      expect(r.output).toBe('');
      expect(r.status).toBe(0);
    },
    300_000,
  );
  if (!hasVmlinux) console.warn(`SKIP dumpTs vmlinux tsc test: ${vmlinuxPath} does not exist`);
});
