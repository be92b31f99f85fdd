import { quickstart } from "./program";

const outputs = quickstart();
export const jobId = outputs.jobId;
export const status = outputs.status;
export const packageId = outputs.packageId;
export const packageVersion = outputs.packageVersion;
export const patchVersion = outputs.patchVersion;
export const applicationInstanceId = outputs.applicationInstanceId;
export const deploymentStatus = outputs.deploymentStatus;
export const healthStatus = outputs.healthStatus;
export const deployedPackages = outputs.deployedPackages;
