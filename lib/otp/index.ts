export { generateCode, canonicalCode, MIN_DIGITS, MAX_DIGITS } from './code';
export { Pepper, OtpConfigError, pepperProblem, MIN_PEPPER_LENGTH } from './crypto';
export {
	checkFailureRule,
	failureStatus,
	resetFailures,
	lockoutAfter,
	DEFAULT_FAILURE_RULE,
	MAX_FAILURE_CEILING,
	MAX_LOCKOUT_MS,
	type FailureOutcome,
	type FailureStatus,
} from './failures';
export { normalizeIdentifier, normalizePurpose, maskText, type IdentifierResult, type IdentifierType } from './identifier';
export { MemoryOtpStore, type MemoryStoreOptions } from './memoryStore';
export { RedisOtpStore, type RedisStoreOptions } from './redisStore';
export {
	OtpService,
	checkPolicy,
	renderMessage,
	DEFAULT_POLICY,
	DEFAULT_TEMPLATE,
	type OtpPolicy,
	type ResendPolicy,
	type GenerateOutcome,
	type VerifyOutcome,
	type Subject,
} from './service';
export { otpServiceFor, storeFor, testOtpStoreCredential, resetOtpStores, type OtpStoreCredential } from './stores';
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
	type TotpVerifyRequest,
} from './totp';
export type * from './types';
export { reserveLoginAttempt, loginFailed, loginSucceeded, resetSourceFailures, sourceKey, DEFAULT_SOURCE_RULE, type LoginRules, type LoginSubject, type LoginReservation } from './attempts';
export { storePendingSecret, findSecret, activateSecret, removeEnrolment, PENDING_LIFETIME_MS, type EnrolledSecret, type EnrolmentState, type FoundSecret } from './enrolment';
