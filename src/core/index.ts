// The public entry of the core: everything src/ui, src/cli, media/ and (coming) src/powershell may use. Nothing
// outside src/core imports a core module other than this one (a lint rule enforces it). Pure TypeScript: no
// 'vscode' here or below.
export * from './errors';
export * from './model';
export * from './topology';
export * from './cmdlets';
export { formatUsDate, formatUsDateTime } from './calendar';
export * from './clock';
export * from './displayText';
export { CERTIFICATE_FILE_MAX_BYTES, readCertificateFile, type CertificateFormat, type CertificateReadResult } from './certificates/read';
export type { CertificateReadError } from './certificates/errors';
export { recordFromDer } from './certificates/x509';
export { normalizeThumbprint } from './certificates/thumbprint';
export { subjectCommonNames } from './certificates/subjectNames';
export * from './certgen';
export * from './changes';
export * from './newDeployment';
export * from './operations';
export * from './replication';
export * from './certificateChecks';
export * from './rules';
export { describeRoleNameRule, roleNameRule, type RoleNameRule } from './roleNames';
export * from './sample';
export * from './session';
export * from './deploymentFile';
export * from './topologyImport';
export * from './inventory';
export * from './timeline';
export * from './renewal';
export * from './deploymentDiff';
