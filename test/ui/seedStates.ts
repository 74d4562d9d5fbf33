// Deployment states for the UI tier, reached by running the seed procedure's lines in the Management Shell (the CLI).

/**
 * The seed procedure's states at once, run in the Management Shell (the CLI) on the sample: the global slot with a
 * current, a previous and a pending certificate, fe01 replicated (its OAuthTokenIssuer slot has them too), the
 * other replicas behind.
 */
export const GLOBAL_SLOT_FULL = (rollOn: string) => [
  '$pw = ConvertTo-SecureString -String "Contoso-Sample-2024!" -AsPlainText -Force',
  'Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path C:\\sample-certificates\\fe01-default.pfx -Password $pw',
  '$seed = ConvertTo-SecureString -String "P@ssw0rd" -AsPlainText -Force',
  'Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path C:\\Certificates\\ServerToServerAuth.pfx -Password $seed',
  `Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path C:\\sample-certificates\\fe02-default.pfx -Password $pw -EffectiveDate "${rollOn}" -Roll`,
  'Invoke-CsManagementStoreReplication -ReplicaFqdn fe01.contoso.com',
].join('\n');

/** The next 20 December at least two days ahead: the widest date ("12/20/2026"), inside the sample certificates' validity. */
export function widestRollDate(now = new Date()): string {
  let year = now.getUTCFullYear();
  if (Date.UTC(year, 11, 20) - now.getTime() < 2 * 86_400_000) year++;
  return `12/20/${year}`;
}
