/** Unit and simulator tests are fast; end-to-end tests start a real n8n and need minutes. */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	testTimeout: 30000,
	// Every request any test makes the package send to the simulator must be inside RingCentral's contract.
	setupFilesAfterEnv: ['<rootDir>/test/contract-guard.ts'],
	// n8n-core (the engine tier) and ioredis leave timers behind after a run; a finished suite must not hang CI.
	forceExit: true,
};
