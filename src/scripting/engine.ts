/**
 * The Lua engine: PUC-Rio Lua 5.1 compiled to WebAssembly (the
 * `liblua5.1.wasm` of the npm package `wasmoon-lua5.1`, kept in `vendor/`), driven
 * through its C API directly. This is the only module that knows which
 * engine runs the scripts: everything else speaks to `LuaVM`, whose
 * methods mirror the Lua C API (`pushString`, `getField`, `pcall`,
 * `resume`, ...) with byte-safe strings, so another engine with the same
 * API shape (fengari, a different wasm build) can be swapped in here.
 *
 * The wasm module is instantiated with a few stub imports of our own
 * instead of the package's Emscripten glue: Lua needs only memory,
 * `setjmp`/`longjmp` (done the Emscripten way, as a JS exception caught by
 * `invoke_vii`) and a clock; files, processes and the environment are
 * refused, since the sandbox never exposes them.
 *
 * Strings cross the boundary as latin1 strings (one char per byte), so any
 * byte sequence survives unchanged.
 *
 * @module
 */
import { bufferView, latin1Slice, type Latin1View } from "../util/bytes.ts";

/** A `lua_State*` (a thread) in wasm memory. */
export type LuaState = number;

/** A host function callable from Lua: reads its arguments from `L`, pushes results, returns their count. */
export type HostFunction = (L: LuaState) => number;

/** Lua type tags (`lua_type`). */
export const LUA_TNONE = -1;
export const LUA_TNIL = 0;
export const LUA_TBOOLEAN = 1;
export const LUA_TLIGHTUSERDATA = 2;
export const LUA_TNUMBER = 3;
export const LUA_TSTRING = 4;
export const LUA_TTABLE = 5;
export const LUA_TFUNCTION = 6;
export const LUA_TUSERDATA = 7;
export const LUA_TTHREAD = 8;

/** Pseudo-indices and status codes. */
export const LUA_REGISTRYINDEX = -10000;
export const LUA_GLOBALSINDEX = -10002;
export const LUA_MULTRET = -1;
export const LUA_OK = 0;
export const LUA_YIELD = 1;
export const LUA_ERRRUN = 2;
export const LUA_ERRSYNTAX = 3;
export const LUA_ERRMEM = 4;

/** Hook masks. */
export const LUA_MASKLINE = 1 << 2;
export const LUA_MASKCOUNT = 1 << 3;

/** `lua_upvalueindex(i)`. */
export function upvalueIndex(i: number): number {
  return LUA_GLOBALSINDEX - i;
}

// Offsets in Lua 5.1's `struct lua_State` on wasm32 (checked by the engine
// tests): nCcalls and baseCcalls tell whether a yield would cross a C call.
const L_NCCALLS = 52;
const L_BASECCALLS = 54;
// `struct lua_Debug` on wasm32.
const AR_SIZE = 100;
const AR_WHAT = 12;
const AR_SOURCE = 16;
const AR_CURRENTLINE = 20;

