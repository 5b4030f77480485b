/**
 * Duplicate window: callers retry (PRTG three times, ManageEngine on timeout), and a retry must not text
 * the user twice. The first request for (recipient, text) within the window claims it; later ones get the
 * first one's reply — waiting for it when it is still in flight — and send nothing.
 *
 * In-process memory: it protects against retries that reach the same n8n process (regular mode, or the
 * main/webhook process in queue mode, where the trigger runs and the reply is written). The reply node
 * settles a key with the full outcome when it runs in this process; otherwise the trigger settles it from
 * the status of the reply n8n wrote. A definite failure frees the key so a retry can try again; an unknown
 * outcome (timeout) keeps it, since re-sending could double-text.
 */
import { createHash } from 'node:crypto';
import type { ReplyOutcome } from './reply';

interface Entry {
	expiresAt: number;
	outcome?: ReplyOutcome;
	waiters: Array<(outcome: ReplyOutcome) => void>;
}

export type Claim = { first: true; key: string } | { first: false; key: string; outcome?: ReplyOutcome };

const MAX_ENTRIES = 20000;

export function dedupeKey(scope: string, to: string, text: string): string {
	return createHash('sha256').update(`${scope}\n${to}\n${text}`, 'utf8').digest('hex').slice(0, 32);
}

export class DuplicateWindow {
	private readonly entries = new Map<string, Entry>();

	constructor(private readonly now: () => number = Date.now) {}

	private sweep(): void {
		const t = this.now();
		for (const [key, entry] of this.entries) if (entry.expiresAt <= t) this.entries.delete(key);
		// Still too many live keys (a flood): forget the oldest rather than grow without bound.
		while (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
	}

	claim(key: string, windowMs: number): Claim {
		const existing = this.entries.get(key);
		if (existing && existing.expiresAt > this.now()) return { first: false, key, outcome: existing.outcome };
		this.sweep();
		this.entries.set(key, { expiresAt: this.now() + windowMs, waiters: [] });
		return { first: true, key };
	}

	/** Records how the first request ended and answers the duplicates waiting for it. */
	settle(key: string, outcome: ReplyOutcome, retryable: boolean): void {
		const entry = this.entries.get(key);
		// The first settle wins: the reply node knows more (message id, reason) than the response status.
		if (!entry || entry.outcome) return;
		entry.outcome = outcome;
		for (const resolve of entry.waiters.splice(0)) resolve(outcome);
		if (retryable) this.entries.delete(key);
	}

	/** Frees a claim whose request never reached the send step (refused before running). */
	release(key: string): void {
		this.entries.delete(key);
	}

	/** The first request's outcome, or undefined if it is not known within `timeoutMs`. */
	async waitFor(key: string, timeoutMs: number): Promise<ReplyOutcome | undefined> {
		const entry = this.entries.get(key);
		if (!entry) return undefined;
		if (entry.outcome) return entry.outcome;
		return await new Promise<ReplyOutcome | undefined>((resolve) => {
			const timer = setTimeout(() => {
				entry.waiters = entry.waiters.filter((w) => w !== done);
				resolve(undefined);
			}, timeoutMs);
			timer.unref?.();
			const done = (outcome: ReplyOutcome) => {
				clearTimeout(timer);
				resolve(outcome);
			};
			entry.waiters.push(done);
		});
	}

	get size(): number {
		return this.entries.size;
	}
}

/** One window per n8n process, shared by the trigger (claims) and the reply node (settles). */
export const sharedDuplicateWindow = new DuplicateWindow();

/** How the first request ended, judged from the HTTP status n8n wrote when no reply node settled it. */
export function outcomeFromStatus(status: number): { outcome: ReplyOutcome; retryable: boolean } {
	if (status >= 200 && status < 300) return { outcome: { ok: true }, retryable: false };
	const reason = 'the same SMS was requested moments ago and that request failed';
	// 4xx and 502 (RingCentral refused) mean nothing was sent; anything else may have sent it.
	const retryable = (status >= 400 && status < 500) || status === 502;
	return { outcome: { ok: false, failure: { status: retryable ? status : 504, code: retryable ? 'send-failed' : 'timeout', reason } }, retryable };
}
