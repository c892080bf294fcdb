// The transport sender of one destination: every upload interval (or as soon as a full container waits),
// send containers until less than a full one is left; retry failures with capped full-jitter backoff;
// delete only what the sink acknowledged.
//
// Response handling, in this order: decode (a body that does not decode is retried), persist piggybacked
// commands (only then may the next request list them in receivedCommands), record the sink's clock
// offset, delete what acknowledgeUntil and acknowledgedContainer cover. acknowledgeUntil is never applied
// beyond the highest sequence this process has sent: a sink cannot hold what it never received.

import { EventEmitter } from 'node:events';
import { Backoff } from '../../common/backoff.js';
import type { Logger } from '../../common/log.js';
import type { DspMessage, MessagesContainer } from '../../protocol/model.js';
import type { DurableQueue } from '../queue/durable-queue.js';
import type { Endpoint, RuntimeSettings } from '../settings/runtime-settings.js';
import type { AgentMetrics } from '../status/agent-metrics.js';
import {
  BatchLimits,
  buildContainer,
  chooseLane,
  fitContainer,
  nextBatch,
  WHOLE_QUEUE,
  type BatchBounds,
  type ContainerFields,
  type Lane,
} from './batcher.js';
import type { ContainerCodec } from './codec.js';
import { encodeUpload, type Exchange, type HttpClient, type UploadBody } from './http-client.js';

export type { ContainerCodec } from './codec.js';

/** Where piggybacked commands go; implemented by commands/command-store.ts. */
export interface CommandInbox {
  /** Persists the commands durably (idempotent for known ids). */
  receive(destination: string, commands: DspMessage[]): Promise<void>;
  /** Command ids to list in the next request's receivedCommands. */
  receipts(destination: string): string[];
  /** The sink has received these receipts (the request listing them got a 200). */
  receiptsDelivered(destination: string, ids: string[]): void;
}

export interface SenderOptions {
  destination: string;
  gatewayId: string;
  queue: DurableQueue;
  settings: RuntimeSettings;
  http: HttpClient;
  codec: ContainerCodec;
  inbox: CommandInbox;
  gzip: boolean;
  backoff: { baseMs: number; capMs: number };
  metrics: AgentMetrics;
  logger: Logger;
  now?: () => number;
  /** Backfill requests in flight at once (default 2); 1 sends strictly one request at a time. */
  maxInFlight?: number;
  /** Told the body bytes of each exchange, both ways (the data plan counts them). */
  onLinkBytes?: (bytes: number) => void;
}

/** The default of upload.max_in_flight (agent/config/schema.ts): see IN_FLIGHT_BYTES. */
export const DEFAULT_MAX_IN_FLIGHT = 3;
/**
 * Beyond two requests in flight, another joins only while the bodies in flight total less than this. Two
 * keep the link busy while the next container is prepared and the sink stores the current one when their
 * bodies are large (XML, bigger containers); gzip'd columnar containers of 500 readings are ~6 KB, 0.13 s
 * of a 384 kbit/s link, less than the sink's store and the answer's way back, so two of them left the link
 * idle at every answer (drain_slow_link 1.39x its floor; 1.25x with a third).
 */
export const IN_FLIGHT_BYTES = 16 * 1024;

/**
 * A container ready to post: its encoded body and what handling the answer needs of it. The decoded entries
 * and the container are not kept: while a request is in flight they would only survive garbage collections.
 */
interface Prepared {
  lane: Lane;
  containerId: string;
  clockOffsetMs: number | undefined;
  messageCount: number;
  /** The queue entries' sequences, oldest first. */
  sequences: number[];
  /** The one entry the container carries, if it carries exactly one (what a refusal sets aside). */
  single: { sequence: number; messageId: string; gapReport: boolean } | undefined;
  receipts: string[];
  carriesNewest: boolean;
  endpoint: Endpoint;
  upload: UploadBody;
  /** The queue's removalCount before its entries were read: unchanged, the body still carries queued entries. */
  removals: number;
}

/** A container that may join the window: its lane and the sequences it may take. */
interface Following {
  lane: Lane;
  bounds: BatchBounds;
}

