// The status scheduler every import job of the process shares, per client (account and region):
// ListPackageImportJobs pages report many jobs' statuses in one request (calls/statusScheduler.ts).
import {
  DescribePackageImportJobCommand,
  DescribePackageImportJobResponse,
  ListPackageImportJobsCommand,
  PanoramaClient,
} from "@aws-sdk/client-panorama";
import type { PackageImportJobStatus } from "../../model/panoramaTypes";
import { isTransientError } from "../calls/awsClients";
import { inBackground } from "../calls/requestBudget";
import { StatusScheduler } from "../calls/statusScheduler";

const TERMINAL_STATUSES: readonly string[] = [
  "SUCCEEDED",
  "FAILED",
] satisfies PackageImportJobStatus[];
/** The largest page ListPackageImportJobs returns (MaxSize25). */
const LIST_PAGE_SIZE = 25;
/** Set to "false" to check every job with its own DescribePackageImportJob (no ListPackageImportJobs). */
export const COALESCE_ENV = "PULUMI_PANORAMA_COALESCE";

/** One scheduler per client (account and region): every import job the process waits on shares it. */
const schedulers = new WeakMap<PanoramaClient, StatusScheduler<DescribePackageImportJobResponse>>();

export function importJobScheduler(
  client: PanoramaClient,
): StatusScheduler<DescribePackageImportJobResponse> {
  let scheduler = schedulers.get(client);
  if (!scheduler) {
    scheduler = new StatusScheduler<DescribePackageImportJobResponse>(
      {
        describe: (id, background) => {
          const input = { JobId: id };
          return client.send(
            new DescribePackageImportJobCommand(background ? inBackground(input) : input),
          );
        },
        // Newest first, 25 a page: the jobs this process started are on the first pages.
        list: async (nextToken) => {
          const page = await client.send(
            new ListPackageImportJobsCommand(
              inBackground({ NextToken: nextToken, MaxResults: LIST_PAGE_SIZE }),
            ),
          );
          return {
            items: (page.PackageImportJobs ?? []) as DescribePackageImportJobResponse[],
            nextToken: page.NextToken,
          };
        },
        pageSize: LIST_PAGE_SIZE,
        idOf: (job) => job.JobId,
        acceptor: (o) =>
          "error" in o
            ? isTransientError(o.error)
              ? "retry"
              : "failure"
            : TERMINAL_STATUSES.includes(o.value.Status ?? "")
              ? "success"
              : "retry",
        serviceDurationMs: (job) =>
          job.Status === "SUCCEEDED" && job.CreatedTime && job.LastUpdatedTime
            ? job.LastUpdatedTime.getTime() - job.CreatedTime.getTime()
            : undefined,
      },
      {
        coalesce: !/^(false|0|off|no)$/i.test(process.env[COALESCE_ENV] ?? ""),
      },
    );
    schedulers.set(client, scheduler);
  }
  return scheduler;
}
