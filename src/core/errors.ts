// The one error model. A condition the user can cause (a wrong thumbprint, a file that does not parse, a name not
// in the topology, a cancelled prompt) is an SfbError value: a stable code, what is wrong, what to do, and who says
// so. Core functions that can fail return a Result; exceptions are for bugs only. Where a surface must unwind a
// whole flow (a command handler, a CLI command), it throws the value inside an ExpectedError, and its one wrapper
// shows it as a message (CLI: exit 2) instead of logging a crash.

/**
 * Who says the input is refused.
 * - 'product': Skype for Business Server or Windows behaves so (documented), or it is a plain fact about the input
 *   (the file is not a certificate, no server has that name). Stated as a fact.
 * - 'extension-rule': SfB Certificates' own rule where the product's behaviour is unconfirmed; the message ends with
 *   UNCONFIRMED_RULE so every surface labels it as such.
 */
export type ErrorSource = 'product' | 'extension-rule';

/** Ends every message whose rule is the extension's own because the product's behaviour is unconfirmed. */
export const UNCONFIRMED_RULE = "(SfB Certificates' rule; the product's exact behaviour is unconfirmed)";

export interface SfbError {
  /** Stable code, e.g. "thumbprint-not-found". */
  code: string;
  /** What was wrong, for a person. */
  message: string;
  /** What to do. */
  fix?: string;
  source: ErrorSource;
}

export interface Failure<E extends SfbError = SfbError> {
  ok: false;
  error: E;
}

/** A value or the reason there is none: `{ ok: true, ...fields }` on success, so results keep their own field names. */
export type Result<T extends object, E extends SfbError = SfbError> = ({ ok: true } & T) | Failure<E>;

/** An SfbError; an 'extension-rule' message gets the UNCONFIRMED_RULE label. */
export function sfbError(code: string, message: string, fix?: string, source: ErrorSource = 'product'): SfbError {
  const error: SfbError = { code, message: source === 'extension-rule' ? `${message} ${UNCONFIRMED_RULE}` : message, source };
  if (fix) error.fix = fix;
  return error;
}

export function failure(code: string, message: string, fix?: string, source: ErrorSource = 'product'): Failure {
  return { ok: false, error: sfbError(code, message, fix, source) };
}

/** The message and what to do, as one line for a notification, a log line or stderr. */
export function formatError(error: Pick<SfbError, 'message' | 'fix'>): string {
  return error.fix ? `${error.message} ${error.fix}` : error.message;
}

/** The same error about a named thing: "cert.pfx: <message>". */
export function about(subject: string, error: SfbError): SfbError {
  return { ...error, message: `${subject}: ${error.message}` };
}

/**
 * An SfbError thrown to end a whole user flow (a command handler, a CLI command) — never from a core function.
 * The surface's one wrapper shows it (error or warning, with the fix) and does not log it as a crash.
 */
export class ExpectedError extends Error {
  readonly error: SfbError;
  readonly severity: 'error' | 'warning';

  constructor(error: SfbError, options: { severity?: 'error' | 'warning' } = {}) {
    super(formatError(error));
    this.name = 'ExpectedError';
    this.error = error;
    this.severity = options.severity ?? 'error';
  }
}

/** Ends a user flow with an expected failure (see ExpectedError). */
export function refuse(code: string, message: string, fix?: string, options: { source?: ErrorSource; severity?: 'error' | 'warning' } = {}): never {
  throw new ExpectedError(sfbError(code, message, fix, options.source), { severity: options.severity });
}

/** The value of a Result, or the flow ends with its error (for surfaces; core code returns the failure instead). */
export function orRefuse<T extends object>(result: Result<T>, subject?: string): { ok: true } & T {
  if (!result.ok) throw new ExpectedError(subject ? about(subject, result.error) : result.error);
  return result;
}
