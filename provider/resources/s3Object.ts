// A content-addressed S3 object: the bytes of a local file (or a string) under a key that ends in
// their sha256, as panorama-cli uploads assets and package manifests (reference §4, §7). The key
// names the content, so a changed file is a new key and a new object (replace), and an unchanged
// one costs no call at all on preview or `pulumi up`.
//
// The logic is the hooks below (start, describe, remove, diff); the dynamic provider at the end is
// a thin wrapper, so the resource moves onto the shared lifecycle by handing it these hooks.
import { createHash } from "crypto";
import * as fs from "fs";
import { DeleteObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import * as pulumi from "@pulumi/pulumi";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { applyStackConfig, clientSettings, currentStackSettings, describeError, errorName, httpTimeouts, resolveRegion } from "../calls/awsClients";
import { booleanOptionFailures, commonOptionFailures, differs, regionChanged, unknownPropertyFailures } from "../lifecycle/inputChecks";
import { providerShim } from "../lifecycle/providerShim";
import { isUnknown } from "../lifecycle/unknowns";

export interface S3ObjectArgs {
  /** Bucket (or access-point ARN) to write to; changing it replaces the object. */
  bucket: pulumi.Input<string>;
  /** Object key, normally ending in `sha256`; changing it replaces the object. */
  key: pulumi.Input<string>;
  /** sha256 (64 lowercase hex digits) of the bytes; checked against them before the upload. */
  sha256: pulumi.Input<string>;
  /** Absolute path of the file to upload. Give `source` or `content`. */
  source?: pulumi.Input<string>;
  /** The bytes as UTF-8 text (small documents such as a package manifest). Give `source` or `content`. */
  content?: pulumi.Input<string>;
  /** @default "application/octet-stream" */
  contentType?: pulumi.Input<string>;
  /**
   * Delete the object on destroy or replacement. @default false: content-addressed objects may be
   * shared by other packages and patches (a registered patch still points at its assets), so
   * they stay, as panorama-cli leaves them.
   */
  deleteOnDestroy?: pulumi.Input<boolean>;
  /** @default stack config `aws:region`, else AWS_REGION */
  region?: pulumi.Input<string>;
}

/** An object uploaded once under a content-addressed key (HeadObject first, PutObject if absent). */
export class S3Object extends pulumi.dynamic.Resource {
  declare readonly bucket: pulumi.Output<string>;
  declare readonly key: pulumi.Output<string>;
  declare readonly sha256: pulumi.Output<string>;
  declare readonly size: pulumi.Output<number>;
  declare readonly etag: pulumi.Output<string>;
  /** `s3://<bucket>/<key>`. */
  declare readonly s3Uri: pulumi.Output<string>;
  /** True when the object was already there and nothing was uploaded. */
  declare readonly alreadyPresent: pulumi.Output<boolean>;
  declare readonly region: pulumi.Output<string>;

  constructor(name: string, args: S3ObjectArgs, opts?: pulumi.CustomResourceOptions) {
    const placeholders = { size: undefined, etag: undefined, s3Uri: undefined, alreadyPresent: undefined, region: undefined };
    super(s3ObjectProvider, name, { ...placeholders, ...args }, opts, "aws", "S3Object");
  }
}

// ---- hooks ---------------------------------------------------------------------------------

type Props = Record<string, any>;

export const RESOURCE = "S3Object";
/** Inputs that name the object: a change means another object (replace). */
export const OBJECT_PARAMETERS = ["bucket", "key"] as const;
/** Inputs that change nothing remote: recorded in place. */
export const OPTIONS = ["sha256", "source", "content", "contentType", "deleteOnDestroy"] as const;
const INPUTS = [...OBJECT_PARAMETERS, ...OPTIONS, "region"] as const;
const SHA256 = /^[0-9a-f]{64}$/;

/** What is wrong with the inputs, each naming its property; nothing is read from S3. */
export function checkObjectInputs(inputs: Props): dynamic.CheckFailure[] {
  const failures = [...unknownPropertyFailures(RESOURCE, inputs, INPUTS), ...commonOptionFailures(inputs), ...booleanOptionFailures(inputs, "deleteOnDestroy")];
  const known = (k: string) => inputs[k] !== undefined && !isUnknown(inputs[k]);
  for (const k of ["bucket", "key"])
    if (!isUnknown(inputs[k]) && !(typeof inputs[k] === "string" && inputs[k].length >= 1 && inputs[k].length <= 1024))
      failures.push({ property: k, reason: `${k}: must be a string of 1-1024 characters (got ${JSON.stringify(inputs[k])})` });
  if (known("sha256") && !SHA256.test(String(inputs.sha256)))
    failures.push({ property: "sha256", reason: `sha256: must be 64 lowercase hex digits (got ${JSON.stringify(inputs.sha256)})` });
  if (inputs.source === undefined && inputs.content === undefined)
    failures.push({ property: "source", reason: "source: give the file to upload (source) or its text (content)" });
  if (inputs.source !== undefined && inputs.content !== undefined)
    failures.push({ property: "content", reason: "content: give either source or content, not both" });
  if (known("source") && !(typeof inputs.source === "string" && fs.existsSync(inputs.source) && fs.statSync(inputs.source).isFile()))
    failures.push({ property: "source", reason: `source: ${JSON.stringify(inputs.source)} is not a readable file` });
  return failures;
}

/** Key or bucket (or region) changed: another object. Everything else is recorded in place. */
export function diffObject(olds: Props, news: Props): dynamic.DiffResult {
  const replaces: string[] = OBJECT_PARAMETERS.filter((k) => differs(olds[k], news[k]));
  if (regionChanged(olds.region, news.region)) replaces.push("region");
  const updates: string[] = OPTIONS.filter((k) => differs(olds[k], news[k]));
  if (olds.__provider !== news.__provider) updates.push("__provider");
  return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: false };
}

