/**
 * The built CLI end to end: exit codes, JSON that parses, errors on stderr
 * naming file and location. (npm test builds dist/ before running tests.)
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir, repoRoot, testdataDir } from '../test-support/corpus.js';

const cli = join(repoRoot, 'dist/cli/main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });

describe('bpfkit CLI', () => {
  it('inspect --json prints the bpfkit.inspect/1 document', () => {
    const r = run('inspect', join(testdataDir, 'obj/maps.bpfeb.o'), '--json');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.schema).toBe('bpfkit.inspect/1');
    expect(doc.byteOrder).toBe('big');
    expect(doc.maps.find((m: { name: string }) => m.name === 'outer_array').inner.type).toBe('array');
  });

  it('inspect prints text by default', () => {
    const r = run('inspect', join(testdataDir, 'obj/globals.bpfel.o'));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/programs \(2\):/);
    expect(r.stdout).toMatch(/\.rodata\.str1\.1/);
  });

  it('disasm --json and --prog', () => {
    const r = run('disasm', join(testdataDir, 'obj/subprogs.bpfel.o'), '--prog', 'sock_loop', '--json');
    expect(r.status).toBe(0);
    const l = JSON.parse(r.stdout);
    expect(l.map((f: { name: string }) => f.name)).toContain('loop_body');
  });

  it('a rejected object exits 1 with one error naming file, section and symbol', () => {
    const f = join(corpusDir, 'cilium-ebpf/testdata/invalid_map_static-el.elf');
    const r = run('inspect', f);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(f);
    expect(r.stderr).toMatch(/section maps, 'hash_map'/);
  });

  it('usage errors exit 2', () => {
    expect(run('inspect').status).toBe(2);
    expect(run('no-such-command').status).toBe(2);
  });
});
