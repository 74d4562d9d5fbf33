// The deployment the operation and store benches measure: 12,000 Front Ends in 1,000 pools over 10 central sites,
// holding 50,000 certificates, as a very large Skype for Business Server estate would. Smaller ones (the host bench's
// 1,008 servers, the unit tests' few dozen) keep the same shape and the same certificates per server.
import { randomBytes } from 'node:crypto';
import { SCHEMA_VERSION, type Deployment, type Pool, type Server, type Slot, type StoredCertificate } from '../../src/core/model';

const SERVERS = 12_000;
const CERTIFICATES = 50_000;
/** Certificates per server in the full-size deployment (4 in use, plus spares on the first servers). */
const CERTIFICATES_PER_SERVER = CERTIFICATES / SERVERS;
const POOL_SIZE = 12;
const SITES = 10;
const AT = '2025-06-01T00:00:00.000Z';
const CERTIFICATE_HEADER = Buffer.from([0x30, 0x82, 0x04, 0x27, 0x30, 0x82, 0x03, 0x0f, 0xa0, 0x03, 0x02, 0x01, 0x02]);

/** The thumbprint of the n-th generated certificate: 1 is the OAuthTokenIssuer certificate, 2 its successor. */
export function thumbprint(n: number): string {
  return n.toString(16).toUpperCase().padStart(40, '0');
}

function certificate(n: number, subject: string, names: string[]): StoredCertificate {
  return {
    thumbprint: thumbprint(n), serialNumber: (0x1000000 + n).toString(16).toUpperCase(),
    subject: `CN=${subject}, O=Contoso, L=Redmond, S=WA, C=US`, issuer: 'CN=Contoso Issuing CA, DC=contoso, DC=com',
    subjectAlternativeNames: names.map((value) => ({ type: 'dns' as const, value })),
    notBefore: AT, notAfter: '2027-06-01T00:00:00.000Z', keyAlgorithm: 'RSA', keySize: 2048, signatureAlgorithm: 'sha256RSA',
    enhancedKeyUsages: [{ oid: '1.3.6.1.5.5.7.3.1', name: 'Server Authentication' }, { oid: '1.3.6.1.5.5.7.3.2', name: 'Client Authentication' }],
    isCA: false, hasPrivateKey: true, friendlyName: `${subject} (${n})`,
    // A 2048-bit server certificate's DER is about 1,000–1,400 bytes: the bulk of a real store file. It starts as a
    // certificate does (SEQUENCE { SEQUENCE { [0] version … } }), so the private-key guard takes it for one.
    derBase64: Buffer.concat([CERTIFICATE_HEADER, randomBytes(1050)]).toString('base64'),
    exportable: true, source: 'import', addedAt: AT, sourceFile: `certificates/${n}.pfx`,
  };
}

/**
 * Every Front End holds its Default, WebServicesInternal and WebServicesExternal certificates and the replicated
 * OAuthTokenIssuer certificate (thumbprint 1); fe0 also holds its successor (thumbprint 2, not yet assigned) and
 * the first servers one spare each, up to 50,000 certificates with the CMS copy. Every 1,000th replica is unreachable.
 */
export function largeDeployment(servers = SERVERS): Deployment {
  const poolCount = Math.ceil(servers / POOL_SIZE);
  const oauth = certificate(1, 'contoso.com', ['contoso.com', 'fabrikam.com']);
  const successor = certificate(2, 'contoso.com', ['contoso.com', 'fabrikam.com']);
  const current = (thumbprint: string): Slot => ({ current: { thumbprint, effectiveDate: AT, updateTime: AT } });
  const spares = Math.round(CERTIFICATES_PER_SERVER * servers) - 4 * servers - 2; // less the CMS copy and the successor
  let serial = 100;
  const pools: Pool[] = [];
  for (let p = 0; p < poolCount; p++) {
    const poolFqdn = `pool${p}.contoso.com`;
    const poolServers: Server[] = [];
    for (let i = 0; i < POOL_SIZE && p * POOL_SIZE + i < servers; i++) {
      const index = p * POOL_SIZE + i;
      const fqdn = `fe${index}.contoso.com`;
      const certs = [
        certificate(serial++, poolFqdn, [poolFqdn, fqdn, 'sip.contoso.com', 'lyncdiscoverinternal.contoso.com']),
        certificate(serial++, poolFqdn, [poolFqdn, fqdn, 'meet.contoso.com', 'dialin.contoso.com']),
        certificate(serial++, poolFqdn, [`webext${p}.contoso.com`, 'meet.contoso.com', 'lyncdiscover.contoso.com']),
        { ...oauth, source: 'replication' as const },
      ];
      if (index === 0) certs.push(successor);
      if (index < spares) certs.push(certificate(serial++, `spare.${fqdn}`, [`spare.${fqdn}`]));
      poolServers.push({
        fqdn, roles: ['FrontEnd', 'Registrar', 'UserServices', 'WebServices'], certificates: certs,
        assignments: { Default: current(certs[0].thumbprint), WebServicesInternal: current(certs[1].thumbprint), WebServicesExternal: current(certs[2].thumbprint), OAuthTokenIssuer: current(oauth.thumbprint) },
        replica: { appliedVersion: 7, unreachable: index % 1000 === 999, lastStatusReport: AT, lastUpdateCreation: AT, productVersion: '7.0.2046.0' },
        setup: { localStoreInstalled: true, componentsInstalled: true, servicesStarted: true },
      });
    }
    pools.push({ fqdn: poolFqdn, siteId: `site${p % SITES}`, kind: 'FrontEndEnterprise', hostsCms: p === 0, internalWebFqdn: poolFqdn, externalWebFqdn: `webext${p}.contoso.com`, servers: poolServers });
  }
  return {
    schemaVersion: SCHEMA_VERSION, name: 'Benchmark deployment', sipDomains: [{ name: 'contoso.com', isDefault: true }, { name: 'fabrikam.com', isDefault: false }],
    sites: Array.from({ length: Math.min(SITES, poolCount) }, (_, i) => ({ id: `site${i}`, name: `Site ${i}`, kind: 'central' as const })),
    pools, cms: { version: 7, versionCreated: AT, certificates: [oauth], assignments: { OAuthTokenIssuer: current(oauth.thumbprint) } }, history: [],
  };
}

/** How many servers and certificates (on the servers and in the CMS) a deployment holds. */
export function countOf(deployment: Deployment): { servers: number; certificates: number } {
  const servers = deployment.pools.flatMap((p) => p.servers);
  return { servers: servers.length, certificates: servers.reduce((n, s) => n + s.certificates.length, 0) + deployment.cms.certificates.length };
}
