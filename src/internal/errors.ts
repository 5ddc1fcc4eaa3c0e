/**
 * The one error class every bpfkit parser throws for bad input.
 *
 * Callers can rely on `code` (stable, machine-readable) and on the location
 * fields; `message` is for people and already names the location.
 */
export type ErrorCode =
  | 'TRUNCATED' // input ends before a structure it promises
  | 'BAD_MAGIC' // the first bytes are not what the format requires
  | 'BAD_VERSION' // a version this code does not know
  | 'BAD_VALUE' // a field holds a value the format forbids
  | 'OUT_OF_RANGE' // an offset, index or id points outside its table
  | 'BAD_KIND' // a BTF kind (or ELF type) that is unknown or wrong here
  | 'TOO_LARGE' // a count or size beyond what the input can possibly hold
  | 'UNSUPPORTED' // valid input that bpfkit does not handle (yet)
  | 'IO'; // the file could not be read or written

export interface ErrorLocation {
  /** Path of the file being read, when known. */
  file?: string;
  /** ELF section name (or BTF sub-section such as "types"). */
  section?: string;
  /** BTF type id. */
  typeId?: number;
  /** ELF symbol (program, map or variable name). */
  symbol?: string;
  /** Instruction index within its program or section. */
  insn?: number;
  /** Byte offset, relative to the start of the file when `file` is set and
   * the parser knows the section's place, otherwise to the section. */
  offset?: number;
}

export class BpfkitError extends Error {
  readonly code: ErrorCode;
  readonly detail: string;
  file?: string;
  section?: string;
  typeId?: number;
  symbol?: string;
  insn?: number;
  offset?: number;

  constructor(code: ErrorCode, detail: string, where: ErrorLocation = {}) {
    super(detail);
    this.name = 'BpfkitError';
    this.code = code;
    this.detail = detail;
    this.file = where.file;
    this.section = where.section;
    this.typeId = where.typeId;
    this.symbol = where.symbol;
    this.insn = where.insn;
    this.offset = where.offset;
    this.message = this.describe();
  }

  /**
   * Fill in location fields an inner parser could not know (the file name,
   * the section, the section's base offset). Fields already set stay.
   */
  locate(where: ErrorLocation & { baseOffset?: number }): this {
    if (this.file === undefined && where.file !== undefined) this.file = where.file;
    if (this.section === undefined && where.section !== undefined) this.section = where.section;
    if (this.typeId === undefined && where.typeId !== undefined) this.typeId = where.typeId;
    if (this.symbol === undefined && where.symbol !== undefined) this.symbol = where.symbol;
    if (this.insn === undefined && where.insn !== undefined) this.insn = where.insn;
    if (where.baseOffset !== undefined && this.offset !== undefined) this.offset += where.baseOffset;
    else if (this.offset === undefined && where.offset !== undefined) this.offset = where.offset;
    this.message = this.describe();
    return this;
  }

  private describe(): string {
    const parts: string[] = [];
    if (this.file !== undefined) parts.push(this.file);
    if (this.section !== undefined) parts.push(`section ${this.section}`);
    if (this.symbol !== undefined) parts.push(`'${this.symbol}'`);
    if (this.insn !== undefined) parts.push(`insn ${this.insn}`);
    if (this.typeId !== undefined) parts.push(`type [${this.typeId}]`);
    if (this.offset !== undefined) parts.push(`offset 0x${this.offset.toString(16)}`);
    const where = parts.length > 0 ? parts.join(', ') + ': ' : '';
    return `${where}${this.detail} (${this.code})`;
  }
}

/** Run `fn`, adding location context to any BpfkitError it throws. */
export function withLocation<T>(where: ErrorLocation & { baseOffset?: number }, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof BpfkitError) throw e.locate(where);
    throw e;
  }
}