interface InFlight {
  prepared: Prepared;
  sentAt: number;
  result: Promise<Exchange>;
}

const COMMAND_KINDS = new Set(['UpdateMessage', 'QueryMessage']);
/** Attempts at a gap report the sink refuses on its own before it is set aside (without a new report). */
const GAP_REPORT_ATTEMPTS = 5;
/**
 * The clock offset is sent again only when it moved this much from the value the sink last received (the
 * sink keeps that value): an attribute in every upload would cost 0.012× of the wire-size budget (§9).
 */
const CLOCK_REPORT_STEP_MS = 1000;

/** `promise`, marked as handled: it may reject before it is awaited (or be dropped). */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** What the 'exchange' event carries after each attempt. */
export interface ExchangeEvent {
  ok: boolean;
  /** The HTTP status of a failed attempt that got an answer (401: the sink refuses our token). */
  status?: number;
  /** The endpoint the attempt used (a provisional one is confirmed only by its own success). */
  endpoint: Endpoint;
  /** The sink's certificate was refused (agent/transport/sink-tls.ts): said in /status until a success. */
  tlsProblem?: string;
}

/** Events: 'exchange' (ExchangeEvent) after each attempt; 'commands' after new commands were stored. */
export class Sender extends EventEmitter {
  private running = false;
  private loop: Promise<void> | undefined;
  /** Ends the current wait early: set during interval waits (new full batch, poke) ... */
  private wakeSleep: (() => void) | undefined;
  /** ... and during every wait (stop). */
  private stopSleep: (() => void) | undefined;
  /** The wait before the next attempt, when the failure dictates it (Retry-After, refusal). */
  private retryDelay: number | undefined;
  private lastLiveAt = 0;
  private highestSent = 0;
  private lastSuccessAt = 0;
  private clockOffsetMs: number | undefined;
  /** The clock offset the sink last received (in a request it answered with a 200). */
  private reportedOffsetMs: number | undefined;
  /** Entries per container, halved after a 413 or 400 so the offending reading can be found; reset by a success. */
  private limitOverride: number | undefined;
  /** Refusals of a gap report found alone by bisection while the sink accepted an empty container. */
  private readonly gapRefusals = new Map<number, number>();
  /**
   * The container of the attempt that failed (no answer, 5xx, 429, 401...): the retry re-sends its encoded
   * body as it is instead of reading, encoding and gzipping the same entries again at every backoff while the
   * link is down. Dropped by any answer that changes what the next container should be (success, refusal).
   */
  private failed: Prepared | undefined;
  /** No answer from the sink since the start, or the last attempt got none: see sinkReachable(). */
  private linkMayBeDown = true;
  private readonly backoff: Backoff;
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(private readonly o: SenderOptions) {
    super();
    this.backoff = new Backoff(o.backoff);
    this.now = o.now ?? Date.now;
    this.log = o.logger.child({ destination: o.destination });
    this.onEnqueued = this.onEnqueued.bind(this);
  }

  get lastClockOffsetMs(): number | undefined {
    return this.clockOffsetMs;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.o.queue.on('enqueued', this.onEnqueued);
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.o.queue.off('enqueued', this.onEnqueued);
    this.stopSleep?.();
    await this.loop;
  }

  /** Sends now instead of at the next interval (tests, and after a remote change of the interval). */
  poke(): void {
    this.wakeSleep?.();
  }

  private onEnqueued(depth: number): void {
    if (depth >= this.limits().maxMessages) this.wakeSleep?.();
  }

  private limits(): BatchLimits {
    const s = this.o.settings;
    return { maxMessages: Math.min(s.batchMaxMessages, this.limitOverride ?? Infinity), maxBytes: s.batchMaxBytes };
  }

  private async run(): Promise<void> {
    while (this.running) {
      const cycleStart = this.now();
      try {
        await this.drain();
      } catch (err) {
        // A queue read failing is not a reason to stop sending forever: log, wait, try again.
        this.log.error('send cycle failed', { err });
      }
      const wait = this.o.settings.uploadIntervalS * 1000 - (this.now() - cycleStart);
      await this.sleep(Math.max(0, wait), true);
    }
  }

