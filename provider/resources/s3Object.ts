// A content-addressed S3 object: the bytes of a local file (or a string) under a key that ends in
// their sha256, as panorama-cli uploads assets and package manifests (reference §4, §7). The key
// names the content, so a changed file is a new key and a new object (replace), and an unchanged
// one costs no call at all on preview or `pulumi up`.
//
// It runs on the one lifecycle (lifecycle/resourceProvider.ts) like every Panorama resource: a spec
// plus hooks (start, describe, remove); an upload is done when it returns, so it has no acceptor.
import { createHash } from "crypto";
import * as fs from "fs";
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import * as pulumi from "@pulumi/pulumi";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { describeError } from "../calls/awsClients";
import { consoleLog } from "../lifecycle/callContext";
import { describeOrUndefined } from "../lifecycle/notFound";
import { PanoramaResource } from "../lifecycle/panoramaResource";
import { resourceProvider } from "../lifecycle/resourceProvider";
import { Props, ResourceSpec } from "../lifecycle/resourceSpec";
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
export class S3Object extends PanoramaResource {
  declare readonly bucket: pulumi.Output<string>;
  declare readonly key: pulumi.Output<string>;
  declare readonly sha256: pulumi.Output<string>;
  /** The object's size in bytes. */
  declare readonly size: pulumi.Output<number>;
  /** The object's ETag, as S3 returns it. */
  declare readonly etag: pulumi.Output<string>;
  /** `s3://<bucket>/<key>`. */
  declare readonly s3Uri: pulumi.Output<string>;
  /** True when the object was already there and nothing was uploaded. */
  declare readonly alreadyPresent: pulumi.Output<boolean>;
  declare readonly region: pulumi.Output<string>;

  constructor(name: string, args: S3ObjectArgs, opts?: pulumi.CustomResourceOptions) {
    super(SPEC, name, { ...args }, opts);
  }
}

// ---- spec and hooks ------------------------------------------------------------------------

const RESOURCE = "S3Object";
const SPEC: ResourceSpec = {
  type: RESOURCE,
  // The key names the content: another bucket or key is another object (replace).
  parameters: ["bucket", "key"],
  // Nothing remote changes with these: recorded in place.
  options: {
    sha256: "text",
    source: "text",
    content: "text",
    contentType: "text",
    deleteOnDestroy: "boolean",
  },
  outputs: ["size", "etag", "s3Uri", "alreadyPresent"],
};
const SHA256 = /^[0-9a-f]{64}$/;

/** The resource's own checks, each naming its property; nothing is read from S3. */
export function checkObjectInputs(inputs: Props): dynamic.CheckFailure[] {
  const failures: dynamic.CheckFailure[] = [];
  const known = (k: string) => inputs[k] !== undefined && !isUnknown(inputs[k]);
  for (const k of ["bucket", "key"])
    if (
      !isUnknown(inputs[k]) &&
      !(typeof inputs[k] === "string" && inputs[k].length >= 1 && inputs[k].length <= 1024)
    )
      failures.push({
        property: k,
        reason: `${k}: must be a string of 1-1024 characters (got ${JSON.stringify(inputs[k])})`,
      });
  if (known("sha256") && !SHA256.test(String(inputs.sha256)))
    failures.push({
      property: "sha256",
      reason: `sha256: must be 64 lowercase hex digits (got ${JSON.stringify(inputs.sha256)})`,
    });
  if (inputs.source === undefined && inputs.content === undefined)
    failures.push({
      property: "source",
      reason: "source: give the file to upload (source) or its text (content)",
    });
  if (inputs.source !== undefined && inputs.content !== undefined)
    failures.push({
      property: "content",
      reason: "content: give either source or content, not both",
    });
  if (
    known("source") &&
    !(
      typeof inputs.source === "string" &&
      fs.existsSync(inputs.source) &&
      fs.statSync(inputs.source).isFile()
    )
  )
    failures.push({
      property: "source",
      reason: `source: ${JSON.stringify(inputs.source)} is not a readable file`,
    });
  return failures;
}

/** start: PutObject unless an object is already under the key (its key names its content). */
export async function startUpload(
  client: S3Client,
  inputs: Props,
  log: (line: string) => void = consoleLog,
): Promise<Props> {
  const body =
    inputs.source !== undefined
      ? fs.readFileSync(inputs.source)
      : Buffer.from(String(inputs.content), "utf8");
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
  log(`${where(inputs)}: uploaded ${body.length} bytes`);
  return {
    size: body.length,
    etag: (await describeObject(client, inputs))?.etag,
    alreadyPresent: false,
  };
}

/** describe: HeadObject; undefined when there is no object under the key. */
export async function describeObject(
  client: S3Client,
  props: Props,
): Promise<{ size: number; etag: string } | undefined> {
  const head = await describeOrUndefined(() =>
    client.send(new HeadObjectCommand({ Bucket: props.bucket, Key: props.key })),
  );
  return head && { size: head.ContentLength ?? 0, etag: head.ETag ?? "" };
}

/** remove: DeleteObject with `deleteOnDestroy`, else keep the object and only forget it. */
export async function removeObject(client: S3Client, props: Props): Promise<void> {
  if (props.deleteOnDestroy !== true) return;
  await client.send(new DeleteObjectCommand({ Bucket: props.bucket, Key: props.key }));
}

function where(p: Props): string {
  return `${RESOURCE} s3://${p.bucket}/${p.key}`;
}

export const s3ObjectImplementation = resourceProvider<{ size: number; etag: string }>(SPEC, {
  noun: "S3 object",
  label: where,
  check: checkObjectInputs,
  async start(call, inputs, base) {
    try {
      const found = await startUpload(call.clients.s3(call.region), inputs, call.log);
      return {
        id: `${inputs.bucket}/${inputs.key}`,
        outs: { ...base, s3Uri: `s3://${inputs.bucket}/${inputs.key}`, ...found },
      };
    } catch (e) {
      throw new Error(
        `${where(inputs)} in ${call.region}: could not upload: ${describeError(e)}. Nothing is recorded; fix the cause and run \`pulumi up\` again.`,
      );
    }
  },
  describe: (call, id) => {
    const slash = id.indexOf("/");
    return describeObject(call.clients.s3(call.region), {
      bucket: id.slice(0, slash),
      key: id.slice(slash + 1),
    });
  },
  merge: (outs, found) => ({ ...outs, ...found }),
  async remove(call, _id, props) {
    try {
      await removeObject(call.clients.s3(call.region), props);
      return { outcome: "done", verb: "delete" };
    } catch (e) {
      throw new Error(
        `${where(props)}: could not delete: ${describeError(e)}. It stays in the stack; fix the cause and run \`pulumi destroy\` again.`,
      );
    }
  },
});
