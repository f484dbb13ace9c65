/**
 * Wires the optional subsystems (transactions, blocking, pub/sub, ...) into
 * the command pipeline and the store hooks. Each subsystem registers itself
 * here, so dispatch and the store never import them.
 *
 * @module
 */
import type { ServerState } from "./state.ts";
import { installBlocking } from "./commands/blocking.ts";
import { installWatch } from "./commands/transactions/watch.ts";
import { pipelineHooks } from "./commands/dispatch.ts";
import { subscribedContextGate } from "./pubsub/context_gate.ts";
import { installNotifications } from "./pubsub/notifications.ts";
import { installIntrospection } from "./commands/introspection/mod.ts";
import { installMemory } from "./commands/memory/mod.ts";
import { installAcl } from "./acl/install.ts";
import { installScripting } from "./scripting/runtime.ts";
import { installTracking } from "./tracking/tracking.ts";
import { Migrator } from "./migrate/migrate.ts";
import { installClientBuffers } from "./commands/connection/client_buffers.ts";

/** Installs every subsystem's hooks on `state`. */
export function installFeatures(state: ServerState): void {
  installBlocking(state);
  installWatch(state);
  installNotifications(state);
  installIntrospection(state);
  installMemory(state);
  installScripting(state);
  installTracking(state);
  state.migrate ??= new Migrator(state);
  installClientBuffers(state);
  // Last, so its gate goes first: Redis checks the ACL before BUSY and OOM.
  installAcl(state);
  if (!pipelineHooks.gates.includes(subscribedContextGate)) {
    pipelineHooks.gates.push(subscribedContextGate);
  }
}
