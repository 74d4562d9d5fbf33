// The sample deployment: Contoso, two sites, an Enterprise Edition pool hosting the Central Management store, a
// Standard Edition server and an Edge pool, with real certificates issued by a generated "Contoso Issuing CA"
// (Subjects and SANs after the SfB 2015 planning tables, reference §6.1). No OAuthTokenIssuer certificate is
// assigned yet, so `Get-CsCertificate -Type OAuthTokenIssuer` returns nothing: the procedure's first step.
// Each certificate with a key also comes as a PFX file, so the Import and MMC export flows have files to work on.
import { createTestCA, generateCertificate, generateRsaKeyPair, testCaCrlUrl, writePfx, type GeneratedCertificate } from './certgen';
import { recordFromDer } from './certificates/x509';
import { SCHEMA_VERSION, type Assignments, type CertUse, type Deployment, type Pool, type Server, type ServerRole, type StoredCertificate } from './model';

/** The password of every sample PFX file. A sample value, published with the sample: never use it for real certificates. */
export const SAMPLE_PASSWORD = 'Contoso-Sample-2024!';
export const SAMPLE_FOLDER = 'sample-certificates';
/**
 * The file and password of the seed procedure's Import line (`Import-CsCertificate -Identity global -Type
 * OAuthTokenIssuer -Path C:\Certificates\ServerToServerAuth.pfx -Password "P@ssw0rd"`), so it runs as printed in the
 * Management Shell (C:\ maps to the workspace root): the sample's OAuth candidate (contoso.com), with its key.
 */
export const SEED_PFX = { path: 'Certificates/ServerToServerAuth.pfx', password: 'P@ssw0rd' } as const;
/**
 * The sample's test CA as a PFX (its certificate and private key, SAMPLE_PASSWORD), so a lab can finish the Request
 * flow: "Send the request immediately" / Request-CsCertificate -CA issues from it. A sample CA: never trust it.
 */
export const SAMPLE_CA = { path: `${SAMPLE_FOLDER}/contoso-issuing-ca.pfx`, name: 'Contoso Issuing CA' } as const;
const PRODUCT_VERSION = '7.0.2046.0'; // Skype for Business Server 2019, as in Microsoft's mock [S15]
const DAY_MS = 86_400_000;

export interface SampleDeployment {
  deployment: Deployment;
  /**
   * PFX files (workspace-relative paths), protected with `password` unless they name their own (the seed's
   * SEED_PFX); StoredCertificate.sourceFile names the sample-certificates/ ones.
   */
  files: { path: string; bytes: Uint8Array; password?: string }[];
  password: string;
}

interface Issued {
  name: string;
  friendlyName: string;
  subject: string;
  dnsNames: string[];
  keySize?: number;
  /** Also written to this file with this password. */
  alsoAs?: { path: string; password: string };
}

/**
 * Builds the sample. Its fifteen RSA keys are made on Node's thread pool, in parallel, so the extension host stays
 * responsive while they are generated.
 */
