export { RingCentralApiError } from './errors';
export { RingCentralClient, getRingCentralClient, resetRingCentralClients, credentialKey, PHONE_NUMBER_USAGE_TYPES } from './client';
export { RingCentralSession, DEFAULT_SETTINGS } from './session';
export { smsSegments, MAX_SMS_TEXT_UNITS } from './sms';
export { sharedRedis, redisPrefix } from './redis';
export type * from './types';
export {
	CALL_LOG_MAX_PER_PAGE,
	forEachCallLogPage,
	getCallRecord,
	listCallLog,
	listCallQueueMembers,
	listCallQueues,
	type CallLogFilter,
	type CallLogRecord,
	type CallLogScope,
	type CallQueue,
	type CallQueueMember,
} from './callLog';
export { DAY_MS, MINUTE_MS, commitPosition, planWindow, uniqueById, type SyncPosition, type WindowPlan } from './callLogSync';
export * from './subscriptions';
export * from './messageStore';
export * from './mms';
export { getRingCentralOAuthClient, reconnectSentence, resetRingCentralOAuthClients, type OAuthCredentialInfo, type OAuthTokens, type TokenBroker } from './oauth';
