import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { runItems, type Routed } from '../shared/runner';
import {
	PRESETS,
	REPLY_MARKER_HEADER,
	decideOutcome,
	getPreset,
	renderReply,
	sharedDuplicateWindow,
	type GatewayContext,
} from '../../lib/gateway';

const TRIGGER_TYPE_SUFFIX = 'smsGatewayTrigger';

function isContext(value: unknown): value is GatewayContext {
	return !!value && typeof value === 'object' && typeof (value as GatewayContext).reply?.format === 'string';
}

/**
 * The gateway context (reply format, timing, duplicate keys) of the request being answered: from an input
 * item that still carries it, else from the SMS Gateway Trigger upstream (its first output item).
 */
function contextFromTrigger(ctx: IExecuteFunctions, items: INodeExecutionData[]): GatewayContext | undefined {
	const carried = items.map((i) => i.json.gateway).find(isContext);
	if (carried) return carried;
	// getParentNodes is missing on some older n8n 1.x hosts: then only the carried context can be used.
	if (typeof ctx.getParentNodes !== 'function') return undefined;
	const trigger = ctx.getParentNodes(ctx.getNode().name).find((n) => n.type === TRIGGER_TYPE_SUFFIX || n.type.endsWith(`.${TRIGGER_TYPE_SUFFIX}`));
	if (!trigger) return undefined;
	try {
		const proxy = ctx.getWorkflowDataProxy(0);
		const first = proxy.$(trigger.name).first() as INodeExecutionData | undefined;
		const gateway = first?.json?.gateway;
		return isContext(gateway) ? gateway : undefined;
	} catch {
		return undefined; // the trigger did not run in this execution (e.g. a manual test run)
	}
}

export class SmsGatewayReply implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SMS Gateway Reply',
		name: 'smsGatewayReply',
		icon: 'file:smsGatewayReply.svg',
		group: ['output'],
		version: 1,
		description: 'Answer the caller of an SMS Gateway Trigger in its own format: success only if every SMS was accepted',
		defaults: { name: 'SMS Gateway Reply' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{
				displayName:
					'Put this after the RingCentral node (Send SMS) and set that node\'s Settings → On Error to "Continue": failed sends then reach this node as items with an error, and the caller gets its failure reply with the reason. Every branch after the trigger should end here; one that does not still gets the failure reply (code no-reply), never an empty success.',
				name: 'wiringNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Reply Format',
				name: 'replyFormat',
				type: 'options',
				options: [
					{ name: 'Same as the Trigger', value: 'trigger', description: 'Use the reply the SMS Gateway Trigger is configured with' },
					{ name: 'A Caller Preset', value: 'preset', description: 'Use a preset\'s reply (when the request came in through another webhook node)' },
				],
				default: 'trigger',
			},
			{
				displayName: 'Caller',
				name: 'preset',
				type: 'options',
				options: PRESETS.map((p) => ({ name: p.name, value: p.id })),
				default: 'generic',
				displayOptions: { show: { replyFormat: ['preset'] } },
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// One answer for all items; if it fails before answering, the trigger answers the preset's failure reply.
		return await runItems(this, { outputs: 1, batch: replyToCaller });
	}
}

/** Answers the caller from the items (success only if every SMS was accepted) and passes them on with a summary. */
async function replyToCaller(ctx: IExecuteFunctions): Promise<Routed[]> {
	const items = ctx.getInputData();
	const mode = ctx.getNodeParameter('replyFormat', 0, 'trigger') as string;
	let context = mode === 'trigger' ? contextFromTrigger(ctx, items) : undefined;
	if (!context) {
		const preset = getPreset(mode === 'preset' ? (ctx.getNodeParameter('preset', 0, 'generic') as string) : 'generic') ?? getPreset('generic')!;
		context = { preset: preset.id, timing: 'afterAccepted', reply: preset.reply, receivedAt: '' };
	}

	const decided = decideOutcome(items.map((i) => i.json as Record<string, unknown>));
	const reply = renderReply(context.reply, decided.outcome);
	// In "Immediately" mode the trigger has already answered; answering twice is not possible.
	const replied = context.timing !== 'immediately';
	if (replied) {
		ctx.sendResponse({
			body: reply.body,
			// The marker tells the trigger this answer is a Reply node's (it removes it before the caller sees it).
			headers: { 'cache-control': 'no-store', [REPLY_MARKER_HEADER]: '1', ...(reply.contentType ? { 'content-type': reply.contentType } : {}) },
			statusCode: reply.status,
		});
	}
	for (const key of context.dedupeKeys ?? []) sharedDuplicateWindow.settle(key, decided.outcome, decided.retryable);

	const summary: IDataObject = {
		replied,
		ok: decided.outcome.ok,
		status: reply.status,
		sent: decided.sent,
		failed: decided.failed,
		...(decided.outcome.ok ? {} : { reason: decided.outcome.failure.reason, code: decided.outcome.failure.code }),
	};
	return items.map((item, i) => ({ output: 0, json: { ...item.json, gatewayReply: summary }, pairedItem: { item: i } }));
}
