/**
 * How the templates place OTP Generate (send mode) and OTP Verify. Parameter names are the OTP nodes' own
 * (nodes/OtpGenerate/description.ts, nodes/OtpVerify/description.ts).
 *
 * Both nodes run with "On Error: Continue (using error output)", which gives them one more output:
 * OTP Generate → [Success, Limited, Error], OTP Verify → [Approved, Denied, Error]. A template therefore
 * always answers its caller, even when the store or RingCentral fails.
 */
import { PKG, type Template } from './lib';

export interface GenerateOutputs {
	name: string;
	success: number;
	limited: number;
	error: number;
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
		{ credentials: ['otpStoreApi', 'ringCentralJwtApi'], onError: 'continueErrorOutput' },
	);
	return { name, success: 0, limited: 1, error: 2 };
}

export interface VerifyOutputs {
	name: string;
	approved: number;
	denied: number;
	error: number;
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
		{ credentials: ['otpStoreApi'], onError: 'continueErrorOutput' },
	);
	return { name, approved: 0, denied: 1, error: 2 };
}

/**
 * OTP Generate's error items: was it the caller's input (an identifier or number that is not a valid phone
 * number → 400) or the delivery (RingCentral refused or timed out, the store failed → 502)? OTP Generate
 * words input errors "Identifier: …" / "Send To: …"; a `reason` field, where present, wins.
 */
export const IS_INPUT_ERROR =
	"={{ $json.reason ? ['invalid_input', 'invalid_phone'].includes($json.reason) : /^(Identifier|Send To):/.test(String($json.error ?? '')) }}";
