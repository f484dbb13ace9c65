/**
 * Types at the protocol boundary: what the decoder produces and what
 * handlers return for the encoder.
 *
 * @module
 */

/**
 * One decoded command: its words as latin1 strings (one char per byte), so
 * any byte sequence survives unchanged.
 */
export type Argv = string[];

/**
 * A reply value. Plain JavaScript values cover the common cases without an
 * allocation: a string or Uint8Array is a bulk string, a number or bigint an
 * integer, `null` a null bulk string, an array an array. Every other RESP
 * type is a `ReplyNode`.
 */
export type Reply =
  | string
  | Uint8Array
  | number
  | bigint
  | null
  | readonly Reply[]
  | ReplyNode;

/** The RESP types that need a tag; the encoder downgrades them for RESP2 clients. */
export type ReplyNode =
  /** `+OK`; `bytes` caches the encoding of constant replies. */
  | { readonly kind: "simple"; readonly text: string }
  /** `-ERR ...` inside another reply (EXEC); top-level errors are thrown. */
  | { readonly kind: "error"; readonly line: string }
  /**
   * RESP3 `,1.5`; a bulk string in RESP2. Printed `%.17g` unless `text`
   * gives the digits (GEOPOS coordinates are printed `%.17Lf`).
   */
  | { readonly kind: "double"; readonly value: number; readonly text?: string }
  /** RESP3 `%`: flat `[k1, v1, k2, v2, ...]`; a flat array in RESP2. */
  | { readonly kind: "map"; readonly entries: readonly Reply[] }
  /** RESP3 `~`; an array in RESP2. */
  | { readonly kind: "set"; readonly items: readonly Reply[] }
  /** RESP3 `#t`; the integer 1 or 0 in RESP2. */
  | { readonly kind: "bool"; readonly value: boolean }
  /** RESP3 `(`; a bulk string in RESP2. */
  | { readonly kind: "bignum"; readonly text: string }
  /** RESP3 `=txt:...`; a bulk string of the text in RESP2. */
  | {
    readonly kind: "verbatim";
    readonly format: string;
    readonly text: string;
  }
  /** RESP3 `>`; an array in RESP2 (pub/sub messages). */
  | { readonly kind: "push"; readonly items: readonly Reply[] }
  /** RESP2 `*-1` (a null array); `_` in RESP3. */
  | { readonly kind: "nullArray" }
  /** RESP3 `|` attribute followed by its value; RESP2 clients see only the value. */
  | {
    readonly kind: "attribute";
    readonly entries: readonly Reply[];
    readonly value: Reply;
  }
  /**
   * Pairs such as member/score from a flat `[a1, b1, a2, b2]` list: a flat
   * array in RESP2, an array of two-element arrays in RESP3 (ZRANGE
   * WITHSCORES, HRANDFIELD WITHVALUES).
   */
  | { readonly kind: "pairs"; readonly items: readonly Reply[] }
  /** Several frames written back to back (SUBSCRIBE a b answers with one push per channel). */
  | { readonly kind: "sequence"; readonly items: readonly Reply[] }
  /** Nothing is sent (the client is blocked, or replies are switched off). */
  | { readonly kind: "none" };

/** The RESP protocol version a client speaks. */
export type Protocol = 2 | 3;
