/**
 * Writes the bodies of the flexible-version requests kafkatop encodes itself for the Kafka 4 group and
 * quorum APIs (list-groups.ts, consumer-group-describe.ts, share-groups.ts, describe-quorum.ts). These are
 * a few per coordinator per refresh, each a list of group ids at most: one buffer that grows by doubling,
 * not a Buffer per field. OffsetFetch v8 keeps its own sized-first writer (offset-fetch.ts), as it did.
 */
export class FlexibleWriter {
  private out: Buffer;
  private at = 0;

  constructor(sizeHint = 64) {
    this.out = Buffer.allocUnsafe(sizeHint);
  }

  private room(length: number): void {
    if (this.at + length <= this.out.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.at + length));
    this.out.copy(grown, 0, 0, this.at);
    this.out = grown;
  }

  uvarint(value: number): this {
    this.room(5);
    let v = value >>> 0;
    while (v >= 0x80) {
      this.out[this.at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.out[this.at++] = v;
    return this;
  }

  bool(value: boolean): this {
    this.room(1);
    this.out[this.at++] = value ? 1 : 0;
    return this;
  }

  int32(value: number): this {
    this.room(4);
    this.at = this.out.writeInt32BE(value, this.at);
    return this;
  }

  /** An empty tagged-field section (kafkatop sends no tagged fields). */
  tags(): this {
    return this.uvarint(0);
  }

  compactString(value: string): this {
    const length = Buffer.byteLength(value, 'utf8');
    this.uvarint(length + 1);
    this.room(length);
    this.at += this.out.write(value, this.at, length, 'utf8');
    return this;
  }

  /** COMPACT_ARRAY of COMPACT_STRING; null writes a null array (for the schema's nullable arrays). */
  compactStrings(values: readonly string[] | null): this {
    if (values === null) return this.uvarint(0);
    this.uvarint(values.length + 1);
    for (const value of values) this.compactString(value);
    return this;
  }

  /** The bytes written so far (a view: write no more after this). */
  done(): Buffer {
    return this.out.subarray(0, this.at);
  }
}
