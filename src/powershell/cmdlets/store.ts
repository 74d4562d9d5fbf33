// The server itself: its Personal certificate store as the Cert: drive, the Certificates MMC path as
// Export-PfxCertificate / Import-PfxCertificate (per server, never replicated), Enter-PSSession / Exit-PSSession
// to change which server "this computer" is, and the file system location.
import { SAMPLE_FOLDER, SAMPLE_PASSWORD, type ExportResult, type ImportResult } from '../../core';
import { ShellError } from '../errors';
import { PERSONAL_STORE, isCertPath, notFound, resolveCertPath, resolvePath } from '../paths';
import type { CmdletContext, CmdletImpl } from '../runtime';
import { PsObject, SecureString, toText, type PsValue } from '../values';
import { ownRule, perform, serverCertificates, storeCertificate, thisComputer } from './model';
import { findComputer, readPathArgument } from './sfb';

function storeOf(ctx: CmdletContext) {
  return serverCertificates(ctx.state.host.session.state, thisComputer(ctx));
}

function fileItem(display: string, isDirectory: boolean, length?: number): PsObject {
  const parent = display.slice(0, display.lastIndexOf('\\')) || 'C:\\';
  return new PsObject('System.IO.FileInfo', {
    Mode: isDirectory ? 'd-----' : '-a----', Length: length ?? null, Name: display.slice(display.lastIndexOf('\\') + 1), FullName: display,
  }, { kind: 'table', properties: ['Mode', 'Length', 'Name'] }, `    Directory: ${parent.length === 2 ? `${parent}\\` : parent}\n`);
}

const getChildItem: CmdletImpl = {
  name: 'Get-ChildItem',
  aliases: ['gci', 'dir', 'ls'],
  params: [{ name: 'Path', type: 'string[]', position: 0 }, { name: 'Recurse', type: 'switch', aliases: ['s'] }, { name: 'Force', type: 'switch' }, { name: 'Filter', type: 'string', position: 1 }],
  async run(ctx) {
    const paths = (ctx.get('Path') as string[] | undefined) ?? [ctx.state.location];
    const out: PsValue[] = [];
    for (const path of paths) {
      if (isCertPath(path)) {
        const { thumbprint } = resolveCertPath(path);
        const certs = storeOf(ctx).filter((c) => !thumbprint || c.thumbprint === thumbprint);
        if (thumbprint && !certs.length) throw notFound(path);
        out.push(...certs.map(storeCertificate));
        continue;
      }
      const resolved = resolvePath(ctx.state.location, path);
      const files = ctx.state.host.files;
      if (resolved.rel && !(await files.exists(resolved.rel))) throw notFound(resolved.display);
      const entries = await files.list(resolved.rel).catch(() => undefined);
      if (!entries) {
        out.push(fileItem(resolved.display, false));
        continue;
      }
      const base = resolved.display.endsWith('\\') ? resolved.display : `${resolved.display}\\`;
      out.push(...entries.sort((a, b) => Number(b.isDirectory) - Number(a.isDirectory) || a.name.localeCompare(b.name)).map((e) => fileItem(base + e.name, e.isDirectory)));
    }
    return out;
  },
};

/** The PFX a certificate came from and its password: the model never stores private keys, so an export reads the file again. */
async function sourcePfx(ctx: CmdletContext, sourceFile: string): Promise<{ bytes: Uint8Array; password: string | undefined }> {
  const files = ctx.state.host.files;
  if (!(await files.exists(sourceFile))) throw ownRule(ctx.spec.name, `SfB Certificates never stores private keys, and the PFX this certificate came from (${sourceFile}) is not in the workspace any more.`, 'SourceFileMissing');
  const bytes = await files.read(sourceFile);
  let password = ctx.state.pfxPasswords.get(sourceFile) ?? (sourceFile.startsWith(`${SAMPLE_FOLDER}/`) ? SAMPLE_PASSWORD : undefined);
  if (password === undefined) {
    const typed = await ctx.state.host.readHost(`Password of ${sourceFile} (SfB Certificates keeps no private keys: it reads the key from the PFX the certificate came from): `, { secure: true });
    if (typed === undefined) throw ownRule(ctx.spec.name, 'Cancelled: the export needs the password of the PFX the certificate came from.', 'Cancelled');
    password = typed;
  }
  return { bytes, password };
}

