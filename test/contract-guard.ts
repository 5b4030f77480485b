/**
 * Loaded before every test file (jest `setupFilesAfterEnv`): a file whose code sent the simulator a request
 * outside RingCentral's published contract fails, naming the requests, even when its own assertions pass.
 * So every test that talks to the simulator also checks the package against the contract.
 *
 * Files that send malformed requests on purpose (the simulator's own tests) call `allowContractViolations()`.
 */
import { contractRefusals } from '../simulator/contract';

let allowed = false;

export function allowContractViolations(): void {
	allowed = true;
}

afterAll(() => {
	const refusals = contractRefusals();
	if (allowed || refusals.length === 0) return;
	const listed = [...new Set(refusals)].slice(0, 5).join('; ');
	throw new Error(`${refusals.length} request(s) outside RingCentral's contract were refused by the simulator: ${listed}`);
});
