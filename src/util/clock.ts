/**
 * Time and randomness sources, injected so tests can control them and so
 * commands never read the system clock or `Math.random` directly.
 *
 * @module
 */

/** A source of Unix time in milliseconds. */
export interface Clock {
  /** Current Unix time in milliseconds. */
  now(): number;
}

/** The real clock. */
export const systemClock: Clock = { now: Date.now };

/** A clock that only moves when told to, for tests. */
export class ManualClock implements Clock {
  #now: number;

  /** Starts at `start` ms (default: the real current time). */
  constructor(start = Date.now()) {
    this.#now = start;
  }

  /** The frozen time. */
  now(): number {
    return this.#now;
  }

  /** Moves the clock forward by `ms`. */
  advance(ms: number): void {
    this.#now += ms;
  }
}

/** A source of random numbers. */
export interface Random {
  /** A uniformly random integer in [0, n). */
  int(n: number): number;
  /** A uniformly random float in [0, 1). */
  float(): number;
}

/** Randomness from `Math.random`. */
export const systemRandom: Random = {
  int(n: number): number {
    return Math.floor(Math.random() * n);
  },
  float: Math.random,
};
