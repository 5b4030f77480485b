/** One item of OTP Generate: issue a code, then text it (send mode) or hand the message on (output mode). */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { renderMessage, type OtpPolicy, type OtpService, type ResendPolicy } from '../../lib/otp';
import { maskPhone } from '../../lib/phone';
import { RingCentralApiError, type RingCentralClient } from '../../lib/ringcentral';
import { ItemError, inputError } from '../shared/errors';
import { guardedNumber, readGuardPolicy, takeGuardSlots, type GuardOptionValues } from '../shared/guard';
import { failureRuleOf, readSubject, scrub, type FailureRuleInput } from '../shared/otp';
import { clientFor } from '../shared/ringcentral/client';
import { resolveSender } from '../shared/ringcentral/senders';
import type { Routed } from '../shared/runner';
import { OUTPUT, SEND } from './description';

interface GenerateOptions extends GuardOptionValues, FailureRuleInput {
	allowLongLifetime?: boolean;
	maxAttempts?: number;
	binding?: string;
	defaultCountry?: string;
	identifierType?: 'auto' | 'phone' | 'text';
	digits?: number;
	lifetimeMinutes?: number;
	cooldownSeconds?: number;
	resend?: ResendPolicy;
	maxSends?: number;
	sendWindowMinutes?: number;
	timeoutSeconds?: number;
}

/** Output 0 is Not Issued (limits; failures under On Error → Continue), output 1 Issued: a failing node never looks like a sent code. */
export const NOT_ISSUED = 0;
export const ISSUED = 1;

const minutes = (m: number | undefined) => (m === undefined ? undefined : m * 60_000);

export async function generateItem(ctx: IExecuteFunctions, service: OtpService, i: number): Promise<Routed> {
	const delivery = ctx.getNodeParameter('delivery', i) as string;
	const options = ctx.getNodeParameter('options', i, {}) as GenerateOptions;
	const template = ctx.getNodeParameter('template', i) as string;
	const { identifier, purpose } = readSubject(ctx, i, options);
	if (!identifier.ok) throw inputError(`Identifier: ${identifier.reason}.`, 'identifier');
	if (purpose === undefined) throw inputError('Purpose must be text of at most 64 characters.', 'purpose');

	// Everything that can be refused without sending is checked before a code exists.
	let destination: string | undefined;
	let sender: { client: RingCentralClient; from: string } | undefined;
	const timeoutMs = (options.timeoutSeconds ?? 30) * 1000;
	if (delivery === SEND) {
		const sendTo = String(ctx.getNodeParameter('sendTo', i, '') ?? '').trim();
		if (sendTo === '' && identifier.kind !== 'phone') {
			throw inputError('Send To is empty and the identifier is not a phone number: say which number to text.', 'sendTo');
		}
		// The abuse guard (allowed countries, refused number types, per-number limits) decides before a code exists.
		const defaultCountry = options.defaultCountry || 'US';
		const guard = readGuardPolicy(options, defaultCountry);
		destination = guardedNumber(sendTo || identifier.value, guard, defaultCountry, 'sendTo', 'no code was issued');
		// The RingCentral credential and the From number are settled before a code exists.
		const client = await clientFor(ctx);
		sender = { client, from: await resolveSender(client, ctx.getNodeParameter('from', i, 'auto'), { feature: 'SmsSender', field: 'from', timeoutMs }) };
		await takeGuardSlots(ctx, guard, [destination], 'sendTo', 'no code was issued');
	}
	if (!template.includes('{code}')) throw new ItemError('The message template must contain {code}.', { reason: 'misconfigured', field: 'template' });

	const policy: Partial<OtpPolicy> = {
		digits: options.digits,
		lifetimeMs: minutes(options.lifetimeMinutes),
		maxAttempts: options.maxAttempts,
		maxSends: options.maxSends,
		sendWindowMs: minutes(options.sendWindowMinutes),
		cooldownMs: options.cooldownSeconds === undefined ? undefined : options.cooldownSeconds * 1000,
		resend: options.resend,
		...failureRuleOf(options),
	};
	const issued = await service.generate({ identifier: identifier.value, purpose, binding: options.binding ?? '' }, policy, options.allowLongLifetime === true, destination);
	const base: IDataObject = { identifier: identifier.masked, purpose };
	if (!issued.ok) {
		return {
			output: NOT_ISSUED,
			// 'ended' (the failure ceiling) has no retryAfterSeconds: only OTP Lockout Admin → Reset re-opens it.
			json: { ...base, limited: true, reason: 'rate_limited', limit: issued.limit, ...(issued.retryAfterSeconds !== undefined ? { retryAfterSeconds: issued.retryAfterSeconds } : {}) },
		};
	}

	const lifetimeMinutes = Math.max(1, Math.round((issued.expiresAt.getTime() - Date.now()) / 60_000));
	const message = renderMessage(template, { code: issued.code, minutes: lifetimeMinutes, purpose });
	const result: IDataObject = {
		...base,
		verificationId: issued.verificationId,
		expiresAt: issued.expiresAt.toISOString(),
		resend: issued.resend,
		sameCode: issued.sameCode,
		sendsInWindow: issued.sendsInWindow,
	};

	if (delivery === OUTPUT) {
		const output = ctx.getNodeParameter('output', i, 'message') as string;
		if (output === 'message' || output === 'messageAndCode') result.message = message;
		if (output === 'messageAndCode') result.code = issued.code;
		return { output: ISSUED, json: result };
	}

	// Send mode: the code and message exist only in this function's variables.
	const to = destination as string;
	const { client, from } = sender as NonNullable<typeof sender>;
	try {
		const record = await client.sendSms({ from, to, text: message }, { timeoutMs });
		return {
			output: ISSUED,
			json: { ...result, to: maskPhone(to), from, delivery: 'sms', messageId: String(record.id), messageStatus: record.messageStatus ?? null },
		};
	} catch (error) {
		// A code nobody received must not stay valid. The send still counts against the limit: a timed-out
		// send may have been delivered, and failing numbers must not be hammered.
		await issued.revoke().catch(() => undefined);
		throw sendError(error, issued.code, to);
	}
}

/**
 * The item's error. Our own sentence is the message; RingCentral's words go to the description, because
 * n8n replaces a message that mentions e.g. ECONNRESET with a generic one. The code is scrubbed from both.
 */
function sendError(error: unknown, code: string, to: string): ItemError {
	let why = 'the SMS was not accepted';
	let detail: string | undefined = error instanceof Error ? error.message : String(error);
	const details: IDataObject = {};
	if (error instanceof RingCentralApiError) {
		if (error.outcomeUnknown) {
			why = 'RingCentral may or may not have sent it (outcome unknown, not re-sent)';
			details.outcomeUnknown = true;
		} else if (error.status !== undefined) why = `RingCentral answered HTTP ${error.status}${error.errorCode ? ` ${error.errorCode}` : ''}`;
		if (error.status !== undefined) details.httpCode = error.status;
		if (error.errorCode) details.errorCode = error.errorCode;
	} else if (error instanceof ItemError) {
		detail = [error.message, error.description].filter(Boolean).join(' — ');
	}
	return new ItemError(scrub(`The code could not be sent to ${maskPhone(to)} and was invalidated: ${why}.`, code) as string, {
		reason: 'send_failed',
		description: scrub(detail, code),
		details,
	});
}
