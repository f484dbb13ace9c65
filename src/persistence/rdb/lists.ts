/**
 * List values: read from every list encoding Redis has written (type 1
 * linked list, 10 ziplist, 14 quicklist of ziplists, 18 quicklist of
 * listpacks and plain nodes), written as type 18 with the nodes Redis 7.0
 * would hold after pushing the elements to the tail one by one.
 *
 * @module
 */
import { latin1Slice } from "../../util/bytes.ts";
import { ListValue } from "../../store/list_value.ts";
import type { ByteReader, ByteWriter } from "./bytes.ts";
import {
  ListpackBuilder,
  ListpackIterator,
  validateListpack,
} from "./listpack.ts";
import { lzfCompress } from "./lzf.ts";
import type { RdbReadOptions } from "./reader.ts";
import {
  QUICKLIST_NODE_CONTAINER_PACKED,
  QUICKLIST_NODE_CONTAINER_PLAIN,
  RDB_TYPE_LIST,
  RDB_TYPE_LIST_QUICKLIST,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_LIST_ZIPLIST,
} from "./types.ts";
import type { RdbWriteOptions } from "./writer.ts";
import { ziplistEntries } from "./ziplist.ts";

/** Redis's default quicklist packed threshold: elements this big get plain nodes. */
export const DEFAULT_PACKED_THRESHOLD = 1 << 30;

// quicklist.c: the node size limits of list-max-listpack-size -1 .. -5, the
// hard limit for count-limited nodes, and the estimate of an entry's overhead.
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];
const SIZE_SAFETY_LIMIT = 8192;
const SIZE_ESTIMATE_OVERHEAD = 8;
const FILL_MAX = (1 << 15) - 1;
// Nodes compressed in memory (list-compress-depth) must be this big and
// shrink by more than MIN_COMPRESS_IMPROVE bytes.
const MIN_COMPRESS_BYTES = 48;
const MIN_COMPRESS_IMPROVE = 8;

/**
 * Reads a list of RDB type `type`. Returns undefined for an empty list
 * (Redis skips those in files and refuses them in RESTORE).
 */
export function readList(
  r: ByteReader,
  type: number,
  opts: RdbReadOptions,
): ListValue | undefined {
  const list = new ListValue();
  switch (type) {
    case RDB_TYPE_LIST: {
      const len = r.length();
      for (let i = 0; i < len; i++) list.pushBack(r.string());
      break;
    }
    case RDB_TYPE_LIST_ZIPLIST:
      for (const e of ziplistAt(r)) list.pushBack(e);
      break;
    case RDB_TYPE_LIST_QUICKLIST:
    case RDB_TYPE_LIST_QUICKLIST_2: {
      const nodes = r.length();
      for (let n = 0; n < nodes; n++) {
        let container = QUICKLIST_NODE_CONTAINER_PACKED;
        if (type === RDB_TYPE_LIST_QUICKLIST_2) {
          const at = r.offset;
          container = r.length();
          if (
            container !== QUICKLIST_NODE_CONTAINER_PACKED &&
            container !== QUICKLIST_NODE_CONTAINER_PLAIN
          ) {
            r.fail("Quicklist integrity check failed.", at);
          }
        }
        const at = r.offset;
        const data = r.blob();
        if (data.length === 0) r.fail("Empty quicklist node", at);
        if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
          list.pushBack(latin1Slice(data, 0, data.length));
        } else if (type === RDB_TYPE_LIST_QUICKLIST_2) {
          if (!validateListpack(data, opts.deep ?? false)) {
            r.fail("Listpack integrity check failed.", at);
          }
          const it = new ListpackIterator(data);
          try {
            while (it.hasNext()) list.pushBack(it.next());
          } catch (e) {
            r.fail(
              `Listpack integrity check failed: ${(e as Error).message}`,
              at,
            );
          }
        } else {
          for (const e of ziplistOrFail(r, data, at)) list.pushBack(e);
        }
      }
      break;
    }
    default:
      r.fail(`Unknown list type ${type}`);
  }
  return list.length === 0 ? undefined : list;
}

