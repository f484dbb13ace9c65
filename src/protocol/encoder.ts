/**
 * RESP encoder: appends replies into one growable buffer per connection so a
 * whole batch of pipelined replies goes out in a single write.
 *
 * RESP3-only types are downgraded for RESP2 clients exactly as Redis does.
 *
 * @module
 */
import { writeLatin1 } from "../util/bytes.ts";
import { formatG17 } from "../util/number.ts";
import type { Protocol, Reply, ReplyNode } from "./types.ts";

const INITIAL_SIZE = 16 * 1024;
const CRLF = 0x0d0a;

/** A growable output buffer that RESP replies are appended to. */
export class RespWriter {
  /** The bytes written so far are `buf[0..length)`. */
  buf: Uint8Array;
  length = 0;

  /** `size` is the initial capacity. */
  constructor(size = INITIAL_SIZE) {
    this.buf = new Uint8Array(size);
  }

  /** Forgets what was written, keeping the buffer (shrinking one that grew huge). */
  reset(): void {
    this.length = 0;
    if (this.buf.length > 1024 * 1024) this.buf = new Uint8Array(INITIAL_SIZE);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    const need = this.length + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  /** Appends raw bytes. */
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** Appends an ASCII/latin1 string as bytes. */
  ascii(s: string): void {
    this.ensure(s.length);
    this.length += writeLatin1(s, this.buf, this.length);
  }

  /** Appends `<prefix><n>\r\n`, e.g. `$5\r\n` or `:42\r\n`. */
  header(prefix: number, n: number): void {
    this.ensure(24);
    const buf = this.buf;
    let pos = this.length;
    buf[pos++] = prefix;
    if (n < 0) {
      buf[pos++] = 45; // '-'
      n = -n;
    }
    if (n < 10) {
      buf[pos++] = 48 + n;
    } else if (n < 100) {
      buf[pos++] = 48 + ((n / 10) | 0);
      buf[pos++] = 48 + (n % 10);
    } else if (n <= 0x7fffffff) {
      let digits = 3;
      for (let t = 1000; t <= n; t *= 10) digits++;
      let end = pos + digits;
      for (let v = n; end > pos;) {
        buf[--end] = 48 + (v % 10);
        v = (v / 10) | 0;
      }
      pos += digits;
    } else {
      const s = String(n);
      for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
    }
    buf[pos++] = 13;
    buf[pos++] = 10;
    this.length = pos;
  }

  /** Appends a bulk string. */
  bulk(v: string | Uint8Array): void {
    const len = v.length;
    this.header(36, len); // '$'
    this.ensure(len + 2);
    if (typeof v === "string") writeLatin1(v, this.buf, this.length);
    else this.buf.set(v, this.length);
    this.length += len;
    this.crlf();
  }

  /** Appends `\r\n`. */
  crlf(): void {
    this.ensure(2);
    this.buf[this.length++] = CRLF >> 8;
    this.buf[this.length++] = CRLF & 0xff;
  }

  /** Appends a simple line: `<prefix><text>\r\n`. */
  line(prefix: number, text: string): void {
    this.ensure(text.length + 3);
    this.buf[this.length++] = prefix;
    this.length += writeLatin1(text, this.buf, this.length);
    this.crlf();
  }

  /** The written bytes (a view, valid until the next write). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** Appends `reply` to `w`, encoded for protocol `proto`. */
export function writeReply(w: RespWriter, reply: Reply, proto: Protocol): void {
  switch (typeof reply) {
    case "string":
      w.bulk(reply);
      return;
    case "number":
      if (
        Number.isSafeInteger(reply) && reply <= 0x7fffffff &&
        reply >= -0x7fffffff
      ) {
        w.header(58, reply); // ':'
      } else {
        w.line(58, String(reply));
      }
      return;
    case "bigint":
      w.line(58, String(reply));
      return;
    case "object":
      break;
    default:
      throw new TypeError(`Cannot encode a reply of type ${typeof reply}`);
  }
  if (reply === null) {
    if (proto === 3) w.line(95, ""); // '_'
    else w.ascii("$-1\r\n");
    return;
  }
  if (reply instanceof Uint8Array) {
    w.bulk(reply);
    return;
  }
  if (Array.isArray(reply)) {
    const arr = reply as readonly Reply[];
    w.header(42, arr.length); // '*'
    for (let i = 0; i < arr.length; i++) writeReply(w, arr[i]!, proto);
    return;
  }
  writeNode(w, reply as ReplyNode, proto);
}

function writeNode(w: RespWriter, node: ReplyNode, proto: Protocol): void {
  switch (node.kind) {
    case "simple":
      w.line(43, node.text); // '+'
      return;
    case "error":
      w.line(45, node.line); // '-'
      return;
    case "double": {
      const text = node.text ?? formatG17(node.value);
      if (proto === 3) w.line(44, text); // ','
      else w.bulk(text);
      return;
    }
    case "map": {
      const e = node.entries;
      if (proto === 3) w.header(37, e.length / 2); // '%'
      else w.header(42, e.length);
      for (let i = 0; i < e.length; i++) writeReply(w, e[i]!, proto);
      return;
    }
    case "set":
      w.header(proto === 3 ? 126 : 42, node.items.length); // '~'
      for (const item of node.items) writeReply(w, item, proto);
      return;
    case "push":
      w.header(proto === 3 ? 62 : 42, node.items.length); // '>'
      for (const item of node.items) writeReply(w, item, proto);
      return;
    case "bool":
      if (proto === 3) w.line(35, node.value ? "t" : "f"); // '#'
      else w.header(58, node.value ? 1 : 0);
      return;
    case "bignum":
      if (proto === 3) w.line(40, node.text); // '('
      else w.bulk(node.text);
      return;
    case "verbatim":
      if (proto === 3) {
        w.header(61, node.text.length + 4); // '='
        w.ascii(node.format);
        w.ascii(":");
        w.ascii(node.text);
        w.crlf();
      } else {
        w.bulk(node.text);
      }
      return;
    case "nullArray":
      if (proto === 3) w.line(95, "");
      else w.ascii("*-1\r\n");
      return;
    case "attribute":
      if (proto === 3) {
        w.header(124, node.entries.length / 2); // '|'
        for (const e of node.entries) writeReply(w, e, proto);
      }
      writeReply(w, node.value, proto);
      return;
    case "pairs": {
      const items = node.items;
      if (proto === 2) {
        w.header(42, items.length);
        for (let i = 0; i < items.length; i++) writeReply(w, items[i]!, proto);
      } else {
        w.header(42, items.length / 2);
        for (let i = 0; i < items.length; i += 2) {
          w.header(42, 2);
          writeReply(w, items[i]!, proto);
          writeReply(w, items[i + 1]!, proto);
        }
      }
      return;
    }
    case "sequence":
      for (const item of node.items) writeReply(w, item, proto);
      return;
    case "none":
      return;
  }
}

/** Encodes one reply to a new byte array (tests, one-off messages). */
export function encodeReply(reply: Reply, proto: Protocol): Uint8Array {
  const w = new RespWriter(256);
  writeReply(w, reply, proto);
  return w.view().slice();
}
