// The S3 client of the provider process (S3Object uploads): created lazily, one per region and
// endpoint, with the same settings as the Panorama client (aws:endpoints, aws:profile, HTTP timeouts).
import { S3Client } from "@aws-sdk/client-s3";
import { AwsSettings, clientSettings, currentStackSettings, httpTimeouts } from "./awsClients";

const clients = new Map<string, S3Client>();

/**
 * One client per region and endpoint. A custom endpoint (AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL:
 * this project's emulator, LocalStack, MinIO) is addressed path-style, as those servers expect.
 */
export function s3Client(region: string, settings: AwsSettings = currentStackSettings()): S3Client {
  const endpoint =
    settings.endpoints.s3 ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  const cacheKey = [region, endpoint, settings.profile, process.env.AWS_ACCESS_KEY_ID].join("\n");
  let client = clients.get(cacheKey);
  if (!client) {
    const options = {
      region,
      ...clientSettings("s3", settings),
      forcePathStyle: endpoint !== undefined,
      requestHandler: httpTimeouts(),
    };
    clients.set(cacheKey, (client = new S3Client(options)));
  }
  return client;
}
