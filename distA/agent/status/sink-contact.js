// What the last exchanges with each sink say beyond "no contact": a sink that answers 401/403 is reachable
// but refuses this gateway's token, which no waiting will fix (a person, or a remote token change, must).
// `dsp-agent status` says so instead of calling it lost contact.
export class SinkContact {
    refusedWith = new Map();
    certificateRefused = new Map();
    /** After each attempt. A success clears a refusal; a network failure says nothing about the token. */
    record(destination, e) {
        if (e.ok)
            this.certificateRefused.delete(destination);
        else if (e.tlsProblem !== undefined)
            this.certificateRefused.set(destination, e.tlsProblem);
        if (e.ok)
            this.refusedWith.delete(destination);
        else if (e.status === 401 || e.status === 403)
            this.refusedWith.set(destination, e.status);
    }
    /** The status the sink refused our token with, if its last answer did. */
    tokenRefused(destination) {
        return this.refusedWith.get(destination);
    }
    /** Why the agent refused the sink's certificate on the last attempt, if it did. */
    tlsProblem(destination) {
        return this.certificateRefused.get(destination);
    }
}
//# sourceMappingURL=sink-contact.js.map