function certificateArgument(ctx: CmdletContext): string {
  const cert = ctx.get('Cert');
  if (cert instanceof PsObject && typeof cert.props.Thumbprint === 'string') return cert.props.Thumbprint;
  const text = toText(cert ?? '');
  if (isCertPath(text)) {
    const { thumbprint } = resolveCertPath(text);
    if (thumbprint) return thumbprint;
  }
  throw new ShellError(`Cannot bind parameter 'Cert'. Cannot convert the "${text}" value of type "System.String" to type "Microsoft.CertificateServices.Commands.Certificate".`, {
    command: ctx.spec.name, category: 'InvalidArgument', reason: 'ParameterBindingException', errorId: `CannotConvertArgumentNoMessage,${ctx.spec.name}`,
  });
}

const exportPfx: CmdletImpl = {
  name: 'Export-PfxCertificate',
  shouldProcess: true,
  pipelineMode: 'each',
  params: [
    { name: 'Cert', type: 'object', position: 0, mandatory: true, pipeline: true },
    { name: 'FilePath', type: 'string', position: 1, mandatory: true, aliases: ['FullName'] },
    { name: 'Password', type: 'securestring' },
    { name: 'ChainOption', type: 'string' }, { name: 'NoProperties', type: 'switch' }, { name: 'NoClobber', type: 'switch' }, { name: 'Force', type: 'switch' },
    { name: 'ProtectTo', type: 'string[]' },
  ],
  async run(ctx) {
    if (ctx.get('ProtectTo') !== undefined) throw ownRule(ctx.spec.name, '-ProtectTo (protecting the file to AD accounts) is not modelled; use -Password.', 'NotModelled');
    const computer = thisComputer(ctx);
    const thumbprint = certificateArgument(ctx);
    const target = resolvePath(ctx.state.location, toText(ctx.get('FilePath') ?? ''));
    const files = ctx.state.host.files;
    if (ctx.flag('NoClobber') && (await files.exists(target.rel))) {
      throw new ShellError(`The file '${target.display}' already exists.`, { command: ctx.spec.name, category: 'ResourceExists', reason: 'IOException', errorId: `NoClobber,${ctx.spec.name}` });
    }
    const cert = storeOf(ctx).find((c) => c.thumbprint === thumbprint);
    const source = cert?.sourceFile ? await sourcePfx(ctx, cert.sourceFile) : { bytes: new Uint8Array(), password: undefined };
    const secret = ctx.get('Password');
    const outcome = perform(ctx, {
      cmdlet: 'MMC-Export', computer, thumbprint, sourceBytes: source.bytes, sourcePassword: source.password,
      password: secret instanceof SecureString ? secret.text : '', path: target.display,
    });
    if (!outcome) return [];
    const pfx = (outcome.result as ExportResult).pfx;
    await files.write(target.rel, pfx);
    if (secret instanceof SecureString) ctx.state.pfxPasswords.set(target.rel, secret.text);
    return [fileItem(target.display, false, pfx.length)];
  },
};

const importPfx: CmdletImpl = {
  name: 'Import-PfxCertificate',
  shouldProcess: true,
  params: [
    { name: 'FilePath', type: 'string', position: 0, mandatory: true, aliases: ['FullName'] },
    { name: 'CertStoreLocation', type: 'string' },
    { name: 'Password', type: 'securestring' },
    { name: 'Exportable', type: 'switch' },
  ],
  async run(ctx) {
    const computer = thisComputer(ctx);
    const location = ctx.get('CertStoreLocation');
    if (location !== undefined && resolveCertPath(toText(location)).thumbprint) throw ownRule(ctx.spec.name, `-CertStoreLocation names a store: ${PERSONAL_STORE}.`, 'NotAStore');
    if (location === undefined) throw ownRule(ctx.spec.name, `Name the store: -CertStoreLocation ${PERSONAL_STORE} (the default, the current user's store, is not modelled).`, 'StoreRequired');
    const file = await readPathArgument(ctx, 'FilePath');
    const secret = ctx.get('Password');
    const password = secret instanceof SecureString ? secret.text : undefined;
    const outcome = perform(ctx, { cmdlet: 'MMC-Import', computer, path: file.display, bytes: file.bytes, password, sourceFile: file.rel, exportable: ctx.flag('Exportable') });
    if (!outcome) return [];
    if (password !== undefined) ctx.state.pfxPasswords.set(file.rel, password);
    const imported = storeOf(ctx).find((c) => c.thumbprint === (outcome.result as ImportResult).thumbprint);
    return imported ? [storeCertificate(imported)] : [];
  },
};

