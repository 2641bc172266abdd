/**
 * Splits CSV bytes into records and fields (RFC 4180), without making a string: each field is a
 * pair of offsets into the read buffer, which the column builders parse in place.
 *
 * A field that starts with a double quote runs to the matching closing quote, may hold
 * delimiters and line breaks, and spells a quote as two. Text after a closing quote (`"ab"c`)
 * is kept, as pandas keeps it, rather than refused. Records end at LF, CRLF or a lone CR.
 */

export const QUOTE = 0x22;
export const LF = 0x0a;
export const CR = 0x0d;

/** The record runs past the bytes given; call again with more. */
export const INCOMPLETE = -1;
/** A quoted field is still open at the end of the file; see unclosedQuoteAt. */
export const UNCLOSED_QUOTE = -2;

/** A field's bounds include its quotes and it needs unescapeField before use. */
export const ESCAPED = 1;

export class CsvTokenizer {
  /** Fields in the last record, with their [start, end) offsets and flags. */
  count = 0;
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  flags = new Uint8Array(64);
  /** Whether the last record had a quoted field, which may hold line breaks. */
  quoted = false;
  unclosedQuoteAt = -1;

  private readonly highestStop: number;

  constructor(private readonly delimiter: number) {
    this.highestStop = Math.max(delimiter, LF, CR);
  }

  /**
   * Reads the record that starts at `start`. Returns the offset just past its line break (or
   * `end` for a last line without one), INCOMPLETE when the record may continue past `end`
   * and `atEnd` is false, or UNCLOSED_QUOTE.
   */
  next(bytes: Uint8Array, start: number, end: number, atEnd: boolean): number {
    const delimiter = this.delimiter;
    const highestStop = this.highestStop;
    let { starts, ends, flags } = this;
    let count = 0;
    let position = start;
    this.quoted = false;
    for (;;) {
      if (count === starts.length) {
        this.grow();
        ({ starts, ends, flags } = this);
      }
      if (position < end && bytes[position] === QUOTE) {
        position = this.quotedField(bytes, position, end, atEnd, count);
        if (position < 0) return position;
      } else {
        starts[count] = position;
        while (position < end) {
          const byte = bytes[position];
          // Most bytes are above every stop byte: one comparison lets them through.
          if (byte > highestStop || (byte !== delimiter && byte !== LF && byte !== CR)) position++;
          else break;
        }
        ends[count] = position;
        flags[count] = 0;
      }
      count++;

      if (position === end) {
        if (!atEnd) return INCOMPLETE;
        this.count = count;
        return end;
      }
      const byte = bytes[position];
      if (byte === delimiter) {
        position++;
        continue;
      }
      this.count = count;
      if (byte === LF) return position + 1;
      if (position + 1 < end) return bytes[position + 1] === LF ? position + 2 : position + 1;
      return atEnd ? position + 1 : INCOMPLETE;
    }
  }

  private quotedField(
    bytes: Uint8Array,
    quoteAt: number,
    end: number,
    atEnd: boolean,
    index: number,
  ): number {
    this.quoted = true;
    let position = quoteAt + 1;
    let escaped = false;
    for (;;) {
      while (position < end && bytes[position] !== QUOTE) position++;
      if (position >= end || (position + 1 === end && !atEnd)) {
        if (!atEnd) return INCOMPLETE;
        this.unclosedQuoteAt = quoteAt;
        return UNCLOSED_QUOTE;
      }
      if (position + 1 < end && bytes[position + 1] === QUOTE) {
        escaped = true;
        position += 2;
        continue;
      }
      break;
    }

    const closeAt = position++;
    const trailing = this.afterClosingQuote(bytes, position, end);
    if (trailing === end && !atEnd) return INCOMPLETE;
    if (escaped || trailing !== position) {
      this.setField(index, quoteAt, trailing, ESCAPED);
    } else {
      this.setField(index, quoteAt + 1, closeAt, 0);
    }
    return trailing;
  }

  /** Where the field ends after its closing quote: at once, unless text follows the quote. */
  private afterClosingQuote(bytes: Uint8Array, position: number, end: number): number {
    const delimiter = this.delimiter;
    while (position < end) {
      const byte = bytes[position];
      if (byte === delimiter || byte === LF || byte === CR) break;
      position++;
    }
    return position;
  }

  private setField(index: number, start: number, end: number, flag: number) {
    this.starts[index] = start;
    this.ends[index] = end;
    this.flags[index] = flag;
  }

  private grow() {
    const capacity = this.starts.length * 2;
    const starts = new Int32Array(capacity);
    starts.set(this.starts);
    this.starts = starts;
    const ends = new Int32Array(capacity);
    ends.set(this.ends);
    this.ends = ends;
    const flags = new Uint8Array(capacity);
    flags.set(this.flags);
    this.flags = flags;
  }
}

/**
 * Writes the value of an ESCAPED field (bounds include the opening quote) into `target`, and
 * returns its length: the quoted part with doubled quotes made single, then any text after the
 * closing quote as it is.
 */
export function unescapeField(
  bytes: Uint8Array,
  start: number,
  end: number,
  target: Uint8Array,
): number {
  let length = 0;
  let position = start + 1;
  while (position < end) {
    const byte = bytes[position++];
    if (byte !== QUOTE) target[length++] = byte;
    else if (position < end && bytes[position] === QUOTE) {
      target[length++] = QUOTE;
      position++;
    } else break;
  }
  while (position < end) target[length++] = bytes[position++];
  return length;
}

/** Line breaks in bytes [start, end): LF, CRLF and a lone CR each count once. */
export function countLineBreaks(bytes: Uint8Array, start: number, end: number): number {
  let breaks = 0;
  for (let position = start; position < end; position++) {
    const byte = bytes[position];
    if (byte === LF) breaks++;
    else if (byte === CR && (position + 1 >= end || bytes[position + 1] !== LF)) breaks++;
  }
  return breaks;
}
