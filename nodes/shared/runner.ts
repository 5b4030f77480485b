/**
 * The one item loop every node's `execute` runs through. It owns pairing, "On Error", the mapping of any
 * failure to an n8n error with its item index, and where a failed item goes, so that no node can fail
 * open:
 *
 * - When `execute` throws while On Error continues, n8n hands the node's *input* items to output 0. So a
 *   node that has a success output never puts it first: output 0 is always the "not approved / not
 *   issued / failed" output, and the runner catches everything (set-up included) so nothing escapes.
 * - Under "Continue (regular output)" a failed item goes to output 0 with `error` (a sentence) and a
 *   stable `reason`; the `error` property of the item stays unset, because n8n replaces the JSON of such
 *   items with `{ error }` only.
 * - Under "Continue (using error output)" a failed item is `{ error }` on output 0, which n8n moves to its
 *   error output (merged with the input item); if a host ever did not move it, it stays on output 0.
 * - Under "Stop Workflow" the failure is thrown as NodeOperationError / NodeApiError with `itemIndex`.
 * - "Retry On Fail" re-runs the whole node. Operations that must never run twice (a send, a verification
 *   that consumes a code) say so, and the runner refuses them before anything happens.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { ItemError, describeFailure, toNodeError, type Failure, type FailureReason } from './errors';

/** One result of an item: which output it goes to and what it carries. */
export interface Routed {
	output: number;
	json: IDataObject;
	binary?: INodeExecutionData['binary'];
	/** Defaults to the item being processed; a batch sets its own. */
	pairedItem?: IPairedItemData;
}

export interface RunSpec<Setup> {
	/** How many outputs the node has (the description's `outputs`). */
	outputs: number;
	/** Work done once before the items (credentials, store). A failure here fails every item. */
	setup?: (ctx: IExecuteFunctions) => Promise<Setup>;
	/** One item. Throw ItemError (or anything) to fail it. */
	item?: (ctx: IExecuteFunctions, setup: Setup, itemIndex: number) => Promise<Routed | Routed[]>;
	/** All items at once (one request for the whole input, e.g. an A2P batch); used instead of `item`. */
	batch?: (ctx: IExecuteFunctions, setup: Setup) => Promise<Routed[]>;
	/**
	 * When this returns a sentence the item is refused under Retry On Fail (it would send or consume
	 * twice). Read-only operations leave it out.
	 */
	notRetryable?: (ctx: IExecuteFunctions, itemIndex: number) => string | undefined;
	/** How the node reads an error it does not recognise (e.g. OTP nodes: the store failed). */
	unknownError?: { reason: FailureReason; prefix?: string };
	/** Extra fields on a failed item under "Continue (regular output)", e.g. `approved: false`. */
	failureFields?: IDataObject;
}

type OnError = 'stop' | 'regular' | 'errorOutput';

function onErrorOf(ctx: IExecuteFunctions): OnError {
	if (!ctx.continueOnFail()) return 'stop';
	return ctx.getNode().onError === 'continueErrorOutput' ? 'errorOutput' : 'regular';
}

/** What a failed item looks like on output 0 for the node's On Error setting. */
function failedItem(failure: Failure, mode: OnError, itemIndex: number, extra: IDataObject | undefined): INodeExecutionData {
	if (mode === 'errorOutput') return { json: { error: failure.message }, pairedItem: { item: itemIndex } };
	return {
		json: { ...(extra ?? {}), error: failure.message, reason: failure.reason, ...failure.details },
		pairedItem: { item: itemIndex },
	};
}

/**
 * A failure inside an item that does not end the item, e.g. one recipient of several: under Stop Workflow
 * it is thrown (the runner turns it into the n8n error), otherwise it becomes a result on output 0 in
 * the shape that On Error setting needs. `extra` is kept under "Continue (regular output)".
 */
export function partialFailure(ctx: IExecuteFunctions, error: unknown, itemIndex: number, extra: IDataObject = {}): Routed {
	const mode = onErrorOf(ctx);
	if (mode === 'stop') throw error;
	const item = failedItem(describeFailure(error), mode, itemIndex, undefined);
	return { output: 0, json: mode === 'regular' ? { ...item.json, ...extra } : item.json, pairedItem: { item: itemIndex } };
}

export async function runItems<Setup = undefined>(ctx: IExecuteFunctions, spec: RunSpec<Setup>): Promise<INodeExecutionData[][]> {
	const outputs: INodeExecutionData[][] = Array.from({ length: spec.outputs }, () => []);
	const mode = onErrorOf(ctx);
	let count = 0;
	const fail = (error: unknown, itemIndex: number) => {
		const failure = describeFailure(error, spec.unknownError);
		if (mode === 'stop') throw toNodeError(ctx.getNode(), failure, itemIndex);
		outputs[0].push(failedItem(failure, mode, itemIndex, spec.failureFields));
	};
	const place = (routed: Routed | Routed[], itemIndex: number) => {
		for (const r of Array.isArray(routed) ? routed : [routed]) {
			if (!Number.isInteger(r.output) || r.output < 0 || r.output >= spec.outputs) throw new Error(`internal: output ${r.output} does not exist`);
			outputs[r.output].push({ json: r.json, ...(r.binary ? { binary: r.binary } : {}), pairedItem: r.pairedItem ?? { item: itemIndex } });
		}
	};

	try {
		count = ctx.getInputData().length;
		const refusal = retryRefusal(ctx, spec, count);
		let setup: Setup;
		try {
			if (refusal) throw refusal;
			setup = (spec.setup ? await spec.setup(ctx) : undefined) as Setup;
		} catch (error) {
			// Nothing ran: every item fails the same way (under Stop Workflow, the first one stops it).
			for (let i = 0; i < count; i++) fail(error, i);
			return outputs;
		}
		if (spec.batch) {
			try {
				place(await spec.batch(ctx, setup), 0);
			} catch (error) {
				for (let i = 0; i < count; i++) fail(error, i);
			}
			return outputs;
		}
		for (let i = 0; i < count; i++) {
			try {
				place(await (spec.item as NonNullable<RunSpec<Setup>['item']>)(ctx, setup, i), i);
			} catch (error) {
				fail(error, i);
			}
		}
		return outputs;
	} catch (error) {
		if (mode === 'stop') throw error;
		// A fault of the runner itself: discard everything and fail every item closed.
		const safe: INodeExecutionData[][] = Array.from({ length: spec.outputs }, () => []);
		const failure = describeFailure(error, spec.unknownError);
		for (let i = 0; i < Math.max(count, 1); i++) safe[0].push(failedItem(failure, mode, i, spec.failureFields));
		return safe;
	}
}

function retryRefusal<Setup>(ctx: IExecuteFunctions, spec: RunSpec<Setup>, count: number): Error | undefined {
	if (!spec.notRetryable || ctx.getNode().retryOnFail !== true) return undefined;
	for (let i = 0; i < Math.max(count, 1); i++) {
		const why = spec.notRetryable(ctx, i);
		if (why) {
			return new ItemError(
				`Settings → Retry On Fail is on, and ${why} Turn Retry On Fail off for this node: it already retries what is safe to retry (rate limits, busy servers, a connection that failed before anything was sent).`,
				{ reason: 'retry_refused', field: 'retryOnFail' },
			);
		}
	}
	return undefined;
}
