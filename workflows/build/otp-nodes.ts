/**
 * How the templates place OTP Generate (send mode) and OTP Verify. Parameter names are the OTP nodes' own
 * (nodes/OtpGenerate/description.ts, nodes/OtpVerify/description.ts).
 *
 * Both nodes run with "On Error: Continue (regular output)". Their first output is the one that never
 * means success — OTP Generate → [Not Issued, Issued], OTP Verify → [Denied, Approved] — and a failure
 * (bad credential, store down, RingCentral refused) arrives there with a stable `reason`. Even n8n's own
 * fallback for a node that throws (its input items on output 0) therefore ends on a refusal, and the
 * templates decide on `reason`, never on the wording of `error`.
 */
import { PKG, type Template } from './lib';

export interface GenerateOutputs {
	name: string;
	notIssued: number;
	issued: number;
}

export function otpGenerateNode(
	t: Template,
	name: string,
	position: [number, number],
	o: { identifier: string; identifierType: 'phone' | 'text'; sendTo: string; purpose: string; template: string },
): GenerateOutputs {
	t.node(
		name,
		`${PKG}.otpGenerate`,
		1,
		position,
		{
			identifier: o.identifier,
			purpose: o.purpose,
			delivery: 'send',
			sendTo: o.sendTo,
			from: 'auto',
			template: o.template,
			options: { identifierType: o.identifierType, defaultCountry: 'US' },
		},
		{ credentials: ['otpStoreApi', 'ringCentralJwtApi'], onError: 'continueRegularOutput' },
	);
	return { name, notIssued: 0, issued: 1 };
}

export interface VerifyOutputs {
	name: string;
	denied: number;
	approved: number;
}

export function otpVerifyNode(
	t: Template,
	name: string,
	position: [number, number],
	o: { identifier: string; identifierType: 'phone' | 'text'; code: string; purpose: string },
): VerifyOutputs {
	t.node(
		name,
		`${PKG}.otpVerify`,
		1,
		position,
		{ identifier: o.identifier, purpose: o.purpose, code: o.code, options: { identifierType: o.identifierType, defaultCountry: 'US' } },
		{ credentials: ['otpStoreApi'], onError: 'continueRegularOutput' },
	);
	return { name, denied: 0, approved: 1 };
}

/** Not Issued because of a limit: answer "too many requests". */
export const IS_RATE_LIMITED = "={{ $json.reason === 'rate_limited' }}";

/** Not Issued because of the caller's input (an identifier or number that is not a valid phone number). */
export const IS_INPUT_ERROR = "={{ ['invalid_input', 'invalid_phone'].includes($json.reason) }}";

/** Not Issued because RingCentral did not take the SMS (the code was invalidated; `error` is our own sentence). */
export const IS_SEND_FAILURE = "={{ $json.reason === 'send_failed' }}";

/**
 * A Denied item that is not a verdict on the code: the credential, the store or the workflow is broken, or
 * the item never went through the node at all (no reason). The caller gets "unavailable", never "approved".
 */
export const IS_UNAVAILABLE =
	"={{ !$json.reason || ['misconfigured', 'store_unavailable', 'retry_refused', 'error'].includes($json.reason) }}";
