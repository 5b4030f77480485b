/**
 * The store for queue mode and several n8n instances: every process that may generate or verify points
 * at the same Redis. One Lua script per operation (atomic, one round trip). Every key of an identifier
 * starts `<prefix>otp:{<identity>}` (layout in `redisScripts.ts`); identities and subjects are HMACs, so
 * Redis holds no phone numbers, usernames or codes.
 *
 * Failure records carry no TTL on purpose (the count must not expire). Run Redis with `noeviction` or a
 * `volatile-*` eviction policy: `allkeys-*` policies could evict them under memory pressure.
 */
import type Redis from 'ioredis';
import { MAX_LOCKOUT_MS } from './failures';
import { ACTIVATE_ENROLMENT, CHECK, COUNT_FAILURE, FAILURE_STATE, ISSUE, REVOKE, TOTP } from './redisScripts';
import {
	EXPIRED_GRACE_MS,
	type CheckParams,
	type CheckResult,
	type CountFailureResult,
	type EnrolmentRecord,
	type FailureRule,
	type FailureSignal,
	type FailureState,
	type IssueParams,
	type IssueResult,
	type LimitReason,
	type OtpStore,
	type TotpCheckParams,
	type TotpCheckResult,
	type TotpDenyReason,
} from './types';

type Reply = Array<string | number>;
type Arg = string | number;

interface OtpCommands {
	otpIssue(codeKey: string, sendsKey: string, failuresKey: string, destinationKey: string, ...args: Arg[]): Promise<Reply>;
	otpCheck(codeKey: string, failuresKey: string, ...args: Arg[]): Promise<Reply>;
	otpRevoke(key: string, hash: string): Promise<number>;
	otpTotp(key: string, failuresKey: string, ...args: Arg[]): Promise<Reply>;
	otpFailures(failuresKey: string, now: Arg): Promise<Reply>;
	otpCountFailure(failuresKey: string, ...args: Arg[]): Promise<Reply>;
	otpActivateEnrolment(key: string, sealed: string): Promise<number>;
}

export interface RedisStoreOptions {
	keyPrefix?: string;
	/** Close the connection on `close()` (true when the store created it). */
	ownsConnection?: boolean;
	/**
	 * Tests only: a clock (ms) sent to the scripts instead of Redis's own `TIME`, so lockouts and expiry
	 * can be crossed without waiting. Production leaves it unset so every n8n host uses one clock.
	 */
	now?: () => number;
}

/** The failure state at the end of a denial reply, as the result's signal fields. */
function signal(state: Arg | undefined, lockedUntil: Arg | undefined): FailureSignal {
	if (state === 'ended') return { ended: true };
	if (state === 'locked') return { lockedUntil: Number(lockedUntil) };
	return {};
}

export class RedisOtpStore implements OtpStore {
	readonly kind = 'redis' as const;

	readonly prefix: string;
	private readonly commands: OtpCommands;

	constructor(
		readonly redis: Redis,
		private readonly options: RedisStoreOptions = {},
	) {
		this.prefix = options.keyPrefix ?? 'n8n-otp:';
		// defineCommand sends EVALSHA and falls back to EVAL once if Redis does not know the script yet.
		const define = (name: string, lua: string, numberOfKeys: number) => {
			if (!(name in redis)) redis.defineCommand(name, { numberOfKeys, lua });
		};
		define('otpIssue', ISSUE, 4);
		define('otpCheck', CHECK, 2);
		define('otpRevoke', REVOKE, 1);
		define('otpTotp', TOTP, 2);
		define('otpFailures', FAILURE_STATE, 1);
		define('otpCountFailure', COUNT_FAILURE, 1);
		define('otpActivateEnrolment', ACTIVATE_ENROLMENT, 1);
		this.commands = redis as unknown as OtpCommands;
	}

	/** '' lets the script read Redis's clock. */
	private clock(): Arg {
		return this.options.now ? Math.floor(this.options.now()) : '';
	}

	/** `{identity}` is a hash tag: every key of one identifier lands in the same Redis Cluster slot. */
	private base(identity: string): string {
		return `${this.prefix}otp:{${identity}}`;
	}

	private failuresKey(identity: string): string {
		return `${this.base(identity)}:failures`;
	}

	private codeKey(identity: string, subject: string): string {
		return `${this.base(identity)}:${subject}`;
	}

