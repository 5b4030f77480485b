/**
 * A logged-in client for n8n's internal REST API (`/rest/...`), the API the editor itself uses. It keeps
 * the `n8n-auth` cookie and sends a fixed `browser-id`, which n8n binds the session to.
 */
import { createRequire } from 'module';
import * as path from 'path';
import { MAIN_N8N_VERSION, n8nDialect, type N8nDialect } from './versions';

export interface OwnerAccount {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export const DEFAULT_OWNER: OwnerAccount = {
	email: 'owner@example.com',
	// n8n requires 8+ characters with a digit and an upper-case letter.
	password: 'E2e-Owner-Passw0rd',
	firstName: 'E2E',
	lastName: 'Owner',
};

export class N8nRestError extends Error {
	constructor(
		readonly method: string,
		readonly urlPath: string,
		readonly status: number,
		readonly body: string,
	) {
		super(`${method} ${urlPath} → HTTP ${status}: ${body.slice(0, 500)}`);
	}
}

const CURRENT_STATUSES = new Set(['new', 'running']);

/** `GET /rest/workflows/:id/publication-status` (n8n 2.40+). */
interface PublicationStatus {
	status: 'in_progress' | 'not_published' | 'published' | 'partial' | 'failed';
	triggers: Array<{ nodeId: string; status: string; errorMessage?: string | null }>;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	finished?: boolean;
	startedAt?: string;
	stoppedAt?: string;
}

export interface ExecutionDetail extends ExecutionSummary {
	/** The run data as n8n stores it (a `flatted` string): search it to prove a value was never saved. */
	rawData: string;
	/** `rawData` decoded: `{ resultData: { runData: { [nodeName]: [{ data: { main: [[{ json }]] } }] } } }`. */
	data: any;
}

export class N8nRest {
	private cookie = '';
	private readonly browserId = 'n8n-rc-e2e-harness';
	private readonly flatted: { parse(text: string): any };
	private readonly dialect: N8nDialect;

	/** `version`: the n8n version behind `baseUrl` (1.x activates workflows differently). */
	constructor(
		readonly baseUrl: string,
		n8nDir: string,
		readonly version = MAIN_N8N_VERSION,
	) {
		// Decode with the flatted copy n8n itself depends on, so the format always matches the host.
		const req = createRequire(path.join(n8nDir, 'node_modules', 'n8n', 'package.json'));
		this.flatted = req('flatted');
		this.dialect = n8nDialect(version);
	}

	async request<T = any>(method: string, urlPath: string, body?: unknown): Promise<T> {
		const send = async () =>
			await fetch(this.baseUrl + urlPath, {
				method,
				headers: {
					'content-type': 'application/json',
					'browser-id': this.browserId,
					...(this.cookie ? { cookie: this.cookie } : {}),
				},
				body: body === undefined ? undefined : JSON.stringify(body),
			});
		let res: Response;
		try {
			res = await send();
		} catch (error) {
			// A GET changes nothing, so one that lost its connection (n8n 1.x closed the socket of a large
			// /types/nodes.json on a loaded machine) is asked again once; anything else fails as it came.
			if (method !== 'GET') throw error;
			await new Promise((r) => setTimeout(r, 1000));
			res = await send();
		}
		const setCookie = res.headers.get('set-cookie');
		const auth = setCookie?.match(/n8n-auth=[^;]*/);
		if (auth) this.cookie = auth[0];
		const text = await res.text();
		if (!res.ok) throw new N8nRestError(method, urlPath, res.status, text);
		if (!text) return undefined as T;
		const parsed = JSON.parse(text);
		// /rest/* wraps results in { data }; /types/*.json does not.
		return (urlPath.startsWith('/rest/') && parsed && 'data' in parsed ? parsed.data : parsed) as T;
	}

	async setupOwner(owner: OwnerAccount): Promise<void> {
		await this.request('POST', '/rest/owner/setup', owner);
	}

