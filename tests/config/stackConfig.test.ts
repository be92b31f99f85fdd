// Stack config as @pulumi/aws users set it: aws:region, aws:profile and aws:endpoints, read by the
// resources' provider (configure) and by the lookups (the program), with no AWS_* variable set:
// parsing and precedence directly, then one stack through the real engine against the emulator.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CommandError } from "@pulumi/pulumi/automation";
import { getDeviceOutput, Package } from "pulumi-panorama";
import { ListDevicesCommand } from "@aws-sdk/client-panorama";
import { panoramaClient, readStackConfig, resolveRegion } from "../../provider/calls/awsClients";
import {
  CLI_BUILD_TIMEOUT_MS,
  engineCli,
  inlineStack,
  stackState,
  withStack,
} from "../support/engine";
import { Emulator, startFixture } from "../support/emulatorFixture";

const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });

describe("stack config: aws:region, aws:profile, aws:endpoints", () => {
  describe("reading it", () => {
    it("takes the panorama and s3 entries of aws:endpoints, merged over the list, other services ignored", () => {
      const endpoints = JSON.stringify([
        { s3: "http://127.0.0.1:9000", dynamodb: "http://x" },
        { panorama: "https://panorama.example:4566" },
      ]);
      assert.deepStrictEqual(
        readStackConfig(
          config({ "aws:region": "eu-west-1", "aws:profile": "ops", "aws:endpoints": endpoints }),
        ),
        {
          region: "eu-west-1",
          profile: "ops",
          endpoints: { s3: "http://127.0.0.1:9000", panorama: "https://panorama.example:4566" },
        },
      );
      assert.deepStrictEqual(readStackConfig(config({})), {
        region: undefined,
        profile: undefined,
        endpoints: {},
      });
    });

    it("refuses a malformed aws:endpoints, naming the key and the rule", () => {
      assert.throws(
        () => readStackConfig(config({ "aws:endpoints": "http://127.0.0.1:4566" })),
        /^UsageError: aws:endpoints: must be a JSON list of objects such as \[\{"panorama":/,
      );
      assert.throws(
        () => readStackConfig(config({ "aws:endpoints": '{"panorama":"http://x"}' })),
        /^UsageError: aws:endpoints: must be a list of objects/,
      );
      assert.throws(
        () =>
          readStackConfig(
            config({ "aws:endpoints": '[{"s3":"http://a"},{"panorama":"127.0.0.1:4566"}]' }),
          ),
        /^UsageError: aws:endpoints\[1\]\.panorama: must be an http:\/\/ or https:\/\/ URL, got "127\.0\.0\.1:4566"$/,
      );
    });

    it("region: the resource's input, then aws:region, then AWS_REGION", () => {
      const saved = process.env.AWS_REGION;
      process.env.AWS_REGION = "ap-southeast-2";
      try {
        const settings = readStackConfig(config({ "aws:region": "eu-west-1" }));
        assert.strictEqual(resolveRegion("us-west-2", settings), "us-west-2");
        assert.strictEqual(resolveRegion(undefined, settings), "eu-west-1");
        assert.strictEqual(resolveRegion(undefined, readStackConfig(config({}))), "ap-southeast-2");
      } finally {
        if (saved === undefined) delete process.env.AWS_REGION;
        else process.env.AWS_REGION = saved;
      }
    });
  });

  describe("through the real engine, with no AWS_* variable set", function () {
    this.timeout(CLI_BUILD_TIMEOUT_MS);
    // Everything the SDK would read from the environment; the stack config alone must do.
    const CLEARED = [
      "AWS_ENDPOINT_URL",
      "AWS_ENDPOINT_URL_PANORAMA",
      "AWS_ENDPOINT_URL_S3",
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",
      "AWS_PROFILE",
      "AWS_REGION",
      "AWS_DEFAULT_REGION",
    ];
    const saved: Record<string, string | undefined> = {};
    let emu: Emulator;
    let home: string;

    before(async () => {
      await engineCli();
      emu = (await startFixture()).emu;
      home = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-panorama-aws-home-"));
      // The default profile's keys are wrong: only the profile named in aws:profile can succeed.
      fs.writeFileSync(
        path.join(home, "credentials"),
        "[default]\naws_access_key_id = AKIDWRONG\naws_secret_access_key = wrong-secret\n\n" +
          `[emulator]\naws_access_key_id = ${emu.credentials.accessKeyId}\naws_secret_access_key = ${emu.credentials.secretAccessKey}\n`,
      );
      fs.writeFileSync(path.join(home, "config"), "");
      const env: Record<string, string | undefined> = {
        AWS_SHARED_CREDENTIALS_FILE: path.join(home, "credentials"),
        AWS_CONFIG_FILE: path.join(home, "config"),
        ...Object.fromEntries(CLEARED.map((k) => [k, undefined])),
      };
      for (const [k, v] of Object.entries(env)) {
        saved[k] = process.env[k];
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    });
    after(async () => {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await emu?.stop();
      fs.rmSync(home, { recursive: true, force: true });
    });

    it("an aws:endpoints entry wins over AWS_ENDPOINT_URL_PANORAMA, as in @pulumi/aws", async () => {
      const settings = readStackConfig(
        config({
          "aws:profile": "emulator",
          "aws:endpoints": JSON.stringify([{ panorama: emu.url }]),
        }),
      );
      process.env.AWS_ENDPOINT_URL_PANORAMA = "http://127.0.0.1:9"; // nothing listens there
      try {
        const listed = await panoramaClient(emu.region, settings).send(new ListDevicesCommand({}));
        assert.deepStrictEqual(
          listed.Devices?.map((d) => d.Name),
          ["emulator-device"],
        );
      } finally {
        delete process.env.AWS_ENDPOINT_URL_PANORAMA;
      }
    });

    it("aws:endpoints and aws:profile reach the provider and the lookups; a missing profile is refused by name", async () => {
      const program = async () => {
        const settings = new pulumi.Config();
        const pkg = new Package("config-code", {
          packageName: "CONFIG_CODE",
          forceDelete: true,
          tags: { round: settings.require("round") },
        });
        if (settings.getBoolean("lookups") === false) return { packageId: pkg.packageId };
        const device = getDeviceOutput({ name: "emulator-device" });
        return { deviceId: device.deviceId, deviceName: device.name, packageId: pkg.packageId };
      };
      const stackConfig = {
        "aws:region": emu.region,
        "aws:profile": "emulator",
        "stack-config:round": "1",
      };
      await withStack(
        inlineStack({ program, projectName: "stack-config", config: stackConfig }),
        async (s) => {
          // As the @pulumi/aws docs have it: pulumi config set --path 'aws:endpoints[0].panorama' <url>
          await s.stack.setConfig("aws:endpoints[0].panorama", { value: emu.url }, true);

          const up = await s.stack.up();
          assert.strictEqual(up.outputs.deviceName.value, "emulator-device");
          assert.strictEqual(
            up.outputs.deviceId.value,
            Object.keys((emu.control.state() as { devices: Record<string, unknown> }).devices)[0],
          );
          assert.match(up.outputs.packageId.value, /^package-/);
          assert.strictEqual(emu.control.requestCounts().byOperation["panorama:CreatePackage"], 1);
          const state = JSON.stringify(await stackState(s));
          assert.ok(
            !state.includes(emu.credentials.secretAccessKey) &&
              !state.includes(emu.credentials.accessKeyId),
            "credentials written to state",
          );

          await s.stack.setConfig("aws:profile", { value: "missing" });
          const refusal =
            /aws:profile "missing": no usable credentials for this profile \(.*\)\. Check the profile name and its entry in the shared credentials file/;
          const preview = await s.stack.preview().then(
            () => undefined,
            (e: unknown) => e,
          );
          assert.ok(preview instanceof CommandError, "a lookup with a missing profile succeeded");
          assert.match(
            String(preview),
            /getDevice: CredentialsProviderError: aws:profile "missing"/,
          );
          assert.match(String(preview), refusal);

          // The provider's calls (a tag update here) are refused the same way.
          await s.stack.setAllConfig({
            "stack-config:lookups": { value: "false" },
            "stack-config:round": { value: "2" },
          });
          const update = await s.stack.up().then(
            () => undefined,
            (e: unknown) => e,
          );
          assert.ok(update instanceof CommandError, "an update with a missing profile succeeded");
          assert.match(String(update), /could not update the tags of package-/);
          assert.match(String(update), refusal);

          await s.stack.setConfig("aws:profile", { value: "emulator" });
          const again = await s.stack.up();
          assert.deepStrictEqual(again.summary.resourceChanges, { update: 1, same: 1 });
        },
      );
      assert.strictEqual(emu.control.requestCounts().byOperation["panorama:DeletePackage"], 1);
    });
  });
});