  /** Requests in flight at once: pipelining stops after a failure (backoff) and during refusal bisection. */
  private inFlightLimit(): number {
    return this.pipelining() ? Math.max(1, this.o.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT) : 1;
  }

  /** maxInFlight requests at most; beyond two, only while their bodies are small (IN_FLIGHT_BYTES). */
  private windowFull(window: InFlight[]): boolean {
    if (window.length >= this.inFlightLimit()) return true;
    return window.length >= 2 && window.reduce((n, w) => n + w.prepared.upload.body.length, 0) >= IN_FLIGHT_BYTES;
  }

  private pipelining(): boolean {
    return this.backoff.failures === 0 && this.limitOverride === undefined;
  }

  /**
   * Exchanges until less than a full container is left; the first exchange happens even with an empty
   * queue (it reports receipts and polls for commands). While the oldest request is in flight, the
   * containers that may follow it (see following()) are read, encoded, gzip'd and posted, up to maxInFlight
   * requests, so that the link does not idle while the agent prepares a container or the sink stores one.
   * With the window full, the next container is prepared while the oldest answer is awaited, and posted as
   * soon as that answer is handled: a read, encode and gzip between an answer and the next request left
   * the link idle at every answer (docs/benchmarks.md, drain_slow_link). Answers are handled in the order
   * the requests were sent. A failure drops the prepared container, lets the requests in flight finish,
   * then waits its backoff delay and starts again from the oldest entry, one request at a time until a
   * success.
   */
  private async drain(): Promise<void> {
    const window: InFlight[] = [];
    /** The container prepared while the window is full, posted after the oldest answer (dropped after a failure). */
    let ahead: Promise<Prepared> | undefined;
    try {
      while (this.running) {
        if (ahead) {
          // Prepared while the window was full; the window only shrank since: it carries none of its entries.
          const next = await ahead;
          ahead = undefined;
          if (next.sequences.length > 0 && this.running) window.push(this.post(next));
        }
        if (window.length === 0) {
          if (this.nothingToSay()) return;
          if (!(await this.sinkReachable())) {
            await this.sleep(this.retryDelay ?? 0, false);
            this.retryDelay = undefined;
            continue;
          }
          window.push(this.post(await this.prepare()));
        }
        for (let following = this.following(window); following; following = this.following(window)) {
          if (!this.running) break;
          if (this.windowFull(window)) {
            // Not while retrying: an answer that fails again would waste the encode (agent_offline_cpu_per_retry).
            if (this.pipelining()) ahead = quiet(this.prepare(following));
            break;
          }
          const next = await this.prepare(following);
          if (next.sequences.length === 0) break;
          window.push(this.post(next));
        }
        if (!(await this.complete(window.shift()!, true))) {
          await ahead?.catch(() => undefined);
          ahead = undefined;
          const delay = this.retryDelay ?? 0;
          while (window.length > 0) await this.complete(window.shift()!, false);
          // The longest wait either failure asks for (a refusal behind a 503 does not cancel its backoff).
          this.retryDelay = Math.max(delay, this.retryDelay ?? 0);
          await this.sleep(this.retryDelay, false);
          this.retryDelay = undefined;
          continue;
        }
        if (window.length === 0 && this.o.queue.stats().depth < this.limits().maxMessages) return;
      }
    } finally {
      // stop() or a failed queue read: the requests already sent still get their answers applied.
      await ahead?.catch(() => undefined);
      while (window.length > 0) await this.complete(window.shift()!, false);
    }
  }

  /**
   * While the link may be down (no answer yet since the start, or the last attempt got none), a TCP
   * connection to the sink is tried before a container is read, encoded and gzip'd: refused or timed out,
   * the attempt fails there, at the cost of a connect (issue 17: a gateway that starts, or waits, without its
   * link did all that work, and the garbage of a 500-reading encode stayed resident for seconds). A link
   * that is up pays one more TCP connection at the start and after each outage. A pooled connection needs
   * no test.
   */
  private async sinkReachable(): Promise<boolean> {
    if (!this.linkMayBeDown) return true;
    const endpoint = this.o.settings.endpoint(this.o.destination);
    if (this.o.http.idleConnections(endpoint.url) > 0) return true;
    const failure = await this.o.http.reachable(endpoint.url);
    if (failure === undefined) return true;
    this.retryLater(failure, 0, { entries: 0 });
    this.emit('exchange', { ok: false, endpoint } satisfies ExchangeEvent);
    return false;
  }

