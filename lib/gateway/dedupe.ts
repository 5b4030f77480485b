/**
 * Duplicate window: callers retry (PRTG three times, ManageEngine on timeout), and a retry must not text
 * the user twice. The first request for (recipient, text) within the window claims it; later ones get the
 * first one's reply — waiting for it when it is still in flight — and send nothing.
 *
 * In-process memory: it protects against retries that reach the same n8n process (regular mode, or the
 * main/webhook process in queue mode where the trigger runs). A definite failure frees the key so a
 * retry can try again; an unknown outcome (timeout) keeps it, since re-sending could double-text.
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
		if (!entry) return;
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
