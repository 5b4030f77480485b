import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * Where one-time codes are kept and the secret that keys them. The pepper is required: without it a store
 * dump (a 6-digit hash is brute-forced in microseconds) would give away every pending code, and there is
 * no safe default. The test lives on the OTP nodes (`testedBy: 'otpStoreApiTest'`) so it can PING Redis.
 */
export class OtpStoreApi implements ICredentialType {
	name = 'otpStoreApi';

	displayName = 'OTP Store API';

	icon: Icon = 'file:otpStore.svg';

	documentationUrl = 'https://pages.nist.gov/800-63-4/sp800-63b.html';

	properties: INodeProperties[] = [
		{
			displayName: 'Pepper',
			name: 'pepper',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Secret key for the HMAC that stores codes and identifiers. At least 32 characters; generate one with: openssl rand -hex 32. Use the same pepper on every n8n instance that shares the store. Changing it invalidates codes that are pending.',
		},
		{
			displayName: 'Store',
			name: 'storeType',
			type: 'options',
			options: [
				{
					name: 'Memory (Single N8n Process)',
					value: 'memory',
					description: 'No setup. Codes live in this n8n process and are lost on restart. Not for queue mode.',
				},
				{
					name: 'Redis (Queue Mode, Several Instances)',
					value: 'redis',
					description: 'Shared by every n8n process that generates or verifies codes',
				},
			],
			default: 'memory',
		},
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: 'localhost',
			displayOptions: { show: { storeType: ['redis'] } },
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 6379,
			displayOptions: { show: { storeType: ['redis'] } },
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			description: 'Redis 6+ ACL user; leave empty for the default user',
			displayOptions: { show: { storeType: ['redis'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { storeType: ['redis'] } },
		},
		{
			displayName: 'Database Number',
			name: 'database',
			type: 'number',
			default: 0,
			displayOptions: { show: { storeType: ['redis'] } },
		},
		{
			displayName: 'SSL/TLS',
			name: 'tls',
			type: 'boolean',
			default: false,
			displayOptions: { show: { storeType: ['redis'] } },
		},
		{
			displayName: 'Key Prefix',
			name: 'keyPrefix',
			// A key prefix is a namespace, not a secret; the rule only sees the word "key".
			// eslint-disable-next-line n8n-nodes-base/cred-class-field-type-options-password-missing
			type: 'string',
			default: 'n8n-otp:',
			description: 'Every key this package writes starts with this, so the Redis can be shared with n8n itself',
			displayOptions: { show: { storeType: ['redis'] } },
		},
	];
}
