import { normalize, type StageFigures } from '@exchange/domain';

/** A small seeded PRNG (mulberry32): the same seed gives the same chain figures on any machine. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A random (version 4 layout) UUID drawn from this generator. */
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => this.int(0, 15).toString(16));
    hex[12] = '4';
    hex[16] = (8 + this.int(0, 3)).toString(16);
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }

  /** A normalized decimal with `places` decimals in [0, max). */
  decimal(max: number, places: number): string {
    const scale = 10 ** places;
    const units = this.int(0, max * scale - 1);
    const whole = Math.floor(units / scale);
    const fraction = String(units % scale).padStart(places, '0');
    return normalize(places === 0 ? String(whole) : `${whole}.${fraction}`);
  }

  /** Own emissions of one footprint, kg CO2e per declared unit, 3 decimals per stage. */
  ownFigures(): StageFigures {
    return {
      rawMaterialAcquisition: this.decimal(10, 3),
      mainProduction: this.decimal(10, 3),
      distribution: this.decimal(2, 3),
      endOfLife: this.decimal(1, 3),
    };
  }

  /** A BOM quantity in 0.1 .. 0.9: one decimal per tier keeps totals far below 40 significant digits. */
  quantity(): string {
    return `0.${this.int(1, 9)}`;
  }
}

/** A seed when none was given: fresh ids on every run. */
export const randomSeed = () => Math.floor(Math.random() * 2 ** 31);
