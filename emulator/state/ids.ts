// Identifier and ARN formats, copied from real examples (reference §4):
// `package-226t5xm5k6j6lahmcwy5ec6sky`, `applicationInstance-ddaxxmpl2z7bg74ywutd7byxuq`,
// `device-4tafxmplhtmzabv5lsacba4ere`. Import-job ids have no known real format; ours is
// `packageImportJob-` + the same 26-character suffix (ASSUMPTIONS.md).
import { createHash, randomBytes } from "crypto";

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
const SUFFIX_LENGTH = 26;

export type IdPrefix = "package" | "applicationInstance" | "device" | "packageImportJob";

export function newId(prefix: IdPrefix): string {
  return `${prefix}-${base32(randomBytes(SUFFIX_LENGTH))}`;
}

/** A stable id derived from a seed, so seeded devices keep their id across resets and restarts. */
export function stableId(prefix: IdPrefix, seed: string): string {
  return `${prefix}-${base32(createHash("sha256").update(seed).digest())}`;
}

function base32(bytes: Buffer): string {
  let out = "";
  for (let i = 0; i < SUFFIX_LENGTH; i++) out += BASE32[bytes[i] % 32];
  return out;
}

export type ArnResourceType = "package" | "applicationInstance" | "device";

export function arn(region: string, accountId: string, type: ArnResourceType, id: string): string {
  return `arn:aws:panorama:${region}:${accountId}:${type}/${id}`;
}

export interface ParsedArn {
  region: string;
  accountId: string;
  type: string;
  id: string;
}

export function parseArn(text: string): ParsedArn | undefined {
  const m = /^arn:aws:panorama:([^:]*):([^:]*):([A-Za-z]+)\/(.+)$/.exec(text);
  return m ? { region: m[1], accountId: m[2], type: m[3], id: m[4] } : undefined;
}

export function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}
