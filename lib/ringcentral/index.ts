export { RingCentralApiError } from './errors';
export { RingCentralClient, getRingCentralClient, resetRingCentralClients, credentialKey } from './client';
export { RingCentralSession, DEFAULT_SETTINGS } from './session';
export { smsSegments, utf16Length, MAX_SMS_TEXT_UNITS } from './sms';
export type * from './types';