function ziplistAt(r: ByteReader): string[] {
  const at = r.offset;
  return ziplistOrFail(r, r.blob(), at);
}

function ziplistOrFail(r: ByteReader, data: Uint8Array, at: number): string[] {
  try {
    return ziplistEntries(data);
  } catch (e) {
    r.fail(`Ziplist integrity check failed: ${(e as Error).message}`, at);
  }
}

/** One node of a quicklist as Redis would hold it. */
interface Node {
  /** A listpack (packed node) or the element itself (plain node). */
  readonly bytes: Uint8Array;
  readonly plain: boolean;
}

function clampFill(fill: number): number {
  return fill > FILL_MAX ? FILL_MAX : fill < -5 ? -5 : fill;
}

// _quicklistNodeAllowInsert: may an element of `sz` bytes join a packed
// node of `nodeBytes` bytes and `count` entries?
function allowInsert(
  nodeBytes: number,
  count: number,
  sz: number,
  fill: number,
): boolean {
  const newSz = nodeBytes + sz + SIZE_ESTIMATE_OVERHEAD;
  if (fill < 0 && newSz <= OPTIMIZATION_LEVEL[-fill - 1]!) return true;
  if (newSz > SIZE_SAFETY_LIMIT) return false;
  return count < fill;
}

/**
 * The nodes quicklistPushTail builds from `list`'s elements under
 * `list-max-listpack-size` `fill`: packed listpacks, and a plain node for
 * every element of `packedThreshold` bytes or more.
 */
export function quicklistNodes(
  list: ListValue,
  fill: number,
  packedThreshold: number,
): Node[] {
  fill = clampFill(fill);
  const nodes: Node[] = [];
  let b: ListpackBuilder | undefined;
  list.scan(0, false, (el) => {
    const sz = el.length;
    if (sz >= packedThreshold) {
      if (b !== undefined) nodes.push({ bytes: b.finish(), plain: false });
      b = undefined;
      const bytes = new Uint8Array(sz);
      for (let i = 0; i < sz; i++) bytes[i] = el.charCodeAt(i);
      nodes.push({ bytes, plain: true });
      return;
    }
    if (b === undefined || !allowInsert(b.byteLength, b.count, sz, fill)) {
      if (b !== undefined) nodes.push({ bytes: b.finish(), plain: false });
      b = new ListpackBuilder();
    }
    b.append(el);
  });
  if (b !== undefined) nodes.push({ bytes: b.finish(), plain: false });
  return nodes;
}

/**
 * Writes `list` as the payload of RDB type 18 (LIST_QUICKLIST_2): its nodes
 * as Redis 7.0 would hold them, the ones list-compress-depth keeps
 * compressed in memory written as their LZF blobs, the others as strings
 * (LZF when rdbcompression allows it).
 */
export function writeList(
  w: ByteWriter,
  list: ListValue,
  opts: RdbWriteOptions,
): void {
  const nodes = quicklistNodes(
    list,
    opts.limits.listMaxListpackSize,
    opts.packedThreshold ?? DEFAULT_PACKED_THRESHOLD,
  );
  const depth = opts.limits.listCompressDepth;
  const n = nodes.length;
  w.length(n);
  for (let i = 0; i < n; i++) {
    const node = nodes[i]!;
    w.length(
      node.plain
        ? QUICKLIST_NODE_CONTAINER_PLAIN
        : QUICKLIST_NODE_CONTAINER_PACKED,
    );
    const bytes = node.bytes;
    if (depth > 0 && n > 2 * depth && i >= depth && i < n - depth) {
      // __quicklistCompressNode: lzf_compress with room for the whole node.
      if (bytes.length >= MIN_COMPRESS_BYTES) {
        const packed = lzfCompress(bytes, bytes.length);
        if (
          packed !== undefined &&
          packed.length + MIN_COMPRESS_IMPROVE < bytes.length
        ) {
          w.lzf(packed, bytes.length);
          continue;
        }
      }
    }
    // rdbSaveRawString: a plain node's element may be integer-encoded.
    if (node.plain) w.string(bytes);
    else w.blob(bytes);
  }
}
