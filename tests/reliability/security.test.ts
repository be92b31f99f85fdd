// Signatures and secrets at the provider: a wrong secret key and a body changed after signing are
// refused with 403, the provider says AccessDeniedException and what to check, nothing is created;
// a slow clock is corrected by the SDK; the secret access key shows up in no message and no log line.
import * as assert from "assert";
import { startEmulator, RunningEmulator } from "../../emulator";
import { packageImportJobImplementation as impl } from "../../provider/resources/packageImportJob";
import { forgetClients, panoramaClient } from "../../provider/calls/awsClients";
import { emulatorEnv, MANIFEST_BUCKET, SAMPLE_MANIFEST } from "../support/emulatorFixture";
import { raw } from "../support/signedRequests";
import { jobIdsInEmulator } from "../support/census";

const SECRET = "s3cr3t-Never-Printed-4f1c9a";
const CREDENTIALS = { accessKeyId: "AKIDSECURITYTEST", secretAccessKey: SECRET };

describe("security: signatures and secrets at the provider", function () {
  this.timeout(30_000);
  let emu: RunningEmulator;
  const emulatorLog: string[] = [];
  const consoleLines: string[] = [];
  const saved: Record<string, string | undefined> = {};
  const realLog = console.log;

  before(async () => {
    emu = await startEmulator({
      port: 0,
      credentials: CREDENTIALS,
      log: (line) => emulatorLog.push(line),
    });
    emu.control.putObject(MANIFEST_BUCKET, "security/package.json", SAMPLE_MANIFEST);
    const env = emulatorEnv(emu, CREDENTIALS);
    for (const [k, v] of Object.entries(env)) ((saved[k] = process.env[k]), (process.env[k] = v));
    // What the provider prints is what `pulumi up` shows and keeps in its logs.
    console.log = (...args: unknown[]) => void consoleLines.push(args.map(String).join(" "));
  });
  after(async () => {
    console.log = realLog;
    for (const [k, v] of Object.entries(saved))
      v === undefined ? delete process.env[k] : (process.env[k] = v);
    forgetClients();
    await emu.stop();
  });
  beforeEach(() => forgetClients());

  const inputs = () => ({
    __provider: "code",
    jobType: "NODE_PACKAGE_VERSION",
    inputConfig: {
      packageVersionInputConfig: {
        s3Location: { bucketName: MANIFEST_BUCKET, objectKey: "security/package.json" },
      },
    },
    outputConfig: {
      packageVersionOutputConfig: { packageName: "SAMPLE_CODE", packageVersion: "1.0" },
    },
    clientToken: "security-token",
    waitOptions: { minDelaySeconds: 0.05, timeoutSeconds: 5 },
  });

  /** create() must fail with AccessDeniedException and the hint, and start nothing. */
  async function refused(why: RegExp): Promise<string> {
    const before = jobIdsInEmulator(emu);
    const error = await impl.create(inputs()).then(
      () => assert.fail("create should be refused"),
      (e: Error) => e,
    );
    const message = error.message;
    assert.match(
      message,
      /^PackageImportJob SAMPLE_CODE 1\.0: CreatePackageImportJob failed: AccessDeniedException \(HTTP 403\): /,
    );
    assert.match(message, why);
    assert.match(
      message,
      /check the AWS credentials the provider runs with \(AWS_ACCESS_KEY_ID \/ AWS_SECRET_ACCESS_KEY, AWS_PROFILE/,
    );
    assert.match(
      message,
      /this machine's clock is right, and the endpoint: AWS_ENDPOINT_URL_PANORAMA=http:\/\/127\.0\.0\.1:\d+\)/,
    );
    assert.match(message, /Nothing was created; fix the cause and run `pulumi up` again\.$/);
    assert.deepStrictEqual(jobIdsInEmulator(emu), before, "nothing was started");
    return message;
  }

  it("a wrong secret key", async () => {
    process.env.AWS_SECRET_ACCESS_KEY = "not-the-secret";
    try {
      const message = await refused(/signature we calculated does not match/);
      assert.ok(!message.includes("not-the-secret"), "the key used is not repeated either");
    } finally {
      process.env.AWS_SECRET_ACCESS_KEY = SECRET;
    }
  });

  it("a clock 20 minutes slow is not refused: the SDK corrects its offset from the 403 InvalidSignatureException and signs again", async () => {
    const client = panoramaClient("us-east-1");
    client.config.systemClockOffset = -20 * 60 * 1000;
    const { outs } = await impl.create(inputs());
    assert.strictEqual(outs!.status, "SUCCEEDED");
    assert.ok(
      Math.abs(client.config.systemClockOffset!) < 5000,
      `corrected offset ${client.config.systemClockOffset} ms`,
    );
    assert.ok(
      emulatorLog.some((l) => /→ 403 RequestTimeTooSkewed/.test(l)),
      "the stale signature was refused first",
    );
  });

  it("a body changed after it was signed", async () => {
    panoramaClient("us-east-1").middlewareStack.addRelativeTo(
      (next: any) => async (args: any) => {
        // Same length, so only the signature can tell.
        if (args.request?.body !== undefined)
          args.request.body = new TextDecoder()
            .decode(args.request.body)
            .replace("SAMPLE_CODE", "OTHER_CODE1");
        return next(args);
      },
      { name: "tamperAfterSigning", relation: "after", toMiddleware: "httpSigningMiddleware" },
    );
    await refused(/x-amz-content-sha256' header does not match/);
  });

  it("the secret access key appears in no message, no provider output and no emulator log line", async () => {
    const { outs } = await impl.create(inputs());
    assert.strictEqual(outs!.status, "SUCCEEDED");
    await raw(emu, {
      method: "GET",
      path: "/packages",
      query: { "X-Amz-Security-Token": "SESSION-SECRET-9d2" },
      service: "panorama",
      credentials: CREDENTIALS,
    });
    const everything = [...emulatorLog, ...consoleLines, JSON.stringify(outs)].join("\n");
    assert.ok(
      emulatorLog.length > 3 && consoleLines.length > 0,
      `there was something to scan (${emulatorLog.length} log lines, ${consoleLines.length} printed)`,
    );
    assert.ok(!everything.includes(SECRET), "the secret access key leaked");
    assert.ok(
      !everything.includes("SESSION-SECRET-9d2"),
      "a session token in the query leaked into the log",
    );
  });
});
