/**
 * Which reference tools this machine has (redis-server, redis-cli,
 * redis-benchmark), checked once, synchronously, so tests that need one can
 * be registered as ignored when it is missing.
 *
 * @module
 */

/** The absolute path of `name` on PATH, or undefined. */
export function findExecutable(name: string): string | undefined {
  const path = Deno.env.get("PATH") ?? "";
  for (const dir of path.split(":")) {
    if (dir === "") continue;
    const candidate = `${dir}/${name}`;
    try {
      const info = Deno.statSync(candidate);
      if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** Path of the reference redis-server, if installed. */
export const REDIS_SERVER = findExecutable("redis-server");
/** Path of redis-cli, if installed. */
export const REDIS_CLI = findExecutable("redis-cli");
/** Path of redis-benchmark, if installed. */
export const REDIS_BENCHMARK = findExecutable("redis-benchmark");

/** Picks a TCP port that is free right now on 127.0.0.1. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}
