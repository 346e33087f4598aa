import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import { EVENT_DELIVERY, type DomainEvent, type DomainEventName } from '../common/domain-events';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DomainEventListener } from './event-listener';
import { OutboxRepository, type RetryPolicy } from './outbox.repository';

/** Events handed to a listener at once: large enough to work set-wise, small enough to commit often. */
const BATCH = 500;
/** How long deliveries a process holds stay its own without renewal: a killed process's are taken over after it. */
const LEASE_SECONDS = 5;
const RENEW_MS = 1_500;
/** How often an idle dispatcher looks for due deliveries (failed ones whose backoff ran out, a dead process's). */
const POLL_MS = 500;
/** Pause after a failed dispatcher round (the database away, say). */
const RETRY_MS = 2_000;
const SWEEP_MS = 30_000;
/** Handled events stay this long before the sweep deletes them (longer than any commit takes to land). */
const KEEP_HANDLED_SECONDS = 60;
const MAX_BACKOFF_SECONDS = 300;

/** One listener's events waiting or being handled in this process. */
class Lane {
  readonly queue: { event: DomainEvent; done: () => void }[] = [];
  /** Ids of recorded events this process holds for the listener (queued or running): their lease is renewed. */
  readonly held = new Set<string>();
  running: Promise<void> | null = null;

  constructor(
    readonly listener: DomainEventListener,
    /** Whether its deliveries are tracked (false for a listener of this process's memory only). */
    readonly tracked: boolean,
  ) {}
}

/**
 * Hands domain events to their listeners. After a commit in this process, at once (`deliverHere`); a
 * dispatcher on every instance with workers takes over what is due in `event_deliveries`: deliveries whose
 * listener failed (after its backoff) and those a dead process left (after its lease). Each listener has its
 * own lane: its batches run one at a time, events arriving meanwhile join the next batch, and a failure is
 * retried for that listener alone.
 */
