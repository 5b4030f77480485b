/** SMS text facts used before anything is sent. */

/** RingCentral's limit for one Send SMS request, counted in UTF-16 code units (a 4-byte character counts 2). */
export const MAX_SMS_TEXT_UNITS = 1000;

// GSM 03.38 basic set; characters of the extension table count twice.
const GSM_BASIC =
	'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';

/**
 * How many SMS segments the carrier will bill: GSM-7 160 characters (153 per part when split), otherwise
 * UCS-2 70 (67 per part). An estimate for the workflow author; RingCentral does not return it.
 */
export function smsSegments(text: string): { encoding: 'GSM-7' | 'UCS-2'; segments: number } {
	let septets = 0;
	let gsm = true;
	for (const char of text) {
		if (GSM_BASIC.includes(char)) septets += 1;
		else if (GSM_EXTENDED.includes(char)) septets += 2;
		else {
			gsm = false;
			break;
		}
	}
	if (gsm) return { encoding: 'GSM-7', segments: septets <= 160 ? Math.max(1, septets ? 1 : 0) : Math.ceil(septets / 153) };
	const units = text.length;
	return { encoding: 'UCS-2', segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}