  /**
   * A failed attempt (no answer, or one that says "later"): counted, the backoff (or the sink's Retry-After
   * when longer) set as the wait before the next, and logged (`status` 0 or absent: no answer).
   */
  private retryLater(
    failure: string,
    status: number | undefined,
    o: { entries: number; lane?: Lane; retryAfterMs?: number; needsPerson?: boolean },
  ): void {
    const { destination, metrics } = this.o;
    metrics.exchanges.inc({ destination, outcome: 'retry' });
    metrics.retries.inc({
      destination,
      reason: status ? `http_${status}` : /timeout/i.test(failure) ? 'timeout' : 'network',
    });
    const delay = this.backoff.next();
    this.retryDelay = o.retryAfterMs !== undefined ? Math.max(o.retryAfterMs, delay) : delay;
    this.log[o.needsPerson ? 'error' : 'warn']('exchange failed, will retry', {
      reason: failure,
      status,
      entries: o.entries,
      lane: o.lane,
      retryInMs: this.retryDelay,
      failures: this.backoff.failures,
    });
  }

  /**
   * An empty queue, no receipts to report, and a contact less than half an interval ago (a cycle that
   * follows a long drain or retry at once): no request needed to poll for commands.
   */
  private nothingToSay(): boolean {
    return (
      this.o.queue.stats().depth === 0 &&
      this.o.inbox.receipts(this.o.destination).length === 0 &&
      this.now() - this.lastSuccessAt < this.o.settings.uploadIntervalS * 500
    );
  }

  /**
   * The container that may join a window in flight, if one may (undefined: none). Every container of the
   * window carries other entries, so that no reading is in flight twice:
   * - the live container once the live lane is due (one at a time), of the newest entries above the last
   *   backfill in flight, while a full container's worth lies there: the window does not have to empty first,
   *   which left the link idle for a round trip and the sink's store at every upload interval;
   * - else a backfill container of the entries that follow the last backfill in flight and precede the live
   *   container in flight, while a full container's worth lies there;
   * - behind a live container alone (the first of a window while the live lane was due, as at every start
   *   with a backlog), a backfill container of the oldest entries, while a full container's worth lies
   *   below it (every queued entry outside the live container is older than it).
   * Nothing joins before the encoding is settled: by this process's first answer, or from the start when
   * the codec remembers what this sink accepts (codec.ts). Unsettled, the first requests would all go as
   * XML to a sink that may take columnar. A remembered encoding the sink refuses (415) costs the requests
   * in flight: each is refused as a whole and its entries go again as XML (complete()), nothing set aside.
   */
  private following(window: InFlight[]): Following | undefined {
    const settled = this.lastSuccessAt !== 0 || this.o.codec.settled === true;
    if (!settled || window.some((w) => w.prepared.sequences.length === 0)) return undefined;
    const backfill = window.filter((w) => w.prepared.lane === 'backfill').at(-1);
    const live = window.find((w) => w.prepared.lane === 'live');
    const { maxMessages } = this.limits();
    const { lastSequence, depth } = this.o.queue.stats();
    if (!backfill) {
      if (!live || depth - live.prepared.sequences.length < maxMessages) return undefined;
      return { lane: 'backfill', bounds: { after: 0, before: live.prepared.sequences[0]! } };
    }
    const after = backfill.prepared.sequences.at(-1)!;
    if (!live && this.liveDue()) {
      return lastSequence - after >= maxMessages ? { lane: 'live', bounds: { after, before: Infinity } } : undefined;
    }
    const before = live ? live.prepared.sequences[0]! : lastSequence + 1;
    return before - 1 - after >= maxMessages ? { lane: 'backfill', bounds: { after, before } } : undefined;
  }

