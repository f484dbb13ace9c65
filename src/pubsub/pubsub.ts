/**
 * Channel, pattern and shard-channel subscriptions, and message delivery.
 *
 * A message is encoded into each subscriber's output in that subscriber's
 * protocol (a push frame in RESP3, an array in RESP2) and flushed; output
 * limits drop subscribers that stop reading instead of buffering forever.
 *
 * @module
 */
import type { Client } from "../client.ts";
import type { ServerState } from "../state.ts";
import type { Reply } from "../protocol/types.ts";
import { encodeReply, writeReply } from "../protocol/encoder.ts";
import { NO_REPLY, push } from "../protocol/reply.ts";
import { globMatch } from "../util/glob.ts";
import { checkSoftLimits, enforceOutputLimits } from "./output_limits.ts";

/** The kinds of subscription, with the reply words Redis uses for each. */
export type SubscriptionKind = "channel" | "pattern" | "shard";

const WORDS: Record<SubscriptionKind, [string, string, string]> = {
  channel: ["subscribe", "unsubscribe", "message"],
  pattern: ["psubscribe", "punsubscribe", "pmessage"],
  shard: ["ssubscribe", "sunsubscribe", "smessage"],
};

/** All subscriptions of one server. */
export class PubSub {
  readonly #server: ServerState;
  readonly channels = new Map<string, Set<Client>>();
  readonly patterns = new Map<string, Set<Client>>();
  readonly shardChannels = new Map<string, Set<Client>>();

  /** Creates the registry and forgets clients that disconnect. */
  constructor(server: ServerState) {
    this.#server = server;
    server.clientCloseHooks.push((client) => this.unsubscribeAll(client));
    server.cronHooks.push(checkSoftLimits);
  }

  #registry(kind: SubscriptionKind): Map<string, Set<Client>> {
    return kind === "channel"
      ? this.channels
      : kind === "pattern"
      ? this.patterns
      : this.shardChannels;
  }

  #own(client: Client, kind: SubscriptionKind): Set<string> {
    return kind === "channel"
      ? client.channels
      : kind === "pattern"
      ? client.patterns
      : client.shardChannels;
  }

  // Shard subscriptions count separately from channels and patterns, as in Redis.
  #count(client: Client, kind: SubscriptionKind): number {
    return kind === "shard"
      ? client.shardChannels.size
      : client.channels.size + client.patterns.size;
  }

  /** Subscribes `client` to each name; returns the confirmation frames. */
  subscribe(
    client: Client,
    kind: SubscriptionKind,
    names: readonly string[],
  ): Reply[] {
    const registry = this.#registry(kind);
    const own = this.#own(client, kind);
    const frames: Reply[] = [];
    for (const name of names) {
      if (!own.has(name)) {
        own.add(name);
        let set = registry.get(name);
        if (set === undefined) {
          set = new Set();
          registry.set(name, set);
        }
        set.add(client);
      }
      frames.push(push([WORDS[kind][0], name, this.#count(client, kind)]));
    }
    return frames;
  }

  /** Unsubscribes from each name (all when `names` is empty); returns the frames. */
  unsubscribe(
    client: Client,
    kind: SubscriptionKind,
    names: readonly string[],
  ): Reply[] {
    const registry = this.#registry(kind);
    const own = this.#own(client, kind);
    const targets = names.length === 0 ? [...own] : names;
    const frames: Reply[] = [];
    for (const name of targets) {
      if (own.delete(name)) {
        const set = registry.get(name);
        set?.delete(client);
        if (set?.size === 0) registry.delete(name);
      }
      frames.push(push([WORDS[kind][1], name, this.#count(client, kind)]));
    }
    if (frames.length === 0) {
      frames.push(push([WORDS[kind][1], null, this.#count(client, kind)]));
    }
    return frames;
  }

  /**
   * The reply of a (P|S)(UN)SUBSCRIBE command: its confirmation frames.
   * Redis sends them even under CLIENT REPLY OFF or SKIP (it writes them
   * as pushes), so in those modes they go to the output at once and the
   * command itself replies nothing (SKIP is still used up).
   */
  confirmations(client: Client, frames: Reply[]): Reply {
    const reply: Reply = { kind: "sequence", items: frames };
    if (client.replyMode === "on") return reply;
    writeReply(client.out, reply, client.protocol);
    return NO_REPLY;
  }

  /** Drops every subscription of a client (disconnect, RESET). */
  unsubscribeAll(client: Client): void {
    for (const kind of ["channel", "pattern", "shard"] as const) {
      const registry = this.#registry(kind);
      for (const name of this.#own(client, kind)) {
        const set = registry.get(name);
        set?.delete(client);
        if (set?.size === 0) registry.delete(name);
      }
      this.#own(client, kind).clear();
    }
  }

  /** PUBLISH: delivers to channel and pattern subscribers; returns how many received it. */
  publish(channel: string, message: string): number {
    let receivers = 0;
    const subscribers = this.channels.get(channel);
    if (subscribers !== undefined) {
      receivers += this.#fanOut(
        subscribers,
        push(["message", channel, message]),
      );
    }
    if (this.patterns.size !== 0) {
      for (const [pattern, clients] of this.patterns) {
        if (!globMatch(pattern, channel)) continue;
        receivers += this.#fanOut(
          clients,
          push(["pmessage", pattern, channel, message]),
        );
      }
    }
    return receivers;
  }

  /** SPUBLISH: delivers to shard-channel subscribers. */
  shardPublish(channel: string, message: string): number {
    const subscribers = this.shardChannels.get(channel);
    if (subscribers === undefined) return 0;
    return this.#fanOut(subscribers, push(["smessage", channel, message]));
  }

  // Encodes the frame once per protocol, however many clients receive it.
  // A client that the output limit disconnects still counts as a receiver
  // (Redis closes it asynchronously, after counting it).
  #fanOut(clients: Set<Client>, frame: Reply): number {
    let resp2: Uint8Array | undefined;
    let resp3: Uint8Array | undefined;
    let receivers = 0;
    for (const client of clients) {
      receivers++;
      if (client.closed) continue;
      const bytes = client.protocol === 2
        ? (resp2 ??= encodeReply(frame, 2))
        : (resp3 ??= encodeReply(frame, 3));
      client.out.bytes(bytes);
      if (!enforceOutputLimits(this.#server, client)) client.flush();
    }
    return receivers;
  }
}
