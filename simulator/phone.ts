/** Placeholder until the phone page lands. */
export const PHONE_PAGE = '<!doctype html><title>Simulator phone</title><p>Phone page</p>';