  private liveDue(): boolean {
    return this.now() - this.lastLiveAt >= this.o.settings.uploadIntervalS * 1000;
  }

  /**
   * The next container, encoded and (when configured) gzip'd: the first of a window (the failed one again,
   * or the lane that is due), or `following` one that joins a window in flight.
   */
  private async prepare(following?: Following): Promise<Prepared> {
    const { queue, settings, destination } = this.o;
    if (!following) {
      const again = this.retryOfFailed();
      if (again) return again;
    }
    const removals = queue.removalCount;
    const limits = this.limits();
    const batch = following
      ? await nextBatch(queue, limits, following.lane, following.bounds)
      : await nextBatch(queue, limits, chooseLane(queue.stats().depth, limits, this.liveDue()), WHOLE_QUEUE);
    const stats = queue.stats();
    const receipts = this.o.inbox.receipts(destination);
    const fields = this.containerFields(receipts);
    const { entries, container, encoded } = fitContainer(
      batch,
      limits.maxBytes,
      (messages) => buildContainer(messages, fields),
      (c) => this.o.codec.encode(c),
      (e) => Buffer.byteLength(e.data),
    );
    const sequences = entries.map((e) => e.message.sequence!);
    // The newest readings went out (live lane, or a backfill that reached the end): the live lane rests an interval.
    const carriesNewest = batch.lane === 'live' || sequences.at(-1) === stats.lastSequence;
    const upload = await encodeUpload(encoded, this.o.gzip);
    const only = entries.length === 1 ? entries[0]!.message : undefined;
    return {
      lane: batch.lane,
      containerId: container.id,
      clockOffsetMs: container.clockOffsetMs,
      messageCount: container.messages.length,
      sequences,
      single: only
        ? { sequence: only.sequence!, messageId: only.messageId, gapReport: only.body.type === 'GapReport' }
        : undefined,
      receipts,
      carriesNewest,
      endpoint: settings.endpoint(destination),
      upload,
      removals,
    };
  }

  /**
   * The failed container, to be sent again as it was encoded, while it still carries exactly queued entries
   * (nothing left the queue since it was read, so it also still starts at the oldest entry) and the command
   * receipts it lists are still the ones to report. The endpoint is the current one (a trial may have ended).
   */
  private retryOfFailed(): Prepared | undefined {
    const failed = this.failed;
    this.failed = undefined;
    const { queue, destination } = this.o;
    if (!failed || failed.removals !== queue.removalCount) return undefined;
    const receipts = this.o.inbox.receipts(destination);
    if (receipts.length !== failed.receipts.length || receipts.some((r, i) => r !== failed.receipts[i]))
      return undefined;
    return {
      ...failed,
      // A live container re-sent later no longer carries the newest readings: the live lane stays due.
      carriesNewest: failed.sequences.at(-1) === queue.stats().lastSequence,
      endpoint: this.o.settings.endpoint(destination),
    };
  }

  private containerFields(receipts: string[]): ContainerFields {
    const stats = this.o.queue.stats();
    return {
      destination: this.o.destination,
      gatewayId: this.o.gatewayId,
      receivedCommands: receipts,
      queueDepth: stats.depth,
      nextSequence: stats.lastSequence + 1,
      clockOffsetMs: this.offsetToReport(),
      now: this.now(),
    };
  }

  private post(prepared: Prepared): InFlight {
    // acknowledgeUntil may be applied up to what was sent, whichever answer comes first.
    for (const sequence of prepared.sequences) this.highestSent = Math.max(this.highestSent, sequence);
    const { url, token } = prepared.endpoint;
    const result = this.o.http
      .send(url, token, prepared.upload)
      .catch((err: Error): Exchange => ({ kind: 'retry', reason: err.message, bytesSent: 0 }));
    return { prepared, sentAt: this.now(), result };
  }

