/**
 * Reachability of poisoned CO-RE instructions (what makes `bpfkit core`
 * fail). Expectations come from the C sources (testdata/core/reach.bpf.c,
 * local.bpf.c: which reads are guarded by an existence check that is false
 * on the target) and, as root with bpftool, from the kernel's verifier.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBtf } from '../btf/index.js';
import { openObjectFile } from '../object/index.js';
import { hasVmlinux, testdataDir, vmlinuxPath, which } from '../test-support/corpus.js';
import { checkCore } from './check.js';
import { coreFailures } from './report.js';

const core = (f: string): string => join(testdataDir, 'core', f);

function poisonedReach(objPath: string, targetPath: string): Map<string, boolean> {
  const report = checkCore(openObjectFile(objPath), loadBtf(targetPath));
  const out = new Map<string, boolean>();
  for (const e of report) if (e.poisoned) out.set(`${e.program} ${e.kind} ${e.localSpec}`, e.reachable!);
  return out;
}

describe.each(['bpfel', 'bpfeb'])('reach.bpf.c against target.bpf.c (%s)', (order) => {
  const got = poisonedReach(core(`reach.${order}.o`), core(`target.${order}.o`));
  const removed = 'byte_off <byte_off> [6] struct rec.removed (0:1 @ offset 8)';

  it('a read guarded by a field_exists that resolves to 0 is dead', () => {
    expect(got.get(`reach_guarded ${removed}`)).toBe(false);
  });
  it('an unguarded read is reachable', () => {
    expect(got.get(`reach_unguarded ${removed}`)).toBe(true);
  });
  it('an enum value behind enumval_exists == 0 is dead', () => {
    expect(got.get('reach_enum_guarded enumval_value <enumval_value> [12] enum color::PURPLE = 3')).toBe(false);
  });
  it('a sub-program called only from dead code is dead; one called unconditionally is live', () => {
    expect(got.get(`read_removed_guarded ${removed}`)).toBe(false);
    expect(got.get(`read_removed_always ${removed}`)).toBe(true);
  });
  it('nothing else is poisoned', () => {
    expect(got.size).toBe(5);
  });
});

describe.each(['bpfel', 'bpfeb'])('local.bpf.c against target.bpf.c (%s)', (order) => {
  const report = checkCore(openObjectFile(core(`local.${order}.o`)), loadBtf(core(`target.${order}.o`)));

  it('guarded reads of `removed` and PURPLE are dead, the signed-grown `small` load is live', () => {
    const poisoned = report.filter((e) => e.poisoned);
    const removed = poisoned.filter((e) => e.localSpec?.includes('struct rec.removed') && e.kind === 'byte_off');
    expect(removed.length).toBe(1);
    expect(removed[0]!.reachable).toBe(false);
    const purple = poisoned.filter((e) => e.localSpec?.includes('PURPLE') && e.kind === 'enumval_value');
    expect(purple.map((e) => e.reachable)).toEqual([false]);
    const small = poisoned.filter((e) => e.localSpec?.includes('struct rec.small') && e.kind === 'byte_off');
    expect(small.length).toBeGreaterThan(0);
    for (const e of small) expect(e.reachable).toBe(true);
  });
  it('fails on the reachable poison and the ambiguity, not on the dead ones', () => {
    const failures = coreFailures(report);
    expect(failures.some((e) => e.error !== null && /ambiguity/.test(e.error))).toBe(true);
    expect(failures.filter((e) => e.poisoned).every((e) => e.localSpec?.includes('struct rec.small'))).toBe(true);
  });
});

// The kernel's verifier as the oracle: libbpf relocates the same object
// against the running kernel and the verifier accepts it exactly when no
// poisoned instruction is reachable.
const bpftool = which('bpftool');
const isRoot = process.getuid?.() === 0;
const skip =
  bpftool === undefined ? 'bpftool is not installed' : !isRoot ? 'not root' : !hasVmlinux ? 'no kernel BTF' : !existsSync('/sys/fs/bpf') ? 'no bpffs' : undefined;
if (skip !== undefined) console.warn(`SKIP reachability against the verifier: ${skip}`);

describe.skipIf(skip !== undefined)('reachability agrees with the verifier', () => {
  it.each([
    ['guarded', false],
    ['unguarded', true],
  ])('reach_kernel_%s: poisoned reachable = %s, and the kernel refuses it exactly then', (variant, reachable) => {
    const obj = core(`reach_kernel_${variant}.bpfel.o`);
    const got = poisonedReach(obj, vmlinuxPath);
    expect([...got.values()]).toEqual([reachable]);
    const pin = `/sys/fs/bpf/bpfkit-reach-${process.pid}-${variant}`;
    try {
      const r = spawnSync(bpftool!, ['-d', 'prog', 'loadall', obj, pin], { encoding: 'utf8' });
      expect(r.status === 0).toBe(!reachable);
      // libbpf 1.1 rewrites the verifier's "invalid func unknown#195896080" line
      if (reachable) expect(r.stderr).toMatch(/invalid func unknown#195896080|<invalid CO-RE relocation>/);
    } finally {
      rmSync(pin, { recursive: true, force: true });
    }
  });
});
