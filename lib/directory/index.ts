export { directoryConfig, DEFAULT_TIMEOUT_SECONDS, type DirectoryConfig, type DirectoryCredential } from './config';
export { DirectoryError, type DirectoryErrorKind } from './errors';
export { checkFilterTemplate, userFilter, USERNAME_PLACEHOLDER } from './filter';
export {
	checkAttributes,
	directoryLogin,
	loginInputDenial,
	testDirectory,
	DEFAULT_ATTRIBUTES,
	MAX_PASSWORD_LENGTH,
	MAX_USERNAME_LENGTH,
	type DenialReason,
	type DirectoryUser,
	type LoginAttributes,
	type LoginOutcome,
} from './login';
