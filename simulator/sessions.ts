/**
 * OAuth sessions: one per login. Refresh tokens rotate and are single use; an access token stays valid
 * until its own expiry even after a refresh (the reference is silent; this is the lenient, common OAuth
 * behaviour). Ending a session (revoke, eviction by the session cap) kills all its tokens at once.
 */
import { randomBytes } from 'node:crypto';

export interface Session {
	id: number;
	clientId: string;
	extensionId: string;
	scope: string[];
	createdAt: number;
	refreshToken: string;
	refreshExpiresAt: number;
	ended: boolean;
}

interface AccessGrant {
	session: Session;
	expiresAt: number;
}

export type AccessCheck = { ok: true; session: Session } | { ok: false; reason: 'invalid' | 'expired' };

function token(prefix: string): string {
	return `${prefix}${randomBytes(40).toString('base64url')}`;
}

export class SessionStore {
	private nextId = 1;
	private readonly sessions: Session[] = [];
	private readonly access = new Map<string, AccessGrant>();
	private readonly refresh = new Map<string, Session>();

	reset(): void {
		this.sessions.length = 0;
		this.access.clear();
		this.refresh.clear();
	}

	live(now = Date.now()): Session[] {
		return this.sessions.filter((s) => !s.ended && s.refreshExpiresAt > now);
	}

	/** Starts a session; returns it with any session it evicted to stay under the cap. */
	create(
		clientId: string,
		extensionId: string,
		scope: string[],
		maxSessions: number,
		now = Date.now(),
	): { session: Session; evicted: Session[] } {
		const evicted: Session[] = [];
		const mine = this.live(now)
			.filter((s) => s.clientId === clientId && s.extensionId === extensionId)
			.sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
		while (mine.length >= maxSessions) {
			const oldest = mine.shift() as Session;
			this.end(oldest);
			evicted.push(oldest);
		}
		const session: Session = {
			id: this.nextId++,
			clientId,
			extensionId,
			scope,
			createdAt: now,
			refreshToken: '',
			refreshExpiresAt: 0,
			ended: false,
		};
		this.sessions.push(session);
		// Drop ended sessions now and then so long runs (benchmarks) do not grow memory.
		if (this.sessions.length > 1000) {
			const keep = this.sessions.filter((s) => !s.ended);
			this.sessions.length = 0;
			this.sessions.push(...keep);
		}
		return { session, evicted };
	}

	/** Issues a new access token and a new refresh token (the previous refresh token stops working). */
	issue(session: Session, accessTtl: number, refreshTtl: number, now = Date.now()): { accessToken: string; refreshToken: string } {
		if (session.refreshToken) this.refresh.delete(session.refreshToken);
		const accessToken = token('SIMAT');
		const refreshToken = token('SIMRT');
		this.access.set(accessToken, { session, expiresAt: now + accessTtl * 1000 });
		session.refreshToken = refreshToken;
		session.refreshExpiresAt = now + refreshTtl * 1000;
		this.refresh.set(refreshToken, session);
		this.sweep(now);
		return { accessToken, refreshToken };
	}

	checkAccess(accessToken: string, now = Date.now()): AccessCheck {
		const grant = this.access.get(accessToken);
		if (!grant || grant.session.ended) return { ok: false, reason: 'invalid' };
		if (grant.expiresAt <= now) return { ok: false, reason: 'expired' };
		return { ok: true, session: grant.session };
	}

	findByRefresh(refreshToken: string): Session | undefined {
		const session = this.refresh.get(refreshToken);
		return session && !session.ended ? session : undefined;
	}

	/** Revoke: either token ends the whole session. Unknown tokens are ignored (RFC 7009). */
	revoke(anyToken: string): boolean {
		const session = this.access.get(anyToken)?.session ?? this.refresh.get(anyToken);
		if (!session || session.ended) return false;
		this.end(session);
		return true;
	}

	expireAllAccessTokens(now = Date.now()): void {
		for (const grant of this.access.values()) grant.expiresAt = Math.min(grant.expiresAt, now - 1);
	}

	revokeAllRefreshTokens(): void {
		for (const session of this.refresh.values()) session.refreshToken = '';
		this.refresh.clear();
	}

	private end(session: Session): void {
		session.ended = true;
		if (session.refreshToken) this.refresh.delete(session.refreshToken);
	}

	/** Forgets expired access tokens of long-running simulators (tests keep the recent ones). */
	private sweep(now: number): void {
		if (this.access.size < 5000) return;
		for (const [key, grant] of this.access) {
			if (grant.expiresAt < now - 3600_000 || grant.session.ended) this.access.delete(key);
		}
	}
}
