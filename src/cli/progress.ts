/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal:
 * piped or redirected runs stay quiet.
 */
export interface Progress {
  update(done: number, total: number, label: string): void;
  done(): void;
}

export function progressBar(what: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY !== true) return { update() {}, done() {} };
  let drawn = false;
  return {
    update(done, total, label) {
      const width = 30;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      const text = `${what} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label}`;
      const cols = stream.columns ?? 80;
      stream.write(`\r${text.slice(0, cols - 1)}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
