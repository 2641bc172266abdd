import type { Position, Range } from './types';

/**
 * Converts between string offsets and LSP positions. Lines end at `\n`, `\r\n` or a lone `\r`,
 * as in VS Code's documents; JavaScript string offsets are already UTF-16 columns.
 */
export class TextLines {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const char = text[i];
      if (char === '\r' && text[i + 1] === '\n') i++;
      if (char === '\n' || char === '\r') this.starts.push(i + 1);
    }
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: clamped - this.starts[low] };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const lineEnd = this.lineEnd(position.line);
    return Math.min(this.starts[position.line] + Math.max(0, position.character), lineEnd);
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** Like {@link range}, without the blanks and line breaks a YAML node's span may end with. */
  trimmedRange(start: number, end: number): Range {
    let trimmed = end;
    while (trimmed > start && /\s/.test(this.text[trimmed - 1])) trimmed--;
    return this.range(start, trimmed);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** The text of a line without its line break. */
  line(line: number): string {
    return this.text.slice(this.starts[line], this.lineEnd(line));
  }

  private lineEnd(line: number): number {
    let end = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    while (
      end > this.starts[line] &&
      (this.text[end - 1] === '\n' || this.text[end - 1] === '\r')
    ) {
      end--;
    }
    return end;
  }
}

export function contains(range: Range, position: Position): boolean {
  return !before(position, range.start) && !before(range.end, position);
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}
