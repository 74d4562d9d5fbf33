// The prose of the shipped JSON Schema (schemas/sfb-deployment.schema.json): what each definition and field means, for
// the editor's hover. The structure comes from shape.ts; schema.ts joins the two, and a unit test keeps the shipped file
// equal to what they generate (`npm run schema` writes it). Keyed by the shape's schema id, then by field ('' = the
// definition itself).

export const SCHEMA_HEADER = {
  "$schema": "http://json-schema.org/draft-07/schema#",
  "$id": "https://sfb-certificates.invalid/schemas/sfb-deployment.schema.json",
  title: "SfB Certificates deployment file",
  description: "A model of one Skype for Business Server deployment: its topology (SIP domains, sites, pools, servers), each server's certificate store and certificate assignments, and the Central Management store. Written by the SfB Certificates extension; it never holds private keys or PFX passwords.",
} as const;

export const DESCRIPTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  deployment: {
    schemaVersion: "Version of this file's format. This version of SfB Certificates writes 1; a file with a higher number was made by a newer version and is opened read-only.",
    name: "A name for the deployment, shown at the top of the SfB Certificates view (for example the organisation or the default SIP domain).",
    sipDomains: "The SIP domains of the topology (Topology Builder: Skype for Business Server > Edit Properties > SIP domain). Exactly one is the default (primary) SIP domain.",
    sites: "Central and branch sites of the topology.",
    pools: "Front End pools, Standard Edition servers, Directors, Edge pools and standalone Mediation pools, each with its member servers.",
    cms: "The Central Management store (CMS): its configuration version, the certificates it holds at global scope and the global assignments (OAuthTokenIssuer).",
    simulatedNow: "A simulated current date and time (ISO 8601), set with Set Simulated Date to preview what happens at a roll's effective date. Leave it out to use the real time.",
    history: "Every change made through SfB Certificates, oldest first, with the PowerShell line it stands for.",
  },
  fqdn: {
    '': "A fully qualified domain name, for example fe01.contoso.com. Skype for Business Server allows only A–Z, a–z, 0–9 and hyphens in each label.",
  },
  dateTime: {
    '': "An ISO 8601 date and time with a zone, for example 2025-03-01T08:00:00.000Z.",
  },
  thumbprint: {
    '': "A certificate thumbprint: the SHA-1 hash of the certificate, 40 hexadecimal characters in upper case as Windows and Get-CsCertificate show it.",
  },
  certUse: {
    '': "A certificate use: a -Type value of Set-CsCertificate / Get-CsCertificate.",
  },
  sipDomain: {
    '': "A SIP domain of the topology.",
    name: "The SIP domain, for example contoso.com.",
    isDefault: "true for the default (primary) SIP domain; the OAuth realm is the default SIP domain.",
  },
  site: {
    '': "A site of the topology: a set of well-connected computers (not an Active Directory site).",
    id: "A short id that pools refer to in siteId (for example redmond).",
    name: "The site name as Topology Builder shows it.",
    kind: "central for a central site, branch for a branch site.",
    city: "City of the site (Topology Builder: site properties).",
    country: "Country/region code of the site, for example US.",
  },
  pool: {
    '': "A pool: its FQDN, kind and member servers. A Standard Edition server is a pool of one whose FQDN is the server's.",
    fqdn: "The pool FQDN, for example pool01.contoso.com (the Subject of the Front End Default certificate).",
    siteId: "The id of the site the pool is in (one of sites[].id).",
    kind: "FrontEndEnterprise: Enterprise Edition Front End pool; StandardEdition: Standard Edition server; Director: Director pool; Edge: Edge pool; Mediation: standalone Mediation pool.",
    servers: "The member servers (computers) of the pool.",
    hostsCms: "true for the pool that hosts the Central Management Server (chosen when the topology is published).",
    internalWebFqdn: "The internal web services FQDN (a subject alternative name of the WebServicesInternal certificate).",
    externalWebFqdn: "The external web services FQDN (a subject alternative name of the WebServicesExternal certificate).",
  },
  server: {
    '': "One computer of a pool.",
    fqdn: "The computer's FQDN, for example fe01.contoso.com.",
    roles: "Server roles installed on the computer (from the topology).",
    certificates: "The computer's Personal certificate store (Local Computer > Personal > Certificates), without private keys.",
    assignments: "The certificates assigned on this computer per use (Set-CsCertificate -Type …), including the locally deployed OAuthTokenIssuer certificate.",
    replica: "Replication state of the computer's local configuration store (a replica of the Central Management store).",
    setup: "Deployment Wizard progress on this computer.",
  },
  replicaState: {
    '': "What Get-CsManagementStoreReplicationStatus reports for this replica.",
    appliedVersion: "The Central Management store version this replica has applied; it is up to date when this equals cms.version.",
    unreachable: "true to simulate an outage: replication to this computer fails.",
    lastStatusReport: "When the replica last reported its status (LastStatusReport).",
    lastUpdateCreation: "Creation time of the last update the replica applied (LastUpdateCreation).",
    productVersion: "The product version the replica reports (ProductVersion), for example 7.0.2046.0 for Skype for Business Server 2019; empty until it reports.",
  },
  setupState: {
    '': "Deployment Wizard steps done on the computer (step 3, certificates, follows from its certificate store).",
    localStoreInstalled: "Step 1: Install Local Configuration Store.",
    componentsInstalled: "Step 2: Setup or Remove Skype for Business Server Components.",
    servicesStarted: "Step 4: Start Services.",
  },
  centralManagementStore: {
    '': "The Central Management store.",
    version: "The configuration version; every global change makes a new one, and each replica catches up to it.",
    versionCreated: "When the newest version was created.",
    certificates: "Certificates held at global scope (imported with Import-CsCertificate -Identity global), without private keys.",
    assignments: "Global assignments: the OAuthTokenIssuer certificate (Set-CsCertificate -Identity global -Type OAuthTokenIssuer).",
  },
  assignments: {
    '': "Assignments keyed by certificate use (-Type).",
  },
  slot: {
    '': "The certificates of one use: the current one, the previous one (kept after a roll) and a staged roll.",
    current: "The certificate in use now.",
    previous: "The certificate it replaced; still accepted until it expires. Remove it with Remove-CsCertificate -Previous.",
    pending: "A roll staged with Set-CsCertificate -Roll -EffectiveDate: it becomes current at its effective date.",
  },
  slotEntry: {
    '': "One assigned certificate.",
    thumbprint: "Thumbprint of the assigned certificate (in the computer's store, or cms.certificates for a global use).",
    effectiveDate: "When it became (or becomes) current (EffectiveDate).",
    updateTime: "When the assignment was written (UpdateTime).",
  },
  pendingRoll: {
    '': "A staged roll.",
    thumbprint: "Thumbprint of the certificate that becomes current.",
    effectiveDate: "When it becomes current (-EffectiveDate). Microsoft recommends at least 24 hours before the current OAuthTokenIssuer certificate expires.",
    updateTime: "When the roll was staged.",
  },
  certificate: {
    '': "One certificate as the extension knows it: the public certificate and its details, never the private key.",
    thumbprint: "Thumbprint (SHA-1) as Windows shows it.",
    serialNumber: "Serial number in upper-case hexadecimal, as Get-CsCertificate prints SerialNumber.",
    subject: "Subject as Windows prints it, for example \"CN=pool01.contoso.com, O=Contoso, C=US\".",
    issuer: "Issuer (the certification authority) as Windows prints it.",
    subjectAlternativeNames: "Subject alternative names (AlternativeNames): the pool, server, SIP and web names the certificate covers.",
    notBefore: "Start of the validity period (NotBefore).",
    notAfter: "End of the validity period (NotAfter): the certificate expires then.",
    keyAlgorithm: "Public key algorithm: RSA, EC, …",
    keySize: "Key length in bits (the RSA modulus, or the EC curve size). The OAuthTokenIssuer certificate needs at least 2048.",
    keyCurve: "The EC curve name, for example prime256v1, when the key is EC.",
    signatureAlgorithm: "Signature algorithm as Windows names it, for example sha256RSA.",
    enhancedKeyUsages: "Enhanced key usages; Skype for Business Server certificates need Server Authentication.",
    isCA: "true for a certification authority certificate.",
    hasPrivateKey: "true when the computer (or the Central Management store) has the private key. The key itself is never in this file.",
    friendlyName: "Friendly name shown in the Certificates MMC; each must be unique in a computer's store.",
    derBase64: "The public certificate (DER) in base64, as in a .cer file without the BEGIN/END lines.",
    exportable: "Whether the private key may be exported (the MMC's \"Yes, export the private key\" is greyed out when false).",
    source: "How the certificate got here: sample, import (Import-CsCertificate), replication (from the Central Management store), mmc-import (Certificates MMC), request (Request-CsCertificate) or inventory (read from a real server by the inventory collector script).",
    addedAt: "When it was added.",
    sourceFile: "The PFX file this certificate and its key came from, relative to the workspace folder; an MMC-style export reads the key from it again (with its password).",
  },
  subjectAltName: {
    '': "One subject alternative name.",
    type: "dns for a DNS name (the usual kind); ip, email, uri or other.",
    value: "The name, for example sip.contoso.com.",
  },
  enhancedKeyUsage: {
    '': "One enhanced key usage.",
    oid: "Its object identifier, for example 1.3.6.1.5.5.7.3.1.",
    name: "Its name as Windows shows it, for example Server Authentication.",
  },
  historyEntry: {
    '': "One change made through SfB Certificates.",
    at: "When it was made (the real or simulated time).",
    cmdlet: "The cmdlet (or Certificates MMC action) it stands for.",
    powershell: "The PowerShell line an administrator would run (PFX passwords appear only as $pfxPassword).",
    summary: "One line describing the change.",
    computer: "The computer the command ran on (its FQDN), when it ran on one.",
  },
};
