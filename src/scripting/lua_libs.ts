/**
 * The C libraries Redis links into its Lua (`bit`, `struct`, `cjson`,
 * `cmsgpack`), written as host functions with the behaviour of the
 * versions Redis 7.0 ships: LuaBitOp 1.0.2, struct 0.2 (64-bit `long`),
 * lua-cjson 2.1.0 and lua-cmsgpack 0.4.0. Strings are latin1 (one char per
 * byte) like everywhere else, so binary data round-trips.
 *
 * @module
 */
import {
  LUA_TBOOLEAN,
  LUA_TLIGHTUSERDATA,
  LUA_TNIL,
  LUA_TNONE,
  LUA_TNUMBER,
  LUA_TSTRING,
  LUA_TTABLE,
  type LuaState,
  type LuaVM,
} from "./engine.ts";

/** An error raised from a host function: the message gets Lua's `file:line:` prefix. */
export class LuaError extends Error {}

const TYPE_NAMES = [
  "nil",
  "boolean",
  "userdata",
  "number",
  "string",
  "table",
  "function",
  "userdata",
  "thread",
];

/** Lua's name for the type at `idx` (`lua_typename`). */
export function typeName(vm: LuaVM, L: LuaState, idx: number): string {
  const t = vm.type(L, idx);
  return t === LUA_TNONE ? "no value" : TYPE_NAMES[t]!;
}

/** `luaL_checknumber`. */
export function checkNumber(
  vm: LuaVM,
  L: LuaState,
  idx: number,
  fname: string,
): number {
  const n = vm.toNumber(L, idx);
  if (n === 0 && !vm.isNumber(L, idx)) {
    throw new LuaError(
      `bad argument #${idx} to '${fname}' (number expected, got ${
        typeName(vm, L, idx)
      })`,
    );
  }
  return n;
}

/** `luaL_checklstring`. */
export function checkString(
  vm: LuaVM,
  L: LuaState,
  idx: number,
  fname: string,
): string {
  const s = vm.toString(L, idx);
  if (s === undefined) {
    throw new LuaError(
      `bad argument #${idx} to '${fname}' (string expected, got ${
        typeName(vm, L, idx)
      })`,
    );
  }
  return s;
}

/** `luaL_checkint`: a number truncated toward zero to an int. */
function checkInt(vm: LuaVM, L: LuaState, idx: number, fname: string): number {
  return Math.trunc(checkNumber(vm, L, idx, fname)) | 0;
}

/** Registers `fns` in a new table stored as global `name`. */
function defineLibrary(
  vm: LuaVM,
  L: LuaState,
  name: string,
  fns: Record<string, (L: LuaState) => number>,
  extra?: () => void,
): void {
  vm.newTable(L);
  for (const [k, fn] of Object.entries(fns)) {
    vm.pushFunction(L, vm.registerFunction(fn));
    vm.setField(L, -2, k);
  }
  extra?.();
  vm.setGlobal(L, name);
}

// --- bit (LuaBitOp) ---------------------------------------------------------

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

// LuaBitOp's normalisation: add 2^52+2^51 and keep the low 32 bits.
function tobit(n: number): number {
  f64[0] = n + 6755399441055744.0;
  return u32[0]! | 0;
}