const enterSession: CmdletImpl = {
  name: 'Enter-PSSession',
  aliases: ['etsn'],
  params: [{ name: 'ComputerName', type: 'string', position: 0, mandatory: true, aliases: ['Cn'] }, { name: 'Credential', type: 'object' }, { name: 'UseSSL', type: 'switch' }, { name: 'Authentication', type: 'string' }],
  run(ctx) {
    const name = toText(ctx.get('ComputerName') ?? '');
    if (ctx.state.sessionFrom) {
      throw new ShellError('Enter-PSSession cannot be run inside a remote session: Exit-PSSession first.', { command: ctx.spec.name, category: 'InvalidArgument', reason: 'ArgumentException', errorId: `RemoteHostDoesNotSupportPushRunspace,${ctx.spec.name}` });
    }
    const fqdn = findComputer(ctx, name);
    if (!fqdn) throw ownRule(ctx.spec.name, `Connecting to remote server ${name} failed: no computer named ${name} is in the topology.`, 'PSSessionOpenFailed');
    ctx.state.sessionFrom = { computer: ctx.state.computer };
    ctx.state.computer = fqdn;
    ctx.state.location = 'C:\\Users\\Administrator\\Documents';
    return [];
  },
};

const exitSession: CmdletImpl = {
  name: 'Exit-PSSession',
  aliases: ['exsn'],
  params: [],
  run(ctx) {
    leaveSession(ctx.state);
    return [];
  },
};

export function leaveSession(state: CmdletContext['state']): void {
  if (!state.sessionFrom) return;
  state.computer = state.sessionFrom.computer;
  state.sessionFrom = undefined;
  state.location = 'C:\\Users\\Administrator';
}

const getLocation: CmdletImpl = {
  name: 'Get-Location',
  aliases: ['gl', 'pwd'],
  params: [],
  run(ctx) {
    return [new PsObject('System.Management.Automation.PathInfo', { Path: ctx.state.location })];
  },
};

const setLocation: CmdletImpl = {
  name: 'Set-Location',
  aliases: ['sl', 'cd', 'chdir'],
  params: [{ name: 'Path', type: 'string', position: 0 }],
  async run(ctx) {
    const path = toText(ctx.get('Path') ?? 'C:\\Users\\Administrator');
    if (isCertPath(path)) throw ownRule(ctx.spec.name, `The shell stays on the C: drive; list the certificate store with Get-ChildItem ${PERSONAL_STORE}.`, 'NotModelled');
    const resolved = resolvePath(ctx.state.location, path);
    const home = resolvePath('C:\\', 'C:\\Users\\Administrator');
    if (resolved.rel && !resolved.rel.startsWith(home.rel) && !(await ctx.state.host.files.exists(resolved.rel))) throw notFound(resolved.display);
    ctx.state.location = resolved.display.length > 3 ? resolved.display.replace(/\\$/, '') : 'C:\\';
    return [];
  },
};

/** Test-Path: whether a file or folder exists under C:\, or a thumbprint is in this computer's Personal store. */
const testPath: CmdletImpl = {
  name: 'Test-Path',
  params: [{ name: 'Path', type: 'string[]', position: 0, sets: ['Path'], mandatory: true }, { name: 'LiteralPath', type: 'string[]', sets: ['LiteralPath'], mandatory: true, aliases: ['PSPath', 'LP'] }, { name: 'PathType', type: 'string' }],
  defaultSet: 'Path',
  async run(ctx) {
    const paths = (ctx.get('Path') ?? ctx.get('LiteralPath')) as string[];
    const out: PsValue[] = [];
    for (const path of paths) {
      if (isCertPath(path)) {
        const { thumbprint } = resolveCertPath(path);
        out.push(!thumbprint || storeOf(ctx).some((c) => c.thumbprint === thumbprint));
        continue;
      }
      let resolved;
      try {
        resolved = resolvePath(ctx.state.location, path);
      } catch {
        out.push(false);
        continue;
      }
      out.push(resolved.rel === '' || (await ctx.state.host.files.exists(resolved.rel)));
    }
    return out;
  },
};

export const STORE_CMDLETS: readonly CmdletImpl[] = [getChildItem, exportPfx, importPfx, enterSession, exitSession, getLocation, setLocation, testPath];
