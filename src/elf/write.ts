import { BpfkitError } from '../internal/errors.js';
import { Writer } from '../internal/writer.js';
import { encodeHeader, encodeSectionHeader } from './header.js';
import { MAX_ELF_SIZE, fitsRecordedLayout, layoutElf, normalizeElf, recordedRegions } from './layout.js';
import { hasFileData } from './sections.js';
import type { ElfFile } from './types.js';

export interface WriteElfOptions {
  /**
   * 'auto' (default) keeps recorded offsets when everything still fits there,
   * so an unmodified file is reproduced byte for byte, and lays the file out
   * anew otherwise. 'fresh' always lays it out anew.
   */
  layout?: 'auto' | 'fresh';
}

/** Serialise an ELF model. Deterministic: the same model gives the same bytes. */
export function writeElf(elf: ElfFile, opts: WriteElfOptions = {}): Uint8Array {
  if (opts.layout !== 'fresh') {
    const kept = normalizeElf(elf);
    if (fitsRecordedLayout(kept)) return writeAtRecordedOffsets(kept);
  }
  return writeAtRecordedOffsets(layoutElf(elf));
}

/** Whether writeElf would keep the recorded offsets of this model. */
export function keepsRecordedLayout(elf: ElfFile): boolean {
  return fitsRecordedLayout(normalizeElf(elf));
}

/**
 * Write a normalised model whose regions do not overlap. Regions go out in
 * file order so that the Writer zero-fills the gaps between them.
 */
function writeAtRecordedOffsets(elf: ElfFile): Uint8Array {
  const regions = recordedRegions(elf);
  let total = 0;
  for (const r of regions) total = Math.max(total, r.end);
  if (total > MAX_ELF_SIZE) {
    throw new BpfkitError('TOO_LARGE', `the laid-out file would be ${total} bytes`, { file: elf.fileName });
  }

  type Piece = { start: number; emit: (w: Writer) => void };
  const pieces: Piece[] = [
    { start: 0, emit: (w) => encodeHeader(w, elf.header) },
  ];
  const phdrs = elf.programHeaders;
  if (phdrs !== undefined && phdrs.byteLength > 0) {
    pieces.push({ start: elf.header.phoff, emit: (w) => w.bytes(phdrs) });
  }
  for (const s of elf.sections) {
    if (hasFileData(s.type) && s.data.byteLength > 0) {
      pieces.push({ start: s.offset, emit: (w) => w.bytes(s.data) });
    }
  }
  if (elf.sections.length > 0) {
    pieces.push({
      start: elf.header.shoff,
      emit: (w) => {
        for (const s of elf.sections) encodeSectionHeader(w, s);
      },
    });
  }
  // Stable sort keeps equal starts (only possible for empty pieces) in model order.
  pieces.sort((a, b) => a.start - b.start);

  const w = new Writer(elf.littleEndian, total);
  for (const p of pieces) {
    w.seek(p.start);
    p.emit(w);
  }
  w.seek(total);
  return w.finish();
}
