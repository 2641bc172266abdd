/**
 * Dictionary encoding for string columns. A category column of a million rows holds a handful
 * of distinct values, so each row is an Int32 code and each distinct value one string.
 *
 * ByteDictionary looks values up by their bytes in the read buffer, so a text file costs a hash
 * of the field and no string at all unless the value is new; that is most of what makes string
 * columns fast. StringDictionary is the same for values that are already strings (JSON, Parquet).
 */

const EMPTY = 0;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export class ByteDictionary {
  readonly values: string[] = [];
  private slots = new Int32Array(1024);
  private hashes = new Int32Array(256);
  private offsets = new Int32Array(257);
  private bytes: Uint8Array = new Uint8Array(4096);

  get size(): number {
    return this.values.length;
  }

  /** The code of bytes [start, end), adding them (decoded as UTF-8) if they are new. */
  code(source: Uint8Array, start: number, end: number): number {
    let hash = FNV_OFFSET;
    for (let index = start; index < end; index++) hash = Math.imul(hash ^ source[index], FNV_PRIME);

    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot];
      if (entry === EMPTY) return this.add(source, start, end, hash, slot);
      const code = entry - 1;
      if (this.hashes[code] === hash && this.matches(code, source, start, end)) return code;
    }
  }

  private matches(code: number, source: Uint8Array, start: number, end: number): boolean {
    const offset = this.offsets[code];
    if (this.offsets[code + 1] - offset !== end - start) return false;
    const stored = this.bytes;
    for (let index = start; index < end; index++) {
      if (stored[offset + index - start] !== source[index]) return false;
    }
    return true;
  }

  private add(source: Uint8Array, start: number, end: number, hash: number, slot: number) {
    const code = this.values.length;
    const offset = this.offsets[code];
    const length = end - start;
    if (code + 2 > this.offsets.length) this.growIndex();
    if (offset + length > this.bytes.length) this.bytes = grow(this.bytes, offset + length);

    this.bytes.set(source.subarray(start, end), offset);
    this.offsets[code + 1] = offset + length;
    this.hashes[code] = hash;
    this.values.push(Buffer.from(source.buffer, source.byteOffset + start, length).toString());
    this.slots[slot] = code + 1;
    if (this.values.length * 2 > this.slots.length) this.rehash();
    return code;
  }

  private growIndex() {
    const capacity = this.offsets.length * 2;
    const offsets = new Int32Array(capacity + 1);
    offsets.set(this.offsets);
    this.offsets = offsets;
    const hashes = new Int32Array(capacity);
    hashes.set(this.hashes);
    this.hashes = hashes;
  }

  private rehash() {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let code = 0; code < this.values.length; code++) {
      let slot = this.hashes[code] & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = code + 1;
    }
    this.slots = slots;
  }
}

function grow(bytes: Uint8Array, needed: number): Uint8Array {
  let capacity = bytes.length * 2;
  while (capacity < needed) capacity *= 2;
  const grown = new Uint8Array(capacity);
  grown.set(bytes);
  return grown;
}

export class StringDictionary {
  readonly values: string[] = [];
  private readonly codes = new Map<string, number>();

  get size(): number {
    return this.values.length;
  }

  code(value: string): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.codes.set(value, code);
      this.values.push(value);
    }
    return code;
  }
}
