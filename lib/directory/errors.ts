/**
 * Failures of the directory itself, as opposed to a denied login. They never say "denied": a directory
 * that cannot answer must not look like a wrong password to the caller, and never like a success.
 */

/** What went wrong on our side of the login, for the workflow author. */
export type DirectoryErrorKind =
	/** The server could not be reached, the TLS handshake failed or it stopped answering in time. */
	| 'unavailable'
	/** The credential or the node is set up wrongly (service account refused, search base missing, bad URL or filter). */
	| 'misconfigured';

export class DirectoryError extends Error {
	readonly kind: DirectoryErrorKind;

	constructor(kind: DirectoryErrorKind, message: string) {
		super(message);
		this.name = 'DirectoryError';
		this.kind = kind;
	}
}

export const unavailable = (message: string) => new DirectoryError('unavailable', message);
export const misconfigured = (message: string) => new DirectoryError('misconfigured', message);
