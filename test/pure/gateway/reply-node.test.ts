import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { getPreset, type GatewayContext } from '../../../lib/gateway';
import { SmsGatewayReply } from '../../../nodes/SmsGatewayReply/SmsGatewayReply.node';

interface Harness {
	ctx: IExecuteFunctions;
	responses: Array<{ body: unknown; headers: Record<string, string>; statusCode: number }>;
}

const TRIGGER = 'SMS Gateway Trigger';

/** A minimal execute context: input items, node parameters, a trigger upstream whose first item is `triggerItem`. */
function harness(items: INodeExecutionData[], params: Record<string, unknown>, triggerItem?: INodeExecutionData, parentType = 'n8n-nodes-ringcentral-sms.smsGatewayTrigger'): Harness {
	const responses: Harness['responses'] = [];
	const ctx = {
		getInputData: () => items,
		getNodeParameter: (name: string, _i: number, fallback?: unknown) => (name in params ? params[name] : fallback),
		getNode: () => ({ name: 'SMS Gateway Reply' }),
		continueOnFail: () => false,
		getParentNodes: () => [
			{ name: 'RingCentral', type: 'n8n-nodes-ringcentral-sms.ringCentral', typeVersion: 1, disabled: false },
			{ name: TRIGGER, type: parentType, typeVersion: 1, disabled: false },
		],
		getWorkflowDataProxy: () => ({
			$: (name: string) => ({
				first: () => {
					if (name !== TRIGGER || !triggerItem) throw new Error(`no data for ${name}`);
					return triggerItem;
				},
			}),
		}),
		sendResponse: (r: Harness['responses'][number]) => responses.push(r),
	} as unknown as IExecuteFunctions;
	return { ctx, responses };
}

const context = (preset: string, timing: 'afterAccepted' | 'immediately' = 'afterAccepted'): GatewayContext => ({
	preset,
	timing,
	reply: getPreset(preset)!.reply,
	receivedAt: '2026-01-01T00:00:00.000Z',
});
const sent = (id: string): INodeExecutionData => ({ json: { messageId: id, status: 'Queued', to: '+16505550123' } });

describe('SMS Gateway Reply node', () => {
	it('answers in the trigger\'s format, found upstream: ManageEngine SUCCESS', async () => {
		const h = harness([sent('11')], { replyFormat: 'trigger' }, { json: { to: '+16505550123', gateway: context('manageEngine') } });
		const [out] = await new SmsGatewayReply().execute.call(h.ctx);
		expect(h.responses).toEqual([{ body: 'SUCCESS', headers: expect.objectContaining({ 'content-type': 'text/plain; charset=utf-8' }), statusCode: 200 }]);
		expect(out[0]).toMatchObject({ json: { messageId: '11', gatewayReply: { replied: true, ok: true, status: 200 } }, pairedItem: { item: 0 } });
	});

	it('a failed item makes the whole reply a failure with the reason (Genesys XML)', async () => {
		const items = [sent('1'), { json: { error: 'RingCentral refused the number', errorCode: 'MSG-245' } }];
		const h = harness(items, { replyFormat: 'trigger' }, { json: { gateway: context('genesys') } });
		const [out] = await new SmsGatewayReply().execute.call(h.ctx);
		expect(h.responses[0].statusCode).toBe(502);
		expect(h.responses[0].body).toBe('<sendSms><status>failure</status><code>send-failed</code><reason>1 of 2 messages failed: RingCentral refused the number</reason></sendSms>');
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('in "Immediately" mode it does not answer again, only reports', async () => {
		const h = harness([sent('1')], { replyFormat: 'trigger' }, { json: { gateway: context('privacyIdea', 'immediately') } });
		const [out] = await new SmsGatewayReply().execute.call(h.ctx);
		expect(h.responses).toHaveLength(0);
		expect(out[0].json.gatewayReply).toMatchObject({ replied: false, ok: true });
	});

	it('an explicit preset is used when the request came through another webhook node', async () => {
		const h = harness([sent('9')], { replyFormat: 'preset', preset: 'curity' }, undefined, 'n8n-nodes-base.webhook');
		await new SmsGatewayReply().execute.call(h.ctx);
		expect(h.responses[0]).toMatchObject({ body: '', statusCode: 200 });
	});

	it('without a trigger context it still answers (Generic JSON), never throws', async () => {
		const h = harness([{ json: { error: 'boom' } }], { replyFormat: 'trigger' }, undefined);
		await new SmsGatewayReply().execute.call(h.ctx);
		expect(h.responses[0].statusCode).toBe(502);
		expect(JSON.parse(String(h.responses[0].body))).toMatchObject({ status: 'failed', error: 'send-failed', message: 'boom' });
	});
});