interface Exports {
  memory: WebAssembly.Memory;
  __indirect_function_table: WebAssembly.Table;
  malloc(n: number): number;
  free(p: number): void;
  setThrew(a: number, b: number): void;
  stackSave(): number;
  stackRestore(p: number): void;
  luaL_newstate(): number;
  luaL_openlibs(L: number): void;
  luaL_loadbuffer(L: number, buf: number, len: number, name: number): number;
  luaL_ref(L: number, t: number): number;
  luaL_unref(L: number, t: number, ref: number): void;
  lua_close(L: number): void;
  lua_newthread(L: number): number;
  lua_gettop(L: number): number;
  lua_settop(L: number, idx: number): void;
  lua_pushvalue(L: number, idx: number): void;
  lua_remove(L: number, idx: number): void;
  lua_insert(L: number, idx: number): void;
  lua_replace(L: number, idx: number): void;
  lua_checkstack(L: number, n: number): number;
  lua_xmove(from: number, to: number, n: number): void;
  lua_type(L: number, idx: number): number;
  lua_isnumber(L: number, idx: number): number;
  lua_isstring(L: number, idx: number): number;
  lua_iscfunction(L: number, idx: number): number;
  lua_tonumber(L: number, idx: number): number;
  lua_toboolean(L: number, idx: number): number;
  lua_tolstring(L: number, idx: number, len: number): number;
  lua_objlen(L: number, idx: number): number;
  lua_topointer(L: number, idx: number): number;
  lua_tothread(L: number, idx: number): number;
  lua_touserdata(L: number, idx: number): number;
  lua_rawequal(L: number, a: number, b: number): number;
  lua_pushnil(L: number): void;
  lua_pushnumber(L: number, n: number): void;
  lua_pushlstring(L: number, s: number, len: number): void;
  lua_pushcclosure(L: number, fn: number, n: number): void;
  lua_pushboolean(L: number, b: number): void;
  lua_pushlightuserdata(L: number, p: number): void;
  lua_pushthread(L: number): number;
  lua_gettable(L: number, idx: number): void;
  lua_getfield(L: number, idx: number, k: number): void;
  lua_rawget(L: number, idx: number): void;
  lua_rawgeti(L: number, idx: number, n: number): void;
  lua_createtable(L: number, narr: number, nrec: number): void;
  lua_newuserdata(L: number, size: number): number;
  lua_getmetatable(L: number, idx: number): number;
  lua_settable(L: number, idx: number): void;
  lua_setfield(L: number, idx: number, k: number): void;
  lua_rawset(L: number, idx: number): void;
  lua_rawseti(L: number, idx: number, n: number): void;
  lua_setmetatable(L: number, idx: number): number;
  lua_call(L: number, nargs: number, nresults: number): void;
  lua_pcall(L: number, nargs: number, nresults: number, errf: number): number;
  lua_status(L: number): number;
  lua_resume(L: number, nargs: number): number;
  lua_yield(L: number, nresults: number): number;
  lua_gc(L: number, what: number, data: number): number;
  lua_error(L: number): number;
  lua_next(L: number, idx: number): number;
  lua_concat(L: number, n: number): void;
  lua_sethook(L: number, fn: number, mask: number, count: number): void;
  lua_getstack(L: number, level: number, ar: number): number;
  lua_getinfo(L: number, what: number, ar: number): number;
  luaopen_base(L: number): number;
  luaopen_table(L: number): number;
  luaopen_string(L: number): number;
  luaopen_math(L: number): number;
  luaopen_debug(L: number): number;
}

// A wasm module that imports one JS function and exports it, so the
// function can be stored in the indirect function table (Lua calls C
// functions through it). `params` i32 parameters, one i32 result or none.
function trampolineModule(params: number, result: boolean): WebAssembly.Module {
  const type = [0x60, params, ...new Array(params).fill(0x7f)];
  type.push(result ? 1 : 0);
  if (result) type.push(0x7f);
  const section = (id: number, body: number[]) => [id, body.length, ...body];
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, ...type]),
    ...section(2, [1, 1, 0x6d, 1, 0x66, 0x00, 0x00]),
    ...section(7, [1, 1, 0x66, 0x00, 0x00]),
  ];
  return new WebAssembly.Module(new Uint8Array(bytes));
}

let wasmModule: WebAssembly.Module | undefined;

/**
 * Lua 5.1 compiled to wasm, from the npm package wasmoon-lua5.1@1.18.10 and
 * kept in the repository (vendor/README.md), so the server needs no npm
 * download to start or to run scripts.
 */
export const ENGINE_WASM = new URL("./vendor/liblua5.1.wasm", import.meta.url);

function loadModule(): WebAssembly.Module {
  if (wasmModule === undefined) {
    wasmModule = new WebAssembly.Module(Deno.readFileSync(ENGINE_WASM));
  }
  return wasmModule;
}

/** The short name Lua prints for a chunk (`luaO_chunkid`). */
export function chunkId(source: string): string {
  if (source.startsWith("=") || source.startsWith("@")) return source.slice(1);
  const line = source.split("\n")[0]!;
  const max = 60 - 15;
  if (line.length < source.length || line.length > max) {
    return `[string "${line.slice(0, max)}..."]`;
  }
  return `[string "${line}"]`;
}

/** Thrown by the wasm `longjmp`; caught by `invoke_vii` (Emscripten's scheme). */
const LONGJMP = Infinity;

/**
 * One wasm instance of Lua 5.1 (one linear memory) with the C API as
 * methods. Several `lua_State`s can live in it (scripts and functions each
 * get their own, as in Redis).
 */
export class LuaVM {
  readonly #x: Exports;
  #heap: Uint8Array;
  #view: Latin1View;
  #dv: DataView;
  #scratch = 0;
  #scratchSize = 0;
  #lenPtr = 0;
  #ar = 0;
  #cstrings = new Map<string, number>();
  #cfn: WebAssembly.Module;
  #hookFn: WebAssembly.Module;
  readonly #functions: HostFunction[] = [];

