import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * An LDAP / Active Directory server that Directory Login checks passwords against. The node searches with
 * the service account and binds as the user found (lib/directory). The test lives on the node
 * (`testedBy: 'directoryApiTest'`) because it needs a real LDAP connection, not an HTTP request.
 */
export class DirectoryApi implements ICredentialType {
	name = 'directoryApi';

	displayName = 'Directory (LDAP / Active Directory) API';

	icon: Icon = 'file:directory.svg';

	documentationUrl = 'https://datatracker.ietf.org/doc/html/rfc4513';

	properties: INodeProperties[] = [
		{
			displayName: 'URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'ldaps://dc1.example.com:636',
			description: 'ldaps://host:636 (TLS from the start) or ldap://host:389 (turn on StartTLS below). Active Directory: a domain controller or the domain name.',
		},
		{
			displayName: 'StartTLS',
			name: 'startTls',
			type: 'boolean',
			default: true,
			description: 'Whether to upgrade an ldap:// connection to TLS before anything is sent (ignored for ldaps://). Without TLS, passwords cross the network in clear.',
		},
		{
			displayName: 'Service Account DN',
			name: 'bindDn',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'cn=n8n-reader,ou=services,dc=example,dc=com',
			description: 'An account that may search for users (read-only). Active Directory also accepts user@example.com.',
		},
		{
			displayName: 'Service Account Password',
			name: 'bindPassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Search Base',
			name: 'searchBase',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'ou=people,dc=example,dc=com',
			description: 'Where users are searched (the whole subtree below it)',
		},
		{
			displayName: 'User Filter',
			name: 'userFilter',
			type: 'string',
			default: '(uid={username})',
			required: true,
			placeholder: '(&(objectClass=user)(sAMAccountName={username}))',
			description:
				'{username} is replaced by the username, escaped (RFC 4515). OpenLDAP: (uid={username}). Active Directory: (&(objectCategory=person)(objectClass=user)(sAMAccountName={username})), or userPrincipalName for user@domain logins.',
		},
		{
			displayName: 'CA Certificate (PEM)',
			name: 'caCertificate',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----',
			description: 'The certificate of the CA that signed the server certificate, when it is not a public CA (e.g. your AD Certificate Services root)',
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'allowUnauthorizedCerts',
			type: 'boolean',
			default: false,
			description: 'Whether to connect even if the server certificate cannot be verified. Anyone in the path could then read the passwords; use only to try things out.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 120 },
			default: 10,
			description: 'Longest wait for the connection and for each answer; past it the login fails as "directory unavailable"',
		},
	];
}
