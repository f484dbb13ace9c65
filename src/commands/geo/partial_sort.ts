/**
 * A partial quicksort with Redis's exact sequence of comparisons and swaps.
 *
 * When GEORADIUS/GEOSEARCH return only COUNT of many results, Redis sorts
 * just the first COUNT positions with its `pqsort` (Bentley and McIlroy's
 * "Engineering a Sort Function" quicksort, as in BSD libc, skipping the
 * partitions that lie outside the wanted range; this older variant has no
 * switch to insertion sort after a partition without swaps). Results at equal
 * distances come out in the order that algorithm leaves them, so this
 * follows it step for step rather than using a stable sort.
 *
 * @module
 */

type Compare<T> = (a: T, b: T) => number;

function swap<T>(a: T[], i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

function swapRun<T>(a: T[], i: number, j: number, n: number): void {
  for (let k = 0; k < n; k++) swap(a, i + k, j + k);
}

function median3<T>(
  a: T[],
  i: number,
  j: number,
  k: number,
  cmp: Compare<T>,
): number {
  if (cmp(a[i]!, a[j]!) < 0) {
    if (cmp(a[j]!, a[k]!) < 0) return j;
    return cmp(a[i]!, a[k]!) < 0 ? k : i;
  }
  if (cmp(a[j]!, a[k]!) > 0) return j;
  return cmp(a[i]!, a[k]!) < 0 ? i : k;
}

function insertionSort<T>(
  a: T[],
  start: number,
  n: number,
  cmp: Compare<T>,
): void {
  for (let m = start + 1; m < start + n; m++) {
    for (let l = m; l > start && cmp(a[l - 1]!, a[l]!) > 0; l--) {
      swap(a, l, l - 1);
    }
  }
}

// True when positions [from, to] overlap the wanted positions [lo, hi].
function overlaps(from: number, to: number, lo: number, hi: number): boolean {
  return !((lo < from && hi < from) || (lo > to && hi > to));
}

function sortRange<T>(
  a: T[],
  start: number,
  n: number,
  cmp: Compare<T>,
  lo: number,
  hi: number,
): void {
  for (;;) {
    if (n < 7) {
      insertionSort(a, start, n, cmp);
      return;
    }
    let pm = start + Math.floor(n / 2);
    if (n > 7) {
      let pl = start;
      let pn = start + n - 1;
      if (n > 40) {
        const d = Math.floor(n / 8);
        pl = median3(a, pl, pl + d, pl + 2 * d, cmp);
        pm = median3(a, pm - d, pm, pm + d, cmp);
        pn = median3(a, pn - 2 * d, pn - d, pn, cmp);
      }
      pm = median3(a, pl, pm, pn, cmp);
    }
    swap(a, start, pm);
    let pa = start + 1;
    let pb = pa;
    let pc = start + n - 1;
    let pd = pc;
    for (;;) {
      let r: number;
      while (pb <= pc && (r = cmp(a[pb]!, a[start]!)) <= 0) {
        if (r === 0) {
          swap(a, pa, pb);
          pa++;
        }
        pb++;
      }
      while (pb <= pc && (r = cmp(a[pc]!, a[start]!)) >= 0) {
        if (r === 0) {
          swap(a, pc, pd);
          pd--;
        }
        pc--;
      }
      if (pb > pc) break;
      swap(a, pb, pc);
      pb++;
      pc--;
    }
    const pn = start + n;
    let r = Math.min(pa - start, pb - pa);
    swapRun(a, start, pb - r, r);
    r = Math.min(pd - pc, pn - pd - 1);
    swapRun(a, pb, pn - r, r);
    r = pb - pa;
    if (r > 1 && overlaps(start, start + r - 1, lo, hi)) {
      sortRange(a, start, r, cmp, lo, hi);
    }
    r = pd - pc;
    if (r <= 1) return;
    start = pn - r;
    n = r;
    if (!overlaps(start, start + n - 1, lo, hi)) return;
  }
}

/** Options of `partialSort`. */
export interface PartialSortOptions<T> {
  /** qsort-style comparison. */
  compare: Compare<T>;
  /** How many leading positions must end up sorted (at least 1). */
  count: number;
}

/**
 * Sorts `items` so that the first `count` positions hold what a full sort
 * would put there, exactly as Redis's `pqsort(items, ..., 0, count - 1)`.
 */
export function partialSort<T>(
  items: T[],
  options: PartialSortOptions<T>,
): void {
  sortRange(items, 0, items.length, options.compare, 0, options.count - 1);
}
