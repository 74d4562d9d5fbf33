// The one message protocol between the extension host and its webviews (the Deployment Wizard, the certificate
// timeline, the Dry Run view). No DOM and no 'vscode' here: both sides and the unit tests import it. Each webview's messages live in a
// module of their own; what they share (the parse result and the field checks) in check.ts.
export { MAX_FQDN_LENGTH, MAX_PASSWORD_LENGTH, MAX_PATH_LENGTH, type Parsed } from './check';
export * from './wizard';
export * from './timeline';
export * from './dryRun';
export * from './firstView';