function installBit(vm: LuaVM, L: LuaState): void {
  const arg = (L: LuaState, i: number, f: string) =>
    tobit(checkNumber(vm, L, i, f));
  const fold =
    (f: string, op: (a: number, b: number) => number) => (L: LuaState) => {
      let r = arg(L, 1, f);
      const n = vm.getTop(L);
      for (let i = 2; i <= n; i++) r = op(r, arg(L, i, f));
      vm.pushNumber(L, r | 0);
      return 1;
    };
  const shift =
    (f: string, op: (a: number, b: number) => number) => (L: LuaState) => {
      const a = arg(L, 1, f);
      const b = arg(L, 2, f) & 31;
      vm.pushNumber(L, op(a, b) | 0);
      return 1;
    };
  defineLibrary(vm, L, "bit", {
    tobit: (L) => (vm.pushNumber(L, arg(L, 1, "tobit")), 1),
    bnot: (L) => (vm.pushNumber(L, ~arg(L, 1, "bnot")), 1),
    band: fold("band", (a, b) => a & b),
    bor: fold("bor", (a, b) => a | b),
    bxor: fold("bxor", (a, b) => a ^ b),
    lshift: shift("lshift", (a, b) => a << b),
    rshift: shift("rshift", (a, b) => a >>> b),
    arshift: shift("arshift", (a, b) => a >> b),
    rol: shift("rol", (a, b) => (a << b) | (a >>> (32 - b))),
    ror: shift("ror", (a, b) => (a >>> b) | (a << (32 - b))),
    bswap: (L) => {
      const b = arg(L, 1, "bswap");
      vm.pushNumber(
        L,
        ((b >>> 24) | ((b >> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24)) |
          0,
      );
      return 1;
    },
    tohex: (L) => {
      let b = arg(L, 1, "tohex");
      let n = vm.type(L, 2) <= LUA_TNIL
        ? 8
        : tobit(checkNumber(vm, L, 2, "tohex"));
      const upper = n < 0;
      if (upper) n = -n;
      if (n > 8) n = 8;
      const digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
      let s = "";
      for (let i = 0; i < n; i++) {
        s = digits[b & 15]! + s;
        b >>>= 4;
      }
      vm.pushString(L, s);
      return 1;
    },
  });
}

// --- struct -------------------------------------------------------------------

interface StructState {
  little: boolean;
  align: number;
}

const NATIVE_ALIGN = 8;

function installStruct(vm: LuaVM, L: LuaState): void {
  // Reads an optional size after a format letter.
  const getNum = (fmt: string, pos: { i: number }, def: number): number => {
    const c = fmt.charCodeAt(pos.i);
    if (!(c >= 48 && c <= 57)) return def;
    let a = 0;
    while (pos.i < fmt.length) {
      const d = fmt.charCodeAt(pos.i);
      if (d < 48 || d > 57) break;
      if (a > (2 ** 31 - 1) / 10) throw new LuaError("integral size overflow");
      a = a * 10 + d - 48;
      pos.i++;
    }
    return a;
  };
  const optSize = (opt: string, fmt: string, pos: { i: number }): number => {
    switch (opt) {
      case "B":
      case "b":
        return 1;
      case "H":
      case "h":
        return 2;
      case "L":
      case "l":
      case "T":
        return 8;
      case "f":
        return 4;
      case "d":
        return 8;
      case "x":
        return 1;
      case "c":
        return getNum(fmt, pos, 1);
      case "i":
      case "I": {
        const sz = getNum(fmt, pos, 4);
        if (sz > 8) {
          throw new LuaError(
            `integral size ${sz} is larger than limit of 8`,
          );
        }
        return sz;
      }
      default:
        return 0;
    }
  };
  const gotoAlign = (len: number, h: StructState, size: number): number => {
    if (size === 0 || opt0(size)) return 0;
    if (size > h.align) size = h.align;
    return (size - (len & (size - 1))) & (size - 1);
  };
  const opt0 = (_size: number) => false;
  const controlOptions = (
    opt: string,
    fmt: string,
    pos: { i: number },
    h: StructState,
    fname = "pack",
  ): void => {
    switch (opt) {
      case " ":
        return;
      case ">":
        h.little = false;
        return;
      case "<":
        h.little = true;
        return;
      case "!": {
        const a = getNum(fmt, pos, NATIVE_ALIGN);
        if ((a & (a - 1)) !== 0) {
          throw new LuaError(
            `bad argument #1 to '${fname}' (alignment ${a} is not a power of 2)`,
          );
        }
        h.align = a;
        return;
      }
      default:
        throw new LuaError(
          `bad argument #1 to '${fname}' (invalid format option '${opt}')`,
        );
    }
  };
  const putInteger = (
    out: number[],
    value: number,
    little: boolean,
    size: number,
  ): void => {
    let v = BigInt.asUintN(64, BigInt(Math.trunc(value)));
    const bytes: number[] = [];
    for (let i = 0; i < size; i++) {
      bytes.push(Number(v & 0xffn));
      v >>= 8n;
    }
    if (!little) bytes.reverse();
    out.push(...bytes);
  };
  const pack = (L: LuaState): number => {
    const fmt = checkString(vm, L, 1, "pack");
    const h: StructState = { little: true, align: 1 };
    const out: number[] = [];
    let arg = 2;
    const pos = { i: 0 };
    while (pos.i < fmt.length) {
      const opt = fmt[pos.i++]!;
      const size = optSize(opt, fmt, pos);
      const toalign = gotoAlign(out.length, h, size);
      for (let k = 0; k < toalign; k++) out.push(0);
      switch (opt) {
        case "b":
        case "B":
        case "h":
        case "H":
        case "l":
        case "L":
        case "T":
        case "i":
        case "I":
          putInteger(out, checkNumber(vm, L, arg++, "pack"), h.little, size);
          break;
        case "x":
          out.push(0);
          break;
        case "f":
        case "d": {
          const dv = new DataView(new ArrayBuffer(size));
          const n = checkNumber(vm, L, arg++, "pack");
          if (size === 4) dv.setFloat32(0, n, h.little);
          else dv.setFloat64(0, n, h.little);
          for (let k = 0; k < size; k++) out.push(dv.getUint8(k));
          break;
        }
        case "c":
        case "s": {
          const s = checkString(vm, L, arg, "pack");
          let l = s.length;
          let sz = size;
          if (sz === 0) sz = l;
          if (l < sz) {
            throw new LuaError(
              `bad argument #${arg} to 'pack' (string too short)`,
            );
          }
          for (let k = 0; k < sz; k++) out.push(s.charCodeAt(k));
          if (opt === "s") {
            out.push(0);
            l++;
          }
          arg++;
          break;
        }
        default:
          controlOptions(opt, fmt, pos, h);
      }
    }
    vm.pushString(L, String.fromCharCode(...out));
    return 1;
  };
  const unpack = (L: LuaState): number => {
    const fmt = checkString(vm, L, 1, "unpack");
    const data = checkString(vm, L, 2, "unpack");
    const ld = data.length;
    let p = vm.type(L, 3) <= LUA_TNIL ? 0 : checkInt(vm, L, 3, "unpack") - 1;
    if (p < 0) {
      throw new LuaError(
        "bad argument #3 to 'unpack' (offset must be 1 or greater)",
      );
    }
    const h: StructState = { little: true, align: 1 };
    let n = 0;
    const pos = { i: 0 };
    while (pos.i < fmt.length) {
      const opt = fmt[pos.i++]!;
      const size = optSize(opt, fmt, pos);
      p += gotoAlign(p, h, size);
      if (size > ld || p > ld - size) {
        throw new LuaError(
          "bad argument #2 to 'unpack' (data string too short)",
        );
      }
      // luaL_checkstack(L, 2, "too many results"): pushing past the Lua
      // stack's limit corrupts the VM.
      if (!vm.checkStack(L, 2)) {
        throw new LuaError("stack overflow (too many results)");
      }
      switch (opt) {
        case "b":
        case "B":
        case "h":
        case "H":
        case "l":
        case "L":
        case "T":
        case "i":
        case "I": {
          let v = 0n;
          for (let k = 0; k < size; k++) {
            const byte = data.charCodeAt(h.little ? p + size - 1 - k : p + k);
            v = (v << 8n) | BigInt(byte);
          }
          const signed = opt === "b" || opt === "h" || opt === "l" ||
            opt === "i";
          if (signed && size > 0) v = BigInt.asIntN(size * 8, v);
          vm.pushNumber(L, Number(v));
          n++;
          break;
        }
        case "x":
          break;
        case "f":
        case "d": {
          const dv = new DataView(new ArrayBuffer(size));
          for (let k = 0; k < size; k++) dv.setUint8(k, data.charCodeAt(p + k));
          vm.pushNumber(
            L,
            size === 4
              ? dv.getFloat32(0, h.little)
              : dv.getFloat64(0, h.little),
          );
          n++;
          break;
        }
        case "c": {
          let sz = size;
          if (sz === 0) {
            if (n === 0 || !vm.isNumber(L, -1)) {
              throw new LuaError("format 'c0' needs a previous size");
            }
            sz = vm.toNumber(L, -1);
            vm.pop(L, 1);
            n--;
            if (sz > ld || p > ld - sz) {
              throw new LuaError(
                "bad argument #2 to 'unpack' (data string too short)",
              );
            }
          }
          vm.pushString(L, data.slice(p, p + sz));
          n++;
          p += sz;
          continue;
        }
        case "s": {
          const e = data.indexOf("\0", p);
          if (e < 0) {
            throw new LuaError("unfinished string in data");
          }
          vm.pushString(L, data.slice(p, e));
          n++;
          p = e + 1;
          continue;
        }
        default:
          controlOptions(opt, fmt, pos, h, "unpack");
      }
      p += size;
    }
    vm.pushNumber(L, p + 1);
    return n + 1;
  };
  const size = (L: LuaState): number => {
    const fmt = checkString(vm, L, 1, "size");
    const h: StructState = { little: true, align: 1 };
    let total = 0;
    const pos = { i: 0 };
    while (pos.i < fmt.length) {
      const opt = fmt[pos.i++]!;
      const sz = optSize(opt, fmt, pos);
      total += gotoAlign(total, h, sz);
      if (opt === "s") {
        throw new LuaError("options 'c0' - 's' have undefined sizes");
      }
      if (opt === "c" && sz === 0) {
        throw new LuaError("options 'c0' - 's' have undefined sizes");
      }
      if (!"bBhHlLTiIxfdc".includes(opt)) {
        controlOptions(opt, fmt, pos, h, "size");
      }
      total += sz;
    }
    vm.pushNumber(L, total);
    return 1;
  };
  defineLibrary(vm, L, "struct", { pack, unpack, size });
}

// --- cjson --------------------------------------------------------------------

const JSON_ESCAPES: string[] = [];
for (let i = 0; i < 256; i++) {
  JSON_ESCAPES.push(
    i < 32 ? "\\u" + i.toString(16).padStart(4, "0") : String.fromCharCode(i),
  );
}
JSON_ESCAPES[8] = "\\b";
JSON_ESCAPES[9] = "\\t";
JSON_ESCAPES[10] = "\\n";
JSON_ESCAPES[12] = "\\f";
JSON_ESCAPES[13] = "\\r";
JSON_ESCAPES[34] = '\\"';
JSON_ESCAPES[47] = "\\/";
JSON_ESCAPES[92] = "\\\\";
JSON_ESCAPES[127] = "\\u007f";

interface CjsonConfig {
  sparseConvert: boolean;
  sparseRatio: number;
  sparseSafe: number;
  maxDepth: number;
  decodeMaxDepth: number;
  precision: number;
  encodeInvalid: boolean | "null";
  decodeInvalid: boolean;
}

function installCjson(vm: LuaVM, L: LuaState): void {
  const cfg: CjsonConfig = {
    sparseConvert: false,
    sparseRatio: 2,
    sparseSafe: 10,
    maxDepth: 1000,
    decodeMaxDepth: 1000,
    precision: 14,
    encodeInvalid: false,
    decodeInvalid: true,
  };
  const formatNumber = (L: LuaState, n: number): string => {
    if (cfg.precision === 14) {
      vm.pushNumber(L, n);
      const s = vm.toString(L, -1)!;
      vm.pop(L, 1);
      return s;
    }
    return formatG(n, cfg.precision);
  };
  const encodeValue = (
    L: LuaState,
    idx: number,
    depth: number,
    out: string[],
  ) => {
    const t = vm.type(L, idx);
    switch (t) {
      case LUA_TSTRING: {
        const s = vm.toString(L, idx)!;
        let r = '"';
        for (let i = 0; i < s.length; i++) r += JSON_ESCAPES[s.charCodeAt(i)]!;
        out.push(r + '"');
        return;
      }
      case LUA_TNUMBER: {
        const n = vm.toNumber(L, idx);
        if (!Number.isFinite(n)) {
          if (cfg.encodeInvalid === false) {
            throw new LuaError(
              "Cannot serialise number: must not be NaN or Inf",
            );
          }
          if (cfg.encodeInvalid === "null") {
            out.push("null");
            return;
          }
          out.push(n !== n ? "nan" : n > 0 ? "inf" : "-inf");
          return;
        }
        out.push(formatNumber(L, n));
        return;
      }
      case LUA_TBOOLEAN:
        out.push(vm.toBoolean(L, idx) ? "true" : "false");
        return;
      case LUA_TNIL:
        out.push("null");
        return;
      case LUA_TLIGHTUSERDATA:
        if (vm.toUserdata(L, idx) === 0) {
          out.push("null");
          return;
        }
        break;
      case LUA_TTABLE: {
        depth++;
        if (depth > cfg.maxDepth) {
          throw new LuaError(
            `Cannot serialise, excessive nesting (${depth})`,
          );
        }
        vm.checkStack(L, 4);
        const abs = idx < 0 ? vm.getTop(L) + idx + 1 : idx;
        const len = arrayLength(L, abs);
        if (len > 0 || (len === 0 && false)) {
          out.push("[");
          for (let i = 1; i <= len; i++) {
            if (i > 1) out.push(",");
            vm.rawGetI(L, abs, i);
            encodeValue(L, -1, depth, out);
            vm.pop(L, 1);
          }
          out.push("]");
          return;
        }
        out.push("{");
        let first = true;
        vm.pushNil(L);
        while (vm.next(L, abs)) {
          if (!first) out.push(",");
          first = false;
          const kt = vm.type(L, -2);
          if (kt === LUA_TSTRING) {
            encodeValue(L, -2, depth, out);
          } else if (kt === LUA_TNUMBER) {
            out.push('"' + formatNumber(L, vm.toNumber(L, -2)) + '"');
          } else {
            throw new LuaError(
              "Cannot serialise table: table key must be a number or string",
            );
          }
          out.push(":");
          encodeValue(L, -1, depth, out);
          vm.pop(L, 1);
        }
        out.push("}");
        return;
      }
    }
    throw new LuaError(
      `Cannot serialise ${TYPE_NAMES[t] ?? "userdata"}: type not supported`,
    );
  };
  // lua-cjson's lua_array_length: -1 when not an array; 0 for an empty table is an object.
  const arrayLength = (L: LuaState, idx: number): number => {
    let max = 0;
    let items = 0;
    vm.pushNil(L);
    while (vm.next(L, idx)) {
      if (vm.type(L, -2) === LUA_TNUMBER) {
        const k = vm.toNumber(L, -2);
        if (Number.isInteger(k) && k >= 1) {
          if (k > max) max = k;
          items++;
          vm.pop(L, 1);
          continue;
        }
      }
      vm.pop(L, 2);
      return -1;
    }
    if (
      cfg.sparseRatio > 0 && max > items * cfg.sparseRatio &&
      max > cfg.sparseSafe
    ) {
      if (!cfg.sparseConvert) {
        throw new LuaError(
          "Cannot serialise table: excessively sparse array",
        );
      }
      return -1;
    }
    return max;
  };
  const encode = (L: LuaState): number => {
    if (vm.getTop(L) !== 1) {
      throw new LuaError("bad argument #1 to 'encode' (expected 1 argument)");
    }
    const out: string[] = [];
    encodeValue(L, 1, 0, out);
    vm.pushString(L, out.join(""));
    return 1;
  };
  const decode = (L: LuaState): number => {
    if (vm.getTop(L) !== 1) {
      throw new LuaError("bad argument #1 to 'decode' (expected 1 argument)");
    }
    const s = checkString(vm, L, 1, "decode");
    new JsonDecoder(vm, L, s, cfg).decodeTop();
    return 1;
  };
  const configNumber = (
    L: LuaState,
    name: string,
    get: () => number,
    set: (v: number) => void,
    min: number,
    max: number,
  ) => {
    if (vm.type(L, 1) > LUA_TNIL) {
      const v = checkInt(vm, L, 1, name);
      if (v < min || v > max) {
        throw new LuaError(
          `bad argument #1 to '${name}' (expected integer between ${min} and ${max})`,
        );
      }
      set(v);
    }
    vm.pushNumber(L, get());
    return 1;
  };
  defineLibrary(vm, L, "cjson", {
    encode,
    decode,
    encode_sparse_array: (L) => {
      if (vm.type(L, 1) > LUA_TNIL) cfg.sparseConvert = vm.toBoolean(L, 1);
      if (vm.type(L, 2) > LUA_TNIL) {
        cfg.sparseRatio = checkInt(vm, L, 2, "encode_sparse_array");
      }
      if (vm.type(L, 3) > LUA_TNIL) {
        cfg.sparseSafe = checkInt(vm, L, 3, "encode_sparse_array");
      }
      vm.pushBoolean(L, cfg.sparseConvert);
      vm.pushNumber(L, cfg.sparseRatio);
      vm.pushNumber(L, cfg.sparseSafe);
      return 3;
    },
    encode_max_depth: (L) =>
      configNumber(
        L,
        "encode_max_depth",
        () => cfg.maxDepth,
        (v) => {
          cfg.maxDepth = v;
        },
        1,
        2 ** 31 - 1,
      ),
    decode_max_depth: (L) =>
      configNumber(
        L,
        "decode_max_depth",
        () => cfg.decodeMaxDepth,
        (v) => {
          cfg.decodeMaxDepth = v;
        },
        1,
        2 ** 31 - 1,
      ),
    encode_number_precision: (L) =>
      configNumber(
        L,
        "encode_number_precision",
        () => cfg.precision,
        (v) => {
          cfg.precision = v;
        },
        1,
        14,
      ),
    encode_keep_buffer: (L) => {
      vm.pushBoolean(L, true);
      return 1;
    },
    encode_invalid_numbers: (L) => {
      if (vm.type(L, 1) > LUA_TNIL) {
        const s = vm.type(L, 1) === LUA_TSTRING ? vm.toString(L, 1) : undefined;
        cfg.encodeInvalid = s === "null" ? "null" : vm.toBoolean(L, 1);
      }
      if (cfg.encodeInvalid === "null") vm.pushString(L, "null");
      else vm.pushBoolean(L, cfg.encodeInvalid);
      return 1;
    },
    decode_invalid_numbers: (L) => {
      if (vm.type(L, 1) > LUA_TNIL) cfg.decodeInvalid = vm.toBoolean(L, 1);
      vm.pushBoolean(L, cfg.decodeInvalid);
      return 1;
    },
    new: (L) => {
      vm.getGlobal(L, "cjson");
      return 1;
    },
  }, () => {
    vm.pushLightUserdata(L, 0);
    vm.setField(L, -2, "null");
    vm.pushString(L, "cjson");
    vm.setField(L, -2, "_NAME");
    vm.pushString(L, "2.1.0");
    vm.setField(L, -2, "_VERSION");
  });
}

/** `%.<precision>g` for cjson's configurable precision. */
function formatG(n: number, precision: number): string {
  if (n === 0) return Object.is(n, -0) ? "-0" : "0";
  const exp = Math.floor(Math.log10(Math.abs(n)));
  let s: string;
  if (exp < -4 || exp >= precision) {
    s = n.toExponential(precision - 1);
    let [m, e] = s.split("e") as [string, string];
    if (m.includes(".")) m = m.replace(/\.?0+$/, "");
    const ex = Number(e);
    s = `${m}e${ex < 0 ? "-" : "+"}${String(Math.abs(ex)).padStart(2, "0")}`;
  } else {
    s = n.toFixed(Math.max(0, precision - 1 - exp));
    if (s.includes(".")) s = s.replace(/\.?0+$/, "");
  }
  return s;
}

const TOKEN_NAMES: Record<string, string> = {
  "{": "T_OBJ_BEGIN",
  "}": "T_OBJ_END",
  "[": "T_ARR_BEGIN",
  "]": "T_ARR_END",
  ",": "T_COMMA",
  ":": "T_COLON",
  end: "T_END",
  string: "T_STRING",
  number: "T_NUMBER",
  boolean: "T_BOOLEAN",
  null: "T_NULL",
  error: "T_ERROR",
};

class JsonDecoder {
  #i = 0;
  #depth = 0;
  constructor(
    readonly vm: LuaVM,
    readonly L: LuaState,
    readonly s: string,
    readonly cfg: CjsonConfig,
  ) {}

  decodeTop(): void {
    const tok = this.#next();
    this.#value(tok);
    const end = this.#next();
    if (end.type !== "end") this.#fail("the end", end);
  }

  #fail(
    expected: string,
    tok: { type: string; at: number; msg?: string },
  ): never {
    if (tok.type === "error" && tok.msg !== undefined) {
      throw new LuaError(
        `Expected ${expected} but found ${tok.msg} at character ${tok.at + 1}`,
      );
    }
    throw new LuaError(
      `Expected ${expected} but found ${TOKEN_NAMES[tok.type]} at character ${
        tok.at + 1
      }`,
    );
  }

  #skipWs(): void {
    const s = this.s;
    while (this.#i < s.length) {
      const c = s.charCodeAt(this.#i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.#i++;
      else break;
    }
  }

  #next(): { type: string; at: number; value?: unknown; msg?: string } {
    this.#skipWs();
    const s = this.s;
    const at = this.#i;
    if (at >= s.length) return { type: "end", at };
    const c = s[at]!;
    if ("{}[],:".includes(c)) {
      this.#i++;
      return { type: c, at };
    }
    if (c === '"') return this.#string(at);
    if (s.startsWith("true", at)) {
      this.#i += 4;
      return { type: "boolean", at, value: true };
    }
    if (s.startsWith("false", at)) {
      this.#i += 5;
      return { type: "boolean", at, value: false };
    }
    if (s.startsWith("null", at)) {
      this.#i += 4;
      return { type: "null", at };
    }
    const m =
      /^-?(?:0x[0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|inf(?:inity)?|nan)/i
        .exec(s.slice(at, at + 400));
    if (m !== null && (/[\d.]/.test(m[0]) || this.cfg.decodeInvalid)) {
      const text = m[0];
      const lower = text.toLowerCase();
      if (!this.cfg.decodeInvalid && /inf|nan|0x/.test(lower)) {
        return { type: "error", at, msg: "invalid number" };
      }
      this.#i += text.length;
      let v: number;
      if (lower.includes("nan")) v = NaN;
      else if (lower.includes("inf")) {
        v = lower.startsWith("-") ? -Infinity : Infinity;
      } else if (lower.includes("0x")) {
        v = parseInt(lower.replace("0x", ""), 16);
      } else v = Number(text);
      return { type: "number", at, value: v };
    }
    return { type: "error", at, msg: "invalid token" };
  }

  #string(
    at: number,
  ): { type: string; at: number; value?: unknown; msg?: string } {
    const s = this.s;
    let i = at + 1;
    let out = "";
    while (true) {
      if (i >= s.length) {
        return { type: "error", at, msg: "unexpected end of string" };
      }
      const ch = s.charCodeAt(i);
      if (ch === 34) break;
      if (ch === 92) {
        const e = s[i + 1];
        switch (e) {
          case '"':
          case "\\":
          case "/":
            out += e;
            i += 2;
            continue;
          case "b":
            out += "\b";
            i += 2;
            continue;
          case "f":
            out += "\f";
            i += 2;
            continue;
          case "n":
            out += "\n";
            i += 2;
            continue;
          case "r":
            out += "\r";
            i += 2;
            continue;
          case "t":
            out += "\t";
            i += 2;
            continue;
          case "u": {
            let cp = parseInt(s.slice(i + 2, i + 6), 16);
            if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) {
              return { type: "error", at, msg: "invalid unicode escape code" };
            }
            i += 6;
            if (cp >= 0xd800 && cp <= 0xdbff) {
              if (s[i] === "\\" && s[i + 1] === "u") {
                const lo = parseInt(s.slice(i + 2, i + 6), 16);
                if (lo >= 0xdc00 && lo <= 0xdfff) {
                  cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                  i += 6;
                } else {return {
                    type: "error",
                    at,
                    msg: "invalid unicode escape code",
                  };}
              } else {return {
                  type: "error",
                  at,
                  msg: "invalid unicode escape code",
                };}
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
              return { type: "error", at, msg: "invalid unicode escape code" };
            }
            out += utf8Latin1(cp);
            continue;
          }
          default:
            return { type: "error", at, msg: "invalid escape code" };
        }
      }
      out += s[i];
      i++;
    }
    this.#i = i + 1;
    return { type: "string", at, value: out };
  }

  #value(
    tok: { type: string; at: number; value?: unknown; msg?: string },
  ): void {
    const vm = this.vm;
    const L = this.L;
    vm.checkStack(L, 4);
    switch (tok.type) {
      case "string":
        vm.pushString(L, tok.value as string);
        return;
      case "number":
        vm.pushNumber(L, tok.value as number);
        return;
      case "boolean":
        vm.pushBoolean(L, tok.value as boolean);
        return;
      case "null":
        vm.pushLightUserdata(L, 0);
        return;
      case "{": {
        this.#enter(tok);
        vm.newTable(L);
        let t = this.#next();
        if (t.type === "}") {
          this.#depth--;
          return;
        }
        while (true) {
          if (t.type !== "string") this.#fail("object key string", t);
          vm.pushString(L, t.value as string);
          const colon = this.#next();
          if (colon.type !== ":") this.#fail("colon", colon);
          this.#value(this.#next());
          vm.rawSet(L, -3);
          t = this.#next();
          if (t.type === "}") break;
          if (t.type !== ",") this.#fail("comma or object end", t);
          t = this.#next();
        }
        this.#depth--;
        return;
      }
      case "[": {
        this.#enter(tok);
        vm.newTable(L);
        let t = this.#next();
        if (t.type === "]") {
          this.#depth--;
          return;
        }
        let n = 1;
        while (true) {
          this.#value(t);
          vm.rawSetI(L, -2, n++);
          t = this.#next();
          if (t.type === "]") break;
          if (t.type !== ",") this.#fail("comma or array end", t);
          t = this.#next();
        }
        this.#depth--;
        return;
      }
      default:
        this.#fail("value", tok);
    }
  }

  #enter(tok: { at: number }): void {
    this.#depth++;
    if (this.#depth > this.cfg.decodeMaxDepth) {
      throw new LuaError(
        `Found too many nested data structures (${this.#depth}) at character ${
          tok.at + 1
        }`,
      );
    }
  }
}

