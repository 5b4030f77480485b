/** Extension info and the extension's phone numbers (both in the Light group). */
import { apiError, invalidParameter, type Reply, type RequestCtx } from './http';
import type { Session } from './sessions';
import type { SimState } from './state';
import type { SimUser } from './types';

export const EXTENSION_PATH = '/restapi/v1.0/account/~/extension/~';

/** 403 the way RingCentral words a missing app permission. */
export function requirePermission(session: Session, permission: string): void {
	if (!session.scope.includes(permission)) {
		throw apiError(403, 'CMN-408', `In order to call this API endpoint, application needs to have [${permission}] permission`);
	}
}

export function handleExtension(state: SimState, ctx: RequestCtx, session: Session, user: SimUser): Reply {
	requirePermission(session, 'ReadAccounts');
	const smsAllowed = !user.permissions || user.permissions.includes('SMS');
	const hasSmsNumber = user.phoneNumbers.some((n) => n.features.includes('SmsSender'));
	const [firstName, ...rest] = user.name.split(' ');
	return {
		status: 200,
		body: {
			uri: `${ctx.baseUrl}/restapi/v1.0/account/${state.seed.accountId}/extension/${user.extensionId}`,
			id: Number(user.extensionId),
			extensionNumber: user.extensionNumber,
			name: user.name,
			type: 'User',
			status: 'Enabled',
			contact: { firstName, lastName: rest.join(' '), email: `ext${user.extensionNumber}@example.com` },
			account: { uri: `${ctx.baseUrl}/restapi/v1.0/account/${state.seed.accountId}`, id: state.seed.accountId },
			permissions: { admin: { enabled: false }, internationalCalling: { enabled: false } },
			serviceFeatures: [
				{ featureName: 'SMS', enabled: smsAllowed && hasSmsNumber },
				{ featureName: 'SMSReceiving', enabled: hasSmsNumber },
				{ featureName: 'A2PSMS', enabled: user.phoneNumbers.some((n) => n.features.includes('A2PSmsSender')) },
				{ featureName: 'Pager', enabled: true },
			],
			regionalSettings: { homeCountry: { id: '1', isoCode: 'US', name: 'United States' }, timezone: { name: 'US/Pacific' } },
		},
	};
}

function positiveInt(ctx: RequestCtx, name: string, fallback: number, max: number): number {
	const raw = ctx.query.get(name);
	if (raw === null || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 1 || value > max) throw invalidParameter('CMN-101', `Parameter [${name}] value is invalid.`, name, raw);
	return value;
}

export function handlePhoneNumbers(state: SimState, ctx: RequestCtx, session: Session, user: SimUser): Reply {
	requirePermission(session, 'ReadAccounts');
	const page = positiveInt(ctx, 'page', 1, 100_000);
	const perPage = positiveInt(ctx, 'perPage', 100, 1000);
	const usageTypes = ctx.query.getAll('usageType').filter(Boolean);
	const all = user.phoneNumbers.filter((n) => usageTypes.length === 0 || usageTypes.includes(n.usageType));
	const totalPages = Math.max(1, Math.ceil(all.length / perPage));
	const start = (page - 1) * perPage;
	const records = all.slice(start, start + perPage).map((n) => ({
		uri: `${ctx.baseUrl}/restapi/v1.0/account/${state.seed.accountId}/phone-number/${n.id}`,
		id: Number(n.id),
		phoneNumber: n.phoneNumber,
		paymentType: n.type === 'TollFree' ? 'TollFree' : 'Local',
		type: 'VoiceFax',
		usageType: n.usageType,
		features: [...n.features],
		status: n.status ?? 'Normal',
		country: { id: '1', isoCode: 'US', name: 'United States' },
	}));
	const link = (p: number) => {
		const q = new URLSearchParams({ page: String(p), perPage: String(perPage) });
		for (const u of usageTypes) q.append('usageType', u);
		return { uri: `${ctx.baseUrl}${EXTENSION_PATH}/phone-number?${q.toString()}` };
	};
	const navigation: Record<string, { uri: string }> = { firstPage: link(1), lastPage: link(totalPages) };
	if (page < totalPages) navigation.nextPage = link(page + 1);
	if (page > 1) navigation.previousPage = link(Math.min(page - 1, totalPages));
	const paging: Record<string, number> = { page, totalPages, perPage, totalElements: all.length };
	if (records.length) {
		paging.pageStart = start;
		paging.pageEnd = start + records.length - 1;
	}
	return { status: 200, body: { uri: link(page).uri, records, paging, navigation } };
}
