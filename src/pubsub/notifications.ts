/**
 * Keyspace notifications: with `notify-keyspace-events` set, every change a
 * command reports through `ctx.notify` is published on
 * `__keyspace@<db>__:<key>` (message: the event) and
 * `__keyevent@<db>__:<event>` (message: the key).
 *
 * When the setting is empty no listener is installed, so commands pay
 * nothing for notifications nobody asked for.
 *
 * @module
 */
import {
  type KeyspaceEventSink,
  NOTIFY_EVICTED,
  NOTIFY_EXPIRED,
  NOTIFY_GENERIC,
  NOTIFY_HASH,
  NOTIFY_KEY_MISS,
  NOTIFY_KEYEVENT,
  NOTIFY_KEYSPACE,
  NOTIFY_LIST,
  NOTIFY_MODULE,
  NOTIFY_NEW,
  NOTIFY_SET,
  NOTIFY_STREAM,
  NOTIFY_STRING,
  NOTIFY_ZSET,
  type ServerState,
} from "../state.ts";

const CLASS_BITS: Record<string, number> = {
  g: NOTIFY_GENERIC,
  $: NOTIFY_STRING,
  l: NOTIFY_LIST,
  s: NOTIFY_SET,
  h: NOTIFY_HASH,
  z: NOTIFY_ZSET,
  x: NOTIFY_EXPIRED,
  e: NOTIFY_EVICTED,
  t: NOTIFY_STREAM,
  d: NOTIFY_MODULE,
  n: NOTIFY_NEW,
  m: NOTIFY_KEY_MISS,
  K: NOTIFY_KEYSPACE,
  E: NOTIFY_KEYEVENT,
};

/** The NOTIFY_* bitmask of a `notify-keyspace-events` value. */
export function eventFlags(text: string): number {
  let flags = 0;
  for (const c of text) {
    if (c === "A") { for (const a of "g$lshzxetd") flags |= CLASS_BITS[a]!; }
    else flags |= CLASS_BITS[c] ?? 0;
  }
  return flags;
}

/** Installs (or removes) the notification publisher as the setting changes. */
export function installNotifications(server: ServerState): void {
  let sink: KeyspaceEventSink | undefined;
  const hooks = server.keyspace.hooks;
  const apply = (text: string) => {
    if (sink !== undefined) {
      const i = server.eventSinks.indexOf(sink);
      if (i >= 0) server.eventSinks.splice(i, 1);
      sink = undefined;
    }
    delete hooks.keyNew;
    const flags = eventFlags(text);
    // Without K or E nothing would be published.
    if ((flags & (NOTIFY_KEYSPACE | NOTIFY_KEYEVENT)) === 0) return;
    // Redis's dbAdd: every key created emits `new`; the store calls this
    // hook only while the `n` class is on, so creating keys costs nothing
    // otherwise.
    if (flags & NOTIFY_NEW) {
      hooks.keyNew = (db, key) => server.notify(NOTIFY_NEW, "new", key, db.id);
    }
    const pubsub = server.pubsub;
    sink = (type, event, key, db) => {
      if ((flags & type) === 0) return;
      // Nobody subscribed to anything: no channel names to build.
      if (pubsub.channels.size === 0 && pubsub.patterns.size === 0) return;
      if (flags & NOTIFY_KEYSPACE) {
        pubsub.publish(`__keyspace@${db}__:${key}`, event);
      }
      if (flags & NOTIFY_KEYEVENT) {
        pubsub.publish(`__keyevent@${db}__:${event}`, key);
      }
    };
    server.eventSinks.push(sink);
  };
  apply(server.config.get("notify-keyspace-events"));
  server.config.onChange("notify-keyspace-events", apply);
}
