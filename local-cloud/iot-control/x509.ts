// Real X.509 device certificates without openssl, as AWS IoT's CreateKeysAndCertificate returns them (an RSA 2048
// key pair, a certificate valid until the end of 2049), signed by a local CA (ECDSA P-256) made once per emulator.
// @peculiar/x509 encodes and signs them over WebCrypto; Node's X509Certificate and openssl both parse and verify
// the result. Local cloud only: nothing here reaches a Lambda bundle.

// tsyringe, inside @peculiar/x509, needs the Reflect metadata API before it loads.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createHash, generateKeyPair, randomBytes, webcrypto } from 'node:crypto';
import { promisify } from 'node:util';

x509.cryptoProvider.set(webcrypto);

const generateKeyPairAsync = promisify(generateKeyPair);

const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' };
/** AWS IoT's certificates from CreateKeysAndCertificate expire at the end of 2049. */
const NOT_AFTER = new Date('2049-12-31T23:59:59Z');

export interface CertificateAuthority {
  signingKey: webcrypto.CryptoKey;
  subject: string;
  certificatePem: string;
}

export interface IssuedCertificate {
  /** SHA-256 of the DER certificate, hex: what AWS IoT uses as the certificate id. */
  certificateId: string;
  certificatePem: string;
  publicKeyPem: string;
  privateKeyPem: string;
  notBefore: Date;
  notAfter: Date;
}

/** 128 random bits as a positive INTEGER of 16 octets: top bit clear (not negative), next bit set (no zero pad). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return bytes.toString('hex');
}

/** Whole seconds, a minute back: certificates hold seconds, and a clock a little behind still accepts it. */
const notBeforeNow = () => new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);

/** Critical basicConstraints and keyUsage: the CA signs certificates and CRLs, a device key signs and encrypts. */
const certificateExtensions = async (publicKey: x509.PublicKeyType, ca: boolean) => [
  new x509.BasicConstraintsExtension(ca, undefined, true),
  new x509.KeyUsagesExtension(
    ca ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
    true,
  ),
  await x509.SubjectKeyIdentifierExtension.create(publicKey),
];

export async function createCertificateAuthority(commonName = 'Local IoT CA'): Promise<CertificateAuthority> {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const subject = `O=Embedded local cloud, CN=${commonName}`;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: subject,
    notBefore: notBeforeNow(),
    notAfter: NOT_AFTER,
    signingAlgorithm: SIGNING_ALGORITHM,
    keys,
    extensions: await certificateExtensions(keys.publicKey, true),
  });
  return { signingKey: keys.privateKey, subject, certificatePem: certificate.toString('pem') };
}

/** A fresh RSA 2048 key pair and a client certificate for it, as CreateKeysAndCertificate returns them. */
export async function issueDeviceCertificate(ca: CertificateAuthority): Promise<IssuedCertificate> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  const subjectPublicKeyInfo = publicKey.export({ type: 'spki', format: 'der' });
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    issuer: ca.subject,
    subject: 'CN=AWS IoT Certificate',
    notBefore: notBeforeNow(),
    notAfter: NOT_AFTER,
    signingAlgorithm: SIGNING_ALGORITHM,
    publicKey: subjectPublicKeyInfo,
    signingKey: ca.signingKey,
    extensions: await certificateExtensions(subjectPublicKeyInfo, false),
  });
  return {
    certificateId: createHash('sha256').update(Buffer.from(certificate.rawData)).digest('hex'),
    certificatePem: certificate.toString('pem'),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    // PKCS#1, the "BEGIN RSA PRIVATE KEY" form AWS IoT hands out.
    privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
  };
}
