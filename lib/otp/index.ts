export { generateCode, canonicalCode, MIN_DIGITS, MAX_DIGITS } from './code';
export { Pepper, OtpConfigError, digestsEqual, MIN_PEPPER_LENGTH } from './crypto';
export { normalizeIdentifier, normalizePurpose, maskText, type IdentifierResult, type IdentifierType } from './identifier';
export { MemoryOtpStore } from './memoryStore';
export { RedisOtpStore } from './redisStore';
export {
	OtpService,
	checkPolicy,
	renderMessage,
	DEFAULT_POLICY,
	DEFAULT_TEMPLATE,
	MAX_FAILURE_CEILING,
	type OtpPolicy,
	type ResendPolicy,
	type GenerateOutcome,
	type VerifyOutcome,
	type Subject,
} from './service';
export { otpServiceFor, storeFor, sharedMemoryStore, testOtpStoreCredential, resetOtpStores, type OtpStoreCredential } from './stores';
export {
	createTotpSecret,
	verifyTotp,
	matchTotpStep,
	parseSecret,
	checkTotpSettings,
	DEFAULT_TOTP,
	type TotpSettings,
	type TotpAlgorithm,
	type TotpEnrollment,
	type TotpVerifyOutcome,
} from './totp';
export type * from './types';
