/**
 * The `btf dump` fast path (argv read without yargs) must take exactly the
 * command lines it understands, and print what the yargs path prints.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, testdataDir } from '../../test-support/corpus.js';
import { fastDumpArgs } from './btf.js';

const cli = join(repoRoot, 'dist/cli/main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { maxBuffer: 1 << 28 });

describe('btf dump fast path', () => {
  it('reads the plain forms', () => {
    expect(fastDumpArgs(['btf', 'dump', 'x.o'])).toEqual({ file: 'x.o', format: 'raw', json: false });
    expect(fastDumpArgs(['btf', 'dump', 'x.o', '--format', 'c'])).toEqual({ file: 'x.o', format: 'c', json: false });
    expect(fastDumpArgs(['btf', 'dump', '-f', 'ts', 'x.o'])).toEqual({ file: 'x.o', format: 'ts', json: false });
    expect(fastDumpArgs(['btf', 'dump', 'x.o', '--format=json'])).toEqual({ file: 'x.o', format: 'json', json: false });
    expect(fastDumpArgs(['btf', 'dump', 'x.o', '--json'])).toEqual({ file: 'x.o', format: 'raw', json: true });
  });

  it('leaves everything else to yargs', () => {
    for (const argv of [
      ['btf', 'dump'],
      ['btf', 'dump', '--help'],
      ['btf', 'dump', 'x.o', 'y.o'],
      ['btf', 'dump', 'x.o', '--format'],
      ['btf', 'dump', 'x.o', '--format', 'yaml'],
      ['btf', 'dump', 'x.o', '--format', 'c', '--format', 'raw'],
      ['btf', 'dump', 'x.o', '--json', '--json'],
      ['btf', 'dump', 'x.o', '--root-id', '3'],
      ['btf', 'dump', 'x.o', '--base', 'vmlinux'],
      ['btf', 'dump', 'x.o', '--unsorted'],
      ['btf', 'dump', '-', '--format', 'c'],
      ['btf', 'dump', ''],
      ['btf', 'dumps', 'x.o'],
      ['inspect', 'x.o'],
    ]) {
      expect(fastDumpArgs(argv), argv.join(' ')).toBeUndefined();
    }
  });

  it('prints what the yargs path prints, and fails the same way', () => {
    const f = join(testdataDir, 'obj/maps.bpfel.o');
    // --unsorted (the default) sends the same request through yargs.
    for (const fmt of [[], ['--json'], ['--format', 'c'], ['--format', 'ts']]) {
      const fast = run('btf', 'dump', f, ...fmt);
      const slow = run('btf', 'dump', f, ...fmt, '--unsorted');
      expect(fast.status, fmt.join(' ')).toBe(0);
      expect(fast.stdout.length).toBeGreaterThan(100);
      expect(fast.stdout.equals(slow.stdout), fmt.join(' ')).toBe(true);
    }
    const missing = join(testdataDir, 'no-such-file.o');
    const a = run('btf', 'dump', missing);
    const b = run('btf', 'dump', missing, '--unsorted');
    expect(a.status).toBe(1);
    expect(a.stderr.toString()).toBe(b.stderr.toString());
    const c = run('btf', 'dump', f, '--json', '--format', 'c');
    expect(c.status).toBe(1);
    expect(c.stderr.toString()).toBe(run('btf', 'dump', f, '--json', '--format', 'c', '--unsorted').stderr.toString());
  });
});
