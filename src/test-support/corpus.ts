/**
 * Where test inputs live: the shared corpus (cilium/ebpf objects and BTF
 * blobs, beside the repository) and our own testdata/. Tests list files from
 * here so that every suite sees the same set.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const corpusDir = join(repoRoot, '..', 'shared', 'corpus');
export const testdataDir = join(repoRoot, 'testdata');

function walk(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
}

/** Every ELF object in the shared corpus (`*.o`, `*.elf`). */
export function corpusObjects(): string[] {
  const out: string[] = [];
  walk(corpusDir, out);
  return out.filter((p) => p.endsWith('.o') || p.endsWith('.elf'));
}

/** Every object we compiled into testdata/obj. */
export function testdataObjects(): string[] {
  const out: string[] = [];
  walk(join(testdataDir, 'obj'), out);
  return out.filter((p) => p.endsWith('.o'));
}

export function allObjects(): string[] {
  return [...corpusObjects(), ...testdataObjects()];
}

/** A short name for test titles. */
export function label(p: string): string {
  return p.startsWith(corpusDir) ? 'corpus/' + relative(corpusDir, p) : relative(repoRoot, p);
}

/** Path of a tool on PATH, or undefined (differential tests skip without). */
export function which(tool: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export const vmlinuxPath = '/sys/kernel/btf/vmlinux';
export const hasVmlinux = existsSync(vmlinuxPath);