@Injectable()
export class EventPipeline implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EventPipeline');
  private readonly lanes = new Map<string, Lane>();
  private readonly retry: RetryPolicy;
  private loop: Promise<void> = Promise.resolve();
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private wake: () => void = () => undefined;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly outbox: OutboxRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.retry = { baseSeconds: config.eventRetrySeconds, maxSeconds: MAX_BACKOFF_SECONDS, maxAttempts: config.eventMaxAttempts };
  }

  onModuleInit(): void {
    for (const { instance } of this.discovery.getProviders()) {
      if (instance instanceof DomainEventListener) this.register(instance);
    }
  }

  onApplicationBootstrap(): void {
    this.timers = [setInterval(() => void this.renewLeases(), RENEW_MS)];
    if (!this.config.workers) return;
    this.timers.push(setInterval(() => void this.sweep(), SWEEP_MS));
    this.loop = this.dispatch();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
    await this.settled();
    for (const timer of this.timers) clearInterval(timer);
  }

  /** Adds a listener (those of the app's modules are found at start; tests add their own). */
  register(listener: DomainEventListener): void {
    if (this.lanes.has(listener.name)) throw new Error(`two event listeners are named ${listener.name}`);
    const tracked = !listener.inProcessOnly;
    const inProcessEvents = listener.events.filter((name) => EVENT_DELIVERY[name] === 'in-process');
    if (tracked && inProcessEvents.length) throw new Error(`listener ${listener.name} keeps delivery state but takes in-process events (${inProcessEvents.join(', ')})`);
    this.lanes.set(listener.name, new Lane(listener, tracked));
  }

  /** Every listener, by name, with the events it takes. */
  catalogue(): { name: string; events: readonly DomainEventName[] }[] {
    return [...this.lanes.values()].map(({ listener }) => ({ name: listener.name, events: listener.events }));
  }

  has(listenerName: string): boolean {
    return this.lanes.has(listenerName);
  }

  /**
   * Records the durable events among `raised` (those some tracked listener takes) with a delivery per
   * listener, in the caller's transaction; returns what `deliverHere` should tell after the commit.
   */
  async record(raised: DomainEvent[], manager: EntityManager): Promise<DomainEvent[]> {
    const durable = raised.flatMap((event) => {
      const listeners = EVENT_DELIVERY[event.name] === 'durable' ? this.listenersOf(event.name, true) : [];
      return listeners.length ? [{ event, listeners }] : [];
    });
    const recorded = await this.outbox.record(durable, manager, LEASE_SECONDS);
    const ids = new Map(durable.map(({ event }, index) => [event, recorded[index].id]));
    return raised.map((event) => (ids.has(event) ? { ...event, id: ids.get(event) } : event));
  }

  /**
   * Tells this process's listeners about events committed here. Recorded ones (with an id) are held by this
   * process until each tracked listener has handled them; a failure leaves them to the dispatcher's backoff.
   */
  deliverHere(events: DomainEvent[]): void {
    for (const lane of this.lanes.values()) {
      // A tracked listener takes only what was recorded for it; the others take whatever they listen to.
      const taken = events.filter((event) => lane.listener.events.includes(event.name) && (!lane.tracked || event.id !== undefined));
      if (taken.length) void this.enqueue(lane, taken);
    }
  }

  /** Wakes the dispatcher (after an admin asked for dead letters to be retried, say). */
  nudge(): void {
    this.wake();
  }

  /** Resolves when this process's lanes are idle. */
  async settled(): Promise<void> {
    for (;;) {
      const running = [...this.lanes.values()].flatMap((lane) => (lane.running ? [lane.running] : []));
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  /** Resolves once every listener has tried what is owed to it (tests wait for reactions with it); retries are not awaited. */
  async drained(): Promise<void> {
    for (;;) {
      await this.settled();
      if ((await this.outbox.untried()) === 0) return;
      this.wake();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private listenersOf(name: DomainEventName, tracked: boolean): string[] {
    return [...this.lanes.values()].filter((lane) => lane.tracked === tracked && lane.listener.events.includes(name)).map((lane) => lane.listener.name);
  }

  /** Queues events on a lane (those it holds already left out); resolves when the lane has handled (or given up on) them. */
  private enqueue(lane: Lane, events: DomainEvent[]): Promise<void> {
    const fresh = events.filter((event) => !(lane.tracked && event.id !== undefined && lane.held.has(event.id)));
    const handled = Promise.all(
      fresh.map((event) => {
        if (lane.tracked && event.id !== undefined) lane.held.add(event.id);
        return new Promise<void>((done) => lane.queue.push({ event, done }));
      }),
    ).then(() => undefined);
    lane.running ??= this.work(lane);
    return handled;
  }

  private async work(lane: Lane): Promise<void> {
    // Lets events told in the same tick (a burst of commits) join the first batch.
    await Promise.resolve();
    while (lane.queue.length) {
      const batch = lane.queue.splice(0, BATCH);
      const events = batch.map((entry) => entry.event);
      const ids = lane.tracked ? events.flatMap((event) => (event.id === undefined ? [] : [event.id])) : [];
      try {
        const failure = await lane.listener.handle(events).then(
          () => null,
          (error: unknown) => describe(error),
        );
        if (failure !== null) this.logger.error(`listener ${lane.listener.name} failed on ${events.length} event(s)${ids.length ? ', to be retried' : ''}: ${failure}`);
        if (ids.length) await (failure === null ? this.outbox.delivered(lane.listener.name, ids) : this.outbox.failed(lane.listener.name, ids, failure, this.retry));
      } catch (error) {
        this.logger.warn(`recording ${lane.listener.name}'s delivery state failed (${describe(error)}); its lease will run out and the events come again`);
      } finally {
        for (const id of ids) lane.held.delete(id);
        for (const entry of batch) entry.done();
      }
    }
    lane.running = null;
  }

  /** Takes due deliveries and hands them to their lanes, batch after batch, until stopped. */
  private async dispatch(): Promise<void> {
    while (!this.stopped) {
      const tracked = [...this.lanes.values()].filter((lane) => lane.tracked).map((lane) => lane.listener.name);
      const claimed = await this.outbox.claimDue(tracked, BATCH, LEASE_SECONDS).catch((error: unknown) => {
        this.logger.warn(`claiming due event deliveries failed (${describe(error)}); retrying`);
        return null;
      });
      if (claimed === null) {
        await this.sleep(RETRY_MS);
        continue;
      }
      const byListener = new Map<string, DomainEvent[]>();
      for (const { listener, event } of claimed) byListener.set(listener, [...(byListener.get(listener) ?? []), event]);
      await Promise.all([...byListener].map(([name, events]) => this.enqueue(this.lanes.get(name) as Lane, events)));
      if (claimed.length < BATCH) await this.sleep(POLL_MS);
    }
  }

  private async renewLeases(): Promise<void> {
    for (const lane of this.lanes.values()) {
      if (lane.held.size === 0) continue;
      await this.outbox.renew(lane.listener.name, [...lane.held], LEASE_SECONDS).catch((error: unknown) => this.logger.warn(`renewing ${lane.listener.name}'s leases failed: ${describe(error)}`));
    }
  }

  private async sweep(): Promise<void> {
    await this.outbox.sweep(KEEP_HANDLED_SECONDS).catch((error: unknown) => this.logger.warn(`sweeping handled events failed: ${describe(error)}`));
  }

  /** Waits `ms`, or less if nudged meanwhile. */
  private async sleep(ms: number): Promise<void> {
    if (this.stopped) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(finish, ms);
      function finish() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = finish;
    });
    this.wake = () => undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