function utf8Latin1(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) {
    return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  }
  if (cp < 0x10000) {
    return String.fromCharCode(
      0xe0 | (cp >> 12),
      0x80 | ((cp >> 6) & 63),
      0x80 | (cp & 63),
    );
  }
  return String.fromCharCode(
    0xf0 | (cp >> 18),
    0x80 | ((cp >> 12) & 63),
    0x80 | ((cp >> 6) & 63),
    0x80 | (cp & 63),
  );
}

// --- cmsgpack -----------------------------------------------------------------

const MAX_NESTING = 16;

function installCmsgpack(vm: LuaVM, L: LuaState): void {
  const f32 = new Float32Array(1);
  const dv = new DataView(new ArrayBuffer(8));
  const be = (n: number, bytes: number): string => {
    let s = "";
    for (let i = bytes - 1; i >= 0; i--) {
      s += String.fromCharCode(Math.floor(n / 2 ** (8 * i)) & 0xff);
    }
    return s;
  };
  const encodeInt = (n: number): string => {
    if (n >= 0) {
      if (n <= 127) return String.fromCharCode(n);
      if (n <= 0xff) return "\xcc" + be(n, 1);
      if (n <= 0xffff) return "\xcd" + be(n, 2);
      if (n <= 0xffffffff) return "\xce" + be(n, 4);
      dv.setBigUint64(0, BigInt(n));
      return "\xcf" + bytesOf(8);
    }
    if (n >= -32) return String.fromCharCode(n & 0xff);
    if (n >= -128) return "\xd0" + String.fromCharCode(n & 0xff);
    if (n >= -32768) {
      dv.setInt16(0, n);
      return "\xd1" + bytesOf(2);
    }
    if (n >= -2147483648) {
      dv.setInt32(0, n);
      return "\xd2" + bytesOf(4);
    }
    dv.setBigInt64(0, BigInt(n));
    return "\xd3" + bytesOf(8);
  };
  const bytesOf = (n: number): string => {
    let s = "";
    for (let i = 0; i < n; i++) s += String.fromCharCode(dv.getUint8(i));
    return s;
  };
  const encodeLen = (
    n: number,
    fix: number,
    fixMax: number,
    c16: string,
    c32: string,
  ): string => {
    if (n < fixMax) return String.fromCharCode(fix | n);
    if (n <= 0xffff) return c16 + be(n, 2);
    return c32 + be(n, 4);
  };
  const isArray = (L: LuaState, idx: number): number => {
    let count = 0;
    let max = 0;
    vm.pushNil(L);
    while (vm.next(L, idx)) {
      vm.pop(L, 1);
      if (vm.type(L, -1) !== LUA_TNUMBER) {
        vm.pop(L, 1);
        return -1;
      }
      const k = vm.toNumber(L, -1);
      if (!(Number.isInteger(k) && k >= 1)) {
        vm.pop(L, 1);
        return -1;
      }
      if (k > max) max = k;
      count++;
    }
    return max === count ? count : -1;
  };
  const encode = (
    L: LuaState,
    idx: number,
    level: number,
    out: string[],
  ): void => {
    const t = vm.type(L, idx);
    switch (t) {
      case LUA_TSTRING: {
        const s = vm.toString(L, idx)!;
        const n = s.length;
        if (n < 32) out.push(String.fromCharCode(0xa0 | n));
        else if (n <= 0xff) out.push("\xd9" + be(n, 1));
        else if (n <= 0xffff) out.push("\xda" + be(n, 2));
        else out.push("\xdb" + be(n, 4));
        out.push(s);
        return;
      }
      case LUA_TBOOLEAN:
        out.push(vm.toBoolean(L, idx) ? "\xc3" : "\xc2");
        return;
      case LUA_TNUMBER: {
        const n = vm.toNumber(L, idx);
        if (
          Number.isInteger(n) && n >= -(2 ** 63) && n < 2 ** 64
        ) {
          out.push(encodeInt(n));
          return;
        }
        f32[0] = n;
        if (f32[0] === n || n !== n) {
          dv.setFloat32(0, n);
          out.push("\xca" + bytesOf(4));
        } else {
          dv.setFloat64(0, n);
          out.push("\xcb" + bytesOf(8));
        }
        return;
      }
      case LUA_TTABLE: {
        if (level >= MAX_NESTING) {
          out.push("\xc0");
          return;
        }
        vm.checkStack(L, 4);
        const abs = idx < 0 ? vm.getTop(L) + idx + 1 : idx;
        const len = isArray(L, abs);
        if (len >= 0) {
          out.push(encodeLen(len, 0x90, 16, "\xdc", "\xdd"));
          for (let i = 1; i <= len; i++) {
            vm.rawGetI(L, abs, i);
            encode(L, -1, level + 1, out);
            vm.pop(L, 1);
          }
          return;
        }
        let count = 0;
        vm.pushNil(L);
        while (vm.next(L, abs)) {
          vm.pop(L, 1);
          count++;
        }
        out.push(encodeLen(count, 0x80, 16, "\xde", "\xdf"));
        vm.pushNil(L);
        while (vm.next(L, abs)) {
          encode(L, -2, level + 1, out);
          encode(L, -1, level + 1, out);
          vm.pop(L, 1);
        }
        return;
      }
      default:
        out.push("\xc0");
    }
  };
  const pack = (L: LuaState): number => {
    const n = vm.getTop(L);
    if (n === 0) {
      throw new LuaError(
        "bad argument #0 to 'pack' (MessagePack pack needs input.)",
      );
    }
    // lua-cmsgpack makes room for a copy of every argument first.
    if (!vm.checkStack(L, n)) {
      throw new LuaError(
        "bad argument #0 to 'pack' (Too many arguments for MessagePack pack.)",
      );
    }
    const out: string[] = [];
    for (let i = 1; i <= n; i++) encode(L, i, 0, out);
    vm.pushString(L, out.join(""));
    return 1;
  };
  class Cursor {
    p: number;
    constructor(readonly s: string, p: number) {
      this.p = p;
    }
    need(n: number): void {
      if (this.p + n > this.s.length) {
        throw new LuaError("Missing bytes in input.");
      }
    }
    u8(): number {
      this.need(1);
      return this.s.charCodeAt(this.p++);
    }
    uint(n: number): number {
      this.need(n);
      let v = 0;
      for (let i = 0; i < n; i++) v = v * 256 + this.s.charCodeAt(this.p++);
      return v;
    }
    load(n: number): void {
      this.need(n);
      for (let i = 0; i < n; i++) dv.setUint8(i, this.s.charCodeAt(this.p++));
    }
    str(n: number): string {
      this.need(n);
      const r = this.s.slice(this.p, this.p + n);
      this.p += n;
      return r;
    }
  }
  // luaL_checkstack: the Lua stack holds at most LUAI_MAXCSTACK (8000)
  // slots, and pushing past what it has corrupts the VM's memory.
  const needStack = (L: LuaState, why: string): void => {
    if (!vm.checkStack(L, 1)) throw new LuaError(`stack overflow (${why})`);
  };
  // Pushes one scalar, or opens a container (its table on the stack):
  // returns the number of items the container still needs (0 when the
  // value is complete), negated for a map's key-value pairs.
  const decodeOne = (L: LuaState, c: Cursor): number => {
    vm.checkStack(L, 4);
    const b = c.u8();
    if (b <= 0x7f) return vm.pushNumber(L, b), 0;
    if (b >= 0xe0) return vm.pushNumber(L, b - 256), 0;
    if ((b & 0xe0) === 0xa0) return vm.pushString(L, c.str(b & 0x1f)), 0;
    if ((b & 0xf0) === 0x90) return openArray(L, b & 0x0f);
    if ((b & 0xf0) === 0x80) return openMap(L, b & 0x0f);
    switch (b) {
      case 0xc0:
        return vm.pushNil(L), 0;
      case 0xc2:
        return vm.pushBoolean(L, false), 0;
      case 0xc3:
        return vm.pushBoolean(L, true), 0;
      case 0xcc:
        return vm.pushNumber(L, c.uint(1)), 0;
      case 0xcd:
        return vm.pushNumber(L, c.uint(2)), 0;
      case 0xce:
        return vm.pushNumber(L, c.uint(4)), 0;
      case 0xcf:
        c.load(8);
        return vm.pushNumber(L, Number(dv.getBigUint64(0))), 0;
      case 0xd0:
        c.load(1);
        return vm.pushNumber(L, dv.getInt8(0)), 0;
      case 0xd1:
        c.load(2);
        return vm.pushNumber(L, dv.getInt16(0)), 0;
      case 0xd2:
        c.load(4);
        return vm.pushNumber(L, dv.getInt32(0)), 0;
      case 0xd3:
        c.load(8);
        return vm.pushNumber(L, Number(dv.getBigInt64(0))), 0;
      case 0xca:
        c.load(4);
        return vm.pushNumber(L, dv.getFloat32(0)), 0;
      case 0xcb:
        c.load(8);
        return vm.pushNumber(L, dv.getFloat64(0)), 0;
      case 0xd9:
        return vm.pushString(L, c.str(c.uint(1))), 0;
      case 0xda:
        return vm.pushString(L, c.str(c.uint(2))), 0;
      case 0xdb:
        return vm.pushString(L, c.str(c.uint(4))), 0;
      case 0xdc:
        return openArray(L, c.uint(2));
      case 0xdd:
        return openArray(L, c.uint(4));
      case 0xde:
        return openMap(L, c.uint(2));
      case 0xdf:
        return openMap(L, c.uint(4));
      default:
        throw new LuaError("Bad data format in input.");
    }
  };
  const openArray = (L: LuaState, n: number): number => {
    vm.newTable(L);
    needStack(L, "in function mp_decode_to_lua_array");
    return n;
  };
  const openMap = (L: LuaState, n: number): number => {
    vm.newTable(L);
    // Redis's lua-cmsgpack checks arrays only; maps nested deep enough
    // would overflow its stack just the same.
    needStack(L, "in function mp_decode_to_lua_hash");
    return -n;
  };
  // One value, nested containers included, without recursion (nesting
  // is bounded by the Lua stack, not by JavaScript's). Array items go in
  // with their index pushed first, as lua-cmsgpack does, so nesting runs
  // out of stack at the same depth.
  const decode = (L: LuaState, c: Cursor): void => {
    // Per open container: items left (arrays), or key-value halves left
    // (maps, as a negative count), and the next array index.
    const left: number[] = [];
    const index: number[] = [];
    let n = decodeOne(L, c);
    for (;;) {
      if (n !== 0) {
        left.push(n > 0 ? n : 2 * n);
        index.push(1);
      } else if (left.length === 0) {
        return;
      } else {
        // A value is complete: store it in the container below it.
        const top = left.length - 1;
        const rest = left[top]!;
        if (rest > 0) {
          vm.rawSet(L, -3);
          left[top] = rest - 1;
        } else {
          // A map's key (an even count left) stays on the stack until
          // its value is there.
          if (rest % 2 !== 0) vm.rawSet(L, -3);
          left[top] = rest + 1;
        }
        if (left[top] === 0) {
          left.pop();
          index.pop();
          n = 0;
          continue;
        }
      }
      const top = left.length - 1;
      if (left[top]! > 0) vm.pushNumber(L, index[top]!++);
      n = decodeOne(L, c);
    }
  };
  // unpack, unpack_one and unpack_limit share this (lua-cmsgpack's mp_unpack_full).
  const unpackFull = (L: LuaState, limit: number, offset: number): number => {
    const s = checkString(vm, L, 1, "unpack");
    if (offset < 0 || limit < 0) {
      // lua-cmsgpack prints the input's length where it means the limit.
      throw new LuaError(
        `Invalid request to unpack with offset of ${offset} and limit of ${s.length}.`,
      );
    }
    if (offset > s.length) {
      throw new LuaError(
        "Start offset " + offset + " greater than input length " + s.length +
          ".",
      );
    }
    const decodeAll = limit === 0 && offset === 0;
    // Only the string stays below the results (the offset goes at 2).
    vm.setTop(L, 1);
    const c = new Cursor(s, offset);
    let count = 0;
    while (c.p < s.length && (decodeAll || count < limit)) {
      needStack(
        L,
        "too many return values at once; use unpack_one or unpack_limit instead.",
      );
      decode(L, c);
      count++;
    }
    if (!decodeAll) {
      needStack(L, "in function mp_unpack_full");
      vm.pushNumber(L, c.p < s.length ? c.p : -1);
      vm.insert(L, 2);
      count++;
    }
    return count;
  };
  defineLibrary(vm, L, "cmsgpack", {
    pack,
    unpack: (L) => unpackFull(L, 0, 0),
    unpack_one: (L) =>
      unpackFull(
        L,
        1,
        vm.type(L, 2) <= LUA_TNIL ? 0 : checkInt(vm, L, 2, "unpack_one"),
      ),
    unpack_limit: (L) =>
      unpackFull(
        L,
        checkInt(vm, L, 2, "unpack_limit"),
        vm.type(L, 3) <= LUA_TNIL ? 0 : checkInt(vm, L, 3, "unpack_limit"),
      ),
  }, () => {
    for (
      const [k, v] of [
        ["_NAME", "cmsgpack"],
        ["_VERSION", "lua-cmsgpack 0.4.0"],
        ["_COPYRIGHT", "Copyright (C) 2012, Salvatore Sanfilippo"],
        ["_DESCRIPTION", "MessagePack C implementation for Lua"],
      ]
    ) {
      vm.pushString(L, v!);
      vm.setField(L, -2, k!);
    }
  });
}

/** Installs bit, struct, cjson and cmsgpack as globals of `L`. */
export function installLuaLibraries(vm: LuaVM, L: LuaState): void {
  installBit(vm, L);
  installStruct(vm, L);
  installCjson(vm, L);
  installCmsgpack(vm, L);
}
