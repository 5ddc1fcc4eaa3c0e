/**
 * The generator's output buffer: lines with a running size, kept apart so
 * the TOO_LARGE limit is enforced in one place for the main and late parts
 * of the module.
 */
import { BpfkitError } from '../../../internal/errors.js';

/**
 * Lines of output with a running size, so that an enormous module fails
 * with TOO_LARGE before it is joined (or before V8's string limit).
 */
export class Lines {
  readonly lines: string[] = [];
  private size = 0;
  constructor(private readonly max: number) {}

  get length(): number {
    return this.lines.length;
  }

  push(...items: string[]): void {
    this.pushAll(items);
  }

  /** Append an array of lines (no spread: it may be longer than the
   * engine's argument limit). */
  pushAll(items: readonly string[]): void {
    for (const l of items) {
      // Joined with '\n' between lines.
      this.size += this.lines.length === 0 ? l.length : l.length + 1;
      if (this.size > this.max) throw new BpfkitError('TOO_LARGE', `output exceeds the limit of ${this.max} characters`);
      this.lines.push(l);
    }
  }
}
