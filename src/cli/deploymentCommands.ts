// `sfb-cert topology | check | check-oauth | sample`: the deployment model from the command line. Findings are
// results, not failures (exit 0); only bad input — a missing, unreadable or corrupt file, a bad option — is exit 2.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clockFor, displayText, PFX_PASSWORD_NOTE, renderPowerShell, POOL_KIND_LABELS, DEFAULT_EXPIRY_WARNING_DAYS, checkOAuthCandidate, evaluateRules, createSampleDeployment, saveDeployment, serializeDeployment, importTopology, topologySizeProblem, type Deployment, type Finding, type SipDomain } from '../core';
import { UsageError, parseOptions, readCertificateArgument, readDeploymentArgument, readInputFile, type CliCommand, type ParsedArgs } from './io';

function expiryDays(args: ParsedArgs): number {
  const value = args.flags.get('expiry-days');
  if (value === undefined) return DEFAULT_EXPIRY_WARNING_DAYS;
  const days = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(days) || days < 1 || days > 3650) {
    throw new UsageError(`--expiry-days takes a whole number of days from 1 to 3650, not "${value}".`);
  }
  return days;
}

export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export function formatFindings(findings: Finding[]): string[] {
  return findings.flatMap((f) => [
    `${f.severity.toUpperCase().padEnd(8)}${f.rule}${f.where.path ? `  (${f.where.path})` : ''}`,
    `  ${displayText(f.message)}`,
    ...(f.fix ? [`  Fix: ${displayText(f.fix)}`] : []),
  ]);
}

export function tally(findings: Finding[]): string {
  const count = (severity: Finding['severity']) => findings.filter((f) => f.severity === severity).length;
  return `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info`;
}

// ---------------------------------------------------------------------------------------------
// topology
// ---------------------------------------------------------------------------------------------

function describeTopology(d: Deployment, source: string, warnings: string[]): string {
  const servers = d.pools.reduce((n, p) => n + p.servers.length, 0);
  const lines = [
    `${d.name}: ${plural(d.sites.length, 'site')}, ${plural(d.pools.length, 'pool')}, ${plural(servers, 'server')} (from ${source})`,
    `SIP domains: ${d.sipDomains.map((s) => (s.isDefault ? `${s.name} (default)` : s.name)).join(', ')}`,
  ];
  for (const site of d.sites) {
    lines.push('', displayText(`${site.name} (${site.kind} site${site.city ? `, ${site.city}` : ''}${site.country ? ` ${site.country}` : ''})`));
    const pools = d.pools.filter((p) => p.siteId === site.id);
    if (!pools.length) lines.push('  no pools');
    for (const pool of pools) {
      const extras = [POOL_KIND_LABELS[pool.kind], ...(pool.hostsCms ? ['Central Management Server'] : []), plural(pool.servers.length, 'server')];
      lines.push(`  ${pool.fqdn}  ${extras.join(' · ')}`);
      const web = [pool.internalWebFqdn && `internal ${pool.internalWebFqdn}`, pool.externalWebFqdn && `external ${pool.externalWebFqdn}`].filter(Boolean);
      if (web.length) lines.push(`    web services: ${web.join(', ')}`);
      for (const server of pool.servers) lines.push(`    ${server.fqdn}  ${server.roles.join(', ')}`);
    }
  }
  if (warnings.length) lines.push('', 'Warnings:', ...warnings.map((w) => `  ${displayText(w)}`));
  return lines.join('\n');
}

const topology = {
  summary: 'Import a topology (.tbxml or Get-CsTopology -AsXml) and show it',
  usage: 'topology <file.tbxml|topology.xml> [--json]',
  run(argv) {
    const args = parseOptions(topology, argv, { switches: ['json'], files: 1 });
    const [file] = args.positional;
    // Refused before it is read: a file over the cap is not a topology, and reading it would only cost memory.
    const tooBig = file && fs.existsSync(file) ? topologySizeProblem(fs.statSync(file).size, path.basename(file)) : undefined;
    if (tooBig) throw new UsageError(`${tooBig.message} ${tooBig.fix ?? ''}`.trim());
    const bytes = readInputFile(file, 'topology file (a Topology Builder .tbxml, or the output of Get-CsTopology -AsXml)');
    const imported = importTopology(bytes, path.basename(file));
    if (!imported.ok) throw new UsageError(imported.error);
    if (!args.flags.has('json')) return describeTopology(imported.deployment, file, imported.warnings);
    // The JSON is a deployment file as it is (`> sfb-deployment.json`), so the warnings go to stderr.
    for (const w of imported.warnings) process.stderr.write(`sfb-cert topology: ${w}\n`);
    return serializeDeployment(imported.deployment);
  },
} satisfies CliCommand;

// ---------------------------------------------------------------------------------------------
// check
// ---------------------------------------------------------------------------------------------

const check = {
  summary: 'Check a deployment file against the certificate rules',
  usage: 'check <sfb-deployment.json> [--json] [--expiry-days N]',
  run(argv) {
    const args = parseOptions(check, argv, { switches: ['json'], values: ['expiry-days'], files: 1 });
    const days = expiryDays(args);
    const [file] = args.positional;
    const parsed = readDeploymentArgument(file);
    const d = parsed.deployment;
    const now = clockFor(d).now();
    const findings = evaluateRules(d, now, { expiryWarningDays: days });
    if (args.flags.has('json')) {
      return JSON.stringify({ file, checkedAt: now.toISOString(), simulated: Boolean(d.simulatedNow), expiryWarningDays: days, loadWarnings: parsed.warnings, findings }, null, 2);
    }
    const lines = [`${file}: ${tally(findings)} (checked at ${now.toISOString()}${d.simulatedNow ? ', the deployment\'s simulated date' : ''}; expiry warnings ${days} days ahead)`];
    if (parsed.warnings.length) lines.push('', 'While loading:', ...parsed.warnings.map((w) => `  ${w}`));
    if (findings.length) lines.push('', ...formatFindings(findings));
    return lines.join('\n');
  },
} satisfies CliCommand;