/** start: PutObject unless an object is already under the key (its key names its content). */
export async function startUpload(client: S3Client, inputs: Props): Promise<Props> {
  const body = inputs.source !== undefined ? fs.readFileSync(inputs.source) : Buffer.from(String(inputs.content), "utf8");
  const digest = createHash("sha256").update(body).digest();
  if (digest.toString("hex") !== inputs.sha256)
    throw new Error(
      `${where(inputs)}: the ${inputs.source !== undefined ? `file ${inputs.source}` : "content"} has sha256 ${digest.toString("hex")}, ` +
        `not ${inputs.sha256} (sha256). It changed since the program read it; run \`pulumi up\` again.`,
    );
  const present = await describeObject(client, inputs);
  if (present) return { ...present, alreadyPresent: true };
  await client.send(
    new PutObjectCommand({
      Bucket: inputs.bucket,
      Key: inputs.key,
      Body: body,
      ContentType: inputs.contentType ?? "application/octet-stream",
      // S3 refuses the upload if the bytes arrive different; panorama-cli uploads with this ACL.
      ChecksumSHA256: digest.toString("base64"),
      ACL: "bucket-owner-full-control",
    }),
  );
  console.log(`${where(inputs)}: uploaded ${body.length} bytes`);
  return { size: body.length, etag: (await describeObject(client, inputs))?.etag, alreadyPresent: false };
}

/** describe: HeadObject; undefined when there is no object under the key. */
export async function describeObject(client: S3Client, props: Props): Promise<{ size: number; etag: string } | undefined> {
  try {
    const head = await client.send(new HeadObjectCommand({ Bucket: props.bucket, Key: props.key }));
    return { size: head.ContentLength ?? 0, etag: head.ETag ?? "" };
  } catch (e) {
    if (errorName(e) === "NotFound" || errorName(e) === "NoSuchKey" || (e as any)?.$metadata?.httpStatusCode === 404) return undefined;
    throw e;
  }
}

/** remove: DeleteObject with `deleteOnDestroy`, else keep the object and only forget it. */
export async function removeObject(client: S3Client, props: Props): Promise<void> {
  if (props.deleteOnDestroy !== true) return;
  await client.send(new DeleteObjectCommand({ Bucket: props.bucket, Key: props.key }));
}

function where(p: Props): string {
  return `${RESOURCE} s3://${p.bucket}/${p.key}`;
}

function outputs(inputs: Props, region: string, found: Props): Props {
  return { ...inputs, region, s3Uri: `s3://${inputs.bucket}/${inputs.key}`, ...found };
}

// ---- S3 client -----------------------------------------------------------------------------

const clients = new Map<string, S3Client>();

/**
 * One client per region and endpoint. A custom endpoint (AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL:
 * this project's emulator, LocalStack, MinIO) is addressed path-style, as those servers expect.
 */
export function s3Client(region: string): S3Client {
  const settings = currentStackSettings();
  const endpoint = settings.endpoints.s3 ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  const cacheKey = [region, endpoint, settings.profile, process.env.AWS_ACCESS_KEY_ID].join("\n");
  let client = clients.get(cacheKey);
  if (!client) {
    const options = { region, ...clientSettings("s3", settings), forcePathStyle: endpoint !== undefined, requestHandler: httpTimeouts() };
    clients.set(cacheKey, (client = new S3Client(options)));
  }
  return client;
}

// ---- the dynamic provider (loaded by name from the shim) ------------------------------------

export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  applyStackConfig(req.config);
}

export async function check(_olds: Props, news: Props): Promise<dynamic.CheckResult> {
  return { inputs: { ...news }, failures: checkObjectInputs(news) };
}

export async function diff(_id: string, olds: Props, news: Props): Promise<dynamic.DiffResult> {
  return diffObject(olds, news);
}

export async function create(inputs: Props): Promise<dynamic.CreateResult> {
  const region = resolveRegion(inputs.region);
  try {
    const found = await startUpload(s3Client(region), inputs);
    return { id: `${inputs.bucket}/${inputs.key}`, outs: outputs(inputs, region, found) };
  } catch (e) {
    throw new Error(`${where(inputs)} in ${region}: could not upload: ${describeError(e)}. Nothing is recorded; fix the cause and run \`pulumi up\` again.`);
  }
}

export async function update(_id: string, olds: Props, news: Props): Promise<dynamic.UpdateResult> {
  return { outs: { ...olds, ...news, region: olds.region } };
}

export async function read(id: string, props: Props): Promise<dynamic.ReadResult> {
  const region = props.region ?? resolveRegion(undefined);
  let found;
  try {
    found = await describeObject(s3Client(region), props);
  } catch (e) {
    throw new Error(`Could not refresh ${where(props)} in ${region}: ${describeError(e)}`);
  }
  if (!found) {
    console.log(`${where(props)}: the object no longer exists; removing it from the stack`);
    return {};
  }
  return { id, props: { ...props, ...found } };
}

export async function deleteObject(_id: string, props: Props): Promise<void> {
  try {
    await removeObject(s3Client(props.region ?? resolveRegion(undefined)), props);
  } catch (e) {
    throw new Error(`${where(props)}: could not delete: ${describeError(e)}. It stays in the stack; fix the cause and run \`pulumi destroy\` again.`);
  }
}

/** The serialized provider; see providerShim.ts. */
export const s3ObjectProvider = providerShim("pulumi-panorama/dist/provider/resources/s3Object.js", "deleteObject");
