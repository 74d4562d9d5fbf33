// The one way a rule makes a finding, and the small helpers every rule module shares. Not exported from the core's
// public entry: rules.ts (the whole deployment) and certificateChecks.ts (one certificate, one slot) use it.
import type { ErrorSource } from './errors';
import { UNCONFIRMED_RULE } from './errors';
import { formatUsDateTime } from './calendar';
import { renderPowerShell } from './cmdlets';
import type { Finding, Location } from './model';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/**
 * A finding. `source` is the error model's: 'product' (documented, or a plain fact) or 'extension-rule' (SfB
 * Certificates' own rule where the product's behaviour is unconfirmed; the message then ends with UNCONFIRMED_RULE).
 */
export function finding(rule: string, severity: Finding['severity'], message: string, where: Location, fix?: string, source: ErrorSource = 'product'): Finding {
  const f: Finding = { rule, severity, message: source === 'extension-rule' ? `${message} ${UNCONFIRMED_RULE}` : message, where, source };
  if (fix) f.fix = fix;
  return f;
}

export function day(iso: string): string {
  return formatUsDateTime(new Date(iso));
}

export function setGlobalOAuth(thumbprint = '$x'): string {
  return renderPowerShell({ cmdlet: 'Set-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], thumbprint });
}
