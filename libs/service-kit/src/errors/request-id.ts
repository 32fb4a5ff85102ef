import { uuidv7 } from '@shop/contracts';

/** Taken from the request when the caller (the gateway, a client) sent one, generated otherwise; always echoed. */
export const REQUEST_ID_HEADER = 'x-request-id';

// Bounded and plain, because it is echoed in a header and written to every log line.
const ACCEPTABLE_REQUEST_ID = /^[\w.:/+=@-]{1,128}$/;

/** The request id to use for a request carrying this `x-request-id` header value. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && ACCEPTABLE_REQUEST_ID.test(header) ? header : uuidv7();
}
