// Camera credentials through Construct: the SDK hands a component each input as one Output, secret
// when anything inside it is, so a fleet's `devices` with a secret camera password would be secret
// as a whole, and the rollout cannot name resources after secret device names. The request's raw
// inputs still mark each secret where it is: when every secret of `devices` is a camera credential,
// the devices are read plainly and those credentials alone are secret again (CameraNode keeps its
// template parameters secret in any case).
import * as pulumi from "@pulumi/pulumi";

/** The SDK's marker of a secret value in a serialized property (sdk/nodejs/runtime/rpc.ts). */
const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

const CREDENTIALS = ["streamUrl", "username", "password"] as const;

type Path = (string | number)[];

/** The paths of every secret inside a serialized value. */
export function secretPaths(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretPaths(v, [...path, i]));
  if (value === null || typeof value !== "object") return [];
  const record = value as Record<string, unknown>;
  if (record[SPECIAL_SIG_KEY] === SECRET_SIG) return [path];
  return Object.entries(record).flatMap(([k, v]) => secretPaths(v, [...path, k]));
}

/** A camera (`[device, "cameras", node]`) or one of its credentials. */
function isCameraCredential(path: Path): boolean {
  const [device, cameras, node, field, ...rest] = path;
  return (
    typeof device === "number" &&
    cameras === "cameras" &&
    typeof node === "string" &&
    rest.length === 0 &&
    (field === undefined || (CREDENTIALS as readonly (string | number)[]).includes(field))
  );
}

/** True when the raw `devices` input holds secrets only in camera credentials. */
export function onlyCameraCredentialsSecret(rawDevices: unknown): boolean {
  const paths = secretPaths(rawDevices);
  return paths.length > 0 && paths.every(isCameraCredential);
}

/** The devices with every camera credential secret again. */
export function withSecretCameraCredentials(devices: unknown): unknown {
  if (!Array.isArray(devices)) return devices;
  return devices.map((device) => {
    const cameras = device?.cameras;
    if (!cameras || typeof cameras !== "object") return device;
    const secretCameras = Object.fromEntries(
      Object.entries(cameras as Record<string, Record<string, unknown>>).map(([node, camera]) => [
        node,
        Object.fromEntries(
          Object.entries(camera ?? {}).map(([k, v]) => [
            k,
            (CREDENTIALS as readonly string[]).includes(k) && v !== undefined
              ? pulumi.secret(v)
              : v,
          ]),
        ),
      ]),
    );
    return { ...device, cameras: secretCameras };
  });
}
