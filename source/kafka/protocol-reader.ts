/**
 * Reads Kafka protocol primitives from a response payload, for the responses kafkatop decodes itself
 * (offset-fetch.ts, list-offsets.ts, and the Kafka 4 group and quorum APIs). Bounds-checked: a truncated or garbled response fails the request
 * instead of yielding undefined or garbage.
 */
export class ProtocolReader {
  private offset = 0;

  /** `response` names the response in errors, e.g. "OffsetFetch v8 response". */
  constructor(
    private readonly buffer: Buffer,
    private readonly response: string,
  ) {}

  /** Fails unless every byte was read. */
  end(): void {
    const left = this.buffer.length - this.offset;
    if (left !== 0) throw new Error(`${this.response}: ${left} bytes left over`);
  }

  private take(length: number): number {
    if (length < 0 || this.offset + length > this.buffer.length) {
      throw new Error(`${this.response} truncated at byte ${this.offset} (wanted ${length} more)`);
    }
    const at = this.offset;
    this.offset += length;
    return at;
  }

  /** How many bytes were read so far. */
  offsetNow(): number {
    return this.offset;
  }

  skip(length: number): void {
    this.take(length);
  }

  int8(): number {
    return this.buffer.readInt8(this.take(1));
  }

  /** BOOLEAN: one byte, anything but 0 is true (as Kafka reads it). */
  bool(): boolean {
    return this.buffer[this.take(1)] !== 0;
  }

  uint16(): number {
    return this.buffer.readUInt16BE(this.take(2));
  }

  int16(): number {
    return this.buffer.readInt16BE(this.take(2));
  }

  int32(): number {
    return this.buffer.readInt32BE(this.take(4));
  }

  /**
   * INT64 as a number, without the BigInt `readBigInt64BE` allocates (one per partition per refresh):
   * exact below 2^53, as offsets are, and rounded once beyond it, as Number(bigint) rounds.
   */
  int64(): number {
    const at = this.take(8);
    return this.buffer.readInt32BE(at) * 2 ** 32 + this.buffer.readUInt32BE(at + 4);
  }

  /** UUID (16 bytes) as Kafka prints it: URL-safe base64 without padding, e.g. a topic id. */
  uuid(): string {
    const at = this.take(16);
    return this.buffer.toString('base64url', at, at + 16);
  }

  uvarint(): number {
    let result = 0;
    for (let shift = 0; shift <= 28; shift += 7) {
      const byte = this.buffer[this.take(1)]!;
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
    }
    throw new Error(`${this.response}: varint longer than 5 bytes`);
  }

  /** STRING: INT16 length, then UTF-8. */
  string(): string {
    const length = this.int16();
    const at = this.take(length);
    return this.buffer.toString('utf8', at, at + length);
  }

  compactNullableString(): string | null {
    const length = this.uvarint();
    if (length === 0) return null;
    const at = this.take(length - 1);
    return this.buffer.toString('utf8', at, at + length - 1);
  }

  compactString(): string {
    const value = this.compactNullableString();
    if (value === null) throw new Error(`${this.response}: null where a string is required`);
    return value;
  }

  compactArray<T>(item: (input: ProtocolReader) => T): T[] {
    const length = this.uvarint();
    // Null (0) only where the schema allows it, and it does not here: read it as empty.
    const items: T[] = [];
    for (let i = 0; i < length - 1; i++) items.push(item(this));
    return items;
  }

  /** COMPACT_ARRAY of INT32, e.g. a topic's partitions in an assignment. */
  compactInt32Array(): number[] {
    const length = this.uvarint();
    const items: number[] = [];
    for (let i = 0; i < length - 1; i++) items.push(this.int32());
    return items;
  }

  /** COMPACT_ARRAY of COMPACT_STRING, e.g. a member's subscribed topic names. */
  compactStringArray(): string[] {
    const length = this.uvarint();
    const items: string[] = [];
    for (let i = 0; i < length - 1; i++) items.push(this.compactString());
    return items;
  }

  skipTaggedFields(): void {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint(); // tag
      this.take(this.uvarint()); // size, then the field itself
    }
  }
}