  /**
   * Handles one request's answer. `oldest`: no earlier request of this window failed, so a success resets
   * the backoff and the bisection limit (an answer that follows a failure applies its acks, nothing else).
   */
  private async complete(inFlight: InFlight, oldest: boolean): Promise<boolean> {
    const { destination, metrics } = this.o;
    const { prepared, sentAt } = inFlight;
    const { lane, sequences, receipts, endpoint } = prepared;
    const result = await inFlight.result;
    const receivedAt = this.now();
    this.linkMayBeDown = result.kind === 'retry' && !result.status;
    metrics.bytesSent.inc({ destination }, result.bytesSent);
    this.o.onLinkBytes?.(result.bytesSent + (result.kind === 'ok' ? result.body.byteLength : 0));

    if (result.kind === 'refused') {
      this.failed = undefined;
      metrics.exchanges.inc({ destination, outcome: `refused_${result.status}` });
      if (result.status === 415 && this.o.codec.refused?.(prepared.upload.contentType ?? '', endpoint.url)) {
        // The sink stopped taking the negotiated encoding (or never took the remembered one): the same entries
        // go again at once, as XML, from the oldest entry, as every other request of the window refused so.
        this.retryDelay = 0;
        this.log.warn('sink refused the columnar encoding; sending XML', { reason: result.reason });
        this.emit('exchange', { ok: false, endpoint, status: result.status } satisfies ExchangeEvent);
        return false;
      }
      await this.handleRefusal(prepared, result.status, result.reason);
      this.emit('exchange', { ok: false, endpoint, status: result.status } satisfies ExchangeEvent);
      return false;
    }
    let response: MessagesContainer | undefined;
    let failure = result.kind === 'retry' ? result.reason : '';
    if (result.kind === 'ok') {
      try {
        response = this.o.codec.decode(result.body);
      } catch (err) {
        failure = `unreadable response: ${(err as Error).message}`;
      }
    }
    if (!response) {
      const status = result.kind === 'retry' ? result.status : 200;
      // A refused token needs a person (or a remote token change); anything else usually heals by itself.
      const needsPerson = status === 401 || status === 403 || (result.kind === 'retry' && !!result.tlsProblem);
      const retryAfterMs = result.kind === 'retry' ? result.retryAfterMs : undefined;
      this.retryLater(failure, status, { entries: sequences.length, lane, retryAfterMs, needsPerson });
      // The retry starts from the oldest failed request of the window.
      if (oldest || !this.failed) this.failed = prepared;
      const tlsProblem = result.kind === 'retry' ? result.tlsProblem : undefined;
      this.emit('exchange', { ok: false, endpoint, status: status || undefined, tlsProblem } satisfies ExchangeEvent);
      return false;
    }
    if (result.kind === 'ok') this.o.codec.learn?.(result.acceptPost, endpoint.url);
    this.failed = undefined;
    await this.handleResponse(response, prepared.containerId, sequences, receipts, sentAt, receivedAt);
    if (prepared.clockOffsetMs !== undefined) this.reportedOffsetMs = prepared.clockOffsetMs;
    if (oldest) {
      this.backoff.reset();
      this.limitOverride = undefined;
    }
    this.lastSuccessAt = receivedAt;
    if (prepared.carriesNewest) this.lastLiveAt = sentAt;
    metrics.exchanges.inc({ destination, outcome: 'ok' });
    metrics.lastContact.set({ destination }, receivedAt / 1000);
    this.log.debug('exchange done', {
      lane,
      entries: sequences.length,
      messages: prepared.messageCount,
      bytes: result.bytesSent,
      acknowledgeUntil: response.acknowledgeUntil,
    });
    this.emit('exchange', { ok: true, endpoint } satisfies ExchangeEvent);
    return true;
  }

  /** The clock offset to put in the next container: only when it moved enough since the sink received it. */
  private offsetToReport(): number | undefined {
    const offset = this.clockOffsetMs;
    if (offset === undefined) return undefined;
    const reported = this.reportedOffsetMs;
    return reported !== undefined && Math.abs(offset - reported) < CLOCK_REPORT_STEP_MS ? undefined : offset;
  }

