import { assertEquals } from "../../tests/_deps.ts";
import { sha256Hex } from "../util/sha256.ts";
import {
  ENGINE_WASM,
  LUA_MASKCOUNT,
  LUA_OK,
  LUA_YIELD,
  LuaVM,
} from "./engine.ts";

Deno.test("ENGINE_WASM is the vendored liblua5.1.wasm of wasmoon-lua5.1@1.18.10, unchanged", () => {
  assertEquals(
    sha256Hex(Deno.readFileSync(ENGINE_WASM)),
    "cba969b97e8a319eba8996b5df488aed5cdd22a56f2de53b42598e474014e610",
  );
});

Deno.test("LuaVM runs Lua 5.1 with byte-safe strings", () => {
  const vm = new LuaVM();
  const L = vm.newState();
  vm.openLibs(L);
  assertEquals(vm.load(L, "return ... .. '\\255', 10 / 2, #arg", "=t"), LUA_OK);
  vm.pushString(L, "a\x00\xff");
  assertEquals(vm.pcall(L, 1, 3), 2); // #arg: arg is nil in 5.1 chunks
  assertEquals(
    vm.load(L, "return ... .. '\\255', tostring(10 / 2)", "=t"),
    LUA_OK,
  );
  vm.pushString(L, "a\x00\xff");
  assertEquals(vm.pcall(L, 1, 2), LUA_OK);
  assertEquals(vm.toString(L, -2), "a\x00\xff\xff");
  assertEquals(vm.toString(L, -1), "5");
});

Deno.test("LuaVM host functions raise Lua errors with the caller's line", () => {
  const vm = new LuaVM();
  const L = vm.newState();
  vm.openLibs(L);
  vm.pushFunction(
    L,
    vm.registerFunction(() => {
      throw new Error("from js");
    }),
  );
  vm.setGlobal(L, "fail");
  vm.load(L, "\nreturn pcall(function() fail() end)", "@user_script");
  assertEquals(vm.pcall(L, 0, 2), LUA_OK);
  assertEquals(vm.toBoolean(L, -2), false);
  assertEquals(vm.toString(L, -1), "user_script:2: from js");
});

Deno.test("LuaVM count hook yields a coroutine only where no C call is in between", () => {
  const vm = new LuaVM();
  const L = vm.newState();
  vm.openLibs(L);
  let yields = 0;
  let refused = 0;
  const co = vm.newThread(L);
  vm.setHook(
    co,
    (L2) => {
      if (vm.canYield(L2)) {
        yields++;
        vm.yield(L2, 0);
      } else {
        refused++;
      }
    },
    LUA_MASKCOUNT,
    1000,
  );
  vm.load(
    co,
    "local n = 0 for i = 1, 100000 do n = n + i end " +
      "local t = {3, 1, 2} table.sort(t, function(a, b) for j = 1, 20000 do end return a < b end) " +
      "return n",
    "=t",
  );
  let status = vm.resume(co, 0);
  while (status === LUA_YIELD) status = vm.resume(co, 0);
  assertEquals(status, LUA_OK);
  assertEquals(vm.toNumber(co, -1), 5000050000);
  assertEquals(yields > 100, true);
  // Inside table.sort's comparator (a C call) the hook must not yield.
  assertEquals(refused > 0, true);
});

Deno.test("LuaVM turns an unprotected Lua error into a JS exception instead of hanging", () => {
  const vm = new LuaVM();
  const L = vm.newState();
  vm.openLibs(L);
  vm.pushString(L, "unprotected");
  let thrown: unknown;
  try {
    vm.error(L);
  } catch (e) {
    thrown = e;
  }
  assertEquals(String(thrown), "Error: Lua called exit(1)");
});
