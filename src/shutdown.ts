/**
 * Orderly shutdown, as Redis 7.0's prepareForShutdown and finishShutdown:
 * unless NOW is given (or shutdown-timeout is 0), a master whose replicas
 * have not acknowledged the whole stream first pauses writes, asks them for
 * an ACK and waits, up to shutdown-timeout seconds, so a failover loses
 * nothing; then it stops a BGSAVE, flushes and fsyncs the AOF, and saves
 * the final RDB. SHUTDOWN ABORT, or a failed save, cancels a waiting
 * shutdown: writes resume and the SHUTDOWN callers are answered with an
 * error.
 *
 * @module
 */
import { log } from "./log.ts";
import type { ServerState, ShutdownOptions } from "./state.ts";

/** A shutdown waiting for replicas. */
interface Pending {
  opts: ShutdownOptions;
  /** Unix ms: finish then, in sync or not. */
  deadline: number;
  /** Our write pause, and the pause it replaced (restored on cancel). */
  pause: { until: number; all: boolean };
  previousPause: { until: number; all: boolean } | undefined;
  cancelled: ((aborted: boolean) => void)[];
}

/** Installs `state.shutdown` and `state.abortShutdown`; `stop` ends the process's server. */
export function installShutdown(state: ServerState, stop: () => void): void {
  let pending: Pending | undefined;

  const releasePause = (p: Pending): void => {
    if (state.pause !== p.pause) return;
    const previous = p.previousPause;
    state.endPause(
      previous !== undefined && state.clock.now() < previous.until
        ? previous
        : undefined,
    );
  };

  // Redis's cancelShutdown: writes resume, the callers hear it failed.
  const cancel = (aborted: boolean): void => {
    const p = pending;
    if (p === undefined) return;
    pending = undefined;
    for (const f of p.cancelled) f(aborted);
    releasePause(p);
  };

  // Redis's finishShutdown: true when the server is on its way out.
  const finish = (opts: ShutdownOptions): boolean => {
    let save = opts.save ?? false;
    let nosave = opts.nosave ?? false;
    const force = opts.force ?? false;
    // Saving a half-loaded dataset would overwrite the good file.
    if (state.loading) {
      save = false;
      nosave = true;
      state.rdb?.abortLoading();
    }
    state.replication?.logShutdownReplicas();
    const rdb = state.rdb;
    if (rdb?.saving) {
      log.warning("There is a child saving an .rdb. Killing it!");
      rdb.killBackgroundSave(true);
    }
    const ok = (state.aof?.shutdown(force) ?? true) &&
      (rdb?.shutdownSave({ save, nosave, force }) ?? true);
    if (!ok) {
      log.warning(
        "Errors trying to shut down the server. Check the logs for more information.",
      );
      cancel(false);
      return false;
    }
    // Writes held by the pause stay held: they would land after the save.
    pending = undefined;
    queueMicrotask(stop);
    return true;
  };

  state.shutdown = (opts, onCancel) => {
    if (pending !== undefined) {
      // Already initiated: this caller waits for the same outcome.
      if (onCancel !== undefined) pending.cancelled.push(onCancel);
      return "waiting";
    }
    log.warning("User requested shutdown...");
    state.notifySupervisor("STOPPING=1\n");
    const timeout = state.config.number("shutdown-timeout");
    const repl = state.replication;
    if (
      !(opts.now ?? false) && timeout !== 0 && repl !== undefined &&
      !repl.replicasInSync
    ) {
      const now = state.clock.now();
      const previous = state.pause !== undefined && now < state.pause.until
        ? state.pause
        : undefined;
      // Paused writes have nothing new for replicas to acknowledge; Redis
      // sends no GETACK then either.
      if (previous === undefined) repl.requestAck();
      const pause = {
        until: Number.MAX_SAFE_INTEGER,
        all: previous?.all ?? false,
      };
      state.pause = pause;
      pending = {
        opts,
        deadline: now + timeout * 1000,
        pause,
        previousPause: previous,
        cancelled: onCancel === undefined ? [] : [onCancel],
      };
      log.notice("Waiting for replicas before shutting down.");
      return "waiting";
    }
    return finish(opts) ? "stopping" : "failed";
  };

  state.abortShutdown = () => {
    if (pending === undefined) return false;
    cancel(true);
    log.notice("Shutdown manually aborted.");
    return true;
  };

  // serverCron: finish once every replica caught up, or time is up.
  state.cronHooks.push(() => {
    const p = pending;
    if (p === undefined) return;
    if (
      state.clock.now() >= p.deadline ||
      (state.replication?.replicasInSync ?? true)
    ) {
      finish(p.opts);
    }
  });
}
