// What the last exchanges with each sink say beyond "no contact": a sink that answers 401/403 is reachable
// but refuses this gateway's token, which no waiting will fix (a person, or a remote token change, must).
// `dsp-agent status` says so instead of calling it lost contact.

import type { ExchangeEvent } from '../transport/sender.js';

export class SinkContact {
  private readonly refusedWith = new Map<string, number>();
  private readonly certificateRefused = new Map<string, string>();

  /** After each attempt. A success clears a refusal; a network failure says nothing about the token. */
  record(destination: string, e: ExchangeEvent): void {
    if (e.ok) this.certificateRefused.delete(destination);
    else if (e.tlsProblem !== undefined) this.certificateRefused.set(destination, e.tlsProblem);
    if (e.ok) this.refusedWith.delete(destination);
    else if (e.status === 401 || e.status === 403) this.refusedWith.set(destination, e.status);
  }

  /** The status the sink refused our token with, if its last answer did. */
  tokenRefused(destination: string): number | undefined {
    return this.refusedWith.get(destination);
  }

  /** Why the agent refused the sink's certificate on the last attempt, if it did. */
  tlsProblem(destination: string): string | undefined {
    return this.certificateRefused.get(destination);
  }
}
