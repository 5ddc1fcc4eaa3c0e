/**
 * Headers from dumpC must compile: each is included from a one-line C file
 * and built with `clang-19 -target bpf -c`. Skips when clang-19 is missing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasVmlinux, label, testdataDir, vmlinuxPath, which } from '../../../test-support/corpus.js';
import { loadBtf } from '../../index.js';
import { dumpC } from './index.js';

const clang = which('clang-19');
if (clang === undefined) console.warn('SKIP C header compile tests: clang-19 is not installed');

const inputs = [
  ...readdirSync(join(testdataDir, 'btf-c/obj'))
    .filter((f) => f.endsWith('.bpfel.o'))
    .sort()
    .map((f) => join(testdataDir, 'btf-c/obj', f)),
  join(testdataDir, 'obj/bitfields.bpfel.o'),
  join(testdataDir, 'obj/core.bpfel.o'),
];

describe.skipIf(clang === undefined)('generated C headers compile with clang-19 -target bpf', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bpfkit-c-cc-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const compile = (file: string, name: string): void => {
    const h = join(tmp, `${name}.h`);
    writeFileSync(h, dumpC(loadBtf(file)));
    const c = join(tmp, `${name}.c`);
    writeFileSync(c, `#include "${name}.h"\n`);
    const r = spawnSync(clang!, ['-target', 'bpf', '-c', '-x', 'c', c, '-o', join(tmp, `${name}.o`)], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.status).toBe(0);
  };

  inputs.forEach((f, i) => {
    it(label(f), () => compile(f, `h${i}`));
  });

  it.skipIf(!hasVmlinux)('vmlinux.h from /sys/kernel/btf/vmlinux', () => compile(vmlinuxPath, 'vmlinux'), 60_000);
});
