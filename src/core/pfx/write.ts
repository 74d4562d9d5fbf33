// Writing a PKCS #12 file, as certgen and the Certificates MMC export need it.
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { forge } from '../vendor';
import { type Asn1, Class, Type, binary, derOf, explicit0, integer, nullNode, octetString, oidNode, sequence, set } from './der';
import { HASHES, bmpPassword } from './kdf';
import { OID } from './oids';
import { PFX_ITERATIONS, encrypt, mac, type PfxEncryption } from './pbe';

const dataContentInfo = (content: Buffer) => sequence(oidNode(OID.data), explicit0(octetString(content)));

export interface PfxInput {
  /** DER; the first is the end-entity certificate (the key's), the others its certification path. */
  certificates: Buffer[];
  privateKey: KeyObject;
  password: string;
  encryption: PfxEncryption;
  friendlyName?: string;
}

/**
 * A PFX laid out as OpenSSL and Windows write them: the certificates in an encrypted content, the private key in a
 * shrouded key bag, both with a localKeyId (the certificate's SHA-1) and the friendly name, then the MAC.
 * 'aes256': PBES2/PBKDF2-HMAC-SHA256/AES-256-CBC and a SHA-256 MAC; '3des': pbeWithSHAAnd3-KeyTripleDES-CBC and a
 * SHA-1 MAC, which Windows Server 2012 R2 and older need.
 */
export function buildPfx(input: PfxInput): Buffer {
  const [endEntity, ...chain] = input.certificates;
  const attributes = { localKeyId: createHash('sha1').update(endEntity).digest(), friendlyName: input.friendlyName };
  return buildPfxFromBags({
    certificates: [{ der: endEntity, ...attributes }, ...chain.map((der) => ({ der }))],
    keys: [{ pkcs8: input.privateKey.export({ type: 'pkcs8', format: 'der' }), ...attributes }],
    password: input.password,
    encryption: input.encryption,
  });
}

interface BagInput {
  localKeyId?: Buffer;
  friendlyName?: string;
}

export interface PfxBags {
  certificates: (BagInput & { der: Buffer })[];
  /** PKCS #8 PrivateKeyInfo DER, written as it is (the tests write damaged ones). */
  keys: (BagInput & { pkcs8: Buffer })[];
  password: string;
  encryption: PfxEncryption;
  /** Of the key derivations; OpenSSL 3's default unless given. */
  iterations?: number;
}

/** The layout of buildPfx, with the bags and their attributes as given. */
export function buildPfxFromBags(input: PfxBags): Buffer {
  const iterations = input.iterations ?? PFX_ITERATIONS;
  const attributesOf = (bag: BagInput): Asn1[] => {
    const attributes = [
      ...(bag.localKeyId === undefined ? [] : [sequence(oidNode(OID.localKeyId), set(octetString(bag.localKeyId)))]),
      ...(bag.friendlyName === undefined ? [] : [sequence(oidNode(OID.friendlyName), set(forge().asn1.create(Class.UNIVERSAL, Type.BMPSTRING, false, bag.friendlyName)))]),
    ];
    return attributes.length ? [set(...attributes)] : [];
  };
  const certBags = input.certificates.map((c) =>
    sequence(oidNode(OID.certBag), explicit0(sequence(oidNode(OID.x509Certificate), explicit0(octetString(c.der)))), ...attributesOf(c)));
  const certificates = encrypt(derOf(sequence(...certBags)), input.password, input.encryption, iterations);
  const keyBags = input.keys.map((k) => {
    const key = encrypt(k.pkcs8, input.password, input.encryption, iterations);
    return sequence(oidNode(OID.pkcs8ShroudedKeyBag), explicit0(sequence(key.algorithm, octetString(key.data))), ...attributesOf(k));
  });
  const authSafe = derOf(sequence(
    sequence(oidNode(OID.encryptedData), explicit0(sequence(integer(0), sequence(oidNode(OID.data), certificates.algorithm,
      forge().asn1.create(Class.CONTEXT_SPECIFIC, 0, false, binary(certificates.data)))))),
    dataContentInfo(derOf(sequence(...keyBags))),
  ));
  const [hash, hashOid] = input.encryption === 'aes256' ? [HASHES.sha256, OID.sha256] : [HASHES.sha1, OID.sha1];
  const macSalt = randomBytes(8);
  const macData = sequence(
    sequence(sequence(oidNode(hashOid), nullNode()), octetString(mac(hash, bmpPassword(input.password), macSalt, iterations, authSafe))),
    octetString(macSalt),
    integer(iterations),
  );
  return derOf(sequence(integer(3), dataContentInfo(authSafe), macData));
}