  /** Instantiates the engine (synchronously: the module is compiled once per process). */
  constructor() {
    const module = loadModule();
    // deno-lint-ignore no-this-alias
    const vm = this;
    const fail = () => -52; // ENOSYS
    const env: Record<string, unknown> = {
      exit: (code: number) => {
        throw new Error(`Lua called exit(${code})`);
      },
      invoke_vii(index: number, a: number, b: number) {
        const sp = vm.#x.stackSave();
        try {
          (vm.#x.__indirect_function_table.get(index) as (
            a: number,
            b: number,
          ) => void)(a, b);
        } catch (e) {
          vm.#x.stackRestore(sp);
          if (e !== LONGJMP) throw e;
          vm.#x.setThrew(1, 0);
        }
      },
      _emscripten_throw_longjmp() {
        throw LONGJMP;
      },
      strftime: () => 0,
      emscripten_memcpy_js(dest: number, src: number, n: number) {
        vm.#heap.copyWithin(dest, src, src + n);
      },
      emscripten_date_now: () => Date.now(),
      _emscripten_get_now_is_monotonic: () => 1,
      __syscall_openat: fail,
      __syscall_fcntl64: fail,
      __syscall_ioctl: fail,
      __syscall_dup3: fail,
      __syscall_unlinkat: fail,
      __syscall_rmdir: fail,
      __syscall_renameat: fail,
      __syscall_readlinkat: fail,
      _emscripten_system: () => -1,
      _tzset_js: () => {},
      _mktime_js: () => 0,
      _localtime_js: () => {},
      _gmtime_js: () => {},
      emscripten_resize_heap(requested: number) {
        const memory = vm.#x.memory;
        const current = memory.buffer.byteLength;
        if (requested > 2 ** 31) return 0;
        let size = current;
        while (size < requested) size *= 2;
        try {
          memory.grow((Math.min(size, 2 ** 31) - current) / 65536);
        } catch {
          return 0;
        }
        vm.#refreshViews();
        return 1;
      },
    };
    const wasi = {
      // Output (Lua's panic message) is dropped, but reported as written:
      // stdio retries a write that wrote nothing, forever.
      fd_write: (_fd: number, iov: number, n: number, out: number) => {
        let total = 0;
        for (let i = 0; i < n; i++) {
          total += vm.#dv.getUint32(iov + i * 8 + 4, true);
        }
        vm.#dv.setUint32(out, total, true);
        return 0;
      },
      fd_read: fail,
      fd_close: fail,
      fd_seek: fail,
      environ_sizes_get(count: number, size: number) {
        vm.#dv.setUint32(count, 0, true);
        vm.#dv.setUint32(size, 0, true);
        return 0;
      },
      environ_get: () => 0,
    };
    const instance = new WebAssembly.Instance(module, {
      env,
      wasi_snapshot_preview1: wasi,
    } as WebAssembly.Imports);
    this.#x = instance.exports as unknown as Exports;
    this.#heap = new Uint8Array(this.#x.memory.buffer);
    this.#view = bufferView(this.#heap);
    this.#dv = new DataView(this.#x.memory.buffer);
    (instance.exports.__wasm_call_ctors as (() => void) | undefined)?.();
    this.#cfn = trampolineModule(1, true);
    this.#hookFn = trampolineModule(2, false);
    this.#lenPtr = this.#x.malloc(8);
    this.#ar = this.#x.malloc(AR_SIZE);
    this.#ensureScratch(4096);
  }

  // Memory only grows through emscripten_resize_heap, which calls this:
  // the views are current everywhere else without checking.
  #refreshViews(): void {
    if (this.#heap.buffer !== this.#x.memory.buffer) {
      this.#heap = new Uint8Array(this.#x.memory.buffer);
      this.#view = bufferView(this.#heap);
      this.#dv = new DataView(this.#x.memory.buffer);
    }
  }

  #ensureScratch(n: number): number {
    if (n > this.#scratchSize) {
      if (this.#scratch !== 0) this.#x.free(this.#scratch);
      this.#scratchSize = Math.max(n, this.#scratchSize * 2);
      this.#scratch = this.#x.malloc(this.#scratchSize);
      if (this.#scratch === 0) throw new RangeError("Lua engine out of memory");
      this.#refreshViews();
    }
    return this.#scratch;
  }

  // A NUL-terminated copy of a constant (field names, chunk names), kept for the VM's life.
  #cstr(s: string): number {
    let p = this.#cstrings.get(s);
    if (p === undefined) {
      p = this.#x.malloc(s.length + 1);
      for (let i = 0; i < s.length; i++) this.#heap[p + i] = s.charCodeAt(i);
      this.#heap[p + s.length] = 0;
      this.#cstrings.set(s, p);
    }
    return p;
  }

  #readCString(p: number): string {
    if (p === 0) return "";
    let end = p;
    while (this.#heap[end] !== 0) end++;
    return this.#view.latin1Slice(p, end);
  }

  /** Bytes of wasm memory in use (INFO used_memory_vm_eval and friends). */
  get memorySize(): number {
    return this.#x.memory.buffer.byteLength;
  }

  // --- states -------------------------------------------------------------

  /** A new, empty `lua_State` with no libraries. */
  newState(): LuaState {
    const L = this.#x.luaL_newstate();
    if (L === 0) throw new RangeError("Lua engine out of memory");
    return L;
  }

  /** Frees a state and everything in it. */
  close(L: LuaState): void {
    this.#x.lua_close(L);
  }

  /** Opens the libraries Redis loads: base, table, string, math, debug. */
  openLibs(L: LuaState): void {
    const table = this.#x.__indirect_function_table;
    for (
      const open of [
        "luaopen_base",
        "luaopen_table",
        "luaopen_string",
        "luaopen_math",
        "luaopen_debug",
      ] as const
    ) {
      const index = table.grow(1);
      table.set(index, this.#x[open] as unknown as () => void);
      this.pushFunction(L, index);
      this.#x.lua_call(L, 0, 0);
    }
  }

  /** A new coroutine of `L`, pushed on `L`'s stack. */
  newThread(L: LuaState): LuaState {
    return this.#x.lua_newthread(L);
  }

  /** Memory used by a state, in bytes (`collectgarbage("count")`). */
  gcCount(L: LuaState): number {
    return this.#x.lua_gc(L, 3, 0) * 1024 + this.#x.lua_gc(L, 4, 0);
  }

  /** Runs a full garbage collection. */
  gcCollect(L: LuaState): void {
    this.#x.lua_gc(L, 2, 0);
  }

  /** Runs an incremental GC step. */
  gcStep(L: LuaState, kb: number): void {
    this.#x.lua_gc(L, 5, kb);
  }

  // --- stack --------------------------------------------------------------

  getTop(L: LuaState): number {
    return this.#x.lua_gettop(L);
  }
  setTop(L: LuaState, idx: number): void {
    this.#x.lua_settop(L, idx);
  }
  pop(L: LuaState, n: number): void {
    this.#x.lua_settop(L, -n - 1);
  }
  pushValue(L: LuaState, idx: number): void {
    this.#x.lua_pushvalue(L, idx);
  }
  remove(L: LuaState, idx: number): void {
    this.#x.lua_remove(L, idx);
  }
  insert(L: LuaState, idx: number): void {
    this.#x.lua_insert(L, idx);
  }
  replace(L: LuaState, idx: number): void {
    this.#x.lua_replace(L, idx);
  }
  checkStack(L: LuaState, n: number): boolean {
    return this.#x.lua_checkstack(L, n) !== 0;
  }
  xmove(from: LuaState, to: LuaState, n: number): void {
    this.#x.lua_xmove(from, to, n);
  }

  // --- reading ------------------------------------------------------------

  type(L: LuaState, idx: number): number {
    return this.#x.lua_type(L, idx);
  }
  isNumber(L: LuaState, idx: number): boolean {
    return this.#x.lua_isnumber(L, idx) !== 0;
  }
  isString(L: LuaState, idx: number): boolean {
    return this.#x.lua_isstring(L, idx) !== 0;
  }
  isCFunction(L: LuaState, idx: number): boolean {
    return this.#x.lua_iscfunction(L, idx) !== 0;
  }
  toNumber(L: LuaState, idx: number): number {
    return this.#x.lua_tonumber(L, idx);
  }
  toBoolean(L: LuaState, idx: number): boolean {
    return this.#x.lua_toboolean(L, idx) !== 0;
  }
  /** The string at `idx` (numbers are converted in place, as `lua_tolstring` does); undefined if neither. */
  toString(L: LuaState, idx: number): string | undefined {
    const p = this.#x.lua_tolstring(L, idx, this.#lenPtr);
    if (p === 0) return undefined;
    const len = this.#dv.getUint32(this.#lenPtr, true);
    return latin1Slice(this.#heap, p, p + len, this.#view);
  }
  /** The string at `idx` as bytes (a copy). */
  toBytes(L: LuaState, idx: number): Uint8Array | undefined {
    const p = this.#x.lua_tolstring(L, idx, this.#lenPtr);
    if (p === 0) return undefined;
    const len = this.#dv.getUint32(this.#lenPtr, true);
    return this.#heap.slice(p, p + len);
  }
  objLen(L: LuaState, idx: number): number {
    return this.#x.lua_objlen(L, idx);
  }
  toPointer(L: LuaState, idx: number): number {
    return this.#x.lua_topointer(L, idx);
  }
  toThread(L: LuaState, idx: number): LuaState {
    return this.#x.lua_tothread(L, idx);
  }
  toUserdata(L: LuaState, idx: number): number {
    return this.#x.lua_touserdata(L, idx);
  }
  rawEqual(L: LuaState, a: number, b: number): boolean {
    return this.#x.lua_rawequal(L, a, b) !== 0;
  }

  // --- pushing ------------------------------------------------------------

  pushNil(L: LuaState): void {
    this.#x.lua_pushnil(L);
  }
  pushNumber(L: LuaState, n: number): void {
    this.#x.lua_pushnumber(L, n);
  }
  pushBoolean(L: LuaState, b: boolean): void {
    this.#x.lua_pushboolean(L, b ? 1 : 0);
  }
  pushLightUserdata(L: LuaState, p: number): void {
    this.#x.lua_pushlightuserdata(L, p);
  }
  pushThread(L: LuaState): void {
    this.#x.lua_pushthread(L);
  }
  /** Pushes a latin1 string (one char per byte). */
  pushString(L: LuaState, s: string): void {
    const len = s.length;
    const p = this.#ensureScratch(len + 1);
    const heap = this.#heap;
    for (let i = 0; i < len; i++) heap[p + i] = s.charCodeAt(i);
    this.#x.lua_pushlstring(L, p, len);
  }
  /** Pushes bytes as a Lua string. */
  pushBytes(L: LuaState, b: Uint8Array): void {
    const p = this.#ensureScratch(b.length + 1);
    this.#heap.set(b, p);
    this.#x.lua_pushlstring(L, p, b.length);
  }
  /** Pushes a host function (a C function to Lua) with `upvalues` values from the stack. */
  pushFunction(L: LuaState, fn: number, upvalues = 0): void {
    this.#x.lua_pushcclosure(L, fn, upvalues);
  }

  /**
   * Makes `fn` callable from Lua and returns its function pointer for
   * `pushFunction`. A JS exception in `fn` becomes a Lua error.
   */
  registerFunction(fn: HostFunction): number {
    // deno-lint-ignore no-this-alias
    const vm = this;
    const wrapped = (L: number): number => {
      try {
        return fn(L);
      } catch (e) {
        if (e === LONGJMP) throw e;
        // As luaL_error: the message gets the calling line's position.
        const at = vm.where(L, 1);
        const prefix = at !== undefined && at.line > 0
          ? `${chunkId(at.source)}:${at.line}: `
          : "";
        vm.pushString(L, prefix + (e instanceof Error ? e.message : String(e)));
      }
      return vm.#x.lua_error(L);
    };
    this.#functions.push(fn);
    return this.#addToTable(this.#cfn, wrapped);
  }

  #addToTable(module: WebAssembly.Module, fn: unknown): number {
    const instance = new WebAssembly.Instance(
      module,
      { m: { f: fn } } as WebAssembly.Imports,
    );
    const table = this.#x.__indirect_function_table;
    const index = table.grow(1);
    table.set(index, instance.exports.f as () => void);
    return index;
  }

  // --- tables -------------------------------------------------------------

  newTable(L: LuaState, narr = 0, nrec = 0): void {
    this.#x.lua_createtable(L, narr, nrec);
  }
  getTable(L: LuaState, idx: number): void {
    this.#x.lua_gettable(L, idx);
  }
  setTable(L: LuaState, idx: number): void {
    this.#x.lua_settable(L, idx);
  }
  getField(L: LuaState, idx: number, k: string): void {
    this.#x.lua_getfield(L, idx, this.#cstr(k));
  }
  setField(L: LuaState, idx: number, k: string): void {
    this.#x.lua_setfield(L, idx, this.#cstr(k));
  }
  getGlobal(L: LuaState, k: string): void {
    this.#x.lua_getfield(L, LUA_GLOBALSINDEX, this.#cstr(k));
  }
  setGlobal(L: LuaState, k: string): void {
    this.#x.lua_setfield(L, LUA_GLOBALSINDEX, this.#cstr(k));
  }
  rawGet(L: LuaState, idx: number): void {
    this.#x.lua_rawget(L, idx);
  }
  rawSet(L: LuaState, idx: number): void {
    this.#x.lua_rawset(L, idx);
  }
  rawGetI(L: LuaState, idx: number, n: number): void {
    this.#x.lua_rawgeti(L, idx, n);
  }
  rawSetI(L: LuaState, idx: number, n: number): void {
    this.#x.lua_rawseti(L, idx, n);
  }
  next(L: LuaState, idx: number): boolean {
    return this.#x.lua_next(L, idx) !== 0;
  }
  getMetatable(L: LuaState, idx: number): boolean {
    return this.#x.lua_getmetatable(L, idx) !== 0;
  }
  setMetatable(L: LuaState, idx: number): void {
    this.#x.lua_setmetatable(L, idx);
  }
  /** A new full userdata of `size` bytes, pushed; returns its address. */
  newUserdata(L: LuaState, size: number): number {
    return this.#x.lua_newuserdata(L, size);
  }
  ref(L: LuaState): number {
    return this.#x.luaL_ref(L, LUA_REGISTRYINDEX);
  }
  unref(L: LuaState, ref: number): void {
    this.#x.luaL_unref(L, LUA_REGISTRYINDEX, ref);
  }
  concat(L: LuaState, n: number): void {
    this.#x.lua_concat(L, n);
  }

  // --- running ------------------------------------------------------------

  /** Compiles `code` (bytes as a latin1 string) as a function named `name`; pushes it or the error message. */
  load(L: LuaState, code: string, name: string): number {
    const len = code.length;
    const p = this.#ensureScratch(len + 1);
    const heap = this.#heap;
    for (let i = 0; i < len; i++) heap[p + i] = code.charCodeAt(i);
    return this.#x.luaL_loadbuffer(L, p, len, this.#cstr(name));
  }
  call(L: LuaState, nargs: number, nresults: number): void {
    this.#x.lua_call(L, nargs, nresults);
  }
  pcall(L: LuaState, nargs: number, nresults: number, errfunc = 0): number {
    return this.#x.lua_pcall(L, nargs, nresults, errfunc);
  }
  resume(L: LuaState, nargs: number): number {
    return this.#x.lua_resume(L, nargs);
  }
  status(L: LuaState): number {
    return this.#x.lua_status(L);
  }
  /** Yields from a hook or a host function (call as `return vm.yield(L, 0)`). */
  yield(L: LuaState, nresults: number): number {
    return this.#x.lua_yield(L, nresults);
  }
  /** Whether `L` can yield now (no C call such as `pcall`, a metamethod or `table.sort` is in between). */
  canYield(L: LuaState): boolean {
    return this.#dv.getUint16(L + L_NCCALLS, true) <=
      this.#dv.getUint16(L + L_BASECCALLS, true);
  }
  /** Raises the value on top of the stack as a Lua error (never returns normally). */
  error(L: LuaState): number {
    return this.#x.lua_error(L);
  }

  /** Sets a count hook on `L` (and threads created from it afterwards). */
  setHook(
    L: LuaState,
    fn: ((L: LuaState) => void) | undefined,
    mask: number,
    count: number,
  ): void {
    if (fn === undefined) {
      this.#x.lua_sethook(L, 0, 0, 0);
      return;
    }
    const pointer = this.#addToTable(this.#hookFn, (L2: number) => fn(L2));
    this.#x.lua_sethook(L, pointer, mask, count);
  }

  /** Source and current line of the function running at `level` of `L` (also after an error in a coroutine). */
  where(
    L: LuaState,
    level: number,
  ): { what: string; source: string; line: number } | undefined {
    if (this.#x.lua_getstack(L, level, this.#ar) === 0) return undefined;
    this.#x.lua_getinfo(L, this.#cstr("Sl"), this.#ar);
    return {
      what: this.#readCString(this.#dv.getUint32(this.#ar + AR_WHAT, true)),
      source: this.#readCString(this.#dv.getUint32(this.#ar + AR_SOURCE, true)),
      line: this.#dv.getInt32(this.#ar + AR_CURRENTLINE, true),
    };
  }
}
