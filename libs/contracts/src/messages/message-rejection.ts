import type { ValidationIssue } from '../validation-issues';

/**
 * Why a message cannot be handled as it is. Every reason is permanent:
 * retrying would fail the same way, so a consumer sends such a message to its
 * dead-letter topic at once.
 */
export type RejectionReason =
  /** The bytes are not JSON. */
  | 'unparsable'
  /** JSON, but not an envelope (missing id, type, version ...). */
  | 'invalid-envelope'
  /** No definition of this message type is registered. */
  | 'unknown-type'
  /** The type is known, but this version cannot reach the expected one (newer, or no upcaster). */
  | 'unsupported-version'
  /** The payload does not match its schema. */
  | 'invalid-payload';

export interface MessageRejection {
  readonly reason: RejectionReason;
  readonly message: string;
  readonly issues?: readonly ValidationIssue[];
}

/** Thrown where an invalid message is a programming error: at publish. */
export class MessageValidationError extends Error {
  readonly reason: RejectionReason;
  readonly issues: readonly ValidationIssue[];

  constructor(rejection: MessageRejection) {
    super(rejection.message);
    this.name = 'MessageValidationError';
    this.reason = rejection.reason;
    this.issues = rejection.issues ?? [];
  }
}
