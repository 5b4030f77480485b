/** Waits for `work` at most `waitMs`; past it, rejects with `late()` (the work itself goes on for others). */
export async function beforeDeadline<T>(work: Promise<T>, waitMs: number, late: () => Error): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const expired = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(late()), Math.max(1, waitMs));
	});
	try {
		return await Promise.race([work, expired]);
	} finally {
		clearTimeout(timer);
	}
}
