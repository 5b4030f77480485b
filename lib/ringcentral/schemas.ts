/**
 * Shapes checked at the edges with zod: what a user typed into the credential, and what RingCentral
 * answered. A 200 that is not a message record (a captive proxy, a wrong server) must not count as "sent".
 */
import { z } from 'zod';

const required = (label: string) => z.string({ required_error: `${label} is missing` }).trim().min(1, `${label} is missing`);

export const credentialSchema = z.object({
	serverUrl: required('Server URL').regex(/^https?:\/\/[^\s/]+/i, 'Server URL must start with https:// (for example https://platform.ringcentral.com)'),
	clientId: required('Client ID'),
	clientSecret: required('Client Secret'),
	jwt: required('JWT'),
});

export const messageRecordSchema = z
	.object({
		id: z.union([z.number(), z.string().regex(/^\d+$/)]),
		messageStatus: z.string().optional(),
	})
	.passthrough();

/** The sentence for a failed parse: each problem once, never the values (they may be secrets). */
export function describeIssues(error: z.ZodError): string {
	return Array.from(new Set(error.issues.map((issue) => issue.message))).join('; ');
}
