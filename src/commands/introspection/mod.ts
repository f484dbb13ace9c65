/**
 * Introspection commands (MONITOR, SLOWLOG, LATENCY) and their observers.
 *
 * @module
 */
import type { Command } from "../types.ts";
import type { ServerState } from "../../state.ts";
import { installLatency, latency } from "./latency.ts";
import { installMonitor, monitor } from "./monitor.ts";
import { installSlowlog, slowlog } from "./slowlog.ts";

/** The introspection commands (Redis's server group). */
export const introspectionCommands: readonly Command[] = [
  latency,
  monitor,
  slowlog,
];

/** Installs the observers behind them. */
export function installIntrospection(server: ServerState): void {
  installMonitor(server);
  installSlowlog(server);
  installLatency(server);
}