	async issue(p: IssueParams): Promise<IssueResult> {
		const sendsKey = this.base(p.identity);
		const destination = p.destination !== undefined && p.destination !== p.identity ? this.base(p.destination) : sendsKey;
		const r = await this.commands.otpIssue(
			this.codeKey(p.identity, p.subject),
			sendsKey,
			this.failuresKey(p.identity),
			destination,
			this.clock(),
			p.codeHash,
			p.sealedCode ?? '',
			p.verificationId,
			Math.round(p.lifetimeMs),
			p.maxAttempts,
			p.maxSends,
			Math.round(p.sendWindowMs),
			Math.round(p.cooldownMs),
			p.reuseActiveCode ? '1' : '0',
			p.failureCeiling,
			EXPIRED_GRACE_MS,
		);
		if (r[0] === 'limited') return { ok: false, limit: r[1] as LimitReason, retryAfterMs: Math.max(0, Number(r[2])) };
		const sealed = String(r[5] ?? '');
		return {
			ok: true,
			verificationId: String(r[1]),
			expiresAt: Number(r[2]),
			resend: Number(r[3]) === 1,
			sendsInWindow: Number(r[4]),
			...(sealed ? { reusedSealedCode: sealed } : {}),
		};
	}

	async check(p: CheckParams): Promise<CheckResult> {
		const r = await this.commands.otpCheck(
			this.codeKey(p.identity, p.subject),
			this.failuresKey(p.identity),
			this.clock(),
			p.codeHash,
			p.failureCeiling,
			Math.round(p.lockoutMs),
			p.failuresPerLockout,
			MAX_LOCKOUT_MS,
		);
		if (r[0] === 'approved') return { approved: true, verificationId: String(r[1]) };
		const reason = r[1] as Exclude<CheckResult, { approved: true }>['reason'];
		const attempts = reason === 'wrong' ? { attemptsLeft: Number(r[2]) } : {};
		return { approved: false, reason, ...attempts, ...signal(r[3], r[4]) };
	}

	async revoke(identity: string, subject: string, codeHash: string): Promise<boolean> {
		return (await this.commands.otpRevoke(this.codeKey(identity, subject), codeHash)) === 1;
	}

	async checkTotp(p: TotpCheckParams): Promise<TotpCheckResult> {
		const r = await this.commands.otpTotp(
			`${this.base(p.identity)}:totp:${p.subject}`,
			this.failuresKey(p.identity),
			this.clock(),
			p.step,
			p.failureCeiling,
			Math.round(p.lockoutMs),
			p.failuresPerLockout,
			MAX_LOCKOUT_MS,
			Math.round(p.rememberMs),
		);
		if (r[0] === 'approved') return { approved: true, step: Number(r[1]) };
		return { approved: false, reason: r[1] as TotpDenyReason, ...signal(r[2], r[3]) };
	}

	async failures(identity: string): Promise<FailureState> {
		const r = await this.commands.otpFailures(this.failuresKey(identity), this.clock());
		return { failures: Number(r[0]), lockedUntil: Number(r[1]) };
	}

	async resetFailures(identity: string): Promise<boolean> {
		return (await this.redis.del(this.failuresKey(identity))) > 0;
	}

	async countFailure(p: FailureRule & { identity: string }): Promise<CountFailureResult> {
		const r = await this.commands.otpCountFailure(this.failuresKey(p.identity), this.clock(), p.failureCeiling, Math.round(p.lockoutMs), p.failuresPerLockout, MAX_LOCKOUT_MS);
		return { counted: r[0] === 'counted', ...signal(r[1], r[2]) };
	}

	private enrolmentKey(identity: string): string {
		return `${this.base(identity)}:enrolment`;
	}

	async enrolment(identity: string): Promise<EnrolmentRecord> {
		const [active, pending] = await this.redis.hmget(this.enrolmentKey(identity), 'a', 'p');
		return { ...(active ? { active } : {}), ...(pending ? { pending } : {}) };
	}

	async setPendingEnrolment(identity: string, sealed: string): Promise<void> {
		await this.redis.hset(this.enrolmentKey(identity), 'p', sealed);
	}

	async activateEnrolment(identity: string, sealed: string): Promise<boolean> {
		return (await this.commands.otpActivateEnrolment(this.enrolmentKey(identity), sealed)) === 1;
	}

	async removeEnrolment(identity: string): Promise<boolean> {
		return (await this.redis.del(this.enrolmentKey(identity))) > 0;
	}

	async close(): Promise<void> {
		if (!this.options.ownsConnection) return;
		// QUIT waits for a connection that may never come (Redis down, refused auth): only a ready client gets one.
		if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
		else this.redis.disconnect();
	}
}