// ---------------------------------------------------------------------------------------------
// check-oauth
// ---------------------------------------------------------------------------------------------

function sipDomainsOption(args: ParsedArgs, usage: string): SipDomain[] {
  const value = args.flags.get('sip-domain');
  const names = typeof value === 'string' ? value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean) : [];
  if (!names.length) throw new UsageError(`Name the default SIP domain: --sip-domain contoso.com (add others after a comma: contoso.com,fabrikam.com). Usage: sfb-cert ${usage}`);
  return names.map((name, i) => ({ name, isDefault: i === 0 }));
}

const checkOAuth = {
  summary: 'Say whether a certificate file can be the OAuthTokenIssuer certificate',
  usage: 'check-oauth <certfile> --sip-domain <domain> [--json]',
  run(argv) {
    const args = parseOptions(checkOAuth, argv, { switches: ['json', 'password-stdin'], values: ['sip-domain', 'expiry-days'], files: 1 });
    const sipDomains = sipDomainsOption(args, checkOAuth.usage);
    const days = expiryDays(args);
    const { record } = readCertificateArgument(args, 'certificate file (.pfx, .p12, .cer, .crt or .pem)');
    const [file] = args.positional;
    const now = new Date();
    const findings = checkOAuthCandidate(record, sipDomains, now, { expiryWarningDays: days, where: { path: '', thumbprint: record.thumbprint, use: 'OAuthTokenIssuer' } });
    const suitable = !findings.some((f) => f.severity === 'error');
    if (args.flags.has('json')) {
      return JSON.stringify({ file, suitable, checkedAt: now.toISOString(), sipDomains, certificate: record, findings }, null, 2);
    }
    const warnings = findings.filter((f) => f.severity !== 'error').length;
    const lines = [
      `${file}: ${suitable ? 'suitable' : 'NOT suitable'} as the OAuthTokenIssuer certificate${suitable && warnings ? ` (${plural(warnings, 'remark')})` : ''}`,
      `  ${displayText(record.subject) || '(empty subject)'}  ${record.thumbprint}  ${record.keyAlgorithm} ${record.keySize} bits, valid ${record.notBefore} to ${record.notAfter}, private key: ${record.hasPrivateKey ? 'yes' : 'no'}`,
    ];
    if (findings.length) lines.push('', ...formatFindings(findings));
    if (suitable) {
      lines.push('', 'To assign it (on one Front End; replication deploys it to all):',
        `  ${renderPowerShell({ cmdlet: 'Import-CsCertificate', identity: 'global', type: ['OAuthTokenIssuer'], path: file, password: '' })}`, `  ${PFX_PASSWORD_NOTE}`);
    }
    return lines.join('\n');
  },
} satisfies CliCommand;

// ---------------------------------------------------------------------------------------------
// sample
// ---------------------------------------------------------------------------------------------

const sample = {
  summary: 'Write the sample deployment file and its certificate files',
  usage: 'sample --out <sfb-deployment.json>',
  async run(argv) {
    const args = parseOptions(sample, argv, { values: ['out'], files: 0 });
    const out = args.flags.get('out');
    if (typeof out !== 'string' || !out) throw new UsageError(`Name the file to write with --out, e.g. sfb-cert sample --out sfb-deployment.json.`);
    const shown = (t: string) => path.relative(process.cwd(), t) || t;
    const refuse = (what: string) => new UsageError(`Nothing was written: ${what}. The sample never replaces files; choose another folder, or delete them first.`);
    if (fs.existsSync(out)) throw refuse(`${out} already exists`);
    const folder = path.dirname(path.resolve(out));
    const { deployment, files, password } = await createSampleDeployment(new Date());
    const existing = files.map((f) => path.resolve(folder, f.path)).filter((t) => fs.existsSync(t));
    if (existing.length) {
      throw refuse(`${existing.length} of its certificate files already exist${existing.length === 1 ? 's' : ''} (${existing.slice(0, 3).map(shown).join(', ')}${existing.length > 3 ? ', …' : ''})`);
    }
    const written: string[] = [];
    try {
      for (const f of files) {
        const target = path.resolve(folder, f.path);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, f.bytes, { flag: 'wx' });
        written.push(target);
      }
      saveDeployment(fs, out, deployment);
    } catch (e) {
      for (const w of written) fs.rmSync(w, { force: true });
      throw new UsageError(`Could not write the sample (nothing was kept): ${(e as Error).message}`);
    }
    return [
      `Wrote the sample deployment "${deployment.name}" to ${shown(path.resolve(out))}`,
      `and its ${plural(files.length, 'certificate file')} (PFX, with private keys):`,
      ...written.map((w) => `  ${shown(w)}`),
      '',
      `The sample PFX files' password is: ${password}`,
      ...files.filter((f) => f.password !== undefined).map((f) => `except ${f.path}, the seed procedure's file: ${f.password}`),
      'It is published with the sample: never use it for real certificates.',
      `Next: sfb-cert check ${out}`,
    ].join('\n');
  },
} satisfies CliCommand;

export const deploymentCommands = { topology, check, 'check-oauth': checkOAuth, sample } satisfies Record<string, CliCommand>;