export async function createSampleDeployment(now: Date): Promise<SampleDeployment> {
  const at = now.toISOString();
  const notBefore = new Date(now.getTime() - 90 * DAY_MS);
  const notAfter = new Date(now.getTime() + 640 * DAY_MS);
  const ca = createTestCA(SAMPLE_CA.name, { keyPair: await generateRsaKeyPair(2048) });
  const files: SampleDeployment['files'] = [{ path: SAMPLE_CA.path, bytes: new Uint8Array(writePfx(ca, SAMPLE_PASSWORD, { friendlyName: SAMPLE_CA.name })) }];

  const issue = async (spec: Issued): Promise<StoredCertificate> => {
    const generated: GeneratedCertificate = generateCertificate({
      subject: { CN: spec.subject, O: 'Contoso', L: 'Redmond', ST: 'WA', C: 'US' },
      dnsNames: spec.dnsNames,
      keyPair: await generateRsaKeyPair(spec.keySize ?? 2048),
      notBefore,
      notAfter,
      serverAuth: true,
      clientAuth: true,
      issuer: ca,
      crlDistributionPoints: [testCaCrlUrl(SAMPLE_CA.name)],
    });
    const path = `${SAMPLE_FOLDER}/${spec.name}.pfx`;
    files.push({ path, bytes: new Uint8Array(writePfx(generated, SAMPLE_PASSWORD, { chain: [ca], friendlyName: spec.friendlyName })) });
    if (spec.alsoAs) files.push({ ...spec.alsoAs, bytes: new Uint8Array(writePfx(generated, spec.alsoAs.password, { chain: [ca], friendlyName: spec.friendlyName })) });
    const record = recordFromDer(generated.der, { hasPrivateKey: true, friendlyName: spec.friendlyName });
    return { ...record, exportable: true, source: 'sample', addedAt: at, sourceFile: path };
  };

  const assigned = (uses: Partial<Record<CertUse, StoredCertificate>>): Assignments => {
    const out: Assignments = {};
    for (const [use, cert] of Object.entries(uses) as [CertUse, StoredCertificate][]) {
      out[use] = { current: { thumbprint: cert.thumbprint, effectiveDate: cert.addedAt, updateTime: cert.addedAt } };
    }
    return out;
  };

  const server = (fqdn: string, roles: ServerRole[], certificates: StoredCertificate[], assignments: Assignments): Server => ({
    fqdn,
    roles,
    certificates,
    assignments,
    replica: { appliedVersion: 1, unreachable: false, lastStatusReport: at, lastUpdateCreation: at, productVersion: PRODUCT_VERSION },
    setup: { localStoreInstalled: true, componentsInstalled: true, servicesStarted: true },
  });

  // Enterprise Edition pool: a Default, a Web internal and a Web external certificate per Front End (§6.1).
  const poolFqdn = 'pool01.contoso.com';
  const frontEndRoles: ServerRole[] = ['FrontEnd', 'Registrar', 'UserServices', 'WebServices', 'CentralManagement'];
  const frontEnds = await Promise.all(['fe01', 'fe02', 'fe03'].map(async (host) => {
    const fqdn = `${host}.contoso.com`;
    const [def, webInternal, webExternal] = await Promise.all([issue({
      name: `${host}-default`, friendlyName: `${host} Default`, subject: poolFqdn,
      dnsNames: [poolFqdn, fqdn, 'sip.contoso.com', 'sip.fabrikam.com', 'lyncdiscoverinternal.contoso.com', 'lyncdiscoverinternal.fabrikam.com'],
    }), issue({
      name: `${host}-webservices-internal`, friendlyName: `${host} Web internal`, subject: poolFqdn,
      dnsNames: [poolFqdn, 'webint.contoso.com', fqdn, 'meet.contoso.com', 'meet.fabrikam.com', 'dialin.contoso.com', 'admin.contoso.com'],
    }), issue({
      name: `${host}-webservices-external`, friendlyName: `${host} Web external`, subject: poolFqdn,
      dnsNames: ['webext.contoso.com', 'meet.contoso.com', 'meet.fabrikam.com', 'dialin.contoso.com', 'lyncdiscover.contoso.com', 'lyncdiscover.fabrikam.com'],
    })]);
    return { host, fqdn, certificates: [def, webInternal, webExternal], assignments: assigned({ Default: def, WebServicesInternal: webInternal, WebServicesExternal: webExternal }) };
  }));

  // fe01 also holds a web server certificate with the SIP domain in its Subject (a good OAuth candidate) and a
  // legacy 1024-bit one (too short for OAuth); neither is assigned. The Standard Edition server has one
  // certificate for Default and both web sites (the multi-use assignment). The Edge pool has one internal
  // certificate per Edge and one external certificate shared by both (same key: MRAS, §6.1).
  const seFqdn = 'se01.dublin.contoso.com';
  const edgeHosts = ['edge01', 'edge02'];
  const [oauthCandidate, legacy, seCert, edgeExternal, ...edgeInternals] = await Promise.all([
    issue({ name: 'contoso-oauth', friendlyName: 'Contoso server-to-server (web server)', subject: 'contoso.com', dnsNames: ['contoso.com', 'fabrikam.com'], alsoAs: SEED_PFX }),
    issue({ name: 'legacy-1024', friendlyName: 'Legacy web (1024-bit)', subject: 'legacy.contoso.com', dnsNames: ['legacy.contoso.com'], keySize: 1024 }),
    issue({
      name: 'se01-default-web', friendlyName: 'se01 Default and Web', subject: seFqdn,
      dnsNames: [seFqdn, 'sip.contoso.com', 'sip.fabrikam.com', 'webext-dub.contoso.com', 'meet.contoso.com', 'meet.fabrikam.com', 'dialin.contoso.com', 'lyncdiscoverinternal.contoso.com'],
    }),
    issue({ name: 'edge-external', friendlyName: 'Edge external', subject: 'sip.contoso.com', dnsNames: ['sip.contoso.com', 'webcon.contoso.com', 'sip.fabrikam.com'] }),
    ...edgeHosts.map((host) => issue({ name: `${host}-internal`, friendlyName: `${host} Edge internal`, subject: `${host}.contoso.com`, dnsNames: [`${host}.contoso.com`] })),
  ]);
  frontEnds[0].certificates.push(oauthCandidate, legacy);
  const edges = edgeHosts.map((host, i) => server(`${host}.contoso.com`, ['Edge'], [edgeInternals[i], edgeExternal], assigned({
    Internal: edgeInternals[i], AccessEdgeExternal: edgeExternal, DataEdgeExternal: edgeExternal, AudioVideoAuthentication: edgeExternal,
  })));

  const pools: Pool[] = [
    {
      fqdn: poolFqdn, siteId: 'redmond', kind: 'FrontEndEnterprise', hostsCms: true, internalWebFqdn: 'webint.contoso.com', externalWebFqdn: 'webext.contoso.com',
      servers: frontEnds.map((fe) => server(fe.fqdn, frontEndRoles, fe.certificates, fe.assignments)),
    },
    {
      fqdn: seFqdn, siteId: 'dublin', kind: 'StandardEdition', hostsCms: false, internalWebFqdn: seFqdn, externalWebFqdn: 'webext-dub.contoso.com',
      servers: [server(seFqdn, ['FrontEnd', 'Registrar', 'UserServices', 'WebServices'], [seCert], assigned({ Default: seCert, WebServicesInternal: seCert, WebServicesExternal: seCert }))],
    },
    { fqdn: 'edgepool.contoso.com', siteId: 'redmond', kind: 'Edge', hostsCms: false, servers: edges },
  ];

  const deployment: Deployment = {
    schemaVersion: SCHEMA_VERSION,
    name: 'Contoso (sample)',
    sipDomains: [{ name: 'contoso.com', isDefault: true }, { name: 'fabrikam.com', isDefault: false }],
    sites: [
      { id: 'redmond', name: 'Redmond', kind: 'central', city: 'Redmond', country: 'US' },
      { id: 'dublin', name: 'Dublin', kind: 'central', city: 'Dublin', country: 'IE' },
    ],
    pools,
    cms: { version: 1, versionCreated: at, certificates: [], assignments: {} },
    history: [],
  };
  files.sort((a, b) => a.path.localeCompare(b.path)); // keys finish in any order
  return { deployment, files, password: SAMPLE_PASSWORD };
}
