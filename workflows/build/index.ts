/** Writes workflows/*.json from the template sources: `npx tsx workflows/build/index.ts` (then commit both). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { axigen } from './axigen';
import { callLogToPostgres } from './call-log-to-postgres';
import { genesys } from './genesys';
import { inboundSmsKeywords } from './inbound-sms-keywords';
import { manageEngine } from './manageengine';
import { otpApi } from './otp-api';
import { privacyIdea } from './privacyidea';
import { ringotel } from './ringotel';
import type { Template } from './lib';

export const TEMPLATES: Array<() => Template> = [manageEngine, axigen, privacyIdea, genesys, otpApi, callLogToPostgres, inboundSmsKeywords, ringotel];

if (require.main === module) {
	for (const make of TEMPLATES) {
		const t = make();
		const file = join(__dirname, '..', `${t.slug}.json`);
		writeFileSync(file, `${JSON.stringify(t.toJSON(), null, '\t')}\n`);
		console.log(`wrote ${file}`);
	}
}