	async login(owner: OwnerAccount): Promise<void> {
		await this.request('POST', '/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
	}

	async getWorkflow(id: string): Promise<any> {
		return await this.request('GET', `/rest/workflows/${encodeURIComponent(id)}`);
	}

	/**
	 * Publishes (activates) the current version of a workflow; n8n registers its webhooks before answering.
	 * 1.x has no publishing: the editor's toggle saves the workflow with `active: true`.
	 */
	async publishWorkflow(id: string): Promise<void> {
		const wf = await this.getWorkflow(id);
		const url = `/rest/workflows/${encodeURIComponent(id)}`;
		if (this.dialect.publishing === 'activeFlag') {
			await this.request('PATCH', url, { active: true, versionId: wf.versionId });
			return;
		}
		await this.request('POST', `${url}/activate`, { versionId: wf.versionId });
		await this.waitForPublication(id);
	}

	/**
	 * n8n 2.40 publishes through an outbox (`N8N_USE_WORKFLOW_PUBLICATION_SERVICE`, on by default there): the
	 * activate call answers once the publication is queued, and the webhooks are registered a moment later.
	 * Waits until n8n reports the workflow published (`settled`: until no publication or unpublication is in
	 * flight); throws with n8n's reasons when a trigger failed. Hosts
	 * without the service (2.8, or the service turned off) answer 404 here and were already done.
	 */
	async waitForPublication(id: string, timeoutMs = 60_000, until: 'published' | 'settled' = 'published'): Promise<void> {
		const url = `/rest/workflows/${encodeURIComponent(id)}/publication-status`;
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			let state: PublicationStatus;
			try {
				state = await this.request<PublicationStatus>('GET', url);
			} catch (error) {
				if (error instanceof N8nRestError && error.status === 404) return;
				throw error;
			}
			if (until === 'settled' && state.status !== 'in_progress') return;
			if (state.status === 'published') return;
			if (state.status === 'failed' || state.status === 'partial') {
				const reasons = state.triggers.filter((t) => t.status === 'failed').map((t) => `${t.nodeId}: ${t.errorMessage}`);
				throw new Error(`n8n could not publish workflow ${id} (${state.status}): ${reasons.join('; ')}`);
			}
			if (Date.now() > deadline) throw new Error(`workflow ${id} still ${state.status} after ${timeoutMs / 1000} s`);
			await new Promise((r) => setTimeout(r, 100));
		}
	}

	async unpublishWorkflow(id: string): Promise<void> {
		const url = `/rest/workflows/${encodeURIComponent(id)}`;
		if (this.dialect.publishing === 'activeFlag') {
			const wf = await this.getWorkflow(id);
			await this.request('PATCH', url, { active: false, versionId: wf.versionId });
		} else {
			await this.request('POST', `${url}/deactivate`, {});
			// Through 2.40's outbox too: the webhooks go (and trigger `delete` methods run) a moment later.
			await this.waitForPublication(id, 60_000, 'settled');
		}
	}

	/**
	 * Running and queued executions first, then finished ones newest first; each execution once. n8n (2.8 and
	 * 2.40 alike, `ExecutionService.findLatestCurrentAndCompleted`) answers with two concurrent queries, one for
	 * new/running and one for finished executions, so one that finishes in between is listed twice.
	 */
	async listExecutions(filter: { workflowId?: string; status?: string } = {}): Promise<ExecutionSummary[]> {
		const q = encodeURIComponent(JSON.stringify(filter));
		const res = await this.request<{ results: any[] }>('GET', `/rest/executions?filter=${q}&limit=100`);
		const all: ExecutionSummary[] = res.results.map((r) => ({ ...r, id: String(r.id) }));
		const finished = new Set(all.filter((e) => !CURRENT_STATUSES.has(e.status)).map((e) => e.id));
		const seen = new Set<string>();
		return all.filter((e) => {
			if (CURRENT_STATUSES.has(e.status) && finished.has(e.id)) return false;
			if (seen.has(e.id)) return false;
			seen.add(e.id);
			return true;
		});
	}

	async getExecution(id: string): Promise<ExecutionDetail> {
		const res = await this.request<any>('GET', `/rest/executions/${encodeURIComponent(id)}`);
		const rawData: string = typeof res.data === 'string' ? res.data : JSON.stringify(res.data);
		const data = typeof res.data === 'string' ? this.flatted.parse(res.data) : res.data;
		return { ...res, id: String(res.id), rawData, data };
	}

	async nodeTypes(): Promise<Array<{ name: string; version: number | number[]; displayName: string }>> {
		return await this.request('GET', '/types/nodes.json');
	}

	async credentialTypes(): Promise<Array<{ name: string; displayName: string }>> {
		return await this.request('GET', '/types/credentials.json');
	}
}

/** The JSON output of one node in a saved execution (first run, main output `outputIndex`). */
export function nodeOutput(execution: ExecutionDetail, nodeName: string, outputIndex = 0): any[] {
	const runs = execution.data?.resultData?.runData?.[nodeName];
	if (!runs?.length) return [];
	const items = runs[0]?.data?.main?.[outputIndex] ?? [];
	return items.map((i: { json: unknown }) => i.json);
}
