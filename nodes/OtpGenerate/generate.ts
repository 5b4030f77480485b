/** One item of OTP Generate: issue a code, then text it (send mode) or hand the message on (output mode). */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import { renderMessage, type OtpPolicy, type OtpService, type ResendPolicy } from '../../lib/otp';
import { normalizePhone, maskPhone } from '../../lib/phone';
import { RingCentralApiError, getRingCentralClient, type RingCentralCredentials } from '../../lib/ringcentral';
import { OUTPUT, SEND } from './description';
import { configError, readSubject, scrub } from './shared';

interface GenerateOptions {
	allowLongLifetime?: boolean;
	allowedCountries?: string;
	maxAttempts?: number;
	binding?: string;
	defaultCountry?: string;
	identifierType?: 'auto' | 'phone' | 'text';
	digits?: number;
	failureCeiling?: number;
	lifetimeMinutes?: number;
	lockoutMinutes?: number;
	cooldownSeconds?: number;
	resend?: ResendPolicy;
	maxSends?: number;
	sendWindowMinutes?: number;
	timeoutSeconds?: number;
}

export type GenerateItemResult = { output: 'success' | 'limited'; json: IDataObject };

const minutes = (m: number | undefined) => (m === undefined ? undefined : m * 60_000);

export async function generateItem(this: IExecuteFunctions, service: OtpService, i: number): Promise<GenerateItemResult> {
	const delivery = this.getNodeParameter('delivery', i) as string;
	const options = this.getNodeParameter('options', i, {}) as GenerateOptions;
	const template = this.getNodeParameter('template', i) as string;
	const { identifier, purpose } = readSubject(this, i, options);
	if (!identifier.ok) throw tagged(new NodeOperationError(this.getNode(), `Identifier: ${identifier.reason}.`, { itemIndex: i }), 'invalid_input');
	if (purpose === undefined) throw new NodeOperationError(this.getNode(), 'Purpose must be text of at most 64 characters.', { itemIndex: i });

	// Everything that can be refused without sending is checked before a code exists.
	let destination: string | undefined;
	if (delivery === SEND) {
		const sendTo = String(this.getNodeParameter('sendTo', i, '') ?? '').trim();
		if (sendTo === '' && identifier.kind !== 'phone') {
			throw tagged(new NodeOperationError(this.getNode(), 'Send To is empty and the identifier is not a phone number: say which number to text.', { itemIndex: i }), 'invalid_input');
		}
		const phone = normalizePhone(sendTo || identifier.value, { defaultCountry: options.defaultCountry || 'US' });
		if (!phone.ok) throw tagged(new NodeOperationError(this.getNode(), `Send To: ${phone.reason}.`, { itemIndex: i }), 'invalid_phone');
		const allowed = (options.allowedCountries ?? '')
			.split(/[\s,;]+/)
			.map((c) => c.trim().toUpperCase())
			.filter(Boolean);
		if (allowed.length > 0 && (!phone.country || !allowed.includes(phone.country))) {
			throw tagged(new NodeOperationError(
				this.getNode(),
				`${maskPhone(phone.e164)} is in ${phone.country ?? 'an unknown country'}, which is not in Allowed Countries (${allowed.join(', ')}); no code was issued.`,
				{ itemIndex: i },
			), 'invalid_input');
		}
		destination = phone.e164;
	}
	if (!template.includes('{code}')) throw new NodeOperationError(this.getNode(), 'The message template must contain {code}.', { itemIndex: i });

	const policy: Partial<OtpPolicy> = {
		digits: options.digits,
		lifetimeMs: minutes(options.lifetimeMinutes),
		maxAttempts: options.maxAttempts,
		maxSends: options.maxSends,
		sendWindowMs: minutes(options.sendWindowMinutes),
		cooldownMs: options.cooldownSeconds === undefined ? undefined : options.cooldownSeconds * 1000,
		resend: options.resend,
		failureCeiling: options.failureCeiling,
		lockoutMs: minutes(options.lockoutMinutes),
	};
	let issued;
	try {
		issued = await service.generate({ identifier: identifier.value, purpose, binding: options.binding ?? '' }, policy, options.allowLongLifetime === true, destination);
	} catch (error) {
		throw configError(this, error, i);
	}
	const base: IDataObject = { identifier: identifier.masked, purpose };
	if (!issued.ok) {
		return {
			output: 'limited',
			json: { ...base, limited: true, reason: 'rate_limited', limit: issued.limit, retryAfterSeconds: issued.retryAfterSeconds },
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
		const output = this.getNodeParameter('output', i, 'message') as string;
		if (output === 'message' || output === 'messageAndCode') result.message = message;
		if (output === 'messageAndCode') result.code = issued.code;
		return { output: 'success', json: result };
	}

	// Send mode: the code and message exist only in this function's variables.
	const to = destination as string;
	try {
		const credentials = (await this.getCredentials('ringCentralJwtApi')) as unknown as RingCentralCredentials;
		const client = getRingCentralClient(credentials);
		const timeoutMs = (options.timeoutSeconds ?? 30) * 1000;
		let from = String(this.getNodeParameter('from', i, 'auto') ?? 'auto').trim();
		if (from === '' || from === 'auto') from = await client.getDefaultSmsSender({ timeoutMs });
		const record = await client.sendSms({ from, to, text: message }, { timeoutMs });
		return {
			output: 'success',
			json: { ...result, to: maskPhone(to), from, delivery: 'sms', messageId: String(record.id), messageStatus: record.messageStatus ?? null },
		};
	} catch (error) {
		// A code nobody received must not stay valid. The send still counts against the limit: a timed-out
		// send may have been delivered, and failing numbers must not be hammered.
		await issued.revoke().catch(() => undefined);
		throw tagged(sendError(this, error, i, issued.code, to), 'send_failed');
	}
}

/**
 * A stable machine reason on the error (kept in `context.reason`) so a workflow on the error output can
 * answer 400 for bad input and 502 for a failed send without parsing sentences.
 */
export function tagged<T extends Error>(error: T, reason: 'invalid_input' | 'invalid_phone' | 'send_failed'): T {
	const withContext = error as T & { context?: Record<string, unknown> };
	withContext.context = { ...(withContext.context ?? {}), reason };
	return error;
}

/**
 * The item's error. Our own sentence is the message; RingCentral's words go to the description, because
 * n8n replaces a message that mentions e.g. ECONNRESET with a generic one. The code is scrubbed from both.
 */
function sendError(context: IExecuteFunctions, error: unknown, itemIndex: number, code: string, to: string): Error {
	let why = 'the SMS was not accepted';
	let detail: string | undefined = (error as Error)?.message ?? String(error);
	if (error instanceof RingCentralApiError) {
		if (error.outcomeUnknown) why = 'RingCentral may or may not have sent it (outcome unknown, not re-sent)';
		else if (error.status !== undefined) why = `RingCentral answered HTTP ${error.status}${error.errorCode ? ` ${error.errorCode}` : ''}`;
	} else if (error instanceof NodeOperationError) {
		detail = [error.message, error.description].filter(Boolean).join(' — ');
	}
	return new NodeOperationError(context.getNode(), `The code could not be sent to ${maskPhone(to)} and was invalidated: ${why}.`, {
		itemIndex,
		description: scrub(detail, code),
	});
}
