/** Shared helpers for the simulator tests: plain fetch against a simulator on a random port. */
import { SIM_DEFAULTS, startSimulator, type Simulator, type SimulatorOptions } from '../../../simulator';

export const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const EXT = '/restapi/v1.0/account/~/extension/~';

export interface Json {
	status: number;
	body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
	headers: Headers;
}

export async function start(options: SimulatorOptions = {}): Promise<Simulator> {
	// Fast status progression unless a test asks otherwise.
	return startSimulator({ ...options, config: { statusDelays: { sentMs: 0, deliveredMs: 0 }, ...options.config } });
}

export function basic(clientId: string = SIM_DEFAULTS.clientId, secret: string = SIM_DEFAULTS.clientSecret): string {
	return `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
}

async function toJson(response: Response): Promise<Json> {
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

export async function tokenRequest(sim: Simulator, form: Record<string, string>, authorization = basic()): Promise<Json> {
	const response = await fetch(`${sim.url}/restapi/oauth/token`, {
		method: 'POST',
		headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(form),
	});
	return toJson(response);
}

export async function login(sim: Simulator, jwt: string = SIM_DEFAULTS.jwt, extra: Record<string, string> = {}): Promise<Json> {
	return tokenRequest(sim, { grant_type: JWT_GRANT, assertion: jwt, ...extra });
}

/** Logs in and returns the access token (fails the test if login fails). */
export async function accessToken(sim: Simulator, jwt: string = SIM_DEFAULTS.jwt): Promise<string> {
	const result = await login(sim, jwt);
	if (result.status !== 200) throw new Error(`login failed: ${result.status} ${JSON.stringify(result.body)}`);
	return result.body.access_token as string;
}

export async function api(sim: Simulator, method: string, path: string, token?: string, body?: unknown, scheme = 'Bearer'): Promise<Json> {
	const headers: Record<string, string> = {};
	if (token) headers.Authorization = `${scheme} ${token}`;
	if (body !== undefined) headers['Content-Type'] = 'application/json';
	const response = await fetch(`${sim.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	return toJson(response);
}

export function smsBody(to: string | string[], text = 'Your code is 123456', from: string = SIM_DEFAULTS.smsNumbers[0]) {
	return { from: { phoneNumber: from }, to: (Array.isArray(to) ? to : [to]).map((phoneNumber) => ({ phoneNumber })), text };
}

export async function sendSms(sim: Simulator, token: string, body: unknown): Promise<Json> {
	return api(sim, 'POST', `${EXT}/sms`, token, body);
}

export async function control(sim: Simulator, method: string, path: string, body?: unknown): Promise<Json> {
	return api(sim, method, `/_sim/${path}`, undefined, body);
}
