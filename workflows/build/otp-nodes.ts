/**
 * How the templates place OTP Generate (send mode) and OTP Verify. Kept in one file because both OTP templates
 * use them and the parameter names are the OTP nodes' own (nodes/OtpGenerate, nodes/OtpVerify).
 */
import { PKG, type Template } from './lib';

export interface PlacedNode {
	name: string;
	okOutput: number;
	failOutputs: number[];
}

export function otpGenerateNode(
	t: Template,
	name: string,
	position: [number, number],
	o: { identifier: string; phone: string; purpose: string; template: string },
): PlacedNode {
	// PROVISIONAL until nodes/OtpGenerate lands: parameter names to be checked against the node.
	t.node(
		name,
		`${PKG}.otpGenerate`,
		1,
		position,
		{ identifier: o.identifier, purpose: o.purpose, delivery: 'ringCentral', to: o.phone, messageTemplate: o.template, options: {} },
		{ credentials: ['otpStoreApi', 'ringCentralJwtApi'], onError: 'continueErrorOutput' },
	);
	return { name, okOutput: 0, failOutputs: [1] };
}

export function otpVerifyNode(
	t: Template,
	name: string,
	position: [number, number],
	o: { identifier: string; code: string; purpose: string },
): { name: string; approvedOutput: number; deniedOutput: number } {
	t.node(name, `${PKG}.otpVerify`, 1, position, { identifier: o.identifier, purpose: o.purpose, code: o.code, options: {} }, { credentials: ['otpStoreApi'] });
	return { name, approvedOutput: 0, deniedOutput: 1 };
}

/** Routes OTP Generate's failure items: send limit → 0, invalid number → 1, anything else → 2. */
export function otpSendFailureRouter(
	t: Template,
	name: string,
	position: [number, number],
): { name: string; outputs: { limited: number; invalid: number; other: number } } {
	// PROVISIONAL until nodes/OtpGenerate lands: the field that tells the reasons apart.
	t.node(name, 'n8n-nodes-base.switch', 3.2, position, {
		mode: 'expression',
		numberOutputs: 3,
		output: "={{ $json.reason === 'rate_limited' ? 0 : $json.reason === 'invalid_phone' ? 1 : 2 }}",
		options: {},
	});
	return { name, outputs: { limited: 0, invalid: 1, other: 2 } };
}