  /** `requestId` and `sequences`: the request's container id and the queue entries it carried. */
  private async handleResponse(
    response: MessagesContainer,
    requestId: string,
    sequences: number[],
    receipts: string[],
    sentAt: number,
    receivedAt: number,
  ): Promise<void> {
    const { inbox, queue, destination, metrics } = this.o;
    const commands = response.messages.filter((m) => COMMAND_KINDS.has(m.kind));
    if (commands.length > 0) {
      await inbox.receive(destination, commands);
      this.emit('commands');
    }
    if (response.serverTime !== undefined) {
      this.clockOffsetMs = response.serverTime - (sentAt + receivedAt) / 2;
      metrics.clockOffset.set({ destination }, this.clockOffsetMs / 1000);
    }
    let deleted = 0;
    if (response.acknowledgeUntil !== undefined && response.acknowledgeUntil > 0) {
      deleted += await queue.acknowledgeUntil(Math.min(response.acknowledgeUntil, this.highestSent));
    }
    if (response.acknowledgedContainer !== undefined && response.acknowledgedContainer === requestId) {
      deleted += await queue.acknowledge(sequences);
    }
    metrics.acknowledged.inc({ destination }, deleted);
    if (receipts.length > 0) inbox.receiptsDelivered(destination, receipts);
  }

  /**
   * 400/413/415: halve the container (counted in queue entries, so a coalesced message is split too) until
   * the one entry the sink refuses, a single reading or message, is alone; then set it aside.
   */
  private async handleRefusal(refused: Prepared, status: number, reason: string): Promise<void> {
    const count = refused.sequences.length;
    if (count > 1) {
      this.limitOverride = Math.max(1, Math.floor(count / 2));
      this.retryDelay = 0;
      this.log.warn('sink refused a container; sending smaller ones', { status, reason, entries: count });
      return;
    }
    const only = refused.single;
    if (!only) {
      // Even an empty container was refused: a configuration problem (URL, content type). Retry slowly.
      this.retryDelay = this.backoff.next();
      this.log.error('sink refuses requests', { status, reason });
      return;
    }
    // Before setting one entry aside: does the sink refuse this entry, or everything (a proxy, a sink in
    // trouble)? An empty container tells. Refusing everything sets nothing aside: it is retried.
    if (!(await this.acceptsEmpty(refused.endpoint))) {
      this.retryDelay = this.backoff.next();
      this.log.warn('sink refuses even an empty request; nothing set aside, will retry', {
        status,
        reason,
        retryInMs: this.retryDelay,
      });
      return;
    }
    if (only.gapReport) {
      // A refused gap report never becomes another gap report: it is retried, a bounded number of times.
      const refusals = (this.gapRefusals.get(only.sequence) ?? 0) + 1;
      this.gapRefusals.set(only.sequence, refusals);
      if (refusals < GAP_REPORT_ATTEMPTS) {
        this.retryDelay = this.backoff.next();
        this.log.warn('sink refused a gap report; will retry it', {
          status,
          reason,
          sequence: only.sequence,
          refusals,
        });
        return;
      }
      this.gapRefusals.delete(only.sequence);
    }
    await this.o.queue.deadLetter(only.sequence, reason, !only.gapReport);
    this.o.metrics.deadLettered.inc({ destination: this.o.destination });
    this.retryDelay = 0;
    this.log.error(
      only.gapReport
        ? 'sink refused a gap report every time; kept aside, not reported again'
        : 'sink refused a message; kept aside and reported as a gap',
      { status, reason, messageId: only.messageId, sequence: only.sequence },
    );
  }

  /** Whether the sink answers an empty container (a poll) with a 200. */
  private async acceptsEmpty(endpoint: Endpoint): Promise<boolean> {
    const fields = this.containerFields([]);
    const encoded = this.o.codec.encode(buildContainer([], fields));
    const result = await this.o.http
      .send(endpoint.url, endpoint.token, await encodeUpload(encoded, this.o.gzip))
      .catch((err: Error): Exchange => ({ kind: 'retry', reason: err.message, bytesSent: 0 }));
    this.o.metrics.bytesSent.inc({ destination: this.o.destination }, result.bytesSent);
    return result.kind === 'ok';
  }

  private sleep(ms: number, wakeable: boolean): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.wakeSleep = this.stopSleep = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.stopSleep = finish;
      // A backoff wait is not cut short by new readings, only by stop().
      this.wakeSleep = wakeable ? finish : undefined;
    });
  }
}
