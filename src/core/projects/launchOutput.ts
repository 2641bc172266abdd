/**
 * A launch's output as the user saw it, kept for the run's stdout.txt. A script that prints
 * without end must not exhaust the extension host's memory, so past the cap only the tail is
 * kept (where the error that ended it usually is), with a line saying how much was dropped.
 */
export const DEFAULT_OUTPUT_CAP = 20 * 1024 * 1024;

export class OutputTail {
  private chunks: string[] = [];
  private length = 0;
  private dropped = 0;

  constructor(private readonly cap = DEFAULT_OUTPUT_CAP) {}

  append(text: string): void {
    this.chunks.push(text);
    this.length += text.length;
    while (this.length > this.cap && this.chunks.length > 0) {
      const excess = this.length - this.cap;
      const first = this.chunks[0];
      if (first.length <= excess) {
        this.chunks.shift();
        this.length -= first.length;
        this.dropped += first.length;
      } else {
        this.chunks[0] = first.slice(excess);
        this.length -= excess;
        this.dropped += excess;
      }
    }
  }

  text(): string {
    const body = this.chunks.join('');
    if (this.dropped === 0) return body;
    const note = `[Model Factory: the first ${this.dropped} characters of the output were dropped; the last ${this.length} follow]\n`;
    return note + body;
  }
}
