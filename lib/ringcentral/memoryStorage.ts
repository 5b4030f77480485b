/**
 * The SDK keeps tokens in a `localStorage`. Node has none, and SDK instances that share one storage also
 * share (and wipe) each other's tokens (ringcentral-js#214). Each session gets its own.
 */
export class MemoryStorage implements Storage {
	private readonly items = new Map<string, string>();

	get length(): number {
		return this.items.size;
	}

	clear(): void {
		this.items.clear();
	}

	getItem(key: string): string | null {
		return this.items.has(key) ? (this.items.get(key) as string) : null;
	}

	key(index: number): string | null {
		return Array.from(this.items.keys())[index] ?? null;
	}

	removeItem(key: string): void {
		this.items.delete(key);
	}

	setItem(key: string, value: string): void {
		this.items.set(key, String(value));
	}
}
