// The JSON Schema of an inventory file (schemas/sfb-inventory.schema.json): the structure from shape.ts, the prose
// here. `npm run schema` writes the file; a unit test keeps it equal to what this generates.
import { jsonSchemaOf, type JsonSchemaNode } from '../deploymentFile/schema';
import { INVENTORY_SCHEMA, INVENTORY_SHAPE } from './shape';

const HEADER = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://sfb-certificates.invalid/schemas/sfb-inventory.schema.json',
  title: 'SfB Certificates inventory',
  description: `What Get-SfbCertificateInventory.ps1 collects from a real Skype for Business Server deployment (${INVENTORY_SCHEMA}): the topology, the Central Management store replication status, and for each server its Get-CsCertificate results and the public certificates of its Personal store. It never holds a private key. SfB Certificates' "Import Inventory" reads it.`,
};

const DESCRIPTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  inventory: {
    schema: `The format of this file: "${INVENTORY_SCHEMA}".`,
    collectedAt: 'When the collector ran (ISO 8601, UTC).',
    collectedOn: 'The computer the collector ran on (its FQDN).',
    topologyXml: 'The text of Get-CsTopology -AsXml (a Topology Builder file\'s XML is accepted too). Left out by a -LocalOnly run that could not read it.',
    topologyError: 'Why the topology could not be read, when it could not.',
    replicationError: 'Why the replication status could not be read, when it could not.',
    replication: 'Get-CsManagementStoreReplicationStatus: one row per replica of the Central Management store.',
    computers: 'Every server that holds certificates, with what could be read from it (or the error that stopped it).',
  },
  dateTime: { '': 'An ISO 8601 date and time with a zone (the round-trip format, "o"), for example 2026-03-01T08:00:00.0000000Z.' },
  thumbprint: { '': 'A certificate thumbprint: 40 hexadecimal characters in upper case, as Windows shows it.' },
  rawData: { '': 'The public certificate (DER) in base64: X509Certificate2.RawData. Never a private key.' },
  replicaStatus: {
    '': 'One row of Get-CsManagementStoreReplicationStatus.',
    ReplicaFqdn: 'The computer holding the replica.',
    UpToDate: 'True when the replica has applied the latest version of the Central Management store.',
    LastStatusReport: 'When the replica last reported its status.',
    LastUpdateCreation: 'When the last update the replica applied was created.',
    ProductVersion: 'The Skype for Business Server version of the replica, for example 7.0.2046.0.',
  },
  computer: {
    '': 'One server and what the collector read from it.',
    fqdn: 'The server\'s FQDN, as the topology names it.',
    error: 'Why the server could not be read (unreachable, access denied, …). Its lists are then empty, and an import keeps what it knew of the server before.',
    csCertificates: 'Get-CsCertificate on that server: every certificate assigned to a use, as the server sees it.',
    store: 'The certificates of the computer\'s Personal store (Cert:\\LocalMachine\\My), public data only.',
  },
  csCertificate: {
    '': 'One object of Get-CsCertificate.',
    Use: 'The use (-Type), for example Default or OAuthTokenIssuer.',
    Thumbprint: 'The assigned certificate\'s thumbprint.',
    Subject: 'Its subject.',
    Issuer: 'Its issuer.',
    SerialNumber: 'Its serial number.',
    NotBefore: 'Start of its validity.',
    NotAfter: 'End of its validity.',
    AlternativeNames: 'Its subject alternative names.',
    EffectiveDate: 'When the assignment takes (or took) effect; in the future for a staged roll.',
    PreviousThumbprint: 'The certificate it replaced, still kept as the previous one.',
    SourceScope: 'Where the assignment is made: Global for OAuthTokenIssuer assigned in the Central Management store, Local for one made on the computer.',
  },
  storeCertificate: {
    '': 'One certificate of the Personal store.',
    Thumbprint: 'Its thumbprint.',
    FriendlyName: 'Its friendly name in the Certificates MMC.',
    HasPrivateKey: 'True when the computer has the private key (the key itself is never collected).',
    PrivateKeyExportable: 'Whether the private key may be exported; left out when it cannot be read (for example a CNG key).',
    RawData: 'The public certificate (DER) in base64.',
  },
};

export function inventoryJsonSchema(): JsonSchemaNode {
  return jsonSchemaOf(INVENTORY_SHAPE, HEADER, DESCRIPTIONS);
}

/** The text of schemas/sfb-inventory.schema.json. */
export function inventoryJsonSchemaText(): string {
  return `${JSON.stringify(inventoryJsonSchema(), null, 2)}\n`;
}
