/**
 * Runs a workflow through n8n's real execution engine in-process (n8n-core's WorkflowExecute, the code
 * behind every n8n run), with the package's nodes loaded from source. It is what a node sees in n8n:
 * real parameter and expression resolution, real credential lookup, and n8n's own routing of On Error,
 * error outputs and Retry On Fail — in milliseconds, without a server.
 */
import { mock } from 'jest-mock-extended';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	ICredentialsHelper,
	Workflow,
	createDeferredPromise,
	type ICredentialDataDecryptedObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IWorkflowExecuteAdditionalData,
	type IConnections,
} from 'n8n-workflow';
import { OtpGenerate } from '../../nodes/OtpGenerate/OtpGenerate.node';
import { OtpLockoutAdmin } from '../../nodes/OtpLockoutAdmin/OtpLockoutAdmin.node';
import { OtpVerify } from '../../nodes/OtpVerify/OtpVerify.node';
import { RingCentral } from '../../nodes/RingCentral/RingCentral.node';
import { SmsGatewayReply } from '../../nodes/SmsGatewayReply/SmsGatewayReply.node';
import { Totp } from '../../nodes/Totp/Totp.node';

export const PKG = 'n8n-nodes-ringcentral-sms';

// n8n-core's services (SSH client cleanup, cron logging) start minute-long intervals when the engine first
// runs; in a server that is fine, in a test process it keeps jest from exiting. Intervals made in this
// test process therefore do not hold it open.
const setIntervalOf = global.setInterval;
global.setInterval = ((...args: Parameters<typeof setInterval>) => setIntervalOf(...args).unref()) as typeof setInterval;

/** Passes its input on: the start of every test workflow, and a collector after each output. */
class PassThrough implements INodeType {
	description = {
		displayName: 'Pass Through',
		name: 'passThrough',
		group: ['transform'],
		version: 1,
		description: 'test node',
		defaults: { name: 'Pass Through' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

const NODE_TYPES: Record<string, INodeType> = {
	[`${PKG}.otpGenerate`]: new OtpGenerate(),
	[`${PKG}.otpVerify`]: new OtpVerify(),
	[`${PKG}.totp`]: new Totp(),
	[`${PKG}.otpLockoutAdmin`]: new OtpLockoutAdmin(),
	[`${PKG}.ringCentral`]: new RingCentral(),
	[`${PKG}.smsGatewayReply`]: new SmsGatewayReply(),
	'test.passThrough': new PassThrough(),
};

/** Adds a node type for one test (e.g. a node that throws, to see where n8n sends its items). */
export function registerNodeType(type: string, node: INodeType): void {
	NODE_TYPES[type] = node;
}

const nodeTypes: INodeTypes = {
	getByName: (type: string) => NODE_TYPES[type],
	getByNameAndVersion: (type: string) => NODE_TYPES[type],
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

/** Credentials by id; a node that points at an id that is not here sees what n8n shows for a deleted one. */
class TestCredentials extends ICredentialsHelper {
	constructor(private readonly byId: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}
	getParentTypes(): string[] {
		return [];
	}
	async authenticate(_c: unknown, _t: string, request: never) {
		return request;
	}
	async preAuthentication() {
		return undefined;
	}
	async runPreAuthentication() {
		return undefined;
	}
	async getCredentials(): Promise<never> {
		throw new Error('not used');
	}
	async getDecrypted(_data: unknown, nodeCredentials: { id: string | null; name: string }, type: string): Promise<ICredentialDataDecryptedObject> {
		const found = nodeCredentials.id ? this.byId[nodeCredentials.id] : undefined;
		// n8n's own words when a credential was deleted.
		if (!found) throw new Error(`Credential with ID "${nodeCredentials.id}" does not exist for type "${type}".`);
		return found;
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
	getCredentialsProperties() {
		return [];
	}
}

export type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

export interface NodeUnderTest {
	type: string;
	parameters: INode['parameters'];
	/** Credential type → id in `credentials` (an unknown id behaves like a deleted credential). */
	credentials?: Record<string, string>;
	onError?: OnError;
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
}

export interface RunResult {
	/** Items per output of the node under test, after n8n's routing (error output last, when on). */
	outputs: INodeExecutionData[][];
	/** The workflow's error when it stopped. */
	error?: { message: string; description?: string | null };
	/** How often n8n ran the node (Retry On Fail). */
	runs: number;
	run: IRun;
}

/**
 * Start (PassThrough with `items`) → node under test → one collector per output. Returns what reached
 * each output. `outputCount` is the node's own outputs; the error output is added for continueErrorOutput.
 */
export async function runNode(node: NodeUnderTest, items: INodeExecutionData[], o: { credentials?: Record<string, ICredentialDataDecryptedObject>; outputCount: number }): Promise<RunResult> {
	const outputs = o.outputCount + (node.onError === 'continueErrorOutput' ? 1 : 0);
	const nodes: INode[] = [
		{ id: 'start', name: 'Start', type: 'test.passThrough', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'subject',
			name: 'Subject',
			type: node.type,
			typeVersion: 1,
			position: [200, 0],
			parameters: node.parameters,
			...(node.credentials
				? { credentials: Object.fromEntries(Object.entries(node.credentials).map(([type, id]) => [type, { id, name: `${type} ${id}` }])) }
				: {}),
			...(node.onError ? { onError: node.onError } : {}),
			...(node.retryOnFail ? { retryOnFail: true, maxTries: node.maxTries ?? 3, waitBetweenTries: node.waitBetweenTries ?? 0 } : {}),
		},
		...Array.from({ length: outputs }, (_, i) => ({ id: `out${i}`, name: `Out ${i}`, type: 'test.passThrough', typeVersion: 1, position: [400, i * 100] as [number, number], parameters: {} })),
	];
	const connections: IConnections = {
		Start: { main: [[{ node: 'Subject', type: 'main', index: 0 }]] },
		Subject: { main: Array.from({ length: outputs }, (_, i) => [{ node: `Out ${i}`, type: 'main', index: 0 }]) },
	} as IConnections;
	const workflow = new Workflow({ id: 'engine-test', nodes, connections, nodeTypes, active: false, settings: { executionOrder: 'v1' } });

	const hooks = new ExecutionLifecycleHooks('manual', 'engine-test-run', mock());
	let runs = 0;
	hooks.addHandler('nodeExecuteBefore', (name: string) => {
		if (name === 'Subject') runs += 1;
	});
	const done = createDeferredPromise<IRun>();
	hooks.addHandler('workflowExecuteAfter', (fullRunData: IRun) => done.resolve(fullRunData));
	// A deep mock stands in for n8n's server-side services that these nodes never touch.
	const additionalData = mock<Record<string, unknown>>({ hooks, currentNodeParameters: undefined }) as unknown as IWorkflowExecuteAdditionalData;
	additionalData.credentialsHelper = new TestCredentials(o.credentials ?? {});
	additionalData.executionId = `engine-${Math.random().toString(36).slice(2)}`;

	const runExecutionData: IRunExecutionData = {
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [{ node: nodes[0], data: { main: [items] }, source: null }],
		},
	} as unknown as IRunExecutionData;
	await new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	const run = await done.promise;
	const runData = run.data.resultData.runData;
	const error = run.data.resultData.error;
	return {
		// The node's own task data, as n8n routed it (error output included); collectors re-pair items to themselves.
		outputs: Array.from({ length: outputs }, (_, i) => runData.Subject?.[runData.Subject.length - 1]?.data?.main?.[i] ?? []),
		error: error ? { message: error.message, description: (error as { description?: string | null }).description } : undefined,
		runs,
		run,
	};
}
