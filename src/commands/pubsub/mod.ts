/**
 * Pub/Sub commands.
 *
 * @module
 */
import type { Command } from "../types.ts";
import { publish, spublish } from "./publish.ts";
import { pubsub } from "./pubsub.ts";
import {
  psubscribe,
  punsubscribe,
  ssubscribe,
  subscribe,
  sunsubscribe,
  unsubscribe,
} from "./subscribe.ts";

/** The pubsub group. */
export const pubsubCommands: readonly Command[] = [
  psubscribe,
  publish,
  pubsub,
  punsubscribe,
  spublish,
  ssubscribe,
  subscribe,
  sunsubscribe,
  unsubscribe,
];
