// Real X.509 device certificates without openssl: a minimal DER encoder for exactly the certificate AWS IoT's
// CreateKeysAndCertificate returns (an RSA 2048 key pair, a certificate valid until 2049), signed by a local CA
// (ECDSA P-256) made when the emulator starts. node:crypto makes the keys and the signatures; Node's
// X509Certificate and openssl both parse and verify the result.
import { createHash, generateKeyPair, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

const generateKeyPairAsync = promisify(generateKeyPair);

// ---- DER ----------------------------------------------------------------------------------------------------

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, content: Buffer) => Buffer.concat([Buffer.from([tag]), length(content.length), content]);
const sequence = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const explicit = (tagNumber: number, content: Buffer) => tlv(0xa0 | tagNumber, content);
const octetString = (content: Buffer) => tlv(0x04, content);
const bitString = (content: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), content]));
const utf8String = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'));
const boolean = (value: boolean) => tlv(0x01, Buffer.from([value ? 0xff : 0]));

/** A non-negative INTEGER: a leading zero byte keeps a set high bit from reading as negative. */
function unsignedInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return tlv(0x02, trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

function objectIdentifier(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const base128: number[] = [];
    for (let v = arc; ; v = Math.floor(v / 128)) {
      base128.unshift((v & 0x7f) | (base128.length > 0 ? 0x80 : 0));
      if (v < 128) break;
    }
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime before 2050, GeneralizedTime from then on (RFC 5280 4.1.2.5). */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
};

function name(attributes: Array<[oid: string, value: string]>): Buffer {
  return sequence(...attributes.map(([oid, value]) => set(sequence(objectIdentifier(oid), utf8String(value)))));
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return sequence(objectIdentifier(oid), ...(critical ? [boolean(true)] : []), octetString(value));
}

/** keyUsage bits, most significant first: digitalSignature(0) … keyCertSign(5). */
function keyUsage(bits: number[]): Buffer {
  let byte = 0;
  for (const bit of bits) byte |= 0x80 >> bit;
  return tlv(0x03, Buffer.from([0, byte]));
}

// ---- certificates -------------------------------------------------------------------------------------------

export interface CertificateAuthority {
  key: KeyObject;
  subject: Buffer;
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

/** AWS IoT's certificates from CreateKeysAndCertificate expire at the end of 2049. */
const NOT_AFTER = new Date('2049-12-31T23:59:59Z');

function certificate(input: {
  issuer: Buffer;
  subject: Buffer;
  subjectPublicKeyDer: Buffer;
  signingKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
}): Buffer {
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const signatureAlgorithm = sequence(objectIdentifier(OID.ecdsaWithSha256));
  const keyId = createHash('sha1').update(input.subjectPublicKeyDer).digest();
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.from([2]))), // v3
    unsignedInteger(serial),
    signatureAlgorithm,
    input.issuer,
    sequence(time(input.notBefore), time(input.notAfter)),
    input.subject,
    input.subjectPublicKeyDer, // SubjectPublicKeyInfo, exactly as node:crypto exports it
    explicit(
      3,
      sequence(
        extension(OID.basicConstraints, true, input.ca ? sequence(boolean(true)) : sequence()),
        extension(OID.keyUsage, true, keyUsage(input.ca ? [5, 6] : [0, 2])),
        extension(OID.subjectKeyIdentifier, false, octetString(keyId)),
      ),
    ),
  );
  const signature = sign('sha256', tbs, input.signingKey); // DER-encoded ECDSA signature
  return sequence(tbs, signatureAlgorithm, bitString(signature));
}

const pem = (label: string, der: Buffer) =>
  `-----BEGIN ${label}-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;

export function createCertificateAuthority(commonName = 'Local IoT CA'): CertificateAuthority {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const subject = name([
    [OID.organization, 'Embedded local cloud'],
    [OID.commonName, commonName],
  ]);
  const der = certificate({
    issuer: subject,
    subject,
    subjectPublicKeyDer: publicKey.export({ type: 'spki', format: 'der' }),
    signingKey: privateKey,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: NOT_AFTER,
    ca: true,
  });
  return { key: privateKey, subject, certificatePem: pem('CERTIFICATE', der) };
}

/** A fresh RSA 2048 key pair and a client certificate for it, as CreateKeysAndCertificate returns them. */
export async function issueDeviceCertificate(ca: CertificateAuthority): Promise<IssuedCertificate> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
  const der = certificate({
    issuer: ca.subject,
    subject: name([[OID.commonName, 'AWS IoT Certificate']]),
    subjectPublicKeyDer: publicKey.export({ type: 'spki', format: 'der' }),
    signingKey: ca.key,
    notBefore,
    notAfter: NOT_AFTER,
    ca: false,
  });
  return {
    certificateId: createHash('sha256').update(der).digest('hex'),
    certificatePem: pem('CERTIFICATE', der),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    // PKCS#1, the "BEGIN RSA PRIVATE KEY" form AWS IoT hands out.
    privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    notBefore,
    notAfter: NOT_AFTER,
  };
}
