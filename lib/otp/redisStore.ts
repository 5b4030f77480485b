/**
 * The store for queue mode and several n8n instances: every process that may generate or verify points
 * at the same Redis. One Lua script per operation (atomic, one round trip). Keys are
 * `<prefix>otp:{<identity>}` (send times, failures), `<prefix>otp:{<identity>}:<subject>` (the code) and
 * `<prefix>totp:<subject>`, all HMACs, so Redis holds no phone numbers, usernames or codes.
 */
import type Redis from 'ioredis';
import { CHECK, ISSUE, RESERVE, REVOKE, TOTP } from './redisScripts';
import {
	EXPIRED_GRACE_MS,
	type CheckParams,
	type CheckResult,
	type IssueParams,
	type IssueResult,
	type LimitReason,
	type OtpStore,
	type ReserveResult,
	type SendReservation,
	type TotpCheckParams,
	type TotpCheckResult,
} from './types';

type Reply = Array<string | number>;

interface OtpCommands {
	otpIssue(codeKey: string, identityKey: string, ...args: Array<string | number>): Promise<Reply>;
	otpCheck(codeKey: string, identityKey: string, ...args: Array<string | number>): Promise<Reply>;
	otpRevoke(key: string, hash: string): Promise<number>;
	otpReserve(key: string, ...args: Array<string | number>): Promise<Reply>;
	otpTotp(key: string, ...args: Array<string | number>): Promise<Reply>;
}

export interface RedisStoreOptions {
	keyPrefix?: string;
	/** Close the connection on `close()` (true when the store created it). */
	ownsConnection?: boolean;
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
		define('otpIssue', ISSUE, 2);
		define('otpCheck', CHECK, 2);
		define('otpRevoke', REVOKE, 1);
		define('otpReserve', RESERVE, 1);
		define('otpTotp', TOTP, 1);
		this.commands = redis as unknown as OtpCommands;
	}

	/** `{identity}` is a hash tag: both keys of one identifier land in the same Redis Cluster slot. */
	private keys(identity: string, subject: string): [string, string] {
		return [`${this.prefix}otp:{${identity}}:${subject}`, `${this.prefix}otp:{${identity}}`];
	}

	async issue(p: IssueParams): Promise<IssueResult> {
		const r = await this.commands.otpIssue(
			...this.keys(p.identity, p.subject),
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
			Math.round(p.lockoutMs),
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
		const r = await this.commands.otpCheck(...this.keys(p.identity, p.subject), p.codeHash, p.failureCeiling, Math.round(p.lockoutMs));
		if (r[0] === 'approved') return { approved: true, verificationId: String(r[1]) };
		const reason = r[1] as Exclude<CheckResult, { approved: true }>['reason'];
		return reason === 'wrong' ? { approved: false, reason, attemptsLeft: Number(r[2]) } : { approved: false, reason };
	}

	async reserveSend(p: SendReservation): Promise<ReserveResult> {
		const r = await this.commands.otpReserve(`${this.prefix}otp:{${p.identity}}`, p.maxSends, Math.round(p.sendWindowMs), Math.round(p.cooldownMs));
		if (r[0] === 'ok') return { ok: true };
		return { ok: false, limit: r[1] as 'cooldown' | 'send_limit', retryAfterMs: Math.max(0, Number(r[2])) };
	}

	async revoke(identity: string, subject: string, codeHash: string): Promise<boolean> {
		return (await this.commands.otpRevoke(this.keys(identity, subject)[0], codeHash)) === 1;
	}

	async checkTotp(p: TotpCheckParams): Promise<TotpCheckResult> {
		const r = await this.commands.otpTotp(
			`${this.prefix}totp:${p.subject}`,
			p.step,
			p.failureCeiling,
			Math.round(p.lockoutMs),
			Math.round(p.rememberMs),
		);
		if (r[0] === 'approved') return { approved: true, step: Number(r[1]) };
		return { approved: false, reason: r[1] as 'wrong' | 'replayed' | 'too_many_attempts' };
	}

	async close(): Promise<void> {
		if (this.options.ownsConnection) await this.redis.quit().catch(() => this.redis.disconnect());
	}
}
