import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signatures of webhook deliveries, for partners' systems to check that a notification comes from the Integration
 * Graph and was not changed or replayed.
 *
 * A delivery is `POST <registered url>` with `content-type: application/json`, the headers
 * `x-integration-graph-event: <topic>` (e.g. referral.accepted), `x-integration-graph-delivery: <id>` and the
 * signature below, and the body
 *
 *     { "id": "42", "eventId": "<uuid>", "topic": "referral.accepted", "referralId": "<uuid>",
 *       "payload": { "referralId", "from", "to", "at", "side", "details" }, "createdAt": "<ISO 8601>" }
 *
 * `id` (a string) identifies the notification and stays the same for every attempt. Any 2xx answer within the
 * timeout (WEBHOOK_TIMEOUT_MS) counts as delivered; anything else, redirects included, is retried with growing
 * pauses (5 s, 10 s, 20 s, ... up to 1 h) until WEBHOOK_MAX_ATTEMPTS. Notifications can arrive out of order.
 *
 * Every delivery carries the header
 *
 *     x-integration-graph-signature: t=1764000000,v1=5f2b...e9
 *
 * where `t` is the time of the attempt in Unix seconds and `v1` the hex HMAC-SHA256, keyed with the subscription's
 * secret (shown once by registerWebhook / rotateWebhookSecret; the 64-character string as shown, used as UTF-8
 * bytes, not hex-decoded), of the string `<t>.<raw request body>`. A receiver:
 *
 * 1. reads the raw body as bytes/text, before any JSON parsing (re-serialised JSON does not match);
 * 2. splits the header on "," into `key=value` pairs, takes `t` and every `v1`;
 * 3. refuses the request when `t` is more than 5 minutes away from its own clock (replays of old deliveries);
 * 4. computes HMAC-SHA256(secret, `${t}.${body}`) as hex and compares it with each `v1` in constant time
 *    (crypto.timingSafeEqual, hmac.compare_digest, MessageDigest.isEqual), never with `==`;
 * 5. accepts when one matches, answers 2xx quickly and de-duplicates by `x-integration-graph-delivery`
 *    (the outbox id, also `id` in the body): delivery is at least once, so the same id can arrive again.
 *
 * `verifySignature` below does steps 2 to 4 (Node.js receivers can copy it).
 */

export const SIGNATURE_HEADER = 'x-integration-graph-signature';
export const EVENT_HEADER = 'x-integration-graph-event';
export const DELIVERY_HEADER = 'x-integration-graph-delivery';

/** How far a signature's timestamp may be from the receiver's clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

function hmacHex(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** The header value for a body sent at `now`. */
export function signatureHeader(secret: string, body: string, now: Date = new Date()): string {
  const timestamp = Math.floor(now.getTime() / 1000);
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`;
}

/**
 * True when the header carries a valid signature of the body with the secret, made within the tolerance of `now`.
 * Constant-time comparison; malformed headers are simply invalid.
 */
export function verifySignature(
  secret: string,
  header: string | string[] | undefined | null,
  body: string,
  now: Date = new Date(),
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return false;
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of value.split(',')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    const key = part.slice(0, index).trim();
    const item = part.slice(index + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(item)) timestamp = Number(item);
    if (key === 'v1' && /^[0-9a-f]{64}$/i.test(item)) candidates.push(item.toLowerCase());
  }
  if (timestamp === undefined || candidates.length === 0) return false;
  if (Math.abs(Math.floor(now.getTime() / 1000) - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  let valid = false;
  for (const candidate of candidates) {
    // Every candidate is compared (no early exit), each in constant time; both buffers are 32 bytes.
    if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) valid = true;
  }
  return valid;
}
