// A PowerShell terminating error: it ends the statement that raised it, the shell writes it as an error record and
// goes on with the next statement (as the console does). Thrown inside the interpreter only; execute() never lets
// one escape.
import { UNCONFIRMED_RULE, type SfbError } from '../core';

export interface ErrorDetails {
  /** The command shown before the message; '' for parse errors. */
  command: string;
  /** The command in CategoryInfo's brackets (default: command). */
  activity?: string;
  category: string;
  target?: string;
  reason: string;
  errorId: string;
  /** Extent in the script text; absent: the failing command's extent. */
  start?: number;
  end?: number;
  /** Stops the whole input, not only its statement: `throw`, or an error under -ErrorAction Stop / $ErrorActionPreference = 'Stop'. */
  terminating?: boolean;
}

export class ShellError extends Error {
  constructor(message: string, readonly details: ErrorDetails) {
    super(message);
  }
}

/**
 * An error the model refused: the extension's wording (Microsoft does not document the cmdlets' error texts), so
 * it carries the own-rule label, then what to do.
 */
export function modelError(command: string, error: SfbError): ShellError {
  const message = `${error.message}${error.fix ? ` ${error.fix}` : ''} ${UNCONFIRMED_RULE}`;
  return new ShellError(message, { command, category: 'InvalidOperation', reason: 'InvalidOperationException', errorId: `${error.code},${command}` });
}

/** Thrown after a terminating error was written: ends the input (the rest of the script does not run). */
export class ScriptStopped {}

/** Thrown by `break`: leaves the innermost loop. */
export class BreakLoop {}

/** Thrown when the user cancels (Ctrl+C, or no answer to Read-Host): ends the input without an error record. */
export class Cancelled {}
