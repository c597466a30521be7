/**
 * Deterministic randomness for the data generator: a small, fast PRNG (sfc32) seeded from integers, and identifiers
 * derived by hashing (seed, district, table, counter), so that the same seed gives byte-identical data without
 * depending on Math.random, the clock or the order of anything but the generator's own loops.
 */

/** 32-bit finaliser of MurmurHash3: spreads every input bit over the output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes a list of integers (taken modulo 2^32) into one 32-bit value. */
export function hash32(...values: number[]): number {
  let h = 0x9e3779b9 ^ values.length;
  for (const value of values) {
    h = Math.imul(h ^ fmix32(value >>> 0), 0x01000193) >>> 0;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) >>> 0;
  }
  return fmix32(h);
}

/** Hashes a string into a 32-bit value (FNV-1a, then mixed). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return fmix32(h >>> 0);
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex32 = (w: number) => HEX[w >>> 24] + HEX[(w >>> 16) & 255] + HEX[(w >>> 8) & 255] + HEX[w & 255];
const hex16 = (w: number) => HEX[(w >>> 8) & 255] + HEX[w & 255];

/**
 * A UUID in version-4 format whose 122 bits are a hash of (seed, district, table, n): the same inputs always give
 * the same id, different inputs practically never collide, and no state is needed to make one.
 */
export function uuidOf(seed: number, district: number, table: number, n: number): string {
  // Four independent 32-bit hashes (the lane goes first, so that their states differ from the start): a collision
  // needs all four to collide at once.
  const w0 = hash32(0x243f6a88, seed, district, table, n);
  const w1 = ((hash32(0x85a308d3, seed, district, table, n) & 0xffff0fff) | 0x00004000) >>> 0;
  const w2 = ((hash32(0x13198a2e, seed, district, table, n) & 0x3fffffff) | 0x80000000) >>> 0;
  const w3 = hash32(0x03707344, seed, district, table, n);
  return `${hex32(w0)}-${hex16(w1 >>> 16)}-${hex16(w1)}-${hex16(w2 >>> 16)}-${hex16(w2)}${hex32(w3)}`;
}

/** A pick from weighted items, prepared once (cumulative weights, binary search). */
export class Weighted<T> {
  private readonly cumulative: number[];
  private readonly items: T[];
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    this.items = entries.map(([item]) => item);
    let sum = 0;
    this.cumulative = entries.map(([, weight]) => (sum += weight));
    this.total = sum;
    if (!(sum > 0)) throw new Error('Weighted: weights must add up to more than 0');
  }

  pick(random: Random): T {
    const x = random.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo];
  }
}

/** sfc32: a fast 32-bit PRNG with a 128-bit state; good enough for test data, fully deterministic. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** A stream of its own for every distinct list of integers (seed, district, purpose, ...). */
  constructor(...stream: number[]) {
    this.a = hash32(0xa4093822, ...stream);
    this.b = hash32(0x299f31d0, ...stream);
    this.c = hash32(0x082efa98, ...stream);
    this.d = hash32(0xec4e6c89, ...stream) | 1;
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

  /** Uniform integer in [min, max] (both included). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Normal distribution (Box-Muller). */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and shape (sigma of the underlying normal). */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(this.normal(0, sigma));
  }

  /** Poisson-distributed count (Knuth for small means, a rounded normal for large ones). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 40) return Math.max(0, Math.round(this.normal(mean, Math.sqrt(mean))));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** A copy of `items` in random order (Fisher-Yates). */
  shuffled<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }

  /** `count` distinct items, drawn by weight without replacement. */
  sample<T>(entries: readonly (readonly [T, number])[], count: number): T[] {
    const pool = [...entries];
    const result: T[] = [];
    while (result.length < count && pool.length) {
      const total = pool.reduce((sum, [, weight]) => sum + weight, 0);
      let x = this.next() * total;
      let index = 0;
      while (index < pool.length - 1 && x >= pool[index][1]) x -= pool[index++][1];
      result.push(pool[index][0]);
      pool.splice(index, 1);
    }
    return result;
  }
}
