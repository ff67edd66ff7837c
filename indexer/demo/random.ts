// Seeded randomness for the demo network and the synthetic job lines: the same seed gives the same
// data on every machine (no Math.random). Each generator draws from its own stream of a seed.

/** murmur3's finaliser: spreads nearby seeds (42, 43) into unrelated PRNG states. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Random {
  protected state: number;

  constructor(seed: number, stream: number) {
    this.state = mix32(mix32(seed) ^ Math.imul(stream + 1, 0x9e3779b1));
  }

  /** mulberry32: tiny, fast, and good enough for synthetic data. */
  float(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  int(below: number): number {
    return Math.floor(this.float() * below);
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  /** Log-normal noise with mean 1, so it scales a target without biasing it. */
  noise(sigma: number): number {
    return Math.exp(sigma * this.normal() - (sigma * sigma) / 2);
  }

  logUniform(min: number, max: number): number {
    return min * Math.exp(this.float() * Math.log(max / min));
  }

  hex(chars: number): string {
    let out = "";
    while (out.length < chars) out += (this.int(2 ** 32) >>> 0).toString(16).padStart(8, "0");
    return out.slice(0, chars);
  }

  /** Integer with up to 18 random decimal digits (two draws: a float has only 53 bits). */
  digits18(): bigint {
    return BigInt(this.int(1e9)) * 1_000_000_000n + BigInt(this.int(1e9));
  }

  /** Index drawn in proportion to its weight; zero weights are never drawn. */
  weighted(weights: readonly number[]): number {
    let remaining = this.float() * weights.reduce((sum, w) => sum + w, 0);
    let lastPositive = -1;
    for (let i = 0; i < weights.length; i++) {
      if (weights[i] <= 0) continue;
      lastPositive = i;
      remaining -= weights[i];
      if (remaining < 0) return i;
    }
    return lastPositive; // only reached through float rounding
  }
}
