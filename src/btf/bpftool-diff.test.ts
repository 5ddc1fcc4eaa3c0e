/**
 * Differential test: `bpfkit btf dump` must print exactly what Debian's
 * bpftool 7.1 prints, raw and JSON, for every BTF-carrying object in the
 * corpus and testdata, the split BTF pair, the gzip'd vmlinux blob and the
 * running kernel's BTF. Skips (with a printed reason) when bpftool is absent.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { allObjects, corpusDir, hasVmlinux, label, repoRoot, vmlinuxPath, which } from '../test-support/corpus.js';
import { BpfkitError } from '../internal/errors.js';
import { dumpJson, dumpRaw, loadBtf, type Btf } from './index.js';

const bpftool = which('bpftool');
if (bpftool === undefined) console.warn('SKIP bpftool differential tests: bpftool is not installed (apt-get install bpftool)');

function bpftoolDump(args: string[]): Buffer | undefined {
  const r = spawnSync(bpftool!, args, { maxBuffer: 1 << 30 });
  return r.status === 0 ? r.stdout : undefined;
}

/** Compare both dumps; where bpftool refuses the file, bpfkit must too. */
function compare(file: string, base?: string): 'same' | 'both-refused' {
  const baseArgs = base !== undefined ? ['-B', base] : [];
  const wantRaw = bpftoolDump([...baseArgs, 'btf', 'dump', 'file', file]);
  const baseBtf: Btf | undefined = base !== undefined ? loadBtf(base) : undefined;
  if (wantRaw === undefined) {
    expect(() => loadBtf(file, { base: baseBtf })).toThrow(BpfkitError);
    return 'both-refused';
  }
  const wantJson = bpftoolDump(['-j', ...baseArgs, 'btf', 'dump', 'file', file]);
  const btf = loadBtf(file, { base: baseBtf });
  const raw = Buffer.from(dumpRaw(btf));
  const json = Buffer.from(dumpJson(btf));
  // Compare as text so a failure shows the differing line.
  if (!raw.equals(wantRaw!)) expect(raw.toString('latin1')).toBe(wantRaw!.toString('latin1'));
  if (!json.equals(wantJson!)) expect(json.toString('latin1')).toBe(wantJson!.toString('latin1'));
  return 'same';
}

describe.skipIf(bpftool === undefined)('btf dump matches bpftool 7.1', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bpfkit-diff-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('bpftool is the version the expectations are pinned to', () => {
    const v = execFileSync(bpftool!, ['version'], { encoding: 'utf8' });
    if (!v.includes('v7.1')) console.warn(`bpftool is not 7.1: ${v.split('\n')[0]}`);
    expect(v).toMatch(/bpftool v\d+\.\d+/);
  });

  const objects = allObjects();
  const outcomes: string[] = [];
  it('found the corpus', () => {
    expect(objects.length).toBeGreaterThan(90);
  });
  for (const f of objects) {
    it(label(f), () => {
      outcomes.push(compare(f));
    });
  }
  it('most objects carry BTF and were compared byte for byte', () => {
    const same = outcomes.filter((o) => o === 'same').length;
    console.log(`bpftool differential: ${same} identical, ${outcomes.length - same} refused by both`);
    expect(same).toBeGreaterThan(90);
  });

  it('split BTF on its base (corpus btf_testmod)', () => {
    const d = join(corpusDir, 'cilium-ebpf/btf/testdata');
    compare(join(d, 'btf_testmod.btf'), join(d, 'btf_testmod.btf.base'));
  });

  it('gzip-compressed vmlinux blob (bpftool reads the decompressed bytes)', () => {
    const raw = gunzipSync(readFileSync(join(corpusDir, 'cilium-ebpf/btf/testdata/vmlinux.btf.gz')));
    const p = join(tmp, 'vmlinux.btf');
    writeFileSync(p, raw);
    const fromGz = loadBtf(join(corpusDir, 'cilium-ebpf/btf/testdata/vmlinux.btf.gz'));
    const want = bpftoolDump(['btf', 'dump', 'file', p])!;
    expect(Buffer.from(dumpRaw(fromGz)).equals(want)).toBe(true);
    compare(p);
  });

  it.skipIf(!hasVmlinux)('the running kernel: /sys/kernel/btf/vmlinux', () => {
    compare(vmlinuxPath);
  });

  it.skipIf(!hasVmlinux)('the CLI prints the same bytes as bpftool for vmlinux (raw, JSON, C)', () => {
    const cli = join(repoRoot, 'dist/cli/main.js');
    const mine = spawnSync(process.execPath, [cli, 'btf', 'dump', vmlinuxPath], { maxBuffer: 1 << 30 });
    expect(mine.status).toBe(0);
    expect(mine.stdout.equals(bpftoolDump(['btf', 'dump', 'file', vmlinuxPath])!)).toBe(true);
    const mineJ = spawnSync(process.execPath, [cli, 'btf', 'dump', vmlinuxPath, '--json'], { maxBuffer: 1 << 30 });
    expect(mineJ.stdout.equals(bpftoolDump(['-j', 'btf', 'dump', 'file', vmlinuxPath])!)).toBe(true);
    const mineC = spawnSync(process.execPath, [cli, 'btf', 'dump', vmlinuxPath, '--format', 'c'], { maxBuffer: 1 << 30 });
    expect(mineC.stdout.equals(bpftoolDump(['btf', 'dump', 'file', vmlinuxPath, 'format', 'c'])!)).toBe(true);
  });
});
