/** A minimal IExecuteFunctions for running the OTP nodes without n8n. */
import type { IExecuteFunctions, INode } from 'n8n-workflow';

export interface FakeRun {
	params: Record<string, unknown> | Array<Record<string, unknown>>;
	credentials: Record<string, Record<string, unknown>>;
	continueOnFail?: boolean;
	items?: number;
}

export function fakeContext(run: FakeRun): IExecuteFunctions {
	const node: INode = { id: 'n1', name: 'OTP', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} };
	const count = run.items ?? (Array.isArray(run.params) ? run.params.length : 1);
	const paramsFor = (i: number) => (Array.isArray(run.params) ? run.params[i] : run.params);
	return {
		getInputData: () => Array.from({ length: count }, (_, i) => ({ json: { i } })),
		getNodeParameter: (name: string, i: number, fallback?: unknown) => {
			const p = paramsFor(i);
			return name in p ? p[name] : fallback;
		},
		getCredentials: async (type: string) => {
			if (!run.credentials[type]) throw new Error(`no credential ${type}`);
			return run.credentials[type];
		},
		getNode: () => node,
		continueOnFail: () => run.continueOnFail ?? false,
		helpers: {
			prepareBinaryData: async (data: Buffer, fileName: string, mimeType: string) => ({ data: data.toString('base64'), fileName, mimeType }),
		},
	} as unknown as IExecuteFunctions;
}
