// Secret values the emulator must keep but never show, as AWS keeps camera credentials in Secrets
// Manager: write-only ones (a camera's Username and Password) only as a salted scrypt digest, so
// no copy exists to leak; ones it must give back (a camera's StreamUrl, which Describe returns)
// sealed with AES-256-GCM under a key that lives outside the state: in memory, or in
// `<stateFile>.key` (mode 0600) beside a state file. A state dump or state file alone therefore
// never holds one in plaintext.
import * as fs from "fs";
import { createCipheriv, createDecipheriv, randomBytes, scryptSync, timingSafeEqual } from "crypto";

const SEALED = "sealed:v1:";
const DIGEST = "scrypt:v1:";
/** Cheap enough for a create per request, still one-way. */
const SCRYPT_COST = { N: 1024, r: 8, p: 1 };

export class SecretBox {
  private key?: Buffer;

  /** `loadKey` runs on first use, so a state file gets a key file only once a secret is kept. */
  constructor(private readonly loadKey: () => Buffer) {}

  static inMemory(): SecretBox {
    const key = randomBytes(32);
    return new SecretBox(() => key);
  }

  /** The key beside a state file: one already there is checked now; a new one is made (0600) when first needed. */
  static forStateFile(stateFile: string): SecretBox {
    const file = secretKeyFile(stateFile);
    const existing = readKey(file);
    return new SecretBox(() => {
      if (existing) return existing;
      const key = randomBytes(32);
      fs.writeFileSync(file, key.toString("hex") + "\n", { mode: 0o600, flag: "wx" });
      return key;
    });
  }

  private get secretKey(): Buffer {
    return (this.key ??= this.loadKey());
  }

  seal(text: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.secretKey, iv);
    const body = Buffer.concat([cipher.update(text, "utf8"), cipher.final()]);
    return SEALED + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
  }

  open(sealed: string): string {
    if (!sealed.startsWith(SEALED)) throw new Error("not a sealed value");
    const bytes = Buffer.from(sealed.slice(SEALED.length), "base64url");
    const decipher = createDecipheriv("aes-256-gcm", this.secretKey, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
  }
}

function readKey(file: string): Buffer | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8").trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  if (!/^[0-9a-f]{64}$/.test(text))
    throw new Error(`${file} is not an emulator secret key (64 hex digits)`);
  return Buffer.from(text, "hex");
}

export function secretKeyFile(stateFile: string): string {
  return `${stateFile}.key`;
}

/** A one-way, salted digest of a secret. */
export function digestSecret(value: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(value, salt, 32, SCRYPT_COST);
  return `${DIGEST}${salt.toString("base64url")}:${hash.toString("base64url")}`;
}

/** Whether `value` is the secret `digest` was made from. */
export function secretMatches(digest: string, value: string): boolean {
  if (!digest.startsWith(DIGEST)) return false;
  const [salt, hash] = digest.slice(DIGEST.length).split(":");
  const expected = Buffer.from(hash, "base64url");
  const actual = scryptSync(value, Buffer.from(salt, "base64url"), expected.length, SCRYPT_COST);
  return timingSafeEqual(actual, expected);
}
