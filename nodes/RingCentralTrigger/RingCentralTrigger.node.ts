import type {
	IBinaryData,
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import {
	RingCentralApiError,
	deleteSubscription,
	getMessageContent,
	getSubscription,
	listSubscriptions,
	type MessageRecord,
	type RingCentralClient,
} from '../../lib/ringcentral';
import { authenticationProperty, ringCentralCredentials } from '../shared/ringcentral/authentication';
import { clientFor } from '../shared/ringcentral/client';
import { ringCentralJwtApiTest } from '../shared/ringcentral/credentialTest';
import { catchUp } from './catchUp';
import {
	CATCH_UP_HEADER,
	INSTANT_SMS_FILTER,
	checkVerificationToken,
	handshakeToken,
	isInstantSmsEvent,
	messageItem,
	mmsAttachments,
	parseEnvelope,
	parseNumbers,
	wanted,
	type Headers,
	type MessageFilter,
} from './delivery';
import { triggerProperties } from './description';
import { staticDataOf, triggerStore, type TriggerStaticData, type TriggerStore } from './state';
import {
	isUsable,
	newVerificationToken,
	replaceSubscription,
	requestCatchUp,
	stopSupervising,
	supervise,
	type TriggerTarget,
} from './subscription';

interface TriggerOptions {
	catchUp?: boolean;
	catchUpHours?: number;
	downloadAttachments?: boolean;
	lifetimeSeconds?: number;
}

type Context = IHookFunctions | IWebhookFunctions;

function addressOf(ctx: Context): string {
	const address = ctx.getNodeWebhookUrl('default');
	if (!address) throw new NodeOperationError(ctx.getNode(), 'n8n did not give this trigger a webhook address; set WEBHOOK_URL.');
	return address;
}

function filterOf(ctx: Context): MessageFilter {
	const events = ctx.getNodeParameter('events', []) as string[];
	const raw = String(ctx.getNodeParameter('receivingNumbers', '') ?? '');
	const { numbers, invalid } = parseNumbers(raw);
	if (invalid) throw new NodeOperationError(ctx.getNode(), `Receiving Numbers: "${invalid.slice(0, 40)}" is not a phone number.`);
	return { sms: events.includes('inboundSms'), mms: events.includes('inboundMms'), receivingNumbers: numbers };
}

function optionsOf(ctx: Context): TriggerOptions {
	return (ctx.getNodeParameter('options', {}) ?? {}) as TriggerOptions;
}

async function targetOf(ctx: Context, data: TriggerStaticData): Promise<TriggerTarget> {
	const options = optionsOf(ctx);
	filterOf(ctx);
	data.verificationToken ??= newVerificationToken();
	return {
		client: await clientFor(ctx as never),
		address: addressOf(ctx),
		eventFilters: [INSTANT_SMS_FILTER],
		lifetimeSeconds: Math.max(60, Math.min(315_360_000, Math.floor(options.lifetimeSeconds ?? 604_800))),
		verificationToken: data.verificationToken,
	};
}

function hookError(ctx: IHookFunctions, error: unknown): Error {
	if (error instanceof RingCentralApiError) {
		return new NodeApiError(ctx.getNode(), (error.body ?? { message: error.message }) as never, { message: error.message, httpCode: error.status ? String(error.status) : undefined });
	}
	return error as Error;
}

/**
 * Triggers this process has already taken care of. The first verified request after a process start
 * catches up and starts the supervisor here too: n8n 2.40's publication service re-runs no activation
 * on start-up, so checkExists may never run in this process.
 */
const awake = new Set<string>();

async function wakeUp(ctx: IWebhookFunctions, data: TriggerStaticData, store: TriggerStore): Promise<void> {
	const address = addressOf(ctx);
	if (awake.has(address) || ctx.getMode() === 'manual') return;
	awake.add(address);
	if (optionsOf(ctx).catchUp !== false) await store.setCatchUpPending(true);
	try {
		supervise(await targetOf(ctx, data), triggerStore(address), ctx.logger);
	} catch (error) {
		ctx.logger.warn(`RingCentral Trigger: could not start watching the subscription: ${error instanceof Error ? error.message : String(error)}`);
	}
}

/** Production activations keep the subscription alive; a test listener (editor) lives only minutes. */
function isProduction(ctx: IHookFunctions): boolean {
	return ctx.getMode() !== 'manual';
}

/** After every activation something may have been missed: catch up once, now. */
async function afterActivation(ctx: IHookFunctions, target: TriggerTarget, store: TriggerStore, data: TriggerStaticData, fresh: boolean): Promise<void> {
	if (fresh && (await store.cursor()) === undefined) {
		// The first publish starts the history: nothing from before it is emitted.
		await store.advance(Date.now());
		data.cursor = Date.now();
		return;
	}
	if (optionsOf(ctx).catchUp === false) return;
	await store.setCatchUpPending(true);
	data.catchUpPending = true;
	requestCatchUp(target.address, target.verificationToken, ctx.logger);
}

export class RingCentralTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RingCentral Trigger',
		name: 'ringCentralTrigger',
		icon: 'file:ringcentral.svg',
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when an SMS or MMS reaches your RingCentral numbers',
		defaults: { name: 'RingCentral Trigger' },
		inputs: [],
		outputs: ['main'],
		credentials: ringCentralCredentials,
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'ringcentral' }],
		properties: [authenticationProperty, ...triggerProperties],
	};

	methods = { credentialTest: { ringCentralJwtApiTest } };

	webhookMethods = {
		default: {
			/** Finds the subscription again (on every activation, also after a restart). */
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const data = staticDataOf(this.getWorkflowStaticData('node'));
				if (!data.subscriptionId || !data.verificationToken) return false;
				try {
					const target = await targetOf(this, data);
					const store = triggerStore(target.address, data);
					const known = (await store.subscription())?.id ?? data.subscriptionId;
					const info = await getSubscription(target.client, known, { timeoutMs: 20_000 });
					if (!info || !isUsable(info, target.address)) return false;
					await store.setSubscription({ id: info.id, expiresAt: Date.parse(String(info.expirationTime)) || 0 });
					data.subscriptionId = info.id;
					if (isProduction(this)) {
						supervise(target, store, this.logger);
						awake.add(target.address);
					}
					await afterActivation(this, target, store, data, false);
					return true;
				} catch (error) {
					throw hookError(this, error);
				}
			},
			/** Creates the subscription (RingCentral runs the handshake against webhook() before answering). */
			async create(this: IHookFunctions): Promise<boolean> {
				const data = staticDataOf(this.getWorkflowStaticData('node'));
				try {
					const target = await targetOf(this, data);
					const store = triggerStore(target.address, data);
					const fresh = !data.subscriptionId;
					const info = await replaceSubscription(target, store);
					data.subscriptionId = info.id;
					data.expiresAt = Date.parse(String(info.expirationTime)) || undefined;
					if (isProduction(this)) {
						supervise(target, store, this.logger);
						awake.add(target.address);
					}
					await afterActivation(this, target, store, data, fresh);
					return true;
				} catch (error) {
					throw hookError(this, error);
				}
			},
			/** Deletes it (and any other subscription of ours to this address) and forgets the state. */
			async delete(this: IHookFunctions): Promise<boolean> {
				const data = staticDataOf(this.getWorkflowStaticData('node'));
				const address = addressOf(this);
				stopSupervising(address);
				awake.delete(address);
				const store = triggerStore(address, data);
				try {
					const client: RingCentralClient = await clientFor(this as never);
					const ids = new Set([data.subscriptionId, (await store.subscription())?.id].filter((v): v is string => !!v));
					for (const sub of await listSubscriptions(client, { timeoutMs: 20_000 })) if (sub.deliveryMode?.address === address) ids.add(sub.id);
					for (const id of ids) await deleteSubscription(client, id, { timeoutMs: 20_000 });
				} catch (error) {
					this.logger.warn(`RingCentral Trigger: could not delete the subscription: ${error instanceof Error ? error.message : String(error)}`);
					return false;
				} finally {
					await store.clear();
					for (const key of Object.keys(data)) delete (data as IDataObject)[key];
				}
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const res = this.getResponseObject();
		const headers = req.headers as Headers;
		const body = this.getBodyData();
		const refuse = (status: number, error: string): IWebhookResponseData => {
			res.status(status).json({ error });
			return { noWebhookResponse: true };
		};

		// 1. The validation handshake: echo the token at once, nothing else (the answer must stay ≤ 1,024 bytes).
		const validation = handshakeToken(headers, body);
		if (validation === 'invalid') return refuse(400, 'Invalid Validation-Token');
		if (validation) {
			res.status(200).setHeader('Validation-Token', validation);
			res.end();
			return { noWebhookResponse: true };
		}

		// 2. Every other request must carry our verification token.
		const data = staticDataOf(this.getWorkflowStaticData('node'));
		const address = addressOf(this);
		const store = triggerStore(address, data);
		const token = checkVerificationToken(headers, [data.verificationToken ?? '']);
		if (token === 'missing') return refuse(401, 'Missing verification token');
		if (token === 'wrong') return refuse(403, 'Wrong verification token');

		const catchUpRequest = headers[CATCH_UP_HEADER] === '1';
		let envelope: ReturnType<typeof parseEnvelope> | undefined;
		if (!catchUpRequest) {
			envelope = parseEnvelope(body);
			if (typeof envelope === 'string') return refuse(400, envelope);
			const current = (await store.subscription())?.id;
			if (envelope.subscriptionId !== current && envelope.subscriptionId !== data.subscriptionId) {
				return refuse(403, 'Unknown subscription');
			}
			if (!(await store.claim('event', envelope.uuid))) {
				// A redelivery: acknowledged, nothing runs.
				res.status(200).end();
				return { noWebhookResponse: true };
			}
		}

		// 3. Acknowledge before any slow work: RingCentral blacklists slow webhooks.
		res.status(200).end();
		await wakeUp(this, data, store);

		const filter = filterOf(this);
		const options = optionsOf(this);
		const records: Array<{ record: MessageRecord; source: 'webhook' | 'catchUp' }> = [];
		let client: RingCentralClient | undefined;
		const clientOnce = async () => (client ??= await clientFor(this as never));
		if (options.catchUp !== false && (catchUpRequest || (await store.catchUpPending()))) {
			try {
				const missed = await catchUp(await clientOnce(), store, filter, (options.catchUpHours ?? 24) * 3600_000);
				for (const record of missed ?? []) records.push({ record, source: 'catchUp' });
			} catch (error) {
				this.logger.warn(`RingCentral Trigger: catch-up failed, retried with the next message: ${error instanceof Error ? error.message : String(error)}`);
			}
		}
		if (envelope && typeof envelope !== 'string' && isInstantSmsEvent(envelope.event)) {
			const record = envelope.body;
			if (wanted(record, filter) && (await store.claim('message', String(record.id)))) {
				records.push({ record, source: 'webhook' });
				const at = Date.parse(String(record.creationTime ?? ''));
				if (at) await store.advance(at);
			}
		}
		if (records.length === 0) return { noWebhookResponse: true };

		const items: INodeExecutionData[] = [];
		for (const { record, source } of records) {
			const json = messageItem(record, source, source === 'webhook' && envelope && typeof envelope !== 'string' ? envelope : undefined);
			const item: INodeExecutionData = { json };
			const files = mmsAttachments(record);
			if (files.length && options.downloadAttachments !== false) {
				const binary: Record<string, IBinaryData> = {};
				try {
					const rc = await clientOnce();
					for (const [i, file] of files.entries()) {
						const bytes = await getMessageContent(rc, file.uri, { timeoutMs: 30_000 });
						binary[`attachment_${i}`] = await this.helpers.prepareBinaryData(bytes, file.fileName ?? `attachment-${i + 1}`, file.contentType);
					}
					item.binary = binary;
				} catch (error) {
					// The message is still emitted: losing it would be worse than a missing picture.
					json.attachmentError = `The attachments could not be fetched: ${error instanceof Error ? error.message : String(error)}`;
					if (Object.keys(binary).length) item.binary = binary;
				}
			}
			items.push(item);
		}
		return { noWebhookResponse: true, workflowData: [items] };
	}
}
