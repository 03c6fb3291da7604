/**
 * A small seeded PRNG for the synthetic dataset: the same keys give the same numbers on every
 * machine and Node version (integer arithmetic only; floats come from 32-bit integers).
 *
 * sfc32 (Chris Doty-Humphrey's "small fast counter", 128-bit state, passes PractRand well past the
 * few million numbers a patient stream draws), seeded by mixing integer keys with murmur3's
 * finaliser. One stream per patient, keyed by (seed, stream, index), so one patient's rows never
 * depend on how many numbers another patient drew.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(...keys: number[]) {
    let h = 0x9e3779b9;
    const state: number[] = [];
    for (let i = 0; i < 4; i++) {
      for (const key of keys) h = mix32(h ^ mix32((key | 0) + i * 0x85ebca6b));
      state.push(h);
    }
    [this.a, this.b, this.c, this.d] = state as [number, number, number, number];
    // Discard the first outputs: they still echo the seed's structure.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform whole number in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("Cannot pick from an empty list.");
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  }

  /** Normal deviate (Box–Muller). */
  normal(mean: number, sd: number): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A version-4 UUID (RFC 9562 layout) built from this stream, so ids are reproducible too. */
  uuid(): string {
    const w0 = this.uint32();
    const w1 = (this.uint32() & 0xffff0fff) | 0x00004000;
    const w2 = (this.uint32() & 0x3fffffff) | 0x80000000;
    const w3 = this.uint32();
    return (
      hex32(w0) +
      "-" +
      hex16(w1 >>> 16) +
      "-" +
      hex16(w1 & 0xffff) +
      "-" +
      hex16(w2 >>> 16) +
      "-" +
      hex16(w2 & 0xffff) +
      hex32(w3)
    );
  }

  /** `bytes` random bytes as lowercase hex. */
  hex(bytes: number): string {
    let out = "";
    for (let i = 0; i < bytes; i += 4) out += hex32(this.uint32());
    return out.slice(0, bytes * 2);
  }
}

/** murmur3 fmix32: a bijective 32-bit avalanche. */
function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const HEX_BYTE = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

function hex16(value: number): string {
  return (HEX_BYTE[(value >>> 8) & 0xff] as string) + (HEX_BYTE[value & 0xff] as string);
}

function hex32(value: number): string {
  return hex16(value >>> 16) + hex16(value & 0xffff);
}

/** A weighted choice, prepared once: pick() is a binary search over cumulative weights. */
export class Weighted<T> {
  private readonly items: T[] = [];
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    let total = 0;
    for (const [item, weight] of entries) {
      if (!(weight >= 0)) throw new RangeError(`Weights must be ≥ 0, got ${weight}.`);
      if (weight === 0) continue;
      total += weight;
      this.items.push(item);
      this.cumulative.push(total);
    }
    if (total === 0) throw new RangeError("A weighted choice needs at least one positive weight.");
    this.total = total;
  }

  pick(random: Random): T {
    const target = random.next() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.cumulative[middle] as number) > target) high = middle;
      else low = middle + 1;
    }
    return this.items[low] as T;
  }
}

/** A weighted choice from an object of weights, `weights({ A: 3, B: 1 })`; left-out keys are never picked. */
export function weights<K extends string>(table: Partial<Record<K, number>>): Weighted<K> {
  return new Weighted(Object.entries(table) as Array<[K, number]>);
}
