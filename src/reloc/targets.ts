import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BpfkitError } from '../internal/errors.js';

/** File names a directory of kernel BTFs holds (BTFHub-style archives). */
const TARGET_SUFFIXES = ['.btf', '.btf.gz', '.btf.lz4'];

export interface CoreTarget {
  /** Short label: the file name without its BTF suffix. */
  name: string;
  path: string;
}

/** Label of a target file: `5.15.0-91-generic.btf.lz4` -> `5.15.0-91-generic`. */
export function targetName(path: string): string {
  const b = basename(path);
  for (const s of TARGET_SUFFIXES) if (b.endsWith(s)) return b.slice(0, -s.length);
  return b;
}

/**
 * Expand `--matrix` arguments: files stay as given; a directory gives its
 * `.btf`, `.btf.gz` and `.btf.lz4` files (not recursively), sorted by name
 * so the table's order does not depend on the file system.
 */
export function expandCoreTargets(paths: readonly string[]): CoreTarget[] {
  const out: CoreTarget[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw new BpfkitError('IO', `cannot read target ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: p });
    }
    if (!st.isDirectory()) {
      out.push({ name: targetName(p), path: p });
      continue;
    }
    const files = readdirSync(p)
      .filter((f) => TARGET_SUFFIXES.some((s) => f.endsWith(s)))
      .sort();
    if (files.length === 0) {
      throw new BpfkitError('BAD_VALUE', `directory ${p} holds no ${TARGET_SUFFIXES.join(', ')} files`, { file: p });
    }
    for (const f of files) out.push({ name: targetName(f), path: join(p, f) });
  }
  return out;
}
